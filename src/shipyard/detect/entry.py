"""The entry-point detector: which object a server must load, from which folder.

`find` reads the source only (ast, never executing user code): it collects every app definition
(framework constructors, factories, plain WSGI/ASGI callables, Django's wsgi.py, Pyramid paste
factories), every module-level name that exposes one, and every module that registers routes on one;
then it scores the candidates. The winner is the candidate whose import closure includes all the
route registrations of its app (an app made in one module and routed in another is only complete
when the module that imports the routes is loaded), preferring conventional entry files.

`confirm` imports the chosen candidate with the app's own interpreter, in a separate, time-limited
process (probe.py), because static reading alone can be fooled.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path, PurePosixPath

from ..errors import AmbiguousApp, AppLoadError, AppNotFound, MissingDependency
from ..plan import Entry
from ..project import Project
from . import appscan
from . import frameworks as fw
from .imports import distribution_for
from .appscan import Imp, ModuleScan, Sym
from .findings import EntryFinding

HOW_TO_CHOOSE = 'choose one with --entry module:attr or entry = "module:attr" under [tool.shipyard] in pyproject.toml'
# Conventional names of entry files: higher wins among candidates that expose the same complete app.
ENTRY_FILE_RANK = {"wsgi": 10, "asgi": 9, "run": 8, "manager": 7, "manage": 7, "server": 6, "main": 6,
                   "application": 5, "app": 5, "index": 4, "api": 3}
MAX_SOURCE_BYTES = 2_000_000
_SUSPICIOUS = re.compile(r"\b(Flask|Bottle|FastAPI|Starlette|Dash|falcon\.App|create_app|make_app|"
                         r"get_wsgi_application|make_wsgi_app|default_app|start_response)\b")


# --- the model ----------------------------------------------------------------------------------

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
    needs_args: tuple[str, ...] = ()
    func_imports: tuple[tuple[str, Imp], ...] = ()   # factory: (file, import) run when it is called

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


BOTTLE_DEFAULT = AppDef("<bottle default app>", 0, "bottle", "wsgi")


@dataclass
class Candidate:
    module: Module
    attr: str                       # "app", "create_app()", "main" (paste)
    app: AppDef
    kind: str                       # "attribute" | "factory" | "django" | "paste"
    dash_server: bool = False       # `server = app.server` of a Dash app
    paste_ini: str | None = None    # relative to the module's root
    closure: frozenset[str] = frozenset()
    covered: int = 0
    server_starts: tuple[tuple[str, appscan.ServerStart], ...] = ()

    @property
    def target(self) -> str:
        return f"{self.module.name}:{self.attr}"


@dataclass
class _Analysis:
    project: Project
    modules: dict[str, Module] = field(default_factory=dict)
    syntax_errors: dict[str, SyntaxError] = field(default_factory=dict)

    # -- module lookup ----------------------------------------------------------------------
    @cached_property
    def files(self) -> frozenset[str]:
        return frozenset(self.project.python_files)

    @cached_property
    def dirs(self) -> frozenset[str]:
        return frozenset(str(PurePosixPath(f).parent) for f in self.project.files)

    def module_files(self, base: str, dotted: str) -> list[str] | None:
        """Files run by importing `dotted` from folder `base`: parent packages, then the module."""
        parts = [p for p in dotted.split(".") if p]
        if not parts:
            return [f] if (f := _join(base, "__init__.py")) in self.files else []
        found: list[str] = []
        for i in range(1, len(parts) + 1):
            stem = _join(base, *parts[:i])
            if i == len(parts) and f"{stem}.py" in self.files:
                found.append(f"{stem}.py")
            elif f"{stem}/__init__.py" in self.files:
                found.append(f"{stem}/__init__.py")
            elif stem not in self.dirs:
                return None     # not in the project: an installed package
        return found

    def import_files(self, path: str, imp: Imp, root: str) -> list[str]:
        """Project files one import statement in `path` runs (empty when it imports outside the project)."""
        if imp.level:
            base = str(PurePosixPath(path).parent)
            for _ in range(imp.level - 1):
                base = str(PurePosixPath(base).parent)
        else:
            base = root
        files = self.module_files(base, imp.module) or []
        if files or imp.level or not imp.module:
            pkg = _join(base, *imp.module.split(".")) if imp.module else base
            for name in imp.names:
                for sub in (f"{pkg}/{name}.py", f"{pkg}/{name}/__init__.py"):
                    if sub in self.files:
                        files.append(sub)
        return files

    def closure(self, start: str, root: str, extra: tuple[tuple[str, Imp], ...] = ()) -> frozenset[str]:
        """Every project module that importing `start` (from `root`) runs."""
        module = self.modules.get(start)
        seen: set[str] = set(self.module_files(root, module.name) or [start]) if module else {start}
        todo = list(seen)
        pending = [self.import_files(p, imp, root) for p, imp in extra]
        for files in pending:
            todo += [f for f in files if f not in seen]
            seen.update(files)
        while todo:
            current = self.modules.get(todo.pop())
            if current is None:
                continue
            for imp in current.scan.imports:
                for f in self.import_files(current.path, imp, root):
                    if f not in seen:
                        seen.add(f)
                        todo.append(f)
        return frozenset(seen)

    # -- symbol resolution ---------------------------------------------------------------------
    def resolve(self, path: str, sym: Sym | None, depth: int = 0,
                registrar: bool = False) -> tuple[AppDef, str] | None:
        """The app a symbol of module `path` refers to, and how: "object", "factory" (the factory
        function itself), "server" (Dash's app.server) or "registrar" (api = Api(app))."""
        if sym is None or depth > 12:
            return None
        kind = sym.kind
        if kind in ("new", "wsgi"):
            return AppDef(path, sym.line, sym.framework, sym.interface), "object"
        if kind == "factory":
            return AppDef(path, sym.line, sym.framework, sym.interface, True, sym.needs_args,
                          tuple((path, imp) for imp in sym.func_imports)), "factory"
        if kind == "bottle_default":
            return BOTTLE_DEFAULT, "object"
        if kind == "import":
            if not sym.level and f"{sym.module}.{sym.attr}" in fw.BOTTLE_DEFAULT_APP:
                return BOTTLE_DEFAULT, "factory"
            if sym.attr is None:
                return None
            module = self.modules.get(path)
            root = module.root if module else "."
            base = root
            if sym.level:
                base = str(PurePosixPath(path).parent)
                for _ in range(sym.level - 1):
                    base = str(PurePosixPath(base).parent)
            files = self.module_files(base, sym.module)
            if not files:
                return None
            target = self.modules.get(files[-1])
            if target is None or sym.attr not in target.scan.symbols:
                return None
            return self.resolve(target.path, target.scan.symbols[sym.attr], depth + 1, registrar)
        if kind == "call":
            found = self.resolve(path, sym.inner, depth + 1)
            return (found[0], "object") if found and found[1] == "factory" else None
        if kind == "wrap":
            found = self.resolve(path, sym.inner, depth + 1)
            return (found[0], "object") if found and found[1] in ("object", "server") else None
        if kind == "server_of":
            found = self.resolve(path, sym.inner, depth + 1)
            if found and found[1] == "object":
                return found[0], "server" if found[0].framework == "dash" else "object"
            return None
        if kind == "wrapper" and registrar:
            found = self.resolve(path, sym.inner, depth + 1)
            return (found[0], "registrar") if found and found[1] in ("object", "server") else None
        return None


def _join(base: str, *parts: str) -> str:
    return str(PurePosixPath(base, *parts)) if base not in ("", ".") else str(PurePosixPath(*parts))


def _import_root(project: Project, path: str) -> tuple[str, str] | None:
    """(root folder, dotted name) for a file: climb while the folder is a package."""
    parts = list(PurePosixPath(path).with_suffix("").parts)
    folder = PurePosixPath(path).parent
    name = parts[-1:] if parts[-1] != "__init__" else []
    while str(folder) != "." and project.is_file(str(folder / "__init__.py")):
        name.insert(0, folder.name)
        folder = folder.parent
    if not name or not all(p.isidentifier() for p in name):
        return None
    return str(folder), ".".join(name)


# --- reading the project ------------------------------------------------------------------------

def _analyse(project: Project) -> _Analysis:
    analysis = _Analysis(project)
    for path in project.python_files:
        decoy = project.is_decoy(path)
        try:
            if project.path(path).stat().st_size > MAX_SOURCE_BYTES:
                continue
            text = project.read_text(path)
        except OSError:
            continue
        if decoy and not _SUSPICIOUS.search(text):
            continue    # decoys matter only for the "apps found only under tests/, docs/..." message
        placed = _import_root(project, path)
        if placed is None:
            continue
        try:
            scanned = appscan.scan(path, text)
        except SyntaxError as exc:
            if not decoy:
                analysis.syntax_errors[path] = exc
            continue
        except (ValueError, RecursionError):
            continue
        analysis.modules[path] = Module(path, placed[0], placed[1], scanned, decoy)
    return analysis


def _declared_name(project: Project) -> str | None:
    """The distribution name the folder declares (pyproject, setup.cfg or setup.py), if any."""
    name = project.pyproject.get("project", {}).get("name") or \
        project.pyproject.get("tool", {}).get("poetry", {}).get("name")
    if not name and project.is_file("setup.cfg"):
        cfg = configparser.ConfigParser(interpolation=None)
        try:
            cfg.read_string(project.read_text("setup.cfg"))
            name = cfg.get("metadata", "name", fallback=None)
        except configparser.Error:
            pass
    if not name and project.is_file("setup.py"):
        match = re.search(r"""\bname\s*=\s*["']([\w.-]+)["']""", project.read_text("setup.py"))
        name = match.group(1) if match else None
    return re.sub(r"[-_.]+", "-", name).lower() if name else None


def _paste_use(text: str) -> str | None:
    """The `use =` line of a paste .ini file's [app:main] section ("egg:proj", "call:pkg:main")."""
    cfg = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        cfg.read_string(text)
    except configparser.Error:
        return None
    return cfg.get("app:main", "use", fallback=None)


def _paste_package(use: str) -> str:
    """The package a paste `use =` names: egg:my-proj#main -> my_proj, call:pkg.sub:main -> pkg."""
    spec = use.split(":", 1)[1] if use.startswith(("egg:", "call:", "package:")) else use
    return spec.split("#")[0].split(":")[0].split(".")[0].replace("-", "_")


def _syntax_error(path: str, exc: SyntaxError) -> AppLoadError:
    return AppLoadError(f"{path}:{exc.lineno}: syntax error: {exc.msg}",
                        "fix it and run again; Shipyard reads the source to find the app")


# --- candidates ---------------------------------------------------------------------------------

def _candidates(analysis: _Analysis) -> tuple[list[Candidate], dict[AppDef, set[str]], set[AppDef], list[str]]:
    """All candidates; route-registering files per app; sub-apps; factories that need arguments."""
    cands: list[Candidate] = []
    registrations: dict[AppDef, set[str]] = {}
    consumed: set[AppDef] = set()
    needs_args: list[str] = []
    dash_servers: dict[AppDef, AppDef] = {}
    for module in analysis.modules.values():
        for name, sym in module.scan.symbols.items():
            found = analysis.resolve(module.path, sym)
            if found is None:
                continue
            app, how = found
            if how == "factory":
                if app.needs_args:
                    needs_args.append(f"{module.name}:{name}({', '.join(app.needs_args)})")
                    if app.framework == "pyramid":
                        cands += _paste_candidates(analysis, module, name, app)
                    continue
                cands.append(Candidate(module, f"{name}()", app, "factory"))
            elif app.framework == "django":
                cands.append(Candidate(module, name, app, "django"))
            else:
                cands.append(Candidate(module, name, app, "attribute", dash_server=how == "server"))
            if sym.kind == "new":
                for inner in sym.consumes:
                    sub = analysis.resolve(module.path, inner)
                    if sub:
                        consumed.add(sub[0])
                        if app.framework == "dash" and sub[0].framework == "flask":
                            dash_servers[sub[0]] = app     # Dash(server=flask_app): serve flask_app
        if module.decoy:
            continue
        for use in module.scan.uses:
            found = analysis.resolve(module.path, use.target, registrar=True)
            if found is None:
                continue
            app, how = found
            if how == "registrar" and use.attr not in fw.REGISTER_METHODS:
                continue
            if how != "registrar" and use.how == "call" and use.attr not in fw.REGISTER_METHODS:
                continue
            registrations.setdefault(app, set()).add(module.path)
            for arg in use.args:
                sub = analysis.resolve(module.path, arg)
                if sub and sub[0] != app:
                    consumed.add(sub[0])     # app.mount("/api", api): api is part of app
        if module.scan.bottle_routes:
            registrations.setdefault(BOTTLE_DEFAULT, set()).add(module.path)
    for c in cands:
        if c.app in dash_servers:
            c.app, c.dash_server = dash_servers[c.app], True
    for server, dash in dash_servers.items():
        registrations.setdefault(dash, set()).update(registrations.pop(server, set()))
    return cands, registrations, consumed, needs_args


def _paste_candidates(analysis: _Analysis, module: Module, name: str, app: AppDef) -> list[Candidate]:
    """Pyramid's `main(global_config, **settings)`, loaded through a paste .ini file."""
    project = analysis.project
    inis = [f for f in project.files if f.endswith(".ini") and not project.is_decoy(f)]
    found = []
    for ini in inis:
        use = _paste_use(project.read_text(ini))
        if use is None or _paste_package(use).lower() != module.name.split(".")[0].lower():
            continue
        folder = str(PurePosixPath(ini).parent)
        if folder != module.root:
            continue
        found.append(Candidate(module, name, app, "paste", paste_ini=PurePosixPath(ini).name))
    found.sort(key=lambda c: ({"production.ini": 0, "development.ini": 1}.get(c.paste_ini or "", 2), c.paste_ini))
    return found[:1]


def _rank(c: Candidate, required: set[str]) -> tuple:
    stem = c.module.name.split(".")[-1]
    defines = c.module.path == c.app.path
    return (
        len(required & c.closure) == len(required),      # registers every route of its app
        len(required & c.closure),
        not c.server_starts,                              # importing it does not start a server
        c.dash_server,                                    # Dash: serve the Flask server
        c.kind != "factory",                              # a module-level app over calling a factory again
        ENTRY_FILE_RANK.get(stem, 0),
        defines,
        -len(PurePosixPath(c.module.path).parts),
        {"application": 2, "app": 1}.get(c.attr, 0),
        not c.attr.startswith("_"),
        -len(c.module.path),
        c.module.path, c.attr,
    )


def _fill(analysis: _Analysis, c: Candidate, registrations: dict[AppDef, set[str]]) -> Candidate:
    extra = c.app.func_imports if c.kind in ("factory", "paste") else ()
    c.closure = analysis.closure(c.module.path, c.module.root, extra)
    c.covered = len(registrations.get(c.app, set()) & c.closure)
    starts = []
    for path in sorted(c.closure):
        module = analysis.modules.get(path)
        if module is not None:
            starts += [(path, s) for s in module.scan.server_starts]
    c.server_starts = tuple(starts)
    return c


def _is_real(app: AppDef, registrations: dict[AppDef, set[str]]) -> bool:
    """An app with routes, or one that is an app by construction (factory, Django, Pyramid, WSGI callable)."""
    return bool(registrations.get(app)) or app.factory or app.framework in ("django", "pyramid", "wsgi", "asgi")


# --- find -----------------------------------------------------------------------------------------

def find(project: Project, override: str | None) -> EntryFinding:
    """Find the app statically. Raises AppNotFound, AmbiguousApp or AppLoadError (syntax error)."""
    analysis = _analyse(project)
    if override:
        return _from_override(analysis, override)
    declared = _declared_name(project)
    if declared in fw.FRAMEWORK_DISTRIBUTIONS:
        source = next((m.path for m in analysis.modules.values() if m.scan.defines_framework_class), None)
        raise AppNotFound(
            f"{project.root} is the source of the {declared} framework itself (its project name is "
            f"{declared!r}{f'; {source} defines the framework class' if source else ''}), not an app built with it",
            "point shipyard at your app's folder; the framework's examples/ and tests/ are skipped on purpose "
            "(to deploy one of them, pass its folder as the path)")

    cands, registrations, consumed, needs_args = _candidates(analysis)
    for path, exc in analysis.syntax_errors.items():
        if _SUSPICIOUS.search(project.read_text(path)):
            raise _syntax_error(path, exc)
    real_cands = [c for c in cands if not c.module.decoy and c.app.path not in _decoy_paths(analysis)
                  and c.app not in consumed]
    # Django makes both wsgi.py and asgi.py: serve WSGI unless there is only ASGI.
    django_wsgi_roots = {c.module.root for c in real_cands if c.kind == "django" and c.app.interface == "wsgi"}
    real_cands = [c for c in real_cands if not (c.kind == "django" and c.app.interface == "asgi"
                                                and c.module.root in django_wsgi_roots)]
    if not real_cands:
        if analysis.syntax_errors:
            path, exc = next(iter(analysis.syntax_errors.items()))
            raise _syntax_error(path, exc)
        raise _not_found(analysis, cands, registrations, needs_args)

    by_app: dict[AppDef, list[Candidate]] = {}
    for c in real_cands:
        by_app.setdefault(c.app, []).append(_fill(analysis, c, registrations))
    best: dict[AppDef, Candidate] = {}
    for app, group in by_app.items():
        required = registrations.get(app, set())
        best[app] = max(group, key=lambda c: _rank(c, required))
    real = [a for a in best if _is_real(a, registrations)]
    pool = real or list(best)
    if len(pool) > 1:
        pool = _drop_included(pool, best)
    if len(pool) > 1:
        listed = ", ".join(sorted(_describe(best[a]) for a in pool))
        raise AmbiguousApp(f"found {len(pool)} apps: {listed}", HOW_TO_CHOOSE)
    chosen = best[pool[0]]
    for path in sorted(chosen.closure):
        if path in analysis.syntax_errors:
            raise _syntax_error(path, analysis.syntax_errors[path])
    return _finding(analysis, chosen, registrations)


def _decoy_paths(analysis: _Analysis) -> frozenset[str]:
    return frozenset(p for p, m in analysis.modules.items() if m.decoy)


def _drop_included(pool: list[AppDef], best: dict[AppDef, Candidate]) -> list[AppDef]:
    """An app whose best entry module imports another app's module is the combined app (e.g. a wsgi.py
    that mounts both); keep the outer ones."""
    return [a for a in pool if not any(b is not a and a.path in best[b].closure and a.path != b.path
                                       for b in pool)]


def _describe(c: Candidate) -> str:
    where = f" (in {c.module.root}/)" if c.module.root != "." else ""
    return f"{c.target}{where}"


def _not_found(analysis: _Analysis, cands: list[Candidate], registrations: dict[AppDef, set[str]],
               needs_args: list[str]) -> AppNotFound:
    root = analysis.project.root
    searched = f"searched {len([m for m in analysis.modules.values() if not m.decoy])} Python modules in {root}"
    decoys = sorted({c.target + f" in {c.module.path}" for c in cands if c.module.decoy})
    if needs_args:
        return AppNotFound(f"no app object found ({searched}); the factory {needs_args[0]} needs arguments",
                           "add a wsgi.py that calls it (app = create_app(...)), or pass "
                           "--entry 'module:factory(\"value\")'")
    if registrations.get(BOTTLE_DEFAULT):
        where = sorted(registrations[BOTTLE_DEFAULT])[0]
        return AppNotFound(f"{where} registers routes on bottle's default app but no module exposes it",
                           "add `app = bottle.default_app()` to it (a server needs a name to load), "
                           "or `from bottle import default_app`")
    if decoys:
        return AppNotFound(f"apps found only in folders Shipyard skips (tests, docs, examples, step_N...): "
                           f"{', '.join(decoys[:5])}",
                           "pass that folder as the path, or --entry module:attr")
    return AppNotFound(f"no web app found ({searched}: looked for Flask, Django, Bottle, Falcon, Pyramid, "
                       "Dash, FastAPI, Starlette apps, create_app() factories and WSGI/ASGI callables)",
                       "point shipyard at the folder that holds your app, or pass --entry module:attr "
                       "(or entry = \"module:attr\" under [tool.shipyard] in pyproject.toml)")


def _settings_module(analysis: _Analysis, c: Candidate) -> str | None:
    if c.module.scan.django_settings:
        return c.module.scan.django_settings
    for module in analysis.modules.values():
        if module.root == c.module.root and module.name == "manage" and module.scan.django_settings:
            return module.scan.django_settings
    package = c.module.name.rsplit(".", 1)[0]
    if analysis.module_files(c.module.root, f"{package}.settings"):
        return f"{package}.settings"
    return None


def _finding(analysis: _Analysis, c: Candidate, registrations: dict[AppDef, set[str]]) -> EntryFinding:
    notes: list[str] = []
    for path, start in c.server_starts:
        notes.append(f"{path}:{start.line} calls {start.text} at import, outside `if __name__ == '__main__':`, "
                     f"so importing {c.module.name} starts a development server; the production server still "
                     "serves the app object through the generated shipyard_entry.py, which turns that call into "
                     "a no-op. Better: guard it with `if __name__ == '__main__':`")
    if c.kind == "paste":
        use = _paste_use(analysis.project.read_text(_join(c.module.root, c.paste_ini or ""))) or ""
        if use.startswith("egg:"):
            notes.append(f"{c.paste_ini} loads the app with `use = egg:...`: the project must be installed "
                         "(pip install .) for paste to find it")
    if c.app.framework == "dash" and not c.dash_server:
        notes.append(f"{c.module.path} exposes the Dash app, not its Flask server: add `server = app.server` "
                     "for Dash versions whose app object is not callable")
    framework = c.app.framework
    entry = Entry(
        module=c.module.name,
        attr=c.attr,
        kind=c.kind,
        interface=c.app.interface,
        settings_module=_settings_module(analysis, c) if c.kind == "django" else None,
        paste_ini=c.paste_ini,
        starts_server_on_import=bool(c.server_starts),
    )
    return EntryFinding(framework=framework, entry=entry, workdir=c.module.root, notes=tuple(notes))


# --- override -------------------------------------------------------------------------------------

def _from_override(analysis: _Analysis, override: str) -> EntryFinding:
    project = analysis.project
    if override.endswith(".ini"):
        return _paste_override(analysis, override)
    if ":" not in override:
        raise AppNotFound(f"entry {override!r} does not say which object to load",
                          "use module:attr (e.g. app:app) or module:create_app()")
    module_name, attr = override.split(":", 1)
    matches = [m for m in analysis.modules.values() if m.name == module_name]
    if not matches:
        # A dotted path from the project root through folders without __init__.py (namespace packages).
        stem = module_name.replace(".", "/")
        for path in (f"{stem}.py", f"{stem}/__init__.py"):
            if path in analysis.modules:
                m = analysis.modules[path]
                matches = [replace(m, root=".", name=module_name)]
    if not matches:
        where = module_name.replace(".", "/")
        raise AppNotFound(f"entry {override!r}: no module {module_name} in {project.root} "
                          f"(no {where}.py or {where}/__init__.py in the project or its src/ or subfolders)",
                          "give the module's dotted name as imported from its folder, e.g. app:app or mypkg.wsgi:app")
    module = min(matches, key=lambda m: (m.decoy, len(PurePosixPath(m.path).parts), m.path))
    name = re.split(r"[(.]", attr, 1)[0]
    scan = module.scan
    star = any("*" in imp.names for imp in scan.imports) or "__getattr__" in scan.symbols
    if name not in scan.symbols and not star:
        apps = sorted(n for n, s in scan.symbols.items() if analysis.resolve(module.path, s))
        raise AppNotFound(f"entry {override!r}: {module.path} has no top-level name {name!r}",
                          f"names there that hold an app: {', '.join(apps)}" if apps else
                          f"check the name in {module.path}")
    found = analysis.resolve(module.path, scan.symbols.get(name))
    if found is not None:
        app, _how = found
        framework, interface = app.framework, app.interface
    else:
        app = AppDef(module.path, 0, *_framework_from_imports(analysis, module))
        framework, interface = app.framework, app.interface
    kind = "factory" if attr.endswith(")") else "django" if framework == "django" else "attribute"
    cand = Candidate(module, attr, app, kind)
    _, registrations, _, _ = _candidates(analysis)
    cand = _fill(analysis, cand, registrations)
    finding = _finding(analysis, cand, registrations)
    return replace(finding, framework=framework, entry=replace(finding.entry, interface=interface))


def _framework_from_imports(analysis: _Analysis, module: Module) -> tuple[str, str]:
    """Framework of an object the scan could not follow: what its module's import closure uses."""
    closure = analysis.closure(module.path, module.root)
    imported: set[str] = set()
    for path in closure:
        m = analysis.modules.get(path)
        if m:
            imported.update(imp.module.split(".")[0] for imp in m.scan.imports if not imp.level)
    for qual, (framework, interface) in fw.CONSTRUCTORS.items():
        if qual.split(".")[0] in imported:
            return framework, interface
    if "pyramid" in imported:
        return "pyramid", "wsgi"
    return "wsgi", "wsgi"


def _paste_override(analysis: _Analysis, ini: str) -> EntryFinding:
    project = analysis.project
    if not project.is_file(ini):
        raise AppNotFound(f"entry {ini!r}: no such file in {project.root}",
                          "give the paste .ini file's path relative to the app folder")
    use = _paste_use(project.read_text(ini))
    if not use:
        raise AppNotFound(f"entry {ini!r} has no [app:main] section with a `use =` line",
                          "point at the paste .ini that defines [app:main] (development.ini or production.ini)")
    package = _paste_package(use)
    folder = str(PurePosixPath(ini).parent)
    notes: tuple[str, ...] = ()
    if use.startswith("egg:"):
        notes = (f"{PurePosixPath(ini).name} loads the app with `use = egg:...`: the project must be installed "
                 "(pip install .) for paste to find it",)
    entry = Entry(module=package, attr="main", kind="paste", interface="wsgi", paste_ini=PurePosixPath(ini).name)
    return EntryFinding(framework="pyramid", entry=entry, workdir=folder, notes=notes)


# --- confirm --------------------------------------------------------------------------------------

PROBE = Path(__file__).with_name("probe.py")


def confirm(project: Project, finding: EntryFinding, python_exe: str, timeout: float) -> None:
    """Import the chosen entry with the app's interpreter in a separate, time-limited process and check
    that it is a WSGI (or ASGI) callable. Raises MissingDependency or AppLoadError."""
    entry = finding.entry
    workdir = project.path(finding.workdir) if finding.workdir != "." else project.root
    what = entry.paste_ini if entry.kind == "paste" else entry.target
    with tempfile.TemporaryDirectory(prefix="shipyard-probe-") as tmp:
        out = Path(tmp, "result.json")
        spec = {"module": entry.module, "attr": entry.attr, "kind": entry.kind, "interface": entry.interface,
                "paste_ini": entry.paste_ini, "out": str(out)}
        env = dict(os.environ)
        env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONUNBUFFERED="1")
        if entry.settings_module:
            env["DJANGO_SETTINGS_MODULE"] = entry.settings_module
        try:
            proc = subprocess.Popen([python_exe, "-c", PROBE.read_text(encoding="utf-8"), json.dumps(spec)],
                                    cwd=workdir, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, start_new_session=True)
        except OSError as exc:
            raise AppLoadError(f"cannot run {python_exe} to import the app: {exc.strerror}",
                               "check the app's virtualenv, or pass --no-import") from None
        try:
            _, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise AppLoadError(
                f"importing {what} did not finish within {timeout:g}s: it blocks at import (e.g. a server "
                "started at module level, or a connection that never answers)",
                "guard server starts with if __name__ == '__main__': and connect lazily") from None
        finally:
            _kill(proc)
        if not out.exists():
            last = (stderr or b"").decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
            raise AppLoadError(f"importing {what} with {python_exe} failed (exit code {proc.returncode}): {last[0]}",
                               "run the import yourself to see the full error")
        result = json.loads(out.read_text(encoding="utf-8"))
    _raise_for(project, finding, result, python_exe, what)


def _kill(proc: subprocess.Popen) -> None:
    """Stop the probe and anything it started (its own session)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait(timeout=10)
    else:
        try:   # children the app left behind in the probe's session
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _raise_for(project: Project, finding: EntryFinding, result: dict, python_exe: str, what: str) -> None:
    if result.get("ok"):
        intercepted = result.get("servers") or []
        if intercepted and not finding.entry.starts_server_on_import:
            raise AppLoadError(f"importing {what} starts a server ({intercepted[0]}), which would block "
                               "gunicorn's workers", "guard it with if __name__ == '__main__':")
        return
    error = result.get("error")
    where = f"{result['where']}: " if result.get("where") else ""
    if error == "missing_module":
        name = result["name"]
        top = name.split(".")[0]
        in_project = any(PurePosixPath(f).parts and (PurePosixPath(f).stem == top or top in PurePosixPath(f).parts[:-1])
                         for f in project.python_files)
        if in_project:
            raise AppLoadError(f"{where}cannot import {name!r} while running from {finding.workdir}/: it is in the "
                               "project but not importable from there",
                               "fix the import, or pass --entry with the module path as imported from its folder")
        dist = distribution_for(name)
        raise MissingDependency(f"{where}importing {what} needs the package {top!r} (distribution {dist}), "
                                f"which is not installed for {python_exe}",
                                f"pip install {dist}, and add it to your requirements")
    if error == "missing_env":
        raise AppLoadError(f"{where}importing {what} reads the environment variable {result['name']}, "
                           "which is not set", f"set {result['name']} (export {result['name']}=...) and run again")
    if error == "not_callable":
        raise AppLoadError(f"{what} is a {result['type']}, not a {finding.entry.interface.upper()} callable",
                           "point --entry at the app object (e.g. module:app), not a wrapper around it")
    if error == "wrong_interface":
        raise AppLoadError(f"{what} is {result['detail']}", "check the entry, or pass --entry module:attr")
    raise AppLoadError(f"{where}importing {what} failed: {result.get('message', 'unknown error')}",
                       result.get("hint") or "run the import yourself to see the full error")
