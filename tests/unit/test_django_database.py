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
