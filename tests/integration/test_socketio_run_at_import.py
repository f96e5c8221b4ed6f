"""`socketio.run(app)` at a module's top level (a run.py that starts Flask-SocketIO's server outside its `__main__`
guard) is a development server start like app.run(): the import check (and the entry shim, which embeds the same
patches) turns it into a no-op and reports it, instead of meeting Flask-SocketIO's own refusal outside a terminal
("The Werkzeug web server is not designed to run in production", 5.3 on) or, before 5.3, a server that blocks the
import until its time limit. Real Flask and Flask-SocketIO, installed with uv in a virtualenv of the test's own."""

from __future__ import annotations

import json
import subprocess

from conftest import make_tree, require_tool
from shipyard.detect.entry.proof import PROBE

RUN_PY = ("from flask import Flask\nfrom flask_socketio import SocketIO\n\napp = Flask(__name__)\n"
          "socketio = SocketIO(app, async_mode='threading')\n\n\n@app.route('/')\ndef index():\n    return 'hi'\n\n\n"
          "socketio.run(app, debug=True)\n\nif __name__ == '__main__':\n    socketio.run(app, debug=True)\n")


def test_the_probe_neutralizes_socketio_run_at_import(tmp_path):
    uv = require_tool("uv")
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "-q", str(venv)], check=True, timeout=300)
    python = str(venv / "bin" / "python")
    subprocess.run([uv, "pip", "install", "-q", "--python", python, "flask>=2.3", "flask-socketio>=5.3"],
                   check=True, timeout=600)
    app = make_tree(tmp_path / "app", {"run.py": RUN_PY})
    out = tmp_path / "result.json"
    spec = {"module": "run", "attr": "app", "kind": "attribute", "interface": "wsgi", "paste_ini": None,
            "paste_vars": [], "dev_tools": [], "import_folder": None, "main_setup": False, "root_package": None,
            "out": str(out)}
    done = subprocess.run([python, "-c", PROBE.read_text(encoding="utf-8"), json.dumps(spec)], cwd=app,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result.get("ok"), (result, done.stderr[-2000:])
    assert any("socketio.run()" in s and "run.py" in s for s in result.get("servers", [])), result
