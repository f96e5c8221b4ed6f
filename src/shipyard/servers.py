"""Which application server serves which kind of app, as data.

An app's interface (Plan.entry.interface) is WSGI, ASGI, or a framework's own protocol (aiohttp,
tornado: neither WSGI nor ASGI, so granian and uWSGI cannot load them). The `server` setting picks
among the servers that can serve it; an app with its own protocol gets its own server by default.
The packages each server needs are listed once, in detect/deps.py SERVER_REQUIREMENTS.
"""

from __future__ import annotations

from .errors import UsageError

# server -> interfaces it can load
SERVES: dict[str, tuple[str, ...]] = {
    "granian": ("wsgi", "asgi"),        # granian also has RSGI, which no framework here speaks
    "gunicorn": ("wsgi", "asgi", "aiohttp"),   # asgi: uvicorn's worker; aiohttp: aiohttp's GunicornWebWorker
    "uwsgi": ("wsgi",),
    "tornado": ("tornado",),            # tornado's HTTPServer, run by the generated shipyard_runtime.py
}
# The server an interface gets when the user has not chosen one (else the `server` setting's default).
DEFAULT_FOR: dict[str, str] = {"aiohttp": "gunicorn", "tornado": "tornado"}
# gunicorn's worker class per interface (WSGI: gunicorn's own threads).
GUNICORN_WORKERS: dict[str, str] = {
    # uvicorn's own `uvicorn.workers` is deprecated (uvicorn >= 0.30 warns); its maintained home is
    # the `uvicorn-worker` package
    "asgi": "uvicorn_worker.UvicornWorker",
    "aiohttp": "aiohttp.GunicornWebWorker",
}
# Interfaces whose servers speak WebSocket behind nginx (nginx must pass the Upgrade header).
WEBSOCKET = frozenset({"asgi", "aiohttp", "tornado"})


def default_for(interface: str) -> str | None:
    return DEFAULT_FOR.get(interface)


def check(server: str, interface: str, target: str) -> None:
    """Raise UsageError, with the servers that would work, when `server` cannot load this app."""
    if interface in SERVES.get(server, ()):
        return
    able = [name for name, interfaces in SERVES.items() if interface in interfaces]
    kind = {"wsgi": "a WSGI app", "asgi": "an ASGI app"}.get(interface, f"an {interface} app (neither WSGI nor ASGI)")
    raise UsageError(f"{server} cannot serve {target}: it is {kind}",
                     f"use {' or '.join(f'--server {s}' for s in able)}" if able else "pass --entry to another app")
