"""Of several Django WSGI modules in one project, the one its settings name in WSGI_APPLICATION.

A PythonAnywhere portfolio keeps the platform's WSGI file beside startproject's wsgi.py (web_portfolio/deploy.py:
sets the secret and the settings module, then wraps get_wsgi_application() in whitenoise), and both make an
`application`: inspect stopped on "found 2 apps". The settings say which one Django itself serves
(`WSGI_APPLICATION = 'web_portfolio.wsgi.application'`, what runserver loads): that one is the project's entry.
Read from the settings module's own file, or from the modules of its package (a settings package's base.py)."""

from __future__ import annotations

import ast
import posixpath
from typing import Callable

from .graph import Analysis
from .model import AppDef, Candidate

SETTING = "WSGI_APPLICATION"


def named_by_settings(analysis: Analysis, pool: list[AppDef], best: dict[AppDef, Candidate],
                      settings_of: Callable[[Analysis, Candidate], str | None]) -> list[AppDef]:
    """The one Django app of `pool` whose module and name its settings' WSGI_APPLICATION gives, when every app of
    `pool` is Django's and exactly one is named so; `pool` as it is otherwise."""
    if len(pool) < 2 or any(best[a].kind != "django" for a in pool):
        return pool
    named = [a for a in pool if _target(analysis, best[a], settings_of(analysis, best[a]))
             == f"{best[a].module.name}.{best[a].attr}"]
    return named if len(named) == 1 else pool


def _target(analysis: Analysis, c: Candidate, settings: str | None) -> str | None:
    """WSGI_APPLICATION as a literal in the settings module's file, else in a module beside it in its package."""
    files = analysis.module_files(c.module.root, settings) if settings else None
    if not files:
        return None
    own = files[-1]
    folder = posixpath.dirname(own)
    beside = sorted(f for f in analysis.files if posixpath.dirname(f) == folder and f.endswith(".py") and f != own)
    for path in (own, *beside):
        found = _assigned(analysis.project.scan_text(path) or "")
        if found:
            return found
    return None


def _assigned(text: str) -> str | None:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == SETTING for t in node.targets) \
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return node.value.value
    return None
