"""A fresh clone of a Django app on SQLite: its database file is created with its migrations before `serve`
starts, found through the app's own settings (a settings package here); an existing file is left alone."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3

from shipyard.environments import own_environment
from shipyard.planner import make_plan
from shipyard.run.host_aliases import sqlite_paths_env
from shipyard.run.sqlite_release import create_missing_sqlite, sqlite_files

from conftest import FIXTURES, make_tree

APP = FIXTURES / "apps" / "django_sqlite_fresh"


def test_missing_sqlite_database_is_created_once_and_an_existing_one_left_alone(tmp_path):
    root = shutil.copytree(APP, tmp_path / "app")
    plan = make_plan(root, confirm=False, installed=False)
    env = own_environment()
    assert sqlite_files(plan, root, env) == [root / "notes.sqlite3"]
    said: list[str] = []
    assert create_missing_sqlite(plan, root, env, said.append)
    assert "notes.sqlite3 does not exist yet" in said[0] and "Django migrate" in said[0]
    tables = {r[0] for r in sqlite3.connect(root / "notes.sqlite3").execute("select name from sqlite_master")}
    assert "notes_note" in tables
    # the user's data from now on: never migrated behind their back
    said.clear()
    assert not create_missing_sqlite(plan, root, env, said.append) and said == []


def test_settings_that_do_not_load_create_nothing(tmp_path):
    root = shutil.copytree(APP, tmp_path / "app")
    (root / "site_config/settings/base.py").write_text("raise RuntimeError('settings need a secret')\n")
    plan = make_plan(root, confirm=False, installed=False)
    assert not create_missing_sqlite(plan, root, own_environment(), print)
    assert not (root / "notes.sqlite3").exists()


def test_flask_sqlalchemy_app_gets_its_tables_in_a_missing_sqlite_file(tmp_path):
    root = shutil.copytree(FIXTURES / "apps" / "flask_sqlalchemy_fresh", tmp_path / "app")
    plan = make_plan(root, confirm=False, installed=False)
    env = own_environment()
    database = root / "instance" / "guestbook.sqlite"      # Flask-SQLAlchemy 3: relative to the instance folder
    said: list[str] = []
    assert create_missing_sqlite(plan, root, env, said.append), said
    assert "instance/guestbook.sqlite does not exist yet" in said[0]
    assert "db.create_all()" in said[-1]
    tables = {r[0] for r in sqlite3.connect(database).execute("select name from sqlite_master")}
    assert "entry" in tables
    said.clear()
    assert not create_missing_sqlite(plan, root, env, said.append) and said == []


def test_settings_that_read_the_command_from_argv_are_read_as_under_manage_py_migrate(tmp_path):
    # `if sys.argv[1] == "test"` in settings: Django's own commands always have argv[1]
    root = shutil.copytree(APP, tmp_path / "app")
    base = root / "site_config/settings/base.py"
    base.write_text("import sys\nTESTING = sys.argv[1] == 'test'\n" + base.read_text())
    plan = make_plan(root, confirm=False, installed=False)
    assert sqlite_files(plan, root, own_environment()) == [root / "notes.sqlite3"]


def test_an_empty_file_the_apps_own_import_made_is_no_database_yet(tmp_path):
    # Flask-AppBuilder reads its tables when the app is made: importing the app opens the SQLite file, and SQLite
    # creates it, empty, before serve asks where the database is; it still gets its tables (here db.create_all())
    root = make_tree(tmp_path / "app", {
        "app.py": "import os\nfrom flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\nfrom sqlalchemy import text\n\n"
                  "app = Flask(__name__)\n"
                  "app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///' + os.path.join(app.root_path, 'app.db')\n"
                  "db = SQLAlchemy(app)\n\n\nclass Form(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n\n\n"
                  "with app.app_context():\n    db.session.execute(text('select 1'))   # connects: makes app.db\n"})
    # as an app migrated by Flask-Migrate (little-form's FAB app) has it: no first-run command of Shipyard's
    plan = dataclasses.replace(make_plan(root, confirm=False, installed=False), first_run=None)
    env = own_environment()
    said: list[str] = []
    assert create_missing_sqlite(plan, root, env, said.append), said
    assert "app.db does not exist yet" in said[0] and "db.create_all()" in said[-1]
    assert "form" in {r[0] for r in sqlite3.connect(root / "app.db").execute("select name from sqlite_master")}
    # once it holds tables it is the user's: left alone
    said.clear()
    assert not create_missing_sqlite(plan, root, env, said.append) and said == []


def test_a_flask_sqlalchemy_app_whose_routes_import_their_siblings_gets_its_tables(tmp_path):
    # app/routes.py registers the routes and imports `from models import User` (run as `python app/routes.py`):
    # the entry has an import folder, which the probe asking the app for its engine must put on sys.path too
    # (else the app does not load there, no database file is known, and every page reading a table answers 500)
    root = make_tree(tmp_path / "app", {
        "requirements.txt": "flask\nflask-sqlalchemy\n",
        "app/__init__.py": "import os\nfrom flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\n"
                           "app = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = "
                           "'sqlite:///' + os.path.join(os.path.dirname(__file__), 'users.db')\ndb = SQLAlchemy(app)\n",
        "app/models.py": "from app import db\n\n\nclass User(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n",
        "app/routes.py": "from app import app, db\nfrom models import User\n\n\n@app.route('/list')\ndef users():\n"
                         "    return {'n': User.query.count()}\n\n\nif __name__ == '__main__':\n    app.run()\n"})
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.entry.import_folder == "app"
    said: list[str] = []
    assert create_missing_sqlite(plan, root, own_environment(), said.append), said
    assert "app/users.db does not exist yet" in said[0] and "db.create_all()" in said[0]
    assert "user" in {r[0] for r in sqlite3.connect(root / "app" / "users.db").execute("select name from sqlite_master")}


def test_a_database_named_by_a_folder_of_its_authors_machine_is_judged_where_serve_opens_it(tmp_path):
    # sqlite:////db/example.db (a docker volume): serve opens a file of its data folder instead; that file is the
    # one created once, with tables, and left alone on the next run (not "created no table", not made again)
    root = make_tree(tmp_path / "app", {
        "requirements.txt": "flask\nflask-sqlalchemy\n",
        "app.py": "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\napp = Flask(__name__)\n"
                  "app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:////no-such-folder-here/example.db'\n"
                  "db = SQLAlchemy(app)\n\n\nclass User(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n"})
    opened = tmp_path / "data" / "example.db"
    opened.parent.mkdir()
    environ = sqlite_paths_env({"/no-such-folder-here/example.db": str(opened)}, tmp_path / "run", {})
    plan = make_plan(root, confirm=False, installed=False)
    said: list[str] = []
    assert create_missing_sqlite(plan, root, own_environment(), said.append, environ=environ), said
    assert str(opened) in said[0] and not any("warning" in line for line in said), said
    assert "user" in {r[0] for r in sqlite3.connect(opened).execute("select name from sqlite_master")}
    said.clear()
    assert not create_missing_sqlite(plan, root, own_environment(), said.append, environ=environ) and said == []
