"""A Django app the project has, named by its AppConfig, whose files are not in the package that name says.

`startapp attend` writes attend/apps.py with `name = 'attend'`, and INSTALLED_APPS names 'attend'. A repository
uploaded flat (every file at its root: manage.py, settings.py, apps.py, models.py, views.py) or a folder renamed
after startapp keeps that apps.py, but no attend/ package: Django's import fails with "No module named 'attend'",
which reads as a package to install. No distribution provides it; the app's files must move where the name says.
"""

from __future__ import annotations

import ast
from pathlib import PurePosixPath

from ...project import Project
from ..source import parsed


def misplaced_app(project: Project, top: str) -> str | None:
    """The apps.py (relative path) whose AppConfig declares `name = '<top>'` (or '<top>.<sub>') outside a `top`
    package, when one does; None otherwise."""
    trees = parsed(project)
    for rel in sorted(trees):
        path = PurePosixPath(rel)
        if path.name != "apps.py" or top in path.parts[:-1]:
            continue
        for node in ast.walk(trees[rel]):
            if not isinstance(node, ast.ClassDef):
                continue
            for item in node.body:
                if isinstance(item, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "name"
                                                        for t in item.targets) \
                        and isinstance(item.value, ast.Constant) and isinstance(item.value.value, str) \
                        and item.value.value.split(".")[0] == top:
                    return rel
    return None
