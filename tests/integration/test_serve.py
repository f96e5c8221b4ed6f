"""`shipyard serve` with real supervisord, granian (the default), gunicorn, uWSGI and Debian's nginx, on the
hello example."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import textwrap
import threading
import time
from pathlib import Path

import pytest

from conftest import copy_example, free_port, require_tool
from serveutil import SHIPYARD, get, processes_mentioning, wait_status

pytestmark = pytest.mark.slow


def nginx_etag(path: Path) -> str:
    # nginx's ETag is "<mtime in hex>-<size in hex>": computed from the file on disk, never by the app
    st = path.stat()
    return f'"{int(st.st_mtime):x}-{st.st_size:x}"'


@pytest.fixture(scope="module")
def hello(tmp_path_factory) -> Path:
    """examples/hello as shipped: a copy, so a .venv a user made there neither helps nor breaks the tests."""
    return copy_example("hello", tmp_path_factory.mktemp("examples") / "hello")


# the program name each server's processes carry on their command line
SERVER_PROGRAM = {"granian": "granian", "gunicorn": "gunicorn", "uwsgi": "uwsgi"}


@pytest.mark.parametrize("server", [None, "gunicorn", "uwsgi"], ids=["default-granian", "gunicorn", "uwsgi"])
def test_serve_behind_nginx_survives_worker_kill_and_stops_gracefully(serving, server, hello):
    require_tool("nginx")
    port = free_port()
    run = serving(str(hello), "--port", str(port), "--workers", "2", *(["--server", server] if server else []))
    assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 90), run.output
    server = server or "granian"
    assert f"nginx in front of {server}" in run.output
    run_dir = run.run_dir()
    base = f"http://127.0.0.1:{port}"

    # 1. the app, through nginx
    status, headers, body = get(base + "/")
    assert status == 200 and "Hello from Shipyard" in body
    assert headers.get("Server", "").startswith("nginx")

    # 2. a static file served by nginx itself: nginx's ETag of the file on disk (Flask's has a checksum part)
    status, headers, body = get(base + "/static/style.css")
    assert status == 200 and "font-family" in body
    assert headers.get("ETag") == nginx_etag(hello / "my_app" / "static" / "style.css"), headers

    # 3. the app server is reachable only through nginx: a unix socket, no TCP port of its own
    assert not any("--port" in cmd or ":8000" in cmd for _, cmd in processes_mentioning(run_dir)
                   if SERVER_PROGRAM[server] in cmd)

    # 4. kill -9 one worker: the next requests still succeed, and the server starts a new worker
    mine = [pid for pid, cmd in processes_mentioning(run_dir) if SERVER_PROGRAM[server] in cmd]
    masters = [pid for pid in mine if _ppid(pid) not in mine]
    workers = [pid for pid in mine if _ppid(pid) in mine]
    assert len(masters) == 1 and len(workers) == 2, (mine, run.output)
    os.kill(workers[0], signal.SIGKILL)
    for _ in range(20):
        status, _, body = get(base + "/")
        assert status == 200 and "Hello from Shipyard" in body
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        now = [pid for pid, cmd in processes_mentioning(run_dir) if SERVER_PROGRAM[server] in cmd]
        if len([pid for pid in now if _ppid(pid) in now and pid != workers[0]]) == 2:
            break
        time.sleep(0.5)
    else:
        raise AssertionError(f"{server} did not replace the killed worker: {now}\n{run.output}")

    # 5. SIGTERM while a slow request is in flight: it completes with 200, then the tree exits 0, nothing left
    result: dict = {}
    slow = threading.Thread(target=lambda: result.update(zip(("status", "headers", "body"),
                                                             get(base + "/slow?seconds=3", timeout=30))))
    slow.start()
    time.sleep(1.0)
    started = time.monotonic()
    code = run.stop(signal.SIGTERM, timeout=60)
    slow.join(30)
    assert result.get("status") == 200 and "slept 3s" in result.get("body", ""), (result, run.output)
    assert code == 0, run.output
    assert time.monotonic() - started < 30
    assert processes_mentioning(run_dir) == []
    assert not Path(run_dir).exists()


def _ppid(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError):
        return -1


def test_port_in_use_fails_fast_before_starting_anything(serving, hello):
    port = free_port()
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", port))
        holder.listen()
        started = time.monotonic()
        run = serving(str(hello), "--port", str(port))
        code = run.proc.wait(60)
        run.stop()
    assert code != 0
    assert f"port {port} is already in use" in run.output
    assert "starting" not in run.output and "supervisord" not in run.output
    assert time.monotonic() - started < 30


def test_no_nginx_serves_the_app_server_alone_restarts_it_and_ctrl_c_exits_0(serving, hello):
    port = free_port()
    run = serving(str(hello), "--port", str(port), "--no-nginx", "--workers", "1", "--server", "gunicorn")
    assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 90), run.output
    assert "nginx" not in " ".join(l for l in run.lines if "starting" in l)
    run_dir = run.run_dir()
    status, headers, body = get(f"http://127.0.0.1:{port}/")
    assert status == 200 and "Hello from Shipyard" in body
    assert headers.get("Server", "").startswith("gunicorn")

    # kill -9 the server itself (gunicorn's master): supervisord starts a new one, and Shipyard says so
    gunicorns = [pid for pid, cmd in processes_mentioning(run_dir) if "gunicorn" in cmd]
    master = next(pid for pid in gunicorns if _ppid(pid) not in gunicorns)
    os.kill(master, signal.SIGKILL)
    assert wait_status(f"http://127.0.0.1:{port}/", 30), run.output
    assert run.wait_for(r"app died and was restarted by supervisord", 10), run.output
    assert run.stop(signal.SIGINT) == 0, run.output
    assert processes_mentioning(run_dir) == []


def test_a_first_page_that_fails_is_said_with_its_cause(serving, tmp_path):
    # the app loads, but its page needs a database driver nobody declared (a MySQL URL in its production config)
    app = tmp_path / "nodriver"
    app.mkdir()
    (app / "requirements.txt").write_text("Flask\n")
    (app / "app.py").write_text(textwrap.dedent("""\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/")
        def index():
            import MySQLdb_missing_driver  # noqa: F401
            return "never"
        """))
    port = free_port()
    run = serving(str(app), "--port", str(port), "--no-nginx", "--workers", "1", "--server", "gunicorn")
    assert run.wait_for(r"warning: GET / answers 500", 90), run.output
    line = next(l for l in run.lines if "warning: GET / answers 500" in l)
    assert "ModuleNotFoundError: No module named 'MySQLdb_missing_driver'" in line, line
    assert "install the package that provides MySQLdb_missing_driver" in line, line
    assert run.stop(signal.SIGINT) == 0, run.output


def test_app_crashing_on_boot_shows_its_error_and_stops_the_tree(serving, tmp_path):
    # The module imports (the import check passes) but the app crashes as soon as a server starts it:
    # gunicorn's hook calls the app's own start-up code.
    app = tmp_path / "crashy"
    app.mkdir()
    (app / "requirements.txt").write_text("Flask\n")
    (app / "app.py").write_text(textwrap.dedent("""\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/")
        def index():
            return "never"
        """))
    (app / "gunicorn.conf.py").write_text(textwrap.dedent("""\
        import os
        bind = [os.environ.get("SHIPYARD_BIND", "127.0.0.1:8000")]
        wsgi_app = "app:app"


        def post_worker_init(worker):
            raise RuntimeError("database schema is missing: run migrations first")
        """))
    port = free_port()
    run = serving(str(app), "--port", str(port), "--no-nginx", "--workers", "1", "--server", "gunicorn")
    code = run.proc.wait(90)
    run.stop()
    assert code != 0, run.output
    assert "RuntimeError: database schema is missing" in run.output
    # one start, no loop of silent restarts
    assert run.output.count("Booting worker") <= 2, run.output
    run_dir = run.run_dir()
    assert processes_mentioning(run_dir) == []
    assert not Path(run_dir).exists()


def test_serve_after_init_runs_the_apps_own_gunicorn_conf_from_its_folder(serving, tmp_path):
    """`shipyard init --server gunicorn` writes gunicorn.conf.py with the image's folder (/app) as chdir, which
    gunicorn checks while loading the file; serve runs that file unchanged, from the app's folder here."""
    require_tool("nginx")
    app = copy_example("hello", tmp_path / "hello")
    init = subprocess.run([*SHIPYARD, "init", str(app), "--server", "gunicorn"], capture_output=True, text=True,
                          timeout=300)
    assert init.returncode == 0, init.stdout + init.stderr
    own = (app / "gunicorn.conf.py").read_text()
    assert '"/app"' in own and "SHIPYARD_CHDIR" in own, own
    port = free_port()
    run = serving(str(app), "--port", str(port), "--server", "gunicorn", "--workers", "1")
    assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 120), run.output
    assert "the app's gunicorn.conf.py" in run.output, run.output
    assert get(f"http://127.0.0.1:{port}/")[0] == 200
    assert run.stop(signal.SIGINT) == 0, run.output


def test_serve_names_the_fix_for_a_gunicorn_conf_whose_chdir_is_the_images_folder(tmp_path):
    """A gunicorn.conf.py from an older `shipyard init` says chdir = "/app": one line that says how to update
    it, not gunicorn's "can't chdir"."""
    app = copy_example("hello", tmp_path / "hello")
    (app / "gunicorn.conf.py").write_text('chdir = "/app-not-on-this-machine"\nwsgi_app = "app:app"\n')
    done = subprocess.run([*SHIPYARD, "serve", str(app), "--server", "gunicorn", "--no-nginx",
                           "--port", str(free_port())], capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    assert "chdir = '/app-not-on-this-machine'" in last and "shipyard init" in last, done.stderr


def test_app_failing_to_import_under_granian_shows_the_error_once_and_stops(serving, tmp_path):
    # granian (the default) imports the app in each worker; a module that fails there must stop the tree
    # with granian's own error, not loop through respawns. It fails only where granian runs it, behind nginx (on
    # the socket serve gives it): serve's own import check gives PORT too (an app may read it at import)
    require_tool("nginx")
    app = tmp_path / "brokenimport"
    app.mkdir()
    (app / "requirements.txt").write_text("Flask\n")
    (app / "app.py").write_text(textwrap.dedent("""\
        import os
        from flask import Flask

        app = Flask(__name__)
        if os.environ.get("SHIPYARD_SOCKET"):
            raise RuntimeError("SECRET_KEY is not set")
        """))
    port = free_port()
    run = serving(str(app), "--port", str(port), "--entry", "app:app")
    code = run.proc.wait(90)
    run.stop()
    assert code != 0, run.output
    assert "RuntimeError: SECRET_KEY is not set" in run.output, run.output
    # granian stops by itself ("crash loop detected"), and supervisord does not start it over and over
    assert run.output.count("Starting granian") <= 2, run.output
    run_dir = run.run_dir()
    assert processes_mentioning(run_dir) == []


def test_a_bottle_script_that_runs_the_default_app_at_import_is_served(serving, tmp_path):
    """app/main.py registers @route functions on bottle's default app and ends with run(..., debug=True,
    reloader=True), unguarded; its sibling db.py is imported as a top-level module and its templates are in
    views/ at the root. Served by granian behind nginx from the root, with the script's run() never started."""
    require_tool("nginx")
    app = tmp_path / "bottle_script"
    (app / "app").mkdir(parents=True)
    (app / "views").mkdir()
    dev_port = free_port()
    (app / "requirements.txt").write_text("bottle\n")
    (app / "app" / "__init__.py").write_text("")
    (app / "app" / "db.py").write_text('GREETING = "served by the production server"\n')
    (app / "views" / "home.tpl").write_text("<p>{{greeting}}</p>\n")
    (app / "app" / "main.py").write_text(textwrap.dedent(f"""\
        from bottle import route, run, template
        from db import GREETING


        @route("/")
        def home():
            return template("home.tpl", greeting=GREETING)


        run(host="127.0.0.1", port={dev_port}, debug=True, reloader=True)
        """))
    port = free_port()
    run = serving(str(app), "--port", str(port))
    assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 120), run.output
    status, headers, body = get(f"http://127.0.0.1:{port}/")
    assert status == 200 and body == "<p>served by the production server</p>\n", (status, body)
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", dev_port)) != 0, "the development server was started"
    assert run.stop(signal.SIGTERM) == 0, run.output


@pytest.mark.parametrize("server", ["granian", "gunicorn"])
def test_an_app_calling_app_run_at_import_is_still_served(serving, server, tmp_path):
    """app.run() at module level would start Flask's dev server inside every worker: the server imports the
    generated shipyard_entry.py instead, which turns that call into a no-op."""
    require_tool("nginx")
    app = tmp_path / "runs_at_import"
    app.mkdir()
    dev_port = free_port()
    (app / "app.py").write_text(textwrap.dedent(f"""\
        from flask import Flask

        app = Flask(__name__)


        @app.route("/")
        def index():
            return "served by the production server"


        app.run(host="127.0.0.1", port={dev_port})
        """))
    port = free_port()
    run = serving(str(app), "--port", str(port), "--server", server)
    assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 90), run.output
    status, headers, body = get(f"http://127.0.0.1:{port}/")
    assert status == 200 and body == "served by the production server"
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", dev_port)) != 0, "the development server was started"
    assert run.stop(signal.SIGTERM) == 0, run.output


def _answers(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex((host, port)) == 0


def test_nginx_listens_on_the_loopback_it_prints_unless_host_says_every_interface(serving, hello):
    """serve prints http://127.0.0.1:PORT/ and nginx listens there only (127.0.0.2, another address of this
    machine, is refused); --host 0.0.0.0 opens every interface and says so. The image's nginx.conf is unchanged."""
    require_tool("nginx")
    port = free_port()
    run = serving(str(hello), "--port", str(port))
    assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/ \(nginx in front of granian; Ctrl-C" % port, 90), \
        run.output
    assert _answers("127.0.0.1", port) and not _answers("127.0.0.2", port)
    assert f"listen 127.0.0.1:{port} backlog=" in (Path(run.run_dir()) / "nginx.conf").read_text()
    assert run.stop(signal.SIGINT) == 0, run.output

    port = free_port()
    run = serving(str(hello), "--port", str(port), "--host", "0.0.0.0")
    assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/ \(nginx in front of granian, listening on every "
                        r"interface" % port, 90), run.output
    assert _answers("127.0.0.2", port)
    assert get(f"http://127.0.0.2:{port}/")[0] == 200
    assert run.stop(signal.SIGINT) == 0, run.output

    bad = serving(str(hello), "--host", "localhost")
    assert bad.proc.wait(30) != 0 and "'localhost' is not an IPv4 address" in bad.output
