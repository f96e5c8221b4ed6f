"""A Django migration that points at a model no migration of its app creates.

library/migrations/0002_fine_issue.py writes `ForeignKey(to='student.student')` while student's migrations create
Department and Utilisateur: the author renamed the model inside an applied migration by hand (or deleted the
migration that made it), so the history no longer adds up and `migrate` stops on a new database with "Related model
'student.student' cannot be resolved", whoever runs it. Only the app's migrations made again fix that; the release
says so instead of "fix it". Read from the migration files without importing them; only references to apps whose
migrations the project holds are judged.
"""

from __future__ import annotations

import ast

from ..project import Project
from .moved_tables import migration_files


def dangling(project: Project) -> tuple[str, str, tuple[str, ...]] | None:
    """(migration file, the 'app.model' it points at, the models that app's migrations do create) for the first
    reference to a model of a project app whose migrations never create (nor rename to) it; None when all resolve."""
    created: dict[str, list[str]] = {}
    refs: list[tuple[str, str]] = []
    for app, rel in migration_files(project):
        created.setdefault(app, [])
        try:
            tree = ast.parse(project.scan_text(rel) or "")
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            kwargs = {k.arg: k.value for k in node.keywords}
            made = kwargs.get("name") if func == "CreateModel" else kwargs.get("new_name") \
                if func == "RenameModel" else None
            if made is None and node.args and func in ("CreateModel", "RenameModel"):
                made = node.args[0] if func == "CreateModel" else node.args[1] if len(node.args) > 1 else None
            if isinstance(made, ast.Constant) and isinstance(made.value, str):
                created[app].append(made.value)
            to = kwargs.get("to")
            if isinstance(to, ast.Constant) and isinstance(to.value, str) and to.value.count(".") == 1:
                refs.append((rel, to.value))
    for rel, ref in refs:
        app, model = ref.split(".")
        if app in created and model.lower() not in {m.lower() for m in created[app]}:
            return rel, ref, tuple(dict.fromkeys(created[app]))
    return None


def note(found: tuple[str, str, tuple[str, ...]]) -> str:
    rel, ref, made = found
    return (f"{rel} points at {ref}, which no migration of {ref.split('.')[0]} creates (only "
            f"{', '.join(made) or 'no model'}): Django's migrate stops on it on a new database")


def hint(found: tuple[str, str, tuple[str, ...]]) -> str:
    return (f"{note(found).split(':')[0]}: the app's migrations are out of step with its models; make them again "
            "(delete the migration files of the apps concerned, keeping __init__.py, then python manage.py "
            "makemigrations) and run again")
