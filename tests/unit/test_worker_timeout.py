"""A worker gunicorn kills at its timeout (a first request that outlives it: a Django app imports its URLconf and
every view then) is named as such in serve's error, not by the "SystemExit: 1" gunicorn's abort handler leaves
as the last exception in its output."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

from shipyard.run.tree import worker_timeout
from conftest import require_tool, stop_process


def test_a_worker_killed_at_gunicorns_timeout_is_said_so(tmp_path):
    require_tool("gunicorn")
    # the first request outlives the timeout, as badol's (its views import WeasyPrint) did on a loaded machine
    (tmp_path / "slow.py").write_text("import time\n\n\ndef app(environ, start_response):\n    time.sleep(20)\n"
                                      "    start_response('200 OK', [])\n    return [b'ok']\n")
    sock, log = tmp_path / "app.sock", tmp_path / "gunicorn.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--timeout", "1", "--workers", "1",
                                 "--bind", f"unix:{sock}", "slow:app"], cwd=tmp_path, stdout=out, stderr=out)
    client = socket.socket(socket.AF_UNIX)
    try:
        deadline = time.monotonic() + 20
        while not sock.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        client.settimeout(5)
        client.connect(str(sock))
        client.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        while time.monotonic() < deadline and worker_timeout(log.read_text().splitlines()) is None:
            time.sleep(0.2)
    finally:
        client.close()
        stop_process(proc)
    lines = log.read_text().splitlines()
    said = worker_timeout(lines)
    assert said is not None and "WORKER TIMEOUT" in said and "first request" in said, lines
    # an app that failed on its own keeps its own cause
    assert worker_timeout(["Traceback (most recent call last):", "ImportError: No module named 'flask'"]) is None
