"""A generated Dockerfile builds with the legacy builder and with BuildKit, and the image runs as the
non-root user, keeps the code read-only, and answers through nginx (bundle topology)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from conftest import free_port, require_engine
from shipyard.engine import find_engine
from shipyard.engine.context import base_args
from shipyard.plan import SystemPackages
from shipyard.render import Target, render

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "unit"))
import plans  # noqa: E402

pytestmark = [pytest.mark.engine, pytest.mark.slow]

BUILDERS = {"legacy": ("docker", "0"), "buildkit": ("/usr/bin/docker", "1")}


def _write_app(root: Path) -> None:
    (root / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n\n\n"
                                 "@app.get('/')\ndef index():\n    return 'hello from shipyard'\n")
    (root / "requirements.txt").write_text("Flask==3.0.3\n")
    (root / "static").mkdir()
    (root / "static" / "site.css").write_text("body { color: teal; }\n")
    (root / ".env").write_text("SECRET=must-not-reach-the-image\n")
    for name, text in render(plans.flask_wsgi(topology="bundle"), Target.image()).items():
        (root / name).write_text(text)


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode()


@pytest.mark.parametrize("builder", sorted(BUILDERS))
def test_bundle_image_builds_and_runs_as_non_root(builder, tmp_path, base_image):
    require_engine()
    docker, buildkit = BUILDERS[builder]
    _write_app(tmp_path)
    tag = f"shipyard-test-{builder}-{uuid.uuid4().hex[:8]}"
    name = f"{tag}-run"
    env = {**os.environ, "DOCKER_BUILDKIT": buildkit}
    try:
        build = subprocess.run([docker, "build", "--network", "host", "--build-arg", f"BASE={base_image}",
                                "-t", tag, str(tmp_path)], capture_output=True, text=True, env=env, timeout=900)
        assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
        port = free_port()
        subprocess.run(["docker", "run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:8000", tag],
                       check=True, capture_output=True, timeout=60)
        status, body = 0, ""
        for _ in range(60):
            try:
                status, body = _get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                time.sleep(0.5)
        logs = subprocess.run(["docker", "logs", name], capture_output=True, text=True, timeout=30)
        assert status == 200 and "hello from shipyard" in body, logs.stdout[-2000:] + logs.stderr[-2000:]
        assert "teal" in _get(f"http://127.0.0.1:{port}/static/site.css")[1]      # served by nginx
        assert _get(f"http://127.0.0.1:{port}/nginx-health")[1] == "ok\n"

        def sh(script: str) -> subprocess.CompletedProcess:
            return subprocess.run(["docker", "exec", name, "sh", "-c", script], capture_output=True, text=True,
                                  timeout=30)

        assert sh("id -u").stdout.strip() == "10001"
        assert sh("ps -o user= -p 1 2>/dev/null || stat -c %u /proc/1").stdout.strip() in ("10001", "app")
        assert sh("test -w /app/app.py").returncode != 0, "the code must not be writable by the app user"
        assert sh("test -e /app/.env").returncode != 0, ".env must stay out of the build context"
        assert sh("/opt/venv/bin/python /app/shipyard_runtime.py health").returncode == 0
        cmd = subprocess.run(["docker", "image", "inspect", "-f", "{{json .Config.Cmd}}", tag],
                             capture_output=True, text=True, check=True).stdout
        assert cmd.strip().startswith('["/opt/venv/bin/supervisord"'), cmd                # exec form
    finally:
        subprocess.run(["docker", "rm", "-f", name], capture_output=True, timeout=60)
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, timeout=60)


def test_builder_installs_only_the_system_packages_its_image_lacks(tmp_path, base_image):
    """BUILDER may already hold some build packages (a full python:3.x image holds them all): apt installs
    only the others. tzdata is in the base image, libpq-dev is not."""
    require_engine()
    engine = find_engine()
    packages = SystemPackages(build=("libpq-dev", "tzdata"), runtime=("libpq5",), reasons=("test",))
    plan = dataclasses.replace(plans.flask_wsgi(topology="app"), system_packages=packages)
    (tmp_path / "app.py").write_text("app = None\n")
    (tmp_path / "requirements.txt").write_text("")
    for name, text in render(plan, Target.image()).items():
        (tmp_path / name).write_text(text)
    tag = f"shipyard-test-builder-{uuid.uuid4().hex[:8]}"
    lines: list[str] = []
    try:
        # no_cache: an earlier build of the same stage (another test, a second run on this engine) would be
        # CACHED, and apt's own lines, which this test reads, would not be printed
        engine.build(tmp_path, tmp_path / "Dockerfile", tag, base_args(base_image), target="builder",
                     progress=lines.append, network="host", no_cache=True)
        out = "\n".join(lines)
        assert "Setting up libpq-dev" in out, out[-3000:]
        assert "tzdata is already the newest version" not in out and "Setting up tzdata" not in out, out[-3000:]
    finally:
        engine.remove_image(tag)
