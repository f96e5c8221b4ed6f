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
from shipyard.project import Project

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


def _touch(path, year, month, day):
    when = time.mktime((year, month, day, 12, 0, 0, 0, 0, 0))
    os.utime(path, (when, when))


def test_an_app_that_bounds_no_package_is_dated_by_its_code_too(tmp_path):
    """requirements.txt from 2018 naming bare `starlette`, app.py rewritten in 2022 for the Starlette of then:
    with nothing holding the packages, the code's last change says which releases it follows."""
    from shipyard import environments
    root = make_tree(tmp_path / "follows", {**APP, "requirements.txt": "flask\njinja2\n"})
    _touch(root / "requirements.txt", 2018, 11, 8)
    _touch(root / "app.py", 2022, 11, 10)
    date, note = environments.resolution_date(root, ("requirements.txt",), ("flask", "jinja2"))
    assert date == "2022-11-11T00:00:00Z" and "Python files" in note
    # no count, which the proof's list (without the servers the code does not import) and serve's would contradict
    assert note.startswith("its unpinned packages resolved as of 2022-11-11"), note
    assert make_plan(root, confirm=False, installed=False).python.version == "3.11"

    pinned = make_tree(tmp_path / "holds", {**APP, "requirements.txt": "flask==1.0\njinja2\n"})
    _touch(pinned / "requirements.txt", 2018, 11, 8)
    _touch(pinned / "app.py", 2022, 11, 10)
    # a pin holds the app to its time: Flask 1.0 needs the Jinja2 of 2018, whenever app.py last changed
    assert environments.resolution_date(pinned, ("requirements.txt",), ("flask==1.0", "jinja2"))[0] == \
        "2018-11-09T00:00:00Z"


DOCKERFILE_37 = "FROM python:3.7\nCOPY . .\nCMD python app.py\n"


def _dockerfile_app(tmp_path, name, requirements, code_year, dockerfile=DOCKERFILE_37):
    root = make_tree(tmp_path / name, {**APP, "requirements.txt": requirements, "Dockerfile": dockerfile})
    _touch(root / "requirements.txt", 2018, 5, 13)
    _touch(root / "Dockerfile", 2018, 7, 11)
    _touch(root / "app.py", code_year, 12, 9)
    return root


def test_a_dockerfile_python_that_had_reached_its_end_of_life_when_unbounded_packages_resolve_gives_way(tmp_path):
    """FROM python:3.7 in 2018, bare `flask` and code rewritten in 2025: the packages resolve as of 2025, when
    3.7 had no support left (uv would fall back to the last releases for 3.7, older than the code)."""
    plan = make_plan(_dockerfile_app(tmp_path, "stale", "flask\n", 2025), confirm=False, installed=False)
    assert plan.python.version == "3.12", plan.python
    assert "Dockerfile names 3.7" in plan.python.source and "end of life by 2025-12-10" in plan.python.source


@pytest.mark.parametrize("requirements, code_year, dockerfile", [
    ("flask==0.12.2\n", 2025, DOCKERFILE_37),          # pinned: the packages do not follow the date
    ("flask\n", 2019, DOCKERFILE_37),                  # 3.7 was supported when the code last changed
    ("flask\n", 2025, "FROM python:3.10-slim\n"),      # 3.10 still was in 2025
])
def test_a_dockerfile_python_stays_when_the_packages_are_pinned_or_it_was_supported_then(
        tmp_path, requirements, code_year, dockerfile):
    root = _dockerfile_app(tmp_path, "kept", requirements, code_year, dockerfile)
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.python.source == "FROM line in Dockerfile", plan.python
    assert plan.python.version == pyversion.detect(Project(root)).version


@pytest.mark.parametrize("minor, day, gone", [("3.7", "2023-06-28", True), ("3.7", "2023-06-26", False),
                                              ("3.5", "2019-01-01", True), ("3.14", "2030-01-01", False)])
def test_end_of_life(minor, day, gone):
    assert pyversion.outlived(minor, day) is gone


def test_an_app_with_no_dependency_file_is_dated_by_its_code(tmp_path):
    """Only imports, no requirements file: its packages and its Python are those of its code's last change;
    code changed within the last days resolves as of today, on the default Python."""
    from shipyard import environments
    root = make_tree(tmp_path / "inferred", {"app.py": APP["app.py"]})
    _touch(root / "app.py", 2019, 3, 4)
    date, note = environments.resolution_date(root, (), ("flask",))
    assert date == "2019-03-05T00:00:00Z" and note.startswith("no dependency file: the packages its code imports"), note
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.python.version == "3.7" and "no dependency file" in plan.python.source, plan.python
    fresh = make_tree(tmp_path / "fresh", {"app.py": APP["app.py"]})
    assert environments.resolution_date(fresh, (), ("flask",)) == (None, "")
    assert make_plan(fresh, confirm=False, installed=False).python.source == "default (none declared)"



def _poetry_app(tmp_path, name, python, year, month, day):
    files = {"app.py": APP["app.py"],
             "pyproject.toml": f'[tool.poetry]\nname = "x"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\n'
                               f'python = "{python}"\nflask = "^2.2"\n'}
    root = make_tree(tmp_path / name, files)
    _touch(root / "pyproject.toml", year, month, day)
    return root


@pytest.mark.parametrize("python, day, minor, moved", [
    ("^3.9.5", (2023, 3, 1), "3.11", True),     # 3.12 came out in October 2023: March's packages do not know it
    ("^3.10", (2019, 5, 1), "3.10", True),      # the range starts after that day's Python: its oldest
    ("^3.9", (2025, 1, 1), "3.12", False),      # recent files keep the default
    (">=3.8,<3.11", (2024, 6, 1), "3.10", False),  # a range below the default: the nearest it allows, as before
    ("3.12.*", (2019, 5, 1), "3.12", False),    # one version is a choice, whatever the date
])
def test_a_python_range_is_a_limit_the_python_of_its_time_is_chosen_within(tmp_path, python, day, minor, moved):
    """Poetry's `python = "^3.9.5"` allows 3.12, the default; but with pyproject.toml last changed in March 2023
    the packages it leaves to the resolver resolve as of then, before 3.12 existed (typing_extensions 4.5 does
    not import on 3.12): the Python current then, inside the range."""
    root = _poetry_app(tmp_path, "app", python, *day)
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.python.version == minor, plan.python
    assert plan.python.source.startswith("python in [tool.poetry.dependencies]"), plan.python
    assert ("a range: the Python current when" in plan.python.source) is moved, plan.python


def test_the_range_is_read_only_when_it_decides(tmp_path):
    """A .python-version beside a requires-python range decides: the range is not the app's Python then."""
    root = make_tree(tmp_path / "pinned", {"app.py": APP["app.py"], ".python-version": "3.9\n",
                                           "pyproject.toml": '[project]\nname = "x"\nversion = "1"\n'
                                                             'requires-python = ">=3.8"\n'})
    assert pyversion.declared_range(Project(root)) is None
    assert pyversion.declared_range(Project(root), override="3.10") is None
    ranged = make_tree(tmp_path / "ranged", {"app.py": APP["app.py"],
                                             "pyproject.toml": '[project]\nname = "x"\nversion = "1"\n'
                                                               'requires-python = ">=3.8"\n'})
    assert pyversion.declared_range(Project(ranged)) == ">=3.8"


def test_the_plan_carries_the_day_its_open_packages_resolve_as_of(tmp_path):
    """What serve installs as of, the image installs as of too (render's --exclude-newer): the plan says it."""
    old = make_plan(_dated(make_tree(tmp_path / "old", APP), 2017, 4, 27), confirm=False, installed=False)
    assert old.resolution_date == "2017-04-28T00:00:00Z"
    assert make_plan(make_tree(tmp_path / "recent", APP), confirm=False, installed=False).resolution_date == ""


def test_what_shipyard_init_wrote_neither_declares_the_packages_nor_dates_the_code(tmp_path):
    """After `init` on an app with no dependency file: its requirements.txt (inferred, untouched) and
    shipyard_runtime.py are today's files, and made the app's packages resolve as of today (a 2022 Starlette app
    got today's Starlette in its image). They are Shipyard's: the code's day still counts, until the user edits the
    requirements (then they are the app's own)."""
    from shipyard import environments
    from shipyard.render import render
    root = make_tree(tmp_path / "inferred", {"app.py": APP["app.py"]})
    _touch(root / "app.py", 2022, 1, 27)
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.dependencies_inferred and plan.resolution_date == "2022-01-28T00:00:00Z"
    for name, text in render(plan).items():
        (root / name).write_text(text)
    again = make_plan(root, confirm=False, installed=False)
    assert again.dependencies_inferred and again.dependency_files == ()
    assert again.resolution_date == "2022-01-28T00:00:00Z"
    assert environments.code_changed(root)[0] < time.time() - 86400
    (root / "requirements.txt").write_text((root / "requirements.txt").read_text() + "requests\n")
    edited = make_plan(root, confirm=False, installed=False)
    assert edited.dependency_files == ("requirements.txt",) and edited.resolution_date == ""


@pytest.mark.parametrize("empty", ["", "\n# nothing yet\n"])
def test_an_empty_requirements_file_leaves_the_python_to_the_codes_day_as_no_file_does(tmp_path, empty):
    """The 2023 weather station's server/requirements.txt is empty: its packages come from its imports, resolved
    as of its code's last change, so its Python is that day's (3.11), as for an app with no dependency file,
    not today's default (whose first install then fails on the greenlet of May 2023)."""
    root = make_tree(tmp_path / "empty", {**APP, "requirements.txt": empty})
    _touch(root / "requirements.txt", 2023, 11, 19)
    _touch(root / "app.py", 2023, 5, 17)
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.python.version == "3.11" and "its code last changed" in plan.python.source
