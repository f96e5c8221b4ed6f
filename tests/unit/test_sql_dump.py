"""The SQL dump an app's README loads with psql (detect/sql_dump.py), and where the plan puts it: the first run
of an app on PostgreSQL with no migrations. (Loaded by serve: tests/integration/test_serve_database.py.)"""

from __future__ import annotations

import pytest

from conftest import make_tree
from shipyard.detect.sql_dump import readme_dump
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
