"""The app's own database-initialisation command (`flask init-db`, a project script `init_db`): found by
reading the source, classified as idempotent only when all it does is create what is missing, run by
`serve`/`dev` once on a fresh copy whose SQLite database does not exist yet, never again."""

from __future__ import annotations

import dataclasses
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from shipyard.detect import entry
from shipyard.detect.first_run import CREATE_ALL_HELPER, TORTOISE_SCHEMAS_HELPER, create_all, is_create_all
from shipyard.environments import own_environment
from shipyard.errors import AppLoadError, ShipyardError, UsageError
from shipyard.plan import Dependency, Plan, Release
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.render import render
from shipyard.render.target import Target
from shipyard.run.database import AppDatabase, first_run_owed
from shipyard.run.migrate import migration_command, run_migrations
from shipyard.run.sqlite_release import create_missing_sqlite

from conftest import FIXTURES, make_tree

APP = FIXTURES / "apps" / "flask_initdb_fresh"

FACTORY = """\
import click
from flask import Flask
{body}

def create_app():
    app = Flask(__name__)
    app.config["DATABASE"] = "data.sqlite"
    {register}
    return app
"""


def plan_of(tmp_path, files):
    return make_plan(make_tree(tmp_path / "app", files), confirm=False, installed=False)


def test_the_flask_tutorial_shape_is_found_and_never_a_release(tmp_path):
    plan = make_plan(APP, confirm=False, installed=False)
    assert plan.first_run.argv == ("python", "-m", "flask", "init-db")
    assert plan.first_run.env == (("FLASK_APP", "notebook:create_app()"),)     # Flask < 2.2 has no --app
    assert plan.release is None             # schema.sql drops the table: not for every deploy
    note = next(n for n in plan.notes if "init-db" in n)
    assert "not safe to repeat (notebook/schema.sql drops or deletes data)" in note and "never the release" in note
    with pytest.raises(UsageError, match="init-db` command initialises a new database, and it is not safe"):
        migration_command(plan, APP, own_environment())        # `shipyard migrate` says so, runs nothing
    # next to PostgreSQL, not a release run on every `up`: the stack's job runs it through the runtime, which
    # runs it only on a database with no table (test_database_setup)
    with_db = make_plan(APP, {"db": "postgres"}, confirm=False, installed=False)
    compose = render(with_db, Target.image(), only=("compose.yaml",))["compose.yaml"]
    assert '"/app/shipyard_runtime.py", "first-run"]' in compose and "flask\", \"init-db" not in compose
    assert "the PostgreSQL stack's release job runs it only while the database holds no table" in \
        next(n for n in with_db.notes if "init-db" in n)


@pytest.mark.parametrize("body, register, name", [
    ('@click.command("create-db")\ndef make():\n    db.create_all()\n', "app.cli.add_command(make)", "create-db"),
    ('\n', '@app.cli.command()\n    def init_db():\n        db.create_all()\n', "init-db"),
    ('@click.command()\ndef initdb():\n    db.create_all()\n', 'app.cli.add_command(initdb, "initdb")', "initdb"),
])
def test_a_command_that_only_creates_what_is_missing_is_the_release(tmp_path, body, register, name):
    plan = plan_of(tmp_path, {"app.py": FACTORY.format(body="db = None\n" + body, register=register)})
    assert plan.first_run.argv[-1] == name
    assert plan.release == plan.first_run   # create_all() on every deploy creates nothing twice
    with_db = plan_of(tmp_path, {"app.py": FACTORY.format(body="db = None\n" + body, register=register),
                                 "pyproject.toml": '[tool.shipyard]\ndb = "postgres"\n'})
    assert f" {name}" in render(with_db, Target.image(), only=("compose.yaml",))["compose.yaml"]


@pytest.mark.parametrize("body, why", [
    ('@click.command("init-db")\ndef init():\n    db.drop_all()\n    db.create_all()\n', "drop_all"),
    ('@click.command("init-db")\ndef init():\n    conn.executescript("CREATE TABLE t (id INTEGER)")\n', "IF NOT EXISTS"),
    ('@click.command("init-db")\ndef init():\n    setup_everything()\n', "cannot tell"),
    ('@click.command("init-db")\ndef init():\n    db.create_all()\n    db.session.add(conn)\n', "writes rows (add())"),
])
def test_anything_else_is_first_run_only(tmp_path, body, why):
    plan = plan_of(tmp_path, {"app.py": FACTORY.format(body="db = conn = None\n" + body,
                                                       register="app.cli.add_command(init)")})
    assert plan.first_run is not None and plan.release is None
    assert any(why in n for n in plan.notes), plan.notes


@pytest.mark.parametrize("body, register", [
    ('@click.command("reset-db")\ndef reset():\n    pass\n', "app.cli.add_command(reset)"),
    ('@click.command("init-db")\ndef init():\n    pass\n', ""),                                      # never added
    ('@click.command("init-db")\n@click.argument("path")\ndef init(path):\n    pass\n', "app.cli.add_command(init)"),
])
def test_other_commands_are_not_taken(tmp_path, body, register):
    assert plan_of(tmp_path, {"app.py": FACTORY.format(body=body, register=register)}).first_run is None


def test_a_project_script_runs_with_the_app_interpreter_from_its_import_root(tmp_path):
    plan = plan_of(tmp_path, {
        "pyproject.toml": '[tool.poetry]\nname = "blog"\n[tool.poetry.scripts]\ninit_db = "blog:init_db"\n'
                          'start = "blog:run"\n',
        "src/blog/__init__.py": "from quart import Quart\napp = Quart(__name__)\n\n"
                                "def init_db():\n    db.executescript(open('schema.sql').read())\n",
        "src/blog/schema.sql": "CREATE TABLE IF NOT EXISTS post (id INTEGER PRIMARY KEY);\n",
    })
    assert plan.first_run.argv == ("python", "-c", "from blog import init_db; init_db()")
    assert plan.first_run.workdir == "src"
    assert plan.release == plan.first_run     # only IF NOT EXISTS: idempotent


def test_runs_once_on_a_fresh_copy_and_never_on_existing_data(tmp_path):
    root = shutil.copytree(APP, tmp_path / "app")
    plan = make_plan(root, confirm=False, installed=False)
    env = own_environment()
    said: list[str] = []
    assert create_missing_sqlite(plan, root, env, said.append), said
    assert "instance/notebook.sqlite does not exist yet" in said[0] and "init-db" in said[0]
    database = root / "instance" / "notebook.sqlite"
    with sqlite3.connect(database) as conn:
        conn.execute("INSERT INTO note (body) VALUES ('mine')")
    # the user's data from now on: init-db would drop it
    said.clear()
    assert not create_missing_sqlite(plan, root, env, said.append) and said == []
    with sqlite3.connect(database) as conn:
        assert [r[0] for r in conn.execute("SELECT body FROM note")] == ["welcome", "mine"]


def test_a_failing_command_is_a_warning_and_leaves_no_database_behind(tmp_path):
    root = shutil.copytree(APP, tmp_path / "app")
    (root / "notebook" / "schema.sql").write_text("DROP TABLE IF EXISTS note;\nCREATE TABLE note (;\n")
    plan = make_plan(root, confirm=False, installed=False)
    said: list[str] = []
    assert not create_missing_sqlite(plan, root, own_environment(), said.append)
    assert said[-1].startswith("warning: the app's `flask --app notebook:create_app() init-db` command failed")
    assert not (root / "instance" / "notebook.sqlite").exists()          # so the next run tries again


def test_a_database_it_cannot_locate_is_not_initialised(tmp_path):
    root = shutil.copytree(APP, tmp_path / "app")
    init = root / "notebook" / "__init__.py"
    init.write_text(init.read_text().replace('DATABASE=os.path.join(app.instance_path, "notebook.sqlite")',
                                             'STORE=os.path.join(app.instance_path, "notebook.data")')
                    .replace('config["DATABASE"]', 'config["STORE"]'))
    plan = make_plan(root, confirm=False, installed=False)
    said: list[str] = []
    assert not create_missing_sqlite(plan, root, own_environment(), said.append)
    assert "cannot tell where that database is" in said[0]
    assert "FLASK_APP='notebook:create_app()' python -m flask init-db" in said[0]
    assert not (root / "instance" / "notebook.data").exists()


@pytest.mark.parametrize("opens", [
    # the Flask tutorial's get_db_connection(): the file named in the call
    {"app.py": "import sqlite3\n{app}\ndef get_db_connection():\n    return sqlite3.connect('database.db')\n"},
    # a module constant of a module the app imports, opened with `from sqlite3 import connect`
    {"app.py": "from mylib import db\n{app}", "mylib/__init__.py": "",
     "mylib/db.py": "from sqlite3 import connect\nDATABASE_PATH = 'database.db'\n\n\n"
                    "def get():\n    return connect(DATABASE_PATH)\n"},
])
def test_the_file_the_app_opens_with_sqlite3_connect_gets_its_init_script_once(tmp_path, opens):
    # no config names it: the app's own code opens it, and init_db.py (which drops the table) makes it
    app = "from flask import Flask\napp = Flask(__name__)\n\n\n@app.route('/')\ndef index():\n    return 'hi'\n"
    root = make_tree(tmp_path / "app", {
        **{name: text.replace("{app}", app) for name, text in opens.items()},
        "requirements.txt": "flask\n",
        "schema.sql": "DROP TABLE IF EXISTS posts;\nCREATE TABLE posts (title TEXT);\n",
        "init_db.py": "import sqlite3\nconnection = sqlite3.connect('database.db')\n"
                      "with open('schema.sql') as f:\n    connection.executescript(f.read())\n"
                      "connection.execute(\"INSERT INTO posts (title) VALUES ('First Post')\")\n"
                      "connection.commit()\n",
    })
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.first_run.argv == ("python", "init_db.py")
    said: list[str] = []
    assert create_missing_sqlite(plan, root, own_environment(), said.append), said
    assert "database.db does not exist yet" in said[0]
    with sqlite3.connect(root / "database.db") as conn:
        conn.execute("INSERT INTO posts (title) VALUES ('mine')")
    said.clear()
    assert not create_missing_sqlite(plan, root, own_environment(), said.append) and said == []
    with sqlite3.connect(root / "database.db") as conn:
        assert [r[0] for r in conn.execute("SELECT title FROM posts")] == ["First Post", "mine"]


def test_the_file_an_init_script_opens_by_name_is_the_database_without_loading_the_app(tmp_path, monkeypatch):
    # bottle's todo tutorial: todo.py opens todo.db inside a route and starts its server at import (run() at module
    # level, so loading it to read its config would block); initdb.py, which makes the table, names the file itself
    root = make_tree(tmp_path / "app", {
        "todo.py": "import sqlite3\nfrom flask import Flask\napp = Flask(__name__)\n\n\n@app.route('/todo')\n"
                   "def todo():\n    return str(sqlite3.connect('todo.db').execute('SELECT * FROM todo').fetchall())\n",
        "requirements.txt": "flask\n",
        "initdb.py": "import sqlite3\nconn = sqlite3.connect(\"todo.db\")\n"
                     "conn.execute(\"create table todo (id integer primary key, task char(100))\")\n"
                     "conn.execute(\"insert into todo (task) values ('this is 1')\")\nconn.commit()\nconn.close()\n",
        "memory.py": "import sqlite3\nsqlite3.connect(':memory:')\n",
    })
    plan = make_plan(root, confirm=False, installed=False)
    assert (plan.first_run.argv, plan.first_run.files) == (("python", "initdb.py"), ("todo.db",))
    assert Plan.from_json(plan.to_json()).first_run == plan.first_run       # in the plan, read back as written

    def not_loaded(*args, **kwargs):
        raise AssertionError("the app was loaded to find its database")

    monkeypatch.setattr("shipyard.run.sqlite_release.config_sqlite_files", not_loaded)
    monkeypatch.setattr("shipyard.run.first_run.config_sqlite_files", not_loaded)
    said: list[str] = []
    assert create_missing_sqlite(plan, root, own_environment(), said.append), said
    assert "todo.db does not exist yet" in said[0]
    with sqlite3.connect(root / "todo.db") as conn:
        assert conn.execute("SELECT task FROM todo").fetchall() == [("this is 1",)]
    said.clear()
    assert not create_missing_sqlite(plan, root, own_environment(), said.append) and said == []   # never again


def test_on_the_apps_own_postgresql_it_runs_on_a_new_database_only(tmp_path):
    """run/database.py: a database this run created (or whose first run failed) gets the init command; one
    that has had it never again. The command here records its runs; PostgreSQL itself plays no part."""
    root = shutil.copytree(APP, tmp_path / "app")
    record = tmp_path / "runs"
    command = Release(("python", "-c", f"import sys; open({str(record)!r}, 'a').write('x'); "
                                       f"sys.exit(int(open({str(record)!r}).read() == 'xx'))"), ".", "the init")
    plan = dataclasses.replace(make_plan(root, confirm=False, installed=False), first_run=command)
    folder = tmp_path / "db"
    folder.mkdir()
    env = own_environment()

    def db(created: bool) -> AppDatabase:
        return AppDatabase(dict(os.environ), url="postgresql://x@127.0.0.1/x", folder=folder, created=created,
                           owed=first_run_owed(folder, created))

    assert db(created=True).release(plan, root, env, print)
    assert not db(created=False).release(plan, root, env, print)           # it has data now
    assert record.read_text() == "x"
    record.write_text("x")                       # the next run fails (exit 1): it is tried again later
    said: list[str] = []
    assert not db(created=True).release(plan, root, env, said.append)
    # the command prints nothing: said so, not "its own error is above" (session 27)
    assert said[-1].startswith("warning: the init failed with exit status 1 and printed nothing"), said[-1]
    assert "error is above" not in said[-1]
    assert db(created=False).release(plan, root, env, print)
    assert record.read_text() == "xxx"


def test_a_quart_cli_command_runs_through_quarts_own_cli(tmp_path):
    root = make_tree(tmp_path / "app", {
        "requirements.txt": "quart\n",
        "app.py": """\
            import sqlite3
            from pathlib import Path
            from quart import Quart
            app = Quart(__name__)
            app.config["DATABASE"] = Path(app.root_path) / "data" / "posts.db"

            @app.cli.command("init_db")
            def init_db():
                app.config["DATABASE"].parent.mkdir(exist_ok=True)
                sqlite3.connect(app.config["DATABASE"]).executescript(
                    "DROP TABLE IF EXISTS post; CREATE TABLE post (id INTEGER);")
            """,
    })
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.first_run.argv == ("python", "-m", "quart", "init_db") and plan.release is None
    assert plan.first_run.env == (("QUART_APP", "app:app"),)
    said: list[str] = []
    assert create_missing_sqlite(plan, root, own_environment(), said.append), said
    assert "data/posts.db does not exist yet" in said[0]
    with sqlite3.connect(root / "data" / "posts.db") as conn:
        assert conn.execute("SELECT count(*) FROM post").fetchone() == (0,)


def test_a_manage_script_command_and_a_create_db_file_are_found(tmp_path):
    app = "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\ndb = SQLAlchemy(app)\n"
    manage = plan_of(tmp_path / "m", {
        "requirements.txt": "flask\nflask-sqlalchemy\n", "project.py": app,
        "manage.py": "from flask.cli import FlaskGroup\nfrom project import app, db\ncli = FlaskGroup(app)\n\n"
                     "@cli.command('create_db')\ndef create_db():\n    db.drop_all()\n    db.create_all()\n\n"
                     "@cli.command('seed_db')\ndef seed_db():\n    pass\n\n"
                     "if __name__ == '__main__':\n    cli()\n",
    })
    assert manage.first_run.argv == ("python", "manage.py", "create_db") and manage.release is None
    # FlaskGroup(app) is given no create_app (that argument is add_default_commands): its commands locate the app
    # only through FLASK_APP, the script's own app (a boilerplate's create_db stopped on "Could not locate a Flask
    # application" and the company list answered 500 on a database with no table)
    assert manage.first_run.env == (("FLASK_APP", "manage:app"),)
    told = plan_of(tmp_path / "t", {
        "requirements.txt": "flask\nflask-sqlalchemy\n", "project.py": app + "def create_app():\n    return app\n",
        "manage.py": "from flask.cli import FlaskGroup\nfrom project import create_app, db\n"
                     "cli = FlaskGroup(create_app=create_app)\n\n"
                     "@cli.command('create_db')\ndef create_db():\n    db.create_all()\n\n"
                     "if __name__ == '__main__':\n    cli()\n",
    })
    assert told.first_run.argv == ("python", "manage.py", "create_db") and told.first_run.env == ()
    # a plain click group whose command is made with @click.command and added to it (`python migrate.py
    # generate-db` in a README, peewee's create_tables): a contacts API answered 500 on a database with no table
    added = plan_of(tmp_path / "g", {
        "requirements.txt": "flask\npeewee\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n",
        "migrate.py": "import click\n\n@click.group()\ndef cli():\n    pass\n\n"
                      "@click.command('generate-db')\ndef generate_database():\n    from models import db, Contact\n"
                      "    db.create_tables([Contact])\n\ncli.add_command(generate_database)\n\n"
                      "if __name__ == '__main__':\n    cli()\n",
    })
    assert added.first_run.argv == ("python", "migrate.py", "generate-db")
    script = plan_of(tmp_path / "s", {
        "requirements.txt": "flask\nflask-sqlalchemy\n", "project.py": app,
        "create_db.py": "from project import app, db\nwith app.app_context():\n    db.create_all()\n",
    })
    assert script.first_run.argv == ("python", "create_db.py") and script.release == script.first_run
    takes_path = plan_of(tmp_path / "a", {
        "requirements.txt": "flask\n", "project.py": app,
        "init_db.py": "import sys\nfrom project import db\ndb.create_all(sys.argv[1])\n",
    })
    assert is_create_all(takes_path.first_run)       # not its init_db.py: Shipyard's own create_all


def test_an_argparse_init_db_subcommand_is_the_first_run_and_a_docstring_is_no_sql(tmp_path):
    # `./parcels.py init_db` (set_defaults(func=create_tables), imported from the project's models): run as the
    # script with that subcommand; the handler's docstring ("Create table structure...") is not read as SQL
    from test_script_entries import SUBCOMMAND_APP, write
    root = write(tmp_path / "app", SUBCOMMAND_APP)
    plan = make_plan(root, confirm=False)
    assert plan.first_run is not None and plan.first_run.argv == ("python", "parcels.py", "init_db"), plan.first_run
    assert plan.release == plan.first_run            # CREATE TABLE IF NOT EXISTS only: safe to repeat
    destructive = write(tmp_path / "drop", {**SUBCOMMAND_APP, "parcels_lib/models.py": SUBCOMMAND_APP[
        "parcels_lib/models.py"].replace("CREATE TABLE IF NOT EXISTS parcel", "DROP TABLE parcel")})
    plan = make_plan(destructive, confirm=False)
    assert plan.first_run.argv == ("python", "parcels.py", "init_db") and plan.release is None


def test_a_readme_init_script_with_options_calling_the_projects_setup_is_the_first_run(tmp_path):
    """job_statistics' shape: the README's one-time setup runs `python init.py -c dev --drop`, then the same for
    prod; init.py parses options (optparse, with defaults) and calls setup_database(app, options.drop), imported
    from the project's package, whose body drops and makes the tables. The production line, options kept; never a
    release (it drops tables)."""
    files = {
        "stats/__init__.py": "",
        "stats/setup.py": "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n\n\n"
                          "def create_app(config):\n    app = Flask(__name__)\n    db.init_app(app)\n    return app\n\n\n"
                          "def setup_database(app, drop=False):\n    with app.app_context():\n        if drop:\n"
                          "            db.drop_all()\n        db.create_all()\n",
        "wsgi.py": "from stats.setup import create_app\n\napp = create_app('prod')\n",
        "init.py": "from optparse import OptionParser\n\nfrom stats.setup import create_app, setup_database\n\n"
                   "if __name__ == '__main__':\n    parser = OptionParser()\n"
                   "    parser.add_option('--drop', dest='drop', default=False, action='store_true')\n"
                   "    parser.add_option('-c', '--config', dest='config', default='dev')\n"
                   "    options, args = parser.parse_args()\n"
                   "    setup_database(create_app(options.config), options.drop)\n",
        "requirements.txt": "Flask\nFlask-SQLAlchemy\n",
        "README.md": "## Setup\n\nOne time setup to create all tables:\n\nfor development:\n`python init.py -c dev --drop`\n\n"
                     "for production:\n`python init.py -c prod --drop`\n\n`python init.py --help` lists the options.\n"}
    plan = plan_of(tmp_path, files)
    assert plan.first_run is not None and plan.first_run.argv == ("python", "init.py", "-c", "prod", "--drop"), \
        plan.first_run
    assert plan.release is None and "python init.py -c prod --drop" in plan.first_run.what
    # the package's setup.py is the app's code (its factory module); a root setup.py calling setuptools is not
    from shipyard.detect.source import parsed
    root = make_tree(tmp_path / "packaged", {**files, "setup.py": "from setuptools import setup\n\nsetup(name='x')\n"})
    assert {"stats/setup.py", "wsgi.py"} <= set(parsed(Project(root))) and "setup.py" not in parsed(Project(root))
    # one line only, with no options: taken as it is written
    plan = plan_of(tmp_path / "one", {**files, "README.md": "Make the tables: `python init.py`\n"})
    assert plan.first_run is not None and plan.first_run.argv == ("python", "init.py")


def test_a_create_schemas_script_beside_an_aiohttp_app_makes_its_tables(tmp_path):
    # the README's step after writing .env: `python create-schemas.py` (metadata.create_all on the app's DSN)
    plan = plan_of(tmp_path, {
        "requirements.txt": "aiohttp\naiopg\nSQLAlchemy\n",
        "app.py": "from aiohttp import web\n\n\nasync def init_app(argv=None):\n    app = web.Application()\n"
                  "    return app\n",
        "models.py": "from sqlalchemy.orm import declarative_base\nBase = declarative_base()\n",
        "create-schemas.py": "from sqlalchemy import create_engine\nfrom models import Base\n\n"
                             "engine = create_engine('sqlite:///x.db')\nBase.metadata.create_all(engine)\n",
    })
    assert plan.first_run.argv == ("python", "create-schemas.py"), plan.first_run


def test_migrations_say_how_the_schema_is_made(tmp_path):
    plan = plan_of(tmp_path, {
        "requirements.txt": "flask\nflask-sqlalchemy\nflask-migrate\n",
        "app.py": FACTORY.format(body='db = None\n@click.command("init-db")\ndef init():\n    db.create_all()\n',
                                 register="app.cli.add_command(init)"),
        "migrations/env.py": "", "migrations/versions/a1_first.py": "revision = 'a1'\ndown_revision = None\n",
    })
    assert plan.release.what.startswith("Flask-Migrate") and plan.first_run is None


AERICH_APP = FIXTURES / "apps" / "tortoise_aerich"


def test_aerich_migrations_are_the_release_where_the_project_has_them(tmp_path):
    plan = make_plan(AERICH_APP, confirm=False, installed=False)
    assert plan.release == Release(("python", "-m", "aerich.cli", "upgrade"), ".",
                                   "aerich (Tortoise ORM: aerich upgrade)")
    compose = render(plan, Target.image(), only=("compose.yaml",))["compose.yaml"]
    assert '["/opt/venv/bin/python", "-m", "aerich.cli", "upgrade"]' in compose
    # the project's pyproject.toml beside a backend/ app: aerich runs where its config is
    nested = shutil.copytree(AERICH_APP, tmp_path / "nested" / "backend")
    assert make_plan(tmp_path / "nested", confirm=False, installed=False).release.workdir == "backend"


@pytest.mark.parametrize("change, why", [
    (lambda app: shutil.rmtree(app / "migrations"), "no migration yet: `aerich init-db` writes the first"),
    # (its config must not name aerich.models either: Tortoise imports that module, so aerich is needed then)
    (lambda app: ((app / "requirements.txt").write_text("starlette\ntortoise-orm\nasyncpg\n"),
                  (app / "app.py").write_text((app / "app.py").read_text().replace(', "aerich.models"', ""))),
     "aerich not declared"),
    (lambda app: (app / "pyproject.toml").write_text("[tool.other]\nlocation = './migrations'\n"), "no [tool.aerich]"),
])
def test_aerich_is_no_release_without_its_config_migrations_and_package(tmp_path, change, why):
    app = shutil.copytree(AERICH_APP, tmp_path / "app")
    change(app)
    assert make_plan(app, confirm=False, installed=False).release is None, why


def test_aerich_named_among_the_tortoise_models_is_needed_and_its_migrations_the_release(tmp_path):
    # undeclared, but TORTOISE_ORM's models list names aerich.models: Tortoise imports it at start-up
    app = shutil.copytree(AERICH_APP, tmp_path / "app")
    (app / "requirements.txt").write_text("starlette\ntortoise-orm\nasyncpg\n")
    plan = make_plan(app, confirm=False, installed=False)
    assert "aerich" in {d.name for d in plan.dependencies}
    assert plan.release == Release(("python", "-m", "aerich.cli", "upgrade"), ".", "aerich (Tortoise ORM: aerich upgrade)")


PICCOLO_APP = FIXTURES / "apps" / "piccolo_postgres"
PICCOLO_FORWARDS = ("python", "-m", "piccolo.main", "migrations", "forwards", "all")


def test_piccolo_migrations_are_the_release_and_postgres_its_database(tmp_path):
    plan = make_plan(PICCOLO_APP, confirm=False, installed=False)
    assert (plan.release.argv, plan.release.workdir, plan.release.what) == \
        (PICCOLO_FORWARDS, ".", "Piccolo (piccolo migrations forwards all)")
    assert "migration_dependencies" in plan.release.hint
    assert [s.name for s in plan.services] == ["postgres"]
    assert plan.services[0].reason == "piccolo[postgres] (requirements.txt)"
    assert "asyncpg" not in {d.name for d in plan.dependencies}        # the extra installs it
    compose = render(plan, Target.image(), only=("compose.yaml",))["compose.yaml"]
    assert '["/opt/venv/bin/python", "-m", "piccolo.main", "migrations", "forwards", "all"]' in compose


def test_piccolos_postgres_engine_alone_needs_postgresql_and_asyncpg(tmp_path):
    """Plain `piccolo` (no extra): PostgresEngine in piccolo_conf.py still talks to PostgreSQL, with asyncpg."""
    app = shutil.copytree(PICCOLO_APP, tmp_path / "app")
    (app / "requirements.txt").write_text("starlette\npiccolo\n")
    plan = make_plan(app, confirm=False, installed=False)
    assert [s.name for s in plan.services] == ["postgres"] and "PostgresEngine(...) in piccolo_conf.py" in \
        plan.services[0].reason
    assert "asyncpg" in {d.name for d in plan.dependencies if d.inferred}


def test_a_piccolo_conf_below_the_import_root_is_named_by_piccolo_conf(tmp_path):
    app = shutil.copytree(PICCOLO_APP, tmp_path / "app")
    (app / "settings").mkdir()
    (app / "settings" / "__init__.py").write_text("")
    (app / "piccolo_conf.py").rename(app / "settings" / "piccolo_conf.py")
    plan = make_plan(app, confirm=False, installed=False)
    assert (plan.release.argv, plan.release.workdir, plan.release.env) == \
        (PICCOLO_FORWARDS, ".", (("PICCOLO_CONF", "settings.piccolo_conf"),))
    assert any("PICCOLO_CONF=settings.piccolo_conf" in n for n in plan.notes), plan.notes


def test_piccolo_apps_run_in_the_order_the_apps_own_script_migrates_them(tmp_path):
    """scripts/migrations.sh runs `piccolo migrations forwards user`, then `home`: the release does too (forwards
    all orders them by declared migration_dependencies alone), then `forwards all`; a test script is not the app's."""
    app = shutil.copytree(PICCOLO_APP, tmp_path / "app")
    (app / "tests").mkdir()
    (app / "tests" / "reset.sh").write_text("piccolo migrations forwards home\npiccolo migrations forwards user\n")
    assert make_plan(app, confirm=False, installed=False).release.argv == PICCOLO_FORWARDS
    (app / "scripts").mkdir()
    (app / "scripts" / "migrations.sh").write_text("#!/bin/sh\npiccolo migrations forwards user\n"
                                                    "piccolo migrations forwards home\n")
    plan = make_plan(app, confirm=False, installed=False)
    assert plan.release.argv[:2] == ("python", "-c") and plan.release.argv[3:] == ("user", "home", "all")
    assert plan.release.what == "Piccolo (piccolo migrations forwards user, home, then all, as " \
                                "scripts/migrations.sh orders them)"


@pytest.mark.parametrize("change, why", [
    (lambda app: (app / "piccolo_conf.py").write_text("DB = None\n"), "no APP_REGISTRY"),
    (lambda app: (app / "piccolo_conf.py").write_text("APP_REGISTRY = AppRegistry(apps=[])\n"), "no app registered"),
    (lambda app: (app / "piccolo_conf.py").unlink(), "no piccolo_conf.py"),
])
def test_piccolo_is_no_release_without_its_package_and_registered_apps(tmp_path, change, why):
    app = shutil.copytree(PICCOLO_APP, tmp_path / "app")
    change(app)
    release = make_plan(app, confirm=False, installed=False).release
    assert release is None or "piccolo" not in release.argv[2], why


def test_a_tortoise_app_without_migrations_gets_generate_schemas_in_serve_only(tmp_path):
    app = shutil.copytree(AERICH_APP, tmp_path / "app")
    shutil.rmtree(app / "migrations")
    plan = make_plan(app, confirm=False, installed=False)
    assert plan.release is None and is_create_all(plan.first_run)
    assert plan.first_run.argv[2] == TORTOISE_SCHEMAS_HELPER.read_text(encoding="utf-8")
    assert plan.first_run.argv[-1] == "app:app"
    note = next(n for n in plan.notes if "Tortoise.generate_schemas()" in n)
    assert "the PostgreSQL stack's release job does too, on every deploy" in note and "aerich init-db" in note
    with pytest.raises(UsageError, match="Tortoise.generate_schemas\\(\\) after the app's start-up") as raised:
        migration_command(plan, app, own_environment())
    assert "aerich init-db" in raised.value.hint
    # next to PostgreSQL: the stack's release job, on every deploy (it creates only what is missing)
    files = render(make_plan(app, {"db": "postgres"}, confirm=False, installed=False), Target.image(),
                   only=("compose.yaml", "shipyard_runtime.py"))
    assert '"/app/shipyard_runtime.py", "first-run"]' in files["compose.yaml"]
    assert "generate_schemas" in files["shipyard_runtime.py"] and "'repeatable': True" in files["shipyard_runtime.py"]


def test_a_pyramid_initialize_db_console_script_gets_the_paste_ini(tmp_path):
    """Pyramid's cookiecutter: setup.py's `initialize_<project>_db = ...:main`, run as
    `initialize_notes_db production.ini`; the database is the ini's sqlalchemy.url, read as text."""
    root = shutil.copytree(FIXTURES / "apps" / "pyramid_initdb", tmp_path / "app")
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.first_run.what == ("the project's `initialize_notes_db production.ini` script "
                                   "(notes.scripts.initialize_db:main)")
    assert plan.release is None              # it inserts a row: not for every deploy
    said: list[str] = []
    assert create_missing_sqlite(plan, root, own_environment(), said.append), said
    assert "notes.sqlite does not exist yet" in said[0]
    with sqlite3.connect(root / "notes.sqlite") as conn:
        assert conn.execute("SELECT body FROM notes").fetchall() == [("welcome",)]


def test_a_command_that_makes_no_table_leaves_no_empty_database(tmp_path):
    root = shutil.copytree(FIXTURES / "apps" / "pyramid_initdb", tmp_path / "app")
    script = root / "notes" / "scripts" / "initialize_db.py"
    script.write_text(script.read_text().replace("    metadata.create_all(engine)\n", "    engine.connect()\n")
                      .replace("        conn.execute(notes.insert().values(body=\"welcome\"))\n", "        pass\n"))
    plan = make_plan(root, confirm=False, installed=False)
    said: list[str] = []
    assert not create_missing_sqlite(plan, root, own_environment(), said.append)
    assert "ran but created no table in notes.sqlite" in said[-1]
    assert not (root / "notes.sqlite").exists()             # the next run tries again


NO_MIGRATIONS = FIXTURES / "apps" / "flask_sqlalchemy_no_migrations"


def test_a_flask_sqlalchemy_app_without_migrations_gets_create_all_in_serve_and_its_sqlite_image(tmp_path):
    plan = make_plan(NO_MIGRATIONS, confirm=False, installed=False)
    assert is_create_all(plan.first_run) and plan.release is None
    assert plan.first_run.argv[:2] == ("python", "-c") and plan.first_run.argv[-1] == "app:app"
    assert plan.first_run.argv[2] == CREATE_ALL_HELPER.read_text(encoding="utf-8")
    note = next(n for n in plan.notes if "db.create_all()" in n)
    assert "the image does too, on its SQLite file" in note and "flask db migrate" in note
    assert any("create_all" in text for text in render(plan, Target.image()).values())
    with pytest.raises(UsageError, match="db.create_all\\(\\) in the app context on a new database") as raised:
        migration_command(plan, NO_MIGRATIONS, own_environment())       # `shipyard migrate` runs nothing
    assert "`flask db init`, `flask db migrate`" in raised.value.hint
    # on PostgreSQL: the stack's release job makes the tables on every deploy, as serve does on its database
    with_db = make_plan(NO_MIGRATIONS, {"db": "postgres"}, confirm=False, installed=False)
    files = render(with_db, Target.image(), only=("compose.yaml", "shipyard_runtime.py"))
    assert '"/app/shipyard_runtime.py", "first-run"]' in files["compose.yaml"]
    assert "create_all" in files["shipyard_runtime.py"] and "'repeatable': True" in files["shipyard_runtime.py"]
    assert "the PostgreSQL stack's release job does too" in next(n for n in with_db.notes if "db.create_all()" in n)


def test_flask_sqlalchemy_that_only_a_declared_package_brings_gets_create_all_too(tmp_path):
    # a pip freeze with flask-migrate (which requires Flask-SQLAlchemy) and no line of its own, no migrations/
    # (the entrypoint runs `flask db init; flask db migrate; flask db upgrade`): the dependencies, read with the
    # installed closure, hold no flask-sqlalchemy; the code imports flask_sqlalchemy
    root = shutil.copytree(NO_MIGRATIONS, tmp_path / "app")
    make_tree(root, {"requirements.txt": "flask-migrate==3.1.0\n"})
    project = Project(root)
    found = entry.find(project, None)
    deps = (Dependency("flask-migrate", "==3.1.0", "requirements.txt"),)
    tables = create_all(project, found, deps)
    assert tables is not None and is_create_all(tables) and tables.argv[-1] == "app:app"
    # without the import, nothing says the app is on Flask-SQLAlchemy
    make_tree(root, {"models.py": "from sqlalchemy.orm import declarative_base\n", "app.py": "from flask import Flask\n"
                     "app = Flask(__name__)\n"})
    assert create_all(Project(root), entry.find(Project(root), None), deps) is None


@pytest.mark.parametrize("extra, why", [
    ({"migrations/env.py": "", "migrations/versions/1a2b_items.py": "revision = '1a2b'\n"},
     "Alembic revisions, without Flask-Migrate"),
    ({"db/alembic/env.py": "", "db/alembic/versions/1a2b_items.py": "revision = '1a2b'\n"},
     "an alembic/ folder anywhere"),
    ({"requirements.txt": "Flask\nSQLAlchemy\n", "models.py": "from sqlalchemy.orm import declarative_base\n"},
     "plain SQLAlchemy: no app.extensions['sqlalchemy']"),
    ({"manage.py": "import click\nfrom flask.cli import FlaskGroup\nfrom app import app\ncli = FlaskGroup(app)\n"
                   "@cli.command('create_db')\ndef create_db():\n    from models import db\n    db.create_all()\n"
                   "if __name__ == '__main__':\n    cli()\n"}, "the app's own init command comes first"),
])
def test_create_all_is_not_taken_where_the_schema_has_another_way(tmp_path, extra, why):
    root = shutil.copytree(NO_MIGRATIONS, tmp_path / "app")
    make_tree(root, extra)
    plan = make_plan(root, confirm=False, installed=False)
    assert not is_create_all(plan.first_run), why


def test_create_all_makes_the_missing_tables_once_and_keeps_data(tmp_path):
    root = shutil.copytree(NO_MIGRATIONS, tmp_path / "app")
    plan = make_plan(root, confirm=False, installed=False)
    env = own_environment()
    said: list[str] = []
    assert create_missing_sqlite(plan, root, env, said.append), said
    database = root / "instance" / "shop.sqlite"
    assert "instance/shop.sqlite does not exist yet" in said[0] and said[-1].startswith("created instance/shop.sqlite")
    with sqlite3.connect(database) as conn:
        conn.execute("INSERT INTO item (name) VALUES ('kept')")
    said.clear()
    assert not create_missing_sqlite(plan, root, env, said.append) and said == []
    # run again by hand (as on serve's own PostgreSQL after a failed first run): only what is missing
    run_migrations(dataclasses.replace(plan, release=plan.first_run), root, env)
    with sqlite3.connect(database) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM item")] == ["kept"]


def test_a_flask_appbuilder_app_gets_create_all_as_its_flask_fab_create_db(tmp_path):
    """Flask-AppBuilder's SQLA is Flask-SQLAlchemy: an app declaring only flask-appbuilder, its models on FAB's
    Model and FAB_CREATE_DB = False (its README's `flask fab create-db` makes the tables), gets create_all."""
    root = make_tree(tmp_path / "fab", {
        "requirements.txt": "Flask-AppBuilder==4.5.0\n",
        "config.py": "SQLALCHEMY_DATABASE_URI = 'sqlite:///app.db'\nFAB_CREATE_DB = False\n",
        "app/__init__.py": "from flask import Flask\nfrom flask_appbuilder import AppBuilder, SQLA\n\n"
                           "app = Flask(__name__)\napp.config.from_object('config')\ndb = SQLA(app)\n"
                           "appbuilder = AppBuilder(app, db.session)\n\nfrom app import models  # noqa\n",
        "app/models.py": "from flask_appbuilder import Model\nfrom sqlalchemy import Column, Integer\n\n\n"
                         "class Note(Model):\n    id = Column(Integer, primary_key=True)\n",
    })
    project = Project(root)
    found = entry.find(project, None)
    tables = create_all(project, found, (Dependency("Flask-AppBuilder", "==4.5.0", "requirements.txt"),))
    assert tables is not None and is_create_all(tables) and tables.argv[-1] == "app:app"


def test_a_sqlite_file_the_import_check_made_is_a_new_database_for_the_first_run(tmp_path):
    """serve lists the app's files before its import check: the SQLite file the import made meanwhile, with a
    table of its own (Flask-AppBuilder's ab_* tables, made when the app is), still gets the models' tables; a file
    that was there before is the user's, left alone."""
    from shipyard.run.first_run import files_before
    root = shutil.copytree(NO_MIGRATIONS, tmp_path / "app")
    plan = make_plan(root, confirm=False, installed=False)
    before = files_before(root)
    database = root / "instance" / "shop.sqlite"
    database.parent.mkdir(exist_ok=True)
    with sqlite3.connect(database) as conn:
        conn.execute("CREATE TABLE ab_user (id integer)")       # what the import made
    said: list[str] = []
    assert not create_missing_sqlite(plan, root, own_environment(), said.append), said   # the user's, as before
    assert said == []
    assert create_missing_sqlite(plan, root, own_environment(), said.append, before=before), said
    assert "instance/shop.sqlite was made by its import check just now" in said[0], said
    with sqlite3.connect(database) as conn:
        assert {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} >= {"ab_user", "item"}
    said.clear()
    assert not create_missing_sqlite(plan, root, own_environment(), said.append, before=files_before(root))


def test_a_table_the_database_refuses_leaves_the_others_made_and_fails(tmp_path):
    """create_all() stops at the first table the database refuses (PostgreSQL: a foreign key to a column that
    is not unique; SQLite here: a CHECK naming no column); the helper then makes the others one by one."""
    root = shutil.copytree(NO_MIGRATIONS, tmp_path / "app")
    models = root / "models.py"
    models.write_text(models.read_text() + "\n\nclass Broken(db.Model):\n    id = db.Column(db.Integer, primary_key=True)"
                      "\n    __table_args__ = (db.CheckConstraint('nope > 0'),)\n\n\nclass Zone(db.Model):\n"
                      "    id = db.Column(db.Integer, primary_key=True)\n")
    plan = make_plan(root, confirm=False, installed=False)
    with pytest.raises(ShipyardError, match="db.create_all\\(\\) of the app's models .* failed"):
        run_migrations(dataclasses.replace(plan, release=plan.first_run), root, own_environment())
    with sqlite3.connect(root / "instance" / "shop.sqlite") as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"item", "zone"}


def test_alembic_settings_in_a_pyramid_ini_are_the_release_and_the_init_script_its_first_run():
    plan = make_plan(FIXTURES / "apps" / "pyramid_alembic_initdb", confirm=False, installed=False)
    assert plan.release.argv == ("python", "-m", "alembic", "-c", "production.ini", "upgrade", "head")
    assert plan.release.what == "Alembic (alembic -c production.ini upgrade head)"
    assert "initialize_notes_db production.ini" in plan.first_run.what
    # an ini without [alembic] has no release: its init script alone makes the tables
    assert make_plan(FIXTURES / "apps" / "pyramid_initdb", confirm=False, installed=False).release is None


MAIN_BLOCK = """\
from sqlalchemy import Column, Integer, create_engine, text
from sqlalchemy.orm import declarative_base

engine = create_engine("sqlite:///notes.db")
Base = declarative_base()


class Note(Base):
    __tablename__ = "note"
    id = Column(Integer, primary_key=True)


def application(environ, start_response):
    with engine.connect() as conn:
        count = conn.execute(text("SELECT COUNT(*) FROM note")).scalar()
    start_response("200 OK", [])
    return [str(count).encode()]


if __name__ == "__main__":
    {creates}
    from wsgiref.simple_server import make_server
    make_server("", 8000, application).serve_forever()
"""


def test_the_tables_an_entry_scripts_main_block_creates_before_its_server_are_made_by_serve_once(tmp_path):
    plan = plan_of(tmp_path, {"app.py": MAIN_BLOCK.format(creates="Base.metadata.create_all(engine)")})
    assert plan.first_run is not None and plan.release == plan.first_run       # creates only what is missing
    assert plan.first_run.what == "the tables app.py's __main__ block creates (Base.metadata.create_all(engine))"
    assert_made_once(plan, tmp_path / "app", "notes.db", "note")


def assert_made_once(plan, root, database, table, column=None):
    """serve's step on a fresh copy: the database file is made with the table, and never again (with a `column`:
    a row the user then writes there is kept by the next start)."""
    said = []
    assert create_missing_sqlite(plan, root, own_environment(), said.append), said
    assert f"{database} does not exist yet" in said[0]
    with sqlite3.connect(root / database) as conn:
        assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (0,)
        if column:
            conn.execute(f"INSERT INTO {table} ({column}) VALUES ('mine')")
    said.clear()
    assert not create_missing_sqlite(plan, root, own_environment(), said.append) and said == []
    if column:
        with sqlite3.connect(root / database) as conn:
            assert conn.execute(f"SELECT {column} FROM {table}").fetchall() == [("mine",)]


IMPORTED_MODELS = """\
from sqlalchemy import Column, Integer, create_engine
from sqlalchemy.orm import declarative_base, sessionmaker

engine = create_engine("sqlite:///books.db")
Base = declarative_base()
session = sessionmaker(bind=engine)()


class Book(Base):
    __tablename__ = "book"
    id = Column(Integer, primary_key=True)


if __name__ == "__main__":
    Base.metadata.create_all(engine)
"""
IMPORTING_ROUTES = """\
from sqlalchemy import text
{imports}


def application(environ, start_response):
    count = session.execute(text("SELECT COUNT(*) FROM book")).scalar()
    start_response("200 OK", [])
    return [str(count).encode()]
"""


@pytest.mark.parametrize("layout, imports", [
    ("flat", "from models import session"),               # routes.py beside models.py, run from that folder
    ("package", "from .db.models import session"),        # a package's module imported relatively
])
def test_the_tables_a_module_the_entry_imports_creates_in_its_main_block_are_made_by_serve_once(
        tmp_path, layout, imports):
    # the README's `python models.py` (create_all under models.py's own __main__): serve imports the entry,
    # which imports models, but never runs that block
    if layout == "flat":
        files = {"routes.py": IMPORTING_ROUTES.format(imports=imports), "models.py": IMPORTED_MODELS}
        models = "models.py"
    else:
        files = {"shop/__init__.py": "", "shop/routes.py": IMPORTING_ROUTES.format(imports=imports),
                 "shop/db/__init__.py": "", "shop/db/models.py": IMPORTED_MODELS}
        models = "shop/db/models.py"
    plan = plan_of(tmp_path, files)
    assert plan.first_run is not None and plan.release == plan.first_run, plan.first_run
    assert plan.first_run.what == f"the tables {models}'s __main__ block creates (Base.metadata.create_all(engine))"
    assert_made_once(plan, tmp_path / "app", "books.db", "book")


def test_a_main_block_of_a_module_the_entry_does_not_import_is_not_taken(tmp_path):
    plan = plan_of(tmp_path, {"routes.py": IMPORTING_ROUTES.format(imports="session = None"),
                              "models.py": IMPORTED_MODELS})
    assert plan.first_run is None


@pytest.mark.parametrize("creates, first_run, idempotent", [
    # peewee: safe=True by default (IF NOT EXISTS); safe=False fails on tables that exist
    ("db.create_tables([Note])", True, True),
    ("db.create_tables([Note], safe=False)", True, False),
    # Flask-SQLAlchemy's db.create_all() needs the app context: Shipyard's own create_all step does that
    ("db.create_all()", False, None),
    # a name the block itself makes: the call cannot run on its own
    ("other = create_engine('sqlite:///x.db'); Base.metadata.create_all(other)", False, None),
])
def test_which_main_block_calls_are_taken(tmp_path, creates, first_run, idempotent):
    code = MAIN_BLOCK.format(creates=creates.replace("; ", "\n    ")) + "db = None\n"
    plan = plan_of(tmp_path, {"app.py": code})
    taken = plan.first_run is not None and "__main__ block" in plan.first_run.what
    assert taken == first_run, plan.first_run
    if first_run:
        assert (plan.release == plan.first_run) == idempotent


LAUNCHER = """\
from sqlalchemy import Column, Integer, create_engine, text
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Note(Base):
    __tablename__ = "note"
    id = Column(Integer, primary_key=True)


class Config:
    ENGINE = create_engine("sqlite:///notes.db")

    @classmethod
    def up(cls):
        {up}

    @classmethod
    def down(cls):
        Base.metadata.drop_all(cls.ENGINE)


def application(environ, start_response):
    with Config.ENGINE.connect() as conn:
        count = conn.execute(text("SELECT COUNT(*) FROM note")).scalar()
    start_response("200 OK", [])
    return [str(count).encode()]


def run():
    try:
        logging_setup()
        Config.up()
        from wsgiref.simple_server import make_server
        make_server("", 8000, application).serve_forever()
    finally:
        Config.down()


def logging_setup():
    pass
"""
LAUNCHER_PYPROJECT = '[project]\nname = "notes"\nversion = "1"\n\n[project.scripts]\nstart = "app:run"\n'


def test_the_tables_the_projects_launcher_script_creates_before_its_server_are_made_by_serve_once(tmp_path):
    # Poetry's `start = "pkg:run"` whose run() makes the tables through a class method, then starts the server
    # (and drops them in its finally:, which runs only after the server stops)
    plan = plan_of(tmp_path, {"app.py": LAUNCHER.format(up="Base.metadata.create_all(cls.ENGINE)"),
                              "pyproject.toml": LAUNCHER_PYPROJECT})
    assert plan.first_run is not None and plan.release == plan.first_run       # creates only what is missing
    assert plan.first_run.what == \
        "the tables the project's `start` script (app:run) creates before it starts the app (Config.up())"
    # the engine a class of the entry module holds (Config.ENGINE) names the database file
    assert_made_once(plan, tmp_path / "app", "notes.db", "note")


@pytest.mark.parametrize("up, taken, idempotent", [
    # clearing first: made once on a new database, never the release
    ("Base.metadata.drop_all(cls.ENGINE); Base.metadata.create_all(cls.ENGINE)", True, False),
    # a set-up that makes no table is no database initialisation (then nothing makes the models' tables: Shipyard's
    # own create_all of the plain SQLAlchemy models is the first run)
    ("print('up')", False, None),
])
def test_which_launcher_calls_are_taken(tmp_path, up, taken, idempotent):
    from shipyard.detect.first_run import SQLALCHEMY_TABLES_WHAT
    plan = plan_of(tmp_path, {"app.py": LAUNCHER.format(up=up.replace("; ", "\n        ")),
                              "pyproject.toml": LAUNCHER_PYPROJECT})
    assert (plan.first_run is not None and plan.first_run.what != SQLALCHEMY_TABLES_WHAT) == taken, plan.first_run
    if taken:
        assert (plan.release == plan.first_run) == idempotent


def test_a_script_that_starts_no_server_is_no_launcher(tmp_path):
    code = LAUNCHER.format(up="Base.metadata.create_all(cls.ENGINE)").replace(
        '        make_server("", 8000, application).serve_forever()\n', "        pass\n")
    assert plan_of(tmp_path, {"app.py": code, "pyproject.toml": LAUNCHER_PYPROJECT}).first_run is None


def _owed_database(folder, emptied: list[bool]):
    """AppDatabase as app_database makes it for a run that did (or did not) create it; emptying is recorded."""
    def db(created: bool) -> AppDatabase:
        return AppDatabase(dict(os.environ), url="postgresql://x@127.0.0.1/x", folder=folder, created=created,
                           owed=first_run_owed(folder, created), empty=lambda: emptied.append(True) or True)
    return db


def test_a_database_whose_first_run_never_came_gets_it_on_the_next_run(tmp_path):
    """first_run_owed: a serve run created the database, then stopped before its first run (the import failed, or
    Ctrl-C during the install): the next run, which did not create it, runs the init command, after emptying what
    the import proofs' create_all left there; a run after that does not."""
    root = shutil.copytree(APP, tmp_path / "app")
    record = tmp_path / "runs"
    command = Release(("python", "-c", f"open({str(record)!r}, 'a').write('x')"), ".", "the init")
    plan = dataclasses.replace(make_plan(root, confirm=False, installed=False), first_run=command)
    folder = tmp_path / "db"
    folder.mkdir()
    emptied: list[bool] = []
    db = _owed_database(folder, emptied)

    db(created=True)                   # made, then the run stopped before release() was called
    said: list[str] = []
    assert db(created=False).release(plan, root, own_environment(), said.append)
    assert record.read_text() == "x" and emptied == [True]
    assert any("emptied again before the init" in line for line in said), said
    assert not db(created=False).release(plan, root, own_environment(), print)
    assert record.read_text() == "x"


def test_migrations_owed_by_a_stopped_run_start_from_an_empty_database(tmp_path):
    """The same for a release (migrations): the next run empties what the import proofs' create_all made before
    migrating, as on a database it created; once migrated, no longer."""
    root = shutil.copytree(APP, tmp_path / "app")
    record = tmp_path / "runs"
    command = Release(("python", "-c", f"open({str(record)!r}, 'a').write('m')"), ".", "the migrations")
    plan = dataclasses.replace(make_plan(root, confirm=False, installed=False), release=command, first_run=None)
    folder = tmp_path / "db"
    folder.mkdir()
    emptied: list[bool] = []
    db = _owed_database(folder, emptied)

    db(created=True)
    assert db(created=False).release(plan, root, own_environment(), print)
    assert record.read_text() == "m" and emptied == [True]
    assert not first_run_owed(folder, False)


SQLITE_INIT_DB_SCRIPT = """\
import sqlite3


def get_db_connection():
    return sqlite3.connect("database.db")


def init_db():
    conn = get_db_connection()
    conn.execute("DROP TABLE IF EXISTS posts")
    conn.execute("CREATE TABLE posts (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL)")
    conn.execute("INSERT INTO posts (title) VALUES (?)", ("First",))
    conn.commit()
    conn.close()


def application(environ, start_response):
    rows = get_db_connection().execute("SELECT title FROM posts").fetchall()
    start_response("200 OK", [])
    return [str(rows).encode()]


if __name__ == "__main__":
    init_db()
    from wsgiref.simple_server import make_server
    make_server("", 8000, application).serve_forever()
"""


@pytest.mark.parametrize("readme, workdir", [("python app/app.py\n", "."), ("cd app; python app.py\n", "app")])
def test_an_own_init_function_a_scripts_main_block_calls_is_run_once_on_a_fresh_database(tmp_path, readme, workdir):
    # the tutorials' `if __name__ == "__main__": init_db(); app.run()` with raw SQL through sqlite3: serve imports
    # the module, so the block never runs; its init_db() (DROP, CREATE, INSERT: not safe to repeat) runs once,
    # where the README runs the script from (the root, with app/ on sys.path, for `python app/app.py`)
    plan = plan_of(tmp_path, {"README.md": readme, "app/app.py": SQLITE_INIT_DB_SCRIPT})
    assert plan.workdir == workdir and plan.first_run is not None, plan.first_run
    assert plan.first_run.what == "the tables app/app.py's __main__ block creates (init_db())"
    assert plan.release is None                                   # drops the table: never on every deploy
    root = tmp_path / "app"
    said = []
    assert create_missing_sqlite(plan, root, own_environment(), said.append), said
    with sqlite3.connect(root / workdir / "database.db") as conn:
        assert conn.execute("SELECT title FROM posts").fetchall() == [("First",)]
        conn.execute("INSERT INTO posts (title) VALUES ('mine')")
    said.clear()
    assert not create_missing_sqlite(plan, root, own_environment(), said.append) and said == []
    with sqlite3.connect(root / workdir / "database.db") as conn:       # the data made since is kept
        assert conn.execute("SELECT COUNT(*) FROM posts").fetchone() == (2,)


@pytest.mark.parametrize("where", ["Path(__file__).parent / 'inventory.db'", "Path('inventory.db')"])
def test_a_database_path_held_as_a_pathlib_constant_gets_the_main_block_init_once(tmp_path, where):
    # a Flask inventory tutorial: `DB_PATH = Path(__file__).parent / "inventory.db"`, sqlite3.connect(DB_PATH), and
    # an init_db() (CREATE TABLE IF NOT EXISTS) that only its `__main__` block calls before app.run(): the file is
    # the app's database although no string names it, so serve makes its tables instead of saying it cannot tell
    code = SQLITE_INIT_DB_SCRIPT.replace('sqlite3.connect("database.db")', "sqlite3.connect(DB_PATH)") \
        .replace("import sqlite3\n", f"import sqlite3\nfrom pathlib import Path\n\nDB_PATH = {where}\n") \
        .replace('    conn.execute("DROP TABLE IF EXISTS posts")\n', "") \
        .replace("CREATE TABLE posts", "CREATE TABLE IF NOT EXISTS posts") \
        .replace('    conn.execute("INSERT INTO posts (title) VALUES (?)", ("First",))\n', "")
    plan = plan_of(tmp_path, {"app.py": code})
    assert plan.first_run is not None and plan.release == plan.first_run        # only IF NOT EXISTS: repeatable
    assert_made_once(plan, tmp_path / "app", "inventory.db", "posts", "title")


def test_a_main_block_call_of_a_function_that_makes_no_table_is_not_a_first_run(tmp_path):
    # (its table-making function renamed off the init names: one nothing calls is test_an_own_init_function_*)
    code = SQLITE_INIT_DB_SCRIPT.replace("    init_db()\n", "    print_banner()\n") \
        .replace("def init_db", "def reset") + "\n\ndef print_banner():\n    print('hello')\n"
    plan = plan_of(tmp_path, {"app.py": code})
    assert plan.first_run is None


TUTORIAL_BLOG = {
    "schema.sql": "drop table if exists entries;\ncreate table entries (id integer primary key, title text);\n",
    "blog.py": "import sqlite3\n\n\ndef connect_db():\n    return sqlite3.connect('blog.db')\n\n\n"
               "def init_db():\n    with connect_db() as db, open('schema.sql') as f:\n"
               "        db.executescript(f.read())\n\n\n"
               "def application(environ, start_response):\n"
               "    rows = connect_db().execute('SELECT title FROM entries').fetchall()\n"
               "    start_response('200 OK', [])\n    return [str(rows).encode()]\n",
    "blog_tests.py": "import blog\n\n\ndef setup_module():\n    blog.init_db()\n",
}


FLASK_BLOG = "import sqlite3\nfrom flask import Flask, current_app\n\n{app}\n\n\ndef init_db():\n" \
    "    with sqlite3.connect('blog.db') as db, current_app.open_resource('schema.sql', 'r') as f:\n" \
    "        db.executescript(f.read())\n\n\n{routes}\n"
FLASK_ROUTE = "@{bp}.route('/')\ndef index():\n    return str(sqlite3.connect('blog.db').execute('SELECT 1'))\n"


@pytest.mark.parametrize("blog", [
    TUTORIAL_BLOG["blog.py"],
    # a Flask app's init_db() reading current_app: run in the app's context, the factory's for a factory entry
    FLASK_BLOG.format(app="app = Flask(__name__)", routes=FLASK_ROUTE.format(bp="app")),
    FLASK_BLOG.format(app="from flask import Blueprint\n\nbp = Blueprint('blog', __name__)",
                      routes=FLASK_ROUTE.format(bp="bp") + "\n\ndef create_app():\n    app = Flask(__name__)\n"
                      "    app.register_blueprint(bp)\n    return app\n"),
])
def test_an_own_init_function_nothing_calls_but_the_tests_is_run_once_on_a_fresh_database(tmp_path, blog):
    # the first Flask tutorial's shape: init_db() runs schema.sql, and the README (or the tutorial) has a person
    # type `from blog import init_db; init_db()` in a shell; only blog_tests.py calls it: run once, never again
    plan = plan_of(tmp_path, {**TUTORIAL_BLOG, "blog.py": blog})
    assert plan.first_run is not None, plan.notes
    assert plan.first_run.what == "blog.py's own init_db(), which nothing in the app calls (a step run by hand " \
                                  "after cloning)"
    assert "\n" not in plan.first_run.argv[2] and plan.first_run.argv[2].endswith("init_db()")  # one line to type
    assert plan.release is None                                   # schema.sql drops the table: never every deploy
    assert_made_once(plan, tmp_path / "app", "blog.db", "entries", "title")


def test_an_imported_modules_init_function_nothing_calls_is_run_once_in_the_apps_context(tmp_path):
    # Flask's "SQLAlchemy in Flask" pattern: database.py's init_db() imports the models and calls
    # Base.metadata.create_all(), and the docs have a person run `from yourapp.database import init_db; init_db()`
    files = {
        "requirements.txt": "flask\nsqlalchemy\n",
        "shop/database.py": "from sqlalchemy import create_engine\nfrom sqlalchemy.orm import declarative_base\n\n"
                            "engine = create_engine('sqlite:///shop.db')\nBase = declarative_base()\n\n\n"
                            "def init_db():\n    import shop.models  # noqa\n"
                            "    Base.metadata.create_all(bind=engine)\n",
        "shop/models.py": "from sqlalchemy import Column, Integer, String\nfrom shop.database import Base\n\n\n"
                          "class Item(Base):\n    __tablename__ = 'items'\n    id = Column(Integer, primary_key=True)\n"
                          "    name = Column(String(50))\n",
        "shop/__init__.py": "from flask import Flask\nfrom shop.database import engine\n\napp = Flask(__name__)\n\n\n"
                            "@app.route('/')\ndef index():\n"
                            "    return str(engine.connect().exec_driver_sql('SELECT COUNT(*) FROM items').scalar())\n",
    }
    plan = plan_of(tmp_path, files)
    assert plan.first_run is not None and plan.first_run.what.startswith("shop/database.py's own init_db()")
    assert plan.release == plan.first_run                               # create_all() only: safe on every deploy
    assert_made_once(plan, tmp_path / "app", "shop.db", "items", "name")


@pytest.mark.parametrize("change", [
    {"blog.py": TUTORIAL_BLOG["blog.py"] + "\ninit_db()\n"},                             # made at import
    {"hooks.py": "from blog import init_db\n\nON_START = [init_db]\n"},                 # handed on
    {"blog.py": TUTORIAL_BLOG["blog.py"].replace("def init_db():", "def init_db(path):")},  # needs an argument
    {"blog.py": TUTORIAL_BLOG["blog.py"].replace("def init_db():\n", "def init_db():\n    input('Sure? ')\n")},
])
def test_an_own_init_function_the_app_uses_or_that_needs_an_argument_is_not_a_first_run(tmp_path, change):
    assert plan_of(tmp_path, {**TUTORIAL_BLOG, **change}).first_run is None


def test_a_first_run_that_exits_0_but_makes_no_table_stays_owed(tmp_path):
    """An app's own `migrate` command that catches every error and exits 0 (a Quart CLI printing the exception)
    left the new database empty, and serve took its first run as done: a first run after which the app's
    databases hold no relation is said and tried again on the next run; once it makes its tables, it is done."""
    root = shutil.copytree(APP, tmp_path / "app")
    record = tmp_path / "runs"
    command = Release(("python", "-c", f"open({str(record)!r}, 'a').write('x')"), ".", "the init")
    plan = dataclasses.replace(make_plan(root, confirm=False, installed=False), first_run=command)
    folder = tmp_path / "db"
    folder.mkdir()
    tables = [0]

    def db(created: bool) -> AppDatabase:
        return AppDatabase(dict(os.environ), url="postgresql://x@127.0.0.1/x", folder=folder, created=created,
                           owed=first_run_owed(folder, created), relations=lambda: tables[0])

    said: list[str] = []
    assert not db(created=True).release(plan, root, own_environment(), said.append)
    assert any("the init exited 0 but made no table in the app's new PostgreSQL" in line for line in said), said
    assert first_run_owed(folder, False)
    tables[0] = 3                      # the next run's init makes them
    assert db(created=False).release(plan, root, own_environment(), print)
    assert record.read_text() == "xx" and not first_run_owed(folder, False)


PLAIN_SQLALCHEMY = {
    "requirements.txt": "fastapi\nsqlalchemy\n",
    "database.py": "from sqlalchemy import create_engine\nfrom sqlalchemy.orm import declarative_base, sessionmaker\n\n"
                   "engine = create_engine('sqlite:///./items.db', connect_args={'check_same_thread': False})\n"
                   "SessionLocal = sessionmaker(bind=engine)\nBase = declarative_base()\n",
    "models.py": "from sqlalchemy import Column, Integer, String, ForeignKey\nfrom database import Base\n\n\n"
                 "class Owner(Base):\n    __tablename__ = 'owners'\n    id = Column(Integer, primary_key=True)\n\n\n"
                 "class Item(Base):\n    __tablename__ = 'items'\n    id = Column(Integer, primary_key=True)\n"
                 "    name = Column(String(80))\n    owner_id = Column(Integer, ForeignKey('owners.id'))\n",
    "main.py": "from fastapi import FastAPI\nimport models\nfrom database import SessionLocal\n\napp = FastAPI()\n\n\n"
               "@app.get('/items')\ndef items():\n    with SessionLocal() as db:\n"
               "        return [i.name for i in db.query(models.Item).all()]\n",
}


def test_plain_sqlalchemy_models_nothing_makes_tables_of_get_create_all_in_serve_once(tmp_path):
    """The FastAPI tutorial's shape with its `Base.metadata.create_all(bind=engine)` line left out, and no
    migrations: nothing makes the tables, so every page reading them answers 500 on a new database. serve makes
    them on the engine the app's modules hold, once, and keeps the data."""
    from shipyard.detect.first_run import SQLALCHEMY_TABLES_HELPER
    root = make_tree(tmp_path / "app", PLAIN_SQLALCHEMY)
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.release is None and is_create_all(plan.first_run)
    assert plan.first_run.argv[2] == SQLALCHEMY_TABLES_HELPER.read_text(encoding="utf-8")
    assert plan.first_run.argv[-1] == "main:app"
    note = next(n for n in plan.notes if "Base.metadata.create_all(engine)" in n)
    assert "alembic revision --autogenerate" in note
    said: list[str] = []
    assert create_missing_sqlite(plan, root, own_environment(), said.append), said
    assert said[-1].startswith("created items.db")
    with sqlite3.connect(root / "items.db") as conn:
        assert {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} == {"owners", "items"}
        conn.execute("INSERT INTO items (name) VALUES ('kept')")
    run_migrations(dataclasses.replace(plan, release=plan.first_run), root, own_environment())    # again: kept
    with sqlite3.connect(root / "items.db") as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM items")] == ["kept"]


@pytest.mark.parametrize("extra, why", [
    ({"main.py": PLAIN_SQLALCHEMY["main.py"] + "models.Base.metadata.create_all(bind=None)\n"},
     "the app makes its tables itself"),
    ({"database.py": PLAIN_SQLALCHEMY["database.py"] + "\n\ndef init_db():\n    Base.metadata.create_all(engine)\n"},
     "a module the app imports makes them (a function it may call at start-up)"),
    ({"alembic/env.py": "", "alembic/versions/1a2b_items.py": "revision = '1a2b'\n"}, "Alembic revisions"),
    ({"models.py": "from database import Base\n"}, "no mapped model"),
    ({"models.py": '"""The models.\n\nclass ClassName(Base):\n    __tablename__ = "table_name"\n"""\n\n'
                   '# from .database import Base\n'}, "a docstring's example model is not a model"),
])
def test_plain_sqlalchemy_tables_are_not_made_where_the_app_has_a_way(tmp_path, extra, why):
    root = make_tree(tmp_path / "app", {**PLAIN_SQLALCHEMY, **extra})
    plan = make_plan(root, confirm=False, installed=False)
    assert not (plan.first_run and "SQLAlchemy models" in plan.first_run.what), why


def test_the_plain_sqlalchemy_step_does_not_guess_between_two_databases(tmp_path, capfd):
    root = make_tree(tmp_path / "app", {**PLAIN_SQLALCHEMY, "database.py": PLAIN_SQLALCHEMY["database.py"]
                                        + "audit_engine = create_engine('sqlite:///./audit.db')\n"})
    plan = make_plan(root, confirm=False, installed=False)
    with pytest.raises(ShipyardError, match="metadata.create_all\\(\\) of the app's SQLAlchemy models .* failed"):
        run_migrations(dataclasses.replace(plan, release=plan.first_run), root, own_environment())
    assert ("2 engines on different databases (sqlite:///./audit.db, sqlite:///./items.db): which database gets "
            "the models' tables is not guessed; no table created") in capfd.readouterr().err
    assert not (root / "items.db").exists() and not (root / "audit.db").exists()


def test_a_tests_fixture_making_the_tables_leaves_the_app_without_them_and_init_keeps_the_step(tmp_path, capsys):
    """conftest.py's `Base.metadata.create_all(bind=engine)` makes the tables of the test database only; and the
    runtime `shipyard init` writes carries this step's own create_all, which must not read as the app's."""
    from shipyard.__main__ import main
    root = make_tree(tmp_path / "app", {**PLAIN_SQLALCHEMY, "tests/conftest.py": "from database import Base, engine\n"
                                        "Base.metadata.create_all(bind=engine)\n"})
    first = make_plan(root, confirm=False, installed=False)
    assert is_create_all(first.first_run)
    assert main(["init", str(root), "--no-import"]) == 0
    capsys.readouterr()
    assert "create_all(" in (root / "shipyard_runtime.py").read_text()
    again = make_plan(root, confirm=False, installed=False)
    assert again.first_run == first.first_run


# a 2024 course lesson: the README's `python3 database.py` makes the tables (SQLAlchemy's async engine hands
# create_all to run_sync) and adds two rows, then `python3 main.py` serves; before, Shipyard ran its own
# create_all, and the pages that read those rows answered 404
COURSE_DATABASE = """\
import asyncio
from sqlalchemy.ext.asyncio import create_async_engine, async_sessionmaker
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

engine = create_async_engine("sqlite+aiosqlite:///./test.db")
async_session = async_sessionmaker(bind=engine)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


async def main():
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.drop_all)
        await conn.run_sync(Base.metadata.create_all)
    async with async_session() as sess:
        sess.add(User(name="admin"))
        await sess.commit()


if __name__ == "__main__":
    asyncio.run(main())
"""
COURSE_MAIN = ("import fastapi\nfrom database import async_session, User\n\napp = fastapi.FastAPI()\n\n\n"
               "@app.get('/users')\nasync def users():\n    return []\n\n\nif __name__ == '__main__':\n"
               "    import uvicorn\n    uvicorn.run('main:app')\n")
COURSE_README = ("# Async SQLAlchemy\n\n### Create the database and tables\n\n`python3 database.py`\n\n"
                 "### Start uvicorn\n\n`python3 main.py`\n")


def test_a_script_the_readme_runs_that_makes_tables_is_the_first_run(tmp_path):
    root = make_tree(tmp_path / "course", {"database.py": COURSE_DATABASE, "main.py": COURSE_MAIN,
                                           "README.md": COURSE_README,
                                           "requirements.txt": "fastapi\nSQLAlchemy\naiosqlite\n"})
    plan = make_plan(root, confirm=False)
    assert plan.first_run.argv == ("python", "database.py")
    assert "its README's step" in plan.first_run.what
    # it drops and adds rows: once, on a new database, never over the data
    setup = render(plan, Target.image())["shipyard_runtime.py"]
    assert "'once': {'what': \"the app's `python database.py` script (its README's step)\"" in setup
    # the README's `python3 main.py` (the entry) is not taken; nor a script that makes no table
    other = make_tree(tmp_path / "plain", {"database.py": "print('hello')\n", "main.py": COURSE_MAIN,
                                           "README.md": COURSE_README, "requirements.txt": "fastapi\n"})
    assert make_plan(other, confirm=False).first_run is None



# a bottle CRUD example: its controller reads the checklist table at import (index() called at module level, which
# exits when the table is missing); the README's step `python project/models/model.py`, run from the root, makes
# checklist.db there, its work inside a `try:`
CRUD = {
    "app.py": "from project import app\n",
    "project/__init__.py": "from bottle import Bottle\napp = Bottle()\nfrom project.controllers import controller\n",
    "project/controllers/__init__.py": "",
    "project/controllers/controller.py":
        "import sqlite3\nfrom bottle import route, run\n\n\n@route('/')\ndef index():\n"
        "    return str(sqlite3.connect('checklist.db').execute('SELECT task FROM checklist').fetchall())\n\n\n"
        "try:\n    index()\nexcept Exception:\n    raise SystemExit\n\nrun(reloader=True)\n",
    "project/models/__init__.py": "",
    "project/models/model.py":
        "import sqlite3\ntry:\n    conn = sqlite3.connect('checklist.db')\n"
        "    conn.execute('CREATE TABLE checklist(id INTEGER PRIMARY KEY, task VARCHAR(100) NOT NULL)')\n"
        "    conn.execute(\"INSERT INTO checklist(id, task) VALUES (1, 'Task number 1')\")\n    conn.commit()\n"
        "except Exception:\n    raise SystemExit\n",
    "tests/make_db.py": "import sqlite3\nsqlite3.connect('t.db').execute('CREATE TABLE t(id INTEGER)')\n",
    "README.md": "### prepare:\n```\n$ pip install -r requirements.txt\n$ python tests/make_db.py\n"
                 "$ python project/models/model.py\n```\n\n### usage:\n```\n$ python app.py\n```\n",
    "requirements.txt": "bottle\n",
}


def test_a_readme_script_in_a_subfolder_makes_the_table_the_import_reads_before_the_import_is_checked_again(
        tmp_path):
    from shipyard.run.first_run import files_before, run_first_run
    root = make_tree(tmp_path / "crud", CRUD)
    plan = make_plan(root, confirm=False, installed=False)
    # run as the README runs it, from the root (where the app opens checklist.db); a tests/ script is no step
    assert (plan.first_run.argv, plan.first_run.workdir, plan.first_run.files) == \
        (("python", "project/models/model.py"), ".", ("checklist.db",))
    said: list[str] = []
    (root / "checklist.db").touch()     # what an earlier import check's sqlite3.connect left (inspect, then serve)
    db = AppDatabase(environ={}, files_before=files_before(root))

    def failed(message: str) -> AppLoadError:
        exc = AppLoadError(message)
        exc.environment, exc.plan = own_environment(), plan     # as ready_app hands them on
        return exc
    other = failed("app.py:1: importing app:app failed: No module named 'bottle'")
    assert not db.first_run_for_import(other, root, said.append) and said == []
    reads = failed("project/controllers/controller.py:10: importing project.controllers.controller:"
                   "default_app() failed: it calls sys.exit(None) at import, after printing "
                   "'sqlite3.OperationalError: no such table: checklist'")
    assert db.first_run_for_import(reads, root, said.append), said
    assert "runs before the import is checked again" in said[0]
    with sqlite3.connect(root / "checklist.db") as conn:
        assert conn.execute("SELECT task FROM checklist").fetchall() == [("Task number 1",)]
    # the release after the import check does not make it again (its CREATE TABLE would fail)
    assert not run_first_run(plan, root, own_environment(), said.append, before=db.files_before)


COURSE_SQLITE_APP = """\
import sqlite3
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    conn = sqlite3.connect("database.db")
    rows = conn.execute("SELECT title FROM types ORDER BY id").fetchall()
    conn.close()
    return ", ".join(r[0] for r in rows)
"""
COURSE_SQLITE_README = ("# Recipes\n\n5. Create the database\n```bash\nsqlite3 database.db < schema.sql\n"
                        "sqlite3 database.db < init.sql\nsqlite3 test.db < schema.sql\n```\n\n6. `flask run`\n")


def test_the_readme_s_sqlite3_shell_loads_make_the_database_once_in_its_order(tmp_path):
    """A course app on Python's sqlite3 whose README loads schema.sql, then init.sql, into database.db with the
    sqlite3 shell: serve does the same once, on a fresh copy (no sqlite3 shell needed), and never over the data;
    the test database's load is not taken."""
    files = {"app.py": COURSE_SQLITE_APP, "README.md": COURSE_SQLITE_README,
             "schema.sql": "CREATE TABLE types (id INTEGER PRIMARY KEY, title TEXT);\n.headers on\n",
             "init.sql": "INSERT INTO types (title) VALUES ('Snack');\nINSERT INTO nothing VALUES (1);\n"
                         "INSERT INTO types (title) VALUES ('Dessert');\n"}
    plan = plan_of(tmp_path, files)
    assert plan.first_run is not None and plan.first_run.files == ("database.db",), plan.first_run
    assert plan.first_run.argv[3:] == ("database.db", "schema.sql", "init.sql") and plan.release is None
    assert any("sqlite3 shell initialises the database and is not safe to repeat" in n for n in plan.notes)
    root = tmp_path / "app"
    said: list[str] = []
    assert create_missing_sqlite(plan, root, own_environment(), said.append), said
    with sqlite3.connect(root / "database.db") as conn:
        # a failing statement is passed, as the shell does with a redirected file
        assert conn.execute("SELECT title FROM types ORDER BY id").fetchall() == [("Snack",), ("Dessert",)]
    assert not create_missing_sqlite(plan, root, own_environment(), said.append)     # there: left alone
    assert not (root / "test.db").exists()


PEEWEE_MIGRATE_APP = FIXTURES / "apps" / "peewee_migrate_src"


def test_peewee_migrate_migrations_are_the_release_run_from_their_folder_with_the_app_s_on_the_path(tmp_path):
    """peewee-migrate declared and numbered migrate(migrator, database) files in migrations/ at the root of an app
    run from src/: the release is `pw_migrate migrate` from the root, src/ on the path (the migration imports the
    model as the app does); DATABASE_URL, when set, is its --database. Without peewee-migrate, or with no numbered
    migration, there is none."""
    from shipyard.detect.release import PEEWEE_MIGRATE
    plan = make_plan(PEEWEE_MIGRATE_APP, confirm=False, installed=False)
    assert plan.entry.target == "index:app" and plan.workdir == "src", (plan.entry, plan.workdir)
    assert plan.release.argv == ("python", "-c", PEEWEE_MIGRATE, "migrations") and plan.release.workdir == "."
    assert plan.release.env == (("PYTHONPATH", "src"),) and plan.release.what.startswith("peewee-migrate")
    app = shutil.copytree(PEEWEE_MIGRATE_APP, tmp_path / "app")
    (app / "requirements.txt").write_text("bottle\npeewee\npsycopg2-binary\n")
    assert make_plan(app, confirm=False, installed=False).release is None
    (app / "requirements.txt").write_text("bottle\npeewee\npeewee-migrate\npsycopg2-binary\n")
    (app / "migrations" / "001_initial.py").rename(app / "migrations" / "helpers.py")
    assert make_plan(app, confirm=False, installed=False).release is None


ONE_FILE_TODO = """\
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///app.db"
db = SQLAlchemy(app)


class Todo(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    content = db.Column(db.String(200))


@app.route("/")
def index():
    return str(Todo.query.count())


if __name__ == '__main__':
    with app.app_context():
        db.create_all()
    app.run(debug=True)
"""


def test_the_readme_s_python_app_py_that_makes_tables_then_serves_is_not_the_first_run(tmp_path):
    """A README's `python app.py` whose __main__ makes the tables and then starts the dev server (app.run()) is
    how the app runs, not a step that ends: run as the first run, it serves on port 5000 (or fails when that
    port is taken, and its database is thrown away). The app gets Shipyard's create_all instead, which makes
    the table in instance/app.db and returns; the async `python3 database.py` (asyncio.run) stays a step."""
    files = {"app.py": ONE_FILE_TODO, "wsgi.py": "from app import app\n",
             "README.md": "pip install -r requirements.txt\ntouch app.db\n\n### Usage locally\n\n```\npython app.py\n```\n",
             "requirements.txt": "Flask\nFlask-SQLAlchemy\n"}
    plan = plan_of(tmp_path, files)
    assert plan.entry.target == "wsgi:app", plan.entry
    assert is_create_all(plan.first_run), plan.first_run
    root = tmp_path / "app"
    said: list[str] = []
    assert create_missing_sqlite(plan, root, own_environment(), said.append), said
    with sqlite3.connect(root / "instance" / "app.db") as conn:
        assert conn.execute("SELECT count(*) FROM todo").fetchone() == (0,)


def test_tables_made_only_by_a_script_the_app_never_imports_still_get_create_all_in_serve(tmp_path):
    """A compose template's `make migrate` runs `python3 -m api.migrate_db` by hand (drop_all, then create_all);
    serve imports the app, which never imports that module, so on a new database every page reading a table
    answered 500: a create_all only outside the files importing the app runs is no way of the app's, and serve's
    own create_all makes the missing tables (once, keeping data), as for an app with none."""
    root = make_tree(tmp_path / "app", {**PLAIN_SQLALCHEMY, "migrate_db.py": (
        "from database import Base, engine\nimport models\n\n\ndef reset_database():\n"
        "    Base.metadata.drop_all(bind=engine)\n    Base.metadata.create_all(bind=engine)\n\n\n"
        "if __name__ == '__main__':\n    reset_database()\n")})
    plan = make_plan(root, confirm=False, installed=False)
    assert is_create_all(plan.first_run) and plan.first_run.argv[-1] == "main:app", plan.first_run
    said: list[str] = []
    assert create_missing_sqlite(plan, root, own_environment(), said.append), said
    with sqlite3.connect(root / "items.db") as conn:
        assert {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} == {"owners", "items"}
    # the app importing that module (its start-up may call reset_database()): its own way, no step added
    make_tree(root, {"main.py": "import migrate_db\n" + PLAIN_SQLALCHEMY["main.py"]})
    assert not is_create_all(make_plan(root, confirm=False, installed=False).first_run)


def test_create_all_imports_the_entry_from_its_import_folder_as_the_server_does(tmp_path):
    # a 2018 todo API: the README runs `python backend/app.py` from the root (the entry runs from the root with
    # backend/ on sys.path); Shipyard's create_all ran from the root without it: "No module named 'app'", then
    # every page reading the todo table answered 500
    import subprocess
    import sys
    root = make_tree(tmp_path / "proj", {
        "README.md": "# todo\n\n```shell\npip install -r backend/requirements.txt\npython backend/app.py\n```\n",
        "backend/requirements.txt": "Flask\nFlask-SQLAlchemy\n",
        "backend/app.py": """
            import os
            from flask import Flask
            from flask_sqlalchemy import SQLAlchemy

            app = Flask(__name__)
            app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(os.path.dirname(__file__), "todo.db")
            db = SQLAlchemy(app)


            class Todo(db.Model):
                id = db.Column(db.Integer, primary_key=True)


            @app.route("/todo")
            def todos():
                return str(len(Todo.query.all()))


            if __name__ == "__main__":
                app.run()
            """})
    plan = make_plan(root, confirm=False, installed=False)
    assert (plan.workdir, plan.entry.import_folder) == (".", "backend"), plan.entry
    assert is_create_all(plan.first_run) and plan.first_run.argv[3:] == ("app:app", "backend")
    done = subprocess.run([sys.executable, *plan.first_run.argv[1:]], cwd=root / plan.first_run.workdir,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "created 1 table(s): todo" in done.stdout


BLOCK_BUILT_DB = """\
from sqlalchemy import Column, Integer, MetaData, Table, create_engine

meta = MetaData()
book = Table("book", meta, Column("id", Integer, primary_key=True))


def create_tables(engine):
    meta.create_all(bind=engine, tables=[book])


def sample_rows(engine):
    with engine.begin() as conn:
        conn.execute(book.insert(), [{{"id": 1}}])


if __name__ == "__main__":
    engine = create_engine("sqlite:///books.db")
    create_tables(engine)
    {more}
"""
WSGI_ENTRY = """\
from sqlalchemy import create_engine, func, select
from db import book

engine = create_engine("sqlite:///books.db")


def application(environ, start_response):
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(book)).scalar()
    start_response("200 OK", [])
    return [str(count).encode()]
"""
AIOHTTP_ENTRY = """\
from aiohttp import web
from db import book


async def index(request):
    return web.Response(text=str(book.name))


app = web.Application()
app.router.add_get("/", index)
web.run_app(app)
"""


@pytest.mark.parametrize("entry", [WSGI_ENTRY, AIOHTTP_ENTRY], ids=["wsgi", "aiohttp-run-app-at-import"])
def test_a_module_the_entry_imports_making_tables_with_what_its_main_block_builds_is_run_as_a_file_once(
        tmp_path, entry):
    # the aiohttp polls tutorial's db.py: `engine = create_engine(...)` then `create_tables(engine)` under its
    # own __main__, run once as `python db.py`; the entry may start its dev server when imported (web.run_app)
    plan = plan_of(tmp_path, {"app.py": entry, "db.py": BLOCK_BUILT_DB.format(more="pass")})
    assert plan.first_run is not None, plan.entry
    assert plan.first_run.argv == ("python", "db.py") and plan.first_run.workdir == "."
    assert plan.first_run.what == "the app's `python db.py` (the tables its __main__ block creates)"
    assert plan.release == plan.first_run                      # create_all only: safe on every deploy
    if entry is WSGI_ENTRY:
        assert_made_once(plan, tmp_path / "app", "books.db", "book")


def test_a_main_block_that_also_writes_rows_is_run_once_and_never_the_release(tmp_path):
    plan = plan_of(tmp_path, {"app.py": WSGI_ENTRY, "db.py": BLOCK_BUILT_DB.format(more="sample_rows(engine)")})
    assert plan.first_run is not None and plan.first_run.argv == ("python", "db.py")
    assert plan.release is None or plan.release != plan.first_run


def test_a_main_block_that_serves_or_makes_no_table_is_no_first_run(tmp_path):
    serving = BLOCK_BUILT_DB.format(more="from wsgiref.simple_server import make_server\n"
                                         "    make_server('', 8000, None).serve_forever()")
    plan = plan_of(tmp_path, {"app.py": WSGI_ENTRY, "db.py": serving})
    assert plan.first_run is None or "db.py" not in plan.first_run.what
    idle = BLOCK_BUILT_DB.replace("    create_tables(engine)\n", "    print(engine)\n").format(more="pass")
    plan = plan_of(tmp_path / "idle", {"app.py": WSGI_ENTRY, "db.py": idle})
    assert plan.first_run is None or "db.py" not in plan.first_run.what


# a stand-in for peewee (no install): models bound to the database their Meta names, create_tables with SQLite
FAKE_PEEWEE = '''import sqlite3


class SqliteDatabase:
    deferred = False

    def __init__(self, database):
        self.database = database

    def get_tables(self):
        with sqlite3.connect(self.database) as conn:
            return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    def create_tables(self, models, safe=True):
        with sqlite3.connect(self.database) as conn:
            for model in models:
                conn.execute(f"CREATE TABLE {'IF NOT EXISTS ' if safe else ''}{model.__name__.lower()} (id INTEGER)")

    def is_closed(self):
        return True


class _Bound(type):
    def __new__(mcs, name, bases, namespace):
        cls = super().__new__(mcs, name, bases, namespace)
        database = getattr(namespace.get("Meta"), "database", None)
        database = database or next((b._meta.database for b in bases if hasattr(b, "_meta")), None)
        cls._meta = type("Meta", (), {"database": database})
        return cls


class Model(metaclass=_Bound):
    pass


class CharField:
    pass
'''
PEEWEE_APP = {
    "peewee.py": FAKE_PEEWEE,
    "models.py": "import peewee as pw\n\ndb = pw.SqliteDatabase('inventory.db')\n\n\nclass BaseModel(pw.Model):\n"
                 "    class Meta:\n        database = db\n\n\nclass Store(BaseModel):\n    name = pw.CharField()\n\n\n"
                 "class Product(BaseModel):\n    name = pw.CharField()\n",
    "server.py": "from flask import Flask\nfrom models import db, Store\n\napp = Flask(__name__)\n\n\n"
                 "@app.cli.command()\ndef migrate():\n    db.evolve(ignore_tables={'base_model'})\n\n\n"
                 "@app.route('/stores')\ndef stores():\n    return str(len(list(Store.select())))\n",
    "requirements.txt": "Flask==3.0.3\npeewee==3.17.0\npeewee-db-evolve==3.7.0\n",
}


def test_peewee_models_nothing_makes_tables_of_get_them_made_in_serve_once(tmp_path):
    """A 2019 bootcamp app's shape: peewee models on a BaseModel whose Meta names the database, and a `flask migrate`
    command running peewee-db-evolve's evolve(), which asks for a typed "yes": nothing serve can run makes the
    tables, so every page reading them answered 500 (and the connection its before_request opened stayed open).
    serve makes the tables of the app's own models, not of the base they share, once."""
    from shipyard.detect.first_run import PEEWEE_TABLES_HELPER
    root = make_tree(tmp_path / "app", PEEWEE_APP)
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.release is None and is_create_all(plan.first_run)
    assert plan.first_run.argv[2] == PEEWEE_TABLES_HELPER.read_text(encoding="utf-8")
    assert plan.first_run.argv[-1] == "server:app"
    run_migrations(dataclasses.replace(plan, release=plan.first_run), root, own_environment())
    with sqlite3.connect(root / "inventory.db") as conn:
        assert {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} == \
            {"store", "product"}
        conn.execute("INSERT INTO store (id) VALUES (7)")
    run_migrations(dataclasses.replace(plan, release=plan.first_run), root, own_environment())    # again: kept
    with sqlite3.connect(root / "inventory.db") as conn:
        assert [r[0] for r in conn.execute("SELECT id FROM store")] == [7]


@pytest.mark.parametrize("extra, why", [
    ({"server.py": PEEWEE_APP["server.py"] + "db.create_tables([Store])\n"}, "the app makes its tables itself"),
    ({"models.py": PEEWEE_APP["models.py"] + "\n\ndef setup():\n    Product.create_table()\n"}, "a model's create_table"),
    ({"migrations/001_initial.py": "def migrate(migrator, database, fake=False, **kwargs):\n    pass\n"},
     "peewee-migrate's migrations"),
])
def test_peewee_tables_are_not_made_where_the_app_has_a_way(tmp_path, extra, why):
    root = make_tree(tmp_path / "app", {**PEEWEE_APP, **extra})
    plan = make_plan(root, confirm=False, installed=False)
    assert not (plan.first_run and "peewee models" in plan.first_run.what), why


def test_create_all_runs_a_script_whose_guard_imports_and_sets_up_the_app(tmp_path):
    # the entry run.py:app (main_setup): run.py imports the app only inside its `__main__` block, then app.run();
    # the helper, which imports the entry, found no `app` (NameError) and made no table: it now runs the script as
    # __main__ with app.run() a no-op, as shipyard_entry.py serves it
    root = make_tree(tmp_path / "guarded", {
        "pkg/__init__.py": """
            from flask import Flask
            from flask_sqlalchemy import SQLAlchemy

            app = Flask(__name__)
            app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + __import__("os").path.abspath("app.db")
            db = SQLAlchemy(app)


            class Link(db.Model):
                id = db.Column(db.Integer, primary_key=True)
            """,
        "run.py": """
            if __name__ == "__main__":
                from pkg import app
                app.secret_key = "x"
                app.run(port=1)
            """})
    done = subprocess.run([sys.executable, "-c", CREATE_ALL_HELPER.read_text(encoding="utf-8"), "run:app"], cwd=root,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "db.create_all()" in done.stdout and (root / "app.db").is_file()


# a 2025 FastAPI API on MySQL: db/connection.py connects at import and the app's modules import it; db/migrations.py
# (`from connection import cursor`, then plain CREATE TABLE statements) was run by hand once, from db/. Before,
# nothing made the tables and every page that reads one answered 500
MYSQL_CONNECTION = ("import os\nimport mysql.connector\nconnection = mysql.connector.connect(host='localhost', "
                    "user=os.getenv('DB_USER'), password=os.getenv('DB_PASSWORD'), database=os.getenv('DB_NAME'))\n"
                    "cursor = connection.cursor()\n")
MYSQL_TABLES = ("from connection import cursor\n\ncursor.execute('CREATE TABLE item (id INT PRIMARY KEY, name TEXT)')\n"
                "cursor.execute('CREATE TABLE stock (id INT PRIMARY KEY, item_id INT, n INT, "
                "FOREIGN KEY (item_id) REFERENCES item(id) ON UPDATE CASCADE)')\n")
MYSQL_APP = ("from fastapi import FastAPI\nfrom db.connection import cursor\n\napp = FastAPI()\n\n\n@app.get('/items')\n"
             "def items():\n    cursor.execute('SELECT * FROM item')\n    return cursor.fetchall()\n")


def test_a_script_in_the_db_folder_that_only_creates_tables_is_the_first_run(tmp_path):
    files = {"app.py": MYSQL_APP, "db/connection.py": MYSQL_CONNECTION, "db/migrations.py": MYSQL_TABLES,
             "requirements.txt": "fastapi\nmysql-connector-python\n"}
    plan = make_plan(make_tree(tmp_path / "shop", files), confirm=False, installed=False)
    assert (plan.first_run.argv, plan.first_run.workdir) == (("python", "migrations.py"), "db")
    assert plan.release is None          # plain CREATE TABLE fails the second time: once, never every deploy
    # not a seed script, one that writes rows or drops tables, nor a module the app imports
    for name, text in (("seed.py", MYSQL_TABLES), ("tables.py", MYSQL_TABLES + "cursor.execute(\"INSERT INTO item "
                                                                              "VALUES (1, 'a')\")\n"),
                       ("tables.py", "from connection import cursor\ncursor.execute('DROP TABLE item')\n"
                                     "cursor.execute('CREATE TABLE item (id INT)')\n"),
                       ("connection.py", MYSQL_CONNECTION + MYSQL_TABLES.split("\n", 2)[2])):
        other = {**{k: v for k, v in files.items() if k != "db/migrations.py"}, f"db/{name}": text}
        assert make_plan(make_tree(tmp_path / name / str(len(text)), other), confirm=False,
                         installed=False).first_run is None, name


VIEW_AT_IMPORT = {
    "app.py": "import sqlite3\n\nCOLUMNS = [r[1] for r in sqlite3.connect('stats.db').execute('SELECT * FROM job_stat')]\n\n\n"
              "def app(environ, start_response):\n    start_response('200 OK', [])\n    return [b'x']\n",
    "setup_db.py": "import sqlite3\n\nwith sqlite3.connect('stats.db') as conn:\n"
                   "    conn.execute('DROP VIEW IF EXISTS job_stat')\n"
                   "    conn.execute('CREATE TABLE IF NOT EXISTS job (id INTEGER PRIMARY KEY, cores INTEGER)')\n"
                   "    conn.execute('CREATE VIEW IF NOT EXISTS job_stat AS SELECT id, cores FROM job')\n",
    "README.md": "# Stats\n\nMake the database first:\n\n    python setup_db.py\n\nThen serve app:app.\n"}


def test_a_first_run_step_the_import_needs_runs_before_the_import_is_checked_again(tmp_path, capsys):
    """job_statistics' shape: the app reads a view at import that its README's step makes. serve's import check
    fails on it ("no such table"): on a database this run made (the SQLite file the import just opened, or
    serve's own server), the step runs in the environment installed for the app and the import is checked again;
    never on a database that was there, and without a known step the error is the one it was."""
    import argparse
    from shipyard.commands import appcmd
    from shipyard.errors import AppLoadError
    from shipyard.run.first_run import files_before
    root = make_tree(tmp_path / "app", VIEW_AT_IMPORT)
    args = argparse.Namespace(path=str(root))
    said: list[str] = []
    db = AppDatabase(dict(os.environ), files_before=files_before(root))
    _, env, plan = appcmd._ready_with_schemas(args, db, {})
    assert plan.release is None and plan.first_run is not None      # it drops a view: never run on data
    assert plan.proof.proven and "reads job_stat, which its new SQLite database lacks" in capsys.readouterr().err
    assert not create_missing_sqlite(plan, root, env, said.append, before=db.files_before)   # made once only

    # a SQLite file that was there before the import check holds the user's data: left alone (an empty file,
    # which an earlier import check's sqlite3.connect leaves, holds none: the next test)
    (root / "stats.db").unlink()
    with sqlite3.connect(root / "stats.db") as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    db = AppDatabase(dict(os.environ), files_before=files_before(root))
    with pytest.raises(AppLoadError, match="no such table: job_stat"):
        appcmd._ready_with_schemas(args, db, {})

    # serve's own new server: the step runs once, not again in the release
    (root / "stats.db").unlink()
    folder = tmp_path / "db"
    folder.mkdir()
    db = AppDatabase(dict(os.environ), url="postgresql://x@127.0.0.1/x", folder=folder, created=True,
                     owed=first_run_owed(folder, True))
    capsys.readouterr()
    _, env, plan = appcmd._ready_with_schemas(args, db, {})
    assert "reads job_stat, which the app's new PostgreSQL lacks" in capsys.readouterr().err
    (root / "stats.db").unlink()
    assert db.release(plan, root, env, said.append) and not (root / "stats.db").exists()
    assert not (folder / "first-run.owed").exists()
    # ...and never on one that has had its first run
    db = AppDatabase(dict(os.environ), url="postgresql://x@127.0.0.1/x", folder=folder)
    with pytest.raises(AppLoadError, match="no such table: job_stat"):
        appcmd._ready_with_schemas(args, db, {})

    # no first-run step known: the import's own error, as before
    (root / "README.md").unlink()
    (root / "setup_db.py").unlink()      # known by its name too
    db = AppDatabase(dict(os.environ), files_before=files_before(root))
    with pytest.raises(AppLoadError, match="no such table: job_stat") as err:
        appcmd._ready_with_schemas(args, db, {})
    assert "fix it in the app's code" in err.value.hint
