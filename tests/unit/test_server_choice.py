"""The server an app gets when the user chose none: granian, unless the app's protocol or its Python
rules it out."""

from __future__ import annotations

from conftest import make_tree
from shipyard.planner import make_plan

APP = {"app.py": "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/')\ndef index():\n    return 'hi'\n",
       "requirements.txt": "flask\n"}


def test_an_app_on_an_older_python_than_granian_supports_gets_gunicorn(tmp_path):
    root = make_tree(tmp_path / "old", {**APP, ".python-version": "3.8\n"})
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.settings["server"] == "gunicorn"
    assert any("older than granian supports (3.10+)" in n for n in plan.notes)
    assert not any(d.name == "granian" for d in plan.dependencies)


def test_an_app_on_python_3_9_gets_gunicorn_as_granian_releases_with_the_launchers_flags_need_3_10(tmp_path):
    # granian 2.6 (--uds-permissions) has no 3.9 wheel: on 3.9 uv installs a 2.5 that refuses the flag at start
    root = make_tree(tmp_path / "py39", {**APP, ".python-version": "3.9\n"})
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.python.version.startswith("3.9"), plan.python
    assert plan.settings["server"] == "gunicorn"
    assert any("Python 3.9 is older than granian supports (3.10+)" in n for n in plan.notes), plan.notes
    new = make_tree(tmp_path / "py310", {**APP, ".python-version": "3.10\n"})
    plan = make_plan(new, confirm=False, installed=False)
    assert plan.settings["server"] == "granian"
    assert [d.spec for d in plan.dependencies if d.name == "granian"] == [">=2.6"]


def test_the_users_choice_and_newer_pythons_keep_granian(tmp_path):
    old = make_tree(tmp_path / "old", {**APP, ".python-version": "3.8\n"})
    chosen = make_plan(old, {"server": "granian"}, confirm=False, installed=False)
    assert chosen.settings["server"] == "granian" and not any("older than" in n for n in chosen.notes)
    new = make_tree(tmp_path / "new", {**APP, ".python-version": "3.12\n"})
    assert make_plan(new, confirm=False, installed=False).settings["server"] == "granian"


def test_a_paste_ini_entry_gets_gunicorn_which_reads_it():
    # granian cannot load a paste .ini (render.check_supported refuses it): gunicorn --paste is the default
    from conftest import FIXTURES
    plan = make_plan(FIXTURES / "apps" / "pyramid_paste", confirm=False, installed=False)
    assert plan.entry.kind == "paste" and plan.settings["server"] == "gunicorn"
    assert any(d.name == "gunicorn" for d in plan.dependencies)
    assert not any("older than" in n for n in plan.notes)
    chosen = make_plan(FIXTURES / "apps" / "pyramid_paste", {"server": "uwsgi"}, confirm=False, installed=False)
    assert chosen.settings["server"] == "uwsgi"
