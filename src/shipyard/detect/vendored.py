"""Folders the app puts on sys.path itself, and the third-party libraries it carries in them.

An app that ships its libraries (`lib/bottle.py`, `lib/peewee.py`, `lib/cheroot/`) and runs
`sys.path.insert(0, str(BASE_DIR / "lib"))` before importing them needs nothing installed for them: they are
provided, not required. A copied library's own imports are not the app's either: bottle.py imports a dozen
optional servers (fapws, bjoern, diesel...) inside the functions that start them, and none is a requirement.

A folder counts when the argument of `sys.path.insert/append/extend` or `site.addsitedir` reads, statically,
as a folder of the project: a literal, `__file__` and the os.path / pathlib calls built on it, or a name
assigned one of those in the same file. A module in such a folder is a library's copy when the import tables
name a distribution after it and it carries a release's mark (a `__version__`, or the `.dist-info` that
`pip install --target` leaves): the app's own modules there are not (they are import roots all the same).
"""

from __future__ import annotations

import ast
import re

from ..project import Project
from .ast_nodes import ast_nodes
from .deps import normalize
from .source import importable_names
from .source_paths import assigned, project_path

_VERSION = re.compile(r"(?m)^\s*__version__\s*[:=]")


def sys_path_folders(project: Project, trees: dict[str, ast.Module]) -> frozenset[str]:
    """Project folders ("lib", "." for the root) that the code of `trees` adds to sys.path."""
    found: set[str] = set()
    for rel, tree in trees.items():
        names = assigned(tree)
        for node in ast_nodes(tree):
            for arg in _added(node):
                folder = project_path(arg, rel, names)
                if folder is not None and _holds_python(project, folder):
                    found.add(folder)
    return frozenset(found)


def vendored_files(project: Project, folders: frozenset[str]) -> frozenset[str]:
    """The .py files of third-party libraries copied into `folders` (not the project root)."""
    folders = frozenset(f for f in folders if f not in ("", "."))
    if not folders:
        return frozenset()            # most apps: no need to load the import tables
    from .imports import tables      # imports reads the app's source, which this module filters
    table = tables()
    out: set[str] = set()
    for folder in folders:
        prefix = folder.rstrip("/") + "/"
        for name in importable_names(project, folder):
            mapped = table.overrides.get(name) or table.generated.get(name)
            if mapped is None or normalize(mapped) != normalize(name):
                continue
            module, package = f"{prefix}{name}.py", f"{prefix}{name}/"
            marker = module if project.is_file(module) else f"{package}__init__.py"
            if _released(project, prefix, name, marker):
                out.update(f for f in project.python_files if f == module or f.startswith(package))
    return frozenset(out)


def _released(project: Project, prefix: str, name: str, marker: str) -> bool:
    dist_info = re.compile(re.escape(prefix) + re.escape(name) + r"-[^/]+\.(dist|egg)-info/", re.I)
    if any(dist_info.match(f) for f in project.files):
        return True
    text = project.scan_text(marker) if project.is_file(marker) else None
    return bool(text and _VERSION.search(text))


def _holds_python(project: Project, folder: str) -> bool:
    prefix = "" if folder == "." else folder + "/"
    return any(f.startswith(prefix) for f in project.python_files)


def _added(node: ast.AST) -> list[ast.expr]:
    """The folder arguments of sys.path.insert(i, X) / .append(X) / .extend([X, ...]) / site.addsitedir(X)."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return []
    func, owner = node.func.attr, node.func.value
    on_sys_path = isinstance(owner, ast.Attribute) and owner.attr == "path" and \
        isinstance(owner.value, ast.Name) and owner.value.id == "sys"
    if on_sys_path and func == "insert" and len(node.args) == 2:
        return [node.args[1]]
    if on_sys_path and func == "append" and len(node.args) == 1:
        return [node.args[0]]
    if on_sys_path and func == "extend" and len(node.args) == 1 and isinstance(node.args[0], (ast.List, ast.Tuple)):
        return list(node.args[0].elts)
    if func == "addsitedir" and isinstance(owner, ast.Name) and owner.id == "site" and node.args:
        return [node.args[0]]
    return []
