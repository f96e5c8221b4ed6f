"""A settings file that requires a list of variables in a loop (`for _var in _REQUIRED_SECRETS:
os.environ.get(_var, "")`, then a raise naming the first one unset): the import stopped on one name per run, and
the message named only that one. The list's other unset names are said at once (detect/required_list.py)."""

from __future__ import annotations

import os
import sys

import pytest

from shipyard.detect import entry
from shipyard.detect.required_list import listed_with
from shipyard.errors import AppConfigError
from shipyard.project import Project

from conftest import make_tree

PRODUCTION = """\
import os

from .base import *

_REQUIRED_SECRETS = [
    "SECRET_KEY",
    "SYNC_SECRET",
    "REVALIDATE_SECRET",
    "CIPHER_KEY",
]
for _var in _REQUIRED_SECRETS:
    _val = os.environ.get(_var, "")
    if not _val or _val.startswith("dev-"):
        raise ValueError(f"Production requires a secure {_var} environment variable")

SECRET_KEY = os.environ["SECRET_KEY"]
SYNC_SECRET = os.environ["SYNC_SECRET"]
"""
BASE = ("import os\nSECRET_KEY = os.environ.get('SECRET_KEY', 'dev-key')\n"
        "SYNC_SECRET = os.environ.get('SYNC_SECRET', 'dev-sync')\n"
        "REVALIDATE_SECRET = os.environ.get('REVALIDATE_SECRET', 'dev-secret')\n")
APP = "from flask import Flask\nfrom settings.production import *\n\napp = Flask(__name__)\n"


def _app(tmp_path):
    return make_tree(tmp_path / "app", {"app.py": APP, "settings/__init__.py": "", "settings/base.py": BASE,
                                        "settings/production.py": PRODUCTION})


def test_the_names_of_a_required_list_read_in_a_loop_are_found(tmp_path):
    project = Project(_app(tmp_path))
    assert listed_with(project, "settings/production.py", "REVALIDATE_SECRET") == (
        "SECRET_KEY", "SYNC_SECRET", "REVALIDATE_SECRET", "CIPHER_KEY")
    assert listed_with(project, "settings/production.py", "OTHER") == ()
    assert listed_with(project, "settings/base.py", "SECRET_KEY") == ()


def test_a_loop_over_names_that_reads_no_environment_is_no_required_list(tmp_path):
    project = Project(make_tree(tmp_path / "p", {"s.py": (
        "APPS = ['a', 'b']\nfor name in APPS:\n    print(name)\n"
        "for key in ('X_KEY', 'Y_KEY'):\n    globals()[key] = None\n")}))
    assert listed_with(project, "s.py", "a") == () and listed_with(project, "s.py", "X_KEY") == ()


def test_the_list_s_other_unset_names_are_said_with_the_one_that_failed(tmp_path):
    app = _app(tmp_path)
    project = Project(app)
    found = entry.find(project, None)
    base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "SYNC_SECRET", "REVALIDATE_SECRET",
                                                             "CIPHER_KEY")}
    with pytest.raises(AppConfigError) as raised:
        entry.confirm(project, found, sys.executable, 30.0,
                      environ={**base, "SECRET_KEY": "given", "SYNC_SECRET": "given"})
    # REVALIDATE_SECRET stopped the import; CIPHER_KEY, read only through the list, would stop the next run
    assert raised.value.variables == ("REVALIDATE_SECRET", "CIPHER_KEY")
    assert "also reads CIPHER_KEY with no default" in raised.value.message
    assert raised.value.hint.startswith("set REVALIDATE_SECRET and CIPHER_KEY")
