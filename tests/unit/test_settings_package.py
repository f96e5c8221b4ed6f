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


@pytest.mark.parametrize("production", ["production", "pro"])     # pro.py: Django by Example's base/local/pro
def test_a_production_module_is_taken_first(app, production):
    (app / "proj" / "settings" / f"{production}.py").write_text(
        "from .base import *  # noqa\nDEBUG = False\nALLOWED_HOSTS = ['127.0.0.1']\n")
    (app / "proj" / "settings" / f"{production}.example.py").write_text("SECRET_KEY = ''\n")   # not importable
    assert entry.find(Project(app), None).entry.settings_module == f"proj.settings.{production}"


def test_a_package_with_only_development_and_test_modules_stays_as_named(app):
    (app / "proj" / "settings" / "base.py").rename(app / "proj" / "settings" / "dev.py")
    for name in ("development.py", "test.py"):
        path = app / "proj" / "settings" / name
        path.write_text(path.read_text().replace("from .base", "from .dev"))
    assert entry.find(Project(app), None).entry.settings_module == "proj.settings"



# Split settings chosen by code, not a literal: the module set when no variable is set, read without running it
# (unread, the empty package was used and migrate failed: "settings.DATABASES is improperly configured")
PRODUCTION = "from .base import *  # noqa\nDEBUG = False\n"
WSGI_END = "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"


@pytest.mark.parametrize("wsgi, extra", [
    # an f-string of a variable's default
    ('import os\nenv = os.environ.get("DJANGO_ENV", "development")\n'
     'os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"proj.settings.{env}")\n', {}),
    # django-environ's reader with a default, lower-cased
    ('import os\nimport environ\nenv = environ.Env()\nmode = env("DJANGO_ENV", default="Development").lower()\n'
     'os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"proj.settings.{mode}")\n', {}),
    # str.format of setdefault's default
    ('import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", '
     '"proj.settings.{0}".format(os.environ.setdefault("DJANGO_ENV", "development")))\n', {}),
    # a name imported from the project's config/environment.py, changed only when a variable is set
    ('import os\nfrom proj.environment import SETTINGS_MODULE\n'
     'os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)\n',
     {"proj/environment.py": 'import os\nSETTINGS_MODULE = "proj.settings.base"\nENVIRONMENT = "development"\n'
                             'if ENVIRONMENT == "development":\n    SETTINGS_MODULE = "proj.settings.development"\n'
                             'if os.environ.get("ENVIRONMENT") == "prod":\n'
                             '    SETTINGS_MODULE = "proj.settings.production"\n'}),
])
def test_a_settings_module_chosen_by_code_is_the_one_set_when_no_variable_is(app, wsgi, extra):
    (app / "proj" / "settings" / "production.py").write_text(PRODUCTION)
    (app / "proj" / "wsgi.py").write_text(wsgi + WSGI_END)
    for rel, text in extra.items():
        (app / rel).write_text(text)
    found = entry.find(Project(app), None)
    assert (found.entry.target, found.entry.settings_module) == ("proj.wsgi:application", "proj.settings.development")


def test_manage_py_main_choosing_by_format_is_read_too(app):
    (app / "manage.py").write_text(
        'import os\nimport sys\n\n\ndef main():\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", '
        '"proj.settings.{}".format(os.getenv("DJANGO_ENV", "development")))\n\n\n'
        'if __name__ == "__main__":\n    main()\n')
    (app / "proj" / "settings" / "production.py").write_text(PRODUCTION)
    assert entry.find(Project(app), None).entry.settings_module == "proj.settings.development"


@pytest.mark.parametrize("value", [
    'f"proj.settings.{config(\'ENV_MODE\')}"',              # decouple with no default raises: unknown
    'f"proj.settings.{os.environ[\'ENV_MODE\']}"',
    'SETTINGS',                                             # a name bound to nothing known
])
def test_a_choice_that_cannot_be_read_leaves_the_package_rule(app, value):
    (app / "proj" / "settings" / "production.py").write_text(PRODUCTION)
    (app / "proj" / "wsgi.py").write_text(
        f"import os\nfrom decouple import config\nSETTINGS = config('X')\n"
        f"os.environ.setdefault('DJANGO_SETTINGS_MODULE', {value})\n" + WSGI_END)
    assert entry.find(Project(app), None).entry.settings_module == "proj.settings.production"


@pytest.mark.parametrize("package_init", ["", "from .celery import app as celery_app  # noqa\n"])
def test_a_settings_folder_without_init_py_inside_the_project_package(app, package_init):
    # healthlink/settings/ holds base.py, local.py and prod.py but no __init__.py, beside healthlink/__init__.py:
    # Django imports healthlink.settings.prod, yet the folder itself is a namespace package holding no settings
    # (with it, ContentType "isn't in an application in INSTALLED_APPS"), whatever the parent's __init__.py runs
    (app / "proj" / "settings" / "__init__.py").unlink()
    (app / "proj" / "__init__.py").write_text(package_init)
    (app / "proj" / "celery.py").write_text("app = None\n")
    (app / "proj" / "settings" / "prod.py").write_text(PRODUCTION)
    found = entry.find(Project(app), None)
    assert (found.entry.target, found.entry.settings_module) == ("proj.wsgi:application", "proj.settings.prod")
    # without a production module, the one the others build on
    (app / "proj" / "settings" / "prod.py").unlink()
    assert entry.find(Project(app), None).entry.settings_module == "proj.settings.base"


# DJANGO_SETTINGS_MODULE in the environment wins, as it does for Django (the code's default is a setdefault): the
# user's way out when the production module Shipyard takes is one its author never ran (auxbox-django)
BROKEN_PRODUCTION = "from .base import *  # noqa\nDATABASES['default']['HOST'] = env_host\n"


def test_the_environments_settings_module_wins_when_the_project_has_it(app, monkeypatch):
    (app / "proj" / "settings" / "production.py").write_text(BROKEN_PRODUCTION)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "proj.settings.development")
    found = entry.find(Project(app), None)
    assert found.entry.settings_module == "proj.settings.development"
    assert any("DJANGO_SETTINGS_MODULE=proj.settings.development is taken from the environment" in n
               for n in found.notes)


def test_an_environments_settings_module_of_another_project_is_not_taken(app, monkeypatch):
    (app / "proj" / "settings" / "production.py").write_text(PRODUCTION)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "otherproject.settings")
    assert entry.find(Project(app), None).entry.settings_module == "proj.settings.production"


def test_a_production_module_that_raises_names_the_packages_others_and_the_variable(app, monkeypatch):
    import sys

    from shipyard.errors import AppCodeError
    (app / "proj" / "settings" / "production.py").write_text(BROKEN_PRODUCTION)
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    found = entry.find(Project(app), None)
    with pytest.raises(AppCodeError) as failed:
        entry.confirm(Project(app), found, sys.executable, 60.0)
    assert "NameError" in failed.value.message and "proj/settings/production.py" in failed.value.message
    assert "DJANGO_SETTINGS_MODULE=proj.settings.production" in failed.value.hint
    assert "(proj.settings.base, proj.settings.development, proj.settings.test)" in failed.value.hint
