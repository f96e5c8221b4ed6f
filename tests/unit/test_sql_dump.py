"""The SQL dump an app's README loads with psql (detect/sql_dump.py), and where the plan puts it: the first run
of an app on PostgreSQL with no migrations. (Loaded by serve: tests/integration/test_serve_database.py.)"""

from __future__ import annotations

import pytest

from conftest import make_tree
from shipyard.detect.sql_dump import SqlDump, initdb_dump, readme_dump
from shipyard.project import Project


@pytest.mark.parametrize("line, found", [
    ("psql trivia < trivia.psql", ("trivia.psql", "trivia")),
    ("$ psql -U postgres -d bookshelf < books.psql", ("books.psql", "bookshelf")),
    ("psql -d trivia -U postgres -f trivia.psql", ("trivia.psql", "trivia")),
    ("psql --dbname=trivia --file=trivia.psql", ("trivia.psql", "trivia")),
    ("psql -h localhost -p 5432 -dtrivia -ftrivia.psql", ("trivia.psql", "trivia")),
    ("psql postgresql://me@localhost/trivia -f trivia.psql", ("trivia.psql", "trivia")),
    ("`psql trivia < db/seed.sql`", ("db/seed.sql", "trivia")),
    ("psql trivia_test < trivia.psql", None),        # the tests' database
    ("psql trivia < missing.psql", None),            # no such file
    ("psql trivia", None),                           # no file loaded
    ("psql -c 'CREATE DATABASE trivia'", None),
])
def test_the_load_a_readme_line_makes(tmp_path, line, found):
    root = make_tree(tmp_path, {"README.md": f"Set up:\n\n    {line}\n", "trivia.psql": "", "books.psql": "",
                                "db/seed.sql": ""})
    dump = readme_dump(Project(root), ".")
    assert (dump and (dump.path, dump.database)) == found or dump is found


def test_the_apps_folder_readme_and_a_path_beside_it(tmp_path):
    root = make_tree(tmp_path, {"README.md": "# course\n", "backend/README.md": "psql trivia < trivia.psql\n",
                                "backend/trivia.psql": "", "backend/app.py": ""})
    dump = readme_dump(Project(root), "backend")
    assert (dump.path, dump.readme, dump.command) == ("backend/trivia.psql", "backend/README.md",
                                                      "psql trivia < trivia.psql")


APP = ("import os\nimport psycopg2\nfrom flask import Flask\napp = Flask(__name__)\n"
       "URL = os.environ.get('DATABASE_URL', 'postgresql://localhost/shelf')\n")


def test_a_postgresql_app_without_migrations_loads_it_as_its_first_run(tmp_path):
    from shipyard.planner import make_plan
    files = {"app.py": APP, "requirements.txt": "Flask\npsycopg2-binary\n", "shelf.psql": "",
             "README.md": "psql shelf < shelf.psql\n"}
    plan = make_plan(make_tree(tmp_path / "plain", files), confirm=False)
    assert plan.release is None and "SQL dump shelf.psql" in plan.first_run.what
    assert plan.first_run.argv[-1] == "shelf.psql"
    # migrations make the tables: the dump is left to the user
    migrated = make_plan(make_tree(tmp_path / "migrated", {
        **files, "alembic.ini": "[alembic]\nscript_location = migrations\n",
        "migrations/env.py": "", "migrations/versions/001_books.py": "revision = '001'\ndown_revision = None\n"}),
        confirm=False)
    assert migrated.release is not None and migrated.first_run is None


def test_compose_stacks_load_it_through_the_postgres_images_initdb_folder(tmp_path):
    """The dump goes read-only into compose's db service with a script the official image runs once, when the
    volume is new; other topologies write no such file (their database is the user's to load)."""
    import subprocess
    from shipyard.planner import make_plan
    from shipyard.render import render
    files = {"app.py": APP, "requirements.txt": "Flask\npsycopg2-binary\n", "data/shelf dump.psql": "",
             "README.md": "psql shelf < 'data/shelf dump.psql'\n"}
    plan = make_plan(make_tree(tmp_path / "plain", files), confirm=False)
    assert plan.sql_dump == "data/shelf dump.psql"
    out = render(plan.with_settings(topology="compose"))
    assert '- "./data/shelf dump.psql:/shipyard-dump/shelf dump.psql:ro"' in out["compose.yaml"]
    assert "./shipyard-initdb.sh:/docker-entrypoint-initdb.d/shipyard-initdb.sh:ro" in out["compose.yaml"]
    script = out["shipyard-initdb.sh"]
    assert "--file '/shipyard-dump/shelf dump.psql'" in script and "ON_ERROR_STOP=0" in script
    assert subprocess.run(["bash", "-n"], input=script, text=True).returncode == 0
    assert "shipyard-initdb.sh" not in render(plan.with_settings(topology="bundle"))


INIT_SQL = "CREATE TABLE cities (id UUID PRIMARY KEY, name VARCHAR(65) NOT NULL);\n"


def test_the_sql_file_a_postgres_dockerfile_adds_to_its_initdb_folder(tmp_path):
    # postgresql/Dockerfile: FROM postgres:latest, ADD ./init.sql /docker-entrypoint-initdb.d/ (the compose file
    # builds the database from it): the app's table comes from nowhere else
    files = {"app.py": APP, "requirements.txt": "Flask\npsycopg2-binary\n", "postgresql/init.sql": INIT_SQL,
             "postgresql/Dockerfile": "FROM postgres:latest\nADD ./init.sql /docker-entrypoint-initdb.d/\n",
             "Dockerfile": "FROM python:3.10\nCOPY . /code/\n"}
    assert initdb_dump(Project(make_tree(tmp_path / "docker", files))) == SqlDump(
        "postgresql/init.sql", "", "postgresql/Dockerfile", "ADD ./init.sql /docker-entrypoint-initdb.d/")
    from shipyard.planner import make_plan
    plan = make_plan(tmp_path / "docker", confirm=False)
    assert plan.release is None and plan.first_run.argv[-1] == "postgresql/init.sql"
    assert plan.sql_dump == "postgresql/init.sql"
    # the app's own image copying SQL somewhere is not a database's initdb
    other = {**files, "postgresql/Dockerfile": "FROM python:3.10\nADD ./init.sql /docker-entrypoint-initdb.d/\n"}
    assert initdb_dump(Project(make_tree(tmp_path / "python", other))) is None


def test_the_sql_file_a_compose_file_mounts_into_the_postgres_initdb_folder(tmp_path):
    compose = ("services:\n  db:\n    image: postgres:16\n    volumes:\n      - ./db/init:/docker-entrypoint-initdb.d\n"
               "      - pgdata:/var/lib/postgresql/data\n  web:\n    build: .\nvolumes:\n  pgdata:\n")
    project = Project(make_tree(tmp_path / "one", {"docker-compose.dev.yml": compose, "db/init/schema.sql": INIT_SQL}))
    assert initdb_dump(project) == SqlDump("db/init/schema.sql", "", "docker-compose.dev.yml",
                                           "service db: ./db/init:/docker-entrypoint-initdb.d")
    # two files: their order of loads is not taken on
    two = Project(make_tree(tmp_path / "two", {"docker-compose.dev.yml": compose, "db/init/01.sql": INIT_SQL,
                                               "db/init/02.sql": INIT_SQL}))
    assert initdb_dump(two) is None
