"""A Django project whose folder was renamed to a name with hyphens (a study group's template named after its
repository: django-rest-framework-14th/settings, DJANGO_SETTINGS_MODULE="django-rest-framework-14th.settings";
a blog run as `gunicorn sec-que.wsgi`). No import statement can spell it, but importlib can, and so do Django's
settings loader, gunicorn and granian: at the project's top it is the entry by that dotted name
(detect/entry/graph.py import_root). Inside a package the dotted path is not one a server is given, and the one
line says why and what to rename (detect/entry/messages.py). So does it when the project's wsgi.py, which its
settings name in WSGI_APPLICATION, is not in the repository (a .gitignore that lists it)."""

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


def _project(root, name: str, package: str = ""):
    dotted, folder = f"{package}.{name}" if package else name, f"{package}/{name}" if package else name
    return make_tree(root, {"manage.py": MANAGE.format(name=dotted), f"{folder}/__init__.py": "",
                            **({f"{package}/__init__.py": ""} if package else {}),
                            f"{folder}/settings/__init__.py": "from .base import *\n",
                            f"{folder}/settings/base.py": f"SECRET_KEY = 'x'\nROOT_URLCONF = '{dotted}.urls'\n"
                                                          f"WSGI_APPLICATION = '{dotted}.wsgi.application'\n",
                            f"{folder}/urls.py": "urlpatterns = []\n", f"{folder}/wsgi.py": WSGI.format(name=dotted),
                            "api/__init__.py": "", "api/models.py": "from django.db import models\n"})


def test_a_django_project_folder_with_hyphens_at_the_top_is_the_entry_by_that_dotted_name(tmp_path):
    root = _project(tmp_path / "study", "django-rest-framework-14th")
    found = entry.find(Project(root), None)
    assert found.entry.target == "django-rest-framework-14th.wsgi:application"
    assert found.entry.settings_module == "django-rest-framework-14th.settings"


def test_a_django_project_folder_with_hyphens_inside_a_package_is_named_as_the_reason_no_app_is_found(tmp_path):
    root = _project(tmp_path / "study", "django-rest-framework-14th", package="backend")
    with pytest.raises(AppNotFound) as caught:
        entry.find(Project(root), None)
    error = caught.value
    assert error.message.startswith("no web app found (searched ")
    assert error.message.endswith("manage.py names the Django settings backend.django-rest-framework-14th.settings, in "
                                  "the folder backend/django-rest-framework-14th/, whose name no import statement can "
                                  "spell (a Python module name has no hyphens), so no module of the project is its "
                                  "settings' or its WSGI application's")
    assert error.hint.startswith("rename backend/django-rest-framework-14th/ to backend/django_rest_framework_14th/ and the "
                                 "names in manage.py")


def test_the_same_project_with_an_importable_folder_name_is_found(tmp_path):
    root = _project(tmp_path / "study", "django_rest_framework_14th")
    found = entry.find(Project(root), None)
    assert found.entry.target == "django_rest_framework_14th.wsgi:application"


def test_a_django_project_whose_wsgi_py_its_settings_name_is_not_committed_says_so(tmp_path):
    # an App Engine shop: main.py re-exports the gitignored wsgi.py's application, and no manage.py is committed
    root = _project(tmp_path / "shop", "shop")
    (root / "shop/wsgi.py").unlink()
    (root / "manage.py").unlink()
    (root / "main.py").write_text("from shop.wsgi import application\napp = application\n")
    (root / ".gitignore").write_text("*.pyc\nwsgi.py\n")
    with pytest.raises(AppNotFound) as caught:
        entry.find(Project(root), None)
    error = caught.value
    assert error.message.endswith("shop/settings/base.py names WSGI_APPLICATION 'shop.wsgi.application', but "
                                  "shop/wsgi.py is not in the project (.gitignore lists it), so no module makes the "
                                  "Django application a server loads")
    assert error.hint.startswith("add shop/wsgi.py (startproject's: set DJANGO_SETTINGS_MODULE, then application = "
                                 "get_wsgi_application())")
