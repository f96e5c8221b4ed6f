"""Import check, run as `python -c <this file's text> <spec json>` with the APP's interpreter, from the
app's workdir, in its own process. Stand-alone on purpose: it must not import Shipyard (which is not
installed in the app's environment), and it runs with `-c` so the folder of this file is not put on
sys.path (the app's own modules could be shadowed).

It imports the entry as a server would (the module's __name__ is its dotted name, never "__main__"),
calls factories, loads Django through its wsgi module and Pyramid through its paste .ini, and checks that
the result is a WSGI or ASGI callable. Development servers started at import (app.run(), bottle.run(),
make_server(...).serve_forever(), uvicorn.run(), ...) are turned into no-ops first and reported, so a
module that starts one can never hang the check. The result is written as JSON to spec["out"].
"""

import ast
import importlib
import importlib.abc
import inspect
import json
import linecache
import os
import re
import socket
import sys
import traceback

# --- dev-server patches: also embedded in the generated shipyard_entry.py (render.py reads this section) ---
SERVERS = []          # server starts that were intercepted: "app.run() at app.py:12"


def _caller(depth=2):
    frame = sys._getframe(depth)
    path = frame.f_code.co_filename
    try:
        path = os.path.relpath(path)
    except ValueError:
        pass
    return "%s:%d" % (path, frame.f_lineno)


# the modules whose import a server start at their top level ends (shipyard_entry.py names the entry's): a
# script's web.run_app(app) returns only when the server stops, so what follows it is the script's shutdown
# (a 2021 aiohttp imageboard's `db.stop()`, closing the SQLite connection every request then needs)
STOP_AT = []


class StartReached(BaseException):
    """Raised by a server start made at the top level of a module of STOP_AT: `module` is that module, made
    up to the start (a BaseException, so the script's own `except Exception` does not swallow it)."""

    def __init__(self, module):
        BaseException.__init__(self, getattr(module, "__name__", "?"))
        self.module = module


def _stop_at_start(depth=2):
    """Raise StartReached when the start was called from the top level of a module STOP_AT names."""
    frame = sys._getframe(depth)
    name = frame.f_globals.get("__name__")
    if STOP_AT and frame.f_code.co_name == "<module>" and name in STOP_AT and name in sys.modules:
        raise StartReached(sys.modules[name])


def _no_op(what):
    def start(*args, **kwargs):
        SERVERS.append("%s at %s" % (what, _caller()))
        _stop_at_start()
    return start


# the apps whose own run() was made a no-op, in order: a script that makes its app in the function its `__main__`
# block calls (swagger-codegen's `def main(): app = connexion.App(...); app.run(port=8080)`) leaves no app in its
# globals, only the one it ran (connexion 2's run() runs its Flask app's)
RUN_APPS = []


def _no_op_run(what):
    def run(self, *args, **kwargs):
        RUN_APPS.append(self)
        SERVERS.append("%s at %s" % (what, _caller()))
        _stop_at_start()
    return run


def main_app(module, attr):
    """The app a script run as __main__ leaves: its global `attr` (a dotted path: `app.server`), or, where it
    left no such global, the last app whose run() it called."""
    if not hasattr(module, attr.split(".")[0]) and RUN_APPS:
        return RUN_APPS[-1]
    obj = module
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


class _StubServer:
    """What a neutralized make_server() returns: serving does nothing."""

    def __init__(self, where):
        self.where = where

    def serve_forever(self, *args, **kwargs):
        SERVERS.append("make_server(...).serve_forever() at %s" % _caller())

    handle_request = serve_forever

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


def _make_server(*args, **kwargs):
    return _StubServer(_caller())


def _patch_flask(m):
    m.Flask.run = _no_op_run("app.run()")


def _patch_dash(m):
    m.Dash.run = _no_op_run("app.run()")
    if hasattr(m.Dash, "run_server"):
        m.Dash.run_server = _no_op_run("app.run_server()")


def _patch_bottle(m):
    m.run = _no_op("bottle.run()")
    m.Bottle.run = _no_op_run("app.run()")


# True in the generated shipyard_entry.py, which serves the app: there CherryPy's engine is started without its
# HTTP server, as CherryPy's docs say to host it under another WSGI server, so the plugins the app subscribes
# run (a Jinja2 template plugin that registers its template lookup in start(), which a tool then asks for on
# every page). The import check never starts it.
SERVING = False
# plugins of a launcher, not of a server's worker: never started there
_LAUNCHER_PLUGINS = ("Daemonizer", "DropPrivileges", "PIDFile")


def _start_cherrypy_engine(m):
    engine = m.engine
    if not SERVING or engine.state in (engine.states.STARTING, engine.states.STARTED):
        return
    m.server.unsubscribe()                 # the production server listens, not CherryPy's
    engine.autoreload.unsubscribe()
    for channel, listeners in list(engine.listeners.items()):
        for listener in list(listeners):
            if type(getattr(listener, "__self__", None)).__name__ in _LAUNCHER_PLUGINS:
                engine.unsubscribe(channel, listener)
    engine.shipyard_start()                # the engine's own start, kept by _patch_cherrypy


def _patch_cherrypy(m):
    """quickstart() only mounts the app on cherrypy.tree (what the server then serves), as it does before
    starting CherryPy's own server; the engine starts only when serving (SERVING), without that server."""
    def quickstart(root=None, script_name="", config=None):
        SERVERS.append("cherrypy.quickstart() at %s" % _caller())
        if config:
            m.config.update(config)
        m.tree.mount(root, script_name, config)
        _start_cherrypy_engine(m)

    def engine_start():
        SERVERS.append("cherrypy.engine.start() at %s" % _caller())
        _start_cherrypy_engine(m)
        _stop_at_start()
    m.quickstart = quickstart
    if not hasattr(m.engine, "shipyard_start"):         # patched once: the start kept is CherryPy's own
        m.engine.shipyard_start = m.engine.start
    m.engine.start = engine_start
    m.engine.block = _no_op("cherrypy.engine.block()")


def _patch_webpy(m):
    if isinstance(getattr(m, "application", None), type):    # web.py's, not a project's own `web` package
        m.application.run = _no_op("app.run()")


def _patch_tornado_server(m):
    """HTTPServer(app).listen(port), or its bind() then start(): tornado's other way to serve an Application (the
    way its docs run several processes). The production server hands its own sockets to an HTTPServer
    (add_sockets), which stays as it is."""
    m.TCPServer.listen = _no_op("HTTPServer(...).listen()")
    m.TCPServer.bind = _no_op("HTTPServer(...).bind()")
    m.TCPServer.start = _no_op("HTTPServer(...).start()")


def _held_loop_start(start):
    """IOLoop.current().start() called by the app's own code (a `__main__` block run for its setup, after its
    server start was made a no-op): with nothing left to serve it would run forever, so it returns at once.
    tornado's own calls (run_sync()) and Shipyard's runtime, which serves the app on this loop, start it."""
    if getattr(start, "shipyard_held", False):
        return start

    def held(self, *args, **kwargs):
        frame = sys._getframe(1)
        name = frame.f_globals.get("__name__") or ""
        if name == "tornado" or name.startswith("tornado.") or \
                os.path.basename(frame.f_code.co_filename) == "shipyard_runtime.py":
            return start(self, *args, **kwargs)
        SERVERS.append("IOLoop.start() at %s" % _caller())
        _stop_at_start()
    held.shipyard_held = True
    return held


def _patch_tornado_loops(m):
    """Hold the start of each IOLoop class the module defines (tornado 4's PollIOLoop, 5+'s asyncio ones)."""
    base = getattr(sys.modules.get("tornado.ioloop"), "IOLoop", None)
    for cls in list(vars(m).values()):
        if isinstance(cls, type) and base is not None and issubclass(cls, base) and "start" in vars(cls):
            cls.start = _held_loop_start(vars(cls)["start"])


PATCHES = {
    "flask": _patch_flask,
    "dash": _patch_dash,
    "bottle": _patch_bottle,
    "cherrypy": _patch_cherrypy,
    "web": _patch_webpy,
    "werkzeug.serving": lambda m: setattr(m, "run_simple", _no_op("run_simple()")),
    "uvicorn": lambda m: setattr(m, "run", _no_op("uvicorn.run()")),
    "waitress": lambda m: setattr(m, "serve", _no_op("waitress.serve()")),
    "paste.httpserver": lambda m: setattr(m, "serve", _no_op("httpserver.serve()")),
    "aiohttp.web": lambda m: setattr(m, "run_app", _no_op("web.run_app()")),
    "sanic": lambda m: setattr(m.Sanic, "run", _no_op_run("app.run()")),
    "quart": lambda m: setattr(m.Quart, "run", _no_op_run("app.run()")),
    "tornado.web": lambda m: setattr(m.Application, "listen", _no_op("app.listen()")),
    "tornado.tcpserver": _patch_tornado_server,
    "tornado.ioloop": _patch_tornado_loops,
    "tornado.platform.asyncio": _patch_tornado_loops,
    # socketio.run(app): Flask-SocketIO's server (refused outside a terminal since 5.3, else it serves)
    "flask_socketio": lambda m: setattr(m.SocketIO, "run", _no_op("socketio.run()")),
}


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader, patch):
        self.loader = loader
        self.patch = patch

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        try:
            self.patch(module)
        except Exception:   # an unknown version of the framework: leave it as it is
            pass


class _PatchingFinder(importlib.abc.MetaPathFinder):
    """Patch the modules in PATCHES right after they are first imported, so unused frameworks are
    never imported by the check itself."""

    def find_spec(self, name, path=None, target=None):
        if name not in PATCHES:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _PatchingLoader(spec.loader, PATCHES[name])
                return spec
        return None


def disable_dev_servers():
    """Make development-server starts at import into no-ops (they are recorded in SERVERS)."""
    import socketserver
    import wsgiref.simple_server
    socketserver.BaseServer.serve_forever = _no_op("serve_forever()")
    wsgiref.simple_server.make_server = _make_server
    for name, patch in PATCHES.items():
        if name in sys.modules:
            patch(sys.modules[name])
    sys.meta_path.insert(0, _PatchingFinder())


# Development tools a factory for development imports (aiohttp-devtools' `get_app()` sets up the debug
# toolbar, then returns the production app). When one is not installed, as in production, it gets a stand-in
# that does nothing, so the app is served without it.
DEV_TOOLS = ("aiohttp_debugtoolbar", "flask_debugtoolbar")


class _Nothing:
    """What a stand-in gives for any name: calling it, or anything it returns, does nothing."""

    def __call__(self, *args, **kwargs):
        return self

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self


def _stand_in_attr(name):
    if name.startswith("__"):     # not a package, no __path__: its submodules stay missing
        raise AttributeError(name)
    return _Nothing()


class _StandInLoader(importlib.abc.Loader):
    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.__getattr__ = _stand_in_attr


class _StandInFinder(importlib.abc.MetaPathFinder):
    """Last on sys.meta_path, so it is asked only for a module no other finder has: one not installed."""

    def __init__(self, names):
        self.names = frozenset(names)

    def find_spec(self, name, path=None, target=None):
        if name not in self.names:
            return None
        import importlib.machinery
        return importlib.machinery.ModuleSpec(name, _StandInLoader())


def stand_in_for(names):
    """Give each of these dev tools (from DEV_TOOLS) a stand-in when it is not installed."""
    sys.meta_path.append(_StandInFinder(name for name in names if name in DEV_TOOLS))
def root_as_package(name):
    """The working directory imported as the package `name`, for an app whose root is a package that imports its
    modules relatively (`from .crud import router` in main.py), run by its author from the folder above."""
    if name in sys.modules:
        return
    import importlib.util
    root = os.getcwd()
    found = importlib.util.spec_from_file_location(name, os.path.join(root, "__init__.py"),
                                                   submodule_search_locations=[root])
    package = importlib.util.module_from_spec(found)
    sys.modules[name] = package
    try:
        found.loader.exec_module(package)
    except BaseException:
        del sys.modules[name]
        raise


def load_wsgi_file(name, path):
    """A mod_wsgi script file (`api.wsgi`, Python that mod_wsgi loads by its path) loaded as the module `name`:
    Python imports only .py files by name, so its loader is given the file's path, and the module goes into
    sys.modules, where importing `name` then finds it."""
    if name in sys.modules:
        return sys.modules[name]
    import importlib.machinery
    import importlib.util
    path = os.path.abspath(path)
    loader = importlib.machinery.SourceFileLoader(name, path)
    found = importlib.util.spec_from_file_location(name, path, loader=loader)
    module = importlib.util.module_from_spec(found)
    sys.modules[name] = module
    try:
        loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


# --- end of dev-server patches ---


def hold_script_servers():
    """For a script entry, whose import is its proof: one that serves at import, with no `__main__` guard (the
    aiohttp tutorial's `loop.run_until_complete(init(loop))`, whose init() starts a TCPSite, then
    `loop.run_forever()`), neither binds its sites nor runs its loop forever here; both are recorded. The
    loop's own run_forever (under run_until_complete, asyncio.run) runs as it is."""
    import asyncio.base_events
    run_forever = asyncio.base_events.BaseEventLoop.run_forever
    own = os.path.normcase(asyncio.base_events.__file__)

    def held(self):
        if os.path.normcase(sys._getframe(1).f_code.co_filename) == own:
            return run_forever(self)
        SERVERS.append("loop.run_forever() at %s" % _caller())

    async def no_site(self, *args, **kwargs):
        SERVERS.append("site.start() at %s" % _caller())

    asyncio.base_events.BaseEventLoop.run_forever = held
    PATCHES["aiohttp.web_runner"] = lambda m: setattr(m.BaseSite, "start", no_site)


# the workdir the check runs from, taken before the app is imported: an app may chdir at import (into its
# package, to list its blueprints' folders), and paths are said relative to the workdir
_WORKDIR = os.getcwd()


def _where(tb):
    """The deepest frame of the traceback that is in the app's folder, as path:line (relative to the workdir)."""
    cwd = _WORKDIR + os.sep
    found = None
    for frame, line in traceback.walk_tb(tb):
        path = frame.f_code.co_filename           # absolute: the workdir is on sys.path as one ("<frozen os>" is not)
        if path.startswith(cwd) and os.sep + "site-packages" + os.sep not in path:
            found = "%s:%d" % (os.path.relpath(path, _WORKDIR), line)
    return found


def _unparsed_file(exc):
    """For a SyntaxError (IndentationError, TabError) in a file of the app's own, [path, line] of that file: the
    traceback ends at the line importing it (app/__init__.py's `from config import Config`), not where the mistake
    is (config.py's docstring left unindented under `class Config:`, a view module with Python 2's tabs). None
    otherwise."""
    if not isinstance(exc, SyntaxError) or not exc.filename or not exc.lineno:
        return None
    path = os.path.abspath(exc.filename)
    if not path.startswith(_WORKDIR + os.sep) or _SITE in path:
        return None
    return [os.path.relpath(path, _WORKDIR), exc.lineno]


_BARE_CANNOT_IMPORT = re.compile(r"cannot import name '(\w+)'$")
_FROM_IMPORT = re.compile(r"from\s+([A-Za-z_][\w.]*)\s+import\b(.*)", re.S)


def _bare_cannot_import(exc):
    """Python 3.6's "cannot import name 'url_encode'" names no module (3.7 and later add "from 'werkzeug'", and
    set the exception's name): the module of the `from M import ... name` statement that failed, read from the
    deepest frame whose line is one; else None."""
    wanted = _BARE_CANNOT_IMPORT.match(str(exc))
    if wanted is None:
        return None
    for frame, lineno in reversed(list(traceback.walk_tb(exc.__traceback__))):
        path = frame.f_code.co_filename
        # the statement may go on over the next lines (`from werkzeug import (\n    url_encode,\n)`)
        text = " ".join(linecache.getline(path, n).strip() for n in range(lineno, lineno + 4))
        found = _FROM_IMPORT.match(text)
        if found and re.search(r"\b%s\b" % wanted.group(1), found.group(2)):
            return found.group(1)
    return None


def _wrapped_missing_module(exc):
    """The ModuleNotFoundError an installed package's ImportError of its own was raised from or while handling
    (`except ImportError: raise ImportError(msg)`), when the module missing is of another package than the one
    that raised; else None. Not "cannot import name": that one says what is missing itself."""
    if isinstance(exc, ModuleNotFoundError) or not isinstance(exc, ImportError) or \
            str(exc).startswith("cannot import name"):
        return None
    inner = exc.__cause__ or exc.__context__
    if not isinstance(inner, ModuleNotFoundError) or not inner.name:
        return None
    importer = _installed_importer(exc.__traceback__)
    if importer is None or importer == inner.name.split(".")[0]:
        return None
    return inner


def _installed_importer(tb):
    """The top-level name of the installed package whose code made the failing import ("sqlalchemy" for its
    `import urlparse`), or None when the app's own code made it."""
    frames = list(traceback.walk_tb(tb))
    if not frames:
        return None
    path = frames[-1][0].f_code.co_filename
    marker = os.sep + "site-packages" + os.sep
    if marker not in path:
        return None
    top = path.split(marker, 1)[1].split(os.sep)[0]
    return top[:-3] if top.endswith(".py") else top


_SITE = os.sep + "site-packages" + os.sep


def _installed_provider(name, top_level=False):
    """For a missing submodule of an installed package ("django.utils.six" with Django installed): that package's
    release, as _installed_release gives it; else None (a missing top-level package, or one outside site-packages).
    `top_level`: the package itself may be the module (a name `from werkzeug import ...` does not find)."""
    top = name.split(".")[0]
    if top == name and not top_level:
        return None
    try:
        import importlib.util
        spec = importlib.util.find_spec(top)
    except Exception:
        return None
    origin = getattr(spec, "origin", None) or ""
    if _SITE not in origin:
        return None
    try:
        return _installed_release(origin)
    except Exception:
        return None


def _raised_in(exc):
    """The installed package the exception was raised in, as {"package", "distribution", "version"}: the deepest
    frame of the traceback in site-packages with no frame of the app's below it (standard-library frames under it
    are the package's calls), or for a SyntaxError the file that did not parse. None when the app's own code, or
    the standard library alone, raised it."""
    if isinstance(exc, SyntaxError) and exc.filename:
        # the file that did not parse, not the package whose import_module() imported it (Django's, of settings)
        return _installed_release(exc.filename) if _SITE in exc.filename else None
    cwd = _WORKDIR + os.sep
    for frame, _line in reversed(list(traceback.walk_tb(exc.__traceback__))):
        path = frame.f_code.co_filename
        if _SITE in path:
            return _installed_release(path)
        if path.startswith(cwd):
            return None          # the app's own code is the deepest that raised
    return None


def _called_by(exc):
    """The installed release whose code made the call that raised inside another installed package (fastapi-jwt-auth
    0.5's `@validator(..., each_item=True)`, which pydantic 2 rejects with a TypeError), as _installed_release gives
    it: walking up from the deepest site-packages frame (_raised_in's), the first site-packages frame of another
    top-level package. None when the app's own code made the call, or no other installed package did."""
    raiser = None
    cwd = _WORKDIR + os.sep
    for frame, _line in reversed(list(traceback.walk_tb(exc.__traceback__))):
        path = frame.f_code.co_filename
        if _SITE in path:
            top = path.split(_SITE, 1)[1].split(os.sep)[0]
            top = top[:-3] if top.endswith(".py") else top
            if raiser is None:
                raiser = top
            elif top != raiser:
                return _installed_release(path)
        elif path.startswith(cwd):
            return None          # the app's own code raised, or made the call
    return None


def _stdlib_raiser(exc):
    """The standard-library module that raised the exception ("typing"), when the deepest frame of its traceback
    is in the running Python's own library (not site-packages, not the app's folder); else None. Patch releases
    change those modules under old code: typing's check of type arguments got stricter in 3.9.8 and 3.10.1, so
    fastapi-pagination 0.8.1 (June 2021) fails on 3.9.18 though it came out after 3.9.0."""
    frames = list(traceback.walk_tb(exc.__traceback__))
    if not frames:
        return None
    path = frames[-1][0].f_code.co_filename
    stdlib = os.path.dirname(os.__file__) + os.sep
    if not path.startswith(stdlib) or _SITE in path or path.startswith(_WORKDIR + os.sep):
        return None
    return os.path.splitext(os.path.relpath(path, stdlib))[0].replace(os.sep, ".")


def _installed_release(path):
    """{"package", "distribution", "version"} of the installed file `path` (distribution and version from the
    dist-info or egg-info that lists its top-level name; None when none does). Read from the folders, not
    importlib.metadata, which Python 3.7 and older lack."""
    site, rest = path.split(_SITE, 1)
    site += _SITE
    top = rest.split(os.sep)[0]
    package = top[:-3] if top.endswith(".py") else top
    found = {"package": package, "distribution": None, "version": None}
    try:
        names = sorted(os.listdir(site))
    except OSError:
        return found
    first = None
    for name in names:
        if not name.endswith((".dist-info", ".egg-info")):
            continue
        folder = os.path.join(site, name)
        if not os.path.isdir(folder) or package not in _top_levels(folder):
            continue
        # a namespace package (google/ of google-auth, protobuf, googleapis-common-protos) is shared: the
        # distribution whose RECORD lists the file itself, else the first one installing that top-level name
        if _records(folder, rest):
            found["distribution"], found["version"] = _name_and_version(folder, name)
            return found
        if first is None:
            first = (folder, name)
    if first is not None:
        found["distribution"], found["version"] = _name_and_version(*first)
    return found


def _records(folder, relative):
    """Whether the dist-info `folder`'s RECORD lists the installed file `relative` (to site-packages)."""
    wanted = relative.replace(os.sep, "/")
    return any(line.split(",", 1)[0] == wanted for line in _read_lines(os.path.join(folder, "RECORD")))


def _read_lines(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().splitlines()
    except OSError:
        return []


def _top_levels(folder):
    """The top-level names a dist-info or egg-info installs: its top_level.txt, else the first part of each path
    its RECORD lists."""
    names = {line.strip() for line in _read_lines(os.path.join(folder, "top_level.txt")) if line.strip()}
    for line in _read_lines(os.path.join(folder, "RECORD")):
        first = line.split(",", 1)[0].split("/", 1)[0]
        if first and not first.endswith((".dist-info", ".data")) and first != "..":
            names.add(first[:-3] if first.endswith(".py") else first)
    return names


def _name_and_version(folder, name):
    fields = {}
    for file in ("METADATA", "PKG-INFO"):
        for line in _read_lines(os.path.join(folder, file)):
            if not line.strip():
                break                      # the headers end at the first empty line
            key, sep, value = line.partition(":")
            if sep and key in ("Name", "Version") and key not in fields:
                fields[key] = value.strip()
    stem = name.rsplit(".", 1)[0]
    guessed = stem.split("-")
    return fields.get("Name") or guessed[0], fields.get("Version") or (guessed[1] if len(guessed) > 1 else None)


# what the errors of database and cache clients say when the server they connect to at import is not there
_CONNECTION_WORDS = ("connection refused", "could not connect", "connect call failed", "error 111 ",
                     "name or service not known", "temporary failure in name resolution", "nodename nor servname",
                     "could not translate host name", "can't connect to", "no route to host")


# a client's own error for "no server answered", whose text says no more than its name: kafka-python's
# KafkaProducer(bootstrap_servers=[...]) made at import raises NoBrokersAvailable when no broker answers
_CONNECTION_ERRORS = ("NoBrokersAvailable", "KafkaConnectionError")


# SQLite's words when the database file's folder does not exist (detect/sqlite_folders.py)
_UNOPENED = "unable to open database file"


def _connection_failure(exc):
    """The line of the exception (or one it was raised from) that says a connection failed, or None."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        if isinstance(exc, (ConnectionRefusedError, socket.gaierror)) or \
                type(exc).__name__ in _CONNECTION_ERRORS or \
                any(word in str(exc).lower() for word in _CONNECTION_WORDS):
            said = "%s: %s" % (type(exc).__name__, text) if text else type(exc).__name__
            host = _looked_up_host(exc) if isinstance(exc, socket.gaierror) else None
            # socket's "[Errno -2] Name or service not known" names no host: the lookup's own frame does (httplib2
            # under oauth2client, a token fetched from oauth2.googleapis.com at import), so the address is said
            return "%s (host=%r)" % (said, host) if host and host not in said else said
        exc = exc.__cause__ or exc.__context__
    return None


def _looked_up_host(exc):
    """The host name a failed lookup was for: the `host` of the deepest frame of its traceback that has one
    (socket.getaddrinfo's argument, a client's connect method's self.host), or None."""
    host = None
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        try:
            values = (frame.f_locals.get("host"), getattr(frame.f_locals.get("self"), "host", None))
        except Exception:       # a property of a package's own object that raises: no host from that frame
            continue
        host = next((v.strip() for v in values if isinstance(v, str) and v.strip()), host)
    return host


def _validation_errors(exc):
    """pydantic's list of errors of a ValidationError (1 or 2), else None."""
    if type(exc).__name__ != "ValidationError" or not callable(getattr(exc, "errors", None)):
        return None
    try:
        return exc.errors()
    except Exception:
        return None


def _missing_fields(exc):
    """(the fields, "db_name" or "database__hostname", and one line) when `exc` is pydantic's ValidationError
    for required fields that have no value (a settings class whose variables are not set), else None."""
    errors = _validation_errors(exc)
    if errors is None:
        return None
    # pydantic 2 says "missing", pydantic 1 "value_error.missing"
    fields = ["__".join(str(part) for part in e.get("loc", ())) for e in errors
              if e.get("type") in ("missing", "value_error.missing")]
    if not fields:
        return None
    head = str(exc).strip().splitlines()[0]       # "3 validation errors for Settings"
    return fields, "%s: %s required" % (head, ", ".join(fields))


def _invalid_fields(exc):
    """(the fields, and one line naming them and what is wrong, never their values: a password may be one) when
    `exc` is pydantic's ValidationError for values that do not fit their fields, else None. Its own last line
    is only "For further information visit https://errors.pydantic.dev/...". """
    errors = _validation_errors(exc)
    if errors is None:
        return None
    fields, said = [], []
    for e in errors:
        field = "__".join(str(part) for part in e.get("loc", ()))
        fields.append(field)
        said.append("%s: %s [%s]" % (field, e.get("msg", ""), e.get("type", "")))
    if not fields:
        return None
    head = str(exc).strip().splitlines()[0]       # "1 validation error for Settings"
    return fields, "%s: %s" % (head, "; ".join(said))


def _failure(exc):
    tb = exc.__traceback__
    unparsed = _unparsed_file(exc)
    result = {"ok": False, "where": "%s:%d" % tuple(unparsed) if unparsed else _where(tb)}
    try:
        result["raised_in"] = _raised_in(exc)
    except Exception:       # reading an odd site-packages must not hide the app's own error
        result["raised_in"] = None
    try:
        result["called_by"] = _called_by(exc) if result["raised_in"] else None
    except Exception:
        result["called_by"] = None
    try:
        result["stdlib_raiser"] = _stdlib_raiser(exc)
    except Exception:
        result["stdlib_raiser"] = None
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        result.update(error="missing_module", name=exc.name, importer=_installed_importer(tb),
                      provider=_installed_provider(exc.name))
        if isinstance(exc.__context__, ImportError):
            # a fallback import (`except ImportError: from UserDict import DictMixin`): the first one failed first
            first = exc.__context__
            result["first"] = "".join(traceback.format_exception_only(type(first), first)).strip().splitlines()[-1]
        return result
    wrapped = _wrapped_missing_module(exc)
    if wrapped is not None:
        # a library's own ImportError for an optional package it imports on first use (pandas' read_excel:
        # "`Import openpyxl` failed.  Use pip ... to install the openpyxl package."), raised while handling the
        # ModuleNotFoundError: the missing module is that one, imported by the library that raised
        result.update(error="missing_module", name=wrapped.name, importer=_installed_importer(tb),
                      provider=_installed_provider(wrapped.name))
        return result
    if isinstance(exc, KeyError) and exc.args:
        frames = list(traceback.walk_tb(tb))
        last = frames[-1][0] if frames else None
        if last is not None and last.f_code.co_name in ("__getitem__", "encodekey") and \
                last.f_code.co_filename.endswith(("os.py", "<frozen os>")):
            result.update(error="missing_env", name=str(exc.args[0]))
            return result
    if isinstance(exc, SystemExit) and _connection_failure(exc.__context__) is not None:
        # exit(1) in a package's handler of a refused connection (Flask-AppBuilder's create_db when its database
        # does not answer): the connection is what failed, not a sys.exit of the app's own at import
        result.update(error="connection", message=_connection_failure(exc.__context__))
        return result
    if isinstance(exc, SystemExit) and exc.__context__ is not None and _UNOPENED in str(exc.__context__):
        # exit(1) in the app's own handler of SQLite's failure to open its file (create_all at import in a try whose
        # except exits): the file's missing folder is what stopped it, as when nothing catches the error
        context = exc.__context__
        result.update(error="exception", type=type(context).__name__,
                      message="%s: %s" % (type(context).__name__, str(context).strip().splitlines()[0]))
        return result
    if isinstance(exc, SystemExit):
        result.update(error="exit", message="it calls sys.exit(%r) at import" % (exc.code,),
                      hint="move the sys.exit() call under if __name__ == '__main__':")
        return result
    lines = "".join(traceback.format_exception_only(type(exc), exc)).strip().splitlines()
    message = lines[-1]
    if (_LINK_ONLY.match(message) or _CARET_ONLY.match(message)) and len(lines) > 1:
        # a link under the error (SQLAlchemy's "(Background on this error at: ...)", protobuf's "More
        # information: https://...", pydantic's "For further information visit https://..."), or the caret
        # under the statement PostgreSQL quotes (psycopg2's `relation "users" does not exist`, then `LINE 1:
        # SELECT ...` and `^`): the first line says what failed
        message = lines[0]
    missing = _missing_fields(exc)
    if missing is not None:
        result.update(error="missing_settings", names=missing[0], message=missing[1])
        return result
    invalid = _invalid_fields(exc)
    if invalid is not None:
        result.update(error="invalid_settings", names=invalid[0], message=invalid[1], type=type(exc).__name__)
        return result
    connection = _connection_failure(exc)
    if connection is not None:
        result.update(error="connection", message=connection)
        return result
    result.update(error="exception", message=message, type=type(exc).__name__)
    if unparsed:
        result["syntax_at"] = unparsed
    module = getattr(exc, "name", None) or _bare_cannot_import(exc) if type(exc) is ImportError else None
    if module and message.startswith("ImportError: cannot import name"):
        # `from werkzeug import secure_filename`: the installed release of the package that lacks the name
        result["provider"] = _installed_provider(module, top_level=True)
        if " from " not in message:
            result["message"] = "%s from '%s'" % (message, module)
    return result


# the marker under a quoted statement: `^`, `~~~^~~` (a SQL error's position, as PostgreSQL reports it)
_CARET_ONLY = re.compile(r"\s*[~^]+\s*$")
_LINK_ONLY = re.compile(r"\(?(?:Background on this error at|(?:For )?(?:more|further) information(?: see| visit)?|See)\b[^\n]*?"
                        r"https?://\S+\)?\s*$", re.I)


def _call_factory(module, expression):
    """`create_app()` / `create_app('prod', debug=False)`: literal arguments only, as gunicorn allows."""
    node = ast.parse(expression, mode="eval").body
    names, func = [], node.func if isinstance(node, ast.Call) else None
    while isinstance(func, ast.Attribute):     # `app.wsgifunc()`: a method of a module-level object (web.py)
        names.insert(0, func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        raise ValueError("%r is not a call of a top-level function" % expression)
    args = [ast.literal_eval(a) for a in node.args]
    kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
    called = getattr(module, func.id)
    for name in names:
        called = getattr(called, name)
    made = called(*args, **kwargs)
    if inspect.isawaitable(made):   # an async factory (aiohttp's `async def init_app()`)
        import asyncio
        made = asyncio.run(_awaited(made))
    return made


async def _awaited(awaitable):
    return await awaitable


def _installed_over_committed_egg_info(folder):
    """(shipyard/paste_drop.py's installed_over_committed_egg_info, which the server runs.) A NAME.egg-info committed in the app's folder (left by an old `setup.py develop`) is found on sys.path before
    the NAME installed into the environment, and paste's `use = egg:NAME` checks the requirements it lists: stale
    ones (a debug add-on since moved to the development dependencies) raise DistributionNotFound. Where NAME is
    installed too, its installed metadata is the one pkg_resources resolves."""
    try:
        import pkg_resources
    except ImportError:      # no pkg_resources: paste reads entry points with importlib.metadata, no check
        return
    here = os.path.normcase(os.path.abspath(folder))
    others = [p for p in sys.path if os.path.normcase(os.path.abspath(p or ".")) != here]
    working_set = pkg_resources.working_set
    for key, dist in list(working_set.by_key.items()):
        if os.path.normcase(os.path.abspath(dist.location or "")) == here and dist.egg_info:
            installed = pkg_resources.Environment(others)[key]
            if installed:
                working_set.by_key[key] = installed[0]


def load(spec):
    kind = spec["kind"]
    if kind == "paste":
        from pyramid.paster import get_app
        # what its deployment passes (`pserve production.ini DATABASE_URL=...`), from the environment; an unset
        # one is os.environ's KeyError, said as the variable to set
        options = {name: os.environ[name] for name in spec.get("paste_vars") or ()}
        _installed_over_committed_egg_info(os.getcwd())
        return get_app(os.path.abspath(spec["paste_ini"]), "main", options=options or None)
    if spec.get("import_folder"):
        # a script run from the project's root as `python app/main.py`: Python puts its folder first on sys.path
        sys.path.insert(0, os.path.abspath(spec["import_folder"]))
    attr = spec["attr"]
    module = None
    if spec.get("root_package"):
        root_as_package(spec["root_package"])
        spec = dict(spec, module="%s.%s" % (spec["root_package"], spec["module"]))
    if spec.get("wsgi_file"):
        load_wsgi_file(spec["module"], spec["wsgi_file"])
    if spec.get("main_setup") and kind != "default_app":
        # the module sets its app up (or makes it) in its `__main__` block: run as the served entry runs it
        import runpy
        import types
        module = types.SimpleNamespace(**runpy.run_module(spec["module"], run_name="__main__", alter_sys=True))
    elif not (kind == "default_app" and spec.get("main_setup")):
        module = importlib.import_module(spec["module"])
    if kind == "script":
        return module      # it starts its own server when run as a script: importing it is the proof
    if kind == "default_app":
        # its routes registered (or its app mounted) on bottle's default app or cherrypy.tree when the module was
        # imported, or run as __main__ where the mount is under the guard, as the served entry runs it
        if spec.get("main_setup"):
            import runpy
            runpy.run_module(spec["module"], run_name="__main__", alter_sys=True)
        if attr == "tree":
            import cherrypy
            return cherrypy.tree
        import bottle
        return bottle.default_app()
    if kind == "factory" or attr.endswith(")"):
        return _call_factory(module, attr)
    if spec.get("main_setup"):
        return main_app(module, attr)
    obj = module
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def _is_async(obj):
    call = getattr(obj, "__call__", None)
    return inspect.iscoroutinefunction(obj) or (call is not None and inspect.iscoroutinefunction(call))


# Apps that are neither WSGI nor ASGI, each served by its own server: interface -> (modules, class). aiohttp's
# Application is defined in aiohttp/web.py up to 2.3, in aiohttp/web_app.py from 3.0 on.
OWN_PROTOCOL = {"aiohttp": (("aiohttp.web_app", "aiohttp.web"), "Application"),
                "tornado": (("tornado.web",), "Application")}


def _is_instance_of(obj, module, name):
    modules = (module,) if isinstance(module, str) else module
    return any(k.__module__ in modules and k.__name__ == name for k in type(obj).__mro__)


# standard-library names a Python removed that an installed release calls only once it serves (Quart 0.6's
# task-local storage calls asyncio.Task.current_task() on each request; Python 3.9 removed it for
# asyncio.current_task()): the import succeeds there and every request fails, so the check names the call as the
# failure it will be. (the call's text in the source, the replacement whose mention means the call is guarded,
# the name, the Python that removed it)
REMOVED_AT_CALL = (
    (b"Task.current_task(", b"asyncio.current_task", "current_task", (3, 9)),
    (b"Task.all_tasks(", b"asyncio.all_tasks", "all_tasks", (3, 9)),
)


def removed_call_in_installed(modules=None, version=None):
    """The failure a request will meet (probe result fields: error, type, message, raised_in) when a loaded module of
    an installed release (site-packages) calls a name of REMOVED_AT_CALL that the running Python no longer has,
    and never mentions its replacement (a release that picks one by version); None otherwise."""
    version = tuple(version or sys.version_info[:2])
    pending = [entry for entry in REMOVED_AT_CALL if version >= entry[3]]
    if not pending:
        return None
    for module in list((sys.modules if modules is None else modules).values()):
        path = getattr(module, "__file__", None) or ""
        if _SITE not in path or not path.endswith(".py"):
            continue
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            continue
        if any(entry[1] in data for entry in REMOVED_AT_CALL):
            continue    # a release that knows the new names picks one by version (or names the old in a comment)
        for call, _replacement, name, removed in pending:
            if call not in data:
                continue
            # a call in code, not in a comment (aiohttp 3.14: "# Drop the processed task from
            # asyncio.Task.all_tasks() early", beside its asyncio.current_task calls)
            line = next((number for number, text in enumerate(data.splitlines(), 1)
                         if call in text.split(b"#", 1)[0]), None)
            if line is None:
                continue
            where = "%s:%d" % (path.split(_SITE, 1)[1], line)
            return {"error": "exception", "type": "AttributeError", "where": None,
                    "message": "AttributeError: type object 'asyncio.Task' has no attribute '%s' (%s calls "
                               "asyncio.Task.%s(), which Python %d.%d removed, on every request)"
                               % (name, where, name, removed[0], removed[1]),
                    "raised_in": _installed_release(path), "stdlib_raiser": None, "called_at": where}
    return None


def check(obj, interface):
    if interface in OWN_PROTOCOL:
        module, name = OWN_PROTOCOL[interface]
        if not _is_instance_of(obj, module, name):
            return {"ok": False, "error": "wrong_interface",
                    "detail": "a %s, not %s's %s" % (type(obj).__name__, interface, name)}
        return {"ok": True, "type": type(obj).__name__}
    if obj is None or not callable(obj):
        return {"ok": False, "error": "not_callable", "type": type(obj).__name__}
    if interface == "asgi" and not _is_async(obj) and _is_instance_of(obj, "sanic.app", "Sanic"):
        # Sanic before 19.6 speaks no ASGI: its own gunicorn worker serves it (servers.py: interface "sanic")
        return {"ok": True, "type": type(obj).__name__, "interface": "sanic"}
    if interface == "asgi" and not _is_async(obj):
        try:
            params = len(inspect.signature(obj).parameters)
        except (TypeError, ValueError):
            params = 0
        if params == 1:
            # ASGI 2 ("double callable": Channels 2's ProtocolTypeRouter): app(scope) returns the instance
            # the server awaits with receive and send
            return {"ok": True, "type": type(obj).__name__, "asgi2": True}
        if params != 3:
            return {"ok": False, "error": "wrong_interface",
                    "detail": "a %s whose call is not async: not an ASGI app" % type(obj).__name__}
    if interface == "wsgi" and _is_async(obj):
        # what reading the code took for WSGI speaks ASGI: an app class whose protocol changed between releases
        # (Connexion's App: WSGI before 3.0, ASGI since), or a WSGI app wrapped for ASGI (app = WsgiToAsgi(app));
        # the imported object decides
        return {"ok": True, "type": type(obj).__name__, "interface": "asgi"}
    return {"ok": True, "type": type(obj).__name__}


def load_setting_up_django(spec):
    """(the app, whether Django had to be set up first). An asgi.py that imports its routing, consumers and so
    models before get_asgi_application() (the Channels 3 tutorial's layout) stops on AppRegistryNotReady under
    any server; `manage.py runserver`, which its README runs, sets Django up before loading it. Such an entry is
    imported again once django.setup() has run (the modules whose import failed are gone from sys.modules)."""
    try:
        return load(spec), False
    except Exception as exc:
        if spec["kind"] != "django" or type(exc).__name__ != "AppRegistryNotReady":
            raise
    import django
    django.setup()
    return load(spec), True


def load_inside_a_loop(spec):
    """(the app, whether it imports only inside a running event loop). A module that starts an asyncio task at its
    top level (`asyncio.create_task(init_logger())`) raises "no running event loop" when imported before one runs;
    uvicorn's command of its time (0.34) imported the app inside its loop, where it runs. An ASGI entry failing so
    is imported again inside a loop (the modules whose import failed are gone from sys.modules)."""
    try:
        return load_setting_up_django(spec) + (False,)
    except RuntimeError as exc:
        if spec["interface"] != "asgi" or not any(words in str(exc) for words in NO_LOOP):
            raise
    import asyncio

    async def inside():
        return load_setting_up_django(spec)

    return asyncio.run(inside()) + (True,)


# what asyncio raises when a module-level call needs the event loop a server has not started yet
NO_LOOP = ("no running event loop", "There is no current event loop")


def urlconf_failure():
    """Import the project's ROOT_URLCONF, as Django's checks do before `migrate` and the first request does: a
    wsgi.py builds its handler without it, so a view's import of a package's name another pinned release removed
    (djangorestframework 3.13's parse_header under Django 4.2, both exact pins of a bot-bumped Pipfile.lock) passed
    the check and stopped migrate. Only an ImportError counts (raised here, for the check to report): a package,
    or a name of one, that the environment lacks; a URLconf that queries its database or reads a setting at import
    is left to the served app, as before."""
    try:
        from django.conf import settings
        name = getattr(settings, "ROOT_URLCONF", None)
    except Exception:
        return
    if isinstance(name, str) and name:
        try:
            importlib.import_module(name)
        except ImportError:
            raise
        except Exception:
            return


def server_argv(spec):
    """The command line the app sees. A Django project's settings are imported under manage.py commands and
    servers, whose command lines always go on after the program (`gunicorn mysite.wsgi`, `manage.py migrate`):
    settings read the command from sys.argv[1] (`!= 'collectstatic'`, `== 'test'`), so they find one here as
    under a server. Any other app sees only the program's name, as the served one does (an app that parses
    its own options, argparse's -c/--config, would take a server's for its own)."""
    if spec["kind"] == "django":
        return ["gunicorn", "%s:%s" % (spec["module"], spec["attr"])]
    return [spec["module"]]


def main():
    spec = json.loads(sys.argv[1])
    sys.argv = server_argv(spec)
    if os.getcwd() not in sys.path[:1]:
        sys.path.insert(0, os.getcwd())
    disable_dev_servers()
    if spec["kind"] == "script":
        hold_script_servers()
    stand_in_for(spec.get("dev_tools") or ())
    # gunicorn, uvicorn and hypercorn import logging.config before the app: an app that calls
    # logging.config.dictConfig() after a bare `import logging` runs under them, so it must here too
    import logging.config  # noqa: F401
    try:
        obj, set_up_first, in_loop = load_inside_a_loop(spec)
        result = check(obj, spec["interface"]) if spec["kind"] != "script" else {"ok": True, "type": "script"}
        removed = removed_call_in_installed() if result.get("ok") else None
        if removed is not None:
            result = dict(removed, ok=False)
        if spec["kind"] == "django" and result.get("ok"):
            urlconf_failure()
        if set_up_first and result.get("ok"):
            result["django_setup"] = True
        if in_loop and result.get("ok"):
            result["loop_import"] = True
    except BaseException as exc:   # anything the app raises at import, including SystemExit
        result = _failure(exc)
    result["servers"] = SERVERS
    with open(spec["out"], "w", encoding="utf-8") as f:
        json.dump(result, f)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)    # threads the app started must not keep the check alive


if __name__ == "__main__":
    main()
