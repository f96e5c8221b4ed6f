"""Turn SIGINT/SIGTERM/SIGHUP into a flag the main loop polls: the first asks for a graceful stop; a second
Ctrl-C (SIGINT) for an immediate one. A repeated SIGTERM stays graceful: tools such as `timeout` send it to
the process and to its group, and a process manager escalates to SIGKILL itself."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator


class StopRequest:
    def __init__(self) -> None:
        self.event = threading.Event()
        self.interrupts = 0
        self.signame = ""
        self.signum = 0

    def __call__(self, signum, frame) -> None:
        self.interrupts += signum == signal.SIGINT
        self.signame = signal.Signals(signum).name
        self.signum = signum
        self.event.set()

    @property
    def urgent(self) -> bool:
        return self.interrupts > 1

    def wait(self, seconds: float) -> bool:
        return self.event.wait(seconds)


@contextmanager
def stop_signals() -> Iterator[StopRequest]:
    request = StopRequest()
    sigs = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {s: signal.signal(s, request) for s in sigs}
    try:
        yield request
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
