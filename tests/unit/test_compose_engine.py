"""Compose selection and the two translations Shipyard makes for older implementations: the v1 copy
without the Compose specification's newer keys, and the start order when the engine cannot wait for
health checks (podman-compose before Podman 4.6)."""

from __future__ import annotations

import pytest

from shipyard.engine.base import EngineInfo
from shipyard.engine.compose import CliCompose, start_order, v1_compatible
from shipyard.errors import EngineError

COMPOSE = """\
# header
name: shop
services:
  app:
    build: .
    depends_on:
      db:
        condition: service_healthy
    develop:
      watch:
        - action: rebuild
          path: requirements.txt
    volumes:
      - .:/app
  db:
    image: postgres:17
"""


def test_v1_copy_drops_only_name_and_develop():
    out = v1_compatible(COMPOSE)
    assert "name: shop" not in out and "develop:" not in out and "action: rebuild" not in out
    assert "    volumes:\n      - .:/app\n" in out and "  db:\n    image: postgres:17\n" in out
    assert "condition: service_healthy" in out


def test_start_order_follows_conditions():
    config = {"services": {"nginx": {"depends_on": {"app": {"condition": "service_healthy"},
                                                    "static": {"condition": "service_completed_successfully"}}},
                           "app": {"depends_on": {"db": {"condition": "service_healthy"},
                                                  "release": {"condition": "service_completed_successfully"}}},
                           "release": {"depends_on": ["db"]}, "static": {}, "db": {}}}
    order = start_order(config)
    names = [n for n, _ in order]
    assert names.index("db") < names.index("release") < names.index("app") < names.index("nginx")
    assert dict(order)["release"] == {"db": "service_started"}
    with pytest.raises(EngineError, match="cycle"):
        start_order({"services": {"a": {"depends_on": ["b"]}, "b": {"depends_on": ["a"]}}})


@pytest.mark.parametrize("command,version,v1", [
    ("/usr/bin/docker-compose", "docker-compose version 1.29.2, build unknown", True),
    ("/usr/local/bin/docker-compose", "Docker Compose version v2.40.3", False),
    ("/usr/bin/docker", "Docker Compose version v2.40.3", False),
])
def test_v1_is_told_by_its_version(command, version, v1):
    engine = type("E", (), {"info": EngineInfo("docker", "/usr/bin/docker", "20.10", "20.10", "legacy")})()
    argv = [command] if command.endswith("compose") else [command, "compose"]
    compose = CliCompose(argv, engine, version)
    assert compose.is_v1 is v1
    assert (compose.note is not None) is v1


def test_swarm_on_podman_is_one_clear_error():
    import subprocess
    import sys

    from conftest import EXAMPLES
    done = subprocess.run([sys.executable, "-m", "shipyard", "swarm", "up", str(EXAMPLES / "hello"), "--engine",
                           "podman"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Podman has no swarm mode" in done.stderr
    assert "shipyard up --engine podman" in done.stderr and "Traceback" not in done.stderr


def test_up_names_the_service_whose_log_says_why_the_start_failed():
    from shipyard.commands.up import failed_one_off
    from shipyard.errors import EngineError
    release = EngineError('`compose up` failed: service "release" didn\'t complete successfully: exit 1')
    assert failed_one_off(release, "shop") == "release"
    unhealthy = EngineError("`compose up` failed: dependency failed to start: container "
                            "image17-b-servit-app-1 is unhealthy")
    assert failed_one_off(unhealthy, "image17-b-servit") == "app"
    assert failed_one_off(unhealthy, "other") is None and failed_one_off(EngineError("no such image"), "x") is None
