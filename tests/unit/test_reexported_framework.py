"""An app that imports its framework from one of its own modules (`from utils.ui import dash, html`, where
utils/ui.py gathers the app's Dash imports with `import dash`) makes its app with the framework's constructor all
the same: `dash.Dash(__name__)` there is a Dash app, found through the project's own module."""

from __future__ import annotations

from shipyard.detect import entry
from shipyard.project import Project

from conftest import make_tree

UI = "import dash\nfrom dash import html, dcc\nimport dash_bootstrap_components as dbc\n"
APP = ("from utils.ui import dash, html, dbc\n"
       "app = dash.Dash(__name__, external_stylesheets=[dbc.themes.CERULEAN])\n"
       "app.layout = html.Div('hello')\n")


def test_a_framework_imported_through_a_namespace_folder_module(tmp_path):
    # utils/ has no __init__.py (a namespace folder, run from the root), wsgi.py names the Flask server
    root = make_tree(tmp_path / "board", {
        "utils/ui.py": UI, "utils/config.py": "PORT = 8055\n", "app.py": APP,
        "wsgi.py": "from app import app as dash_app\nserver = dash_app.server\n"})
    found = entry.find(Project(root), None)
    assert (found.framework, found.entry.target, found.entry.interface) == ("dash", "wsgi:server", "wsgi")


def test_a_constructor_name_reexported_by_a_package_module_imported_relatively(tmp_path):
    # board/ is a package: `from .ui import Dash` names board/ui.py's `from dash import Dash`
    root = make_tree(tmp_path / "proj", {
        "board/__init__.py": "", "board/ui.py": "from dash import Dash, html\n",
        "board/app.py": "from .ui import Dash, html\napp = Dash(__name__)\napp.layout = html.Div()\n"
                        "server = app.server\n"})
    found = entry.find(Project(root), None)
    assert (found.framework, found.entry.target) == ("dash", "board.app:server")


def test_a_project_module_of_another_name_is_not_taken_for_the_framework(tmp_path):
    # helpers.py defines its own Dash class: no framework import there, so nothing to re-export
    root = make_tree(tmp_path / "p", {
        "helpers.py": "class Dash:\n    pass\n",
        "app.py": "from helpers import Dash\nthing = Dash()\n",
        "site.py": "import flask\napp = flask.Flask(__name__)\n@app.route('/')\ndef i():\n    return 'x'\n"})
    found = entry.find(Project(root), None)
    assert (found.framework, found.entry.target) == ("flask", "site:app")
