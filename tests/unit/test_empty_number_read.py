"""A number read from a variable with an empty default (`int(config("TOKEN_EXPIRE_MINUTES", default=""))`, a
template's settings whose values the author's uncommitted .env gives) fails at import with int('')'s own words,
which name no variable: the import check names the variable, and what the app's example env file says of it."""

import sys

from conftest import make_tree
from shipyard.detect import entry
from shipyard.detect.entry.proof import _raise_for
from shipyard.errors import AppConfigError, ShipyardError
from shipyard.project import Project

import pytest

SETTINGS = ("from starlette.config import Config\n\nconfig = Config('.env')\n\n"
            "DATABASE_URL = config('EE_DATABASE_URL', cast=str, default='')\n"
            "ACCESS_TOKEN_EXPIRE_MINUTES = int(config('EE_ACCESS_TOKEN_EXPIRE_MINUTES', cast=str, default=''))\n")
APP = "from fastapi import FastAPI\nfrom settings import config\n\napp = FastAPI()\n"


def _fail(tmp_path, message, where="settings/config.py:6", env=None):
    root = make_tree(tmp_path, {"main.py": APP, "settings/__init__.py": "", "settings/config.py": SETTINGS,
                                "sample.env": "EE_DATABASE_URL=\nEE_ACCESS_TOKEN_EXPIRE_MINUTES=\n",
                                "requirements.txt": "fastapi\n"})
    project = Project(root)
    found = entry.find(project, None)
    with pytest.raises(ShipyardError) as caught:
        _raise_for(project, found, {"error": "exception", "type": "ValueError", "message": message, "where": where},
                   sys.executable, "main:app", env or {})
    return caught.value


def test_int_of_an_empty_default_names_the_variable_and_the_example(tmp_path):
    error = _fail(tmp_path, "ValueError: invalid literal for int() with base 10: ''")
    assert isinstance(error, AppConfigError)
    assert error.message.startswith("settings/config.py:6: importing main:app failed (ValueError: invalid literal")
    assert "it reads EE_ACCESS_TOKEN_EXPIRE_MINUTES as a number, and it is not set" in error.message
    assert "sample.env leaves it empty, for you to fill" in error.message
    assert error.hint.startswith("set EE_ACCESS_TOKEN_EXPIRE_MINUTES to a number")


def test_another_value_error_or_a_set_variable_is_not_said_so(tmp_path):
    error = _fail(tmp_path, "ValueError: invalid literal for int() with base 10: 'abc'")
    assert "as a number" not in error.message
    error = _fail(tmp_path / "set", "ValueError: invalid literal for int() with base 10: ''",
                  env={"EE_ACCESS_TOKEN_EXPIRE_MINUTES": "x"})
    assert "as a number" not in error.message
