"""Every node of a parsed module, listed once: the detectors each walk the same module trees (parsed() keeps one
per file), dozens of times over, and ast.walk's generator recomputes each node's children every time. A 2024
FastAPI project with two copies of a 325 KB generated enum module spent 90 of its 125 seconds of `inspect` in
ast.walk. A module's list is kept on the tree itself (the trees are never changed once parsed); a smaller node
(a function, a class) is walked as ast.walk walks it, in the same order."""

from __future__ import annotations

import ast
from typing import Iterable

KEPT = "_shipyard_nodes"   # the attribute a module tree keeps its nodes in


def ast_nodes(node: ast.AST) -> Iterable[ast.AST]:
    """The nodes ast.walk(node) gives, in its order."""
    if not isinstance(node, ast.Module):
        return ast.walk(node)
    kept = node.__dict__.get(KEPT)
    if kept is None:
        kept = tuple(ast.walk(node))
        setattr(node, KEPT, kept)
    return kept
