"""GeoDjango's GDAL and GEOS: an app with django.contrib.gis in INSTALLED_APPS loads both C libraries with ctypes
when Django sets up its apps, whether or not it uses a geometry (a 2021 DRF REST base lists the app and never does).
No requirement brings them: the image installs Debian's, and on a machine without them the import proof says which
library and how to install it, not only Django's "Could not find the GDAL library". Real Django, real import."""

from __future__ import annotations

import ctypes.util
import sys

import pytest

from shipyard import planner
from shipyard.detect import entry, geodjango
from shipyard.errors import AppConfigError
from shipyard.project import Project
from shipyard.render.render import render

from conftest import make_tree

SETTINGS = """
    SECRET_KEY = "test"
    DEBUG = True
    ALLOWED_HOSTS = ["*"]
    ROOT_URLCONF = "rest.urls"
    INSTALLED_APPS = (
        "django.contrib.contenttypes",
        "django.contrib.auth",
        "django.contrib.gis",
    )
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}
    """
WSGI = """
    import os
    from django.core.wsgi import get_wsgi_application
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rest.settings")
    application = get_wsgi_application()
    """
MANAGE = """
    import os, sys
    if __name__ == "__main__":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rest.settings")
        from django.core.management import execute_from_command_line
        execute_from_command_line(sys.argv)
    """
FILES = {"manage.py": MANAGE, "rest/__init__.py": "", "rest/settings.py": SETTINGS, "rest/wsgi.py": WSGI,
         "rest/urls.py": "urlpatterns = []\n", "requirements.txt": "Django\n"}


def test_a_django_app_with_geodjango_gets_gdal_and_geos_in_the_image(tmp_path):
    root = make_tree(tmp_path / "app", FILES)
    plan = planner.make_plan(root, {}, confirm=False)
    assert set(geodjango.RUNTIME) <= set(plan.system_packages.runtime)
    assert any("GeoDjango" in reason for reason in plan.system_packages.reasons)
    dockerfile = render(plan)["Dockerfile"]
    assert "libgdal32" in dockerfile and "libgeos-c1v5" in dockerfile
    # without the app: nothing added
    plain = make_tree(tmp_path / "plain", {**FILES, "rest/settings.py": SETTINGS.replace('"django.contrib.gis",', "")})
    assert "libgdal32" not in planner.make_plan(plain, {}, confirm=False).system_packages.runtime


def test_the_import_proof_names_the_gdal_library_geodjango_needs(tmp_path):
    root = make_tree(tmp_path / "app", FILES)
    found = entry.find(Project(root), None)
    assert found.entry.target == "rest.wsgi:application"
    if ctypes.util.find_library("gdal") is not None:
        # a machine with GDAL: the app imports
        entry.confirm(Project(root), found, sys.executable, 60.0)
        return
    with pytest.raises(AppConfigError) as raised:
        entry.confirm(Project(root), found, sys.executable, 60.0)
    assert "needs the GDAL C library, which GeoDjango (django.contrib.gis in INSTALLED_APPS) loads" \
        in str(raised.value), raised.value
    assert "apt-get install libgdal32" in raised.value.hint


@pytest.mark.parametrize("message, library", [
    ('Could not find the GDAL library (tried "gdal", "GDAL"). Is GDAL installed?', "GDAL"),
    ('Could not find the GEOS library (tried "geos_c", "GEOS"). Try setting GEOS_LIBRARY_PATH', "GEOS"),
    ("No module named 'osgeo'", None),
])
def test_which_errors_are_a_missing_geodjango_library(message, library):
    found = geodjango.missing_library(message)
    assert (found[0] if found else None) == library
