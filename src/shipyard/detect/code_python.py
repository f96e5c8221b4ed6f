"""The newest Python the app's own code needs, read from the code alone: `from datetime import UTC` (3.11),
`from enum import StrEnum` (3.11), typing.Self (3.11), tomllib (3.11), a `match` statement (3.10), `except*` (3.11).

A Dockerfile's `FROM python:3.9` is the weakest declaration of a Python and is often left behind by the code: a
2025 FastAPI dashboard whose Dockerfile (on python:3.9-slim, naming a src/ folder the repository no longer has) was
never run again, while app/schemas/mixins.py imports datetime.UTC. Its import on 3.9 fails, and no install helps;
the planner takes the Python the code needs instead (planner._python_the_code_needs). An app that declares its
Python itself (.python-version, runtime.txt, requires-python, --python) keeps it: the import error says which one
its code needs (detect/newer_python.py).

Only the files the served entry reaches count (reach.unreached_files), and only uses no fallback guards: an import
inside `try:` (with an except clause) or under `if sys.version_info ...` is the code's way to run on older ones.
"""

from __future__ import annotations

import ast

from ..project import Project
from .findings import EntryFinding
from .newer_python import MODULES, _TYPING
from .source import parsed

# (module, name imported from it) -> the Python that added it
_NAMES = {("datetime", "UTC"): (3, 11), ("enum", "StrEnum"): (3, 11), ("enum", "verify"): (3, 11),
          ("asyncio", "TaskGroup"): (3, 11), ("asyncio", "timeout"): (3, 11), ("asyncio", "Runner"): (3, 11),
          ("asyncio", "to_thread"): (3, 9), ("contextlib", "chdir"): (3, 11),
          **{("typing", name): version for name, version in _TYPING.items()}}
_SYNTAX = ((getattr(ast, "Match", None), (3, 10), "a match statement"),
           (getattr(ast, "TryStar", None), (3, 11), "except*"))


def floor(project: Project, finding: EntryFinding | None, unreached: frozenset[str] | None = None
          ) -> tuple[tuple[int, int], str, str] | None:
    """(the newest Python the reached code needs, what it uses in words, "path:line") or None when it needs none
    newer than 3.8. `unreached`: the app files the entry never imports (reach.unreached_files), left out."""
    best: tuple[tuple[int, int], str, str] | None = None
    for rel, tree in sorted(parsed(project).items()):
        if unreached is not None and rel in unreached:
            continue
        for version, what, line in _uses(tree):
            if best is None or version > best[0]:
                best = (version, what, f"{rel}:{line}")
    return best


def _uses(tree: ast.Module):
    """(Python, what, line) of each use in `tree` that needs a Python newer than 3.8, outside fallback guards."""
    modules = {}     # local name -> module, for `import datetime` then datetime.UTC
    for node in _unguarded(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                modules[alias.asname or alias.name] = alias.name
                top = alias.name.split(".")[0]
                if top in MODULES and MODULES[top] > (3, 8):
                    yield MODULES[top], f"the {top} module", node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            top = node.module.split(".")[0]
            if top in MODULES and MODULES[top] > (3, 8):
                yield MODULES[top], f"the {top} module", node.lineno
            for alias in node.names:
                version = _NAMES.get((node.module, alias.name))
                if version and version > (3, 8):
                    yield version, f"{node.module}.{alias.name}", node.lineno
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            version = _NAMES.get((modules.get(node.value.id, ""), node.attr))
            if version and version > (3, 8):
                yield version, f"{modules[node.value.id]}.{node.attr}", node.lineno
        else:
            for kind, version, what in _SYNTAX:
                if kind is not None and isinstance(node, kind):
                    yield version, what, node.lineno


def _unguarded(node: ast.AST):
    """The nodes under `node` (itself included) that no `try:` with handlers and no `if sys.version_info` holds."""
    yield node
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Try) and child.handlers:
            for rest in (*child.handlers, *child.orelse, *child.finalbody):
                yield from _unguarded(rest)
            continue
        if isinstance(child, ast.If) and _version_test(child.test):
            continue
        yield from _unguarded(child)


def _version_test(test: ast.expr) -> bool:
    """Whether an if's test reads sys.version_info (or sys.version, PY310-style constants are not known)."""
    return any(isinstance(n, ast.Attribute) and n.attr in ("version_info", "version") for n in ast.walk(test))
