"""An app that names no Python gets the one current when its dependency files last changed: pins from 2017
install on 3.12 but often do not import there (Django 1.10's vendored six). A declared Python, or recent
files, keep theirs."""

from __future__ import annotations

import os
import time

import pytest

from conftest import make_tree
from shipyard.detect import pyversion
from shipyard.planner import make_plan

APP = {"app.py": "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/')\ndef index():\n    return 'hi'\n",
       "requirements.txt": "flask==0.12.2\n"}


def _dated(root, year, month, day):
    when = time.mktime((year, month, day, 12, 0, 0, 0, 0, 0))
    os.utime(root / "requirements.txt", (when, when))
    return root


@pytest.mark.parametrize("day, minor", [("2017-04-28", "3.6"), ("2019-10-14", "3.8"), ("2022-12-02", "3.11"),
                                        ("2025-01-01", "3.12"), ("2013-10-04", "3.6")])
def test_the_python_current_on_a_day(day, minor):
    assert pyversion.current_on(day) == minor


def test_an_old_app_that_names_no_python_gets_the_python_of_its_time_and_gunicorn(tmp_path):
    plan = make_plan(_dated(make_tree(tmp_path / "old", APP), 2017, 4, 27), confirm=False, installed=False)
    assert plan.python.version == "3.6" and "(2017-04-28)" in plan.python.source
    assert plan.settings["server"] == "gunicorn"        # granian needs 3.9


def test_a_declared_python_or_recent_files_keep_theirs(tmp_path):
    declared = _dated(make_tree(tmp_path / "declared", {**APP, ".python-version": "3.11\n"}), 2017, 4, 27)
    assert make_plan(declared, confirm=False, installed=False).python.version == "3.11"
    recent = make_tree(tmp_path / "recent", APP)
    assert make_plan(recent, confirm=False, installed=False).python.source == "default (none declared)"
