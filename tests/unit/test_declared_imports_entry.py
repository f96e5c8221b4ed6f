"""Of two Flask apps that nothing else tells apart, the one whose Flask plugins the project's dependency files
declare: a tutorial's flaskr package with its manage.py, whose requirements list Flask, Flask-SQLAlchemy and
Flask-Script, beside backend/main.py, a Vue SPA's API importing Flask-RESTful, which no file declares."""

from __future__ import annotations

import os
import time

import pytest

from shipyard.detect import entry
from shipyard.errors import AmbiguousApp
from shipyard.project import Project

from conftest import make_tree

TUTORIAL = {
    "flaskr/__init__.py": "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\n"
                          "app = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///flaskr.db'\n"
                          "db = SQLAlchemy(app)\n\nimport flaskr.views\n",
    "flaskr/views.py": "from flaskr import app\n\n@app.route('/')\ndef show_entries():\n    return 'entries'\n",
    "manage.py": "from flask_script import Manager\nfrom flaskr import app, db\n\nmanager = Manager(app)\n\n"
                 "@manager.command\ndef init_db():\n    db.create_all()\n\nif __name__ == '__main__':\n    manager.run()\n",
    "backend/api.py": "from flask import Blueprint\nfrom flask_restful import Api, Resource\n\n"
                      "api_bp = Blueprint('api', __name__, url_prefix='/api')\n\nclass Spam(Resource):\n"
                      "    def get(self):\n        return []\n\nApi(api_bp).add_resource(Spam, '/spam')\n",
    "backend/main.py": "from flask import Flask\nfrom api import api_bp\n\napp = Flask(__name__)\n"
                       "app.register_blueprint(api_bp)\n\n@app.route('/api/random')\ndef random_number():\n"
                       "    return {'n': 4}\n\nif __name__ == '__main__':\n    app.run()\n",
}


def test_the_app_whose_plugins_the_requirements_declare_is_the_entry(tmp_path):
    root = make_tree(tmp_path / "tutorial", {**TUTORIAL, "requirements.txt": "Flask\nFlask-SQLAlchemy\nFlask-Script\n"})
    # dated October 2019, when Flask 1.1's Flask-Script ran manage.py (test_dead_launcher_entry: not after 2.0)
    when = time.mktime(time.strptime("2019-10-06", "%Y-%m-%d"))
    for folder, _, names in os.walk(root):
        for name in names:
            os.utime(os.path.join(folder, name), (when, when))
    found = entry.find(Project(root), None)
    assert (found.entry.target, found.workdir) == ("manage:app", ".")


@pytest.mark.parametrize("extra", [
    {},                                                                       # nothing declared: every import inferred
    {"requirements.txt": "Flask\nFlask-SQLAlchemy\nFlask-Script\nFlask-RESTful\n"},   # both apps' plugins declared
])
def test_two_apps_stay_the_users_choice_when_the_files_do_not_tell_them_apart(tmp_path, extra):
    root = make_tree(tmp_path / "tutorial", {**TUTORIAL, **extra})
    with pytest.raises(AmbiguousApp):
        entry.find(Project(root), None)
