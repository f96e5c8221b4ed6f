"""Exact pins installs here moved to another release, and why: a fact about the release, kept for plans and images.

A 2017 freeze pins mysql-connector 2.1.4, which its authors removed from PyPI (2.1.7 remains), or sanic 19.6.2,
which requires requests-async 0.5.0, removed too: an install moves the pin to the nearest later release that
installs (install_retries.RemovedRelease). A 2014 one pins psycopg2 2.5.3, which has no wheel for the Python it
runs on and does not build there, where no other Python helps: the install takes its nearest later release with a
wheel (environments.on_older_pythons). Those are facts about the index and the release on that Python, not about
the app: they are kept in Shipyard's cache, as pin conflicts are, and a plan pinning the same release on the same
Python carries the move, which the image applies (uv --override of the app's line), whichever environment proved
the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from . import cachefile
from .dropped_pins import release_of

FILE = "moved-pins.json"


@dataclass(frozen=True)
class Replaced:
    release: str          # "mysql-connector==2.1.4", normalized name
    instead: str          # "mysql-connector==2.1.7"
    python: str           # "3.11"
    why: str              # "it is no longer on the package index" (no parentheses: it goes into a source's)


def known(cache: Path) -> tuple[Replaced, ...]:
    return cachefile.read_records(cache / FILE, "replaced", Replaced)


def remember(cache: Path, replaced: Replaced) -> None:
    merged = [r for r in known(cache) if (r.release, r.python) != (replaced.release, replaced.python)] + [replaced]
    cachefile.write_records(cache / FILE, "replaced", merged)


def for_requirements(requirements: Iterable[str], replaced: Iterable[Replaced], python: str
                     ) -> dict[str, Replaced]:
    """The app's requirement line -> the move known for it on `python`, for each of its exact pins installs here
    moved."""
    lines = {release_of(line): line for line in requirements}
    moves = {r.release: r for r in replaced if r.python == python}
    out = {}
    for release, line in lines.items():
        move = moves.get(release)
        if move is None:
            continue
        # a release installs moved to may itself have been moved on (psycopg2 2.7.1 -> 2.7.2 -> 2.7.3 -> 2.7.3.1, each
        # wheel bundling a library that does not load here): the last one is what installed
        seen = {release}
        while move.instead in moves and move.instead not in seen:
            seen.add(move.instead)
            move = Replaced(move.release, moves[move.instead].instead, move.python, move.why)
        out[line] = move
    return out
