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

Below 1.4 likewise, for an app whose Flask-SQLAlchemy is pinned below 2.5 (`Flask-SQLAlchemy==2.3.1`) while its
SQLAlchemy is left open: Flask-SQLAlchemy 2.5 (March 2021) was the first release made for SQLAlchemy 1.4, and the
releases before declare no upper bound. Such a requirements file, touched after March 2021 (a bot's bump of
another pin), resolves SQLAlchemy 1.4 as of its new date: the 2.4 releases then fail on SQLite and MySQL URLs
("can't set attribute": 1.4's URL is immutable), and the app's code of its day (`session.query('alive')`, a
string entity 1.4 refuses) fails where it ran on 1.3.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import InvalidVersion, Version

from ..plan import Dependency
from .findings import DeclaredDependencies

HOLD = "<2.1"
OLD_EXTENSION_HOLD = "<1.4"
# the first Flask-SQLAlchemy made for SQLAlchemy 1.4, and the last day a resolution as of it does not see it
# (2.5.0 came out on 2021-03-18, three days after SQLAlchemy 1.4.0; --exclude-newer 2021-03-18T00:00:00Z)
FLASK_SQLALCHEMY_FOR_14 = "2.5.0"
FLASK_SQLALCHEMY_14_DAY = "2021-03-18"
SQLALCHEMY_14_DAY = "2021-03-15"          # SQLAlchemy 1.4.0's day: a resolution as of a later one takes it
PSYCOPG2 = frozenset({"psycopg2", "psycopg2-binary", "psycopg2cffi"})
PSYCOPG3 = frozenset({"psycopg", "psycopg-binary", "psycopg-c"})
# distributions through which an app uses SQLAlchemy without declaring it (they require it)
SQLALCHEMY_USERS = frozenset({"flask-sqlalchemy", "sqlmodel", "flask-migrate", "alembic"})
_LOCKS = ("uv.lock", "poetry.lock", "pdm.lock", "Pipfile.lock")
SOURCE = "held below 2.1: the app's PostgreSQL driver is psycopg2, which SQLAlchemy 2.1 no longer loads for " \
         "postgresql://"
OLD_EXTENSION_SOURCE = "held below 1.4: the app's Flask-SQLAlchemy is one made before SQLAlchemy 1.4"


def hold_key(name: str) -> str:
    """The name the hold modules compare (psycopg2_hold and crispy_hold use it too)."""
    return name.lower().replace("_", "-").replace(".", "-")


def line_name(requirement: str) -> str:
    """The package a requirement line names (`SQLAlchemy[asyncio]>=1.3,<2.1` -> SQLAlchemy), for each app_line."""
    return requirement.split("[")[0].split("<")[0].split(">")[0].split("=")[0].split("!")[0].split("~")[0].strip()


def held(declared: DeclaredDependencies, root: Path | None = None) -> DeclaredDependencies:
    """`declared` with SQLAlchemy held below 1.4 for a Flask-SQLAlchemy before 2.5 (_for_old_extension; `root`,
    the project's folder, dates an open one), and below 2.1 for psycopg2 (_for_psycopg2)."""
    return _for_psycopg2(_for_old_extension(declared, root))


def _for_old_extension(declared: DeclaredDependencies, root: Path | None = None) -> DeclaredDependencies:
    """`declared` with SQLAlchemy held below 1.4 when its Flask-SQLAlchemy admits no release from 2.5 on (a pin
    of 2.4.4 or older), or resolves as of a day before 2.5 came out (environments.resolution_date: open, in a
    file last changed in the days SQLAlchemy 1.4 was out and Flask-SQLAlchemy 2.5 was not), and its SQLAlchemy
    (declared, or required by that Flask-SQLAlchemy) would admit 1.4."""
    names = {hold_key(d.name): d for d in declared.dependencies}
    extension = names.get("flask-sqlalchemy")
    if extension is None:
        return declared
    why = f"the app pins {extension.requirement}"
    if not caps_below(extension.spec, FLASK_SQLALCHEMY_FOR_14):
        from ..environments import resolution_date         # the day an open package resolves as of
        date = resolution_date(root, declared.files, [d.requirement for d in declared.dependencies])[0] \
            if root is not None else None
        if not date or not SQLALCHEMY_14_DAY < date[:10] <= FLASK_SQLALCHEMY_14_DAY:
            return declared         # before 1.4 came out its resolution holds itself; from 2.5 on, nothing to hold
        why = f"the app's {extension.requirement} resolves as of {date[:10]}, before Flask-SQLAlchemy 2.5"
    current = names.get("sqlalchemy")
    if current is None:
        if any(f.rsplit("/", 1)[-1] in _LOCKS for f in declared.files):
            return declared
        dependencies = declared.dependencies + (Dependency("SQLAlchemy", OLD_EXTENSION_HOLD, OLD_EXTENSION_SOURCE,
                                                           inferred=True),)
    else:
        spec = capped(current.spec, OLD_EXTENSION_HOLD, ("1.3.0", "1.2.0", "1.1.0", "1.0.0"))
        if spec is None:
            return declared
        dependencies = tuple(replace(d, spec=spec, source=f"{d.source} ({OLD_EXTENSION_SOURCE})") if d is current
                             else d for d in declared.dependencies)
    note = (f"SQLAlchemy held below 1.4 (SQLAlchemy{OLD_EXTENSION_HOLD}): {why}, made before SQLAlchemy 1.4 "
            f"(Flask-SQLAlchemy {FLASK_SQLALCHEMY_FOR_14[:3]} was the first for it), and leaves SQLAlchemy open")
    return replace(declared, dependencies=dependencies, notes=declared.notes + (note,))


def caps_below(spec: str, version: str) -> bool:
    """Whether `spec` (without the name) caps its package below `version`: `==2.3.1`, `<2.5`, `<=2.4.4`, `~=2.4.1`."""
    try:
        requirement = Requirement("x" + spec)
        limit = Version(version)
        for clause in requirement.specifier:
            bound = Version(clause.version.rstrip(".*"))
            if clause.operator in ("==", "===", "<=") and bound < limit or clause.operator == "<" and bound <= limit:
                return not requirement.url
            if clause.operator == "~=" and Version(".".join(clause.version.split(".")[:-1]) + ".99") < limit:
                return not requirement.url
    except (InvalidRequirement, InvalidVersion):
        return False
    return False


def _for_psycopg2(declared: DeclaredDependencies) -> DeclaredDependencies:
    """`declared` with SQLAlchemy held below 2.1 when the app's PostgreSQL driver is psycopg2 alone and its
    SQLAlchemy (declared, or required by a SQLAlchemy extension it declares) would admit 2.1."""
    names = {hold_key(d.name): d for d in declared.dependencies}
    if not names.keys() & PSYCOPG2 or names.keys() & PSYCOPG3:
        return declared
    current = names.get("sqlalchemy")
    if current is None:
        if not names.keys() & SQLALCHEMY_USERS or any(f.rsplit("/", 1)[-1] in _LOCKS for f in declared.files):
            return declared
        dependencies = declared.dependencies + (Dependency("SQLAlchemy", HOLD, SOURCE, inferred=True),)
    else:
        spec = capped(current.spec, HOLD, ("2.0.0", "1.4.0", "1.3.0"))
        if spec is None:
            return declared
        dependencies = tuple(replace(d, spec=spec, source=f"{d.source} ({SOURCE})") if d is current else d
                             for d in declared.dependencies)
    note = (f"SQLAlchemy held below 2.1 (SQLAlchemy{HOLD}): the app's PostgreSQL driver is psycopg2, and from 2.1 "
            f"on SQLAlchemy opens a plain postgresql:// URL with psycopg (3), which the app does not declare")
    return replace(declared, dependencies=dependencies, notes=declared.notes + (note,))


def capped(spec: str, hold: str, older: tuple[str, ...]) -> str | None:
    """`spec` (without the name) capped by `hold` ("<2.1", "<2.9"), when it admits the held-out release and one of
    `older`; None otherwise (a URL, markers, an exact pin, a range from the hold on)."""
    try:
        requirement = Requirement("SQLAlchemy" + spec)
    except InvalidRequirement:
        return None
    if requirement.url or requirement.marker or not requirement.specifier.contains(hold[1:] + ".0", prereleases=True):
        return None
    if not any(requirement.specifier.contains(v) for v in older):
        return None
    extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
    return f"{extras}{','.join(sorted(str(s) for s in requirement.specifier) + [hold])}"


def open_to(dependencies: tuple[Dependency, ...], name: str, hold: str,
            older: tuple[str, ...]) -> tuple[Dependency, str] | None:
    """(the dependency on `name`, its spec capped by `hold`) when the app leaves it open to the held-out release and
    one of `older` (capped); None otherwise, or when it names no such dependency."""
    current = next((d for d in dependencies if hold_key(d.name) == name), None)
    spec = capped(current.spec, hold, older) if current is not None else None
    return (current, spec) if spec is not None else None


def declared_with(declared: DeclaredDependencies,
                  held: tuple[tuple[Dependency, ...], str | None]) -> DeclaredDependencies:
    """`declared` with the (dependencies, note) a hold gave, or as it was when the note is None (nothing held)."""
    dependencies, note = held
    return declared if note is None else replace(declared, dependencies=dependencies, notes=declared.notes + (note,))


def with_hold(dependencies: tuple[Dependency, ...], current: Dependency, spec: str,
              source: str) -> tuple[Dependency, ...]:
    """`dependencies` with `current` given the held `spec` and a source that says why ("requirements.txt (held below
    2: ...)"): what each hold module writes (holds.constraints reads it back)."""
    return tuple(replace(d, spec=spec, source=f"{d.source} ({source})") if d is current else d for d in dependencies)


def held_inferred_by(name: str, hold, inferred: list[Dependency],
                     declared: DeclaredDependencies) -> tuple[list[Dependency], str | None]:
    """`inferred` (from imports and settings) with an undeclared, unpinned `name` held by `hold` (dependencies ->
    (dependencies, note or None)), the declared ones beside them; a version the dev requirements pin is the author's.
    Each hold module's held_inferred."""
    if name in {hold_key(n) for n, _ in declared.dev_pins} or not any(hold_key(d.name) == name for d in inferred):
        return inferred, None
    dependencies, note = hold((*inferred, *declared.dependencies))
    return list(dependencies[:len(inferred)]), note


def without_holds(requirement: str, names: frozenset[str], holds: tuple[str, ...]) -> str:
    """`requirement` without the `holds` ("<2.9") a hold module wrote at its end (capped puts them last), taken off
    in that order, when the line names one of `names` (hold_key); the line as it is otherwise. Each app_line."""
    if hold_key(line_name(requirement)) not in names:
        return requirement
    line = requirement.rstrip()
    for hold in holds:
        if line.endswith(hold):
            line = line[:-len(hold)].rstrip(",")
    return line


def app_line(requirement: str) -> str:
    """A requirement line as the app wrote it: without the hold this module adds."""
    # either order: "<1.4,<2.1" as "<2.1,<1.4"
    return without_holds(requirement, frozenset({"sqlalchemy"}), (HOLD, OLD_EXTENSION_HOLD, HOLD))
