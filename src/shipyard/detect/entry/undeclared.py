"""Of several apps, the ones built with a framework the project declares. A Django course API whose
requirements list Django, DRF and djoser but not FastAPI, with a FastAPI websocket chat left in
applications/chat/chat.py that nothing runs: the Django project is the app (its chat module could not even
be imported once the declared dependencies are installed). An app whose framework is declared nowhere is
kept when none is, or when the project declares nothing (every import is then inferred)."""

from __future__ import annotations

import posixpath

from ...project import Project
from .. import frameworks as fw
from ..deps import declared, normalize
from .model import AppDef, Candidate

# frameworks a declared distribution brings with it: a FastAPI project's Starlette app, a Wagtail site's Django
_BROUGHT_BY = {"starlette": ("fastapi", "connexion", "responder"), "flask": ("connexion", "dash", "eve"),
               "django": ("wagtail",)}
_DISTRIBUTION = {f.name: normalize(f.distribution or f.name) for f in fw.FRAMEWORKS}


def declared_frameworks(project: Project, pool: list[AppDef], best: dict[AppDef, Candidate]) -> list[AppDef]:
    """`pool` without the apps whose framework the project's dependency files leave out, when another app's is
    there; `pool` as it is otherwise."""
    # apps side by side in folders of their own, none at the root (flask_demo/ beside django_demo/, each with its
    # requirements.txt): each is judged by its own folder's files, not by the root's (a freeze of one of them)
    own_first = all(best[app].module.root not in ("", ".") for app in pool) and \
        len({best[app].module.root.split("/")[0] for app in pool}) == len(pool)
    verdicts = {app: _declared(project, app, best[app], own_first) for app in pool}
    if not any(verdicts.values()):
        return pool
    return [app for app in pool if verdicts[app] is not False]


def _declared(project: Project, app: AppDef, c: Candidate, own_first: bool = False) -> bool | None:
    """Whether the dependency files of the app's folder declare its framework; None when that cannot be told (a
    bare WSGI/ASGI callable, a project that declares nothing)."""
    wanted = _DISTRIBUTION.get(app.framework)
    if wanted is None:
        return None
    found = declared(project, posixpath.dirname(c.module.path) or ".", own_first=own_first)
    if not found.complete:
        return None
    names = {normalize(d.name) for d in found.dependencies}
    # Flask-Login, django-environ: a plugin of the framework is a use of it
    return wanted in names or any(n.startswith((f"{wanted}-", f"{wanted}_")) for n in names) \
        or any(n in names for n in _BROUGHT_BY.get(app.framework, ()))


# distributions that bring Channels' modules: channels itself, its layers (which require it), its older name
_CHANNELS = ("channels", "django-channels")


def channels_declared(project: Project, root: str) -> bool:
    """Whether the project's dependency files (those of import root `root`'s folder) declare Channels, or could:
    True when they declare nothing or cannot be read whole (every import is then inferred)."""
    found = declared(project, root or ".")
    if not found.complete or not found.dependencies:
        return True
    names = {normalize(d.name) for d in found.dependencies}
    return any(n in _CHANNELS or n.startswith("channels-") for n in names)


def declared_imports(analysis, pool: list[AppDef], best: dict[AppDef, Candidate]) -> list[AppDef]:
    """Of several apps of one framework, the ones whose packages the project's dependency files declare, over an
    app importing one they leave out: a 2019 Flask tutorial's root requirements (Flask, Flask-SQLAlchemy,
    Flask-Script) cover flaskr/ and its manage.py, not backend/main.py beside them, a Vue SPA's API importing
    Flask-RESTful, which nothing declares (it never ran from these files). `pool` as it is when the files
    declare nothing, or cover every app, or none."""
    project = analysis.project
    found = declared(project, ".")
    if not found.complete or not found.dependencies:
        return pool
    names = {normalize(d.name) for d in found.dependencies}
    covered = [app for app in pool if not _undeclared_imports(analysis, best[app], names)]
    return covered if covered and len(covered) < len(pool) else pool


def _undeclared_imports(analysis, c: Candidate, names: set[str]) -> set[str]:
    """The plugins of `c`'s framework (Flask-RESTful for Flask) that the modules importing `c` runs import from
    outside the project and `names` lacks: a plugin is declared by the app that uses it, where a library its
    declared packages bring along (SQLAlchemy, Werkzeug) need not be."""
    from ..imports import _STDLIB, distribution_for
    missing: set[str] = set()
    for path in c.closure:
        module = analysis.modules.get(path)
        if module is None:
            continue
        for imp in module.scan.imports:
            top = imp.module.split(".")[0]
            if imp.level or not top or top in _STDLIB or analysis.import_files(path, imp, module.root):
                continue
            wanted = normalize(distribution_for(imp.module))
            if wanted.startswith((f"{c.app.framework}-", f"{c.app.framework}_")) and wanted not in names:
                missing.add(wanted)
    return missing
