"""A factory that makes a WSGI app and serves it itself with wsgiref (`def create_app(): app = falcon.App(); ...;
make_server('', 9000, app).serve_forever()`, returning nothing, called under `__main__`): no app a server could
load, so the script is the entry, run through shipyard_entry.py with wsgiref's make_server given the port
Shipyard gives. The shim runs for real (Falcon from the dev environment, wsgiref from the standard library)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import free_port
from shipyard.detect import appscan, entry
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.render import Target, render

from test_script_entries import first_answer

FACTORY = '''\
from wsgiref.simple_server import make_server
import falcon


class Users:
    def on_get(self, req, resp):
        resp.text = "users on %d" % int(req.env["SERVER_PORT"])


def create_app():
    app = falcon.App()
    app.add_route("/", Users())
    {serve}


if __name__ == "__main__":
    create_app()
'''
NAMED = "httpd = make_server('', 9000, app)\n    httpd.serve_forever()"
CHAINED = "make_server('', 9000, app).serve_forever()"


def write(root: Path, serve: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "app.py").write_text(FACTORY.format(serve=serve))
    return root


def test_a_factory_serving_its_app_with_make_server_is_an_own_server():
    for serve in (NAMED, CHAINED):
        scanned = appscan.scan("app.py", FACTORY.format(serve=serve))
        assert [(s.function, s.framework, s.interface) for s in scanned.own_servers] == \
            [("create_app", "falcon", "wsgi")], serve


def test_the_script_is_the_entry_and_its_make_server_is_given_the_port(tmp_path):
    root = write(tmp_path / "tracker", NAMED)
    found = entry.find(Project(root), None)
    assert (found.framework, found.entry.kind, found.entry.port_from) == ("falcon", "script", "listen")
    assert any("gives the wsgiref make_server it calls the port" in n for n in found.notes), found.notes
    plan = make_plan(root, confirm=False).with_settings(topology="app")
    local = render(plan, Target.local(root, tmp_path / "run", tmp_path / "venv"))
    shim = local["shipyard_entry.py"]
    assert "rebind_wsgiref(PORT, HOST)" in shim and "rebind_aiohttp" not in shim
    (tmp_path / "shim.py").write_text(shim)
    given = free_port()
    proc = subprocess.Popen([sys.executable, str(tmp_path / "shim.py")], cwd=root, env={"PORT": str(given)},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    body, output = first_answer(proc, given)
    assert body == f"users on {given}", output


def test_a_module_level_app_served_by_make_server_under_main_is_still_the_app(tmp_path):
    root = tmp_path / "plain"
    root.mkdir()
    (root / "app.py").write_text(textwrap.dedent('''\
        from wsgiref.simple_server import make_server
        import falcon

        app = falcon.App()

        if __name__ == "__main__":
            make_server("", 9000, app).serve_forever()
        '''))
    found = entry.find(Project(root), None)
    assert (found.entry.target, found.entry.kind) == ("app:app", "attribute")
