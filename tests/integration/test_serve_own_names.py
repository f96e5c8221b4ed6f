"""Variables under names of the app's own, served for real (uv's proof environment with Django and django-redis,
nginx, supervisord, this machine's redis-server): a Django app that puts DOMAIN into ALLOWED_HOSTS and keeps its
sessions in a django-redis cache at CACHELOCATION (its own .env says redis://redis:6379/0, a compose host, and
is loaded by nothing at serve time) answers 200, not 400, and its sessions live in the Redis serve started."""

from __future__ import annotations

import os
import signal
import urllib.request

import pytest

from conftest import free_port, make_tree, require_tool
from serveutil import Running

pytestmark = pytest.mark.slow

APP = {
    "requirements.txt": "django>=4.2,<6\ndjango-redis\n",
    ".env": "CACHELOCATION=redis://redis:6379/0\n",
    "site_config/__init__.py": "",
    "site_config/settings.py": """
        import os
        SECRET_KEY = "not-secret-for-the-test"
        DEBUG = os.environ.get("DEBUG") == "True"
        ALLOWED_HOSTS = [os.environ.get("DOMAIN"),]
        if DEBUG:
            ALLOWED_HOSTS = ["*"]
        ROOT_URLCONF = "site_config.urls"
        INSTALLED_APPS = []
        MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
        DATABASES = {}
        CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache",
                              "LOCATION": os.environ.get("CACHELOCATION")}}
        SESSION_ENGINE = "django.contrib.sessions.backends.cache"
        """,
    "site_config/urls.py": """
        from django.http import HttpResponse
        from django.urls import path

        def visit(request):
            request.session["n"] = request.session.get("n", 0) + 1
            return HttpResponse(f"visit {request.session['n']}")

        urlpatterns = [path("", visit)]
        """,
    "site_config/wsgi.py": """
        import os
        from django.core.wsgi import get_wsgi_application
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
        application = get_wsgi_application()
        """,
}


def test_a_django_app_gets_its_hosts_and_its_cache_under_names_of_its_own(tmp_path):
    require_tool("nginx")
    require_tool("redis-server")
    require_tool("uv")
    app = make_tree(tmp_path / "app", APP)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "DOMAIN", "CACHELOCATION", "REDIS_URL")}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    port = free_port()
    run = Running("serve", str(app), "--port", str(port), env=env)
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 240), run.output
        said = run.wait_for(r"Redis for app on 127\.0\.0\.1:(\d+) \(data in \S+\); REDIS_URL, CACHELOCATION set", 1)
        assert said, run.output
        assert "DOMAIN=127.0.0.1 (the code puts it into ALLOWED_HOSTS" in run.output
        # the session cookie of the first answer brings the second visit back from the Redis serve started
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        answers = [opener.open(f"http://127.0.0.1:{port}/", timeout=10).read().decode() for _ in range(2)]
        assert answers == ["visit 1", "visit 2"], run.output
        # Ctrl-C stops the Redis serve started too (a kill would leave it running: its command line names
        # nothing discard() can find)
        assert run.stop(signal.SIGINT) == 0, run.output
    finally:
        run.discard()
