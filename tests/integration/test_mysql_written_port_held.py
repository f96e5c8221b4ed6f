"""A MySQL login the app's code writes with no port (`mysql+pymysql://root:pw@localhost/shop`, so 3306) while another
program holds that port on 127.0.0.1 (another session's MariaDB): serve's MariaDB listens on the port at another
loopback address, and the app's connections to localhost on it go there (the sitecustomize's getaddrinfo map,
which PyMySQL and mysql-connector connect through), as PostgreSQL's written ports already did. Before, serve's
MariaDB moved to a free port and the app reached the other server ("Access denied for user 'root'")."""

from __future__ import annotations

import subprocess
import sys

from shipyard.planner import make_plan
from shipyard.run import database, mysql_database

from conftest import make_tree, require_tool
from serveutil import held_loopback_port, processes_mentioning, serves_database_environ

SHOP_FILES = {
    "requirements.txt": "flask\nsqlalchemy\npymysql\n",
    "app.py": """
        from flask import Flask
        from sqlalchemy import create_engine

        app = Flask(__name__)
        engine = create_engine("mysql+pymysql://root:s3cret@localhost/shop")
        """,
}

# what PyMySQL does to connect (socket.create_connection), reading the server's greeting
GREETING = """
import socket, sys
with socket.create_connection(("localhost", int(sys.argv[1])), timeout=10) as s:
    print(s.recv(200).decode("latin-1"))
"""


def test_a_written_login_with_no_port_reaches_serves_mariadb_though_its_port_is_held(tmp_path, monkeypatch):
    require_tool("mariadb-install-db")
    root = make_tree(tmp_path / "shop", SHOP_FILES)
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.needs_mysql
    said: list[str] = []
    with serves_database_environ(tmp_path / "data") as environ:
        with held_loopback_port() as held:
            monkeypatch.setattr(mysql_database, "DEFAULT_PORT", held)    # stands in for 3306, which the URL connects to
            with database.app_database(plan, root, say=said.append, environ=environ) as db:
                assert db.parts["port"] == str(held) and db.parts["host"] != "127.0.0.1", said
                assert any(f"app.py:5 connects to MySQL on localhost:{held}" in line and db.parts["host"] in line
                           for line in said), said
                # the app's process, with the environment serve gives it, connects to localhost on the written port
                done = subprocess.run([sys.executable, "-c", GREETING, str(held)], env=db.environ, capture_output=True,
                                      text=True, timeout=30)
                assert done.returncode == 0 and "MariaDB" in done.stdout, (done.stdout, done.stderr)
                # ...and the login the code writes gets in there
                login = subprocess.run(["mariadb", "--no-defaults", "-h", db.parts["host"], "-P", str(held), "-u",
                                        "root", "-ps3cret", "shop", "-e", "SELECT 1"], capture_output=True, text=True,
                                       timeout=30)
                assert login.returncode == 0, login.stderr
                folder = db.folder
            assert processes_mentioning(str(folder)) == []
        # a port that is free needs nothing of this: the server takes it on 127.0.0.1
        said.clear()
        with database.app_database(plan, root, say=said.append, environ=environ) as db:
            assert db.parts == {**db.parts, "host": "127.0.0.1", "port": str(held)}
            assert "SHIPYARD_HOST_ALIASES" not in db.environ
