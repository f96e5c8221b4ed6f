"""An app that writes into a folder relative to where it runs, which its own compose file gives a named volume: the
image's code is root-owned and read-only, so its first request failed (litestar-books' sessions: 500). The image
now makes that folder, owned by the app's user: build + verify pass, and the folder holds what the app wrote."""

from __future__ import annotations

import subprocess

import pytest

from conftest import make_tree
from data_volume_app import APP
from test_build import verified_image

pytestmark = [pytest.mark.engine, pytest.mark.slow]


def in_image(tag: str, script: str) -> subprocess.CompletedProcess:
    """`sh -c SCRIPT` in the image, as its user."""
    return subprocess.run(["docker", "run", "--rm", "--entrypoint", "sh", tag, "-c", script],
                          capture_output=True, text=True, timeout=120)


def test_a_folder_the_apps_compose_file_gives_a_volume_is_writable_in_the_image(tmp_path, base_image):
    app = make_tree(tmp_path / "visits", APP)
    with verified_image(app, base_image, "data-folder", python="3.11", timeout=1800, fresh=True) as tag:
        ran = in_image(tag, "stat -c '%U %a' /app/session_data && touch /app/app.py 2>&1 || true")
        assert ran.stdout.splitlines()[0] == "app 750" and "Permission denied" in ran.stdout, ran.stdout + ran.stderr


LOGGING_APP = {
    "logger.py": '''
        import logging
        import os

        LOG_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "log")
        os.makedirs(os.path.join(LOG_DIR, "1d"), exist_ok=True)
        log = logging.getLogger("visits")
        log.addHandler(logging.FileHandler(os.path.join(LOG_DIR, "1d", "today.log")))
        log.setLevel(logging.INFO)
        ''',
    "app.py": '''
        from flask import Flask

        from logger import log

        app = Flask(__name__)
        log.info("app started")


        @app.get("/")
        def index():
            log.info("visit")
            return "logged"
        ''',
    "requirements.txt": "Flask==3.0.3\n",
    # what a run in the checkout left (aiohttp-forum: the proof's import made it), copied by the build context
    "log/1d/today.log": "app started\n",
}


def test_a_folder_the_code_makes_at_import_is_writable_with_what_the_checkout_left_there(tmp_path, base_image):
    # aiohttp-forum's logger: os.mkdir of log/ and log/1d beside its module, a log file opened there at import:
    # PermissionError, the worker never booted (verify and the stack); then the file a local run had left, root-owned
    app = make_tree(tmp_path / "logged", LOGGING_APP)
    with verified_image(app, base_image, "made-folder", python="3.11", timeout=1800, fresh=True) as tag:
        ran = in_image(tag, "stat -c '%U' /app/log/1d /app/log/1d/today.log && touch /app/app.py 2>&1 || true")
        assert ran.stdout.splitlines()[:2] == ["app", "app"] and "Permission denied" in ran.stdout, \
            ran.stdout + ran.stderr
