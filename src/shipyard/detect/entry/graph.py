"""The project's import graph: every readable module, where it is imported from, which project files
importing it runs, and which app a module-level name refers to across imports."""

from __future__ import annotations

import configparser
import re
import sys
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import PurePosixPath
from typing import Iterator

from ...project import Project
from .. import appscan, own_packages
from .. import frameworks as fw
from ..appscan import Imp, Sym
from .model import BOTTLE_DEFAULT, AppDef, Module, join
from ..generated import PREFIX as GENERATED_PREFIX

MAX_SOURCE_BYTES = 2_000_000
SCRIPT_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)+")     # rest-server, my-app-v2
TEST_FOLDERS = frozenset({"tests", "test"})
TEST_FILE = re.compile(r"test_\w*\.py|\w+_tests?\.py|tests\.py|conftest\.py")
# The header of Shipyard's own generated files (render/stamp.py): never the app, though shipyard_entry.py names
# it (`app = bottle.default_app()` once the script is imported), so a second `init` must not pick it


@dataclass
class Analysis:
    project: Project
    modules: dict[str, Module] = field(default_factory=dict)
    syntax_errors: dict[str, SyntaxError] = field(default_factory=dict)
    # import root -> a package folder in it whose modules import their siblings as top-level names while the
    # others import the package by name (lower_to_sibling_imports): it goes on sys.path too
    sibling_folders: dict[str, str] = field(default_factory=dict)
    # those of sibling_folders whose package's own __init__.py (or a factory in it) imports its siblings as
    # top-level names, Python 2's implicit relative import (_init_imports_siblings): said so in the entry's note
    implicit_relative: set[str] = field(default_factory=set)

    # -- module lookup ----------------------------------------------------------------------
    @cached_property
    def files(self) -> frozenset[str]:
        return frozenset(self.project.python_files)

    @cached_property
    def dirs(self) -> frozenset[str]:
        # every ancestor folder: a namespace package's middle folder (app/api/ holding only v1/) holds no file
        return frozenset(str(parent) for f in self.project.files for parent in PurePosixPath(f).parents)

    def module_files(self, base: str, dotted: str) -> list[str] | None:
        """Files run by importing `dotted` from folder `base`: parent packages, then the module."""
        parts = [p for p in dotted.split(".") if p]
        if not parts:
            return [f] if (f := join(base, "__init__.py")) in self.files else []
        found: list[str] = []
        for i in range(1, len(parts) + 1):
            stem = join(base, *parts[:i])
            # a package folder first, as Python's finder looks: app/__init__.py is what `import app` runs, also
            # beside an app.py (which then runs only as a script)
            if f"{stem}/__init__.py" in self.files:
                found.append(f"{stem}/__init__.py")
            elif i == len(parts) and f"{stem}.py" in self.files:
                found.append(f"{stem}.py")
            elif stem not in self.dirs:
                return None     # not in the project: an installed package
        return found

    def import_files(self, path: str, imp: Imp, root: str) -> list[str]:
        """Project files one import statement in `path` runs (empty when it imports outside the project)."""
        base = relative_base(path, imp.level) if imp.level else root
        found = self.module_files(base, imp.module)
        files = found or []
        # a folder of the project without __init__.py (a namespace package: `from routers import products`) is
        # the project's too ([] where an installed package's is None): its submodules are the project's files
        if found is not None or imp.level or not imp.module:
            pkg = join(base, *imp.module.split(".")) if imp.module else base
            names = imp.names
            if "*" in names:
                names = (*names, *self.star_modules(f"{pkg}/__init__.py"))
            for name in names:
                for sub in (f"{pkg}/{name}.py", f"{pkg}/{name}/__init__.py"):
                    if sub in self.files and sub not in files:
                        files.append(sub)
        return files

    def star_modules(self, init: str) -> tuple[str, ...]:
        """The submodules `from package import *` imports: those the package's `__init__.py` lists in `__all__`
        (all of its folder's when `__all__` is computed from a listing of it)."""
        module = self.modules.get(init)
        if module is None or not module.scan.star_modules:
            return ()
        if module.scan.star_modules != appscan.ALL_SUBMODULES:
            return module.scan.star_modules
        folder = PurePosixPath(init).parent
        names = set()
        for f in self.files:
            path = PurePosixPath(f)
            if path.parent == folder and path.name != "__init__.py":
                names.add(path.stem)                       # a module beside __init__.py
            elif path.parent.parent == folder and path.name == "__init__.py":
                names.add(path.parent.name)                # a subpackage
        return tuple(sorted(names))

    def closure(self, start: str, root: str, extra: tuple[tuple[str, Imp], ...] = ()) -> frozenset[str]:
        """Every project module that importing `start` (from `root`) runs, or its start-up hooks import (they run
        once the server starts the app, before it answers)."""
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
            for imp in (*current.scan.imports, *current.scan.startup_imports):
                for f in self.import_files(current.path, imp, root):
                    if f not in seen:
                        seen.add(f)
                        todo.append(f)
        return frozenset(seen)

    # -- symbol resolution ---------------------------------------------------------------------
    def resolve(self, path: str, sym: Sym | None, depth: int = 0,
                registrar: bool = False) -> tuple[AppDef, str] | None:
        """The app a symbol of module `path` refers to, and how: "object", "factory" (the factory
        function itself), "constructor" (an app class that builds itself: App()), "server" (Dash's app.server),
        "registrar" (api = Api(app)), "configurer" (a function that sets up a module-level app and returns it)
        or "configured" (what a call of it gives: that app, set up)."""
        if sym is None or depth > 12:
            return None
        kind = sym.kind
        if kind == "new" and appscan.constructs_itself(sym.inner):
            return self.resolve(path, sym.inner, depth + 1)[0], "object"    # App(): the class's own app
        if kind in ("new", "wsgi"):
            return AppDef(path, sym.line, sym.framework, sym.interface), "object"
        if kind == "class":
            if not appscan.constructs_itself(sym):
                return None
            return AppDef(path, sym.line, sym.framework, sym.interface, True), "constructor"
        if kind == "factory":
            own_imports = tuple((path, imp) for imp in sym.func_imports)
            if sym.inner is not None:
                # `def get_app(): return create_app(store)`: the same app as the factory it calls, made with
                # this one's arguments (none, often), its imports and its async-ness
                inner = self.resolve(path, sym.inner, depth + 1)
                made = self.resolve(path, sym.consumes[0], depth + 1) if inner is None and sym.consumes else None
                if made is not None and made[1] == "object":
                    # `app = Quart(); app = cors(app); return app`: the function it calls makes no app, so the
                    # app it made and passed through is what this factory returns
                    return AppDef(path, sym.line, made[0].framework, made[0].interface, True, sym.needs_args,
                                  own_imports, sym.awaitable), "factory"
                if inner is None and sym.framework:
                    # what it calls is outside the project, but its return annotation names the framework's app
                    return AppDef(path, sym.line, sym.framework, sym.interface, True, sym.needs_args,
                                  own_imports, sym.awaitable), "factory"
                if inner is None or inner[1] not in ("factory", "constructor") or inner[0] is BOTTLE_DEFAULT:
                    return None
                return replace(inner[0], needs_args=sym.needs_args, func_imports=own_imports + inner[0].func_imports,
                               awaitable=sym.awaitable, delegated=True), "factory"
            return AppDef(path, sym.line, sym.framework, sym.interface, True, sym.needs_args,
                          own_imports, sym.awaitable), "factory"
        if kind == "configurer":
            # the function that sets up the module's own app and returns it: that app, named by the call
            found = self.resolve(path, sym.inner, depth + 1)
            if not found or found[1] != "object":
                return None
            # the imports it runs when called (`from application import controllers`, whose modules register
            # the routes on that app) go with the app the call gives, as a factory's do
            return replace(found[0], func_imports=tuple((path, imp) for imp in sym.func_imports)), "configurer"
        if kind == "bottle_default":
            return BOTTLE_DEFAULT, "object"
        if kind == "star":
            target = self.star_imported(path, sym.attr or "")
            return self.resolve(*target, depth + 1, registrar) if target is not None else None
        if kind == "import":
            if not sym.level and f"{sym.module}.{sym.attr}" in fw.BOTTLE_DEFAULT_APP:
                return BOTTLE_DEFAULT, "factory"
            target = self.imported(path, sym)
            return self.resolve(*target, depth + 1, registrar) if target is not None else None
        if kind == "call":
            found = self.resolve(path, sym.inner, depth + 1)
            if found is None and sym.consumes:
                # `app = cors(app)`: a function that makes no app, given the app, returns it (or wraps it)
                found = self.resolve(path, sym.consumes[0], depth + 1)
                return (found[0], "object") if found and found[1] in ("object", "server") else None
            if found and found[1] == "configurer":
                return found[0], "configured"
            return (found[0], "object") if found and found[1] in ("factory", "constructor") else None
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


    def imported(self, path: str, sym: Sym) -> tuple[str, Sym] | None:
        """(the project module, its symbol) a `from X import name` of module `path` binds; None when the name
        is a module's or comes from outside the project."""
        if sym.kind != "import" or sym.attr is None:
            return None
        module = self.modules.get(path)
        base = relative_base(path, sym.level) if sym.level else module.root if module else "."
        files = self.module_files(base, sym.module)
        target = self.modules.get(files[-1]) if files else None
        if target is None:
            return None
        if sym.attr not in target.scan.symbols:
            return self.star_imported(target.path, sym.attr)     # `from forms import app`, forms re-exporting it
        return target.path, target.scan.symbols[sym.attr]

    def star_imported(self, path: str, name: str, seen: frozenset[str] = frozenset()) -> tuple[str, Sym] | None:
        """(the project module, its symbol) that `name` is in module `path` through its `from X import *`: the last
        such import whose module binds it (itself, or through its own star imports: app.py's `from forms import *`,
        forms.py's `from models import *`, models.py's `from main import *`, main.py's `app = Flask(...)`), as
        Python binds it. An `__all__` that leaves the name out keeps it from passing."""
        module = self.modules.get(path)
        if module is None or path in seen:
            return None
        for imp in reversed(module.scan.star_imports):
            base = relative_base(path, imp.level) if imp.level else module.root
            files = self.module_files(base, imp.module)
            target = self.modules.get(files[-1]) if files else None
            if target is None or name.startswith("_"):
                continue
            exported = target.scan.star_modules
            if exported and exported != appscan.ALL_SUBMODULES and name not in exported:
                continue
            found = target.scan.symbols.get(name)
            if found is not None and found.kind != "star":
                return target.path, found
            if (deeper := self.star_imported(target.path, name, seen | {path})) is not None:
                return deeper
        return None

def relative_base(path: str, level: int) -> str:
    """The folder a relative import of `level` in the file `path` starts from: `from .x` its own folder, `from
    ..x` the one above."""
    base = PurePosixPath(path).parent
    for _ in range(level - 1):
        base = base.parent
    return str(base)


def import_root(project: Project, path: str) -> tuple[str, str] | None:
    """(root folder, dotted name) for a file: climb while the folder is a package."""
    parts = list(PurePosixPath(path).with_suffix("").parts)
    folder = PurePosixPath(path).parent
    name = parts[-1:] if parts[-1] != "__init__" else []
    while str(folder) != "." and project.is_file(str(folder / "__init__.py")):
        name.insert(0, folder.name)
        folder = folder.parent
    if not name or not all(p.isidentifier() for p in name):
        # a top-level script or package named with hyphens (rest-server.py, a Django project folder sec-que/
        # run as `gunicorn sec-que.wsgi`) is not importable with `import`, but importlib, Django's settings
        # loader, gunicorn, granian and uWSGI load it by that name all the same
        if name and str(folder) == "." and SCRIPT_NAME.fullmatch(name[0]) \
                and all(p.isidentifier() for p in name[1:]):
            return str(folder), ".".join(name)
        return None
    return str(folder), ".".join(name)


def is_test_file(path: str) -> bool:
    """test_x.py, x_test.py, x_tests.py (the first Flask tutorial's flaskr_tests.py), tests.py, conftest.py: they
    build an app to test it (create_app('testing')), never the one to deploy."""
    return bool(TEST_FILE.fullmatch(PurePosixPath(path).name))


def is_test_code(path: str) -> bool:
    """A test file, or any module under a tests/ (test/) folder: code that runs under the test runner only."""
    return is_test_file(path) or any(part in TEST_FOLDERS for part in PurePosixPath(path).parts[:-1])


def is_migration_env(scan: appscan.ModuleScan) -> bool:
    """Alembic's env.py (`from alembic import context`), wherever the app keeps it (db/, per alembic.ini's
    script_location): it builds the app to read its database URL (`app = create_app()`), but it runs only
    under `alembic`, whose context it needs at import, never as the app to serve."""
    return any((imp.module == "alembic" and "context" in imp.names) or imp.module == "alembic.context"
               for imp in scan.imports if not imp.level)


def analyse(project: Project) -> Analysis:
    analysis = Analysis(project)
    for path in project.python_files:
        decoy = own_packages.is_decoy(project, path) or is_test_file(path)
        try:
            if project.path(path).stat().st_size > MAX_SOURCE_BYTES:
                continue
            text = project.scan_text(path)
        except OSError:
            continue
        if text is None or text.startswith(GENERATED_PREFIX):
            continue
        if decoy and not fw.SUSPICIOUS.search(text):
            continue    # decoys matter only for the "apps found only under tests/, docs/..." message
        placed = import_root(project, path)
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
        analysis.modules[path] = Module(path, placed[0], placed[1], scanned, decoy or is_migration_env(scanned))
    lift_self_imports(analysis)
    lift_to_django_settings(analysis)
    lift_to_outside_imports(analysis)
    lower_to_sibling_imports(analysis)
    reread_reexports(analysis)
    return analysis


# top-level modules whose names, bound in a project module, may make or serve an app elsewhere
_REEXPORTED_TOPS = fw.FRAMEWORK_MODULES | {q.split(".")[0] for q in fw.SERVER_FUNCS}


def _package(m: Module) -> str:
    """The package a module's relative imports start from (its own name for a package's __init__.py)."""
    return m.name if PurePosixPath(m.path).name == "__init__.py" else m.name.rpartition(".")[0]


def reread_reexports(analysis: Analysis) -> None:
    """A module that imports a framework from one of the project's own modules (`from utils.ui import dash`, with
    utils/ui.py's `import dash` gathering the app's Dash imports in one place) makes its app with the framework's
    own constructor all the same (`dash.Dash(__name__)`): read such modules again with those names known."""
    reexports: dict[str, dict[str, str]] = {}     # file -> its names bound to a framework's: local -> qualified
    for m in analysis.modules.values():
        for local, sym in m.scan.symbols.items():
            if sym.kind == "import" and sym.level == 0 and sym.module.split(".")[0] in _REEXPORTED_TOPS:
                reexports.setdefault(m.path, {})[local] = f"{sym.module}.{sym.attr}" if sym.attr else sym.module
    if not reexports:
        return
    for m in list(analysis.modules.values()):
        package = _package(m)
        known: dict[str, str] = {}
        for sym in m.scan.symbols.values():
            if sym.kind != "import" or not sym.attr:
                continue
            source = sym.module if not sym.level else appscan.join_relative(package, sym.level, sym.module, "")[:-1]
            files = analysis.module_files(m.root, source)
            names = reexports.get(files[-1], {}) if files else {}
            if sym.attr in names:
                known[f"{source}.{sym.attr}"] = names[sym.attr]
        if not known:
            continue
        try:
            text = analysis.project.scan_text(m.path)
            scanned = appscan.scan(m.path, text, known, package) if text is not None else None
        except (OSError, SyntaxError, ValueError, RecursionError):
            continue
        if scanned is not None:
            analysis.modules[m.path] = replace(m, scan=scanned)


def _modules_by_root(analysis: Analysis) -> dict[str, list[Module]]:
    """The analysed modules, grouped by the folder they are imported from."""
    by_root: dict[str, list[Module]] = {}
    for m in analysis.modules.values():
        by_root.setdefault(m.root, []).append(m)
    return by_root


def lift_self_imports(analysis: Analysis) -> None:
    """An app that imports its own folder by name (`from src.db import x` in src/main.py, with no
    src/__init__.py), or imports relatively from the folder's top (`from .utilities import x` in
    src/server.py: a namespace package's module), only runs from the folder above, as `src.main`: its own
    imports say where its import root is, so move every module of that folder up (root ".", name "src.main").
    The same holds further up: src/app/asgi.py importing `src.app.server.core` (no __init__.py in src/ nor
    src/app/) runs from the root as `src.app.asgi`; the nearest folder its imports are made from wins."""
    for root, modules in _modules_by_root(analysis).items():
        if root in ("", "."):
            continue
        imports = [(m, imp) for m in modules if not m.decoy for imp in _run_imports(m)]
        folders = PurePosixPath(root).parts
        for depth in range(1, len(folders) + 1):
            prefix = folders[-depth:]
            top = prefix[0]
            if not all(p.isidentifier() for p in prefix):
                break   # not importable by that dotted name
            ancestor = str(PurePosixPath(*folders[:-depth])) if depth < len(folders) else "."
            if analysis.module_files(root, top) is not None and not any(
                    _past_namesake(analysis, root, ancestor, top, imp) for _, imp in imports):
                break   # `top` imports from inside the folder itself

            def from_above(m: Module, imp: Imp) -> bool:
                # `is not None`: a namespace package's modules (app/api/v1/ with no __init__.py) run no file of
                # their own
                return (not imp.level and imp.module.split(".")[0] == top and project_import(analysis, ancestor, imp)
                        or depth == 1 and bool(imp.level) and climbs_above_root(m, imp.level))  # `from .x` at the top

            def from_here(imp: Imp) -> bool:
                return not imp.level and imp.module.split(".")[0] != top and project_import(analysis, root, imp) \
                    and not project_import(analysis, ancestor, imp)

            lifted = {m.path for m, imp in imports if from_above(m, imp)}
            # the folder's modules disagree: src/myapp/main_hello.py's `from src.myapp.routers import`, a leftover,
            # against main.py and a dozen others importing `from myapp.auth import` (Poetry's src layout, pytest's
            # pythonpath = src): the folder runs from where most of its modules' imports work
            stayed = {m.path for m, imp in imports if from_here(imp)} - lifted
            if not lifted:
                continue
            if len(stayed) <= len(lifted):
                dotted = ".".join(prefix)
                for m in modules:
                    analysis.modules[m.path] = replace(m, root=ancestor, name=f"{dotted}.{m.name}")
                break


def _past_namesake(analysis: Analysis, root: str, ancestor: str, top: str, imp: Imp) -> bool:
    """Whether `imp` names a submodule of `top` that the folder's own module of that name cannot hold: app/app.py's
    `from app.utils.config import HOST` (app/ has no __init__.py), which from app/ finds app.py, a module and not a
    package ("'app' is not a package"), and from the folder above gets app/utils/config.py."""
    return (not imp.level and "." in imp.module and imp.module.split(".")[0] == top
            and analysis.module_files(root, imp.module) is None and project_import(analysis, ancestor, imp))


def lift_to_django_settings(analysis: Analysis) -> None:
    """A Django project folder without __init__.py (conf/ of a repository whose .gitignore leaves out every
    __init__.py: a namespace package) runs from the folder its DJANGO_SETTINGS_MODULE is named from: manage.py
    and conf/wsgi.py set `conf.settings`, which only the folder above finds, so conf/'s modules are `conf.wsgi`,
    `conf.urls` from there, not `wsgi` run from inside conf/ (where `conf.settings` and the apps beside conf/ are
    not found). A project whose folder is a package has its modules named so already: nothing changes."""
    for m in sorted(analysis.modules.values(), key=lambda m: m.path):
        dotted = m.scan.django_settings
        if m.decoy or not dotted or "." not in dotted or not all(p.isidentifier() for p in dotted.split(".")):
            continue
        # the nearest folder, from the module's own up, from which the name finds a settings file of the project
        folder = PurePosixPath(m.path).parent
        bases = [str(folder), *(str(f) for f in folder.parents)]
        base = next((b for b in bases if (found := analysis.module_files(b, dotted)) and found[-1].endswith(".py")
                     and found[-1] in analysis.modules), None)
        if base is None:
            continue
        settings = analysis.modules[analysis.module_files(base, dotted)[-1]]
        root = settings.root
        if root in ("", ".") or root == base or not (PurePosixPath(root).is_relative_to(base) or base == "."):
            continue
        prefix = PurePosixPath(root).relative_to(base).parts if base != "." else PurePosixPath(root).parts
        if not prefix or not all(p.isidentifier() for p in prefix):
            continue
        for other in list(analysis.modules.values()):
            if other.root == root:
                analysis.modules[other.path] = replace(other, root=base, name=f"{'.'.join(prefix)}.{other.name}")


def lift_to_outside_imports(analysis: Analysis) -> None:
    """A folder without __init__.py whose modules import only project modules that live above it: app/main.py
    importing `api.routes.todo` (api/ a package at the root), which runs from the root as `app.main`
    (`uvicorn.run("app.main:app")` in the root's main.py), as app/ itself has no api/ to import. Not when they
    import a module of their own folder by a top-level name too: run from either folder, one of the two fails,
    and the folder's own imports say where it runs."""
    for root, modules in _modules_by_root(analysis).items():
        if root in ("", "."):
            continue
        outside = [imp for m in modules if not m.decoy for imp in _run_imports(m)
                   if not imp.level and imp.module and imp.module.split(".")[0] not in sys.stdlib_module_names]
        tops = {imp.module.split(".")[0] for imp in outside}
        if not tops or any(analysis.module_files(root, top) is not None for top in tops):
            continue
        folders = PurePosixPath(root).parts
        for depth in range(1, len(folders) + 1):
            prefix = folders[-depth:]
            if not all(p.isidentifier() for p in prefix):
                break
            ancestor = str(PurePosixPath(*folders[:-depth])) if depth < len(folders) else "."
            # the module imported, not only its top name: pyramid/app.py's `from pyramid.config import` names the
            # installed package, whose top happens to be the folder's own name (no pyramid/config.py)
            if any(project_import(analysis, ancestor, imp) for imp in outside):
                dotted = ".".join(prefix)
                for m in modules:
                    analysis.modules[m.path] = replace(m, root=ancestor, name=f"{dotted}.{m.name}")
                break


def project_import(analysis: Analysis, base: str, imp: Imp) -> bool:
    """Whether the absolute import `imp`, run from folder `base`, gets the project's own code: the module's file or
    package, or a submodule of a project folder without __init__.py (a namespace package: `from routers import
    products`). Python takes a regular package found anywhere on sys.path over a namespace folder, so
    `from fastapi import FastAPI` beside a fastapi/ folder holding only app/main.py (no fastapi/FastAPI.py) is the
    installed FastAPI, not a reason to run from there."""
    found = analysis.module_files(base, imp.module)
    if found is None:
        return False
    package = join(base, *imp.module.split("."))
    if found and found[-1] in (f"{package}.py", f"{package}/__init__.py"):
        return True
    return any(f"{package}/{name}.py" in analysis.files or join(package, name) in analysis.dirs
               for name in imp.names if name != "*")


def _run_imports(module: Module) -> Iterator[Imp]:
    """The imports importing a module runs, with those its factories make when called (create_app()'s
    `from src.app.server.core import ApplicationCore`): a factory is how the server loads it."""
    yield from module.scan.imports
    for sym in module.scan.symbols.values():
        if sym.kind == "factory":
            yield from sym.func_imports


def climbs_above_root(m: Module, level: int) -> bool:
    """Whether a relative import of `level` in module m reaches above m's import root: `from .x import` in
    src/server.py (name "server") does, as one in src/proj/__init__.py (name "proj", the package itself:
    `from .celery import app`, Celery's Django layout) does not, nor one in src/proj/wsgi.py."""
    package = m.name.split(".") if m.path.endswith("__init__.py") else m.name.split(".")[:-1]
    return level > len(package)


def lower_to_sibling_imports(analysis: Analysis) -> None:
    """The other way round: src/ has an __init__.py, so it reads as a package run from the root, but its
    modules import each other as top-level names (`from config import DEBUG` in src/app.py, which runs
    as `cd src && uvicorn app:app`): their import root is src/ itself. Only when none of its modules needs
    the package: `import src...` in any of them (src/hooks/auth.py's `from src.models import`), or a relative import
    reaching src/ itself (`from .x` in src/app.py; not `from .logo` in src/components/__init__.py, which stays
    inside components/)."""
    by_package: dict[tuple[str, str], list[Module]] = {}
    for m in analysis.modules.values():
        if "." in m.name:
            by_package.setdefault((m.root, m.name.split(".")[0]), []).append(m)
    for (root, package), modules in by_package.items():
        inner = join(root, package)
        own = [m for m in modules if not m.decoy]
        top = [m for m in own if m.name.count(".") == 1]
        if _django_home(analysis, inner, own):
            for m in modules:
                if m.path != f"{inner}/__init__.py":
                    analysis.modules[m.path] = replace(_lowered(m), root=inner)
            continue
        if not top or any(imp.module.split(".")[0] == package and not _namesake_sibling(analysis, inner, imp)
                          for m in own for imp in m.scan.imports if not imp.level) \
                or any(climbs_above_root(_lowered(m), imp.level) for m in own for imp in m.scan.imports if imp.level):
            # both: app/main.py imports `from app.models import`, app/routes.py `from views import` (app/views.py),
            # as an IDE's run configuration puts the root and app/ on sys.path: the root stays, app/ is added
            # (a standard library name there is the standard library's: the folder first on sys.path would hide it)
            installed = _installed_namesakes(analysis, inner, own)
            if top and any(_sibling_import(analysis, root, inner, imp, installed) for m in own for imp in m.scan.imports):
                analysis.sibling_folders.setdefault(root, inner)
            elif top and _init_imports_siblings(analysis, root, inner, installed):
                analysis.sibling_folders.setdefault(root, inner)
                analysis.implicit_relative.add(inner)
            continue
        installed = _installed_namesakes(analysis, inner, own)
        if any(not imp.level and imp.module.split(".")[0] not in installed and analysis.module_files(root, imp.module) is None
               and _importable(analysis, inner, imp.module) and not _wraps_namesake(analysis, inner, imp.module)
               and not _package_only(analysis, inner, imp.module)
               for m in own for imp in m.scan.imports):
            for m in modules:
                if m.path != f"{inner}/__init__.py":
                    analysis.modules[m.path] = replace(_lowered(m), root=inner)
        if _init_imports_siblings(analysis, root, inner, installed):
            # the package itself stays imported by name from the root (run.py's `from src import app`), and its
            # __init__.py needs its siblings as top-level names: both folders on sys.path
            analysis.sibling_folders.setdefault(root, inner)
            analysis.implicit_relative.add(inner)


def _sibling_import(analysis: Analysis, root: str, inner: str, imp: Imp, installed: set[str]) -> bool:
    """Whether the absolute import `imp`, in a module of package folder `inner`, names a module of `inner` as a
    top-level name that nothing at `root` has (a standard library name stays the standard library's: the folder
    first on sys.path would hide it)."""
    return not imp.level and imp.module.split(".")[0] not in sys.stdlib_module_names \
        and imp.module.split(".")[0] not in installed \
        and analysis.module_files(root, imp.module) is None and _importable(analysis, inner, imp.module) \
        and not _wraps_namesake(analysis, inner, imp.module) and not _package_only(analysis, inner, imp.module)


def _init_imports_siblings(analysis: Analysis, root: str, inner: str, installed: set[str]) -> bool:
    """Whether the package's own __init__.py imports a module of its folder as a top-level name, at import or in a
    factory it defines (a 2014 Flask skeleton's create_app(): `from bp_main import bp_main` for app/bp_main/):
    Python 2's implicit relative import, which Python 3 runs when the package's folder is on sys.path too. A folder
    the code puts on sys.path itself is its own business (nothing added then)."""
    init = analysis.modules.get(f"{inner}/__init__.py")
    if init is None or init.decoy or "sys.path" in (analysis.project.scan_text(init.path) or ""):
        return False
    return any(_sibling_import(analysis, root, inner, imp, installed) for imp in _run_imports(init))


def _importable(analysis: Analysis, folder: str, dotted: str) -> bool:
    """Whether `import dotted` finds a module of the project from `folder`: a module or package, or a namespace
    package (a folder of modules with no __init__.py: src/routes/user.py, which src/main.py imports as `from routes
    import user`), which module_files gives as no file to run."""
    files = analysis.module_files(folder, dotted)
    if files:
        return True
    if files is None or not dotted:
        return False
    stem = join(folder, *dotted.split("."))
    return any(f.startswith(f"{stem}/") for f in analysis.files)


def _django_home(analysis: Analysis, inner: str, own: list[Module]) -> bool:
    """Whether package folder `inner` is a Django project's home: Django's manage.py in it, which runs from there
    (`python manage.py` puts its own folder first on sys.path), so the settings, ROOT_URLCONF and INSTALLED_APPS
    name its modules from there. mezzanine-project (and Django projects of the 1.x years) leave an __init__.py
    beside manage.py, which made the folder read as a package imported from the folder above: trehacklab.wsgi
    became trehacklab.trehacklab.wsgi, whose settings (`trehacklab.settings`) no run from the root finds.
    Not when a module of it reaches the folder above: a relative import climbing out of `inner`, or an import
    that resolves only from the folder above (the package's own name, with no namesake module inside)."""
    manage = join(inner, "manage.py")
    if manage not in analysis.files:
        return False
    try:
        text = analysis.project.scan_text(manage) or ""
    except OSError:
        return False
    if "execute_from_command_line" not in text or "DJANGO_SETTINGS_MODULE" not in text:
        return False
    root = str(PurePosixPath(inner).parent)
    for m in own:
        for imp in m.scan.imports:
            if imp.level and climbs_above_root(_lowered(m), imp.level):
                return False
            if not imp.level and imp.module and analysis.module_files(inner, imp.module) is None \
                    and analysis.module_files(root, imp.module):
                return False
    return True


def _lowered(m: Module) -> Module:
    """Module m as imported from inside its top package (app.components.logo as components.logo)."""
    return replace(m, name=m.name.split(".", 1)[1])


def _installed_namesakes(analysis: Analysis, folder: str, modules: list[Module]) -> set[str]:
    """Top-level names the package's modules import from an installed package that shares its name with a package
    of `folder` (utils/langchain/, the app's wrappers, beside `from langchain.chat_models import` in the same code):
    an import of a submodule folder/langchain/ does not have (chat_models) could not run with `folder` on sys.path,
    whose regular package would hide the installed one, so its other `langchain.…` imports name the installed
    package too, not a reason to put `folder` on sys.path."""
    names = set()
    for m in modules:
        for imp in m.scan.imports:
            top = imp.module.split(".")[0] if imp.module and not imp.level else ""
            if top and "." in imp.module and join(folder, top, "__init__.py") in analysis.files \
                    and analysis.module_files(folder, imp.module) is None:
                names.add(top)
    return names


def _namesake_sibling(analysis: Analysis, inner: str, imp: Imp) -> bool:
    """Whether `from app import app` in a module of package folder app/ takes names from its sibling module
    app/app.py, not from the package: every name it imports is defined in app/app.py and none in app/__init__.py
    (wsgi.py beside app.py, both run from inside app/ as `cd app && gunicorn wsgi:app`). From the folder above,
    the package app would have no such name: the import does not say the code runs from there."""
    package = PurePosixPath(inner).name
    if imp.module != package or not imp.names or "*" in imp.names:
        return False
    sibling = analysis.modules.get(join(inner, f"{package}.py"))
    init = analysis.modules.get(join(inner, "__init__.py"))
    return sibling is not None and all(name in sibling.scan.symbols for name in imp.names) \
        and not any(init is not None and name in init.scan.symbols for name in imp.names)


def _wraps_namesake(analysis: Analysis, folder: str, dotted: str) -> bool:
    """Whether the module `dotted` names in `folder` imports an outside package of its own top-level name
    (proj/celery.py: `from celery import Celery`, as Celery's Django guide lays it out). Run from `folder`,
    that module would import itself, so `celery` in the package's modules means the installed package."""
    top = dotted.split(".")[0]
    files = analysis.module_files(folder, top) or []
    module = analysis.modules.get(files[-1]) if files else None
    return module is not None and any(not imp.level and imp.module.split(".")[0] == top
                                      for imp in module.scan.imports)


def _package_only(analysis: Analysis, folder: str, dotted: str) -> bool:
    """Whether the module `dotted` names in `folder` is a plain module that imports relatively (app/celery.py:
    `from .application import create_celery`): imported as a top-level name it has no package to be relative to
    and fails, so `from celery import Celery` in the package's other modules means the installed package, not a
    reason to put `folder` on sys.path."""
    files = analysis.module_files(folder, dotted.split(".")[0]) or []
    module = analysis.modules.get(files[-1]) if files and not files[-1].endswith("/__init__.py") else None
    return module is not None and any(imp.level for imp in module.scan.imports)


def declared_name(project: Project) -> str | None:
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
        # setup(name="x") or a kwargs dict {"name": "x"} (sanic's setup.py)
        match = re.search(r"""(?:\bname\s*=|["']name["']\s*:)\s*["']([\w.-]+)["']""", project.read_text("setup.py"))
        name = match.group(1) if match else None
    return re.sub(r"[-_.]+", "-", name).lower() if name else None
