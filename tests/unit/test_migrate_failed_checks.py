"""Django's migrate stopped by the app's own system checks (run/migrate.py skipping_failed_checks): an admin whose
list_display names a field its model no longer has makes `migrate` refuse to start (SystemCheckError), though the
WSGI server runs no checks. Real Django runs on a project written for the test."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import make_tree
from shipyard.run.migrate import skipping_failed_checks
from unmigrated_django_app import admin_settings

FILES = {
    "mysite/__init__.py": "",
    "mysite/settings.py": """
    SECRET_KEY = "x"
    """ + admin_settings("shop") + """
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}
    ROOT_URLCONF = "mysite.urls"
    DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
    """,
    "mysite/urls.py": "from django.contrib import admin\nfrom django.urls import path\n"
                      "urlpatterns = [path('admin/', admin.site.urls)]\n",
    "shop/__init__.py": "",
    "shop/models.py": "from django.db import models\n\nclass Item(models.Model):\n    name = models.CharField(max_length=9)\n",
    "shop/admin.py": "from django.contrib import admin\nfrom .models import Item\n\n"
                     "@admin.register(Item)\nclass ItemAdmin(admin.ModelAdmin):\n"
                     "    list_display = ('name', 'created_at')     # a field the model no longer has\n",
    "shop/migrations/__init__.py": "",
    "shop/migrations/0001_initial.py": """
        from django.db import migrations, models

        class Migration(migrations.Migration):
            initial = True
            dependencies = []
            operations = [migrations.CreateModel(name="Item", fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=9))])]
        """,
}


def run(app, argv):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mysite.settings", "PYTHONPATH": str(app)}
    return subprocess.run(argv, cwd=app, env=env, capture_output=True, text=True, timeout=120)


def test_migrate_stopped_by_the_apps_system_checks_runs_with_skip_checks(tmp_path):
    app = make_tree(tmp_path, FILES)
    argv = [sys.executable, "-m", "django", "migrate", "--noinput"]
    failed = run(app, argv)
    assert failed.returncode != 0 and "SystemCheckError" in failed.stderr and "admin.E108" in failed.stderr
    unchecked = skipping_failed_checks(argv, failed.stderr)
    assert unchecked == argv + ["--skip-checks"]
    done = run(app, unchecked)
    assert done.returncode == 0, done.stderr[-800:]
    tables = run(app, [sys.executable, "-c", "import sqlite3; print(sqlite3.connect('db.sqlite3').execute("
                       "\"select count(*) from django_migrations where app='shop'\").fetchone()[0])"])
    assert tables.stdout.strip() == "1"


def test_other_failures_and_commands_are_not_retried():
    argv = [sys.executable, "-m", "django", "migrate", "--noinput"]
    assert skipping_failed_checks(argv, "django.db.utils.OperationalError: no such table") is None
    assert skipping_failed_checks([sys.executable, "-c", "script"], "SystemCheckError: ...") is None
