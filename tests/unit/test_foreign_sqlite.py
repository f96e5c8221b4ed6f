"""SQLite URLs the code writes with an absolute path on its author's machine (detect/foreign_sqlite.py): said once
each, with the line, the project's file of that name and what to write instead; a path whose folder exists here, a
relative one, or a URL in a test is not."""

from __future__ import annotations

from shipyard.detect.foreign_sqlite import MARK, foreign_sqlite_notes
from shipyard.project import Project

from conftest import make_tree

FACTORY = ("from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n\n\n"
           "def create_app():\n    app = Flask(__name__)\n    app.config['SQLALCHEMY_DATABASE_URI'] = {url!r}\n"
           "    db.init_app(app)\n    return app\n")


def test_an_absolute_sqlite_path_of_another_machine_is_said_with_the_projects_file_of_that_name(tmp_path):
    make_tree(tmp_path, {
        "app/__init__.py": FACTORY.format(url="sqlite:////mnt/c/Users/Home/Desktop/side/shortener/urls.db"),
        "app/app.py": "from . import create_app\n\napp = create_app()\n",
        "urls.db": "",
        "tests/test_app.py": "URL = 'sqlite:////nowhere/at/all/test.db'\n",
    })
    notes = foreign_sqlite_notes(Project(tmp_path))
    assert len(notes) == 1, notes
    assert notes[0].startswith(f"app/__init__.py:9 {MARK} /mnt/c/Users/Home/Desktop/side/shortener/urls.db, in a "
                               "folder this machine does not have"), notes
    assert "the project has urls.db" in notes[0] and "a relative sqlite:///urls.db" in notes[0]


def test_a_windows_path_is_foreign_and_a_folder_that_exists_or_a_relative_path_is_not(tmp_path):
    make_tree(tmp_path, {"app.py": FACTORY.format(url="sqlite:///C:\\Users\\me\\proj\\site.db")})
    notes = foreign_sqlite_notes(Project(tmp_path))
    assert len(notes) == 1 and "C:\\Users\\me\\proj\\site.db" in notes[0] and "sqlite:///site.db" in notes[0], notes
    assert "the project has" not in notes[0]
    (tmp_path / "app.py").write_text(FACTORY.format(url=f"sqlite:///{tmp_path}/site.db"))   # its folder exists
    assert foreign_sqlite_notes(Project(tmp_path)) == ()
    (tmp_path / "app.py").write_text(FACTORY.format(url="sqlite:///site.db"))
    assert foreign_sqlite_notes(Project(tmp_path)) == ()


def test_serve_opens_the_projects_file_of_that_name_in_the_apps_process(tmp_path):
    # the URL shortener's shape: the author's path names the committed urls.db; serve's app process opens it there
    import sqlite3
    import subprocess
    import sys

    from shipyard.detect.foreign_sqlite import served_paths
    from shipyard.run.host_aliases import sqlite_paths_env

    written = "/mnt/c/Users/Home/Desktop/side/shortener/urls.db"
    app = make_tree(tmp_path / "app", {"shortener/__init__.py": FACTORY.format(url=f"sqlite:///{written}"),
                                       "urls.db": ""})
    sqlite3.connect(app / "urls.db").execute("CREATE TABLE url (short TEXT)").connection.commit()
    served = served_paths(Project(app), tmp_path / "data")
    assert served == {written: str(app / "urls.db")}
    env = sqlite_paths_env(served, tmp_path / "run", {"PATH": "/usr/bin:/bin"})
    code = (f"import sqlite3\nc = sqlite3.connect({written!r})\nc.execute(\"INSERT INTO url VALUES ('knaw7k')\")\n"
            "c.commit()\nprint(c.execute('SELECT count(*) FROM url').fetchone()[0])\n")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "1", done.stderr
    assert sqlite3.connect(app / "urls.db").execute("SELECT short FROM url").fetchall() == [("knaw7k",)]
    # no such file in the project: the name in Shipyard's data folder for the app
    (app / "urls.db").unlink()
    assert served_paths(Project(app), tmp_path / "data") == {written: str(tmp_path / "data" / "urls.db")}
    assert sqlite_paths_env({}, tmp_path / "run", {}) == {}


def test_the_image_opens_the_projects_file_of_that_name_as_serve_does(tmp_path, monkeypatch):
    # the same shape built into an image: serve mapped the author's path and the image did not ("unable to open
    # database file" on every request that used the database). Its ENV holds no line break: one variable a path
    import sqlite3
    import subprocess
    import sys

    from shipyard.plan import Plan
    from shipyard.planner import make_plan
    from shipyard.render import Target, render
    from shipyard.run.host_aliases import SITECUSTOMIZE

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    written = "/mnt/c/Users/Home/Desktop/side/shortener/urls.db"
    windows = "C:\\Users\\me\\proj\\site.db"
    app = make_tree(tmp_path / "app", {
        "shortener/__init__.py": FACTORY.format(url=f"sqlite:///{written}"),
        "wsgi.py": "from shortener import create_app\n\napp = create_app()\n",
        "shortener/other.py": f"URL = {'sqlite:///' + windows!r}\n",
        "urls.db": "",
        "requirements.txt": "flask\nflask-sqlalchemy\n",
    })
    plan = make_plan(app, confirm=False, installed=False)
    assert plan.foreign_sqlite == ((written, "urls.db"), (windows, "")) and Plan.from_json(plan.to_json()) == plan
    files = render(plan, Target.image())
    assert f'SHIPYARD_SQLITE_PATHS_1="{written}=/app/urls.db"' in files["Dockerfile"]
    assert 'SHIPYARD_SQLITE_PATHS_2="C:\\\\Users\\\\me\\\\proj\\\\site.db=/app/site.db"' in files["Dockerfile"]
    assert 'PYTHONPATH="/app/shipyard_boot"' in files["Dockerfile"]
    assert files["shipyard_boot/sitecustomize.py"].endswith(SITECUSTOMIZE)
    # the container's process, as Docker sets the ENV: the written path opens the file the image has
    boot = make_tree(tmp_path / "image", {"sitecustomize.py": files["shipyard_boot/sitecustomize.py"]})
    sqlite3.connect(app / "urls.db").execute("CREATE TABLE url (short TEXT)").connection.commit()
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(boot), "SHIPYARD_SQLITE_PATHS_1": f"{written}={app / 'urls.db'}"}
    code = f"import sqlite3\nprint(sqlite3.connect({written!r}).execute('SELECT count(*) FROM url').fetchone()[0])\n"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "0", done.stderr
    # serve's own run (a local target) gets none of it: its environment maps the paths
    assert "shipyard_boot/sitecustomize.py" in files and "SHIPYARD_SQLITE_PATHS" not in render(
        plan, Target.local(app, tmp_path / "run", tmp_path / "venv"), only=("supervisord.conf",))["supervisord.conf"]
