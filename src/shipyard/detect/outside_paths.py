"""Modules the app imports from a folder above the one served, which its own code puts on sys.path.

deployment/main.py runs `sys.path.append("../scripts/")` and `import procesing`, the README says `cd deployment;
uvicorn main:app`: procesing is the repository's own module (../scripts/procesing.py), not a distribution to guess
from its name (no index has it, and the install stops on it), while what procesing imports (matplotlib, pandas) is
what the app needs installed. Only a relative literal counts (taken from the importing file's folder, as
source_paths.project_path takes one), only a folder outside the project that exists beside it, and only the
modules the app reaches from there (their own imports followed, not every file of the folder)."""

from __future__ import annotations

import ast
import os
from pathlib import Path, PurePosixPath

from ..project import Project
from .ast_nodes import ast_nodes
from .vendored import _added

_MAX_FILES = 50


def outside_modules(project: Project, trees: dict[str, ast.Module]) -> tuple[frozenset[str], dict[str, ast.Module]]:
    """(top-level names importable from the folders outside the project that the code of `trees` puts on
    sys.path, {"../scripts/procesing.py": its tree} for the modules among them the app reaches)."""
    root = project.root.resolve()
    folders = _folders(root, trees)
    files: dict[str, Path] = {}
    for folder in folders:
        for path in sorted(folder.iterdir()):
            name = path.stem if path.suffix == ".py" else path.name
            if name.isidentifier() and name not in files and (
                    path.suffix == ".py" and path.is_file() or (path / "__init__.py").is_file()):
                files[name] = path if path.suffix == ".py" else path / "__init__.py"
    if not files:
        return frozenset(), {}
    reached: dict[str, ast.Module] = {}
    wanted = [n for n in _tops(trees.values()) if n in files]
    while wanted and len(reached) < _MAX_FILES:
        name = wanted.pop()
        path = files[name]
        label = PurePosixPath(*Path(os.path.relpath(path, root)).parts).as_posix()
        if label in reached:
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"), filename=label)
        except (OSError, SyntaxError, ValueError):
            continue
        reached[label] = tree
        wanted.extend(n for n in _tops([tree]) if n in files)
    return frozenset(files), reached


def _folders(root: Path, trees: dict[str, ast.Module]) -> list[Path]:
    """The existing folders outside `root` that the code of `trees` puts on sys.path by a relative literal."""
    folders: list[Path] = []
    for rel, tree in trees.items():
        for node in ast_nodes(tree):
            for arg in _added(node):
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.strip() \
                        and not arg.value.startswith(("/", "~")):
                    folder = (root / PurePosixPath(rel).parent / arg.value).resolve()
                    if folder.is_dir() and not folder.is_relative_to(root) and folder not in folders:
                        folders.append(folder)
    return folders


def outside_code(project: Project, trees: dict[str, ast.Module]) -> tuple[str, ...]:
    """The folders outside the project that the code of `trees` puts on sys.path and that hold Python code, relative
    to the project root ("../scripts"): the image holds them at the same place relative to its app folder (render)."""
    root = project.root.resolve()
    return tuple(PurePosixPath(*Path(os.path.relpath(f, root)).parts).as_posix() for f in _folders(root, trees)
                 if any(f.glob("*.py")) or any(f.glob("*/__init__.py")))


def _tops(trees) -> set[str]:
    out: set[str] = set()
    for tree in trees:
        for node in ast_nodes(tree):
            if isinstance(node, ast.Import):
                out.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                out.add(node.module.split(".")[0])
    return out

