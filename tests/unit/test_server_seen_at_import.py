"""A development server that only the import check sees starting at import (the static scan cannot:
`start = app.run; start()`, or Flask-SocketIO's socketio.run(app) at run.py's top level) is held by the probe's
patches; the plan then serves the entry through the shim that holds it the same way, as it does for a start the
scan sees, instead of stopping at inspect. confirm() itself still says what it met (ServerAtImport)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import make_tree
from shipyard import planner
from shipyard.detect import entry
from shipyard.detect.entry.proof import ServerAtImport
from shipyard.project import Project
from shipyard.render import render
from shipyard.render.render import ENTRY_SHIM, served_entry

PY = sys.executable
APP = {"app.py": "from flask import Flask\napp = Flask(__name__)\n\n\n@app.route('/')\ndef index():\n"
                 "    return 'hello'\n\n\nstart = app.run\nstart()\n",
       "requirements.txt": "flask\n"}


def test_confirm_says_it_met_a_server_the_scan_did_not_see(tmp_path):
    make_tree(tmp_path, APP)
    p = Project(tmp_path)
    found = entry.find(p, None)
    assert not found.entry.starts_server_on_import
    with pytest.raises(ServerAtImport) as err:
        entry.confirm(p, found, PY, 40)
    assert "starts a server (app.run() at app.py:11)" in err.value.message
    assert err.value.confirmed is not None


def test_the_plan_serves_it_through_the_shim_that_holds_the_start(tmp_path):
    make_tree(tmp_path, APP)
    plan = planner.make_plan(tmp_path, {}, confirm=True, python_exe=PY)
    assert plan.proof is not None and plan.proof.proven, plan.proof
    assert "app.run() at app.py:11" in plan.proof.server_at_import
    assert plan.entry.starts_server_on_import
    served = served_entry(plan)
    assert served.module == ENTRY_SHIM[:-3]
    (tmp_path / ENTRY_SHIM).write_text(render(plan)[ENTRY_SHIM])
    # the shim imports the app without starting its development server, and gives the WSGI app
    done = subprocess.run([PY, "-c", f"import {served.module} as s; c = s.app.test_client(); "
                                     "print(c.get('/').data.decode())"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 0 and done.stdout.strip() == "hello", done.stderr[-2000:]
