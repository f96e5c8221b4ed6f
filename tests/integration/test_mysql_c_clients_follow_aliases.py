"""MySQL clients that connect in C follow serve's moved MariaDB. When the port the code writes (localhost:3306) is
held on 127.0.0.1 (another session's MariaDB), serve's MariaDB listens on it at another loopback address and the
app's connections are mapped there. PyMySQL connects through socket.getaddrinfo, which the sitecustomize maps;
mysqlclient (MySQLdb) and mysql-connector's C extension resolve and connect inside libmysqlclient, so before they
reached the other program (a 2025 CRUD app on mysql-connector: "Access denied for user 'root'@'127.0.0.1'").
Real clients (installed with uv), a real MariaDB, a real holder of the port."""

from __future__ import annotations

import subprocess
import sys

from shipyard.planner import make_plan
from shipyard.run import database

from conftest import make_tree, require_tool
from serveutil import held_loopback_port, serves_database_environ

# the newest wheels' C extension wants OpenSSL 3.2 (Debian 12 has 3.0): without it the connector is pure Python
CONNECTOR = "mysql-connector-python==9.1.0"

# each client connects with the login the code writes, to the host and port it writes, and reads the database
CLIENTS = """
import sys
host, port = sys.argv[1], int(sys.argv[2])
import MySQLdb
keywords = MySQLdb.connect(host=host, port=port, user="root", passwd="s3cret", db="shop")
positional = MySQLdb.connect(host, "root", "s3cret", "shop", port)
import mysql.connector
from mysql.connector.connection_cext import CMySQLConnection
c_extension = mysql.connector.connect(host=host, port=port, user="root", password="s3cret", database="shop")
assert isinstance(c_extension, CMySQLConnection), type(c_extension)
for connection in (keywords, positional, c_extension):
    cursor = connection.cursor()
    cursor.execute("SELECT DATABASE(), @@port")
    print(cursor.fetchone())
"""

UNMAPPED = """
import sys
import MySQLdb
MySQLdb.connect(host=sys.argv[1], port=int(sys.argv[2]), user="root", passwd="s3cret", db="shop", connect_timeout=3)
"""


def test_mysqlclient_and_the_connector_c_extension_reach_the_moved_mariadb(tmp_path):
    require_tool("mariadb-install-db")
    uv = require_tool("uv")
    venv = tmp_path / "clients"
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True, timeout=120)
    subprocess.run([uv, "pip", "install", "-q", "--python", str(venv / "bin" / "python"), "mysqlclient",
                    CONNECTOR], check=True, timeout=600)
    with held_loopback_port(backlog=8) as held:
        root = make_tree(tmp_path / "shop", {
            "requirements.txt": "flask\nmysql-connector-python\nmysqlclient\n",
            "app.py": f"""
                from flask import Flask
                import mysql.connector

                app = Flask(__name__)
                DB = dict(host="localhost", port={held}, user="root", password="s3cret", database="shop")
                SQLALCHEMY_DATABASE_URI = "mysql://root:s3cret@127.0.0.1:{held}/shop"
                """})
        plan = make_plan(root, confirm=False, installed=False)
        assert plan.needs_mysql
        said: list[str] = []
        with serves_database_environ(tmp_path / "data") as environ:
            with database.app_database(plan, root, say=said.append, environ=environ) as db:
                assert db.parts["port"] == str(held) and db.parts["host"] != "127.0.0.1", said
                for host in ("127.0.0.1", "localhost"):
                    done = subprocess.run([str(venv / "bin" / "python"), "-c", CLIENTS, host, str(held)], env=db.environ,
                                          capture_output=True, text=True, timeout=60)
                    assert done.returncode == 0, (host, done.stderr[:3000])
                    assert done.stdout.count(f"('shop', {held})") == 3, done.stdout
                # without the map, mysqlclient reaches the other program (which answers nothing), the failure the apps met
                bare = {k: v for k, v in db.environ.items() if k not in ("SHIPYARD_HOST_ALIASES", "PYTHONPATH")}
                done = subprocess.run([str(venv / "bin" / "python"), "-c", UNMAPPED, "127.0.0.1", str(held)], env=bare,
                                      capture_output=True, text=True, timeout=60)
                assert done.returncode != 0 and "OperationalError" in done.stderr, done.stderr[-2000:]
