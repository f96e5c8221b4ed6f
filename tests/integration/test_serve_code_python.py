"""A Dockerfile's `FROM python:3.9-slim` left behind by the code (detect/code_python.py), served for real: a FastAPI
app written for the test whose schemas module imports datetime.UTC (Python 3.11) and whose Dockerfile, never run
again, names python:3.9. On main, `serve --install` made the app's .venv with 3.9 and stopped on "cannot import
name 'UTC' from 'datetime'"; now the plan takes 3.11, the .venv is made with it, and the page answers."""

from __future__ import annotations

import os
import time

import pytest

from conftest import free_port, make_tree, require_python, require_tool
from serveutil import Running, get
from shipyard import environments

pytestmark = pytest.mark.slow

APP = {
    "app/__init__.py": "",
    "app/main.py": "from fastapi import FastAPI\n\nfrom app.schemas.mixins import stamp\n\napp = FastAPI()\n\n\n"
                   "@app.get('/health')\nasync def health():\n    return {'status': 'healthy', 'tz': stamp()}\n",
    "app/schemas/__init__.py": "",
    "app/schemas/mixins.py": "from datetime import UTC, datetime\n\n\ndef stamp():\n"
                             "    return datetime.now(UTC).tzname()\n",
    "Dockerfile": "FROM python:3.9-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
                  "COPY . .\nCMD [\"uvicorn\", \"src.main:app\", \"--host\", \"0.0.0.0\", \"--port\", \"8000\"]\n",
    "requirements.txt": "fastapi\n",
}


def test_serve_install_runs_the_app_on_the_python_its_code_needs(tmp_path):
    require_tool("nginx")
    py311 = require_python("3.11")
    root = make_tree(tmp_path / "dashboard", APP)
    then = time.mktime((2025, 1, 22, 12, 0, 0, 0, 0, 0))   # before 3.9's end of life: 3.9 stays the Dockerfile's
    for path in root.rglob("*"):
        os.utime(path, (then, then))
    port = free_port()
    run = Running("serve", "--install", str(root), "--port", str(port),
                  env={"VIRTUAL_ENV": "", "XDG_CACHE_HOME": str(tmp_path / "cache")})
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 300), run.output
        status, _, body = get(f"http://127.0.0.1:{port}/health")
        assert (status, body) == (200, '{"status":"healthy","tz":"UTC"}'), run.output
        assert f"creating the app's virtualenv {root / '.venv'} (Python {py311.version}" in run.output
    finally:
        run.discard()
    assert environments.interpreter_info(str(root / ".venv" / "bin" / "python")).minor == "3.11"
