"""serve's readiness probe: a slow health page is waited for, not asked for again and again."""

from __future__ import annotations

import http.server
import threading
import time

import pytest

from shipyard.run import serve
from shipyard.run.serve import HealthProbe


@pytest.fixture
def slow_app():
    """A server whose every GET takes `delay` seconds; `seen` counts the GETs that reached it."""
    state = {"delay": 1.2, "seen": 0}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            state["seen"] += 1
            time.sleep(state["delay"])
            try:
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")
            except OSError:        # the probe gave up on it
                pass

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1], state
    httpd.shutdown()
    httpd.server_close()


def test_a_page_slower_than_the_first_wait_is_waited_for_on_the_next_get(slow_app, monkeypatch):
    monkeypatch.setattr(serve, "PROBE_WAIT", 0.8)     # the page takes 1.2s: the first GET gives up on it
    port, state = slow_app
    said: list[str] = []
    probe = HealthProbe(port, "/", time.monotonic() + 30, said.append)
    assert probe() is False
    assert said and "has not answered within" in said[0] and "slow page" in said[0]
    assert probe() is True                         # waits 1.6s: the answer comes
    assert state["seen"] == 2 and len(said) == 1


def test_the_wait_never_goes_past_the_boot_deadline(slow_app, monkeypatch):
    monkeypatch.setattr(serve, "PROBE_WAIT", 0.5)
    port, state = slow_app
    state["delay"] = 8.0
    probe = HealthProbe(port, "/", time.monotonic() + 1.5, lambda note: None)
    for _ in range(4):                     # the wait doubles to 8s, but boot ends in 1.5s: at most 1s each
        started = time.monotonic()
        assert probe() is False
        assert time.monotonic() - started < 1.4
    assert probe.wait == 8.0


def test_nothing_listening_is_not_ready_at_once(monkeypatch):
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]          # closed again: nothing listens there
    probe = HealthProbe(port, "/", time.monotonic() + 30, lambda note: None)
    started = time.monotonic()
    assert probe() is False and time.monotonic() - started < 1
    assert probe.wait == serve.PROBE_WAIT
