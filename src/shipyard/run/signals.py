"""Turn SIGINT/SIGTERM/SIGHUP into a flag the main loop polls: the first asks for a graceful stop, a
second one for an immediate stop."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator


class StopRequest:
    def __init__(self) -> None:
        self.event = threading.Event()
        self.count = 0
        self.signame = ""

    def __call__(self, signum, frame) -> None:
        self.count += 1
        self.signame = signal.Signals(signum).name
        self.event.set()

    @property
    def urgent(self) -> bool:
        return self.count > 1

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
