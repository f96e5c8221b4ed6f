"""A SQLite file the code names by a relative path in a folder the checkout lacks (`sqlite:///data/database.db`, with
`*.db` in .gitignore and no data/ committed): SQLite creates the file, not its folder, so the import stopped at
"unable to open database file" (and an app that exits on it, at exit(1)). serve and dev make the folder, empty, and
say so; the image makes it too, owned by the app's user (made_folders); the proof names it as a setup step."""

from __future__ import annotations

from shipyard.detect.sqlite_folders import absent_sqlite_folders, flask_sqlalchemy_major
from shipyard.planner import make_plan
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
    # Flask-SQLAlchemy 3 (the newest, which the unpinned line installs) opens it in the instance folder, which it
    # makes itself, but not the data/ below it
    found_and_made_once(root, "instance/data", absent_sqlite_folders, "absent_sqlite_folders",
                        make_absent_sqlite_folders,
                        "# The code keeps its SQLite database in instance/data, which the project lacks",
                        "keeps its SQLite database there")


def test_flask_sqlalchemy_2_opens_a_relative_url_in_the_folder_of_the_module_that_makes_the_app(tmp_path):
    # Flask-SQLAlchemy 0.14 to 2.5 join it to app.root_path (the package's folder here), 3.0 to app.instance_path; a
    # create_engine literal beside it opens where the app runs, whichever the major
    engine = "import SQLAlchemy\nfrom sqlalchemy import create_engine\n\ncache = create_engine('sqlite:///var/c.db')\n"
    root = make_tree(tmp_path / "board", {"board/__init__.py": MODULES.replace("import SQLAlchemy\n", engine),
        "wsgi.py": "from board import app\n", "requirements.txt": "Flask\nFlask-SQLAlchemy==2.5.1\n"})
    assert make_plan(root, confirm=False, installed=False).absent_sqlite_folders == ("var", "board/data")
    assert absent_sqlite_folders(Project(root), ".", None, ("Flask_SQLAlchemy==3.1.1",)) == ("var", "instance/data")


def test_flask_sqlalchemy_3s_instance_folder_beside_a_src_package_is_made_and_one_the_app_names_is_not(tmp_path):
    app = MODULES.replace("data/database.db", "app.db")
    root = make_tree(tmp_path / "s", {"src/board/__init__.py": app})
    assert absent_sqlite_folders(Project(root), ".", "src", ("flask-sqlalchemy>=3",)) == ("src/instance",)
    assert absent_sqlite_folders(Project(root), ".", None, ()) == ()     # <workdir>/instance: the image makes it
    make_tree(root, {"src/board/__init__.py": app.replace("Flask(__name__)", "Flask(__name__, instance_path='/d')")})
    assert absent_sqlite_folders(Project(root), ".", "src", ()) == ()


def test_the_flask_sqlalchemy_major_is_the_installed_release_else_the_requirements_cap_else_3():
    assert flask_sqlalchemy_major(("Flask_SQLAlchemy==2.5.1", "flask-sqlalchemy>=3")) == 2
    assert flask_sqlalchemy_major(("flask-sqlalchemy<3.0 ; python_version>'3'",)) == 2
    assert flask_sqlalchemy_major(("Flask-SQLAlchemy>=2.4", "flask")) == 3
    assert flask_sqlalchemy_major(("flask",)) == 3


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
