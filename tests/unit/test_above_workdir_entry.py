"""A package the app imports from a folder above the one it runs from: a service in web/ imports shared/, which
the project keeps at its root and docker-compose.yml mounts into the service's code folder. The entry stands (not
proven, as inspect shows it) and the one line says where the package is and what makes it importable."""

from __future__ import annotations

import sys

import pytest

from shipyard.detect import entry
from shipyard.errors import AppCodeError, AppLoadError
from shipyard.project import Project

from conftest import make_tree

PY = sys.executable
TIMEOUT = 30.0

SERVICE = {
    "web/app.py": """
        from flask import Flask
        from views import bp
        from shared.store import Store

        app = Flask(__name__)
        app.register_blueprint(bp)
        store = Store()
        """,
    "web/views.py": """
        from flask import Blueprint

        bp = Blueprint("views", __name__)


        @bp.route("/")
        def home():
            return "ok"
        """,
    "shared/__init__.py": "",
    "shared/store.py": "class Store:\n    pass\n",
}
COMPOSE = """
    services:
      web:
        build: ./web
        command: gunicorn -b 0.0.0.0:8000 app:app
        volumes:
          - ./web:/app
          - ./shared:/app/shared
    """


@pytest.mark.parametrize("compose", [True, False])
def test_a_package_above_the_apps_folder_keeps_the_entry_and_says_how_it_is_reached(tmp_path, compose):
    make_tree(tmp_path, {**SERVICE, **({"docker-compose.yml": COMPOSE} if compose else {})})
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == ("web", "app:app"), found
    with pytest.raises(AppCodeError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    message = failed.value.message
    assert "app.py:3: cannot import 'shared' while running from web/: the project has it as shared/, in a " \
           "folder above web/" in message
    assert ("docker-compose.yml mounts into the app's code (./shared:/app/shared)" in message) is compose
    assert "link or copy shared/ into web/, or put the project's root on PYTHONPATH" in failed.value.hint


def test_a_package_of_a_sibling_folder_is_still_a_folder_question(tmp_path):
    # shared/ under lib/, beside web/, not above it: no folder above web/ has it, as before
    files = {("lib/" + k if k.startswith("shared/") else k): v for k, v in SERVICE.items()}
    make_tree(tmp_path, files)
    found = entry.find(Project(tmp_path), None)
    with pytest.raises(AppLoadError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    assert not isinstance(failed.value, AppCodeError) and "not importable from there" in failed.value.message
