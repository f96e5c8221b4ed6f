"""libpq's keyword/value connection string (`host=localhost port=5432 user=app password=blah dbname=app`), which
psycopg2.connect() and its connection pools take as they take a URL. A 2023 Flask app reads it from the
environment with that default (`os.environ.get("POSTGRES_CONNECTION_PARAMETERS", default="host=localhost ...")`)
and opens a SimpleConnectionPool with it at import: serve's PostgreSQL made no such role or database, the
import failed ("connection to server at localhost, port 5432 failed"). The string is now read as the URL's
parts are (detect/written_urls.py): serve's database gets that role, password and database."""

from __future__ import annotations

import pytest

from conftest import make_tree
from shipyard.detect.written_urls import parse_url, written_logins
from shipyard.project import Project

APP = '''\
import os

import psycopg2.pool
from flask import Flask

app = Flask(__name__)
app.config.from_mapping(
    SECRET_KEY=os.environ.get("SECRET_KEY", default="changeme!"),
    POSTGRES_CONNECTION_PARAMETERS=os.environ.get(
        "POSTGRES_CONNECTION_PARAMETERS",
        default="{conninfo}",
    ),
)
pool = psycopg2.pool.SimpleConnectionPool(1, 20, app.config["POSTGRES_CONNECTION_PARAMETERS"])
'''


@pytest.mark.parametrize("conninfo, parts", [
    ("host=localhost port=5432 user=textline password=blah dbname=textline", ("textline", "blah", "textline", 5432)),
    ("dbname=app user=owner password='a b\\'c'", ("owner", "a b'c", "app", None)),   # a quoted value
    ("user=owner host=127.0.0.1", ("owner", "", "owner", None)),       # no dbname: the one named as the user
    ("dbname=app", ("", "", "app", None)),                              # libpq's defaults: serve's own role
    ("host=db.example.com dbname=app user=u", None),                    # another machine's server
    ("port=abc dbname=app", None),
    ("user=owner", None),                                               # one pair says too little
    ("colour=blue dbname=app", None),                                   # not libpq's keywords
    ("hello world", None),
])
def test_a_conninfo_string_gives_its_parts(conninfo, parts):
    assert parse_url(conninfo) == parts


def test_an_env_reads_conninfo_default_is_the_apps_login(tmp_path):
    root = make_tree(tmp_path / "textline", {
        "app.py": APP.format(conninfo="host=localhost port=5432 user=textline password=blah dbname=textline")})
    found = [(w.user, w.password, w.database, w.port, w.via) for w in written_logins(Project(root))]
    assert found == [("textline", "blah", "textline", 5432, "POSTGRES_CONNECTION_PARAMETERS")]


def test_its_variable_is_given_a_url_libpq_reads_when_5432_is_taken(tmp_path):
    from shipyard.run.database import repointed
    root = make_tree(tmp_path / "textline", {
        "app.py": APP.format(conninfo="host=localhost port=5432 user=textline password=blah dbname=textline")})
    given = repointed(written_logins(Project(root)), 25432, "postgresql+psycopg2", {})
    assert given == {"POSTGRES_CONNECTION_PARAMETERS": "postgresql://textline:blah@127.0.0.1:25432/textline"}


def test_a_connect_call_on_a_constant_imported_under_a_name_that_says_no_url_is_the_apps_login(tmp_path):
    # config.py's `postgres_query = "dbname=... user=postgres password=..."`, opened at import by another module's
    # psycopg2.connect(postgres_query): neither place was read (the name says no URL, the call takes a bare name),
    # so serve's PostgreSQL had no such password and the import failed ("password authentication failed")
    files = {"config.py": 'postgres_query = "dbname=media_db user=postgres password=testtest"\n',
             "database/__init__.py": "",
             "database/postgres.py": "import psycopg2\n\nfrom config import postgres_query\n\n"
                                     "conn = psycopg2.connect(postgres_query)\n"}
    found = written_logins(Project(make_tree(tmp_path / "imported", files)))
    assert [(w.user, w.password, w.database, w.rel) for w in found] == [
        ("postgres", "testtest", "media_db", "database/postgres.py")]
    # the module's own constant, and a URL: the same
    same = {"db.py": "import psycopg2\nQUERY = 'postgresql://app:pw@localhost/shop'\nconn = psycopg2.connect(QUERY)\n"}
    assert [(w.user, w.password, w.database) for w in written_logins(Project(make_tree(tmp_path / "own", same)))] \
        == [("app", "pw", "shop")]
    # a name the call does not connect with (a log line) stays unread
    other = {"db.py": "QUERY = 'dbname=shop user=app password=pw'\nprint(QUERY)\n"}
    assert written_logins(Project(make_tree(tmp_path / "other", other))) == []
