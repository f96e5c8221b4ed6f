"""The entry detector's model: modules as read from the folder, the apps they make, and the
candidate names a server could load."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..appscan import Imp, ModuleScan, ServerStart


@dataclass(frozen=True)
class Module:
    path: str                       # file, relative to the project root
    root: str                       # folder it is imported from (the first ancestor without __init__.py)
    name: str                       # dotted name relative to `root`
    scan: ModuleScan
    decoy: bool


@dataclass(frozen=True)
class AppDef:
    """One app: where it is made. Every name that exposes it is a candidate of the same AppDef."""

    path: str
    line: int
    framework: str
    interface: str
    factory: bool = False
    # How one factory makes the app, not which app it is: `get_app()` that returns `create_app(store)` is the
    # same app as create_app's (equal, so both are candidates of one app), called another way.
    needs_args: tuple[str, ...] = field(default=(), compare=False)
    func_imports: tuple[tuple[str, Imp], ...] = field(default=(), compare=False)  # factory: (file, import) run when called
    awaitable: bool = field(default=False, compare=False)                          # factory: `async def`
    delegated: bool = field(default=False, compare=False)   # factory: returns another factory's app

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


# Conventional names of entry files: higher wins among candidates that expose the same complete app.
ENTRY_FILE_RANK = {"wsgi": 10, "asgi": 9, "run": 8, "manager": 7, "manage": 7, "server": 6, "main": 6,
                   "application": 5, "app": 5, "index": 4, "api": 3}

BOTTLE_DEFAULT = AppDef("<bottle default app>", 0, "bottle", "wsgi")
# CherryPy's process-wide tree, on which quickstart(Root()) and tree.mount(Root()) mount the app
CHERRYPY_TREE = AppDef("<cherrypy tree>", 0, "cherrypy", "wsgi")
# the process-wide apps a script registers on without naming them -> the expression that gives each, on its
# framework's module (probe.py and shipyard_entry.py evaluate it there)
PROCESS_APPS = {BOTTLE_DEFAULT: "default_app()", CHERRYPY_TREE: "tree"}


@dataclass
class Candidate:
    module: Module
    attr: str                       # "app", "create_app()", "main" (paste)
    app: AppDef
    kind: str                       # "attribute" | "factory" | "django" | "paste"
    dash_server: bool = False       # `server = app.server` of a Dash app
    paste_ini: str | None = None    # relative to the module's root
    constructor: bool = False       # `App()` of a framework app subclass that builds itself (appscan.constructs_itself)
    closure: frozenset[str] = frozenset()
    covered: int = 0
    server_starts: tuple[tuple[str, ServerStart], ...] = ()
    # starts of an object handed the app (`socketio.run(app)` at import): they mark the entry, not its rank
    serving_starts: tuple[tuple[str, ServerStart], ...] = ()
    loops_forever: bool = False     # importing it runs an event loop forever (tornado's IOLoop.start() at module level)
    patches: tuple[tuple[str, str], ...] = ()   # (module path, "gevent"): monkey-patched on import
    # kind "script": the console script that runs it (setup.py's `serve_app = pkg:main`), and the functions
    # ("path:function") its run goes through to the one that starts the server (script.py)
    console_script: str | None = None
    via: tuple[str, ...] = ()
    # `app = create_app(config)` where create_app sets up and returns another module's app (appscan's configurer)
    configured: bool = False
    # importing its module first fails on a two-module import cycle (import_cycles.py)
    half_made: bool = False
    # `app = create_app(os.getenv("FLASK_CONFIG") or "dev")`: the configuration is the environment's to choose
    # (factory_env.config_from_environment), as a deployment's entry leaves it; a script that hard-codes one
    # (seed.py's `create_app("dev")`) does not
    env_config: bool = False
    # a Flask-Script manage.py re-exporting an app its project's Flask (2.0 on) no longer lets it run (dead_launcher)
    dead_launcher: bool = False

    @property
    def target(self) -> str:
        return f"{self.module.name}:{self.attr}"


def join(base: str, *parts: str) -> str:
    return str(PurePosixPath(base, *parts)) if base not in ("", ".") else str(PurePosixPath(*parts))
