"""A Flask-Script manage.py that only re-exports the app another module makes: the entry while its project's
Flask is one Flask-Script imports with (before 2.0), the module that makes the app once it is not (code written
after Flask 2.0 with nothing holding Flask back: the launcher cannot have run, `flask run` on the app did)."""

from __future__ import annotations

import os
import time

import pytest

from shipyard.detect import entry
from shipyard.project import Project

from conftest import make_tree

# a 2024 expense API's layout: app/__init__.py makes the app and imports its routes; manage.py wraps it in
# Flask-Script's Manager with Flask-Migrate's MigrateCommand (both gone from the Flask of its time)
API = {
    "app/__init__.py": "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\n"
                       "app = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///site.db'\n"
                       "db = SQLAlchemy(app)\n\nfrom app import routes\n",
    "app/routes.py": "from app import app\n\n@app.route('/')\ndef index():\n    return 'ok'\n",
    "manage.py": "from flask_migrate import Migrate, MigrateCommand\nfrom flask_script import Manager\n"
                 "from app import app, db\n\nmigrate = Migrate(app, db)\nmanager = Manager(app)\n"
                 "manager.add_command('db', MigrateCommand)\n\nif __name__ == '__main__':\n    manager.run()\n",
}


def _dated(root, day: str):
    """Every file's modification time set to `day` (no git here: the code's date is its files' newest mtime)."""
    when = time.mktime(time.strptime(day, "%Y-%m-%d"))
    for folder, _, names in os.walk(root):
        for name in names:
            os.utime(os.path.join(folder, name), (when, when))
    return root


@pytest.mark.parametrize("day, extra, target", [
    ("2024-01-21", {}, "app:app"),                                           # after Flask 2.0, nothing declared
    ("2024-01-21", {"requirements.txt": "Flask>=2.2\nFlask-Script\n"}, "app:app"),
    ("2019-03-02", {}, "manage:app"),                                        # Flask 1.0's time: the launcher ran
    ("2024-01-21", {"requirements.txt": "Flask==1.1.2\nFlask-Script==2.0.6\n"}, "manage:app"),   # held back
    ("2024-01-21", {"requirements.txt": "flask<2\nflask-script\n"}, "manage:app"),
])
def test_a_flask_script_launcher_is_the_entry_only_while_its_flask_can_run_it(tmp_path, day, extra, target):
    root = _dated(make_tree(tmp_path / "api", {**API, **extra}), day)
    assert entry.find(Project(root), None).entry.target == target


def test_a_launcher_that_configures_the_app_itself_stays_the_entry(tmp_path):
    # manage.py's own `app = create_app('dev')` chooses the configuration: not a re-export, the launcher decides
    files = {
        "app/__init__.py": "from flask import Flask\n\ndef create_app(name):\n    app = Flask(__name__)\n"
                           "    app.config['ENV_NAME'] = name\n\n    @app.route('/')\n    def index():\n"
                           "        return name\n\n    return app\n",
        "manage.py": "from flask_script import Manager\nfrom app import create_app\n\napp = create_app('dev')\n"
                     "manager = Manager(app)\n\nif __name__ == '__main__':\n    manager.run()\n",
    }
    root = _dated(make_tree(tmp_path / "api", files), "2023-06-01")
    assert entry.find(Project(root), None).entry.target == "manage:app"


@pytest.mark.parametrize("day, target", [("2019-03-02", "manage:app"), ("2024-01-21", "app:app")])
def test_a_floor_on_flask_leaves_the_launcher_to_the_codes_day(tmp_path, day, target):
    # `flask>=1.0.2` resolves as of the day the code last changed: Flask 1.0 in 2019, Flask 3 in 2024
    root = _dated(make_tree(tmp_path / "api", {**API, "requirements.txt": "flask>=1.0.2\nFlask-Script==2.0.6\n"}), day)
    assert entry.find(Project(root), None).entry.target == target


def test_an_exact_flask_2_pin_leaves_the_launcher_out_whatever_the_day(tmp_path):
    root = _dated(make_tree(tmp_path / "api", {**API, "requirements.txt": "Flask==2.3.2\nFlask-Script\n"}), "2019-03-02")
    assert entry.find(Project(root), None).entry.target == "app:app"
