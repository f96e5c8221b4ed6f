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


STARTUP = ("from fastapi import FastAPI\nfrom dotenv import dotenv_values\n\nconfig = dotenv_values('.env')\n"
           "app = FastAPI()\n\n\n@app.on_event('startup')\ndef startup_db_client():\n"
           "    app.url = config['ATLAS_URI']\n")


def _start_failure(root):
    """serve's error when the app's server exits while starting, its output ending with the start-up hook's
    KeyError (granian's worker, as a real serve printed it)."""
    import collections
    import types

    from shipyard.run.tree import ProcessTree, TreeSpec
    output = ["[INFO] Starting granian", "Traceback (most recent call last):",
              '  File "/venv/lib/python3.12/site-packages/fastapi/routing.py", line 282, in __aenter__',
              "    await self._router._startup()",
              f'  File "{root / "main.py"}", line 10, in startup_db_client',
              "    app.url = config['ATLAS_URI']", "KeyError: 'ATLAS_URI'",
              "[ERROR] Unexpected exit from worker-1", "[INFO] Granian shutdown completed, see ya!"]
    tree = ProcessTree(TreeSpec(root / "supervisord.conf", root / "s.sock", ("app",), lambda: False,
                                app_folders=(root, root)))
    tree.pump = types.SimpleNamespace(lines=collections.deque(output))
    return tree._failure("app exited while starting", None)


def test_a_start_up_hooks_value_from_an_absent_dotenv_file_says_which_file_to_write(tmp_path):
    # mongoPyCrud's shape: the value is read in FastAPI's start-up hook, so the import check passes and the
    # server's start fails; serve said only "KeyError: 'ATLAS_URI'"
    root = make_tree(tmp_path, {"main.py": STARTUP})
    error = _start_failure(root)
    assert isinstance(error, AppConfigError)
    assert error.message == ("app exited while starting: KeyError: 'ATLAS_URI': main.py reads ATLAS_URI from .env "
                             "with dotenv_values (the file alone, not the environment), and .env is not in the project")
    assert error.hint == "write .env with ATLAS_URI, and run again"
    # the file there (a value it lacks is the app's own KeyError): the server's error, as before
    (root / ".env").write_text("OTHER=1\n")
    assert not isinstance(_start_failure(root), AppConfigError)
