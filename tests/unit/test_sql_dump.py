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
    assert (dump and (dump.paths, dump.database)) == (found and ((found[0],), found[1])) or dump is found


def test_the_apps_folder_readme_and_a_path_beside_it(tmp_path):
    root = make_tree(tmp_path, {"README.md": "# course\n", "backend/README.md": "psql trivia < trivia.psql\n",
                                "backend/trivia.psql": "", "backend/app.py": ""})
    dump = readme_dump(Project(root), "backend")
    assert (dump.paths, dump.readme, dump.command) == (("backend/trivia.psql",), "backend/README.md",
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
    assert plan.sql_dump == ("data/shelf dump.psql",)
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
        ("postgresql/init.sql",), "", "postgresql/Dockerfile", "ADD ./init.sql /docker-entrypoint-initdb.d/")
    from shipyard.planner import make_plan
    plan = make_plan(tmp_path / "docker", confirm=False)
    assert plan.release is None and plan.first_run.argv[-1] == "postgresql/init.sql"
    assert plan.sql_dump == ("postgresql/init.sql",)
    # the app's own image copying SQL somewhere is not a database's initdb
    other = {**files, "postgresql/Dockerfile": "FROM python:3.10\nADD ./init.sql /docker-entrypoint-initdb.d/\n"}
    assert initdb_dump(Project(make_tree(tmp_path / "python", other))) is None


def test_the_sql_file_a_compose_file_mounts_into_the_postgres_initdb_folder(tmp_path):
    compose = ("services:\n  db:\n    image: postgres:16\n    volumes:\n      - ./db/init:/docker-entrypoint-initdb.d\n"
               "      - pgdata:/var/lib/postgresql/data\n  web:\n    build: .\nvolumes:\n  pgdata:\n")
    project = Project(make_tree(tmp_path / "one", {"docker-compose.dev.yml": compose, "db/init/schema.sql": INIT_SQL}))
    assert initdb_dump(project) == SqlDump(("db/init/schema.sql",), "", "docker-compose.dev.yml",
                                           "service db: ./db/init:/docker-entrypoint-initdb.d")


def test_every_file_of_a_mounted_initdb_folder_in_the_entrypoints_order(tmp_path):
    """The official image runs /docker-entrypoint-initdb.d/* sorted by name: .sql (plain, gzip, xz) loaded and .sh
    run; anything else (a README, a .zst) and the folders below it left alone."""
    compose = ("services:\n  db:\n    image: postgis/postgis:15-3.4\n    volumes:\n"
               "      - ./db/init:/docker-entrypoint-initdb.d/\n")
    files = {"docker-compose.yml": compose, "db/init/02-data.sql.gz": "", "db/init/01-schema.sql": INIT_SQL,
             "db/init/10-users.sh": "", "db/init/03-more.SQL": "", "db/init/README.md": "", "db/init/x.sql.zst": "",
             "db/init/old/00-first.sql": ""}
    dump = initdb_dump(Project(make_tree(tmp_path / "folder", files)))
    # by name, as a C-locale glob: "10-users.sh" after "03-more.SQL"
    assert dump.paths == ("db/init/01-schema.sql", "db/init/02-data.sql.gz", "db/init/03-more.SQL",
                          "db/init/10-users.sh")


def test_files_mounted_or_copied_one_by_one_take_their_names_in_the_initdb_folder(tmp_path):
    # a file mounted under another name sorts by that name; a file mounted into a folder below initdb.d is not run
    compose = ("services:\n  db:\n    image: postgres:16\n    volumes:\n"
               "      - ./sql/schema.sql:/docker-entrypoint-initdb.d/2-schema.sql\n"
               "      - ./sql/seed.sql:/docker-entrypoint-initdb.d/3-seed.sql\n"
               "      - type: bind\n        source: ./sql/roles.sh\n        target: /docker-entrypoint-initdb.d/1-roles.sh\n"
               "      - ./sql/extra.sql:/docker-entrypoint-initdb.d/later/extra.sql\n")
    files = {"docker-compose.yml": compose, "sql/schema.sql": INIT_SQL, "sql/seed.sql": "", "sql/roles.sh": "",
             "sql/extra.sql": ""}
    dump = initdb_dump(Project(make_tree(tmp_path / "compose", files)))
    assert dump.paths == ("sql/roles.sh", "sql/schema.sql", "sql/seed.sql")
    # a Dockerfile: each ADD/COPY into the folder, sources of one line together; a folder copied in gives its files
    dockerfile = ("FROM postgres:15\nCOPY ./b.sql ./a.sql /docker-entrypoint-initdb.d/\n"
                  "ADD seed/ /docker-entrypoint-initdb.d/\nCOPY notes.txt /docker-entrypoint-initdb.d/\n")
    files = {"db/Dockerfile": dockerfile, "db/a.sql": "", "db/b.sql": "", "db/seed/c.sh": "", "db/notes.txt": ""}
    dump = initdb_dump(Project(make_tree(tmp_path / "docker", files)))
    assert dump.paths == ("db/a.sql", "db/b.sql", "db/seed/c.sh")
    from shipyard.planner import make_plan
    plan = make_plan(make_tree(tmp_path / "docker", {"app.py": APP, "requirements.txt": "Flask\npsycopg2-binary\n"}),
                     confirm=False)
    assert plan.sql_dump == dump.paths and plan.first_run.argv[3:] == dump.paths
    assert plan.first_run.what.startswith("the 3 init files db/a.sql, db/b.sql, db/seed/c.sh its db/Dockerfile")
    from shipyard.plan import Plan
    assert Plan.from_json(plan.to_json()).sql_dump == dump.paths


def test_serves_load_runs_each_file_in_order_as_the_entrypoint_does(tmp_path):
    """LOAD with a psql that records what it is given: SQL (gzip too) through psql without the OWNER TO lines, a
    script sourced with the image's variables and its docker_process_sql, an executable one run; a failing script
    is said and the next file loaded."""
    import gzip
    import os
    import subprocess
    import sys
    from shipyard.detect.sql_dump import LOAD
    bin_dir = make_tree(tmp_path / "bin", {"psql": '#!/bin/sh\nprintf "psql %s\\n" "$*" >> "$LOG"; cat >> "$LOG"\n'})
    (bin_dir / "psql").chmod(0o755)
    app = make_tree(tmp_path / "app", {
        "init/01.sql": "CREATE TABLE a (id int);\nALTER TABLE a OWNER TO author;\n",
        "init/03.sh": 'echo "sourced $POSTGRES_USER/$POSTGRES_DB on $PGPORT" >> "$LOG"\n'
                      'docker_process_sql --dbname "$POSTGRES_DB" <<< "SELECT 3;"\nfalse\n',
        "init/04.sh": '#!/bin/sh\necho "ran $0" >> "$LOG"\nexit 5\n', "init/05.sql": "SELECT 5;\n"})
    (app / "init/02.sql.gz").write_bytes(gzip.compress(b"INSERT INTO a VALUES (2);\n"))
    (app / "init/04.sh").chmod(0o755)
    log = tmp_path / "log"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "LOG": str(log),
           "DATABASE_URL": "postgresql+psycopg2://shop:p%40ss@127.0.0.1:27011/shopdb"}
    files = ["init/01.sql", "init/02.sql.gz", "init/03.sh", "init/04.sh", "init/05.sql"]
    done = subprocess.run([sys.executable, "-c", LOAD, *files], cwd=app, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "init/04.sh exited 5" in done.stdout
    lines = log.read_text().splitlines()
    url = "postgresql://shop:p%40ss@127.0.0.1:27011/shopdb"
    assert lines == [f"psql -X -q -o /dev/null -v ON_ERROR_STOP=0 -d {url} -f -", "CREATE TABLE a (id int);",
                     f"psql -X -q -o /dev/null -v ON_ERROR_STOP=0 -d {url} -f -", "INSERT INTO a VALUES (2);",
                     "sourced shop/shopdb on 27011",
                     "psql -v ON_ERROR_STOP=1 --no-password --no-psqlrc --dbname shopdb", "SELECT 3;",
                     "ran init/04.sh",
                     f"psql -X -q -o /dev/null -v ON_ERROR_STOP=0 -d {url} -f -", "SELECT 5;"]


def test_a_dump_that_creates_its_own_database_loads_into_the_apps(tmp_path):
    """`pg_dump --create`: CREATE DATABASE then \\connect to it. Serve's role may not create a database (RestMandarin:
    "permission denied to create database", then the \\connect failed and nothing loaded): both lines are left out
    and the rest loads into DATABASE_URL's database; a dump of several databases (pg_dumpall) is left as it is."""
    import os
    import subprocess
    import sys
    from shipyard.detect.sql_dump import LOAD
    bin_dir = make_tree(tmp_path / "bin", {"psql": '#!/bin/sh\ncat >> "$LOG"\n'})
    (bin_dir / "psql").chmod(0o755)
    app = make_tree(tmp_path / "app", {
        "one.sql": "SET client_encoding = 'UTF8';\nCREATE DATABASE shop WITH TEMPLATE = template0 ENCODING = 'UTF8';\n"
                   "ALTER DATABASE shop OWNER TO postgres;\n\\connect shop\nCREATE TABLE a (id int);\n",
        "all.sql": "CREATE DATABASE one;\n\\connect one\nCREATE TABLE a (id int);\n"
                   "CREATE DATABASE two;\n\\connect two\nCREATE TABLE b (id int);\n"})
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "DATABASE_URL": "postgresql://shop:pw@127.0.0.1:27011/app"}
    for name in ("one.sql", "all.sql"):
        env["LOG"] = str(tmp_path / name)
        done = subprocess.run([sys.executable, "-c", LOAD, name], cwd=app, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    loaded = [line for line in (tmp_path / "one.sql").read_text().splitlines() if line]
    assert loaded == ["SET client_encoding = 'UTF8';", "CREATE TABLE a (id int);"]
    assert (tmp_path / "all.sql").read_text() == (app / "all.sql").read_text()


def test_compose_loads_several_files_in_their_order(tmp_path):
    import subprocess
    from shipyard.planner import make_plan
    from shipyard.render import render
    compose = ("services:\n  db:\n    image: postgres:16\n    volumes:\n      - ./db/init:/docker-entrypoint-initdb.d\n")
    files = {"app.py": APP, "requirements.txt": "Flask\npsycopg2-binary\n", "docker-compose.yml": compose,
             "db/init/01-schema.sql": INIT_SQL, "db/init/02-data.sql.gz": "", "db/init/03-roles.sh": ""}
    plan = make_plan(make_tree(tmp_path / "app", files), confirm=False)
    out = render(plan.with_settings(topology="compose"))
    for name in ("01-schema.sql", "02-data.sql.gz", "03-roles.sh"):
        assert f'- "./db/init/{name}:/shipyard-dump/{name}:ro"' in out["compose.yaml"]
    script = out["shipyard-initdb.sh"]
    steps = [line for line in script.splitlines() if "/shipyard-dump/" in line]
    assert steps == ["load --file /shipyard-dump/01-schema.sql", "gunzip -c /shipyard-dump/02-data.sql.gz | load --file -",
                     "if [ -x /shipyard-dump/03-roles.sh ]; then /shipyard-dump/03-roles.sh; "
                     "else . /shipyard-dump/03-roles.sh; fi"]
    assert subprocess.run(["bash", "-n"], input=script, text=True).returncode == 0


@pytest.mark.parametrize("line, found", [
    ("2 run database.sql query", "templates/database.sql"),     # a 2020 course to-do app's readme
    ("- Execute `schema.sql` in psql", None),                     # a name in backticks is not read as prose
    ("* run the queries in schema.sql", "db/schema.sql"),
    ("Load seed.sql into the database", "seed.sql"),
    ("run test_data.sql", None),                                  # the tests'
    ("run missing.sql", None),                                    # no such file
    ("You could run it with schema.sql later, or not", None),     # too far from the verb
])
def test_a_prose_step_that_runs_a_sql_file_by_name_is_a_load(tmp_path, line, found):
    """A README step in words ("- run database.sql query", after "create database named python-to-do-app"), the
    file anywhere in the project when its name is unique there: the tables and seed rows the app's pages read."""
    root = make_tree(tmp_path, {"readme.md": f"# todo\n\n- create database named todo\n{line}\n",
                                "templates/database.sql": "", "db/schema.sql": "", "seed.sql": "",
                                "tests/test_data.sql": "", "test_data.sql": ""})
    dump = readme_dump(Project(root), ".")
    assert (dump.paths[0] if dump else None) == found
    if dump:
        assert dump.database == "" and dump.readme == "readme.md"


SCHEMA = """-- Paste into your local postgres db (use DataGrip)
CREATE TABLE IF NOT EXISTS client (
    client_id SERIAL PRIMARY KEY,
    username VARCHAR(36) NOT NULL UNIQUE
);
/* rooms */
CREATE TABLE IF NOT EXISTS room (room_id SERIAL PRIMARY KEY, host_id INTEGER REFERENCES client(client_id));
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
create unique index if not exists room_host on room (host_id);
"""


def test_a_lone_schema_file_that_only_creates_what_is_missing_is_the_first_run(tmp_path):
    # a 2024 API on PostgreSQL with no migrations: its tables come from schema.sample.sql, which a build note has
    # you paste into a database console and no README line, script or container names; without it every query
    # on `room` answered 500
    from shipyard.detect.sql_dump import lone_schema
    from shipyard.planner import make_plan
    files = {"app.py": APP, "requirements.txt": "Flask\npsycopg2-binary\n", "api/schema.sample.sql": SCHEMA,
             "tests/fixtures.sql": "INSERT INTO client VALUES (1, 'x');\n"}
    plan = make_plan(make_tree(tmp_path / "plain", files), confirm=False)
    assert plan.release is None and plan.sql_dump == ("api/schema.sample.sql",)
    assert plan.first_run.argv[-1] == "api/schema.sample.sql" and "schema file api/schema.sample.sql" in \
        plan.first_run.what
    assert any(n.startswith("api/schema.sample.sql, the project's only SQL file, only creates what is missing")
               for n in plan.notes), plan.notes
    # a statement that does more (a seed row, a table made again from scratch), or a second SQL file: not a
    # schema to load unasked
    for name, more in (("more", {"api/schema.sample.sql": SCHEMA + "INSERT INTO client VALUES (1, 'x');\n"}),
                       ("plain", {"api/schema.sample.sql": SCHEMA.replace("IF NOT EXISTS room", "room")}),
                       ("two", {"db/other.sql": SCHEMA})):
        assert lone_schema(Project(make_tree(tmp_path / name, {**files, **more}))) is None, name
    # wrapped in one transaction (BEGIN; ... COMMIT;), the only SQL file, kept in a migrations folder no tool runs
    for name, where in (("transaction", "api/schema.sample.sql"), ("migrations", "app/migrations/init_todo_app.sql")):
        moved = {k: v for k, v in files.items() if k != "api/schema.sample.sql"}
        found = lone_schema(Project(make_tree(tmp_path / name, {**moved, where: f"BEGIN;\n{SCHEMA}COMMIT;\n"})))
        assert found is not None and found.paths == (where,), name
    # beside another SQL file elsewhere, a migrations folder's is not the schema
    assert lone_schema(Project(make_tree(tmp_path / "beside", {**files, "migrations/0001.sql": SCHEMA}))).paths == (
        "api/schema.sample.sql",)
    # an app on SQLite is not loaded with psql
    sqlite = make_plan(make_tree(tmp_path / "sqlite", {
        "app.py": "import sqlite3\nfrom flask import Flask\napp = Flask(__name__)\nDB = sqlite3.connect('a.db')\n",
        "requirements.txt": "Flask\n", "schema.sql": SCHEMA}), confirm=False)
    assert sqlite.sql_dump == ()
