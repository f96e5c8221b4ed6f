"""The app's own Python source, parsed once, and the dependencies that only show up as strings.

Shared by the imports and services detectors. Files under tests/, docs/, examples/ and the like, test
modules and build scripts are not the app and are left out.
"""

from __future__ import annotations

import ast
import re
import weakref
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..project import Project, is_decoy_dir
from .ast_nodes import ast_nodes
from .generated import SECRETS_FILE, untouched_output
from .implied import DJANGO_BACKENDS, ENGINE_CLASSES, PONY_PROVIDERS, URL_SCHEMES, WORKER_CLASSES
from .literal_text import default_text, module_constants
from .own_packages import own_folders

# Files that run at build or test time, not in production.
_NOT_APP = re.compile(r"(^|/)(setup|conftest|noxfile|fabfile|tasks|test_[^/]*|[^/]*_test|tests?)\.py$")
_CONFIG_SUFFIXES = (".ini", ".cfg", ".conf", ".env", ".yaml", ".yml", ".toml", ".json")
_CONFIG_NAMES = ("Procfile", ".env", ".env.example", ".env.sample", ".flaskenv", "Dockerfile")
_DOTENV_PREFIX = ".env"     # .env.dev-sample, .env.prod: dotenv files under any name
# Continuous-integration and test-runner configuration: the databases a test matrix runs against
# (Kotti's .github/workflows/mysql.yml next to its postgres.yml and sqlite.yml) are not the app's.
_CI_CONFIG = re.compile(r"(^|/)(\.github|\.gitlab|\.circleci|\.buildkite|\.woodpecker)/"
                        r"|(^|/)(\.gitlab-ci|\.travis|azure-pipelines|bitbucket-pipelines|\.drone|appveyor)\.ya?ml$"
                        r"|(^|/)tox\.ini$")
_MAX_CONFIG_BYTES = 200_000

# The tables of implied dependencies live in implied.py; the names below are what other modules import.
_URL_SCHEMES = URL_SCHEMES
_URL = re.compile(r"(?<![\w+])(" + "|".join(sorted((re.escape(s) for s in _URL_SCHEMES), key=len, reverse=True))
                  + r")://", re.I)
_DJANGO_BACKENDS = DJANGO_BACKENDS
_WORKER_FLAG = re.compile(r"(?:-k|--worker-class)[=\s]+['\"]?([\w.]+)")


@dataclass(frozen=True)
class StringHint:
    """A dependency or service named only in a string (a database URL, a Django backend, a worker class), or by
    a database engine the code builds (Piccolo's PostgresEngine)."""

    service: str | None            # "postgres" | "mysql" | "redis" | None
    dependency: str                # distribution that serves it ("psycopg2")
    reason: str                    # "postgresql:// URL in app/config.py"
    scheme: str = ""               # the URL's scheme, for a URL ("postgresql+asyncpg")
    path: str = ""                 # the file it is in, relative to the project root
    # a URL the code makes by removing the driver from the one it reads: SQLAlchemy opens it with the default
    # driver of the release installed (psycopg2 before 2.1, psycopg since), not necessarily `dependency`
    built: bool = False


# Folders that are decoys for finding the entry point but run in production all the same: migrations
# run at release time, so what they import (alembic, a model field's package) is a runtime dependency.
RUNTIME_DIRS = frozenset({"migrations", "alembic"})


def is_app_file(rel: str) -> bool:
    return not _in_decoy_dir(rel) and not _NOT_APP.search(rel) and not _in_asset_dir(rel)


# A tasks.py is invoke's build script only when it uses invoke (or Fabric 2, built on it); otherwise it is the
# app's Celery (or RQ, Huey) tasks module, which its views import: a chat app's chat/tasks.py importing akismet
# at the top made every URL answer 500 when its imports were not read.
_TASK_RUNNER = re.compile(r"^\s*(?:from|import)\s+(?:invoke|fabric)\b", re.M)


# A setup.py inside a package that no packaging tool runs (`from application.setup import create_app`: the app's
# factory module of that name) is the app's code; one that calls setuptools' or distutils' setup() is packaging.
_PACKAGING = re.compile(r"^\s*(?:from|import)\s+(?:setuptools|distutils|skbuild|numpy\.distutils)\b", re.M)


def _app_tasks_modules(project: Project) -> list[str]:
    """The tasks.py files that are the app's own code: not invoke's, not under tests/ or a static folder; and
    the setup.py modules of the app's packages that are no packaging script."""
    return [rel for rel in project.python_files
            if (PurePosixPath(rel).name == "tasks.py" or _package_setup(project, rel))
            and not _in_decoy_dir(rel) and not _in_asset_dir(rel)
            and (text := project.scan_text(rel)) is not None and not _TASK_RUNNER.search(text)
            and not (PurePosixPath(rel).name == "setup.py" and _PACKAGING.search(text))]


def _package_setup(project: Project, rel: str) -> bool:
    """A setup.py in a folder with an __init__.py (a module of the app's package, not a project's root)."""
    path = PurePosixPath(rel)
    return path.name == "setup.py" and len(path.parts) > 1 and project.is_file(str(path.parent / "__init__.py"))


# Folders of files served as they are (a Django or Flask static folder, what collectstatic gathers, a Bower
# tree): a .py file there is a front-end library's own tooling, copied in with its JavaScript (a 2020 portfolio
# CMS's static/dashboard/vendors/jqvmap/create/jqvmap.py, a map converter importing osgeo and shapely), never
# imported by the app. Read as the app's, its imports made GDAL a requirement that builds on no Python here.
_ASSET_DIRS = frozenset({"static", "staticfiles", "bower_components"})


def _in_asset_dir(rel: str) -> bool:
    return any(p.lower() in _ASSET_DIRS for p in PurePosixPath(rel).parts[:-1])


def _in_decoy_dir(rel: str) -> bool:
    """Under tests/, docs/, examples/ and the like; not under migrations/ or alembic/ (RUNTIME_DIRS)."""
    return any(is_decoy_dir(p) and p.lower() not in RUNTIME_DIRS for p in PurePosixPath(rel).parts[:-1])


_CACHE: "weakref.WeakKeyDictionary[Project, dict[str, ast.Module]]" = weakref.WeakKeyDictionary()
_SYS_PATH: "weakref.WeakKeyDictionary[Project, frozenset[str]]" = weakref.WeakKeyDictionary()
# .py files that are not the app's though they sit among its own: vendored libraries, Shipyard's output
_LEFT_OUT: "weakref.WeakKeyDictionary[Project, frozenset[str]]" = weakref.WeakKeyDictionary()


def parsed(project: Project) -> dict[str, ast.Module]:
    """Every app .py file that parses, by path; files with syntax errors are skipped, and so are the
    third-party libraries the app carries in a folder it puts on sys.path (vendored.py) and the files
    `shipyard init` wrote, untouched since (generated.py)."""
    cached = _CACHE.get(project)
    if cached is None:
        from .vendored import sys_path_folders as added, vendored_files   # vendored reads importable_names
        output: set[str] = set()
        cached = _parse(project, [rel for rel in project.python_files if is_app_file(rel)]
                        + _app_tasks_modules(project), output)
        adopted = _adopted_decoys(project, cached)
        if adopted:
            cached.update(_parse(project, [rel for rel in project.python_files if _in_adopted(project, rel, adopted)],
                                 output))
        folders = added(project, cached)
        vendored = vendored_files(project, folders)
        cached = {rel: tree for rel, tree in cached.items() if rel not in vendored}
        _SYS_PATH[project], _LEFT_OUT[project] = folders, frozenset(vendored | output)
        _CACHE[project] = cached
    return cached


def app_files(project: Project) -> list[str]:
    """The app's .py files, parsed or not: what `parsed` reads, plus the files that do not parse."""
    adopted = _adopted_decoys(project, parsed(project))
    left_out = _LEFT_OUT.get(project, frozenset())
    tasks = frozenset(_app_tasks_modules(project))
    return [rel for rel in project.python_files if rel not in left_out and
            (is_app_file(rel) or rel in tasks or _in_adopted(project, rel, adopted))]


def nameable_files(project: Project) -> list[str]:
    """The .py files an import of the app can name as its own: the app's files and, outside decoy and asset
    folders, those app_files leaves out by their name alone (a course project's public/setup.py, holding bottle
    routes for static files, imported as `from public import setup`)."""
    own = set(app_files(project))
    return [rel for rel in project.python_files
            if rel in own or (not _in_decoy_dir(rel) and not _in_asset_dir(rel))]


def _in_adopted(project: Project, rel: str, adopted: frozenset[str]) -> bool:
    """An app file under a decoy-named top folder adopted as the app: past that folder, the folders its own
    files name (Django's project package of the same name, `tutorial/tutorial/`) are the app's too."""
    top, _, rest = rel.partition("/")
    if top not in adopted or not rest:
        return False
    own = own_folders(project)
    parts = PurePosixPath(rel).parts[:-1]
    inner = [p for i, p in enumerate(parts) if i and "/".join(parts[:i + 1]) not in own]
    return not _NOT_APP.search(rel) and not any(is_decoy_dir(p) and p.lower() not in RUNTIME_DIRS for p in inner)


def sys_path_folders(project: Project) -> frozenset[str]:
    """Project folders the app's code puts on sys.path itself (vendored.py)."""
    parsed(project)
    return _SYS_PATH[project]


def _parse(project: Project, rels: list[str], output: set[str]) -> dict[str, ast.Module]:
    """The files of `rels` that parse; those Shipyard generated go to `output` instead."""
    out = {}
    for rel in rels:
        text = project.scan_text(rel)
        if text is None:
            continue
        if untouched_output(text):
            output.add(rel)
            continue
        try:
            out[rel] = ast.parse(text, filename=rel)
        except (SyntaxError, ValueError):
            continue
    return out


# Decoy folder names that can also be the app's own package (the Pyramid tutorial's `tutorial/`,
# django-allauth's `example/` project); tests and docs never are.
_NEVER_APP = frozenset({"tests", "test", "testing", "docs", "doc"})


def _adopted_decoys(project: Project, trees: dict[str, ast.Module]) -> frozenset[str]:
    """Top-level decoy-named packages that are the app after all: the app's own code imports them or names
    them ("example.settings"), or there is no other app code."""
    folders = {rel.split("/", 1)[0] for rel in project.python_files if "/" in rel}
    candidates = {f for f in folders if is_decoy_dir(f) and f.lower() not in _NEVER_APP
                  and f.lower() not in RUNTIME_DIRS}
    if not candidates:
        return frozenset()
    if not trees:
        return frozenset(candidates)
    named: set[str] = set()
    for tree in trees.values():
        for node in ast_nodes(tree):
            if isinstance(node, ast.Import):
                named.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                named.add(node.module.split(".")[0])
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "." in node.value:
                named.add(node.value.split(".")[0])
    return frozenset(candidates & (named | own_folders(project)))   # or its packaging/manage.py names it


def importable_names(project: Project, folder: str) -> frozenset[str]:
    """Top-level names importable when `folder` is on sys.path: its .py files and the folders under it
    that hold Python code (packages, or PEP 420 namespace folders)."""
    prefix = "" if folder in ("", ".") else folder.rstrip("/") + "/"
    names: set[str] = set()
    for rel in project.python_files:
        if not rel.startswith(prefix):
            continue
        parts = PurePosixPath(rel[len(prefix):]).parts
        names.add(PurePosixPath(parts[0]).stem if len(parts) == 1 else parts[0])
    return frozenset(n for n in names if n.isidentifier())


def is_package_dir(project: Project, folder: str) -> bool:
    return folder not in ("", ".") and project.is_file(f"{folder}/__init__.py")


def string_constants(tree: ast.AST):
    for node in ast_nodes(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def formatted_defaults(tree: ast.Module):
    """f-strings whose fields are module-level names with a literal default, filled in with it:
    f"django.db.backends.{DB_ENGINE}" with DB_ENGINE = os.environ.get("DB_ENGINE", "postgresql") reads
    "django.db.backends.postgresql", what the app runs with when nothing is set."""
    defaults: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = node.value
            if isinstance(value, ast.Call) and len(value.args) == 2 and isinstance(value.args[1], ast.Constant) \
                    and isinstance(value.args[1].value, str) and isinstance(value.func, ast.Attribute) \
                    and value.func.attr in ("get", "getenv"):
                defaults[node.targets[0].id] = value.args[1].value     # os.environ.get / os.getenv default
            elif isinstance(value, ast.Constant) and isinstance(value.value, str):
                defaults[node.targets[0].id] = value.value
    if not defaults:
        return
    for node in ast_nodes(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        parts = []
        for part in node.values:
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                parts.append(part.value)
            elif isinstance(part, ast.FormattedValue) and isinstance(part.value, ast.Name) \
                    and part.value.id in defaults and part.format_spec is None:
                parts.append(defaults[part.value.id])
            else:
                break
        else:
            yield "".join(parts)


def is_str(node: ast.AST | None) -> bool:
    """A string literal."""
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def imports_top(project: Project, top: str) -> bool:
    """Whether any of the app's files imports the top-level package `top` (`import flask`, `from flask import`)."""
    for tree in parsed(project).values():
        for node in ast_nodes(tree):
            if isinstance(node, ast.Import) and any(a.name.split(".")[0] == top for a in node.names):
                return True
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == top:
                return True
    return False


def imported_modules(tree: ast.AST) -> dict[str, str]:
    """Local name -> module for `import X [as Y]` (`import starlette.config as sc`)."""
    out = {}
    for node in ast_nodes(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    out[alias.asname] = alias.name
    return out


def imported_names(tree: ast.AST) -> dict[str, str]:
    """Local name -> 'module.name' for `from X import Y [as Z]`."""
    out = {}
    for node in ast_nodes(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                out[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return out


def called_name(node: ast.Call) -> str:
    """The name a call calls: "f" for `f(...)` and `obj.f(...)`, "" for anything else."""
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def string_replacements(tree: ast.AST) -> list[tuple[str, str]]:
    """(old, new) of every `.replace("old", "new")` call whose two texts are written as strings."""
    return [(node.args[0].value, node.args[1].value) for node in ast_nodes(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "replace"
            and len(node.args) >= 2 and all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                                            for a in node.args[:2])]


def dotted_name(node: ast.AST, imported: dict[str, str], modules: dict[str, str]) -> str:
    """The dotted name `node` (a name, or an attribute of a module) stands for in its module: `PostgresEngine`
    after `from piccolo.engine.postgres import PostgresEngine` is "piccolo.engine.postgres.PostgresEngine"."""
    if isinstance(node, ast.Name):
        return imported.get(node.id, node.id)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{modules.get(node.value.id, node.value.id)}.{node.attr}"
    return ""


def _engine_hints(tree: ast.Module, rel: str) -> list[StringHint]:
    """Database engines the module builds (ENGINE_CLASSES: Piccolo's `PostgresEngine(config=...)`)."""
    imported, modules = imported_names(tree), imported_modules(tree)
    out = []
    for node in ast_nodes(tree):
        if isinstance(node, ast.Call) and (name := dotted_name(node.func, imported, modules)) in ENGINE_CLASSES:
            service, driver = ENGINE_CLASSES[name]
            out.append(StringHint(service, driver, f"{name.rpartition('.')[2]}(...) in {rel}"))
    return out


def _pony_hints(tree: ast.Module, rel: str) -> list[StringHint]:
    """Pony ORM providers (PONY_PROVIDERS) the module names: `Database('mysql', ...)`, `db.bind(provider=...)` and
    provider dicts in a module that imports pony, and the `PONY = {'provider': 'mysql'}` dict Flask-Pony reads from
    the app's config (a settings module that imports nothing of Pony's)."""
    imports_pony = any((getattr(n, "module", None) or a.name).split(".")[0] in ("pony", "flask_pony")
                       for n in ast_nodes(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names)
    dicts: list[ast.Dict] = []
    found: list[ast.AST] = []
    for node in ast_nodes(tree):
        if imports_pony and isinstance(node, ast.Dict):
            dicts.append(node)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) and any(
                getattr(t, "id", None) == "PONY" or getattr(getattr(t, "slice", None), "value", None) == "PONY"
                for t in node.targets):
            dicts.append(node.value)       # class Config: PONY = {...}; app.config["PONY"] = {...}
        elif imports_pony and isinstance(node, ast.Call) and (
                getattr(node.func, "attr", None) == "bind" or getattr(node.func, "id", None) == "Database"
                or getattr(node.func, "attr", None) == "Database"):
            found += [*node.args[:1], *(k.value for k in node.keywords if k.arg == "provider")]
    found += [v for d in dicts for k, v in zip(d.keys, d.values)
              if isinstance(k, ast.Constant) and k.value == "provider"]
    providers = [n.value for n in found if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    out = []
    for provider in dict.fromkeys(providers):
        if provider in PONY_PROVIDERS:
            service, driver = PONY_PROVIDERS[provider]
            out.append(StringHint(service, driver, f"Pony ORM provider {provider!r} in {rel}", path=rel))
    return out


_DRIVER_PART = re.compile(r"^(?:(\w+)\+)?\+?(\w+)(?::/*)?$")


def _stripped_driver_hints(tree: ast.Module, rel: str) -> list[StringHint]:
    """URLs the module makes by removing the driver from the one it reads (`url.replace("+asyncpg", "")`, an
    Alembic env.py beside an async app): SQLAlchemy opens those with the dialect's default driver (psycopg2)."""
    out = []
    for old, new in string_replacements(tree):
        match = _DRIVER_PART.match(old)
        if "+" not in old or "+" in new or match is None:
            continue
        driver = match.group(2)
        for dialect in ("postgresql", "mysql"):
            if f"{dialect}+{driver}" in _URL_SCHEMES and (match.group(1) or dialect).startswith(dialect[:5]):
                service, default_driver = _URL_SCHEMES[dialect]
                out.append(StringHint(service, default_driver, f"{dialect}:// URL that {rel} makes by removing "
                                      f"{old!r} from the one it reads", scheme=dialect, path=rel, built=True))
    return out


_HINTS: "weakref.WeakKeyDictionary[Project, tuple[StringHint, ...]]" = weakref.WeakKeyDictionary()


def _composed_defaults(tree: ast.Module):
    """The texts the code builds from literals and environment reads' defaults (`'{}://{}@{}/{}'.format(
    os.getenv('DB_ENGINE', 'mysql'), ...)`, `f"postgresql://{USER}@localhost/db"`): the URL the app opens when
    nothing is set (detect/literal_text.py)."""
    constants = module_constants(tree, defaults=True)
    for node in ast_nodes(tree):
        if isinstance(node, ast.JoinedStr) or isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)) \
                or isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            text = default_text(node, constants)
            if text:
                yield text


def string_hints(project: Project) -> tuple[StringHint, ...]:
    """The hints in the app's code and config files, read once per Project (services, imports and sqlite_use
    each ask for them while one plan is made)."""
    cached = _HINTS.get(project)
    if cached is None:
        cached = _HINTS[project] = _string_hints(project)
    return cached


def _string_hints(project: Project) -> tuple[StringHint, ...]:
    hints: list[StringHint] = []
    from .unread_properties import without_unread_url_properties     # it walks the trees this module parses
    for rel, tree in without_unread_url_properties(parsed(project)).items():
        hints.extend(_engine_hints(tree, rel))
        hints.extend(_pony_hints(tree, rel))
        hints.extend(_stripped_driver_hints(tree, rel))
        for text in string_constants(tree):
            hints.extend(_hints_in(text, rel, code=True))
        for text in formatted_defaults(tree):
            hints.extend(_hints_in(text, rel, code=True))
        for text in _composed_defaults(tree):
            hints.extend(_hints_in(text, rel, code=True))
        for node in ast_nodes(tree):
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "worker_class" for t in node.targets) \
                    and isinstance(node.value, ast.Constant) and node.value.value in WORKER_CLASSES:
                hints.append(StringHint(None, WORKER_CLASSES[node.value.value],
                                        f"gunicorn worker_class {node.value.value!r} in {rel}"))
    for rel in project.files:
        name = PurePosixPath(rel).name
        # a migrations/alembic.ini is the app's: its URL is what the release connects with
        if _in_decoy_dir(rel) or rel.endswith((".lock", "package-lock.json")) or name in ("test.json", SECRETS_FILE) \
                or _CI_CONFIG.search(rel):
            continue
        if not (name in _CONFIG_NAMES or name.startswith(_DOTENV_PREFIX) or name.endswith(_CONFIG_SUFFIXES)
                or name.endswith(".sh")):
            continue
        try:
            if project.path(rel).stat().st_size > _MAX_CONFIG_BYTES:
                continue
        except OSError:
            continue
        text = project.scan_text(rel)
        if text is None or untouched_output(text):
            continue
        hints.extend(_hints_in(text, rel, code=False))
        for match in _WORKER_FLAG.finditer(text):
            if match.group(1) in WORKER_CLASSES:
                hints.append(StringHint(None, WORKER_CLASSES[match.group(1)],
                                        f"gunicorn worker class {match.group(1)!r} in {rel}"))
    from .env_url_schemes import env_scheme_hints      # it reads env_reads, which builds on this module
    hints.extend(env_scheme_hints(project))
    unique: dict[tuple[str | None, str, str], StringHint] = {}
    for hint in hints:
        unique.setdefault((hint.service, hint.dependency, hint.reason), hint)
    return tuple(unique.values())


def _hints_in(text: str, rel: str, *, code: bool) -> list[StringHint]:
    out = []
    stripped = text.strip()
    if code and stripped in _DJANGO_BACKENDS:
        service, driver = _DJANGO_BACKENDS[stripped]
        kind = "CACHES BACKEND" if "cache" in stripped else "DATABASES ENGINE"
        out.append(StringHint(service, driver, f"{kind} {stripped!r} in {rel}", path=rel))
    for match in _URL.finditer(text):
        scheme = match.group(1).lower()
        service, driver = _URL_SCHEMES[scheme]
        out.append(StringHint(service, driver, f"{scheme}:// URL in {rel}", scheme, rel))
    return out


def hints_in_text(text: str, rel: str) -> list[StringHint]:
    """Database URLs in the text of a file that does not parse."""
    return _hints_in(text, rel, code=False)
