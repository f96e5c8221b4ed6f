"""The other modules of a Django settings package, when the one Shipyard runs with fails at import.

settings_package.py takes a settings package's production module when the project's code names none that holds
settings. Some authors never ran theirs (auxbox-django: settings/production.py raises NameError at import, while
its README exports the package's local module). Django's own contract lets the user choose: DJANGO_SETTINGS_MODULE
in the environment wins over the code's default, and Shipyard honours it (choose.settings_module). The hint names
the package's other modules that hold settings, so the user knows what to set: a project package's settings.py
sits beside its urls.py, wsgi.py and asgi.py, which hold none (a personal site whose settings.py reads an ini file
outside the repository was told to run with DJANGO_SETTINGS_MODULE=<project>.wsgi).
"""

from __future__ import annotations

import ast
from pathlib import PurePosixPath

from ...project import Project
from ..config_names import for_development_or_tests
from ..findings import EntryFinding


def holds_settings(tree: ast.Module) -> bool:
    """A module Django could run with: it sets an upper-case name at its top level, or star-imports one that does
    (`from .base import *`); urls.py's urlpatterns and wsgi.py's application are lower-case."""
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
            return True
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
        if any(isinstance(target, ast.Name) and target.id.isupper() for target in targets):
            return True
    return False


def _tree(project: Project, rel: str) -> ast.Module:
    try:
        return ast.parse(project.scan_text(rel) or "")
    except (SyntaxError, ValueError):
        return ast.Module(body=[], type_ignores=[])


def settings_hint(project: Project, finding: EntryFinding, failing: str) -> str | None:
    """The hint for an import that failed in the settings module the entry runs with (`failing`: its file,
    relative to the project root), when its package has other modules to run with; else None."""
    settings = finding.entry.settings_module
    if finding.entry.kind != "django" or not settings or "." not in settings or not failing:
        return None
    package, _, own = settings.rpartition(".")
    folder = PurePosixPath(finding.workdir if finding.workdir not in ("", ".") else "", *package.split("."))
    if PurePosixPath(failing) != folder / f"{own}.py":
        return None
    others = sorted(PurePosixPath(rel).stem for rel in project.files
                    if PurePosixPath(rel).parent == folder and rel.endswith(".py")
                    and PurePosixPath(rel).stem not in ("__init__", own) and PurePosixPath(rel).stem.isidentifier()
                    and holds_settings(_tree(project, rel)))
    if not others:
        return None
    # development modules last: production-like ones first, as settings_package prefers them
    others.sort(key=for_development_or_tests)
    names = ", ".join(f"{package}.{name}" for name in others)
    return (f"Shipyard runs with DJANGO_SETTINGS_MODULE={settings}, the module of the settings package made for "
            f"production; fix it, or run with another of the package's modules ({names}): set "
            f"DJANGO_SETTINGS_MODULE to it in the environment and run again (Shipyard, like Django, takes the "
            f"environment's value)")
