"""aiohttp 2.3 (2017) defines Application in aiohttp/web.py; from 3.0 on it lives in aiohttp/web_app.py. The import
proof checked the factory's product against web_app's class only, and refused a real aiohttp 2 app: "app_factory()
is a Application, not aiohttp's Application". A factory the README runs with `python -m aiohttp.web -P 8080
aio_user:app_factory` (its `args=()` defaulted) on Python 3.6, real installs of the 2017 pins, served by gunicorn
with aiohttp's worker through nginx."""

from __future__ import annotations

import signal

import pytest

from conftest import free_port, make_tree, require_python, require_tool
from serveutil import get

pytestmark = pytest.mark.slow

FACTORY = '''\
from aiohttp import web


async def ping(request):
    return web.json_response({"status": "ok", "from": "an aiohttp 2 factory"})


def app_factory(args=()):
    app = web.Application()
    app.router.add_get("/ping/", ping, name="ping")
    return app
'''
PINS = "aiohttp==2.3.1\nasync-timeout==2.0.0\nchardet==3.0.4\nmultidict==3.3.0\nyarl==0.13.0\n"


def test_an_aiohttp_2_factory_is_proven_and_served(serving, tmp_path):
    require_tool("nginx")
    require_python("3.6")
    root = make_tree(tmp_path / "users", {"aio_user.py": FACTORY, "requirements.txt": PINS,
                                          ".python-version": "3.6\n"})
    port = free_port()
    run = serving(str(root), "--install", "--port", str(port))
    assert run.wait_for(r"shipyard: serving .* at http://", 420), run.output
    status, headers, body = get(f"http://127.0.0.1:{port}/ping/")
    assert status == 200 and "an aiohttp 2 factory" in body and headers.get("Server", "").startswith("nginx"), \
        (body, run.output)
    assert run.stop(signal.SIGTERM, timeout=60) == 0, run.output
