"""An entry module imported back by a module it imports first (server.py: `import store` before `db = ...`;
store.py: `from server import db`): `python server.py` runs, importing server:app fails ("cannot import name 'db'
from partially initialized module 'server'"). The planner proves it again run as __main__, as its author runs it
(main_setup: detect/entry/circular_entry.py), and the served entry runs it so. Real Flask (the dev environment's)
imports it, and the rendered entry answers a real WSGI request."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

from conftest import make_tree, rendered_shim
from shipyard.detect import entry
from shipyard.detect.entry import circular_entry
from shipyard.planner import make_plan
from shipyard.project import Project

APP = {
    "server.py": """
        from flask import Flask

        import store

        app = Flask(__name__)
        db = {"notes": ["a", "b"]}


        @app.route("/")
        def home():
            return "notes: %d" % store.count()


        if __name__ == "__main__":
            app.run(debug=True)
        """,
    "store.py": "from server import db\n\n\ndef count():\n    return len(db['notes'])\n",
    "requirements.txt": "flask\n",
}
REASON = ("store.py:1: importing server:app failed: ImportError: cannot import name 'db' from partially initialized "
          "module 'server' (most likely due to a circular import) (/x/server.py)")

_WSGI_GET = """
import sys
sys.path.insert(0, sys.argv[1])
from werkzeug.test import Client
import shipyard_entry
print(Client(shipyard_entry.app).get("/").get_data(as_text=True))
"""


def test_a_circular_entry_is_proven_and_served_as_its_script_runs(tmp_path):
    root = make_tree(tmp_path / "app", APP)
    plan = make_plan(root, python_exe=sys.executable, timeout=60)
    assert plan.entry.target == "server:app" and plan.entry.main_setup, plan.entry
    assert plan.proof.proven, plan.proof
    assert any("store.py imports db back from server.py" in note for note in plan.notes), plan.notes
    shim = tmp_path / "run"
    shim.mkdir()
    (shim / "shipyard_entry.py").write_text(rendered_shim(plan))
    done = subprocess.run([sys.executable, "-c", _WSGI_GET, str(shim)], cwd=root, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "notes: 2"


def test_a_circular_entry_that_then_needs_its_configuration_says_so(tmp_path):
    # run as its script it gets past the circular import, then reads a variable not set: that is what is left to
    # do (set it; a database to run), not the circular import a server's import meets
    files = {**APP, "server.py": APP["server.py"].replace(
        'db = {"notes": ["a", "b"]}', 'db = {"notes": ["a", "b"]}\n        SECRET = os.environ["SHIPYARD_FIXTURE_NOTES_KEY"]'
    ).replace("from flask import Flask", "import os\n\n        from flask import Flask")}
    plan = make_plan(make_tree(tmp_path / "app", files), python_exe=sys.executable, timeout=60)
    assert plan.entry.main_setup and not plan.proof.proven, plan.proof
    assert "SHIPYARD_FIXTURE_NOTES_KEY" in plan.proof.reason and "circular" not in plan.proof.reason, plan.proof


def test_only_the_entry_imported_back_from_another_file_is_run_as_a_script(tmp_path):
    root = make_tree(tmp_path, APP)
    project = Project(root)
    found = entry.find(project, None)
    assert found.entry.target == "server:app" and not found.entry.main_setup
    assert circular_entry.run_as_script(project, found, REASON).entry.main_setup
    # another module partly imported (two of the app's modules importing each other): not the entry's shape
    assert circular_entry.run_as_script(project, found, REASON.replace("module 'server'", "module 'store'")) is None
    # raised in the entry's own file, or not a circular import at all
    assert circular_entry.run_as_script(project, found, REASON.replace("store.py:1", "server.py:3")) is None
    assert circular_entry.run_as_script(project, found, "store.py:1: importing server:app failed: KeyError: 'x'") \
        is None
    # a factory, or an entry already run as its script
    assert circular_entry.run_as_script(project, replace(found, entry=replace(found.entry, kind="factory")),
                                        REASON) is None
    assert circular_entry.run_as_script(project, replace(found, entry=replace(found.entry, main_setup=True)),
                                        REASON) is None
