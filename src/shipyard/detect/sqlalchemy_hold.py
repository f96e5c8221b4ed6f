"""SQLAlchemy below 2.1 for an app whose PostgreSQL driver is psycopg2.

SQLAlchemy 2.1 (September 2026) made psycopg (3) the driver a plain `postgresql://` URL loads; before, it was
psycopg2. An app that declares psycopg2 and no psycopg, and leaves SQLAlchemy open (unpinned, `>=1.4`), was
written for the SQLAlchemy that opened its URLs with psycopg2. Resolved today (a fresh clone: no date to
resolve it as of), it gets 2.1, and every plain URL it writes or builds (create_engine("postgresql://..."),
alembic.ini, "{engine}://...".format(...)) fails: "No module named 'psycopg'". Naming the driver in the URL
serve gives (dburl.py) reaches only the apps that read DATABASE_URL; installing psycopg instead would run the
app on a driver it does not catch the errors of (psycopg2.errors.UniqueViolation). So the app's SQLAlchemy is
held below 2.1, with a note, wherever it is installed (proof, serve, image): as it ran when written.

Left alone: an app that declares psycopg too, a SQLAlchemy pinned exactly or to 2.1 on (its author chose), and
an undeclared SQLAlchemy that a lock file pins. The hold is Shipyard's, not the app's: resolution dating does
not take it for a bound the app sets (`app_line`).
"""

from __future__ import annotations

from dataclasses import replace

from packaging.requirements import InvalidRequirement, Requirement

from ..plan import Dependency
from .findings import DeclaredDependencies

HOLD = "<2.1"
PSYCOPG2 = frozenset({"psycopg2", "psycopg2-binary", "psycopg2cffi"})
PSYCOPG3 = frozenset({"psycopg", "psycopg-binary", "psycopg-c"})
# distributions through which an app uses SQLAlchemy without declaring it (they require it)
SQLALCHEMY_USERS = frozenset({"flask-sqlalchemy", "sqlmodel", "flask-migrate", "alembic"})
_LOCKS = ("uv.lock", "poetry.lock", "pdm.lock", "Pipfile.lock")
SOURCE = "held below 2.1: the app's PostgreSQL driver is psycopg2, which SQLAlchemy 2.1 no longer loads for " \
         "postgresql://"


def _key(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def held(declared: DeclaredDependencies) -> DeclaredDependencies:
    """`declared` with SQLAlchemy held below 2.1 when the app's PostgreSQL driver is psycopg2 alone and its
    SQLAlchemy (declared, or required by a SQLAlchemy extension it declares) would admit 2.1."""
    names = {_key(d.name): d for d in declared.dependencies}
    if not names.keys() & PSYCOPG2 or names.keys() & PSYCOPG3:
        return declared
    current = names.get("sqlalchemy")
    if current is None:
        if not names.keys() & SQLALCHEMY_USERS or any(f.rsplit("/", 1)[-1] in _LOCKS for f in declared.files):
            return declared
        dependencies = declared.dependencies + (Dependency("SQLAlchemy", HOLD, SOURCE, inferred=True),)
    else:
        spec = _held_spec(current.spec)
        if spec is None:
            return declared
        dependencies = tuple(replace(d, spec=spec, source=f"{d.source} ({SOURCE})") if d is current else d
                             for d in declared.dependencies)
    note = (f"SQLAlchemy held below 2.1 (SQLAlchemy{HOLD}): the app's PostgreSQL driver is psycopg2, and from 2.1 "
            f"on SQLAlchemy opens a plain postgresql:// URL with psycopg (3), which the app does not declare")
    return replace(declared, dependencies=dependencies, notes=declared.notes + (note,))


def _held_spec(spec: str) -> str | None:
    """`spec` (without the name) capped below 2.1, when it admits 2.1 and something older; None otherwise (a
    URL, markers, an exact pin, a range from 2.1 on)."""
    try:
        requirement = Requirement("SQLAlchemy" + spec)
    except InvalidRequirement:
        return None
    if requirement.url or requirement.marker or not requirement.specifier.contains("2.1.0", prereleases=True):
        return None
    if not any(requirement.specifier.contains(v) for v in ("2.0.0", "1.4.0", "1.3.0")):
        return None
    extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
    return f"{extras}{','.join(sorted(str(s) for s in requirement.specifier) + [HOLD])}"


def app_line(requirement: str) -> str:
    """A requirement line as the app wrote it: without the hold this module adds."""
    name = requirement.split("[")[0].split("<")[0].split(">")[0].split("=")[0].split("!")[0].split("~")[0].strip()
    if _key(name) != "sqlalchemy" or not requirement.rstrip().endswith(HOLD):
        return requirement
    return requirement.rstrip()[:-len(HOLD)].rstrip(",")
