"""Scripts that start the app's own server through the project's functions: a console script the packaging
declares (setup.py, setup.cfg, [project.scripts], [tool.poetry.scripts]) whose function starts it, and a run
script whose `__main__` block calls a package function that does (aiohttp's web.run_app given its config
file's port). Each is found, planned, and its generated shipyard_entry.py run for real on the port given."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import FIXTURES, free_port
from shipyard.detect import appscan, entry
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.render import Target, render

APPS = FIXTURES / "apps"
PY = sys.executable

TORNADO_SERVER = '''\
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.options import define, options, parse_command_line
from tornado.web import Application, RequestHandler

define("port", default=8888)


class Home(RequestHandler):
    def get(self):
        self.write("served")


def main():
    {parse}app = Application([(r"/", Home)])
    HTTPServer(app).listen(options.port)
    IOLoop.current().start()
'''


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text))
    return root


def find(root: Path):
    return entry.find(Project(root), None)


def test_a_console_script_whose_package_function_listens_is_the_entry():
    found = find(APPS / "tornado_console_script")
    assert (found.entry.kind, found.entry.target, found.entry.console_script, found.entry.port_from) == \
        ("script", "todo_server:main", "serve_todo", "listen")
    assert "the project's console script `serve_todo` (todo_server:main) starts its own tornado server " \
           "(todo_server/__init__.py:18)" in found.notes[0]


def test_a_run_script_calling_the_packages_main_that_runs_aiohttp_is_the_entry():
    found = find(APPS / "aiohttp_run_script")
    assert (found.entry.kind, found.entry.target, found.entry.console_script, found.entry.port_from) == \
        ("script", "runserver:__main__", None, "listen")
    assert "runserver.py starts its own aiohttp server in its `if __name__ == '__main__':` block " \
           "(webapp/__init__.py:12, through webapp/__init__.py:main())" in found.notes[0]
    assert "gives the web.run_app (or TCPSite) it calls the port Shipyard gives" in found.notes[0]


def test_run_app_returned_by_a_function_is_no_factory():
    """`return web.run_app(app)` serves the app until it stops: the function is the server's start, not a
    factory returning the app (calling it in the import proof would start the server)."""
    source = (APPS / "aiohttp_run_script" / "webapp" / "__init__.py").read_text()
    scanned = appscan.scan("webapp/__init__.py", source)
    assert scanned.symbols["main"].kind == "other"
    assert [(s.function, s.framework) for s in scanned.own_servers] == [("main", "aiohttp")]


@pytest.mark.parametrize("packaging", ["project.scripts", "tool.poetry.scripts", "setup.cfg"])
def test_console_scripts_of_every_packaging_file_are_followed_through_the_projects_calls(tmp_path, packaging):
    """The script's function calls into the package (cli.run -> server.main), which starts the server; a console
    script that starts none (initdb) is not the entry."""
    files = {"pkg/__init__.py": "", "pkg/server.py": TORNADO_SERVER.format(parse=""),
             "pkg/cli.py": "from pkg.server import main\n\n\ndef run():\n    main()\n",
             "pkg/db.py": "def init():\n    print('tables')\n"}
    scripts = 'web = "pkg.cli:run"\ninitdb = "pkg.db:init"\n'
    if packaging == "setup.cfg":
        files["setup.cfg"] = "[metadata]\nname = pkg\n\n[options.entry_points]\nconsole_scripts =\n" \
                             "    web = pkg.cli:run\n    initdb = pkg.db:init\n"
    else:
        files["pyproject.toml"] = f'[project]\nname = "pkg"\nversion = "1"\n\n[{packaging}]\n{scripts}'
    found = find(write(tmp_path, files))
    assert (found.entry.target, found.entry.console_script) == ("pkg.cli:run", "web")
    assert "(pkg/server.py:16, through pkg/server.py:main())" in found.notes[0]


def test_one_script_per_app_and_the_module_that_serves_itself_first(tmp_path):
    """A run.py calling the package's main() and the console script for the same main(): the console script;
    a module that starts the server in its own main() and runs it under `__main__` stays the script itself."""
    root = shutil.copytree(APPS / "tornado_console_script", tmp_path / "app")
    write(root, {"run.py": "from todo_server import main\n\nif __name__ == '__main__':\n    main()\n"})
    assert find(root).entry.console_script == "serve_todo"
    chat = shutil.copytree(APPS / "tornado_script", tmp_path / "chat")
    write(chat, {"pyproject.toml": '[project]\nname = "chat"\nversion = "1"\n\n[project.scripts]\nchat = "chat:main"\n'})
    found = find(chat)
    assert (found.entry.target, found.entry.console_script) == ("chat:main", None)


def test_a_console_script_that_parses_its_port_is_given_it_on_the_command_line(tmp_path):
    root = write(tmp_path, {"pkg/__init__.py": TORNADO_SERVER.format(parse="parse_command_line()\n    "),
                            "pyproject.toml": '[project]\nname = "pkg"\nversion = "1"\n\n[project.scripts]\n'
                                              'serve = "pkg:main"\n'})
    plan = make_plan(root, confirm=False)
    assert (plan.entry.port_from, plan.entry.console_script) == ("--port", "serve")
    files = render(plan)
    assert "start -- /opt/venv/bin/python /app/shipyard_entry.py --port=8001\n" in files["supervisord.conf"]
    assert "rebind" not in files["shipyard_entry.py"] and "from pkg import main" in files["shipyard_entry.py"]


def test_an_aiohttp_script_that_reads_port_runs_itself_with_it(tmp_path):
    root = shutil.copytree(APPS / "aiohttp_run_script", tmp_path / "app")
    init = root / "webapp" / "__init__.py"
    init.write_text("import os\n" + init.read_text().replace('port=config.get("port", 8080)',
                                                             'port=int(os.environ.get("PORT", "8080"))'))
    plan = make_plan(root, confirm=False)
    assert (plan.entry.port_from, plan.settings["server"]) == ("PORT", "aiohttp")
    files = render(plan)
    assert "shipyard_entry.py" not in files and "gunicorn.conf.py" not in files
    assert "start -- /opt/venv/bin/python /app/runserver.py\n" in files["supervisord.conf"]
    assert 'environment = PORT="8001"\n' in files["supervisord.conf"]


@pytest.mark.parametrize("case, said", [
    ("tornado_console_script", "hello from the tornado console script serve_todo on 127.0.0.1 {port}"),
    ("aiohttp_run_script", "hello from an aiohttp run script on 127.0.0.1 {port}"),
])
def test_the_generated_entry_runs_the_script_on_the_port_given(tmp_path, case, said):
    """The rendered shipyard_entry.py, run for real: the server answers on PORT on the loopback, not on the
    port its code or config file names (8888, localhost:8080)."""
    root = shutil.copytree(APPS / case, tmp_path / "app")
    body, output, given = shim_answer(root, tmp_path)
    assert body == said.format(port=given), output


def shim_answer(root: Path, tmp_path: Path) -> tuple[str, str, int]:
    """(the first answer, the output, the port given) of the app's rendered shipyard_entry.py, run with PORT."""
    plan = make_plan(root, confirm=False).with_settings(topology="app")
    local = render(plan, Target.local(root, tmp_path / "run", tmp_path / "venv"))
    (tmp_path / "shim.py").write_text(local["shipyard_entry.py"])
    given = free_port()
    proc = subprocess.Popen([PY, str(tmp_path / "shim.py")], cwd=root, env={"PORT": str(given)},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return *first_answer(proc, given), given


SUBCOMMAND_APP = {
    "parcels.py": """\
        import argparse

        from parcels_lib.models import create_tables
        from parcels_lib.views import run_server

        if __name__ == "__main__":
            parser = argparse.ArgumentParser()
            parser.set_defaults(func=None)
            commands = parser.add_subparsers(dest="command")
            init = commands.add_parser("init_db")
            init.set_defaults(func=create_tables)
            run = commands.add_parser("run")
            run.set_defaults(func=run_server)
            args = parser.parse_args()
            if args.func is not None:
                args.func()
            else:
                parser.print_help()
        """,
    "parcels_lib/__init__.py": "",
    "parcels_lib/models.py": """\
        import sqlite3


        def create_tables():
            \"\"\"Create table structure inside DB.\"\"\"
            with sqlite3.connect("parcels.db") as conn:
                conn.execute("CREATE TABLE IF NOT EXISTS parcel (id INTEGER PRIMARY KEY)")
        """,
    "parcels_lib/views.py": """\
        import asyncio

        import tornado.web


        class Home(tornado.web.RequestHandler):
            def get(self):
                self.write("parcels served")


        async def main_app():
            app = tornado.web.Application([("/", Home)])
            app.listen(8888)
            await asyncio.Event().wait()


        def run_server():
            asyncio.run(main_app())
        """,
    "requirements.txt": "tornado\n",
}


def test_an_argparse_subcommands_handler_that_starts_the_server_is_the_entry_run_on_the_port_given(tmp_path):
    """`./parcels.py run`: the script's `run` subcommand dispatches (set_defaults(func=run_server)) to a function
    that builds the tornado app and listens on 8888; run bare, the script prints its help. The handler is the
    entry, called by shipyard_entry.py as a console script's function is, on the port Shipyard gives; its
    `init_db` subcommand is the app's first run (test_first_run)."""
    root = write(tmp_path / "app", SUBCOMMAND_APP)
    found = find(root)
    assert (found.entry.kind, found.entry.module, found.entry.attr, found.entry.console_script) == \
        ("script", "parcels_lib.views", "run_server", "parcels.py run"), found
    plan = make_plan(root, confirm=False).with_settings(topology="app")
    local = render(plan, Target.local(root, tmp_path / "run", tmp_path / "venv"))
    assert "from parcels_lib.views import run_server" in local["shipyard_entry.py"]
    (tmp_path / "shim.py").write_text(local["shipyard_entry.py"])
    given = free_port()
    proc = subprocess.Popen([PY, str(tmp_path / "shim.py")], cwd=root, env={"PORT": str(given)},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    body, output = first_answer(proc, given)
    assert body == "parcels served", output


def first_answer(proc: subprocess.Popen, port: int) -> tuple[str, str]:
    """(the body / answers within 30 s, the server's output); the server is stopped."""
    body = ""
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not body and proc.poll() is None:
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read().decode()
            except OSError:
                time.sleep(0.2)
    finally:
        proc.kill()
        output = proc.communicate(timeout=10)[0]
    return body, output


def test_a_packages_main_module_run_with_python_m_is_the_script(tmp_path):
    """pkg/__main__.py calling the package's main() at module level (`python -m pkg`, no guard): run with -m."""
    root = write(tmp_path, {"pkg/__init__.py": TORNADO_SERVER.format(parse=""),
                            "pkg/__main__.py": "from pkg import main\n\nmain()\n"})
    found = find(root)
    assert (found.entry.target, found.entry.kind, found.entry.console_script) == ("pkg.__main__:__main__", "script", None)
    files = render(make_plan(root, confirm=False))
    assert 'runpy.run_module("pkg.__main__", run_name="__main__", alter_sys=True)' in files["shipyard_entry.py"]


def test_an_aiohttp_script_on_the_runner_api_is_served_on_the_port_given(tmp_path):
    """`async def main()`: AppRunner(app), then TCPSite(runner, "localhost", 8080), run by asyncio.run(main())
    under `__main__`; a second site on another port is left as the script asks. The shim runs it for real."""
    other = free_port()
    root = write(tmp_path, {"server.py": f"""\
        import asyncio

        from aiohttp import web


        async def index(request):
            return web.Response(text="port %d" % request.transport.get_extra_info("sockname")[1])


        async def main():
            app = web.Application()
            app.router.add_get("/", index)
            runner = web.AppRunner(app)
            await runner.setup()
            await web.TCPSite(runner, "localhost", 8080).start()
            await web.TCPSite(runner, "127.0.0.1", {other}).start()
            await asyncio.Event().wait()


        if __name__ == "__main__":
            asyncio.run(main())
        """})
    plan = make_plan(root, confirm=False).with_settings(topology="app")
    assert (plan.entry.target, plan.entry.port_from, plan.settings["server"]) == ("server:main", "listen", "aiohttp")
    local = render(plan, Target.local(root, tmp_path / "run", tmp_path / "venv"))
    (tmp_path / "shim.py").write_text(local["shipyard_entry.py"])
    given = free_port()
    proc = subprocess.Popen([PY, str(tmp_path / "shim.py")], cwd=root, env={"PORT": str(given)},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    bodies: list[str] = []
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not bodies and proc.poll() is None:
            try:
                bodies = [urllib.request.urlopen(f"http://127.0.0.1:{p}/", timeout=2).read().decode()
                          for p in (given, other)]
            except OSError:
                time.sleep(0.2)
        assert bodies == [f"port {given}", f"port {other}"]
    finally:
        proc.kill()
        output = proc.communicate(timeout=10)[0]
    assert bodies, output


APP_CLASS = '''\
import tornado.web


class Home(tornado.web.RequestHandler):
    def get(self):
        self.write("served by the project's Application class")


class Application(tornado.web.Application):
    def __init__(self):
        tornado.web.Application.__init__(self, [(r"/", Home)], compress_response=True)
'''
RUN_SCRIPT = '''\
import tornado.httpserver
import tornado.ioloop
import tornado.options
from tornado.options import define, options

from app import Application
from helpers import Router

define("port", default=8888, type=int)

if __name__ == "__main__":
    tornado.options.parse_command_line()
    {serve}
    tornado.ioloop.IOLoop.current().start()
'''


def test_an_aiohttp_script_that_runs_its_loop_at_import_with_no_guard_is_the_entry_held_by_the_proof(tmp_path):
    """The liaoxuefeng tutorial's www/app.py: init(loop) makes the app and starts a TCPSite on a literal port, and
    the module runs `loop.run_until_complete(init(loop))` then `loop.run_forever()` at its top level, no guard.
    It is a script entry; its import proof neither binds its port nor blocks; the shim serves it on PORT."""
    literal = free_port()
    root = write(tmp_path / "app", {"www/config.py": "PORT = %d\n" % literal, "www/app.py": """\
        import asyncio

        from aiohttp import web

        from config import PORT


        async def index(request):
            return web.Response(text="port %d" % request.transport.get_extra_info("sockname")[1])


        async def init(loop):
            app = web.Application()
            app.router.add_route("GET", "/", index)
            runner = web.AppRunner(app)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", PORT)
            await site.start()


        loop = asyncio.new_event_loop()
        loop.run_until_complete(init(loop))
        loop.run_forever()
        """})
    found = find(root)
    assert (found.entry.kind, found.entry.target, found.workdir) == ("script", "app:init", "www")
    assert "www/app.py starts its own aiohttp server in init()" in found.notes[0]
    started = time.monotonic()
    entry.confirm(Project(root), found, PY, 60)           # the probe holds its loop and its site
    assert time.monotonic() - started < 30
    with socket.socket() as probe:                         # nothing was left listening on the script's own port
        probe.bind(("127.0.0.1", literal))
    plan = make_plan(root, confirm=False).with_settings(topology="app")
    local = render(plan, Target.local(root, tmp_path / "run", tmp_path / "venv"))
    (tmp_path / "shim.py").write_text(local["www/shipyard_entry.py"])   # beside the script, in its folder
    given = free_port()
    proc = subprocess.Popen([PY, str(tmp_path / "shim.py")], cwd=root / "www", env={"PORT": str(given)},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    body, output = first_answer(proc, given)
    assert body == f"port {given}", output


CHAT_SERVER = """\
    import tornado.ioloop
    import tornado.web


    class Home(tornado.web.RequestHandler):
        def get(self):
            self.write("chat on %d" % self.request.connection.stream.socket.getsockname()[1])


    app = tornado.web.Application([(r"/", Home)])
    app.listen(10000)
    tornado.ioloop.IOLoop.instance().start()
    """


def test_a_tornado_script_that_listens_and_loops_at_its_top_level_with_no_guard_is_run_on_the_port_given(tmp_path):
    """A 2016 websocket chat server: the Application made, `app.listen(10000)` and `IOLoop.instance().start()` at
    the module's top level, no `__main__` guard, run as `python ChatServer.py`. No server can import it (the loop
    never returns), running it serves it: the script is the entry, its listen bound to PORT."""
    root = write(tmp_path / "app", {"requirements.txt": "tornado\n", "ChatServer.py": CHAT_SERVER})
    found = find(root)
    assert (found.entry.kind, found.entry.target, found.entry.port_from) == ("script", "ChatServer:__main__", "listen")
    body, output, given = shim_answer(root, tmp_path)
    assert body == f"chat on {given}", output


def test_each_script_inspect_names_among_several_is_the_entry_when_given(tmp_path):
    """Two scripts that each start a server (a chat server, its client bridge): inspect says "found 2 apps:
    ChatServer:__main__, app:main (choose one with --entry)"; each of those, given, is that script, run as one,
    not a name to look up (there is no `__main__`) nor the function main loaded as an app."""
    root = write(tmp_path / "app", {"ChatServer.py": CHAT_SERVER,
                                    "app.py": TORNADO_SERVER.format(parse="") + "\n\nif __name__ == '__main__':\n    main()\n"})
    from shipyard.errors import AmbiguousApp
    with pytest.raises(AmbiguousApp) as err:
        find(root)
    assert "ChatServer:__main__, app:main" in err.value.message
    for target in ("ChatServer:__main__", "app:main"):
        found = entry.find(Project(root), target)
        assert (found.entry.kind, found.entry.target) == ("script", target)


@pytest.mark.parametrize("serve", [
    # the 2014 shape: the project's own Application subclass, made inline in the server's arguments
    "tornado.httpserver.HTTPServer(Application(), max_body_size=1000).listen(options.port)",
    "server = tornado.httpserver.HTTPServer(Application(), xheaders=True)\n    server.listen(options.port)",
])
def test_a_run_script_serving_an_app_made_by_a_class_of_another_module_is_the_entry(tmp_path, serve):
    root = write(tmp_path / "app", {"app.py": APP_CLASS, "helpers.py": "class Router:\n    pass\n",
                                    "run.py": RUN_SCRIPT.format(serve=serve)})
    found = find(root)
    assert (found.entry.kind, found.entry.target, found.entry.port_from) == ("script", "run:__main__", "--port")
    assert found.framework == "tornado"
    # run as the plan says (python run.py --port=N): the project's app answers on that port
    given = free_port()
    proc = subprocess.Popen([PY, "run.py", f"--port={given}"], cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    body, output = first_answer(proc, given)
    assert body == "served by the project's Application class", output


def test_a_server_given_something_of_the_project_that_is_no_app_is_no_script(tmp_path):
    from shipyard.errors import AppNotFound
    root = write(tmp_path / "app", {"app.py": "x = 1\n", "helpers.py": "class Router:\n    pass\n",
                                    "run.py": RUN_SCRIPT.replace("from app import Application\n", "").format(
                                        serve="tornado.httpserver.HTTPServer(Router()).listen(options.port)")})
    with pytest.raises(AppNotFound):
        find(root)


def test_a_script_with_no_guard_running_the_packages_init_on_aiohttps_first_api_is_the_entry(tmp_path):
    """A Todo-Backend in aiohttp: run_server.py has no `__main__` guard and runs
    `loop.run_until_complete(init(loop))` then `loop.run_forever()`; the package's `async def init(loop)` makes
    the app and serves it with aiohttp's first API, `loop.create_server(app.make_handler(), IP, PORT)`, PORT read
    from the environment. That script is the entry, run with PORT=N; served for real on the port given."""
    root = write(tmp_path / "app", {"todoapp/__init__.py": """\
        from os import getenv

        from aiohttp import web

        IP = getenv("IP", "127.0.0.1")
        PORT = getenv("PORT", "8080")


        async def index(request):
            return web.Response(text="port %d" % request.transport.get_extra_info("sockname")[1])


        async def init(loop):
            app = web.Application()
            app.router.add_get("/", index)
            return await loop.create_server(app.make_handler(), IP, PORT)
        """, "run_server.py": """\
        import asyncio

        from todoapp import init

        loop = asyncio.new_event_loop()
        loop.run_until_complete(init(loop))
        loop.run_forever()
        """, "todoapp/populate_db.py": "import asyncio\n\nasync def populate():\n    return 1\n\n"
                                       "asyncio.run(populate())\n"})
    found = find(root)
    assert (found.entry.kind, found.entry.target, found.entry.port_from) == ("script", "run_server:__main__", "PORT")
    assert "run_server.py starts its own aiohttp server in its module-level code (todoapp/__init__.py:16, " \
           "through todoapp/__init__.py:init())" in found.notes[0]
    plan = make_plan(root, confirm=False)
    assert plan.settings["server"] == "aiohttp"
    files = render(plan)
    assert "start -- /opt/venv/bin/python /app/run_server.py\n" in files["supervisord.conf"]
    given = free_port()
    proc = subprocess.Popen([PY, "run_server.py"], cwd=root, env={"PORT": str(given)},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    body, output = first_answer(proc, given)
    assert body == f"port {given}", output
