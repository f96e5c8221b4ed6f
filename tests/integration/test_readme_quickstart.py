"""The README's first command, as a newcomer runs it: Shipyard installed in its own virtualenv, then
`shipyard serve --install` on the shipped hello example, which has no virtualenv of its own yet."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from conftest import EXAMPLES, ROOT, free_port, require_tool

pytestmark = pytest.mark.slow


def _get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=5) as resp:
        return resp.status, resp.headers.get("Server", ""), resp.read().decode()


def test_install_then_serve_hello(tmp_path):
    require_tool("nginx")
    tools = tmp_path / "shipyard-tools"
    subprocess.run([sys.executable, "-m", "venv", str(tools)], check=True)
    subprocess.run([str(tools / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", str(ROOT)],
                   check=True, timeout=300)
    app = tmp_path / "hello"
    shutil.copytree(EXAMPLES / "hello", app, ignore=shutil.ignore_patterns(".venv", "__pycache__"))
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    port = free_port()
    proc = subprocess.Popen([str(tools / "bin" / "shipyard"), "serve", "--install", str(app), "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        # the user's signal that it is up: the "serving ... at URL" line (Ctrl-C before it is a cancelled start)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None and not any(" at http://" in l for l in lines):
            time.sleep(0.5)
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                status, server, body = _get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200, f"no answer; exit={proc.poll()}"
        assert server == "nginx" and "Hello from Shipyard" in body
        assert (app / ".venv" / "pyvenv.cfg").exists(), "the app's own virtualenv was not created"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        reader.join(timeout=10)
        out = "".join(lines)
    assert proc.returncode == 0, out[-3000:]
    assert "installing" in out and "Flask" in out
