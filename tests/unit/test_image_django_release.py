"""The image of a Django app `serve --install` runs: its release makes the migrations the repository lacks as
serve's does (outside the app's code), its build-time collectstatic gets the host names the settings split, and
a package the code imports that requirements.txt leaves out is installed as serve installs it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from conftest import make_tree
from unmigrated_django_app import django_app
from shipyard.planner import make_plan
from shipyard.render import Target, render

def _plan(app, **flags):
    return make_plan(app, flags or None, confirm=False, installed=False)


def test_the_images_release_makes_the_missing_migrations_with_serves_script(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    app = django_app(tmp_path / "app")
    plan = _plan(app)
    assert plan.unmigrated_models == ("accounts",)
    assert any(n.startswith("models with no migrations in the repository (accounts)") for n in plan.notes)
    assert type(plan).from_json(plan.to_json()) == plan
    files = render(plan, Target.image())
    runtime = files["shipyard_runtime.py"]
    # the runtime's SQLite steps run the runtime's make-and-migrate instead of plain migrate
    start = runtime.index("DATABASE_SETUP = ")
    steps = runtime[start:runtime.index("\n\n\ndef ", start)]
    assert "'/opt/venv/bin/python', '/app/shipyard_runtime.py', 'make-and-migrate'" in steps
    assert "'-m', 'django', 'migrate'" not in steps
    assert 'MADE_MIGRATIONS = "/tmp/shipyard-made-migrations"' in runtime
    compile(runtime, "shipyard_runtime.py", "exec")
    # the compose and Kubernetes release jobs too
    compose = _plan(app, topology="compose", db="postgres")
    stack = render(compose, Target.image())["compose.yaml"]
    assert '["/opt/venv/bin/python", "/app/shipyard_runtime.py", "make-and-migrate"]' in stack
    assert "make-and-migrate" in render(compose, Target.image())["shipyard_runtime.py"]


def test_the_runtimes_make_and_migrate_migrates_without_writing_into_the_app(tmp_path, monkeypatch):
    """The generated runtime's command, run as the image runs it (cwd the app, the settings module set):
    the tables are made, the made migrations are outside the app's folder, and a second run applies nothing."""
    pytest.importorskip("django")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    app = django_app(tmp_path / "app")
    settings = app / "site_conf" / "settings.py"         # python-dotenv is not installed here
    settings.write_text(settings.read_text().replace("from dotenv import load_dotenv\nload_dotenv()\n", ""))
    runtime = render(_plan(app), Target.image())["shipyard_runtime.py"]
    (tmp_path / "shipyard_runtime.py").write_text(runtime)
    before = sorted(p.relative_to(app) for p in app.rglob("*"))
    made = tmp_path / "made"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "site_conf.settings", "SECRET_KEY": "x",
           "DJANGO_ALLOWED_HOSTS": "localhost", "SHIPYARD_MADE_MIGRATIONS": str(made)}
    for _ in range(2):
        done = subprocess.run([sys.executable, str(tmp_path / "shipyard_runtime.py"), "make-and-migrate"], cwd=app,
                              env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    assert "accounts: models with no migrations in the repository" in done.stderr
    assert (made / "shipyard_made_migrations" / "accounts" / "0001_initial.py").is_file()
    tables = {r[0] for r in sqlite3.connect(app / "db.sqlite3").execute("select name from sqlite_master")}
    assert "accounts_user" in tables
    assert sorted(p.relative_to(app) for p in app.rglob("*") if p.name != "db.sqlite3"
                  and "__pycache__" not in p.parts) == [p for p in before if "__pycache__" not in p.parts]


def test_an_app_with_its_migrations_keeps_plain_migrate(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    app = django_app(tmp_path / "app")
    make_tree(app, {"accounts/migrations/0001_initial.py": "from django.db import migrations\n"
                    "class Migration(migrations.Migration):\n    operations = []\n"})
    plan = _plan(app)
    assert plan.unmigrated_models == ()
    files = render(plan, Target.image())
    assert "make-and-migrate" not in files["shipyard_runtime.py"]
    assert "'/opt/venv/bin/python', '-m', 'django', 'migrate', '--noinput'" in files["shipyard_runtime.py"]
    stack = render(_plan(app, topology="compose", db="postgres"), Target.image())["compose.yaml"]
    assert '["/opt/venv/bin/python", "-m", "django", "migrate", "--noinput"]' in stack


def test_collectstatic_at_build_time_gets_the_host_names_the_settings_split(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    app = django_app(tmp_path / "app")
    dockerfile = render(_plan(app), Target.image())["Dockerfile"]
    run = next(line for line in dockerfile.splitlines() if "SECRET_KEY=collectstatic-only" in line)
    assert "DJANGO_ALLOWED_HOSTS='localhost 127.0.0.1 [::1]'" in run
    assert "the placeholder key and host names exist only for this command" in dockerfile


def test_collectstatic_at_build_time_gets_a_placeholder_login_for_the_database_the_settings_require(tmp_path,
                                                                                                     monkeypatch):
    """django-environ's env("NEON_USER") with no default stops the settings' import (collectstatic's too)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    app = django_app(tmp_path / "app")
    settings = app / "site_conf" / "settings.py"
    settings.write_text(settings.read_text().replace(
        'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}',
        'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "pets", '
        '"USER": os.environ["NEON_USER"], "PASSWORD": os.environ["NEON_PASSWORD"], "HOST": os.environ["NEON_HOST"]}}'))
    (app / "requirements.txt").write_text("Django==5.1.4\npsycopg2-binary==2.9.10\n")
    dockerfile = render(_plan(app), Target.image())["Dockerfile"]
    run = next(line for line in dockerfile.splitlines() if "SECRET_KEY=collectstatic-only" in line)
    assert "NEON_HOST=localhost NEON_PASSWORD=collectstatic-only NEON_USER=collectstatic" in run, run
    assert "the placeholder key, host names and database login (the settings read it; nothing connects) exist" \
        in dockerfile


def test_a_package_the_code_imports_and_requirements_leave_out_is_installed_too(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    app = django_app(tmp_path / "app")
    plan = _plan(app)
    assert [d.name for d in plan.dependencies if d.inferred and d not in plan.server_dependencies] == \
        ["python-dotenv"]
    dockerfile = render(plan, Target.image())["Dockerfile"]
    assert "-r requirements.txt python-dotenv -c" in dockerfile
    assert "# The code imports python-dotenv, which requirements.txt leaves out:" in dockerfile
    # declared: nothing added
    (app / "requirements.txt").write_text("Django==5.1.4\npython-dotenv==1.0.1\n")
    dockerfile = render(_plan(app), Target.image())["Dockerfile"]
    assert "-r requirements.txt -c" in dockerfile or "-r requirements.txt \\" in dockerfile
    assert "The code imports" not in dockerfile
