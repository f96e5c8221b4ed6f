"""A bottle course project (tests/fixtures/apps/bottle_run_at_import_namespace_routes): app.py imports its route
modules for their @route side effect on bottle's default app and calls run(reloader=True) at import. Two things
that used to stop it: controllers/login.py, a route module nothing imports (so never part of the app), made "no
module registers every route" ("no module exposes it"); and `from public import setup`, a folder without
__init__.py whose module is named setup.py, was read as the PyPI distribution atpublic (import name `public`),
which has no `setup`. Served with a real install: tests/integration/test_frameworks_serve.py
(test_a_bottle_app_run_at_import_with_namespace_routes_is_served)."""

from __future__ import annotations

import shutil
from pathlib import Path

from shipyard.detect import entry, imports
from shipyard.detect.findings import DeclaredDependencies
from shipyard.project import Project

from conftest import make_tree

APP = Path(__file__).parents[1] / "fixtures" / "apps" / "bottle_run_at_import_namespace_routes"


def test_a_route_module_nothing_imports_is_not_required_of_the_script(tmp_path):
    root = shutil.copytree(APP, tmp_path / "bikes")
    found = entry.find(Project(root), None)
    assert (found.framework, found.entry.target, found.entry.kind, found.workdir) == \
        ("bottle", "app:default_app()", "default_app", ".")
    assert found.entry.starts_server_on_import


def test_a_route_module_that_runs_itself_still_counts(tmp_path):
    # two scripts, each registering and running its own routes: still separate apps (the entry-file name wins)
    root = make_tree(tmp_path / "two", {
        "app.py": "from bottle import route, run\n\n@route('/')\ndef a():\n    return 'a'\n\nrun(port=8080)\n",
        "hello.py": "from bottle import route, run\n\n@route('/hi')\ndef b():\n    return 'b'\n\n"
                    "if __name__ == '__main__':\n    run(port=8081)\n"})
    found = entry.find(Project(root), None)
    assert found.entry.target == "app:default_app()"
    assert any("separate apps" in n for n in found.notes), found.notes


def test_a_namespace_folders_module_named_setup_is_the_apps_own(tmp_path):
    root = shutil.copytree(APP, tmp_path / "bikes")
    found = imports.infer(Project(root), None, DeclaredDependencies((), (), False),
                          python_exe=str(tmp_path / "no-python"))
    assert "atpublic" not in {d.name for d in found}
    # the same import with no such module in the folder is still the distribution's
    (root / "public" / "setup.py").rename(root / "public" / "other.py")
    found = imports.infer(Project(root), None, DeclaredDependencies((), (), False),
                          python_exe=str(tmp_path / "no-python"))
    assert "atpublic" in {d.name for d in found}


def test_a_script_importing_bottles_app_accessor_is_the_default_app_script_not_a_factory(tmp_path):
    # `from bottle import app` is bottle's AppStack (calling it gives the default app): the module routes on the
    # default app and runs it under its guard (a Procfile's `python app.py`), so the script is the entry
    root = make_tree(tmp_path / "grader", {
        "app.py": "from bottle import app, route, run, template\n\n@route('/')\ndef home():\n"
                  "    return template('index')\n\nif __name__ == '__main__':\n"
                  "    run(server='gunicorn', host='0.0.0.0', port=5000)\n",
        "views/index.tpl": "<p>hi</p>\n"})
    found = entry.find(Project(root), None)
    assert (found.entry.target, found.entry.kind, found.workdir) == ("app:default_app()", "default_app", ".")
    # a module-level app made by calling it is the module's own app, named as such
    (root / "app.py").write_text("import bottle\napp = bottle.app()\n\n@app.route('/')\ndef home():\n"
                                 "    return 'hi'\n\nif __name__ == '__main__':\n    bottle.run(app)\n")
    found = entry.find(Project(root), None)
    assert (found.entry.target, found.entry.kind) == ("app:app", "attribute")


def test_an_unrouted_bottle_app_gives_way_to_the_default_app_its_controllers_route_and_run(tmp_path):
    # project/__init__.py makes app = Bottle() (app.py imports it) but nothing routes on it: the controller it
    # imports adds its @route functions to bottle's default app and runs that at import, so the default app is
    # the one with the pages (serving project.app answered 404 everywhere)
    root = make_tree(tmp_path / "crud", {
        "app.py": "from project import app\nfrom bottle import run\n\nif __name__ == '__main__':\n    run(app)\n",
        "project/__init__.py": "from bottle import Bottle\napp = Bottle()\nfrom project.controllers import controller\n",
        "project/controllers/__init__.py": "",
        "project/controllers/controller.py": "from bottle import route, run\n\n@route('/')\ndef index():\n"
                                             "    return 'tasks'\n\nrun(reloader=True)\n"})
    found = entry.find(Project(root), None)
    assert (found.entry.target, found.entry.kind, found.workdir) == \
        ("project.controllers.controller:default_app()", "default_app", ".")
    # an app of its own with routes is still the one served
    (root / "project" / "views.py").write_text("from project import app\n\n@app.route('/own')\ndef own():\n"
                                               "    return 'own'\n")
    (root / "project" / "__init__.py").write_text("from bottle import Bottle\napp = Bottle()\n"
                                                  "from project import views\nfrom project.controllers import controller\n")
    assert entry.find(Project(root), None).entry.target != "project.controllers.controller:default_app()"
