"""The compose stack of an app whose code connects to its PostgreSQL by its own compose file's service name
(`postgresql://postgres:postgres@database:5432/mydb`, a 2021 Flask API): `shipyard init --topology compose` gives
the stack's db service that name as a network alias (render/stack_aliases.py), so the written URL reaches the
stack's database. Checked on the real PostgreSQL service of the generated file (the CI stand-in for postgres:17):
a client on the stack's network logs in through the written name, as the app's psycopg2 would."""

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
HOST = "shipyardtestdatabase"          # resolves nowhere but on the stack's network
APP = ("from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\napp = Flask(__name__)\n"
       f"app.config['SQLALCHEMY_DATABASE_URI'] = 'postgresql://postgres:postgres@{HOST}:5432/mydb'\n"
       "db = SQLAlchemy(app)\n\n\n@app.route('/')\ndef index():\n    return 'ok'\n")


def test_the_stacks_database_answers_to_the_host_the_code_writes(tmp_path, base_image):
    require_engine()
    compose = find_compose(find_engine())
    app = make_tree(tmp_path / "api", {"app.py": APP,
                                        "requirements.txt": "Flask==2.3.3\nFlask-SQLAlchemy==3.1.1\n"
                                                            "psycopg2-binary==2.9.9\n"})
    done = subprocess.run([*SHIPYARD, "init", str(app), "--no-import", "--topology", "compose"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "db service answers to it too" in done.stderr and "warning" not in done.stderr, done.stderr
    db = yaml.safe_load((app / "compose.yaml").read_text())["services"]["db"]
    assert db["networks"]["default"]["aliases"] == [HOST]
    ready = subprocess.run(["bash", str(CONTAINER_ENGINE), "standins", db["image"]], capture_output=True, text=True,
                           timeout=900, env={**os.environ, "BASE_IMAGE": base_image})
    assert ready.returncode == 0, ready.stderr
    project = f"{os.environ.get('SHIPYARD_TEST_PREFIX', 'shipyard-test')}-alias-{uuid.uuid4().hex[:8]}"
    run = [*compose.command, "-p", project, "-f", str(app / "compose.yaml")]
    try:
        config = subprocess.run([*run, "config", "-q"], capture_output=True, text=True, timeout=120, cwd=app)
        assert config.returncode == 0, config.stderr
        up = subprocess.run([*run, "up", "-d", "db"], capture_output=True, text=True, timeout=300, cwd=app)
        assert up.returncode == 0, up.stderr
        answer = ""
        for _ in range(60):                       # bounded: the first start runs initdb
            # over TCP to the written name, with the login the code writes (the secrets file made it)
            query = subprocess.run([*run, "exec", "-T", "-e", "PGPASSWORD=postgres", "db", "psql", "-h", HOST,
                                    "-U", "postgres", "-d", "mydb", "-tAc", "select current_database()"],
                                   capture_output=True, text=True, timeout=60, cwd=app)
            answer = query.stdout.strip()
            if query.returncode == 0 and answer:
                break
            time.sleep(2)
        assert answer == "mydb", query.stderr
    finally:
        subprocess.run([*run, "down", "--volumes"], capture_output=True, text=True, timeout=300, cwd=app)
