"""Installs where what the app declares does not fit this machine, with real uv installs:

- a package app whose requires-python asks for a Python newer than any installed here is installed on the
  nearest one, its own requires-python not checked for it (never a failure for the version alone), and never
  on an older Python its requires-python excludes;
- an exact pin that does not build here and has no wheel on any Python here (psycopg2 2.5.3: its setup.py
  cannot read a current libpq's version, or no pg_config) gets its nearest later release with a wheel, with a
  note that names both and says the image installs the pin as written; a Python 2 backport of a standard
  module (wsgiref 0.1.2) is left out, with a note;
- a MySQL driver that does not build here (no MySQL client headers) and that nothing in the app selects (SQLite
  settings) is left out, with a note naming it; one the app's settings select still stops the install;
- code in the syntax of the Python asked for leaves the entry unproven, naming the Python to install;
- a package with no release before the day an old app's packages resolve as of resolves as of today."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from conftest import make_tree, require_python
from shipyard import environments
from shipyard.errors import ShipyardError
from shipyard.planner import make_plan
from shipyard.run.appenv import install_app_env

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("own_shipyard_cache")]


def _newer_than_installed() -> tuple[environments.Interpreter, str]:
    newest = environments.installed_pythons()[-1]
    return newest, f"3.{int(newest.minor.split('.')[1]) + 1}"


def _package_app(tmp_path, asks: str):
    return make_tree(tmp_path / "newapp", {
        "pyproject.toml": f'[project]\nname = "newapp"\nversion = "0.1.0"\nrequires-python = ">={asks},<4.0"\n'
                          'dependencies = ["six"]\n\n[build-system]\nrequires = ["hatchling"]\n'
                          'build-backend = "hatchling.build"\n',
        "newapp/__init__.py": "import six\n\ndef application(environ, start_response):\n"
                              "    start_response('200 OK', [])\n    return [b'ok']\n"})


def _version_and_import(python: str, module: str, cwd) -> str:
    done = subprocess.run([python, "-c", f"import sys, {module}; print('%d.%d' % sys.version_info[:2])"],
                          cwd=cwd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_package_app_asking_for_a_python_newer_than_any_here_installs_on_the_nearest(tmp_path):
    newest, asks = _newer_than_installed()
    root = _package_app(tmp_path, asks)
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.python.version == asks, plan.python
    said: list[str] = []
    env = install_app_env(root, plan, said.append, environ={**os.environ, "VIRTUAL_ENV": ""})
    assert any(f"asks for Python {asks}, which is not installed here; using {newest.minor}" in s for s in said), said
    assert any(f"excludes Python {newest.version}, the nearest installed here" in s for s in said), said
    assert not any("do not install on Python" in s for s in said), said      # no older Python tried
    # installed (editable) rather than run from its folder: importable from elsewhere
    assert _version_and_import(env.python, "newapp", tmp_path) == newest.minor


def test_the_proof_environment_of_such_an_app_is_built_on_the_nearest_python_too(tmp_path):
    newest, asks = _newer_than_installed()
    root = _package_app(tmp_path, asks)
    environ = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "VIRTUAL_ENV": ""}
    result = environments.environment_for_proof(root, ("six",), ("pyproject.toml",), asks, timeout=300, say=None,
                                                environ=environ)
    assert result.environment is not None, result.reason
    assert any(f"using {newest.minor}" in n for n in result.notes), result.notes
    assert _version_and_import(result.environment.python, "newapp", tmp_path) == newest.minor


def test_an_app_whose_requires_python_is_met_here_is_installed_with_the_check(tmp_path):
    newest, _ = _newer_than_installed()
    root = _package_app(tmp_path, newest.minor)
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append,
                          environ={**os.environ, "VIRTUAL_ENV": ""})
    assert not any("without that check" in s or "not installed here" in s for s in said), said
    assert _version_and_import(env.python, "newapp", tmp_path) == newest.minor


def test_an_exact_pin_that_does_not_build_here_gets_its_nearest_later_release_with_a_wheel(tmp_path):
    py37 = require_python("3.7")
    root = make_tree(tmp_path / "pgapp", {
        "app.py": "import psycopg2\n\ndef application(environ, start_response):\n"
                  "    start_response('200 OK', [])\n    return [psycopg2.__version__.encode()]\n",
        "requirements.txt": "psycopg2==2.5.3\n", ".python-version": "3.7\n"})
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append,
                          environ={**os.environ, "VIRTUAL_ENV": ""})
    note = next((s for s in said if "psycopg2==2.5.3 does not build here" in s), None)
    assert note is not None, said
    assert "installing psycopg2==2.7" in note and "the generated image installs it too" in note
    done = subprocess.run([env.python, "-c", "import sys, psycopg2; print('%d.%d' % sys.version_info[:2], "
                                             "psycopg2.__version__.split()[0])"],
                          capture_output=True, text=True, timeout=60)
    minor, version = done.stdout.split()
    assert minor == py37.minor and version.startswith("2.7"), done.stdout
    assert f"installing psycopg2=={version}" in note


def test_code_in_the_syntax_of_the_python_asked_for_leaves_the_entry_unproven_and_names_that_python(tmp_path):
    """The nearest Python cannot read the newer one's syntax: inspect keeps the static answer, not proven, and
    `serve` says which Python to install instead of failing on the import."""
    _, asks = _newer_than_installed()
    root = _package_app(tmp_path, asks)
    (root / "newapp" / "__init__.py").write_text(
        "from newapp import routes\n\ndef application(environ, start_response):\n"
        "    start_response('200 OK', [])\n    return [b'ok']\n")
    (root / "newapp" / "routes.py").write_text("try:\n    pass\nexcept ValueError TypeError:\n    pass\n")
    environ = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "VIRTUAL_ENV": ""}
    done = subprocess.run([sys.executable, "-m", "shipyard", "inspect", str(root), "--json"], capture_output=True,
                          text=True, timeout=600, env=environ)
    assert done.returncode == 0, done.stderr
    proof = json.loads(done.stdout)["proof"]
    assert not proof["proven"] and proof["needs_python"] == asks, proof
    assert "SyntaxError" in proof["reason"] and f"written for Python {asks}, which is not installed here" \
        in proof["reason"], proof


def test_a_pin_of_a_python2_backport_of_a_standard_module_is_left_out(tmp_path):
    """wsgiref 0.1.2, the Python 2 backport of a module every Python 3 has, does not build on Python 3."""
    root = make_tree(tmp_path / "wsgiapp", {
        "app.py": "import wsgiref.util\n\ndef application(environ, start_response):\n"
                  "    start_response('200 OK', [])\n    return [b'ok']\n",
        "requirements.txt": "six==1.16.0\nwsgiref==0.1.2\n"})
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append,
                          environ={**os.environ, "VIRTUAL_ENV": ""})
    # left out before the install: the standard library's module comes first on sys.path anyway
    assert any(s.startswith("wsgiref==0.1.2 left out up front:") and "standard library has that module" in s
               for s in said), said
    # left out on the Python it started with: no older one builds it either
    assert not any("the pins do not install on Python" in s for s in said), said
    done = subprocess.run([env.python, "-c", "import six, wsgiref.util; print(six.__version__)"],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "1.16.0", done.stderr


MYSQL_DECLARED = {
    "mysite/__init__.py": "",
    "mysite/settings.py": "SECRET_KEY = 'x'\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', "
                          "'NAME': 'db.sqlite3'}}\n",
    "app.py": "import six\n\ndef application(environ, start_response):\n"
              "    start_response('200 OK', [])\n    return [six.__version__.encode()]\n",
    "requirements.txt": "six==1.16.0\nmysqlclient>=2.2\n",
}


@pytest.fixture
def no_mysql_headers(tmp_path, monkeypatch):
    """mysqlclient finds MySQL's client library through pkg-config: none is found here, whatever is installed,
    and no wheel built elsewhere is in uv's cache."""
    (tmp_path / "no-pkgconfig").mkdir()
    monkeypatch.setenv("PKG_CONFIG_LIBDIR", str(tmp_path / "no-pkgconfig"))
    monkeypatch.setenv("PKG_CONFIG_PATH", "")
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "uv-cache"))
    for name in ("MYSQLCLIENT_CFLAGS", "MYSQLCLIENT_LDFLAGS"):
        monkeypatch.delenv(name, raising=False)


def test_a_mysql_driver_that_nothing_selects_and_does_not_build_here_is_left_out(tmp_path, no_mysql_headers):
    root = make_tree(tmp_path / "sqliteapp", MYSQL_DECLARED)
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append,
                          environ={**os.environ, "VIRTUAL_ENV": ""})
    note = next((s for s in said if "does not build here, and nothing in the app selects MySQL" in s), None)
    assert note is not None and note.startswith("mysqlclient==") and "installed without it" in note, said
    done = subprocess.run([env.python, "-c", "import importlib.util, six; "
                                             "print(six.__version__, importlib.util.find_spec('MySQLdb'))"],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["1.16.0", "None"], done.stderr
    # settings that select MySQL: the install stops, and says what to install
    (root / "mysite" / "settings.py").write_text("DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql'}}\n")
    shutil.rmtree(root / ".venv")
    with pytest.raises(ShipyardError, match="mysqlclient"):
        install_app_env(root, make_plan(root, confirm=False, installed=False), said.append,
                        environ={**os.environ, "VIRTUAL_ENV": ""})


def test_a_package_with_no_release_before_the_resolution_date_resolves_as_of_today(tmp_path):
    """An old app's unpinned packages resolve as of its files' date; one first published later (here an
    unpinned requirement from a file dated before its first release) resolves as of today instead of failing."""
    root = make_tree(tmp_path / "dated", {"app.py": WSGI_IMPORTING_EMAIL, "requirements.txt": "email-validator\n",
                                          ".python-version": "3.12\n"})
    when = time.mktime((2013, 3, 1, 12, 0, 0, 0, 0, 0))
    for name in ("app.py", "requirements.txt"):
        os.utime(root / name, (when, when))
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append,
                          environ={**os.environ, "VIRTUAL_ENV": ""})
    assert any("email-validator had no release before 2013-03-02" in s and "as of today" in s for s in said), said
    done = subprocess.run([env.python, "-c", "import email_validator"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


WSGI_IMPORTING_EMAIL = ("import email_validator\n\ndef application(environ, start_response):\n"
                        "    start_response('200 OK', [])\n    return [b'ok']\n")


def test_a_pin_that_does_not_build_with_no_later_wheel_on_this_python_moves_to_an_older_python_with_one(tmp_path):
    # a 2016 Wagtail site's Dockerfile asks for Python 3.5 (not installed: 3.8, the nearest, is taken) and pins
    # psycopg2 2.6.1, whose setup.py cannot read libpq 15's version; psycopg2 ships no Linux wheel after 2.7.x, so
    # 3.8 has no later release to take: the install stopped. 3.7 has 2.7.5's wheel (nearer what the app asked, too)
    require_python("3.8")
    py37 = require_python("3.7")
    root = make_tree(tmp_path / "pgapp", {
        "app.py": "import psycopg2\n\ndef application(environ, start_response):\n"
                  "    start_response('200 OK', [])\n    return [psycopg2.__version__.encode()]\n",
        "requirements.txt": "psycopg2==2.6.1\n", ".python-version": "3.5\n"})
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append,
                          environ={**os.environ, "VIRTUAL_ENV": ""})
    assert any("no later release has a wheel for 3.8" in s for s in said), said
    done = subprocess.run([env.python, "-c", "import sys, psycopg2; print('%d.%d' % sys.version_info[:2], "
                                             "psycopg2.__version__.split()[0])"],
                          capture_output=True, text=True, timeout=60)
    minor, version = done.stdout.split()
    assert minor == py37.minor and version.startswith("2.7"), done.stdout
    assert any(f"installing psycopg2=={version}" in s for s in said), said
