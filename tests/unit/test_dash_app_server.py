"""A Dash app with no `server = app.server` (a dashboard run as `python app.py`): before Dash 3.x the Dash object
is not a WSGI callable, so the server loads its Flask app, app.server, through the generated entry module
(gunicorn loads a name or a function's call, not an attribute). Served with a real install of Dash 2.17:
tests/integration/test_frameworks_serve.py (test_a_dash_app_without_a_server_name_is_served)."""

from __future__ import annotations

import shutil
from pathlib import Path

from shipyard.detect import entry
from shipyard.planner import make_plan
from shipyard.project import Project

from conftest import make_tree, rendered_shim

APP = Path(__file__).parents[1] / "fixtures" / "apps" / "dash2_no_server_name"


def test_the_dash_objects_flask_server_is_the_entry(tmp_path):
    root = shutil.copytree(APP, tmp_path / "board")
    found = entry.find(Project(root), None)
    assert (found.framework, found.entry.target, found.entry.kind, found.entry.interface) == \
        ("dash", "app:app.server", "attribute", "wsgi")
    assert any("the server loads app.server" in n for n in found.notes), found.notes


def test_app_server_goes_through_the_entry_module(tmp_path):
    root = shutil.copytree(APP, tmp_path / "board")
    shim = rendered_shim(make_plan(root, confirm=False))
    assert "app = _module.app.server" in shim


def test_a_server_name_is_still_served_as_it_is(tmp_path):
    # `server = app.server`, and Dash(server=flask_app): the name the app gives, no attribute added to it
    found = entry.find(Project(make_tree(tmp_path / "a", {
        "app.py": "import dash\napp = dash.Dash(__name__)\napp.layout = dash.html.Div()\nserver = app.server\n"})), None)
    assert found.entry.target == "app:server"
    found = entry.find(Project(make_tree(tmp_path / "b", {
        "app.py": "import flask\nimport dash\nserver = flask.Flask(__name__)\n"
                  "app = dash.Dash(__name__, server=server)\napp.layout = dash.html.Div()\n"})), None)
    assert found.entry.target == "app:server"
