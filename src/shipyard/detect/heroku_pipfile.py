"""A requirements.txt that Heroku never reads: the Pipfile beside it is what the platform installs.

Heroku's classic Python buildpack runs `pipenv install` (`--deploy` with a Pipfile.lock, `--skip-lock` without)
when a Pipfile is present, and then skips `pip install -r requirements.txt`. An app deployed there with both files
runs on the Pipfile's packages; a requirements.txt beside it is often a freeze of that same environment (every
package the Pipfile names, pinned), whose pins are worth keeping, but sometimes a list left from another project
or an older tutorial (Django==1.9.8 beside a Pipfile naming django-heroku, for code written on Django 3.1).

The two contradict when the Pipfile names a package that requirements.txt lacks: the requirements file is then
not a record of what the Pipfile installs. For an app that targets Heroku (a Procfile or app.json, and no
Dockerfile installing the requirements file, which would make the image's install the one that counts) the
Pipfile alone is read. A README's `pip install -r requirements.txt` is a local step and does not decide it.
"""

from __future__ import annotations

import re
from typing import Iterable

from packaging.utils import canonicalize_name

from ..project import Project

_HEROKU_FILES = ("Procfile", "app.json")
_DOCKERFILE = re.compile(r"(^|/)(Dockerfile|[\w.-]*\.Dockerfile|Dockerfile\.[\w.-]+)$")
_PIP_INSTALL_R = re.compile(r"pip3?\s+install\b[^\n]*?(-r|--requirement)\s*(\S+)")


def _same(name: str) -> str:
    """psycopg2-binary is psycopg2 as a wheel: a freeze made elsewhere may list either."""
    key = canonicalize_name(name)
    return key[:-len("-binary")] if key.endswith("-binary") else key


def _join(base: str, name: str) -> str:
    return name if base in ("", ".") else f"{base}/{name}"


def targets_heroku(project: Project, base: str) -> str:
    """The file that says the app deploys on Heroku (Procfile beside the dependencies or at the root, app.json at
    the root), or ""."""
    for rel in dict.fromkeys((_join(base, "Procfile"), *_HEROKU_FILES)):
        if project.is_file(rel):
            return rel
    return ""


def dockerfile_installs(project: Project, requirement_file: str) -> str:
    """A Dockerfile whose RUN installs `requirement_file` (by its name): the image installs that file, "" if
    none."""
    name = requirement_file.rsplit("/", 1)[-1]
    for rel in project.files:
        if _DOCKERFILE.search(rel):
            text = project.scan_text(rel) or ""
            if any(m.group(2).rsplit("/", 1)[-1] == name for m in _PIP_INSTALL_R.finditer(text)):
                return rel
    return ""


def missing_from(pipfile_names: Iterable[str], requirement_names: Iterable[str]) -> list[str]:
    """The Pipfile's packages the requirements file does not list, in the Pipfile's order."""
    listed = {_same(n) for n in requirement_names}
    return [n for n in pipfile_names if _same(n) not in listed]


def unread_requirements(project: Project, base: str, requirement_files: list[str], pipfile_names: list[str],
                        requirement_names: list[str]) -> str:
    """The note that says why the requirement files are left unread, or "" when they stay (no Pipfile
    packages, a requirements file covering them, no Heroku target, or a Dockerfile installing one)."""
    if not requirement_files or not pipfile_names:
        return ""
    missing = missing_from(pipfile_names, requirement_names)
    heroku = targets_heroku(project, base)
    if not missing or not heroku:
        return ""
    if any(dockerfile_installs(project, rel) for rel in requirement_files):
        return ""
    shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
    pipfile = _join(base, "Pipfile")
    return (f"{', '.join(requirement_files)} left unread: {pipfile} is what Heroku installs for this app ({heroku}; "
            f"its buildpack runs pipenv when a Pipfile is present and skips requirements.txt), and the "
            f"requirements file is no record of it (it lacks {shown})")
