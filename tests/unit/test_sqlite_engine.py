"""An engine only SQLite can back (connect_args check_same_thread) gets no PostgreSQL, whatever a freeze declares."""

from __future__ import annotations

from conftest import make_tree
from shipyard.detect.services import services
from shipyard.detect.sqlite_engine import sqlite_only_engine
from shipyard.plan import Dependency
from shipyard.project import Project

PSYCOPG2 = (Dependency("psycopg2-binary", "==2.9.3", "requirements.txt"),)

BASE = '''import os
from sqlalchemy import create_engine

engine = create_engine(os.getenv("SQLALCHEMY_DATABASE_URI"), connect_args={"check_same_thread": False})
'''
# the env file the author committed: SQLite, with a PostgreSQL URL commented out for later
ENV = "SQLALCHEMY_DATABASE_URI=sqlite:///todo.db\n#POSTGRES_DB=postgresql+psycopg2://postgres:pw@localhost/base\n"


def test_an_engine_with_sqlite_only_connect_args_gets_no_postgres_from_a_freezes_driver(tmp_path):
    project = Project(make_tree(tmp_path, {"todo/base.py": BASE, ".env": ENV}))
    assert sqlite_only_engine(project) == "create_engine(...) with connect_args check_same_thread in todo/base.py line 4"
    assert services(project, PSYCOPG2) == ()


def test_an_engine_that_chooses_its_connect_args_by_the_url_still_gets_postgres(tmp_path):
    chosen = BASE.replace('connect_args={"check_same_thread": False}',
                          'connect_args={"check_same_thread": False} if URL.startswith("sqlite") else {}')
    project = Project(make_tree(tmp_path, {"todo/base.py": chosen, ".env": ENV}))
    assert sqlite_only_engine(project) == ""
    assert [s.name for s in services(project, PSYCOPG2)] == ["postgres"]


def test_code_that_imports_the_server_driver_itself_still_gets_postgres(tmp_path):
    project = Project(make_tree(tmp_path, {"todo/base.py": BASE, "todo/report.py": "import psycopg2\n", ".env": ENV}))
    assert [s.name for s in services(project, PSYCOPG2)] == ["postgres"]


def test_a_written_sqlite_cache_engine_beside_one_on_the_apps_url_says_nothing_of_the_apps_database(tmp_path):
    two = ('import os\nfrom sqlalchemy import create_engine\n'
           'cache = create_engine("sqlite:///cache.db", connect_args={"check_same_thread": False})\n'
           'engine = create_engine(os.environ["DATABASE_URL"])\n')
    project = Project(make_tree(tmp_path, {"db.py": two}))
    assert sqlite_only_engine(project) == ""
    assert [s.name for s in services(project, PSYCOPG2)] == ["postgres"]
