"""Installs that land on an older Python, with real uv installs of real old releases:

- `serve --install` on an old app whose pins do not build on the default Python (distutils and `imp` are gone
  from 3.12): the app's .venv is made again with the next older Python on this machine, with a note;
- the proof environment (inspect, a fresh clone) does the same;
- a pin with no wheel for this Python whose source does not compile on it (greenlet 0.4.15: wheels up to
  3.8) goes straight to the newest Python it has a wheel for; when that is older than granian supports,
  the app is served by gunicorn, with a note, instead of a server install that cannot succeed."""

from __future__ import annotations

import os
import subprocess

import pytest

from conftest import free_port, make_tree, require_python, require_tool
from serveutil import Running, get, serving_fresh_install
from shipyard import environments
from shipyard.planner import make_plan
from shipyard.run.appenv import install_app_env

# own_shipyard_cache: python_moves keys a move by the app's folder and its files, and pytest's folders repeat across
# runs (pytest-0/popen-gw0/...): a cache kept from an earlier run made the first test's install start on the
# older Python at once, without the note it checks (a CI failure)
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("own_shipyard_cache")]

WSGI = "def application(environ, start_response):\n    start_response('200 OK', [])\n    return [b'ok']\n"


def test_pins_that_do_not_build_on_the_default_python_install_on_the_next_older_one(tmp_path):
    newest = require_python("3.12")
    older = environments.older_python(newest)
    assert older is not None, "this test needs an older Python than 3.12 on the machine (pyenv or the system's)"
    # the app imports its pin: a pin nothing uses that builds nowhere here is a freeze's leftover, left out on the
    # first Python instead (environments._without_unneeded)
    root = make_tree(tmp_path / "oldapp", {"app.py": "import pathtools\n" + WSGI,
                                           "requirements.txt": "pathtools==0.1.2\n"})
    plan = make_plan(root, confirm=False, installed=False)
    said: list[str] = []
    env = install_app_env(root, plan, said.append)
    assert any("do not install on Python 3.12" in line and f"using {older.minor}" in line for line in said), said
    version = subprocess.run([env.python, "-c", "import sys, pathtools; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, timeout=60)
    assert version.stdout.strip() == older.minor, version.stderr


def test_the_proof_environment_falls_back_to_an_older_python_too(tmp_path):
    newest = require_python("3.12")
    older = environments.older_python(newest)
    assert older is not None, "this test needs an older Python than 3.12 on the machine"
    root = make_tree(tmp_path / "oldapp", {"app.py": "import pathtools\n" + WSGI,
                                           "requirements.txt": "pathtools==0.1.2\n"})
    environ = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "VIRTUAL_ENV": ""}
    result = environments.environment_for_proof(root, ("pathtools==0.1.2",), ("requirements.txt",), "3.12",
                                                timeout=300, say=None, environ=environ)
    assert result.environment is not None, result.reason
    assert result.environment.kind == "proof" and str(tmp_path / "cache") in result.environment.python
    assert any("do not install on Python 3.12" in n and f"using {older.minor}" in n for n in result.notes), \
        result.notes
    assert environments.interpreter_info(result.environment.python).minor == older.minor


def test_a_pin_with_wheels_only_for_an_older_python_is_served_there_by_gunicorn(tmp_path):
    require_tool("nginx")
    require_python("3.12")
    py38 = require_python("3.8")
    root = make_tree(tmp_path / "greenapp", {
        "app.py": "import greenlet\n\n"
                  "def application(environ, start_response):\n"
                  "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
                  "    return [('greenlet %s' % greenlet.__version__).encode()]\n",
        "requirements.txt": "greenlet==0.4.15\n"})
    with serving_fresh_install(root, tmp_path / "cache", 240) as (run, (status, _, body)):
        assert (status, body) == (200, "greenlet 0.4.15"), run.output
        assert "greenlet==0.4.15 has a wheel for Python 3.8" in run.output
        assert "older than granian supports" in run.output and "granian" not in _installed(root)
    assert environments.interpreter_info(str(root / ".venv" / "bin" / "python")).minor == py38.minor
    assert "gunicorn" in _installed(root)


def _installed(root) -> str:
    uv = environments.find_uv()
    done = subprocess.run([uv, "pip", "list", "--python", str(root / ".venv" / "bin" / "python")],
                          capture_output=True, text=True, timeout=60)
    return done.stdout.lower()


def test_an_app_on_a_python_older_than_the_servers_floor_gets_the_newest_server_that_installs(tmp_path):
    # gunicorn 23 needs Python 3.7; an app that asks for 3.6 gets the newest gunicorn that supports it
    py36 = require_python("3.6")
    root = make_tree(tmp_path / "py36", {"app.py": WSGI, ".python-version": "3.6\n"})
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append)
    assert any("gunicorn>=23.0 does not support the app's Python" in line for line in said), said
    version = subprocess.run([env.python, "-c", "import sys, gunicorn; print('%d.%d' % sys.version_info[:2], "
                                                "gunicorn.__version__)"], capture_output=True, text=True, timeout=60)
    minor, gunicorn = version.stdout.split()
    assert minor == py36.minor and int(gunicorn.split(".")[0]) < 23, version.stdout


def test_an_old_server_pin_on_a_python_older_than_the_servers_floor_is_upgraded_to_what_the_config_needs(tmp_path):
    # gunicorn==19.7.1 has no `wsgi_app` setting ("No application module specified"): on Python 3.6, where
    # gunicorn 23 does not install, the app still gets the newest gunicorn there, not its own 19.7.1
    py36 = require_python("3.6")
    root = make_tree(tmp_path / "pin36", {"app.py": WSGI, ".python-version": "3.6\n",
                                          "requirements.txt": "gunicorn==19.7.1\n"})
    said: list[str] = []
    env = install_app_env(root, make_plan(root, {"server": "gunicorn"}, confirm=False, installed=False),
                          said.append)
    assert any("the app pins gunicorn==19.7.1" in line for line in said), said
    version = subprocess.run([env.python, "-c", "import gunicorn; print(gunicorn.__version__)"],
                             capture_output=True, text=True, timeout=60)
    major, minor = (int(x) for x in version.stdout.split(".")[:2])
    assert (major, minor) >= (20, 1), (version.stdout, said, py36)


def test_a_package_app_on_a_python_whose_setuptools_cannot_install_editable_is_installed_as_a_copy(tmp_path):
    # the newest setuptools for Python 3.6 (59.6) predates editable installs by PEP 660 (64, Python 3.7+)
    require_python("3.6")
    root = make_tree(tmp_path / "eggapp", {
        "setup.py": "from setuptools import setup\n\nsetup(name='eggapp', version='1.0', py_modules=['app'])\n",
        "app.py": WSGI, ".python-version": "3.6\n"})
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append)
    assert any("cannot install it editable here" in line for line in said), said
    found = subprocess.run([env.python, "-c", "import pkg_resources; print(pkg_resources.get_distribution('eggapp'))"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert found.stdout.strip() == "eggapp 1.0", found.stderr


ASGI = ("async def app(scope, receive, send):\n"
        "    if scope['type'] != 'http':\n"
        "        return\n"
        "    await send({'type': 'http.response.start', 'status': 200, 'headers': []})\n"
        "    await send({'type': 'http.response.body', 'body': b'asgi on an old python'})\n")


def test_an_asgi_app_on_a_python_uvicorn_worker_does_not_support_is_served_by_uvicorns_own_worker(tmp_path):
    # uvicorn-worker has no release for Python 3.7 and older (its 0.1 is an empty placeholder): gunicorn gets
    # uvicorn's own worker from the newest uvicorn there (Channels 2 apps of 2018-2019 run on 3.6/3.7)
    require_tool("nginx")
    require_python("3.7")
    root = make_tree(tmp_path / "asgi37", {"app.py": ASGI, ".python-version": "3.7\n"})
    port = free_port()
    run = Running("serve", str(root), "--install", "--port", str(port))
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 300), run.output
        status, _, body = get(f"http://127.0.0.1:{port}/")
        assert (status, body) == (200, "asgi on an old python"), run.output
        assert "nginx in front of gunicorn" in run.output
    finally:
        run.discard()


@pytest.mark.usefixtures("own_shipyard_cache")   # the move is said, not found in the cache
def test_pins_frozen_on_a_newer_python_than_runtime_txt_names_install_on_the_python_they_need(tmp_path):
    """runtime.txt says python-3.8.5 while requirements.txt pins Django 5.0.7 (Requires-Python >=3.10), a freeze
    made on the developer's newer Python: the install moves up to the oldest installed Python the pins need, with
    a note, instead of only ever trying older ones."""
    require_python("3.8")
    needed = require_python("3.10")
    root = make_tree(tmp_path / "frozenapp", {"app.py": WSGI, "runtime.txt": "python-3.8.5\n",
                                              "requirements.txt": "Django==5.0.7\n"})
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.python.version == "3.8"
    said: list[str] = []
    env = install_app_env(root, plan, said.append)
    assert any("do not install on Python 3.8" in line and "using 3.10" in line
               and "its pins need Python 3.10 or newer" in line for line in said), said
    version = subprocess.run([env.python, "-c", "import sys, django; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, timeout=60)
    assert version.stdout.strip() == needed.minor, version.stderr


@pytest.mark.usefixtures("own_shipyard_cache")   # the move is said, not found in the cache
def test_a_wheel_whose_bundled_library_does_not_load_here_gives_way_to_its_nearest_later_release(tmp_path):
    """psycopg2 2.7.1's manylinux wheel installs, but the libresolv it bundles asks for a private symbol of an old
    glibc (`__res_maybe_init@GLIBC_PRIVATE`): `import psycopg2` fails. After the install each bundled library is
    loaded once: the pin moves to its nearest later release whose libraries load, with a note."""
    py36 = require_python("3.6")
    root = make_tree(tmp_path / "oldpg", {"app.py": "import psycopg2\n" + WSGI,
                                          "requirements.txt": "psycopg2==2.7.1\n"})
    plan = make_plan(root, {"python": py36.minor}, confirm=False, installed=False)
    said: list[str] = []
    env = install_app_env(root, plan, said.append)
    assert any("psycopg2==2.7.1's wheel bundles a library that does not load on this system" in line
               for line in said), said
    done = subprocess.run([env.python, "-c", "import psycopg2; print(psycopg2.__version__.split()[0])"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip().startswith("2.7.3"), done.stderr
