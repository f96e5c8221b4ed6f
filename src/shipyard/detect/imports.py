"""Dependencies inferred from the app's source: its imports, and packages named only in strings.

Imports are read with ast from every app .py file (migrations included: they run at release time). The
standard library (Python 3's, and Python 2's names in old code) and the project's own modules are
dropped: a name is the project's own when it is importable from an import root (the project root, src/,
the entry's folder, a script's own folder) or when the app imports it as a package of its own
(`from app.core import config` with app/core/config.py). Import names map to distributions through, in
order: a small hand-written table of choices (data/import_overrides.json: headless OpenCV, PyYAML), the
app interpreter's installed metadata (which also gives the versions to pin), and a table generated from
the wheels of the most downloaded distributions (data/import_map.json, scripts/build_import_map.py).
The longest dotted prefix wins, so namespace packages map right (zope.sqlalchemy, google.cloud.storage).
Packages a framework imports on the app's behalf come from implied.py, each with its reason.

A package that a declared one already requires (werkzeug under a declared Flask) is not added. Optional
imports (inside `try: ... except ImportError`) and imports under `if TYPE_CHECKING:` are not requirements.
When the app declares its dependencies, an import no table maps is reported as unresolved, never added:
a guessed name that does not exist breaks the whole install. Nor is a mapped import added when only modules the
entry never imports make it (alternative drivers a setting chooses: reach.py): the note names it.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import PurePosixPath
from typing import Iterable

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet

from ..interpreter import app_python
from ..plan import Dependency
from .plain_requirements import pip_format
from ..project import Project
from .ast_nodes import ast_nodes
from .deps import normalize
from .findings import DeclaredDependencies, EntryFinding
from .probe import DEV_TOOLS
from .alembic_engine import sync_migrations
from .engine_urls import unset_engine_urls
from .implied import (DRIVER_BUILDS, DRIVERS, SQL_SERVICES, SQLALCHEMY_MODULES, SQLALCHEMY_URL_DRIVERS,
                      SYNC_POSTGRES, URL_DRIVERS, WEBASSETS_MODULES, django_fields, extra_drivers,
                      implied_by_import, implied_choice,
                      include_calls_in_text, pydantic1_env_files, pyramid_includes, sanic_ext_settings,
                      tortoise_model_modules, webassets_filters,
                      attribute_uses)
from .pyramid_scan import scanned_files
from .python2_names import PYTHON3_NAMES
from .redis_uses import unread_env_hint
from .services import env_reads
from .source import (app_files, hints_in_text, importable_names, is_package_dir, nameable_files, parsed,
                     string_constants, string_hints, sys_path_folders)

# Modules of Python 2's standard library (python2_names.py) and of Python 3's, since removed, that old apps still
# import: none of them is a distribution.
_OLD_STDLIB = frozenset(PYTHON3_NAMES) | {
    # removed from Python 3 in 3.12/3.13
    "asynchat", "asyncore", "distutils", "imp", "smtpd", "aifc", "audioop", "cgi", "cgitb", "chunk", "crypt",
    "imghdr", "mailcap", "msilib", "nis", "nntplib", "ossaudiodev", "pipes", "sndhdr", "spwd", "sunau",
    "telnetlib", "uu", "xdrlib", "lib2to3",
}
_STDLIB = frozenset(sys.stdlib_module_names) | {"__future__", "__main__"} | _OLD_STDLIB
_ENV_TIMEOUT = 60.0   # reading a big environment's metadata on a busy machine takes seconds
INSTALLED_FOLDER = "installed"   # in Shipyard's cache: what big environments have installed (environment())


@dataclass(frozen=True)
class _Import:
    name: str        # dotted, as written ("mysql.connector", "flask")
    file: str
    optional: bool   # guarded by `except ImportError` or TYPE_CHECKING


@dataclass(frozen=True)
class Inferred:
    """What the imports and strings say the app needs beyond what it declares."""

    dependencies: tuple[Dependency, ...]
    unresolved: tuple[str, ...] = ()     # "sassutils (app/assets.py)": imported, mapped by no table
    notes: tuple[str, ...] = ()

    def __iter__(self):
        return iter(self.dependencies)


@dataclass(frozen=True)
class Environment:
    """What is installed in the app's interpreter: import name -> distributions, versions, requirements."""

    packages: dict[str, tuple[str, ...]]     # import name (dotted below namespaces) -> distribution names
    versions: dict[str, str]                 # normalized distribution name -> version
    names: dict[str, str]                    # normalized -> display name ("pyyaml" -> "PyYAML")
    requires: dict[str, tuple[str, ...]]     # normalized -> normalized names it requires (no extras)

    def closure(self, roots: Iterable[str]) -> set[str]:
        """Everything the given distributions pull in (not the roots themselves, unless required)."""
        out: set[str] = set()
        todo = [r for root in roots for r in self.requires.get(root, ())]
        while todo:
            name = todo.pop()
            if name not in out:
                out.add(name)
                todo.extend(self.requires.get(name, ()))
        return out


NOTHING_INSTALLED = Environment({}, {}, {}, {})

# Runs inside the app's interpreter (any Python 3.8+), with only the standard library. Import names are
# found as scripts/build_import_map.py finds them in wheels: packages and modules, and below a namespace
# folder (no __init__.py, or a tiny one that several distributions ship) the packages inside it.
_ENV_SCRIPT = r"""
import hashlib, json, os, re, sys
from importlib import metadata
def norm(n): return re.sub(r"[-_.]+", "-", n).lower()
PATHS = globals().get("PATHS")   # site-packages folders to read instead of this interpreter's (a committed venv's)
CACHE = globals().get("CACHE")   # a folder to keep the answer in, keyed by the metadata files it is read from
FOLDERS = PATHS if PATHS else sys.path
KEEP_FROM = globals().get("KEEP_FROM", 50)   # distributions: a smaller environment is read in well under a second
METADATA = ("", "METADATA", "RECORD", "PKG-INFO", "top_level.txt", "installed-files.txt", "SOURCES.txt",
            "requires.txt")
def fingerprint():
    # every metadata folder or file the distributions are read from, and the files of each the answer reads
    # (their mtime and size): an install, upgrade or removal changes it; folders themselves are not looked at (the
    # app's working folder is on sys.path, and changes with every file written there)
    seen = [sys.executable, sys.version]
    for folder in FOLDERS:
        try:
            entries = sorted(os.listdir(folder or "."))
        except OSError:
            try:
                st = os.stat(folder)
                seen.append([folder, st.st_mtime_ns, st.st_size])
            except OSError:
                pass
            continue
        for entry in entries:
            if not entry.endswith((".dist-info", ".egg-info", ".egg-link", ".pth", ".egg")) and entry != "EGG-INFO":
                continue
            for inner in METADATA:
                try:
                    st = os.stat(os.path.join(folder or ".", entry, inner) if inner else os.path.join(folder or ".", entry))
                except OSError:
                    continue
                seen.append([folder, entry, inner, st.st_mtime_ns, st.st_size])
    return hashlib.sha256(json.dumps(seen).encode()).hexdigest()[:24]
def scan():
    packages, versions, names, requires, trees = {}, {}, {}, {}, {}
    for dist in (metadata.distributions(path=PATHS) if PATHS else metadata.distributions()):
        name = dist.metadata["Name"]
        if not name:
            continue
        key = norm(name)
        versions.setdefault(key, dist.version)
        names.setdefault(key, name)
        reqs = []
        for r in dist.requires or []:
            if ";" in r and "extra" in r.split(";", 1)[1]:
                continue
            m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", r)
            if m:
                reqs.append(norm(m.group(1)))
        requires.setdefault(key, sorted(set(reqs)))
        tree = trees.setdefault(name, {})
        for f in dist.files or ():
            parts = list(f.parts)
            if not parts or parts[0].endswith((".dist-info", ".egg-info", ".data")) or parts[0] in ("..", "__pycache__"):
                continue
            leaf = parts[-1]
            if not leaf.endswith((".py", ".so", ".pyd")) or not all(p.isidentifier() for p in parts[:-1]):
                continue
            dirs, stem = parts[:-1], leaf.split(".")[0]
            for d in range(1, min(len(dirs), 4) + 1):
                tree.setdefault(".".join(dirs[:d]), [None, False])
            if stem == "__init__" and dirs and len(dirs) <= 4:
                tree[".".join(dirs)][0] = f.size or 0
            elif stem != "__init__" and len(dirs) < 4 and stem.isidentifier():
                tree.setdefault(".".join(dirs + [stem]), [None, False])[1] = True
        top_level = dist.read_text("top_level.txt")
        if top_level and not tree:  # an egg or a legacy install without a file list
            for t in top_level.split():
                tree.setdefault(t.split("/")[0], [0, True])
    holders = {}
    for tree in trees.values():
        for n, (init, module) in tree.items():
            if "." not in n and init is not None and init <= 1024:
                holders[n] = holders.get(n, 0) + 1
    shared = {n for n, c in holders.items() if c >= 2}
    for name, tree in trees.items():
        def visit(n):
            init, module = tree[n]
            if module or (init is not None and not (n in shared and init <= 1024)):
                packages.setdefault(n, [])
                if name not in packages[n]:
                    packages[n].append(name)
                return
            for child in sorted(c for c in tree if c.startswith(n + ".") and c.count(".") == n.count(".") + 1):
                visit(child)
        for top in [n for n in tree if "." not in n]:
            visit(top)
    return {"packages": packages, "versions": versions, "names": names, "requires": requires}
KEPT = os.path.join(CACHE, "env-" + fingerprint() + ".json") if CACHE else None
answer = None
if KEPT:
    try:
        with open(KEPT, encoding="utf-8") as f:
            answer = f.read()
        json.loads(answer)
    except (OSError, ValueError):
        answer = None
if answer is None:
    found = scan()
    answer = json.dumps(found)
    if KEPT and len(found["versions"]) >= KEEP_FROM:
        try:
            os.makedirs(CACHE, exist_ok=True)
            part = "%s.%d.part" % (KEPT, os.getpid())
            with open(part, "w", encoding="utf-8") as f:
                f.write(answer)
            os.replace(part, KEPT)
        except OSError:
            pass
print(answer)
"""


def _installed_cache():
    from ..environments import cache_root
    return cache_root() / INSTALLED_FOLDER


@lru_cache(maxsize=8)
def environment(python_exe: str) -> Environment:
    """Installed distributions of `python_exe`; empty when it cannot be asked (then nothing is pinned). A big
    environment's answer is kept in Shipyard's cache under its metadata files' sizes and times (reading 200
    distributions' file lists takes seconds, and each command that makes a plan asks again)."""
    kept = str(_installed_cache())
    try:
        # Not resolved: a virtualenv's python is a symlink to the same base interpreter as ours.
        if os.path.abspath(python_exe) == os.path.abspath(sys.executable):
            import contextlib
            import io
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                exec(compile(_ENV_SCRIPT, "<shipyard-env>", "exec"), {"CACHE": kept})
            data = json.loads(buffer.getvalue())
        else:
            done = subprocess.run([python_exe, "-I", "-c", f"CACHE = {kept!r}\n{_ENV_SCRIPT}"], capture_output=True,
                                  text=True, timeout=_ENV_TIMEOUT, check=True)
            data = json.loads(done.stdout)
    except (OSError, subprocess.SubprocessError, ValueError):
        return Environment({}, {}, {}, {})
    return Environment(
        packages={k: tuple(v) for k, v in data["packages"].items()},
        versions=data["versions"], names=data["names"],
        requires={k: tuple(v) for k, v in data["requires"].items()})


@dataclass(frozen=True)
class Tables:
    overrides: dict[str, str]                 # hand-written choices, win over everything
    generated: dict[str, str]                 # from the wheels of the most downloaded distributions
    same_release: dict[str, tuple[str, ...]]  # distribution -> others with the same code (psycopg2-binary)


def _data(name: str) -> dict:
    return json.loads(resources.files("shipyard").joinpath(f"data/{name}").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def tables() -> Tables:
    overrides = _data("import_overrides.json")
    same = {normalize(k): tuple(normalize(v) for v in vs) for k, vs in overrides["same_release"].items()}
    return Tables(dict(overrides["imports"]), dict(_data("import_map.json")["imports"]), same)


def import_map() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """(import name -> distribution, the hand choices over the generated table; same_release)."""
    table = tables()
    return {**table.generated, **table.overrides}, table.same_release


def _table_lookup(dotted: str, table: Tables) -> tuple[str, str] | None:
    """(distribution, the matched key) from the hand table, else the generated one; longest prefix first."""
    parts = dotted.split(".")
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        for mapping in (table.overrides, table.generated):
            if key in mapping:
                return mapping[key], key
    return None


def known_distribution(import_name: str) -> str | None:
    """The distribution the import tables name for module `import_name`; None for a name they do not know (which
    a package index may hold under anyone's name)."""
    found = _table_lookup(import_name, tables())
    return found[0] if found else None


def distribution_for(import_name: str) -> str:
    """The PyPI distribution that provides module `import_name` (dotted names first: mysql.connector)."""
    found = _table_lookup(import_name, tables())
    return found[0] if found else import_name.split(".")[0]


# ---------------------------------------------------------------------------------------------- imports

class _Collector(ast.NodeVisitor):
    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.found: list[_Import] = []
        self._optional = 0

    def visit_Try(self, node: ast.Try) -> None:
        guarded = any(_catches_import_error(h) for h in node.handlers)
        self._optional += guarded
        for child in node.body:
            self.visit(child)
        self._optional -= guarded
        for child in [*node.handlers, *node.orelse, *node.finalbody]:
            self.visit(child)

    visit_TryStar = visit_Try

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        type_checking = (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
            (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
        self._optional += type_checking
        for child in node.body:
            self.visit(child)
        self._optional -= type_checking
        for child in node.orelse:
            self.visit(child)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.found.append(_Import(alias.name, self.rel, self._optional > 0))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level == 0 and node.module:
            # `from google.cloud import storage` imports google.cloud.storage: keep the dotted name
            for alias in node.names:
                self.found.append(_Import(f"{node.module}.{alias.name}", self.rel, self._optional > 0))


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(getattr(k, "id", getattr(k, "attr", "")) in ("ImportError", "ModuleNotFoundError", "Exception")
               for k in kinds)


def _imports(project: Project) -> list[_Import]:
    trees = parsed(project)
    found = []
    for rel, tree in sorted(trees.items()):
        collector = _Collector(rel)
        collector.visit(tree)
        found.extend(collector.found)
    # Files this Python cannot parse (Python 2's print statement, a newer Python's syntax) still say
    # what they import: read their import lines.
    for rel in app_files(project):
        if rel not in trees and (text := project.scan_text(rel)) is not None:
            found.extend(_import_lines(text, rel))
    # test modules Pyramid's config.scan() imports with the app (its conftest.py's Faker)
    for rel in scanned_files(project, trees):
        if rel not in trees and (text := project.scan_text(rel)) is not None:
            try:
                collector = _Collector(rel)
                collector.visit(ast.parse(text, filename=rel))
                found.extend(collector.found)
            except (SyntaxError, ValueError):
                found.extend(_import_lines(text, rel))
    return found


_IMPORT_LINE = re.compile(r"^(\s*)import\s+([\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*)\s*(?:#.*)?$")
_FROM_LINE = re.compile(r"^(\s*)from\s+([\w.]+)\s+import\s+\(?\s*([\w\s,]+?)\s*\)?\s*(?:#.*)?$")


def _import_lines(text: str, rel: str) -> list[_Import]:
    """Imports of a file that does not parse, line by line; those inside a `try:` block count as optional."""
    found: list[_Import] = []
    blocks: list[tuple[int, bool]] = []          # (indent, opened by try:) of the enclosing blocks
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        while blocks and blocks[-1][0] >= indent:
            blocks.pop()
        optional = any(is_try for _, is_try in blocks)
        if match := _IMPORT_LINE.match(line):
            for part in match.group(2).split(","):
                found.append(_Import(part.split()[0], rel, optional))
        elif (match := _FROM_LINE.match(line)) and not match.group(2).startswith("."):
            for name in match.group(3).replace("\n", " ").split(","):
                if name.split():
                    found.append(_Import(f"{match.group(2)}.{name.split()[0]}", rel, optional))
        if stripped.endswith(":"):
            blocks.append((indent, stripped == "try:"))
    return found


def _django_strings(project: Project) -> list[_Import]:
    """Dotted paths in Django settings (INSTALLED_APPS, MIDDLEWARE, backends): apps are imports too.

    A settings module is one that assigns INSTALLED_APPS, or extends the list it imports from its base
    (settings/development.py's `INSTALLED_APPS.append("django_extensions")`, `INSTALLED_APPS += [...]`), or
    holds django-configurations classes (`class Dev(Base)`, whose STORAGES may name whitenoise's backend).
    A single word counts only inside an *_APPS list or what is added to one ("corsheaders"); elsewhere in
    settings a plain word is a value ("webauthn", "postgres"), and only dotted paths name code."""
    found = []
    for rel, tree in sorted(parsed(project).items()):
        added = _added_to_apps(tree)
        if not added and not _settings_classes(tree) and not any(
                isinstance(n, ast.Assign) and any(getattr(t, "id", None) == "INSTALLED_APPS" for t in n.targets)
                for n in tree.body):
            continue
        app_lists = [n.value for n in ast_nodes(tree) if isinstance(n, (ast.Assign, ast.AugAssign))
                     and any(getattr(t, "id", "").endswith("APPS") for t in getattr(n, "targets", [getattr(n, "target", None)]))]
        words = {text for value in [*app_lists, *added] for text in string_constants(value)}
        for text in string_constants(tree):
            if text and all(part.isidentifier() for part in text.split(".")) and ("." in text or text in words) \
                    and text.rsplit(".", 1)[-1].lower() not in _FILE_SUFFIXES:
                found.append(_Import(text, rel, False))
    return found


# a file's name in settings (django-npm's NPM_FILE_PATTERNS "tailwind.css", a favicon's "logo.png") is no module:
# shynet's os.path.join("dist", "tailwind.css") installed django-tailwind
_FILE_SUFFIXES = {"css", "scss", "less", "js", "mjs", "map", "html", "htm", "txt", "md", "png", "jpg", "jpeg", "gif",
                  "svg", "ico", "webp", "woff", "woff2", "ttf", "eot", "pdf", "csv", "mmdb"}


def _settings_classes(tree: ast.Module) -> bool:
    """Whether the module is django-configurations settings: it imports from `configurations`."""
    return any(isinstance(n, ast.ImportFrom) and (n.module or "").split(".")[0] == "configurations" and not n.level
               or isinstance(n, ast.Import) and any(a.name.split(".")[0] == "configurations" for a in n.names)
               for n in tree.body)


def _added_to_apps(tree: ast.AST) -> list[ast.AST]:
    """What a settings module adds to INSTALLED_APPS: `+=` values and the arguments of .append/.extend/.insert."""
    out: list[ast.AST] = []
    for node in ast_nodes(tree):
        if isinstance(node, ast.AugAssign) and getattr(node.target, "id", None) == "INSTALLED_APPS":
            out.append(node.value)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("append", "extend", "insert") \
                and getattr(node.func.value, "id", None) == "INSTALLED_APPS":
            out.extend(node.args)
    return out


# ---------------------------------------------------------------------------------------------- local modules

class _LocalModules:
    """Which imports are the project's own code.

    A top-level name is local when it is importable from an import root (the project root, src/, the
    entry's folder, the folder holding the dependency files, Django's manage.py folder), or when the app
    imports it as a package of its own (`app.core` where some folder holds app/core), or, for a script
    outside any package, when it sits next to the importing file (the script's folder is on sys.path).
    Any other .py file does not hide a distribution: app/models/pydantic.py is not `pydantic`.
    """

    def __init__(self, project: Project, roots: Iterable[str]) -> None:
        self.project = project
        self.roots = [r for r in roots]
        self.tops: set[str] = set()
        for root in self.roots:
            self.tops |= importable_names(project, root)
        self.pairs: set[str] = set()       # "app.core": consecutive folder/module names of app code
        self.proven_tops: set[str] = set()
        self.by_folder: dict[str, set[str]] = {}
        for rel in nameable_files(project):
            path = PurePosixPath(rel)
            names = [*path.parts[:-1], path.stem]
            for a, b in zip(names, names[1:]):
                if b != "__init__":
                    self.pairs.add(f"{a}.{b}")
        for rel in app_files(project):
            path = PurePosixPath(rel)
            self.by_folder.setdefault(str(path.parent), set()).add(path.stem)
            if len(path.parts) > 1:
                self.by_folder.setdefault(str(path.parent.parent), set()).add(path.parts[-2])

    def proven(self, imports: Iterable["_Import"]) -> None:
        """Tops the app imports as its own packages: `app.core.x` where some folder holds app/core."""
        for imp in imports:
            parts = imp.name.split(".")
            if len(parts) >= 2 and f"{parts[0]}.{parts[1]}" in self.pairs:
                self.tops.add(parts[0])
                self.proven_tops.add(parts[0])

    def anywhere(self, top: str) -> bool:
        return any(top in names for names in self.by_folder.values())

    def _regular(self, top: str) -> bool:
        """A module or a package with __init__.py at an import root. A folder without one (alembic/ holding
        env.py) is a namespace portion, and an installed regular package of that name wins over it."""
        prefixes = ["" if r in ("", ".") else r.rstrip("/") + "/" for r in self.roots]
        return any(self.project.is_file(f"{p}{top}.py") or self.project.is_file(f"{p}{top}/__init__.py")
                   for p in prefixes)

    def is_local(self, imp: "_Import", mapped: bool) -> bool:
        top = imp.name.split(".")[0]
        if top in self.tops:
            return not mapped or self._regular(top) or top in self.proven_tops
        folder = str(PurePosixPath(imp.file).parent)
        if top not in self.by_folder.get(folder, ()):
            return False
        # A script's own folder is on sys.path; inside a package only Python 2's implicit relative
        # imports reach a sibling, so a sibling there hides only names that no table knows.
        return not is_package_dir(self.project, folder) or not mapped


def _import_roots(project: Project, finding: EntryFinding | None, declared: DeclaredDependencies) -> set[str]:
    roots = {".", "src"}
    if finding is not None:
        roots.add(finding.workdir)
        # the folder the entry puts on sys.path (coralsim/, whose modules import each other as top-level names:
        # `from utility import ...` beside coralsim/utility.py): its modules are the app's, not PyPI's `utility`
        if finding.entry.import_folder:
            roots.add(str(PurePosixPath(finding.workdir) / finding.entry.import_folder))
    roots.update(str(PurePosixPath(f).parent) for f in declared.files)
    roots.update(str(PurePosixPath(f).parent) for f in project.files
                 if PurePosixPath(f).name == "manage.py" and not project.is_decoy(f))
    roots.update(sys_path_folders(project))      # lib/ that app.py puts on sys.path: its modules are provided
    return roots


# ---------------------------------------------------------------------------------------------- infer

@lru_cache(maxsize=8)
def committed_environment(site_packages: str) -> Environment:
    """What a committed virtualenv that cannot run here (a Windows one: Scripts/python.exe, Lib/site-packages) has
    installed, read from its distributions' metadata with our own Python; empty when it cannot be read."""
    import contextlib
    import io
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer):
            exec(compile(_ENV_SCRIPT, "<shipyard-env>", "exec"), {"PATHS": [site_packages]})
        data = json.loads(buffer.getvalue())
    except (OSError, ValueError, UnicodeDecodeError):
        return NOTHING_INSTALLED
    return Environment(
        packages={k: tuple(v) for k, v in data["packages"].items()},
        versions=data["versions"], names=data["names"],
        requires={k: tuple(v) for k, v in data["requires"].items()})


def _committed_windows_site_packages(project: Project) -> str | None:
    """Lib/site-packages of a virtualenv committed with the app that was made on Windows (.venv, venv, env first,
    then any folder at the app's root that pyvenv.cfg marks as one: myvenv, blogEnv), or None."""
    from ..environments import VENV_NAMES, _windows_venv
    try:
        others = sorted(p.name for p in project.root.iterdir() if p.name not in VENV_NAMES and p.is_dir()
                        and (p / "pyvenv.cfg").is_file())
    except OSError:
        others = []
    for name in (*VENV_NAMES, *others):
        venv = project.root / name
        if _windows_venv(venv) and (venv / "Lib" / "site-packages").is_dir():
            return str(venv / "Lib" / "site-packages")
    return None


def infer(project: Project, finding: EntryFinding | None, declared: DeclaredDependencies,
          python_exe: str | None = None, *, installed: bool = True) -> Inferred:
    """Distributions the app uses that `declared` does not list, pinned to installed versions where known.

    `finding` may be None (no entry point found): the imports still say what the app needs.
    `installed=False` skips asking the interpreter what is installed (nothing pinned, names from the
    tables only): reading a large environment takes most of a second, too slow for `lint`."""
    exe = python_exe or app_python(project.root)[0]
    env = environment(exe) if installed else NOTHING_INSTALLED
    # Versions are pinned from the app's own environment only: Shipyard's own Python (the fallback when
    # the app has none) says nothing about the versions the app works with, and a pin newer than the
    # app's dependency files breaks an install resolved as of their date.
    pins = env if python_exe or os.path.abspath(exe) != os.path.abspath(sys.executable) else NOTHING_INSTALLED
    # a Windows virtualenv committed with the app runs nowhere here, but its metadata still says which distribution
    # each import came from and the versions the app was written against (an app with no dependency file, whose
    # README says `pip install django django-ninja`): those pin its inferred dependencies
    if installed and pins is NOTHING_INSTALLED and not python_exe \
            and (site_packages := _committed_windows_site_packages(project)):
        env = pins = committed_environment(site_packages)
    table = tables()
    found_imports = _imports(project)
    # `sys.path.append("../scripts/")` in a subfolder served on its own: the modules there are the repository's,
    # provided; what they import is the app's need
    from .outside_paths import outside_modules
    provided, outside_trees = outside_modules(project, parsed(project))
    if provided:
        found_imports = [i for i in found_imports if i.name.split(".")[0] not in provided]
        for label, tree in outside_trees.items():
            collector = _Collector(label)
            collector.visit(tree)
            found_imports.extend(i for i in collector.found if i.name.split(".")[0] not in provided)

    def mine(rel: str) -> bool:
        # a monorepo: the other projects' code (a scraper, a data script, a Django site beside a Flask app) needs
        # its own packages, not the app's: their imports, settings strings and URLs are not the app's needs
        return not declared.own_project or rel.startswith(declared.own_project + "/")

    found_imports = [i for i in found_imports if mine(i.file)]
    # a Python 2 script beside a Python 3 app, imported by none of its modules, runs in no install of it
    from .python2_strays import python2_strays
    strays = python2_strays(project, finding)
    stray_imports = sorted({i.name.split(".")[0]: i.file for i in found_imports if i.file in strays}.items())
    found_imports = [i for i in found_imports if i.file not in strays]
    stray_imports = [(name, rel) for name, rel in stray_imports
                     if name not in {i.name.split(".")[0] for i in found_imports}]   # the app imports it too
    unparsed = [rel for rel in app_files(project) if rel not in parsed(project)]
    local = _LocalModules(project, _import_roots(project, finding, declared))
    local.proven(found_imports)
    declares = declared.complete
    # with declared dependencies, what only files the entry never imports use is said, not added (reach.py;
    # imported here: it reads the entry package's graph, which imports this module)
    from .reach import unreached_files
    unreached = (unreached_files(project, finding) or frozenset()) if declares else frozenset()
    withheld: dict[str, tuple[str, str]] = {}     # normalized dist -> (display name, "cv2 in camera_opencv.py")
    # the app's own framework counts for add-on names like a declared one, also where only a declared package
    # pulls it in (quart-uploads brings Quart): quart_db in a Quart app is quart-db
    frameworks = {normalize(finding.framework)} if finding is not None and finding.framework else set()

    declared_keys = {normalize(d.name) for d in declared.dependencies}
    candidates: dict[str, tuple[str, str]] = {}   # normalized dist -> (display name, source)
    required: set[str] = set()                    # imported without an ImportError guard somewhere
    choices: dict[str, tuple[tuple[str, ...], str]] = {}   # a ONE_OF library imported -> (its choices, source)
    unresolved: dict[str, str] = {}

    dev_names: dict[str, Dependency] | None = None

    def dev_provider(top: str) -> Dependency | None:
        # what only the development declarations name, read once and only for a name no table maps
        nonlocal dev_names
        if dev_names is None:
            from .dev_declared import dev_declared
            dev_names = dev_declared(project, declared.folder) if declares else {}
        key = declared_namesake(top, set(dev_names))
        return dev_names[key] if key is not None else None

    def add(dist: str, source: str, optional: bool) -> None:
        key = normalize(dist)
        candidates.setdefault(key, (dist, source))
        if not optional:
            required.add(key)

    def consider(imp: _Import, *, guess: bool, what: str) -> None:
        if imp.name.startswith("flask.ext.") and len(imp.name.split(".")) > 2:
            # Flask before 1.0 redirected `flask.ext.foo` to the extension's own `flask_foo`
            imp = _Import("flask_" + imp.name.split(".")[2], imp.file, imp.optional)
        top = imp.name.split(".")[0]
        if top in _STDLIB or not top.isidentifier():
            return
        resolved = _resolve(imp.name, table, env)
        if local.is_local(imp, mapped=resolved is not None):
            return
        # a settings module the entry never imports (another Django site's, beside a Flask app) names what that
        # site loads, not the app
        if imp.file in unreached and what in ("import", "Django setting"):
            if resolved is not None and not imp.optional:
                withheld.setdefault(normalize(resolved[0]), (resolved[0], f"{resolved[1]} in {imp.file}"))
            elif what == "import" and resolved is None and not imp.optional and not local.anywhere(top) \
                    and not _is_namespace(top, table) and normalize(top) not in declared_keys \
                    and not declared_namesake(top, declared_keys):
                unresolved.setdefault(top, imp.file)
            return
        implied = implied_by_import(imp.name)
        if implied is not None:
            trigger, dist, why = implied
            add(dist, f"implied by {trigger} in {imp.file}: {why}", imp.optional)
        choice = implied_choice(imp.name)
        if choice is not None and not imp.optional:
            trigger, dists, why = choice
            choices.setdefault(trigger, (dists, f"implied by {trigger} in {imp.file}: {why} "
                                                f"(one of {', '.join(dists)}; none is declared)"))
        if resolved is not None:
            dist, key = resolved
            # `import haystack` with django-haystack declared: that one provides it, not the table's haystack-ai
            if normalize(dist) in declared_keys or env.packages.get(key) or not declared_namesake(top, declared_keys):
                add(dist, f"{what} {key} in {imp.file}", imp.optional)
        elif what in ("import", "Django setting") and not imp.optional and not local.anywhere(top) \
                and normalize(top) not in declared_keys and not declared_namesake(top, declared_keys) \
                and (dev := dev_provider(top)) is not None:
            # MIDDLEWARE's 'querycount.middleware.QueryCountMiddleware' in the development settings DJANGO_ENV
            # defaults to: no table maps querycount, and only the dev-dependencies' django-querycount provides it
            add(dev.name, f"{what} {top} in {imp.file} (no table maps it: {dev.source} declares {dev.name}, a "
                          "development dependency named after it, which the app's code loads)", False)
        elif what == "Django setting" and top not in DEV_TOOLS and not local.anywhere(top) \
                and normalize(top) not in declared_keys and not declared_namesake(top, declared_keys) \
                and addon_of(top, declared_keys | {"django"}) is not None:
            # INSTALLED_APPS' "django_dump_die" with only Django in a freeze: django.setup() imports it, and a
            # django_* add-on publishes under that name with a hyphen; left out when the index has none (GuessedAddOn)
            add(normalize(top), f"{what} {top} in {imp.file} (no table maps it: a Django add-on the settings load, "
                                "distribution named after it)", False)
        elif what == "Django setting" and not declares and "." not in imp.name and top.islower() \
                and top not in DEV_TOOLS and not local.anywhere(top) and not _is_namespace(top, table):
            # INSTALLED_APPS' "embed_video" with no dependency file at all: django.setup() imports it, no table maps
            # it, and reusable Django apps publish as django-<name> (django-embed-video, django-memcache-status);
            # left out when the index has none (install_retries.GuessedAddOn). Single lowercase words only: in
            # settings those come from an *_APPS list, and app modules are lowercase ("UTC" there is a value)
            add(django_app_distribution(top), f"{what} {top} in {imp.file} (no table maps it and nothing is "
                                              f"declared: {_DJANGO_APP_GUESS})", False)
        elif not guess or imp.optional or local.anywhere(top) or _is_namespace(top, table):
            # Unmapped names that the project holds somewhere (reached through a sys.path of its own) or
            # that are only a namespace (google, azure) are not guessed as distributions.
            return
        elif declares:
            # a declared distribution named after it provides it (flask_restplus: flask-restplus; django-rest-logger)
            if normalize(top) not in declared_keys and not declared_namesake(top, declared_keys):
                if top not in DEV_TOOLS and (framework := addon_of(top, declared_keys | frameworks)) is not None:
                    # falcon_cors beside a declared falcon: an add-on, published as its import name reads
                    # (falcon-cors); the install leaves it out when the index has none (install_retries.py).
                    # Never a development tool (aiohttp_debugtoolbar): production runs it as a stand-in
                    whose = f"the declared {framework}" if framework in declared_keys \
                        else f"{framework}, the app's framework"
                    add(normalize(top), f"{what} {top} in {imp.file} (no table maps it: an add-on of {whose}, "
                                        f"distribution named after the import)", imp.optional)
                else:
                    unresolved.setdefault(top, imp.file)
        else:
            # Nothing declared: most distributions share their import name; say it is a guess.
            add(top, f"{what} {top} in {imp.file} {_NAMED_AFTER_IMPORT}", imp.optional)

    for imp in found_imports:
        consider(imp, guess=True, what="import")
    for imp in [i for i in _django_strings(project) if mine(i.file)]:
        consider(imp, guess=False, what="Django setting")
    # Pyramid imports the add-ons it includes by name: a name no table knows is still a package's name.
    includes = pyramid_includes(project, parsed(project))
    for rel in unparsed:
        includes += [(name, rel) for name in include_calls_in_text(project.scan_text(rel) or "")]
    for name, rel in [(n, r) for n, r in includes if mine(r)]:
        consider(_Import(name, rel, False), guess=True, what="Pyramid include")
    for name, rel in tortoise_model_modules(parsed(project)):
        consider(_Import(name, rel, False), guess=False, what="Tortoise ORM models module")
    # joblib.load("model.joblib") on a committed scikit-learn model imports sklearn while unpickling
    from .pickled_modules import pickled_modules, pickled_release
    # the release that made the pickles, when they say so (scikit-learn's _sklearn_version): pinned when the app's
    # environment says nothing
    made_by = {normalize(k): v for k, v in pickled_release(project, frozenset(tops_of(found_imports))).items()}
    for name, rel in pickled_modules(project, frozenset(tops_of(found_imports))):
        if mine(rel):
            consider(_Import(name, rel, False), guess=False, what="pickled class of")
    if "django" in tops_of(found_imports):
        for dist, field, rel, why in django_fields(parsed(project)):
            if mine(rel):
                add(dist, f"implied by {field} in {rel}: {why}", False)
    for dist, name, rel, why in attribute_uses(parsed(project), tops_of(found_imports)):
        if mine(rel):
            add(dist, f"implied by .{name} in {rel}: {why}", False)
    if "pydantic" in tops_of(found_imports):
        for name, rel in pydantic1_env_files(parsed(project)):
            if mine(rel):
                add("python-dotenv", f"implied by {name}'s Config.env_file in {rel}: pydantic v1's BaseSettings "
                    "reads env files with python-dotenv", False)
    if "sanic" in tops_of(found_imports):
        for name, rel in sanic_ext_settings(parsed(project)):
            if mine(rel):
                add("sanic-ext", f"implied by the setting {name} in {rel}: Sanic's OpenAPI docs come from sanic-ext, "
                    "which Sanic loads when it is installed", False)
    if tops_of(found_imports) & WEBASSETS_MODULES:
        for dist, name, rel in webassets_filters(parsed(project)):
            add(dist, f"implied by the webassets filter {name!r} in {rel}: it runs the {dist} package", False)
    candidates = {k: v for k, v in candidates.items() if k in required}
    # `from betterforms.multiform import ...` with INSTALLED_APPS' "betterforms" and nothing declared: one module,
    # guessed twice, by the import's own name and as the Django app's django-<name>; the Django app's name stands
    # (reusable apps publish so, and the index may lack the bare name), in the plan inspect shows, serve's install
    # and the image alike
    candidates = {k: v for k, v in candidates.items() if not (v[1].endswith(_NAMED_AFTER_IMPORT) and _DJANGO_APP_GUESS
                                                              in candidates.get(f"django-{k}", ("", ""))[1])}
    # a library that works with any one of several packages gets the first when the app has none of them
    has = declared_keys | set(candidates) | env.closure(declared_keys) | _declared_extras(declared)
    for dists, source in choices.values():
        if not any(normalize(d) in has for d in dists):
            candidates[normalize(dists[0])] = (dists[0], source)

    # Drivers and worker packages named only in strings, when nothing already serves that purpose.
    # a driver an extra of the app's installs (`piccolo[postgres]`: asyncpg) is declared
    present = declared_keys | set(candidates) | {normalize(x) for d in declared.dependencies
                                                 for x in extra_drivers(d.name, d.spec)}
    tops = {imp.name.split(".")[0] for imp in found_imports}
    sqlalchemy = bool(tops & SQLALCHEMY_MODULES)
    found_hints = [h for h in string_hints(project) if not h.path or mine(h.path)]
    for rel in unparsed:   # database URLs in files that do not parse (Python 2) count too
        found_hints += hints_in_text(project.scan_text(rel) or "", rel)
    # a Redis URL in an env file that no code reads names no package the app needs
    read = frozenset(r.name for r in env_reads(project))
    found_hints = [h for h in found_hints if not unread_env_hint(project, h, read)]
    # a SQL database whose driver the dependency files leave out while they declare another one's is an
    # alternative the app offers (healthchecks: SQLite by default, `DB=postgres` with psycopg declared, `DB=mysql`
    # with mysqlclient only in requirements-dev.txt): its driver is the user's to add, not a build to fail on
    chosen_sql = {service for service in SQL_SERVICES if declares and declared_keys & {normalize(d) for d in
                                                                                       DRIVERS[service]}}
    if len(chosen_sql) == 1:
        from .services import freeze_leftover
        if freeze_leftover(project, chosen_sql):
            chosen_sql = set()     # a pip freeze's driver nothing uses: the URL the code connects with decides
    found_hints = [h for h in found_hints if not chosen_sql or h.service not in SQL_SERVICES or h.service in chosen_sql]
    hints = sorted(found_hints, key=lambda h: "+" not in h.reason.split("://")[0])  # explicit drivers first
    explicit = {h.service for h in hints if "://" in h.reason and "+" in h.reason.split("://")[0]}
    for hint in hints:
        if hint.built and hint.service == "postgres":
            hint = replace(hint, dependency=plain_url_driver(declared))
        key = normalize(hint.dependency)
        scheme = hint.reason.split("://")[0] if "://" in hint.reason else ""
        satisfied_by = DRIVERS.get(hint.service or "", ())
        if hint.built:
            # the code makes this URL itself: only the driver SQLAlchemy loads for it serves it
            satisfied_by = DRIVER_BUILDS.get(hint.dependency, (hint.dependency,))
        elif hint.service == "mysql" and hint.reason.startswith("DATABASES ENGINE"):
            # Django's MySQL backend imports MySQLdb: mysqlclient, or PyMySQL where the app installs it as MySQLdb;
            # another MySQL driver (mysql.connector in a script that creates the database) does not serve it
            satisfied_by = ("mysqlclient", "pymysql") if _installs_mysqldb(project) else ("mysqlclient",)
        elif sqlalchemy and scheme in SQLALCHEMY_URL_DRIVERS and hint.service not in explicit:
            # SQLAlchemy loads its own driver for a plain URL: asyncpg next to it does not serve it
            satisfied_by = SQLALCHEMY_URL_DRIVERS[scheme]
        elif sqlalchemy and "+" in scheme:
            # SQLAlchemy loads the driver the URL names (postgresql+asyncpg://): another one (aiopg) does not serve it
            satisfied_by = DRIVER_BUILDS.get(hint.dependency, (hint.dependency,))
        elif scheme and "+" not in scheme and hint.service in explicit:
            continue   # the app names its driver in another URL (postgresql+psycopg://): that one decides
        for module, drivers in URL_DRIVERS.items():
            serving = drivers.get(hint.service or "", ())
            if module in tops and serving and not present & {normalize(d) for d in serving}:
                candidates[normalize(serving[0])] = (serving[0], f"{hint.reason}, opened by {module}: {serving[0]}")
                present.add(normalize(serving[0]))
        if not hint.dependency:
            continue   # the standard library's driver (sqlite://)
        if any(normalize(d) in present for d in satisfied_by):
            continue
        if hint.service == "postgres" and hint.dependency == "psycopg2" and "psycopg" in env.versions \
                and "psycopg2" not in env.versions and "psycopg2-binary" not in env.versions:
            key = "psycopg"  # the app's environment has psycopg 3: use it
        if key not in present:
            candidates[key] = (env.names.get(key, hint.dependency) if key != "psycopg" else "psycopg", hint.reason)
            present.add(key)

    # a library that opens URLs with drivers of its own (`databases`) in an app that names no database: only a
    # DATABASE_URL it requires, with no default, or a URL an engine opens that it reads with none (engine_urls), for
    # which serve gives a SQLite file (appconfig): that file's driver
    if any(r.name == "DATABASE_URL" and r.required and not r.default for r in env_reads(project)) \
            or unset_engine_urls(project):
        for module, drivers in URL_DRIVERS.items():
            every = {normalize(d) for served in drivers.values() for d in served}
            named = any(h.service in drivers for h in hints)
            if module in tops and "sqlite" in drivers and not named and not present & every:
                driver = drivers["sqlite"][0]
                candidates[normalize(driver)] = (driver, f"{module} opens the SQLite file serve gives the DATABASE_URL "
                                                         f"the app requires with {driver}")
                present.add(normalize(driver))

    # an async engine on a URL the app reads with no default and names nowhere: serve gives it a SQLite file through
    # aiosqlite (engine_urls), which the install needs
    unset = [name for name, asynchronous in unset_engine_urls(project).items() if asynchronous]
    if unset and sqlalchemy and not present & {"aiosqlite", "asyncpg", "aiomysql", "asyncmy", "psycopg"}:
        candidates["aiosqlite"] = ("aiosqlite", f"create_async_engine opens {unset[0]}, read with no default: serve "
                                                f"gives it a SQLite file, opened with aiosqlite")
        present.add("aiosqlite")

    # Alembic's sync env.py beside an app whose only PostgreSQL driver is asyncpg: the migrations need the
    # driver SQLAlchemy loads for a plain postgresql:// URL
    migrations = sync_migrations(project)
    if migrations and "asyncpg" in present and not present & SYNC_POSTGRES:
        driver = plain_url_driver(declared)
        candidates.setdefault(normalize(driver), (driver, f"Alembic's {migrations} opens a sync engine, which "
                                                          f"SQLAlchemy opens with {driver} (asyncpg is async only)"))

    # What is declared, or what a declared distribution pulls in (the app works with it today), is not
    # added again. With nothing declared every imported distribution is listed: declare what you import.
    covered = declared_keys | {alias for k in declared_keys for alias in _aliases(k, table.same_release)}
    covered |= env.closure(declared_keys)
    out = []
    # `#torch==1.13.1+cu116` in requirements.txt: its author took the package out on purpose (an optional
    # extension's, loaded under `except ImportError`), so the import does not bring it back
    commented = commented_out(project, declared.files) if declares else {}
    left_out: list[str] = []
    for key, (dist, source) in sorted(candidates.items()):
        if key in covered:
            continue
        if key in commented:
            left_out.append(f"{dist} ({source}; {commented[key]})")
            continue
        spec = _pin(key, pins, table.same_release) or (f"=={made_by[key]}" if key in made_by else "")
        out.append(Dependency(dist, spec, source, inferred=True))
    # Shipyard's holds on what the app leaves open, for what its imports and settings add (holds.py): the
    # crispy-forms 1.x it was written for, the Django its files say made them
    from .holds import held_inferred
    out, hold_notes = held_inferred(out, declared, project)
    # An unmapped import that a declared distribution provides (checked in the installed files) is fine.
    declared_tops = {name for name, dists in env.packages.items() if any(normalize(d) in covered for d in dists)}
    missing = tuple(f"{name} ({rel})" for name, rel in sorted(unresolved.items())
                    if name not in declared_tops and not _named_after(name, covered))
    notes: tuple[str, ...] = hold_notes
    added = {normalize(d.name) for d in out}
    kept_out = [f"{dist} ({where})" for key, (dist, where) in sorted(withheld.items())
                if key not in covered and key not in added]
    if kept_out:
        notes += (f"not added: {', '.join(kept_out)}, imported only by modules the entry never imports (loaded "
                  "when a setting chooses them, or not at all); the app declares its dependencies, so add them "
                  "yourself if you use those modules",)
    if missing:
        notes += ("imports that no table maps to a distribution and no declared one provides, not added "
                 f"(a wrong name would break the install; declare them yourself): {', '.join(missing)}",)
    if left_out:
        notes += (f"not added: {', '.join(left_out)}: the requirements list it commented out, left out by their "
                  "author; uncomment it to install it",)
    if stray_imports:
        third_party = [f"{name} ({rel}: Python 2 code, {strays[rel]})" for name, rel in stray_imports
                       if name not in _STDLIB and not local.anywhere(name)]
        if third_party:
            notes += (f"not added: {', '.join(third_party)}, imported only by Python 2 scripts that the app "
                      "(Python 3) never imports, so that no install of it runs; port them to Python 3 and declare "
                      "what they need if you use them",)
    return Inferred(tuple(out), missing, notes)


# a requirement written out and commented at the start of its line (`#torch==1.13.1+cu116`, `# whisper`); not
# pip-compile's indented `#   celery` annotations, nor prose (`# Flask and friends`)
_COMMENTED_REQUIREMENT = re.compile(r"#\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(?:(?:===?|~=|>=|<=|!=|[<>])\s*\S+)?"
                                    r"\s*$")


def _named_after(module: str, declared_keys: set[str]) -> bool:
    """Whether a declared distribution is named after the import as a client or binding of it
    (fusionauth-client for `fusionauth`, python-X, X-sdk, X-python): with nothing installed yet, the likely
    provider, so the import is not reported as one nobody declares."""
    key = normalize(module)
    return any(d.startswith(f"{key}-") and d[len(key) + 1:] in _BINDING_WORDS
               or d.endswith(f"-{key}") and d[:-len(key) - 1] in _BINDING_WORDS for d in declared_keys)


_BINDING_WORDS = frozenset({"client", "sdk", "python", "py", "api", "lib", "bindings"})


def commented_out(project: Project, files: tuple[str, ...]) -> dict[str, str]:
    """Normalized names the app's requirements files list commented out -> where ("commented out in
    requirements.txt")."""
    found: dict[str, str] = {}
    for rel in files:
        if not pip_format(rel, (".txt", ".in", ".pip")):
            continue
        for line in (project.scan_text(rel) or "").splitlines():
            match = _COMMENTED_REQUIREMENT.match(line)
            if match:
                found.setdefault(normalize(match.group(1)), f"commented out in {rel}")
    return found


# first words of the distribution names of frameworks' add-ons and of Python ports, which their modules leave out
# (django-haystack provides `haystack`, python-jose `jose`)
NAME_PREFIXES = ("django", "flask", "python", "py")


def declared_namesake(top: str, declared_keys: set[str]) -> str | None:
    """A declared distribution (normalized) named after the top-level module `top`, which provides it (or
    brings it) whatever distribution the tables map `top` to: its words in another order (Bootstrap-Flask for
    flask_bootstrap, the table's choice being Flask-Bootstrap, whose files are the same module), or `top` after
    an add-on prefix (django-haystack for haystack, the table's choice being haystack-ai), or `top` itself (whois,
    the table's choice being python-whois: both install a whois module, the second over the first)."""
    words = top.lower().split("_")
    for key in sorted(declared_keys):
        parts = key.split("-")
        if parts[0] == "djangorestframework" and len(parts) > 1:
            # DRF's add-ons: djangorestframework-jwt provides rest_framework_jwt (the table's choice being the
            # drf-jwt fork, which a 2018 app's resolution date does not reach: the image's install stopped)
            parts = ["rest", "framework", *parts[1:]]
        if len(parts) > 1 and sorted(parts) == sorted(words) or parts == words \
                or parts[0] in NAME_PREFIXES and parts[1:] == words or key == "py" + top.lower():
            return key
    return None


def addon_of(top: str, declared_keys: set[str]) -> str | None:
    """The declared distribution `top` is an add-on of by its name (falcon_cors, bottle_sqlite, aiohttp_session:
    the framework's name, an underscore, the add-on's), which add-ons publish under that name with a hyphen."""
    first, sep, rest = top.lower().partition("_")
    return first if sep and rest and first in declared_keys else None


# the sources of the two guesses for a module no table maps when nothing is declared
_NAMED_AFTER_IMPORT = "(no table maps it: distribution named after the import)"
_DJANGO_APP_GUESS = "a Django app the settings load, published as django-<name>"


def django_app_distribution(top: str) -> str:
    """The name a reusable Django app of import name `top` is published under: django-<name>, hyphenated."""
    return "django-" + normalize(top)


def plain_url_driver(declared: DeclaredDependencies) -> str:
    """The driver SQLAlchemy loads for a plain postgresql:// URL, by the SQLAlchemy the app declares: psycopg2
    before 2.1, psycopg (3) from 2.1 on (a declaration that admits 2.1, or none)."""
    found = next((d for d in declared.dependencies if normalize(d.name) == "sqlalchemy"), None)
    try:
        specifier = Requirement(found.requirement).specifier if found is not None else SpecifierSet()
    except InvalidRequirement:
        specifier = SpecifierSet()
    return "psycopg" if specifier.contains("2.1.0", prereleases=True) else "psycopg2"


def _declared_extras(declared: DeclaredDependencies) -> set[str]:
    """The extras the app asks for (`quart-schema[pydantic]`): a ONE_OF library's extras are named after the
    package each installs."""
    found = (re.match(r"\[([^\]]*)\]", d.spec) for d in declared.dependencies)
    return {normalize(e) for m in found if m for e in m.group(1).split(",") if e.strip()}


def tops_of(found: Iterable[_Import]) -> set[str]:
    return {imp.name.split(".")[0] for imp in found}


def all_imports(project: Project) -> list[_Import]:
    """Every import statement of the app's files (dotted name, file, whether guarded), for other detectors."""
    return _imports(project)


def settings_imports(project: Project) -> list[_Import]:
    """The dotted paths Django settings name (INSTALLED_APPS...), which django.setup() imports."""
    return _django_strings(project)


def code_imports(project: Project) -> list[_Import]:
    """What the app's code imports, one entry per name (`from a.b import c` as a.b.c), with its file and whether
    an `except ImportError` (or TYPE_CHECKING) guards it."""
    return _imports(project)


def imported_distributions(project: Project) -> tuple[str, ...]:
    """The distributions (normalized names) the app's code imports directly, or names in its Django settings
    (INSTALLED_APPS' "daphne", which django.setup() imports), by the import tables alone (no interpreter asked):
    which of two pins that conflict the app uses itself, which server pins importing the app needs."""
    return tuple(sorted({normalize(distribution_for(imp.name)) for imp in (*_imports(project), *_django_strings(project))
                         if imp.name.split(".")[0] not in _STDLIB}))


def _is_namespace(top: str, table: Tables) -> bool:
    return top not in table.generated and top not in table.overrides and \
        any(k.startswith(top + ".") for k in (*table.generated, *table.overrides))


def _aliases(key: str, same_release: dict[str, tuple[str, ...]]) -> set[str]:
    out = set(same_release.get(key, ()))
    out.update(k for k, vs in same_release.items() if key in vs)
    return out


def _resolve(name: str, table: Tables, env: Environment) -> tuple[str, str] | None:
    """(distribution, the dotted key that decided it): longest prefix first; at each length the hand
    table, then what is installed, then the generated table."""
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        if key in table.overrides:
            return table.overrides[key], key
        dists = env.packages.get(key, ())
        if dists:
            same = [d for d in dists if normalize(d) == normalize(key)]
            return (same[0] if same else sorted(dists)[0]), key
        if key in table.generated:
            return table.generated[key], key
    return None


def _pin(key: str, env: Environment, same_release: dict[str, tuple[str, ...]]) -> str:
    for candidate in (key, *sorted(_aliases(key, same_release))):
        if candidate in env.versions:
            return f"=={env.versions[candidate]}"
    return ""


def _installs_mysqldb(project: Project) -> bool:
    """The app's code calls pymysql.install_as_MySQLdb(): PyMySQL then serves Django's MySQL backend."""
    return any("install_as_MySQLdb" in (project.scan_text(rel) or "") for rel in project.python_files)
