"""The Django apps of a project that define models and keep no migrations.

Tutorial projects often leave their migrations out of the repository (a .gitignore of `migrations/`, or never
run `makemigrations`): `manage.py migrate` then makes Django's own tables and none of the app's, and every page
that reads a model fails with "no such table". `migrate --run-syncdb` creates the tables of installed apps that
have no migrations package, as `syncdb` did, without writing files into the app's folder (makemigrations
would: in the user's tree under `serve`, in a read-only image layer in production).

An app whose migrations package exists but holds no migration is another case: Django takes it as migrated, and
only `makemigrations` helps; that is the app's to run and commit, so it is only named.
"""

from __future__ import annotations

import ast
import posixpath
from dataclasses import dataclass

from ..project import Project
from .source import is_app_file, parsed


@dataclass(frozen=True)
class Unmigrated:
    without: tuple[str, ...]       # app folders with models and no migrations package: --run-syncdb makes them
    empty: tuple[str, ...]         # app folders whose migrations package holds no migration: makemigrations


def unmigrated(project: Project, workdir: str) -> Unmigrated:
    """The app folders under `workdir` (relative to the root) whose models.py, or models/ package, defines a
    concrete model, by whether their migrations package is missing or empty."""
    without: list[str] = []
    empty: list[str] = []
    for rel, tree in sorted(parsed(project).items()):
        folder = _app_folder(rel)
        if folder is None or not is_app_file(rel) or not _inside(folder, workdir) or not _defines_model(tree):
            continue
        if folder in without or folder in empty:
            continue
        migrations = posixpath.join(folder, "migrations") if folder else "migrations"
        if not project.is_file(f"{migrations}/__init__.py"):
            without.append(folder)
        elif not any(_is_migration(f, migrations) for f in project.files):
            empty.append(folder)
    return Unmigrated(tuple(without), tuple(empty))


def _app_folder(rel: str) -> str | None:
    """The app's folder of a models module: `shop/models.py` and `shop/models/__init__.py` -> "shop"."""
    parts = rel.split("/")
    if parts[-1] == "models.py" and len(parts) >= 2:
        return "/".join(parts[:-1])
    if parts[-2:] == ["models", "__init__.py"] and len(parts) >= 3:
        return "/".join(parts[:-2])
    return None


def _inside(folder: str, workdir: str) -> bool:
    return workdir in ("", ".") or folder == workdir or folder.startswith(workdir.rstrip("/") + "/")


def _is_migration(rel: str, migrations: str) -> bool:
    head, name = posixpath.split(rel)
    return head == migrations and name.endswith(".py") and name != "__init__.py"


def _defines_model(tree: ast.Module) -> bool:
    """A class deriving from `models.Model` (or `Model` imported from django.db.models), not abstract."""
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and any(_is_model_base(b) for b in node.bases) and not _abstract(node):
            return True
    return False


def _is_model_base(base: ast.expr) -> bool:
    return isinstance(base, ast.Attribute) and base.attr == "Model" and isinstance(base.value, ast.Name) \
        and base.value.id == "models" or isinstance(base, ast.Name) and base.id == "Model"


def _abstract(cls: ast.ClassDef) -> bool:
    for node in cls.body:
        if isinstance(node, ast.ClassDef) and node.name == "Meta":
            for item in node.body:
                if isinstance(item, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "abstract"
                                                        for t in item.targets) \
                        and isinstance(item.value, ast.Constant) and item.value.value is True:
                    return True
    return False
