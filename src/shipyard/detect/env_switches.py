"""Reads of an environment variable that only switch something on: `if config("ROLLBAR_ACCESS_TOKEN"):` and the
reads inside that block. Unset, python-decouple's config() and os.environ[...] raise; empty, the test is false
and the block never runs, which is what the code means by "not configured" (a starter's production settings set
up Rollbar only when a token is given, yet read it with no default)."""

from __future__ import annotations

import ast
from typing import Iterator, Mapping
from .ast_nodes import ast_nodes


def truth_tested(tree: ast.AST) -> set[int]:
    """ids of the expressions whose truth value alone an if/while/conditional expression tests: the test itself,
    an operand of `and`/`or`, or what `not` negates."""
    out: set[int] = set()
    for node in ast_nodes(tree):
        if isinstance(node, (ast.If, ast.IfExp, ast.While)):
            out.update(id(operand) for operand, _ in _operands(node.test))
    return out


def guarded(tree: ast.AST, names: Mapping[int, str]) -> set[int]:
    """ids of the reads (`names`: id of a read's node -> the variable) inside the body of an `if` whose test is a
    truth test of a read of the same variable that must hold (`if X:`, `if X and Y:`; not `if X or Y:`, nor `not
    X`): they run only when it is set to something."""
    out: set[int] = set()
    for node in ast_nodes(tree):
        if not isinstance(node, ast.If):
            continue
        tested = {names[id(op)] for op in _must_be_true(node.test) if id(op) in names}
        if tested:
            out.update(id(inner) for stmt in node.body for inner in ast_nodes(stmt)
                       if names.get(id(inner)) in tested)
    return out


def _operands(test: ast.expr, negated: bool = False) -> Iterator[tuple[ast.expr, bool]]:
    """The expressions whose truth the test takes, each with whether a `not` turns it around."""
    if isinstance(test, ast.BoolOp):
        for value in test.values:
            yield from _operands(value, negated)
    elif isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        yield from _operands(test.operand, not negated)
    else:
        yield test, negated


def _must_be_true(test: ast.expr) -> Iterator[ast.expr]:
    """The expressions that are all true whenever the test passes: every operand of an `and`, or the test."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        for value in test.values:
            yield from _must_be_true(value)
    elif not isinstance(test, (ast.BoolOp, ast.UnaryOp)):
        yield test
