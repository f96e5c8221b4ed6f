"""A script whose server start at its top level has no `__main__` guard, and statements after it: those run when
the server stops (a 2021 aiohttp imageboard ends app.py with `web.run_app(app)` then `db.stop()`, closing the SQLite
connection every request uses). The generated shipyard_entry.py ends the script's import at the start, so the
production server serves the app as the script did, not one whose database the shutdown line closed."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from shipyard.planner import make_plan
from shipyard.render import render

APP = """\
    import sqlite3

    from flask import Flask

    db = sqlite3.connect("board.db", check_same_thread=False)
    db.execute("CREATE TABLE IF NOT EXISTS boards (name TEXT)")
    app = Flask(__name__)


    @app.route("/boards")
    def boards():
        return {"boards": [r[0] for r in db.execute("SELECT name FROM boards")]}


    app.run()
    db.close()
    SHUT_DOWN = True
    """

CHECK = """\
import json, shipyard_entry, sys
module = sys.modules["app"]
response = shipyard_entry.app.test_client().get("/boards")
print(json.dumps({"status": response.status_code, "body": response.get_json(),
                  "shut_down": hasattr(module, "SHUT_DOWN"), "same": module is shipyard_entry._module}))
"""


def test_the_statements_after_a_top_level_server_start_are_not_run_by_the_production_import(tmp_path):
    root = tmp_path / "board"
    root.mkdir()
    (root / "app.py").write_text(textwrap.dedent(APP))
    (root / "requirements.txt").write_text("flask\n")
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.entry.starts_server_on_import and (plan.entry.module, plan.entry.attr) == ("app", "app")
    shim = render(plan)["shipyard_entry.py"]
    assert 'STOP_AT.append("app")' in shim
    (root / "shipyard_entry.py").write_text(shim)
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"status": 200, "body": {"boards": []}, "shut_down": False, "same": True}


def test_the_import_proof_still_runs_the_whole_script(tmp_path):
    # nothing but the generated entry sets STOP_AT: the probe's no-op start returns, as before
    from shipyard.detect import probe
    assert probe.STOP_AT == []
