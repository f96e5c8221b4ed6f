"""`shipyard serve` on a clone whose own package is a git submodule the clone did not fetch (an empty folder):
the first page's error says so, not "install the package", with real gunicorn and a real git clone."""

from __future__ import annotations

import signal
import subprocess
import textwrap
from pathlib import Path

import pytest

from conftest import free_port
from serveutil import Running

pytestmark = pytest.mark.slow

COMMIT = "cd41dab96ebe6a0d5dcb2c50fa4de8d652fcfae6"   # any id: git records a gitlink without having the commit


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args], check=True,
                   capture_output=True)


def clone_with_unfetched(tmp_path: Path, files: dict[str, str]) -> Path:
    """A clone of a repository holding `files` and a gitlink `reports` that no .gitmodules names: an empty folder."""
    origin = tmp_path / "origin"
    origin.mkdir()
    for name, text in files.items():
        (origin / name).write_text(textwrap.dedent(text))
    git(origin, "init", "-q")
    git(origin, "add", ".")
    git(origin, "update-index", "--add", "--cacheinfo", f"160000,{COMMIT},reports")
    git(origin, "commit", "-q", "-m", "app")
    app = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(origin), str(app)], check=True, capture_output=True)
    return app


def stopped(run: Running) -> None:
    run.discard()


def test_a_server_exiting_on_an_unfetched_submodule_says_so(tmp_path):
    # the app module imports (the proof passes); the server's own start-up code imports the empty package
    app = clone_with_unfetched(tmp_path, {
        "requirements.txt": "Flask\n",
        "app.py": """\
            from flask import Flask

            app = Flask(__name__)
            """,
        "gunicorn.conf.py": """\
            import os
            bind = [os.environ.get("SHIPYARD_BIND", "127.0.0.1:8000")]
            wsgi_app = "app:app"


            def post_worker_init(worker):
                import reports.jobs  # noqa: F401
            """})
    run = Running("serve", str(app), "--port", str(free_port()), "--no-nginx", "--workers", "1", "--server",
                  "gunicorn")
    try:
        code = run.proc.wait(120)
        assert code != 0, run.output
        error = next(l for l in run.lines if l.startswith("shipyard serve: error"))
        assert "No module named 'reports.jobs'" in error, run.output
        assert "reports/ is empty: the repository records it as a git submodule" in error, error
        assert "pip install" not in error, error
    finally:
        stopped(run)


def test_a_page_importing_an_unfetched_submodule_says_so(tmp_path):
    # the package is imported as the page answers (Django imports an app's urls at the first request): the empty
    # folder imports as a namespace package, its module does not
    app = clone_with_unfetched(tmp_path, {
        "requirements.txt": "Flask\n",
        "app.py": """\
            from flask import Flask

            app = Flask(__name__)


            @app.route("/")
            def index():
                from reports import views
                return views.index()
            """})
    run = Running("serve", str(app), "--port", str(free_port()), "--no-nginx", "--workers", "1", "--server",
                  "gunicorn")
    try:
        assert run.wait_for(r"warning: GET / answers 500", 90), run.output
        line = next(l for l in run.lines if "warning: GET / answers 500" in l)
        assert "cannot import name 'views' from 'reports' (unknown location)" in line, line
        assert "reports/ is empty: the repository records it as a git submodule but its .gitmodules does not " \
               "name it" in line, line
        assert "install the package" not in line, line
        assert run.stop(signal.SIGINT) == 0, run.output
    finally:
        stopped(run)
