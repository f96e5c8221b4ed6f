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
