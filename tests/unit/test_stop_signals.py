"""serve's stop flag under a burst of signals: a handler that takes a lock (threading.Event.set) deadlocked serve
for good when a second Ctrl-C arrived while the first handler held it; the flag must stay lock-free."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

# The child waits as serve does: for a stop, then (a graceful stop in progress) for a second Ctrl-C.
CHILD = textwrap.dedent("""
    import sys, time
    from shipyard.run.signals import stop_signals
    with stop_signals() as stop:
        print("ready", flush=True)
        while not stop.wait(0.5):
            pass
        deadline = time.monotonic() + 20
        while not stop.urgent and time.monotonic() < deadline:
            stop.wait(0.05)
        print("stopped", stop.signame, stop.urgent, flush=True)
""")


def test_a_burst_of_interrupts_from_another_process_never_hangs_the_stop() -> None:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert child.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + 15
        sent = 0
        # Bounded in count and time: thousands of SIGINTs land while a handler is running, as a key held down does.
        while sent < 20000 and child.poll() is None and time.monotonic() < deadline:
            try:
                os.kill(child.pid, signal.SIGINT)
            except ProcessLookupError:
                break
            sent += 1
        out, _ = child.communicate(timeout=25)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert out.split()[:3] == ["stopped", "SIGINT", "True"], out


def test_one_signal_asks_for_a_graceful_stop_and_wait_times_out_without_one() -> None:
    from shipyard.run.signals import StopRequest

    stop = StopRequest()
    started = time.monotonic()
    assert stop.wait(0.2) is False
    assert time.monotonic() - started >= 0.19
    assert not stop.requested
    stop(signal.SIGTERM, None)
    assert stop.requested and stop.wait(5) is True
    assert stop.signame == "SIGTERM" and not stop.urgent
    stop(signal.SIGINT, None)
    stop(signal.SIGINT, None)
    assert stop.urgent
