"""A Flask app that loads its settings with app.config.from_pyfile() from a file the README has the reader write
(an instance folder's development.py, with the secret key, database and cloud keys), absent from a clone: the import
fails with Flask's FileNotFoundError "Unable to load configuration file", a setup step said as one (which file to
write), not "fix it in the app's code"."""

from __future__ import annotations

import sys
import textwrap

import pytest

from shipyard.detect import entry
from shipyard.errors import AppConfigError
from shipyard.project import Project


PY = sys.executable
TIMEOUT = 30.0


def write(root, files: dict[str, str]):
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text))


def test_an_instance_config_file_the_readme_has_you_write_is_named(tmp_path):
    write(tmp_path, {
        "app/__init__.py": """\
            from flask import Flask

            app = Flask(__name__, instance_relative_config=True)
            app.config.from_object("config")
            app.config.from_pyfile("development.py")

            from app import views
            """,
        "app/views.py": """\
            from app import app


            @app.route("/")
            def home():
                return "home"
            """,
        "config.py": "DEBUG = False\n",
        "run.py": "from app import app\n\napp.run(host='0.0.0.0')\n",
        "requirements.txt": "Flask\n",
    })
    project = Project(tmp_path)
    found = entry.find(project, None)
    with pytest.raises(AppConfigError) as err:
        entry.confirm(project, found, PY, TIMEOUT)
    assert "loads its configuration from instance/development.py" in err.value.message
    assert "not in the project" in err.value.message
    assert err.value.hint.startswith("write instance/development.py with the settings the app reads")


def test_a_config_file_the_project_has_loads(tmp_path):
    write(tmp_path, {
        "app.py": """\
            from flask import Flask

            app = Flask(__name__)
            app.config.from_pyfile("settings.py")
            """,
        "settings.py": "SECRET_KEY = 'x'\n",
    })
    project = Project(tmp_path)
    entry.confirm(project, entry.find(project, None), PY, TIMEOUT)
