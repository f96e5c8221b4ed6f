"""Module-level names the code refuses to run without: `if not EMAIL_HOST: raise ValueError(...)`.

A settings module reads `EMAIL_HOST = os.environ.get("EMAIL_HOST")` (no default, no raise), and the production
module that star-imports it stops the import unless it is set: `if not EMAIL_HOST: raise ValueError("EMAIL_HOST
must be set in production")` (a 2025 monitoring product's fromedwin/settings/prod.py). The read itself does not
raise, but the module does when the variable is unset, as `os.environ["EMAIL_HOST"]` would: services.env_reads
counts such a read as required, so the run configuration gives it what it gives a required read (the framework's
default for a mail setting, a marked placeholder for a credential the example leaves empty).

Guards: `if not X: raise`, `if X is None: raise`, `if not X or not Y: raise` (the raise directly in the
body), and `assert X`; in the module that binds X or in one that star-imports it.
"""

from __future__ import annotations

import ast
from pathlib import PurePosixPath
from typing import Mapping
from .ast_nodes import ast_nodes


def guarded_names(trees: Mapping[str, ast.Module]) -> dict[str, set[str]]:
    """File -> the names bound at its top level that a guard in it, or in a module that star-imports it, raises
    on when they are empty or None."""
    out: dict[str, set[str]] = {}
    for path, tree in trees.items():
        names = _guards(tree)
        if not names:
            continue
        out.setdefault(path, set()).update(names)
        for target in _star_imported(path, tree, trees):
            out.setdefault(target, set()).update(names)
    return out


def top_level_binding(tree: ast.Module, line: int, col: int) -> str | None:
    """The name a top-level `NAME = <expression>` binds when the expression starts at (line, col)."""
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None \
                and (node.value.lineno, node.value.col_offset) == (line, col):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if len(targets) == 1 and isinstance(targets[0], ast.Name):
                return targets[0].id
    return None


def _guards(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast_nodes(tree):
        if isinstance(node, ast.If) and any(isinstance(s, ast.Raise) for s in node.body):
            names.update(_empty_tests(node.test))
        elif isinstance(node, ast.Assert):
            if isinstance(node.test, ast.Name):
                names.add(node.test.id)
    return names


def _empty_tests(test: ast.AST) -> set[str]:
    """The names a test is true for when they are empty or None: `not X`, `X is None`, either joined by `or`."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and isinstance(test.operand, ast.Name):
        return {test.operand.id}
    if isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and len(test.ops) == 1 \
            and isinstance(test.ops[0], (ast.Is, ast.Eq)) and isinstance(test.comparators[0], ast.Constant) \
            and test.comparators[0].value in (None, ""):
        return {test.left.id}
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        return set().union(*(_empty_tests(v) for v in test.values))
    return set()


def _star_imported(path: str, tree: ast.Module, trees: Mapping[str, ast.Module]) -> list[str]:
    """The project's files this module star-imports (`from .base import *`, `from app.settings.base import *`)."""
    out: list[str] = []
    folder = PurePosixPath(path).parent
    for node in tree.body:
        if not (isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names)):
            continue
        dotted = (node.module or "").replace(".", "/")
        if node.level:
            base = folder
            for _ in range(node.level - 1):
                base = base.parent
            stem = str(base / dotted) if dotted else str(base)
            stem = stem.removeprefix("./")
            candidates = [f"{stem}.py", f"{stem}/__init__.py"]
            out.extend(c for c in candidates if c in trees)
        elif dotted:
            out.extend(p for p in trees if p == f"{dotted}.py" or p.endswith(f"/{dotted}.py")
                       or p == f"{dotted}/__init__.py" or p.endswith(f"/{dotted}/__init__.py"))
    return out
