"""Flask-Migrate's release on an app that pins a Flask older than 2.2 (no `--app` option): `serve` runs
`flask db upgrade` with FLASK_APP, which every Flask CLI reads. A real install of the old releases, a real
migration into SQLite."""

from __future__ import annotations

import os
import sqlite3

import pytest

from conftest import make_tree, require_python
from shipyard.planner import make_plan
from shipyard.run.appenv import install_app_env
from shipyard.run.migrate import run_migrations

pytestmark = pytest.mark.slow

# the factory lives in service.py, a name the flask CLI does not look for by itself: only FLASK_APP finds it
SERVICE = """import os
from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    app.config["SQLALCHEMY_TRACK_MODIFICATIONS"] = False
    db.init_app(app)
    Migrate(app, db)
    return app
"""
ENV_PY = """from alembic import context
from flask import current_app

db = current_app.extensions["migrate"].db
with db.engine.connect() as connection:
    context.configure(connection=connection, target_metadata=db.metadata)
    with context.begin_transaction():
        context.run_migrations()
"""
FIRST = """import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade():
    op.create_table("notes", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table("notes")
"""


def test_flask_migrate_upgrades_an_app_pinned_to_a_flask_without_the_app_option(tmp_path):
    require_python("3.11")
    root = make_tree(tmp_path / "oldflask", {
        "service.py": SERVICE,
        "requirements.txt": "Flask==2.1.3\nWerkzeug==2.1.2\nFlask-SQLAlchemy==2.5.1\nSQLAlchemy==1.4.52\n"
                            "Flask-Migrate==3.1.0\n",
        ".python-version": "3.11\n",
        "migrations/alembic.ini": "[alembic]\n",
        "migrations/env.py": ENV_PY,
        "migrations/versions/0001_notes.py": FIRST,
    })
    plan = make_plan(root, {"entry": "service:create_app()"}, confirm=False, installed=False)
    assert plan.release is not None and plan.release.what.startswith("Flask-Migrate"), plan.release
    assert "--app" in plan.release.argv      # what the generated files run (Flask 2.2+)
    env = install_app_env(root, plan, lambda line: None)
    database = tmp_path / "app.db"
    done = run_migrations(plan, root, env, environ={**os.environ, "DATABASE_URL": f"sqlite:///{database}"})
    assert done == ["migrations applied with Flask-Migrate (flask db upgrade)"]
    tables = {row[0] for row in sqlite3.connect(database).execute("select name from sqlite_master")}
    assert "notes" in tables, tables
