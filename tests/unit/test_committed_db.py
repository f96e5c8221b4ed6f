"""A SQLite database at the app's root that its git repository tracks is its data: the image holds it (an
exception after the .dockerignore's local-database patterns). Untracked, or with no repository, it stays out."""

from __future__ import annotations

import sqlite3
import subprocess

from conftest import make_tree, require_tool
from shipyard.detect.committed_db import committed_databases
from shipyard.planner import make_plan
from shipyard.plan import Plan
from shipyard.project import Project
from shipyard.render import Target, render

APP = {
    "app.py": '''
        import sqlite3

        from flask import Flask

        app = Flask(__name__)


        @app.route("/")
        def index():
            return str(sqlite3.connect("employee.db").execute("SELECT count(*) FROM employee").fetchone()[0])
        ''',
    "requirements.txt": "flask\n",
}


def _database(path):
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE employee (name TEXT)")
        db.execute("INSERT INTO employee VALUES ('committed')")


def _git(root, *args):
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                   check=True, capture_output=True, timeout=60)


def test_a_tracked_root_database_is_the_apps_data_and_goes_into_the_image(tmp_path, monkeypatch):
    require_tool("git")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = make_tree(tmp_path / "app", APP)
    _database(root / "employee.db")
    _database(root / "local.sqlite3")            # a developer's own, never added
    (root / "notes.db").write_text("not a database")
    _git(root, "init", "-q")
    _git(root, "add", "app.py", "requirements.txt", "employee.db", "notes.db")
    _git(root, "commit", "-q", "-m", "app")
    assert committed_databases(Project(root)) == ("employee.db",)
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.committed_databases == ("employee.db",) and Plan.from_json(plan.to_json()) == plan
    ignore = render(plan, Target.image())[".dockerignore"]
    assert ignore.index("*.db\n") < ignore.index("\n!employee.db\n"), ignore
    assert "!local.sqlite3" not in ignore and "!notes.db" not in ignore


def test_without_a_repository_a_root_database_stays_out(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = make_tree(tmp_path / "app", APP)
    _database(root / "employee.db")
    assert committed_databases(Project(root)) == ()
    ignore = render(make_plan(root, confirm=False, installed=False), Target.image())[".dockerignore"]
    assert "*.db\n" in ignore and "!" not in ignore
