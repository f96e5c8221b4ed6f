"""A requirements file that is a conda package list, not pip's format.

`conda list --export > requirements.txt` (and `conda create --name ENV --file requirements.txt` to use it) writes
one `name=version=build` line per package of the environment: `flask=1.1.1=py_0`, `python=3.7.6=h60c2a47_2`,
`openssl=1.1.1g=he774522_0`. pip cannot read a single line of it, so Shipyard used to skip every line and resolve
the imports as of the file's date: an app written against flask-marshmallow 0.11 (ma.ModelSchema, gone since
0.12) got today's release and failed at import. What the list does tell is the version of each package the
environment ran and its Python: those pin the packages the code imports (most of the list is conda's own: C
libraries, compilers, Windows runtimes, which no package index has, so the list is never installed as it is).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

if TYPE_CHECKING:
    from ..project import Project

# `flask=1.1.1=py_0`; conda's build string is never empty when it is written
_LINE = re.compile(r"([A-Za-z0-9_][A-Za-z0-9._-]*)=([^=\s]+)=(\S+)")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def is_conda_list(text: str) -> bool:
    """Most of the file's lines are conda's `name=version=build` (a pip line, `flask==1.1.1`, never is)."""
    lines = _lines(text)
    matched = sum(1 for line in lines if _LINE.fullmatch(line))
    return matched > 0 and matched * 2 > len(lines)


def pins(text: str) -> dict[str, str]:
    """normalized name -> version of every package in the list whose version pip can read (python left out:
    it is the interpreter, see python_version)."""
    found: dict[str, str] = {}
    for line in _lines(text):
        match = _LINE.fullmatch(line)
        if not match or canonicalize_name(match.group(1)) == "python":
            continue
        try:
            Version(match.group(2))
        except InvalidVersion:
            continue   # jpeg=9c, conda's own packages version themselves as they like
        found.setdefault(canonicalize_name(match.group(1)), match.group(2))
    return found


def python_version(text: str) -> str | None:
    """"3.7" for a list with `python=3.7.6=h60c2a47_2`."""
    for line in _lines(text):
        match = _LINE.fullmatch(line)
        if match and canonicalize_name(match.group(1)) == "python":
            minor = re.match(r"3\.\d+", match.group(2))
            return minor.group(0) if minor else None
    return None


def lists_among(project: Project, files: tuple[str, ...]) -> tuple[str, ...]:
    """The dependency files among `files` that are conda package lists (a .txt whose lines are mostly conda's)."""
    return tuple(rel for rel in files if rel.endswith(".txt") and project.is_file(rel)
                 and is_conda_list(project.read_text(rel)))
