"""`from sql_app import secret_key` where the app's .gitignore keeps sql_app/secret_key.py to its author (a 2023
FastAPI backend): Python says "cannot import name 'secret_key' from 'sql_app'", an ImportError and not a
ModuleNotFoundError, and the message said "fix it in the app's code"; it is the author's uncommitted file, a setup step."""
from __future__ import annotations

import sys

import pytest

from shipyard.detect import entry
from shipyard.detect.entry.proof import _raise_for
from shipyard.errors import AppConfigError, ShipyardError
from shipyard.project import Project

from conftest import make_tree

MAIN = ("from fastapi import FastAPI\nfrom sql_app import secret_key\n\nSECRET_KEY = secret_key.secret_key\n"
        "ALGORITHM = secret_key.algorithm\napp = FastAPI()\n")
MESSAGE = "ImportError: cannot import name 'secret_key' from 'sql_app' (/srv/app/sql_app/__init__.py)"


def _fail(tmp_path, files):
    root = make_tree(tmp_path, {"main.py": MAIN, "sql_app/__init__.py": "", "requirements.txt": "fastapi\n", **files})
    project = Project(root)
    with pytest.raises(ShipyardError) as caught:
        _raise_for(project, entry.find(project, None), {"error": "exception", "type": "ImportError",
                                                        "message": MESSAGE, "where": "main.py:2"},
                   sys.executable, "main:app", {})
    return caught.value


def test_a_gitignored_module_of_the_apps_package_is_said_as_the_authors_file(tmp_path):
    error = _fail(tmp_path, {".gitignore": "secret_key.py\ntest.db\n"})
    assert isinstance(error, AppConfigError)
    assert "needs sql_app/secret_key.py, which is not in the project (.gitignore keeps it out of git)" in error.message
    assert error.hint == "write sql_app/secret_key.py with secret_key and algorithm, and run again"


def test_without_a_gitignore_naming_it_the_name_may_be_the_packages_own(tmp_path):
    # a name sql_app/__init__.py does not define (a circular import, a typo): not a file to write
    error = _fail(tmp_path, {})
    assert "sql_app/secret_key.py" not in error.message
