"""Where a proof environment's search ended, kept in the cache, so that a second run goes straight there.

Old pins rarely install as written: Vataxia's 2017 freeze fails to build on Python 3.12 and 3.11, installs on 3.6
only with psycopg2 moved three releases on, one failed install at a time (environments.on_older_pythons). The
environment that finally installs is cached under its own requirements, but a second run started again from the
app's requirements and met every failure again before reaching it: minutes for an answer already known. The search's
outcome (the Python it ended on, the requirements that installed there, the notes it made on the way) is kept under
the key of what it started from (requirements, index options, resolution date, Python asked for), and used only
while that environment is still complete in the cache.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from . import cachefile

FOLDER = "proof-searches"


@dataclass(frozen=True)
class Outcome:
    python: str                  # the interpreter the pins installed with ("/usr/bin/python3.6")
    version: str                 # its version ("3.6.15")
    spec: dict[str, Any]         # the InstallSpec that installed there, as dataclasses.asdict gives it
    notes: tuple[str, ...]       # what the search said on the way (the Pythons it left, the pins it moved)
    moved_to: tuple[str, str] | None


# Shipyard's own modules that decide where a search goes (which pin to leave out, move or keep, which Python next):
# an outcome one version of them reached is not the one another reaches, so their text is part of the key (a search
# that left peewee-db-evolve out as unused, though the app imports it as peeweedbevolve, was recalled after the fix)
DECIDERS = ("environments.py", "install_retries.py", "install_errors.py", "pin_conflicts.py", "proof_memo.py")


@functools.lru_cache(maxsize=1)
def deciders_fingerprint() -> str:
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in DECIDERS:
        path = here / name
        digest.update(path.read_bytes() if path.exists() else name.encode())
    return digest.hexdigest()[:16]


def key(start: str, unselected: Mapping[str, str] | None) -> str:
    """`start`: the key of the first attempt's InstallSpec on the Python asked for (InstallSpec.key)."""
    data = json.dumps([start, sorted((unselected or {}).items()), deciders_fingerprint()])
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def recall(cache: Path, search: str) -> Outcome | None:
    data = cachefile.read(cache / FOLDER / f"{search}.json")
    try:
        moved = data.get("moved_to")
        return Outcome(str(data["python"]), str(data["version"]), dict(data["spec"]),
                       tuple(str(n) for n in data["notes"]), (str(moved[0]), str(moved[1])) if moved else None)
    except (AttributeError, KeyError, TypeError, IndexError):
        return None


def remember(cache: Path, search: str, outcome: Outcome) -> None:
    cachefile.write(cache / FOLDER / f"{search}.json",
                    {"python": outcome.python, "version": outcome.version, "spec": outcome.spec,
                     "notes": list(outcome.notes), "moved_to": list(outcome.moved_to) if outcome.moved_to else None})


# where the wheels of the pins say an install would have moved, when the build ran out of time before it could
# (environments.wheels_python): the next run starts its build there instead of on the Python it ran out of time on
# (a 2022 freeze of 110 pins spent the 120s building numpy 1.22.3 from source on 3.12 in inspect, then again in
# serve, before moving to 3.10, where it has wheels)
def remember_wheels(cache: Path, search: str, minor: str, why: str) -> None:
    cachefile.write(cache / FOLDER / f"{search}-wheels.json", {"python": minor, "why": why})


def recall_wheels(cache: Path, search: str) -> tuple[str, str] | None:
    data = cachefile.read(cache / FOLDER / f"{search}-wheels.json")
    try:
        return str(data["python"]), str(data["why"])
    except (KeyError, TypeError):
        return None
