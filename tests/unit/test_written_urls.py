"""PostgreSQL logins an app writes outside Django settings (detect/written_urls.py): URL literals where the app
connects with them, alembic.ini/Paste ini URLs, config mappings of parts in Python and YAML. (serve's PostgreSQL
giving them: tests/integration/test_serve_database.py.)"""

from __future__ import annotations

import pytest

from conftest import make_tree
from shipyard.detect.written_urls import parse_url, written_logins
from shipyard.project import Project


def logins(tmp_path, files):
    return [(w.user, w.password, w.database, w.port, w.rel, w.via)
            for w in written_logins(Project(make_tree(tmp_path, files)))]


@pytest.mark.parametrize("url, parts", [
    ("postgresql://postgres:secret@localhost:5432/todo", ("postgres", "secret", "todo", 5432)),
    ("postgresql+psycopg2://web1:w%40b@127.0.0.1/web1", ("web1", "w@b", "web1", None)),
    ("postgres://postgres:@localhost:5432/note", ("postgres", "", "note", 5432)),
    ("postgresql:///example", ("", "", "example", None)),        # libpq's defaults: serve's own role
    ("postgresql://u:p@db.example.com:5432/app", None),           # another machine's server
    # a compose service's name, which does not resolve here: serve's server takes its libpq connections (PGHOSTADDR)
    ("postgresql://u:p@shipyard-compose-db:5432/app", ("u", "p", "app", 5432)),
    # no database: libpq connects to the one named as the user (a README's `docker run postgres` URL); the
    # app's hard-coded localhost:5432 was left on whatever server held that port, with no table made
    ("postgresql://u:p@localhost:5432/", ("u", "p", "u", 5432)),
    ("postgresql://postgres:docker@localhost:5432", ("postgres", "docker", "postgres", 5432)),
    ("postgresql://localhost:5432/", None),                       # nor a user: the account's name
    ("postgresql://{user}:{pw}@localhost/app", None),             # a template
    ("mysql://u:p@localhost/app", None),
])
def test_a_url_on_this_machines_server_gives_its_parts(url, parts):
    assert parse_url(url) == parts


def test_a_flask_config_class_and_an_engine_call_write_their_login(tmp_path):
    files = {
        "config.py": "class Config:\n    SQLALCHEMY_DATABASE_URI = 'postgresql://todo:s3cret@localhost:5432/todo'\n",
        "db.py": "from sqlalchemy.ext.asyncio import create_async_engine\n"
                 "engine = create_async_engine('postgresql+asyncpg://todo:s3cret@localhost/todo')\n",
    }
    # the same login twice: one, with the port one of them writes
    assert logins(tmp_path, files) == [("todo", "s3cret", "todo", 5432, "config.py", None)]


def test_a_config_dict_of_parts_and_alembic_ini_agree(tmp_path):
    files = {
        "config.py": "config = {\n 'db': {'engine': 'postgresql', 'host': 'localhost', 'db': 'note',\n"
                     "  'user': 'postgres', 'password': '', 'port': '5432'},\n"
                     " 'email': {'user': 'me', 'host': 'smtp'},\n}\n",
        "alembic.ini": "[alembic]\nscript_location = migrations\nsqlalchemy.url = postgresql://postgres:@localhost:5432/note\n",
    }
    assert logins(tmp_path, files) == [("postgres", "", "note", 5432, "config.py", None)]


def test_a_yaml_config_of_parts_or_a_url_key(tmp_path):
    files = {"config.yml": "postgres:\n  database: web1\n  user: web1\n  password: web1\n  host: localhost\n"
                           "  port: 5432\nhost: 127.0.0.1\nport: 8080\n",
             "settings.yaml": "app:\n  database_url: postgresql://shop:pw@localhost/shop\n"}
    assert logins(tmp_path, files) == [("web1", "web1", "web1", 5432, "config.yml", None),
                                       ("shop", "pw", "shop", None, "settings.yaml", None)]


def test_a_yaml_config_of_parts_on_a_compose_host_is_the_apps_login_and_its_host_goes_to_serves_server(tmp_path):
    # an aiohttp test task's config/app_config.yaml (`postgres: {host: db, ...}`, compose's service), loaded by the
    # app and its init_db.py: the login is the app's, and libpq's connections to `db` go to serve's PostgreSQL;
    # a Django DATABASES dict on such a host stays pointed at serve's database by the settings overlay instead
    from shipyard.run.database import compose_hosts
    files = {"config/app_config.yaml": "postgres:\n  database: postgres\n  user: postgres\n  password: password\n"
                                       "  host: shipyard-compose-db\n  port: 5432\n",
             "settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'other',\n"
                            "    'USER': 'other', 'PASSWORD': 'x', 'HOST': 'shipyard-compose-db'}}\n"}
    root = make_tree(tmp_path, files)
    found = [w for w in written_logins(Project(root)) if w.rel != "settings.py"]
    assert [(w.user, w.password, w.database, w.port, w.rel, w.host) for w in found] == \
        [("postgres", "password", "postgres", 5432, "config/app_config.yaml", "shipyard-compose-db")]
    assert compose_hosts(root, found) == ["shipyard-compose-db"]
    # a real domain (it resolves, or has dots) is another machine's, not compose's
    other = make_tree(tmp_path / "other", {"config.yml": "postgres:\n  database: app\n  user: app\n"
                                                         "  host: db.example.com\n"})
    assert written_logins(Project(other)) == []


def test_a_yaml_config_whose_values_come_from_the_environment_writes_what_it_defaults_to(tmp_path):
    # pyaml-env's !ENV tag: `${DB_USER:postgres}` is postgres unless set; `${DB_HOST}` (no default) is the
    # environment's to give; the database's name is written; an unknown tag of the app's own fails nothing
    files = {"config.yml": "database:\n  host: !ENV ${DB_HOST}\n  dbname: postgres\n"
                           "  username: !ENV ${DB_USER:postgres}\n  password: !ENV ${DB_PASSWORD}\n"
                           "  type: !ENV ${DB_TYPE:postgresql}\n  port: 5432\n"
                           "templates: !include templates.yml\n"}
    assert logins(tmp_path, files) == [("postgres", "", "postgres", 5432, "config.yml", None)]


def test_a_toml_config_of_a_url_or_parts_and_not_the_tools_toml_files(tmp_path):
    # the file a settings loader reads with tomllib (config/example.config.toml, a Litestar app's); pyproject.toml
    # and other tools' files are not the app's configuration
    files = {"config/example.config.toml": '[database]\nurl = "postgresql+psycopg://postgres:password@localhost:5432'
                                           '/task"\n\n[application]\ndebug = true\n',
             "settings.toml": "[postgres]\nuser = 'shop'\npassword = 'pw'\ndatabase = 'shop'\nhost = 'localhost'\n",
             "pyproject.toml": "[tool.pytest.ini_options]\ndb_url = 'postgresql://t:t@localhost/t'\n",
             "broken.toml": "[database\nurl = 'postgresql://x:x@localhost/x'\n"}
    found = written_logins(Project(make_tree(tmp_path, files)))
    assert [(w.user, w.password, w.database, w.port, w.rel, w.line) for w in found] == [
        ("postgres", "password", "task", 5432, "config/example.config.toml", 2),
        ("shop", "pw", "shop", None, "settings.toml", 1)]


def test_an_env_reads_default_names_the_variable_it_stands_for(tmp_path):
    files = {"app.py": "import os\nURL = os.environ.get('APP_DB', 'postgresql://app:pw@localhost/app')\n",
             "settings.py": "import dj_database_url\nDATABASES = {'default': dj_database_url.config("
                            "default='postgresql://dj:pw@localhost/dj')}\n"}
    assert logins(tmp_path, files) == [("app", "pw", "app", None, "app.py", "APP_DB"),
                                       ("dj", "pw", "dj", None, "settings.py", "DATABASE_URL")]
    # the scheme written is kept: serve gives APP_DB on another port with it (run/database.repointed)
    assert [w.scheme for w in written_logins(Project(tmp_path))] == ["postgresql", "postgresql"]
    files = {"app.py": "import os\nURL = os.getenv('APP_DB', 'postgresql+asyncpg://app:pw@localhost:5432/app')\n"}
    assert [w.scheme for w in written_logins(Project(make_tree(tmp_path / "async", files)))] == ["postgresql+asyncpg"]


@pytest.mark.parametrize("files", [
    {"app.py": '"""Run against postgresql://u:p@localhost/app first."""\n'},             # a docstring
    {"app.py": "print('set DATABASE_URL=postgresql://u:p@localhost/app')\n"},           # a message
    {"tests/conftest.py": "DATABASE_URL = 'postgresql://u:p@localhost/app_test'\n"},    # the tests'
    {"test_app.py": "engine = create_engine('postgresql://u:p@localhost/app_test')\n"},
    {"app.py": "from config import DB\nDATABASE_URL = 'postgresql://u:p@localhost/' + DB\n"},     # imported
    {"app.py": "DB = 'a'\nDB = 'b'\nDATABASE_URL = 'postgresql://u:p@localhost/' + DB\n"},     # bound twice
    {"app.py": "DATABASE_URL = 'postgresql://u:p@db.example.com:5432/app'\n"},          # another machine
    {"docker-compose.yml": "services:\n  db:\n    environment:\n      DATABASE_URL: postgresql://u:p@localhost/app\n"},
    {"config.py": "EMAIL = {'user': 'me', 'password': 'x', 'name': 'mailer'}\n"},      # not a database's
    {"config.py": "DB = {'engine': 'mysql', 'user': 'u', 'password': 'p', 'name': 'app'}\n"},
])
def test_what_the_app_does_not_connect_with_is_not_taken(tmp_path, files):
    assert logins(tmp_path, files) == []


def test_the_login_written_most_often_comes_first_and_a_role_keeps_one_password(tmp_path):
    files = {"a.py": "DATABASE_URL = 'postgresql://dev:one@localhost/dev'\n",
             "b.py": "DATABASE_URL = 'postgresql://app:pw@localhost/app'\n",
             "c.py": "engine = create_engine('postgresql://app:pw@localhost/app')\n",
             "d.py": "SQLALCHEMY_DATABASE_URI = 'postgresql://dev:two@localhost/other'\n"}
    assert [w[:3] for w in logins(tmp_path, files)] == [("app", "pw", "app"), ("dev", "one", "dev")]


def test_a_settings_fields_default_names_the_field_it_stands_for(tmp_path):
    files = {"settings.py": "from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n"
                            "    database_url: str = 'postgresql://postgres:postgres@localhost:5432/app'\n"}
    assert logins(tmp_path, files) == [("postgres", "postgres", "app", 5432, "settings.py", "DATABASE_URL")]


def test_an_ini_section_of_parts_the_app_reads_itself(tmp_path):
    files = {"app/config.py": "import configparser\nCONFIG = configparser.ConfigParser()\nCONFIG.read('conf/local.ini')\n",
             # no user: libpq's default user, which serve sets (PGUSER)
             "conf/local.ini": "[cors]\nallowed_headers=Content-Type\n\n[postgres]\nhost=localhost\ndatabase=app\n",
             "conf/dev.ini": "[database]\nhost = 127.0.0.1\nport = 5433\nuser = dev\npassword = pw\ndbname = devdb\n",
             "conf/live.ini": "[postgres]\nhost=ec2-54-1-2-3.compute-1.amazonaws.com\ndatabase=prod\nuser=u\n",
             "tox.ini": "[testenv]\ncommands = pytest\n[mail]\nhost = localhost\nuser = me\n"}
    assert [(w.user, w.password, w.database, w.port, w.rel, w.line) for w in written_logins(
        Project(make_tree(tmp_path, files)))] == [("dev", "pw", "devdb", 5433, "conf/dev.ini", 1),
                                                  ("", "", "app", None, "conf/local.ini", 4)]


def test_a_mapping_with_no_host_nor_user_is_not_a_server_login(tmp_path):
    files = {"config.py": "DB = {'database': 'app.sqlite3'}\n", "app.ini": "[db]\ndatabase = data.db\n"}
    assert logins(tmp_path, files) == []


def test_a_url_built_from_literals_and_module_constants_is_written(tmp_path):
    files = {"config.py": "NAME = 'notes'\nSQLALCHEMY_DATABASE_URI = 'postgresql://postgres:@localhost/' + NAME\n",
             "db.py": "USER = 'x'\nPW: str = 'y'\nHOST = 'localhost'\nPORT = 5433\nDB = 'shop' + '_db'\n"
                      "engine = create_engine(f'postgresql://{USER}:{PW}@{HOST}:{PORT}/{DB}')\n"
                      "USER2 = 'kv'\nKV = create_engine('postgresql://%s:%s@localhost/%s' % (USER2, 'pw', DB))\n"}
    assert logins(tmp_path, files) == [("postgres", "", "notes", None, "config.py", None),
                                       ("x", "y", "shop_db", 5433, "db.py", None),
                                       ("kv", "pw", "shop_db", None, "db.py", None)]


def test_a_url_built_with_str_format_is_written(tmp_path):
    """Udacity's Full Stack apps: `database_path = 'postgresql://{}:{}@{}/{}'.format(...)` in models.py, given to
    SQLALCHEMY_DATABASE_URI as setup_db's default; a format with names, or with the login read at run time."""
    files = {"models.py": "database_name = 'bookshelf'\n"
                          "database_path = 'postgresql://{}:{}@{}/{}'.format('student', 'student', 'localhost:5432',"
                          " database_name)\n"
                          "def setup_db(app, database_path=database_path):\n"
                          "    app.config['SQLALCHEMY_DATABASE_URI'] = database_path\n",
             "trivia.py": "import os\nDB = 'trivia'\n"
                          "database_path = 'postgres://{}/{}'.format('localhost:5432', DB)\n"
                          "URL = 'postgresql://{user}:{pw}@localhost/{db}'.format(user=os.environ['U'], pw='x', db=DB)\n",
             # a field with a spec or a conversion, or more fields than arguments: not read
             "odd.py": "DATABASE_URL = 'postgresql://{!r}@localhost/a'.format('u')\n"
                       "DB_URL = 'postgresql://{}:{}@localhost/{}'.format('u', 'p')\n",
             # a file path under such a name is no URL
             "sqlite.py": "import os\ndatabase_path = 'sqlite:///{}'.format(os.path.join('.', 'app.db'))\n"}
    # trivia's written twice (the same login: once, with the port one writes), so first
    assert logins(tmp_path, files) == [("", "", "trivia", 5432, "trivia.py", None),
                                       ("student", "student", "bookshelf", 5432, "models.py", None)]


@pytest.mark.parametrize("files", [
    {"app.py": "def url(user):\n    DATABASE_URL = f'postgresql://{user}:p@localhost/app'\n"},  # built at run time
    {"app.py": "import os\nUSER = os.environ['PGUSER']\nDATABASE_URL = f'postgresql://{USER}:p@localhost/app'\n"},
])
def test_a_role_given_at_run_time_with_a_written_password_writes_only_its_database(tmp_path, files):
    # the password is that role's, whatever it is: serve gives the login, and makes the database written
    assert logins(tmp_path, files) == [("", "", "app", None, "app.py", None)]


APPSEED_CONFIG = (
    "import os\n\nclass ProductionConfig:\n"
    "    SQLALCHEMY_DATABASE_URI = '{}://{}:{}@{}:{}/{}'.format(\n"
    "        os.getenv('DB_ENGINE', 'mysql'), os.getenv('DB_USERNAME', 'appseed_db_usr'),\n"
    "        os.getenv('DB_PASS', 'pass'), os.getenv('DB_HOST', 'localhost'), os.getenv('DB_PORT', 3306),\n"
    "        os.getenv('DB_NAME', 'appseed_db'))\n")


def test_a_url_built_from_environment_reads_defaults_is_the_login_the_app_opens_when_nothing_is_set(tmp_path):
    """AppSeed's dashboards (Creative Tim's black, argon, soft UI...): the production config formats its URL
    from DB_* reads with MySQL defaults; with nothing set, that is the login it connects with."""
    root = make_tree(tmp_path / "appseed", {"apps/config.py": APPSEED_CONFIG})
    [login] = written_logins(Project(root), service="mysql")
    assert (login.user, login.password, login.database, login.port) == ("appseed_db_usr", "pass", "appseed_db", 3306)
    assert written_logins(Project(root)) == []                     # no PostgreSQL login
    # a read with no default leaves the URL unknown
    root = make_tree(tmp_path / "nodefault", {"apps/config.py": APPSEED_CONFIG.replace("'DB_NAME', 'appseed_db'",
                                                                                      "'DB_NAME'")})
    assert written_logins(Project(root), service="mysql") == []


def test_a_url_reading_its_login_from_the_environment_writes_its_database(tmp_path):
    """`f"postgresql://{USER}:{PASSWORD}@{HOST}/mydb"` with the login read at run time: the database written is
    the app's (serve makes it), the login parts are serve's to give. A host written elsewhere, or a database
    read at run time too, is no login of this machine's."""
    files = {"db.py": "import os\nUSER = os.getenv('POSTGRES_USER')\nPASSWORD = os.environ['POSTGRES_PASSWORD']\n"
                      "URL = f'postgresql+asyncpg://{USER}:{PASSWORD}@{os.getenv(\"POSTGRES_HOST\")}/mydb'\n"
                      "OTHER = f'postgresql://{USER}:{PASSWORD}@db.example.com/shop'\n"
                      "ANY = f'postgresql://{USER}:{PASSWORD}@localhost/{os.getenv(\"DB\")}'\n",
             "config.py": "import settings\nDATABASE_URI = 'postgresql://app:%s@localhost:5433/notes' % settings.PW\n",
             # a password computed in the code is none serve can give: not taken
             "computed.py": "from urllib.parse import quote_plus\npassword = quote_plus('V4N#')\n"
                            "URL = f'postgresql://root:{password}@localhost/itcast'\n"
                            "URL2 = f'postgresql://root:{quote_plus(password)}@localhost/itcast'\n"}
    assert logins(tmp_path, files) == [("app", "", "notes", 5433, "config.py", None),
                                       ("", "", "mydb", None, "db.py", None)]
    [url] = [w for w in written_logins(Project(tmp_path)) if w.database == "mydb"]
    assert url.scheme == "postgresql+asyncpg"


def test_tortoise_orms_config_writes_its_login_as_a_url_or_credentials(tmp_path):
    """TORTOISE_ORM's connections name a URL each, or an engine with its credentials: the login serve's MySQL
    (aiomysql: tortoise.backends.mysql) or PostgreSQL (tortoise.backends.asyncpg) makes."""
    files = {"settings.py": "TORTOISE_ORM = {'connections': {'default': 'mysql://root:secret@localhost:3306/travel'},"
                            " 'apps': {'models': {'models': ['models']}}}\n",
             "pg.py": "CONF = {'connections': {'default': {'engine': 'tortoise.backends.asyncpg', 'credentials': "
                      "{'host': '127.0.0.1', 'port': '5432', 'user': 'shop', 'password': 'pw', 'database': 'shop'}}}}\n"}
    root = make_tree(tmp_path, files)
    assert [(w.user, w.password, w.database, w.port, w.rel) for w in written_logins(Project(root), service="mysql")] \
        == [("root", "secret", "travel", 3306, "settings.py")]
    assert [(w.user, w.password, w.database, w.port, w.rel) for w in written_logins(Project(root))] \
        == [("shop", "pw", "shop", 5432, "pg.py")]


def test_a_login_on_a_compose_service_host_is_served_here_and_its_hosts_go_to_serves_server(tmp_path):
    # the employees API: db.py's aiopg engine and init_db.py's URL both name compose's `db` service; serve's
    # PostgreSQL makes that login and libpq is pointed at it whatever host it is given
    import socket

    from shipyard.run.database import compose_hosts, compose_hosts_env, loopback_alias
    files = {"employees/init_db.py": "from sqlalchemy import create_engine\n"
                                     "engine = create_engine('postgresql://postgres:postgres@shipyard-compose-db:5432/postgres')\n",
             "employees/db.py": "import aiopg.sa\n\n\nasync def ctx(app):\n"
                                "    app['db'] = await aiopg.sa.create_engine(database='postgres', user='postgres',\n"
                                "        password='postgres', host='shipyard-compose-db', port=5432)\n"}
    root = make_tree(tmp_path, files)
    found = written_logins(Project(root))
    assert [(w.user, w.password, w.database, w.port, w.host) for w in found] == \
        [("postgres", "postgres", "postgres", 5432, "shipyard-compose-db")]
    said: list[str] = []
    assert compose_hosts(root, found) == ["shipyard-compose-db"]
    assert compose_hosts_env(compose_hosts(root, found), "127.0.0.2", said.append) == {"PGHOSTADDR": "127.0.0.2"}
    assert said == ["the code connects to shipyard-compose-db (compose's names): PGHOSTADDR=127.0.0.2 takes its "
                    "PostgreSQL connections (libpq's: psycopg2, psycopg, aiopg; asyncpg's through "
                    "run/host_aliases.py) to the app's PostgreSQL"]
    # the aiopg keywords alone name the host too; an app on localhost gets nothing
    (root / "employees/init_db.py").unlink()
    assert compose_hosts(root, written_logins(Project(root))) == ["shipyard-compose-db"]
    local = make_tree(tmp_path / "local", {"db.py": "import psycopg2\nconn = psycopg2.connect(host='localhost', dbname='app')\n"})
    assert compose_hosts(local, written_logins(Project(local))) == [] and compose_hosts_env([]) == {}
    # the written port, held on 127.0.0.1, is taken on another loopback address
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        alias = loopback_alias(port)
        assert alias is not None and alias != "127.0.0.1" and alias.startswith("127.")
        with socket.socket() as there:
            there.bind((alias, port))


def test_a_postgresql_drivers_connect_call_writes_its_parts_as_keywords(tmp_path):
    files = {
        # no user: the driver's default (PGUSER, which serve sets); the port, where it connects
        "db.py": "import asyncpg\n\nasync def setup():\n    return await asyncpg.create_pool(database='tester', port=5432)\n",
        "shop.py": "import psycopg2\nconn = psycopg2.connect(dbname='shop', user='clerk', password='pw', host='localhost')\n",
        # another machine's server, and sqlite3's database= (a file): not a login of this machine's PostgreSQL
        "remote.py": "import psycopg2\nconn = psycopg2.connect(dbname='x', user='u', host='db.example.com')\n",
        "local.py": "import sqlite3\nconn = sqlite3.connect(database='notes.db')\n",
    }
    assert logins(tmp_path, files) == [("", "", "tester", 5432, "db.py", None),
                                       ("clerk", "pw", "shop", None, "shop.py", None)]


def test_the_apps_own_wrapper_of_a_drivers_connect_call_writes_the_parts_it_is_given(tmp_path):
    """A 2025 FastAPI task manager: `Database(host="127.0.0.1", port=5432, user="postgres", password="postgres",
    database="task_db")` in its router module, the class keeping them in a dict for `asyncpg.connect(**params)`:
    serve's server had no role or database of that login, and the app's startup failed to connect."""
    files = {
        "app/db.py": "import asyncpg\n\nclass Database:\n"
                     "    def __init__(self, host='127.0.0.1', port=5432, user='postgres', password='', database='x'):\n"
                     "        self._params = {'host': host, 'port': port, 'user': user, 'password': password,"
                     " 'database': database}\n"
                     "    async def connect(self):\n        self._conn = await asyncpg.connect(**self._params)\n",
        "app/routers.py": "from .db import Database\n\ndb = Database(host='127.0.0.1', port=5432, user='postgres',"
                          " password='postgres', database='task_db')\n",
        # a class of the same keywords that hands them to no PostgreSQL driver: not a login
        "app/report.py": "class Report:\n    def __init__(self, user, database):\n        self.user = user\n\n"
                         "r = Report(user='ann', database='sales')\n",
    }
    assert logins(tmp_path, files) == [("postgres", "postgres", "task_db", 5432, "app/routers.py", None)]


def test_a_drivers_connect_call_with_its_parts_in_module_constants_writes_them(tmp_path):
    """A 2020 course to-do app: connecting.py binds DB_NAME = "python-to-do-app" and DB_HOST = "localhost" above
    `psycopg2.connect(database=DB_NAME, host=DB_HOST, cursor_factory=...)`, run at import: the database it connects
    to is written, as if the strings stood in the call (serve's PostgreSQL then makes it). A name bound twice, or to
    a value read at run time, stays unknown."""
    files = {
        "connecting.py": "import psycopg2\nimport psycopg2.extras\n\nDB_NAME = 'python-to-do-app'\n"
                         "DB_HOST = 'localhost'\nDB_PORT = '5432'\n\ncon = psycopg2.connect(database=DB_NAME, "
                         "host=DB_HOST, cursor_factory=psycopg2.extras.RealDictCursor)\n",
        "shop.py": "import os\nimport psycopg2\nNAME = os.environ['SHOP_DB']\nconn = psycopg2.connect(dbname=NAME)\n",
    }
    assert logins(tmp_path, files) == [("", "", "python-to-do-app", None, "connecting.py", None)]
    found = written_logins(Project(tmp_path))
    assert found[0].host == "localhost"


def test_a_url_built_from_parts_another_module_of_the_app_binds_is_written(tmp_path):
    """A practice FastAPI backend: its config module binds the parts from a JSON file's values with defaults
    (`DB_USERNAME = config.get("database", {}).get("db_username", "postgres")`), and database.py builds the URL
    from them (`from .app_config import DB_USERNAME, ...`): the defaults are the login it connects with."""
    files = {"src/app_config.py": "import json\nconfig = json.load(open('config.json'))\n"
                                  "DB_USERNAME = config.get('database', {}).get('db_username', 'postgres')\n"
                                  "DB_PASSWORD = config.get('database', {}).get('db_password', 'password123')\n"
                                  "DB_HOST = config.get('database', {}).get('db_host', 'localhost')\n"
                                  "DB_PORT = config.get('database', {}).get('db_port', 5432)\n"
                                  "DB_NAME = 'marketplace'\n",
             "src/__init__.py": "",
             "src/database.py": "from sqlmodel import create_engine\n"
                                "from .app_config import DB_USERNAME, DB_PASSWORD, DB_HOST, DB_PORT, DB_NAME as NAME\n"
                                "DB_URL = f'postgresql://{DB_USERNAME}:{DB_PASSWORD}@{DB_HOST}:{DB_PORT}/{NAME}'\n"
                                "engine = create_engine(DB_URL)\n",
             # an absolute import from the root; a host another machine's is no login here
             "settings.py": "USER = 'shop'\nHOST = 'localhost'\nFAR = 'db.example.com'\n",
             "models.py": "from settings import USER, HOST, FAR\n"
                          "SQLALCHEMY_DATABASE_URI = f'postgresql://{USER}:pw@{HOST}/shop'\n"
                          "REPORTS_DB_URL = f'postgresql://{USER}:pw@{FAR}/reports'\n",
             # a part imported from a module that reads it at run time: the login is the environment's
             "env_config.py": "import os\nDB_USER = os.environ['DB_USER']\n",
             "other.py": "from env_config import DB_USER\nDATABASE_URL = f'postgresql://{DB_USER}:x@localhost/other'\n"}
    assert logins(tmp_path, files) == [("shop", "pw", "shop", None, "models.py", None),
                                       ("", "", "other", None, "other.py", None),
                                       ("postgres", "password123", "marketplace", 5432, "src/database.py", None)]


def test_a_modules_constants_are_worked_out_once_however_many_names_the_app_imports_from_it(tmp_path, monkeypatch):
    """A large Django project (13 apps, ~1,800 `from .models import X` between its modules) spent minutes of
    inspect, and again of serve, recomputing the constants of the module each name came from, once per name. Each
    source module's constants are worked out once per pass, and the login read through them is the same."""
    from shipyard.detect import written_urls
    calls = []
    counted = written_urls.module_constants
    monkeypatch.setattr(written_urls, "module_constants", lambda tree, **kw: calls.append(tree) or counted(tree, **kw))
    names = [f"NAME_{i}" for i in range(20)]
    files = {"config.py": "".join(f"{n} = 'v{i}'\n" for i, n in enumerate(names))
                          + "class Db:\n    USER = 'clerk'\n    NAME = 'till'\n",
             **{f"views_{m}.py": f"from config import {', '.join(names)}, Db\n" for m in range(15)},
             "db.py": "from config import Db\nURL = f'postgresql://{Db.USER}:pw@localhost/{Db.NAME}'\n"}
    assert logins(tmp_path, files) == [("clerk", "pw", "till", None, "db.py", None)]
    # each of the 17 modules' own constants (plain and with defaults) in _in_python, config.py's once more as the
    # source of the imports: 2 x 18 (before, 4 per name imported: 2 x 17 + 4 x 316)
    assert len(calls) <= 2 * (len(files) + 1), len(calls)


def test_sqlalchemy_url_parts_in_a_config_classs_constants_write_the_login(tmp_path):
    """A 2019 Falcon REST API: a config class binds DRIVER, USERNAME, PASSWORD = '', HOST = a compose `links:`
    alias, PORT and DATABASE_NAME, and a staticmethod builds `URL(Config.DRIVER, username=Config.USERNAME, ...)`
    for create_engine: that is the login it connects with (the alias is one serve takes the connections to). The
    same from URL.create() positional parts, from an f-string of a class imported from another module, and not
    from a class attribute the module assigns again or a host another machine's."""
    files = {
        "configs.py": "from sqlalchemy import create_engine\nfrom sqlalchemy.engine.url import URL\n\n\n"
                      "class StoreConfig:\n    DRIVER = 'postgresql+psycopg2'\n    USERNAME = 'ledger'\n"
                      "    PASSWORD = ''\n    HOST = 'shipyard-links-alias'\n    PORT = 5432\n"
                      "    DATABASE_NAME = 'ledger_books'\n\n    @staticmethod\n    def make():\n"
                      "        url = URL(StoreConfig.DRIVER, username=StoreConfig.USERNAME, "
                      "password=StoreConfig.PASSWORD,\n                  host=StoreConfig.HOST, port=StoreConfig.PORT, "
                      "database=StoreConfig.DATABASE_NAME)\n        StoreConfig.ENGINE = create_engine(url)\n",
        "create.py": "import sqlalchemy\nUSER = 'clerk'\n\n\nclass Db:\n    NAME = 'till'\n\n\n"
                     "engine = sqlalchemy.create_engine(sqlalchemy.engine.URL.create('postgresql', USER, 'pw', "
                     "'localhost', None, Db.NAME))\n",
        "settings.py": "class Settings:\n    USER = 'reader'\n    DB = 'library'\n",
        "db.py": "from sqlalchemy import create_engine\nfrom settings import Settings as S\n"
                 "engine = create_engine(f'postgresql://{S.USER}:pw@localhost/{S.DB}')\n",
        # a class attribute rebound later is no constant; a host that resolves elsewhere is not serve's
        "moved.py": "from sqlalchemy.engine import URL\n\n\nclass C:\n    NAME = 'a'\n\n\nC.NAME = 'b'\n"
                    "u = URL.create('postgresql', username='x', database=C.NAME)\n"
                    "far = URL.create('postgresql', username='x', host='db.example.com', database='far')\n",
    }
    assert logins(tmp_path, files) == [("ledger", "", "ledger_books", 5432, "configs.py", None),
                                       ("clerk", "pw", "till", None, "create.py", None),
                                       ("reader", "pw", "library", None, "db.py", None)]
    assert written_logins(Project(tmp_path))[0].host == "shipyard-links-alias"


def test_alembic_env_setting_its_url_writes_the_login_its_migrations_connect_with(tmp_path):
    """A FastAPI test task: the app's settings default to an asyncpg URL on compose's published port (a field
    serve gives DATABASE_URL for), while alembic/env.py sets `sqlalchemy.url` to its own psycopg2 URL on that
    port: the login the migrations connect with, which serve's PostgreSQL must answer on 5435."""
    files = {"app/core/config.py": "from pydantic_settings import BaseSettings\nclass Settings(BaseSettings):\n"
                                   "    database_url: str = 'postgresql+asyncpg://postgres:postgres@localhost:5435/postgres'\n",
             "alembic/env.py": "from alembic import context\nconfig = context.config\n"
                               "config.set_main_option('sqlalchemy.url', "
                               "'postgresql+psycopg2://postgres:postgres@localhost:5435/postgres')\n"
                               "config.set_section_option('other', 'sqlalchemy.url', 'postgresql://u:p@localhost/other')\n"
                               "config.set_main_option('script_location', 'postgresql://x:y@localhost/not_a_url_key')\n"}
    found = logins(tmp_path, files)
    assert ("postgres", "postgres", "postgres", 5435, "alembic/env.py", None) in found
    assert ("u", "p", "other", None, "alembic/env.py", None) in found
    assert not any(f[2] == "not_a_url_key" for f in found)


def test_an_ini_section_named_with_a_prefix_and_no_database_is_the_users_database(tmp_path):
    """A 2019 Quart app's config.example.ini: `[rana:database]` host, user and password, which it gives
    asyncpg.create_pool(**section): no database is the one named as the user (libpq's and asyncpg's default)."""
    files = {"config.example.ini": "[rana:database]\nhost=localhost\nuser=rana\npassword=123\n\n[rana]\nsignups=1\n",
             # no user either: nothing to name the database after
             "other.ini": "[app.db]\nhost=localhost\n"}
    assert logins(tmp_path, files) == [("rana", "123", "rana", None, "config.example.ini", None)]


def test_a_pony_provider_dict_is_a_mysql_login_of_the_clients_default_user(tmp_path):
    # Flask-Pony's PONY = {'provider': 'mysql', 'dbname': 'test'}: no user or host, so the MySQL client's defaults
    # (the OS user on localhost); user "" says so (serve's MariaDB makes it the user the app runs as)
    root = make_tree(tmp_path / "pony", {"settings.py": "class Config(object):\n"
                                                         "    PONY = {'provider': 'mysql', 'dbname': 'test'}\n"})
    assert [(w.user, w.password, w.database, w.host, w.port) for w in written_logins(Project(root), service="mysql")] \
        == [("", "", "test", "", None)]
    # with its login written, that login; a PostgreSQL provider is not a MySQL login, nor an OAuth provider's dict
    written = make_tree(tmp_path / "written", {"models.py": "db_params = {'provider': 'mysql', 'host': 'localhost', "
                                                            "'user': 'bugs', 'passwd': 'pw', 'db': 'bugs'}\n"})
    assert [(w.user, w.password, w.database) for w in written_logins(Project(written), service="mysql")] \
        == [("bugs", "pw", "bugs")]
    other = make_tree(tmp_path / "other", {"a.py": "PONY = {'provider': 'postgres', 'dbname': 'test'}\n",
                                           "b.py": "DATABASE = {'provider': 'google', 'name': 'x'}\n"})
    assert written_logins(Project(other), service="mysql") == []


def test_a_pony_bind_writes_its_login_as_keywords_or_a_dict(tmp_path):
    """Pony ORM apps bind with the parts as keywords (`db.bind(provider='postgres', user=..., password=...,
    host=..., database=...)`, a compose service's host among them), a config class's constants, `Database('mysql',
    ...)` with its provider first, or a dict given as `db.bind(**DB)`: each is the login serve's database makes.
    Another provider's call, or a bind() naming none, is not."""
    files = {
        "models.py": "from pony.orm import Database\ndb = Database()\n"
                     "db.bind(provider='postgres', user='todo', password='secret', host='shipyard-pony-db', "
                     "database='todo_app')\n",
        "config.py": "class DbConfig:\n    USER = 'clerk'\n    NAME = 'till'\n",
        "shop.py": "from pony.orm import Database\nfrom config import DbConfig\ndb = Database()\n"
                   "db.bind('postgres', user=DbConfig.USER, password='pw', host='localhost', dbname=DbConfig.NAME)\n",
        "dicts.py": "from pony.orm import Database\n"
                    "DB = {'provider': 'postgres', 'user': 'lib', 'password': '', 'host': 'shipyard-pony-db', "
                    "'database': 'library'}\ndb = Database()\ndb.bind(**DB)\n",
        "nohost.py": "from pony import orm\ndb = orm.Database(provider='postgres', database='notes')\n",
        "other.py": "from pony.orm import Database\ndb = Database('sqlite', 'app.sqlite', create_db=True)\n"
                    "sock.bind(('localhost', 80))\n",
    }
    found = written_logins(Project(make_tree(tmp_path, files)))
    assert sorted((w.user, w.password, w.database, w.host, w.rel) for w in found) == [
        ("", "", "notes", "", "nohost.py"),
        ("clerk", "pw", "till", "localhost", "shop.py"),
        ("lib", "", "library", "shipyard-pony-db", "dicts.py"),
        ("todo", "secret", "todo_app", "shipyard-pony-db", "models.py")]
    # serve takes the compose host's connections to its own PostgreSQL
    from shipyard.run.database import compose_hosts
    assert compose_hosts(tmp_path, found) == ["shipyard-pony-db"]
    mysql = make_tree(tmp_path / "mysql", {"db.py": "from pony.orm import Database\n"
                                                    "db = Database('mysql', host='localhost', user='bugs', "
                                                    "passwd='pw', db='bugs')\n"})
    assert [(w.user, w.password, w.database) for w in written_logins(Project(mysql), service="mysql")] == \
        [("bugs", "pw", "bugs")]
    assert written_logins(Project(mysql)) == []


@pytest.mark.parametrize("name", ["dbconfig", "DB_PARAMS", "pg_credentials", "database_settings"])
def test_a_dict_of_parts_named_as_a_databases_config_writes_its_login(tmp_path, name):
    # `dbconfig = {...}` joined into a libpq conninfo string by the app's own code: a config name after the word
    files = {"db_syncer.py": f"{name} = {{'dbname': 'cafedb', 'user': 'postgres', 'password': 'pw',\n"
                             "    'host': 'localhost', 'port': '5432'}\n"
                             f"config = ' '.join(k + '=' + v for k, v in {name}.items())\n"}
    assert logins(tmp_path, files) == [("postgres", "pw", "cafedb", 5432, "db_syncer.py", None)]
