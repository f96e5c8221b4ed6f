"""A Django table one app's migration deletes and another app's creates again: the model moved between apps
keeping its table (`db_table = "teacher_registration"` now on student's model), with no dependency between the two
migrations.

On the author's database the deletion ran first (it was made first); on a new one `migrate` takes the apps in its
own order, the creating one may come first and the deleting app's own first migration then stops on 'relation
"teacher_registration" already exists'. Migrating the deleting app up to its deletion first, then everything, applies
the history as the author's database took it.
Read from the migration files without importing them.
"""

from __future__ import annotations

import ast
import posixpath
from dataclasses import dataclass
from typing import Iterator

from ..project import Project


@dataclass(frozen=True)
class Moved:
    table: str
    app: str            # the app label whose migration deletes the table's model
    migration: str      # that migration's name (its file's stem)
    created_by: str     # the other app's migration that creates the table again, relative to the project root

    def __str__(self) -> str:
        return (f"{self.created_by} creates table {self.table!r}, which {self.app}'s migration {self.migration} "
                f"deletes, and does not depend on it")


def _operations(project: Project, rel: str) -> list[tuple[str, str, str | None]]:
    """("create" | "delete", model name, db_table or None) of a migration file, in order."""
    try:
        tree = ast.parse(project.scan_text(rel) or "")
    except (SyntaxError, ValueError):
        return []
    out: list[tuple[str, str, str | None]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        if func not in ("CreateModel", "DeleteModel"):
            continue
        kwargs = {k.arg: k.value for k in node.keywords}
        name = kwargs.get("name") or (node.args[0] if node.args else None)
        if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
            continue
        table = None
        options = kwargs.get("options")
        if isinstance(options, ast.Dict):
            for key, value in zip(options.keys, options.values):
                if isinstance(key, ast.Constant) and key.value == "db_table" and isinstance(value, ast.Constant) \
                        and isinstance(value.value, str):
                    table = value.value
        out.append(("create" if func == "CreateModel" else "delete", name.value, table))
    return out


def migration_files(project: Project) -> Iterator[tuple[str, str]]:
    """(app label, file) of each Django migration file of the project (<app>/migrations/0001_x.py), sorted."""
    for rel in sorted(project.files):
        folder, name = posixpath.split(rel)
        if posixpath.basename(folder) == "migrations" and name.endswith(".py") and name[:1].isdigit():
            yield posixpath.basename(posixpath.dirname(folder)), rel


def moved_tables(project: Project) -> list[Moved]:
    """Every table an app's migration deletes while another app's migration creates the same table, by table."""
    created: dict[tuple[str, str], str] = {}     # (app, model lowered) -> its table, for the deletions to name
    creators: dict[str, list[tuple[str, str]]] = {}      # table -> (app, file) creating it
    deletions: list[tuple[str, str, str]] = []   # (app, model lowered, file)
    for app, rel in migration_files(project):
        for op, model, db_table in _operations(project, rel):
            if op == "create":
                made = db_table or f"{app}_{model.lower()}"
                created[(app, model.lower())] = made
                creators.setdefault(made, []).append((app, rel))
            else:
                deletions.append((app, model.lower(), rel))
    out: dict[str, Moved] = {}
    for app, model, rel in deletions:
        table = created.get((app, model))
        other = next((file for creator, file in creators.get(table, []) if creator != app), None) if table else None
        if table and other is not None and table not in out:
            out[table] = Moved(table, app, posixpath.splitext(posixpath.basename(rel))[0], other)
    return sorted(out.values(), key=lambda m: m.table)
