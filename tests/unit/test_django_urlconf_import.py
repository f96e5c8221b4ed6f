"""The import check of a Django entry imports its ROOT_URLCONF too, as Django's checks do before `migrate` and the
first request does: a wsgi.py builds its handler without it, so a view's package whose pinned release imports a
name the other pinned release removed (djangorestframework 3.13.1's `parse_header` under Django 4.2.8, both exact
pins of a bot-bumped Pipfile.lock) passed the check and stopped serve at migrate, past the proof's repairs."""

from __future__ import annotations

import os
import sys

import pytest

from conftest import make_tree
from shipyard.detect import entry
from shipyard.errors import GoneSubmodule
from shipyard.project import Project

SETTINGS = ("SECRET_KEY = 'x'\nDEBUG = True\nALLOWED_HOSTS = ['*']\nROOT_URLCONF = 'proj.urls'\n"
            "INSTALLED_APPS = []\nDATABASES = {}\n")
WSGI = ("import os\nfrom django.core.wsgi import get_wsgi_application\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\napplication = get_wsgi_application()\n")


def _project(tmp_path, urls: str):
    return make_tree(tmp_path / "app", {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
        "proj/__init__.py": "", "proj/settings.py": SETTINGS, "proj/wsgi.py": WSGI, "proj/urls.py": urls,
        "requirements.txt": "django\nimporter==3.13.1\nprovider==4.2.8\n"})


def _site(folder):
    """`importer` 3.13.1 imports a name the installed `provider` 4.2.8 no longer has."""
    return make_tree(folder / "site-packages", {
        "provider/__init__.py": "", "provider/multipart.py": "def parse_header_parameters(line):\n    return line\n",
        "provider-4.2.8.dist-info/METADATA": "Name: provider\nVersion: 4.2.8\n",
        "provider-4.2.8.dist-info/top_level.txt": "provider\n",
        "importer/__init__.py": "from provider.multipart import parse_header\n",
        "importer-3.13.1.dist-info/METADATA": "Name: importer\nVersion: 3.13.1\n",
        "importer-3.13.1.dist-info/top_level.txt": "importer\n"})


def _environ(site):
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(site), os.environ.get("PYTHONPATH"))))}


def test_a_urlconf_importing_a_release_made_for_an_older_provider_fails_the_check(tmp_path):
    app = _project(tmp_path, "import importer\nurlpatterns = []\n")
    project = Project(app)
    found = entry.find(project, None)
    assert found.entry.target == "proj.wsgi:application"
    with pytest.raises(GoneSubmodule) as raised:
        entry.confirm(project, found, sys.executable, 60.0, environ=_environ(_site(tmp_path)))
    assert raised.value.provider == ("provider", "4.2.8") and raised.value.importer == "importer 3.13.1"
    assert "provider.multipart.parse_header" in raised.value.message


def test_a_urlconf_that_fails_otherwise_at_import_is_left_to_the_served_app(tmp_path):
    # a URLconf that queries its database at import: not the import check's to judge (no database here)
    app = _project(tmp_path, "raise RuntimeError('could not connect to server')\n")
    project = Project(app)
    found = entry.find(project, None)
    entry.confirm(project, found, sys.executable, 60.0, environ=_environ(_site(tmp_path)))
