"""Packages an old app leaves open whose release of its day does not install on its Python, as installs here met them.

An app of 2020 naming `greenlet` unpinned gets greenlet 0.4.15, the release of its day (uv --exclude-newer): no
wheel for Python 3.11, and its C source no longer builds there. An install meeting it takes the first later release
with a wheel for that Python instead (install_retries.DatedReleaseUnbuilt). That is a fact about that Python, that
day and that package, not about one environment: it is kept in Shipyard's cache, as pin conflicts and build holds
are, and a plan on the same Python whose open packages resolve as of the same day installs the same later release
(the image's uv -c constraint, exempt from the date), whichever environment proved the app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name as normalize  # PEP 503, as detect.deps.normalize
from packaging.version import InvalidVersion

from . import cachefile
from .plan import LaterRelease

FILE = "later-releases.json"


def known(cache: Path) -> tuple[LaterRelease, ...]:
    """The moves any install here has made (cache/later-releases.json)."""
    return cachefile.read_records(cache / FILE, "moves", LaterRelease)


def _write(cache: Path, moves: Iterable[LaterRelease]) -> None:
    cachefile.write_records(cache / FILE, "moves", moves)


def remember(cache: Path, move: LaterRelease) -> None:
    _write(cache, dict.fromkeys((*known(cache), move)))


def forget(cache: Path, move: LaterRelease) -> None:
    """`move` taken back (the later release contradicts another of the app's pins): no plan makes it."""
    _write(cache, (m for m in known(cache) if m != move))


def for_requirements(requirements: Iterable[str], moves: Iterable[LaterRelease], python: str, date: str
                     ) -> tuple[LaterRelease, ...]:
    """The moves made on `python` ("3.11") for packages resolved as of `date` (uv's --exclude-newer value) that
    `requirements` leave open (named, not pinned exactly) within a range admitting the later release."""
    if not date:
        return ()
    lines = {}
    for line in requirements:
        try:
            requirement = Requirement(line.split("#", 1)[0].strip())
        except InvalidRequirement:
            continue
        lines[normalize(requirement.name)] = requirement
    out = []
    for move in moves:
        requirement = lines.get(move.name)
        if move.python != python or move.date[:10] != date[:10] or requirement is None:
            continue
        if any(s.operator in ("==", "===") for s in requirement.specifier):
            continue                  # an exact pin: the app's own word, never moved by a date
        try:
            if requirement.specifier.contains(move.instead.partition("==")[2], prereleases=True):
                out.append(move)
        except InvalidVersion:
            continue
    return tuple(dict.fromkeys(out))
