"""Two modules that import each other: which one a server can import first. config.py binds `settings`, then
`from urls import app`; urls.py does `from config import settings`, then makes `app`. Imported first, config.py
works (urls finds `settings` already bound in the half-made config); urls.py first fails, as config.py's
`from urls import app` then finds urls half-made, without `app` (ImportError: cannot import name 'app'). An entry
module that fails so is ranked below one that re-exports the same app and imports cleanly."""

from __future__ import annotations

import ast
from functools import lru_cache

from .graph import Analysis
from .model import Module
from ..appscan import Imp
from ..ast_nodes import ast_nodes


def fails_imported_first(analysis: Analysis, module: Module) -> bool:
    """Importing `module` before anything else fails on a two-module cycle: a project module it imports at module
    level imports back from it, at module level, a name `module` binds only after that import."""
    tree = _tree(analysis, module.path)
    if tree is None:
        return False
    parents = set((analysis.module_files(module.root, module.name) or [])[:-1])
    for node in tree.body:
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        for other in _runs(analysis, module, node):
            if other in parents:
                continue        # importing `module` runs its packages' __init__ first: they are the first import
            back = _import_back(analysis, analysis.modules[other], module.path)
            if back is not None and any(not _bound_before(tree, name, node.lineno)
                                        and not _submodule(analysis, module, name) for name in back):
                return True
    return False


def _submodule(analysis: Analysis, module: Module, name: str) -> bool:
    """`from package import models` takes a submodule, which the import system loads whether or not the half-made
    package's __init__ has bound it yet."""
    if not module.path.endswith("__init__.py"):
        return False
    folder = module.path.rpartition("/")[0]
    prefix = f"{folder}/" if folder else ""
    return f"{prefix}{name}.py" in analysis.files or f"{prefix}{name}/__init__.py" in analysis.files


def _tree(analysis: Analysis, path: str) -> ast.Module | None:
    return _parse(analysis.project.scan_text(path) or "")


@lru_cache(maxsize=256)
def _parse(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


def _imp(node: ast.Import | ast.ImportFrom) -> list[Imp]:
    if isinstance(node, ast.ImportFrom):
        return [Imp(node.module or "", tuple(a.name for a in node.names), node.level)]
    return [Imp(a.name, ()) for a in node.names]


def _runs(analysis: Analysis, module: Module, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The project modules (other than `module`) that this import statement of `module` runs."""
    return [f for imp in _imp(node) for f in analysis.import_files(module.path, imp, module.root)
            if f != module.path and f in analysis.modules]


def _import_back(analysis: Analysis, other: Module, path: str) -> tuple[str, ...] | None:
    """The names `other`'s first module-level `from ... import` that runs `path` takes (None: it never imports
    it so, or takes `*`)."""
    tree = _tree(analysis, other.path)
    if tree is None:
        return None
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and _named_file(analysis, other, node) == path:
            names = tuple(a.name for a in node.names)
            return None if "*" in names else names
        if isinstance(node, (ast.Import, ast.ImportFrom)) and path in _runs(analysis, other, node):
            # `import config`: attribute lookups come later, when they may find the name; `from pkg.sub import x`
            # runs the half-made pkg/__init__.py but takes x from pkg/sub.py
            return None
    return None


def _named_file(analysis: Analysis, module: Module, node: ast.ImportFrom) -> str | None:
    """The file of the module a `from X import names` takes its names from (X itself, not its parent packages)."""
    if node.level:
        base = module.path.rpartition("/")[0] or "."
        for _ in range(node.level - 1):
            base = base.rpartition("/")[0] or "."
    else:
        base = module.root
    files = analysis.module_files(base, node.module or "")
    return files[-1] if files else None


def _bound_before(tree: ast.Module, name: str, line: int) -> bool:
    """Whether a module-level statement above `line` binds `name` (an assignment, def, class or import)."""
    for node in tree.body:
        if node.lineno >= line:
            return False
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)) and \
                any((a.asname or a.name.split(".")[0]) == name for a in node.names):
            return True
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
        if any(isinstance(n, ast.Name) and n.id == name for t in targets for n in ast_nodes(t)):
            return True
    return False
