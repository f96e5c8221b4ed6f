"""A Bottle tutorial's script serves bottle's default app with Paste's threaded server at import, outside any
`__main__` guard (`app = bottle.default_app()`, routes, then `httpserver.serve(app, host='localhost',
port=8080)`), with no dependency file. Paste's serve() was not known as a server start: the import check waited
for the import to end until its limit, and serve imported the module in the production server, where Paste
bound 8080 itself ("Address already in use", or the app's port taken from another). Now it is a development
server start made a no-op, like bottle.run() and waitress.serve(): the import check proves `form_paste:app` and
the server answers on the port Shipyard gives. Real installs of Bottle and Paste, served through nginx."""

from __future__ import annotations

import signal
import time

import pytest

from conftest import free_port, make_tree, require_tool
from serveutil import Running, get
from shipyard.detect import appscan, entry
from shipyard.project import Project

pytestmark = pytest.mark.slow

SCRIPT = '''\
from paste import httpserver
import bottle

app = bottle.default_app()


@app.route('/')
def index():
    return 'served by {server}'


httpserver.serve(app, host='localhost', port=8080)
'''


def test_paste_serve_at_import_is_a_server_start():
    scanned = appscan.scan("form_paste.py", SCRIPT.format(server="paste"))
    assert [(s.line, s.text) for s in scanned.server_starts] == [(12, "paste.httpserver.serve()")], scanned.server_starts


def test_the_app_object_is_the_entry_and_paste_never_binds(tmp_path):
    require_tool("nginx")
    root = make_tree(tmp_path / "paste_webserver", {"form_paste.py": SCRIPT.format(server="the production server")})
    found = entry.find(Project(root), None)
    assert (found.entry.target, found.entry.starts_server_on_import) == ("form_paste:app", True), found
    port = free_port()
    run = Running("serve", str(root), "--install", "--port", str(port))
    try:
        started = time.monotonic()
        assert run.wait_for(r"shipyard: serving .* at http://", 300), run.output
        assert "not proven" not in run.output and time.monotonic() - started < 300, run.output
        status, headers, body = get(f"http://127.0.0.1:{port}/")
        assert (status, body) == (200, "served by the production server"), (body, run.output)
        assert headers.get("Server", "").startswith("nginx"), headers
        assert run.stop(signal.SIGTERM, timeout=60) == 0, run.output
    finally:
        run.discard()
