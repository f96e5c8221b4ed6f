"""A migration of the app's own that depends on a migration its installed package never had (auth's
0013_auto_20191007_1216, made by makemigrations into the developer's site-packages and committed only as the
dependency): Django's migrate stopped with NodeNotFoundError on every new database. serve's migrate runs it again
after that package's latest migration instead, said as a warning (a real migrate, with Django, on SQLite)."""

from __future__ import annotations

import sqlite3
import sys

import pytest

from shipyard import spawn
from shipyard.environments import Environment
from shipyard.errors import ShipyardError
from shipyard.planner import make_plan
from shipyard.run.migrate import run_migrations

from conftest import make_tree

pytest.importorskip("django")

SETTINGS = """
import os
BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET_KEY = "x"
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "shop"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(BASE_DIR, "db.sqlite3")}}
ROOT_URLCONF = "proj.urls"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
"""
MIGRATION = """
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = [("auth", "{parent}")]
    operations = [migrations.CreateModel("Item", [("id", models.AutoField(primary_key=True)),
                                                  ("name", models.CharField(max_length=20))])]
"""
FILES = {
    "requirements.txt": "Django\n",
    "manage.py": "import os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n"
                 "from django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n",
    "proj/__init__.py": "",
    "proj/settings.py": SETTINGS,
    "proj/urls.py": "urlpatterns = []\n",
    "proj/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n"
                    "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
    "shop/__init__.py": "",
    "shop/models.py": "from django.db import models\n\n\nclass Item(models.Model):\n"
                      "    name = models.CharField(max_length=20)\n",
    "shop/migrations/__init__.py": "",
}


class _Env(Environment):
    def require(self, module: str, why: str) -> None:
        pass


def _app(tmp_path, parent):
    root = make_tree(tmp_path / "app", {**FILES, "shop/migrations/0001_initial.py": MIGRATION.format(parent=parent)})
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.release is not None and plan.release.what.startswith("Django migrate")
    return root, plan


def test_a_missing_parent_of_an_installed_app_runs_after_its_latest_migration(tmp_path, capfd):
    root, plan = _app(tmp_path, "0013_auto_20191007_1216")
    notes = run_migrations(plan, root, _Env(sys.executable, "test", "app"), environ={"PATH": "/usr/bin:/bin"})
    assert notes[-1].startswith("warning: a migration of the app depends on one its installed package does not have")
    assert "shop.0001_initial depends on auth.0013_auto_20191007_1216, which the installed auth does not have" \
        in capfd.readouterr().err
    with sqlite3.connect(root / "db.sqlite3") as db:
        applied = {row for row in db.execute("select app, name from django_migrations")}
    assert ("shop", "0001_initial") in applied and ("auth", "0012_alter_user_first_name_max_length") in applied


def test_another_migrate_failure_is_reported_as_it_was(tmp_path, monkeypatch):
    root, plan = _app(tmp_path, "0001_initial")
    calls = []
    monkeypatch.setattr(spawn, "call_keeping_errors",
                        lambda argv, **kw: calls.append(argv) or (1, "django.db.utils.OperationalError: locked"))
    with pytest.raises(ShipyardError, match="Django migrate failed"):
        run_migrations(plan, root, _Env(sys.executable, "test", "app"))
    assert len(calls) == 1
