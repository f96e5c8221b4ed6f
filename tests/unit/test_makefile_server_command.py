"""A course project keeps a second copy of its Flask app (app_old.py beside app.py, in the same package) and
starts it in production with its Makefile (`server: poetry run gunicorn ... hexlet_flask_example.app:app`); its
Dockerfile's CMD names the package (`hexlet_flask_example:app`, whose __init__.py is empty), no app. Without a
Procfile, the Makefile's (or justfile's) server command names the entry, as a root shell script's does; a
recipe that runs no server (a celery worker) names none."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import make_tree
from shipyard.detect import entry
from shipyard.errors import ShipyardError
from shipyard.project import Project

APP = '''\
from flask import Flask

app = Flask(__name__)


@app.route("/users")
def users():
    return "users{suffix}"
'''
DOCKERFILE = 'FROM python:3.10\nWORKDIR /srv\nCOPY . /srv\nCMD ["poetry", "run", "gunicorn", "--bind", ' \
             '"0.0.0.0:8080", "courses:app"]\n'


def project(root: Path, task_file: str, recipe: str) -> Project:
    return Project(make_tree(root, {
        "courses/__init__.py": "",
        "courses/app.py": APP.format(suffix=""),
        "courses/app_old.py": APP.format(suffix=" (old)"),
        "Dockerfile": DOCKERFILE,
        "pyproject.toml": '[tool.poetry]\nname = "courses"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\n'
                          'python = "^3.10"\nflask = "^3.0"\ngunicorn = "^22.0"\n',
        task_file: recipe,
    }))


@pytest.mark.parametrize("task_file, recipe", [
    ("Makefile", "start:\n\tpoetry run flask --app courses.app --debug run\n\n"
                 "server:\n\tpoetry run gunicorn --workers=4 --bind=0.0.0.0:$(PORT) courses.app:app\n"),
    ("justfile", "serve:\n    poetry run gunicorn -w 2 courses.app:app\n"),
])
def test_the_task_files_server_command_names_the_app(tmp_path, task_file, recipe):
    found = entry.find(project(tmp_path / "courses", task_file, recipe), None)
    assert (found.entry.target, found.workdir) == ("courses.app:app", "."), found


def test_a_recipe_that_runs_no_server_names_no_app(tmp_path):
    # the worker's recipe names the old copy: taken, it would be the entry; not taken, the package's app.py is, as
    # `flask run` in the package's folder serves it (the last rule before "found 2 apps")
    found = entry.find(project(tmp_path / "courses", "Makefile", "worker:\n\tcelery -A courses.app_old:app worker\n"),
                       None)
    assert found.entry.target == "courses.app:app"
    assert not any("Makefile" in note for note in found.notes)


def test_without_a_package_app_py_a_recipe_that_runs_no_server_leaves_the_choice_to_the_user(tmp_path):
    root = project(tmp_path / "courses", "Makefile", "worker:\n\tcelery -A courses.main:app worker\n").root
    (root / "courses" / "app.py").rename(root / "courses" / "main.py")
    with pytest.raises(ShipyardError, match="found 2 apps"):
        entry.find(Project(root), None)
