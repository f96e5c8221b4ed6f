"""Shipyard's holds on packages an app leaves open, in one place.

Each hold module caps one package the app's code needs below a release that breaks it (sqlalchemy_hold: SQLAlchemy
for psycopg2 and old Flask-SQLAlchemy; psycopg2_hold: psycopg2 for Django below 3.1; crispy_hold: crispy-forms
with no template pack), with a note, and says why in the dependency's source. The holds are Shipyard's, not the
app's: they are applied where the requirements are read, taken out again where the app's own bounds count
(resolution dating), and handed to the image's installer as constraints.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..plan import Dependency
from ..project import Project
from . import crispy_hold, psycopg2_hold, sqlalchemy_hold
from .findings import DeclaredDependencies

# what each hold writes in the dependency's source: "requirements.txt (held below 2.9: the app's Django is ...)"
HELD_BELOW = re.compile(r"\bheld below ([0-9][0-9.]*): ")


def held(declared: DeclaredDependencies, project: Project) -> DeclaredDependencies:
    """`declared` with every hold applied (SQLAlchemy first: psycopg2's and crispy-forms' read the others' names)."""
    declared = sqlalchemy_hold.held(declared, project.root)
    declared = psycopg2_hold.held(declared)
    return crispy_hold.held(declared, project)


def app_line(requirement: str) -> str:
    """A requirement line as the app wrote it: without any hold Shipyard added."""
    for hold in (crispy_hold, psycopg2_hold, sqlalchemy_hold):
        requirement = hold.app_line(requirement)
    return requirement


def constraints(dependencies: Iterable[Dependency]) -> tuple[str, ...]:
    """uv -c lines (`psycopg2<2.9`) of the holds on `dependencies`: an image that installs the app's own requirement
    files, which leave those packages open, takes them as constraints, as serve installs the held requirements."""
    return tuple(dict.fromkeys(f"{d.name}<{m.group(1)}" for d in dependencies
                               for m in HELD_BELOW.finditer(d.source)))
