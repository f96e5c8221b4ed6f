"""Bounded, constant load against a URL on 127.0.0.1 while a Swarm stack rolls out (tests/integration/
test_swarm.py and bench/swarm.py): every request is counted, and what each answer said is kept."""

from __future__ import annotations

import collections
import http.client
import threading
import time
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    sent: int = 0
    failed: int = 0                       # connection errors and answers of 500 or more
    seconds: float = 0.0
    markers: collections.Counter = field(default_factory=collections.Counter)   # marker -> answers with it
    errors: collections.Counter = field(default_factory=collections.Counter)    # why requests failed

    def to_dict(self) -> dict:
        return {"sent": self.sent, "failed": self.failed, "seconds": round(self.seconds, 1),
                "markers": dict(self.markers), "errors": dict(self.errors)}


class Load:
    """`clients` threads, each one keep-alive connection sending GET `path` every `pause` seconds, until
    stop() or `max_seconds`. An answer counts as the first marker found in its body."""

    def __init__(self, port: int, path: str = "/", *, clients: int = 4, pause: float = 0.02,
                 max_seconds: float = 300, markers: tuple[str, ...] = ()) -> None:
        self.port, self.path, self.pause, self.max_seconds = port, path, pause, max_seconds
        self.markers = markers
        self.result = LoadResult()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._client, daemon=True) for _ in range(clients)]
        self._started = 0.0

    def __enter__(self) -> "Load":
        self._started = time.monotonic()
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> LoadResult:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=30)
        self.result.seconds = time.monotonic() - self._started
        return self.result

    def _count(self, failed: bool, marker: str | None = None, error: str | None = None) -> None:
        with self._lock:
            self.result.sent += 1
            self.result.failed += failed
            if marker:
                self.result.markers[marker] += 1
            if error:
                self.result.errors[error] += 1

    def _client(self) -> None:
        deadline = time.monotonic() + self.max_seconds
        conn = None
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
                conn.request("GET", self.path)
                response = conn.getresponse()
                body = response.read().decode(errors="replace")
                marker = next((m for m in self.markers if m in body), None)
                failed = response.status >= 500
                self._count(failed, marker, f"HTTP {response.status}" if failed else None)
                if response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as exc:
                self._count(True, error=type(exc).__name__)
                if conn is not None:
                    conn.close()
                conn = None
                time.sleep(0.1)
            time.sleep(self.pause)
        if conn is not None:
            conn.close()
