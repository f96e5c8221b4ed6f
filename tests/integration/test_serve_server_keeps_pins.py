"""The server installed into the app's .venv keeps the app's own pins, with real uv installs from PyPI:

- an ASGI app of 2020 pinning uvicorn==0.11.5 and websockets==8.1: uvicorn-worker (which needs a newer uvicorn,
  whose websockets protocol imports websockets.legacy) does not install beside them, so gunicorn runs the app's
  own uvicorn.workers.UvicornWorker, said in one line; the app's uvicorn and websockets stay as pinned and the
  app answers (before, the server install moved uvicorn to 0.33 and every worker died);
- an app whose uvicorn is new enough keeps uvicorn-worker;
- a server whose newest release needs a newer dependency than the app has gets the release that fits; when none
  does, it is installed as of today and the line names what moved (packages of the test's own, as sdists)."""

from __future__ import annotations

import os
import subprocess

import pytest

from conftest import free_port, make_tree, require_python, require_tool, write_sdist
from serveutil import Running, get
from shipyard import environments
from shipyard.environments import Environment
from shipyard.run import server_fit
from shipyard.run.appenv import _install_server

pytestmark = pytest.mark.slow

ASGI = ("async def app(scope, receive, send):\n"
        "    if scope['type'] != 'http':\n"
        "        return\n"
        "    import uvicorn, websockets\n"
        "    body = f'uvicorn {uvicorn.__version__} websockets {websockets.__version__}'.encode()\n"
        "    await send({'type': 'http.response.start', 'status': 200, 'headers': []})\n"
        "    await send({'type': 'http.response.body', 'body': body})\n")
OF_2020 = 1590969600      # 2020-06-01
SERVER = ("gunicorn>=23.0", "uvicorn-worker>=0.2")


def _freeze(python: str) -> str:
    return subprocess.run([environments.find_uv(), "pip", "freeze", "--python", python], capture_output=True,
                          text=True, timeout=60).stdout


def _served_with_gunicorn(tmp_path, name: str, app: str, requirements: str) -> tuple[str, int, str, str]:
    """`serve --install --server gunicorn` of an ASGI app of 2020 on Python 3.8: (its root, status and body of
    /, serve's output); the run is stopped."""
    require_tool("nginx")
    require_python("3.8")
    root = make_tree(tmp_path / name, {"app.py": app, ".python-version": "3.8\n", "requirements.txt": requirements})
    # written in 2020: what it leaves unpinned (uvloop, h11) resolves as of then, as for the app of that time
    os.utime(root / "requirements.txt", (OF_2020, OF_2020))
    port = free_port()
    run = Running("serve", str(root), "--install", "--port", str(port), "--server", "gunicorn")
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 400), run.output
        status, _, body = get(f"http://127.0.0.1:{port}/")
        return str(root), status, body, run.output
    finally:
        run.discard()


def test_an_app_pinning_an_old_uvicorn_is_served_by_its_own_uvicorn_worker_and_keeps_its_pins(tmp_path):
    root, status, body, output = _served_with_gunicorn(tmp_path, "oldasgi", ASGI,
                                                       "uvicorn==0.11.5\nwebsockets==8.1\n")
    assert (status, body) == (200, "uvicorn 0.11.5 websockets 8.1"), output
    assert output.count("uvicorn-worker>=0.2 needs uvicorn>=0.14.0, newer than the app's uvicorn==0.11.5: "
                        "gunicorn runs uvicorn.workers.UvicornWorker from it instead") == 1, output
    frozen = _freeze(root + "/.venv/bin/python")
    assert "uvicorn==0.11.5" in frozen and "websockets==8.1" in frozen and "gunicorn==" in frozen, frozen
    assert "uvicorn-worker" not in frozen, frozen


def test_an_old_uvicorn_without_its_standard_extra_serves_on_the_plain_loop_and_parser(tmp_path):
    """uvicorn 0.13's own worker names uvloop and httptools (CONFIG_KWARGS), which a freeze of plain `uvicorn`
    lacks: every worker died with "No module named 'uvloop'"; it is told asyncio and h11 instead."""
    app = ASGI.replace("import uvicorn, websockets", "import uvicorn").replace(
        " websockets {websockets.__version__}", "")
    root, status, body, output = _served_with_gunicorn(tmp_path, "plainuvicorn", app, "uvicorn==0.13.4\n")
    assert (status, body) == (200, "uvicorn 0.13.4"), output
    frozen = _freeze(root + "/.venv/bin/python")
    assert "uvloop" not in frozen and "httptools" not in frozen, frozen


def test_an_app_pinning_typing_extensions_3_is_not_served_by_the_uvicorn_release_that_forgot_it(tmp_path):
    """uvicorn 0.23.0 imports typing_extensions.NotRequired on Python < 3.11 without declaring typing_extensions
    (0.23.1 declares >=4.0): beside a freeze's typing-extensions==3.7.4.2 (a Quart 0.13 app of 2020) the resolver
    settled on that release and every worker died at import. The server's requirements leave it out."""
    # the app imports no uvicorn (which would make it one of its dependencies, resolved as of 2020): the worker's
    # comes with the server
    app = ASGI.replace("import uvicorn, websockets", "import typing_extensions\n    from importlib.metadata import "
                       "version").replace("{uvicorn.__version__} websockets {websockets.__version__}",
                                          "{version(\"uvicorn\")}")
    root, status, body, output = _served_with_gunicorn(tmp_path, "oldtyping", app, "typing-extensions==3.7.4.2\n")
    assert status == 200 and body.startswith("uvicorn ") and body != "uvicorn 0.23.0", (status, body, output)
    assert "typing-extensions==3.7.4.2" in _freeze(root + "/.venv/bin/python").lower().replace("_", "-")


def test_the_image_of_such_an_app_installs_a_server_that_resolves_beside_its_pins(tmp_path):
    """The Dockerfile's one install of the app's requirements and the server: uv resolves it (with uvicorn-worker
    beside uvicorn==0.11.5 it has no solution, and the image did not build), and the comment says why."""
    import re

    from shipyard.planner import make_plan
    from shipyard.render import Target, render
    root = make_tree(tmp_path / "oldasgi", {"app.py": ASGI, ".python-version": "3.8\n",
                                            "requirements.txt": "uvicorn==0.11.5\nwebsockets==8.1\n"})
    plan = make_plan(root, {"server": "gunicorn"}, confirm=False, installed=False)
    dockerfile = render(plan, Target.image())["Dockerfile"]
    line = next(ln for ln in dockerfile.splitlines() if "-r requirements.txt" in ln)
    server = re.findall(r"'([^']+)'", line)
    assert server and not any(p.startswith("uvicorn-worker") for p in server), line
    assert "# uvicorn-worker>=0.2 needs uvicorn>=0.14.0, newer than the app's uvicorn==0.11.5" in dockerfile
    assert 'worker_class = "uvicorn.workers.UvicornWorker"' in render(plan, Target.image())["gunicorn.conf.py"]

    def resolves(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([environments.find_uv(), "pip", "compile", "--python-version", "3.8", "--no-header",
                               str(root / "requirements.txt"), "-", "--quiet"], input="\n".join(extra) + "\n",
                              capture_output=True, text=True, timeout=300)
    done = resolves(*server)
    assert done.returncode == 0 and "uvicorn==0.11.5" in done.stdout, done.stderr
    assert resolves(*server, "uvicorn-worker>=0.2").returncode != 0


def test_an_app_pinning_an_old_websockets_without_uvicorn_gets_a_worker_whose_websocket_protocol_loads(tmp_path):
    """Sanic 19 and 20 pin websockets<9 and bring no uvicorn: the worker package installs today's uvicorn,
    whose "auto" WebSocket protocol imports websockets.legacy (websockets 10+) and killed every worker. The
    generated gunicorn.conf.py gives the worker a protocol that loads (wsproto or none): the app answers and
    its websockets stays as pinned."""
    app = ASGI.replace("import uvicorn, websockets", "import websockets").replace(
        "uvicorn {uvicorn.__version__} ", "")      # uvicorn comes with the server, not as the app's import
    _, status, body, output = _served_with_gunicorn(tmp_path, "oldws", app, "websockets==8.1\n")
    assert (status, body) == (200, "websockets 8.1"), (status, body, output)
    assert "websockets.legacy" not in output, output


def test_an_app_whose_uvicorn_is_new_enough_keeps_the_worker_package(tmp_path):
    python = require_python("3.11")
    venv = tmp_path / "venv"
    environments.create_venv(python.path, venv, log=tmp_path / "log", timeout=120)
    subprocess.run([environments.find_uv(), "pip", "install", "--python", str(venv / "bin" / "python"),
                    "uvicorn==0.30.0"], check=True, capture_output=True, timeout=300)
    env = Environment(str(venv / "bin" / "python"), "test")
    assert server_fit.without_unfit_worker(env, SERVER) == (SERVER, "")
    pins = server_fit.installed_pins(env, SERVER)
    assert "uvicorn==0.30.0" in pins
    assert not server_fit.fits(env, ("uvicorn>=0.31",), pins)


def _sdist(folder, name: str, version: str, requires: tuple[str, ...] = ()):
    module = name.replace("-", "_")
    write_sdist(folder, name, version, {
        "setup.py": f"from setuptools import setup\n\nsetup(name={name!r}, version={version!r}, "
                    f"py_modules=[{module!r}], install_requires={list(requires)!r})\n",
        f"{module}.py": f"VERSION = {version!r}\n"})


@pytest.fixture
def packages(tmp_path, monkeypatch):
    """A server of the test's own whose 2.0 needs its dependency at 2.0 and whose 1.0 takes 1.0, found by uv
    beside the index; and a virtualenv holding the dependency at 1.0, as an app installed it."""
    dist = tmp_path / "dist"
    _sdist(dist, "shipyard-test-dep", "1.0")
    _sdist(dist, "shipyard-test-dep", "2.0")
    _sdist(dist, "shipyard-test-server", "1.0", ("shipyard-test-dep>=1.0",))
    _sdist(dist, "shipyard-test-server", "2.0", ("shipyard-test-dep>=2.0",))
    monkeypatch.setenv("UV_FIND_LINKS", str(dist))
    python = require_python("3.11")
    venv = tmp_path / "venv"
    environments.create_venv(python.path, venv, log=tmp_path / "log", timeout=120)
    subprocess.run([environments.find_uv(), "pip", "install", "--python", str(venv / "bin" / "python"),
                    "shipyard-test-dep==1.0"], check=True, capture_output=True, timeout=300)
    return Environment(str(venv / "bin" / "python"), "test")


def test_the_server_release_that_fits_the_apps_packages_is_installed(tmp_path, packages):
    said: list[str] = []
    _install_server(packages, ("shipyard-test-server",), tmp_path / "log", said.append)
    frozen = _freeze(packages.python)
    assert "shipyard-test-server==1.0" in frozen and "shipyard-test-dep==1.0" in frozen, frozen
    assert not [line for line in said if "moved" in line], said


def test_a_server_no_release_of_which_fits_moves_the_apps_packages_and_says_which(tmp_path, packages):
    said: list[str] = []
    _install_server(packages, ("shipyard-test-server>=2.0",), tmp_path / "log", said.append)
    frozen = _freeze(packages.python)
    assert "shipyard-test-server==2.0" in frozen and "shipyard-test-dep==2.0" in frozen, frozen
    assert "no release of shipyard-test-server>=2.0 installs beside the app's packages as they are: installing it " \
           "moved shipyard-test-dep 1.0 -> 2.0" in said, said


FLASK_APP = ("from flask import Flask\n"
             "import gunicorn\n\n"
             "app = Flask(__name__)\n\n\n"
             "@app.route('/')\n"
             "def index():\n"
             "    return 'gunicorn ' + gunicorn.__version__\n")


def test_an_old_app_declaring_gunicorn_unpinned_gets_a_gunicorn_its_generated_config_works_with(tmp_path):
    """A 2020 requirements file's bare `gunicorn` resolves as of its date to 20.0.4, which has no `wsgi_app`
    setting ("gunicorn: error: No application module specified" before): the app's environment gets the gunicorn
    the configuration needs, said in one line, and the app answers from it; its own pins stay."""
    root, status, body, output = _served_with_gunicorn(tmp_path, "oldflask", FLASK_APP,
                                                       "Flask==1.1.2\ngunicorn\n")
    assert status == 200 and body.startswith("gunicorn 2") and not body.startswith("gunicorn 20.0"), \
        (status, body, output)
    assert "the app declares gunicorn without pinning it, and its environment got 20.0.4" in output, output
    assert "flask==1.1.2" in _freeze(root + "/.venv/bin/python").lower(), output


STARLETTE_APP = ("import click\n"
                 "from starlette.applications import Starlette\n"
                 "from starlette.responses import PlainTextResponse\n"
                 "from starlette.routing import Route\n\n\n"
                 "async def index(request):\n"
                 "    return PlainTextResponse('ok')\n\n\n"
                 "app = Starlette(routes=[Route('/', index)])\n")
OF_JANUARY_2022 = 1643328000      # 2022-01-28: Python 3.10 is current, click 8.1 (2022-03-28) is not out yet


def test_a_click_that_the_apps_dependencies_brought_too_old_for_granian_is_upgraded(tmp_path):
    """An app of January 2022 declaring starlette and uvicorn unpinned: uvicorn's click resolves as of then to 8.0.3,
    on which granian's command line dies at start (TypeError: 'NoneType' object is not callable, every path 502).
    The server install upgrades that click, said in one line, and the app answers; its uvicorn stays as of then."""
    require_tool("nginx")
    require_python("3.10")
    root = make_tree(tmp_path / "oldstarlette", {"app.py": STARLETTE_APP, "requirements.txt": "starlette\nuvicorn\n"})
    for name in ("app.py", "requirements.txt"):
        os.utime(root / name, (OF_JANUARY_2022, OF_JANUARY_2022))
    port = free_port()
    run = Running("serve", str(root), "--install", "--port", str(port))
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 400), run.output
        assert get(f"http://127.0.0.1:{port}/")[::2] == (200, "ok"), run.output
    finally:
        run.discard()
    assert "the app's packages brought click 8.0.3 (resolved as of its date), older than granian>=2.6 works with " \
           "(click>=8.1): its environment gets click>=8.1" in run.output, run.output
    frozen = _freeze(str(root / ".venv" / "bin" / "python"))
    assert "uvicorn==0.17." in frozen and "click==8.0" not in frozen, frozen


def test_serve_on_an_apps_own_environment_with_a_click_too_old_for_granian_says_what_to_do(tmp_path):
    """Without --install the server comes from an overlay behind the app's own packages, whose click wins: an
    environment with click 8.0.3 stops with one line saying how to go on, instead of granian dying at start."""
    from shipyard.errors import ShipyardError
    from shipyard.run.appenv import overlay
    python = require_python("3.11")
    venv = tmp_path / "venv"
    environments.create_venv(python.path, venv, log=tmp_path / "log", timeout=120)
    subprocess.run([environments.find_uv(), "pip", "install", "--python", str(venv / "bin" / "python"),
                    "click==8.0.3"], check=True, capture_output=True, timeout=300)
    env = Environment(str(venv / "bin" / "python"), "test")
    with pytest.raises(ShipyardError) as err:
        overlay(env, ("granian>=2.6",), tmp_path, print)
    assert err.value.message == "the app's environment has click 8.0.3, older than granian>=2.6 works with " \
                                "(click>=8.1), and serve does not change that environment"
    assert err.value.hint.startswith("run with --install (its environment gets click>=8.1)")
    # another server needs nothing of click
    assert server_fit.older_than_the_server_needs(("gunicorn>=23.0",), server_fit.installed_pins(env)) == ()
