"""Which application server serves which kind of app, as data.

An app's interface (Plan.entry.interface) is WSGI, ASGI, or a framework's own protocol (aiohttp,
tornado: neither WSGI nor ASGI, so granian and uWSGI cannot load them). The `server` setting picks
among the servers that can serve it; an app with its own protocol gets its own server by default.
The packages each server needs are listed once, in detect/deps.py SERVER_REQUIREMENTS.
"""

from __future__ import annotations

from .errors import UsageError

# Distributions that are application servers: an app's own pin of one (uWSGI in a pip freeze, built from C source
# for a minute) is not needed to import the app, unless its code imports it (uvicorn.run under __main__)
SERVER_DISTRIBUTIONS = frozenset({"gunicorn", "uwsgi", "pyuwsgi", "granian", "waitress", "hypercorn", "daphne",
                                  "uvicorn", "meinheld", "bjoern", "cheroot", "cherrypy",
                                  # Apache's mod_wsgi (mod_wsgi-express), pinned by apps an Apache vhost loads through
                                  # a .wsgi file: it builds only against Apache's apxs and headers (or, standalone,
                                  # compiles all of httpd)
                                  "mod-wsgi", "mod-wsgi-standalone", "mod-wsgi-httpd"})

# server -> interfaces it can load
SERVES: dict[str, tuple[str, ...]] = {
    "granian": ("wsgi", "asgi"),        # granian also has RSGI, which no framework here speaks
    # asgi: uvicorn's worker; aiohttp: aiohttp's GunicornWebWorker; sanic: Sanic's own worker (Sanic before 19.6,
    # which speaks no ASGI)
    "gunicorn": ("wsgi", "asgi", "aiohttp", "sanic"),
    "uwsgi": ("wsgi",),
    "tornado": ("tornado",),            # tornado's HTTPServer, run by the generated shipyard_runtime.py
    "aiohttp": ("aiohttp",),            # aiohttp's own server, as a script entry starts it (web.run_app)
}
# Servers that only a script entry (kind "script": the app's code starts its server) runs: nothing of Shipyard's
# starts them on an app object.
SCRIPT_ONLY = frozenset({"aiohttp"})
# The server a script entry runs, per interface: the framework's own, which its code starts.
SCRIPT_SERVERS: dict[str, str] = {"tornado": "tornado", "aiohttp": "aiohttp"}
# The server an interface gets when the user has not chosen one (else the `server` setting's default).
DEFAULT_FOR: dict[str, str] = {"aiohttp": "gunicorn", "sanic": "gunicorn", "tornado": "tornado"}
# gunicorn's worker class per interface (WSGI: gunicorn's own threads).
GUNICORN_WORKERS: dict[str, str] = {
    # uvicorn's own `uvicorn.workers` is deprecated (uvicorn >= 0.30 warns); its maintained home is
    # the `uvicorn-worker` package
    "asgi": "uvicorn_worker.UvicornWorker",
    "aiohttp": "aiohttp.GunicornWebWorker",
    "sanic": "sanic.worker.GunicornWorker",
}
# On a Python the uvicorn-worker package does not support (3.7 and older, where its 0.1 is an empty placeholder):
# uvicorn's own worker, from the newest uvicorn that installs there. worker class -> (its fallback, the package
# that provides the fallback in place of the worker's own).
LEGACY_GUNICORN_WORKERS: dict[str, tuple[str, str]] = {
    "uvicorn_worker.UvicornWorker": ("uvicorn.workers.UvicornWorker", "uvicorn"),
}
LEGACY_WORKER_PACKAGES: dict[str, str] = {"uvicorn-worker": "uvicorn"}
# The oldest Python the server packages' floors install on (gunicorn 23: 3.7; uvicorn-worker 0.2: 3.8). An image of
# an app on an older Python installs what serve's install falls back to there (run/appenv.py): the newest gunicorn
# from its configuration's floor (deps.CONFIG_FLOORS), and uvicorn's own worker for uvicorn-worker.
PACKAGE_PYTHON: dict[str, tuple[int, int]] = {"gunicorn": (3, 7), "uvicorn-worker": (3, 8)}
# gunicorn's worker class for a WSGI app that monkey-patches itself at import (Entry.cooperative): the
# worker of the same library, which runs each request in a greenlet of the patched process.
COOPERATIVE_WORKERS: dict[str, str] = {"gevent": "gevent"}


def gunicorn_worker(interface: str, cooperative: str | None = None) -> str | None:
    """gunicorn's worker class for the app, or None for gunicorn's own (sync/gthread)."""
    if interface == "wsgi" and cooperative in COOPERATIVE_WORKERS:
        return COOPERATIVE_WORKERS[cooperative]
    return GUNICORN_WORKERS.get(interface)


# Interfaces whose servers speak WebSocket behind nginx (nginx must pass the Upgrade header).
WEBSOCKET = frozenset({"asgi", "aiohttp", "sanic", "tornado"})


# The oldest Python the server releases Shipyard accepts install on: granian 2.6 (deps.GRANIAN_FLOOR, the first
# with --uds-permissions) has no wheel for 3.9, where uv would settle on a 2.5 that refuses that flag. An app
# on an older Python gets gunicorn, which still supports it, instead of a server that cannot start.
OLDEST_PYTHON: dict[str, tuple[int, int]] = {"granian": (3, 10)}
DEFAULT_SERVER = "granian"     # the `server` setting's default (settings.py)


# Entry kinds granian cannot load: a Pyramid paste .ini is read by gunicorn's --paste (and uWSGI's).
DEFAULT_FOR_KIND: dict[str, str] = {"paste": "gunicorn"}


def default_for(interface: str, python: str | None = None, kind: str | None = None,
                cooperative: str | None = None, in_package: bool = False) -> str | None:
    """The server an app gets when the user chose none, or None for the setting's default. `kind`: the
    entry's (Entry.kind), as a paste .ini needs a server that reads it; `cooperative`: the library the app
    monkey-patches itself with (Entry.cooperative), which only gunicorn's worker of that library serves;
    `in_package`: the folder the app runs from holds an __init__.py (or is imported as a root package)."""
    if kind == "script" and interface in SCRIPT_SERVERS:
        return SCRIPT_SERVERS[interface]
    chosen = DEFAULT_FOR.get(interface) or DEFAULT_FOR_KIND.get(kind or "")
    if chosen is None and interface == "wsgi" and cooperative in COOPERATIVE_WORKERS:
        return "gunicorn"
    if chosen is None and in_package:
        # granian imports its target as a submodule of every package folder above it (Flask's prepare_import):
        # from a folder with an __init__.py, `fromedwin.wsgi` becomes `src.fromedwin.wsgi`, which runs that
        # __init__.py first (a stray one importing a missing module) and fails for a folder named with dashes;
        # gunicorn imports the target as named
        return "gunicorn"
    if chosen is None and python and _version(python) < OLDEST_PYTHON[DEFAULT_SERVER]:
        return "gunicorn"
    return chosen


def too_old_note(interface: str, python: str | None, kind: str | None = None) -> str | None:
    if default_for(interface, python, kind) == "gunicorn" and DEFAULT_FOR.get(interface) is None \
            and DEFAULT_FOR_KIND.get(kind or "") is None:
        oldest = ".".join(map(str, OLDEST_PYTHON[DEFAULT_SERVER]))
        return (f"Python {python} is older than {DEFAULT_SERVER} supports ({oldest}+): gunicorn serves the app "
                f"(--server to choose)")
    return None


def _version(text: str) -> tuple[int, int]:
    parts = text.split(".")
    try:
        return int(parts[0]), int(parts[1]) if len(parts) > 1 else 0
    except ValueError:
        return (99, 0)


def check(server: str, interface: str, target: str, kind: str | None = None) -> None:
    """Raise UsageError, with the servers that would work, when `server` cannot load this app."""
    if interface in SERVES.get(server, ()) and (server not in SCRIPT_ONLY or kind == "script"):
        return
    able = [name for name, interfaces in SERVES.items() if interface in interfaces and name not in SCRIPT_ONLY]
    if server in SCRIPT_ONLY and interface in SERVES[server]:
        raise UsageError(f"{server}'s own server runs only a script that starts it, and {target} is an app object",
                         f"use {' or '.join(f'--server {s}' for s in able)}")
    kind = {"wsgi": "a WSGI app", "asgi": "an ASGI app", "sanic": "a Sanic app from before Sanic 19.6 (no ASGI)"
            }.get(interface, f"an {interface} app (neither WSGI nor ASGI)")
    raise UsageError(f"{server} cannot serve {target}: it is {kind}",
                     f"use {' or '.join(f'--server {s}' for s in able)}" if able else "pass --entry to another app")
