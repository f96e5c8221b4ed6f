"""Flask-SocketIO's `socketio.run(app)` at a module's top level, seen by the static scan as the import proof sees it
(ServerAtImport): the receiver is the SocketIO, not the app, so the scan counted no start, and the static answer
(inspect --no-import, or no environment to be had) served an entry whose import starts Werkzeug's development
server. Now a start whose receiver is handed the app marks the entry (starts_server_on_import, the shim, the note)
without changing which entry is chosen; a start under `if __name__ == '__main__':` is no start at import, for the
scan as for the proof. Apps written for the test: a team chat backend (package with create_app, run.py) and a
one-file whiteboard."""

from __future__ import annotations

from conftest import make_tree
from shipyard.detect.entry import find
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.render.render import render

PACKAGE = """from flask import Flask
from flask_socketio import SocketIO

socketio = SocketIO()


def create_app():
    app = Flask(__name__)

    @app.route("/rooms")
    def rooms():
        return {"rooms": ["general"]}

    socketio.init_app(app)
    return app
"""
RUN = """from chat import create_app, socketio

app = create_app()
socketio.run(app, debug=True, allow_unsafe_werkzeug=True)
"""
BOARD = """from flask import Flask
from flask_socketio import SocketIO, emit

app = Flask(__name__)
socketio = SocketIO(app, cors_allowed_origins="*")


@app.route("/")
def board():
    return "board"


@socketio.on("stroke")
def stroke(data):
    emit("stroke", data, broadcast=True)


{start}
"""


def _chat(tmp_path):
    return make_tree(tmp_path / "chat", {"chat/__init__.py": PACKAGE, "run.py": RUN,
                                         "requirements.txt": "Flask\nFlask-SocketIO\n"})


def test_a_run_py_that_starts_socketio_at_import_is_marked_and_still_chosen(tmp_path):
    root = _chat(tmp_path)
    found = find(Project(root), None)
    assert found.entry.target == "run:app" and found.entry.starts_server_on_import, found.entry
    assert any(n.startswith("run.py:4 calls socketio.run() at import") for n in found.notes), found.notes
    # the static plan serves it through the shim that holds the start, as the proven one does
    plan = make_plan(root, {"topology": "compose"}, confirm=False, installed=False)
    assert plan.entry.starts_server_on_import and "shipyard_entry.py" in render(plan)


def test_a_module_that_makes_and_runs_its_socketio_is_marked(tmp_path):
    root = make_tree(tmp_path / "board", {"app.py": BOARD.format(start="socketio.run(app, port=5000)"),
                                          "requirements.txt": "Flask\nFlask-SocketIO\n"})
    found = find(Project(root), None)
    assert found.entry.target == "app:app" and found.entry.starts_server_on_import, found.entry


def test_a_guarded_socketio_run_is_no_start_at_import(tmp_path):
    root = make_tree(tmp_path / "board", {
        "app.py": BOARD.format(start="if __name__ == '__main__':\n    socketio.run(app, debug=True)"),
        "requirements.txt": "Flask\nFlask-SocketIO\n"})
    found = find(Project(root), None)
    assert found.entry.target == "app:app" and not found.entry.starts_server_on_import, found.entry
