"""A second `inspect` after `init` reaches the plan the first one made: the files `init` wrote (the runtime
helper's example URLs, the gunicorn config) are Shipyard's output, not evidence about the app, until the user
edits them."""

from __future__ import annotations

import json

from shipyard.__main__ import main

APP = '''from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///todo.db"
db = SQLAlchemy(app)


class Todo(db.Model):
    id = db.Column(db.Integer, primary_key=True)


@app.route("/")
def index():
    return "ok"
'''


def _dependencies(capsys, root) -> dict[str, str]:
    assert main(["inspect", str(root), "--no-import", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    return {d["name"]: d["source"] for d in plan["dependencies"]}


def _sqlite_app(tmp_path):
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "requirements.txt").write_text("flask\nflask-sqlalchemy\n")
    return tmp_path


def test_inspect_after_init_infers_nothing_from_the_generated_files(tmp_path, capsys):
    root = _sqlite_app(tmp_path)
    before = _dependencies(capsys, root)
    assert main(["init", str(root), "--no-import"]) == 0
    capsys.readouterr()
    runtime = (root / "shipyard_runtime.py").read_text()
    assert "sqlite+aiosqlite://" in runtime and "flask_migrate" in runtime    # what used to be read as the app's
    after = _dependencies(capsys, root)
    assert after == before
    assert not any("shipyard_runtime.py" in source for source in after.values())


def test_a_generated_file_the_user_edited_counts_as_the_apps(tmp_path, capsys):
    root = _sqlite_app(tmp_path)
    assert main(["init", str(root), "--no-import"]) == 0
    capsys.readouterr()
    runtime = root / "shipyard_runtime.py"
    runtime.write_text(runtime.read_text() + "\nimport redis\n")
    after = _dependencies(capsys, root)
    assert "redis" in after and "shipyard_runtime.py" in after["redis"]


def test_the_stacks_secrets_file_is_neither_the_apps_env_file_nor_evidence(tmp_path, capsys):
    """`init --topology compose` creates shipyard.env (the stack's logins and DATABASE_URL with its driver): a
    second inspect must not take it as the app's example env file, nor read its URL as the app's."""
    from shipyard.detect import envfile
    from shipyard.project import Project
    (tmp_path / "main.py").write_text(
        "from fastapi import FastAPI\nfrom sqlalchemy import create_engine\n\n"
        "engine = create_engine('postgresql://postgres:postgres@localhost/shop')\napp = FastAPI()\n\n\n"
        "@app.get('/')\ndef index():\n    return {}\n")
    (tmp_path / "requirements.txt").write_text("fastapi\nsqlalchemy\npsycopg2\n")
    assert main(["inspect", str(tmp_path), "--no-import", "--json"]) == 0
    before = json.loads(capsys.readouterr().out)
    assert main(["init", str(tmp_path), "--no-import", "--topology", "compose"]) == 0
    capsys.readouterr()
    assert "DATABASE_URL=postgresql+psycopg2://" in (tmp_path / "shipyard.env").read_text()
    assert envfile.find(Project(tmp_path)) is None
    assert main(["inspect", str(tmp_path), "--no-import", "--json"]) == 0
    after = json.loads(capsys.readouterr().out)
    assert after["services"] == before["services"] and after["dependencies"] == before["dependencies"]
