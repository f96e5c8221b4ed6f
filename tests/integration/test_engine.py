"""The engine layer against a real Docker engine: discovery, both builders, verify's checks, bad input.

Uses the hand-written fixture images in tests/fixtures/engine-app*/ (stdlib only, no network), so these
tests say whether the engine layer works independently of the generated files.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from conftest import FIXTURES, IN_CI, require_engine
from shipyard.engine import BuildFailed, find_engine
from shipyard.engine.docker import DockerEngine
from shipyard.errors import EngineError
from shipyard.verify import SmokeCheck, verify_image

pytestmark = pytest.mark.engine
SHIPYARD = [sys.executable, "-m", "shipyard"]


@pytest.fixture(scope="module")
def engine():
    require_engine()
    return find_engine()


@pytest.fixture(params=["buildkit", "legacy"])
def builder_engine(request, engine):
    """The engine with each builder: BuildKit (when the client has it) and the legacy builder."""
    if request.param == "buildkit" and engine.info.builder != "buildkit":
        if IN_CI:
            pytest.fail("CI's engine must offer BuildKit (DOCKER_BUILDKIT=1 with a client that has it)")
        pytest.skip("this Docker client has no BuildKit")
    return DockerEngine(dataclasses.replace(engine.info, builder=request.param))


def _containers(label: str) -> list[str]:
    out = subprocess.run(["docker", "ps", "-aq", "--filter", f"label={label}"], capture_output=True, text=True,
                         timeout=30).stdout
    return out.split()


def _failing_build(tmp_path: Path, run_line: str) -> Path:
    marker = uuid.uuid4().hex[:12]
    (tmp_path / "Dockerfile").write_text(
        "ARG BASE\nFROM ${BASE}\n"
        f"LABEL dev.shipyard.test={marker}\n"
        "RUN python3 -m venv /opt/venv\n"
        f"{run_line}\n"
        'CMD ["true"]\n')
    return tmp_path


def test_finds_the_running_engine_and_its_builder(engine):
    assert engine.info.name == "docker"
    assert engine.info.builder in ("buildkit", "legacy")
    assert engine.info.server_version and engine.info.server_version in engine.info.describe()


def test_no_engine_installed_is_one_clear_error():
    with pytest.raises(EngineError) as caught:
        find_engine(path="/nonexistent-bin")
    assert "no container engine found" in caught.value.message
    assert "install Docker" in caught.value.hint


def test_engine_not_running_says_how_to_start_it(engine, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    with pytest.raises(EngineError) as caught:
        find_engine("docker")
    assert "not running" in caught.value.message
    assert "start the Docker daemon" in caught.value.hint


def test_cli_engine_not_running_is_one_line_and_non_zero(engine):
    env = {**os.environ, "DOCKER_HOST": "unix:///nonexistent/docker.sock"}
    done = subprocess.run([*SHIPYARD, "verify", "some-image:latest"], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("shipyard verify: error: the docker engine is not running")


def test_build_and_verify_a_good_image_with_each_builder(builder_engine, base_image):
    ctx = FIXTURES / "engine-app"
    tag = f"shipyard-test/engine-app:{builder_engine.info.builder}"
    result = builder_engine.build(ctx, ctx / "Dockerfile", tag, {"BASE": base_image})
    try:
        assert result.builder == builder_engine.info.builder
        assert result.size > 10_000_000 and result.layers >= 2 and result.total_steps >= 4
        report = verify_image(builder_engine, tag, smoke=(SmokeCheck("/", 200, "hello"),),
                              slow_path="/slow?seconds=2")
        assert [(c.name, c.ok) for c in report.checks] == [
            ("health", True), ("GET /", True), ("non-root", True), ("in-flight request", True),
            ("SIGTERM exit", True), ("no .git/.env/compiler", True), ("no secrets", True)], report.checks
        assert report.ok and report.size == result.size and report.layers == result.layers
        assert not _containers(f"dev.shipyard.verify={tag}")
    finally:
        builder_engine.remove_image(tag)


def test_rebuild_reuses_the_cache(engine, base_image):
    ctx = FIXTURES / "engine-app"
    tag = "shipyard-test/engine-app:cache"
    engine.build(ctx, ctx / "Dockerfile", tag, {"BASE": base_image})
    try:
        again = engine.build(ctx, ctx / "Dockerfile", tag, {"BASE": base_image})
        assert again.cached_steps >= again.total_steps - 1 > 0, again
    finally:
        engine.remove_image(tag)


def test_verify_catches_every_problem_of_a_bad_image(engine, base_image):
    ctx = FIXTURES / "engine-app-bad"
    tag = "shipyard-test/engine-app-bad:1"
    engine.build(ctx, ctx / "Dockerfile", tag, {"BASE": base_image})
    try:
        report = verify_image(engine, tag, slow_path="/slow?seconds=1")
        by_name = {c.name: c for c in report.checks}
        assert not report.ok
        assert by_name["health"].ok is False and "no HEALTHCHECK" in by_name["health"].detail
        assert by_name["GET /"].ok is True
        assert by_name["non-root"].ok is False and "root" in by_name["non-root"].detail
        assert by_name["SIGTERM exit"].ok is False and "still running" in by_name["SIGTERM exit"].detail
        files = by_name["no .git/.env/compiler"]
        assert files.ok is False and "/app/.git" in files.detail and "/app/.env" in files.detail
        assert any("listening" in line for line in report.logs_tail)   # the container's own last lines
        assert not _containers(f"dev.shipyard.verify={tag}")
    finally:
        engine.remove_image(tag)


def test_verify_finds_a_compiler_left_in_the_image(engine, base_image, tmp_path):
    # A fake gcc is enough: verify looks at the file system, not at what the binary does.
    (tmp_path / "server.py").write_text((FIXTURES / "engine-app" / "server.py").read_text())
    (tmp_path / "Dockerfile").write_text((FIXTURES / "engine-app" / "Dockerfile").read_text().replace(
        "WORKDIR /app", "RUN printf '#!/bin/sh\\n' > /usr/bin/gcc && chmod +x /usr/bin/gcc\nWORKDIR /app"))
    tag = "shipyard-test/engine-app-gcc:1"
    engine.build(tmp_path, tmp_path / "Dockerfile", tag, {"BASE": base_image})
    try:
        report = verify_image(engine, tag)
        files = next(c for c in report.checks if c.name == "no .git/.env/compiler")
        assert files.ok is False and "/usr/bin/gcc" in files.detail
        stop = next(c for c in report.checks if c.name == "in-flight request")
        assert stop.ok is None and "no slow path" in stop.detail
    finally:
        engine.remove_image(tag)


def test_missing_dependency_names_the_step_and_pip_error(builder_engine, base_image, tmp_path):
    ctx = _failing_build(tmp_path, "RUN /opt/venv/bin/pip install --no-cache-dir shipyard-no-such-package-zz9")
    marker = (ctx / "Dockerfile").read_text().split("dev.shipyard.test=")[1].split()[0]
    with pytest.raises(BuildFailed) as caught:
        builder_engine.build(ctx, ctx / "Dockerfile", "shipyard-test/fails:1", {"BASE": base_image})
    err = caught.value
    assert "pip install --no-cache-dir shipyard-no-such-package-zz9" in err.step
    assert "No matching distribution found for shipyard-no-such-package-zz9" in err.message
    assert any("shipyard-no-such-package-zz9" in line for line in err.tail)
    assert "\x1b[" not in "".join(err.tail)
    assert not _containers(f"dev.shipyard.test={marker}"), "a failed build left containers behind"


def test_compile_error_names_the_step_and_the_cause(engine, base_image, tmp_path):
    # psycopg2 from source without libpq-dev: the setup script stops with its own error line.
    ctx = _failing_build(tmp_path, "RUN /opt/venv/bin/pip install --no-cache-dir --no-binary :all: psycopg2==2.9.10")
    with pytest.raises(BuildFailed) as caught:
        engine.build(ctx, ctx / "Dockerfile", "shipyard-test/fails:2", {"BASE": base_image})
    assert "psycopg2==2.9.10" in caught.value.step
    assert "pg_config executable not found" in caught.value.message


def test_cli_build_failure_is_one_line_after_the_engine_lines(engine, base_image, tmp_path):
    ctx = _failing_build(tmp_path, "RUN /opt/venv/bin/pip install --no-cache-dir shipyard-no-such-package-zz9")
    done = subprocess.run([*SHIPYARD, "build", str(ctx), "--base", base_image, "--tag", "shipyard-test/fails:3"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    # an install step's failure is read as installs here are (build_errors.py): the package and why, in one line
    assert last.startswith("shipyard build: error: the build of shipyard-test/fails:3 failed installing the app's "
                           "packages: no release of shipyard-no-such-package-zz9 matches on the package index"), last
    assert "the engine's last lines:" in done.stderr and "No matching distribution found" in done.stderr


def test_legacy_builder_refuses_run_mount_up_front(engine, base_image, tmp_path):
    (tmp_path / "Dockerfile").write_text("ARG BASE\nFROM ${BASE}\nRUN --mount=type=cache,target=/root/.cache true\n")
    legacy = DockerEngine(dataclasses.replace(engine.info, builder="legacy"))
    with pytest.raises(EngineError) as caught:
        legacy.build(tmp_path, tmp_path / "Dockerfile", "shipyard-test/mount:1", {"BASE": base_image})
    assert "needs BuildKit" in caught.value.message


def test_cli_verify_json_report(engine, base_image):
    ctx = FIXTURES / "engine-app"
    tag = "shipyard-test/engine-app:cli"
    engine.build(ctx, ctx / "Dockerfile", tag, {"BASE": base_image})
    try:
        import json
        done = subprocess.run([*SHIPYARD, "verify", tag, "--json", "--slow-path", "/slow?seconds=1"],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        assert report["ok"] is True and report["layers"] >= 2 and report["size_mb"] > 10
        assert {c["name"] for c in report["checks"]} >= {"health", "non-root", "SIGTERM exit", "in-flight request"}
        bad = subprocess.run([*SHIPYARD, "verify", tag, "--path", "/missing"], capture_output=True, text=True,
                             timeout=300)
        assert bad.returncode == 1 and "GET /missing" in bad.stdout and "status 404" in bad.stdout
        assert bad.stderr.strip().splitlines()[-1].startswith(f"shipyard verify: error: {tag} failed 1 check(s)")
    finally:
        engine.remove_image(tag)
