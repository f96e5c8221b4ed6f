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


PG_FIELDS_APP = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'conf.settings')\n",
    "conf/__init__.py": "",
    "conf/settings.py": ("SECRET_KEY = 'x'\nINSTALLED_APPS = ['django.contrib.postgres', 'rooms']\n"
                         "ROOT_URLCONF = 'conf.urls'\n"
                         "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3',\n"
                         "                         'OPTIONS': {'timeout': 20}, 'CONN_MAX_AGE': 60}}\n"),
    "conf/urls.py": "urlpatterns = []\n",
    "conf/wsgi.py": ("import os\nfrom django.core.wsgi import get_wsgi_application\n"
                     "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'conf.settings')\n"
                     "application = get_wsgi_application()\n"),
    "rooms/__init__.py": "",
    "rooms/models.py": ("from django.contrib.postgres.fields import ArrayField\nfrom django.db import models\n\n\n"
                        "class Room(models.Model):\n    tags = ArrayField(models.CharField(max_length=20))\n"),
    "requirements.txt": "Django==4.2.16\npsycopg2-binary==2.9.9\n",
}


def test_the_image_runs_models_of_postgres_fields_on_the_stacks_postgresql(tmp_path):
    # committed settings of SQLite, models of django.contrib.postgres's fields (the author's local settings said
    # PostgreSQL): serve runs them on its own PostgreSQL, but the image kept SQLite, so the compose stack's release
    # (migrate) failed at the first such field although the stack has a PostgreSQL and gives the app DATABASE_URL.
    # The image now loads serve's settings module over the app's, which takes DATABASES['default'] from it
    import json
    import subprocess
    import sys

    from conftest import make_tree
    from shipyard.planner import make_plan
    from shipyard.render import render
    from shipyard.render.render import BOOT_SETTINGS

    root = make_tree(tmp_path / "app", PG_FIELDS_APP)
    plan = make_plan(root, {"topology": "compose"}, confirm=False)
    assert plan.postgres_fields == "rooms/models.py:1" and plan.needs_postgres
    files = render(plan)
    env = {}
    for line in files["Dockerfile"].split("ENV PATH=", 1)[1].split("\n# ", 1)[0].splitlines()[1:]:
        name, _, value = line.strip().rstrip("\\").strip().partition("=")
        env[name] = value.strip('"')
    assert env["DJANGO_SETTINGS_MODULE"] == "shipyard_serve_settings"
    assert env["SHIPYARD_APP_SETTINGS"] == "conf.settings" and env["SHIPYARD_DATABASE_URL_FROM"] == "DATABASE_URL"
    assert env["PYTHONPATH"] == "/app/shipyard_boot" and BOOT_SETTINGS in files
    compose = files["compose.yaml"]
    assert "db:" in compose and "env_file: [shipyard.env]" in compose
    # the settings the image's processes load, with the image's variables and the stack's DATABASE_URL
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    probe = ("import json, importlib, os; m = importlib.import_module(os.environ['DJANGO_SETTINGS_MODULE']); "
             "print(json.dumps({k: str(v) for k, v in m.DATABASES['default'].items()}))")

    def default(**extra):
        run_env = {**env, "PYTHONPATH": f"{root / 'shipyard_boot'}:{root}", **extra}
        done = subprocess.run([sys.executable, "-c", probe], env=run_env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    assert default(DATABASE_URL="postgresql://app:p%40ss@db:5432/app") == {
        "ENGINE": "django.db.backends.postgresql", "NAME": "app", "USER": "app", "PASSWORD": "p@ss", "HOST": "db",
        "PORT": "5432", "CONN_MAX_AGE": "60"}
    # no PostgreSQL URL (a plain `docker run` of the image): the app's own settings
    assert default()["ENGINE"] == "django.db.backends.sqlite3"
    # plain models on the same settings: the image keeps the app's settings module, as before
    plain = make_tree(tmp_path / "plain", {**PG_FIELDS_APP, "rooms/models.py": "from django.db import models\n"})
    plain_files = render(make_plan(plain, {"topology": "compose"}, confirm=False))
    assert "DJANGO_SETTINGS_MODULE=conf.settings" in plain_files["Dockerfile"] and BOOT_SETTINGS not in plain_files
