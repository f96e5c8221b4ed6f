"""A SQLite file the code names by a relative path in a folder the checkout lacks (`sqlite:///data/database.db`, with
`*.db` in .gitignore and no data/ committed): SQLite creates the file, not its folder, so the import stopped at
"unable to open database file" (and an app that exits on it, at exit(1)). serve and dev make the folder, empty, and
say so; the image makes it too, owned by the app's user (made_folders); the proof names it as a setup step."""

from __future__ import annotations

from shipyard.detect.sqlite_folders import absent_sqlite_folders
from shipyard.project import Project
from shipyard.run.static_folders import make_absent_sqlite_folders

from conftest import make_tree
from test_absent_log_folders import found_and_made_once

MODULES = ("from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\napp = Flask(__name__)\n"
           "app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///data/database.db'\ndb = SQLAlchemy(app)\n")
APP = ("import sys\nfrom modules import app, db\n\ntry:\n    db.create_all()\nexcept Exception:\n    sys.exit(1)\n\n\n"
       "@app.route('/')\ndef home():\n    return 'jobs'\n")


def test_the_missing_folder_of_a_sqlite_file_is_found_made_once_and_in_the_images_folders(tmp_path):
    root = make_tree(tmp_path / "board", {"app.py": APP, "modules.py": MODULES, "Procfile": "web: gunicorn app:app\n",
                                          "requirements.txt": "Flask\nFlask-SQLAlchemy\n"})
    found_and_made_once(root, "data", absent_sqlite_folders, "absent_sqlite_folders", make_absent_sqlite_folders,
                        "# The code keeps its SQLite database in data, which the project lacks",
                        "keeps its SQLite database there")


def test_a_plain_file_an_absolute_path_a_folder_above_and_memory_are_not_made(tmp_path):
    root = make_tree(tmp_path / "p", {"app.py": (
        "import sqlite3\nA = 'sqlite:///app.db'\nB = 'sqlite:////var/lib/app/app.db'\nC = 'sqlite:///../db/app.db'\n"
        "D = 'sqlite:///:memory:'\nsqlite3.connect(':memory:')\nsqlite3.connect('/srv/x.db')\n"
        "E = 'sqlite:///db/kept.db'\n"), "db/kept.db": ""})
    assert absent_sqlite_folders(Project(root), ".") == ()


def test_the_folder_is_relative_to_where_the_app_runs_and_sqlite3_connect_counts(tmp_path):
    root = make_tree(tmp_path / "q", {"server/app.py": "import sqlite3\nsqlite3.connect('db/jobs.sqlite')\n",
                                      "server/models.py": "URL = 'sqlite+pysqlite:///./var/app.db'\n"})
    assert absent_sqlite_folders(Project(root), "server") == ("server/db", "server/var")


def test_the_proof_of_an_app_that_exits_when_its_sqlite_folder_is_missing_names_the_folder(tmp_path):
    # inspect does not make folders in the checkout: the import met exit(1) in the app's own `except`, which the
    # proof took for the app's code, and planner served the module the launcher imports its app from instead
    import os
    import sys

    import pytest

    from shipyard.detect import entry
    from shipyard.errors import AppConfigError
    root = make_tree(tmp_path / "board", {"app.py": (
        "import sqlite3\nimport sys\nfrom flask import Flask\n\napp = Flask(__name__)\ntry:\n"
        "    sqlite3.connect('data/jobs.db').execute('create table if not exists job (id integer)')\n"
        "except Exception:\n    sys.exit(1)\n"), "requirements.txt": "Flask\n"})
    project = Project(root)
    found = entry.find(project, None)
    with pytest.raises(AppConfigError) as raised:
        entry.confirm(project, found, sys.executable, 60.0, environ=dict(os.environ))
    assert "unable to open database file" in raised.value.message
    assert "it keeps its SQLite database in data/, a folder the project lacks" in raised.value.message
    assert raised.value.hint.startswith("make the folder (mkdir -p data)")
