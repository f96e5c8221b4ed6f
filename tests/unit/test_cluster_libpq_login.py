"""What the compose stack does for an app's libpq login, the cluster and Swarm do too: a login written at
localhost (psycopg2, the app's own container in any of them) is taken to the database's host (PGHOSTADDR from
PGHOST, set by the image's runtime at start), and an old psycopg2 whose wheel bundles libpq 9.6 (older than SCRAM)
gets md5 logins from the PostgreSQL the outputs run (POSTGRES_HOST_AUTH_METHOD=md5, and shipyard-initdb.sh storing
the role's password as md5 when the volume is new). Checked with the outputs' own validators: kustomize and the
API schemas (strict) for Kubernetes, `docker stack config` for Swarm; the runtime is run for real."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import make_tree, require_tool
from shipyard.planner import make_plan
from shipyard.render import swarm

SHIPYARD = [sys.executable, "-m", "shipyard"]
OLD = "Flask==1.0.2\npsycopg2==2.7.3.1\n"
APP = ("from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\napp = Flask(__name__)\n"
       "app.config['SQLALCHEMY_DATABASE_URI'] = 'postgresql://blog:pw@localhost:5432/blog'\n")
K8S_VERSIONS = ("1.29.0", "1.37.0")


def _app(root: Path, requirements: str) -> Path:
    return make_tree(root, {"app.py": APP, "requirements.txt": requirements + "flask-sqlalchemy\n"})


def _init(root: Path, *flags: str) -> str:
    done = subprocess.run([*SHIPYARD, "init", str(root), "--no-import", *flags], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stderr


def _pghostaddr(root: Path) -> str:
    probe = [sys.executable, str(root / "shipyard_runtime.py"), "exec", sys.executable, "-c",
             "import os; print(os.environ.get('PGHOSTADDR', '-'))"]
    env = {k: v for k, v in os.environ.items() if k != "PGHOSTADDR"}
    done = subprocess.run(probe, capture_output=True, text=True, timeout=60, env={**env, "PGHOST": "localhost"})
    return done.stdout.strip() or done.stderr


def test_the_cluster_takes_a_libpq_localhost_login_to_its_database_and_gives_an_old_psycopg2_md5(tmp_path):
    kubectl = require_tool("kubectl")
    from kubernetes_validate import utils
    root = _app(tmp_path / "blog", OLD)
    _init(root, "--kubernetes", "--python", "3.6")
    # the image the pods run (the bundle): its runtime sets PGHOSTADDR to PGHOST's address ({name}-db here)
    assert _pghostaddr(root) == "127.0.0.1"
    component = root / "deploy/kubernetes/components/postgres"
    assert "SET password_encryption = 'md5'" in (component / "shipyard-initdb.sh").read_text()
    overlay = root / "deploy/kubernetes/overlays/example"
    built = subprocess.run([kubectl, "kustomize", str(overlay)], capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    objects = [d for d in yaml.safe_load_all(built.stdout) if d]
    for version in K8S_VERSIONS:
        for obj in objects:
            utils.validate(obj, version, strict=True)
    config_map = next(o for o in objects if o["kind"] == "ConfigMap" and "initdb" in o["metadata"]["name"])
    assert "ALTER ROLE" in config_map["data"]["shipyard-initdb.sh"]
    db = next(o for o in objects if o["kind"] == "StatefulSet" and o["metadata"]["name"] == "blog-db")
    pod = db["spec"]["template"]["spec"]
    env = {e["name"]: e.get("value") for e in pod["containers"][0]["env"]}
    assert env["POSTGRES_HOST_AUTH_METHOD"] == "md5"
    volume = next(v for v in pod["volumes"] if v["name"] == "initdb")
    assert volume["configMap"]["name"] == config_map["metadata"]["name"]       # kustomize's hashed name
    assert {"name": "initdb", "mountPath": "/docker-entrypoint-initdb.d", "readOnly": True} \
        in pod["containers"][0]["volumeMounts"]
    # a psycopg2 of libpq 10 or later: SCRAM, no script, no ConfigMap
    new = _app(tmp_path / "new", "Flask==1.0.2\npsycopg2==2.7.4\n")
    _init(new, "--kubernetes", "--python", "3.6")
    assert not (new / "deploy/kubernetes/components/postgres/shipyard-initdb.sh").exists()
    assert "POSTGRES_HOST_AUTH_METHOD" not in (new / "deploy/kubernetes/components/postgres/statefulset.yaml").read_text()


def test_swarms_db_service_gives_an_old_psycopg2_md5_and_its_image_takes_localhost_to_db(tmp_path):
    docker = require_tool("docker")
    root = _app(tmp_path / "blog", OLD)
    plan = make_plan(root, {"python": "3.6"}, confirm=False, installed=False)
    password = "s3cret-password-value"
    options = swarm.SwarmOptions(stack="blog", app_image="blog-app:abc", nginx_image="blog-nginx:def", replicas=2,
                                 port=8080, bind="0.0.0.0", endpoint_mode="dnsrr", endpoint_reason="no IPVS",
                                 secrets={"POSTGRES_PASSWORD": swarm.secret_name("blog", "POSTGRES_PASSWORD", password)},
                                 db_node="node-1")
    files = swarm.stack_files(plan, options)
    assert set(files) == {swarm.STACK_FILE, swarm.INITDB_FILE}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    done = subprocess.run([docker, "stack", "config", "-c", str(tmp_path / swarm.STACK_FILE)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    stack = yaml.safe_load(done.stdout)
    db = stack["services"]["db"]
    assert db["environment"]["POSTGRES_HOST_AUTH_METHOD"] == "md5"
    assert db["configs"] == [{"source": "initdb", "target": "/docker-entrypoint-initdb.d/shipyard-initdb.sh"}]
    assert stack["configs"]["initdb"]["name"].startswith("blog_initdb_")
    assert "ALTER ROLE" in files[swarm.INITDB_FILE]
    # the image Swarm runs (the compose topology's), rendered as `swarm up` builds it: PGHOSTADDR at start
    from shipyard.commands.stack_db import written_login
    from shipyard.render import render
    written = written_login(plan, root, lambda _line: None)
    image = render(swarm.swarm_plan(plan), written=written)
    assert "PGHOSTADDR" in image["shipyard_runtime.py"]
    (root / "shipyard_runtime.py").write_text(image["shipyard_runtime.py"])
    assert _pghostaddr(root) == "127.0.0.1"
    # a psycopg2 of libpq 10 or later: no config, no file
    new = _app(tmp_path / "new", "Flask==1.0.2\npsycopg2==2.7.4\n")
    newer = swarm.stack_files(make_plan(new, {"python": "3.6"}, confirm=False, installed=False), options)
    assert set(newer) == {swarm.STACK_FILE} and "configs" not in yaml.safe_load(newer[swarm.STACK_FILE])
