"""Tables a migration history creates twice: a revision's upgrade() runs `op.create_table("users", ...)` for a
table a revision before it already created (and none dropped in between).

A beginner regenerates the first migration (`flask db migrate` against an empty database) and keeps the old
file, chaining the new one after it: on the author's database, stamped or made by hand, nothing fails; on a new
one `flask db upgrade` stops on "relation users already exists" and the app has no tables. The history cannot
be applied as written, whatever the database; serve falls back to the models' tables on the new database it
made (run/migrate.py). Read from the revision files without importing them, as migration_heads reads heads.
"""

from __future__ import annotations

import ast
import posixpath
from dataclasses import dataclass

from ..project import Project
from .migration_heads import _revision


@dataclass(frozen=True)
class Recreated:
    table: str
    first: str          # the revision file that creates it first, relative to the project root
    again: str          # a later one that creates it again

    def __str__(self) -> str:
        return f"{self.again} creates table {self.table!r}, which {self.first} already created"


def recreated_tables(project: Project, versions: str) -> list[Recreated]:
    """The tables that revisions in the folder `versions` (relative to the project root) create while an
    ancestor revision already did, along each revision's chain of down revisions; [] when the files cannot be
    read statically."""
    revisions: dict[str, tuple[tuple[str, ...], str, list[tuple[str, str]]]] = {}
    for rel in project.files:
        if posixpath.dirname(rel) != versions or not rel.endswith(".py") or rel.endswith("__init__.py"):
            continue
        found = _revision(project, rel)
        if found is None:
            return []
        revisions[found[0]] = (found[1], rel, _table_ops(project, rel))
    out: dict[tuple[str, str], Recreated] = {}
    for revision, (downs, rel, ops) in revisions.items():
        made = _made_before(revisions, downs)
        if made is None:
            return []
        for op, table in ops:
            if op == "create" and table in made and (table, rel) not in out:
                out[(table, rel)] = Recreated(table, made[table], rel)
            elif op == "create":
                made[table] = rel
            else:
                made.pop(table, None)
    return sorted(out.values(), key=lambda r: (r.again, r.table))


def _made_before(revisions: dict, downs: tuple[str, ...]) -> dict[str, str] | None:
    """{table: the revision file that made it} for the tables that exist after `downs` and their ancestors
    (a linear walk; a merge point's parents are each walked); None when a parent is missing."""
    made: dict[str, str] = {}
    seen: set[str] = set()
    order: list[str] = []
    stack = list(downs)
    while stack:
        revision = stack.pop()
        if revision in seen:
            continue
        if revision not in revisions:
            return None
        seen.add(revision)
        order.append(revision)
        stack.extend(revisions[revision][0])
    for revision in reversed(order):           # oldest first
        _, rel, ops = revisions[revision]
        for op, table in ops:
            if op == "create":
                made.setdefault(table, rel)
            else:
                made.pop(table, None)
    return made


def _table_ops(project: Project, rel: str) -> list[tuple[str, str]]:
    """("create" | "drop", table) in the order upgrade() writes op.create_table / op.drop_table / rename."""
    try:
        tree = ast.parse(project.scan_text(rel) or "")
    except (SyntaxError, ValueError):
        return []
    upgrade = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "upgrade"), None)
    ops: list[tuple[str, str]] = []
    for node in (n for statement in (upgrade.body if upgrade else []) for n in ast.walk(statement)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            continue
        if node.func.attr == "create_table":
            ops.append(("create", node.args[0].value))
        elif node.func.attr == "drop_table":
            ops.append(("drop", node.args[0].value))
        elif node.func.attr == "rename_table":
            ops.append(("drop", node.args[0].value))
            if len(node.args) > 1 and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
                ops.append(("create", node.args[1].value))
    return ops
