"""Pins an install here left out because they do not build on the app's Python and the app does not need them.

An old freeze pins wsgiref 0.1.2 (the Python 2 backport of a module every Python 3 has; its setup.py is Python 2)
or distribute 0.6 (the setuptools fork merged back into setuptools 0.7): no Python 3 builds them, and the install
goes on without them (environments.on_older_pythons). That is a fact about the release and the Python: it is kept in
Shipyard's cache, as pin conflicts are, and a plan on that Python pinning the same release leaves it out of the
image too (the image installed the file as written, and failed on it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from . import cachefile

FILE = "dropped-pins.json"


@dataclass(frozen=True)
class Dropped:
    release: str          # "wsgiref==0.1.2", normalized name; a bare name ("python-multicart") stands for any release
    python: str           # "3.11"
    why: str              # "wsgiref is part of Python 3.11's standard library (the package is its backport for Python 2)"
    # what is wrong with the release when it is not its build: "is no longer on the package index, nor any later release"
    fault: str = ""

    @property
    def note(self) -> str:
        return f"the app {'pins' if '==' in self.release else 'requires'} {self.release}, which {self.fault or f'does not build on Python {self.python}'}, " \
               f"and {self.why}: left out"


def known(cache: Path) -> tuple[Dropped, ...]:
    return cachefile.read_records(cache / FILE, "dropped", Dropped)


def remember(cache: Path, dropped: Dropped) -> None:
    merged = [d for d in known(cache) if (d.release, d.python) != (dropped.release, dropped.python)] + [dropped]
    cachefile.write_records(cache / FILE, "dropped", merged)


def release_of(line: str) -> str | None:
    """"name==version" (normalized name) of an exact pin, else None."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([^\s,;#*]+)\s*(?:[;#].*)?$", line)
    return f"{re.sub(r'[-_.]+', '-', match.group(1)).lower()}=={match.group(2)}" if match else None


def for_requirements(requirements: Iterable[str], dropped: Iterable[Dropped], python: str
                     ) -> tuple[tuple[str, Dropped], ...]:
    """(the app's requirement line, what is known) of each exact pin among `requirements` that installs on `python`
    left out, and of each line, pinned or not, naming what was left out by name (no release of it at all)."""
    requirements = tuple(requirements)
    lines = {release_of(line): line for line in requirements}
    named = {_name(line): line for line in requirements}
    return tuple((lines[d.release] if "==" in d.release else named[d.release], d) for d in dropped
                 if d.python == python and (d.release in lines if "==" in d.release else d.release in named))


def _name(line: str) -> str | None:
    """The normalized distribution name a requirement line starts with ("python-multicart>=1.0"), else None."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:[\[<>=!~;#@]|$)", line)
    return re.sub(r"[-_.]+", "-", match.group(1)).lower() if match else None
