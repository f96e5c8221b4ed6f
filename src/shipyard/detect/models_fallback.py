"""Whether an Alembic history that stops on a new database may give way to the app's models' tables.

Two shapes, read from the code without running it: the history alters tables no revision creates (recreated_tables
.assumed_tables: the app's create_all made them, Alembic came later), or the app makes its tables itself with
create_all (own_create_all: at import, in its start-up, in a script), so its author's tables never came from the
history. On a new database (serve's, dev's, a stack's first release) the models' tables are then made with
create_all and the history stamped as applied, so the next upgrade starts from its head.

One decision for every place the release runs: serve and dev (run/migrate.py, on the database they made in this
run) and the image's release (the runtime's `alembic-upgrade`, on a database that holds no row and no applied
history yet; the plan carries `models_fallback` for it).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from ..plan import Release
from ..project import Project
from . import migration_heads
from .own_create_all import own_create_all
from .recreated_tables import Assumed, assumed_tables


@dataclass(frozen=True)
class ModelsFallback:
    options: tuple[str, ...]        # alembic's options before `upgrade` (`-c production.ini`)
    target: tuple[str, ...]         # the upgrade's target (`head`)
    assumed: tuple[Assumed, ...]    # the tables the history alters that no revision creates
    own: str | None                 # where the app calls create_all itself ("database.py, line 17")

    @property
    def stamp(self) -> list[str]:
        """Alembic's arguments stamping the history at the upgrade's target."""
        return [*self.options, "stamp", *(self.target or ("head",))]


def is_alembic_upgrade(release: Release | None) -> bool:
    """A release run as `python -m alembic ... upgrade ...`."""
    return release is not None and len(release.argv) > 3 and tuple(release.argv[:3]) == ("python", "-m", "alembic") \
        and "upgrade" in release.argv[3:]


def models_fallback(project: Project, release: Release | None) -> ModelsFallback | None:
    """The fallback the release's Alembic history has, or None: not an Alembic upgrade, or neither shape."""
    if not is_alembic_upgrade(release):
        return None
    args = tuple(release.argv[3:])
    at = args.index("upgrade")
    options, target = args[:at], args[at + 1:]
    ini = options[options.index("-c") + 1] if "-c" in options[:-1] else "alembic.ini"
    heads = migration_heads.for_alembic(project, posixpath.normpath(posixpath.join(release.workdir, ini)),
                                        release.workdir)
    assumed = tuple(assumed_tables(project, heads.folder)) if heads else ()
    own = own_create_all(project, heads.folder if heads else "")
    if not assumed and own is None:
        return None
    return ModelsFallback(options, target, assumed, own)


def for_image(fallback: ModelsFallback | None) -> tuple[str, ...]:
    """What the plan carries for the image's release: why the history may give way (for its warning), then the
    tables one of which its error must name (none: any error, when the app makes its tables itself)."""
    if fallback is None:
        return ()
    if fallback.own is not None:
        return (f"the app makes its tables itself (create_all, {fallback.own})",)
    return (f"{fallback.assumed[0]}: the history starts from tables the app made otherwise (create_all)",
            *dict.fromkeys(a.table for a in fallback.assumed))
