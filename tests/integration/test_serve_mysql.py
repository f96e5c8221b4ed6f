"""A MySQL app gets a MariaDB of its own under `serve`/`dev` (run/mysql_database.py, run/mariadb.py): this
machine's real mariadbd, the login the app writes (or one made for it, in DATABASE_URL), data kept between runs,
stopped on exit."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from shipyard.planner import make_plan
from shipyard.run import database, mariadb, mysql_database

from conftest import free_port, make_tree, require_tool
from serveutil import get, kill_mentioning, processes_mentioning, serving_with_data

# Flask-SQLAlchemy on PyMySQL, connecting with the login its config writes (a tutorial's, on the port given)
NOTES_APP = """
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "mysql+pymysql://notes:n0tes-pw@localhost:{port}/notes"
db = SQLAlchemy(app)


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    text = db.Column(db.String(200), nullable=False)


@app.route("/add/<text>")
def add(text):
    db.session.add(Note(text=text))
    db.session.commit()
    return "added"


@app.route("/")
def index():
    with app.app_context():
        db.create_all()
    return ",".join(n.text for n in Note.query.order_by(Note.id))
"""


# Django on PyMySQL (MySQLdb's stand-in), with the DATABASES a tutorial writes: root, its password, a port
DJANGO_FILES = {
    "requirements.txt": "Django>=5.0,<6\nPyMySQL\n",
    "manage.py": "import os, sys\n"
                 "if __name__ == '__main__':\n"
                 "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
                 "    from django.core.management import execute_from_command_line\n"
                 "    execute_from_command_line(sys.argv)\n",
    "mysite/__init__.py": "import pymysql\npymysql.install_as_MySQLdb()\n",
    "mysite/settings.py": """
        SECRET_KEY = "not-secret-for-the-test"
        DEBUG = False
        ALLOWED_HOSTS = ["*"]
        INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]
        ROOT_URLCONF = "mysite.urls"
        DATABASES = {
            "default": {
                "ENGINE": "django.db.backends.mysql",
                "NAME": "polls",
                "USER": "root",
                "PASSWORD": "password",
                "HOST": "localhost",
                "PORT": "{port}",
            }
        }
        """,
    "mysite/urls.py": """
        from django.contrib.auth.models import User
        from django.http import HttpResponse
        from django.urls import path

        def join(request, name):
            User.objects.create(username=name)
            return HttpResponse("joined")

        def index(request):
            return HttpResponse(",".join(User.objects.order_by("id").values_list("username", flat=True)))

        urlpatterns = [path("join/<str:name>", join), path("", index)]
        """,
    "mysite/wsgi.py": "import os\nfrom django.core.wsgi import get_wsgi_application\n"
                      "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
                      "application = get_wsgi_application()\n",
}


# raw PyMySQL with the tutorials' root login, on the port it leaves to the driver's default (3306)
SHOP_FILES = {
    "requirements.txt": "flask\npymysql\n",
    "app.py": """
        import pymysql
        from flask import Flask

        app = Flask(__name__)

        def conn():
            return pymysql.connect(host="127.0.0.1", user="root", password="s3cret", database="shop")
        """,
}


def mariadb_client(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["mariadb", "--no-defaults", "--batch", "--skip-column-names", *args],
                          capture_output=True, text=True, timeout=30)


@pytest.mark.slow
def test_serve_runs_the_apps_mariadb_with_the_login_it_writes_keeps_its_data_and_stops_it(tmp_path):
    require_tool("nginx")
    require_tool("mariadb-install-db")
    db_port = free_port()
    root = make_tree(tmp_path / "app", {"requirements.txt": "flask\nflask-sqlalchemy\npymysql\n",
                                        "app.py": NOTES_APP.replace("{port}", str(db_port))})
    data = tmp_path / "data"
    answers = []
    for n in range(2):
        # VIRTUAL_ENV unset: the app runs from the environment uv builds from its requirements (PyMySQL)
        with serving_with_data(root, data, {"VIRTUAL_ENV": ""}) as (run, port):
            said = run.wait_for(r"MariaDB [\d.]+ for app: database notes on 127\.0\.0\.1:(\d+) \(data in (\S+)\);", 1)
            assert said and int(said.group(1)) == db_port, run.output      # the port the app's URL writes
            assert Path(said.group(2)).parent == data / "shipyard" / "mysql"
            assert "app.py:5 writes the app's database: its MariaDB gets user notes with that password" in run.output
            assert ("creating the app's MariaDB database" in run.output) is (n == 0)
            assert get(f"http://127.0.0.1:{port}/add/note{n}")[::2] == (200, "added"), run.output
            answers.append(get(f"http://127.0.0.1:{port}/")[2])
        assert "stopped the app's MariaDB" in run.output
        assert processes_mentioning(said.group(2)) == []        # nothing of it outlives serve
    # the second run found what the first one wrote
    assert answers == ["note0", "note0,note1"]


def test_the_apps_root_login_and_a_made_one_reach_mariadb_over_tcp_and_the_data_stays(tmp_path, monkeypatch):
    """The tutorials' `root:secret@localhost` gets that password on TCP while the administrator keeps its socket
    login (the second run still manages the server); an app that writes no login gets one in DATABASE_URL."""
    require_tool("mariadb-install-db")
    monkeypatch.setattr(mysql_database, "DEFAULT_PORT", free_port())    # stands in for 3306, which it connects to
    root = make_tree(tmp_path / "shop", SHOP_FILES)
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.needs_mysql
    environ = {"XDG_DATA_HOME": str(tmp_path / "data"), "PATH": "/usr/sbin:/usr/bin:/bin"}
    for n in range(2):
        said: list[str] = []
        with database.app_database(plan, root, say=said.append, environ=environ) as db:
            assert db.own and db.parts["user"] == "root" and db.parts["database"] == "shop", said
            tcp = ["-h", "127.0.0.1", "-P", db.parts["port"], "-u", "root", "-ps3cret", "shop"]
            sql = "CREATE TABLE IF NOT EXISTS t (n INT); INSERT INTO t VALUES (%d); SELECT GROUP_CONCAT(n) FROM t" % n
            done = mariadb_client(*tcp, "-e", sql)
            assert done.returncode == 0 and done.stdout.strip() == ",".join(str(i) for i in range(n + 1)), done.stderr
            assert mariadb_client(*tcp[:-2], "-pwrong", "-e", "SELECT 1").returncode != 0
            folder = db.folder
        assert processes_mentioning(str(folder)) == []
        assert said[-1].startswith("stopped the app's MariaDB")

    # no login written: one named after the app, with a kept password, in DATABASE_URL
    (root / "app.py").write_text("import os, pymysql\nfrom flask import Flask\napp = Flask(__name__)\n"
                                 "URL = os.environ['DATABASE_URL']\n")
    plan = make_plan(root, confirm=False, installed=False)
    with database.app_database(plan, root, say=print, environ=environ) as db:
        url = db.environ["DATABASE_URL"]
        assert url.startswith("mysql://shop:") and url.endswith(f"@127.0.0.1:{db.parts['port']}/shop")
        done = mariadb_client("-h", "127.0.0.1", "-P", db.parts["port"], "-u", "shop", f"-p{db.parts['password']}",
                              "shop", "-e", "SELECT 1")
        assert done.returncode == 0, done.stderr
    kill_mentioning(str(tmp_path / "data"))


@pytest.mark.slow
def test_serve_migrates_a_django_app_into_its_mariadb_as_the_root_login_its_settings_write(tmp_path):
    require_tool("nginx")
    require_tool("mariadb-install-db")
    db_port = free_port()
    files = {**DJANGO_FILES, "mysite/settings.py": DJANGO_FILES["mysite/settings.py"].replace("{port}", str(db_port))}
    root = make_tree(tmp_path / "mysite", files)
    data = tmp_path / "data"
    with serving_with_data(root, data, {"VIRTUAL_ENV": ""}) as (run, port):
        assert "mysite/settings.py:6 writes the app's database: its MariaDB gets user root with that password and " \
               "database polls" in run.output
        assert f"database polls on 127.0.0.1:{db_port}" in run.output
        assert "running Django migrate against the app's MariaDB" in run.output and "auth.0001_initial... OK" in run.output
        assert get(f"http://127.0.0.1:{port}/join/ann")[::2] == (200, "joined"), run.output
        assert get(f"http://127.0.0.1:{port}/")[::2] == (200, "ann"), run.output
    assert processes_mentioning(str(data)) == []


def test_a_mariadb_a_killed_run_left_behind_is_stopped_and_started_afresh(tmp_path, monkeypatch):
    require_tool("mariadb-install-db")
    monkeypatch.setattr(mysql_database, "DEFAULT_PORT", free_port())
    root = make_tree(tmp_path / "shop", SHOP_FILES)
    plan = make_plan(root, confirm=False, installed=False)
    environ = {"XDG_DATA_HOME": str(tmp_path / "data"), "PATH": "/usr/sbin:/usr/bin:/bin"}
    with database.app_database(plan, root, say=print, environ=environ) as db:
        folder = db.folder
    # a run killed outright (SIGKILL: no clean stop) leaves its server running, with its pid file
    programs = mariadb.find_programs(environ["PATH"])
    left = mariadb.MariaDBServer(programs, folder / "server" / "data", tmp_path, free_port(), tmp_path / "left.log")
    left.start()
    assert processes_mentioning(str(folder))
    said: list[str] = []
    with database.app_database(plan, root, say=said.append, environ=environ) as db:
        assert any(line.startswith("stopping the MariaDB an earlier run left behind") for line in said), said
        done = mariadb_client("-h", "127.0.0.1", "-P", db.parts["port"], "-u", "root", "-ps3cret", "shop",
                              "-e", "SELECT 1")
        assert done.returncode == 0, done.stderr
    assert processes_mentioning(str(folder)) == []


# FastAPI on Tortoise ORM with aiomysql, the login in TORTOISE_ORM's connections (a Chinese course's layout)
TORTOISE_FILES = {
    "requirements.txt": "fastapi\ntortoise-orm\naiomysql\n",
    "settings.py": "TORTOISE_ORM = {\n"
                   "    'connections': {'default': 'mysql://root:s3cret@localhost:{port}/travel'},\n"
                   "    'apps': {'models': {'models': ['models'], 'default_connection': 'default'}},\n"
                   "}\n",
    "models.py": "from tortoise import fields\nfrom tortoise.models import Model\n\n\n"
                 "class Site(Model):\n    id = fields.IntField(pk=True)\n    name = fields.CharField(max_length=50)\n",
    "main.py": """
        from fastapi import FastAPI
        from tortoise.contrib.fastapi import register_tortoise

        from models import Site
        from settings import TORTOISE_ORM

        app = FastAPI()
        register_tortoise(app, config=TORTOISE_ORM)

        @app.get("/add/{name}")
        async def add(name: str):
            await Site.create(name=name)
            return "added"

        @app.get("/")
        async def index():
            return ",".join(s.name for s in await Site.all().order_by("id"))
        """,
}


@pytest.mark.slow
def test_a_tortoise_app_on_aiomysql_gets_mariadb_with_the_login_its_config_writes(tmp_path):
    """TORTOISE_ORM's `mysql://root:...@localhost:PORT/travel`: serve's MariaDB on that port, with root's password
    and the travel database; the models' tables come from Shipyard's generate_schemas step."""
    require_tool("nginx")
    require_tool("mariadb-install-db")
    db_port = free_port()
    files = {**TORTOISE_FILES, "settings.py": TORTOISE_FILES["settings.py"].replace("{port}", str(db_port))}
    root = make_tree(tmp_path / "app", files)
    with serving_with_data(root, tmp_path / "data", {"VIRTUAL_ENV": ""}) as (run, port):
        assert run.wait_for(rf"MariaDB [\d.]+ for app: database travel on 127\.0\.0\.1:{db_port} ", 1), run.output
        assert "settings.py:2 writes the app's database: its MariaDB gets user root with that password" in run.output
        assert get(f"http://127.0.0.1:{port}/add/harbour")[::2] == (200, '"added"'), run.output
        assert get(f"http://127.0.0.1:{port}/")[::2] == (200, '"harbour"'), run.output


# a pydantic-settings field (or any read) under a name of the app's own, its value in the example env file only:
# a MySQL URL at the compose/tutorial server (msgs08's fastapi-example writes SQLALCHEMY_URL so)
EXAMPLE_URL_FILES = {
    "requirements.txt": "flask\nsqlalchemy\npymysql\n",
    ".env.example": "SQLALCHEMY_URL=mysql+pymysql://root:secret@127.0.0.1:{port}/items_db?charset=utf8mb4\n",
    "app.py": """
        import os

        import sqlalchemy
        from flask import Flask

        app = Flask(__name__)
        engine = sqlalchemy.create_engine(os.environ["SQLALCHEMY_URL"])

        @app.route("/")
        def index():
            with engine.connect() as conn:
                return conn.execute(sqlalchemy.text("SELECT DATABASE()")).scalar()
        """,
}


@pytest.mark.slow
def test_an_example_files_mysql_url_under_the_apps_own_name_points_at_serves_mariadb(tmp_path):
    """The example's root:secret@127.0.0.1:PORT is a server the reader would have started; serve's MariaDB runs
    instead, and the variable names it (the driver in its scheme kept), as DATABASE_URL does: the code passes it to
    create_engine, so it is the app's URL variable (detect/db_part_vars.py) and gets serve's URL directly."""
    require_tool("nginx")
    require_tool("mariadb-install-db")
    taken = free_port()
    files = {**EXAMPLE_URL_FILES, ".env.example": EXAMPLE_URL_FILES[".env.example"].replace("{port}", str(taken))}
    root = make_tree(tmp_path / "app", files)
    with serving_with_data(root, tmp_path / "data", {"VIRTUAL_ENV": ""}) as (run, port):
        assert "DATABASE_URL (mysql+pymysql://) is set for the app, and SQLALCHEMY_URL, which its code reads" \
            in run.output, run.output
        assert get(f"http://127.0.0.1:{port}/")[::2] == (200, "app"), run.output


def test_a_login_written_at_composes_host_reaches_the_apps_mariadb(tmp_path):
    """`mysql+pymysql://root:root@db/app` (a 2017 uwsgi-nginx-flask blog: `db` is the compose file's MySQL service):
    the app's pure-Python client resolves `db` to its MariaDB, whose greeting a socket opened to db:PORT gets."""
    import sys
    require_tool("mariadb-install-db")
    db_port = free_port()
    root = make_tree(tmp_path / "blog", {
        "requirements.txt": "flask\nflask-sqlalchemy\npymysql\n",
        "app.py": "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\n"
                  f"app.config['SQLALCHEMY_DATABASE_URI'] = 'mysql+pymysql://blog:b10g@db:{db_port}/app'\n"
                  "db = SQLAlchemy(app)\n"})
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.needs_mysql
    environ = {"XDG_DATA_HOME": str(tmp_path / "data"), "PATH": "/usr/sbin:/usr/bin:/bin"}
    said: list[str] = []
    with database.app_database(plan, root, say=said.append, environ=environ) as db:
        assert db.parts["port"] == str(db_port) and db.parts["database"] == "app", said
        assert any(s.startswith("the code connects to db (compose's names)") for s in said), said
        probe = ("import socket\ns = socket.create_connection(('db', %d), timeout=10)\n"
                 "print(len(s.recv(128)) > 0)\n" % db_port)
        done = subprocess.run([sys.executable, "-c", probe], env=db.environ, capture_output=True, text=True, timeout=60)
        assert done.stdout.strip() == "True", done.stderr
        # without the aliases the name resolves nowhere here
        bare = {k: v for k, v in db.environ.items() if k not in ("SHIPYARD_HOST_ALIASES", "PYTHONPATH")}
        assert subprocess.run([sys.executable, "-c", probe], env=bare, capture_output=True, text=True,
                              timeout=60).returncode != 0
    # the port the code connects to is another program's on 127.0.0.1: the MariaDB listens on it at another
    # loopback address, the one `db` is mapped to
    import socket
    with socket.socket() as held:
        held.bind(("127.0.0.1", db_port))
        held.listen()
        said.clear()
        with database.app_database(plan, root, say=said.append, environ=environ) as db:
            assert db.parts["port"] == str(db_port) and db.parts["host"] != "127.0.0.1", said
            done = subprocess.run([sys.executable, "-c", probe], env=db.environ, capture_output=True, text=True,
                                  timeout=60)
            assert done.stdout.strip() == "True", done.stderr
    kill_mentioning(str(tmp_path / "data"))
