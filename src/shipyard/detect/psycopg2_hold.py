"""psycopg2 below 2.9 for an app whose Django is below 3.1.

psycopg2 2.9 (June 2021) hands Django's connection a timezone offset as a timedelta where 2.8 gave an int, and
Django before 3.1 checks that offset with `== 0` on every datetime it reads: "AssertionError: database connection
isn't set to UTC" at the first query (migrate's own, so nothing serves). Django fixed it only from 3.1 on; for 2.2
and 3.0 the answer of both projects was psycopg2<2.9. An app that pins its Django below 3.1 (`Django==3.0.6`, often
by a Pipfile.lock) and leaves psycopg2 open (unpinned, `>=2.7`) gets 2.9 whenever its packages resolve as of a
day after June 2021, or of today: its own install breaks the same way. So its psycopg2 is held below 2.9, with a
note, wherever it is installed (proof, serve, image), as the app ran when that Django was current.

Left alone: a psycopg2 pinned exactly or to 2.9 on (its author chose), a Django that admits 3.1, and an app that
names no psycopg2. The hold is Shipyard's, not the app's: resolution dating does not take it for a bound (app_line).
"""

from __future__ import annotations

from dataclasses import replace

from ..plan import Dependency
from .findings import DeclaredDependencies
from .sqlalchemy_hold import capped, caps_below, hold_key, without_holds

HOLD = "<2.9"
FIXED_IN = "3.1"             # the first Django that reads psycopg2 2.9's offsets
PSYCOPG2 = frozenset({"psycopg2", "psycopg2-binary"})
SOURCE = "held below 2.9: the app's Django is below 3.1, which psycopg2 2.9 breaks (\"isn't set to UTC\")"


def held(declared: DeclaredDependencies) -> DeclaredDependencies:
    """`declared` with each open psycopg2 (or psycopg2-binary) capped below 2.9 when its Django is pinned or
    capped below 3.1."""
    names = {hold_key(d.name): d for d in declared.dependencies}
    django = names.get("django")
    if django is None or not caps_below(django.spec, FIXED_IN):
        return declared
    # each open psycopg2 that admits 2.9 and a 2.8 release (not a URL, markers, an exact pin or a range from 2.9 on)
    holds: dict[Dependency, str] = {}
    for name in sorted(names.keys() & PSYCOPG2):
        spec = capped(names[name].spec, HOLD, ("2.8.6", "2.8.0"))
        if spec is not None:
            holds[names[name]] = spec
    if not holds:
        return declared
    dependencies = tuple(replace(d, spec=holds[d], source=f"{d.source} ({SOURCE})") if d in holds else d
                         for d in declared.dependencies)
    which = " and ".join(d.name for d in holds)
    note = (f"{which} held below 2.9 (psycopg2{HOLD}): the app pins {django.requirement}, and Django before 3.1 "
            f"fails every query on psycopg2 2.9 (\"database connection isn't set to UTC\")")
    return replace(declared, dependencies=dependencies, notes=declared.notes + (note,))


def app_line(requirement: str) -> str:
    """A requirement line as the app wrote it: without the hold this module adds."""
    return without_holds(requirement, PSYCOPG2, (HOLD,))
