"""verify's line for a smoke path that fails says what the status most likely means: Django's answer to a Host
that ALLOWED_HOSTS does not accept (read from Django itself here), a page an API does not have."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from shipyard.verify import status_hint

# a project whose settings accept no host with DEBUG off (startproject's ALLOWED_HOSTS = [] left as it was)
DJANGO_400 = """
import django
from django.conf import settings
settings.configure(DEBUG=False, ALLOWED_HOSTS=[], ROOT_URLCONF=__name__, SECRET_KEY="x",
                   MIDDLEWARE=["django.middleware.common.CommonMiddleware"])
django.setup()
from django.http import HttpResponse
from django.urls import path
urlpatterns = [path("", lambda request: HttpResponse("ok"))]
from django.test import Client
response = Client().get("/", HTTP_HOST="127.0.0.1")
sys.stdout.write("%d\\n%s" % (response.status_code, response.content.decode()))
"""


def test_djangos_answer_to_a_host_it_does_not_accept_is_named():
    pytest.importorskip("django")
    done = subprocess.run([sys.executable, "-c", "import sys\n" + DJANGO_400], capture_output=True, text=True,
                          timeout=60, env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"})
    assert done.returncode == 0, done.stderr
    status, body = done.stdout.split("\n", 1)
    hint = status_hint(int(status), body, "/")
    assert hint.startswith(" (Django's page for a bad request, most often a host ALLOWED_HOSTS does not accept: "
                           "the check asks for 127.0.0.1"), (status, body)


def test_other_answers_get_their_own_hint_or_none():
    assert status_hint(404, "Not Found", "/").startswith(" (an app with no page at /: name one with --path)")
    assert status_hint(400, '{"detail": "missing field"}', "/") == ""
    assert status_hint(500, "<h1>Server Error (500)</h1>", "/") == ""


# a real Django app served by wsgiref on 127.0.0.1: ALLOWED_HOSTS and DEBUG from argv
DJANGO_SERVER = """
import sys
import django
from django.conf import settings
settings.configure(DEBUG=sys.argv[2] == "debug", ALLOWED_HOSTS=sys.argv[3].split(","), ROOT_URLCONF=__name__,
                   SECRET_KEY="x", MIDDLEWARE=["django.middleware.common.CommonMiddleware"])
django.setup()
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path
from wsgiref.simple_server import make_server, WSGIRequestHandler
urlpatterns = [path("", lambda request: HttpResponse("ok " + request.get_host()))]
class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass
make_server("127.0.0.1", int(sys.argv[1]), get_wsgi_application(), handler_class=Quiet).serve_forever()
"""


@pytest.mark.parametrize("debug, hosts, ok", [
    ("off", "localhost,.pythonanywhere.com", True),    # a 2018 portfolio's list: localhost, not 127.0.0.1
    ("debug", "localhost", True),                      # DEBUG on: Django's DisallowedHost page, the same answer
    ("off", ".herokuapp.com,.c9users.io", False),      # no local name at all: the check fails, with the hint
])
def test_a_smoke_path_django_refuses_under_127_is_asked_again_under_localhost(debug, hosts, ok):
    """verify asks for 127.0.0.1; an app whose ALLOWED_HOSTS names localhost answered 400 there and failed every
    path, though the image serves it under that name (serve prints http://localhost:PORT for it). The path is asked
    again with Host localhost, and the line says so; an app that accepts no local name still fails, with the hint."""
    import time

    from conftest import free_port
    from shipyard.verify import SmokeCheck, _check_smoke
    pytest.importorskip("django")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", DJANGO_SERVER, str(port), debug, hosts],
                              env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        records = []
        for _ in range(100):                                   # bounded: the server starts within seconds
            records.clear()
            _check_smoke(f"http://127.0.0.1:{port}", SmokeCheck("/"), lambda *r: records.append(r))
            if "no answer" not in records[0][2]:
                break
            time.sleep(0.2)
        name, passed, detail = records[0]
        assert passed is ok, detail
        if ok:
            assert "under Host localhost" in detail and "open it as http://localhost:PORT" in detail, detail
        else:
            assert "status 400" in detail and "ALLOWED_HOSTS does not accept" in detail, detail
    finally:
        server.kill()
        server.wait(timeout=10)
