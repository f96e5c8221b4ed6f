"""The compose stack of an app whose psycopg2 pin bundles a libpq older than SCRAM logins (psycopg2 2.7.3.x's
wheels for Python 3.6: libpq 9.6, "authentication method 10 not supported" against PostgreSQL 14 and later):
`shipyard init --topology compose` asks md5 logins of the stack's PostgreSQL and stores its role's password as
md5 when the volume is new (render.md5_logins, shipyard-initdb.sh). Checked on the real PostgreSQL service of
the generated file (the CI stand-in for postgres:17): the role's stored password and the host rule."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import pytest
import yaml

from conftest import CONTAINER_ENGINE, make_tree, require_engine
from shipyard.engine import find_compose, find_engine

pytestmark = [pytest.mark.engine, pytest.mark.slow]
SHIPYARD = [sys.executable, "-m", "shipyard"]
APP = ("import os\nimport psycopg2\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\n"
       "def index():\n    return str(psycopg2.connect(os.environ['DATABASE_URL']).server_version)\n")


def _init(tmp_path, requirements: str):
    app = make_tree(tmp_path / "blog", {"app.py": APP, "requirements.txt": requirements})
    done = subprocess.run([*SHIPYARD, "init", str(app), "--no-import", "--topology", "compose", "--python", "3.6"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return app


def test_an_old_psycopg2_gets_md5_logins_from_the_stacks_postgresql(tmp_path, base_image):
    require_engine()
    compose = find_compose(find_engine())
    app = _init(tmp_path, "Flask==1.0.2\npsycopg2==2.7.3.1\n")
    stack = yaml.safe_load((app / "compose.yaml").read_text())
    db = stack["services"]["db"]
    assert db["environment"]["POSTGRES_HOST_AUTH_METHOD"] == "md5"
    assert "./shipyard-initdb.sh:/docker-entrypoint-initdb.d/shipyard-initdb.sh:ro" in db["volumes"]
    done = subprocess.run(["bash", str(CONTAINER_ENGINE), "standins", db["image"]], capture_output=True, text=True,
                          timeout=900, env={**os.environ, "BASE_IMAGE": base_image})
    assert done.returncode == 0, done.stderr
    project = f"{os.environ.get('SHIPYARD_TEST_PREFIX', 'shipyard-test')}-md5-{uuid.uuid4().hex[:8]}"
    run = [*compose.command, "-p", project, "-f", str(app / "compose.yaml")]
    try:
        up = subprocess.run([*run, "up", "-d", "db"], capture_output=True, text=True, timeout=300, cwd=app)
        assert up.returncode == 0, up.stderr
        answer = ""
        for _ in range(60):                       # bounded: the first start runs initdb and the script
            query = subprocess.run([*run, "exec", "-T", "db", "sh", "-c",
                                    'psql -h /var/run/postgresql -U "$POSTGRES_USER" -d "$POSTGRES_DB" -tAc '
                                    '"select left(rolpassword, 3) from pg_authid where rolname = current_user"'],
                                   capture_output=True, text=True, timeout=60, cwd=app)
            answer = query.stdout.strip()
            if query.returncode == 0 and answer:
                break
            time.sleep(2)
        assert answer == "md5", answer
        hba = subprocess.run([*run, "exec", "-T", "db", "sh", "-c", 'grep "^host all all all" "$PGDATA/pg_hba.conf"'],
                             capture_output=True, text=True, timeout=60, cwd=app)
        assert hba.stdout.split()[-1] == "md5", hba.stdout + hba.stderr
    finally:
        subprocess.run([*run, "down", "--volumes"], capture_output=True, text=True, timeout=300, cwd=app)
    # a psycopg2 of libpq 10 or later (2.8's source build, 2.7.4's wheels): the default SCRAM logins, no script
    other = _init(tmp_path / "new", "Flask==1.0.2\npsycopg2==2.7.4\n")
    assert "environment" not in yaml.safe_load((other / "compose.yaml").read_text())["services"]["db"]
    assert not (other / "shipyard-initdb.sh").exists()
