"""A compose file's PostgreSQL service mounts an init script that reads variables of its own from the service's
env_file (`create schema if not exists $SCHEMA;`, local.env: SCHEMA=flaskdb): the image's entrypoint runs it with
the container's environment. serve's first run ran it with the POSTGRES_* login only, so $SCHEMA was empty, the
schema was never made and the app's models (`__table_args__ = {"schema": "flaskdb"}`) failed at import."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

from conftest import make_tree
from shipyard.detect import sql_dump
from shipyard.project import Project

COMPOSE = """\
services:
  db:
    image: postgres
    env_file:
      - local.env
    environment:
      EXTRA: "${EXTRA_HOST:-fromcompose}"
    volumes:
      - ./initdb.sh:/docker-entrypoint-initdb.d/initdb.sh
"""
ENV = "POSTGRES_USER=author\nPOSTGRES_PASSWORD=secret\nPOSTGRES_DB=authors\nSCHEMA=flaskdb\nPGHOST=db\n"
SCRIPT = 'echo "$SCHEMA $EXTRA $POSTGRES_USER $POSTGRES_DB" > "$OUT"\n'


def _project(tmp_path):
    return make_tree(tmp_path / "app", {"app.py": "from flask import Flask\napp = Flask(__name__)\n",
                                        "docker-compose.dev.yaml": COMPOSE, "local.env": ENV,
                                        "initdb.sh": SCRIPT})


def test_the_services_own_variables_go_with_its_init_files(tmp_path):
    found = sql_dump.initdb_dump(Project(_project(tmp_path)))
    assert found is not None and found.paths == ("initdb.sh",)
    # the service's login is the container's own: serve's database gives its own
    assert dict(found.env) == {"SCHEMA": "flaskdb", "EXTRA": "fromcompose"}
    argv = sql_dump.release(found, ".").argv
    assert argv[3:5] == ("--env", json.dumps({"SCHEMA": "flaskdb", "EXTRA": "fromcompose"}))
    assert argv[-1] == "initdb.sh"


def test_the_script_reads_them_and_serves_login(tmp_path):
    root = _project(tmp_path)
    tools = tmp_path / "bin"
    tools.mkdir()
    psql = tools / "psql"            # the loader looks psql up before it runs any file
    psql.write_text("#!/bin/sh\nexit 0\n")
    psql.chmod(psql.stat().st_mode | stat.S_IEXEC)
    out = tmp_path / "out.txt"
    argv = sql_dump.release(sql_dump.initdb_dump(Project(root)), ".").argv
    env = dict(os.environ, PATH=f"{tools}{os.pathsep}{os.environ['PATH']}", OUT=str(out),
               DATABASE_URL="postgresql://serve:pw@127.0.0.1:5432/servedb")
    done = subprocess.run([sys.executable, *argv[1:]], cwd=root, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert out.read_text().split() == ["flaskdb", "fromcompose", "serve", "servedb"]


def test_no_env_argument_without_variables(tmp_path):
    root = make_tree(tmp_path / "app", {"app.py": "from flask import Flask\napp = Flask(__name__)\n",
                                        "docker-compose.yml": COMPOSE.replace("    env_file:\n      - local.env\n", "")
                                        .replace('    environment:\n      EXTRA: "${EXTRA_HOST:-fromcompose}"\n', ""),
                                        "initdb.sh": SCRIPT})
    found = sql_dump.initdb_dump(Project(root))
    assert found is not None and found.env == ()
    assert "--env" not in sql_dump.release(found, ".").argv
