"""A module the app imports that the project ships only as a distribution of its own, in a folder with its
setup.cfg (the Django tutorial's reusable-app step: polls/ moved into a django-polls/ folder, still named in
INSTALLED_APPS). The entry stands (not proven, as inspect shows it) and the one line names the folder to install."""

from __future__ import annotations

import sys

import pytest

from shipyard.detect import entry
from shipyard.errors import AppConfigError
from shipyard.project import Project

from conftest import make_tree

PY = sys.executable
TIMEOUT = 30.0

APP = {
    "app.py": """
        from flask import Flask
        from polls import bp

        app = Flask(__name__)
        app.register_blueprint(bp)
        """,
    ".packaged/django-polls/polls/__init__.py": """
        from flask import Blueprint

        bp = Blueprint("polls", __name__)
        """,
    ".packaged/django-polls/pyproject.toml": "[build-system]\nrequires = ['setuptools']\n",
}
SETUP_CFG = "[metadata]\nname = django-polls\nversion = 0.1\n\n[options]\npackages = find:\n"


@pytest.mark.parametrize("setup_cfg", [True, False])
def test_a_package_only_in_a_local_distribution_keeps_the_entry_and_names_the_folder_to_install(tmp_path, setup_cfg):
    make_tree(tmp_path, {**APP, **({".packaged/django-polls/setup.cfg": SETUP_CFG} if setup_cfg else {})})
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == (".", "app:app"), found
    with pytest.raises(AppConfigError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    named = "(setup.cfg names it django-polls)" if setup_cfg else "(with its pyproject.toml)"
    assert ("app.py:2: importing app:app needs 'polls', which the project has only in its own distribution "
            f".packaged/django-polls/ {named}, not installed and not importable from ./") in failed.value.message
    assert failed.value.hint == ("install it (pip install ./.packaged/django-polls), or put .packaged/django-polls/ "
                                 "on PYTHONPATH, and run again")
