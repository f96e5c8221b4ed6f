"""Kubernetes manifests (`init --kubernetes`) for every example, validated offline by the programs that read
them: kustomize (`kubectl kustomize`), the API schemas of two Kubernetes versions (kubernetes-validate,
strict), checkov's policies (zero failed checks; every skip is written inline with its reason), and
shellcheck for deploy.sh. No cluster runs here: tests/integration/test_kubernetes_pod.py runs the image
under the pod's security settings on the real engine.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLES, require_tool
from shipyard.errors import UsageError
from shipyard.plan import Release
from shipyard.planner import make_plan
from shipyard.render import kubernetes

import plans

SHIPYARD = [sys.executable, "-m", "shipyard"]
EXAMPLE_DIRS = sorted(d for d in EXAMPLES.iterdir() if (d / "test.json").is_file())
# the oldest Kubernetes still commonly run and the newest the schemas know
K8S_VERSIONS = ("1.29.0", "1.37.0")
# every example as a bundle; the app topology (no nginx in the pod) for one WSGI, one ASGI and one database app
CASES = [(example, "bundle") for example in EXAMPLE_DIRS] + [
    (EXAMPLES / name, "app") for name in ("hello", "fastapi-app", "easygeoip")]
# hand-made plans (tests/unit/plans.py) for what no example has: an app that uses Redis, alone and with PostgreSQL
PLAN_CASES = {
    "counter-redis-bundle": lambda: plans.flask_redis(topology="bundle", ingress_host="app.example.com"),
    "counter-redis-postgres-app": lambda: plans.flask_redis(topology="app", db="postgres",
                                                            ingress_host="app.example.com"),
    "cms-hosts-bundle": lambda: plans.django_hosts(topology="bundle", ingress_host="app.example.com"),
    # a MySQL app: components/mysql, MariaDB's StatefulSet from the same db-* templates as PostgreSQL's
    "notes-mysql-bundle": lambda: plans.flask_mysql(topology="bundle", ingress_host="app.example.com"),
    "notes-mysql-app": lambda: plans.flask_mysql(topology="app"),
    # a Redis the app's code sends a password (Redis(host='redis', password=...)): the component asks for it
    "counter-redis-password-bundle": lambda: plans.flask_redis(topology="bundle", ingress_host="app.example.com"),
    # the hosts the code writes (Redis(host='redis'), `@db:5432`): Services of those names select the same pods
    "counter-aliases-app": lambda: plans.flask_redis(topology="app", db="postgres"),
}
# the hosts the app's code writes for its database and Redis, per case (init's stack_aliases.cluster_aliases)
ALIASES = {"counter-aliases-app": {"db": ("db", "database"), "redis": ("redis",)}}
# the password the app's code sends its Redis, per case (init's written_redis_password)
REDIS_PASSWORDS = {"counter-redis-password-bundle": "s3cr$t pw"}


def _init(src: Path, out: Path, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run([*SHIPYARD, "init", str(src), "--out", str(out), "--kubernetes", "--no-import", *flags],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Every example × topology: init --kubernetes, then the example overlay built by kustomize."""
    kubectl = require_tool("kubectl")
    root = tmp_path_factory.mktemp("k8s")
    out = {}
    cases = [(f"{example.name}-{topology}",
              lambda e=example, t=topology: make_plan(e, {"topology": t, "ingress_host": "app.example.com"},
                                                      confirm=False))
             for example, topology in CASES] + list(PLAN_CASES.items())
    for case, make in cases:
        folder = root / case
        plan = make()
        redis_password = REDIS_PASSWORDS.get(case, "")
        for rel, text in kubernetes.files(plan, redis_password, ALIASES.get(case)).items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text)
        if kubernetes.database(plan) or redis_password:
            (folder / kubernetes.secrets_path()).write_text(kubernetes.secrets_env(plan, "test-only",
                                                                                   redis_password=redis_password))
        rendered = subprocess.run([kubectl, "kustomize", str(folder / "deploy/kubernetes/overlays/example")],
                                  capture_output=True, text=True, timeout=120)
        assert rendered.returncode == 0, f"{case}: kustomize failed: {rendered.stderr}"
        manifest = root / "built" / f"{case}.yaml"
        manifest.parent.mkdir(exist_ok=True)
        manifest.write_text(rendered.stdout)
        out[case] = manifest
    return out


def _objects(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


@pytest.fixture(scope="module")
def schemas():
    """kubernetes-validate's own checks, with each schema file it reads parsed once for the module: it parsed its
    1 MB _definitions.json (and the kind's file) again for every object, three quarters of the validation's time."""
    from kubernetes_validate import utils
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(utils, "schema_contents", lru_cache(maxsize=None)(utils.schema_contents))
        yield utils


@pytest.mark.parametrize("version", K8S_VERSIONS)
def test_every_object_validates_strictly(built, version, schemas):
    utils = schemas
    problems = []
    for case, manifest in built.items():
        for obj in _objects(manifest):
            try:
                utils.validate(obj, version, strict=True)   # raises for unknown fields and missing schemas
            except Exception as exc:  # noqa: BLE001 - every failure is a finding to report
                problems.append(f"{case}: {obj['kind']}/{obj['metadata']['name']}: {exc}")
    assert not problems, "\n".join(problems)


def test_strict_validation_rejects_a_misspelled_field(built, schemas):
    """The schema check can fail: a typo in the Deployment is caught."""
    utils = schemas
    deployment = next(o for o in _objects(next(iter(built.values()))) if o["kind"] == "Deployment")
    deployment["spec"]["revisionHistoryLimt"] = 5
    with pytest.raises(utils.ValidationError):
        utils.validate(deployment, K8S_VERSIONS[0], strict=True)


def test_checkov_finds_nothing(built):
    checkov = require_tool("checkov")
    folder = next(iter(built.values())).parent
    done = subprocess.run([checkov, "-d", str(folder), "--framework", "kubernetes", "--skip-download",
                           "--output", "json"], capture_output=True, text=True, timeout=600)
    report = json.loads(done.stdout)
    summary = report["summary"] if isinstance(report, dict) else report[0]["summary"]
    failed = report["results"]["failed_checks"] if isinstance(report, dict) else report[0]["results"]["failed_checks"]
    assert summary["passed"] > 100
    assert summary["failed"] == 0, "\n".join(f"{c['check_id']} {c['resource']} ({c['file_path']})" for c in failed)
    # every skip carries its reason inline, in the manifest it applies to
    skipped = report["results"]["skipped_checks"] if isinstance(report, dict) else report[0]["results"]["skipped_checks"]
    assert all(s["check_result"].get("suppress_comment") for s in skipped)


def test_deploy_script_passes_shellcheck(tmp_path):
    shellcheck = require_tool("shellcheck")
    for example in (EXAMPLES / "hello", EXAMPLES / "easygeoip"):
        out = tmp_path / example.name
        assert _init(example, out).returncode == 0
        done = subprocess.run([shellcheck, "-s", "bash", str(out / "deploy/kubernetes/deploy.sh")],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout


def _deployment(manifest: Path) -> dict:
    return next(o for o in _objects(manifest) if o["kind"] == "Deployment")


def test_probes_security_and_timing(built):
    plan = make_plan(EXAMPLES / "easygeoip", confirm=False)
    pod = _deployment(built["easygeoip-bundle"])["spec"]["template"]["spec"]
    web = pod["containers"][0]
    # distinct probes: readiness may reach the database through the app; liveness never does
    assert web["readinessProbe"]["httpGet"]["path"] == plan.settings["health_path"]
    assert web["startupProbe"]["httpGet"]["path"] == plan.settings["health_path"]
    assert web["livenessProbe"]["httpGet"]["path"] == "/nginx-health"
    app_pod = _deployment(built["easygeoip-app"])["spec"]["template"]["spec"]
    assert "tcpSocket" in app_pod["containers"][0]["livenessProbe"]
    # the restricted profile
    sc = web["securityContext"]
    assert sc["readOnlyRootFilesystem"] and not sc["allowPrivilegeEscalation"]
    assert sc["capabilities"]["drop"] == ["ALL"] and sc["runAsUser"] == plan.settings["user_uid"]
    assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    assert {m["mountPath"] for m in web["volumeMounts"]} == {"/tmp", "/tmp/shipyard"}
    # preStop pause + the server's graceful stop + supervisord's margin, all inside the grace period
    prestop = int(web["lifecycle"]["preStop"]["exec"]["command"][1])
    assert pod["terminationGracePeriodSeconds"] >= prestop + plan.settings["graceful_timeout"] + 5
    # secrets only through a Secret, never in the manifests in clear
    env = {e["name"]: e for e in web["env"]}
    assert env["DATABASE_URL"]["valueFrom"]["secretKeyRef"]["name"].startswith("easygeoip-secrets")
    assert not any(o["kind"] == "ConfigMap" for o in _objects(built["easygeoip-bundle"]))


def test_resources_follow_the_worker_sizing(tmp_path):
    out = tmp_path / "hello"
    assert _init(EXAMPLES / "hello", out, "--server", "gunicorn", "--cpu-limit", "2").returncode == 0
    web = yaml.safe_load(Path(out / "deploy/kubernetes/base/deployment.yaml").read_text())
    resources = web["spec"]["template"]["spec"]["containers"][0]["resources"]
    # gunicorn: 2 x CPUs + 1 = 5 workers at 128 MiB + 64 MiB for the rest (shipyard.sizing)
    assert resources["limits"] == {"cpu": "2000m", "memory": "704Mi"}
    assert resources["requests"]["memory"] == "704Mi"


def test_migration_runs_as_a_job_before_the_rollout(built, tmp_path):
    objects = _objects(built["easygeoip-bundle"])
    job = next(o for o in objects if o["kind"] == "Job")
    assert job["spec"]["backoffLimit"] == 0
    assert not any("initContainers" in o.get("spec", {}).get("template", {}).get("spec", {}) for o in objects)
    assert not any("helm.sh/hook" in (o["metadata"].get("annotations") or {}) for o in objects)
    out = tmp_path / "geo"
    assert _init(EXAMPLES / "easygeoip", out).returncode == 0
    text = (out / "deploy/kubernetes/deploy.sh").read_text()
    assert text.index("component=migrate") < text.index("rollout status deployment/")
    sts = next(o for o in objects if o["kind"] == "StatefulSet")
    assert sts["spec"]["replicas"] == 1 and sts["spec"]["volumeClaimTemplates"]


def test_ingress_only_with_a_host(built, tmp_path):
    assert any(o["kind"] == "Ingress" for o in _objects(built["hello-bundle"]))
    out = tmp_path / "hello"
    assert _init(EXAMPLES / "hello", out).returncode == 0
    assert not (out / "deploy/kubernetes/base/ingress.yaml").exists()


def test_secrets_file_is_created_once_and_kept_out_of_git_and_the_image(tmp_path):
    out = tmp_path / "geo"
    assert _init(EXAMPLES / "easygeoip", out).returncode == 0
    secrets_file = out / kubernetes.secrets_path()
    first = secrets_file.read_text()
    assert oct(secrets_file.stat().st_mode & 0o777) == "0o600"
    assert "POSTGRES_PASSWORD=" in first and "DATABASE_URL=postgresql://app:" in first
    assert _init(EXAMPLES / "easygeoip", out).returncode == 0
    assert secrets_file.read_text() == first                      # never regenerated
    assert (secrets_file.parent / ".gitignore").read_text().strip() == "secrets.env"
    assert "deploy/kubernetes" in (out / ".dockerignore").read_text().splitlines()
    password = first.split("POSTGRES_PASSWORD=")[1].split()[0]
    for path in (out / "deploy").rglob("*"):
        if path.is_file() and path != secrets_file:
            assert password not in path.read_text()


def test_compose_topology_fails_instead_of_dropping_its_nginx(tmp_path):
    done = _init(EXAMPLES / "hello", tmp_path / "x", "--topology", "compose")
    assert done.returncode != 0
    assert "compose topology" in done.stderr and "--topology bundle" in done.stderr
    assert "Traceback" not in done.stderr
    plan = make_plan(EXAMPLES / "hello", {"topology": "compose"}, confirm=False)
    with pytest.raises(UsageError):
        kubernetes.files(plan)


def test_translation_report_in_json(tmp_path):
    done = _init(EXAMPLES / "easygeoip", tmp_path / "geo", "--json")
    assert done.returncode == 0, done.stderr
    rows = {r["part"]: r for r in json.loads(done.stdout)["kubernetes"]}
    assert rows["release"]["status"] == "translated" and "Job" in rows["release"]["how"]
    assert rows["database"]["status"] == "translated" and "does not scale out" in rows["database"]["how"]
    assert {r["status"] for r in rows.values()} <= {"honoured", "translated", "left to you"}


def _named(objects: list[dict], kind: str, name: str) -> dict:
    return next(o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name)


def test_redis_component_serves_the_app_and_its_job(built):
    objects = _objects(built["counter-redis-bundle"])
    pods = {o["kind"]: o["spec"]["template"] for o in objects if o["kind"] in ("Deployment", "Job")}
    envs = {kind: {e["name"]: e.get("value") for e in pod["spec"]["containers"][0]["env"]} for kind, pod in pods.items()}
    # the web pods and the migration Job get the same Redis variables: REDIS_URL and the ones the code reads,
    # never the socket one (Redis is in another pod)
    assert envs["Deployment"] == envs["Job"]
    env = envs["Deployment"]
    assert {"REDIS_URL", "CACHE_REDIS_URL", "REDIS_HOST", "REDIS_PORT"} <= set(env) and "REDIS_SOCKET" not in env
    host, port = env["REDIS_URL"].removeprefix("redis://").split("/")[0].split(":")
    assert env["REDIS_URL"].endswith("/0") and env["CACHE_REDIS_URL"] == env["REDIS_URL"]
    assert (env["REDIS_HOST"], env["REDIS_PORT"]) == (host, port)
    # the URL's host is a Service whose port reaches a one-replica StatefulSet running Redis on its volume
    service = _named(objects, "Service", host)
    assert [p["port"] for p in service["spec"]["ports"]] == [int(port)]
    sts = next(o for o in objects if o["kind"] == "StatefulSet"
               and o["spec"]["template"]["metadata"]["labels"].items() >= service["spec"]["selector"].items())
    assert sts["spec"]["replicas"] == 1 and sts["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "data"
    pod = sts["spec"]["template"]["spec"]
    redis = pod["containers"][0]
    assert redis["image"] == "redis:7.4" and "command" not in redis      # the image's entrypoint still runs
    assert redis["args"][:1] == ["redis-server"] and "--appendonly yes" in " ".join(redis["args"])
    assert [p["containerPort"] for p in redis["ports"]] == [int(port)]
    assert [m["mountPath"] for m in redis["volumeMounts"]] == ["/data"]
    assert "redis-cli ping" in " ".join(redis["readinessProbe"]["exec"]["command"])
    assert "redis-cli ping" in " ".join(redis["livenessProbe"]["exec"]["command"])
    assert redis["resources"]["limits"] and redis["resources"]["requests"]
    # the restricted profile, as the app's pods, under the official image's redis user
    sc = redis["securityContext"]
    assert sc["readOnlyRootFilesystem"] and not sc["allowPrivilegeEscalation"] and sc["capabilities"]["drop"] == ["ALL"]
    assert sc["runAsUser"] == 999 and pod["securityContext"]["fsGroup"] == 999
    assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    assert pod["automountServiceAccountToken"] is False
    # only the web pods and the migration Job's pod reach it
    policy = next(o for o in objects if o["kind"] == "NetworkPolicy"
                  and o["spec"]["podSelector"]["matchLabels"].items() <= sts["spec"]["template"]["metadata"]["labels"].items())
    (rule,) = policy["spec"]["ingress"]
    (selector,) = rule["from"][0]["podSelector"]["matchExpressions"]
    assert set(selector["values"]) == {p["metadata"]["labels"]["app.kubernetes.io/name"] for p in pods.values()}
    assert [p["port"] for p in rule["ports"]] == ["redis"]


def test_redis_and_postgres_components_together(built):
    objects = _objects(built["counter-redis-postgres-app"])
    assert {o["metadata"]["name"] for o in objects if o["kind"] == "StatefulSet"} == {"counter-db", "counter-redis"}
    env = {e["name"]: e for e in _deployment(built["counter-redis-postgres-app"])["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert "secretKeyRef" in env["DATABASE_URL"]["valueFrom"] and env["REDIS_URL"]["value"].startswith("redis://")


def test_a_mysql_app_gets_mariadb_from_the_shared_database_templates(built):
    for case in ("notes-mysql-bundle", "notes-mysql-app"):
        objects = _objects(built[case])
        db = next(o for o in objects if o["kind"] == "StatefulSet")
        assert db["metadata"]["name"] == "notes-db"
        container = db["spec"]["template"]["spec"]["containers"][0]
        assert container["image"] == "mariadb:11.4" and container["ports"][0]["containerPort"] == 3306
        assert container["readinessProbe"]["exec"]["command"] == ["healthcheck.sh", "--connect", "--innodb_initialized"]
        assert {m["mountPath"] for m in container["volumeMounts"]} == {"/var/lib/mysql", "/run/mysqld", "/tmp"}
        # the app's MYSQL_PASSWORD from the Secret is not the server's (the image reads it where MARIADB_* is unset)
        assert container["env"] == [{"name": "MYSQL_PASSWORD", "value": ""}]
        service = next(o for o in objects if o["kind"] == "Service" and o["metadata"]["name"] == "notes-db")
        assert service["spec"]["ports"][0]["port"] == 3306
        secret = next(o for o in objects if o["kind"] == "Secret")
        assert base64.b64decode(secret["data"]["DATABASE_URL"]).decode() == \
            "mysql+pymysql://app:test-only@notes-db:3306/app"
        assert base64.b64decode(secret["data"]["MARIADB_USER"]).decode() == "app"
        env = {e["name"]: e for e in _deployment(built[case])["spec"]["template"]["spec"]["containers"][0]["env"]}
        assert env["DATABASE_URL"]["valueFrom"]["secretKeyRef"]["key"] == "DATABASE_URL"
        assert env["MYSQL_HOST"]["value"] == "notes-db" and env["MYSQL_PORT"]["value"] == "3306"
        assert env["MYSQL_PASSWORD"]["valueFrom"]["secretKeyRef"]["key"] == "MYSQL_PASSWORD"
    script = built["notes-mysql-app"].parent.parent / "notes-mysql-app" / "deploy/kubernetes/deploy.sh"
    assert script.read_text().index("rollout status statefulset/notes-db") < script.read_text().index("component=migrate")
    rows = {r.part: r for r in kubernetes.translation(plans.flask_mysql(topology="app"))}
    assert "MariaDB" in rows["database"].how
    assert "MYSQL" not in rows["environment variables"].how and "DATABASE_URL" not in rows["environment variables"].how


def test_deploy_script_waits_for_redis_before_the_migration(built):
    shellcheck = require_tool("shellcheck")
    script = built["counter-redis-bundle"].parent.parent / "counter-redis-bundle" / "deploy/kubernetes/deploy.sh"
    text = script.read_text()
    assert text.index("rollout status statefulset/counter-redis") < text.index("component=migrate")
    done = subprocess.run([shellcheck, "-s", "bash", str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout


def test_redis_is_translated_and_its_variables_said_once():
    rows = {r.part: r for r in kubernetes.translation(plans.flask_redis())}
    redis = rows["redis (Redis)"]
    assert redis.status == "translated" and "StatefulSet counter-redis" in redis.how
    assert "REDIS_URL, CACHE_REDIS_URL, REDIS_HOST, REDIS_PORT pointing at it" in redis.how
    assert "REDIS_SOCKET stays unset" in redis.how
    # said once: the Redis variables are not listed again among the other unset variables
    assert "REDIS_HOST" not in rows["environment variables"].how and "SECRET_KEY" in rows["environment variables"].how
    assert "redis (Redis)" not in {r.part for r in kubernetes.translation(plans.flask_redis(redis="none"))}
    assert not any("redis" in path for path in kubernetes.files(plans.flask_redis(redis="none")))


def test_the_variables_read_into_allowed_hosts_get_the_ingress_host_and_the_probes_ask_for_it(built):
    web = _deployment(built["cms-hosts-bundle"])["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e.get("value") for e in web["env"]}
    assert env["DOMAIN"] == env["EXTRA_HOSTS"] == "app.example.com"
    for probe in ("startupProbe", "readinessProbe"):
        assert web[probe]["httpGet"]["httpHeaders"] == [{"name": "Host", "value": "app.example.com"}]
    assert "httpHeaders" not in web["livenessProbe"].get("httpGet", {})      # nginx's own, any host
    rows = {r.part: r for r in kubernetes.translation(plans.django_hosts(ingress_host="app.example.com"))}
    assert rows["allowed hosts"].status == "translated" and "DOMAIN, EXTRA_HOSTS" in rows["allowed hosts"].how
    assert "DOMAIN" not in rows["environment variables"].how
    # without an Ingress host they are yours to set, said once, and the probes ask as before
    plan = plans.django_hosts()
    rows = {r.part: r for r in kubernetes.translation(plan)}
    assert rows["allowed hosts"].status == "left to you" and "--ingress-host" in rows["allowed hosts"].how
    assert "DOMAIN" not in rows["environment variables"].how
    deployment = kubernetes.files(plan)["deploy/kubernetes/base/deployment.yaml"]
    assert "DOMAIN" not in deployment and "httpHeaders" not in deployment


def test_the_release_description_is_echoed_as_written_not_run(tmp_path):
    """deploy.sh says which release it waits for; a description with shell syntax in it (`flyway migrate`,
    $(...)) is printed as it is, never run."""
    marker = tmp_path / "ran"
    what = f"Flyway's SQL files (`touch {marker}`, $(touch {marker}))"
    plan = dataclasses.replace(plans.django_postgres(topology="bundle"),
                               release=Release(("python", "-m", "django", "migrate"), ".", what))
    script = kubernetes.files(plan)["deploy/kubernetes/deploy.sh"]
    line = next(ln for ln in script.splitlines() if "waiting for the migration" in ln)
    done = subprocess.run(["bash", "-c", line], capture_output=True, text=True, timeout=30)
    assert done.stdout == f"waiting for the migration ({what})...\n" and not marker.exists()


def test_a_redis_the_code_sends_a_password_asks_for_it_from_the_secret(built):
    # Redis(host='redis', password=...) in the app's code: compose's Redis asks for it; the cluster's had none, so
    # redis-py's AUTH was refused. The component reads it from the overlay's Secret (never the manifests), and the
    # app's Redis URLs that carry it come from the Secret too
    objects = _objects(built["counter-redis-password-bundle"])
    secret = next(o for o in objects if o["kind"] == "Secret")
    data = {k: base64.b64decode(v).decode() for k, v in secret["data"].items()}
    assert data == {"SHIPYARD_REDIS_PASSWORD": "s3cr$t pw", "REDIS_URL": "redis://:s3cr%24t%20pw@counter-redis:6379/0",
                    "CACHE_REDIS_URL": "redis://:s3cr%24t%20pw@counter-redis:6379/0"}
    assert "s3cr" not in "".join(t for p, t in _texts(built["counter-redis-password-bundle"]) if "secrets.env" not in p)
    redis = _named(objects, "StatefulSet", "counter-redis")["spec"]["template"]["spec"]["containers"][0]
    assert redis["args"] == ["redis-server", "--appendonly", "yes", "--requirepass", "$(REDISCLI_AUTH)"]
    assert redis["env"] == [{"name": "REDISCLI_AUTH", "valueFrom": {"secretKeyRef": {
        "name": secret["metadata"]["name"], "key": "SHIPYARD_REDIS_PASSWORD"}}}]
    for kind in ("Deployment", "Job"):
        pod = next(o for o in objects if o["kind"] == kind)["spec"]["template"]["spec"]["containers"][0]
        env = {e["name"]: e for e in pod["env"]}
        assert env["REDIS_URL"]["valueFrom"]["secretKeyRef"] == {"name": secret["metadata"]["name"], "key": "REDIS_URL"}
        assert env["CACHE_REDIS_URL"]["valueFrom"]["secretKeyRef"]["key"] == "CACHE_REDIS_URL"
        assert env["REDIS_HOST"]["value"] == "counter-redis" and "SHIPYARD_REDIS_PASSWORD" not in env
    # an older secrets.env (made before) gets only the lines it lacks
    plan = plans.flask_redis(topology="bundle")
    assert kubernetes.missing_redis_lines(plan, "SECRET_KEY=x\n", "pw").splitlines()[1:] == [
        "SHIPYARD_REDIS_PASSWORD=pw", "REDIS_URL=redis://:pw@counter-redis:6379/0",
        "CACHE_REDIS_URL=redis://:pw@counter-redis:6379/0"]
    assert kubernetes.missing_redis_lines(plan, kubernetes.secrets_env(plan, "x", redis_password="pw"), "pw") == ""
    # no password written: no Secret for Redis, the plain component of before
    plain = _named(_objects(built["counter-redis-bundle"]), "StatefulSet", "counter-redis")
    assert plain["spec"]["template"]["spec"]["containers"][0]["args"] == ["redis-server", "--appendonly", "yes"]


def _texts(manifest: Path) -> list[tuple[str, str]]:
    """(path, text) of every file init wrote for the case of this built manifest."""
    folder = manifest.parent.parent / manifest.stem
    return [(str(p), p.read_text()) for p in folder.rglob("*") if p.is_file()]


def test_the_hosts_the_code_writes_are_services_of_the_same_pods(built):
    objects = _objects(built["counter-aliases-app"])
    for own, names in (("counter-db", ("db", "database")), ("counter-redis", ("redis",))):
        service = _named(objects, "Service", own)
        for name in names:
            alias = _named(objects, "Service", name)
            assert alias["spec"]["selector"] == service["spec"]["selector"]
            assert alias["spec"]["ports"] == service["spec"]["ports"]
