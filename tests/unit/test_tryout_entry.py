"""Of two apps in one folder, a test.py's gives way: a weather tutorial's main.py (database, template, routes)
beside test.py, the one-route Flask app its author first tried the API call in. A lone test.py is still the app."""

from __future__ import annotations

import pytest

from shipyard.detect import entry
from shipyard.errors import AmbiguousApp
from shipyard.project import Project

from conftest import make_tree

MAIN = ("import requests\nfrom flask import Flask, render_template, request, redirect, url_for\n"
        "from flask_sqlalchemy import SQLAlchemy\n\napp = Flask(__name__)\n"
        "app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///weather.db'\ndb = SQLAlchemy(app)\n\n\n"
        "class City(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n\n\n"
        "@app.route('/')\ndef index():\n    return render_template('home.html', cities=City.query.all())\n\n\n"
        "@app.route('/', methods=['POST'])\ndef add():\n    return redirect(url_for('index'))\n\n\n"
        "if __name__ == '__main__':\n    app.run(debug=True)\n")
TRYOUT = ("import requests\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\ndef test():\n"
          "    print(requests.get('https://api.example.org/weather?q=Las%20Vegas').json())\n    return ''\n\n\n"
          "if __name__ == '__main__':\n    app.run(debug=True)\n")
FILES = {"main.py": MAIN, "test.py": TRYOUT, "templates/home.html": "<ul></ul>\n",
         "requirements.txt": "Flask==2.1.2\nFlask-SQLAlchemy==2.5.1\nrequests==2.27.1\n"}


def test_the_app_beside_a_tryout_test_py_is_the_entry(tmp_path):
    found = entry.find(Project(make_tree(tmp_path / "weather", FILES)), None)
    assert (found.entry.target, found.workdir) == ("main:app", ".")


def test_a_lone_test_py_app_is_the_entry(tmp_path):
    found = entry.find(Project(make_tree(tmp_path / "weather", {"test.py": TRYOUT})), None)
    assert (found.entry.target, found.workdir) == ("test:app", ".")


def test_two_apps_neither_in_test_py_stay_the_users_choice(tmp_path):
    files = {name: text for name, text in FILES.items() if name != "test.py"}
    root = make_tree(tmp_path / "weather", {**files, "other.py": TRYOUT})
    with pytest.raises(AmbiguousApp):
        entry.find(Project(root), None)
