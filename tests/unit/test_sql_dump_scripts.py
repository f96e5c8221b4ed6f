"""A course project creates its table with a root setup script, not its README: Hexlet's Flask projects keep
`CREATE TABLE users (...)` in init.sql (database.sql) and build.sh runs `su postgres -c "psql -a -d hexlet -f
init.sql"` (`psql -a -d $DATABASE_URL -f database.sql`), which `make build` calls. serve made the database but
no table: /users/ answered 500. The root shell scripts' and Makefile's psql loads count as a README's do."""

from __future__ import annotations

import pytest

from conftest import make_tree
from shipyard.detect.sql_dump import SqlDump, readme_dump
from shipyard.planner import make_plan
from shipyard.project import Project

APP = '''\
import psycopg2
from flask import Flask

app = Flask(__name__)
conn = psycopg2.connect(dbname="hexlet", user="egor", host="localhost", password="qwerty")
'''
SCHEMA = "CREATE TABLE IF NOT EXISTS users (id SERIAL PRIMARY KEY, name VARCHAR(255) NOT NULL);\n"


@pytest.mark.parametrize("files, found", [
    ({"build.sh": 'service postgresql start\nsu postgres -c "psql -a -d hexlet -f init.sql"\nmake prod\n'},
     SqlDump(("init.sql",), "hexlet", "build.sh", "psql -a -d hexlet -f init.sql")),
    ({"Makefile": "build:\n\tpoetry install\n\tpsql -a -d $(DATABASE_URL) -f init.sql\n"},
     SqlDump(("init.sql",), "", "Makefile", "psql -a -d $(DATABASE_URL) -f init.sql")),
    ({"setup.sh": "psql hexlet_test < init.sql\n"}, None),              # the tests' database
    ({"setup.sh": "psql -d hexlet -f missing.sql\n"}, None),            # no such file
    ({"scripts/build.sh": "psql -d hexlet -f init.sql\n"}, None),       # only the root's scripts
])
def test_a_root_scripts_psql_load(tmp_path, files, found):
    root = make_tree(tmp_path / "users", {"app.py": APP, "init.sql": SCHEMA, **files})
    assert readme_dump(Project(root), ".") == found


def test_the_build_scripts_schema_is_the_apps_first_run(tmp_path):
    root = make_tree(tmp_path / "users", {
        "users_example/__init__.py": "", "users_example/app.py": APP, "init.sql": SCHEMA,
        "pyproject.toml": '[project]\nname = "users"\nversion = "0.1.0"\nrequires-python = ">=3.10"\n'
                          'dependencies = ["flask", "psycopg2-binary"]\n',
        "build.sh": 'su postgres -c "psql -a -d hexlet -f init.sql"\n'})
    plan = make_plan(root, confirm=False)
    assert plan.release is None and "SQL dump init.sql" in plan.first_run.what, plan.first_run
    assert plan.first_run.argv[-1] == "init.sql"
