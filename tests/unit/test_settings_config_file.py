"""A Django project's settings.py that reads every setting from an ini file with configparser, a file kept on the host
beside the repository and not shipped (a personal site: `parser.read(BASE_DIR.parent / 'site_settings.ini')`, then
`parser.get('secrets', 'SECRET_KEY')`). configparser skips the missing file silently and the import fails with
"No section: 'secrets'": the hint names the file and where the code places it. It was told instead to run with
DJANGO_SETTINGS_MODULE=example.wsgi (or .urls, .asgi): the settings_hint listed every module beside settings.py."""

from __future__ import annotations

import shutil
import sys

import pytest

from shipyard.detect import entry
from shipyard.detect.entry.other_settings import settings_hint
from shipyard.errors import AppCodeError
from shipyard.project import Project

from conftest import FIXTURES

APP = FIXTURES / "apps" / "django_example_project"
READS_INI = """\
from configparser import RawConfigParser
from pathlib import Path

parser = RawConfigParser(allow_no_value=True)
BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_SETTINGS_FILE = BASE_DIR.parent / 'site_settings.ini'
parser.read(LOCAL_SETTINGS_FILE)
SECRET_KEY = parser.get('secrets', 'SECRET_KEY')
"""


@pytest.fixture
def app(tmp_path):
    root = shutil.copytree(APP, tmp_path / "app")
    settings = root / "example" / "settings.py"
    settings.write_text(READS_INI + settings.read_text().replace('SECRET_KEY = "example"\n', ""))
    return root


def test_settings_reading_an_unshipped_ini_name_the_file_and_where_it_is_placed(app):
    found = entry.find(Project(app), None)
    with pytest.raises(AppCodeError) as failed:
        entry.confirm(Project(app), found, sys.executable, 60.0)
    assert "NoSectionError" in failed.value.message
    hint = failed.value.hint
    assert "example/settings.py reads its settings with configparser from LOCAL_SETTINGS_FILE = " \
           "BASE_DIR.parent / 'site_settings.ini'" in hint
    assert "a file the app does not ship" in hint and "No section: 'secrets'" in hint
    assert "example.wsgi" not in hint


def test_a_shipped_ini_lacking_the_section_is_said_so(app):
    (app / "site_settings.ini").write_text("[debug]\nDEBUG = true\n")
    from shipyard.detect.entry.config_file import unread_config_file
    hint = unread_config_file(Project(app), "example/settings.py",
                              {"type": "NoSectionError", "message": "configparser.NoSectionError: No section: 'secrets'"})
    assert "the app ships site_settings.ini at site_settings.ini" in hint
    assert unread_config_file(Project(app), "example/settings.py", {"type": "KeyError", "message": "'X'"}) is None


def test_modules_beside_a_flat_settings_module_that_hold_no_settings_are_not_offered(app):
    """urls.py, wsgi.py and asgi.py sit beside settings.py in a project package: none is a settings module."""
    (app / "example" / "settings.py").write_text("DEBUG = undefined_name\n")
    found = entry.find(Project(app), None)
    assert settings_hint(Project(app), found, "example/settings.py") is None
    (app / "example" / "production.py").write_text("from .settings import *  # noqa\nDEBUG = False\n")
    assert "(example.production)" in settings_hint(Project(app), found, "example/settings.py")
