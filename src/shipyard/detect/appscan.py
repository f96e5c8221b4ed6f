"""Static reading of one Python module: what it imports, which names it binds to app objects,
which factories it defines, which routes it registers and whether it starts a server at import.

Only module-level code counts (it is what runs on import), minus `if __name__ == "__main__":` blocks.
Nothing is executed. Cross-module questions (what does `from pkg import app` refer to?) are answered
by entry.py, which sees all modules; a module only records raw symbols.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import Iterator

from . import frameworks as fw
from . import settings_default
from .ast_nodes import ast_nodes


@dataclass
class Sym:
    """What a module-level name is bound to, as far as reading the module tells."""

    kind: str                       # "new" | "factory" | "wsgi" | "import" | "call" | "wrap" | "server_of"
                                    # | "wrapper" | "class" | "bottle_default" | "configurer" | "other"
                                    # | "own" (calls_of: a call of the module's own function `attr`)
                                    # | "star" (a name `attr` one of the module's star imports binds)
    line: int = 0
    framework: str = ""
    interface: str = ""
    module: str = ""                # import: absolute module name, or "" with `level` for relative imports
    attr: str | None = None         # import: the name imported from `module` (None: the module itself)
    level: int = 0                  # import: relative import level
    inner: "Sym | None" = None      # call/wrap/server_of/wrapper: the symbol the value comes from
    needs_args: tuple[str, ...] = ()  # factory: required parameters
    consumes: tuple["Sym", ...] = ()  # new: other apps passed to the constructor (Dash(server=flask_app));
                                      # call: the app a function of no factory's is given and returns, wrapped
                                      # or as is (`app = cors(app)`)
    func_imports: tuple["Imp", ...] = ()  # factory, configurer: imports run when the function is called
    awaitable: bool = False         # factory: `async def`, so calling it gives a coroutine
    own_init: bool = False          # class: it defines __init__ (needs_args: that __init__'s required parameters)
    # factory: it returns what another factory makes (`def get_app(): return create_app(store)`); `inner` is
    # that factory (or its import), so the app is the other factory's, resolved across modules in entry/graph


@dataclass(frozen=True)
class Imp:
    module: str                     # absolute name, or relative remainder when level > 0
    names: tuple[str, ...]          # `from module import names` ("*" allowed); () for `import module`
    level: int = 0


@dataclass(frozen=True)
class Use:
    """A module-level use of some symbol: a decorator, a method call or an attribute assignment."""

    target: Sym
    attr: str                       # method/decorator/attribute name
    how: str                        # "decorator" | "call" | "assign" | "argument" (the app passed to the call)
    line: int
    args: tuple[Sym, ...] = ()      # symbols passed to the call (e.g. a sub-app given to mount())
    endpoint: str = ""              # a decorator's: the view it names (its endpoint= or the function's name)
    # a call's: what it registers as written, receiver left out (`include_router(news.router)`), to tell a copy
    # of the registrations an app's start-up hook makes (entry/startup_copies)
    text: str = ""


@dataclass(frozen=True)
class ServerStart:
    line: int
    text: str                       # e.g. "app.run()"
    target: Sym | None = None       # the app whose run() is called, when known
    # the app handed to the object whose run() is called (Flask-SocketIO's `socketio.run(app)`: the receiver is the
    # SocketIO, the app its argument), when that object is not an app itself
    served: Sym | None = None


@dataclass(frozen=True)
class OwnServer:
    """A function (or the `__main__` block) that makes an app and starts that app's own server on it
    (tornado's `app.listen(options.port)` in `main()`): the module is a script that serves the app itself."""

    line: int
    function: str                   # "main", or "__main__" for the guarded block
    framework: str                  # "" while `maker` is not resolved
    interface: str
    maker: Sym | None = None        # the imported class or factory that made the app (`HTTPServer(Application())`
                                    # with Application from the project's app.py): entry/script resolves it


@dataclass
class ModuleScan:
    path: str                       # relative to the project root
    symbols: dict[str, Sym] = field(default_factory=dict)
    imports: list[Imp] = field(default_factory=list)          # module-level imports, in order
    uses: list[Use] = field(default_factory=list)
    server_starts: list[ServerStart] = field(default_factory=list)
    bottle_routes: list[int] = field(default_factory=list)    # lines of @route on bottle's default app
    tree_mounts: list[int] = field(default_factory=list)      # lines mounting an app on cherrypy.tree (quickstart)
    main_tree_mounts: list[int] = field(default_factory=list)  # the same in the `__main__` block
    # apps the `__main__` block makes and binds to a name (Pyramid's quick tutorial: `app = config.make_wsgi_app()`,
    # then make_server(..., app).serve_forever()): module globals once the script runs as __main__
    main_apps: dict[str, Sym] = field(default_factory=dict)
    # of those, the ones a function the block calls makes and runs (swagger-codegen's __main__.py: `def main():
    # app = connexion.App(...); app.add_api(...); app.run(port=8080)`): app name -> that function. No global
    # names the app then: the one served is the app its (no-op) run() was given
    main_run_in: dict[str, str] = field(default_factory=dict)
    django_settings: str | None = None                        # DJANGO_SETTINGS_MODULE it sets by default
    # ...or the name it passes there, imported from another module (module, name, level): entry/choose resolves it
    django_settings_import: tuple[str, str, int] | None = None
    django_configuration: str | None = None                   # django-configurations' DJANGO_CONFIGURATION too
    defines_framework_class: str | None = None                # e.g. "Flask" (a framework's own source)
    mentions_framework: bool = False
    own_servers: list[OwnServer] = field(default_factory=list)   # functions that start the app's own server
    loops_forever: list[ServerStart] = field(default_factory=list)   # event loops run forever at import
    main_guard: bool = False                                  # has `if __name__ == "__main__":` (a script)
    # the functions of the module's own names its `__main__` block calls (`app = init_app()`): how the script
    # itself builds the app it runs
    main_calls: frozenset[str] = frozenset()
    # the same for the statements that run on import (`loop.run_until_complete(init(loop))` at the top level of a
    # script with no `__main__` guard: its init() starts the server when the module is run, or imported)
    import_calls: frozenset[str] = frozenset()
    # lines of the `__main__` block's statements that set the framework's own module state before the script
    # starts its server (`bottle.TEMPLATE_PATH.insert(0, "app/views/")`): lost when a server imports the module
    main_setup: tuple[int, ...] = ()
    # (name, line) of the `__main__` block's statements that change an object the module names (`app.mount(
    # "/api", api)`, `app.secret_key = ...`, `app.register_blueprint(bp)`) before the script starts its server:
    # lost too when a server imports the module; the entry counts those on the app it serves
    main_object_setup: tuple[tuple[str, int], ...] = ()
    # importing it runs nothing but imports and definitions (server.py: `from app.app import make_app`, then its
    # `__main__` block): a factory it imports is only the defining module's, named again
    only_imports: bool = False
    patches: str | None = None                                # "gevent": monkey-patches at import (COOPERATIVE_PATCHES)
    # what `from <this package> import *` imports besides its own names: the submodules its `__all__` names, or
    # ALL_SUBMODULES when `__all__` lists its own folder (a glob of *.py, os.listdir, pkgutil.iter_modules)
    star_modules: tuple[str, ...] = ()
    # the module's own `from X import *` (X not a framework whose names fw.STAR_NAMES lists), in order: a name it
    # uses without binding it (app.py's `@app.route` after `from forms import *`) is X's, found in the graph
    star_imports: list[Imp] = field(default_factory=list)
    # imports made inside the app's start-up hook (`@app.on_event("startup")`, a `lifespan=` function,
    # `add_event_handler("startup", f)`, `on_startup=[f]`, Quart's `@app.before_serving`): they run once the
    # server starts the app, before it answers, so the modules are the app's as much as those imported at the top
    startup_imports: list[Imp] = field(default_factory=list)
    # what that hook registers on an app, as written (Use.text: `include_router(news.router)`)
    startup_registrations: frozenset[str] = frozenset()


_BUILTINS = frozenset(dir(builtins))

# `__all__` computed from the package's own folder: every submodule is imported by `from package import *`
ALL_SUBMODULES = ("*",)
_FOLDER_LISTINGS = frozenset({"glob", "iglob", "listdir", "scandir", "iterdir", "iter_modules", "walk_packages"})


def _star_modules(value: ast.expr) -> tuple[str, ...]:
    """The names `__all__ = value` exports: a literal list or tuple of strings, or ALL_SUBMODULES when the value
    lists the package's folder (`[basename(f)[:-3] for f in glob(dirname(__file__) + "/*.py")]`)."""
    if isinstance(value, (ast.List, ast.Tuple)):
        return tuple(e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
    for node in ast_nodes(value):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in _FOLDER_LISTINGS:
                return ALL_SUBMODULES
    return ()


def scan(path: str, text: str, reexports: dict[str, str] | None = None, package: str = "") -> ModuleScan:
    """Read one module. Raises SyntaxError as Python does. `reexports`: absolute names of the project's modules'
    names that are a framework's own (`utils.ui.dash` -> `dash`, after `import dash` in utils/ui.py), with
    `package` the module's own package for its relative imports (see entry/graph.py's reread_reexports)."""
    tree = ast.parse(text, filename=path)
    return _Scanner(path, text, reexports or {}, package).run(tree)


def join_relative(package: str, level: int, module: str, attr: str) -> str:
    """The absolute name `from <level dots><module> import <attr>` imports, in a module of `package`."""
    parts = package.split(".") if package else []
    base = parts[:len(parts) - (level - 1)] if level > 1 else parts
    return ".".join([*base, *([module] if module else []), attr])


def calls_of(path: str, text: str, function: str) -> tuple[Sym, ...] | None:
    """What a module-level function (or the `__main__` block, "__main__") calls that may lead to a server start
    elsewhere: imported names (kind "import") and the module's own functions (kind "own", attr its name); None
    when the module defines no such function. Read again on demand: only a script entry asks (entry/script.py),
    so the scan every module gets does not pay for it."""
    tree = ast.parse(text, filename=path)
    scanner = _Scanner(path, text)
    scanner.run(tree)
    defs = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    if function == "__main__" and (path.rsplit("/", 1)[-1] == "__main__.py"
                                   or not any(_is_main_guard(node) for node in tree.body)):
        # a package's __main__.py (`python -m pkg`) runs its module-level code as the script, as does a script
        # with no `__main__` guard (run_server.py: `loop.run_until_complete(init(loop))`)
        nodes = [ast.Module(body=[node for node in tree.body if not isinstance(node, defs)], type_ignores=[])]
    else:
        nodes = [node for node in tree.body if (_is_main_guard(node) if function == "__main__" else
                 isinstance(node, defs[:2]) and node.name == function)]
    return tuple(sym for node in nodes for sym in scanner.callees(node)) if nodes else None


def _is_main_guard(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    parts = [node.test.left, *node.test.comparators]
    names = {p.id for p in parts if isinstance(p, ast.Name)}
    consts = {p.value for p in parts if isinstance(p, ast.Constant)}
    return "__name__" in names and "__main__" in consts


def _imports_or_defines(node: ast.stmt) -> bool:
    """An import, a def or class, the docstring, a module dunder (`__all__`, `__version__`), or the `__main__`
    guard: a statement with no effect on import."""
    return isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
        or _is_main_guard(node) or (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)) \
        or (isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) and t.id.startswith("__")
                                                 and t.id.endswith("__") for t in node.targets))


def module_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements that run on import: into if/try/with blocks, not into defs or the __main__ guard."""
    for node in body:
        if _is_main_guard(node):
            yield from module_level(node.orelse)
            continue
        yield node
        if isinstance(node, (ast.If, ast.With, ast.AsyncWith, ast.For, ast.While)):
            yield from module_level(node.body)
            yield from module_level(getattr(node, "orelse", []))
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            yield from module_level(node.body)
            for handler in node.handlers:
                yield from module_level(handler.body)
            yield from module_level(node.orelse)
            yield from module_level(node.finalbody)


# words of a call that starts a server or debug mode (bottle's run, aiohttp's web.run_app, run_simple, listen,
# serve_forever): not setup, and running it as __main__ would start that server
SERVER_WORDS = frozenset({"run", "serve", "debug", "listen", "start"})


def _starts_a_server(names: list[str]) -> bool:
    return any(SERVER_WORDS & set(name.lower().split("_")) for name in names)


# settings only the development server wants: the host:port it answers at (Flask's and Quart's SERVER_NAME,
# under which every other host gets 404), template reloading; production serves at another address
DEVELOPMENT_SETTINGS = frozenset({"SERVER_NAME", "TEMPLATES_AUTO_RELOAD", "EXPLAIN_TEMPLATE_LOADING", "auto_reload"})


def _mentions_debug(node: ast.stmt) -> bool:
    """A statement naming debug mode in a key, keyword or string (`app.config["DEBUG"] = True`,
    `app.config.update(DEBUG=True)`), or another development server's setting (`app.config["SERVER_NAME"] =
    "localhost:8000"`, `app.jinja_env.auto_reload = True`)."""
    for sub in ast_nodes(node):
        text = sub.value if isinstance(sub, ast.Constant) and isinstance(sub.value, str) else \
            sub.arg if isinstance(sub, ast.keyword) else sub.attr if isinstance(sub, ast.Attribute) else None
        if text and ("debug" in text.lower() or text in DEVELOPMENT_SETTINGS):
            return True
    return False


# what a name may hold that is (or leads to) an app
APP_VALUES = ("new", "import", "call", "wrap", "bottle_default", "server_of")
# names an app keeps when a module wraps it with a function of its own (`application = SomeMiddleware(app)`):
# other names given the app (`api = Api(app)`) are registrars
APP_NAMES = ("app", "application", "wsgi_app", "server")


def _made_here(sym: Sym) -> Sym:
    """A call inside a function, as what the function may return: the module's own app it is given is not an app
    the function makes (httpbin's view `digest_auth()` returning `digest_challenge_response(app, ...)`, a response
    built with the module-level app, is no factory). Apps the function makes itself are passed through apart."""
    return replace(sym, consumes=()) if sym.kind == "call" and sym.consumes else sym


def passes_app_through(call: ast.Call, target: str) -> bool:
    """`app = cors(app)`: the call rebinds the app's own name, so what the function given the app returns is the
    app (quart_cors returns it with its hooks added). Another name (`application = SentryWsgiMiddleware(app)`)
    leaves `app` the app, which the flask CLI (release commands) can load. An app made right in the call
    (`application = Cling(get_wsgi_application())`, dj-static's; DjangoWhiteNoise's) has no other name: under an
    app's name, the wrapped one is the app (`socketio = SocketIO(create_app())` is not)."""
    return any(isinstance(a, ast.Name) and a.id == target or isinstance(a, ast.Call) and target in APP_NAMES
               for a in call.args)


# the lists of start-up callbacks an app keeps (aiohttp's app.on_startup.append(init))
_STARTUP_LISTS = frozenset({"on_startup"})
# decorators that make a function the app's start-up hook: FastAPI/Starlette's on_event("startup"), Quart's
# before_serving, Sanic's before_server_start (and listener("before_server_start")), Flask's before_first_request
_STARTUP_DECORATORS = frozenset({"before_serving", "before_server_start", "after_server_start",
                                 "before_first_request", "on_startup"})
_STARTUP_EVENTS = frozenset({"startup", "before_server_start", "after_server_start"})


def _is_startup_decorator(dec: ast.expr) -> bool:
    func = dec.func if isinstance(dec, ast.Call) else dec
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr in _STARTUP_DECORATORS:
        return True
    return func.attr in ("on_event", "listener") and isinstance(dec, ast.Call) and bool(dec.args) \
        and isinstance(dec.args[0], ast.Constant) and dec.args[0].value in _STARTUP_EVENTS


def _registered(call: ast.Call) -> str:
    """A registration call as written, its receiver left out: `include_router(news.router, prefix='/news')`."""
    args = [ast.unparse(a) for a in call.args] + [f"{k.arg}={ast.unparse(k.value)}" if k.arg else
                                                  f"**{ast.unparse(k.value)}" for k in call.keywords]
    return f"{call.func.attr}({', '.join(args)})" if isinstance(call.func, ast.Attribute) else ""


def _own_nodes(node: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.AST]:
    """The nodes of a function's body, leaving out those of the functions, lambdas and classes it defines."""
    todo: list[ast.AST] = list(node.body)
    while todo:
        sub = todo.pop()
        yield sub
        if not isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(sub))


def _acted_on(node: ast.stmt) -> list[ast.expr]:
    """What a setup statement acts on: the callee of a call made as a statement, the targets of an assignment."""
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        return [node.value.func]
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        return [node.target]
    return []


def _decorating(node: ast.stmt) -> list[ast.expr]:
    """What a function or class defined as a setup statement is decorated with: the callee of each decorator call
    (`@app.route("/")` under the `__main__` guard adds a route to app, as `app.add_url_rule(...)` does)."""
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return []
    return [d.func if isinstance(d, ast.Call) else d for d in node.decorator_list]


def _chain(node: ast.expr) -> tuple[str | None, list[str]]:
    """(root name, attribute names) of `a.b[0].c`: ("a", ["b", "c"]); (None, []) when it is not rooted at a name."""
    names: list[str] = []
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        if isinstance(node, ast.Attribute):
            names.insert(0, node.attr)
        node = node.func if isinstance(node, ast.Call) else node.value
    return (node.id, names) if isinstance(node, ast.Name) else (None, [])


def _mounted(values: list[ast.expr], depth: int = 0) -> Iterator[ast.expr]:
    """The names in the route lists among `values` (a list or tuple's items, a call's arguments in it: Mount('/api',
    app=api)), and the object whose `.routes` is given; a few levels down."""
    for value in values:
        if isinstance(value, ast.Attribute) and value.attr == "routes" and isinstance(value.value, ast.Name):
            yield value.value
        if depth > 3 or not isinstance(value, (ast.List, ast.Tuple)):
            continue
        for item in value.elts:
            inner = [*item.args, *(k.value for k in item.keywords)] if isinstance(item, ast.Call) else [item]
            yield from (v for v in inner if isinstance(v, ast.Name))
            yield from _mounted(inner, depth + 1)


def _required_params(args: ast.arguments) -> tuple[str, ...]:
    positional = [*args.posonlyargs, *args.args]
    required = [a.arg for a in positional[:len(positional) - len(args.defaults)]]
    required += [a.arg for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is None]
    return tuple(required)


def constructs_itself(sym: Sym | None) -> bool:
    """A subclass of a framework's app class whose own __init__ needs no argument (`class App(Sanic)` that
    names itself and adds its routes in __init__): calling it makes the whole app, so `App()` is a factory.
    Not tornado's: a script's main() that makes its Application and listens is how those apps are served."""
    return sym is not None and sym.kind == "class" and sym.own_init and not sym.needs_args \
        and sym.framework not in ("wsgi", "asgi", "tornado")


class _Scanner:
    def __init__(self, path: str, text: str, reexports: dict[str, str] | None = None, package: str = "") -> None:
        self.scan = ModuleScan(path)
        self.reexports = reexports or {}
        self.package = package
        # functions returning a tuple with an app in it (`return app, host, port`): name -> (index, app);
        # not factories a server can call, but another function can unpack them (`app, _, _ = await init()`)
        self.tuple_makers: dict[str, tuple[int, Sym]] = {}
        self.may_make_apps = bool(fw.MAKES_APPS.search(text))   # else no function can be a factory
        self.sets_django_settings = "DJANGO_SETTINGS_MODULE" in text
        self.own_functions: frozenset[str] = frozenset()
        self.server_objects: set[str] = set()    # names bound to a WSGI server object (fw.SERVER_CLASSES)

    # --- names ---------------------------------------------------------------------------------
    def qualname(self, expr: ast.expr, symbols: dict[str, Sym] | None = None) -> str | None:
        """`F` or `a.b.F` as an absolute dotted name, when its root is an import of an outside module."""
        symbols = self.scan.symbols if symbols is None else symbols
        if isinstance(expr, ast.Name):
            sym = symbols.get(expr.id)
            if sym and sym.kind == "import" and sym.level == 0:
                qual = f"{sym.module}.{sym.attr}" if sym.attr else sym.module
                return self.reexports.get(qual, qual)
            if sym and sym.kind == "import" and sym.attr and self.reexports:
                # `from .ui import dash`: the package's own module, re-exporting the framework
                return self.reexports.get(join_relative(self.package, sym.level, sym.module, sym.attr))
            return None
        if isinstance(expr, ast.Attribute):
            base = self.qualname(expr.value, symbols)
            return f"{base}.{expr.attr}" if base else None
        return None

    def sym_of(self, expr: ast.expr, symbols: dict[str, Sym] | None = None) -> Sym | None:
        """The symbol an expression refers to (a name, `module.name`, or a call of one)."""
        symbols = self.scan.symbols if symbols is None else symbols
        if isinstance(expr, ast.Name):
            if expr.id not in symbols and symbols is self.scan.symbols and self.scan.star_imports \
                    and expr.id not in _BUILTINS:
                # a module-level name nothing here binds, after `from forms import *`: one of those modules' names,
                # and the module's own once imported (`app:app` of app.py, whose routes go on main.py's app)
                symbols[expr.id] = Sym("star", expr.lineno, attr=expr.id)
            return symbols.get(expr.id)
        if isinstance(expr, ast.Attribute):
            base = self.sym_of(expr.value, symbols)
            if base and base.kind == "import":
                # `mod.app` where `mod` is an imported module: an import of `app` from it.
                module = f"{base.module}.{base.attr}" if base.attr else base.module
                return Sym("import", line=expr.lineno, module=module, attr=expr.attr, level=base.level)
            return None
        return None

    def value_sym(self, value: ast.expr, line: int, symbols: dict[str, Sym] | None = None) -> Sym:
        """What an assigned value is: a new app, a call of a factory, a wrapped app, ..."""
        symbols = self.scan.symbols if symbols is None else symbols
        if isinstance(value, ast.Call):
            qual = self.qualname(value.func, symbols)
            # app = asyncio.run(create_app()) / loop.run_until_complete(create_app()): the awaited factory's app
            if (qual in fw.RUN_COROUTINE or isinstance(value.func, ast.Attribute)
                    and value.func.attr in fw.RUN_COROUTINE_METHODS) \
                    and len(value.args) == 1 and isinstance(value.args[0], ast.Call):
                return self.value_sym(value.args[0], line, symbols)
            if qual in fw.SERVER_FUNCS:
                return Sym("other", line)       # `return web.run_app(app)` runs the app, it gives none back
            if qual in fw.CONSTRUCTORS:
                framework, interface = fw.CONSTRUCTORS[qual]
                return Sym("new", line, framework, interface, consumes=self.arg_syms(value, symbols))
            if qual in fw.BOTTLE_DEFAULT_APP:
                return Sym("bottle_default", line, "bottle", "wsgi")
            if isinstance(value.func, ast.Attribute) and value.func.attr == fw.PYRAMID_MAKE_APP:
                return Sym("new", line, "turbogears" if self.imports_turbogears() else "pyramid", "wsgi")
            callee = self.sym_of(value.func, symbols)
            if callee is not None and callee.kind in ("class",):
                return Sym("new", line, callee.framework, callee.interface, inner=callee)
            # an app, or one made right there: DjangoWhiteNoise(get_wsgi_application()), Cling(...) (dj-static)
            wrapped = [s for a in value.args
                       if (s := self.value_sym(a, line, symbols) if isinstance(a, ast.Call)
                           else self.sym_of(a, symbols)) is not None and s.kind in APP_VALUES]
            if callee is not None and callee.kind in ("factory", "import", "configurer"):
                return Sym("call", line, inner=callee, consumes=tuple(wrapped[:1]))
            if wrapped:
                return Sym("wrap", line, inner=wrapped[0])
            return Sym("other", line)
        if isinstance(value, ast.Attribute) and value.attr == "server":
            inner = self.sym_of(value.value, symbols)
            if inner is not None:
                return Sym("server_of", line, inner=inner)   # Dash: server = app.server
        inner = self.sym_of(value, symbols)
        if inner is not None:
            return inner
        return Sym("other", line)

    def rebound_flask_app(self, value: ast.expr, name: str) -> Sym | None:
        """`app = app.app` right after `app = connexion.App(...)`: the name now holds the Connexion app's Flask app,
        and the Connexion app is reachable by no other name; an app all the same (a WSGI one), not "other"."""
        previous = self.scan.symbols.get(name)
        if isinstance(value, ast.Attribute) and value.attr == "app" and isinstance(value.value, ast.Name) \
                and value.value.id == name and previous is not None and previous.kind == "new" \
                and previous.framework == "connexion":
            return Sym("server_of", value.lineno, inner=previous)
        return None

    # --- the walk ------------------------------------------------------------------------------
    def run(self, tree: ast.Module) -> ModuleScan:
        s = self.scan
        self.own_functions = frozenset(node.name for node in tree.body
                                       if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)))
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name in fw.FRAMEWORK_CLASSES:
                s.defines_framework_class = node.name
        for node in ast_nodes(tree) if self.sets_django_settings else ():
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "setdefault" and len(node.args) == 2
                    and isinstance(node.args[0], ast.Constant)
                    and node.args[0].value in ("DJANGO_SETTINGS_MODULE", "DJANGO_CONFIGURATION")
                    and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)):
                if node.args[0].value == "DJANGO_SETTINGS_MODULE":
                    s.django_settings = s.django_settings or node.args[1].value
                else:
                    s.django_configuration = s.django_configuration or node.args[1].value
        if self.sets_django_settings and s.django_settings is None:
            # no literal: an f-string, str.format or a name, followed with no variable set
            found = settings_default.follow(tree)
            s.django_settings, s.django_settings_import = found.settings, found.imported
        for node in module_level(tree.body):
            self.statement(node)
        self.factories_of_later_classes(tree)
        self.startup_hooks(tree)
        s.only_imports = all(_imports_or_defines(node) for node in tree.body)
        # only a function the module defines itself is its own way of building the app: a factory it imports
        # and calls in `__main__` (a package's __main__.py running the app) is the imported one, not a wrapper
        own_functions = {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
        s.import_calls = frozenset(
            sub.func.id for node in module_level(tree.body)
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            for sub in ast_nodes(node) if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name)
            and sub.func.id in own_functions)
        for node in tree.body:
            if _is_main_guard(node):
                s.main_guard = True
                s.main_calls |= {sub.func.id for sub in ast_nodes(node) if isinstance(sub, ast.Call)
                                 and isinstance(sub.func, ast.Name) and sub.func.id in own_functions}
                self.guard_imported_app(node)
                if self.may_make_apps:
                    self.own_server(node, "__main__")
                s.main_setup += tuple(self.framework_setup(node.body))
                for sub in module_level(node.body):
                    if isinstance(sub, ast.Assign) and len(sub.targets) == 1 and isinstance(sub.targets[0], ast.Name):
                        value = self.value_sym(sub.value, sub.lineno)
                        if value.kind == "new" and value.interface in ("wsgi", "asgi"):
                            s.main_apps[sub.targets[0].id] = value
                # the block's own mounts, and those of the module's functions it calls (server.py's main())
                called = [f for f in tree.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                          and f.name in s.main_calls]
                for function in called:
                    self.function_run_apps(function)
                s.main_tree_mounts += [sub.lineno for part in (node, *called) for sub in ast_nodes(part)
                                       if isinstance(sub, ast.Call)
                                       and self.qualname(sub.func) in fw.CHERRYPY_TREE_MOUNTS]
                s.main_object_setup += tuple(self.object_setup(node.body))
        if s.loops_forever and not s.main_guard and self.may_make_apps:
            # a script with no guard whose top level makes the app, listens and runs the loop forever (a tornado
            # chat server's `app.listen(10000)` then `IOLoop.instance().start()`): running it is what serves it
            defs = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
            self.own_server(ast.Module(body=[n for n in tree.body if not isinstance(n, defs)], type_ignores=[]),
                            "__main__")
        return s

    def guard_imported_app(self, guard: ast.If) -> None:
        """A script that imports the app only inside its `__main__` block, sets it up there (routes, view classes
        registered on it, its secret key) and runs it (`from pkg import app`, `View.register(app)`, `app.run()`):
        the block is read as the module's top level, since running the script is what makes that app whole. Only
        a name the block both imports and starts a server on: a block that just runs an imported app is left."""
        body = list(module_level(guard.body))
        imported = {alias.asname or alias.name for sub in body if isinstance(sub, ast.ImportFrom)
                    for alias in sub.names} - set(self.scan.symbols)
        ran = {root for sub in body for chain in _acted_on(sub) for root, names in [_chain(chain)]
               if isinstance(sub, ast.Expr) and root in imported and _starts_a_server(names)}
        set_up = {root for sub in body for chain in _acted_on(sub) or _decorating(sub)
                  for root, names in [_chain(chain)] if root in ran and names and not _starts_a_server(names)}
        # handed to a function or class the block calls (`register(app)`, `View.register(app)`), not to a server
        set_up |= {arg.id for sub in body if isinstance(sub, ast.Expr) and isinstance(sub.value, ast.Call)
                   and _chain(sub.value.func)[0] and not _starts_a_server(_chain(sub.value.func)[1])
                   for arg in sub.value.args if isinstance(arg, ast.Name) and arg.id in ran}
        if not set_up:
            return
        for sub in body:
            # the server start is the block's, as before (made a no-op where the script is run as __main__)
            if not (isinstance(sub, ast.Expr) and any(
                    _chain(chain)[0] in ran and _starts_a_server(_chain(chain)[1]) for chain in _acted_on(sub))):
                self.statement(sub)

    def function_run_apps(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """The apps a function the `__main__` block calls makes in a local name and runs there (`app.run(...)`):
        main_apps made by that function (main_run_in), unless the block itself names one so."""
        ran = {sub.func.value.id for sub in _own_nodes(function) if isinstance(sub, ast.Call)
               and isinstance(sub.func, ast.Attribute) and sub.func.attr in ("run", "run_server")
               and isinstance(sub.func.value, ast.Name)}
        local = self.local_symbols(function)
        for sub in module_level(function.body):
            if isinstance(sub, ast.Assign) and len(sub.targets) == 1 and isinstance(sub.targets[0], ast.Name) \
                    and sub.targets[0].id in ran and sub.targets[0].id not in self.scan.main_apps:
                value = self.value_sym(sub.value, sub.lineno, local)
                if value.kind == "new" and value.interface in ("wsgi", "asgi"):
                    self.scan.main_apps[sub.targets[0].id] = value
                    self.scan.main_run_in[sub.targets[0].id] = function.name

    def startup_hooks(self, tree: ast.Module) -> None:
        """The module's start-up hooks (module-level functions the framework calls when the server starts the app):
        their imports are startup_imports, and the registrations they make on an app are the module's, as those
        made at the top are (a FastAPI app whose routers are included in its start-up hook has them all)."""
        named: set[str] = set()
        for node in ast_nodes(tree):
            if not isinstance(node, ast.Call):
                continue
            # FastAPI(lifespan=lifespan), Starlette(on_startup=[startup])
            for k in node.keywords:
                if k.arg == "lifespan" and isinstance(k.value, ast.Name):
                    named.add(k.value.id)
                elif k.arg == "on_startup" and isinstance(k.value, (ast.List, ast.Tuple)):
                    named |= {e.id for e in k.value.elts if isinstance(e, ast.Name)}
            # app.add_event_handler("startup", startup), app.on_startup.append(init) (aiohttp)
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "add_event_handler" and len(node.args) == 2 \
                    and isinstance(node.args[0], ast.Constant) and node.args[0].value == "startup" \
                    and isinstance(node.args[1], ast.Name):
                named.add(node.args[1].id)
            elif isinstance(func, ast.Attribute) and func.attr == "append" and isinstance(func.value, ast.Attribute) \
                    and func.value.attr in _STARTUP_LISTS and node.args and isinstance(node.args[0], ast.Name):
                named.add(node.args[0].id)
        registered: set[str] = set()
        for node in tree.body:
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if node.name not in named and not any(_is_startup_decorator(d) for d in node.decorator_list):
                continue
            self.scan.startup_imports += list(self.function_imports(node))
            local = self.local_symbols(node)
            for sub in _own_nodes(node):
                if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) \
                        and sub.func.attr in fw.REGISTER_METHODS and not isinstance(sub.func.value, ast.Call):
                    target = self.sym_of(sub.func.value, {**self.scan.symbols, **local})
                    if target is not None and target.kind != "other":
                        text = _registered(sub)
                        self.scan.uses.append(Use(target, sub.func.attr, "call", sub.lineno, (), text=text))
                        registered.add(text)
        self.scan.startup_registrations = frozenset(registered)

    def framework_setup(self, body: list[ast.stmt]) -> Iterator[int]:
        """Lines of statements that change a framework module's own state (a call on, or an assignment to, an
        attribute of `bottle` or of a name imported from it), other than starting a server or debug mode."""
        for node in body:
            chains = _acted_on(node) or _decorating(node)
            if not chains:
                continue
            for chain in chains:
                root, names = _chain(chain)
                sym = self.scan.symbols.get(root or "")
                if sym is not None and sym.kind == "import" and not sym.level and names \
                        and sym.module.split(".")[0] in fw.FRAMEWORK_MODULES - fw.OWN_SERVER_STATE \
                        and not _starts_a_server(names):
                    yield node.lineno
                    break

    def object_setup(self, body: list[ast.stmt]) -> Iterator[tuple[str, int]]:
        """(name, line) of statements that call a method of, or assign to an attribute or item of, a name the
        module binds to an object (not a module), other than starting a server or setting debug mode
        (`app.config["DEBUG"] = True` is development's, which production leaves out)."""
        for node in body:
            chains = _acted_on(node) or _decorating(node)
            if not chains:
                continue
            if _mentions_debug(node):
                continue
            for chain in chains:
                root, names = _chain(chain)
                sym = self.scan.symbols.get(root or "")
                # a module (os.environ.setdefault, unittest.main) is never the app a server serves
                if sym is None or not names or _starts_a_server(names) or (sym.kind == "import" and sym.attr is None):
                    continue
                yield root, node.lineno
                break
            # the objects the call hands over are set up too: `BaseView.register(app)` (Flask-Classy routing the
            # app through a class it imports), `db.init_app(app)`, as much as `setup_routes(app)` is
            yield from ((name, node.lineno) for name in self.handed_to_setup(node))

    def handed_to_setup(self, node: ast.stmt) -> Iterator[str]:
        """Objects a statement hands to a setup function (`setup_app(app)`, `setup_routes(app)`: the routes, templates
        and database a script adds to its app before `web.run_app(app)`), not to a server start (`web.run_app(app)`,
        `uvicorn.run(app)`)."""
        if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
            return
        root, names = _chain(node.value.func)
        # a function the module defines or imports (not a builtin's print(app)), that starts no server
        if root is None or root not in self.scan.symbols or _starts_a_server([root, *names]):
            return
        for arg in (*node.value.args, *(k.value for k in node.value.keywords)):
            sym = self.scan.symbols.get(arg.id) if isinstance(arg, ast.Name) else None
            if sym is not None and not (sym.kind == "import" and sym.attr is None):
                yield arg.id

    def statement(self, node: ast.stmt) -> None:
        s = self.scan
        if isinstance(node, ast.Import):
            for alias in node.names:
                s.imports.append(Imp(alias.name, ()))
                if alias.asname:
                    s.symbols[alias.asname] = Sym("import", node.lineno, module=alias.name)
                else:
                    top = alias.name.split(".")[0]
                    s.symbols[top] = Sym("import", node.lineno, module=top)
            self._note_framework(node)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            s.imports.append(Imp(module, tuple(a.name for a in node.names), node.level))
            for alias in node.names:
                if alias.name != "*":
                    s.symbols[alias.asname or alias.name] = Sym("import", node.lineno, module=module,
                                                                attr=alias.name, level=node.level)
                elif node.level == 0 and module in fw.STAR_NAMES:
                    # `from dash import *` then `dash.Dash(__name__)`, `from bottle import *` then `@route`
                    for name in fw.STAR_NAMES[module]:
                        s.symbols[name] = Sym("import", node.lineno, module=module, attr=name)
                else:
                    s.star_imports.append(Imp(module, ("*",), node.level))
            self._note_framework(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.function(node)
        elif isinstance(node, ast.ClassDef):
            self.klass(node)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Tuple) \
                and isinstance(node.value, ast.Call) and (unpacked := self.unpacked_app(node.value, s.symbols)):
            # `app, db, login_manager = create_app()` at module level, the factory returning the app in a tuple:
            # the name at the app's place is the module's app
            index, app = unpacked
            elts = node.targets[0].elts
            if len(elts) > index and isinstance(elts[index], ast.Name):
                s.symbols[elts[index].id] = app
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = self.value_sym(node.value, node.lineno)
            if any(isinstance(target, ast.Name) and target.id == "__all__" for target in targets):
                s.star_modules = _star_modules(node.value)
            serves = isinstance(node.value, ast.Call) and self.qualname(node.value.func) in fw.SERVER_CLASSES
            for target in targets:
                if isinstance(target, ast.Name) and serves:
                    self.server_objects.add(target.id)
                if isinstance(target, ast.Name):
                    bound = value
                    if value.kind == "other" and (wrapped := self.rebound_flask_app(node.value, target.id)):
                        bound = wrapped
                    if value.kind == "wrap" and target.id not in APP_NAMES:
                        bound = Sym("wrapper", value.line, inner=value.inner)  # api = Api(app): a registrar
                    elif value.kind == "call" and value.consumes and not passes_app_through(node.value, target.id):
                        bound = Sym("call", value.line, inner=value.inner)     # api = make_api(app): not the app
                    s.symbols[target.id] = bound
                elif isinstance(target, ast.Attribute) and target.attr in fw.REGISTER_ATTRS:
                    self.use(target.value, target.attr, "assign", node.lineno)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            self.call(node.value)
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.Expr)):
            self.hug_module_api(node)
            if isinstance(node.value, ast.Call) and (imp := self.literal_import(node.value)) is not None:
                s.imports.append(imp)

    def literal_import(self, call: ast.Call) -> Imp | None:
        """`import_module("app.views")` (or `__import__`) of a name written out, at module level: an import like
        `import app.views`, so a package's __init__.py that loads its views this way registers their routes (the
        app's own import of them, which a server's import of the package runs). A relative name counts with the
        package it is resolved against (`import_module(".views", __package__)`, `__name__` in an __init__.py)."""
        func = call.func
        builtin = isinstance(func, ast.Name) and func.id == "__import__" and "__import__" not in self.scan.symbols
        if not (builtin or self.qualname(func) == "importlib.import_module") or not call.args:
            return None
        name = call.args[0]
        if not (isinstance(name, ast.Constant) and isinstance(name.value, str)) or not name.value.strip("."):
            return None
        dotted = name.value
        if not dotted.startswith("."):
            return Imp(dotted, ())
        package = call.args[1] if len(call.args) > 1 else \
            next((k.value for k in call.keywords if k.arg == "package"), None)
        own = ("__package__", "__name__") if PurePosixPath(self.scan.path).name == "__init__.py" else ("__package__",)
        if builtin or not (isinstance(package, ast.Name) and package.id in own):
            return None
        level = len(dotted) - len(dotted.lstrip("."))
        *parent, last = dotted[level:].split(".")
        return Imp(".".join(parent), (last,), level)     # `from .<parent> import <last>`

    def hug_module_api(self, node: ast.stmt) -> None:
        """`router = hug.route.API(__name__)` or `hug.API(__name__).http.add_middleware(...)` at module level: the
        module's own hug API, which hug serves as the module's __hug_wsgi__, as it does the decorators' API."""
        for sub in ast_nodes(node):
            if isinstance(sub, ast.Call) and self.qualname(sub.func) in fw.HUG_MODULE_APIS and sub.args \
                    and isinstance(sub.args[0], ast.Name) and sub.args[0].id == "__name__":
                self.scan.symbols.setdefault(fw.HUG_WSGI, Sym("new", sub.lineno, framework="hug", interface="wsgi"))
                return

    def _note_framework(self, node: ast.Import | ast.ImportFrom) -> None:
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        if any(n.split(".")[0] in fw.FRAMEWORK_DISTRIBUTIONS for n in names):
            self.scan.mentions_framework = True

    def imports_turbogears(self) -> bool:
        """The module imports TurboGears' `tg` (its configurators make the app by make_wsgi_app(), as Pyramid's do)."""
        return any(imp.level == 0 and (imp.module == "tg" or imp.module.startswith("tg."))
                   for imp in self.scan.imports)

    def arg_syms(self, call: ast.Call, symbols: dict[str, Sym] | None = None) -> tuple[Sym, ...]:
        values = [*call.args, *(k.value for k in call.keywords)]
        # a router given apps in a dict (Channels' ProtocolTypeRouter({"http": django_app}))
        values += [v for d in values if isinstance(d, ast.Dict) for v in d.values]
        # and an app mounted in the routes it is given (Starlette(routes=[Mount('/api', app=api)]), a Starlette Router
        # among them), or whose routes it takes (routes=api.routes)
        values += list(_mounted(values))
        return tuple(s for v in values if (s := self.sym_of(v, symbols)) is not None and s.kind != "other")

    def use(self, base: ast.expr, attr: str, how: str, line: int, call: ast.Call | None = None,
            endpoint: str = "") -> None:
        target = self.sym_of(base)
        if target is not None and target.kind != "other":
            args = self.arg_syms(call) if call is not None else ()
            self.scan.uses.append(Use(target, attr, how, line, args, endpoint,
                                      _registered(call) if call is not None else ""))

    def call(self, call: ast.Call) -> None:
        s = self.scan
        func = call.func
        qual = self.qualname(func)
        if isinstance(func, ast.Attribute) and fw.LOOP_FOREVER.search(ast.unparse(func)):
            s.loops_forever.append(ServerStart(call.lineno, f"{ast.unparse(func)}()"))
            return
        if qual in fw.CHERRYPY_TREE_MOUNTS:
            s.tree_mounts.append(call.lineno)
        if qual in fw.SERVER_FUNCS:
            s.server_starts.append(ServerStart(call.lineno, f"{qual}()"))
            return
        if qual in fw.COOPERATIVE_PATCHES:
            s.patches = fw.COOPERATIVE_PATCHES[qual]
            return
        if isinstance(func, ast.Attribute):
            made = func.value.func if isinstance(func.value, ast.Call) else None
            if func.attr in fw.SERVER_OBJECT_STARTS and (
                    (isinstance(func.value, ast.Name) and func.value.id in self.server_objects)
                    or (made is not None and self.qualname(made) in fw.SERVER_CLASSES)):
                # server.start() of `server = CherryPyWSGIServer(addr, app)`: serving, as bottle.run() is
                s.server_starts.append(ServerStart(call.lineno, f"{ast.unparse(func)}()"))
                return
            if func.attr in fw.SERVE_METHODS:
                s.server_starts.append(ServerStart(call.lineno, f"{ast.unparse(func)}()"))
                return
            if func.attr in fw.APP_SERVER_METHODS:
                target = self.sym_of(func.value)
                if target is not None and target.kind not in ("other", "wrapper"):
                    given = [*call.args[:1], *(k.value for k in call.keywords if k.arg == "app")]
                    served = self.sym_of(given[0]) if given else None
                    s.server_starts.append(ServerStart(call.lineno, f"{ast.unparse(func)}()", target,
                                                       served if served is not None and served.kind != "other"
                                                       else None))
                    return
            if func.attr in fw.APP_ARGUMENT_REGISTERS and call.args:
                self.use(call.args[0], func.attr, "argument", call.lineno)   # View.register(app): on app
            base = func.value
            if isinstance(base, ast.Attribute) and base.attr in fw.ROUTER_ATTRS:
                base = base.value      # app.router.add_get(...) registers on app
            self.use(base, func.attr, "call", call.lineno, call)
        elif isinstance(func, ast.Name):
            sym = s.symbols.get(func.id)
            if sym and sym.kind == "import" and sym.module == "bottle" and sym.attr == "run":
                s.server_starts.append(ServerStart(call.lineno, "run()"))
            elif sym and sym.kind == "import" and sym.module == "bottle" and sym.attr in fw.BOTTLE_ROUTE_FUNCS:
                s.bottle_routes.append(call.lineno)

    def decorators(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        for dec in node.decorator_list:
            func = dec.func if isinstance(dec, ast.Call) else dec
            qual = self.qualname(func)
            if qual and qual.startswith("bottle.") and qual.split(".")[-1] in fw.BOTTLE_ROUTE_FUNCS:
                self.scan.bottle_routes.append(dec.lineno)
            elif qual and qual.split(".")[0] == "hug" and qual.split(".")[-1] in fw.HUG_ROUTE_DECORATORS:
                # the module's own API, which hug serves as the module's __hug_wsgi__ once it is imported
                self.scan.symbols.setdefault(fw.HUG_WSGI, Sym("new", dec.lineno, framework="hug", interface="wsgi"))
            elif isinstance(func, ast.Attribute):
                named = [k.value.value for k in dec.keywords if k.arg == "endpoint" and isinstance(k.value, ast.Constant)
                         and isinstance(k.value.value, str)] if isinstance(dec, ast.Call) else []
                self.use(func.value, func.attr, "decorator", dec.lineno,
                         endpoint=named[0] if named else getattr(node, "name", ""))

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.decorators(node)
        s = self.scan
        params = [a.arg for a in [*node.args.posonlyargs, *node.args.args]]
        if params[:2] in (["environ", "start_response"], ["env", "start_response"]):
            s.symbols[node.name] = Sym("wsgi", node.lineno, "wsgi", "wsgi")
            return
        if isinstance(node, ast.AsyncFunctionDef) and params[:3] == ["scope", "receive", "send"]:
            # decorated, the name holds what the decorator returns: a framework's route handler (Litestar's
            # @asgi("/admin/", is_mount=True) mounts it in the app), not an app of its own
            if not node.decorator_list:
                s.symbols[node.name] = Sym("wsgi", node.lineno, "asgi", "asgi")
            return
        made = self.factory_product(node) if self.may_make_apps else None
        if made is None and self.may_make_apps:
            self.own_server(node, node.name)
        if made is not None and made.kind == "tuple":
            self.tuple_makers[node.name] = (made.line, made.inner)   # line holds the index
            made = None
        if made is not None:
            self.bind_factory(node, made)
        elif (configured := self.configured_global(node)) is not None:
            # `app = Flask(__name__)` above, `def create_app(config): app.config.from_object(config); ...; return
            # app`: calling it gives the module's own app, set up (main.py's `app = create_app(config['dev'])`)
            s.symbols[node.name] = Sym("configurer", node.lineno, configured.framework, configured.interface,
                                       needs_args=_required_params(node.args), inner=configured,
                                       func_imports=tuple(self.function_imports(node)))
        else:
            s.symbols[node.name] = Sym("other", node.lineno)

    def factories_of_later_classes(self, tree: ast.Module) -> None:
        """Factories that make an app of a framework subclass the module defines below them (`def create_app():
        app = ConstructoraApp(__name__)` above `class ConstructoraApp(Flask): pass`): Python looks the class up
        when the factory runs, so once the whole module is read the function is the factory it looked no more."""
        if not self.may_make_apps:
            return
        classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)
                   and (sym := self.scan.symbols.get(node.name)) is not None and sym.kind == "class"}
        for node in tree.body:
            if not classes or not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            sym = self.scan.symbols.get(node.name)
            if sym is None or sym.kind != "other" or not any(
                    isinstance(sub, ast.Name) and sub.id in classes for sub in ast_nodes(node)):
                continue
            made = self.factory_product(node)
            if made is not None and made.kind != "tuple":
                self.bind_factory(node, made)

    def bind_factory(self, node: ast.FunctionDef | ast.AsyncFunctionDef, made: Sym) -> None:
        """The function's name is a factory of the app `made` (factory_product's)."""
        s = self.scan
        imports = tuple(self.function_imports(node))
        delegate = made.inner if made.kind == "call" or made.kind == "new" and constructs_itself(made.inner) \
            else None
        if made.kind == "call" and (annotated := self.annotated_product(node, self.local_symbols(node))):
            # it returns what an outside helper makes (`return make_service()`): the annotation says whose app
            made = replace(made, framework=annotated.framework, interface=annotated.interface)
        s.symbols[node.name] = Sym("factory", node.lineno, made.framework, made.interface,
                                   needs_args=_required_params(node.args), func_imports=imports,
                                   awaitable=isinstance(node, ast.AsyncFunctionDef), inner=delegate,
                                   consumes=made.consumes if made.kind == "call" else ())

    def configured_global(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Sym | None:
        """The module-level app a function returns by its module-level name, never binding that name itself:
        every `return` of the function returns it. The app made in the module, or one it imports by name and sets
        up in the function (`app.config...`)."""
        # its own returns: not those of a function or class it defines inside (a logging.Filter's `return True`)
        returns = [sub.value for sub in _own_nodes(node) if isinstance(sub, ast.Return) and sub.value is not None]
        names = {r.id for r in returns if isinstance(r, ast.Name)}
        if not returns or len(names) != 1 or len(returns) != sum(isinstance(r, ast.Name) for r in returns):
            return None
        name = names.pop()
        bound = {t.id for sub in ast_nodes(node) for t in _acted_on(sub) if isinstance(t, ast.Name)} \
            | {a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)}
        app = self.scan.symbols.get(name)
        if name in bound or app is None:
            return None
        if app.kind == "import" and app.attr is not None and any(
                isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) and sub.value.id == name
                for sub in ast_nodes(node)):
            # `from app import app` above, `def create_app(name): app.config.from_object(config[name]); ...;
            # return app` (Flask-User's starter app/startup/create_app.py): it sets up the app another module
            # made; entry/graph resolves the import, and an import that is no app gives no candidate
            return app
        if app.kind != "new":
            return None
        return app

    def function_imports(self, node: ast.AST) -> Iterator[Imp]:
        for sub in ast_nodes(node):
            if isinstance(sub, ast.Import):
                yield from (Imp(a.name, ()) for a in sub.names)
            elif isinstance(sub, ast.ImportFrom):
                yield Imp(sub.module or "", tuple(a.name for a in sub.names), sub.level)

    def factory_product(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Sym | None:
        """The app a function builds and returns, if it is an app factory: a "new" (or "bottle_default") Sym,
        a "call" Sym when it returns what another factory makes, or a "tuple" Sym (index in `line`) when it
        returns the app inside a tuple."""
        local = self.local_symbols(node)
        made: dict[str, Sym] = {}
        for sub in ast_nodes(node):
            if not isinstance(sub, ast.Assign):
                continue
            value = sub.value.value if isinstance(sub.value, ast.Await) else sub.value
            if not isinstance(value, ast.Call):
                continue
            unpacked = self.unpacked_app(value, local)
            if unpacked is not None:     # app, host, port = await init()
                index, app = unpacked
                for t in sub.targets:
                    if isinstance(t, ast.Tuple) and len(t.elts) > index and isinstance(t.elts[index], ast.Name):
                        made[t.elts[index].id] = app
                continue
            sym = _made_here(self.value_sym(value, sub.lineno, local))
            passed = self.passed_through(value, made, sym, local)
            kept = [t.id for t in sub.targets if isinstance(t, ast.Name) and passes_app_through(value, t.id)]
            if passed is not None and kept:      # app = cors(app): still the app made above
                made.update(dict.fromkeys(kept, passed))
                continue
            if sym.kind in ("new", "bottle_default") or self.delegated(sym):
                for t in sub.targets:
                    if isinstance(t, ast.Name):
                        made[t.id] = sym
        for sub in ast_nodes(node):
            if not isinstance(sub, ast.Return) or sub.value is None:
                continue
            returned = sub.value.value if isinstance(sub.value, ast.Await) else sub.value
            if isinstance(returned, ast.Name) and returned.id in made:
                return self.product(made[returned.id])
            if isinstance(returned, ast.Tuple):
                for index, elt in enumerate(returned.elts):
                    if isinstance(elt, ast.Name) and elt.id in made and made[elt.id].kind == "new":
                        return Sym("tuple", index, made[elt.id].framework, made[elt.id].interface,
                                   inner=made[elt.id])
                    # `return config.make_wsgi_app(), config`: the app made in the tuple itself
                    value = _made_here(self.value_sym(elt, sub.lineno, local)) if isinstance(elt, ast.Call) \
                        else None
                    if value is not None and value.kind == "new":
                        return Sym("tuple", index, value.framework, value.interface, inner=value)
            if isinstance(returned, ast.Call):
                value = _made_here(self.value_sym(returned, sub.lineno, local))
                passed = self.passed_through(returned, made, value, local)
                if passed is not None:       # return cors(app)
                    return self.product(passed)
                if value.kind in ("new", "bottle_default") or self.delegated(value):
                    return self.product(value)
                if value.kind == "wrap" and isinstance(value.inner, Sym):
                    arg = next((a for a in returned.args if isinstance(a, ast.Name) and a.id in made), None)
                    if arg is not None:
                        return self.product(made[arg.id])
        return self.annotated_product(node, local)

    def annotated_product(self, node: ast.FunctionDef | ast.AsyncFunctionDef, local: dict[str, Sym]) -> Sym | None:
        """A new app of the framework whose app class the function's return annotation names (`def build_app() ->
        litestar.Litestar`), when what it returns is built by code this module cannot read (a bootstrapper's
        `bootstrap()`, a platform kit's helper): every return gives a call's value, or a name the function binds
        itself. A function returning a module-level name (a getter of the module's app) is not one."""
        annotation = node.returns
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                annotation = ast.parse(annotation.value, mode="eval").body
            except SyntaxError:
                return None
        qual = self.qualname(annotation, local) if annotation is not None else None
        if qual not in fw.CONSTRUCTORS:
            return None
        bound = {t.id for sub in ast_nodes(node) if isinstance(sub, (ast.Assign, ast.AnnAssign))
                 for t in (sub.targets if isinstance(sub, ast.Assign) else [sub.target]) if isinstance(t, ast.Name)}
        returns = [sub.value.value if isinstance(sub.value, ast.Await) else sub.value
                   for sub in ast_nodes(node) if isinstance(sub, ast.Return) and sub.value is not None]
        if not returns or not all(isinstance(r, ast.Call) or isinstance(r, ast.Name) and r.id in bound
                                  for r in returns):
            return None
        framework, interface = fw.CONSTRUCTORS[qual]
        return Sym("new", node.lineno, framework, interface)

    def passed_through(self, call: ast.Call, made: dict[str, Sym], value: Sym,
                       symbols: dict[str, Sym] | None = None) -> Sym | None:
        """What `call` (whose value reads as `value`) gives when it is given, as its first argument, an app made
        earlier in the function: that app for a function that makes none (a local helper), the call itself
        keeping the app for one that may (an imported name, resolved across modules: quart_cors.cors is no
        factory of the project, so the app it is given is what it returns); None when it is given no app."""
        first = call.args[0] if call.args else None
        app = made.get(first.id) if isinstance(first, ast.Name) else None
        if app is None or self.qualname(call.func, symbols) in fw.SERVER_FUNCS:
            return None     # `return web.run_app(app)` serves the app until it stops, it gives nothing back
        if value.kind in ("new", "bottle_default"):
            return None
        if value.kind == "call":
            return replace(value, consumes=(app,)) if value.inner is not None and value.inner.kind == "import" \
                else None
        return app

    def own_server(self, node: ast.AST, function: str) -> None:
        """Record `function` when it makes an app and calls one of its framework's serving methods on it,
        or on a server made with it (`HTTPServer(app).listen(port)`, `server.bind(port)`)."""
        local = self.local_symbols(node)
        made: dict[str, Sym] = {}
        servers: set[str] = set()      # names of WSGI server objects made with an app (httpd = make_server(...))

        def made_by(call: ast.Call, line: int) -> Sym | None:
            """The app a call makes: a constructor's, this module's factory's (app = make_app()), or, pending,
            an imported name's (Application() from the project's app.py: Sym "new" with no framework yet)."""
            sym = self.value_sym(call, line, local)
            if sym.kind == "call" and sym.inner is not None and sym.inner.kind == "factory":
                return Sym("new", line, sym.inner.framework, sym.inner.interface)
            if sym.kind == "call" and sym.inner is not None and sym.inner.kind == "import" and sym.inner.attr:
                return Sym("new", line, inner=sym.inner)
            return sym if sym.kind == "new" else None

        def given(args: list[ast.expr], line: int) -> Sym | None:
            """The app among a server's arguments: one made above, or made right there (HTTPServer(Application()))."""
            for a in args:
                if isinstance(a, ast.Name) and a.id in made:
                    return made[a.id]
                if isinstance(a, ast.Call) and (sym := made_by(a, line)) is not None:
                    return sym
            return None

        for sub in ast_nodes(node):
            if isinstance(sub, ast.Assign):
                value = sub.value.value if isinstance(sub.value, ast.Await) else sub.value
                if not isinstance(value, ast.Call):
                    continue
                sym = made_by(value, sub.lineno)
                if sym is None or not sym.framework:
                    # a server made with the app (`server = HTTPServer(app)`) serves that app
                    served = given(value.args, sub.lineno)
                    if served is not None and self.qualname(value.func, local) in fw.SERVER_FUNCS | fw.SERVER_CLASSES:
                        servers.update(t.id for t in sub.targets if isinstance(t, ast.Name))
                    sym = served or sym
                if sym is not None:
                    for t in sub.targets:
                        if isinstance(t, ast.Name):
                            made[t.id] = sym
        for sub in ast_nodes(node):
            if not isinstance(sub, ast.Call):
                continue
            runs = fw.RUNS_ITSELF.get(self.qualname(sub.func, local) or "")
            arg = sub.args[0] if sub.args else next((k.value for k in sub.keywords if k.arg == "app"), None)
            if runs and isinstance(arg, ast.Name) and arg.id in made and made[arg.id].framework == runs:
                # web.run_app(app, port=...): the app's own server, given the app made above
                self.scan.own_servers.append(OwnServer(sub.lineno, function, runs, made[arg.id].interface))
                return
            if not isinstance(sub.func, ast.Attribute):
                continue
            base = sub.func.value
            app = made.get(base.id) if isinstance(base, ast.Name) else None
            if app is None and isinstance(base, ast.Call):
                app = given(base.args, sub.lineno)
            if app is None:
                continue
            if app.framework and app.interface == "wsgi" and sub.func.attr in fw.SERVE_METHODS and (
                    base.id in servers if isinstance(base, ast.Name)
                    else self.qualname(base.func, local) in fw.SERVER_FUNCS | fw.SERVER_CLASSES):
                # `make_server('', 9000, app).serve_forever()` in the function that made the app (a Falcon or
                # Pyramid factory that serves the app it makes and returns nothing): the app's own server too
                self.scan.own_servers.append(OwnServer(sub.lineno, function, app.framework, app.interface))
                return
            if app.framework and sub.func.attr in fw.SERVES_ITSELF.get(app.framework, ()):
                self.scan.own_servers.append(OwnServer(sub.lineno, function, app.framework, app.interface))
                return
            if not app.framework and any(sub.func.attr in methods for methods in fw.SERVES_ITSELF.values()):
                self.scan.own_servers.append(OwnServer(sub.lineno, function, "", "", maker=app.inner))
                return

    def callees(self, node: ast.AST) -> tuple[Sym, ...]:
        """The imported names and the module's own functions that `node` calls (see calls_of)."""
        calls, imports = [], False
        for sub in ast_nodes(node):
            if isinstance(sub, ast.Call):
                calls.append(sub)
            elif isinstance(sub, (ast.Import, ast.ImportFrom)):
                imports = True
        # the module's own names, unless the function imports some itself (copying them costs on large projects)
        local = self.local_symbols(node) if imports else self.scan.symbols
        found: dict[tuple[str, str | None, int], Sym] = {}
        for sub in calls:
            if isinstance(sub.func, ast.Name) and sub.func.id in self.own_functions \
                    and getattr(local.get(sub.func.id), "kind", "") != "import":
                found.setdefault(("", sub.func.id, -1), Sym("own", sub.lineno, attr=sub.func.id))
                continue
            sym = self.sym_of(sub.func, local)
            if sym is not None and sym.kind == "import" and sym.attr:
                found.setdefault((sym.module, sym.attr, sym.level), sym)
        return tuple(found.values())[:64]

    def local_symbols(self, node: ast.AST) -> dict[str, Sym]:
        """The module's symbols plus what a function imports inside its body."""
        local: dict[str, Sym] = dict(self.scan.symbols)
        for sub in ast_nodes(node):
            if isinstance(sub, (ast.Import, ast.ImportFrom)):
                for alias in sub.names:
                    if isinstance(sub, ast.Import):
                        local[alias.asname or alias.name.split(".")[0]] = Sym(
                            "import", module=alias.name if alias.asname else alias.name.split(".")[0])
                    else:
                        local[alias.asname or alias.name] = Sym("import", module=sub.module or "",
                                                                attr=alias.name, level=sub.level)
        return local

    def delegated(self, sym: Sym) -> bool:
        """A call of a factory of this module, or of an imported name (entry/graph decides if it is one)."""
        return sym.kind == "call" and sym.inner is not None and sym.inner.kind in ("factory", "import")

    @staticmethod
    def product(sym: Sym) -> Sym:
        """What a factory returning `sym` makes; a call of another factory keeps that factory's framework."""
        if sym.kind == "call" and sym.inner is not None and sym.inner.kind == "factory":
            return Sym("call", sym.line, sym.inner.framework, sym.inner.interface, inner=sym.inner)
        return sym

    def unpacked_app(self, call: ast.Call, local: dict[str, Sym]) -> tuple[int, Sym] | None:
        """(index, app) when `call` calls a function of this module that returns the app inside a tuple."""
        if isinstance(call.func, ast.Name) and call.func.id in self.tuple_makers \
                and local.get(call.func.id) is self.scan.symbols.get(call.func.id):
            return self.tuple_makers[call.func.id]
        return None

    def klass(self, node: ast.ClassDef) -> None:
        self.decorators(node)
        for base in node.bases:
            qual = self.qualname(base)
            if qual in fw.CONSTRUCTORS:
                framework, interface = fw.CONSTRUCTORS[qual]
                init = next((item for item in node.body if isinstance(item, ast.FunctionDef)
                             and item.name == "__init__"), None)
                self.scan.symbols[node.name] = Sym("class", node.lineno, framework, interface,
                                                   needs_args=_required_params(init.args)[1:] if init else (),
                                                   own_init=init is not None)
                return
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == "__call__":
                params = [a.arg for a in item.args.args][1:]
                if params[:2] in (["environ", "start_response"], ["env", "start_response"]):
                    self.scan.symbols[node.name] = Sym("class", node.lineno, "wsgi", "wsgi")
                    return
                if isinstance(item, ast.AsyncFunctionDef) and params[:3] == ["scope", "receive", "send"]:
                    self.scan.symbols[node.name] = Sym("class", node.lineno, "asgi", "asgi")
                    return
        self.scan.symbols[node.name] = Sym("other", node.lineno)
