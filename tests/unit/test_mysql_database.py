"""A MySQL app's own MariaDB for `serve`/`dev` (run/mysql_database.py, run/mariadb.py): when the plan needs one,
the URL scheme and variables the app gets, the logins it writes, the port, and the one line when MariaDB is not
installed. (The real server under serve: tests/integration/test_serve_mysql.py.)"""

from __future__ import annotations

import dataclasses
import socket

import pytest

from conftest import make_tree
from plans import django_postgres, flask_wsgi
from shipyard.detect.written_urls import parse_url, written_logins
from shipyard.errors import ShipyardError
from shipyard.plan import Dependency, Service
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.run import database, mariadb, mysql_database

PARTS = {"host": "127.0.0.1", "port": "3307", "user": "shop", "password": "pw", "database": "shop"}
URL = "mysql+pymysql://shop:pw@127.0.0.1:3307/shop"


def _mysql(plan, *names, **changes):
    deps = tuple(Dependency(n, "", "requirements.txt") for n in names)
    return dataclasses.replace(plan, dependencies=deps, services=(Service("mysql", "a MySQL driver"),), **changes)


@pytest.mark.parametrize("db, services, mysql, postgres", [
    ("auto", ("mysql",), True, False),
    ("auto", ("mysql", "redis"), True, False),
    ("auto", ("postgres", "mysql"), False, True),      # drivers of both: PostgreSQL, as the production files have
    ("none", ("mysql",), False, False),
    ("mysql", (), True, False),
    ("postgres", ("mysql",), False, True),
])
def test_the_plan_needs_mysql_when_a_mysql_service_is_found_or_db_says_so(db, services, mysql, postgres):
    plan = dataclasses.replace(flask_wsgi(db=db), services=tuple(Service(s, "found") for s in services))
    assert (plan.needs_mysql, plan.needs_postgres) == (mysql, postgres)


@pytest.mark.parametrize("names, scheme", [
    (("Flask", "Flask-SQLAlchemy", "PyMySQL"), "mysql+pymysql"),      # a plain mysql:// loads MySQLdb
    (("SQLAlchemy", "mysqlclient"), "mysql+mysqldb"),
    (("Flask-SQLAlchemy", "mysql-connector-python"), "mysql+mysqlconnector"),
    (("fastapi", "SQLAlchemy", "aiomysql"), "mysql+aiomysql"),
    (("Flask", "PyMySQL"), "mysql"),                                  # no SQLAlchemy: the plain scheme
])
def test_the_url_names_the_driver_the_app_declares(names, scheme):
    assert mysql_database.url_scheme(_mysql(flask_wsgi(), *names)) == scheme


def test_django_gets_the_plain_scheme_and_a_written_scheme_wins_for_sqlalchemy():
    # dj-database-url and django-environ know mysql://, not mysql+pymysql://
    assert mysql_database.url_scheme(_mysql(django_postgres(), "Django", "mysqlclient", "SQLAlchemy")) == "mysql"
    written = dataclasses.replace(_mysql(flask_wsgi(), "SQLAlchemy", "PyMySQL", "mysqlclient"),
                                  services=(Service("mysql", "x", scheme="mysql+mysqldb"),))
    assert mysql_database.url_scheme(written) == "mysql+mysqldb"


def test_the_app_gets_database_url_the_client_librarys_defaults_and_the_variables_it_reads():
    plan = dataclasses.replace(flask_wsgi(), env_vars=("SECRET_KEY", "MYSQL_HOST", "MYSQL_PORT", "MYSQL_USER",
                                                       "MYSQL_PASSWORD", "MYSQL_DB", "DB_NAME", "MYSQL_URL",
                                                       "REDIS_HOST", "DEBUG", "TESTING_DATABASE_URL"))
    assert mysql_database.connection_env(plan, PARTS, URL, "/run/x/mysqld.sock") == {
        "DATABASE_URL": URL, "MYSQL_UNIX_PORT": "/run/x/mysqld.sock", "MYSQL_TCP_PORT": "3307",
        "MYSQL_HOST": "127.0.0.1", "MYSQL_PORT": "3307", "MYSQL_USER": "shop", "MYSQL_PASSWORD": "pw",
        "MYSQL_DB": "shop", "DB_NAME": "shop", "MYSQL_URL": URL}


def test_a_mysql_app_gets_the_url_under_the_name_its_config_reads_it(tmp_path):
    # ANAKONDA_API_DATABASE_URI: two words before DATABASE_URI, the URL's only source (default None)
    from shipyard.detect.services import services
    from shipyard.render import mysql_service
    root = make_tree(tmp_path, {"anakonda/config.py": "from os import environ\n\nclass Config:\n"
                                "    SQLALCHEMY_DATABASE_URI = environ.get('ANAKONDA_API_DATABASE_URI', None)\n"})
    found = services(Project(root), (Dependency("PyMySQL", "==1.1.0", "requirements.txt"),))
    plan = dataclasses.replace(_mysql(flask_wsgi(), "Flask-SQLAlchemy", "PyMySQL"), services=found,
                               env_vars=("ANAKONDA_API_DATABASE_URI", "ANAKONDA_API_DEBUG"))
    env = mysql_database.connection_env(plan, PARTS, URL, "/s")
    assert env["ANAKONDA_API_DATABASE_URI"] == URL and "ANAKONDA_API_DEBUG" not in env
    # the stack's secrets file carries it too
    assert mysql_service.secret_names(plan) == ("ANAKONDA_API_DATABASE_URI",)


@pytest.mark.parametrize("name, part", [
    ("APP_MYSQL_PASSWORD", "password"), ("DB_MYSQL_USER", "user"), ("APP_DB_NAME", "database"),
    ("SHOP_MYSQL_HOST", "host"), ("MYSQL_PW", "password"), ("DB_PWD", "password"),
    # Elastic Beanstalk's names for an attached RDS database
    ("RDS_HOSTNAME", "host"), ("RDS_USERNAME", "user"), ("RDS_PORT", "port"), ("RDS_DB_NAME", "database"),
    ("APP_POSTGRES_USER", None), ("PG_USER", None), ("APP_REDIS_DB", None), ("TEST_MYSQL_DB", None),
])
def test_mysql_parts_under_the_apps_own_prefixed_names_are_filled(name, part):
    assert mysql_database.variable_part(name) == part
    plan = dataclasses.replace(flask_wsgi(), env_vars=(name,))
    assert mysql_database.connection_env(plan, PARTS, URL, "/s").get(name) == (PARTS[part] if part else None)


def test_a_mysql_the_user_configured_wins():
    plan = _mysql(flask_wsgi(), "PyMySQL", env_vars=("MYSQL_HOST",))
    assert mysql_database.externally_configured(plan, {"DATABASE_URL": "mysql://u@db/x"})
    assert mysql_database.externally_configured(plan, {"MYSQL_HOST": "db.internal"})
    assert not mysql_database.externally_configured(plan, {"MYSQL_UNIX_PORT": "/run/mysqld/mysqld.sock"})


@pytest.mark.parametrize("reads, takes_default", [((), True), (("MYSQL_HOST", "MYSQL_USER"), True),
                                                  (("DATABASE_URL",), False), (("DB_PORT",), False)])
def test_an_app_that_reads_no_port_gets_its_mysql_on_3306_when_it_is_free(reads, takes_default, monkeypatch):
    with socket.socket() as s:              # a port free now, standing in for 3306
        s.bind(("127.0.0.1", 0))
        default = s.getsockname()[1]
    monkeypatch.setattr(mysql_database, "DEFAULT_PORT", default)
    plan = dataclasses.replace(flask_wsgi(), env_vars=reads)
    assert (mysql_database.server_port(plan) == default) is takes_default
    with socket.socket() as held:
        held.bind(("127.0.0.1", default))
        held.listen()
        assert mysql_database.server_port(plan) != default


@pytest.mark.parametrize("url, parts", [
    ("mysql+pymysql://root:secret@localhost/notes", ("root", "secret", "notes", None)),
    ("mysql://shop:p%40ss@127.0.0.1:3306/shop", ("shop", "p@ss", "shop", 3306)),
    ("mariadb+mariadbconnector://u:p@localhost/app", ("u", "p", "app", None)),
    # a compose service's name: serve's MariaDB answers it (run/host_aliases.py maps it for pure-Python clients)
    ("mysql://u:p@db:3306/app", ("u", "p", "app", 3306)),
    ("postgresql://u:p@localhost/app", None),
    ("mysql://u:p@localhost:3306", None),              # no database: MySQL selects none
])
def test_a_mysql_url_on_this_machines_server_gives_its_parts(url, parts):
    assert parse_url(url, "mysql") == parts


def test_the_logins_a_mysql_app_writes(tmp_path):
    root = make_tree(tmp_path, {
        "config.py": "SQLALCHEMY_DATABASE_URI = 'mysql+pymysql://root:secret@localhost/notes'\n",
        "raw.py": "import pymysql\n"
                  "conn = pymysql.connect(host='localhost', user='shop', password='s3cret', database='shop')\n",
        "pg.py": "DATABASE = 'postgresql://pg:pg@localhost/pg'\n",
        "site/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'blog',\n"
                            "                         'USER': 'blog', 'PASSWORD': 'b', 'HOST': 'localhost'}}\n",
    })
    found = [(w.user, w.password, w.database, w.rel) for w in written_logins(Project(root), None, "mysql")]
    assert found == [("blog", "b", "blog", "site/settings.py"), ("root", "secret", "notes", "config.py"),
                     ("shop", "s3cret", "shop", "raw.py")]
    # PostgreSQL's logins stay PostgreSQL's
    assert [(w.user, w.rel) for w in written_logins(Project(root))] == [("pg", "pg.py")]


def test_a_flask_mysqldb_config_writes_its_login(tmp_path):
    root = make_tree(tmp_path, {
        "app.py": "from flask import Flask\nfrom flask_mysqldb import MySQL\napp = Flask(__name__)\n"
                  "app.config['MYSQL_HOST'] = 'localhost'\napp.config['MYSQL_USER'] = 'root'\n"
                  "app.config['MYSQL_PASSWORD'] = 'pw'\napp.config['MYSQL_DB'] = 'flaskapp'\nmysql = MySQL(app)\n",
        "other/config.py": "class Config:\n    MYSQL_DATABASE_USER = 'blog'\n    MYSQL_DATABASE_PASSWORD = 'b'\n"
                           "    MYSQL_DATABASE_DB = 'blog'\n    MYSQL_DATABASE_HOST = 'db.example.com'\n",
    })
    found = [(w.user, w.password, w.database, w.rel, w.line) for w in written_logins(Project(root), None, "mysql")]
    # another machine's server (a host not this one's) is not ours to make
    assert found == [("root", "pw", "flaskapp", "app.py", 4)]


def test_a_mysql_driver_nothing_selects_beside_sqlite_brings_no_server(tmp_path):
    # a tutorial's requirements.txt keeps mysqlclient "for later"; the app runs on its SQLite file
    root = make_tree(tmp_path / "app", {
        "requirements.txt": "flask\nflask-sqlalchemy\nmysqlclient\n",
        "app.py": "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\n"
                  "app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///app.db'\ndb = SQLAlchemy(app)\n",
    })
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.needs_mysql
    said = []
    with database.app_database(plan, root, say=said.append, environ={"PATH": "/bin"}) as db:
        assert not db.own and "DATABASE_URL" not in db.environ
    assert "nothing in the app selects MySQL" in said[0]
    # an app that imports its driver talks to MySQL, whatever else it writes
    (root / "report.py").write_text("import MySQLdb\n")
    assert mysql_database.unselected(make_plan(root, confirm=False, installed=False), root, {}) is None


def test_no_mariadb_installed_is_one_line_naming_the_package_and_the_opt_out(tmp_path, monkeypatch):
    monkeypatch.setattr(mariadb, "find_programs", lambda path=None: None)
    plan = _mysql(flask_wsgi(), "PyMySQL")
    with pytest.raises(ShipyardError) as exc:
        with database.app_database(plan, tmp_path, say=print, environ={"XDG_DATA_HOME": str(tmp_path)}):
            pass
    assert "needs MySQL" in exc.value.message and "not installed" in exc.value.message
    assert "apt-get install mariadb-server" in exc.value.hint and "--db none" in exc.value.hint
    # --db none: nothing to find
    with database.app_database(dataclasses.replace(plan, settings={**plan.settings, "db": "none"}), tmp_path,
                               say=print, environ={"PATH": "/bin"}) as db:
        assert not db.own


def test_the_programs_are_found_in_sbin_off_the_path(tmp_path, monkeypatch):
    # Debian puts mariadbd in /usr/sbin, which a normal user's PATH leaves out
    for folder, name in (("sbin", "mariadbd"), ("bin", "mariadb-install-db"), ("bin", "mariadb")):
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / name).write_text("#!/bin/sh\n")
        (tmp_path / folder / name).chmod(0o755)
    monkeypatch.setattr(mariadb, "SBIN", (str(tmp_path / "sbin"),))
    found = mariadb.find_programs(str(tmp_path / "bin"))
    assert found == mariadb.Programs(str(tmp_path / "sbin" / "mariadbd"),
                                     str(tmp_path / "bin" / "mariadb-install-db"), str(tmp_path / "bin" / "mariadb"))
    assert mariadb.find_programs(str(tmp_path / "nothing")) is None


def test_sql_literals_and_names_are_quoted():
    assert mariadb.literal("it's a \\ test") == "'it''s a \\\\ test'"
    assert mariadb.ident("we`ird") == "`we``ird`"


@pytest.mark.parametrize("name", ["DATABASE_URL_REMOTE", "DB_URL_ASYNC", "MYSQL_URI_DEV"])
def test_a_mysql_url_name_with_a_qualifier_after_it_is_the_url(name):
    assert mysql_database.variable_part(name) == "url"
