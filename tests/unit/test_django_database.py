"""Which DATABASES['default'] serve points at its own database: a host of the server's kind that does not resolve
here (a compose service), never this machine's, serve's own, a socket folder, or a host that resolves."""

import pytest

from shipyard.run.django_database import misdirected

PG = "django.db.backends.postgresql"


OURS = {"host": "127.0.0.1", "port": "5433"}
UNRESOLVED = "which does not resolve here"
ELSEWHERE = "where the app's own PostgreSQL does not listen"


@pytest.mark.parametrize("found, label, expected", [
    ({"ENGINE": PG, "HOST": "db", "PORT": "5432"}, "PostgreSQL", "host 'db', " + UNRESOLVED),
    ({"ENGINE": "django.contrib.gis.db.backends.postgis", "HOST": "postgres-db"}, "PostgreSQL", UNRESOLVED),
    ({"ENGINE": "django.db.backends.postgresql_psycopg2", "HOST": "vcp.abc.invalid"}, "PostgreSQL", UNRESOLVED),
    ({"ENGINE": "django.db.backends.mysql", "HOST": "mysql"}, "MariaDB", UNRESOLVED),
    # this machine on a port written where serve's server does not listen (another program holds 5432)
    ({"ENGINE": PG, "HOST": "localhost", "PORT": "5432"}, "PostgreSQL", "port 5432 on this machine, " + ELSEWHERE),
    ({"ENGINE": PG, "HOST": "", "PORT": "5432"}, "PostgreSQL", ELSEWHERE),
    # this machine where serve listens, serve's own, libpq's socket folder, none written (libpq's PGHOST)
    ({"ENGINE": PG, "HOST": "localhost"}, "PostgreSQL", None),
    ({"ENGINE": PG, "HOST": "localhost", "PORT": "5433"}, "PostgreSQL", None),
    ({"ENGINE": PG, "HOST": "127.0.0.1"}, "PostgreSQL", None),
    ({"ENGINE": PG, "HOST": "/var/run/postgresql", "PORT": "5432"}, "PostgreSQL", None),
    ({"ENGINE": PG, "HOST": ""}, "PostgreSQL", None),
    # another server's engine: not the database serve runs
    ({"ENGINE": "django.db.backends.sqlite3", "HOST": "db"}, "PostgreSQL", None),
    ({"ENGINE": PG, "HOST": "db"}, "MariaDB", None),
    # the settings could not be read
    (None, "PostgreSQL", None),
])
def test_what_serve_points_at_its_own_database(found, label, expected):
    why = misdirected(found, label, OURS)
    assert why == expected if expected is None else expected in why


def test_a_host_that_resolves_is_the_users_and_left_alone(monkeypatch):
    monkeypatch.setattr("shipyard.run.django_database.resolves", lambda host: host == "pg.example.org")
    assert misdirected({"ENGINE": PG, "HOST": "pg.example.org"}, "PostgreSQL", OURS) is None
    assert UNRESOLVED in misdirected({"ENGINE": PG, "HOST": "db"}, "PostgreSQL", OURS)


def test_models_of_postgres_fields_on_settings_of_sqlite_are_pointed_at_serves_postgresql(tmp_path):
    # a 2019 conference app: its committed settings say SQLite (the author's uncommitted local.py said PostgreSQL),
    # its models a JSONField of django.contrib.postgres: migrate failed ("Cannot quote parameter value")
    from shipyard.run.django_database import postgres_models_on_sqlite
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "HOST": "", "PORT": ""}
    (tmp_path / "main" / "migrations").mkdir(parents=True)
    (tmp_path / "manage.py").write_text("import django\n")
    (tmp_path / "main" / "__init__.py").write_text("")
    (tmp_path / "main" / "models.py").write_text("from django.db import models\n\n\nclass Room(models.Model):\n"
                                                 "    name = models.CharField(max_length=9)\n")
    assert postgres_models_on_sqlite(tmp_path, sqlite, "PostgreSQL") is None      # plain models: SQLite is fine
    (tmp_path / "main" / "migrations" / "0002_geometry.py").write_text(
        "import django.contrib.postgres.fields.jsonb\nfrom django.db import migrations\n")
    (tmp_path / "main" / "models.py").write_text("from django.contrib.postgres.fields import JSONField\n"
                                                 "from django.db import models\n\n\nclass Room(models.Model):\n"
                                                 "    geometry = JSONField(default=dict)\n")
    why, engine = postgres_models_on_sqlite(tmp_path, sqlite, "PostgreSQL")
    assert engine == PG and why.startswith("use SQLite, while main/models.py:1 imports django.contrib.postgres"), why
    # settings of PostgreSQL already, another server of serve's, or settings that could not be read: left alone
    assert postgres_models_on_sqlite(tmp_path, {"ENGINE": PG, "HOST": ""}, "PostgreSQL") is None
    assert postgres_models_on_sqlite(tmp_path, sqlite, "MariaDB") is None
    assert postgres_models_on_sqlite(tmp_path, None, "PostgreSQL") is None
