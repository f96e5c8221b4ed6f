"""The scheme of the PostgreSQL URL Shipyard gives an app (DATABASE_URL under `serve`, in compose's shipyard.env
and the Kubernetes overlay's secrets): the one the libraries that read it accept.
"""

from __future__ import annotations

from .detect.implied import extra_drivers
from .plan import Plan

# SQLAlchemy takes the driver from the URL's scheme, and 2.1 made psycopg (3) the one a plain postgresql:// loads:
# an app that declares only psycopg2 (most written before 2025) names its driver. Django (dj-database-url) and
# libpq itself take only the plain scheme, so apps without SQLAlchemy keep it.
SQLALCHEMY_USERS = frozenset({"sqlalchemy", "flask-sqlalchemy", "sqlmodel", "flask-migrate", "alembic"})
# libraries that read the same URL themselves and accept only the plain scheme (asyncpg: "invalid DSN")
OTHER_READERS = frozenset({"asyncpg", "databases", "tortoise-orm", "peewee", "pony", "gino", "ormar",
                           "dj-database-url", "records"})
DRIVER_SCHEMES = (("postgresql+psycopg2", frozenset({"psycopg2", "psycopg2-binary"})),
                  ("postgresql+psycopg", frozenset({"psycopg", "psycopg-binary", "psycopg-c"})))


def url_scheme(plan: Plan) -> str:
    """The scheme the app's own URLs write (postgresql+asyncpg), else postgresql, or postgresql+DRIVER for an
    SQLAlchemy app that has one PostgreSQL driver of the two; postgres for a Tortoise ORM or Django app."""
    names = {d.name.lower().replace("_", "-") for d in plan.dependencies}
    # drivers a requirement's extras install (sqlalchemy[postgresql-psycopg]: psycopg)
    names |= {x.lower() for d in plan.dependencies for x in extra_drivers(d.name, d.spec)}
    if "tortoise-orm" in names:
        return "postgres"     # Tortoise ORM knows postgres://, asyncpg://, psycopg://; "Unknown DB scheme: postgresql"
    if plan.framework == "django":
        # Heroku's scheme: every Django URL reader takes it (dj-database-url, django-environ, libpq), and
        # settings written for Heroku test DATABASE_URL.startswith("postgres://"); a dialect+driver scheme
        # written elsewhere in the project (a snapshot tool's config) is SQLAlchemy's, which Django's refuse
        return "postgres"
    written = next((s.scheme for s in plan.services if s.name == "postgres" and s.scheme), "")
    if written and names & SQLALCHEMY_USERS:
        return written        # the driver the app's own URLs name (postgresql+asyncpg for an async engine)
    if not names & SQLALCHEMY_USERS or names & OTHER_READERS:
        return "postgresql"
    found = [scheme for scheme, drivers in DRIVER_SCHEMES if names & drivers]
    return found[0] if len(found) == 1 else "postgresql"
