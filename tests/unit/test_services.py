"""Services, environment variables, static folders and Debian packages."""

from __future__ import annotations


import pytest

from shipyard.detect import services
from shipyard.detect.findings import EntryFinding
from shipyard.plan import Dependency, Entry, Service, StaticDir
from conftest import make_tree
from shipyard.project import Project



def make_project(root, files) -> Project:
    return Project(make_tree(root, files))


def dep(name, spec="", source="requirements.txt"):
    """A declared dependency; "~name" an inferred one (from the app's strings or imports)."""
    return Dependency(name.lstrip("~"), spec, source, inferred=name.startswith("~"))


def test_services_from_drivers_then_strings(tmp_path):
    project = make_project(tmp_path, {"settings.py": 'INSTALLED_APPS = []\nCACHES = {"default": {"BACKEND": '
                                                  '"django.core.cache.backends.redis.RedisCache"}}\n'})
    found = services.services(project, (dep("Django"), dep("psycopg2-binary"), dep("PyMySQL", source="import pymysql in a.py")))
    assert found == (Service("postgres", "psycopg2-binary (requirements.txt)"),
                     Service("mysql", "PyMySQL (import pymysql in a.py)"),
                     Service("redis", "CACHES BACKEND 'django.core.cache.backends.redis.RedisCache' in settings.py"))


@pytest.mark.parametrize("queue", ["arq", "django-rq", "flask-rq2"])
def test_a_redis_job_queue_alone_needs_redis(tmp_path, queue):
    # arq's create_pool(RedisSettings(host=REDIS_HOST...)) in a FastAPI lifespan: the app does not start without a
    # Redis, though it declares no redis client itself (arq brings it)
    project = make_project(tmp_path, {"main.py": "from arq import create_pool\n"})
    found = services.services(project, (dep("fastapi"), dep(queue)))
    assert found == (Service("redis", f"{queue} (requirements.txt)"),)


def test_a_required_redis_variable_needs_redis_though_no_client_is_installed(tmp_path):
    # a settings class requiring redis_host and redis_port (the compose file runs a redis beside the app), no redis
    # client declared: the import fails on them unset, so serve starts a Redis and sets them; one read with a default
    # (os.getenv("REDIS_URL", "")) is no such need
    project = make_project(tmp_path, {"api/config.py": (
        "from pydantic import BaseSettings\n\nclass Settings(BaseSettings):\n    redis_host: str\n"
        "    redis_port: int\n    s3_bucket: str\n\nsettings = Settings()\n")})
    found = services.services(project, (dep("fastapi"),))
    assert [s.name for s in found] == ["redis"] and "REDIS_HOST required in api/config.py" in found[0].reason
    optional = make_project(tmp_path / "optional", {"app.py": 'import os\nREDIS_URL = os.getenv("REDIS_URL", "")\n'})
    assert services.services(optional, (dep("fastapi"),)) == ()


def test_a_django_engine_built_from_an_environment_default_names_its_driver(tmp_path):
    project = make_project(tmp_path, {"settings.py": (
        'import os\nDB_ENGINE = os.environ.get("DB_ENGINE", "postgresql")\n'
        'DATABASES = {"default": {"ENGINE": f"django.db.backends.{DB_ENGINE}"}}\n')})
    found = services.services(project, (dep("Django"),))
    assert found == (Service("postgres", "DATABASES ENGINE 'django.db.backends.postgresql' in settings.py"),)


def test_a_url_formatted_from_environment_defaults_names_its_database_and_driver(tmp_path):
    # AppSeed's production config: no literal "mysql://" anywhere, only the defaults of its DB_* reads
    project = make_project(tmp_path, {"apps/config.py": (
        "import os\nSQLALCHEMY_DATABASE_URI = '{}://{}:{}@{}:{}/{}'.format(os.getenv('DB_ENGINE', 'mysql'),\n"
        "    os.getenv('DB_USERNAME', 'u'), os.getenv('DB_PASS', 'p'), os.getenv('DB_HOST', 'localhost'),\n"
        "    os.getenv('DB_PORT', 3306), os.getenv('DB_NAME', 'app'))\n")})
    found = services.services(project, (dep("Flask-SQLAlchemy"),))
    assert found == (Service("mysql", "mysql:// URL in apps/config.py"),)


ASYNC_DB = """
    import os
    from sqlalchemy.ext.asyncio import create_async_engine
    engine = create_async_engine(os.environ["DATABASE_URL"])
    """


@pytest.mark.parametrize("files, deps, scheme", [
    # the app's alembic.ini writes the async driver it opens the URL with, and declares it
    ({"alembic.ini": "[alembic]\nsqlalchemy.url = postgresql+asyncpg://u:p@db:5432/foo\n"},
     ("sqlmodel", "asyncpg", "alembic"), "postgresql+asyncpg"),
    # an example env file and a default in the settings agree: psycopg 3 (psycopg[binary] declared)
    ({".env.example": "DB_URI=postgresql+psycopg://u:p@db/app\n",
      "config.py": 'URL = "postgresql+psycopg://app@localhost/app"\n'}, ("SQLAlchemy", "psycopg-binary"),
     "postgresql+psycopg"),
    # a driver the app does not declare is not the one it runs with
    ({"alembic.ini": "[alembic]\nsqlalchemy.url = postgresql+asyncpg://u@db/x\n"}, ("SQLAlchemy", "psycopg2"), ""),
    # two drivers written (sync migrations, async app): which one reads DATABASE_URL is not known here
    ({"alembic.ini": "[alembic]\nsqlalchemy.url = postgresql+psycopg2://u@db/x\n",
      ".env.example": "DATABASE_URL=postgresql+asyncpg://u@db/x\n"}, ("SQLAlchemy", "psycopg2", "asyncpg"), ""),
    # ...but a driver the app does not declare is not one it opens: alembic.ini keeps `alembic init`'s psycopg2,
    # the settings' default and the example env file name asyncpg, the one declared
    ({"alembic.ini": "[alembic]\nsqlalchemy.url = postgresql+psycopg2://postgres:postgres@localhost:5432/db_name\n",
      "env.example": "DATABASE_URI=postgresql+asyncpg://postgres:postgres@localhost:5432/app\n",
      "app/config.py": 'class Settings:\n    database_uri: str = "postgresql+asyncpg://postgres:postgres@localhost/app"\n'},
     ("SQLAlchemy", "asyncpg", "alembic"), "postgresql+asyncpg"),
    # ...also when alembic.ini's URL made psycopg2 an inferred dependency of the plan
    ({"alembic.ini": "[alembic]\nsqlalchemy.url = postgresql+psycopg2://postgres:postgres@localhost:5432/db_name\n",
      "app/config.py": 'class Settings:\n    database_uri: str = "postgresql+asyncpg://postgres:postgres@localhost/app"\n'},
     ("SQLAlchemy", "asyncpg", "alembic", "~psycopg2"), "postgresql+asyncpg"),
    # a plain URL names no driver
    ({".env.example": "DATABASE_URL=postgresql://u@db/x\n"}, ("SQLAlchemy", "asyncpg"), ""),
    # the code adds the driver to the plain URL it reads: it is given that plain URL, not the driver's it writes
    ({"app/config.py": 'def to_async(url):\n    return url.replace("postgresql://", "postgresql+asyncpg://")\n'},
     ("SQLAlchemy", "asyncpg"), "postgresql"),
    # Heroku's postgres:// converted: postgresql:// it would leave alone, so the driver's URL it writes stays
    ({"app/config.py": 'import os\nURL = os.environ["DATABASE_URL"].replace("postgres://", "postgresql+asyncpg://", 1)\n'},
     ("SQLAlchemy", "asyncpg"), "postgresql+asyncpg"),
])
def test_the_driver_the_apps_own_database_urls_name(tmp_path, files, deps, scheme):
    project = make_project(tmp_path, {"app/db.py": ASYNC_DB, **files})
    found = services.services(project, tuple(dep(d) for d in deps))
    assert [s.name for s in found] == ["postgres"] and found[0].scheme == scheme


def test_serve_gives_the_url_with_the_driver_the_app_writes(tmp_path):
    """An async SQLAlchemy engine on asyncpg fails on postgresql:// (SQLAlchemy then loads psycopg2)."""
    import dataclasses
    from plans import flask_wsgi
    from shipyard.run import database
    project = make_project(tmp_path, {"app/db.py": ASYNC_DB,
                                      "alembic.ini": "[alembic]\nsqlalchemy.url = postgresql+asyncpg://u@db/x\n"})
    deps = tuple(dep(d) for d in ("fastapi", "sqlmodel", "asyncpg", "alembic"))
    plan = dataclasses.replace(flask_wsgi(), framework="fastapi", dependencies=deps,
                               services=services.services(project, deps))
    assert database.url_scheme(plan) == "postgresql+asyncpg"
    plain = dataclasses.replace(plan, services=(Service("postgres", "asyncpg (requirements.txt)"),))
    assert database.url_scheme(plain) == "postgresql"       # asyncpg read directly takes the plain scheme


def test_no_services(tmp_path):
    assert services.services(make_project(tmp_path, {"app.py": "import flask\n"}), (dep("Flask"),)) == ()


def test_env_vars_every_form_sorted_unique_decoys_skipped(tmp_path):
    project = make_project(tmp_path, {
        "app.py": """
            import os
            from os import environ, getenv
            from decouple import config
            import environ as django_environ
            env = django_environ.Env()
            A = os.environ["SECRET_KEY"]
            B = os.environ.get("DATABASE_URL", "sqlite://")
            C = os.getenv("PORT")
            D = environ.get("REDIS_URL")
            E = getenv("DEBUG")
            F = config("API_TOKEN")
            G = env.bool("FEATURE_X")
            H = env("SENTRY_DSN")
            if "SECRET_KEY" in os.environ:
                pass
            name = "NOT_AN_ENV"
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "x.settings")
            """,
        "tests/test_app.py": 'import os\nos.environ["TEST_ONLY"]\n',
    })
    assert services.env_vars(project) == ("API_TOKEN", "DATABASE_URL", "DEBUG", "FEATURE_X", "PORT", "REDIS_URL",
                                          "SECRET_KEY", "SENTRY_DSN")


def test_django_environs_url_readers_without_a_name_read_their_default_variables(tmp_path):
    project = make_project(tmp_path, {
        "config/settings/production.py": """
            import environ
            env = environ.Env()
            DATABASES = {"default": env.db(), "other": env.db_url("OTHER_DB", default="sqlite:///x")}
            CACHES = {"default": env.cache(var="CACHE_LOCATION")}
            EMAIL = env.email_url(default="smtp://localhost")
            """,
    })
    reads = {r.name: r for r in services.env_reads(project)}
    assert set(reads) == {"DATABASE_URL", "OTHER_DB", "CACHE_LOCATION", "EMAIL_URL"}
    # env.db() raises ImproperlyConfigured when DATABASE_URL is unset
    assert reads["DATABASE_URL"].required and not reads["DATABASE_URL"].default
    assert reads["EMAIL_URL"].default and reads["OTHER_DB"].default


def test_a_default_django_environs_scheme_gives_is_a_default_of_the_read(tmp_path):
    # an AWS whiteboard's settings: environ.Env(DEBUG=(bool, False), ENVIRONMENT=(str, 'dev')), then env("ENVIRONMENT")
    # picks the .env file and the database: ENVIRONMENT was said to be a variable "with no default, not set"
    project = make_project(tmp_path, {
        "site/settings.py": """
            import environ
            env = environ.Env(DEBUG=(bool, False), ENVIRONMENT=(str, 'dev'), PORT=int)
            ENVIRONMENT = env('ENVIRONMENT')
            DEBUG = env('DEBUG')
            PORT = env.int('PORT')
            SECRET_KEY = env('SECRET_KEY')
            REGION = env('AWS_REGION', default='us-east-1')
            """,
    })
    reads = {r.name: r for r in services.env_reads(project)}
    assert reads["ENVIRONMENT"].default and not reads["ENVIRONMENT"].required
    assert reads["ENVIRONMENT"].default_text == "dev"
    assert reads["DEBUG"].default and not reads["DEBUG"].required
    # a scheme of a bare cast gives no default; nor is there one for a name the scheme does not give
    assert reads["PORT"].required and not reads["PORT"].default
    assert reads["SECRET_KEY"].required and not reads["SECRET_KEY"].default
    assert reads["AWS_REGION"].default_text == "us-east-1"


def test_env_reads_through_the_apps_own_helper_are_reads_of_the_names_it_is_given(tmp_path):
    project = make_project(tmp_path, {
        "apps/settings.py": """
            import os
            from os import getenv

            class _NoArg:
                pass

            NO_ARG = _NoArg()

            def get_env_var(key, default=NO_ARG):
                try:
                    return os.environ[key]
                except KeyError:
                    if isinstance(default, _NoArg):
                        raise ValueError(f"Environment variable {key} is missing")
                    return default

            def env(prefix, name, fallback=None):
                return getenv(name, fallback)

            def set_env(key, value):
                os.environ[key] = value

            PG_HOST = get_env_var("PG_HOST")
            ECHO = get_env_var("SQLALCHEMY_ECHO", "") == "true"
            LEVEL = env("app", "LOG_LEVEL", fallback="info")
            set_env("WRITTEN_NOT_READ", "1")
            """,
        "apps/db.py": "from apps.settings import get_env_var\nPG_DB = get_env_var(key='PG_DB')\n",
    })
    reads = {r.name: r for r in services.env_reads(project)}
    assert sorted(reads) == ["LOG_LEVEL", "PG_DB", "PG_HOST", "SQLALCHEMY_ECHO"]
    assert reads["PG_HOST"].required and not reads["PG_HOST"].default
    assert reads["PG_DB"].required and reads["PG_DB"].path == "apps/db.py"
    assert reads["SQLALCHEMY_ECHO"].default and reads["SQLALCHEMY_ECHO"].default_text == ""
    assert reads["LOG_LEVEL"].default_text == "info" and not reads["LOG_LEVEL"].required
    # ...so serve gives its own PostgreSQL's parts under those names
    import dataclasses
    from shipyard.run import database
    from plans import flask_wsgi
    env = database.connection_env(dataclasses.replace(flask_wsgi(), env_vars=services.env_vars(project)),
                                  {"host": "127.0.0.1", "port": "5439", "user": "u", "password": "p",
                                   "database": "d"}, "postgresql://u:p@127.0.0.1:5439/d")
    assert (env["PG_HOST"], env["PG_DB"]) == ("127.0.0.1", "d")


def finding(framework="flask", workdir=".", settings=None):
    return EntryFinding(framework, Entry("app", "app", "django" if settings else "attribute", "wsgi",
                                         settings_module=settings), workdir)


def test_flask_static_default_and_explicit(tmp_path):
    project = make_project(tmp_path, {
        "my_app/__init__.py": "from flask import Flask\napp = Flask(__name__)\n",
        "my_app/static/style.css": "",
        "admin.py": "import flask\nadmin = flask.Flask('admin', static_folder='assets', static_url_path='/a')\n",
        "assets/x.js": "",
        "nostatic.py": "from flask import Flask\nx = Flask(__name__, static_folder=None)\n",
        "missing/app.py": "from flask import Flask\ny = Flask(__name__)\n",
    })
    assert services.static_dirs(project, finding()) == (StaticDir("/a/", "assets"), StaticDir("/static/", "my_app/static"))
    # a route of the app's own under the static prefix (a redirect of /static/js/socket.io.js to a CDN): nginx's
    # folder there would answer 404 for it, so the app keeps serving that prefix
    (tmp_path / "my_app/__init__.py").write_text("from flask import Flask, redirect\napp = Flask(__name__)\n\n"
                                                "@app.route('/static/js/socket.io.js')\ndef sio():\n"
                                                "    return redirect('https://cdn.example/socket.io.js')\n")
    assert services.static_dirs(make_project(tmp_path, {}), finding()) == (StaticDir("/a/", "assets"),)
    # a route with a parameter under it is the app serving that folder itself (Bottle's static_file): nginx's job
    (tmp_path / "my_app/__init__.py").write_text("from flask import Flask\napp = Flask(__name__)\n\n"
                                                "@app.route('/static/<path:name>')\ndef files(name):\n    return name\n")
    assert StaticDir("/static/", "my_app/static") in services.static_dirs(make_project(tmp_path, {}), finding())


def test_a_sql_database_named_only_in_strings_beside_another_ones_declared_driver_is_no_service(tmp_path):
    """psycopg declared, a mysql ENGINE under `if os.getenv("DB") in ["mysql", ...]`: PostgreSQL is the app's
    database; MySQL an alternative it offers. Without a declared driver, the engine string still names it."""
    from shipyard.plan import Dependency
    project = make_project(tmp_path, {
        "hc/settings.py": """
            import os
            if os.getenv("DB") in ["mysql", "mariadb"]:
                DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "NAME": "hc"}}
            """,
    })
    psycopg = (Dependency("psycopg", "==3.3.4", "requirements.txt"),)
    assert [s.name for s in services.services(project, psycopg)] == ["postgres"]
    assert [s.name for s in services.services(project, ())] == ["mysql"]


def test_django_static_root(tmp_path):
    project = make_project(tmp_path, {
        "mysite/settings.py": """
            import os
            from pathlib import Path
            BASE_DIR = Path(__file__).resolve().parent.parent
            INSTALLED_APPS = []
            STATIC_URL = "static/"
            STATIC_ROOT = BASE_DIR / "staticfiles"
            """,
    })
    assert services.static_dirs(project, finding("django", settings="mysite.settings")) == (
        StaticDir("/static/", "staticfiles"),)


def test_django_static_root_os_path(tmp_path):
    project = make_project(tmp_path, {
        "web/site/settings.py": """
            import os
            BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
            INSTALLED_APPS = []
            STATIC_URL = "/assets/"
            STATIC_ROOT = os.path.join(BASE_DIR, "collected")
            """,
    })
    assert services.static_dirs(project, finding("django", "web", "site.settings")) == (
        StaticDir("/assets/", "web/collected"),)


def test_django_absolute_static_root_is_kept_as_it_is(tmp_path):
    """STATIC_ROOT = '/vol/web/static' is the same folder in the image and here: nginx serves STATIC_URL from it."""
    project = make_project(tmp_path, {
        "app/app/settings.py": """
            INSTALLED_APPS = []
            STATIC_URL = '/static/static/'
            STATIC_ROOT = '/vol/web/static/'
            """,
    })
    assert services.static_dirs(project, finding("django", "app", "app.settings")) == (
        StaticDir("/static/static/", "/vol/web/static"),)


def test_starlette_falcon_bottle_static(tmp_path):
    project = make_project(tmp_path, {
        "main.py": 'from fastapi.staticfiles import StaticFiles\napp.mount("/files", StaticFiles(directory="public"))\n',
        "public/a.txt": "",
        "f.py": "import os\napp.add_static_route('/media', os.path.join(os.path.dirname(__file__), 'media'))\n",
        "media/b.png": "",
        "b.py": "from bottle import route, static_file\n@route('/s/<filepath:path>')\ndef s(filepath):\n"
                "    return static_file(filepath, root='./assets')\n",
        "assets/c.css": "",
    })
    assert services.static_dirs(project, finding()) == (StaticDir("/files/", "public"), StaticDir("/media/", "media"),
                                                         StaticDir("/s/", "assets"))


@pytest.mark.parametrize("deps, build, runtime", [
    ((dep("psycopg2"),), ("gcc", "libc6-dev", "libpq-dev", "python3-dev"), ("libpq5",)),
    ((dep("psycopg2-binary"), dep("Pillow"), dep("lxml")), (), ()),
    ((dep("psycopg", "[binary]>=3"),), (), ()),
    ((dep("psycopg", ">=3"),), (), ("libpq5",)),
    ((dep("mysqlclient"), dep("uWSGI")), ("default-libmysqlclient-dev", "gcc", "libc6-dev", "pkg-config", "python3-dev"),
     ("libmariadb3",)),
])
def test_system_packages(deps, build, runtime):
    found = services.system_packages(deps)
    assert (found.build, found.runtime) == (build, runtime)
    assert len(found.reasons) == len([d for d in deps if found.build or found.runtime]) or not (build or runtime)


SQLITE_SETTINGS = {"mysite/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3'}}\n"}
DRIVERS = (dep("Django"), dep("psycopg2-binary"), dep("mysqlclient", ">=2.0,<2.1"), dep("redis"))


def test_a_mysql_driver_nothing_selects_is_unselected_and_drivers_serve_hands_a_url_never_are(tmp_path):
    project = make_project(tmp_path, SQLITE_SETTINGS)
    assert services.unselected_drivers(project, DRIVERS, {}) == {"mysqlclient": "MySQL"}


@pytest.mark.parametrize("files, environ", [
    ({"mysite/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql'}}\n"}, {}),
    ({**SQLITE_SETTINGS, ".env.example": "DATABASE_URL=mysql://u:p@db/app\n"}, {}),
    ({**SQLITE_SETTINGS, "alembic.ini": "[alembic]\nsqlalchemy.url = mysql+mysqldb://u@localhost/app\n"}, {}),
    (SQLITE_SETTINGS, {"DATABASE_URL": "mysql://u:p@127.0.0.1/app"}),      # the user points the app at one
])
def test_a_mysql_driver_is_selected_by_an_engine_or_url_in_the_app_or_the_environment(tmp_path, files, environ):
    project = make_project(tmp_path, files)
    assert services.unselected_drivers(project, DRIVERS, environ) == {}


@pytest.mark.parametrize("code, files, expected", [
    # the legacy settings object: prefix DYNACONF, settings.toml by environment
    ("from dynaconf import settings\nHOST = settings.DB_HOST\n",
     {"settings.toml": "[default]\nDB_USERNAME = 'app_user'\nDB_PASSWORD = 'app_password'\n\n"
                       "[development]\nDB_HOST = 'localhost'\n"},
     {"DYNACONF_DB_USERNAME", "DYNACONF_DB_PASSWORD", "DYNACONF_DB_HOST"}),
    # its own prefix and file
    ("from dynaconf import Dynaconf\nsettings = Dynaconf(envvar_prefix='SHOP', settings_files=['conf/app.toml'])\n",
     {"conf/app.toml": "database_name = 'shop'\n", "settings.toml": "IGNORED = 1\n"},
     {"SHOP_DATABASE_NAME"}),
    # no Dynaconf in the code: its settings.toml is not read
    ("import os\nHOST = os.environ.get('DB_HOST')\n", {"settings.toml": "[default]\nDB_USERNAME = 'x'\n"},
     {"DB_HOST"}),
])
def test_a_dynaconf_apps_settings_keys_are_variables_it_reads(tmp_path, code, files, expected):
    # Dynaconf overrides any key of its settings file with PREFIX_KEY: serve gives the database parts there
    from shipyard.run import database
    from plans import flask_wsgi
    import dataclasses

    make_tree(tmp_path, {"app.py": code, **files})
    names = services.env_vars(Project(tmp_path))
    assert set(names) == expected
    if "DYNACONF_DB_HOST" in names:
        env = database.connection_env(dataclasses.replace(flask_wsgi(), env_vars=names),
                                      {"host": "127.0.0.1", "port": "5432", "user": "u", "password": "p",
                                       "database": "d"}, "postgresql://u:p@127.0.0.1:5432/d")
        assert (env["DYNACONF_DB_HOST"], env["DYNACONF_DB_USERNAME"], env["DYNACONF_DB_PASSWORD"]) == \
            ("127.0.0.1", "u", "p")


@pytest.mark.parametrize("files, expected", [
    # a freeze with drivers of both, the settings' ENGINE naming MySQL: its psycopg2-binary is a leftover
    ({"shop/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'boutique'}}\n"},
     ["mysql", "redis"]),
    ({"shop/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n"},
     ["postgres", "redis"]),
    # nothing names either, or both are named: both, PostgreSQL first (needs_mysql then stays off)
    (SQLITE_SETTINGS, ["postgres", "mysql", "redis"]),
    ({"a/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql'}}\n",
      "b/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n"},
     ["postgres", "mysql", "redis"]),
])
def test_drivers_of_both_sql_servers_leave_the_one_the_settings_name(tmp_path, files, expected):
    project = make_project(tmp_path, files)
    assert [s.name for s in services.services(project, DRIVERS)] == expected


@pytest.mark.parametrize("uses_mysql, expected", [(False, ["postgres"]), (True, ["mysql"])])
def test_a_freezes_mysql_driver_beside_the_postgresql_url_the_code_connects_with(tmp_path, uses_mysql, expected):
    """An Ubuntu system freeze lists mysql-connector-python; the app's storage connects with create_engine() on a
    PostgreSQL URL it formats from literals on localhost, and nothing names MySQL: PostgreSQL is its database,
    with the driver SQLAlchemy loads for that URL. Once its code imports mysql.connector, MySQL is."""
    from shipyard.detect import deps, imports
    files = {"requirements.txt": "Flask==2.0.0\nSQLAlchemy==1.4.15\nmysql-connector-python==8.0.23\n",
             "models/__init__.py": "",
             "models/storage.py": """
                 from sqlalchemy import create_engine
                 engine = create_engine('postgresql://{}:{}@{}/{}'.format("friend_dev", "friend_pwd", "localhost",
                                                                           "friend_db"))
                 """,
             "app.py": "from flask import Flask\nimport models.storage\napp = Flask(__name__)\n"}
    if uses_mysql:
        files["models/raw.py"] = "import mysql.connector\n"
    project = make_project(tmp_path, files)
    declared = deps.declared(project)
    assert [s.name for s in services.services(project, declared.dependencies)] == expected
    inferred = {d.name for d in imports.infer(project, None, declared)}
    assert ("psycopg2" in inferred) is not uses_mysql


def test_fields_a_string_formats_from_the_environment_are_variables_it_reads(tmp_path):
    # a Litestar pet project's db.py: the URL built with str.format(**os.environ) after load_dotenv(); each field is
    # a required read (KeyError when unset), so serve gives them its own database's parts (POSTGRES_HOST...)
    project = Project(make_tree(tmp_path, {
        "src/db.py": "import os\nfrom os import environ\n\n"
                     "URL = 'postgresql+asyncpg://{POSTGRES_USER}:{POSTGRES_PASSWORD}@{POSTGRES_HOST}:{POSTGRES_PORT}/"
                     "{POSTGRES_DB}'.format(\n    **os.environ\n)\n"
                     "CACHE = '{CACHE_HOST}:{CACHE_PORT!s}/{CACHE_HOST}'.format_map(environ)\n"
                     "OTHER = '{NOT_READ}'.format(**settings)\nPOS = '{}'.format(os.environ)\n"}))
    reads = [(r.name, r.line, r.required) for r in services.env_reads(project)]
    assert reads == [("POSTGRES_DB", 4, True), ("POSTGRES_HOST", 4, True), ("POSTGRES_PASSWORD", 4, True),
                     ("POSTGRES_PORT", 4, True), ("POSTGRES_USER", 4, True), ("CACHE_HOST", 7, True),
                     ("CACHE_PORT", 7, True)]


def test_the_fields_of_models_made_from_the_environments_mapping_are_variables_it_reads(tmp_path):
    # a 2026 FastAPI template: plain pydantic models given {**dotenv_values(".env"), **dict(os.environ)} as keyword
    # arguments; each field is a variable (a required one without a default), named as the model names it
    project = Project(make_tree(tmp_path, {"src/config.py": """
        import os
        from typing import Any

        from dotenv import dotenv_values
        from pydantic import BaseModel, ConfigDict


        class RedisConfig(BaseModel):
            REDIS_HOST: str
            REDIS_PORT: int
            REDIS_PASSWORD: str
            REDIS_DATABASE: str = "0"
            model_config = ConfigDict(extra="ignore")


        class Unrelated(BaseModel):
            NOT_READ: str


        def get_settings():
            merged_env: dict[str, Any] = {k: v for k, v in {**dotenv_values(".env"), **dict(os.environ)}.items()
                                          if v is not None}
            return RedisConfig(**merged_env), Unrelated(**{"NOT_READ": "x"})


        class Plain(BaseModel):
            APP_TITLE: str = "x"


        PLAIN = Plain(**os.environ)
        """}))
    reads = {r.name: r.required for r in services.env_reads(project)}
    assert reads == {"REDIS_HOST": True, "REDIS_PORT": True, "REDIS_PASSWORD": True, "REDIS_DATABASE": False,
                     "APP_TITLE": False}


# Flask's documentation's config example, kept in an app whose classes set SQLALCHEMY_DATABASE_URI themselves
DOCS_EXAMPLE_CONFIG = """import os


class Config:
    DB_SERVER = "192.168.1.56"

    @property
    def DATABASE_URI(self):
        return f"mysql://user@{self.DB_SERVER}/foo"


class DevelopmentConfig(Config):
    SQLALCHEMY_DATABASE_URI = os.getenv("DATABASE_URL")
"""


def test_a_database_url_in_a_property_nothing_reads_starts_no_server_and_needs_no_driver(tmp_path):
    from shipyard.detect.source import string_hints
    project = make_project(tmp_path / "unread", {"config.py": DOCS_EXAMPLE_CONFIG})
    assert services.services(project, ()) == () and string_hints(project) == ()
    # read by the app (an attribute, a config key), or a key Flask-SQLAlchemy reads itself: it is the app's database
    for reader in ("engine = create_engine(Config().DATABASE_URI)\n", "URL = app.config['DATABASE_URI']\n"):
        read = make_project(tmp_path / str(len(reader)), {"config.py": DOCS_EXAMPLE_CONFIG, "db.py": reader})
        assert [s.name for s in services.services(read, ())] == ["mysql"], reader
    read = make_project(tmp_path / "extension", {
        "config.py": DOCS_EXAMPLE_CONFIG.replace("def DATABASE_URI", "def SQLALCHEMY_DATABASE_URI")})
    assert [s.name for s in services.services(read, ())] == ["mysql"]
