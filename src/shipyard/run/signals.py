"""Turn SIGINT/SIGTERM/SIGHUP into a flag the main loop polls: the first asks for a graceful stop; a second
Ctrl-C (SIGINT) for an immediate one. A repeated SIGTERM stays graceful: tools such as `timeout` send it to
the process and to its group, and a process manager escalates to SIGKILL itself.

Work that waits on a child of its own for minutes (an install in its own session, which the terminal's Ctrl-C
and `timeout`'s group kill do not reach) asks `raise_if_stopped()` as it polls, and stops with Stopped.

The handler only assigns attributes: Python runs it between bytecodes of the main thread, so a handler that
takes a lock (threading.Event.set) can interrupt a frame that holds that lock already (a second signal during
the first handler's set(), or during wait()) and deadlock serve for good. Waiting polls the flag instead."""

from __future__ import annotations

import signal
import time
from contextlib import contextmanager
from typing import Iterator


class StopRequest:
    def __init__(self) -> None:
        self.interrupts = 0
        self.signame = ""
        self.signum = 0

    def __call__(self, signum, frame) -> None:
        self.interrupts += signum == signal.SIGINT
        self.signame = signal.Signals(signum).name
        self.signum = signum

    @property
    def requested(self) -> bool:
        return self.signum != 0

    @property
    def urgent(self) -> bool:
        return self.interrupts > 1

    def wait(self, seconds: float) -> bool:
        """True once a stop is asked for, else False after `seconds`; polls in short sleeps (see above)."""
        deadline = time.monotonic() + seconds
        while not self.requested:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(left, 0.05))
        return True


class Stopped(KeyboardInterrupt):
    """A stop signal arrived while a long step ran: the step's child is gone; the command exits 128 + signum."""

    def __init__(self, signum: int, what: str) -> None:
        super().__init__(f"stopped by {signal.Signals(signum).name} while {what}")
        self.signum = signum


# the requests of the stop_signals blocks now open, innermost last (signal handlers are process-wide too)
_active: list[StopRequest] = []


def raise_if_stopped(what: str) -> None:
    """Raise Stopped when a stop_signals block is open and a stop was asked for; else nothing."""
    if _active and _active[-1].requested:
        raise Stopped(_active[-1].signum, what)


@contextmanager
def stop_signals() -> Iterator[StopRequest]:
    request = StopRequest()
    sigs = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {s: signal.signal(s, request) for s in sigs}
    _active.append(request)
    try:
        yield request
    finally:
        _active.remove(request)
        for s, handler in previous.items():
            signal.signal(s, handler)
