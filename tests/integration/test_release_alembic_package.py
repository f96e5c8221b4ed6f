"""An app whose migrations folder is named alembic/ and holds an __init__.py (a package, so its env.py can be
imported by tests): run from the app's folder, that package would shadow the installed Alembic (`No module
named 'alembic.config'`), where the README's `alembic upgrade head` works. And a Pyramid env.py that reads the
app's own settings (not the [alembic] URL) migrates the database serve gives. A real install of Alembic, real
migrations into a new SQLite file, as `serve` runs them."""

from __future__ import annotations

import os
import sqlite3
import subprocess

import pytest

from conftest import make_tree
from shipyard.planner import make_plan
from shipyard.run.alembic_cli import command_argv
from shipyard.run.appenv import install_app_env
from shipyard.run.migrate import run_migrations
from test_release_several_heads import APP, table

pytestmark = pytest.mark.slow

# the app's own module, imported from the app's folder as the app imports it
ENV_PY = """from alembic import context
from sqlalchemy import create_engine

from wsgi import DATABASE_URL

with create_engine(DATABASE_URL).connect() as connection:
    context.configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()
"""
MIGRATION = table("0001", None, "notes")


def test_a_migrations_package_named_alembic_does_not_shadow_alembic(tmp_path):
    root = make_tree(tmp_path / "app", {
        "wsgi.py": APP,
        "requirements.txt": "alembic>=1.7\nSQLAlchemy>=1.4\n",
        "alembic.ini": "[alembic]\nscript_location = alembic\n",
        "alembic/__init__.py": "",
        "alembic/env.py": ENV_PY,
        "alembic/script.py.mako": "",
        "alembic/versions/__init__.py": "",
        "alembic/versions/0001_notes.py": MIGRATION,
    })
    plan = make_plan(root, {"entry": "wsgi:app"}, confirm=False, installed=False)
    assert plan.release.argv == ("python", "-m", "alembic", "upgrade", "head"), plan.release
    env = install_app_env(root, plan, lambda line: None)
    database = tmp_path / "served.db"
    run_migrations(plan, root, env, environ={**os.environ, "DATABASE_URL": f"sqlite:///{database}"})
    tables = {row[0] for row in sqlite3.connect(database).execute("select name from sqlite_master")}
    assert "notes" in tables, tables


# Pyramid's cookiecutter env.py: the URL comes from the app's own settings ([app:main] of the ini Alembic is given)
PYRAMID_ENV_PY = """from alembic import context
from pyramid.paster import get_appsettings
from sqlalchemy import engine_from_config

settings = get_appsettings(context.config.config_file_name)
with engine_from_config(settings, prefix="sqlalchemy.").connect() as connection:
    context.configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()
"""


def test_a_pyramid_env_py_reading_the_apps_settings_migrates_the_database_serve_gives(tmp_path):
    # development.ini's [app:main] names a PostgreSQL on localhost with the ini's own user (the README's); serve
    # gives its own database, and the migration must go there, where the app will read it
    root = make_tree(tmp_path / "app", {
        "wsgi.py": APP + "\n\ndef main(global_config, **settings):\n    return app\n",
        "requirements.txt": "alembic>=1.7\nSQLAlchemy>=1.4\npyramid>=2\nplaster_pastedeploy\n",
        "development.ini": "[app:main]\nuse = call:wsgi:main\nsqlalchemy.url = sqlite:///%(here)s/written.db\n\n"
                           "[alembic]\nscript_location = migrations\n",
        "migrations/env.py": PYRAMID_ENV_PY,
        "migrations/script.py.mako": "",
        "migrations/versions/0001_notes.py": MIGRATION,
    })
    plan = make_plan(root, {"entry": "wsgi:app"}, confirm=False, installed=False)
    env = install_app_env(root, plan, lambda line: None)
    database = tmp_path / "served.db"
    argv = ("python", "-m", "alembic", "-c", "development.ini", "upgrade", "head")
    done = subprocess.run(command_argv(env.python, argv, f"sqlite:///{database}"), cwd=root, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    tables = {row[0] for row in sqlite3.connect(database).execute("select name from sqlite_master")}
    assert "notes" in tables, tables
    assert not (root / "written.db").exists()
