"""A launcher (run.py: `from app import app`, then a line of its own that raises) that never imported: the module it
imports the app from is the entry the planner proves next (detect/entry/broken_launcher.py)."""

from __future__ import annotations

from dataclasses import replace

from shipyard.detect import entry
from shipyard.detect.entry import broken_launcher
from shipyard.project import Project

from conftest import make_tree

# the mega-tutorial's shape with the shell context decorator misspelled (a list, not a decorator)
APP = {
    "app/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n\nfrom app import routes\n",
    "app/routes.py": "from app import app\n\n@app.route('/')\ndef index():\n    return 'ok'\n",
    "run.py": "import os\nfrom app import app\n\n\n@app.shell_context_processors\ndef ctx():\n    return {}\n",
}
REASON = "run.py:5: importing run:app failed: TypeError: 'list' object is not callable"


def _found(root):
    found = entry.find(Project(root), None)
    assert found.entry.target == "run:app"       # the launcher is the static answer
    return found


def test_origin_when_the_launcher_fails_after_its_import(tmp_path):
    root = make_tree(tmp_path, APP)
    origin = broken_launcher.origin_of(Project(root), _found(root), REASON)
    assert origin is not None and origin.entry.target == "app:app" and origin.workdir == "."
    assert any("run.py fails in its own line 5" in note for note in origin.notes)


def test_no_origin_when_the_failure_is_elsewhere_or_before_the_import(tmp_path):
    root = make_tree(tmp_path, APP)
    found = _found(root)
    project = Project(root)
    # the app's own package raised: its module is no better an entry
    assert broken_launcher.origin_of(project, found, "app/routes.py:3: importing run:app failed: X") is None
    # run.py raised before it imported the app
    assert broken_launcher.origin_of(project, found, "run.py:1: importing run:app failed: X") is None
    # a factory entry is not a re-export
    assert broken_launcher.origin_of(project, replace(found, entry=replace(found.entry, kind="factory")),
                                     REASON) is None


def test_no_origin_for_an_installed_package(tmp_path):
    root = make_tree(tmp_path, APP)
    found = _found(root)
    (root / "run.py").write_text("from somepkg import app\n\nraise SystemExit(app.nothing)\n")
    assert broken_launcher.origin_of(Project(root), found, "run.py:3: importing run:app failed: X") is None


# a Flask-Script launcher that makes the app with the package's factory and runs its manager at module level (not
# under __main__): the manager parses the server's command line and exits at import
FACTORY_APP = {
    "bookmark/__init__.py": "from flask import Flask\n\n\ndef create_app(name=__name__):\n    app = Flask(name)\n"
                            "    from .routes import api\n    app.register_blueprint(api)\n    return app\n",
    "bookmark/routes.py": "from flask import Blueprint\n\napi = Blueprint('api', __name__)\n\n\n"
                          "@api.route('/links')\ndef links():\n    return '[]'\n",
    "manage.py": "from flask_script import Manager\nfrom bookmark import create_app\n\napp = create_app()\n"
                 "manager = Manager(app)\n\nmanager.run()\n",
}


def test_origin_of_a_launcher_that_makes_the_app_with_a_factory_and_exits_at_import(tmp_path):
    root = make_tree(tmp_path, FACTORY_APP)
    found = entry.find(Project(root), None)
    assert found.entry.target == "manage:app"
    reason = "manage.py:7: importing manage:app failed: it calls sys.exit(2) at import"
    origin = broken_launcher.origin_of(Project(root), found, reason)
    assert origin is not None and origin.entry.target == "bookmark:create_app()" and origin.workdir == "."
    assert origin.entry.kind == "factory"
    assert any("manage.py fails in its own line 7 after making app with create_app()" in n for n in origin.notes)
    # the factory call itself raised, or a line before it: no other entry
    assert broken_launcher.origin_of(Project(root), found, reason.replace(":7:", ":4:")) is None
    # a factory of an installed package
    (root / "manage.py").write_text("from somepkg import create_app\n\napp = create_app()\n\nraise SystemExit(2)\n")
    assert broken_launcher.origin_of(Project(root), found, "manage.py:5: importing manage:app failed: X") is None
