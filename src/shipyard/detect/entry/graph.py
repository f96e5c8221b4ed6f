"""The project's import graph: every readable module, where it is imported from, which project files
importing it runs, and which app a module-level name refers to across imports."""

from __future__ import annotations

import configparser
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import PurePosixPath

from ...project import Project
from .. import appscan, own_packages
from .. import frameworks as fw
from ..appscan import Imp, Sym
from .model import BOTTLE_DEFAULT, AppDef, Module, join

MAX_SOURCE_BYTES = 2_000_000
SCRIPT_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)+")     # rest-server, my-app-v2
TEST_FILE = re.compile(r"test_\w*\.py|\w+_test\.py|tests\.py|conftest\.py")


@dataclass
class Analysis:
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
            return [f] if (f := join(base, "__init__.py")) in self.files else []
        found: list[str] = []
        for i in range(1, len(parts) + 1):
            stem = join(base, *parts[:i])
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
            pkg = join(base, *imp.module.split(".")) if imp.module else base
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
            own_imports = tuple((path, imp) for imp in sym.func_imports)
            if sym.inner is not None:
                # `def get_app(): return create_app(store)`: the same app as the factory it calls, made with
                # this one's arguments (none, often), its imports and its async-ness
                inner = self.resolve(path, sym.inner, depth + 1)
                if inner is None or inner[1] != "factory" or inner[0] is BOTTLE_DEFAULT:
                    return None
                return replace(inner[0], needs_args=sym.needs_args, func_imports=own_imports + inner[0].func_imports,
                               awaitable=sym.awaitable, delegated=True), "factory"
            return AppDef(path, sym.line, sym.framework, sym.interface, True, sym.needs_args,
                          own_imports, sym.awaitable), "factory"
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


def import_root(project: Project, path: str) -> tuple[str, str] | None:
    """(root folder, dotted name) for a file: climb while the folder is a package."""
    parts = list(PurePosixPath(path).with_suffix("").parts)
    folder = PurePosixPath(path).parent
    name = parts[-1:] if parts[-1] != "__init__" else []
    while str(folder) != "." and project.is_file(str(folder / "__init__.py")):
        name.insert(0, folder.name)
        folder = folder.parent
    if not name or not all(p.isidentifier() for p in name):
        # a top-level script named with hyphens (rest-server.py) is not importable with `import`, but
        # importlib, gunicorn, granian and uWSGI load it by that name all the same
        if len(name) == 1 and str(folder) == "." and SCRIPT_NAME.fullmatch(name[0]):
            return str(folder), name[0]
        return None
    return str(folder), ".".join(name)


def is_test_file(path: str) -> bool:
    """test_x.py, x_test.py, tests.py, conftest.py: they build an app to test it (create_app('testing')),
    never the one to deploy."""
    return bool(TEST_FILE.fullmatch(PurePosixPath(path).name))


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
        if text is None:
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
        analysis.modules[path] = Module(path, placed[0], placed[1], scanned, decoy)
    lift_self_imports(analysis)
    lower_to_sibling_imports(analysis)
    return analysis


def lift_self_imports(analysis: Analysis) -> None:
    """An app that imports its own folder by name (`from src.db import x` in src/main.py, with no
    src/__init__.py) only runs from the folder above, as `src.main`: its own absolute imports say where
    its import root is, so move every module of that folder up (root ".", name "src.main")."""
    by_root: dict[str, list[Module]] = {}
    for m in analysis.modules.values():
        by_root.setdefault(m.root, []).append(m)
    for root, modules in by_root.items():
        top = PurePosixPath(root).name
        if root in ("", ".") or not top.isidentifier() or analysis.module_files(root, top) is not None:
            continue    # at the project root, or `top` imports from inside the folder itself
        parent = str(PurePosixPath(root).parent)
        if any(not imp.level and imp.module.split(".")[0] == top and analysis.module_files(parent, imp.module)
               for m in modules if not m.decoy for imp in m.scan.imports):
            for m in modules:
                analysis.modules[m.path] = replace(m, root=parent, name=f"{top}.{m.name}")


def lower_to_sibling_imports(analysis: Analysis) -> None:
    """The other way round: src/ has an __init__.py, so it reads as a package run from the root, but its
    modules import each other as top-level names (`from config import DEBUG` in src/app.py, which runs
    as `cd src && uvicorn app:app`): their import root is src/ itself. Only when none of its top-level
    modules needs the package (a relative import, or `import src...`)."""
    by_package: dict[tuple[str, str], list[Module]] = {}
    for m in analysis.modules.values():
        if "." in m.name:
            by_package.setdefault((m.root, m.name.split(".")[0]), []).append(m)
    for (root, package), modules in by_package.items():
        inner = join(root, package)
        own = [m for m in modules if not m.decoy]
        top = [m for m in own if m.name.count(".") == 1]
        if not top or any(imp.level or imp.module.split(".")[0] == package for m in top for imp in m.scan.imports):
            continue
        if any(not imp.level and analysis.module_files(root, imp.module) is None
               and analysis.module_files(inner, imp.module) for m in own for imp in m.scan.imports):
            for m in modules:
                if m.path != f"{inner}/__init__.py":
                    analysis.modules[m.path] = replace(m, root=inner, name=m.name.split(".", 1)[1])


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
