"""`shipyard up` prints the stack's URL under a Host the app accepts. The stack's nginx passes each request's Host
on unchanged (a production proxy must: Django checks it against ALLOWED_HOSTS and builds its links with it), so
an app that accepts only localhost answers http://127.0.0.1:PORT/ with a 400 while http://localhost:PORT/, the
same address, answers: that is the URL to open, as verify's smoke check asks it. Checked against a real Django
app served on the loopback address."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

from shipyard.verify import accepted_url

DJANGO = """
import sys
from django.conf import settings
settings.configure(DEBUG=False, ALLOWED_HOSTS=sys.argv[2].split(","), ROOT_URLCONF=__name__, SECRET_KEY="x" * 50,
                   MIDDLEWARE=["django.middleware.common.CommonMiddleware"])
from django.http import HttpResponse
from django.urls import path
urlpatterns = [path("", lambda request: HttpResponse("home"))]
from django.core.wsgi import get_wsgi_application
from wsgiref.simple_server import make_server, WSGIRequestHandler
class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass
make_server("127.0.0.1", int(sys.argv[1]), get_wsgi_application(), handler_class=Quiet).serve_forever()
"""


def _port() -> int:
    """A free port in this suite's range (27900-27999)."""
    for port in range(27900, 28000):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port in 27900-27999")


def _serve(hosts: str):
    port = _port()
    proc = subprocess.Popen([sys.executable, "-c", DJANGO, str(port), hosts], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    for _ in range(100):                       # bounded: up to 10 s for the server to listen
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc, port
        time.sleep(0.1)
    proc.kill()
    raise AssertionError(proc.stderr.read().decode() if proc.stderr else "no server")


def test_an_app_accepting_only_localhost_is_printed_under_localhost():
    proc, port = _serve("localhost")
    try:
        url, note = accepted_url(f"http://127.0.0.1:{port}/")
        assert url == f"http://localhost:{port}/"
        assert note and "refuses the Host 127.0.0.1 and accepts localhost" in note
    finally:
        proc.kill()
        proc.wait(timeout=10)


def test_an_app_accepting_the_address_keeps_it_and_one_accepting_neither_is_said():
    proc, port = _serve("127.0.0.1,localhost")
    try:
        assert accepted_url(f"http://127.0.0.1:{port}/") == (f"http://127.0.0.1:{port}/", None)
    finally:
        proc.kill()
        proc.wait(timeout=10)
    proc, port = _serve("app.example.com")
    try:
        url, note = accepted_url(f"http://127.0.0.1:{port}/")
        assert url == f"http://127.0.0.1:{port}/" and "refusing the Host 127.0.0.1" in note
    finally:
        proc.kill()
        proc.wait(timeout=10)
    # nothing listening: the URL as it was, no note
    assert accepted_url(f"http://127.0.0.1:{_port()}/", timeout=2) == (f"http://127.0.0.1:{_port()}/", None)
