"""A tornado script that builds its Application at import and serves it under `__main__` through an HTTPServer:
`tornado.options.parse_command_line()`, `HTTPServer(application).listen(options.port)`, then
`IOLoop.instance().start()` (a 2018 KYC callback server's app.py). parse_command_line() is setup of the framework,
so the block is run for it (main_setup), in the import check and in the generated entry: the HTTPServer's
listen() (and bind()/start()) and the app's own loop start are made no-ops there, as Application.listen() was,
instead of the check blocking until its time limit and the served entry binding the script's own port."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

from shipyard.detect import entry
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.render import render


PY = sys.executable
TIMEOUT = 30.0

APP = """\
    import tornado.httpserver
    import tornado.ioloop
    import tornado.options
    import tornado.web
    from tornado.options import define, options

    define("port", default={port}, help="run on the given port", type=int)


    class Index(tornado.web.RequestHandler):
        def get(self):
            self.write("hello from the callback server")


    class Application(tornado.web.Application):
        def __init__(self, handlers, **settings):
            tornado.web.Application.__init__(self, handlers, **settings)


    application = Application([("/hello", Index)], debug=False)


    if __name__ == "__main__":
        tornado.options.parse_command_line()
        http_server = tornado.httpserver.HTTPServer(application)
        http_server.listen(options.port)
        print("Server running on http://0.0.0.0:%d" % options.port)
        tornado.ioloop.IOLoop.{loop}().start()
    """


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def write_app(root: Path, port: int, loop: str = "instance") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "app.py").write_text(textwrap.dedent(APP.format(port=port, loop=loop)))
    (root / "requirements.txt").write_text("tornado\n")
    return root


@pytest.mark.parametrize("loop", ["instance", "current"])
def test_the_import_check_runs_the_main_block_without_serving(tmp_path, loop):
    own = free_port()
    root = write_app(tmp_path / "app", own, loop)
    project = Project(root)
    found = entry.find(project, None)
    assert found.entry.target == "app:application" and found.entry.main_setup
    start = time.monotonic()
    entry.confirm(project, found, PY, TIMEOUT)        # raises when the check times out or the app is not tornado's
    assert time.monotonic() - start < TIMEOUT
    assert not listening(own)


def test_the_generated_entry_serves_the_app_on_the_runtime_loop_not_the_scripts_port(tmp_path):
    own, port = free_port(), free_port()
    root = write_app(tmp_path / "app", own)
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.entry.main_setup and plan.entry.interface == "tornado"
    files = render(plan)
    # what shipyard_runtime.py's tornado server imports: the generated entry, which runs the `__main__` block
    module, attr = re.search(r'_module = importlib.import_module\("([\w.]+)"\)\n    return _module\.(\w+)',
                             files["shipyard_runtime.py"]).groups()
    assert module == "shipyard_entry"
    for name in ("shipyard_entry.py", "shipyard_runtime.py"):
        (root / name).write_text(files[name])
    # the runtime's own serving code, as it runs the app (tornado's HTTPServer on sockets it binds, on its loop)
    serve = textwrap.dedent(f"""\
        import asyncio, importlib, os, sys
        sys.path.insert(0, os.getcwd())
        from tornado import netutil
        from tornado.httpserver import HTTPServer
        from tornado.ioloop import IOLoop

        async def main():
            server = HTTPServer(importlib.import_module({module!r}).{attr})
            server.add_sockets(netutil.bind_sockets({port}, "127.0.0.1"))
            await asyncio.Event().wait()

        asyncio.run(main())
        """)
    proc = subprocess.Popen([PY, "-c", serve], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        body = None
        for _ in range(150):
            if proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/hello", timeout=2) as answer:
                    body = answer.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert body == "hello from the callback server", proc.stderr.read() if proc.poll() is not None else ""
        assert not listening(own)
    finally:
        proc.kill()
        proc.wait(timeout=10)
