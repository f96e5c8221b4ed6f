"""A KeyError for a value the app reads from `dotenv_values(".env")` (the file alone, not the environment) when
the project ships only .env.example: the import check says which file to write from which example, in one line,
instead of `KeyError: 'USER'`."""

from __future__ import annotations

import sys

import pytest

from conftest import make_tree
from shipyard.detect import entry
from shipyard.detect.entry.dotenv_file import DotenvFile, dotenv_file_read
from shipyard.errors import AppConfigError
from shipyard.project import Project

MODELS = ("from dotenv import dotenv_values\n"
          "secrets_values = dotenv_values('.env')\n"
          "USER = secrets_values['USER']\n"
          "PASSWORD = secrets_values['PASSWORD']\n"
          "DSN = f'postgresql://{USER}:{PASSWORD}@localhost/app'\n")
# the app's own reader of the file's values, as python-dotenv's dotenv_values (not in the dev environment)
ENVFILE = ("import os\n\n\ndef dotenv_values(path):\n"
           "    if not os.path.exists(path):\n        return {}\n"
           "    return dict(line.split('=', 1) for line in open(path).read().split())\n")
APP = ("from flask import Flask\nimport models\n\napp = Flask(__name__)\n")


def test_the_value_read_from_an_absent_dotenv_file_names_the_file_and_its_example(tmp_path):
    root = make_tree(tmp_path, {"models.py": MODELS, ".env.example": "USER=\nPASSWORD=\n"})
    assert dotenv_file_read(Project(root), ".", "models.py:3", "KeyError: 'USER'") == \
        DotenvFile("models.py", ".env", ".env.example", ("USER", "PASSWORD"))
    assert dotenv_file_read(Project(root), ".", "models.py:3", "'USER'") is not None
    # a key the file does not take from the dotenv values, or a dotenv file that is there: not this
    assert dotenv_file_read(Project(root), ".", "models.py:3", "KeyError: 'OTHER'") is None
    (root / ".env").write_text("USER=me\n")
    assert dotenv_file_read(Project(root), ".", "models.py:3", "KeyError: 'PASSWORD'") is None


def test_the_import_check_says_to_write_the_dotenv_file_from_its_example(tmp_path):
    make_tree(tmp_path, {"main.py": APP, "models.py": MODELS.replace("from dotenv import", "from envfile import"),
                         "envfile.py": ENVFILE, ".env.example": "USER=\nPASSWORD=\n"})
    found = entry.find(Project(tmp_path), None)
    assert found.entry.target == "main:app"
    with pytest.raises(AppConfigError) as err:
        entry.confirm(Project(tmp_path), found, sys.executable, 30.0)
    assert "models.py reads USER, PASSWORD from .env with dotenv_values (the file alone, not the environment), " \
           "and .env is not in the project; its example .env.example lists what to write" in err.value.message
    assert "(KeyError: 'USER')" in err.value.message
    assert err.value.hint == "cp .env.example .env, fill in USER, PASSWORD, and run again"
