"""An app that reads PORT as its database's port: the image's server listens on SHIPYARD_PORT, and the stacks
give PORT the database's port (compose's `environment: PORT: "8000"` overrode shipyard.env's PORT=5432: the app
connected to db:8000). Every other app keeps PORT, as platforms set it."""

from __future__ import annotations

import re

import pytest

from conftest import make_tree
from db_port_app import DB_PORT_APP
from shipyard.planner import make_plan
from shipyard.render import Target, render, secrets_env
from shipyard.render.listen_port import listen_variable
from shipyard.verify import _pick_port


@pytest.fixture
def plan(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return make_plan(make_tree(tmp_path / "app", DB_PORT_APP), {"topology": "compose"}, confirm=False, installed=False)


def test_the_server_listens_on_its_own_variable_and_the_stack_gives_port_the_databases(plan):
    assert plan.needs_postgres and listen_variable(plan) == "SHIPYARD_PORT"
    files = render(plan, Target.image())
    app_service = files["compose.yaml"].split("\n  release:")[0].split("\n  app:\n", 1)[1].split("\n  nginx:")[0]
    assert 'SHIPYARD_PORT: "8000"' in app_service and not re.search(r"^\s+PORT:", app_service, re.M), app_service
    assert re.search(r"^PORT=5432$", secrets_env(plan, "pw"), re.M), secrets_env(plan, "pw")
    assert "SHIPYARD_PORT=8000" in files["Dockerfile"] and not re.search(r"^\s+PORT=", files["Dockerfile"], re.M)
    server = files.get("gunicorn.conf.py") or files["shipyard_runtime.py"]
    assert '_env_int("SHIPYARD_PORT", 8000)' in server and '_env_int("PORT"' not in server
    assert '_env_int("SHIPYARD_PORT", 8000)' in files["shipyard_runtime.py"]     # its health check
    # verify publishes the port the image's server listens on
    assert _pick_port([8000], {"SHIPYARD_PORT": "8000", "PORT": "5432"}, None) == 8000


def test_an_app_that_reads_port_for_nothing_else_keeps_port(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    files = dict(DB_PORT_APP)
    files["app.py"] = files["app.py"].replace('"PORT": os.environ.get("PORT", "5432")', '"PORT": "5432"')
    plan = make_plan(make_tree(tmp_path / "app", files), {"topology": "compose"}, confirm=False, installed=False)
    assert plan.needs_postgres and listen_variable(plan) == "PORT"
    rendered = render(plan, Target.image())
    assert 'PORT: "8000"' in rendered["compose.yaml"] and "SHIPYARD_PORT" not in rendered["compose.yaml"]
    assert "    PORT=8000\n" in rendered["Dockerfile"]
