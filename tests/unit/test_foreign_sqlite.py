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
