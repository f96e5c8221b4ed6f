"""Turn SIGINT/SIGTERM/SIGHUP into a flag the main loop polls: the first asks for a graceful stop; a second
Ctrl-C (SIGINT) for an immediate one. A repeated SIGTERM stays graceful: tools such as `timeout` send it to
the process and to its group, and a process manager escalates to SIGKILL itself.

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
