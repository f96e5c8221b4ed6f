"""Scripts that start the app's own server: tornado's demos build their Application inside main() and call
`app.listen(options.port)`; aiohttp apps end a function in `web.run_app(app, port=...)`; so no module exposes an
app a server could load. When nothing else is found, such a script is the entry (kind "script"): a module with
a `__main__` block (or a package's __main__.py, run as `python -m pkg`) that starts the server itself, or
through the project's functions it calls (runserver.py calling the package's main(config)), or a console
script the project declares (setup.py's `serve_app = pkg:main`, [project.scripts]) whose function does. It is run as `python script.py --port=N` (a tornado.options
`port` it parses from the command line) or with PORT=N (an environment variable it reads); a script that takes
neither (`app.listen(8000)`, a port of its own; run_app given its config file's port) runs through
shipyard_entry.py, which binds its listen call (or run_app) to the port Shipyard gives. A console script always
runs through shipyard_entry.py, which calls its function as the installed script would."""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from pathlib import PurePosixPath

from ...plan import Entry
from ...script_options import database_part
from ..appscan import OwnServer, Sym, _is_main_guard, calls_of
from ..ast_nodes import ast_nodes
from ..frameworks import SERVES_ITSELF
from ..entry_points import console_scripts
from ..findings import EntryFinding
from .graph import Analysis
from .model import AppDef, Candidate, Module
from .relative_paths import run_by_path

# tornado.options: define("port", ...) read by parse_command_line(), which takes --port=N
_OPTION = re.compile(r"""\bdefine\(\s*["']([A-Za-z_]\w*)["']""")
_PARSES_COMMAND_LINE = re.compile(r"\bparse_command_line\(")
_PORT_ENV = re.compile(r"""environ(?:\.get\(|\[)\s*["']PORT["']|getenv\(\s*["']PORT["']""")
_TARGET = re.compile(r"([A-Za-z_][\w.]*):([A-Za-z_]\w*)")
# how far a run follows calls into the project's functions to the one that starts the server
MAX_HOPS = 4


def script_candidates(analysis: Analysis) -> list[Candidate]:
    """One candidate per app whose own server a script starts: a module with a `__main__` block whose function
    starts it, then a console script whose function does, then a `__main__` block that calls into the project
    to a function that does (one script per app, in that order)."""
    runs_of = _Runs(analysis)
    own, consoles, runs = [], [], []
    for module in analysis.modules.values():
        # a script with no `__main__` guard whose top level runs the function that starts its server
        runs_on_import = any(s.function in module.scan.import_calls or s.function == "__main__"
                             for s in module.scan.own_servers)
        if module.decoy:
            continue
        if not (module.scan.main_guard or module.path.rsplit("/", 1)[-1] == "__main__.py" or runs_on_import):
            # a script with no guard whose top level runs a function of the project that starts the server
            # (aiohttp's run_server.py: `loop.run_until_complete(init(loop))`, init in the package)
            if (started := runs_of.server_started_by(module.path, "__main__")) and started[0] != module.path:
                runs.append(_candidate(module, "__main__", started))
            continue
        servers = runs_of.own_servers(module.path)
        for server in servers[:1]:
            app = AppDef(module.path, server.line, server.framework, server.interface)
            own.append(Candidate(module, server.function, app, "script"))
        if not servers and (started := runs_of.server_started_by(module.path, "__main__")):
            runs.append(_candidate(module, "__main__", started))
    for name, target in sorted(console_scripts(analysis.project).items()):
        m = _TARGET.fullmatch(target)
        module = _module_named(analysis, m.group(1)) if m else None
        if module is not None and (started := runs_of.server_started_by(module.path, m.group(2))):
            consoles.append(_candidate(module, m.group(2), started, name))
    for module in analysis.modules.values():
        # `./manage.py run`: an argparse subcommand whose handler (set_defaults(func=run_server)) starts the server;
        # run bare, the script only prints its help, so the handler is run as a console script's function is
        if module.decoy or not module.scan.main_guard:
            continue
        for command, handler in subcommand_handlers(analysis.project.read_text(module.path)):
            sym = module.scan.symbols.get(handler)
            located = runs_of.located(module.path, sym) if sym is not None else None
            target = analysis.modules.get(located[0]) if located else None
            if target is not None and (started := runs_of.server_started_by(*located)):
                consoles.append(_candidate(target, located[1], started, f"{module.path} {command}"))
    chosen: dict[AppDef, Candidate] = {}
    for c in own + consoles + runs:
        chosen.setdefault(c.app, c)
    return list(chosen.values())


def subcommand_handlers(text: str) -> list[tuple[str, str]]:
    """(subcommand, function name) of the argparse subcommands a script's `__main__` block dispatches to:
    `run = subparsers.add_parser("run"); run.set_defaults(func=run_server)`, later called as `args.func()`."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    found: list[tuple[str, str]] = []
    for guard in (node for node in tree.body if _is_main_guard(node)):
        parsers: dict[str, str] = {}        # variable -> the subcommand its add_parser names
        for node in ast_nodes(guard):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) \
                    and isinstance(node.value.func, ast.Attribute) and node.value.func.attr == "add_parser" \
                    and node.value.args and isinstance(node.value.args[0], ast.Constant):
                parsers.update({t.id: str(node.value.args[0].value) for t in node.targets if isinstance(t, ast.Name)})
        for node in ast_nodes(guard):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "set_defaults" \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id in parsers:
                found += [(parsers[node.func.value.id], kw.value.id) for kw in node.keywords
                          if isinstance(kw.value, ast.Name)]
    return found


def _candidate(module: Module, attr: str, started: tuple[str, OwnServer, tuple[str, ...]],
               console: str | None = None) -> Candidate:
    path, server, via = started
    return Candidate(module, attr, AppDef(path, server.line, server.framework, server.interface), "script",
                     console_script=console, via=via)


def _module_named(analysis: Analysis, dotted: str) -> Module | None:
    """The project's module of that dotted name (a console script's), from the root folder first."""
    named = [m for m in analysis.modules.values() if m.name == dotted and not m.decoy]
    return min(named, key=lambda m: (m.root not in ("", "."), len(m.path)), default=None)


class _Runs:
    """Where running a function leads, following its calls into the project's functions."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.calls: dict[tuple[str, str], tuple[Sym, ...] | None] = {}

    def server_started_by(self, path: str, function: str,
                          hops: int = 0) -> tuple[str, OwnServer, tuple[str, ...]] | None:
        """(the module, its server start, the functions passed on the way) when running `function` of module
        `path` ("__main__": its guarded block) starts an app's own server, itself or through the project's
        functions it calls, at most MAX_HOPS calls deep."""
        module = self.analysis.modules.get(path)
        if module is None or module.decoy or hops > MAX_HOPS:
            return None
        for server in self.own_servers(path):
            if server.function == function:
                return path, server, ()
        for callee in self.calls_of(path, function) or ():
            located = self.located(path, callee)
            if located is None or located == (path, function):
                continue
            found = self.server_started_by(*located, hops + 1)
            if found is not None:
                return found[0], found[1], (f"{located[0]}:{located[1]}", *found[2])
        return None

    def own_servers(self, path: str) -> list[OwnServer]:
        """The module's own server starts, each with its framework: an app made by a class or factory the module
        imports from the project (`HTTPServer(Application()).listen(...)`) takes that one's framework, when
        it is one whose app serves itself (tornado's Application subclass); one made by anything else is none."""
        module = self.analysis.modules.get(path)
        out = []
        for server in module.scan.own_servers if module is not None else ():
            if server.maker is not None:
                found = self.analysis.imported(path, server.maker)
                sym = found[1] if found else None
                made = self.analysis.resolve(found[0], sym) if sym is not None and sym.kind != "class" else None
                framework, interface = (sym.framework, sym.interface) if sym is not None and sym.kind == "class" \
                    else (made[0].framework, made[0].interface) if made and made[1] == "factory" else ("", "")
                if framework not in SERVES_ITSELF:
                    continue
                server = replace(server, framework=framework, interface=interface, maker=None)
            out.append(server)
        return out

    def calls_of(self, path: str, function: str) -> tuple[Sym, ...] | None:
        """appscan.calls_of, once per module and function."""
        if (path, function) not in self.calls:
            try:
                found = calls_of(path, self.analysis.project.read_text(path), function)
            except (SyntaxError, ValueError, RecursionError):
                found = None
            self.calls[path, function] = found
        return self.calls[path, function]

    def located(self, path: str, sym: Sym, depth: int = 0) -> tuple[str, str] | None:
        """(module path, function name) of a called name: one of the module's own functions, or a function of
        the project that it imports (through re-exports, as a package's __init__.py gives its modules' names)."""
        if sym.kind == "own":
            return path, sym.attr or ""
        if sym.kind != "import" or not sym.attr or depth > 4:
            return None
        module = self.analysis.modules.get(path)
        base = module.root if module else "."
        if sym.level:
            base = str(PurePosixPath(path).parent)
            for _ in range(sym.level - 1):
                base = str(PurePosixPath(base).parent)
        files = self.analysis.module_files(base, sym.module)
        target = self.analysis.modules.get(files[-1]) if files else None
        if target is None:
            return None
        if self.calls_of(target.path, sym.attr) is not None:
            return target.path, sym.attr
        inner = target.scan.symbols.get(sym.attr)
        return self.located(target.path, inner, depth + 1) if inner is not None else None


def _texts(analysis: Analysis, c: Candidate) -> str:
    """The text of every module the script's run goes through: where it defines and parses its options."""
    paths = dict.fromkeys([c.module.path, *(v.rsplit(":", 1)[0] for v in c.via), c.app.path])
    return "\n".join(analysis.project.read_text(p) for p in paths)


def command_line_options(text: str) -> tuple[str, ...]:
    """The tornado.options the script defines, when it parses its command line (else none can be given)."""
    if not _PARSES_COMMAND_LINE.search(text):
        return ()
    return tuple(dict.fromkeys(_OPTION.findall(text)))


def port_from(text: str) -> str:
    """How the script is told its port: "--port", "PORT", or "listen" when it takes none Shipyard can see
    (its own port: tornado's socket binding is given Shipyard's instead, through shipyard_entry.py)."""
    if "port" in command_line_options(text):
        return "--port"
    if _PORT_ENV.search(text):
        return "PORT"
    return "listen"


def script_finding(analysis: Analysis, c: Candidate, notes: list[str]) -> EntryFinding:
    text = _texts(analysis, c)
    tornado = c.app.framework == "tornado"
    port = port_from(text) if tornado else ("PORT" if _PORT_ENV.search(text) else "listen")
    db_options = tuple(name for name in command_line_options(text) if database_part(name)) if tornado else ()
    rebinds = "binds the port it listens on itself to the one" if tornado else \
        "gives the wsgiref make_server it calls the port" if c.app.interface == "wsgi" else \
        "gives the web.run_app (or TCPSite) it calls the port"
    how = {"--port": "--port=N (its tornado.options port)", "PORT": "PORT=N in its environment (it reads PORT)",
           "listen": f"its port through shipyard_entry.py, which {rebinds} Shipyard gives (it "
                     + ("defines no tornado.options `port` and reads no PORT variable)" if tornado else
                        "reads no PORT variable)")}[port]
    through = f", through {' then '.join(f'{v}()' for v in c.via)}" if c.via else ""
    if c.console_script and " " in c.console_script:       # an argparse subcommand's handler
        what = (f"`python {c.console_script}` runs {c.module.name}:{c.attr}, which starts its own {c.app.framework} "
                f"server ({c.app.where}{through}): shipyard_entry.py calls that function,")
    elif c.console_script:
        what = (f"the project's console script `{c.console_script}` ({c.module.name}:{c.attr}) starts its own "
                f"{c.app.framework} server ({c.app.where}{through}): shipyard_entry.py runs it as the installed "
                "script does, calling that function,")
    else:
        where = f"{c.attr}()" if c.attr != "__main__" else "its `if __name__ == '__main__':` block" \
            if c.module.scan.main_guard else "its module-level code"
        what = f"{c.module.path} starts its own {c.app.framework} server in {where} ({c.app.where}{through}): it " \
               "runs as a script,"
    factory = "a make_app() factory" if tornado else "a factory that returns the app"
    notes = [*notes, f"{what} told {how}; a module-level app or {factory} would let Shipyard run several worker "
             "processes instead of one"]
    if db_options:
        notes.append(f"{c.module.path} takes its database as tornado.options ({', '.join(db_options)}): serve and "
                     "dev give them the database they bring, or DATABASE_URL's, on its command line")
    workdir, import_folder = c.module.root, None
    if not c.console_script and (by_path := run_by_path(analysis, c.module)):
        workdir, import_folder = ".", c.module.root
        notes.append(by_path)
    entry = Entry(module=c.module.name, attr=c.attr, kind="script", interface=c.app.interface, port_from=port,
                  db_options=db_options, console_script=c.console_script, import_folder=import_folder)
    return EntryFinding(framework=c.app.framework, entry=entry, workdir=workdir, notes=tuple(notes))
