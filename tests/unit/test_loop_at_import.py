"""A module that starts an asyncio task at its top level (a 2024 Starlette example's logger_setup.py:
`log_task = asyncio.create_task(init_logger())`) imports only inside a running event loop. The author's
`uvicorn main:app` imports the app inside its loop, so it runs there; the import proof (and granian, gunicorn's
workers, and uvicorn 0.55) import it before any loop runs, where asyncio raises "no running event loop". The proof
says exactly that, and where to move the call, instead of asking to fix the app's code in general. Real uvicorn
0.34 (the app's time), installed with uv, shows the author's command did serve it."""

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
from shipyard.project import Project

from conftest import make_tree, require_tool

LOGGER = """
    import asyncio
    import logging


    async def init_logger():
        while True:
            await asyncio.sleep(60)


    log_task = asyncio.create_task(init_logger())
    logger = logging.getLogger()
    """

MAIN = """
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from logger_setup import logger


    async def home(request):
        return PlainTextResponse("hello")


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


def test_a_task_started_at_import_is_said_to_need_the_servers_loop(tmp_path):
    root = make_tree(tmp_path / "example", {"main.py": MAIN, "logger_setup.py": LOGGER,
                                             "requirements.txt": "starlette\nuvicorn\n"})
    found = entry.find(Project(root), None)
    assert found.entry.target == "main:app"
    with pytest.raises(AppCodeError) as raised:
        entry.confirm(Project(root), found, sys.executable, 60.0)
    message = str(raised.value)
    assert message.startswith("logger_setup.py:10: importing main:app failed: RuntimeError: no running event loop")
    assert "imports the app inside its running loop (`uvicorn main:app` did, up to uvicorn 0.34" in message, message
    assert "lifespan handler or on_startup" in raised.value.hint


def test_the_authors_uvicorn_command_served_the_same_app(tmp_path):
    """The claim the message makes: uvicorn 0.34 imports the app inside its running loop, where the task starts."""
    uv = require_tool("uv")
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "-q", "-p", sys.executable, str(venv)], check=True, timeout=120)
    subprocess.run([uv, "pip", "install", "-q", "uvicorn==0.34.0", "starlette"], check=True, timeout=300,
                   env={**os.environ, "VIRTUAL_ENV": str(venv)})
    root = make_tree(tmp_path / "example", {"main.py": MAIN, "logger_setup.py": LOGGER})
    port = _port()
    server = subprocess.Popen([str(venv / "bin" / "python"), "-m", "uvicorn", "main:app", "--host", "127.0.0.1", "--port",
                               str(port)], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
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
        assert body == "hello", server.stdout.read().decode() if server.poll() is not None else "no answer"
    finally:
        server.terminate()
        server.wait(timeout=10)
