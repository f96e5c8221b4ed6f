"""A Django project on django-configurations (class settings chosen by DJANGO_CONFIGURATION, the app made by
configurations.wsgi.get_wsgi_application) is found as Django and proven by importing it with the real
django-configurations, installed by uv into the proof environment as for a user."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from conftest import FIXTURES, require_tool
from serveutil import SHIPYARD

pytestmark = pytest.mark.slow


def test_a_django_configurations_project_is_found_and_proven(tmp_path, tmp_path_factory):
    require_tool("uv")
    app = tmp_path / "app"
    shutil.copytree(FIXTURES / "apps" / "django_configurations", app)
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE", "DJANGO_CONFIGURATION")}
    env["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("xdg-data"))
    done = subprocess.run([*SHIPYARD, "inspect", str(app), "--json"], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    assert (plan["framework"], plan["entry"]["target"]) == ("django", "confsite.wsgi:application"), plan["entry"]
    assert plan["proof"]["proven"] is True, plan["proof"]
