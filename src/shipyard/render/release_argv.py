"""The release's command line in an image (the compose and Kubernetes release jobs, and the runtime's steps before
the server of an app on SQLite): the app's interpreter for a leading `python`; and for Django's migrate of a
project whose models have no migrations in the repository (plan.unmigrated_models), the runtime's
make-and-migrate, which runs the script `shipyard serve` runs for it (run/migrate.py MAKE_AND_MIGRATE).

The migrations are made when the release runs, not at build time, into a folder of the container outside the
app's code (MADE_MIGRATIONS, /tmp: writable by the app's user, an emptyDir under Kubernetes' read-only root):
that is what serve does (its own folder, never the app's), with the settings, variables and database the app
runs with, which a build does not have; and the image's code stays the repository's. makemigrations makes the
same 0001_initial from the same models each time, and migrate skips what the database has applied.

An Alembic history that may give way to the models' tables (plan.models_fallback) runs through the runtime's
`alembic-upgrade`: the upgrade as written, and on a database that held nothing before it, the fallback serve
takes (run/alembic_cli.py UPGRADE_ELSE_MODELS, the same models-first code serve's fallback runs)."""

from __future__ import annotations

from ..detect.django_unmigrated import MIGRATE
from ..detect.models_fallback import is_alembic_upgrade
from ..plan import Plan, Release
from ..run.migrate import MAKE_AND_MIGRATE
from .target import Target

MADE_MIGRATIONS = "/tmp/shipyard-made-migrations"
assert "'''" not in MAKE_AND_MIGRATE and "\\" not in MAKE_AND_MIGRATE, "the runtime holds it in r'''...'''"


def makes_migrations(plan: Plan) -> bool:
    """The plan's release is Django's migrate, and models lack migrations: it makes them first."""
    return bool(plan.unmigrated_models) and plan.release is not None and plan.release.argv == MIGRATE


def falls_back_to_models(plan: Plan) -> bool:
    """The plan's release is an Alembic upgrade whose history may give way to the models' tables on a new database
    (plan.models_fallback): the runtime's `alembic-upgrade` runs it (run/alembic_cli.py UPGRADE_ELSE_MODELS)."""
    return bool(plan.models_fallback) and is_alembic_upgrade(plan.release)


def release_argv(plan: Plan, release: Release, target: Target) -> list[str]:
    if release == plan.release and makes_migrations(plan):
        return [target.python, f"{target.config_dir}/shipyard_runtime.py", "make-and-migrate"]
    if release == plan.release and falls_back_to_models(plan):
        # Alembic's arguments as the release writes them, after `python -m alembic`
        return [target.python, f"{target.config_dir}/shipyard_runtime.py", "alembic-upgrade", *release.argv[3:]]
    return [target.python if i == 0 and arg == "python" else arg for i, arg in enumerate(release.argv)]
