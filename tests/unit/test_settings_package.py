"""A Django settings package whose __init__.py is empty, named by neither wsgi.py nor manage.py (Baby Buddy: its
deployment guide exports DJANGO_SETTINGS_MODULE=<pkg>.settings.base): the module to run with is its production
one, else the one its other modules build on, never a development or test one (the package itself holds no
settings: migrate failed with "settings.DATABASES is improperly configured")."""

from __future__ import annotations

import shutil

import pytest

from shipyard.detect import entry
from shipyard.project import Project

from conftest import FIXTURES

APP = FIXTURES / "apps" / "django_settings_package_empty"


@pytest.fixture
def app(tmp_path):
    root = shutil.copytree(APP, tmp_path / "app")
    for name in ("manage.py", "proj/wsgi.py"):         # neither names a settings module
        path = root / name
        path.write_text("\n".join(line for line in path.read_text().splitlines()
                                  if "DJANGO_SETTINGS_MODULE" not in line) + "\n")
    (root / "proj" / "settings" / "test.py").write_text("from .base import *  # noqa\nDEBUG = True\n")
    return root


def test_the_module_the_others_build_on_is_taken_not_a_development_one(app):
    found = entry.find(Project(app), None)
    assert (found.entry.target, found.entry.settings_module) == ("proj.wsgi:application", "proj.settings.base")


def test_a_production_module_is_taken_first(app):
    (app / "proj" / "settings" / "production.py").write_text(
        "from .base import *  # noqa\nDEBUG = False\nALLOWED_HOSTS = ['127.0.0.1']\n")
    (app / "proj" / "settings" / "production.example.py").write_text("SECRET_KEY = ''\n")   # not importable
    assert entry.find(Project(app), None).entry.settings_module == "proj.settings.production"


def test_a_package_with_only_development_and_test_modules_stays_as_named(app):
    (app / "proj" / "settings" / "base.py").rename(app / "proj" / "settings" / "dev.py")
    for name in ("development.py", "test.py"):
        path = app / "proj" / "settings" / name
        path.write_text(path.read_text().replace("from .base", "from .dev"))
    assert entry.find(Project(app), None).entry.settings_module == "proj.settings"

