"""The app's own database for `serve`/`dev`: names, the variables the app gets, where the data lives, when the
release runs again, and where PostgreSQL's programs are looked for. (The server itself:
tests/integration/test_serve_database.py.)"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from plans import django_postgres, flask_wsgi
from shipyard.plan import Service
from shipyard.run import database, postgres

PARTS = {"host": "127.0.0.1", "port": "5433", "user": "mysite", "password": "pw", "database": "mysite"}
URL = "postgresql://mysite:pw@127.0.0.1:5433/mysite"


@pytest.mark.parametrize("app, name", [("easygeoip", "easygeoip"), ("notes-postgres", "notes_postgres"),
                                       ("My App!", "my_app"), ("2048", "app_2048"), ("postgres", "app_postgres"),
                                       ("pg_stat", "app_pg_stat"), ("---", "app")])
def test_role_and_database_names_from_the_app_name(app, name):
    assert database.db_name(app) == name


def test_the_app_gets_database_url_and_the_database_variables_its_code_reads():
    plan = django_postgres()
    plan = plan.__class__(**{**plan.__dict__, "env_vars": ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "PGHOST", "POSTGRES_SERVER",
                                                           "POSTGRES_PASSWORD", "DB_NAME", "DB_PORT", "DEBUG",
                                                           "SQL_HOST", "SQL_ENGINE", "APP_DB_USER", "TEST_DB_NAME")})
    assert database.connection_env(plan, PARTS, URL) == {
        "DATABASE_URL": URL, "SQLALCHEMY_DATABASE_URI": URL, "PGHOST": "127.0.0.1", "POSTGRES_SERVER": "127.0.0.1",
        "POSTGRES_PASSWORD": "pw",
        "DB_NAME": "mysite", "DB_PORT": "5433", "SQL_HOST": "127.0.0.1", "APP_DB_USER": "mysite"}
    # parts with no separator after DB (Azure's samples: DBHOST/DBUSER/DBPASS/DBNAME), as after PG
    unseparated = plan.__class__(**{**plan.__dict__, "env_vars": ("DBHOST", "DBUSER", "DBPASS", "DBNAME", "DBDEBUG")})
    assert database.connection_env(unseparated, PARTS, URL) == {
        "DATABASE_URL": URL, "DBHOST": "127.0.0.1", "DBUSER": PARTS["user"], "DBPASS": "pw", "DBNAME": "mysite"}
    # AWS Elastic Beanstalk's names for an attached RDS database (an app building its URL from them)
    rds = plan.__class__(**{**plan.__dict__, "env_vars": ("RDS_HOSTNAME", "RDS_PORT", "RDS_USERNAME", "RDS_PASSWORD",
                                                          "RDS_DB_NAME", "RDS_REGION")})
    assert database.connection_env(rds, PARTS, URL) == {
        "DATABASE_URL": URL, "RDS_HOSTNAME": "127.0.0.1", "RDS_PORT": "5433", "RDS_USERNAME": "mysite",
        "RDS_PASSWORD": "pw", "RDS_DB_NAME": "mysite"}


def test_a_part_under_an_own_prefix_is_left_alone_when_an_unprefixed_name_gives_that_part():
    # a Quart app's settings: PG_DB is its database; TODO_DB_NAME/TASK_DB_NAME (defaults "todos", "tasks") name
    # its tables, which serve's database name would break
    plan = django_postgres()
    plan = plan.__class__(**{**plan.__dict__, "env_vars": ("PG_DB", "PG_HOST", "PG_USER", "TASK_DB_NAME",
                                                           "TODO_DB_NAME", "APP_DB_PASSWORD")})
    assert database.connection_env(plan, PARTS, URL) == {
        "DATABASE_URL": URL, "PG_DB": "mysite", "PG_HOST": "127.0.0.1", "PG_USER": "mysite",
        "APP_DB_PASSWORD": "pw"}     # no unprefixed password variable: the app's own is the one
    alone = plan.__class__(**{**plan.__dict__, "env_vars": ("TODO_DB_NAME", "TODO_DB_HOST")})
    assert database.connection_env(alone, PARTS, URL) == {
        "DATABASE_URL": URL, "TODO_DB_NAME": "mysite", "TODO_DB_HOST": "127.0.0.1"}


NEON_SETTINGS = """
import environ
env = environ.Env()
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': 'Databaes',
        'USER': env('NEON_USER'),
        'PASSWORD': env('NEON_PASSWORD'),
        'HOST': env('NEON_HOST'),
        'PORT': env('NEON_PORT'),
    }
}
"""


def test_the_parts_a_django_databases_entry_reads_under_names_of_its_own_get_the_database(tmp_path):
    from conftest import make_tree
    from shipyard.detect.db_part_vars import database_part_variables
    from shipyard.detect.services import services
    from shipyard.detect.written_db import WrittenDatabase, written_database
    from shipyard.plan import Dependency
    from shipyard.project import Project
    project = Project(make_tree(tmp_path, {"Databaes/settings.py": NEON_SETTINGS}))
    keyed = (("NEON_HOST", "host"), ("NEON_PASSWORD", "password"), ("NEON_PORT", "port"), ("NEON_USER", "user"))
    assert database_part_variables(project) == keyed
    found = services(project, (Dependency("psycopg2-binary", "==2.9.9", "requirements.txt"),))
    assert [(s.name, s.parts) for s in found] == [("postgres", keyed)]
    plan = django_postgres()
    plan = plan.__class__(**{**plan.__dict__, "services": found,
                             "env_vars": ("NEON_HOST", "NEON_PASSWORD", "NEON_PORT", "NEON_USER", "SECRET_KEY")})
    assert database.connection_env(plan, PARTS, URL) == {
        "DATABASE_URL": URL, "NEON_HOST": "127.0.0.1", "NEON_PASSWORD": "pw", "NEON_PORT": "5433",
        "NEON_USER": "mysite"}
    # the database's name is written: serve's PostgreSQL makes that one, for its own role
    assert written_database(project) == WrittenDatabase("", "", "Databaes", "Databaes/settings.py", 3)


FLASK_URL_READS = {
    # a config class reading the URL under the app's own name, with no default (Flask-SQLAlchemy 3 then refuses to
    # start: "Either 'SQLALCHEMY_DATABASE_URI' or 'SQLALCHEMY_BINDS' must be set")
    "tasks/config.py": "from os import environ\n\nclass Config:\n"
                       "    SQLALCHEMY_DATABASE_URI = environ.get('ANAKONDA_API_DATABASE_URI', None)\n"
                       "    SECRET_KEY = environ.get('ANAKONDA_API_SECRET_KEY', 'x')\n",
    # app.config[...] through `or` and a name bound once; create_engine's URL
    "tasks/app.py": "import os\nfrom flask import Flask\nfrom sqlalchemy import create_engine\n"
                    "CONN = os.getenv('SHOP_CONN')\napp = Flask(__name__)\n"
                    "app.config['SQLALCHEMY_DATABASE_URI'] = CONN or 'sqlite://'\n"
                    "app.config.update(SQLALCHEMY_DATABASE_URI=os.environ['OTHER_CONN'])\n"
                    "engine = create_engine(os.environ['REPORTS_DSN_VALUE'], echo=True)\n"
                    "DEBUG = os.getenv('APP_DEBUG')\n",
}


def test_the_variables_an_app_puts_into_its_database_url_get_ours_whatever_their_names(tmp_path):
    from conftest import make_tree
    from shipyard.detect.db_part_vars import database_part_variables
    from shipyard.detect.services import services
    from shipyard.plan import Dependency
    from shipyard.project import Project
    project = Project(make_tree(tmp_path, FLASK_URL_READS))
    keyed = (("ANAKONDA_API_DATABASE_URI", "url"), ("OTHER_CONN", "url"), ("REPORTS_DSN_VALUE", "url"),
             ("SHOP_CONN", "url"))
    assert database_part_variables(project) == keyed
    found = services(project, (Dependency("psycopg2-binary", "==2.9.9", "requirements.txt"),))
    plan = flask_wsgi()
    plan = plan.__class__(**{**plan.__dict__, "services": found,
                             "env_vars": ("ANAKONDA_API_DATABASE_URI", "ANAKONDA_API_SECRET_KEY", "APP_DEBUG",
                                          "OTHER_CONN", "REPORTS_DSN_VALUE", "SHOP_CONN")})
    assert database.connection_env(plan, PARTS, URL) == {
        "DATABASE_URL": URL, "ANAKONDA_API_DATABASE_URI": URL, "OTHER_CONN": URL, "REPORTS_DSN_VALUE": URL,
        "SHOP_CONN": URL}
    # the app reads a URL: its PostgreSQL need not take 5432
    assert database.server_port(plan, default=1) != 1


# Django settings handing dj-database-url a URL read under a name of the app's own: a hosted-PostgreSQL course API
# reads it inside try/except (`except KeyError` never catches decouple's UndefinedValueError), another through
# .config(default=...), a third the module's env name (env=: not a read of ours to point)
DJ_DATABASE_URL_READS = {
    "core/settings.py": "import dj_database_url\nfrom decouple import config\n\ntry:\n"
                        "    DBEXTERNAL = config('DBEXTERNAL')\nexcept KeyError:\n"
                        "    raise RuntimeError('Could not find a Postgres variables in environment')\n\n"
                        "DATABASES = {'default': dj_database_url.parse(DBEXTERNAL)}\n",
    "other/settings.py": "import os\nimport dj_database_url\n\n"
                         "DATABASES = {'default': dj_database_url.config(default=os.getenv('RENDER_PG'), "
                         "conn_max_age=600)}\nTITLE = os.getenv('SITE_TITLE')\n",
}


def test_the_variable_django_settings_hand_dj_database_url_gets_the_url_whatever_its_name(tmp_path):
    from conftest import make_tree
    from shipyard.detect.db_part_vars import database_part_variables
    from shipyard.detect.services import services
    from shipyard.plan import Dependency
    from shipyard.project import Project
    project = Project(make_tree(tmp_path, DJ_DATABASE_URL_READS))
    keyed = (("DBEXTERNAL", "url"), ("RENDER_PG", "url"))
    assert database_part_variables(project) == keyed
    found = services(project, (Dependency("psycopg2-binary", "==2.9.6", "requirements.txt"),))
    plan = django_postgres()
    plan = plan.__class__(**{**plan.__dict__, "services": found,
                             "env_vars": ("DBEXTERNAL", "RENDER_PG", "SECRET_KEY", "SITE_TITLE")})
    assert database.connection_env(plan, PARTS, URL) == {"DATABASE_URL": URL, "DBEXTERNAL": URL, "RENDER_PG": URL}


# an Alembic env.py building its URL from the environment, scheme included (`DB_TYPE=` empty in .env.template):
# unset, the URL starts "None://"; and a module adding its async driver to a dialect it reads
URL_SCHEME_READS = {
    "migrations/env.py": "import os\nfrom alembic import context\n"
                         "DB_TYPE = os.environ.get('DB_TYPE')\nDB_HOST = os.environ.get('DB_HOST')\n"
                         "context.config.set_main_option('sqlalchemy.url', f'{DB_TYPE}://u:p@{DB_HOST}/postgres')\n",
    "app/db.py": "import os\nfrom sqlalchemy.ext.asyncio import create_async_engine\n"
                 "engine = create_async_engine(f\"{os.getenv('SQL_DIALECT')}+asyncpg://u:p@h/d\")\n"
                 "LABEL = f\"{os.getenv('APP_TITLE')}: notes\"\n",
}


def test_the_variable_an_app_puts_first_in_a_url_it_builds_gets_the_urls_scheme(tmp_path):
    from conftest import make_tree
    from shipyard.detect.db_part_vars import database_part_variables
    from shipyard.detect.services import services
    from shipyard.plan import Dependency
    from shipyard.project import Project
    project = Project(make_tree(tmp_path, URL_SCHEME_READS))
    keyed = (("DB_TYPE", "scheme"), ("SQL_DIALECT", "dialect"))
    assert database_part_variables(project) == keyed
    found = services(project, (Dependency("psycopg2-binary", "==2.9.9", "requirements.txt"),))
    plan = flask_wsgi()
    plan = plan.__class__(**{**plan.__dict__, "services": found,
                             "env_vars": ("APP_TITLE", "DB_HOST", "DB_TYPE", "SQL_DIALECT")})
    url = "postgresql+psycopg2://mysite:pw@127.0.0.1:5433/mysite"
    assert database.connection_env(plan, PARTS, url) == {
        "DATABASE_URL": url, "DB_HOST": "127.0.0.1", "DB_TYPE": "postgresql+psycopg2", "SQL_DIALECT": "postgresql"}
    # no URL yet (the names alone): no scheme to give
    assert "DB_TYPE" not in database.connection_env(plan, PARTS, "")


def test_the_slots_of_a_database_url_template_say_what_each_variable_holds_whatever_its_name(tmp_path):
    # a 2023 config class: POSTGRES_URL reads as a URL by its name, but the app's URL puts it after the "@" with
    # no port after it, so it holds host:port; serve gave it the whole URL and the import failed on int('')
    from conftest import make_tree
    from shipyard.detect.db_part_vars import database_part_variables
    from shipyard.detect.services import services
    from shipyard.plan import Dependency
    from shipyard.project import Project
    root = make_tree(tmp_path, {
        "config.py": "import os\n\n\ndef get_env_variable(name):\n    return os.environ[name]\n\n\n"
                     "class Config:\n"
                     "    POSTGRES_URL = get_env_variable('POSTGRES_URL')\n"
                     "    POSTGRES_USER = get_env_variable('POSTGRES_USER')\n"
                     "    POSTGRES_PW = get_env_variable('POSTGRES_PW')\n"
                     "    POSTGRES_DB = get_env_variable('POSTGRES_DB')\n"
                     "    SQLALCHEMY_DATABASE_URI = f'postgresql://{POSTGRES_USER}:{POSTGRES_PW}@{POSTGRES_URL}/{POSTGRES_DB}'\n",
        # str.format with a port slot of its own: the host variable holds the host alone
        "reports.py": "import os\n\nURI = 'mysql+pymysql://{}:{}@{}:{}/{}'.format(os.getenv('R_LOGIN'), "
                      "os.getenv('R_SECRET'), os.getenv('R_ADDR'), os.getenv('R_NUM', '3306'), os.getenv('R_SCHEMA'))\n"
                      "OTHER = f'see {os.getenv(\"NOT_A_PART\")}'\n"})
    assert database_part_variables(Project(root)) == (
        ("POSTGRES_DB", "database"), ("POSTGRES_PW", "password"), ("POSTGRES_URL", "hostport"),
        ("POSTGRES_USER", "user"), ("R_ADDR", "host"), ("R_LOGIN", "user"), ("R_NUM", "port"),
        ("R_SCHEMA", "database"), ("R_SECRET", "password"))
    found = services(Project(root), (Dependency("psycopg2-binary", "==2.9.9", "requirements.txt"),))
    plan = flask_wsgi()
    plan = plan.__class__(**{**plan.__dict__, "services": found,
                             "env_vars": ("POSTGRES_DB", "POSTGRES_PW", "POSTGRES_URL", "POSTGRES_USER")})
    assert database.connection_env(plan, PARTS, URL) == {
        "DATABASE_URL": URL, "POSTGRES_DB": "mysite", "POSTGRES_PW": "pw", "POSTGRES_URL": "127.0.0.1:5433",
        "POSTGRES_USER": "mysite"}
    assert database.server_port(plan, default=1) != 1


def test_a_port_a_url_template_writes_beside_a_host_variable_is_where_the_app_connects(tmp_path):
    # a 2018 Celery app's config: the host, login and database from POSTGRES_*, the port a literal 5432; with
    # 5432 held here (a local PostgreSQL), serve's server took a free port the app never reached
    from conftest import make_tree
    from shipyard.detect.db_part_vars import template_ports
    from shipyard.project import Project
    root = make_tree(tmp_path, {"app/config.py": (
        "import os\n\nPOSTGRES_HOST = os.getenv('POSTGRES_HOST')\nPOSTGRES_DB = os.getenv('POSTGRES_DB')\n"
        "POSTGRES_PORT = 5432\n"
        "SQLALCHEMY_DATABASE_URI = 'postgresql+psycopg2://{u}:{p}@{hostname}:{port}/{dbname}'.format(u='x', p='y', "
        "hostname=POSTGRES_HOST, port=str(POSTGRES_PORT), dbname=POSTGRES_DB)\n"
        # a port read at run time, and a URL with no host slot: nothing written
        "OTHER = f'postgresql://u@{os.getenv(\"H\")}:{os.getenv(\"P\")}/db'\n")})
    assert template_ports(Project(root)) == (5432,)
    (root / "app" / "config.py").write_text("import os\nURL = f'postgresql://u@{os.getenv(\"H\")}:{os.getenv(\"P\")}/db'\n")
    assert template_ports(Project(root)) == ()


def test_a_login_written_as_the_default_of_a_url_variable_known_by_its_use_is_kept(tmp_path):
    # VISITS_CONN is the app's URL because config.py puts it into SQLALCHEMY_DATABASE_URI: serve gives it a URL, and
    # the role and database its default writes are still made (tests/integration/test_serve_database.py's visits)
    from conftest import make_tree
    from shipyard.detect.services import services
    from shipyard.plan import Dependency
    from shipyard.project import Project
    root = make_tree(tmp_path, {
        "config.py": "import os\n\nSQLALCHEMY_DATABASE_URI = os.environ.get('VISITS_CONN', "
                     "'postgresql://shopkeeper:pw@localhost:5433/appdb')\n",
        "other.py": "import os\nfrom sqlalchemy import create_engine\n\n"
                    "engine = create_engine(os.environ.get('DATABASE_URL', 'postgresql://u:p@localhost/unused'))\n"})
    found = services(Project(root), (Dependency("psycopg2-binary", "==2.9.9", "requirements.txt"),))
    plan = flask_wsgi()
    plan = plan.__class__(**{**plan.__dict__, "services": found, "env_vars": ("DATABASE_URL", "VISITS_CONN")})
    assert database.keyed_url_only(plan) == {"VISITS_CONN"}
    assert [(w.via, w.user, w.database) for w in database.logins_taken(plan, root)] == \
        [("VISITS_CONN", "shopkeeper", "appdb")]
    assert database.connection_env(plan, PARTS, URL)["VISITS_CONN"] == URL


def _with(plan, *names):
    from shipyard.plan import Dependency
    return plan.__class__(**{**plan.__dict__, "dependencies": tuple(Dependency(n, "", "requirements.txt")
                                                                        for n in names)})


@pytest.mark.parametrize("names, scheme", [
    (("Flask", "Flask-SQLAlchemy", "psycopg2-binary"), "postgresql+psycopg2"),  # SQLAlchemy 2.1 would load psycopg 3
    (("SQLAlchemy", "psycopg2"), "postgresql+psycopg2"),
    (("Flask", "Flask-Migrate", "psycopg"), "postgresql+psycopg"),
    (("SQLAlchemy", "psycopg2-binary", "psycopg"), "postgresql"),       # both drivers: the app's own default
    (("Flask", "psycopg2-binary"), "postgresql"),                      # no SQLAlchemy: libpq takes no +driver
    (("fastapi", "asyncpg", "SQLAlchemy", "psycopg2-binary"), "postgresql"),   # asyncpg reads it too
    (("fastapi", "tortoise-orm", "asyncpg"), "postgres"),         # Tortoise 0.20: "Unknown DB scheme: postgresql"
])
def test_an_sqlalchemy_app_gets_the_driver_it_declares_in_the_url_scheme(names, scheme):
    assert database.url_scheme(_with(flask_wsgi(), *names)) == scheme


def test_a_driver_that_sqlalchemys_extras_install_is_the_one_the_url_names():
    # Poetry's `sqlalchemy = {extras = ["postgresql-psycopg", "postgresql-psycopgbinary"]}`: psycopg 3 only, which
    # a plain postgresql:// does not load before SQLAlchemy 2.1 ("No module named 'psycopg2'")
    from shipyard.plan import Dependency
    plan = flask_wsgi()
    extras = Dependency("sqlalchemy", "[postgresql-psycopg,postgresql-psycopgbinary]==2.0.43", "pyproject.toml")
    assert database.url_scheme(plan.__class__(**{**plan.__dict__, "dependencies": (extras,)})) == "postgresql+psycopg"


def test_the_generated_secrets_give_the_same_scheme_as_serve():
    # compose's shipyard.env and the Kubernetes overlay's secrets: a Tortoise app refuses postgresql://
    from shipyard.render import kubernetes, secrets_env
    # (on PostgreSQL: a plan with no database server gets no login in the stack's secrets)
    tortoise = _with(flask_wsgi(), "starlette", "tortoise-orm", "asyncpg").with_settings(db="postgres")
    assert "DATABASE_URL=postgres://app:pw@db:5432/app" in secrets_env(tortoise, "pw")
    assert "DATABASE_URL=postgres://app:pw@" in kubernetes.secrets_env(tortoise, "pw")
    sqlalchemy = _with(flask_wsgi(), "SQLAlchemy", "psycopg2").with_settings(db="postgres")
    assert "DATABASE_URL=postgresql+psycopg2://" in secrets_env(sqlalchemy, "pw")
    assert "DATABASE_URL" not in secrets_env(_with(flask_wsgi(), "SQLAlchemy", "psycopg2"), "pw")


def test_django_gets_the_heroku_scheme_every_url_reader_takes():
    # dj-database-url, django-environ and libpq all take postgres://; Heroku-era settings test for it
    # (bakerydemo adds django.contrib.postgres only when DATABASE_URL starts with "postgres://")
    assert database.url_scheme(_with(django_postgres(), "Django", "SQLAlchemy", "psycopg2-binary")) == "postgres"


def test_a_driver_scheme_written_in_a_django_project_is_not_given_to_django():
    # bakerydemo's stellar.yaml (a snapshot tool's config) writes postgresql+psycopg2://: dj-database-url
    # refuses it ("Scheme 'postgresql+psycopg2://' is unknown")
    import dataclasses
    django = _with(django_postgres(), "Django", "dj-database-url", "psycopg2")
    written = dataclasses.replace(django, services=(Service("postgres", "psycopg2", scheme="postgresql+psycopg2"),))
    assert database.url_scheme(written) == "postgres"
    # nor to an app that reads the URL without SQLAlchemy (psycopg2.connect takes no +driver)
    plain = dataclasses.replace(_with(flask_wsgi(), "Flask", "psycopg2"), services=written.services)
    assert database.url_scheme(plain) == "postgresql"


@pytest.mark.parametrize("reads, takes_default", [
    (("PGHOST", "PGUSER", "PGPASSWORD", "PGDATABASE"), True),   # gino-quart: DB_PORT defaults to 5432
    ((), True),                                                   # `:5432` written in the app's own code
    (("PGHOST", "PGPORT"), False),
    (("DATABASE_URL",), False),
    (("POSTGRES_HOST", "POSTGRES_PORT"), False),
])
def test_an_app_that_reads_no_port_gets_its_database_on_the_port_it_connects_to(reads, takes_default):
    import dataclasses
    import socket

    plan = dataclasses.replace(flask_wsgi(), env_vars=reads)
    with socket.socket() as s:              # a port that is free now, standing in for 5432
        s.bind(("127.0.0.1", 0))
        default = s.getsockname()[1]
    assert (database.server_port(plan, default) == default) is takes_default
    with socket.socket() as held:           # another program listens there: a free port instead
        held.bind(("127.0.0.1", default))
        held.listen()
        assert database.server_port(plan, default) != default


def test_a_database_the_user_configured_wins():
    plan = django_postgres()
    plan = plan.__class__(**{**plan.__dict__, "env_vars": ("POSTGRES_HOST",)})
    assert database.externally_configured(plan, {"DATABASE_URL": "postgresql://u@db/x"})
    assert database.externally_configured(plan, {"POSTGRES_HOST": "db.internal"})
    assert not database.externally_configured(plan, {"DATABASE_URL": "", "HOME": "/home/u"})


def test_no_database_when_the_plan_needs_none_or_db_is_none(tmp_path):
    for plan in (flask_wsgi(), django_postgres(db="none")):
        with database.app_database(plan, tmp_path, say=print, environ={"PATH": "/bin"}) as db:
            assert not db.own and db.environ == {"PATH": "/bin"}


def test_data_folder_per_app_under_the_users_data_folder(tmp_path):
    plan = django_postgres()
    folder = database.app_folder(plan, tmp_path / "a", {"XDG_DATA_HOME": str(tmp_path / "xdg")})
    assert folder.parent == tmp_path / "xdg" / "shipyard" / "postgres" and folder.name.startswith("mysite-")
    other = database.app_folder(plan, tmp_path / "b", {"XDG_DATA_HOME": str(tmp_path / "xdg")})
    assert other != folder                         # two checkouts of one app keep their own data
    home = database.data_home({"HOME": "/home/u", "XDG_DATA_HOME": "relative/ignored"})
    assert home == (Path("/var/lib/shipyard") if os.geteuid() == 0 else Path("/home/u/.local/share/shipyard"))


def test_the_release_runs_again_when_the_app_changes(tmp_path):
    (tmp_path / "app.py").write_text("app = 1\n")
    plan = django_postgres()
    before = database.release_fingerprint(plan, tmp_path)
    assert database.release_fingerprint(plan, tmp_path) == before
    (tmp_path / "app.py").write_text("app = 22\n")
    assert database.release_fingerprint(plan, tmp_path) != before


def test_the_configured_program_folder_is_the_only_one_looked_in(tmp_path):
    found, looked = postgres.find_binaries(str(tmp_path / "nowhere"))
    assert found is None and looked == [tmp_path / "nowhere"]


def test_an_unreachable_data_folder_is_named():
    account = postgres.Account("someone", 54321, 54321)      # another account: only the "other" bits count
    base = Path(tempfile.mkdtemp(prefix="shipyard-reach-"))
    try:
        base.chmod(0o711)
        closed = base / "closed"
        closed.mkdir(mode=0o700)
        closed.chmod(0o700)
        assert postgres.reachable(closed / "shipyard" / "postgres", account) == closed
        assert postgres.reachable(closed / "shipyard" / "postgres", None) is None    # not root: we run it
        closed.chmod(0o711)
        assert postgres.reachable(closed / "shipyard" / "postgres", account) is None
    finally:
        shutil.rmtree(base)


def test_an_example_files_postgres_url_under_the_apps_own_name_is_aimed_at_ours():
    ours = "postgresql+psycopg2://app:pw@127.0.0.1:5999/app"
    assert database.pointed_here("postgresql://tozo:tozo@0.0.0.0:5432/tozo", ours) == \
        "postgresql://app:pw@127.0.0.1:5999/app"               # the scheme its reader expects is kept
    assert database.pointed_here("postgres+asyncpg://u@db/x", ours) == "postgres+asyncpg://app:pw@127.0.0.1:5999/app"
    assert database.pointed_here("redis://localhost:6379/0", ours) is None
    assert database.pointed_here("not a url", ours) is None


def test_an_example_files_mysql_url_is_aimed_at_the_apps_own_mariadb_not_at_its_postgres():
    # .env.example's SQLALCHEMY_URL=mysql+pymysql://root:secret@127.0.0.1:3306/x, read by a pydantic settings class
    ours = "mysql+pymysql://app:pw@127.0.0.1:45001/app"
    assert database.pointed_here("mysql+pymysql://root:secret@127.0.0.1:3306/x?charset=utf8mb4", ours) == \
        "mysql+pymysql://app:pw@127.0.0.1:45001/app"
    assert database.pointed_here("mariadb+mariadbconnector://u@db/x", ours) == \
        "mariadb+mariadbconnector://app:pw@127.0.0.1:45001/app"
    assert database.pointed_here("postgresql://u@db/x", ours) is None
    assert database.pointed_here("mysql://u@db/x", "postgresql://app:pw@127.0.0.1:5999/app") is None


@pytest.mark.parametrize("name, part", [
    ("CONDUIT_POSTGRES_HOST", "host"), ("DATABASE__HOSTNAME", "host"), ("DATABASE__DB", "database"),
    ("APP_DB_NAME", "database"), ("POSTGRES_PASSWORD", "password"), ("DB_PORT", "port"), ("PG_USER", "user"),
    ("SQL_HOST", "host"), ("SQL_DATABASE", "database"), ("MYSQL_HOST", None), ("SQL_ENGINE", None),
    ("SQLALCHEMY_DATABASE_URI", None),
    ("DATABASE_URL", None), ("MEMO_REDIS_DB", None), ("MONGO_DB_NAME", None), ("TEST_DB_NAME", None),
    ("PROMETHEUS__PORT", None), ("SECURITY__JWT_SECRET_KEY", None),
    # prefixed, and the short spellings of a password or database name (gost1k337/todoapp-restapi's POSTGRES_PW)
    ("DB_POSTGRES_USER", "user"), ("APP_DB_PASSWORD", "password"), ("POSTGRES_PW", "password"),
    ("APP_POSTGRES_PWD", "password"), ("DB_PASSWD", "password"), ("POSTGRES_DBNAME", "database"),
])
def test_database_parts_under_the_apps_own_names(name, part):
    assert database.part_named(name) == part


def test_a_password_the_app_types_as_a_number_is_made_of_digits(tmp_path):
    from conftest import make_tree
    from shipyard.planner import make_plan
    app = make_tree(tmp_path, {
        "config.py": "from pydantic_settings import BaseSettings\n"
                     "class Db(BaseSettings):\n    POSTGRES_HOST: str | int = 'localhost'\n"
                     "    POSTGRES_PORT: int = 5432\n    POSTGRES_PASSWORD: int = 1234\n",
        "app.py": "import config\nfrom flask import Flask\napp = Flask(__name__)\n",
        "requirements.txt": "flask\npsycopg2-binary\npydantic-settings\n"})
    plan = make_plan(app, confirm=False)
    # the port is a number anyway (ours is one); a host typed `str | int` takes any text
    assert database.numeric_password_reads(plan, app) == ("POSTGRES_PASSWORD",)
    (app / "config.py").write_text((app / "config.py").read_text().replace("PASSWORD: int", "PASSWORD: str"))
    assert database.numeric_password_reads(make_plan(app, confirm=False), app) == ()

    kept = tmp_path / "password"
    value = database._secret(kept, digits=True)
    assert value.isdigit() and len(value) == 32 and value[0] != "0" and str(int(value)) == value
    assert database._secret(kept, digits=True) == value                # kept between runs
    kept.write_text("letters-and-digits-1\n")                           # made before the app typed it int
    again = database._secret(kept, digits=True)
    assert again.isdigit() and kept.read_text().strip() == again
    assert database._secret(kept) == again                             # digits serve a text field too


def test_a_part_whose_value_in_the_app_is_a_url_scheme_is_left_to_it(tmp_path):
    from conftest import make_tree
    from shipyard.planner import make_plan
    app = make_tree(tmp_path, {
        "config.py": "from pydantic_settings import BaseSettings\n"
                     "class Db(BaseSettings):\n    POSTGRES_NAME: str = 'postgresql'\n"
                     "    POSTGRES_USER: str = 'postgres'\n",
        "app.py": "import os, config\nfrom flask import Flask\napp = Flask(__name__)\n"
                  "DRIVER = os.environ['DB_NAME']\nDATABASE = os.environ['DB_DATABASE']\n",
        "requirements.txt": "flask\npsycopg2-binary\npydantic-settings\n"})
    plan = make_plan(app, confirm=False)
    # the code's default, or the app's example / compose files, say it; bare "postgres" is a name, not a scheme
    left = database.scheme_parts(plan, app, {"DB_NAME": "postgresql+asyncpg", "DB_DATABASE": "postgres"})
    assert left == ("DB_NAME", "POSTGRES_NAME")
    env = database.connection_env(plan, PARTS, URL, frozenset(left))
    assert "POSTGRES_NAME" not in env and "DB_NAME" not in env
    assert env["POSTGRES_USER"] == "mysite" and env["DB_DATABASE"] == "mysite"


def test_a_written_login_on_a_port_the_server_could_not_take_is_given_on_its_port_through_its_variable():
    # config.py: os.environ.get("VISITS_CONN", "postgresql+psycopg2://shop:pw@localhost:5432/shop"); 5432 is
    # another program's here, so the server listens on 5999: the app reads VISITS_CONN, which now says 5999
    from shipyard.detect.written_db import WrittenDatabase
    via = WrittenDatabase("shop", "p w", "shop", "config.py", 3, 5432, "VISITS_CONN", scheme="postgresql+psycopg2")
    literal = WrittenDatabase("shop", "p w", "shop", "alembic.ini", 9, 5432)          # no variable: cannot be moved
    bare = WrittenDatabase("", "", "inventory", "settings.py", 2, 5432, "INV_DSN")     # libpq's user and password
    assert database.repointed([via, literal, bare], 5999, "postgresql", {}) == {
        "VISITS_CONN": "postgresql+psycopg2://shop:p%20w@127.0.0.1:5999/shop",
        "INV_DSN": "postgresql://127.0.0.1:5999/inventory"}
    assert database.repointed([via], 5432, "postgresql", {}) == {}                     # the server has its port
    assert database.repointed([via], 5999, "postgresql", {"VISITS_CONN": "mine"}) == {}  # the user's own stays
    said: list[str] = []
    database._say_moved([via], 5999, {"VISITS_CONN": "x"}, said.append)
    database._say_moved([literal], 5999, {}, said.append)
    assert said[0].startswith("config.py:3 connects to PostgreSQL on port 5432, which another program holds here: "
                              "the app's PostgreSQL listens on 5999, and the app gets VISITS_CONN")
    assert said[1].startswith("warning: alembic.ini:9 connects to PostgreSQL on port 5432")


def test_a_release_that_fails_after_the_written_port_was_taken_says_so(tmp_path, monkeypatch):
    # config.py writes postgresql://postgres:123456@localhost:5432/todo in the code (no variable), and 5432 is
    # another program's here: the server listens elsewhere and `flask db upgrade` reaches that program, which
    # refuses the login; the error's hint is the port, not "fix the migration"
    import dataclasses
    from conftest import make_tree
    from shipyard.detect.written_db import WrittenDatabase
    from shipyard.environments import own_environment
    from shipyard.errors import ShipyardError
    from shipyard.plan import Release
    from shipyard.planner import make_plan
    literal = WrittenDatabase("postgres", "123456", "todo", "config.py", 9, 5432)
    monkeypatch.setattr(database, "holder", lambda port: "postgres (pid 4242)")
    note = database._say_moved([literal], 5999, {}, [].append)
    assert note == ("config.py:9 connects to PostgreSQL on port 5432, which postgres (pid 4242) holds here, not the "
                    "app's PostgreSQL: change the port in config.py:9 or let the app read DATABASE_URL, stop "
                    "postgres (pid 4242), or run the app on that server: --db none")
    assert database._say_moved([literal], 5432, {}, [].append) == ""            # it had its port
    root = make_tree(tmp_path / "app", {"app.py": "from flask import Flask\napp = Flask(__name__)\n",
                                        "requirements.txt": "flask\n"})
    release = Release(("python", "-c", "import sys; sys.exit('password authentication failed')"), ".", "the release")
    plan = dataclasses.replace(make_plan(root, confirm=False, installed=False), release=release)
    folder = tmp_path / "db"
    folder.mkdir()
    for given, hint in ((note, note), ("", "its own error is above; fix it and run again")):
        run = database.AppDatabase(dict(os.environ), url="postgresql://x@127.0.0.1:5999/x", folder=folder,
                                   created=True, port_note=given)
        with pytest.raises(ShipyardError) as failed:
            run.release(plan, root, own_environment(), [].append)
        assert failed.value.message.startswith("the release failed (exit status 1)") and failed.value.hint == hint


def test_a_url_given_under_a_name_the_example_env_sets_keeps_the_driver_that_file_writes_for_it():
    # a FastAPI app declaring psycopg (its async engine reads DATABASE_URL) and psycopg2 (DATABASE_URL_SYNC):
    # Shipyard chose no driver, and SQLAlchemy's default for a plain URL (psycopg2) fails create_async_engine
    ours = "postgresql://app:pw@127.0.0.1:5433/app"
    example = (("DATABASE_URL", "postgresql+psycopg://user:password@localhost:5432/app"),
               ("DATABASE_URL_SYNC", "postgresql+psycopg2://user:password@localhost:5432/app"),
               ("APP_NAME", "House"))
    assert database.example_drivers({"DATABASE_URL": ours}, example) == {
        "DATABASE_URL": "postgresql+psycopg://app:pw@127.0.0.1:5433/app"}
    # a driver Shipyard chose is kept; a plain example URL, or one of another server, changes nothing
    assert database.example_drivers({"DATABASE_URL": "postgresql+asyncpg://app:pw@127.0.0.1:5433/app"}, example) == {}
    assert database.example_drivers({"DATABASE_URL": ours},
                                    (("DATABASE_URL", "postgresql://u:p@db/app"),
                                     ("DATABASE_URL", "mysql+pymysql://u:p@db/app"))) == {}


def test_a_url_name_with_a_qualifier_after_it_gets_the_url_too():
    # the Bookly course's pydantic-settings: DATABASE_URL_LOCAL and DATABASE_URL_REMOTE (a Neon database), both
    # required, the engine opening the remote one; unset, the import stops on two validation errors
    plan = django_postgres()
    plan = plan.__class__(**{**plan.__dict__, "env_vars": ("DATABASE_URL_LOCAL", "DATABASE_URL_REMOTE",
                                                           "DB_URI_ASYNC", "REDIS_URL_CACHE", "MONGO_URL")})
    assert database.connection_env(plan, PARTS, URL) == {
        "DATABASE_URL": URL, "DATABASE_URL_LOCAL": URL, "DATABASE_URL_REMOTE": URL, "DB_URI_ASYNC": URL}


def test_a_release_that_needs_the_static_manifest_runs_again_once_collectstatic_wrote_it(tmp_path, monkeypatch):
    # a 2017 Heroku blog: urls.py's favicon RedirectView asks staticfiles_storage.url() under a manifest storage
    # with DEBUG off; migrate's checks import urls.py and failed ("Missing staticfiles manifest entry"), since serve
    # collected the static files after the release, where an image's build collects them before it
    import dataclasses
    from conftest import make_tree
    from shipyard.errors import ShipyardError
    from shipyard.environments import own_environment
    from shipyard.plan import Release
    from shipyard.planner import make_plan
    from shipyard.run import django_static
    root = make_tree(tmp_path / "app", {
        "app.py": "from flask import Flask\napp = Flask(__name__)\n", "requirements.txt": "flask\n",
        "urls.py": "import os\nif not os.path.exists(os.path.join(os.path.dirname(__file__), 'staticfiles.json')):\n"
                   "    raise ValueError(\"Missing staticfiles manifest entry for 'core/images/favicon.ico'\")\n"})
    manifest = root / "staticfiles.json"
    release = Release(("python", "urls.py"), ".", "Django migrate")
    plan = dataclasses.replace(make_plan(root, confirm=False, installed=False), release=release, framework="django")
    collected: list[str] = []

    def collect(plan, root, env, say, *, environ=None):
        collected.append("collectstatic")
        manifest.write_text("{}")
        return True
    monkeypatch.setattr(django_static, "collect_static", collect)
    folder = tmp_path / "db"
    folder.mkdir()
    said: list[str] = []
    run = database.AppDatabase(dict(os.environ), url="postgresql://x@127.0.0.1:5999/x", folder=folder, created=True)
    assert run.release(plan, root, own_environment(), said.append)
    assert collected == ["collectstatic"]
    assert any("collecting the static files first, as an image's build does before its release" in s for s in said)
    # another failure, or the same one again after collecting: the release's own error
    manifest.unlink()
    monkeypatch.setattr(django_static, "collect_static", lambda *a, **k: collected.append("again") or False)
    with pytest.raises(ShipyardError):
        run.release(plan, root, own_environment(), said.append, force=True)
    assert collected == ["collectstatic", "again"]


def test_a_postgres_driver_nothing_selects_beside_django_sqlite_settings_brings_no_server(tmp_path):
    # a freeze's psycopg2-binary beside Django's literal SQLite DATABASES: the app runs on its SQLite file, as
    # run/mysql_database.py's rule does for a MySQL driver
    from conftest import make_tree
    from shipyard.planner import make_plan
    from shipyard.run.appenv import server_env
    root = make_tree(tmp_path / "app", {
        "requirements.txt": "Django>=4.2\npsycopg2-binary\n",
        "manage.py": "import os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n"
                     "from django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n",
        "site1/__init__.py": "",
        "site1/settings.py": "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
                             "SECRET_KEY = 'x'\nROOT_URLCONF = 'site1.urls'\nINSTALLED_APPS = []\n"
                             "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', "
                             "'NAME': BASE_DIR / 'db.sqlite3'}}\n",
        "site1/urls.py": "urlpatterns = []\n",
        "site1/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n"
                         "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
    })
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.needs_postgres and plan.sqlite
    said = []
    plan = database.without_unselected(plan, root, said.append)
    assert "nothing in the app selects PostgreSQL" in said[0]
    # run as `--db none`: no server, no DATABASE_URL asked for (server_env), its SQLite migrated when missing
    assert not plan.needs_postgres and not plan.needs_mysql and plan.settings["db"] == "none"
    with database.app_database(plan, root, say=said.append, environ={"PATH": "/bin"}) as db:
        assert not db.own and "DATABASE_URL" not in db.environ
    assert "DATABASE_URL" not in server_env(plan, {"PATH": "/bin"})
    assert database.unselected(django_postgres(db="postgres", sqlite=plan.sqlite), root) is None
    # what may select it keeps it: a database variable the settings read (DATABASE_URL, DB_HOST), a URL reader
    # declared, a driver imported
    for name, text in (("site1/local.py", "import os\nDATABASE_URL = os.environ.get('DATABASE_URL')\n"),
                       ("site1/local.py", "import os\nHOST = os.getenv('DB_HOST', 'localhost')\n"),
                       ("requirements.txt", "Django>=4.2\npsycopg2-binary\ndj-database-url\n"),
                       ("site1/local.py", "import psycopg2\n")):
        before = (root / name).read_text() if (root / name).exists() else None
        (root / name).write_text(text)
        assert database.unselected(make_plan(root, confirm=False, installed=False), root) is None, text
        (root / name).write_text(before) if before is not None else (root / name).unlink()
