"""`serve` and `dev` bring the app's database: a real PostgreSQL, started by Shipyard from this machine's
programs into a data folder that outlives the run (here a temporary XDG_DATA_HOME), stopped on exit."""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import tempfile
from pathlib import Path

import pytest

from dumped_app import DUMPED_APP_FILES
from conftest import EXAMPLES, FIXTURES, async_app_writing_no_url, free_port, make_tree
from serveutil import Running, get, kill_mentioning, processes_mentioning, wait_status
from throwaway_pg import postgres_binaries

NOTES = FIXTURES / "apps" / "notes_postgres"
pytestmark = pytest.mark.slow


@pytest.fixture
def data_home():
    """The user's data folder for these runs. As root the server runs as another account, which must be able
    to pass through it (pytest's own tmp folders are closed to other accounts)."""
    postgres_binaries()                       # fails in CI, skips elsewhere, when PostgreSQL is not installed
    path = Path(tempfile.mkdtemp(prefix="shipyard-devdb-"))
    path.chmod(0o711)
    yield path
    kill_mentioning(str(path))                # a server a failed test left behind
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def runs():
    started: list[Running] = []

    def start(command: str, app: Path, *args: str, data: Path, port: int | None) -> Running:
        run = Running(command, str(app), *(["--port", str(port)] if port else []), *args,
                      env={"XDG_DATA_HOME": str(data), "DATABASE_URL": ""})
        started.append(run)
        return run

    yield start
    for run in started:
        run.kill()
        folder = next((l.split("run folder ", 1)[1].split(";")[0] for l in run.lines if "run folder " in l), None)
        if folder:
            kill_mentioning(folder)
            shutil.rmtree(folder, ignore_errors=True)


def app_copy(tmp_path: Path, source: Path) -> Path:
    return Path(shutil.copytree(source, tmp_path / source.name, ignore=shutil.ignore_patterns(".venv", "*.sqlite3")))


def serve_installed(runs, data: Path, tmp_path: Path, fixture: str | Path, timeout: float,
                    install: bool = True) -> tuple[Running, int, str]:
    """`serve --install` (or `serve` in the proof environment) of a copy of a fixture app (a name under
    fixtures/apps, or a folder) on a free port: (the run, status and body of /)."""
    port = free_port()
    run = runs("serve", app_copy(tmp_path, FIXTURES / "apps" / fixture), *(["--install"] if install else []),
               data=data, port=port)
    assert run.wait_for(r"serving \S+ at", timeout), run.output
    status, _, body = get(f"http://127.0.0.1:{port}/")
    return run, status, body


def serve_saying(runs, app: Path, data: Path, said: str) -> tuple[Running, int, str]:
    """`serve --install` of `app` on a free port, which says `said` on its way: (the run, status and body of /)."""
    port = free_port()
    run = runs("serve", app, "--install", data=data, port=port)
    assert run.wait_for(r"serving \S+ at", 300), run.output
    assert said in run.output, run.output
    status, _, body = get(f"http://127.0.0.1:{port}/")
    return run, status, body


def servers_of(data: Path) -> list:
    return [p for p in processes_mentioning(str(data)) if "postgres" in p[1]]


def test_serve_runs_the_apps_own_postgresql_and_its_data_survives_a_restart(runs, data_home, tmp_path):
    app = app_copy(tmp_path, NOTES)
    port = free_port()
    first = runs("serve", app, data=data_home, port=port)
    assert first.wait_for(r"serving \S+ at", 120), first.output
    assert "creating the app's PostgreSQL" in first.output
    assert "release: tables ready" in first.output             # the release command ran, against our server
    assert get(f"http://127.0.0.1:{port}/")[2] == "backend=postgresql notes= releases=1\n"
    assert get(f"http://127.0.0.1:{port}/add?note=kept")[0] == 200
    folder = next(data_home.glob("shipyard/postgres/notes-postgres-*"))
    assert (folder / "password").stat().st_mode & 0o077 == 0
    assert servers_of(data_home), "PostgreSQL is not running from the app's data folder"

    assert first.stop(signal.SIGINT) == 0, first.output
    assert servers_of(data_home) == [], "PostgreSQL outlived serve"
    log = (folder / "server" / "server.log").read_text()
    assert log.rstrip().endswith("database system is shut down"), log[-2000:]   # fast shutdown, not a crash

    port = free_port()       # the first run's port may still be in TIME_WAIT
    second = runs("serve", app, data=data_home, port=port)
    assert second.wait_for(r"serving \S+ at", 120), second.output
    assert "creating the app's PostgreSQL" not in second.output
    assert "already applied" in second.output                   # the app did not change: no second release
    assert get(f"http://127.0.0.1:{port}/")[2] == "backend=postgresql notes=kept releases=1\n"
    socket_dir = re.search(r"-k (\S+)", servers_of(data_home)[0][1]).group(1)

    # Shipyard killed outright: its PostgreSQL is left running; the next command on the app stops it first
    second.kill()
    migrate = runs("migrate", app, data=data_home, port=None)
    assert migrate.proc.wait(120) == 0, migrate.output
    assert "left behind" in migrate.output and "release: tables ready" in migrate.output, migrate.output
    assert servers_of(data_home) == [] and not Path(socket_dir).exists()


def test_dev_runs_the_apps_own_postgresql_too_started_before_the_app_is_imported(runs, data_home, tmp_path):
    app = app_copy(tmp_path, FIXTURES / "apps" / "postgres_at_import")      # reads DATABASE_URL at import
    port = free_port()
    run = runs("dev", app, data=data_home, port=port)
    answer = wait_status(f"http://127.0.0.1:{port}/", 120)
    assert answer is not None, run.output
    assert answer[2] == "postgres_at_import@postgres_at_import superuser=False\n"   # its own role, no superuser
    assert run.stop(signal.SIGINT) == 0, run.output
    assert servers_of(data_home) == []


def test_db_none_starts_no_database_and_the_app_falls_back_to_sqlite(runs, data_home, tmp_path):
    app = app_copy(tmp_path, NOTES)
    port = free_port()
    run = runs("serve", app, "--db", "none", data=data_home, port=port)
    assert run.wait_for(r"serving \S+ at", 120), run.output
    assert get(f"http://127.0.0.1:{port}/")[2] == "backend=sqlite notes= releases=0\n"
    assert "PostgreSQL" not in run.output
    assert not (data_home / "shipyard").exists()
    assert run.stop(signal.SIGINT) == 0, run.output


def test_missing_postgresql_says_how_to_install_it_and_how_to_do_without(runs, data_home, tmp_path):
    app = app_copy(tmp_path, NOTES)
    run = runs("serve", app, "--postgres-bin", str(tmp_path / "nowhere"), data=data_home, port=free_port())
    assert run.proc.wait(60) != 0
    run.stop()
    errors = [line for line in run.lines if "error:" in line]
    assert len(errors) == 1, run.output
    assert "apt-get install postgresql" in errors[0] and "--db none" in errors[0], errors[0]
    assert "run folder" not in run.output and not (data_home / "shipyard").exists()


def test_serve_install_easygeoip_answers_time_zones_from_its_own_postgresql(runs, data_home, tmp_path):
    app = app_copy(tmp_path, EXAMPLES / "easygeoip")
    port = free_port()
    run = runs("serve", app, "--install", data=data_home, port=port)
    assert run.wait_for(r"serving \S+ at", 420), run.output
    status, _, body = get(f"http://127.0.0.1:{port}/api/8.8.8.8")
    assert status == 200, body
    result = json.loads(body)["results"][0]
    assert result["time_zone_source"] == "database" and result["time_zone"], result
    assert get(f"http://127.0.0.1:{port}/health")[0] == 200
    assert run.stop(signal.SIGINT) == 0, run.output
    assert servers_of(data_home) == []


def test_an_sqlalchemy_app_that_declares_psycopg2_gets_it_named_in_database_url(runs, data_home, tmp_path):
    # SQLAlchemy 2.1 loads psycopg (3) for a plain postgresql:// URL; this app, like most, has only psycopg2
    app = app_copy(tmp_path, FIXTURES / "apps" / "sqlalchemy_psycopg2")
    port = free_port()
    run = runs("serve", app, data=data_home, port=port)
    assert run.wait_for(r"serving \S+ at", 120), run.output
    assert "postgresql+psycopg2://" in run.output
    assert get(f"http://127.0.0.1:{port}/")[2] == "postgresql+psycopg2 1\n"


def test_an_example_files_postgres_url_under_the_apps_own_name_points_at_serves_database(runs, data_home, tmp_path):
    """The example env file names the database under a name of the app's own, read through a prefix (no code
    names it): serve aims it at its own PostgreSQL, as it does DATABASE_URL, instead of 0.0.0.0:5432."""
    run, status, body = serve_installed(runs, data_home, tmp_path, "prefixed_db_url", 240)
    assert "pointed at the app's own PostgreSQL: MEMO_DB_URL" in run.output
    assert status == 200 and body == "database=prefixed_db_url\n", (status, body, run.output[-2000:])
    assert run.stop(signal.SIGINT) == 0, run.output


def test_an_example_files_database_parts_under_the_apps_own_names_point_at_serves_database(runs, data_home,
                                                                                          tmp_path):
    """The example env file gives the database's parts under a settings prefix (MEMO_POSTGRES_HOST) and
    pydantic-settings' nested delimiter (DATABASE__HOSTNAME), at a compose port: serve gives them its own."""
    run, status, body = serve_installed(runs, data_home, tmp_path, "prefixed_db_parts", 240)
    assert "MEMO_POSTGRES_HOST" in run.output and "DATABASE__HOSTNAME" in run.output and "MEMO_REDIS_DB" not in \
        run.output.split("pointed at the app's own PostgreSQL:")[1].splitlines()[0], run.output
    assert (status, body) == (200, "prefixed=prefixed_db_parts nested=prefixed_db_parts\n"), \
        (status, body, run.output[-2000:])
    assert run.stop(signal.SIGINT) == 0, run.output


def test_a_tortoise_app_with_aerich_migrations_gets_its_tables_from_aerich_upgrade(runs, data_home, tmp_path):
    """[tool.aerich] in pyproject.toml and a migration under migrations/: nothing in the app creates its table,
    `aerich upgrade` (the release) does, against serve's own PostgreSQL, under the postgres:// Tortoise reads."""
    run, status, body = serve_installed(runs, data_home, tmp_path, "tortoise_aerich", 300)
    assert "running aerich (Tortoise ORM: aerich upgrade) against the app's PostgreSQL" in run.output
    assert (status, body) == (200, "postgres notes=0\n"), (status, body, run.output[-3000:])
    assert run.stop(signal.SIGINT) == 0, run.output


def test_a_peewee_app_run_from_src_gets_its_table_from_peewee_migrate_run_from_the_root(runs, data_home, tmp_path):
    """peewee-migrate's migrations/001_initial.py at the root imports the model from src/, where the app runs
    (Procfile: cd src/ && gunicorn index:app): the release runs `pw_migrate migrate` from the root with src/ on the
    path, against serve's own PostgreSQL (DATABASE_URL, which the app reads too); nothing else makes the table."""
    run, status, body = serve_installed(runs, data_home, tmp_path, "peewee_migrate_src", 300)
    assert "running peewee-migrate (pw_migrate migrate, migrations/) against the app's PostgreSQL" in run.output
    assert (status, body) == (200, "PostgresqlDatabase notes=0\n"), (status, body, run.output[-3000:])
    assert run.stop(signal.SIGINT) == 0, run.output


def test_a_piccolo_app_gets_postgresql_and_its_tables_from_piccolo_migrations(runs, data_home, tmp_path):
    """`piccolo[postgres]` and piccolo_conf.py's PostgresEngine: serve brings PostgreSQL, and `piccolo migrations
    forwards all` (the release) makes the table the app's own migration defines, in serve's database."""
    run, status, body = serve_installed(runs, data_home, tmp_path, "piccolo_postgres", 300)
    assert "running Piccolo (piccolo migrations forwards all) against the app's PostgreSQL" in run.output, run.output
    assert (status, body) == (200, "notes=0\n"), (status, body, run.output[-3000:])
    assert run.stop(signal.SIGINT) == 0, run.output


def test_piccolo_apps_migrate_in_the_order_the_apps_own_script_gives(runs, data_home, tmp_path):
    """The app's table points at Piccolo's user table without declaring the user app as a migration dependency,
    so `forwards all` would run it first and fail; scripts/migrations.sh migrates `user`, then `home`, and so
    does the release, before `forwards all`."""
    app = shutil.copytree(FIXTURES / "apps" / "piccolo_postgres", tmp_path / "fixture" / "piccolo_ordered")
    conf = app / "piccolo_conf.py"
    conf.write_text(conf.read_text().replace('apps=["home.piccolo_app"]',
                                             'apps=["home.piccolo_app", "piccolo.apps.user.piccolo_app"]'))
    migration = next((app / "home" / "piccolo_migrations").glob("home_*.py"))
    migration.write_text(migration.read_text().replace("text TEXT NOT NULL DEFAULT ''",
                                                       "text TEXT NOT NULL DEFAULT '', "
                                                       "owner INTEGER REFERENCES piccolo_user (id)"))
    (app / "scripts").mkdir()
    (app / "scripts" / "migrations.sh").write_text("piccolo migrations forwards user\n"
                                                    "piccolo migrations forwards home\n")
    run, status, body = serve_installed(runs, data_home, tmp_path, app, 300)
    assert "migrations applied with Piccolo (piccolo migrations forwards user, home, then all" in run.output, \
        run.output
    assert (status, body) == (200, "notes=0\n"), (status, body, run.output[-3000:])
    assert run.stop(signal.SIGINT) == 0, run.output


def test_a_tortoise_app_without_migrations_gets_its_tables_from_generate_schemas(runs, data_home, tmp_path):
    """No [tool.aerich], no migration: on the database serve creates, Shipyard starts the app's lifespan (where
    register_tortoise initialises Tortoise) and runs Tortoise.generate_schemas(safe=True), once."""
    app = shutil.copytree(FIXTURES / "apps" / "tortoise_aerich", tmp_path / "fixture" / "tortoise_aerich")
    shutil.rmtree(app / "migrations")
    (app / "pyproject.toml").unlink()
    run, status, body = serve_installed(runs, data_home, tmp_path, app, 300)
    assert "running Shipyard's Tortoise.generate_schemas() of the app's models" in run.output
    assert "created the models' tables that were missing" in run.output
    assert (status, body) == (200, "postgres notes=0\n"), (status, body, run.output[-3000:])
    assert run.stop(signal.SIGINT) == 0, run.output


def test_an_async_engine_gets_the_driver_its_urls_name_and_alembic_migrates_serves_database(runs, data_home,
                                                                                             tmp_path):
    """alembic.ini writes postgresql+asyncpg:// at a compose host: the app gets that driver in DATABASE_URL
    (a plain postgresql:// makes SQLAlchemy load psycopg2, not installed), and Alembic, whose env.py reads the
    ini's URL, migrates the database serve made instead of the compose host."""
    run, status, body = serve_installed(runs, data_home, tmp_path, "alembic_async_postgres", 300)
    assert "postgresql+asyncpg://" in run.output and "migrations applied with Alembic" in run.output, run.output
    assert status == 200 and body == "postgresql+asyncpg songs=0\n", (status, body, run.output[-2000:])
    assert run.stop(signal.SIGINT) == 0, run.output


def test_an_async_engine_on_a_url_no_file_writes_gets_its_async_driver_and_a_sync_alembic_gets_psycopg2(
        runs, data_home, tmp_path):
    """The app opens DB_URI with create_async_engine and writes no URL (its README says which): serve's URL
    names asyncpg, which it declares; its Alembic env removes "+asyncpg" again, so psycopg2 (not declared) is
    installed for the migration that makes the table the app reads."""
    app = async_app_writing_no_url(tmp_path / "source" / "async_app")
    run, status, body = serve_installed(runs, data_home, tmp_path, app, 300)
    assert "DB_URI" in run.output and "postgresql+asyncpg://" in run.output, run.output
    assert "migrations applied with Alembic" in run.output, run.output
    assert status == 200 and body == "postgresql+asyncpg songs=0\n", (status, body, run.output[-2000:])
    assert run.stop(signal.SIGINT) == 0, run.output


def test_tables_the_import_proof_made_on_a_new_database_are_gone_before_the_migrations_make_them(runs, data_home,
                                                                                               tmp_path):
    """The app's create_all at import runs in the import proof, against the database serve just created; its
    Alembic migration creates the same table. serve empties the new database before the release, so the
    migration runs on an empty database (as a deploy's release does) and the app serves the migrated table.
    alembic.ini's URL names no driver (postgresql://, psycopg 3 under SQLAlchemy 2.1, not installed): it is aimed
    at serve's database with the driver the app declares (psycopg2)."""
    run, status, body = serve_installed(runs, data_home, tmp_path, "create_all_then_alembic", 300)
    assert "emptied again before Alembic" in run.output, run.output
    assert "migrations applied with Alembic" in run.output, run.output
    assert (status, body) == (200, "notes=0 version=0001\n"), (status, body, run.output[-2000:])
    assert run.stop(signal.SIGINT) == 0, run.output
    # the next run finds the database it made and migrated: nothing is emptied
    again = runs("serve", tmp_path / "create_all_then_alembic", data=data_home, port=free_port())
    assert again.wait_for(r"serving \S+ at", 120), again.output
    assert "emptied again" not in again.output and "already applied" in again.output, again.output
    assert again.stop(signal.SIGINT) == 0, again.output


def test_an_app_whose_psycopg2_bundles_a_libpq_older_than_scram_logs_in_with_md5(runs, data_home, tmp_path):
    """psycopg2 2.7.3.1 (2017) bundles libpq 9.6: a role whose password is stored as SCRAM refuses it
    ("authentication method 10 not supported"). serve stores that app's role password as md5 (pg_hba's md5
    still does SCRAM for every other role), and the app reads from its database."""
    from conftest import require_python
    require_python("3.6")
    run, status, body = serve_installed(runs, data_home, tmp_path, "old_psycopg2_libpq", 400)
    assert "logs in with md5 instead" in run.output, run.output
    assert (status, body) == (200, "libpq 90602 answer 42\n"), (status, body, run.output[-2000:])
    assert run.stop(signal.SIGINT) == 0, run.output


def test_alembic_ini_in_a_subfolder_named_by_alembic_config_migrates_serves_database(runs, data_home, tmp_path):
    """migrations/alembic.ini, named by ALEMBIC_CONFIG in the example env file, with a script_location and a
    prepend_sys_path relative to the project root: serve runs `alembic -c migrations/alembic.ini upgrade head`
    from there, and the table the migration makes is what the app reads."""
    run, status, body = serve_installed(runs, data_home, tmp_path, "alembic_config_subfolder", 300)
    assert "migrations applied with Alembic (alembic -c migrations/alembic.ini upgrade head" in run.output, run.output
    assert (status, body) == (200, "tracks=0\n"), (status, body, run.output[-2000:])
    assert run.stop(signal.SIGINT) == 0, run.output


def test_migrations_into_a_schema_only_the_apps_start_up_creates_get_it_made_on_a_new_database(runs, data_home,
                                                                                                  tmp_path):
    """The migration makes shared.tenant and none makes schema `shared` (the app's start-up does, after serve has
    migrated): on the database serve made, the schema is created and the migrations run again."""
    run, status, body = serve_installed(runs, data_home, tmp_path, "alembic_into_schema", 300)
    assert "write into schema shared, which none of them creates" in run.output, run.output
    assert (status, body) == (200, "tenants=0\n"), (status, body, run.output[-2000:])
    assert run.stop(signal.SIGINT) == 0, run.output


def test_an_app_that_names_a_host_but_no_port_reaches_serves_database_through_libpqs_defaults(runs, data_home,
                                                                                              tmp_path):
    """DB_HOST/DB_NAME/DB_USER/DB_PASS only in the app's compose file (DB_HOST=db, a compose service): serve
    sets them for its own PostgreSQL, and libpq's PGPORT brings the connection that names no port to it."""
    run, status, body = serve_installed(runs, data_home, tmp_path, "db_parts_no_port", 120, install=False)
    assert "not taken from docker-compose.yml, as their hosts do not resolve" in run.output
    # the parts serve gives are said, so a variable left unset is plainly the app's to give
    assert "DATABASE_URL is set for the app, and DB_HOST, DB_NAME, DB_PASS, DB_USER, which its code reads" \
        in run.output, run.output
    assert status == 200 and body == "database=db_parts_no_port\n", (status, body, run.output[-2000:])
    assert run.stop(signal.SIGINT) == 0, run.output


def test_a_flask_app_gets_its_cli_env_files_and_its_unseparated_db_parts_name_serves_database(runs, data_home,
                                                                                                tmp_path):
    """Azure's Flask sample: DBHOST/DBUSER/DBPASS/DBNAME read at import, their values in the committed .env
    that only the flask CLI loads: serve gives the app .env and .flaskenv, then its own PostgreSQL's parts under
    those names (the .env's localhost user would not get in)."""
    run, status, body = serve_installed(runs, data_home, tmp_path, "flask_cli_dotenv", 180, install=False)
    assert ".env and .flaskenv, which the flask CLI loads" in run.output
    assert status == 200 and body == "database=flask_cli_dotenv greeting=from-flaskenv\n", (status, body,
                                                                                             run.output[-2000:])
    assert run.stop(signal.SIGINT) == 0, run.output


def test_a_tornado_script_that_takes_its_database_as_options_is_served_with_the_apps_own_postgresql(
        runs, data_home, tmp_path):
    """The script reads no environment variable: serve gives its own PostgreSQL as --db_host=... --db_port=...,
    and the script creates its table there and reads its value back."""
    run, status, body = serve_installed(runs, data_home, tmp_path, "tornado_script_postgres", 300)
    assert (status, body) == (200, "entry=from postgres db=tornado_script_postgres\n"), run.output
    assert run.stop(signal.SIGINT) == 0, run.output
    port = free_port()                      # dev: the same options, on the script's command line under autoreload
    dev = runs("dev", tmp_path / "tornado_script_postgres", data=data_home, port=port)
    answer = wait_status(f"http://127.0.0.1:{port}/", 120)
    assert answer is not None and answer[2] == "entry=from postgres db=tornado_script_postgres\n", dev.output


def test_a_password_the_app_types_as_a_number_gets_serves_postgresql_with_digits(runs, data_home, tmp_path):
    """A pydantic-settings class types POSTGRES_PASSWORD as int: serve's PostgreSQL gets a password of digits,
    so the import does not fail on pydantic's int_parsing, and the app connects with it. POSTGRES_NAME, named like
    the database's name, holds the URL's scheme: left to the app."""
    run, status, body = serve_installed(runs, data_home, tmp_path, "int_db_password", 240)
    assert "the app types POSTGRES_PASSWORD as a number" in run.output
    assert "left to the app: POSTGRES_NAME (" in run.output
    assert (status, body) == (200, "database=int_db_password\n"), (status, body, run.output[-2000:])
    assert run.stop(signal.SIGINT) == 0, run.output


def test_django_settings_that_write_their_role_and_database_get_them_from_serves_postgresql(runs, data_home,
                                                                                             tmp_path):
    """Book-style settings write USER, PASSWORD and NAME (quotes and a space in them) and no HOST: serve's
    PostgreSQL gets that role with that password and that database, so migrate runs and the app reads its table
    as that role (with the app's usual role and password, the migration failed on password authentication)."""
    run, status, body = serve_installed(runs, data_home, tmp_path, "django_written_credentials", 240, install=False)
    assert "bookshelf/settings/base.py:9 writes the app's database: its PostgreSQL gets role o'reader with that " \
           "password and database shelf db" in run.output, run.output
    assert (status, body) == (200, "user=o'reader database=shelf db books=0\n"), (status, body, run.output[-2000:])
    assert run.stop(signal.SIGINT) == 0, run.output


_CONVERTING_APP = '''
"""An async engine on the plain URL a pydantic-settings field names (APP_PG_DSN), which the app converts to
asyncpg itself; its Alembic env.py is the generic sync one, on that plain URL."""

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route


class Settings(BaseSettings):
    database_uri: str = Field(..., validation_alias="APP_PG_DSN")

    @field_validator("database_uri")
    @classmethod
    def to_async(cls, value: str) -> str:
        return value.replace("postgresql://", "postgresql+asyncpg://")


engine = create_async_engine(Settings().database_uri)


async def index(request):
    async with engine.connect() as conn:
        count = (await conn.execute(text("SELECT count(*) FROM songs"))).scalar()
    return PlainTextResponse(f"{engine.dialect.name}+{engine.dialect.driver} songs={count}\\n")


app = Starlette(routes=[Route("/", index)])
'''

_SYNC_PLAIN_ENV = '''
import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)
config.set_main_option("sqlalchemy.url", os.environ["APP_PG_DSN"])
connectable = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.",
                                 poolclass=pool.NullPool)
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
'''


def test_a_field_named_variable_the_app_converts_to_asyncpg_and_a_sync_alembic_env_migrate_serves_database(
        runs, data_home, tmp_path):
    """The URL variable is named by the settings field (validation_alias), not by its name: serve points it at
    its database, plain, as the app adds asyncpg itself; the generic sync env.py migrates with psycopg2, which
    the app does not declare (its README installs it for Alembic)."""
    root = Path(shutil.copytree(FIXTURES / "apps" / "alembic_async_postgres", tmp_path / "source" / "converting"))
    (root / "app.py").write_text(_CONVERTING_APP.lstrip())
    (root / "requirements.txt").write_text((root / "requirements.txt").read_text() + "pydantic-settings>=2.2\n")
    ini = root / "alembic.ini"
    ini.write_text("".join(l for l in ini.read_text().splitlines(True) if not l.startswith("sqlalchemy.url")))
    (root / "migrations" / "env.py").write_text(_SYNC_PLAIN_ENV.lstrip())
    run, status, body = serve_installed(runs, data_home, tmp_path, root, 300)
    assert "APP_PG_DSN" in run.output and "migrations applied with Alembic" in run.output, run.output
    assert status == 200 and body == "postgresql+asyncpg songs=0\n", (status, body, run.output[-2000:])
    assert run.stop(signal.SIGINT) == 0, run.output


def test_an_app_that_verifies_its_databases_certificate_reaches_serves_postgresql(runs, data_home, tmp_path):
    """An app written for hosted PostgreSQL (Neon) opens asyncpg with connect_args={"ssl": True}, which checks the
    server's certificate and host name against the system's CAs: serve's certificate names 127.0.0.1 and the app
    trusts it (SSL_CERT_FILE, PGSSLROOTCERT), so it connects over SSL (it stopped on CERTIFICATE_VERIFY_FAILED);
    its other TLS connections still verify with the system's CAs."""
    root = Path(shutil.copytree(FIXTURES / "apps" / "alembic_async_postgres", tmp_path / "source" / "neonapp"))
    app = root / "app.py"
    app.write_text(app.read_text()
                   .replace('create_async_engine(os.environ["DATABASE_URL"])',
                            'create_async_engine(os.environ["DATABASE_URL"], connect_args={"ssl": True})')
                   .replace('"SELECT count(*) FROM songs"',
                            '"SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"')
                   .replace("songs={count}", "ssl={count} system_cas={system_cas()}")
                   + "\n\ndef system_cas():\n    import ssl\n"
                     "    return len(ssl.create_default_context().get_ca_certs()) > 1\n")
    run, status, body = serve_installed(runs, data_home, tmp_path, root, 300)
    assert status == 200 and body == "postgresql+asyncpg ssl=True system_cas=True\n", \
        (status, body, run.output[-2000:])
    assert run.stop(signal.SIGINT) == 0, run.output


COMPOSE_ASYNCPG = {
    "requirements.txt": "starlette>=0.37\nasyncpg>=0.29\nuvloop>=0.19\n",
    "main.py": (
        "import asyncpg\nfrom starlette.applications import Starlette\nfrom starlette.responses import PlainTextResponse\n"
        "from starlette.routing import Route\n\n"
        "# the compose file's database service, written in the code\n"
        "DSN = 'postgresql://shop:secret@shipyard-compose-db:5432/shop'\n\n\n"
        "async def index(request):\n    conn = await asyncpg.connect(DSN)\n    try:\n"
        "        user = await conn.fetchval('SELECT current_user')\n    finally:\n        await conn.close()\n"
        "    return PlainTextResponse(f'user={user}\\n')\n\n\n"
        "app = Starlette(routes=[Route('/', index)])\n"),
}


def test_an_asyncpg_app_that_hard_codes_a_compose_host_reaches_serves_postgresql(runs, data_home, tmp_path):
    """asyncpg ignores libpq's PGHOSTADDR and resolves the compose service's name itself (with uvloop's resolver
    under the server): serve maps that name to its server's address in asyncpg's connection addresses, so the app
    connects (it stopped on "Name or service not known")."""
    app = make_tree(tmp_path / "src" / "shop", COMPOSE_ASYNCPG)
    run, status, body = serve_installed(runs, data_home, tmp_path, app, 300)
    assert "the code connects to shipyard-compose-db (compose's names)" in run.output, run.output
    assert (status, body) == (200, "user=shop\n"), (status, body, run.output[-2000:])
    assert run.stop(signal.SIGINT) == 0, run.output


def test_an_asyncpg_pool_on_a_written_port_another_program_holds_reaches_serves_postgresql(runs, data_home,
                                                                                           tmp_path):
    """`asyncpg.create_pool(database="tester", port=P)`, no host (PGHOST) and no user (PGUSER), while another
    program holds 127.0.0.1:P (another PostgreSQL on 5432): serve's server listens on P at another loopback
    address and PGHOST names it, so the app reaches it, not the other program (it stopped on "password
    authentication failed")."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        app = make_tree(tmp_path / "src" / "notes", {
            "requirements.txt": "starlette>=0.37\nasyncpg>=0.29\n",
            "app.py": (
                "import asyncpg\nfrom starlette.applications import Starlette\n"
                "from starlette.responses import PlainTextResponse\nfrom starlette.routing import Route\n\n\n"
                "async def index(request):\n"
                f"    pool = await asyncpg.create_pool(database='tester', port={port}, min_size=1, max_size=1)\n"
                "    try:\n        name = await pool.fetchval('SELECT current_database()')\n"
                "    finally:\n        await pool.close()\n"
                "    return PlainTextResponse(f'database={name}\\n')\n\n\n"
                "app = Starlette(routes=[Route('/', index)])\n"),
        })
        run, status, body = serve_installed(runs, data_home, tmp_path, app, 300)
    assert (status, body) == (200, "database=tester\n"), (status, body, run.output[-2000:])
    assert f":{port} " in run.output and "127.0.0." in run.output, run.output
    assert run.stop(signal.SIGINT) == 0, run.output


def test_an_asyncpg_url_on_localhost_and_a_port_another_program_holds_reaches_serves_postgresql(runs, data_home,
                                                                                                tmp_path):
    """`asyncpg.connect('postgresql://shop:pw@localhost:P/shop')` written in the code while another program holds
    127.0.0.1:P: asyncpg reads no PGHOSTADDR, so serve maps localhost:P (that port only) to its server listening on P
    at another loopback address, in the app's process (it connected to the other program)."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        app = make_tree(tmp_path / "src" / "shop", {
            "requirements.txt": "starlette>=0.37\nasyncpg>=0.29\n",
            "app.py": (
                "import asyncpg\nfrom starlette.applications import Starlette\n"
                "from starlette.responses import PlainTextResponse\nfrom starlette.routing import Route\n\n"
                f"URL = 'postgresql://shop:pw@localhost:{port}/shop'\n\n\n"
                "async def index(request):\n"
                "    connection = await asyncpg.connect(URL, timeout=10)\n"
                "    try:\n        user = await connection.fetchval('SELECT current_user')\n"
                "    finally:\n        await connection.close()\n"
                "    return PlainTextResponse(f'user={user}\\n')\n\n\n"
                "app = Starlette(routes=[Route('/', index)])\n"),
        })
        run, status, body = serve_installed(runs, data_home, tmp_path, app, 300)
    assert (status, body) == (200, "user=shop\n"), (status, body, run.output[-2000:])
    assert f"where the app's connections to localhost:{port} go" in run.output, run.output
    assert run.stop(signal.SIGINT) == 0, run.output


def test_a_django_engine_read_from_the_environment_names_serves_postgresql(runs, data_home, tmp_path):
    """A course project takes its whole DATABASES entry from the environment through a helper of its own,
    the backend included (`"ENGINE": env_value("POSTGRES_ENGINE")`): serve gives the parts AND the engine, so
    the import goes on (it stopped until POSTGRES_ENGINE was set) and migrate runs on serve's PostgreSQL."""
    app = Path(shutil.copytree(FIXTURES / "apps" / "django_written_credentials", tmp_path / "src" / "catalog"))
    base = app / "bookshelf" / "settings" / "base.py"
    written = base.read_text()
    start = written.index("DATABASES = {")
    end = written.index("}\n}\n", start) + 4
    base.write_text("import os\n\n\ndef env_value(name):\n    try:\n        return os.environ[name]\n"
                    "    except KeyError:\n        raise RuntimeError(f'set {name} in .env')\n\n\n"
                    + written[:start] + "DATABASES = {'default': {\n"
                    + "".join(f"    '{key}': env_value('POSTGRES_{key}'),\n"
                              for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT"))
                    + "}}\n" + written[end:])
    run, status, body = serve_installed(runs, data_home, tmp_path, app, 240, install=False)
    assert "POSTGRES_ENGINE" in run.output, run.output
    assert status == 200 and body.startswith("user=catalog database=catalog books=0"), (status, body,
                                                                                         run.output[-2000:])
    assert run.stop(signal.SIGINT) == 0, run.output


def test_django_settings_reading_port_as_their_databases_port_keep_it_behind_nginx(runs, data_home, tmp_path):
    """A 2025 workout API reads its database from bare names (`"PORT": env("PORT")`, HOST, NAME, USER, PASSWORD):
    serve gives PORT its PostgreSQL's port for migrate and for the app too, not the port nginx listens on
    (every page that read a table answered 500 while migrate had passed)."""
    app = Path(shutil.copytree(FIXTURES / "apps" / "django_written_credentials", tmp_path / "src" / "catalog"))
    base = app / "bookshelf" / "settings" / "base.py"
    written = base.read_text()
    start = written.index("DATABASES = {")
    end = written.index("}\n}\n", start) + 4
    base.write_text("import os\n" + written[:start] + "DATABASES = {'default': {\n"
                    "    'ENGINE': 'django.db.backends.postgresql',\n"
                    + "".join(f"    '{key}': os.environ['{key}'],\n" for key in ("NAME", "USER", "PASSWORD", "HOST",
                                                                                  "PORT"))
                    + "}}\n" + written[end:])
    run, status, body = serve_installed(runs, data_home, tmp_path, app, 240, install=False)
    assert status == 200 and body.startswith("user=catalog database=catalog books=0"), (status, body,
                                                                                        run.output[-3000:])
    assert run.stop(signal.SIGINT) == 0, run.output


def test_django_settings_whose_local_settings_only_a_sample_gives_get_serves_database(runs, data_home, tmp_path):
    """A 2021 blog's settings define no DATABASES and star-import a local settings module kept out of git; only
    local-sample.py is committed (its Dockerfile copies it into place): serve's settings module gives DATABASES
    the sample's engine on serve's own database, so migrate runs and the page reads its table (migrate stopped on
    "settings.DATABASES is improperly configured")."""
    app = Path(shutil.copytree(FIXTURES / "apps" / "django_written_credentials", tmp_path / "src" / "catalog"))
    base = app / "bookshelf" / "settings" / "base.py"
    written = base.read_text()
    start = written.index("DATABASES = {")
    end = written.index("}\n}\n", start) + 4
    base.write_text(written[:start] + written[end:])
    (app / "bookshelf" / "settings" / "production.py").write_text(
        "from .base import *  # noqa\n\ntry:\n    from .local import *  # noqa\nexcept ImportError:\n    pass\n")
    (app / "bookshelf" / "settings" / "local-sample.py").write_text(
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'DB_NAME',\n"
        "                         'USER': 'DB_USER', 'PASSWORD': 'DB_PASSWORD', 'HOST': 'DB_HOST'}}\n")
    run, status, body = serve_installed(runs, data_home, tmp_path, app, 240, install=False)
    assert "its committed sample bookshelf/settings/local-sample.py names django.db.backends.postgresql" \
        in run.output, run.output
    assert status == 200 and body.startswith("user=catalog database=catalog books=0"), (status, body,
                                                                                        run.output[-3000:])
    assert not (app / "bookshelf" / "settings" / "local.py").exists()
    assert run.stop(signal.SIGINT) == 0, run.output


def test_a_django_database_name_written_beside_a_login_of_own_names_and_no_migrations_is_served(runs, data_home,
                                                                                                tmp_path):
    """A course project on a hosted PostgreSQL (Neon): the database's NAME written, the login read under names of
    its own (`"USER": os.environ["NEON_USER"]`), and its app's migrations left out of the repository: serve gives
    those variables its PostgreSQL's parts, makes that database for its role, and makes the migrations in its
    own folder (the app's stays as it was) before migrate."""
    app = Path(shutil.copytree(FIXTURES / "apps" / "django_written_credentials", tmp_path / "src" / "catalog"))
    base = app / "bookshelf" / "settings" / "base.py"
    written = base.read_text()
    start = written.index("DATABASES = {")
    end = written.index("}\n}\n", start) + 4
    base.write_text("import os\n" + written[:start] + "DATABASES = {'default': {\n"
                    "    'ENGINE': 'django.db.backends.postgresql', 'NAME': 'Databaes',\n"
                    + "".join(f"    '{key}': os.environ['NEON_{key}'],\n" for key in ("USER", "PASSWORD", "HOST",
                                                                                      "PORT"))
                    + "}}\n" + written[end:])
    (app / "shelf" / "migrations" / "0001_initial.py").unlink()
    before = sorted(p.name for p in (app / "shelf").rglob("*") if "__pycache__" not in p.parts)
    run, status, body = serve_installed(runs, data_home, tmp_path, app, 240, install=False)
    assert status == 200 and body.startswith("user=catalog database=Databaes books=0"), (status, body,
                                                                                          run.output[-3000:])
    assert "shelf: models with no migrations in the repository" in run.output, run.output
    assert sorted(p.name for p in (app / "shelf").rglob("*") if "__pycache__" not in p.parts) == before
    assert run.stop(signal.SIGINT) == 0, run.output


def _compose_host_settings(tmp_path: Path, allowed_hosts: str = '["*"]') -> Path:
    """The Django fixture with docker-compose tutorial settings: the compose service as the database's host
    (`"HOST": "db"`, postgres/postgres/postgres), which no variable serve sets reaches and which does not resolve
    here."""
    app = Path(shutil.copytree(FIXTURES / "apps" / "django_written_credentials", tmp_path / "src" / "catalog"))
    base = app / "bookshelf" / "settings" / "base.py"
    written = base.read_text()
    start = written.index("DATABASES = {")
    end = written.index("}\n}\n", start) + 4
    base.write_text(written[:start].replace('ALLOWED_HOSTS = ["*"]', f"ALLOWED_HOSTS = {allowed_hosts}")
                    + "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db', 'PORT': 5432,\n"
                    "                         'NAME': 'postgres', 'USER': 'postgres', 'PASSWORD': 'postgres'}}\n"
                    + written[end:])
    return app


def test_django_settings_that_hard_code_a_compose_hosts_database_are_pointed_at_serves_postgresql(runs, data_home,
                                                                                                  tmp_path):
    """serve's settings module points DATABASES['default'] at its own PostgreSQL, so migrate runs and the page
    reads its table; with ALLOWED_HOSTS = [] under DEBUG off too, both changes go into that one module. The app's
    files stay as they were."""
    app = _compose_host_settings(tmp_path, "[]")

    def files():
        return {p: p.read_bytes() for p in app.rglob("*") if p.is_file() and "__pycache__" not in p.parts}

    before = files()
    run, status, body = serve_installed(runs, data_home, tmp_path, app, 240, install=False)
    assert "connect DATABASES['default'] to host 'db', which does not resolve here" in run.output, run.output
    assert "give ALLOWED_HOSTS = [] with DEBUG off" in run.output, run.output
    assert (status, body) == (200, "user=catalog database=catalog books=0\n"), (status, body, run.output[-3000:])
    assert files() == before
    assert run.stop(signal.SIGINT) == 0, run.output


def test_django_settings_with_no_secret_key_and_a_compose_host_get_both_from_serves_settings_module(
        runs, data_home, tmp_path):
    """A 2021 DRF project whose SECRET_KEY lived in a .gitignore'd local_settings.py, with its database on the
    compose service's host: serve's settings module gives it a throwaway key and points the database at serve's
    PostgreSQL, so the import, migrate and the page all pass; the app's files stay as they were."""
    app = _compose_host_settings(tmp_path)
    base = app / "bookshelf" / "settings" / "base.py"
    base.write_text(base.read_text().replace('SECRET_KEY = "fixture-not-secret"\n', "")
                    + "\ntry:\n    from .local_settings import *\nexcept ImportError:\n    pass\n")
    (app / ".gitignore").write_text("local_settings.py\n")
    before = {p: p.read_bytes() for p in app.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    run, status, body = serve_installed(runs, data_home, tmp_path, app, 240, install=False)
    assert "bookshelf/settings/production.py sets no SECRET_KEY, or sets it empty (nor does a module" in run.output, run.output
    assert (status, body) == (200, "user=catalog database=catalog books=0\n"), (status, body, run.output[-3000:])
    assert {p: p.read_bytes() for p in app.rglob("*") if p.is_file() and "__pycache__" not in p.parts} == before
    assert run.stop(signal.SIGINT) == 0, run.output


def test_dev_points_settings_that_hard_code_a_compose_host_at_its_postgresql_too(runs, data_home, tmp_path):
    """dev's runserver gets the same settings module (it gave the plan's settings module again, over it)."""
    app = _compose_host_settings(tmp_path)
    port = free_port()
    run = runs("dev", app, data=data_home, port=port)
    answer = wait_status(f"http://127.0.0.1:{port}/", 180)
    assert answer is not None and answer[:1] == (200,), (answer, run.output[-3000:])
    assert answer[2] == "user=catalog database=catalog books=0\n", (answer, run.output[-3000:])
    assert run.stop(signal.SIGINT) == 0, run.output


def test_django_settings_that_write_a_local_port_another_program_holds_are_pointed_at_serves_postgresql(
        runs, data_home, tmp_path):
    """Settings that write `"HOST": "localhost", "PORT": "<port>"` with their login, where another program holds
    that port here (a PostgreSQL of the user's on 5432): serve's PostgreSQL listens elsewhere, and its settings
    module points DATABASES['default'] there, so migrate runs and the page reads its table."""
    app = Path(shutil.copytree(FIXTURES / "apps" / "django_written_credentials", tmp_path / "src" / "catalog"))
    base = app / "bookshelf" / "settings" / "base.py"
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        taken = held.getsockname()[1]
        base.write_text(base.read_text().replace('"PASSWORD": "it\'s a secret",',
                                                 f'"PASSWORD": "it\'s a secret", "HOST": "localhost", "PORT": "{taken}",'))
        run, status, body = serve_installed(runs, data_home, tmp_path, app, 240, install=False)
        assert f"connect DATABASES['default'] to port {taken} on this machine" in run.output, run.output
        assert (status, body) == (200, "user=o'reader database=shelf db books=0\n"), (status, body,
                                                                                     run.output[-3000:])
        assert run.stop(signal.SIGINT) == 0, run.output


_WRITTEN_URL_APP = '''
"""A tutorial's Flask app: the login of the PostgreSQL the README has the reader create is written in config.py,
and the app never reads DATABASE_URL."""

from flask import Flask
from sqlalchemy import create_engine, text

import config

app = Flask(__name__)
engine = create_engine(config.SQLALCHEMY_DATABASE_URI)


@app.get("/")
def index():
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS visits (id serial PRIMARY KEY)"))
        conn.execute(text("INSERT INTO visits DEFAULT VALUES"))
        who = conn.execute(text("SELECT current_user, current_database(), count(*) FROM visits")).one()
    return "user={} database={} visits={}\\n".format(*who)
'''


def _written_url_app(tmp_path: Path, pg_port: int) -> Path:
    app = tmp_path / "visits"
    app.mkdir()
    (app / "app.py").write_text(_WRITTEN_URL_APP)
    (app / "config.py").write_text(
        f"SQLALCHEMY_DATABASE_URI = 'postgresql://postgres:tutorial-pw@localhost:{pg_port}/appdb'\n")
    (app / "requirements.txt").write_text("Flask>=3\nSQLAlchemy>=2.0,<2.1\npsycopg2-binary>=2.9\n")
    return app


def test_a_login_written_in_a_url_literal_as_postgres_gets_that_role_database_and_port(runs, data_home, tmp_path):
    """`postgresql://postgres:...@localhost:PORT/appdb` in config.py: serve's PostgreSQL (whose superuser is not
    named postgres) gets role postgres with that password, owning appdb, listening on the port written, so the
    app, run with no edit, creates its table and answers as that role."""
    pg_port = free_port()
    app = _written_url_app(tmp_path, pg_port)
    port = free_port()
    run = runs("serve", app, "--install", data=data_home, port=port)
    assert run.wait_for(r"serving \S+ at", 300), run.output
    assert "config.py:1 writes the app's database: its PostgreSQL gets role postgres with that password and " \
           "database appdb" in run.output, run.output
    assert f"on 127.0.0.1:{pg_port}" in run.output, run.output
    assert "tutorial-pw" not in run.output                         # the password is not shown
    status, _, body = get(f"http://127.0.0.1:{port}/")
    assert status == 200 and re.fullmatch(r"user=postgres database=appdb visits=\d+\n", body), (body, run.output)
    folder = next(data_home.glob("shipyard/postgres/visits-*"))
    assert (folder / "server" / "data.superuser").read_text() == "shipyard\n"
    assert run.stop(signal.SIGINT) == 0, run.output


def test_a_url_built_from_module_constants_gets_that_role_database_and_port(runs, data_home, tmp_path):
    """config.py builds its URL with an f-string of constants written above it (and the database name by
    concatenation): serve's PostgreSQL gets that role, password, database and port, as for a literal URL."""
    pg_port = free_port()
    app = _written_url_app(tmp_path, pg_port)
    (app / "config.py").write_text(f"USER = 'shopkeeper'\nPASSWORD = 'tutorial-pw'\nPORT = {pg_port}\n"
                                   "NAME = 'shop' + '_db'\n"
                                   "SQLALCHEMY_DATABASE_URI = f'postgresql://{USER}:{PASSWORD}@localhost:{PORT}/{NAME}'\n")
    port = free_port()
    run = runs("serve", app, "--install", data=data_home, port=port)
    assert run.wait_for(r"serving \S+ at", 300), run.output
    assert "config.py:5 writes the app's database: its PostgreSQL gets role shopkeeper with that password and " \
           "database shop_db" in run.output, run.output
    status, _, body = get(f"http://127.0.0.1:{port}/")
    assert status == 200 and re.fullmatch(r"user=shopkeeper database=shop_db visits=\d+\n", body), (body, run.output)
    assert run.stop(signal.SIGINT) == 0, run.output


def test_a_connect_at_import_with_its_database_in_a_module_constant_gets_that_database(runs, data_home, tmp_path):
    """A course to-do app: connecting.py binds DB_NAME = "python-to-do-app" and DB_HOST = "localhost", then opens
    `psycopg2.connect(database=DB_NAME, host=DB_HOST)` at import (no user, no port: libpq's PGUSER and PGPORT).
    serve's PostgreSQL makes that database, so the import that used to stop on 'database "python-to-do-app" does
    not exist' connects, and the page answers from it."""
    app = tmp_path / "todo"
    app.mkdir()
    (app / "connecting.py").write_text(
        "import psycopg2\n\nDB_NAME = 'python-to-do-app'\nDB_HOST = 'localhost'\n\n"
        "con = psycopg2.connect(database=DB_NAME, host=DB_HOST)\n")
    (app / "app.py").write_text(
        "from flask import Flask\nfrom connecting import con\n\napp = Flask(__name__)\n\n\n@app.route('/')\n"
        "def index():\n    cur = con.cursor()\n    cur.execute('select current_database()')\n"
        "    return f'database={cur.fetchone()[0]}\\n'\n")
    (app / "requirements.txt").write_text("Flask>=3\npsycopg2-binary>=2.9\n")
    port = free_port()
    run = runs("serve", app, "--install", data=data_home, port=port)
    assert run.wait_for(r"serving \S+ at", 300), run.output
    status, _, body = get(f"http://127.0.0.1:{port}/")
    assert status == 200 and body == "database=python-to-do-app\n", (status, body, run.output[-2000:])
    assert run.stop(signal.SIGINT) == 0, run.output


def test_a_url_with_its_login_from_the_environment_gets_the_database_it_writes(runs, data_home, tmp_path):
    """config.py reads the login, host and port from POSTGRES_* variables and writes the database name:
    `f"postgresql://{USER}:{PASSWORD}@{HOST}:{PORT}/appdb"`. serve's PostgreSQL makes appdb and gives the app
    those variables, so it answers with no edit and nothing set."""
    app = _written_url_app(tmp_path, free_port())
    (app / "config.py").write_text(
        "import os\nUSER = os.environ['POSTGRES_USER']\nPASSWORD = os.environ['POSTGRES_PASSWORD']\n"
        "SQLALCHEMY_DATABASE_URI = f\"postgresql://{USER}:{PASSWORD}@{os.environ['POSTGRES_HOST']}:"
        "{os.environ['POSTGRES_PORT']}/appdb\"\n")
    port = free_port()
    run = runs("serve", app, "--install", data=data_home, port=port)
    assert run.wait_for(r"serving \S+ at", 300), run.output
    assert "config.py:4 writes the app's database: its PostgreSQL gets role visits and database appdb" \
        in run.output, run.output
    status, _, body = get(f"http://127.0.0.1:{port}/")
    assert status == 200 and re.fullmatch(r"user=visits database=appdb visits=\d+\n", body), (body, run.output)
    assert run.stop(signal.SIGINT) == 0, run.output


def test_a_port_written_in_the_code_that_another_program_holds_reaches_serves_postgresql_through_libpq(
        runs, data_home, tmp_path):
    """config.py writes `postgresql://postgres:...@localhost:PORT/appdb` (no variable to change it) and another
    program holds PORT on 127.0.0.1: serve's PostgreSQL listens on PORT at 127.0.0.2 and the app (psycopg2, on
    libpq) gets PGHOSTADDR, so it answers from serve's database with no edit, and the line names the holder."""
    import socket
    holder = socket.socket()
    holder.bind(("127.0.0.1", free_port()))
    holder.listen()
    try:
        pg_port = holder.getsockname()[1]
        port = free_port()
        run = runs("serve", _written_url_app(tmp_path, pg_port), "--install", data=data_home, port=port)
        assert run.wait_for(r"serving \S+ at", 300), run.output
        assert re.search(rf"config.py:1 connects to PostgreSQL on localhost:{pg_port}, which python \(pid \d+\) "
                         rf"holds on 127.0.0.1: the app's PostgreSQL listens on 127.0.0.2:{pg_port}, and "
                         r"PGHOSTADDR=127.0.0.2 takes", run.output), run.output
        status, _, body = get(f"http://127.0.0.1:{port}/")
        assert status == 200 and re.fullmatch(r"user=postgres database=appdb visits=\d+\n", body), (body, run.output)
        assert run.stop(signal.SIGINT) == 0, run.output
    finally:
        holder.close()


def test_a_written_url_on_a_port_another_program_holds_reaches_serves_postgresql_through_its_variable(
        runs, data_home, tmp_path):
    """config.py reads VISITS_CONN, a name serve does not set, with a default on a port another program holds:
    serve's PostgreSQL listens elsewhere and the app gets VISITS_CONN on that port (its role and database
    kept), so it answers instead of connecting to the other program."""
    import socket
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    try:
        pg_port = holder.getsockname()[1]
        app = _written_url_app(tmp_path, pg_port)
        (app / "config.py").write_text(
            "import os\n\nSQLALCHEMY_DATABASE_URI = os.environ.get('VISITS_CONN', "
            f"'postgresql://shopkeeper:tutorial-pw@localhost:{pg_port}/appdb')\n")
        port = free_port()
        run = runs("serve", app, "--install", data=data_home, port=port)
        assert run.wait_for(r"serving \S+ at", 300), run.output
        assert f"config.py:3 connects to PostgreSQL on port {pg_port}, which another program holds here" \
               in run.output and "the app gets VISITS_CONN" in run.output, run.output
        status, _, body = get(f"http://127.0.0.1:{port}/")
        assert status == 200 and re.fullmatch(r"user=shopkeeper database=appdb visits=\d+\n", body), \
            (body, run.output)
        assert run.stop(signal.SIGINT) == 0, run.output
    finally:
        holder.close()


_INI_PARTS_APP = '''
"""A Falcon-style app that opens its own conf/local.ini with configparser and connects with its [postgres] parts:
no user (libpq's), no DATABASE_URL read."""

import configparser
import os

import psycopg2
from flask import Flask

CONFIG = configparser.ConfigParser()
CONFIG.read(os.path.join(os.path.dirname(os.path.abspath(__file__)), "conf", "local.ini"))
POSTGRES = CONFIG["postgres"]

app = Flask(__name__)


@app.get("/")
def index():
    with psycopg2.connect(host=POSTGRES["host"], port=POSTGRES["port"], database=POSTGRES["database"]) as conn:
        with conn.cursor() as cur:
            cur.execute("SELECT current_database(), inet_server_port()")
            return "database={} port={}\\n".format(*cur.fetchone())
'''


def test_postgresql_parts_in_an_ini_section_the_app_reads_get_that_database_and_port(runs, data_home, tmp_path):
    """[postgres] host=localhost, port, database=inventory and no user in conf/local.ini: serve's PostgreSQL
    listens on that port and has that database, which the app's role (libpq's PGUSER) owns."""
    pg_port = free_port()
    app = make_tree(tmp_path / "stock", {
        "app.py": _INI_PARTS_APP,
        "conf/local.ini": f"[cors]\nallowed_headers=Content-Type\n\n[postgres]\nhost=localhost\nport={pg_port}\n"
                          "database=inventory\n",
        "requirements.txt": "Flask>=3\npsycopg2-binary>=2.9\n"})
    port = free_port()
    run = runs("serve", app, "--install", data=data_home, port=port)
    assert run.wait_for(r"serving \S+ at", 300), run.output
    assert "conf/local.ini:4 writes the app's database: its PostgreSQL gets role stock and database inventory" \
        in run.output, run.output
    status, _, body = get(f"http://127.0.0.1:{port}/")
    assert (status, body) == (200, f"database=inventory port={pg_port}\n"), (body, run.output)
    assert run.stop(signal.SIGINT) == 0, run.output


def test_a_data_folder_made_with_the_superuser_postgres_still_starts_and_serves(runs, data_home, tmp_path):
    """A data folder an older Shipyard made (superuser postgres, no record beside it) is started as before, its
    data kept; a login the app writes as postgres is refused there with the way to a new folder."""
    from types import SimpleNamespace
    from shipyard.run import database, postgres
    app = app_copy(tmp_path, NOTES)
    folder = database.app_folder(SimpleNamespace(name="notes-postgres"), app, {"XDG_DATA_HOME": str(data_home)})
    server_dir = folder / "server"
    server_dir.mkdir(parents=True, mode=0o700)
    for parent in (folder, folder.parent, folder.parent.parent):
        parent.chmod(parent.stat().st_mode | 0o001)
    account = postgres.service_account()
    postgres.give(server_dir, account)
    old = postgres.PostgresServer(postgres_binaries(), server_dir / "data", server_dir, free_port(),
                                  server_dir / "server.log")
    old.init(superuser_password="unused", superuser="postgres")
    old.superuser_record.unlink()                                   # as older Shipyards left it
    old.start()
    old.psql("CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)")
    old.stop()

    port = free_port()
    run = runs("serve", app, data=data_home, port=port)
    assert run.wait_for(r"serving \S+ at", 120), run.output
    assert "creating the app's PostgreSQL" not in run.output, run.output
    assert get(f"http://127.0.0.1:{port}/")[2] == "backend=postgresql notes= releases=1\n"
    again = postgres.PostgresServer(postgres_binaries(), server_dir / "data", server_dir, 0, server_dir / "x.log")
    assert again.superuser == "postgres" and not again.superuser_record.exists()
    assert run.stop(signal.SIGINT) == 0, run.output

    (app / "config.py").write_text("DATABASE_URL = 'postgresql://postgres:pw@localhost/notes'\n")
    said = runs("serve", app, data=data_home, port=free_port())
    assert said.wait_for(r"serving \S+ at", 120), said.output
    assert "writes the app's database as user postgres, database notes, which serve's PostgreSQL keeps to itself" \
           in said.output and f"move {folder} away" in said.output, said.output
    assert said.stop(signal.SIGINT) == 0, said.output


def test_an_app_on_psycopg2_with_sqlalchemy_unpinned_opens_its_plain_url_with_psycopg2(runs, data_home, tmp_path):
    """A fresh copy (no date to resolve its packages as of) writing a plain postgresql:// URL, with SQLAlchemy
    unpinned and psycopg2 its only driver: resolved today SQLAlchemy 2.1 would load psycopg (3) for that URL
    ("No module named 'psycopg'"); serve installs a SQLAlchemy below 2.1, which opens it with psycopg2."""
    app = tmp_path / "shop"
    app.mkdir()
    (app / "app.py").write_text(
        "from flask import Flask\nfrom sqlalchemy import create_engine, text\n\napp = Flask(__name__)\n"
        f"engine = create_engine('postgresql://shop:pw@localhost:{free_port()}/shop')\n\n\n@app.get('/')\n"
        "def index():\n    with engine.connect() as conn:\n"
        "        return f\"{engine.dialect.driver} {conn.execute(text('SELECT current_user')).scalar()}\\n\"\n")
    (app / "requirements.txt").write_text("Flask\nSQLAlchemy\npsycopg2-binary\n")
    port = free_port()
    run = runs("serve", app, "--install", data=data_home, port=port)
    assert run.wait_for(r"serving \S+ at", 300), run.output
    assert " SQLAlchemy<2.1 " in run.output, run.output                # what uv installs
    assert get(f"http://127.0.0.1:{port}/")[:3:2] == (200, "psycopg2 shop\n"), run.output


HEROKU_SSL = {
    "requirements.txt": "Django\ndj-database-url\npsycopg2-binary\n",
    "manage.py": "import os, sys\n\nif __name__ == '__main__':\n"
                 "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'herokusite.settings')\n"
                 "    from django.core.management import execute_from_command_line\n"
                 "    execute_from_command_line(sys.argv)\n",
    "herokusite/__init__.py": "",
    "herokusite/settings.py": (
        "import dj_database_url\n\n"
        "SECRET_KEY = 'test-only'\nALLOWED_HOSTS = ['*']\nROOT_URLCONF = 'herokusite.urls'\n"
        "INSTALLED_APPS = ['django.contrib.contenttypes', 'django.contrib.auth']\n"
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n"
        "# what django_heroku.settings(locals()) does with DATABASE_URL: Heroku's PostgreSQL wants SSL\n"
        "DATABASES['default'] = dj_database_url.config(conn_max_age=600, ssl_require=True)\n"),
    "herokusite/urls.py": (
        "from django.db import connection\nfrom django.http import HttpResponse\nfrom django.urls import path\n\n\n"
        "def index(request):\n    with connection.cursor() as cursor:\n"
        "        cursor.execute('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')\n"
        "        return HttpResponse(f'ssl={cursor.fetchone()[0]}')\n\n\n"
        "urlpatterns = [path('', index)]\n"),
    "herokusite/wsgi.py": "import os\n\nfrom django.core.wsgi import get_wsgi_application\n\n"
                          "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'herokusite.settings')\n"
                          "application = get_wsgi_application()\n",
}


def test_an_app_that_requires_ssl_to_its_database_reaches_serves_postgresql_over_ssl(runs, data_home, tmp_path):
    """Heroku-style settings (django_heroku.settings, dj_database_url.config(ssl_require=True)) set
    sslmode=require: serve's PostgreSQL offers SSL with a certificate of its own, so migrate and the app
    connect (they stopped on "server does not support SSL, but SSL was required")."""
    app = make_tree(tmp_path / "src" / "herokusite", HEROKU_SSL)
    run, status, body = serve_installed(runs, data_home, tmp_path, app, 240, install=False)
    assert status == 200 and body == "ssl=True", (status, body, run.output[-2000:])
    assert run.stop(signal.SIGINT) == 0, run.output


def test_a_django_configurations_class_reading_prefixed_db_parts_reaches_serves_postgresql(runs, data_home, tmp_path):
    """django-configurations reads `values.Value("localhost", environ_name="DB_HOST")` from DJANGO_DB_HOST (its
    prefix): serve gives the parts under those names, so migrate (through `python -m configurations`) and the app
    reach its PostgreSQL instead of the defaults' localhost:5432."""
    app = Path(shutil.copytree(FIXTURES / "apps" / "django_configurations", tmp_path / "src" / "confsite"))
    (app / "requirements.txt").write_text("Django>=4.2\ndjango-configurations>=2.5\npsycopg2-binary\n")
    settings = app / "confsite" / "settings.py"
    settings.write_text(settings.read_text().replace(
        '''    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}''',
        '''    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql",
                             "NAME": values.Value("confsite", environ_name="DB_NAME"),
                             "USER": values.Value("confsite", environ_name="DB_USER"),
                             "PASSWORD": values.Value("password", environ_name="DB_PASSWORD"),
                             "HOST": values.Value("localhost", environ_name="DB_HOST"),
                             "PORT": values.Value("5432", environ_name="DB_PORT")}}'''))
    (app / "confsite" / "urls.py").write_text(
        "from django.contrib.auth.models import Permission\nfrom django.http import HttpResponse\n"
        "from django.urls import path\n\n"
        "urlpatterns = [path('', lambda request: HttpResponse(f'permissions={Permission.objects.count()}'))]\n")
    run, status, body = serve_installed(runs, data_home, tmp_path, app, 240, install=False)
    assert "DJANGO_DB_HOST" in run.output, run.output
    assert status == 200 and body.startswith("permissions=") and body != "permissions=0", (status, body,
                                                                                          run.output[-2000:])
    assert run.stop(signal.SIGINT) == 0, run.output


FLYWAY_APP = """\
import os

import psycopg
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route


def home(request):
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        notes = conn.execute("SELECT count(*) FROM notes WHERE NOT done").fetchone()[0]
        applied = conn.execute("SELECT string_agg(version, ',' ORDER BY installed_rank) "
                               "FROM flyway_schema_history").fetchone()[0]
    return PlainTextResponse(f"notes={notes} applied={applied}\\n")


app = Starlette(routes=[Route("/", home)])
"""


def test_flyway_sql_migrations_the_compose_file_runs_make_the_tables_in_version_order_once(runs, data_home,
                                                                                          tmp_path):
    """The app's tables come only from Flyway's SQL files, which its compose file applies with the flyway image:
    the release applies them in version order (V10 after V2, which adds the column V10 fills), on serve's own
    PostgreSQL, with the app's psycopg; a second serve applies nothing again."""
    app = make_tree(tmp_path / "fixture" / "flyway_notes", {
        "app.py": FLYWAY_APP, "requirements.txt": "starlette\npsycopg[binary]\n",
        "docker-compose.yml": "services:\n  web:\n    build: .\n    ports: ['8000:8000']\n"
                              "  flyway:\n    image: flyway/flyway\n    command: migrate\n"
                              "    volumes:\n      - ./flyway/sql:/flyway/sql\n",
        "flyway/sql/V1__notes.sql": "CREATE TABLE notes (id SERIAL PRIMARY KEY, text TEXT NOT NULL);\n",
        "flyway/sql/V2__done.sql": "ALTER TABLE notes ADD COLUMN done BOOLEAN NOT NULL DEFAULT false;\n",
        "flyway/sql/V10__seed.sql": "INSERT INTO notes (text, done) VALUES ('a', false), ('b', true);\n"})
    port = free_port()
    run = runs("serve", app, "--install", data=data_home, port=port)
    assert run.wait_for(r"serving \S+ at", 300), run.output
    assert "flyway: applied V10__seed.sql" in run.output, run.output
    assert get(f"http://127.0.0.1:{port}/")[::2] == (200, "notes=1 applied=1,2,10\n"), run.output[-3000:]
    assert run.stop(signal.SIGINT) == 0, run.output
    again = runs("serve", app, data=data_home, port=port)
    assert again.wait_for(r"serving \S+ at", 120), again.output
    assert "flyway: applied" not in again.output, again.output
    assert get(f"http://127.0.0.1:{port}/")[::2] == (200, "notes=1 applied=1,2,10\n"), again.output[-3000:]
    assert again.stop(signal.SIGINT) == 0, again.output


def test_a_database_whose_first_run_was_cut_short_gets_its_release_from_an_empty_database_next_time(runs, data_home,
                                                                                                   tmp_path):
    """first_run_owed: the first serve creates the app's PostgreSQL, and the import proof's create_all makes the
    table there, then the import stops (here: a STOP file the module checks), so the release never runs. The next
    serve did not create the database, but it still owes it that first run: it empties what the proof left, then
    the Alembic migration creates the table (without that, the migration fails on the table create_all made)."""
    app = app_copy(tmp_path, FIXTURES / "apps" / "create_all_then_alembic")
    source = (app / "app.py").read_text()
    (app / "app.py").write_text(source.replace(
        "metadata.create_all(engine)\n",
        "metadata.create_all(engine)\nif os.path.exists(os.path.join(os.path.dirname(__file__), 'STOP')):\n"
        "    raise RuntimeError('stopped before the release')\n", 1))
    (app / "STOP").write_text("")
    first = runs("serve", app, "--install", data=data_home, port=free_port())
    assert first.proc.wait(300) != 0, first.output
    assert "creating the app's PostgreSQL" in first.output and "stopped before the release" in first.output
    assert "migrations applied" not in first.output, first.output
    (app / "STOP").unlink()
    port = free_port()
    again = runs("serve", app, data=data_home, port=port)
    assert again.wait_for(r"serving \S+ at", 120), again.output
    assert "creating the app's PostgreSQL" not in again.output, again.output
    assert "emptied again before Alembic" in again.output and "migrations applied with Alembic" in again.output
    assert get(f"http://127.0.0.1:{port}/")[::2] == (200, "notes=0 version=0001\n"), again.output[-2000:]
    assert again.stop(signal.SIGINT) == 0, again.output


def test_the_sql_dump_the_readme_loads_with_psql_is_loaded_once_into_serves_new_database(runs, data_home, tmp_path):
    """Udacity's course apps: the README says `psql shelf < books.psql`, and the pages read those rows. serve
    loads the dump once, into the database it created (the author's OWNER TO left out), never again."""
    app = make_tree(tmp_path / "shelf", DUMPED_APP_FILES)
    port = free_port()
    first = runs("serve", app, "--install", data=data_home, port=port)
    assert first.wait_for(r"serving \S+ at", 300), first.output
    assert "running the SQL dump books.psql its README.md loads (`psql shelf < books.psql`)" in first.output
    assert "caryn" not in first.output, first.output          # no "role caryn does not exist"
    assert get(f"http://127.0.0.1:{port}/")[2] == "Dune,Emma\n"
    assert first.stop(signal.SIGINT) == 0, first.output

    port = free_port()
    second = runs("serve", app, data=data_home, port=port)
    assert second.wait_for(r"serving \S+ at", 120), second.output
    assert "running the SQL dump" not in second.output, second.output
    assert get(f"http://127.0.0.1:{port}/")[2] == "Dune,Emma\n"


def test_every_file_of_the_projects_initdb_folder_is_loaded_once_in_order(runs, data_home, tmp_path):
    """The project's compose file mounts ./db/init at the postgres image's /docker-entrypoint-initdb.d: serve runs
    all of it, as that image's entrypoint does when its volume is new (sorted; .sql through psql, .sh with the
    image's POSTGRES_* variables), once."""
    from dumped_app import DUMPED_APP
    app = make_tree(tmp_path / "shelf", {
        "app.py": DUMPED_APP, "requirements.txt": "Flask>=3.0\npsycopg2-binary>=2.9,<3\n",
        "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n    volumes:\n"
                              "      - ./db/init:/docker-entrypoint-initdb.d\n",
        "db/init/01-schema.sql": "CREATE TABLE books (id serial PRIMARY KEY, title text);\n",
        "db/init/02-rows.sql": "INSERT INTO books (title) VALUES ('Dune'), ('Emma');\n",
        "db/init/10-more.sh": 'psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<-EOSQL\n'
                              "\tINSERT INTO books (title) VALUES ('Ulysses');\nEOSQL\n"})
    port = free_port()
    first = runs("serve", app, "--install", data=data_home, port=port)
    assert first.wait_for(r"serving \S+ at", 300), first.output
    assert "running the 3 init files db/init/01-schema.sql, db/init/02-rows.sql, db/init/10-more.sh" in first.output
    assert get(f"http://127.0.0.1:{port}/")[2] == "Dune,Emma,Ulysses\n", first.output
    assert first.stop(signal.SIGINT) == 0, first.output

    port = free_port()
    second = runs("serve", app, data=data_home, port=port)
    assert second.wait_for(r"serving \S+ at", 120), second.output
    assert "init files" not in second.output, second.output
    assert get(f"http://127.0.0.1:{port}/")[2] == "Dune,Emma,Ulysses\n"
    assert second.stop(signal.SIGINT) == 0, second.output


_SUPERUSER_INIT_APP = '''\
import psycopg2
from flask import Flask

from config import DB_URL

app = Flask(__name__)


@app.route("/")
def index():
    with psycopg2.connect(DB_URL) as conn, conn.cursor() as cur:
        cur.execute("SELECT current_user, string_agg(text, ',') FROM notes")
        user, notes = cur.fetchone()
    return f"user={user} notes={notes}\\n"
'''

# the aio-libs polls demo's init_db.py, in psycopg2: the superuser of a bare PostgreSQL makes the app's role itself
_SUPERUSER_INIT_DB = '''\
import psycopg2

ADMIN = dict(user="postgres", password="postgres", host="localhost", port={port}, dbname="postgres")

admin = psycopg2.connect(**ADMIN)
admin.autocommit = True
with admin.cursor() as cur:
    cur.execute("DROP DATABASE IF EXISTS notesdb")
    cur.execute("CREATE USER notesuser WITH PASSWORD 'notes-pw'")
    cur.execute("CREATE DATABASE notesdb OWNER notesuser")
admin.close()
with psycopg2.connect(dbname="notesdb", user="notesuser", password="notes-pw", host="localhost", port={port}) as conn:
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE notes (text varchar)")
        cur.execute("INSERT INTO notes VALUES ('made by init_db.py')")
'''


def test_an_init_script_that_logs_in_as_postgres_to_make_the_apps_role_runs_as_that_superuser(runs, data_home,
                                                                                               tmp_path):
    """init_db.py logs in as `postgres`/`postgres` (a bare PostgreSQL's superuser) and runs CREATE USER for the role
    config.py writes: serve's PostgreSQL (superuser `shipyard`) lets it, for that run only, with the role and
    database it had made for the app's login out of the way; afterwards postgres neither is a superuser nor
    logs in, and the app answers as the role the script made."""
    pg_port = free_port()
    app = make_tree(tmp_path / "notes", {
        "app.py": _SUPERUSER_INIT_APP,
        "config.py": f"DB_URL = 'postgresql://notesuser:notes-pw@localhost:{pg_port}/notesdb'\n",
        "init_db.py": _SUPERUSER_INIT_DB.format(port=pg_port),
        "requirements.txt": "Flask>=3\npsycopg2-binary>=2.9\n"})
    port = free_port()
    run = runs("serve", app, "--install", data=data_home, port=port)
    assert run.wait_for(r"serving \S+ at", 300), run.output
    assert "init_db.py logs in as postgres to make the app's role and database itself" in run.output, run.output
    assert "script failed" not in run.output, run.output
    assert get(f"http://127.0.0.1:{port}/")[::2] == (200, "user=notesuser notes=made by init_db.py\n"), run.output
    data = next(data_home.glob("shipyard/postgres/notes-*")) / "server" / "data"
    assert "the app's init script" not in (data / "pg_hba.conf").read_text()
    import psycopg2
    with pytest.raises(psycopg2.OperationalError):
        psycopg2.connect(user="postgres", password="postgres", host="127.0.0.1", port=pg_port, dbname="postgres")
    assert run.stop(signal.SIGINT) == 0, run.output


def test_a_config_class_building_sqlalchemys_url_with_a_compose_links_alias_gets_that_login(runs, data_home,
                                                                                            tmp_path):
    """A REST API whose compose file links its database service under an alias (`links: ["store:ledgerdb"]`) and
    whose config class binds the URL's parts (USERNAME, PASSWORD = '', HOST = the alias, PORT, DATABASE_NAME),
    handed to SQLAlchemy's URL.create() in a staticmethod run at import: serve's PostgreSQL makes that role and
    database and takes the alias's connections (PGHOSTADDR); the page stopped on the alias not resolving."""
    app = make_tree(tmp_path / "ledger", {
        "docker-compose.yml": "services:\n  api:\n    build: .\n    links:\n      - store:shipyardledgeralias\n"
                              "  store:\n    image: postgres:15\n",
        "configs.py": (
            "from sqlalchemy import create_engine\nfrom sqlalchemy.engine.url import URL\n\n\n"
            "class StoreConfig:\n    DRIVER = 'postgresql+psycopg2'\n    USERNAME = 'ledger'\n    PASSWORD = ''\n"
            "    HOST = 'shipyardledgeralias'\n    PORT = 5432\n    DATABASE_NAME = 'ledger_books'\n\n"
            "    @staticmethod\n    def make_config():\n"
            "        url = URL.create(StoreConfig.DRIVER, username=StoreConfig.USERNAME, password=StoreConfig.PASSWORD,"
            "\n                         host=StoreConfig.HOST, port=StoreConfig.PORT,"
            " database=StoreConfig.DATABASE_NAME)\n        StoreConfig.ENGINE = create_engine(url)\n"),
        "app.py": (
            "from flask import Flask\nfrom sqlalchemy import text\n\nfrom configs import StoreConfig\n\n"
            "StoreConfig.make_config()\napp = Flask(__name__)\n\n\n@app.route('/')\ndef index():\n"
            "    with StoreConfig.ENGINE.connect() as conn:\n"
            "        row = conn.execute(text('select current_user, current_database()')).one()\n"
            "    return f'user={row[0]} database={row[1]}\\n'\n"),
        "requirements.txt": "Flask>=3\nSQLAlchemy>=2\npsycopg2-binary>=2.9\n"})
    run, status, body = serve_saying(runs, app, data_home, "the code connects to shipyardledgeralias (compose's names)")
    assert (status, body) == (200, "user=ledger database=ledger_books\n"), (status, body, run.output[-2000:])
    assert run.stop(signal.SIGINT) == 0, run.output


def test_an_import_that_creates_its_tables_in_a_schema_the_new_database_lacks_gets_that_schema(runs, data_home,
                                                                                               tmp_path):
    """A Flask-AppBuilder-style app runs create_all at import into models of schema "bookkeeping", which its
    author's initdb script (run by the compose file's postgres service) creates first: on serve's new PostgreSQL
    the import check stopped on 'schema "bookkeeping" does not exist'; serve makes the schema, owned by the app's
    role, and imports again, and the page answers from the table the import made there."""
    app = make_tree(tmp_path / "ledger", {
        "models.py": (
            "from sqlalchemy import Column, Integer, String, create_engine\n"
            "from sqlalchemy.orm import declarative_base\n\n"
            "engine = create_engine('postgresql://keeper:keeper-pw@localhost/ledger')\nBase = declarative_base()\n\n\n"
            "class Entry(Base):\n    __tablename__ = 'entries'\n    __table_args__ = {'schema': 'bookkeeping'}\n"
            "    id = Column(Integer, primary_key=True)\n    text = Column(String(80))\n\n\n"
            "Base.metadata.create_all(engine)\n"),
        "app.py": (
            "from flask import Flask\nfrom sqlalchemy import text\n\nfrom models import engine\n\n"
            "app = Flask(__name__)\n\n\n@app.route('/')\ndef index():\n    with engine.connect() as conn:\n"
            "        owner = conn.execute(text(\"select schema_owner from information_schema.schemata \"\n"
            "                                  \"where schema_name = 'bookkeeping'\")).scalar()\n"
            "        rows = conn.execute(text('select count(*) from bookkeeping.entries')).scalar()\n"
            "    return f'owner={owner} rows={rows}\\n'\n"),
        "requirements.txt": "Flask>=3\nSQLAlchemy>=2\npsycopg2-binary>=2.9\n"})
    run, status, body = serve_saying(runs, app, data_home, "importing the app writes into schema bookkeeping")
    assert (status, body) == (200, "owner=keeper rows=0\n"), (status, body, run.output[-2000:])
    assert run.stop(signal.SIGINT) == 0, run.output
