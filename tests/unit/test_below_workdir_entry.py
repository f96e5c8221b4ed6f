"""A module the app imports by its bare name that the project keeps in a folder below the one it runs from, a
folder nothing puts on sys.path (a Django project's apps/accounts/ named 'accounts' in INSTALLED_APPS, the
settings' sys.path line missing). The entry stands (not proven, as inspect shows it) and the one line says where
the module is and what makes it importable, instead of asking for another --entry."""

from __future__ import annotations

import pytest

from shipyard.detect import entry
from shipyard.errors import AppCodeError, AppLoadError
from shipyard.project import Project

from conftest import make_tree
from test_above_workdir_entry import PY, TIMEOUT

APPS_FOLDER = {
    "app.py": """
        from flask import Flask
        from accounts import bp

        app = Flask(__name__)
        app.register_blueprint(bp)
        """,
    "apps/accounts/__init__.py": """
        from flask import Blueprint

        bp = Blueprint("accounts", __name__)


        @bp.route("/")
        def home():
            return "ok"
        """,
}


def test_a_module_in_a_folder_below_that_nothing_puts_on_sys_path_keeps_the_entry(tmp_path):
    make_tree(tmp_path, APPS_FOLDER)
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == (".", "app:app"), found
    with pytest.raises(AppCodeError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    assert "app.py:2: cannot import 'accounts' while running from ./: the project has it as apps/accounts/, in " \
           "apps/ below that folder, which nothing in the app puts on sys.path" in failed.value.message
    assert "put apps/ on sys.path in the app's code" in failed.value.hint
    assert "import it as apps.accounts" in failed.value.hint


def test_a_package_folder_below_is_still_a_folder_question(tmp_path):
    # apps/ is a package: `import apps.accounts` is how the module imports, not a folder to put on sys.path
    make_tree(tmp_path, {**APPS_FOLDER, "apps/__init__.py": ""})
    found = entry.find(Project(tmp_path), None)
    with pytest.raises(AppLoadError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    assert not isinstance(failed.value, AppCodeError) and "not importable from there" in failed.value.message
