"""Podman, run for real (rootful, as CI runs): `shipyard build` with Buildah in the Docker image format (so
the HEALTHCHECK survives), `verify` with the same checks as on Docker, and `up` → through nginx → `down`
with podman-compose. scripts/setup-engines.sh installs Podman and podman-compose and copies the local base
image into Podman's storage (no registry is reachable here).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from conftest import CONTAINER_ENGINE, EXAMPLES, free_port, require_tool

pytestmark = [pytest.mark.engine, pytest.mark.slow]
SHIPYARD = [sys.executable, "-m", "shipyard"]
FAST_HEALTH = "services:\n  app:\n    healthcheck: {interval: 1s}\n  nginx:\n    healthcheck: {interval: 1s}\n"


@pytest.fixture(scope="module")
def podman() -> str:
    base_image = os.environ.get("BASE_IMAGE", "localhost/bookworm-py:latest")
    binary = require_tool("podman")
    require_tool("podman-compose")
    info = subprocess.run([binary, "info", "--format", "json"], capture_output=True, text=True, timeout=120)
    assert info.returncode == 0, info.stderr
    if subprocess.run([binary, "image", "exists", base_image], timeout=60).returncode != 0:
        pytest.fail(f"{base_image} is not in Podman's storage: run scripts/setup-engines.sh")
    return binary


def _copy(example: Path, dest: Path) -> Path:
    shutil.copytree(example, dest, ignore=shutil.ignore_patterns("__pycache__", ".venv"))
    return dest


def _shipyard(*args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([*SHIPYARD, *args], capture_output=True, text=True, timeout=timeout)


def _get(url: str) -> tuple[int, str]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=15) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


def _project_containers(podman: str, project: str) -> list[str]:
    out = subprocess.run([podman, "ps", "-aq", "--filter", f"label=io.podman.compose.project={project}"],
                         capture_output=True, text=True, timeout=60).stdout
    return out.split()


def test_build_and_verify_the_seed_app_with_podman(podman, base_image, tmp_path):
    app = _copy(EXAMPLES / "hello", tmp_path / "hello")
    tag = "localhost/sytest-podman/hello:ci"
    try:
        done = _shipyard("build", str(app), "--engine", "podman", "--base", base_image, "--tag", tag,
                         "--slow-path", "/slow?seconds=2", "--json")
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        report = json.loads(done.stdout)
        checks = {c["name"]: c for c in report["verify"]["checks"]}
        assert checks["health"]["ok"], checks["health"]          # the HEALTHCHECK survived Buildah
        assert checks["non-root"]["ok"] and checks["SIGTERM exit"]["ok"]
        assert checks["in-flight request"]["ok"], checks["in-flight request"]
        inspect = subprocess.run([podman, "image", "inspect", tag], capture_output=True, text=True, timeout=60)
        assert json.loads(inspect.stdout)[0]["Healthcheck"]["Test"][0] == "CMD"
    finally:
        subprocess.run([podman, "rmi", "-f", tag], capture_output=True, timeout=120)


@pytest.mark.parametrize("example", ["hello", "easygeoip"])
def test_stack_up_through_nginx_and_down_with_podman_compose(example, podman, base_image, tmp_path):
    app = _copy(EXAMPLES / example, tmp_path / example)
    init = _shipyard("init", str(app), "--topology", "compose")
    assert init.returncode == 0, init.stderr
    (app / "compose.fast.yaml").write_text(FAST_HEALTH)
    # the official images the file names, as local stand-ins, copied from Docker's storage into Podman's
    images = sorted({m for m in re.findall(r"^\s+image:\s*(\S+)\s*$", (app / "compose.yaml").read_text(), re.M)
                     if m.split("/")[-1].startswith(("nginx", "postgres"))})
    done = subprocess.run(["bash", str(CONTAINER_ENGINE), "standins", *images], capture_output=True, text=True,
                          timeout=900, env={**os.environ, "BASE_IMAGE": base_image})
    assert done.returncode == 0, done.stderr
    for image in images:
        save = subprocess.Popen(["docker", "save", image], stdout=subprocess.PIPE)
        loaded = subprocess.run([podman, "load", "-q"], stdin=save.stdout, capture_output=True, timeout=300)
        save.wait(timeout=60)
        assert loaded.returncode == 0, loaded.stderr
    data = json.loads((EXAMPLES / example / "test.json").read_text())
    port = free_port()
    project = app.name
    try:
        up = _shipyard("up", str(app), "--engine", "podman", "--base", base_image, "--port", str(port),
                       "-f", "compose.fast.yaml", "--json")
        assert up.returncode == 0, up.stdout[-2000:] + up.stderr[-3000:]
        assert "podman-compose" in up.stderr
        services = {s["service"]: s for s in json.loads(up.stdout)["services"]}
        assert services["nginx"]["health"] == "healthy" and services["app"]["health"] == "healthy"
        assert {name for name, s in services.items() if s["ports"]} == {"nginx"}
        for check in data["checks"]:
            status, body = _get(f"http://127.0.0.1:{port}{check['path']}")
            assert status == check["status"], (check, body[:300])
            assert check.get("contains", "") in body
        down = _shipyard("down", str(app), "--engine", "podman", "-f", "compose.fast.yaml", "--volumes", timeout=300)
        assert down.returncode == 0, down.stderr
        assert _project_containers(podman, project) == []
    finally:
        _shipyard("down", str(app), "--engine", "podman", "-f", "compose.fast.yaml", "--volumes", timeout=300)
