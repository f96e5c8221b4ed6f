"""Variables an app passes as the keywords of a SQL connect call (`SimpleMysql(host=os.environ.get('DB_MASTER_HOST'),
port=int(os.environ.get('DB_MASTER_PORT')), db=..., user=..., passwd=...)`, a wrapper around MySQLdb) are parts of
its database login, whatever their names: serve points them at its own database. Before, DB_MASTER_HOST kept the
example env file's 10.5.23.15 and each request waited for a connection timeout."""

from __future__ import annotations

import dataclasses

from shipyard.detect.db_part_vars import database_part_variables
from shipyard.plan import Service
from shipyard.project import Project
from shipyard.run import database, mysql_database

from conftest import make_tree
from plans import flask_wsgi
from test_connection_url_names import PARTS

WRAPPER = """\
import os
import MySQLdb


class SimpleMysql:
    def __init__(self, **kwargs):
        self.conn = MySQLdb.connect(**kwargs)


def get_db():
    return SimpleMysql(host=os.environ.get('DB_MASTER_HOST'), port=int(os.environ.get('DB_MASTER_PORT')),
                       db=os.environ.get('DB_MASTER_DBNAME'), user=os.environ.get('DB_MASTER_UID'),
                       passwd=os.environ.get('DB_MASTER_PWD'))
"""


def test_connect_keywords_in_a_module_importing_a_driver_are_login_parts(tmp_path):
    root = make_tree(tmp_path / "a", {"dao/__init__.py": "", "dao/simplemysql.py": WRAPPER})
    assert database_part_variables(Project(root)) == (
        ("DB_MASTER_DBNAME", "database"), ("DB_MASTER_HOST", "host"), ("DB_MASTER_PORT", "port"),
        ("DB_MASTER_PWD", "password"), ("DB_MASTER_UID", "user"))


def test_connect_keywords_given_names_read_once_from_the_environment_are_login_parts(tmp_path):
    # a 2025 FastAPI API: db/connection.py reads lower-case variables of a gitignored .env into module-level names
    # (`user_name = os.getenv("user")`) and connects with mysql.connector at import: serve gives them its MariaDB's
    # login (before, the import stopped with "Access denied for user 'root'"); a name bound twice is not followed
    root = make_tree(tmp_path / "m", {
        "db/connection.py": "import os\nimport mysql.connector\n\nuser_name = os.getenv('user')\n"
                            "secret = os.getenv('password') or ''\nname = str(os.getenv('database'))\n"
                            "where = os.getenv('SHOP_HOST')\nwhere = where or 'localhost'\n"
                            "connection = mysql.connector.connect(host=where, user=user_name, password=secret, "
                            "database=name)\n"})
    assert database_part_variables(Project(root)) == (
        ("database", "database"), ("password", "password"), ("user", "user"))


def test_a_redis_client_and_a_module_without_a_driver_give_none(tmp_path):
    root = make_tree(tmp_path / "b", {
        "cache.py": "import os\nimport redis\nimport pymysql\nr = redis.Redis(host=os.environ['REDIS_HOST'], "
                    "port=int(os.environ['REDIS_PORT']), db=0, password=os.environ['REDIS_PASSWORD'])\n",
        "other.py": "import os\ndef f(connect):\n    return connect(host=os.environ['H'], user=os.environ['U'], "
                    "db=os.environ['D'])\n"})
    assert database_part_variables(Project(root)) == ()


def test_a_peewee_databases_name_and_keywords_read_from_variables_are_login_parts(tmp_path):
    # a 2019 bootcamp app: models.py `db = PostgresqlExtDatabase(os.getenv('DATABASE'))`, DATABASE a database's name
    # from a gitignored .env: serve gives it its own database's name (before, peewee stopped every request with
    # "database must be initialized"); MySQLDatabase's keywords name the other parts. A module without peewee's
    # import, or a class of another library, says nothing
    root = make_tree(tmp_path / "p", {
        "models.py": "import os\nimport peewee as pw\nfrom playhouse.postgres_ext import PostgresqlExtDatabase\n"
                     "db = PostgresqlExtDatabase(os.getenv('DATABASE'))\n",
        "shop.py": "import os\nfrom peewee import MySQLDatabase\ndb = MySQLDatabase(os.environ['SHOP_DB'], "
                   "user=os.environ.get('SHOP_USER'), host=os.getenv('SHOP_HOST'), port=int(os.getenv('SHOP_PORT')))\n",
        "other.py": "import os\nfrom mylib import PostgresqlDatabase\ndb = PostgresqlDatabase(os.getenv('OTHER'))\n"})
    assert database_part_variables(Project(root)) == (
        ("DATABASE", "database"), ("SHOP_DB", "database"), ("SHOP_HOST", "host"), ("SHOP_PORT", "port"),
        ("SHOP_USER", "user"))


def test_a_pony_binds_keywords_read_from_a_config_modules_variables_are_login_parts(tmp_path):
    # a 2026 Falcon app: app/db/database.py `db.bind(provider=config.PROVIDER, user=config.USER, ...)`, each a
    # name app/config/config.py reads from a lower-case variable of a gitignored .env (`USER = os.getenv("user")`):
    # serve gives them its own database's parts, as a Django DATABASES entry's or a driver's keywords get them
    root = make_tree(tmp_path / "p", {
        "app/__init__.py": "", "app/config/__init__.py": "", "app/db/__init__.py": "",
        "app/config/config.py": "import os\nPROVIDER = os.getenv('provider')\nUSER = os.getenv('user')\n"
                                "PASSWORD = os.getenv('password')\nHOST = os.getenv('host')\n"
                                "PORT = os.getenv('port', '5432')\nDBNAME = os.getenv('dbname')\n",
        "app/db/database.py": "from pony.orm import Database\nfrom app.config import config\n\n\ndef init_db():\n"
                              "    db = Database()\n    db.bind(provider=config.PROVIDER, user=config.USER, "
                              "password=config.PASSWORD,\n            host=config.HOST, port=int(config.PORT), "
                              "database=config.DBNAME, sslmode='require')\n    return db\n",
        # the same, through a module-level name and a config class in the module itself, and a relative import
        "shop/settings.py": "import os\nDB_USER = os.environ.get('SHOP_USER')\n",
        "shop/models.py": "import os\nfrom pony import orm\nfrom . import settings\nNAME = os.getenv('SHOP_DB')\n\n\n"
                          "class Conf:\n    HOST = os.environ['SHOP_HOST']\n\n\n"
                          "db = orm.Database('postgres', user=settings.DB_USER, database=NAME, host=Conf.HOST)\n",
        # a module without Pony's import, or a socket's bind(), says nothing
        "other.py": "import os\nimport socket\nfrom app.config import config\n"
                    "socket.socket().bind(host=config.HOST, user=os.getenv('OTHER'))\n"})
    parts = database_part_variables(Project(root))
    assert parts == (
        ("SHOP_DB", "database"), ("SHOP_HOST", "host"), ("SHOP_USER", "user"), ("dbname", "database"),
        ("host", "host"), ("password", "password"), ("port", "port"), ("provider", "provider"), ("user", "user"))
    # serve gives each its own server's value, the provider Pony's name for it (else "Provider name should be
    # string"), as it gives a URL's scheme; a MariaDB's is "mysql"
    plan = dataclasses.replace(flask_wsgi(), services=(Service("postgres", "psycopg2", parts=parts),),
                               env_vars=tuple(name for name, _ in parts))
    url = "postgresql://app:pw@127.0.0.1:41000/app"
    env = database.connection_env(plan, PARTS, url)
    assert {k: env[k] for k in ("provider", "user", "password", "host", "port", "dbname")} == {
        "provider": "postgres", "user": "app", "password": "pw", "host": "127.0.0.1", "port": "41000",
        "dbname": "app"}
    assert mysql_database.connection_env(plan, PARTS, "mysql+pymysql://app:pw@127.0.0.1:41000/app", "/s")[
        "provider"] == "mysql"
    # a listing of the names (no URL yet) gives no provider
    assert "provider" not in database.connection_env(plan, PARTS, "")
