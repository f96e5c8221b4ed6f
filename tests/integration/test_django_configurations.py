"""A Django project on django-configurations (class settings chosen by DJANGO_CONFIGURATION, the app made by
configurations.wsgi.get_wsgi_application) is found as Django, proven by importing it with the real
django-configurations (installed by uv into the proof environment, as for a user) and served: its migrations and
collectstatic run through configurations, with the class its wsgi.py defaults to."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess

import pytest

from conftest import FIXTURES, free_port, require_tool
from serveutil import SHIPYARD, Running, get, kill_mentioning

pytestmark = pytest.mark.slow


@pytest.fixture
def app(tmp_path):
    require_tool("uv")
    return shutil.copytree(FIXTURES / "apps" / "django_configurations", tmp_path / "app")


@pytest.fixture
def environ(tmp_path_factory):
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE", "DJANGO_CONFIGURATION", "DATABASE_URL")}
    env["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("xdg-data"))
    return env


def test_a_django_configurations_project_is_found_and_proven(app, environ):
    done = subprocess.run([*SHIPYARD, "inspect", str(app), "--json"], capture_output=True, text=True, env=environ,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    assert (plan["framework"], plan["entry"]["target"]) == ("django", "confsite.wsgi:application"), plan["entry"]
    assert plan["entry"]["django_configuration"] == "Dev", plan["entry"]
    assert plan["proof"]["proven"] is True, plan["proof"]


def test_a_django_configurations_project_is_migrated_collected_and_served(app, environ):
    port = free_port()
    run = Running("serve", str(app), "--port", str(port), env=environ)
    try:
        assert run.wait_for(r"serving \S+ at", 240), run.output
        status, _, body = get(f"http://127.0.0.1:{port}/")
        assert (status, body) == (200, "configured"), run.output
        assert (app / "db.sqlite3").is_file(), run.output                 # `python -m configurations migrate`
        assert (app / "collected" / "site.css").is_file(), run.output     # configurations.setup(), collectstatic
        status, _, body = get(f"http://127.0.0.1:{port}/static/site.css")
        assert status == 200 and "teal" in body, run.output
        assert run.stop(signal.SIGINT) == 0, run.output
    finally:
        run.kill()
        kill_mentioning(str(app))
