"""Database URL variables named with a word for "connection" in them (DATABASE_STRING_URL, DB_CONNECTION_URL) or
as a connection string (DATABASE_CONNECTION_STRING, DB_CONN_STR) get the URL of the database serve runs, as
DATABASE_URL does (run/database.py, run/mysql_database.py)."""

from __future__ import annotations

import dataclasses

import pytest

from plans import flask_wsgi
from shipyard.run import database, mysql_database

PARTS = {"host": "127.0.0.1", "port": "41000", "user": "app", "password": "pw", "database": "app"}


@pytest.mark.parametrize("name", ["DATABASE_STRING_URL", "DB_CONNECTION_URL", "DB_CONN_URI",
                                  "DATABASE_CONNECTION_STRING", "DB_CONN_STR", "POSTGRES_CONNECTION_STRING"])
def test_a_connection_url_under_a_longer_name_gets_the_running_postgres_url(name):
    url = "postgresql://app:pw@127.0.0.1:41000/app"
    assert database.variable_part(name) == "url"
    plan = dataclasses.replace(flask_wsgi(), env_vars=(name,))
    assert database.connection_env(plan, PARTS, url)[name] == url


def test_a_2022_starlette_apps_database_string_url_gets_the_running_mariadb_url():
    # starlette.config's config('DATABASE_STRING_URL') with no default, a PyMySQL engine on it
    url = "mysql+pymysql://app:pw@127.0.0.1:41000/app"
    plan = dataclasses.replace(flask_wsgi(), env_vars=("DATABASE_STRING_URL",))
    assert mysql_database.connection_env(plan, PARTS, url, "/s")["DATABASE_STRING_URL"] == url


@pytest.mark.parametrize("name", ["DATABASE_STRING", "CONNECTION_STRING", "DB_STRING_LENGTH", "REDIS_CONNECTION_URL"])
def test_other_names_are_not_the_database_url(name):
    assert database.variable_part(name) != "url" and mysql_database.variable_part(name) != "url"
