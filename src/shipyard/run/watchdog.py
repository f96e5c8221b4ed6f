"""The tree dies with Shipyard, even when Shipyard is killed with SIGKILL and cannot clean up itself.

A small process in a session of its own holds the read end of a pipe whose write end only Shipyard holds.
When Shipyard ends, the pipe closes: after a clean stop Shipyard has written "done" first and the watchdog
just exits; otherwise (Shipyard was killed) it kills every process of the tree's session and removes the
run folder. Run as `python -c ...` (see `command`), so it needs nothing but the standard library and
procs.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

DONE = b"done"


def command(sid: int, run_dir: Path) -> list[str]:
    """The argv that starts the watchdog for session `sid` (Shipyard's package importable by path, since
    it may run from a source checkout)."""
    package_parent = str(Path(__file__).resolve().parents[2])
    code = f"import sys; sys.path.insert(0, {package_parent!r}); from shipyard.run.watchdog import main; main()"
    return [sys.executable, "-c", code, str(sid), str(run_dir)]


class Watchdog:
    """The running watchdog of one session; `release()` after a clean stop."""

    def __init__(self, sid: int, run_dir: Path) -> None:
        read_end, self._pipe = os.pipe()   # both ends non-inheritable: the tree gets neither
        try:
            self.proc: subprocess.Popen | None = subprocess.Popen(
                command(sid, run_dir), stdin=read_end, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True)
        finally:
            os.close(read_end)

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def release(self) -> None:
        """Tell the watchdog there is nothing left to kill, and let it exit."""
        if self.proc is None:
            return
        try:
            os.write(self._pipe, DONE)
        except OSError:
            pass
        os.close(self._pipe)
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.proc = None


def main() -> None:
    from . import procs
    sid, run_dir = int(sys.argv[1]), Path(sys.argv[2])
    for sig in (signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    received = b""
    while chunk := os.read(0, 64):
        received += chunk
    if received.strip() == DONE:
        return
    procs.kill_session(sid)
    shutil.rmtree(run_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
