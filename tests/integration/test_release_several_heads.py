"""An app whose Alembic migrations have two heads (two branches from one parent, never merged): the release
upgrades them all (`alembic upgrade heads`), where `upgrade head` stops at "Multiple head revisions". A real
install of Alembic, real migrations into a new SQLite file, as `serve` makes it."""

from __future__ import annotations

import dataclasses
import os
import re
import sqlite3

import pytest

from conftest import make_tree
from shipyard.errors import ShipyardError
from shipyard.planner import make_plan
from shipyard.run.appenv import install_app_env
from shipyard.run.migrate import run_migrations
from shipyard.run.sqlite_release import create_missing_sqlite

pytestmark = pytest.mark.slow

APP = """import os

DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///notes.db")


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
"""
ENV_PY = """from alembic import context
from sqlalchemy import create_engine

from wsgi import DATABASE_URL

if context.is_offline_mode():
    context.configure(url=DATABASE_URL, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    with create_engine(DATABASE_URL).connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
"""


def table(revision: str, down: str | None, name: str) -> str:
    return f"""import sqlalchemy as sa
from alembic import op

revision = {revision!r}
down_revision = {down!r}


def upgrade():
    op.create_table({name!r}, sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table({name!r})
"""


def test_two_unmerged_branches_are_both_applied_to_a_new_sqlite_database(tmp_path):
    root = make_tree(tmp_path / "branched", {
        "wsgi.py": APP,
        "requirements.txt": "alembic>=1.7\nSQLAlchemy>=1.4\n",
        "alembic.ini": "[alembic]\nscript_location = migrations\n",
        "migrations/env.py": ENV_PY,
        "migrations/script.py.mako": "",
        "migrations/versions/0001_notes.py": table("0001", None, "notes"),
        # two people each added a migration on top of 0001; git merged both files
        "migrations/versions/0002_tags.py": table("0002", "0001", "tags"),
        "migrations/versions/0003_users.py": table("0003", "0001", "users"),
    })
    plan = make_plan(root, {"entry": "wsgi:app"}, confirm=False, installed=False)
    assert plan.release.argv == ("python", "-m", "alembic", "upgrade", "heads"), plan.release
    env = install_app_env(root, plan, lambda line: None)
    said: list[str] = []
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}

    # what Alembic says to `upgrade head`: the mechanism is needed
    with pytest.raises(ShipyardError, match="failed"):
        run_migrations(dataclasses.replace(plan, release=dataclasses.replace(
            plan.release, argv=plan.release.argv[:-1] + ("head",))), root, env,
            environ={**environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'other.db'}"})

    assert create_missing_sqlite(plan, root, env, said.append, environ=environ), said
    database = root / "notes.db"
    tables = {row[0] for row in sqlite3.connect(database).execute("select name from sqlite_master")}
    assert {"notes", "tags", "users"} <= tables, (tables, said)
    heads = {row[0] for row in sqlite3.connect(database).execute("select version_num from alembic_version")}
    assert heads == {"0002", "0003"}

    # an old history left beside it that creates the same table (a regenerated copy): applying every head
    # fails in the database, and the error says which histories to choose between
    (root / "migrations/versions/0100_old_notes.py").write_text(table("0100", None, "notes"))
    plan = make_plan(root, {"entry": "wsgi:app"}, confirm=False, installed=False)
    with pytest.raises(ShipyardError) as failed:
        run_migrations(plan, root, env, environ={**environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'new.db'}"})
    # the one line names the migration that failed and the database's answer
    assert re.match(r"Alembic \(alembic upgrade heads\) failed \(exit status 1\): migrations/versions/"
                    r"(0001_notes|0100_old_notes)\.py, line \d+: .*table notes already exists", failed.value.message)
    assert "migrations/versions holds 2 separate histories (bases 0001, 0100)" in failed.value.hint


def test_migrations_run_from_the_root_import_the_app_from_its_own_folder(tmp_path):
    # the app runs from src/ (wsgi:app), Alembic from the root where alembic.ini is, and env.py imports the
    # app's module as the app does (`from wsgi import DATABASE_URL`): the release puts src on the path, relative
    # to where it runs, so the same command works in the image
    root = make_tree(tmp_path / "srcapp", {
        "src/wsgi.py": APP,
        "requirements.txt": "alembic>=1.7\nSQLAlchemy>=1.4\n",
        "alembic.ini": "[alembic]\nscript_location = migrations\n",
        "migrations/env.py": ENV_PY,
        "migrations/script.py.mako": "",
        "migrations/versions/0001_notes.py": table("0001", None, "notes"),
    })
    plan = make_plan(root, confirm=False, installed=False)
    assert (plan.workdir, plan.entry.target) == ("src", "wsgi:app"), plan.entry
    assert plan.release.workdir == "." and ("PYTHONPATH", "src") in plan.release.env, plan.release
    env = install_app_env(root, plan, lambda line: None)
    database = tmp_path / "served.db"
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run_migrations(plan, root, env, environ={**environ, "DATABASE_URL": f"sqlite:///{database}"})
    tables = {row[0] for row in sqlite3.connect(database).execute("select name from sqlite_master")}
    assert "notes" in tables, tables


def test_an_ini_url_made_of_options_its_env_py_sets_is_aimed_at_serves_database(tmp_path):
    # alembic.ini writes sqlalchemy.url = sqlite:///%(DB_FILE)s and env.py sets DB_FILE (from its settings)
    # before reading the URL: serve aims Alembic at its own database before env.py runs, so the ini's URL is
    # read as written there, not interpolated (InterpolationMissingOptionError stopped the release)
    env_py = ENV_PY.replace("from wsgi import DATABASE_URL\n", """
config = context.config
config.set_section_option(config.config_ini_section, "DB_FILE", "theirs.db")
DATABASE_URL = config.get_main_option("sqlalchemy.url")
""")
    root = make_tree(tmp_path / "interpolated", {
        "wsgi.py": APP,
        "requirements.txt": "alembic>=1.7\nSQLAlchemy>=1.4\n",
        "alembic.ini": "[alembic]\nscript_location = migrations\nsqlalchemy.url = sqlite:///%(DB_FILE)s\n",
        "migrations/env.py": env_py,
        "migrations/script.py.mako": "",
        "migrations/versions/0001_notes.py": table("0001", None, "notes"),
    })
    plan = make_plan(root, {"entry": "wsgi:app"}, confirm=False, installed=False)
    env = install_app_env(root, plan, lambda line: None)
    ours = tmp_path / "ours.db"
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    run_migrations(plan, root, env, environ=environ, database_url=f"sqlite:///{ours}")
    tables = {row[0] for row in sqlite3.connect(ours).execute("select name from sqlite_master")}
    assert "notes" in tables and not (root / "theirs.db").exists(), tables
