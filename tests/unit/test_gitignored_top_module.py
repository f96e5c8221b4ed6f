"""`import config` in the app's main.py, with config.py in .gitignore and nowhere in the project (a 2021 FastAPI
app's SECRET_KEY, ALGORITHM and API keys): the author's own module, not PyPI's `config`. The entry stands (not
proven) and the one line names the file to write and what the app reads from it; with no .gitignore saying so it
stays a missing package."""

from __future__ import annotations

import sys

import pytest

from shipyard.detect import entry
from shipyard.errors import AppConfigError, MissingDependency
from shipyard.project import Project

from conftest import make_tree

PY = sys.executable
TIMEOUT = 30.0

TREE = {
    "main.py": """
        from flask import Flask
        import helpers
        import config

        app = Flask(__name__)
        app.config["SECRET_KEY"] = config.SECRET_KEY


        @app.route("/")
        def index():
            return helpers.greet()
        """,
    "helpers.py": """
        def greet():
            import config
            return "ok" if config.API_KEY and config.ALGORITHM else ""
        """,
}


@pytest.mark.parametrize("ignore", ["config.py\n", "venv/\n/config.py\n*.db\n"])
def test_a_top_level_module_kept_out_of_git_is_a_setup_step(tmp_path, ignore):
    make_tree(tmp_path, {**TREE, ".gitignore": ignore})
    found = entry.find(Project(tmp_path), None)
    assert found.entry.target == "main:app"
    with pytest.raises(AppConfigError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    assert "main.py:3: importing main:app needs config.py, which is not in the project (.gitignore keeps it out " \
           "of git)" in failed.value.message
    assert failed.value.hint == "write config.py with SECRET_KEY and API_KEY and ALGORITHM, and run again"


def test_from_import_names_what_the_line_takes(tmp_path):
    make_tree(tmp_path, {"main.py": """
        from flask import Flask
        from keys import SECRET_KEY, DB_PASSWORD

        app = Flask(__name__)
        app.config["SECRET_KEY"] = SECRET_KEY
        """, ".gitignore": "keys.py\n"})
    found = entry.find(Project(tmp_path), None)
    with pytest.raises(AppConfigError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    assert failed.value.hint == "write keys.py with SECRET_KEY and DB_PASSWORD, and run again"


def test_with_no_gitignore_listing_it_it_stays_a_missing_package(tmp_path):
    make_tree(tmp_path, {**TREE, ".gitignore": "venv/\n"})
    found = entry.find(Project(tmp_path), None)
    with pytest.raises(MissingDependency) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    assert "needs the package 'config'" in failed.value.message
