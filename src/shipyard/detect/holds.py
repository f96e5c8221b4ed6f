"""Shipyard's holds on packages an app leaves open, in one place.

Each hold module caps one package the app's code needs below a release that breaks it (sqlalchemy_hold: SQLAlchemy
for psycopg2 and old Flask-SQLAlchemy; psycopg2_hold: psycopg2 for Django below 3.1; crispy_hold: crispy-forms
with no template pack; django_hold: Django below what removed what the app's code uses, or below the next major of
the Django its files say made them; channels_hold: Channels below 4 for a router with no "http" route), with a
note, and says why in the dependency's source. The holds are Shipyard's, not the app's: they are applied where the
requirements are read, taken out again where the app's own bounds count (resolution dating), and handed to the
image's installer as constraints.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..plan import Dependency
from ..project import Project
from . import channels_hold, crispy_hold, django_hold, psycopg2_hold, sqlalchemy_hold
from .findings import DeclaredDependencies

# what each hold writes in the dependency's source: "requirements.txt (held below 2.9: the app's Django is ...)"
HELD_BELOW = re.compile(r"\bheld below ([0-9][0-9.]*): ")


def held(declared: DeclaredDependencies, project: Project) -> DeclaredDependencies:
    """`declared` with every hold applied (SQLAlchemy first: psycopg2's and crispy-forms' read the others' names;
    Django before psycopg2, whose hold follows a Django held below 3.1)."""
    declared = sqlalchemy_hold.held(declared, project.root)
    declared = django_hold.held(declared, project)
    declared = psycopg2_hold.held(declared)
    declared = channels_hold.held(declared, project)
    return crispy_hold.held(declared, project)


def app_line(requirement: str) -> str:
    """A requirement line as the app wrote it: without any hold Shipyard added."""
    for hold in (channels_hold, crispy_hold, django_hold, psycopg2_hold, sqlalchemy_hold):
        requirement = hold.app_line(requirement)
    return requirement


def held_inferred(inferred: list[Dependency], declared: DeclaredDependencies,
                  project: Project) -> tuple[list[Dependency], tuple[str, ...]]:
    """`inferred` (what the app's imports and settings add to `declared`) with the holds that apply to packages the
    app does not declare (channels, crispy-forms, Django), and their notes."""
    notes: list[str] = []
    for hold in (channels_hold, crispy_hold, django_hold):
        inferred, note = hold.held_inferred(inferred, declared, project)
        notes += [note] if note else []
    return inferred, tuple(notes)


def constraints(dependencies: Iterable[Dependency]) -> tuple[str, ...]:
    """uv -c lines (`psycopg2<2.9`) of the holds on `dependencies`: an image that installs the app's own requirement
    files, which leave those packages open, takes them as constraints, as serve installs the held requirements."""
    return tuple(dict.fromkeys(f"{d.name}<{m.group(1)}" for d in dependencies
                               for m in HELD_BELOW.finditer(d.source)))
