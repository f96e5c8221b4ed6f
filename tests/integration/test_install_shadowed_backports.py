"""A requirement named after a module of the standard library (a 2014 freeze's wsgiref==0.1.2, the Python 2
backport, whose setup.py no Python 3 runs) is left out before the install, not after a failed build of it: the
standard library's module is imported first anyway. Real uv install."""

from __future__ import annotations

import subprocess
import time

import pytest

from conftest import make_tree, require_tool
from shipyard.planner import make_plan
from shipyard.run.appenv import install_app_env

pytestmark = pytest.mark.slow


def test_a_standard_library_backport_is_left_out_before_the_install(tmp_path, monkeypatch):
    require_tool("uv")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = make_tree(tmp_path / "old", {
        "app.py": "import six\nfrom wsgiref.util import request_uri\n\n"
                  "def application(environ, start_response):\n    start_response('200 OK', [])\n"
                  "    return [request_uri(environ).encode()]\n",
        "requirements.txt": "six==1.16.0\nwsgiref==0.1.2\n",
    })
    said: list[str] = []
    started = time.monotonic()
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append)
    assert any(line.startswith("wsgiref==0.1.2 left out up front: ") for line in said), said
    assert not any("does not build" in line for line in said), said
    assert time.monotonic() - started < 240
    done = subprocess.run([env.python, "-c", "import app, wsgiref; print(wsgiref.__file__)"], cwd=root,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "site-packages" not in done.stdout, done.stderr
