"""Tables a migration history creates twice: a revision's upgrade() runs `op.create_table("users", ...)` for a
table a revision before it already created (and none dropped in between).

A beginner regenerates the first migration (`flask db migrate` against an empty database) and keeps the old
file, chaining the new one after it: on the author's database, stamped or made by hand, nothing fails; on a new
one `flask db upgrade` stops on "relation users already exists" and the app has no tables. The history cannot
be applied as written, whatever the database; serve falls back to the models' tables on the new database it
made (run/migrate.py). Read from the revision files without importing them, as migration_heads reads heads.

The other way round, tables a history alters that no revision creates (assumed_tables): the app made its tables
with `Base.metadata.create_all()` at start-up and added Alembic later for the changes (`op.add_column("users",
...)` as the first revision). On a new database the upgrade stops on "relation users does not exist"; the same
fallback applies.
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


@dataclass(frozen=True)
class Assumed:
    table: str
    revision: str       # the revision file that alters it, relative to the project root

    def __str__(self) -> str:
        return f"{self.revision} alters table {self.table!r}, which no revision before it creates"


def _revisions(project: Project, versions: str) -> dict[str, tuple[tuple[str, ...], str, list[tuple[str, str]]]] | None:
    """{revision: (down revisions, file, table ops)} of the files in `versions`; None when one cannot be read."""
    revisions: dict[str, tuple[tuple[str, ...], str, list[tuple[str, str]]]] = {}
    for rel in project.files:
        if posixpath.dirname(rel) != versions or not rel.endswith(".py") or rel.endswith("__init__.py"):
            continue
        found = _revision(project, rel)
        if found is None:
            return None
        revisions[found[0]] = (found[1], rel, _table_ops(project, rel))
    return revisions


def assumed_tables(project: Project, versions: str) -> list[Assumed]:
    """The tables that revisions in `versions` alter (add a column, an index, a constraint) while neither they nor
    an ancestor revision created them, first alteration of each; [] when the files cannot be read statically."""
    revisions = _revisions(project, versions) or {}
    out: dict[str, Assumed] = {}
    for downs, rel, ops in sorted(revisions.values(), key=lambda r: r[1]):
        made = _made_before(revisions, downs)
        if made is None:
            return []
        for op, table in ops:
            if op == "create":
                made[table] = rel
            elif op == "drop":
                made.pop(table, None)
            elif table not in made and table not in out:
                out[table] = Assumed(table, rel)
    return sorted(out.values(), key=lambda a: (a.revision, a.table))


def recreated_tables(project: Project, versions: str) -> list[Recreated]:
    """The tables that revisions in the folder `versions` (relative to the project root) create while an
    ancestor revision already did, along each revision's chain of down revisions; [] when the files cannot be
    read statically."""
    revisions = _revisions(project, versions)
    if revisions is None:
        return []
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
            elif op == "drop":
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
            elif op == "drop":
                made.pop(table, None)
    return made


# operations on an existing table, by the position of the table's name among their arguments
_ALTERS = {"add_column": 0, "drop_column": 0, "alter_column": 0, "batch_alter_table": 0, "create_index": 1,
           "create_unique_constraint": 1, "create_foreign_key": 1, "create_check_constraint": 1,
           "create_primary_key": 1}


def _table_ops(project: Project, rel: str) -> list[tuple[str, str]]:
    """("create" | "drop" | "alter", table) in the order upgrade() writes op.create_table / op.drop_table / rename
    and the operations on an existing table (_ALTERS)."""
    try:
        tree = ast.parse(project.scan_text(rel) or "")
    except (SyntaxError, ValueError):
        return []
    upgrade = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "upgrade"), None)
    ops: list[tuple[str, str]] = []
    for node in (n for statement in (upgrade.body if upgrade else []) for n in ast.walk(statement)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _ALTERS:
            table = _table_argument(node, _ALTERS[node.func.attr])
            if table:
                ops.append(("alter", table))
            continue
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


def _table_argument(call: ast.Call, position: int) -> str | None:
    """The table name an operation is given as a literal, by position or as table_name= / source_table=."""
    if len(call.args) > position and isinstance(call.args[position], ast.Constant) \
            and isinstance(call.args[position].value, str):
        return call.args[position].value
    return next((k.value.value for k in call.keywords if k.arg in ("table_name", "source_table")
                 and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)), None)
