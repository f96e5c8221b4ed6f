"""load_dotenv() of a .env the project ships only as its example (.env.sample), then os.getenv("DB_URL") passed to
a package that refuses None (Flask-PyMongo's ValueError "You must specify a URI"): the import check says which file
to write from which example, and the names it needs, in one line, instead of the package's error and "fix it in the
app's code"."""

from __future__ import annotations

import sys

import pytest

from conftest import make_tree
from shipyard.detect import entry
from shipyard.detect.entry.dotenv_file import DotenvFile, loaded_from_example
from shipyard.errors import AppConfigError
from shipyard.project import Project

# python-dotenv's load_dotenv as the app's own module (python-dotenv is not in the dev environment)
LOADER = "def load_dotenv(dotenv_path=None):\n    return False\n"
KEYS = ("import os\nfrom loader import load_dotenv\n\nload_dotenv()\n"
        "db_url = os.getenv('DB_URL')\nsecret = os.getenv(\"SECRET\")\n")
APP = ("from flask import Flask\nfrom api.config.keys import db_url\n\n"
       "if db_url is None:\n    raise ValueError('You must specify a URI or set the MONGO_URI Flask config variable')\n"
       "app = Flask(__name__)\n")
SAMPLE = "REACT_APP_ENV_TYPE=\"development\"\nSECRET=\nDB_URL=\nDB_NAME=\n"


def project(tmp_path):
    return make_tree(tmp_path, {"server.py": APP, "loader.py": LOADER, "api/__init__.py": "",
                                "api/config/__init__.py": "", "api/config/keys.py": KEYS, ".env.sample": SAMPLE})


def test_the_file_its_example_and_the_names_the_app_reads(tmp_path):
    root = project(tmp_path)
    assert loaded_from_example(Project(root), ".") == \
        DotenvFile("api/config/keys.py", ".env", ".env.sample", ("SECRET", "DB_URL"))
    # a .env on the search's way up from the reader: not this
    (root / "api" / ".env").write_text("DB_URL=x\n")
    assert loaded_from_example(Project(root), ".") is None


def test_a_named_file_with_no_example_is_not_this(tmp_path):
    root = make_tree(tmp_path, {"keys.py": KEYS.replace("load_dotenv()", "load_dotenv('settings.env')"),
                                "loader.py": LOADER, ".env.sample": SAMPLE})
    assert loaded_from_example(Project(root), ".") is None
    (root / "settings.env.example").write_text("DB_URL=\n")
    assert loaded_from_example(Project(root), ".") == DotenvFile("keys.py", "settings.env", "settings.env.example",
                                                                 ("DB_URL",))


def test_the_import_check_says_to_write_the_dotenv_file_from_its_example(tmp_path):
    root = project(tmp_path)
    found = entry.find(Project(root), None)
    assert found.entry.target == "server:app"
    with pytest.raises(AppConfigError) as err:
        entry.confirm(Project(root), found, sys.executable, 30.0)
    assert "(ValueError: You must specify a URI or set the MONGO_URI Flask config variable): api/config/keys.py " \
           "loads .env with load_dotenv and reads SECRET, DB_URL, unset here: .env is not in the project, only its " \
           "example .env.sample" in err.value.message
    assert err.value.hint == "cp .env.sample .env, fill in SECRET, DB_URL, and run again"
