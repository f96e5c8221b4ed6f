"""What detectors hand to the planner."""

from __future__ import annotations

from dataclasses import dataclass

from ..plan import Dependency, Entry


@dataclass(frozen=True)
class EntryFinding:
    framework: str                 # see Plan.framework
    entry: Entry
    workdir: str                   # folder to run from, relative to the project root ("." if the root)
    notes: tuple[str, ...] = ()    # e.g. "app.py calls app.run() at import; gunicorn serves `app` anyway"


@dataclass(frozen=True)
class DeclaredDependencies:
    dependencies: tuple[Dependency, ...]
    files: tuple[str, ...]         # the files they were read from, relative to the project root
    complete: bool                 # False when nothing is declared (inferred deps must be written out)
    notes: tuple[str, ...] = ()
