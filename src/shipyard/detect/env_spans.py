"""Where in a module an expression's value comes from, as line spans: the expression itself and the assignments
of the names it uses (`ALLOWED_HOSTS = [DOMAIN]` with `DOMAIN = os.getenv("DOMAIN")` above). An environment
read (services.EnvRead, which carries its lines) inside one of the spans feeds that expression: how
hosts_vars.py finds the variables put into ALLOWED_HOSTS and redis_uses.py those used as a Redis address."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Iterable
from .ast_nodes import ast_nodes


@dataclass(frozen=True)
class Span:
    first: tuple[int, int]         # (line, column) where the expression starts
    last: tuple[int, int]          # ... and ends
    separator: str | None = None   # `NAME.split(sep)` in the expression: how the named value is split

    @classmethod
    def of(cls, node: ast.AST, separator: str | None = None) -> "Span":
        return cls((node.lineno, node.col_offset),
                   (node.end_lineno or node.lineno, node.end_col_offset or 1 << 30), separator)

    def holds(self, read) -> bool:
        """The read (services.EnvRead) lies inside the expression."""
        end = (read.end_line, read.end_col or 1 << 30)
        return self.first <= (read.line, read.col) and end <= self.last


def assignments(tree: ast.Module) -> dict[str, ast.AST]:
    """Name -> its first assignment in the module (`X = ...`, `X: str = ...`)."""
    out: dict[str, ast.AST] = {}
    for node in ast_nodes(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    out.setdefault(target.id, node)
    return out


def spans(values: Iterable[ast.AST], assigned: dict[str, ast.AST]) -> list[Span]:
    """The spans of `values` and of the assignments of the names they use (one step back). A name whose item or
    attribute is taken (`app.config["RQ_HOST"]`, `conf["host"]`) is not followed: the expression holds a part
    of that object, not what its assignment read (`app = create_app(os.getenv("FLASK_CONFIG"))`)."""
    out = []
    for value in values:
        out.append(Span.of(value))
        parts_of = _containers(value)
        for inner in ast_nodes(value):
            split = _split_name(inner)
            name = split[0] if split else inner.id if isinstance(inner, ast.Name) and id(inner) not in parts_of \
                else None
            source = assigned.get(name) if name else None
            if source is not None and source is not value:
                out.append(Span.of(source, split[1] if split else None))
    return out


def _containers(value: ast.AST) -> set[int]:
    """ids of the names in `value` that an item or a data attribute is taken from (`conf["host"]`, `app.config`);
    a method called on the name's value (`HOST.strip()`) keeps it."""
    called = {id(n.func) for n in ast_nodes(value) if isinstance(n, ast.Call)}
    return {id(n.value) for n in ast_nodes(value)
            if isinstance(n, ast.Subscript) or isinstance(n, ast.Attribute) and id(n) not in called}


def _split_name(node: ast.AST) -> tuple[str, str] | None:
    """`NAME.split(sep)` -> (NAME, sep); " " for a bare .split()."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split" \
            and isinstance(node.func.value, ast.Name):
        sep = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else " "
        return node.func.value.id, sep if isinstance(sep, str) else " "
    return None
