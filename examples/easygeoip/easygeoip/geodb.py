"""The GeoLite2 City reader: opened lazily, once per process.

gunicorn may import the app in its master (--preload) and then fork workers; a reader opened in the
master would be shared by every worker through the fork. Opening on first use, and again whenever the
process id changes, gives each worker its own reader.
"""

from __future__ import annotations

import os
import threading

import maxminddb


def packaged_database_path() -> str:
    """The GeoLite2-City.mmdb shipped in the maxminddb-geolite2 wheel."""
    from geolite2 import geolite2_database
    return geolite2_database()


class GeoDatabase:
    def __init__(self, path: str | None = None):
        self.path = path or packaged_database_path()
        self._reader = None
        self._pid = None
        self._lock = threading.Lock()

    def reader(self) -> maxminddb.Reader:
        if self._reader is None or self._pid != os.getpid():
            with self._lock:
                if self._reader is None or self._pid != os.getpid():
                    self._reader = maxminddb.open_database(self.path)
                    self._pid = os.getpid()
        return self._reader

    def get(self, address: str) -> dict | None:
        return self.reader().get(address)

    def describe(self) -> dict:
        meta = self.reader().metadata()
        return {"type": meta.database_type, "build_epoch": meta.build_epoch}
