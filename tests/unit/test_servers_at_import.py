"""Modules that start a server when imported, a shape tutorials produce all the time.

Bottle's default app run by a script: `@route` functions, no name for the app, and `run(...)` at the end of the
script, often without a `__main__` guard. The script is the entry (kind default_app): it is imported as
`python path/to/it.py` would run it, with run() a no-op, and the production server serves bottle.default_app().
An event loop run forever at import (tornado's IOLoop.start()) cannot be made a no-op: it is refused from the
source, at once. (Flask's app.run() at import: test_entry.py and the serve integration tests.)"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from shipyard.detect import entry
from shipyard.errors import AppConfigError, AppNotFound
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.render import render

PY = sys.executable
TIMEOUT = 30.0

SCRIPT = """\
    from bottle import route, run, template
    from db import GREETING


    @route("/")
    def home():
        return template("home.tpl", greeting=GREETING)


    run(host="0.0.0.0", port={port}, debug=True, reloader=True)
    """


def script_in_a_package(root: Path, port: int = 8080) -> Path:
    """app/main.py (app/ has an __init__.py) imports its sibling db.py as a top-level module, as a script run
    with `python app/main.py` does; its templates are in views/ at the root, where bottle looks from there."""
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "db.py").write_text('GREETING = "hello from the script"\n')
    (root / "app" / "main.py").write_text(textwrap.dedent(SCRIPT.format(port=port)))
    (root / "views").mkdir()
    (root / "views" / "home.tpl").write_text("<p>{{greeting}}</p>\n")
    (root / "requirements.txt").write_text("bottle\n")
    return root


def test_a_script_that_runs_the_default_app_at_import_is_the_entry(tmp_path):
    found = entry.find(Project(script_in_a_package(tmp_path)), None)
    e = found.entry
    assert (e.kind, e.module, e.attr, e.interface) == ("default_app", "main", "default_app()", "wsgi")
    # run from the root (bottle finds views/ in the working directory), with app/ on sys.path
    assert found.workdir == "." and e.import_folder == "app"
    assert e.starts_server_on_import
    assert any("app/main.py:10 calls bottle.run() at import" in n for n in found.notes)


def test_a_guarded_script_is_the_entry_and_starts_nothing_at_import(tmp_path):
    (tmp_path / "server.py").write_text(textwrap.dedent("""\
        import bottle

        @bottle.get("/")
        def index():
            return "hi"

        if __name__ == "__main__":
            bottle.run(port=8080)
        """))
    found = entry.find(Project(tmp_path), None)
    assert (found.entry.kind, found.entry.module, found.workdir) == ("default_app", "server", ".")
    assert not found.entry.starts_server_on_import and found.entry.import_folder is None


def test_routes_without_a_script_still_ask_for_a_name(tmp_path):
    (tmp_path / "routes.py").write_text("import bottle\n\n@bottle.route('/')\ndef i():\n    return 'x'\n")
    with pytest.raises(AppNotFound) as err:
        entry.find(Project(tmp_path), None)
    assert "app = bottle.default_app()" in err.value.hint


def _bottle_script(route: str, guarded: bool = True) -> str:
    run = 'if __name__ == "__main__":\n    run(host="0.0.0.0", port=8080)\n' if guarded else "run(port=8080)\n"
    return f"from bottle import get, run\n\n\n@get({route!r})\ndef page():\n    return {route!r}\n\n\n{run}"


@pytest.mark.parametrize("guarded", [True, False])
def test_separate_bottle_scripts_each_their_own_app_serve_the_one_named_as_an_entry_file(tmp_path, guarded):
    # a tutorial's app.py beside helloworld.py and cohort.py, each registering its own routes on bottle's default
    # app and running it: three apps, one process each; app.py is served, with a note naming the others
    (tmp_path / "app.py").write_text(_bottle_script("/plot", guarded))
    (tmp_path / "helloworld.py").write_text(_bottle_script("/"))
    (tmp_path / "cohort.py").write_text(_bottle_script("/cohort"))
    found = entry.find(Project(tmp_path), None)
    assert (found.entry.kind, found.entry.module, found.entry.attr) == ("default_app", "app", "default_app()")
    assert any("3 bottle scripts here register their own routes on bottle's default app and run it (app.py, "
               "cohort.py, helloworld.py): separate apps; app.py is served" in n for n in found.notes), found.notes
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)


def test_separate_bottle_scripts_with_no_entry_file_name_still_ask_for_one(tmp_path):
    (tmp_path / "hello.py").write_text(_bottle_script("/"))
    (tmp_path / "cohort.py").write_text(_bottle_script("/cohort"))
    with pytest.raises(AppNotFound) as err:
        entry.find(Project(tmp_path), None)
    assert "app = bottle.default_app()" in err.value.hint


def test_the_proof_imports_the_script_with_run_a_no_op(tmp_path):
    p = Project(script_in_a_package(tmp_path))
    started = time.monotonic()
    entry.confirm(p, entry.find(p, None), PY, TIMEOUT)    # raises when the import fails or is not a WSGI app
    assert time.monotonic() - started < TIMEOUT


def test_a_none_formatted_into_a_url_names_the_unset_variables(tmp_path):
    """`f"...:{os.environ.get('PORT')}/..."` gives int('None') when the URL is parsed: not set, not a bug."""
    script_in_a_package(tmp_path)
    (tmp_path / "app" / "db.py").write_text(textwrap.dedent("""\
        import os
        PORT = os.environ.get("SHIPYARD_TEST_DB_PORT")
        url = f"postgresql://u@h:{PORT}/d"
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        GREETING = "x"
        """))
    p = Project(tmp_path)
    with pytest.raises(AppConfigError) as err:
        entry.confirm(p, entry.find(p, None), PY, TIMEOUT, environ={"PATH": "/usr/bin:/bin"})
    assert err.value.variables == ("SHIPYARD_TEST_DB_PORT",)


def served_through_the_shim(root: Path, dev_port: int, path: str = "/") -> dict:
    """GET `path` from the generated shipyard_entry.py's app, run from `root` as the servers run it: its status
    and body, and whether anything listens on the script's own port (its dev server must not start)."""
    check = textwrap.dedent(f"""\
        import io, json, socket, sys
        sys.path.insert(0, ".")
        import shipyard_entry
        out = {{}}
        def start_response(status, headers, exc_info=None):
            out["status"] = status
        body = b"".join(shipyard_entry.app({{"REQUEST_METHOD": "GET", "PATH_INFO": {path!r}, "SERVER_NAME": "x",
                                            "SERVER_PORT": "80", "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http",
                                            "wsgi.errors": sys.stderr}}, start_response))
        with socket.socket() as s:
            listening = s.connect_ex(("127.0.0.1", {dev_port})) == 0
        print(json.dumps({{"status": out["status"], "body": body.decode(), "listening": listening}}))
        """)
    done = subprocess.run([PY, "-c", check], cwd=root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_rendered_entry_serves_the_default_app_without_starting_the_dev_server(tmp_path):
    """The generated shipyard_entry.py, run from the workdir as the servers run it: a WSGI app whose route
    renders the template from views/, and nothing listening on the script's port."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dev_port = s.getsockname()[1]
    root = script_in_a_package(tmp_path / "app_root", dev_port)
    plan = make_plan(root, confirm=False, installed=False)
    files = render(plan)
    shim = files["shipyard_entry.py"]
    assert 'sys.path.insert(0, os.path.abspath("app"))' in shim and "bottle.default_app()" in shim
    assert '"shipyard_entry:app"' in files["shipyard_runtime.py"]
    (root / "shipyard_entry.py").write_text(shim)
    result = served_through_the_shim(root, dev_port)
    assert result == {"status": "200 OK", "body": "<p>hello from the script</p>\n", "listening": False}
    # the generated file names the app too: a second `init` still finds the script, not its own shim
    assert make_plan(root, confirm=False, installed=False).entry == plan.entry


LOOP_AT_IMPORT = {
    "tornado": """\
        import tornado.ioloop
        import tornado.web


        class Home(tornado.web.RequestHandler):
            def get(self):
                self.write("hi")


        app = tornado.web.Application([(r"/", Home)])
        app.listen(8888)
        tornado.ioloop.IOLoop.current().start()
        """,
    "asyncio": """\
        import asyncio
        from aiohttp import web

        app = web.Application()
        app.router.add_get("/", lambda request: web.Response(text="hi"))
        loop = asyncio.new_event_loop()
        loop.run_forever()
        """,
}


@pytest.mark.parametrize("case", sorted(LOOP_AT_IMPORT))
def test_an_event_loop_run_forever_at_import_is_refused_from_the_source(tmp_path, case):
    """The import check cannot make an event loop's start a no-op (the servers run the same loops): instead of
    waiting out its time limit, the detector says which line blocks, before anything is imported. (A script whose
    top level listens on its app before the loop is a script entry: test_script_entries.py.)"""
    (tmp_path / "app.py").write_text(textwrap.dedent(LOOP_AT_IMPORT[case]).replace("app.listen(8888)\n", ""))
    from shipyard.errors import AppLoadError
    with pytest.raises(AppLoadError) as err:
        entry.find(Project(tmp_path), None)
    line = 11 if case == "tornado" else 7
    assert err.value.message.startswith(f"app.py:{line} calls ") and "at import" in err.value.message
    assert "never returns" in err.value.message and "__main__" in err.value.hint


def test_an_event_loop_under_the_main_guard_is_not_refused(tmp_path):
    text = textwrap.dedent(LOOP_AT_IMPORT["tornado"]).replace("app.listen(8888)\ntornado",
                                                               "if __name__ == '__main__':\n    app.listen(8888)\n    tornado")
    (tmp_path / "app.py").write_text(text)
    assert entry.find(Project(tmp_path), None).entry.target == "app:app"


def test_a_named_bottle_app_beside_its_siblings_runs_from_the_folder_with_views(tmp_path):
    """`app = Bottle()` in app/main.py (app/ a package) importing its sibling db.py, templates in views/ at the
    root: served from the root with app/ on sys.path, through shipyard_entry.py."""
    root = tmp_path / "named"
    script_in_a_package(root)
    (root / "app" / "main.py").write_text(textwrap.dedent("""\
        from bottle import Bottle, template
        from db import GREETING

        app = Bottle()


        @app.route("/")
        def home():
            return template("home.tpl", greeting=GREETING)


        if __name__ == "__main__":
            app.run(port=8080)
        """))
    plan = make_plan(root, confirm=False, installed=False)
    assert (plan.entry.target, plan.entry.kind, plan.workdir, plan.entry.import_folder) == \
        ("main:app", "attribute", ".", "app")
    shim = render(plan)["shipyard_entry.py"]
    (root / "shipyard_entry.py").write_text(shim)
    done = subprocess.run([PY, "-c", "import sys, io; sys.path.insert(0, '.'); import shipyard_entry; "
                           "print(shipyard_entry.app.routes[0].call())"], cwd=root, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "<p>hello from the script</p>"


def _setup_in_main(root: Path, dev_port: int, setup: str) -> Path:
    """A course project's shape: app/__init__.py makes `app = Bottle()` and imports its routes, whose templates
    are in app/views/; run.py (Procfile: `web: python run.py`) imports the app and, under `__main__`, does
    `setup` before app.run()."""
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("from bottle import Bottle\n\napp = Bottle()\n\nfrom app import views\n")
    (root / "app" / "views.py").write_text(textwrap.dedent("""\
        from bottle import template

        from app import app


        @app.route("/")
        def login():
            return template("login", who="visitor")
        """))
    (root / "app" / "views").mkdir()
    (root / "app" / "views" / "login.tpl").write_text("<p>hello {{who}}</p>\n")
    (root / "run.py").write_text(textwrap.dedent(f"""\
        import bottle
        from app import app

        if __name__ == "__main__":
            {setup}
            app.run(host="localhost", port={dev_port}, debug=True, reloader=True)
        """))
    (root / "requirements.txt").write_text("bottle\n")
    return root


def test_a_template_path_set_under_main_is_set_for_the_production_server_too(tmp_path):
    """run.py puts app/views/ on bottle.TEMPLATE_PATH only under `__main__`: imported as run:app, every page is
    'Template not found'. The generated shipyard_entry.py runs run.py as __main__ (its app.run() a no-op) and
    serves its app: the page renders, and nothing listens on the script's port."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dev_port = s.getsockname()[1]
    root = _setup_in_main(tmp_path / "course", dev_port, "bottle.TEMPLATE_PATH.insert(0, 'app/views/')")
    plan = make_plan(root, confirm=False, installed=False)
    assert (plan.entry.target, plan.entry.main_setup) == ("run:app", True)
    (root / "shipyard_entry.py").write_text(render(plan)["shipyard_entry.py"])
    result = served_through_the_shim(root, dev_port)
    assert result == {"status": "200 OK", "body": "<p>hello visitor</p>\n", "listening": False}


def test_debug_mode_under_main_is_not_setup_to_keep(tmp_path):
    # bottle.debug(True) before app.run(): development settings, which production leaves out: no shim
    root = _setup_in_main(tmp_path / "course", 8080, "bottle.debug(True)")
    plan = make_plan(root, confirm=False, installed=False)
    assert not plan.entry.main_setup and "shipyard_entry.py" not in render(plan)


@pytest.mark.parametrize("start", ["web.run_app(app)", "run_simple('localhost', 8000, app)",
                                   "bottle.run(app, port=8080)", "server.serve_forever()"])
def test_a_server_started_under_main_is_no_setup_to_keep(tmp_path, start):
    # aiohttp's `if __name__ == "__main__": web.run_app(app)` starts its development server: nothing to run as
    # __main__ for the production server (it would start that server), so the app is imported as it is
    root = tmp_path / "chat"
    root.mkdir()
    (root / "app.py").write_text(textwrap.dedent(f"""\
        from aiohttp import web
        from werkzeug.serving import run_simple
        import bottle

        app = web.Application()

        if __name__ == "__main__":
            {start}
        """))
    (root / "requirements.txt").write_text("aiohttp\n")
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.entry.target == "app:app" and not plan.entry.main_setup
    assert "shipyard_entry.py" not in render(plan)


def _mounts_in_main(root: Path, dev_port: int, setup: str) -> Path:
    """A boilerplate's shape: app.py makes `app = Bottle()` and imports the sub-app of views/api.py, which it
    mounts (`setup`) only under `__main__`, then app.run() on a port of its own."""
    (root / "views").mkdir(parents=True)
    (root / "views" / "__init__.py").write_text("")
    (root / "views" / "api.py").write_text(textwrap.dedent("""\
        from bottle import Bottle

        api = Bottle()


        @api.route("/ping")
        def ping():
            return "pong"
        """))
    (root / "app.py").write_text(textwrap.dedent(f"""\
        from bottle import Bottle
        from views.api import api

        app = Bottle()


        @app.route("/test")
        def test():
            return "ok"


        if __name__ == "__main__":
            {setup}
            app.run(host="localhost", port={dev_port}, debug=True)
        """))
    (root / "requirements.txt").write_text("bottle\nSQLAlchemy\n")
    return root


def test_a_sub_app_mounted_under_main_is_mounted_for_the_production_server_too(tmp_path):
    """app.py imports the sub-app it mounts at /api under `__main__` (so app.py holds both apps' names, and each
    module imports the other's app): the entry is app.py's own app, and the generated shipyard_entry.py runs
    app.py as __main__ (app.run() a no-op), so /api/ping answers as under `python app.py`."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dev_port = s.getsockname()[1]
    root = _mounts_in_main(tmp_path / "stations", dev_port, 'app.mount("/api", api)')
    plan = make_plan(root, confirm=False, installed=False)
    assert (plan.entry.target, plan.entry.main_setup) == ("app:app", True)
    (root / "shipyard_entry.py").write_text(render(plan)["shipyard_entry.py"])
    assert served_through_the_shim(root, dev_port, "/api/ping") == {"status": "200 OK", "body": "pong",
                                                                    "listening": False}
    assert served_through_the_shim(root, dev_port, "/test")["body"] == "ok"


@pytest.mark.parametrize("setup", ['app.config["DEBUG"] = True', "app.config.update(debug=True)",
                                   "api.config.update(catchall=True)"])
def test_debug_settings_or_another_object_under_main_are_no_setup_of_the_app(tmp_path, setup):
    # debug mode is development's; a change to an object the server does not serve is not the app's setup
    root = _mounts_in_main(tmp_path / "stations", 8080, setup)
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.entry.target == "app:app" and not plan.entry.main_setup
    assert "shipyard_entry.py" not in render(plan)


def test_a_flask_secret_key_set_under_main_is_set_for_the_production_server_too(tmp_path):
    """A tutorial's `if __name__ == "__main__": app.secret_key = ...; app.run(debug=True)`: imported as app:app the
    session has no key (every page that uses it fails); through shipyard_entry.py the key is set."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dev_port = s.getsockname()[1]
    root = tmp_path / "tutorial"
    root.mkdir()
    (root / "app.py").write_text(textwrap.dedent(f"""\
        from flask import Flask, session

        app = Flask(__name__)


        @app.route("/")
        def home():
            session["seen"] = True
            return "hello"


        if __name__ == "__main__":
            app.secret_key = "the tutorial's key"
            app.run(port={dev_port}, debug=True)
        """))
    (root / "requirements.txt").write_text("flask\n")
    plan = make_plan(root, confirm=False, installed=False)
    assert (plan.entry.target, plan.entry.main_setup) == ("app:app", True)
    (root / "shipyard_entry.py").write_text(render(plan)["shipyard_entry.py"])
    assert served_through_the_shim(root, dev_port) == {"status": "200 OK", "body": "hello", "listening": False}


def test_a_launcher_that_loops_forever_gives_way_to_the_app_it_imports(tmp_path):
    """server.py wraps app.py's Flask app in tornado's WSGIContainer and runs IOLoop.start() at import: the app
    is app.py's, which a server can import; server.py (ranked higher by its name) never returns."""
    (tmp_path / "app.py").write_text(textwrap.dedent("""\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/")
        def index():
            return "Hello World!"


        if __name__ == "__main__":
            app.run()
        """))
    (tmp_path / "server.py").write_text(textwrap.dedent("""\
        from tornado.wsgi import WSGIContainer
        from tornado.httpserver import HTTPServer
        from tornado.ioloop import IOLoop

        from app import app

        http_server = HTTPServer(WSGIContainer(app))
        http_server.bind(3000, "0.0.0.0")
        http_server.start(1)
        IOLoop.instance().start()
        """))
    found = entry.find(Project(tmp_path), None)
    assert (found.framework, found.entry.target) == ("flask", "app:app")
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)


@pytest.mark.parametrize("start", [
    "server = CherryPyWSGIServer(('0.0.0.0', 8008), api, numthreads=10)\ntry:\n    server.start()\n"
    "except KeyboardInterrupt:\n    server.stop()\n",
    "CherryPyWSGIServer(('0.0.0.0', 8008), api).start()\n"])
def test_a_launcher_that_starts_a_wsgi_server_object_at_import_is_not_the_entry(tmp_path, start):
    """app.py imports the Bottle app of web_api.py and serves it with CherryPy's WSGI server object, started at
    import: a launcher (as bottle.run() at import is), not the module to load; the app is where it is made, even
    though app.py's name ranks first among file names."""
    (tmp_path / "web_api.py").write_text("from bottle import Bottle\napi = Bottle()\n\n\n@api.get('/stuff')\n"
                                         "def stuff():\n    return {'data': 1}\n")
    (tmp_path / "app.py").write_text("from web_api import api\nfrom cherrypy.wsgiserver import CherryPyWSGIServer\n"
                                     + start)
    found = entry.find(Project(tmp_path), None)
    assert (found.entry.module, found.entry.attr) == ("web_api", "api")


@pytest.mark.parametrize("framework", ["quart", "flask"])
def test_a_server_name_set_under_main_is_the_development_servers_not_setup(tmp_path, framework):
    """`if __name__ == "__main__": app.config["DEBUG"] = True; app.config["SERVER_NAME"] = "localhost:8000";
    app.run()`: the host:port the development server answers at. Run for production (as shipyard_entry.py runs a
    __main__ block that sets the app up), Quart and Flask before 3.1 answer 404 to every request at another
    address: the served app is the module's own, imported."""
    root = tmp_path / "portal"
    (root / "portal").mkdir(parents=True)
    (root / "portal" / "__init__.py").write_text("")
    cls = framework.capitalize()
    (root / "portal" / "app.py").write_text(textwrap.dedent(f"""\
        from {framework} import {cls}

        app = {cls}(__name__)
        app.config.from_prefixed_env()


        @app.route("/about")
        def about():
            return "about"


        if __name__ == "__main__":
            app.config["DEBUG"] = True
            app.config["SERVER_NAME"] = "localhost:8000"
            app.jinja_env.auto_reload = True
            app.run()
        """))
    (root / "requirements.txt").write_text(f"{framework}\n")
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.entry.target == "portal.app:app" and not plan.entry.main_setup
    assert "shipyard_entry.py" not in render(plan)


def test_an_aiohttp_app_handed_to_a_setup_function_under_main_is_served_set_up(tmp_path):
    """main.py makes a bare `app = web.Application()` at import and adds its routes only under `__main__`
    (`setup_app(app)`, then `web.run_app(app)`): imported as main:app it answers 404 everywhere. The generated
    shipyard_entry.py runs main.py as __main__ (run_app a no-op) and serves the app set up: / answers, and
    nothing listens on the script's port."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dev_port = s.getsockname()[1]
    root = tmp_path / "forum"
    root.mkdir()
    (root / "main.py").write_text(textwrap.dedent(f"""\
        from aiohttp import web


        async def index(request):
            return web.Response(text="forum " + request.app["config"]["name"])


        def setup_config(application):
            application["config"] = {{"name": "v1"}}


        def setup_routes(application):
            application.router.add_get("/", index)


        def setup_app(application):
            setup_config(application)
            setup_routes(application)


        app = web.Application()

        if __name__ == "__main__":
            setup_app(app)
            print(app)
            web.run_app(app, port={dev_port})
        """))
    (root / "requirements.txt").write_text("aiohttp\n")
    plan = make_plan(root, confirm=False, installed=False)
    assert (plan.entry.target, plan.entry.main_setup) == ("main:app", True)
    (root / "shipyard_entry.py").write_text(render(plan)["shipyard_entry.py"])
    check = textwrap.dedent(f"""\
        import asyncio, json, socket, sys
        sys.path.insert(0, ".")
        from aiohttp.test_utils import TestClient, TestServer
        import shipyard_entry

        async def main():
            async with TestClient(TestServer(shipyard_entry.app)) as client:
                response = await client.get("/")
                return response.status, await response.text()

        status, body = asyncio.run(main())
        with socket.socket() as s:
            listening = s.connect_ex(("127.0.0.1", {dev_port})) == 0
        print(json.dumps({{"status": status, "body": body, "listening": listening}}))
        """)
    done = subprocess.run([PY, "-c", check], cwd=root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"status": 200, "body": "forum v1", "listening": False}


def test_the_async_factory_a_top_level_run_app_is_given_is_the_entry_over_the_factory_it_builds_on(tmp_path):
    """main.py's init() makes the app with its routes; the async make_app() calls init() and adds what the site
    needs on top (a session, /); the top level ends in `web.run_app(make_app(), host="localhost", port=9000)`, no
    `__main__` guard. What `python main.py` serves is make_app()'s app: init() alone answers 404 at /. The
    rendered shipyard_entry.py serves make_app()'s app, with nothing on the script's port."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dev_port = s.getsockname()[1]
    root = tmp_path / "blog"
    root.mkdir()
    (root / "main.py").write_text(textwrap.dedent(f"""\
        from aiohttp import web


        async def hello(request):
            return web.Response(text="hello")


        async def home(request):
            return web.Response(text="home " + request.app["secret"])


        def init():
            app = web.Application()
            app.router.add_get("/hello", hello)
            return app


        async def make_app():
            app = init()
            app["secret"] = "set"
            app.add_routes([web.get("/", home)])
            return app

        web.run_app(make_app(), host="localhost", port={dev_port})
        """))
    (root / "requirements.txt").write_text("aiohttp\n")
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.entry.target == "main:make_app()" and plan.entry.starts_server_on_import
    (root / "shipyard_entry.py").write_text(render(plan)["shipyard_entry.py"])
    check = textwrap.dedent(f"""\
        import asyncio, inspect, json, socket, sys
        sys.path.insert(0, ".")
        from aiohttp.test_utils import TestClient, TestServer
        import shipyard_entry

        async def main():
            app = shipyard_entry.app
            app = app() if callable(app) else app
            app = await app if inspect.isawaitable(app) else app
            async with TestClient(TestServer(app)) as client:
                home = await client.get("/")
                hello = await client.get("/hello")
                return home.status, await home.text(), hello.status

        status, body, hello = asyncio.run(main())
        with socket.socket() as s:
            listening = s.connect_ex(("127.0.0.1", {dev_port})) == 0
        print(json.dumps({{"status": status, "body": body, "hello": hello, "listening": listening}}))
        """)
    done = subprocess.run([PY, "-c", check], cwd=root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == \
        {"status": 200, "body": "home set", "hello": 200, "listening": False}
