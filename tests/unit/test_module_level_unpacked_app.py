"""A package whose __init__.py unpacks the app from a factory returning a tuple at module level (`app, db,
login_manager = create_app()`, a Medium tutorial's shape) and whose app.py registers the routes on `from app import
app`: the app is found, not "no web app found"."""

from __future__ import annotations

from conftest import make_tree
from shipyard.detect import entry
from shipyard.project import Project

INIT = """\
from flask import Flask
from flask_login import LoginManager


def create_app():
    app = Flask(__name__)
    login_manager = LoginManager()
    login_manager.init_app(app)
    return app, None, login_manager


app, db, login_manager = create_app()
"""


def test_the_app_unpacked_from_a_tuple_at_module_level_is_the_packages_app(tmp_path):
    root = make_tree(tmp_path, {
        "app/__init__.py": INIT,
        "app/app.py": "from users import User\nfrom app import app, login_manager\n\n\n@app.route('/')\n"
                      "def index():\n    return 'hi'\n",
        "app/users.py": "class User:\n    pass\n",
        "app/requirements.txt": "Flask==0.12.2\nFlask-Login==0.4.0\n"})
    found = entry.find(Project(root), None)
    assert (found.entry.module, found.entry.attr) == ("app.app", "app")
