"""`shipyard dev`: the framework's debug server reloads when the app's code changes."""

from __future__ import annotations

import shutil
import signal
import socket
import time

import pytest

from conftest import FIXTURES, copy_example, free_port
from serveutil import Running, get, kill_mentioning, wait_status

pytestmark = pytest.mark.slow


@pytest.fixture
def hello_copy(tmp_path):
    app = tmp_path / "hello"
    copy_example("hello", app)
    yield app
    kill_mentioning(str(app))


def _pids_in(folder) -> list[int]:
    """Processes running with their current directory inside `folder` (the dev server and its reloader)."""
    from pathlib import Path
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cwd = (entry / "cwd").resolve()
            except OSError:
                continue
            if str(cwd).startswith(str(folder)):
                found.append(int(entry.name))
    return found


def test_dev_reloads_on_code_change_and_stops_cleanly(hello_copy):
    port = free_port()
    run = Running("dev", str(hello_copy), "--port", str(port))
    try:
        first = wait_status(f"http://127.0.0.1:{port}/", 60)
        assert first and "Hello from Shipyard" in first[2], run.output
        assert run.wait_for(r"Flask's debug server", 5), run.output
        source = hello_copy / "my_app" / "__init__.py"
        source.write_text(source.read_text().replace(
            'return render_template("index.html")', 'return "edited while running\\n"'))
        deadline = time.monotonic() + 45      # the reloader polls each second; a loaded machine re-imports slowly
        body = ""
        while time.monotonic() < deadline:
            try:
                status, _, body = get(f"http://127.0.0.1:{port}/", timeout=3)
                if "edited while running" in body:
                    break
            except OSError:
                pass
            time.sleep(0.3)
        assert "edited while running" in body, f"last answer: {body[:200]!r}\n{run.output}"
        assert run.stop(signal.SIGINT, timeout=30) == 0, run.output
        deadline = time.monotonic() + 20
        while _pids_in(hello_copy) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _pids_in(hello_copy) == [], run.output
    finally:
        run.kill()


def test_dev_refuses_a_port_in_use(hello_copy):
    port = free_port()
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", port))
        holder.listen()
        run = Running("dev", str(hello_copy), "--port", str(port))
        try:
            code = run.proc.wait(60)
        finally:
            run.kill()
    assert code != 0
    assert f"port {port} is already in use" in run.output


def test_dev_debugger_opens_a_debugpy_port(hello_copy):
    port, debug_port = free_port(), free_port()
    run = Running("dev", str(hello_copy), "--port", str(port), "--debugger", str(debug_port))
    try:
        assert wait_status(f"http://127.0.0.1:{port}/", 60), run.output
        with socket.create_connection(("127.0.0.1", debug_port), timeout=5):
            pass
        assert run.stop(signal.SIGTERM, timeout=30) == 0, run.output
    finally:
        run.kill()


def test_dev_gives_an_aiohttp_devtools_app_the_debug_toolbar_production_leaves_out(tmp_path):
    # get_app() sets up aiohttp_debugtoolbar, which the app does not declare: dev brings it (and gunicorn, for
    # aiohttp's worker) from the cached overlay, where serve and the image give it a stand-in; its argparse, which
    # refuses options it does not know, sees a bare command line, not gunicorn's --reload, --bind...
    app = tmp_path / "devtools"
    shutil.copytree(FIXTURES / "apps" / "aiohttp_devtools_get_app", app)
    port = free_port()
    run = Running("dev", str(app), "--port", str(port))
    try:
        first = wait_status(f"http://127.0.0.1:{port}/", 180)
        assert first and "hello from the config file of an aiohttp-devtools app" in first[2], run.output
        assert get(f"http://127.0.0.1:{port}/_debugtoolbar")[0] == 200, run.output
        assert run.stop(signal.SIGTERM, timeout=30) == 0, run.output
    finally:
        run.kill()
        kill_mentioning(str(app))


def test_dev_serves_a_bottle_script_that_runs_the_default_app_at_import(tmp_path):
    """app/main.py ends with bottle's run(..., reloader=True) at module level: dev loads bottle's default app
    through the generated shipyard_entry.py (its run() a no-op) under werkzeug's reloader, from the root where
    views/ is, with app/ on sys.path for its sibling import."""
    app = tmp_path / "bottle_script"
    (app / "app").mkdir(parents=True)
    (app / "views").mkdir()
    own_port = free_port()
    (app / "requirements.txt").write_text("bottle\nwerkzeug\n")
    (app / "app" / "__init__.py").write_text("")
    (app / "app" / "db.py").write_text('GREETING = "served by dev"\n')
    (app / "views" / "home.tpl").write_text("<p>{{greeting}}</p>\n")
    (app / "app" / "main.py").write_text(
        "from bottle import route, run, template\nfrom db import GREETING\n\n\n@route('/')\ndef home():\n"
        "    return template('home.tpl', greeting=GREETING)\n\n\n"
        f"run(host='127.0.0.1', port={own_port}, debug=True, reloader=True)\n")
    port = free_port()
    run = Running("dev", str(app), "--port", str(port))
    try:
        answer = wait_status(f"http://127.0.0.1:{port}/", 120)
        assert answer and answer[0] == 200 and answer[2] == "<p>served by dev</p>\n", run.output
        assert run.wait_for(r"werkzeug's development server", 5), run.output
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", own_port)) != 0, "the script's own run() was started"
        assert run.stop(signal.SIGINT, timeout=30) == 0, run.output
    finally:
        run.kill()
        kill_mentioning(str(app))


def test_dev_serves_a_tornado_script_that_listens_on_a_port_of_its_own_and_reloads_it(tmp_path):
    """server.py calls app.listen(N) with N written in it (no tornado.options, no PORT): dev runs it through
    shipyard_entry.py under tornado.autoreload, its listen call bound to dev's port; its Application's
    debug mode still restarts it when the script changes (runpy runs it as __main__, which autoreload watches)."""
    app = tmp_path / "tornado_own_port"
    app.mkdir()
    own_port = free_port()
    (app / "requirements.txt").write_text("tornado\n")
    script = app / "server.py"
    script.write_text(
        "import tornado.ioloop\nimport tornado.web\n\n\nclass Home(tornado.web.RequestHandler):\n"
        "    def get(self):\n        self.write('first answer')\n\n\ndef main():\n"
        "    app = tornado.web.Application([(r'/', Home)], debug=True)\n"
        f"    app.listen({own_port})\n    tornado.ioloop.IOLoop.current().start()\n\n\n"
        "if __name__ == '__main__':\n    main()\n")
    port = free_port()
    run = Running("dev", str(app), "--port", str(port))
    try:
        answer = wait_status(f"http://127.0.0.1:{port}/", 120)
        assert answer and answer[2] == "first answer", run.output
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", own_port)) != 0, "the script listened on its own port"
        time.sleep(1)       # tornado's autoreload compares modification times, checked every 500 ms
        script.write_text(script.read_text().replace("first answer", "edited while running"))
        deadline, body = time.monotonic() + 20, ""
        while time.monotonic() < deadline and body != "edited while running":
            try:
                body = get(f"http://127.0.0.1:{port}/", timeout=3)[2]
            except OSError:
                pass
            time.sleep(0.3)
        assert body == "edited while running", run.output
    finally:
        run.kill()
        kill_mentioning(str(app))


@pytest.mark.parametrize("case, said, how", [
    ("aiohttp_run_script", "hello from an aiohttp run script on 127.0.0.1 {port}", "its own aiohttp server; no reloader"),
    ("tornado_console_script", "hello from the tornado console script serve_todo on 127.0.0.1 {port}",
     "the console script serve_todo under tornado.autoreload"),
])
def test_dev_runs_a_script_that_starts_the_server_through_the_package_on_devs_port(tmp_path, case, said, how):
    """runserver.py calling the package's main(config) that ends in web.run_app (not gunicorn, which has no app
    object to load), and a console script's package function: both through shipyard_entry.py on dev's port."""
    app = shutil.copytree(FIXTURES / "apps" / case, tmp_path / case)
    port = free_port()
    run = Running("dev", str(app), "--port", str(port))
    try:
        answer = wait_status(f"http://127.0.0.1:{port}/", 120)
        assert answer and answer[2] == said.format(port=port), run.output
        assert how in run.output
    finally:
        run.kill()
        kill_mentioning(str(app))


def test_dev_runs_the_debug_server_of_an_app_pinned_to_a_flask_without_the_app_option(tmp_path):
    """Flask 2.1 has neither `flask --app` nor `flask run --debug`: dev names the app and debug mode through
    FLASK_APP and FLASK_DEBUG, which every Flask CLI reads. A real install of the old releases."""
    app = tmp_path / "oldflask"
    app.mkdir()
    (app / "requirements.txt").write_text("Flask==2.1.3\nWerkzeug==2.1.2\n")
    (app / "service.py").write_text(
        "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n\n"
        "    @app.route('/')\n    def home():\n        return f'old flask, debug={app.debug}'\n\n    return app\n")
    port = free_port()
    run = Running("dev", "--install", "--entry", "service:create_app()", str(app), "--port", str(port))
    try:
        first = wait_status(f"http://127.0.0.1:{port}/", 240)
        assert first and first[2] == "old flask, debug=True", run.output
        assert "No such option" not in run.output, run.output
        assert run.stop(signal.SIGTERM, timeout=30) == 0, run.output
    finally:
        run.kill()
        kill_mentioning(str(app))
