"""A mod_wsgi script file (`api.wsgi`: Python that mod_wsgi loads by its path, `WSGIScriptAlias / api.wsgi`) that
makes the app itself (`app = application = Bottle()` and its routes) is the app's only entry. Shipyard read only
.py files ("no web app found, searched 0 Python modules"), and no server can import a .wsgi file by its module
name: the file is scanned as Python, and the import check and shipyard_entry.py load it by its path as the
module first (probe.py's load_wsgi_file)."""

from __future__ import annotations

import subprocess
import sys

from shipyard.detect import entry
from shipyard.planner import make_plan
from shipyard.project import Project

from conftest import make_tree, rendered_shim

API = """import json

import bottle

with open("config.json") as f:
    CONFIG = json.load(f)

app = application = bottle.Bottle()


@app.get("/api/hello")
def hello():
    return CONFIG["greeting"]
"""

# a server's import of the served module, then one request through it
SERVER_LIKE = """import sys
from wsgiref.util import setup_testing_defaults
sys.path.insert(0, "")
import {module} as served
environ, out = {{"PATH_INFO": "/api/hello"}}, []
setup_testing_defaults(environ)
body = served.app(environ, lambda status, headers, exc=None: out.append(status))
print(environ["wsgi.errors"].getvalue(), file=sys.stderr)
print(out[0], b"".join(body).decode())
"""


def test_an_app_made_in_a_mod_wsgi_file_is_found_proven_and_served_through_the_entry_module(tmp_path):
    root = make_tree(tmp_path / "weekly", {"api.wsgi": API, "config.json": '{"greeting": "hello from api.wsgi"}\n',
                                           "index.html": "<html></html>\n"})
    found = entry.find(Project(root), None)
    assert (found.framework, found.entry.target, found.entry.wsgi_file) == ("bottle", "api:application", "api.wsgi")
    assert any("api.wsgi is a mod_wsgi script file" in n for n in found.notes), found.notes
    # the import check loads it by its path, as the server will
    entry.confirm(Project(root), found, sys.executable, 30.0)
    plan = make_plan(root, confirm=False)
    (root / "shipyard_entry.py").write_text(rendered_shim(plan))
    done = subprocess.run([sys.executable, "-c", SERVER_LIKE.format(module="shipyard_entry")], cwd=root,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "200 OK hello from api.wsgi", done.stderr
    # what a server importing the entry by its module name meets without it
    done = subprocess.run([sys.executable, "-c", SERVER_LIKE.format(module="api")], cwd=root,
                          capture_output=True, text=True, timeout=60)
    assert "No module named 'api'" in done.stderr
    # dev reloads the same entry module, not `api:application`
    from shipyard.run.appenv import AppEnv
    from shipyard.run.dev import dev_command
    (tmp_path / "dev").mkdir()
    dev = dev_command(plan, root, AppEnv(sys.executable, "the test's Python"), 8000, tmp_path / "dev")
    assert "shipyard_entry:app" in dev.argv and "api:application" not in dev.argv, dev.argv
    assert 'load_wsgi_file("api", "api.wsgi")' in (tmp_path / "dev" / "shipyard_entry.py").read_text()


def test_a_wsgi_file_importing_the_app_from_a_module_leaves_the_module_the_entry(tmp_path):
    # the common mod_wsgi file: sys.path set for the host, the app imported from the project's module
    root = make_tree(tmp_path / "site", {
        "app.py": "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\ndef index():\n"
                  "    return 'hi'\n",
        "site.wsgi": "import sys\nsys.path.insert(0, '/var/www/site')\nfrom app import app as application\n"})
    found = entry.find(Project(root), None)
    assert (found.entry.target, found.entry.wsgi_file) == ("app:app", "")
