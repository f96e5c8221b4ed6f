"""The entry the project's own Procfile names: `web: gunicorn app:app` is how its author runs it in
production (Heroku's convention, kept by Dokku, Render and others). When the folder holds several apps (a
second copy under _updated/, an example beside the real one), the one its `web:` command serves wins."""

from __future__ import annotations

import posixpath
import re
import shlex

from ...project import Project
from .model import Candidate

# module:attr as servers take it: app:app, mysite.wsgi:application, app:create_app(), "app:create_app('x')"
_TARGET = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*(\(.*\))?$")
_DJANGO = re.compile(r"^[A-Za-z_][\w.]*\.[wa]sgi$")
_CHDIR = ("--chdir", "--app-dir", "--working-dir")


def web_targets(project: Project) -> tuple[tuple[str, str], ...]:
    """(folder it runs from, module:attr) for each target the Procfile's `web:` command names."""
    if not project.is_file("Procfile"):
        return ()
    for line in project.read_text("Procfile").splitlines():
        kind, sep, command = line.partition(":")
        if sep and kind.strip() == "web":
            return _targets(command)
    return ()


def _targets(command: str) -> tuple[tuple[str, str], ...]:
    try:
        words = shlex.split(command, comments=True)
    except ValueError:
        return ()
    folder, out = ".", []
    for n, word in enumerate(words):
        if word == "cd" and n + 1 < len(words):             # cd src && gunicorn app:app
            folder = _join(folder, words[n + 1])
        elif word in _CHDIR and n + 1 < len(words):
            folder = _join(folder, words[n + 1])
        elif word.startswith(tuple(f"{flag}=" for flag in _CHDIR)):
            folder = _join(folder, word.partition("=")[2])
        elif _TARGET.match(word):
            out.append((folder, word))
        elif _DJANGO.match(word):                         # gunicorn mysite.wsgi: its `application`
            out.append((folder, f"{word}:application"))
    return tuple(out)


def _join(base: str, rel: str) -> str:
    return posixpath.normpath(posixpath.join(base, rel))


def named(cand: Candidate, targets: tuple[tuple[str, str], ...]) -> bool:
    """Whether the Procfile serves this candidate (`mysite.wsgi` names Django's `mysite.wsgi:application`)."""
    module = cand.module.name
    for folder, target in targets:
        if folder != cand.module.root:
            continue
        name, _, attr = target.partition(":")
        if name == module and (attr == cand.attr or attr.split("(")[0] == cand.attr.split("(")[0]):
            return True
    return False
