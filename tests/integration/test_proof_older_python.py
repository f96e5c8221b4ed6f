"""Pins that install on the Python the plan chose but fail at import there move the plan to an older Python,
with real uv installs of real old releases (proving.py):

- an app written for the test, pinning Flask 1.0.3 with Werkzeug 0.15.3 and naming Python 3.8 (runtime.txt):
  Werkzeug 0.15.3 (May 2019) builds code objects 3.8 (October 2019) changed, and its routing raises TypeError at
  the first @app.route. The proof tries 3.7, where it imports: the plan's Python is 3.7, gunicorn serves it, and
  `serve --install` makes the app's .venv with 3.7 and serves it;
- the release-date check that allows the move (uv's --exclude-newer): a pin made after the Python is no reason
  to leave it."""

from __future__ import annotations

import pytest

from conftest import make_tree, require_python, require_tool
from serveutil import serving_fresh_install
from shipyard import environments
from shipyard.planner import make_plan

pytestmark = pytest.mark.slow

OLD_FLASK = {
    "app.py": """\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/")
        def index():
            return "old werkzeug"
        """,
    "requirements.txt": "Flask==1.0.3\nWerkzeug==0.15.3\nJinja2==2.10.1\nMarkupSafe==1.1.1\nitsdangerous==1.1.0\n"
                        "click==7.0\n",
    "runtime.txt": "python-3.8.10\n",
}


def test_pins_that_import_only_on_an_older_python_move_the_plan_there(tmp_path, monkeypatch):
    require_python("3.8")
    py37 = require_python("3.7")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("VIRTUAL_ENV", "")
    root = make_tree(tmp_path / "oldflask", OLD_FLASK)
    said: list[str] = []
    plan = make_plan(root, progress=said.append)
    assert plan.proof.proven, plan.proof.reason
    assert environments.interpreter_info(plan.proof.python).minor == py37.minor
    assert (plan.proof.moved_python, plan.python.version) == ("3.7", "3.7")
    assert "TypeError raised inside the installed Werkzeug 0.15.3 on Python 3.8" in plan.proof.moved_because
    assert any("failed on Python 3.8" in line and "trying the import on Python 3.7" in line for line in said), said
    # granian needs 3.10: the server default is the one for 3.7, and the notes say both
    assert plan.settings["server"] == "gunicorn"
    assert any(n.startswith("the app runs on Python 3.7: ") and n.endswith("gunicorn serves it there")
               for n in plan.notes), plan.notes


def test_serve_install_makes_the_venv_with_the_python_the_proof_moved_to(tmp_path):
    require_tool("nginx")
    require_python("3.8")
    py37 = require_python("3.7")
    root = make_tree(tmp_path / "oldflask", OLD_FLASK)
    with serving_fresh_install(root, tmp_path / "cache", 300) as (run, (status, _, body)):
        assert (status, body) == (200, "old werkzeug"), run.output
        assert f"creating the app's virtualenv {root / '.venv'} (Python {py37.version}" in run.output
        assert "do not install on Python" not in run.output        # made with 3.7 at once, not moved there
        assert "the app runs on Python 3.7: TypeError raised inside the installed Werkzeug 0.15.3" in run.output
    assert environments.interpreter_info(str(root / ".venv" / "bin" / "python")).minor == py37.minor


def test_a_release_is_a_reason_to_leave_a_python_only_when_it_came_out_before_it():
    python = require_python("3.8")
    assert environments.released_before("Werkzeug==0.15.3", "2019-10-14", python.path)     # 3.8's release day
    assert not environments.released_before("Werkzeug==2.0.0", "2019-10-14", python.path)


# A 2025 course project: its requirements name Django 3.0 (which imports distutils, gone in 3.12), and its own
# settings annotate with list[str] (Python 3.9). The Python of Django 3.0's time (3.8) imports Django but not
# the app's code: the proof goes forward to 3.9, between the two, instead of stopping on 3.8.
DJANGO30_NEW_CODE = {
    "manage.py": """\
        import os
        import sys

        if __name__ == "__main__":
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site30.settings")
            from django.core.management import execute_from_command_line
            execute_from_command_line(sys.argv)
        """,
    "site30/__init__.py": "",
    "site30/settings.py": """\
        SECRET_KEY = "test-only"
        DEBUG = False
        ALLOWED_HOSTS: list[str] = ["*"]
        ROOT_URLCONF = "site30.urls"
        INSTALLED_APPS: list[str] = []
        DATABASES = {}
        """,
    "site30/urls.py": """\
        from django.http import HttpResponse
        from django.urls import path

        urlpatterns = [path("", lambda request: HttpResponse("django 3.0"))]
        """,
    "site30/wsgi.py": """\
        import os

        from django.core.wsgi import get_wsgi_application

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site30.settings")
        application = get_wsgi_application()
        """,
    "requirements.txt": "Django==3.0\n",
    ".python-version": "3.12\n",
}


def test_code_newer_than_the_python_of_its_pins_time_moves_forward_to_one_between(tmp_path, monkeypatch):
    require_python("3.12")
    require_python("3.8")
    py39 = require_python("3.9")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("VIRTUAL_ENV", "")
    root = make_tree(tmp_path / "course", DJANGO30_NEW_CODE)
    said: list[str] = []
    plan = make_plan(root, progress=said.append)
    assert plan.proof.proven, (plan.proof.reason, said)
    assert environments.interpreter_info(plan.proof.python).minor == py39.minor
    assert plan.python.version == "3.9"
    assert any("failed on Python 3.12" in line and "trying the import on Python 3.8" in line for line in said), said
    assert any("the app's own code needs Python 3.9 or newer, and it ran on 3.8: trying the import on Python 3.9"
               in line for line in said), said


# The DRF quickstart of 2016 as people committed it: Django 1.10 pinned, files last changed in 2020, so the Python
# of their time is 3.8. Django 1.10's ModelBase leaves __classcell__ out of type.__new__, which 3.6 and 3.7 only
# warn about and 3.8 refuses (RuntimeError "__class__ not set defining 'AbstractBaseUser'") when django.setup()
# loads contrib.auth: serve moves to an older Python and serves the app there.
DJANGO110_AUTH = {
    "manage.py": """\
        import os
        import sys

        if __name__ == "__main__":
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site110.settings")
            from django.core.management import execute_from_command_line
            execute_from_command_line(sys.argv)
        """,
    "site110/__init__.py": "",
    "site110/settings.py": """\
        import os

        BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        SECRET_KEY = "test-only"
        DEBUG = False
        ALLOWED_HOSTS = ["*"]
        ROOT_URLCONF = "site110.urls"
        INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]
        MIDDLEWARE = []
        DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(BASE_DIR, "db.sqlite3")}}
        """,
    "site110/urls.py": """\
        from django.conf.urls import url
        from django.contrib.auth.models import User
        from django.http import HttpResponse

        urlpatterns = [url(r"^$", lambda request: HttpResponse("users: %d" % User.objects.count()))]
        """,
    "site110/wsgi.py": """\
        import os

        from django.core.wsgi import get_wsgi_application

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site110.settings")
        application = get_wsgi_application()
        """,
    "requirements.txt": "Django==1.10.1\n",
    "runtime.txt": "python-3.8.10\n",
}


def test_an_old_django_whose_model_metaclass_drops_classcell_is_served_on_a_python_before_3_8(tmp_path):
    require_tool("nginx")
    require_python("3.8")
    py36 = require_python("3.6")
    root = make_tree(tmp_path / "drf2016", DJANGO110_AUTH)
    with serving_fresh_install(root, tmp_path / "cache", 300) as (run, (status, _, body)):
        assert (status, body) == (200, "users: 0"), run.output
        assert ("importing the app failed on Python 3.8 (RuntimeError raised inside the installed Django 1.10.1 (a "
                "metaclass that does not pass __classcell__ on to type.__new__, an error from Python 3.8 on)): trying "
                "the import on Python 3.6") in run.output
    assert environments.interpreter_info(str(root / ".venv" / "bin" / "python")).minor == py36.minor
