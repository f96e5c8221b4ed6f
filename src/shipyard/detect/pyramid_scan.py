"""Modules Pyramid's `config.scan()` imports when the app starts, tests included.

venusian, which `scan` runs, imports every module of the scanned package to find its decorators: the
package's tests.py and conftest.py too, with what they import (Faker, WebTest, pytest: the project's `testing`
extra, which a cookiecutter README installs with `pip install -e ".[testing]"`). Those imports are the app's at
run time, although Shipyard reads test files as no part of the app.
"""

from __future__ import annotations

import ast
from pathlib import PurePosixPath

from ..project import Project
from .ast_nodes import ast_nodes
from .source import imported_modules, imported_names


def scanned_files(project: Project, trees: dict[str, ast.AST]) -> list[str]:
    """The project's .py files under a package that a Pyramid app scans with no `ignore=`, sorted."""
    folders = set()
    for rel, tree in trees.items():
        imported = {*imported_modules(tree).values(), *imported_names(tree).values()}
        if not any(name == "pyramid" or name.startswith("pyramid.") for name in imported):
            continue
        for node in ast_nodes(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "scan" \
                    and not any(k.arg == "ignore" for k in node.keywords):
                folder = _scanned_folder(project, rel, node)
                if folder is not None:
                    folders.add(folder)
    return sorted(rel for rel in project.python_files
                  if any(_inside_package(project, rel, folder) for folder in folders))


def _scanned_folder(project: Project, rel: str, call: ast.Call) -> str | None:
    """The package folder `config.scan(...)` in `rel` names: its own package with no argument, a relative
    dotted name from there (".views"), or an absolute one found in the project ("pyramid_todo.views")."""
    package = str(PurePosixPath(rel).parent)
    if not call.args:
        return package if package != "." else None
    arg = call.args[0]
    if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
        return None
    name = arg.value
    if name.startswith("."):
        stripped = name.lstrip(".")
        base = PurePosixPath(package)
        for _ in range(len(name) - len(stripped) - 1):
            base = base.parent
        folder = str(base.joinpath(*stripped.split("."))) if stripped else str(base)
    else:
        ends = "/".join(name.split("."))
        folder = next((str(PurePosixPath(f).parent) for f in project.python_files
                       if f.endswith(f"{ends}/__init__.py") and (f == f"{ends}/__init__.py" or f"/{ends}/" in f"/{f}")),
                      "")
    return folder if folder and project.path(folder).is_dir() else None


def _inside_package(project: Project, rel: str, folder: str) -> bool:
    """`rel` is a module of the package at `folder`: in it, or in subpackages of it (each with __init__.py)."""
    path = PurePosixPath(rel)
    try:
        inner = path.parent.relative_to(folder)
    except ValueError:
        return False
    parts = inner.parts
    return all(project.path(str(PurePosixPath(folder, *parts[:i + 1], "__init__.py"))).is_file()
               for i in range(len(parts)))
