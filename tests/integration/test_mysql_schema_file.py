"""A MySQL course app ships the SQL its author ran by hand (`database_students.sql`: CREATE DATABASE db; USE db;
CREATE TABLE students; INSERT ...) and reads the table on its only page: serve loads the file once into its
MariaDB, while the app's database has no tables (a 2025 Flask exercise answered 500, "Table 'db.students' doesn't
exist"). A real MariaDB; the table is read back with the login the app writes."""

from __future__ import annotations

import subprocess

from shipyard.planner import make_plan
from shipyard.run import database

from conftest import make_tree, require_tool
from serveutil import kill_mentioning

SQL = """create database db;

use db;

CREATE TABLE students(
    StudentID int not null AUTO_INCREMENT,
    FirstName varchar(100) NOT NULL,
    PRIMARY KEY (StudentID)
);

INSERT INTO students(FirstName) VALUES("John"), ("Emma");

SELECT * FROM students;
"""


def _count(db) -> str:
    done = subprocess.run(["mariadb", "--no-defaults", "-h", db.parts["host"], "-P", db.parts["port"], "-u", "root",
                           "-ps3cret", "db", "--batch", "--skip-column-names", "-e", "SELECT COUNT(*) FROM students"],
                          capture_output=True, text=True, timeout=30)
    return done.stdout.strip() or done.stderr


def test_the_apps_sql_file_makes_its_tables_once(tmp_path):
    require_tool("mariadb-install-db")
    root = make_tree(tmp_path / "students", {
        "app.py": "from flask import Flask\nimport mysql.connector\napp = Flask(__name__)\n\n\n@app.route('/')\n"
                  "def index():\n    conn = mysql.connector.connect(host='localhost', user='root', "
                  "password='s3cret', database='db')\n    return str(conn)\n",
        "database_students.sql": SQL,
        "drop_schema.sql": "DROP DATABASE db;\n",
    })
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.needs_mysql
    environ = {"XDG_DATA_HOME": str(tmp_path / "data"), "PATH": "/usr/sbin:/usr/bin:/bin"}
    said: list[str] = []
    try:
        with database.app_database(plan, root, say=said.append, environ=environ) as db:
            assert _count(db) == "2", said
            assert any(line.startswith("loaded database_students.sql into the app's database db") and "failed"
                       not in line for line in said), said
        said.clear()
        with database.app_database(plan, root, say=said.append, environ=environ) as db:
            assert _count(db) == "2"                   # its tables are there: not loaded again
            assert not any(line.startswith("loaded ") for line in said), said
    finally:
        kill_mentioning(str(tmp_path / "data"))
