"""An app that reads its secret key from a variable of its own with no default (`app.secret_key =
os.environ["TODOAPP_SECRET_KEY"]`): `serve` gives it a throwaway; `build`'s check now does too (saying so), and
the compose stack's secrets file a random one, so `up` starts it."""

from __future__ import annotations

import subprocess
import urllib.request

import pytest

from conftest import free_port, make_tree
from test_build import SHIPYARD, verified_image
from test_compose import FAST_HEALTH, _left_running, _prepare, compose  # noqa: F401 (fixture)
from shipyard.engine.stack import Stack

pytestmark = [pytest.mark.engine, pytest.mark.slow]

APP = {
    "app.py": '''
        import os

        from flask import Flask, session

        app = Flask(__name__)
        app.secret_key = os.environ["TODOAPP_SECRET_KEY"]


        @app.get("/")
        def index():
            session["seen"] = session.get("seen", 0) + 1
            return "signed"
        ''',
    "requirements.txt": "flask>=3\n",
}


def test_build_checks_the_image_with_a_throwaway_key_and_says_so(tmp_path, base_image):
    app = make_tree(tmp_path / "todo", APP)
    with verified_image(app, base_image, "secret-key") as tag:
        assert tag
    again = subprocess.run([*SHIPYARD, "build", str(app), "--base", base_image, "--tag", "shipyard-ci/secret-key:x",
                            "--path", "/"], capture_output=True, text=True, timeout=1200)
    subprocess.run(["docker", "rmi", "-f", "shipyard-ci/secret-key:x"], capture_output=True, timeout=120)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "note: the check runs the image with a throwaway TODOAPP_SECRET_KEY" in again.stderr


def test_the_compose_stack_gives_it_a_random_key(tmp_path, base_image, compose):
    source = make_tree(tmp_path / "src" / "todo", APP)
    app = _prepare(source, tmp_path, base_image)
    (app / "compose.fast.yaml").write_text(FAST_HEALTH)
    stack = Stack.of(app, extra=["compose.fast.yaml"])
    port = free_port()
    try:
        up = subprocess.run([*SHIPYARD, "up", str(app), "--base", base_image, "--port", str(port), "-f",
                             "compose.fast.yaml"], capture_output=True, text=True, timeout=900)
        assert up.returncode == 0, up.stderr[-3000:]
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(f"http://127.0.0.1:{port}/", timeout=15) as resp:
            assert resp.status == 200 and resp.read() == b"signed"
            assert "session=" in resp.headers.get("Set-Cookie", "")
    finally:
        down = subprocess.run([*SHIPYARD, "down", str(app), "-f", "compose.fast.yaml", "--volumes"],
                              capture_output=True, text=True, timeout=300)
    assert down.returncode == 0, down.stderr
    assert not _left_running(stack.project)
