"""One way to run a subprocess and leave nothing behind (modelled on pypa/build's `run_subprocess`).

The command runs in a session of its own, so whatever it starts (a background helper the app spawns at
import, a compose plugin, a build step) can be killed with it as one process group. Its output goes to
temporary files, not pipes: a grandchild that inherited a pipe would keep it open and make the caller
wait for an EOF that never comes. When the command exits, times out, or the caller is interrupted, the
whole group is killed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from typing import Mapping, Sequence


def _exited(proc: subprocess.Popen, timeout: float) -> bool:
    """Wait for the process to exit WITHOUT reaping it: while it is a zombie its pid, and so its group id,
    cannot be reused, which makes the group kill that follows safe."""
    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        try:
            if os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT | os.WNOHANG) is not None:
                return True
        except ChildProcessError:   # already reaped
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


def cpu_seconds(pid: int) -> float | None:
    """The CPU time (user + system, all its threads) process `pid` has used so far; None where /proc cannot say."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def _exited_or_idle(proc: subprocess.Popen, timeout: float, busy_grace: float, window: float = 2.0) -> str:
    """_exited, with `busy_grace` more seconds for a process still working when `timeout` passes: one that used
    the CPU for at least a twentieth of each last `window` (importing torch on a busy machine, which still gets that
    share) is waited for, one that waits (a connection that never answers, a server's accept loop) is not.
    "exited", "idle" (stopped waiting: it waits), or "busy" (still working when the grace ran out)."""
    if _exited(proc, timeout):
        return "exited"
    end = time.monotonic() + busy_grace
    used = cpu_seconds(proc.pid)
    while used is not None and (looked := time.monotonic()) < end:
        if _exited(proc, min(window, end - looked)):
            return "exited"
        now = cpu_seconds(proc.pid)
        if now is None or now - used < (time.monotonic() - looked) / 20:
            return "idle"
        used = now
    return "busy" if used is not None and busy_grace > 0 else "idle"


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the process's whole group (it leads its own session: see `start`), then reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        pass


def start(argv: Sequence[str], **popen: object) -> subprocess.Popen:
    """Popen in a new session with no terminal input."""
    popen.setdefault("stdin", subprocess.DEVNULL)
    return subprocess.Popen(list(argv), start_new_session=True, **popen)  # type: ignore[call-overload]


def run(argv: Sequence[str], *, timeout: float, env: Mapping[str, str] | None = None, cwd: str | None = None,
        merge_stderr: bool = False, text: bool = True, busy_grace: float = 0) -> subprocess.CompletedProcess:
    """Run to completion like subprocess.run(capture_output=True): raises subprocess.TimeoutExpired (after
    killing the group) when `timeout` passes (up to `busy_grace` seconds later while the program still uses the
    CPU: see _exited_or_idle), OSError when the program cannot start."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = start(argv, stdout=out, stderr=subprocess.STDOUT if merge_stderr else err,
                     env=dict(env) if env is not None else None, cwd=cwd)
        began = time.monotonic()
        try:
            state = _exited_or_idle(proc, timeout, busy_grace)
        finally:
            kill_group(proc)   # also on Ctrl-C: nothing keeps running behind us
        outputs = []
        for f in (out, err):
            f.seek(0)
            data = f.read()
            outputs.append(data.decode("utf-8", "replace") if text else data)
    if state != "exited":
        # the time it was given: more than `timeout` when it was still working then
        waited = max(timeout, round(time.monotonic() - began)) if state == "busy" else timeout
        raise subprocess.TimeoutExpired(list(argv), waited, outputs[0], outputs[1])
    return subprocess.CompletedProcess(list(argv), proc.returncode, outputs[0], outputs[1])


class Kept(tuple):
    """call_keeping_errors' (exit code, kept stderr), which also says whether the program printed anything at all
    (`printed`: on stdout or stderr)."""

    printed: bool = True


def call_keeping_errors(argv: Sequence[str], *, timeout: float, env: Mapping[str, str] | None = None,
                        cwd: str | None = None, keep: int = 65536) -> Kept:
    """Run to completion with the output going where ours goes (a step the user watches, such as migrations),
    its stderr also kept (its last `keep` bytes) for the error Shipyard reports: stdout and stderr go to files
    (see above), copied to ours as they grow, so whether it printed anything at all is known too (a release that
    exits 1 saying nothing is not reported as "its error is above"). A Python program's output is unbuffered
    there (PYTHONUNBUFFERED), so it still comes as it is written. Raises subprocess.TimeoutExpired after killing
    the group."""
    environ = dict(env if env is not None else os.environ)
    environ.setdefault("PYTHONUNBUFFERED", "1")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = start(argv, stdout=out, stderr=err, env=environ, cwd=cwd)
        copied = {id(out): 0, id(err): 0}
        deadline = time.monotonic() + timeout

        def copy() -> None:
            for file, ours in ((out, sys.stdout), (err, sys.stderr)):
                file.seek(copied[id(file)])
                data = file.read()
                copied[id(file)] += len(data)
                if data:
                    ours.flush()
                    ours.buffer.write(data) if hasattr(ours, "buffer") else \
                        ours.write(data.decode("utf-8", "replace"))
                    ours.flush()
        try:
            while not (finished := _exited(proc, min(0.2, max(0.0, deadline - time.monotonic())))):
                copy()
                if time.monotonic() >= deadline:
                    break
        finally:
            kill_group(proc)
        copy()
        err.seek(max(0, copied[id(err)] - keep))
        kept = err.read().decode("utf-8", "replace")
        printed = any(copied.values())
    if not finished:
        raise subprocess.TimeoutExpired(list(argv), timeout)
    done = Kept((proc.returncode, kept))
    done.printed = printed
    return done
