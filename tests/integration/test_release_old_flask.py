"""Flask-Migrate's release on an app that pins a Flask older than 2.2 (no `--app` option): `serve` and the
generated files run `flask db upgrade` with FLASK_APP, which every Flask CLI reads. A real install of the old
releases, real migrations into SQLite: once as `serve` runs it, once as compose.yaml's release service writes it."""

from __future__ import annotations

import os
import sqlite3
import subprocess

import pytest
import yaml

from conftest import make_tree, require_python
from shipyard.planner import make_plan
from shipyard.render import render
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


# the pins (Flask 2.1: no --app option) and the one migration both apps below run
MIGRATED_OLD_FLASK = {
    "requirements.txt": "Flask==2.1.3\nWerkzeug==2.1.2\nFlask-SQLAlchemy==2.5.1\nSQLAlchemy==1.4.52\n"
                        "Flask-Migrate==3.1.0\n",
    ".python-version": "3.11\n",
    "migrations/alembic.ini": "[alembic]\n",
    "migrations/env.py": ENV_PY,
    "migrations/versions/0001_notes.py": FIRST,
}


def test_flask_migrate_upgrades_an_app_pinned_to_a_flask_without_the_app_option(tmp_path):
    require_python("3.11")
    root = make_tree(tmp_path / "oldflask", {
        "service.py": SERVICE,
        **MIGRATED_OLD_FLASK,
    })
    plan = make_plan(root, {"entry": "service:create_app()"}, confirm=False, installed=False)
    assert plan.release is not None and plan.release.what.startswith("Flask-Migrate"), plan.release
    assert "--app" not in plan.release.argv and plan.release.env == (("FLASK_APP", "service:create_app()"),)
    env = install_app_env(root, plan, lambda line: None)
    database = tmp_path / "app.db"
    done = run_migrations(plan, root, env, environ={**os.environ, "DATABASE_URL": f"sqlite:///{database}"})
    assert done == ["migrations applied with Flask-Migrate (flask db upgrade)"]
    assert "notes" in _tables(database)

    # the release service of the generated compose.yaml: its command and environment, with the image's
    # interpreter swapped for the app's virtualenv and its /app for the app's folder
    compose = yaml.safe_load(render(plan.with_settings(topology="compose", db="postgres"))["compose.yaml"])
    service = compose["services"]["release"]
    argv = [env.python if arg.endswith("/bin/python") else arg for arg in service["command"]]
    database = tmp_path / "image.db"
    done = subprocess.run(argv, cwd=root, env={**os.environ, **service["environment"],
                                               "DATABASE_URL": f"sqlite:///{database}"},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "notes" in _tables(database)


def _tables(database) -> set[str]:
    return {row[0] for row in sqlite3.connect(database).execute("select name from sqlite_master")}


def test_flask_migrate_loads_the_app_from_manage_py_when_the_served_module_never_wires_it(tmp_path):
    """A Flask-Script era layout: the Procfile serves main:app, and only manage.py gives the app to Migrate
    (`python manage.py db upgrade`). `flask db upgrade` with FLASK_APP=main:app stops at KeyError: 'migrate'; the
    release loads manage:app instead, and the migrations run."""
    require_python("3.11")
    index = ("import os\nfrom flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\napp = Flask(__name__)\n"
             "app.config['SQLALCHEMY_DATABASE_URI'] = os.environ['DATABASE_URL']\n"
             "app.config['SQLALCHEMY_TRACK_MODIFICATIONS'] = False\ndb = SQLAlchemy(app)\n\n"
             "@app.route('/')\ndef home():\n    return 'ok'\n")
    root = make_tree(tmp_path / "scriptera", {
        "index.py": index,
        "main.py": "from index import app\n\napp = app\n",
        "manage.py": "from flask_migrate import Migrate\nfrom index import app, db\n\nmigrate = Migrate(app, db)\n",
        "Procfile": "web: gunicorn main:app\n",
        **MIGRATED_OLD_FLASK,
    })
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.entry.target == "main:app" and plan.release.env == (("FLASK_APP", "manage:app"),)
    env = install_app_env(root, plan, lambda line: None)
    database = tmp_path / "app.db"
    done = run_migrations(plan, root, env, environ={**os.environ, "DATABASE_URL": f"sqlite:///{database}"})
    assert done == ["migrations applied with Flask-Migrate (flask db upgrade)"]
    assert "notes" in _tables(database)
