"""An app that keeps its data in SQLite and writes to it when it is imported (a Django wsgi.py that saves every
row, a create_all() with seed rows) must start under the generated gunicorn.conf.py with several workers: gunicorn
forks them together, each imports the app, and SQLite lets one writer at a time hold its lock, so a worker that
waits past its busy timeout dies with "database is locked" and gunicorn stops ("Worker failed to boot"). The
workers load the app one after another instead. uWSGI's workers import the app themselves too (lazy-apps), never
sharing one the master imported with its open connections, and likewise one after another."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace

import plans
from conftest import free_port, get_over_socket, require_tool, stop_process
from shipyard.render import render
from shipyard.render.target import Target

# each import holds SQLite's write lock for a while and gives up on a lock held elsewhere after 0.2 s
APP = """import os, sqlite3, time

db = sqlite3.connect("app.db", timeout=0.2, isolation_level=None)
db.execute("CREATE TABLE IF NOT EXISTS loads (at REAL, pid INTEGER)")
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT INTO loads VALUES (?, ?)", (time.time(), os.getpid()))
time.sleep(0.6)
db.execute("COMMIT")
db.close()


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"loaded"]
"""


def test_workers_of_an_app_writing_sqlite_at_import_load_it_one_after_another(tmp_path):
    require_tool("gunicorn")
    (tmp_path / "app.py").write_text(APP)
    text = render(replace(plans.flask_wsgi(server="gunicorn"), sqlite="sqlite:/// URL in app.py"),
                  only=("gunicorn.conf.py",))["gunicorn.conf.py"]
    conf = tmp_path / "gunicorn.conf.py"
    conf.write_text(text)
    sock, log = tmp_path / "app.sock", tmp_path / "gunicorn.log"
    env = {"PATH": "/usr/bin:/bin", "SHIPYARD_CHDIR": str(tmp_path), "SHIPYARD_BIND": f"unix:{sock}",
           "WEB_CONCURRENCY": "3"}
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(conf)], cwd=tmp_path, env=env,
                                stdout=out, stderr=out)
    try:
        answer = get_over_socket(sock, proc)
        loads = len(_loads_of_three_workers(tmp_path / "app.db", proc))
        alive = proc.poll() is None
    finally:
        stop_process(proc)
    output = log.read_text()
    assert answer.startswith(b"HTTP/1.1 200") and alive and loads == 3, (answer, loads, output[-3000:])
    assert "database is locked" not in output
    # an app with no SQLite keeps gunicorn's own start: every worker at once
    assert "_load_in_turn" not in render(plans.flask_wsgi(server="gunicorn"), only=("gunicorn.conf.py",))["gunicorn.conf.py"]


def _loads_of_three_workers(db_file, proc: subprocess.Popen) -> list[int]:
    """The pids that imported the app, once three have (the other workers load theirs in turn) or the server died."""
    pids: list[int] = []
    for _ in range(40):
        with sqlite3.connect(db_file, timeout=5) as db:
            try:
                pids = [pid for (pid,) in db.execute("SELECT pid FROM loads")]
            except sqlite3.OperationalError:       # no table yet: no worker has imported the app
                pass
        if len(pids) == 3 or proc.poll() is not None:
            break
        time.sleep(0.2)
    return pids


def test_uwsgi_workers_each_import_the_app_one_after_another(tmp_path):
    uwsgi = require_tool("uwsgi")
    app, run = tmp_path / "app", tmp_path / "run"
    app.mkdir()
    run.mkdir()
    (app / "app.py").write_text(APP)
    port = free_port()
    target = Target.local(app, run, sys.prefix)
    plan = replace(plans.flask_wsgi(server="uwsgi", topology="app", port=port), sqlite="sqlite:/// URL in app.py")
    for name, text in render(plan, target, only=("uwsgi.ini", "shipyard_runtime.py")).items():
        (run / name).write_text(text)
    log = tmp_path / "uwsgi.log"
    with log.open("w") as out:
        proc = subprocess.Popen([uwsgi, "--ini", str(run / "uwsgi.ini")], cwd=app, stdout=out, stderr=out,
                                env={"PATH": os.environ["PATH"], "WEB_CONCURRENCY": "3"})
    try:
        pids = _loads_of_three_workers(app / "app.db", proc)
        alive = proc.poll() is None
    finally:
        stop_process(proc)
    output = log.read_text()
    # three imports, each in its own process and none in the master (uWSGI's pid), and no worker lost
    assert alive and len(set(pids)) == 3 and proc.pid not in pids, (pids, output[-3000:])
    assert "database is locked" not in output
