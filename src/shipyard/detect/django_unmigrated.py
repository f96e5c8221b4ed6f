"""Django apps of the project whose models have no migrations in the repository.

Tutorial-style repositories often leave them out (gitignored, or the app's entrypoint.sh runs `makemigrations`
before `migrate`): migrate then creates no tables for those models, or stops with "Dependency on app with no
migrations: users" when the custom user model's app is one of them. Here, statically: a folder with a models
module that declares a model class and no numbered migration beside it. Which of them Django really counts as
unmigrated is the release script's to find (run/migrate.py), with the app's own settings.
"""

from __future__ import annotations

import ast
import re
from pathlib import PurePosixPath

from ..project import Project
from .ast_nodes import ast_nodes
from .source import parsed

_MIGRATION = re.compile(r"\d{4}_\w+\.py")
# the release that makes the missing migrations first (detect/release.py's; not django-configurations' command
# line, whose settings classes load only through it)
MIGRATE = ("python", "-m", "django", "migrate", "--noinput")


def unmigrated_model_folders(project: Project) -> tuple[str, ...]:
    """The folders (relative to the project) holding models.py or models/ with a model class and no
    migrations/NNNN_*.py, sorted."""
    trees = parsed(project)
    files = set(project.python_files)
    # a migrations folder committed without its __init__.py is no package to Django before 3.1, which then
    # migrates none of it ("no such table"): the release script's loader says whether this Django reads it
    migrated = {str(PurePosixPath(f).parent.parent) for f in files
                if PurePosixPath(f).parent.name == "migrations" and _MIGRATION.fullmatch(PurePosixPath(f).name)
                and str(PurePosixPath(f).parent / "__init__.py") in files}
    found = set()
    for rel, tree in trees.items():
        path = PurePosixPath(rel)
        folder = path.parent if path.name == "models.py" else \
            path.parent.parent if path.parent.name == "models" else None
        if folder is None or str(folder) in migrated or not _declares_model(tree):
            continue
        found.add(str(folder))
    return tuple(sorted(found))


def _declares_model(tree: ast.Module) -> bool:
    """A class whose base is models.Model or a *Model name (AbstractUser, AbstractBaseUser, TimeStampedModel)."""
    for node in ast_nodes(tree):
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                name = base.attr if isinstance(base, ast.Attribute) else base.id if isinstance(base, ast.Name) \
                    else ""
                if name.endswith(("Model", "User")) and not _abstract(node):
                    return True
    return False


def _abstract(node: ast.ClassDef) -> bool:
    """`class Meta: abstract = True`: no table, no migration."""
    for item in node.body:
        if isinstance(item, ast.ClassDef) and item.name == "Meta":
            for stmt in item.body:
                if isinstance(stmt, ast.Assign) and any(getattr(t, "id", "") == "abstract" for t in stmt.targets) \
                        and isinstance(stmt.value, ast.Constant) and stmt.value.value is True:
                    return True
    return False


# the files a deployment's start is written in: entrypoint scripts, Dockerfiles, compose files, Procfile, Makefile
_START_FILE = re.compile(r"[\w.-]*\.sh|Dockerfile[\w.-]*|[\w.-]*\.dockerfile|(docker-)?compose[\w.-]*\.ya?ml|Procfile|"
                         r"Makefile", re.IGNORECASE)
_MAKEMIGRATIONS = re.compile(r"(manage\.py|django-admin|-m\s+django)\S*\s+makemigrations\b")


def start_makes_migrations(project: Project) -> str | None:
    """The file whose start runs `manage.py makemigrations` before migrating (a docker entrypoint.sh, a compose
    command, a Procfile release line), else the README whose setup steps do ("python manage.py makemigrations &&
    python manage.py migrate" after a model change: a 2025 Wagtail site committed a home page model ahead of its
    migrations, and its home page answered 500 on "no such column"), or None: its author ships models ahead of the
    migrations committed, and relies on that step to make the rest. A README counts when it is the root's or sits
    beside a manage.py: the steps a person who clones the app follows."""
    for rel in sorted(project.files):
        name = PurePosixPath(rel).name
        if not _START_FILE.fullmatch(name):
            continue
        if _runs_makemigrations(project.scan_text(rel) or ""):
            return rel
    homes = {""} | {str(PurePosixPath(rel).parent).strip(".") for rel in project.files
                    if PurePosixPath(rel).name == "manage.py"}
    for rel in sorted(project.files):
        path = PurePosixPath(rel)
        if _README.fullmatch(path.name) and str(path.parent).strip(".") in homes \
                and _runs_makemigrations(project.scan_text(rel) or ""):
            return f"{rel}'s setup steps"
    return None


_README = re.compile(r"README(\.[\w-]+)?", re.IGNORECASE)


def _runs_makemigrations(text: str) -> bool:
    """Whether a line of `text` that is not a comment runs makemigrations."""
    return any(_MAKEMIGRATIONS.search(line) for line in text.splitlines() if not line.lstrip().startswith("#"))
