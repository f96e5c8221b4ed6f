"""A Django project run from application/, whose package is app/, with settings that still name `application` (the
project's name before its package was renamed): the import fails on a name that is the folder the app runs from,
which no link or PYTHONPATH makes into app/'s modules. The one line says so and where the name is; a module that
is under that folder (web.helpers for web/helpers.py) stays the folder question it was."""

from __future__ import annotations

import sys

import pytest

from shipyard.detect import entry
from shipyard.detect.entry.own_folder import own_folder_name
from shipyard.errors import AppCodeError
from shipyard.project import Project

from conftest import make_tree

PY = sys.executable
TIMEOUT = 60.0

RENAMED = {
    "requirements.txt": "Django\n",
    "application/manage.py": """
        import os
        import sys

        if __name__ == "__main__":
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "application.settings")
            from django.core.management import execute_from_command_line
            execute_from_command_line(sys.argv)
        """,
    "application/app/__init__.py": "",
    "application/app/settings.py": """
        SECRET_KEY = "x"
        DEBUG = True
        ALLOWED_HOSTS = []
        INSTALLED_APPS = [
            "django.contrib.contenttypes",
            "application",
        ]
        ROOT_URLCONF = "application.urls"
        WSGI_APPLICATION = "application.wsgi.application"
        DATABASES = {}
        """,
    "application/app/urls.py": "urlpatterns = []\n",
    "application/app/wsgi.py": """
        import os

        from django.core.wsgi import get_wsgi_application

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "application.settings")

        application = get_wsgi_application()
        """,
}


def test_settings_naming_the_folder_the_app_runs_from_say_where_not_a_pythonpath(tmp_path):
    make_tree(tmp_path, RENAMED)
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == ("application", "app.wsgi:application"), found
    with pytest.raises(AppCodeError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    message, hint = failed.value.message, failed.value.hint
    assert "cannot import 'application': application/ is the folder the app runs from, not a module in it; " \
           "app/settings.py:6 names it" in message, message
    assert "PYTHONPATH" not in message + hint and "link or copy" not in hint
    assert "change 'application' at app/settings.py:6" in hint and "(the package there: app/)" in hint


def test_a_module_under_the_folder_is_not_this_case(tmp_path):
    make_tree(tmp_path, {"web/app.py": "import web.helpers\n", "web/helpers.py": "", "web/lib/__init__.py": ""})
    project = Project(tmp_path)
    assert own_folder_name(project, "web", "web.helpers") is None      # web/helpers.py: the folder as a package
    assert own_folder_name(project, "web", "other") is None
    assert own_folder_name(project, ".", "web") is None
    named = own_folder_name(project, "web", "web.models")
    assert named is not None and named.named_at == "app.py:1" and named.packages == ("lib",)
