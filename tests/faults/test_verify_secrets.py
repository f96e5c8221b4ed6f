"""`verify` looks for secrets where a reviewer would, on real images: one with secrets planted in every
place the check covers (fails, naming each), one clean (passes, saying what it looked at)."""

from __future__ import annotations

import subprocess
import uuid

import pytest

from conftest import FIXTURES, require_engine, require_tool
from shipyard.engine.docker import DockerEngine
from shipyard.engine import find_engine
from shipyard.verify import verify_image

pytestmark = pytest.mark.slow

PLANTED = """\
ARG BASE=python:3.12-slim
FROM ${BASE}
RUN useradd --system --uid 10001 --no-create-home app
WORKDIR /app
COPY server.py .
COPY deploy.pem /app/certs/deploy.pem
COPY npmrc /app/.npmrc
COPY aws-credentials /home/app/.aws/credentials
ARG NPM_TOKEN
RUN test -n "$NPM_TOKEN"
USER 10001:10001
ENV PORT=8000 SHIPYARD_GRACEFUL_TIMEOUT=10 STRIPE_API_KEY=rk_test_not_a_real_key_but_a_value
EXPOSE 8000
HEALTHCHECK --interval=1s --timeout=3s --start-period=10s --retries=5 \\
  CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/' % os.environ['PORT'], timeout=2)"]
CMD ["python3", "server.py"]
"""


@pytest.fixture(scope="module")
def engine() -> DockerEngine:
    require_engine()
    return find_engine("docker")


def _secrets_check(report):
    return next(c for c in report.checks if c.name == "no secrets")


def test_planted_secrets_fail_verify_and_each_is_named(engine, base_image, tmp_path):
    openssl = require_tool("openssl")
    (tmp_path / "server.py").write_text((FIXTURES / "engine-app" / "server.py").read_text())
    (tmp_path / "Dockerfile").write_text(PLANTED)
    # a real private key, made for this test
    subprocess.run([openssl, "genpkey", "-algorithm", "ed25519", "-out", str(tmp_path / "deploy.pem")],
                   check=True, capture_output=True, timeout=30)
    (tmp_path / "npmrc").write_text("//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n")
    (tmp_path / "aws-credentials").write_text("[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n")
    tag = f"faults-run-secrets/planted:{uuid.uuid4().hex[:8]}"
    engine.build(tmp_path, tmp_path / "Dockerfile", tag,
                 {"BASE": base_image, "NPM_TOKEN": "npm_" + "a1B2c3D4e5" * 4})
    try:
        report = verify_image(engine, tag)
        check = _secrets_check(report)
        assert check.ok is False and not report.ok, check
        for expected in ("ENV STRIPE_API_KEY", "build argument NPM_TOKEN holds an npm token",
                         ".npmrc (/app/.npmrc)", "AWS credentials (/home/app/.aws/credentials)",
                         "a private key (/app/certs/deploy.pem)"):
            assert expected in check.detail, (expected, check.detail)
        assert "npm_a1B2" not in check.detail and "rk_test" not in check.detail   # values are never shown
    finally:
        engine.remove_image(tag)


def test_clean_image_passes_and_says_what_it_checked(engine, base_image):
    ctx = FIXTURES / "engine-app"
    tag = f"faults-run-secrets/clean:{uuid.uuid4().hex[:8]}"
    engine.build(ctx, ctx / "Dockerfile", tag, {"BASE": base_image})
    try:
        report = verify_image(engine, tag)
        check = _secrets_check(report)
        assert check.ok is True, check
        # the base image carries public CA certificates (*.pem): read, and not taken for keys
        assert "ENV variables" in check.detail and "history steps" in check.detail
        assert ".npmrc" in check.detail and "PRIVATE KEY" in check.detail
        files_read = int(check.detail.split(" small text files read")[0].rsplit(" ", 1)[1])
        assert files_read > 100, check.detail
    finally:
        engine.remove_image(tag)
