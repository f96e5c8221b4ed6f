"""Which DATABASES['default'] serve points at its own database: a host of the server's kind that does not resolve
here (a compose service), never this machine's, serve's own, a socket folder, or a host that resolves."""

import pytest

from shipyard.run.django_database import unreachable_host

PG = "django.db.backends.postgresql"


@pytest.mark.parametrize("found, label, expected", [
    ({"ENGINE": PG, "HOST": "db", "PORT": "5432"}, "PostgreSQL", "db"),
    ({"ENGINE": "django.contrib.gis.db.backends.postgis", "HOST": "postgres-db"}, "PostgreSQL", "postgres-db"),
    ({"ENGINE": "django.db.backends.postgresql_psycopg2", "HOST": "vcp.abc.invalid"}, "PostgreSQL",
     "vcp.abc.invalid"),
    ({"ENGINE": "django.db.backends.mysql", "HOST": "mysql"}, "MariaDB", "mysql"),
    # this machine, serve's own, libpq's socket folder, none written (libpq's PGHOST)
    ({"ENGINE": PG, "HOST": "localhost"}, "PostgreSQL", None),
    ({"ENGINE": PG, "HOST": "127.0.0.1"}, "PostgreSQL", None),
    ({"ENGINE": PG, "HOST": "/var/run/postgresql"}, "PostgreSQL", None),
    ({"ENGINE": PG, "HOST": ""}, "PostgreSQL", None),
    # another server's engine: not the database serve runs
    ({"ENGINE": "django.db.backends.sqlite3", "HOST": "db"}, "PostgreSQL", None),
    ({"ENGINE": PG, "HOST": "db"}, "MariaDB", None),
    # the settings could not be read
    (None, "PostgreSQL", None),
])
def test_the_host_serve_points_at_its_own_database(found, label, expected):
    assert unreachable_host(found, label, "127.0.0.1") == expected


def test_a_host_that_resolves_is_the_users_and_left_alone(monkeypatch):
    monkeypatch.setattr("shipyard.run.django_database.resolves", lambda host: host == "pg.example.org")
    assert unreachable_host({"ENGINE": PG, "HOST": "pg.example.org"}, "PostgreSQL", "127.0.0.1") is None
    assert unreachable_host({"ENGINE": PG, "HOST": "db"}, "PostgreSQL", "127.0.0.1") == "db"
