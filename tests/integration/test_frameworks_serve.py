"""The newer frameworks for real: each fixture app (tests/fixtures/apps/) served by `shipyard serve` with
real supervisord, nginx and the server its plan picks (granian for Sanic, Litestar, Quart, Falcon ASGI and
Channels; gunicorn with aiohttp's worker; tornado's own HTTPServer), answered through nginx; the generated
files of the new server choices read by their own programs; and two images built and verified (an ASGI
newcomer, and Tornado)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, VENV_BIN, free_port, require_engine, require_tool
from serveutil import Running, get, processes_mentioning
from shipyard.planner import make_plan
from shipyard.render import Target, render

APPS = FIXTURES / "apps"
SHIPYARD = [sys.executable, "-m", "shipyard"]

# case -> (the server `serve` reports, path, text in the answer)
SERVED = {
    "sanic_app": ("granian", "/", "hello from sanic"),
    "litestar_app": ("granian", "/", "hello from litestar"),
    "quart_static_root": ("granian", "/api/ping", '"pong"'),
    "falcon_asgi": ("granian", "/", "hi"),
    "channels_project": ("granian", "/", "hello from channels"),
    "aiohttp_async_factory": ("gunicorn", "/", "hello from an aiohttp factory"),
    # aiohttp-devtools' get_app(): served without the debug toolbar it imports (not installed), and its
    # config file found although the app reads -c/--config from the command line gunicorn was started with
    "aiohttp_devtools_get_app": ("gunicorn", "/", "hello from the config file of an aiohttp-devtools app"),
    "tornado_app": ("tornado", "/", "hello from tornado"),
    # a script that starts its own tornado server (python chat.py --port=N) on a free port behind nginx
    "tornado_script": ("tornado", "/", "hello from a tornado script on port"),
    # one that listens on a port written in it (app.listen(8888)): run through shipyard_entry.py, which binds
    # that listen call to the free port serve chose, on the loopback
    "tornado_script_own_port": ("tornado", "/", "hello from a tornado script listening on 127.0.0.1 "),
    # a package's main() run as setup.py's console script: shipyard_entry.py calls it, its listen rebound
    "tornado_console_script": ("tornado", "/", "hello from the tornado console script serve_todo on 127.0.0.1 "),
    # runserver.py reads config.json and calls the package's main(config), whose web.run_app gets serve's port
    "aiohttp_run_script": ("aiohttp", "/", "hello from an aiohttp run script on 127.0.0.1 "),
    # a Pyramid paste .ini gets gunicorn (granian cannot read one), which loads it through `paste`+`wsgi_app`
    "pyramid_paste": ("gunicorn", "/", "paste"),
    # an app made only in the `__main__` block: shipyard_entry.py runs app.py as __main__ (wsgiref made a no-op)
    "pyramid_main_block": ("granian", "/hello/you", "hello you from a pyramid __main__ block"),
    # granian cannot pass arguments to a factory: it loads create_app('production') through shipyard_entry.py
    "factory_args": ("granian", "/", "running with production"),
}
# (the import root of src_self_import/src_sibling_imports is proven by the import check in
# tests/unit/test_frameworks.py, which imports the entry from the plan's workdir as the server does)


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(SERVED))
def test_served_through_nginx(serving, case):
    require_tool("nginx")
    server, path, text = SERVED[case]
    port = free_port()
    run = serving(str(APPS / case), "--port", str(port), "--workers", "2")
    assert run.wait_for(r"shipyard: serving .* at http://", 60), run.output
    assert f"nginx in front of {server}" in run.output
    status, headers, body = get(f"http://127.0.0.1:{port}{path}")
    assert status == 200 and text in body, run.output
    assert headers.get("Server", "").startswith("nginx")
    if case == "quart_static_root":
        # the static folder at the URL root: nginx sends the file itself (its ETag is mtime-size in hex),
        # every other path still reaches the app
        robots = APPS / case / "public" / "robots.txt"
        status, headers, body = get(f"http://127.0.0.1:{port}/robots.txt")
        st = robots.stat()
        assert status == 200 and headers.get("ETag") == f'"{int(st.st_mtime):x}-{st.st_size:x}"'
        assert get(f"http://127.0.0.1:{port}/")[2] == "hello from quart"
    if case == "channels_project":
        # a WebSocket through nginx (Upgrade passed on) to Channels' consumer under granian
        import asyncio

        import websockets

        async def echo() -> str:
            async with websockets.connect(f"ws://127.0.0.1:{port}/ws/echo/", open_timeout=10) as ws:
                await ws.send("ping over nginx")
                return await asyncio.wait_for(ws.recv(), 10)

        assert asyncio.run(echo()) == "ping over nginx"
        assert "Lifespan errored" not in run.output     # granian's asginl: Django refuses lifespan
    if case == "aiohttp_devtools_get_app":
        # the toolbar's stand-in added no routes (dev has the real one: test_dev.py)
        assert get(f"http://127.0.0.1:{port}/_debugtoolbar")[0] == 404
    if case == "tornado_app":
        # the runtime forks one tornado process per worker: a killed worker is replaced, requests keep working
        def workers() -> set[int]:
            mine = {pid for pid, cmd in processes_mentioning(run.run_dir()) if "shipyard_runtime.py tornado" in cmd}
            return {pid for pid in mine if _ppid(pid) in mine}

        before = workers()
        assert len(before) == 2, run.output
        time.sleep(3)     # a worker that dies within 3 s of its start stops the server instead (crash loop)
        os.kill(min(before), signal.SIGKILL)
        deadline = time.monotonic() + 60     # a fork is quick; a machine loaded by parallel runs is slow to show it
        while time.monotonic() < deadline and (len(workers()) != 2 or workers() == before):
            time.sleep(0.2)
        after = workers()
        assert len(after) == 2 and min(before) not in after, (before, after, run.output)
        assert get(f"http://127.0.0.1:{port}/")[0] == 200
    if case == "tornado_script":
        # the script listens on the free TCP port serve chose for it, not on its default or nginx's port
        port_seen = int(body.rsplit(" ", 1)[1])
        assert port_seen not in (port, 8888) and processes_mentioning(f"chat.py --port={port_seen}"), run.output
    if case in ("tornado_script_own_port", "tornado_console_script", "aiohttp_run_script"):
        port_seen = int(body.rsplit(" ", 1)[1])
        assert port_seen not in (port, 8888) and f"127.0.0.1:{port_seen}" in (Path(run.run_dir()) / "nginx.conf").read_text()
    assert run.stop(signal.SIGTERM, timeout=60) == 0, run.output


@pytest.mark.slow
@pytest.mark.parametrize("case", ["tornado_console_script", "aiohttp_run_script"])
def test_a_script_entry_is_served_from_the_venv_serve_installs(serving, tmp_path, case):
    """`serve --install` on a copy: the app's own .venv gets its framework, and the script runs with it as the
    app's own server behind nginx, on the port serve chose (not the one its code or config file names)."""
    require_tool("nginx")
    server, path, text = SERVED[case]
    root = shutil.copytree(APPS / case, tmp_path / case)
    port = free_port()
    run = serving(str(root), "--install", "--port", str(port))
    assert run.wait_for(r"shipyard: serving .* at http://", 300), run.output
    assert f"the app's own {server} server" in run.output and f"{root / '.venv'}" in run.output
    status, headers, body = get(f"http://127.0.0.1:{port}{path}")
    assert status == 200 and text in body and headers.get("Server", "").startswith("nginx"), run.output
    assert int(body.rsplit(" ", 1)[1]) not in (port, 8080, 8888)
    assert run.stop(signal.SIGTERM, timeout=60) == 0, run.output


@pytest.mark.slow
@pytest.mark.parametrize("case, paths", [
    # quickstart() under the `__main__` guard: the entry module runs hello.py as __main__ with quickstart() made
    # to only mount, and the server serves cherrypy.tree
    ("cherrypy_quickstart", {"/": "hello from cherrypy", "/greet?name=you": "hello you from a cherrypy quickstart"}),
    # web.py's app object is served by its wsgifunc(); ./static/ (which only web.py's own server serves) by nginx
    ("webpy_app", {"/": "hello from web.py", "/static/site.css": "color: teal"}),
])
def test_cherrypy_and_webpy_apps_are_served_from_the_venv_serve_installs(serving, tmp_path, case, paths):
    require_tool("nginx")
    root = shutil.copytree(APPS / case, tmp_path / case)
    port = free_port()
    run = serving(str(root), "--install", "--port", str(port))
    assert run.wait_for(r"shipyard: serving .* at http://", 300), run.output
    for path, text in paths.items():
        status, headers, body = get(f"http://127.0.0.1:{port}{path}")
        assert status == 200 and text in body and headers.get("Server", "").startswith("nginx"), (path, run.output)
    if case == "webpy_app":
        # the file itself, from nginx (its ETag is mtime-size in hex), not from the app
        st = (root / "static" / "site.css").stat()
        assert get(f"http://127.0.0.1:{port}/static/site.css")[1].get("ETag") == f'"{int(st.st_mtime):x}-{st.st_size:x}"'
    assert run.stop(signal.SIGTERM, timeout=60) == 0, run.output


@pytest.mark.slow
@pytest.mark.parametrize("case, paths", [
    # Eve: its endpoints come from the settings' DOMAIN (the home endpoint lists them, no MongoDB needed for it);
    # wsgi.py re-exports run.py's app
    ("eve_domain_settings", {"/hello": "hello from an eve app with notes, people", "/": '"people"'}),
    # Eve 0.6.4 on Python 3.6 (runtime.txt): Eve(settings="settings.py") looks beside sys.argv[0] only, which
    # shipyard_entry.py sets to run.py (under the server it is the server's own script)
    ("eve_settings_beside_script", {"/hello": "whose settings sit beside its script: readings, sensors",
                                    "/": '"sensors"'}),
    # Responder: api = responder.API(), served as ASGI, its templates read from the working directory
    ("responder_api", {"/": "hello from responder", "/hello/you/json": '"a responder route"',
                       "/page/you": "a responder template for you"}),
    # Dash 2.17 (not callable) with no `server = app.server`: the entry module hands the server app.server
    ("dash2_no_server_name", {"/": "<title>Dash</title>", "/_dash-layout": "hello from a dash app with no server name"}),
    # bottle's run(reloader=True) at import made a no-op, routes from controllers/ and from public/setup.py (a folder
    # without __init__.py, not the distribution atpublic), views/ from the working directory
    ("bottle_run_at_import_namespace_routes", {"/": "hello from a bottle app run at import",
                                               "/about": "about this bottle app",
                                               "/static/styles/site.css": "color: teal"}),
])
def test_eve_responder_dash_and_bottle_apps_are_served_from_the_venv_serve_installs(serving, tmp_path, case, paths):
    require_tool("nginx")
    root = shutil.copytree(APPS / case, tmp_path / case)
    port = free_port()
    run = serving(str(root), "--install", "--port", str(port))
    assert run.wait_for(r"shipyard: serving .* at http://", 420), run.output
    for path, text in paths.items():
        status, headers, body = get(f"http://127.0.0.1:{port}{path}")
        assert status == 200 and text in body and headers.get("Server", "").startswith("nginx"), (path, body, run.output)
    assert run.stop(signal.SIGTERM, timeout=60) == 0, run.output


def _ppid(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


# --- the generated files of the new server choices, read by their programs ----------------------------

@pytest.mark.parametrize("case, topology", [
    ("quart_static_root", "bundle"), ("quart_static_root", "compose"),
    ("aiohttp_app", "bundle"), ("aiohttp_async_factory", "app"),
    ("tornado_app", "bundle"), ("tornado_app", "app"), ("tornado_app", "compose"),
    ("tornado_script", "bundle"), ("tornado_script", "compose"),
    ("tornado_script_own_port", "bundle"), ("tornado_script_own_port", "app"),
    ("tornado_console_script", "bundle"), ("aiohttp_run_script", "bundle"), ("aiohttp_run_script", "compose"),
])
def test_generated_files_parse(tmp_path, case, topology):
    app_root, run_dir = tmp_path / "app", tmp_path / "run"
    shutil.copytree(APPS / case, app_root)
    run_dir.mkdir()
    plan = make_plan(app_root, {"topology": topology}, confirm=False)
    files = render(plan, Target.local(app_root, run_dir, VENV_BIN.parent))
    for rel, text in files.items():
        (run_dir / rel).write_text(text)
    if "nginx.conf" in files:
        nginx = "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else require_tool("nginx")
        if topology == "compose":   # upstream `app` and /tmp paths exist only in the compose network
            conf = files["nginx.conf"].replace("server app:8000", "server 127.0.0.1:8000")
            (run_dir / "nginx.conf").write_text(conf.replace(" /tmp/", f" {run_dir}/"))
        done = subprocess.run([nginx, "-t", "-e", "stderr", "-c", str(run_dir / "nginx.conf")],
                              capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr
    if "gunicorn.conf.py" in files:
        # --check-config loads the app with the configured worker class (aiohttp's)
        done = subprocess.run([require_tool("gunicorn"), "--check-config", "-c", str(run_dir / "gunicorn.conf.py")],
                              capture_output=True, text=True, timeout=60, cwd=app_root)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "aiohttp.GunicornWebWorker" in files["gunicorn.conf.py"]
    done = subprocess.run([str(VENV_BIN / "python"), "-m", "py_compile", str(run_dir / "shipyard_runtime.py")],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    if "supervisord.conf" in files:
        done = subprocess.run([str(VENV_BIN / "python"), "-c",
                               "import sys\nfrom supervisor.options import ServerOptions\n"
                               "o = ServerOptions()\no.realize(args=['-c', sys.argv[1]])\n"
                               "print(' '.join(sorted(g.name for g in o.process_group_configs)))",
                               str(run_dir / "supervisord.conf")], capture_output=True, text=True, timeout=30)
        assert done.returncode == 0 and done.stdout.split() == ["app", "fatal", "nginx"], done.stdout + done.stderr
    image = render(plan, Target.image())
    (tmp_path / "Dockerfile").write_text(image["Dockerfile"])
    if "compose.yaml" in image:
        for rel in ("compose.yaml", "compose.dev.yaml"):
            (app_root / rel).write_text(image[rel])
        # Compose v2 (the docker compose plugin) reads the files as written (test_validate_generated.py)
        done = subprocess.run([require_tool("docker"), "compose", "-f", "compose.yaml", "-f", "compose.dev.yaml",
                               "config", "-q"], capture_output=True, text=True, cwd=app_root, timeout=60)
        assert done.returncode == 0, done.stderr
    done = subprocess.run([require_tool("hadolint"), "--no-color", str(tmp_path / "Dockerfile")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


# --- images ----------------------------------------------------------------------------------------------

@pytest.mark.engine
@pytest.mark.slow
@pytest.mark.parametrize("case, checks", [
    # an ASGI newcomer under granian, with its static files at the URL root served by nginx in the image
    ("quart_static_root", (("/", "hello from quart"), ("/robots.txt", "User-agent"), ("/api/ping", "pong"))),
    ("tornado_app", (("/", "hello from tornado"),)),
    # a script listening on a port written in it: the image runs it through shipyard_entry.py behind nginx
    ("tornado_script_own_port", (("/", "hello from a tornado script listening on 127.0.0.1 8001"),)),
    # a run script calling the package's main(config): its web.run_app given the image's app port behind nginx
    ("aiohttp_run_script", (("/", "hello from an aiohttp run script on 127.0.0.1 8001"),)),
    # the same two in the image: the debug toolbar left out, gunicorn's -c not taken for the app's own
    ("aiohttp_devtools_get_app", (("/", "hello from the config file of an aiohttp-devtools app"),)),
])
def test_image_builds_and_verifies(tmp_path, base_image, case, checks):
    require_engine()
    from shipyard.engine import find_engine
    from shipyard.verify import SmokeCheck, verify_image

    app = tmp_path / case
    shutil.copytree(APPS / case, app)
    tag = f"shipyard-fw-ci/{case.replace('_', '-')}:bundle"
    done = subprocess.run([*SHIPYARD, "build", str(app), "--fresh", "--base", base_image, "--tag", tag,
                           "--no-verify", "--json"], capture_output=True, text=True, timeout=1200)
    try:
        assert done.returncode == 0, done.stderr[-3000:]
        assert json.loads(done.stdout)["build"]["tag"] == tag
        report = verify_image(find_engine(), tag, smoke=tuple(SmokeCheck(p, 200, t) for p, t in checks))
        failed = [f"{c.name}: {c.detail}" for c in report.checks if c.ok is False]
        assert report.ok, "\n".join(failed + ["logs:"] + report.logs_tail)
        assert {"health", "non-root", "SIGTERM exit"} <= {c.name for c in report.checks}
    finally:
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, timeout=120)


@pytest.mark.slow
def test_a_poetry_project_with_a_paste_entry_point_is_installed_and_given_its_paste_variables(serving, tmp_path):
    """`use = egg:pyramid-greeter` resolves only through the installed distribution's entry point, which the Poetry
    project declares in [tool.poetry.plugins] (no [project] table): `serve --install` installs the app itself, and
    the ini's %(GREETING)s, which its deployment passes as a paste variable, is the environment's."""
    require_tool("nginx")
    root = shutil.copytree(APPS / "pyramid_poetry_egg", tmp_path / "greeter")
    port = free_port()
    run = Running("serve", str(root), "--install", "--port", str(port), env={"GREETING": "hello=world"})
    try:
        assert run.wait_for(r"shipyard: serving .* at http://", 300), run.output
        assert "(and the app itself, editable)" in run.output
        status, headers, body = get(f"http://127.0.0.1:{port}/")
        assert status == 200 and body == "hello=world from an installed Poetry project", run.output
        assert run.stop(signal.SIGTERM, timeout=60) == 0, run.output
    finally:
        run.discard()


TORNADO_2015 = """\
import tornado.web


class MainHandler(tornado.web.RequestHandler):
    def get(self):
        self.write("hello from tornado " + tornado.version)


app = tornado.web.Application([(r"/", MainHandler)])
"""


@pytest.mark.slow
@pytest.mark.parametrize("python, pin", [("3.6", "tornado==4.5.3"), ("3.6", "tornado==5.1.1"), ("3.11", "tornado==2.2")])
def test_an_old_tornado_on_python_36_is_served_by_its_own_loop(serving, tmp_path, python, pin):
    """tornado 4 runs its own IOLoop (not asyncio's), and Python 3.6 has no asyncio.run: the runtime's worker
    serves both, answers through nginx, and stops on TERM. tornado 2.2 (a 2012 Heroku app's pin, built with 2to3)
    has no IOLoop.current(), call_later() nor add_callback_from_signal(): the worker died with AttributeError."""
    from conftest import require_python
    require_tool("nginx")
    require_python(python)
    root = tmp_path / "app"
    root.mkdir()
    (root / "app.py").write_text(TORNADO_2015)
    (root / "requirements.txt").write_text(pin + "\n")
    (root / ".python-version").write_text(python + "\n")
    port = free_port()
    run = serving(str(root), "--install", "--port", str(port))
    assert run.wait_for(r"shipyard: serving .* at http://", 300), run.output
    status, headers, body = get(f"http://127.0.0.1:{port}/")
    assert status == 200 and body == "hello from tornado " + pin.split("==")[1], run.output
    assert run.stop(signal.SIGTERM, timeout=60) == 0, run.output
