"""A module that starts an asyncio task at its top level (a 2024 Starlette example's logger_setup.py:
`log_task = asyncio.create_task(init_logger())`) imports only inside a running event loop. The author's
`uvicorn main:app` (uvicorn 0.34, the app's time) imported the app inside its loop, so it ran there; granian,
gunicorn's workers and uvicorn 0.55 import it before any loop runs, where asyncio raises "no running event loop".

The import proof imports such an ASGI entry again inside a loop; the plan serves it through shipyard_entry.py,
whose `app` imports the entry at the server's first call (the lifespan's startup), inside the server's loop, where
the task keeps running. Real granian serves it; real uvicorn 0.34 shows the author's command did. An app that is not
ASGI gets one line saying where the call is and what to do."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from shipyard.detect import entry
from shipyard.errors import AppCodeError
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.render import render

from conftest import make_tree, require_tool

LOGGER = """
    import asyncio
    import logging

    BEATS = []


    async def init_logger():
        while True:
            BEATS.append(1)
            await asyncio.sleep(0.05)


    log_task = asyncio.create_task(init_logger())
    logger = logging.getLogger()
    """

MAIN = """
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from logger_setup import BEATS, log_task


    async def home(request):
        return PlainTextResponse("hello, task running: %s" % (bool(BEATS) and not log_task.done()))


    app = Starlette(routes=[Route("/", home)])
    """


def _port() -> int:
    """A free port of this helper's range on the loopback."""
    for port in range(23500, 23600):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 23500-23599")


def _get(argv: list[str], cwd, port: int) -> str:
    """Start a server, GET / until it answers (30 s at most), stop it; the body."""
    server = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline, body = time.monotonic() + 30, None
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    body = response.read().decode()
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.3)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    assert body is not None, server.stdout.read().decode()
    return body


def test_an_asgi_app_that_starts_a_task_at_import_is_proven_inside_a_loop_and_served_by_granian(tmp_path):
    require_tool("granian")
    root = make_tree(tmp_path / "example", {"main.py": MAIN, "logger_setup.py": LOGGER,
                                             "requirements.txt": "starlette\n"})
    found = entry.find(Project(root), None)
    assert found.entry.target == "main:app"
    assert entry.confirm(Project(root), found, sys.executable, 60.0).loop_import
    plan = make_plan(root, confirm=True, installed=True)
    assert plan.entry.loop_import
    (root / "shipyard_entry.py").write_text(render(plan)["shipyard_entry.py"])
    port = _port()
    body = _get([sys.executable, "-m", "granian", "--interface", "asgi", "--host", "127.0.0.1", "--port", str(port),
                 "--workers", "1", "shipyard_entry:app"], root, port)
    assert body == "hello, task running: True"


def test_the_authors_uvicorn_command_served_the_same_app(tmp_path):
    """The app's own command of its time: uvicorn 0.34 imports the app inside its running loop."""
    uv = require_tool("uv")
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "-q", "-p", sys.executable, str(venv)], check=True, timeout=120)
    subprocess.run([uv, "pip", "install", "-q", "uvicorn==0.34.0", "starlette"], check=True, timeout=300,
                   env={**os.environ, "VIRTUAL_ENV": str(venv)})
    root = make_tree(tmp_path / "example", {"main.py": MAIN, "logger_setup.py": LOGGER})
    port = _port()
    body = _get([str(venv / "bin" / "python"), "-m", "uvicorn", "main:app", "--host", "127.0.0.1", "--port",
                 str(port)], root, port)
    assert body == "hello, task running: True"


def test_a_wsgi_app_that_starts_a_task_at_import_is_said_to_need_a_running_loop(tmp_path):
    root = make_tree(tmp_path / "site", {
        "logger_setup.py": LOGGER,
        "app.py": """
            from flask import Flask

            import logger_setup

            app = Flask(__name__)
            """,
        "requirements.txt": "flask\n"})
    found = entry.find(Project(root), None)
    assert found.entry.target == "app:app"
    with pytest.raises(AppCodeError) as raised:
        entry.confirm(Project(root), found, sys.executable, 60.0)
    message = str(raised.value)
    assert message.startswith("logger_setup.py:13: importing app:app failed: RuntimeError: no running event loop: "
                              "the module starts an asyncio task"), message
    assert "lifespan handler or on_startup" in raised.value.hint
