"""Plans built by hand, for render tests that must not depend on the detectors."""

from __future__ import annotations

from typing import Any

from shipyard.detect.deps import SERVER_SOURCE, server_requirements
from shipyard.plan import Dependency, Entry, Plan, PythonVersion, Release, Service, StaticDir, SystemPackages
from shipyard.settings import SETTINGS


def settings(**changes: Any) -> dict[str, Any]:
    return {**{s.name: s.default for s in SETTINGS}, **changes}


def server(changes: dict[str, Any], interface: str) -> tuple[Dependency, ...]:
    """The server packages the planner adds (deps.merge), for the server these settings choose."""
    name = settings(**changes)["server"]
    return tuple(Dependency(dist, spec, f"{SERVER_SOURCE} ({name}, {interface.upper()})", True)
                 for dist, spec in server_requirements(name, interface))


def flask_wsgi(**changes: Any) -> Plan:
    """A Flask app in app.py, requirements.txt declared, static folder."""
    return Plan(
        name="hello", framework="flask",
        entry=Entry(module="app", attr="app", kind="attribute", interface="wsgi"),
        workdir=".", python=PythonVersion("3.11", "default"),
        dependencies=(Dependency("Flask", "==3.0.3", "requirements.txt"),) + server(changes, "wsgi"),
        dependency_files=("requirements.txt",), dependencies_inferred=False,
        services=(), env_vars=("SECRET_KEY",),
        static=(StaticDir("/static/", "static"),),
        system_packages=SystemPackages(), settings=settings(**changes))


def django_postgres(**changes: Any) -> Plan:
    """A Django project with collected static files and PostgreSQL through psycopg2-binary."""
    return Plan(
        name="mysite", framework="django",
        entry=Entry(module="mysite.wsgi", attr="application", kind="django", interface="wsgi",
                    settings_module="mysite.settings"),
        workdir=".", python=PythonVersion("3.12", ".python-version"),
        dependencies=(Dependency("Django", ">=5.0,<6", "requirements.txt"),
                      Dependency("psycopg2-binary", "==2.9.9", "requirements.txt")) + server(changes, "wsgi"),
        dependency_files=("requirements.txt",), dependencies_inferred=False,
        services=(Service("postgres", "psycopg2-binary in requirements.txt"),),
        env_vars=("DATABASE_URL", "SECRET_KEY"),
        static=(StaticDir("/static/", "staticfiles"),),
        system_packages=SystemPackages(), settings=settings(**changes),
        release=Release(("python", "-m", "django", "migrate", "--noinput"), ".", "Django migrate"))


def django_hosts(**changes: Any) -> Plan:
    """A Django project whose settings read DOMAIN (one host) and EXTRA_HOSTS (a comma list) into ALLOWED_HOSTS."""
    return Plan(
        name="cms", framework="django",
        entry=Entry(module="backend.wsgi", attr="application", kind="django", interface="wsgi",
                    settings_module="backend.settings"),
        workdir=".", python=PythonVersion("3.12", "default"),
        dependencies=(Dependency("Django", ">=5.0,<6", "requirements.txt"),) + server(changes, "wsgi"),
        dependency_files=("requirements.txt",), dependencies_inferred=False,
        services=(), env_vars=("DOMAIN", "EXTRA_HOSTS", "SECRET_KEY"), static=(),
        system_packages=SystemPackages(), settings=settings(**changes),
        release=Release(("python", "-m", "django", "migrate", "--noinput"), ".", "Django migrate"),
        hosts_variables=(("DOMAIN", ""), ("EXTRA_HOSTS", ",")))


def fastapi_asgi(**changes: Any) -> Plan:
    """A FastAPI app in src/, dependencies inferred from imports (requirements.txt generated)."""
    return Plan(
        name="api", framework="fastapi",
        entry=Entry(module="main", attr="app", kind="attribute", interface="asgi"),
        workdir="src", python=PythonVersion("3.12", "default"),
        dependencies=(Dependency("fastapi", "==0.115.0", "import fastapi in src/main.py", inferred=True),) + server(changes, "asgi"),
        dependency_files=(), dependencies_inferred=True,
        services=(), env_vars=(), static=(), system_packages=SystemPackages(), settings=settings(**changes))


def flask_libpq(**changes: Any) -> Plan:
    """A Flask factory app using psycopg2 (built from source: libpq-dev and gcc to build, libpq5 to run)."""
    return Plan(
        name="shop", framework="flask",
        entry=Entry(module="shop", attr="create_app()", kind="factory", interface="wsgi"),
        workdir=".", python=PythonVersion("3.11", "requires-python in pyproject.toml"),
        dependencies=(Dependency("flask", ">=3", "pyproject.toml"), Dependency("psycopg2", ">=2.9", "pyproject.toml"),
                      Dependency("Flask-Migrate", "", "pyproject.toml")) + server(changes, "wsgi"),
        dependency_files=("pyproject.toml",), dependencies_inferred=False,
        services=(Service("postgres", "psycopg2 in pyproject.toml"),),
        env_vars=("DATABASE_URL",), static=(),
        system_packages=SystemPackages(build=("gcc", "libpq-dev"), runtime=("libpq5",),
                                       reasons=("psycopg2 builds against libpq",)),
        settings=settings(**changes),
        release=Release(("python", "-m", "flask", "db", "upgrade"), ".", "Flask-Migrate (flask db upgrade)",
                        env=(("FLASK_APP", "shop:create_app()"),)))


def flask_redis(**changes: Any) -> Plan:
    """A Flask app that keeps a counter in Redis, reading REDIS_HOST/REDIS_PORT and a Flask-Caching URL,
    with a declared release command (a one-off that also needs its Redis)."""
    return Plan(
        name="counter", framework="flask",
        entry=Entry(module="app", attr="app", kind="attribute", interface="wsgi"),
        workdir=".", python=PythonVersion("3.12", "default"),
        dependencies=(Dependency("flask", "", "requirements.txt"), Dependency("redis", ">=5", "requirements.txt"))
        + server(changes, "wsgi"),
        dependency_files=("requirements.txt",), dependencies_inferred=False,
        services=(Service("redis", "redis in requirements.txt"),),
        env_vars=("CACHE_REDIS_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_SOCKET", "SECRET_KEY"), static=(),
        system_packages=SystemPackages(), settings=settings(**changes),
        release=Release(("python", "warm_cache.py"), ".", "warm the cache", declared=True))


def flask_mysql(**changes: Any) -> Plan:
    """A Flask-SQLAlchemy app on MySQL through PyMySQL, reading DATABASE_URL and MYSQL_HOST/MYSQL_PORT/MYSQL_PASSWORD,
    with Flask-Migrate's upgrade as its release."""
    return Plan(
        name="notes", framework="flask",
        entry=Entry(module="app", attr="app", kind="attribute", interface="wsgi"),
        workdir=".", python=PythonVersion("3.12", "default"),
        dependencies=(Dependency("flask", "", "requirements.txt"), Dependency("flask-sqlalchemy", "", "requirements.txt"),
                      Dependency("flask-migrate", "", "requirements.txt"), Dependency("PyMySQL", "", "requirements.txt"))
        + server(changes, "wsgi"),
        dependency_files=("requirements.txt",), dependencies_inferred=False,
        services=(Service("mysql", "PyMySQL in requirements.txt"),),
        env_vars=("DATABASE_URL", "MYSQL_HOST", "MYSQL_PORT", "MYSQL_PASSWORD", "SECRET_KEY"), static=(),
        system_packages=SystemPackages(), settings=settings(**changes),
        release=Release(("python", "-m", "flask", "db", "upgrade"), ".", "Flask-Migrate's upgrade",
                        env=(("FLASK_APP", "app:app"),)))


ALL = {"flask_wsgi": flask_wsgi, "django_postgres": django_postgres, "fastapi_asgi": fastapi_asgi,
       "flask_libpq": flask_libpq, "flask_redis": flask_redis, "flask_mysql": flask_mysql}
