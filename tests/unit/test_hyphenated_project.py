"""A Django project whose folder was renamed to a name with hyphens (a study group's template named after its
repository: django-rest-framework-14th/settings, DJANGO_SETTINGS_MODULE="django-rest-framework-14th.settings"):
no module of it can be named as an entry, and the one line says why and what to rename (detect/entry/messages.py)."""

from __future__ import annotations

import pytest

from conftest import make_tree
from shipyard.detect import entry
from shipyard.errors import AppNotFound
from shipyard.project import Project

MANAGE = """\
    import os
    import sys

    if __name__ == "__main__":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{name}.settings")
        from django.core.management import execute_from_command_line
        execute_from_command_line(sys.argv)
    """
WSGI = """\
    import os

    from django.core.wsgi import get_wsgi_application

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{name}.settings")
    application = get_wsgi_application()
    """


def _project(root, name: str):
    return make_tree(root, {"manage.py": MANAGE.format(name=name), f"{name}/__init__.py": "",
                            f"{name}/settings/__init__.py": "from .base import *\n",
                            f"{name}/settings/base.py": f"SECRET_KEY = 'x'\nROOT_URLCONF = '{name}.urls'\n"
                                                        f"WSGI_APPLICATION = '{name}.wsgi.application'\n",
                            f"{name}/urls.py": "urlpatterns = []\n", f"{name}/wsgi.py": WSGI.format(name=name),
                            "api/__init__.py": "", "api/models.py": "from django.db import models\n"})


def test_a_django_project_folder_with_hyphens_is_named_as_the_reason_no_app_is_found(tmp_path):
    root = _project(tmp_path / "study", "django-rest-framework-14th")
    with pytest.raises(AppNotFound) as caught:
        entry.find(Project(root), None)
    error = caught.value
    assert error.message.startswith("no web app found (searched ")
    assert error.message.endswith("manage.py names the Django settings django-rest-framework-14th.settings, in the "
                                  "folder django-rest-framework-14th/, whose name no import statement can spell (a "
                                  "Python module name has no hyphens), so no module of the project is its settings' "
                                  "or its WSGI application's")
    assert error.hint.startswith("rename django-rest-framework-14th/ to django_rest_framework_14th/ and the names in "
                                 "manage.py")


def test_the_same_project_with_an_importable_folder_name_is_found(tmp_path):
    root = _project(tmp_path / "study", "django_rest_framework_14th")
    found = entry.find(Project(root), None)
    assert found.entry.target == "django_rest_framework_14th.wsgi:application"
