"""An Alembic script directory committed with no alembic.ini nor any config naming it (the ini kept out of git):
the release runs its migrations with Alembic's API (script_location given, DATABASE_URL as sqlalchemy.url), where
no release ran before and every page reading a table answered 500. A real install of Alembic, real migrations
into a SQLite file."""

from __future__ import annotations

import os
import sqlite3

import pytest

from conftest import make_tree
from shipyard.planner import make_plan
from shipyard.run.appenv import install_app_env
from shipyard.run.migrate import run_migrations

pytestmark = pytest.mark.slow

APP = "from fastapi import FastAPI\n\napp = FastAPI()\n"
# env.py as apps without an ini write it: the URL from the environment, else the one the config was given
ENV_PY = """import os

from alembic import context
from sqlalchemy import create_engine

url = os.environ.get("NOTES_DB") or context.config.get_main_option("sqlalchemy.url")
with create_engine(url).connect() as connection:
    context.configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()
"""


def table(revision: str, down: str | None, name: str) -> str:
    return (f"import sqlalchemy as sa\nfrom alembic import op\n\nrevision = {revision!r}\ndown_revision = {down!r}\n\n\n"
            f"def upgrade():\n    op.create_table({name!r}, sa.Column('id', sa.Integer, primary_key=True))\n\n\n"
            f"def downgrade():\n    op.drop_table({name!r})\n")


def test_a_script_directory_with_no_alembic_ini_is_migrated_with_alembics_api(tmp_path):
    root = make_tree(tmp_path / "noini", {
        "main.py": APP,
        "requirements.txt": "fastapi\nalembic>=1.7\nSQLAlchemy>=1.4\n",
        # the folder is named alembic/ and is a package: it must not shadow Alembic itself
        "alembic/__init__.py": "",
        "alembic/env.py": ENV_PY,
        "alembic/versions/0001_notes.py": table("0001", None, "notes"),
        "alembic/versions/0002_tags.py": table("0002", "0001", "tags"),
    })
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.release is not None and plan.release.argv[0] == "python" and plan.release.argv[-2:] == (
        "alembic", "head"), plan.release
    assert plan.release.what == "Alembic (alembic/ upgraded to head; no alembic.ini)"
    assert any(n.startswith("alembic/ is an Alembic script directory with no alembic.ini") for n in plan.notes)

    env = install_app_env(root, plan, lambda line: None)
    database = tmp_path / "notes.db"
    environ = {k: v for k, v in os.environ.items() if k != "NOTES_DB"}
    run_migrations(plan, root, env, environ={**environ, "DATABASE_URL": f"sqlite:///{database}"})
    tables = {row[0] for row in sqlite3.connect(database).execute("select name from sqlite_master")}
    assert {"notes", "tags", "alembic_version"} <= tables, tables
    # run again (every deploy): nothing to do, no error
    run_migrations(plan, root, env, environ={**environ, "DATABASE_URL": f"sqlite:///{database}"})
    assert not (root / "alembic.ini").exists()                 # nothing written into the app's folder for it


def test_an_empty_script_directory_with_no_config_runs_no_release(tmp_path):
    root = make_tree(tmp_path / "empty", {"main.py": APP, "requirements.txt": "fastapi\nalembic\n",
                                          "migrations/env.py": ENV_PY, "migrations/versions/.keep": ""})
    assert make_plan(root, confirm=False, installed=False).release is None
