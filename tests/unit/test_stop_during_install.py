"""A stop signal during a long install ends it: the installer runs in its own session (no Ctrl-C from the
terminal and no group kill from `timeout` reaches it), so serve's wait loop must end it itself; before, a serve
sent SIGTERM went on installing for minutes."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

# stands in for serve: the stop_signals block, then an install step that would run for a minute
SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from shipyard.environments import _run_logged
    from shipyard.run.signals import Stopped, stop_signals
    child = ("import os, sys, time; open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(60)")
    with stop_signals():
        try:
            _run_logged([sys.executable, "-c", child, sys.argv[1]], log=Path(sys.argv[2]), timeout=120, say=None,
                        what="installing the app's dependencies")
        except Stopped as exc:
            print(f"{exc} ({exc.signum})")
            sys.exit(3)
    print("install finished")
""")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_sigterm_during_an_install_ends_the_installer_and_says_so(tmp_path):
    pid_file, log = tmp_path / "child.pid", tmp_path / "install.log"
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(pid_file), str(log)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(SRC)})
    try:
        deadline = time.monotonic() + 60
        while not (pid_file.exists() and pid_file.read_text()) and time.monotonic() < deadline:
            time.sleep(0.1)
        child = int(pid_file.read_text())
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
        took = time.monotonic() - started
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 3, out + err
    assert out.strip() == f"stopped by SIGTERM while installing the app's dependencies ({signal.SIGTERM.value})"
    assert took < 10, took
    for _ in range(50):      # the installer's whole session is killed, not left to finish its minute
        if not _alive(child):
            break
        time.sleep(0.1)
    assert not _alive(child)


def test_outside_a_stop_signals_block_nothing_is_asked():
    from shipyard.run.signals import raise_if_stopped
    raise_if_stopped("installing")      # no block open (inspect, init): the terminal's Ctrl-C does the work
