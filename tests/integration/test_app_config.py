"""Apps that read their configuration from the environment, with real proof environments (uv), a real serve
(nginx, supervisord): an app that reads DATABASE_URL at import is reported not proven with the variable to set
(inspect and init go on, serve says what to set); a Django app whose SECRET_KEY, ALLOWED_HOSTS and a greeting
come from the environment, with an .env.example, is proven and served with nothing set by hand, and nothing
is written into its folder."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import free_port, make_tree, require_tool
from serveutil import SHIPYARD, Running, get

pytestmark = pytest.mark.slow

# reads DATABASE_URL at import and uses it (None when unset), as create_engine(os.getenv(...)) does
DATABASE_AT_IMPORT = {
    "requirements.txt": "itsdangerous==2.1.2\n",
    "app.py": """
        import os

        import itsdangerous

        DATABASE_URL = os.getenv("DATABASE_URL")
        SCHEME = DATABASE_URL.split(":")[0]


        def app(environ, start_response):
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [SCHEME.encode()]
        """,
}

DJANGO_FROM_ENV = {
    "requirements.txt": "Django\n",
    ".env.example": """
        # copy to .env and fill in
        SECRET_KEY=
        GREETING="hello from the example file"
        """,
    "manage.py": """
        import os, sys
        if __name__ == "__main__":
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
            from django.core.management import execute_from_command_line
            execute_from_command_line(sys.argv)
        """,
    "site_config/__init__.py": "",
    "site_config/settings.py": """
        import os
        SECRET_KEY = os.environ["SECRET_KEY"]
        DEBUG = os.environ.get("DEBUG", "0") == "1"
        ALLOWED_HOSTS = os.environ["DJANGO_ALLOWED_HOSTS"].split(",")
        GREETING = os.environ["GREETING"]
        ROOT_URLCONF = "site_config.urls"
        INSTALLED_APPS = []
        DATABASES = {}
        """,
    "site_config/urls.py": """
        from django.conf import settings
        from django.http import HttpResponse
        from django.urls import path


        def home(request):
            return HttpResponse(f"{settings.GREETING}; debug={settings.DEBUG}; key={len(settings.SECRET_KEY)}")


        urlpatterns = [path("", home)]
        """,
    "site_config/wsgi.py": """
        import os
        from django.core.wsgi import get_wsgi_application
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
        application = get_wsgi_application()
        """,
}


@pytest.fixture
def environ(tmp_path_factory) -> dict[str, str]:
    """Nothing of the app's configuration set; the user's cache (proof environments are shared, as they are
    for a user) and a private data folder (where a generated SECRET_KEY is kept)."""
    require_tool("uv")
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "GREETING", "DEBUG")}
    env["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("xdg-data"))
    return env


def shipyard(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*SHIPYARD, *args], capture_output=True, text=True, env=env, timeout=timeout)


def test_an_app_reading_database_url_at_import_is_not_proven_and_says_what_to_set(tmp_path, environ):
    app = make_tree(tmp_path / "app", DATABASE_AT_IMPORT)
    done = shipyard("inspect", str(app), "--json", env=environ)
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    proof = plan["proof"]
    assert proof["proven"] is False and proof["variables"] == ["DATABASE_URL"], proof
    assert "app.py:6" in proof["reason"] and "DATABASE_URL, which is not set" in proof["reason"], proof
    assert proof["environment"].startswith("proof environment"), proof       # never Shipyard's own Python
    assert plan["entry"]["target"] == "app:app"
    warnings = [line for line in done.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "set DATABASE_URL to prove it" in warnings[0], done.stderr

    done = shipyard("init", str(app), "--dry-run", env=environ)          # init goes on, with the warning
    assert done.returncode == 0 and "set DATABASE_URL to prove it" in done.stderr, done.stderr

    done = shipyard("serve", str(app), "--port", str(free_port()), "--db", "none", env=environ, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "DATABASE_URL, which is not set (set DATABASE_URL (export DATABASE_URL=...)" in done.stderr.splitlines()[-1]

    done = shipyard("inspect", str(app), "--json", env={**environ, "DATABASE_URL": "sqlite:///app.db"})
    assert json.loads(done.stdout)["proof"]["proven"] is True, done.stderr


def test_a_django_app_configured_from_the_environment_is_proven_and_served(tmp_path, environ):
    require_tool("nginx")
    app = make_tree(tmp_path / "app", DJANGO_FROM_ENV)
    before = sorted(p.relative_to(app) for p in app.rglob("*"))
    done = shipyard("inspect", str(app), "--json", env=environ)
    assert done.returncode == 0, done.stderr
    proof = json.loads(done.stdout)["proof"]
    assert proof["proven"] is True, proof
    notes = "\n".join(proof["notes"])
    assert "the app's example env file .env.example" in notes and "GREETING" in notes, notes
    assert "DJANGO_ALLOWED_HOSTS=localhost,127.0.0.1,[::1]" in notes and "SECRET_KEY (a throwaway" in notes, notes

    port = free_port()
    run = Running("serve", str(app), "--port", str(port), env={**environ, "VIRTUAL_ENV": ""})
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 180), run.output
        status, _, body = get(f"http://127.0.0.1:{port}/")
        assert (status, body) == (200, "hello from the example file; debug=False; key=67"), run.output
        assert "variables from the app's example env file .env.example" in run.output
        secrets = list((Path(environ["XDG_DATA_HOME"]) / "shipyard" / "apps").glob("*/secret_key"))
        assert len(secrets) == 1 and secrets[0].read_text().strip() not in run.output, run.output
    finally:
        run.discard()
    after = sorted(p.relative_to(app) for p in app.rglob("*") if "__pycache__" not in p.parts)
    assert after == before, "Shipyard wrote into the app's folder"



# cookiecutter-django's layout: the reader object is bound in base.py and imported by production.py, which
# wsgi.py defaults to; production requires the secret key and values only the user has (the admin's URL)
COOKIECUTTER_PRODUCTION = {
    "requirements.txt": "Django\ndjango-environ\n",
    "config/__init__.py": "",
    "config/settings/__init__.py": "",
    "config/settings/base.py": """
        import environ
        env = environ.Env()
        DEBUG = env.bool("DJANGO_DEBUG", False)
        ROOT_URLCONF = "config.urls"
        INSTALLED_APPS = []
        DATABASES = {}
        """,
    "config/settings/production.py": """
        from .base import *  # noqa
        from .base import env
        SECRET_KEY = env("DJANGO_SECRET_KEY")
        ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["example.com"])
        ADMIN_URL = env("DJANGO_ADMIN_URL")
        """,
    "config/urls.py": "urlpatterns = []\n",
    "config/wsgi.py": """
        import os
        from django.core.wsgi import get_wsgi_application
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
        application = get_wsgi_application()
        """,
}


def test_production_settings_reading_through_an_imported_env_get_the_secret_and_name_what_is_left(tmp_path,
                                                                                               environ):
    app = make_tree(tmp_path / "app", COOKIECUTTER_PRODUCTION)
    done = shipyard("inspect", str(app), "--json", env=environ)
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    assert plan["entry"]["target"] == "config.wsgi:application"
    proof = plan["proof"]
    # the throwaway secret key got the import past line 3; the admin's URL is the user's to give
    assert proof["proven"] is False and proof["variables"] == ["DJANGO_ADMIN_URL"], proof
    assert "production.py:5" in proof["reason"], proof
    done = shipyard("inspect", str(app), "--json", env={**environ, "DJANGO_ADMIN_URL": "admin/"})
    assert json.loads(done.stdout)["proof"]["proven"] is True, done.stderr


# a shop whose payment key (only its author has it) is read at import and used only by /pay; the example env
# file lists it empty, for the user to fill
STRIPE_AT_IMPORT = {
    "requirements.txt": "itsdangerous==2.1.2\n",
    ".env.example": "STRIPE_SECRET_KEY=\nSHOP_NAME=Corner shop\n",
    "app.py": """
        import os

        import itsdangerous

        STRIPE_SECRET_KEY = os.environ["STRIPE_SECRET_KEY"]
        SHOP_NAME = os.environ["SHOP_NAME"]


        def app(environ, start_response):
            if environ["PATH_INFO"] == "/pay":
                start_response("502 Bad Gateway", [("Content-Type", "text/plain")])
                return [f"payment provider refused the key {STRIPE_SECRET_KEY}".encode()]
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [f"welcome to {SHOP_NAME}".encode()]
        """,
}


def test_a_credential_only_the_author_has_is_a_marked_placeholder_in_serve_and_named_by_inspect(tmp_path,
                                                                                                environ):
    require_tool("nginx")
    app = make_tree(tmp_path / "app", STRIPE_AT_IMPORT)
    environ = {k: v for k, v in environ.items() if k not in ("STRIPE_SECRET_KEY", "SHOP_NAME")}
    done = shipyard("inspect", str(app), "--json", env=environ)
    assert done.returncode == 0, done.stderr
    proof = json.loads(done.stdout)["proof"]                      # the image's check: no placeholder there
    assert proof["proven"] is False and proof["variables"] == ["STRIPE_SECRET_KEY"], proof
    assert "leaves it empty, for you to fill" in proof["reason"], proof

    port = free_port()
    run = Running("serve", str(app), "--port", str(port), "--install", env={**environ, "VIRTUAL_ENV": ""})
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 240), run.output
        assert get(f"http://127.0.0.1:{port}/")[::2] == (200, "welcome to Corner shop"), run.output
        assert get(f"http://127.0.0.1:{port}/pay")[::2] == (
            502, "payment provider refused the key shipyard-placeholder"), run.output
        said = [line for line in run.lines if "PLACEHOLDERS, not real values: STRIPE_SECRET_KEY" in line]
        assert len(said) == 1 and "the image never gets a placeholder" in said[0], run.output
    finally:
        run.discard()
