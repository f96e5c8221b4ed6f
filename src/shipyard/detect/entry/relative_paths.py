"""The folder an app's relative file paths are written from, when it is above the folder its modules import from.

src/app.py imports its sibling `blockinator` as a top-level module (so src/ is its import root), yet opens
'src/data/block_palette.json' and loads templates from FileSystemLoader('src/pages'): its author runs it as
`python src/app.py` from the repository root, where Python puts src/ first on sys.path and those paths resolve.
Run from src/, every such open fails. Read from the source (string literals of the app's own modules that name a
file or folder of the project relative to a folder above the import root, and none relative to the import root
itself), never by running it; the nearest such folder wins.
"""

from __future__ import annotations

import ast
from pathlib import PurePosixPath

from . import procfile
from .graph import Analysis
from .model import Module
from ..ast_nodes import ast_nodes

MAX_LITERAL = 200     # longer strings are text, not paths


def written_from(analysis: Analysis, module: Module, closure: frozenset[str]) -> tuple[str, list[str]] | None:
    """(the folder above module.root the paths are relative to, those paths) or None."""
    root = PurePosixPath(module.root)
    if str(root) == ".":
        return None
    paths = _path_literals(analysis, closure)
    if any(_names_something(analysis, root / p) for p in paths):
        return None                      # some are written from the import root: that is where it runs
    for parent in root.parents:
        named = sorted(p for p in paths if _names_something(analysis, parent / p))
        if named:
            return str(parent), named
    return None


def run_by_path(analysis: Analysis, module: Module) -> str | None:
    """The note for a module of a subfolder that the project's own README, Procfile or shell script runs by its
    path from the root (`python app/app.py`): it runs from the root with its folder on sys.path, so the files
    it opens by relative paths ('employee.db', committed beside the README) are the ones its author's run
    opens; None when nothing says so (then it runs from its own folder)."""
    if str(PurePosixPath(module.root)) == "." or "." in module.name or \
            module.path not in procfile.scripts_run_from_root(analysis.project):
        return None
    return (f"the project runs {module.path} by its path from the root (`python {module.path}`): it runs from the "
            f"root with {module.root}/ on sys.path, where the files it opens by relative paths are")


def _path_literals(analysis: Analysis, closure: frozenset[str]) -> set[str]:
    """Relative paths with a folder in them ('src/pages', './src/data/x.json') among the modules' string literals."""
    found: set[str] = set()
    for path in sorted(closure):
        try:
            tree = ast.parse(analysis.project.read_text(path))
        except (SyntaxError, ValueError, OSError, UnicodeDecodeError):
            continue
        for node in ast_nodes(tree):
            value = node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None
            if value is None or len(value) > MAX_LITERAL:
                continue
            # './app/templates' is 'app/templates' written explicitly relative (FastAPI's Jinja2Templates examples)
            value = value[2:] if value.startswith("./") else value
            if "/" not in value.strip("/") or value.startswith(("/", ".")):
                continue
            if any(c.isspace() for c in value) or "://" in value or "{" in value or "%" in value:
                continue
            found.add(value.rstrip("/"))
    return found


def _names_something(analysis: Analysis, path: PurePosixPath) -> bool:
    rel = str(path)
    return rel in analysis.dirs or analysis.project.is_file(rel)
