"""Sanic before 19.6 speaks no ASGI (its app's call is not async): the import proof says so, and `serve --install`
runs it with gunicorn and Sanic's own worker (sanic.worker.GunicornWorker), behind nginx, with a real install
(edkfjc43782/my_sanic_app pins sanic 18.12.0)."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from conftest import free_port, make_tree, require_python, require_tool
from serveutil import Running, get

pytestmark = pytest.mark.slow

SANIC_18 = {
    # Sanic 18.12's worker closes the loop asyncio.get_event_loop() gives, which uvloop 0.15+ no longer makes
    "requirements.txt": "sanic==18.12.0\nuvloop==0.14.0\n",
    "runtime.txt": "python-3.8\n",
    "app.py": """
        from sanic import Sanic
        from sanic.response import json

        app = Sanic("notes")


        @app.route("/")
        async def index(request):
            return json({"hello": "sanic 18"})
        """,
}


def test_a_sanic_18_app_is_served_by_gunicorn_with_sanics_worker(tmp_path):
    require_tool("nginx")
    require_python("3.8")
    root = make_tree(tmp_path / "app", SANIC_18)
    port = free_port()
    run = Running("serve", str(root), "--install", "--port", str(port))
    try:
        assert run.wait_for(r"serving \S+ at", 300), run.output
        said = run.wait_for(r"run folder (\S+); server config: generated gunicorn\.conf\.py", 1)
        assert said, run.output
        conf = (Path(said.group(1)) / "gunicorn.conf.py").read_text()
        assert 'worker_class = "sanic.worker.GunicornWorker"' in conf, conf
        status, _, body = get(f"http://127.0.0.1:{port}/")
        assert (status, body) == (200, '{"hello":"sanic 18"}'), run.output
        assert run.stop(signal.SIGINT) == 0, run.output
    finally:
        run.kill()
