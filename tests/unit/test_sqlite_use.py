"""detect/sqlite_use: the SQLite file an app keeps its data in, read from its code and config files."""

from __future__ import annotations

from conftest import make_tree
from shipyard.detect.sqlite_use import sqlite_use
from shipyard.project import Project


def _use(tmp_path, files):
    return sqlite_use(Project(make_tree(tmp_path / "app", files)))


def test_a_sqlite_url_in_config_code(tmp_path):
    assert _use(tmp_path, {"config.py": 'SQLALCHEMY_DATABASE_URI = "sqlite:///app.db"\n'}) == "sqlite:// URL in config.py"


def test_an_env_read_with_a_sqlite_default_and_an_async_driver(tmp_path):
    files = {"settings.py": 'import os\nDB_URL = os.getenv("DB_URL", "sqlite+aiosqlite:///test.sqlite")\n'}
    assert _use(tmp_path, files) == "sqlite+aiosqlite:// URL in settings.py"


def test_djangos_sqlite3_backend(tmp_path):
    files = {"mysite/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n"}
    assert _use(tmp_path, files) == "Django's sqlite3 backend in mysite/settings.py"


def test_calls_that_open_a_database_file(tmp_path):
    assert _use(tmp_path, {"db.py": "import sqlite3\n\nconn = sqlite3.connect('data.db')\n"}) == "sqlite3.connect(...) in db.py"
    assert _use(tmp_path / "b", {"models.py": "from peewee import SqliteDatabase\n\ndb = SqliteDatabase('x.db')\n"}) \
        == "peewee.SqliteDatabase(...) in models.py"


def test_an_app_on_postgresql_only_writes_no_sqlite_file(tmp_path):
    files = {"config.py": 'import os\nDATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://localhost/app")\n'}
    assert _use(tmp_path, files) == ""
