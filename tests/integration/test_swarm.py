"""`shipyard swarm` on the real engine, as a single-node swarm (initialized when the engine is in none, and
left active). Two module-scoped deployments, each driven through several scenarios in order:

hello (images pushed to Debian's docker-registry on loopback, as a multi-node swarm needs): 3 replicas answer
through nginx; a rolling update to a new version under constant bounded load loses no request; a version
that fails its health check is rolled back by Swarm with no request lost; scaling 3 -> 5 -> 2; `down` leaves
no service, network, config, secret or container.

EasyGeoIP with PostgreSQL (a Swarm secret, read through DATABASE_URL_FILE): the release loads the time zones
before the app starts; the example's checks through nginx; a new version whose migration fails leaves the
old one serving; `down --volumes` also removes the database volume.

Health checks run every second here (Docker 20.10 has no start_interval) so rollouts take seconds.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CONTAINER_ENGINE, EXAMPLES, free_port, make_tree, require_engine, require_tool, stop_process
from redisutil import COUNTER_APP, build_standin
from swarmutil import Load
from shipyard.planner import make_plan
from shipyard.render import swarm as swarm_target

pytestmark = [pytest.mark.engine, pytest.mark.slow]
SHIPYARD = [sys.executable, "-m", "shipyard"]
FAST = ["--health-interval", "1", "--start-period", "5", "--bind", "0.0.0.0"]


def _shipyard(*args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([*SHIPYARD, *args], capture_output=True, text=True, timeout=timeout)


def _ps(app: Path, stack: str) -> dict[str, dict]:
    done = _shipyard("swarm", "ps", str(app), "--stack", stack, "--json", timeout=120)
    assert done.returncode == 0, done.stderr
    return {s["service"]: s for s in json.loads(done.stdout)["services"]}


def _get(port: int, path: str) -> tuple[int, str]:
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        conn.close()


def _leftovers(stack: str) -> list[str]:
    found = []
    for kind in ("service", "network", "config", "secret", "volume"):
        out = subprocess.run(["docker", kind, "ls", "-q", "--filter", f"label=com.docker.stack.namespace={stack}"],
                             capture_output=True, text=True, timeout=60).stdout.split()
        found += [f"{kind} {x}" for x in out]
    out = subprocess.run(["docker", "secret", "ls", "-q", "--filter", f"label=dev.shipyard.stack={stack}"],
                         capture_output=True, text=True, timeout=60).stdout.split()
    found += [f"secret {x}" for x in out]
    out = subprocess.run(["docker", "ps", "-aq", "--filter", f"label=com.docker.stack.namespace={stack}"],
                         capture_output=True, text=True, timeout=60).stdout.split()
    return found + [f"container {x}" for x in out]


def _remove_images(prefix: str) -> None:
    out = subprocess.run(["docker", "images", "--format", "{{.Repository}}:{{.Tag}}"], capture_output=True,
                         text=True, timeout=60).stdout.split()
    mine = [i for i in out if i.split("/")[-1].startswith(prefix)]
    if mine:
        subprocess.run(["docker", "rmi", "-f", *mine], capture_output=True, timeout=300)


def _standins(base_image: str) -> None:
    done = subprocess.run(["bash", str(CONTAINER_ENGINE), "standins", "nginx:1.27", "postgres:17"],
                          capture_output=True, text=True, timeout=900, env={**os.environ, "BASE_IMAGE": base_image})
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def base() -> str:
    require_engine()
    image = os.environ.get("BASE_IMAGE", "localhost/bookworm-py:latest")
    _standins(image)
    return image


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    """Debian's docker-registry on a free loopback port (the engine trusts 127.0.0.0/8 over plain HTTP)."""
    binary = require_tool("docker-registry")
    folder = tmp_path_factory.mktemp("registry")
    port = free_port()
    (folder / "config.yml").write_text(f"version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n"
                                       f"    rootdirectory: {folder}/data\nhttp:\n  addr: 127.0.0.1:{port}\n")
    proc = subprocess.Popen([binary, "serve", str(folder / "config.yml")], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(100):
            try:
                if _get(port, "/v2/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("docker-registry did not answer on /v2/")
        yield f"127.0.0.1:{port}"
    finally:
        stop_process(proc, timeout=30)


def _copy(example: str, tmp: Path) -> Path:
    app = tmp / example
    shutil.copytree(EXAMPLES / example, app, ignore=shutil.ignore_patterns("__pycache__", ".venv", "shipyard.env"))
    return app


def _marker(app: Path, text: str) -> None:
    """A new version of hello: its page says `text`."""
    page = app / "my_app" / "templates" / "index.html"
    page.write_text(page.read_text().replace("<h1>Hello from Shipyard!", f"<h1>Hello from Shipyard! {text}", 1))


# ----- hello: replicas, rolling update, rollback, scaling, down --------------------------------------
@pytest.fixture(scope="module")
def hello(tmp_path_factory, base, registry):
    app = _copy("hello", tmp_path_factory.mktemp("swarm"))
    stack, port = "sytest-hello", free_port()
    args = ["swarm", "up", str(app), "--stack", stack, "--replicas", "3", "--port", str(port), "--base", base,
            "--registry", registry, *FAST]
    _marker(app, "version-one")
    try:
        up = _shipyard(*args, "--json")
        assert up.returncode == 0, up.stderr[-3000:]
        yield app, stack, port, args, json.loads(up.stdout)
    finally:
        _shipyard("swarm", "down", str(app), "--stack", stack, "--volumes", timeout=300)
        _remove_images(stack)


def test_three_replicas_answer_through_nginx(hello, registry):
    app, stack, port, _, result = hello
    assert result["endpoint_mode"] in ("dnsrr", "vip") and result["endpoint_reason"]
    assert result["app_image"].startswith(registry + "/"), "the image must come from the registry"
    assert result["report"]["counts"]["lost"] == 0
    services = _ps(app, stack)
    assert services["app"]["running"] == services["app"]["replicas"] == 3
    assert services["nginx"]["running"] == 1 and services["nginx"]["ports"] == [port]
    for path in ("/", "/static/style.css"):
        status, body = _get(port, path)
        assert status == 200, body[:300]
    assert "version-one" in _get(port, "/")[1]
    # nginx finds three distinct replicas through Docker's DNS
    nginx = subprocess.run(["docker", "ps", "-q", "--filter", f"label=com.docker.swarm.service.name={stack}_nginx"],
                           capture_output=True, text=True, timeout=30).stdout.split()[0]
    hosts = subprocess.run(["docker", "exec", nginx, "getent", "ahostsv4",
                            "tasks.app" if result["endpoint_mode"] == "dnsrr" else f"tasks.{stack}_app"],
                           capture_output=True, text=True, timeout=30).stdout
    assert len({line.split()[0] for line in hosts.splitlines()}) == 3, hosts
    # the engine's service logs lag behind the requests a little: ask again, a bounded number of times
    for _ in range(10):
        logs = _shipyard("swarm", "logs", str(app), "nginx", "--stack", stack, "--tail", "20", timeout=60)
        if logs.returncode != 0 or "GET /" in logs.stdout + logs.stderr:
            break
        time.sleep(2)
    assert logs.returncode == 0 and "GET /" in logs.stdout + logs.stderr


def test_rolling_update_under_load_loses_nothing(hello):
    app, stack, port, args, _ = hello
    _marker(app, "version-two")
    with Load(port, markers=("version-two", "version-one")) as load:
        time.sleep(1)
        up = _shipyard(*args, "--json")
        time.sleep(2)
    assert up.returncode == 0, up.stderr[-3000:]
    result = load.result
    assert result.failed == 0, result.to_dict()
    assert result.markers["version-one"] and result.markers["version-two"], result.to_dict()
    assert "version-two" in _get(port, "/")[1]
    services = _ps(app, stack)
    assert services["app"]["running"] == 3 and services["app"]["image"] == json.loads(up.stdout)["app_image"]


def test_broken_version_rolls_back_by_itself_under_load(hello):
    app, stack, port, args, _ = hello
    before = _ps(app, stack)["app"]["image"]
    init = app / "my_app" / "__init__.py"
    good = init.read_text()
    # answers 500 on every page, the health path included: its health check never passes
    init.write_text(good.replace('    return render_template("index.html")',
                                 '    raise RuntimeError("version-three is broken")', 1))
    try:
        with Load(port, markers=("version-two",)) as load:
            up = _shipyard(*args)
            time.sleep(2)
    finally:
        init.write_text(good)
    assert up.returncode != 0 and "roll" in up.stderr, up.stderr[-2000:]
    assert load.result.failed == 0 and load.result.markers["version-two"] == load.result.sent, load.result.to_dict()
    services = _ps(app, stack)
    assert services["app"]["image"] == before and services["app"]["running"] == 3


def test_scale_three_five_two(hello):
    app, stack, port, _, _ = hello
    for n in (5, 2):
        done = _shipyard("swarm", "scale", str(app), str(n), "--stack", stack, timeout=300)
        assert done.returncode == 0, done.stderr
        assert _ps(app, stack)["app"]["running"] == n
        assert _get(port, "/")[0] == 200


def test_down_leaves_nothing_behind(hello):
    app, stack, _, _, _ = hello
    done = _shipyard("swarm", "down", str(app), "--stack", stack, timeout=300)
    assert done.returncode == 0, done.stderr
    assert not _leftovers(stack)
    again = _shipyard("swarm", "down", str(app), "--stack", stack, timeout=300)
    assert again.returncode == 0 and "nothing was running" in again.stdout


# ----- EasyGeoIP: PostgreSQL, secrets, the release, a failing migration --------------------------------
@pytest.fixture(scope="module")
def geoip(tmp_path_factory, base):
    app = _copy("easygeoip", tmp_path_factory.mktemp("swarm"))
    stack, port = "sytest-geoip", free_port()
    args = ["swarm", "up", str(app), "--stack", stack, "--replicas", "3", "--port", str(port), "--base", base, *FAST]
    try:
        up = _shipyard(*args, "--json")
        assert up.returncode == 0, up.stderr[-3000:]
        yield app, stack, port, args, json.loads(up.stdout), up.stderr
    finally:
        _shipyard("swarm", "down", str(app), "--stack", stack, "--volumes", timeout=300)
        _remove_images(stack)


def test_geoip_serves_from_postgres_through_nginx(geoip):
    app, stack, port, _, result, log = geoip
    assert "loaded" in log and "time zones" in log, "the release ran before the app"
    services = _ps(app, stack)
    assert services["app"]["running"] == 3 and services["db"]["running"] == 1
    checks = json.loads((EXAMPLES / "easygeoip" / "test.json").read_text())["checks"]
    for check in checks:
        status, body = _get(port, check["path"])
        assert status == check.get("status", 200) and check.get("contains", "") in body, (check, body[:300])
    # the password is a Swarm secret: never in the stack's service specs
    password = next(line.split("=", 1)[1] for line in (app / "shipyard.env").read_text().splitlines()
                    if line.startswith("POSTGRES_PASSWORD="))
    specs = subprocess.run(["docker", "service", "inspect", f"{stack}_app", f"{stack}_db"], capture_output=True,
                           text=True, timeout=60).stdout
    assert password not in specs and "DATABASE_URL_FILE" in specs


def test_failing_migration_leaves_the_old_version_serving(geoip):
    app, stack, port, args, result, _ = geoip
    page = app / "easygeoip" / "templates" / "index.html"
    page.write_text(page.read_text() + "<!-- version-two -->\n")      # a new version, whose migration fails
    up = _shipyard(*args, "--release", "python -c \"raise SystemExit('migration failed on purpose')\"")
    assert up.returncode != 0 and "release" in up.stderr and "migration failed on purpose" in up.stderr, \
        up.stderr[-2000:]
    services = _ps(app, stack)
    assert services["app"]["image"] == result["app_image"] and services["app"]["running"] == 3
    status, body = _get(port, "/")
    assert status == 200 and "version-two" not in body
    assert _get(port, "/health")[0] == 200


def test_geoip_down_with_volumes_leaves_nothing(geoip):
    app, stack, _, _, _, _ = geoip
    done = _shipyard("swarm", "down", str(app), "--stack", stack, "--volumes", timeout=300)
    assert done.returncode == 0, done.stderr
    assert "volume" in done.stdout and not _leftovers(stack)


# ----- Redis: the stack's redis service, reached by the release and the app --------------------------------
def test_redis_app_counts_in_the_stacks_redis_after_the_release_set_it(tmp_path, base):
    """The release (run before the app, with the Redis variables) starts the count at 10 in the stack's
    Redis; the app, reading REDIS_HOST/REDIS_PORT, counts on from there through nginx."""
    app = make_tree(tmp_path / "counter", COUNTER_APP)
    build_standin(swarm_target.backing_services(make_plan(app, {}, confirm=False))["redis"], base)
    stack, port = "sytest-redis", free_port()
    try:
        up = _shipyard("swarm", "up", str(app), "--stack", stack, "--replicas", "1", "--port", str(port),
                       "--base", base, "--release", "python start_at_ten.py", *FAST, "--json")
        assert up.returncode == 0, up.stderr[-3000:]
        assert _ps(app, stack)["redis"]["running"] == 1
        assert [_get(port, "/count") for _ in range(2)] == [(200, "count 11 via redis://redis:6379/0"),
                                                            (200, "count 12 via redis://redis:6379/0")]
    finally:
        down = _shipyard("swarm", "down", str(app), "--stack", stack, "--volumes", timeout=300)
        _remove_images(stack)
    assert down.returncode == 0, down.stderr
    assert not _leftovers(stack)
