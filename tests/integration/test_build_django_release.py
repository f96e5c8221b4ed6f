"""The image of a Django project whose models have no migrations in the repository (its entrypoint ran
makemigrations), whose settings split a hosts variable with no default and import python-dotenv that
requirements.txt leaves out: `serve --install` runs it, and now `build` + verify do too, on SQLite (the runtime's
steps before the server) and on PostgreSQL (the compose stack's release command, against the CI's stand-in)."""

from __future__ import annotations

import json
import re
import subprocess
import uuid

import pytest

from test_build import SHIPYARD, engine, postgres, python_in, verified_image  # noqa: F401 (fixtures)
from unmigrated_django_app import django_app
from shipyard.verify import SmokeCheck, verify_image

pytestmark = [pytest.mark.engine, pytest.mark.slow]

# the same project on PostgreSQL when DATABASE_URL is set (dj-database-url, as tutorials write it)
ON_POSTGRES = """
import dj_database_url
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
"""


def test_the_image_makes_the_missing_migrations_outside_the_code_and_verifies(tmp_path, base_image):
    app = django_app(tmp_path / "app")
    with verified_image(app, base_image, "django-unmigrated") as tag:
        # python-dotenv installed beside requirements.txt; the code's migrations package as the repository has it
        done = python_in(tag, "import dotenv, os; print(sorted(os.listdir('/app/accounts/migrations')))")
        assert done.returncode == 0 and done.stdout.strip() == "['__init__.py']", done.stderr
        # the release in a container: made under /tmp, then applied; the image's code untouched
        run = subprocess.run(["docker", "run", "--rm", "-e", "DJANGO_ALLOWED_HOSTS=localhost", "--entrypoint", "sh",
                              tag, "-c", "/opt/venv/bin/python /app/shipyard_runtime.py make-and-migrate && "
                              "ls /tmp/shipyard-made-migrations/shipyard_made_migrations/accounts && "
                              "ls /app/accounts/migrations"],
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr[-2000:]
        assert run.stdout.rstrip().endswith("0001_initial.py\n__init__.py\n__init__.py"), run.stdout
        assert "Applying accounts.0001_initial... OK" in run.stdout


def test_the_compose_release_command_migrates_the_postgres_database(tmp_path, base_image, engine, postgres):
    network, env = postgres
    app = django_app(tmp_path / "app")
    (app / "requirements.txt").write_text("Django==5.1.4\ndj-database-url==2.3.0\npsycopg2-binary==2.9.10\n")
    settings = app / "site_conf" / "settings.py"
    settings.write_text(settings.read_text() + ON_POSTGRES)
    init = subprocess.run([*SHIPYARD, "init", str(app), "--topology", "compose"], capture_output=True, text=True,
                          timeout=600)
    assert init.returncode == 0, init.stderr
    stack = (app / "compose.yaml").read_text()
    command = json.loads(re.search(r"^    command: (\[.*\])$", stack, re.M).group(1))
    assert command == ["/opt/venv/bin/python", "/app/shipyard_runtime.py", "make-and-migrate"]
    tag = f"shipyard-ci/django-unmigrated-pg:{uuid.uuid4().hex[:8]}"
    done = subprocess.run([*SHIPYARD, "build", str(app), "--base", base_image, "--tag", tag, "--no-verify"],
                          capture_output=True, text=True, timeout=1200)
    try:
        assert done.returncode == 0, done.stderr[-3000:]
        hosts = ["-e", "DJANGO_ALLOWED_HOSTS=localhost"]
        release = subprocess.run(["docker", "run", "--rm", "--network", network, "-e",
                                  f"DATABASE_URL={env['DATABASE_URL']}", *hosts, tag, *command],
                                 capture_output=True, text=True, timeout=600)
        assert release.returncode == 0, release.stdout[-2000:] + release.stderr[-2000:]
        assert "Applying accounts.0001_initial... OK" in release.stdout
        again = subprocess.run(["docker", "run", "--rm", "--network", network, "-e",
                                f"DATABASE_URL={env['DATABASE_URL']}", *hosts, tag, *command],
                               capture_output=True, text=True, timeout=600)
        assert again.returncode == 0 and "No migrations to apply." in again.stdout, again.stdout + again.stderr
        report = verify_image(engine, tag, smoke=(SmokeCheck("/", 200, "users: 0"),),
                              env={**env, "DJANGO_ALLOWED_HOSTS": "localhost 127.0.0.1"}, network=network)
        assert report.ok, "\n".join([f"{c.name}: {c.detail}" for c in report.checks if c.ok is False]
                                    + report.logs_tail)
    finally:
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, timeout=120)
