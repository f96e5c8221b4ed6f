"""Django settings that define no DATABASES and star-import a module the project lacks (the local_settings.py a
2010s README has the reader write): inspect notes it, and a failing migrate names that file (detect/
missing_settings.py) instead of only Django's "settings.DATABASES is improperly configured"."""

from __future__ import annotations

import pytest

from conftest import make_tree
from shipyard.detect.missing_settings import missing_databases_module, sample_engine
from shipyard.environments import own_environment
from shipyard.errors import ShipyardError
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.run.migrate import run_migrations

SETTINGS = """
SECRET_KEY = "fixture-not-secret"
DEBUG = True
ALLOWED_HOSTS = []
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
ROOT_URLCONF = "notes.urls"
WSGI_APPLICATION = "notes.wsgi.application"

try:
    from notes.local_settings import *
except ImportError:
    pass
"""

APP = {
    "manage.py": """
        import os, sys
        if __name__ == "__main__":
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "notes.settings")
            from django.core.management import execute_from_command_line
            execute_from_command_line(sys.argv)
        """,
    "notes/__init__.py": "",
    "notes/settings.py": SETTINGS,
    "notes/urls.py": "urlpatterns = []\n",
    "notes/wsgi.py": """
        import os
        from django.core.wsgi import get_wsgi_application
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "notes.settings")
        application = get_wsgi_application()
        """,
    "requirements.txt": "Django\n",
}


def test_the_missing_module_is_named(tmp_path):
    root = make_tree(tmp_path, APP)
    assert missing_databases_module(Project(root), ".", "notes.settings") == \
        ("notes/settings.py", "notes.local_settings", "notes/local_settings.py")
    # relative, and from a settings package
    rel = make_tree(tmp_path / "rel", {"site/settings/__init__.py": "from .local import *\n"})
    assert missing_databases_module(Project(rel), ".", "site.settings") == \
        ("site/settings/__init__.py", "site.settings.local", "site/settings/local.py")


@pytest.mark.parametrize("change", [
    {"notes/local_settings.py": "DATABASES = {}\n"},                               # written: nothing to say
    {"notes/settings.py": SETTINGS + "DATABASES = {}\n"},                          # its own DATABASES
    {"notes/settings.py": SETTINGS.replace("notes.local_settings", "otherpkg.defaults")},   # not the app's module
])
def test_settings_that_have_their_databases_or_the_module_are_left_alone(tmp_path, change):
    root = make_tree(tmp_path, {**APP, **change})
    assert missing_databases_module(Project(root), ".", "notes.settings") is None


def test_inspect_notes_it_and_the_failing_migrate_names_the_file(tmp_path):
    root = make_tree(tmp_path, APP)
    plan = make_plan(root, confirm=False, installed=False)
    assert any("notes/local_settings.py" in n for n in plan.notes), plan.notes
    with pytest.raises(ShipyardError) as failed:
        run_migrations(plan, root, own_environment())       # real Django: DATABASES has no ENGINE
    assert "Django migrate failed" in failed.value.message
    assert "notes/settings.py defines no DATABASES" in failed.value.hint
    assert "notes/local_settings.py" in failed.value.hint


MYSQL_SAMPLE = """
DATABASES = {
    'default': {
       'ENGINE': 'django.db.backends.mysql',
       'NAME': 'DB_NAME',
       'HOST': 'DB_HOST',
    }
}
"""


@pytest.mark.parametrize("name", ["notes/local_settings-sample.py", "notes/local_settings.py.example",
                                  "notes/local_settings_template.py", "notes/local_settings.example"])
def test_a_committed_sample_of_the_missing_module_names_its_engine(tmp_path, name):
    # a 2021 blog: its Dockerfile copies local_settings-sample.py to local_settings.py and seds the values in
    root = make_tree(tmp_path, {**APP, name: MYSQL_SAMPLE})
    missing = missing_databases_module(Project(root), ".", "notes.settings")
    assert sample_engine(Project(root), missing[2]) == (name, "django.db.backends.mysql")


@pytest.mark.parametrize("files", [
    {},                                                                  # no sample
    {"notes/local_settings_old.py": MYSQL_SAMPLE},                       # not a sample of it
    {"other/local_settings-sample.py": MYSQL_SAMPLE},                    # another folder's
    {"notes/local_settings-sample.py": "DATABASES = {'default': {'NAME': 'x'}}\n"},   # no engine
    {"notes/local_settings-sample.py": "DATABASES = {\n"},              # does not parse
])
def test_no_sample_naming_an_engine_gives_none(tmp_path, files):
    root = make_tree(tmp_path, {**APP, **files})
    assert sample_engine(Project(root), "notes/local_settings.py") is None
