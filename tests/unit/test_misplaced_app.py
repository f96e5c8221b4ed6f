"""A Django project uploaded flat: settings.py, wsgi.py and the app's apps.py (name = 'attend') all at the root, no
attend/ package. Django's import fails with "No module named 'attend'", which is no package to install: the one line
says the app's files are not in the folder its AppConfig names, and the entry found stands (not proven)."""

from __future__ import annotations

import sys

import pytest

from shipyard.detect import entry
from shipyard.detect.entry.misplaced_app import misplaced_app
from shipyard.errors import AppCodeError
from shipyard.project import Project

from conftest import make_tree
from test_own_folder_name import RENAMED

PY = sys.executable
TIMEOUT = 60.0

# the Django project of test_own_folder_name, flat: its manage.py and wsgi.py at the root, naming settings.py there
FLAT = {
    "manage.py": RENAMED["application/manage.py"].replace('"application.settings"', '"settings"'),
    "settings.py": """
        SECRET_KEY = "x"
        DEBUG = True
        ALLOWED_HOSTS = []
        INSTALLED_APPS = ["django.contrib.contenttypes", "attend"]
        ROOT_URLCONF = "urls"
        WSGI_APPLICATION = "wsgi.application"
        DATABASES = {}
        """,
    "apps.py": """
        from django.apps import AppConfig


        class AttendConfig(AppConfig):
            name = "attend"
        """,
    "urls.py": "urlpatterns = []\n",
    "wsgi.py": RENAMED["application/app/wsgi.py"].replace('"application.settings"', '"settings"'),
}


def test_an_app_whose_apps_py_is_outside_the_package_its_name_says_is_the_apps_to_move(tmp_path):
    make_tree(tmp_path, FLAT)
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == (".", "wsgi:application"), found
    with pytest.raises(AppCodeError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    message, hint = failed.value.message, failed.value.hint
    assert "needs 'attend', the Django app whose AppConfig apps.py declares (name = 'attend'), but the project has " \
           "no attend/ package" in message, message
    assert "pip install" not in hint and "move apps.py" in hint and "into attend/" in hint


def test_an_app_in_its_own_package_or_another_name_is_not_this_case(tmp_path):
    make_tree(tmp_path, {"attend/apps.py": FLAT["apps.py"], "other/apps.py": FLAT["apps.py"].replace("attend", "x")})
    project = Project(tmp_path)
    assert misplaced_app(project, "attend") is None
    assert misplaced_app(project, "y") is None
    assert misplaced_app(project, "x") == "other/apps.py"
