"""Which of the app's files the served entry can ever import: the others' imports are not the app's requirements.

flask-video-streaming's app.py serves camera.py's emulated camera and loads camera_opencv.py or camera_pi.py only
when the CAMERA variable names one (`import_module('camera_' + os.environ['CAMERA'])`); those drivers import cv2
and picamera, which the app's requirements rightly leave out (requirements-opencv.txt has them). Adding them
anyway made the install 100+ MB bigger. When the app declares its dependencies, imports only such files make are
reported, not added (detect/imports.py).

Reached, starting from the entry's module and from what else runs the app's code (a script with a `__main__`
block, a module named in a Procfile, Dockerfile, compose file, shell script, env file or packaging file,
migrations, the modules Pyramid's config.scan() imports), following:
  * every import statement of a reached file, at module level or inside a function, from any folder the file
    may be imported from (its package root, its own folder, the project root, src/, the entry's folder);
  * a string that names a module of the project (`from_object('config.ProductionConfig')`,
    `import_string('app.views')`, `from_pyfile('settings.py')`);
  * a module loaded by a name built in code (`import_module('plugins.' + name)`): every module of the project
    whose name starts with the written part, except when a setting chooses it (the written part joined to an
    os.environ/getenv read): those are alternatives the user picks, which the note names.
Unknown (None: every file counts as reached) for Django (apps and middleware load by settings strings), paste
entries, a file that does not parse, a module loaded by a name with no written part, and a file run by a path built
in code (importlib's spec_from_file_location, runpy.run_path).
"""

from __future__ import annotations

import ast
import re
from pathlib import PurePosixPath

from ..project import Project
from .ast_nodes import ast_nodes
from .entry.graph import Analysis
from .findings import EntryFinding
from .pyramid_scan import scanned_files
from .source import RUNTIME_DIRS, app_files, parsed, sys_path_folders

# calls that import a module named by their first argument; from_object takes an object as well, so only a
# string (or a name built from one) counts there
_LOADERS = frozenset({"import_module", "__import__", "import_string", "load_module", "from_object"})
_OBJECT_OR_NAME = frozenset({"from_object"})
# calls that run a file by its path: a written path is followed as a string; a path built in code makes reach unknown
_PATH_LOADERS = frozenset({"spec_from_file_location", "run_path", "load_source", "SourceFileLoader"})
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:[./][A-Za-z_]\w*)*")
# files outside the Python code that name modules to run: process and build definitions, env files, packaging
_COMMAND_FILES = re.compile(r"(^|/)(Procfile[^/]*|Dockerfile[^/]*|[^/]*compose[^/]*\.ya?ml|[^/]*\.sh|Makefile|"
                            r"\.env[^/]*|\.flaskenv|[^/]*\.ini|[^/]*\.cfg|pyproject\.toml|setup\.py|app\.json|"
                            r"[^/]*\.service|fly\.toml|render\.yaml|railway\.json|nixpacks\.toml)$")
_MAX_TEXT = 200_000


def unreached_files(project: Project, finding: EntryFinding | None) -> frozenset[str] | None:
    """The app files (app_files) that the served entry never imports; None when that cannot be known."""
    if finding is None or finding.entry.kind in ("paste", "django") or finding.framework == "django" \
            or not finding.entry.module:
        return None
    trees = parsed(project)
    files = app_files(project)
    if any(rel not in trees for rel in files):
        return None     # a file that does not parse: what it imports is not known
    graph = Analysis(project)
    workdir = "" if finding.workdir in ("", ".") else finding.workdir.strip("/")
    entry_base = _join(workdir, (finding.entry.import_folder or "").strip("/"))
    bases = {"", "src", workdir, entry_base, *(f.strip("/") for f in sys_path_folders(project) if f not in (".",))}
    start = entry_module_files(graph, workdir, entry_base, finding.entry.module)
    if not start:
        return None
    more = [rel for rel, tree in trees.items() if _has_main_block(tree)]
    more += [rel for rel in files if set(PurePosixPath(rel).parts[:-1]) & RUNTIME_DIRS
             or any(PurePosixPath(rel).is_relative_to(folder) for folder in _migration_folders(project, files))]
    more += list(scanned_files(project, trees))
    more += _named_in_command_files(project, graph, bases)
    # another Django site's manage.py, migrations and scripts run that site, not the app served
    others = _other_django_sites(project, workdir)
    todo = list(start) + [rel for rel in more if not any(PurePosixPath(rel).is_relative_to(o) for o in others)]
    seen: set[str] = set()
    while todo:
        rel = todo.pop()
        if rel in seen:
            continue
        seen.add(rel)
        tree = trees.get(rel) or _parse(project, rel)   # tasks.py, which is no app file by its name, when imported
        if tree is None:
            continue
        found = _edges(graph, rel, tree, bases)
        if found is None:
            return None
        todo += [f for f in found if f not in seen]
    return frozenset(f for f in files if f not in seen)


def _other_django_sites(project: Project, workdir: str) -> list[PurePosixPath]:
    """Folders of Django projects (a manage.py) beside the app's folder, neither it nor above nor inside it: a Flask
    app in flask_demo/ next to a Django blog in django_demo/, whose migrations run that blog's release, not the
    app's."""
    here = PurePosixPath(workdir or ".")
    sites = {PurePosixPath(f).parent for f in project.files if PurePosixPath(f).name == "manage.py"}
    return [s for s in sites if s != here and s not in here.parents and here not in s.parents]


def _parse(project: Project, rel: str) -> ast.Module | None:
    text = project.scan_text(rel) if rel.endswith(".py") else None
    try:
        return ast.parse(text, filename=rel) if text is not None else None
    except (SyntaxError, ValueError):
        return None


def entry_module_files(graph: Analysis, workdir: str, entry_base: str, module: str) -> list[str]:
    """The files importing the entry's `module` runs: the module is named from its import folder (src/app.py run as
    `app` with src/ on sys.path), or from the workdir when that folder is only put on sys.path beside it
    (src.core.app whose src/ modules also import each other flat; budget.py beside presenters/, whose modules import
    each other as Python 2 did)."""
    return graph.module_files(entry_base or ".", module) or graph.module_files(workdir or ".", module) or []


def _join(*parts: str) -> str:
    return "/".join(p for p in parts if p and p != ".")


def _has_main_block(tree: ast.Module) -> bool:
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Compare) and \
                any(isinstance(n, ast.Constant) and n.value == "__main__" for n in ast_nodes(node.test)):
            return True
    return False


def _migration_folders(project: Project, files: list[str]) -> set[str]:
    """Alembic's script folders under any name (an env.py beside a versions/ folder): they run at release."""
    return {str(PurePosixPath(rel).parent) for rel in files
            if PurePosixPath(rel).name == "env.py"
            and any(f.startswith(str(PurePosixPath(rel).parent / "versions") + "/") for f in files)}


def _file_bases(rel: str, bases: set[str]) -> list[str]:
    """Folders an absolute import of `rel` may be resolved from: every import root, and its own folder and the
    folders above it (a package's root, a script's folder on sys.path)."""
    out = list(bases)
    for parent in PurePosixPath(rel).parents:
        out.append("" if str(parent) == "." else str(parent))
    return [b or "." for b in dict.fromkeys(out)]


def _module(graph: Analysis, bases: list[str], dotted: str, *, prefixes: bool) -> list[str]:
    """Project files importing `dotted` (or, with `prefixes`, its longest importable prefix) runs."""
    parts = dotted.split(".")
    for n in range(len(parts), 0 if prefixes else len(parts) - 1, -1):
        name = ".".join(parts[:n])
        for base in bases:
            found = graph.module_files(base, name)
            if found:
                return found
    return []


def _submodules(graph: Analysis, bases: list[str], dotted: str) -> list[str]:
    """Every module of the project whose dotted name starts with `dotted` (written part of a built name)."""
    folder, _, stem = dotted.replace(".", "/").rpartition("/")
    out = []
    for base in bases:
        where = _join(base if base != "." else "", folder)
        for f in graph.files:
            path = PurePosixPath(f)
            inside = str(path.parent) if str(path.parent) != "." else ""
            if inside == where and path.stem.startswith(stem) and path.name != "__init__.py":
                out.append(f)
            elif str(path.parent.parent) in (where or ".",) and path.name == "__init__.py" \
                    and path.parent.name.startswith(stem):
                out.append(f)
    return out


def _edges(graph: Analysis, rel: str, tree: ast.Module, roots: set[str]) -> list[str] | None:
    """Project files a reached file can import; None when it loads modules by names it builds from nothing
    written (a plugin list read at run time)."""
    bases = _file_bases(rel, roots)
    out: list[str] = []
    folder = PurePosixPath(rel).parent
    for node in ast_nodes(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                out += _module(graph, bases, alias.name, prefixes=True)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = folder
                for _ in range(node.level - 1):
                    base = base.parent
                where = [str(base)]
            else:
                where = bases
            module = node.module or ""
            if module:
                out += _module(graph, where, module, prefixes=not node.level)
            for alias in node.names:
                name = f"{module}.{alias.name}" if module else alias.name
                if alias.name == "*":
                    out += _submodules(graph, where, f"{module}." if module else "")
                else:
                    out += _module(graph, where, name, prefixes=False)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 200:
            text = node.value.strip()
            text = text[:-3] if text.endswith(".py") else text
            text = text.split(":")[0]
            if _DOTTED.fullmatch(text):
                out += _module(graph, bases, text.replace("/", "."), prefixes=True)
        elif isinstance(node, ast.Call) and _called(node.func) in _PATH_LOADERS:
            if not all(isinstance(a, ast.Constant) for a in [*node.args, *(k.value for k in node.keywords)]):
                return None
        elif isinstance(node, ast.Call) and _loader(node.func) and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant):
                continue    # a written name: the string itself is followed above
            written = _written_start(arg)
            if written is None:
                if _loader(node.func) in _OBJECT_OR_NAME and not _reads_setting(arg):
                    continue    # from_object(Config): an object, not a name
                return None
            if written and not _reads_setting(arg):
                out += _submodules(graph, bases, written)
    return out


def _called(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _loader(func: ast.expr) -> str | None:
    name = _called(func)
    return name if name in _LOADERS else None


def _written_start(arg: ast.expr) -> str | None:
    """The written start of a name built in code: 'camera_' of `'camera_' + x`, f'plugins.{x}', 'a.%s' % x."""
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, (ast.Add, ast.Mod)):
        left = arg.left
        if isinstance(left, ast.Constant) and isinstance(left.value, str):
            return left.value.split("%")[0] if isinstance(arg.op, ast.Mod) else left.value
        return _written_start(left) if isinstance(arg.op, ast.Add) else None
    if isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
        return str(arg.values[0].value)
    if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "format" \
            and isinstance(arg.func.value, ast.Constant) and isinstance(arg.func.value.value, str):
        return arg.func.value.value.split("{")[0]
    return None


def _reads_setting(arg: ast.expr) -> bool:
    """Whether a name built in code takes part of it from the environment (the user's choice of one module)."""
    for node in ast_nodes(arg):
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
        if name in ("environ", "getenv"):
            return True
    return False


def _named_in_command_files(project: Project, graph: Analysis, bases: set[str]) -> list[str]:
    """Modules the project's process, build, env and packaging files name (`celery -A tasks worker`,
    `python seed.py`, `APP_SETTINGS=config.ProductionConfig`, console scripts)."""
    out: list[str] = []
    order = [b or "." for b in bases]
    for rel in project.files:
        if not _COMMAND_FILES.search(rel) or any(p.startswith(".") and p not in (".env", ".flaskenv")
                                                  for p in PurePosixPath(rel).parts[:-1]):
            continue
        text = project.scan_text(rel)
        if text is None or len(text) > _MAX_TEXT:
            continue
        folder = str(PurePosixPath(rel).parent)
        for token in set(_DOTTED.findall(text)):
            token = token[:-3] if token.endswith(".py") else token
            out += _module(graph, [folder if folder != "." else ".", *order], token.replace("/", "."), prefixes=True)
    return out
