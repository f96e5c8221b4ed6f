"""A package makes `app = Flask(__name__)` at import and a create_app(config_class) that configures that same app and
imports the modules registering its routes (`from application import controllers`) inside the function; wsgi.py
does `app = create_app(config_class=DevelopmentConfig)` (a course CRM's layout of 2020). The call's imports are part
of what loading wsgi:app runs, as a factory's are, so wsgi.py registers every route and is the entry, not one of
the controller modules that import the bare app."""

from __future__ import annotations

import subprocess
import sys

import pytest

from shipyard.detect import entry
from shipyard.project import Project

from conftest import make_tree

CRM = {
    "config.py": "class Config:\n    SECRET_KEY = 'base'\n\n\nclass DevelopmentConfig(Config):\n    DEBUG = True\n",
    "application/__init__.py": "from flask import Flask\n\nfrom config import Config\n\napp = Flask(__name__)\n\n\n"
                               "def create_app(config_class=Config):\n    app.config.from_object(config_class)\n"
                               "    from application import controllers\n    return app\n",
    "application/controllers/__init__.py": "from application.controllers import auth\n"
                                           "from application.controllers import routes\n",
    "application/controllers/auth.py": "from application import app\n\n\n@app.route('/login/')\ndef login():\n"
                                       "    return 'login ' + app.config['SECRET_KEY']\n",
    "application/controllers/routes.py": "from flask import redirect\n\nfrom application import app\n\n\n"
                                         "@app.route('/')\ndef main():\n    return redirect('/login/')\n",
    "wsgi.py": "from application import create_app\nfrom config import DevelopmentConfig\n\n"
               "app = create_app(config_class=DevelopmentConfig)\n\nif __name__ == '__main__':\n    app.run()\n",
}


@pytest.mark.parametrize("extra", [{}, {"Procfile": "web: gunicorn wsgi:app\n"}])
def test_the_module_calling_the_configuring_function_is_the_entry(tmp_path, extra):
    root = make_tree(tmp_path / "crm", {**CRM, **extra})
    assert entry.find(Project(root), None).entry.target == "wsgi:app"


def test_the_chosen_entry_answers_every_route_configured(tmp_path):
    # the target loaded as a server would: both routes there, with the configuration the call gave
    root = make_tree(tmp_path / "crm", CRM)
    module, attr = entry.find(Project(root), None).entry.target.split(":")
    probe = (f"import {module} as m\nc = getattr(m, {attr!r}).test_client()\n"
             "print(c.get('/').status_code, c.get('/login/').status_code, c.get('/login/').data.decode())\n")
    out = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["302", "200", "login", "base"], out.stderr

