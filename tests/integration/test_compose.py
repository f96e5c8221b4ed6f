"""Every shipped example's compose stack: `shipyard init --topology compose` in a copy, `shipyard up`
(PostgreSQL where the plan needs it), the example's checks through nginx, `ps`, `logs`, `down`, and
nothing left running. Also the --dev variant (code mounted, live reload) and a stack that fails to start.

The official nginx/postgres images are replaced by the CI stand-ins tagged with exactly the names the
generated compose.yaml uses. A small override (compose.fast.yaml) runs the generated health checks every
second instead of every 30 s: Docker 20.10 has no start_interval, and the test only needs them to pass.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from db_port_app import DB_PORT_APP
from dumped_app import DUMPED_APP_FILES
from conftest import CONTAINER_ENGINE, EXAMPLES, IN_CI, free_port, make_tree, require_engine
from redisutil import COUNTER_APP, build_standin
from shipyard.engine import cli, find_compose, find_engine
from shipyard.engine.stack import Stack

pytestmark = [pytest.mark.engine, pytest.mark.slow]
SHIPYARD = [sys.executable, "-m", "shipyard"]
EXAMPLE_DIRS = sorted(d for d in EXAMPLES.iterdir() if (d / "test.json").is_file())
FAST_HEALTH = """\
services:
  app:
    healthcheck: {interval: 1s}
  nginx:
    healthcheck: {interval: 1s}
"""


@pytest.fixture(scope="module")
def compose():
    require_engine()
    found = find_compose(find_engine())     # an EngineError (a failure, also in CI) when there is none
    # every stack test runs on Compose v2 (scripts/setup-dev.sh installs the plugin)
    assert not found.is_v1, f"Compose v2 is required, found {found.describe()}"
    return found


def _get(url: str, timeout: float = 15) -> tuple[int, str]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as resp:
            return resp.status, resp.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


def _left_running(project: str) -> list[str]:
    out = subprocess.run(["docker", "ps", "-aq", "--filter", f"label=com.docker.compose.project={project}"],
                         capture_output=True, text=True, timeout=30).stdout
    return out.split()


def _prepare(example: Path, tmp_path: Path, base_image: str) -> Path:
    """A copy of the example with its compose files written by `shipyard init`, and the stand-in images."""
    app = tmp_path / example.name
    shutil.copytree(example, app, ignore=shutil.ignore_patterns("__pycache__", ".venv"))
    init = subprocess.run([*SHIPYARD, "init", str(app), "--topology", "compose"], capture_output=True,
                          text=True, timeout=300)
    assert init.returncode == 0, init.stderr
    (app / "compose.fast.yaml").write_text(FAST_HEALTH)
    # The images compose will run without building: read from the generated file, not assumed.
    images = sorted({m for m in re.findall(r"^\s+image:\s*(\S+)\s*$", (app / "compose.yaml").read_text(), re.M)
                     if m.split("/")[-1].startswith(("nginx", "postgres"))})
    assert any(i.split("/")[-1].startswith("nginx") for i in images), images
    done = subprocess.run(["bash", str(CONTAINER_ENGINE), "standins", *images], capture_output=True, text=True,
                          timeout=900, env={**os.environ, "BASE_IMAGE": base_image})
    assert done.returncode == 0, done.stderr
    return app


def _run(*args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([*SHIPYARD, *args], capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("example", EXAMPLE_DIRS, ids=lambda p: p.name)
def test_example_stack_up_checked_through_nginx_and_down(example, tmp_path, base_image, compose):
    data = json.loads((example / "test.json").read_text())
    app = _prepare(example, tmp_path, base_image)
    stack = Stack.of(app, extra=["compose.fast.yaml"])
    port = free_port()
    try:
        up = _run("up", str(app), "--base", base_image, "--port", str(port), "-f", "compose.fast.yaml", "--json")
        assert up.returncode == 0, up.stdout + up.stderr[-3000:]
        result = json.loads(up.stdout)
        assert result["url"] == f"http://127.0.0.1:{port}/"
        services = {s["service"]: s for s in result["services"]}
        assert services["nginx"]["health"] == "healthy" and services["app"]["health"] == "healthy"
        assert {s for s, v in services.items() if v["ports"]} == {"nginx"}, "only nginx may be published"
        if "postgres" in (data.get("inspect", {}).get("services") or ()):
            assert services["db"]["health"] == "healthy"
        for check in data["checks"]:
            status, body = _get(f"http://127.0.0.1:{port}{check['path']}")
            assert status == check.get("status", 200), (check, body[:500])
            assert check.get("contains", "") in body, (check, body[:500])

        ps = _run("ps", str(app), "-f", "compose.fast.yaml", "--json", timeout=120)
        assert ps.returncode == 0 and json.loads(ps.stdout)["url"] == result["url"]
        logs = _run("logs", str(app), "nginx", "-f", "compose.fast.yaml", "--tail", "20", timeout=120)
        assert logs.returncode == 0 and "GET " in logs.stdout
    finally:
        down = _run("down", str(app), "-f", "compose.fast.yaml", "--volumes", timeout=300)
    assert down.returncode == 0, down.stderr
    assert not _left_running(stack.project)


def test_dev_stack_reloads_code_changes(tmp_path, base_image, compose):
    app = _prepare(EXAMPLES / "hello", tmp_path, base_image)
    port = free_port()
    project = Stack.of(app).project
    try:
        up = _run("up", str(app), "--dev", "--base", base_image, "--port", str(port), "-f", "compose.fast.yaml")
        assert up.returncode == 0, up.stderr[-3000:]
        assert f"http://127.0.0.1:{port}/" in up.stdout
        assert _get(f"http://127.0.0.1:{port}/dev-check")[0] == 404
        code = app / "my_app" / "__init__.py"
        code.write_text(code.read_text() + '\n\n@app.route("/dev-check")\ndef dev_check():\n    return "reloaded"\n')
        status, body = 0, ""
        for _ in range(60):          # the reloader polls the mounted files; bounded to 30 s
            try:
                status, body = _get(f"http://127.0.0.1:{port}/dev-check", timeout=5)
            except OSError:          # the dev server restarting
                status, body = 0, ""
            if status == 200:
                break
            time.sleep(0.5)
        assert (status, body) == (200, "reloaded")
    finally:
        down = _run("down", str(app), "--dev", "-f", "compose.fast.yaml", timeout=300)
    assert down.returncode == 0, down.stderr
    assert not _left_running(project)


def test_stack_that_cannot_build_fails_clearly_and_leaves_nothing(tmp_path, base_image, compose):
    app = _prepare(EXAMPLES / "wsgi-app", tmp_path, base_image)
    (app / "requirements.txt").write_text("Flask>=3.0\nshipyard-no-such-package-zz9\n")
    project = Stack.of(app).project
    up = _run("up", str(app), "--base", base_image, "--port", str(free_port()), "-f", "compose.fast.yaml")
    assert up.returncode == 1
    assert "shipyard-no-such-package-zz9" in up.stderr
    assert up.stderr.strip().splitlines()[-1].startswith("shipyard up: error: ")
    assert not _left_running(project)


def test_a_release_that_fails_shows_its_own_output_and_leaves_nothing(tmp_path, base_image, compose):
    """Compose says only that the one-off did not complete; its own lines say why (a migration's traceback)."""
    app = tmp_path / "wsgi-app"
    shutil.copytree(EXAMPLES / "wsgi-app", app)
    (app / "pyproject.toml").write_text('[tool.shipyard]\nrelease = "python -c \'import sys; '
                                        'sys.exit(\\"the release says why: no such table\\")\'"\n')
    app = _prepare(app, tmp_path / "prepared", base_image)
    project = Stack.of(app).project
    up = _run("up", str(app), "--base", base_image, "--port", str(free_port()), "-f", "compose.fast.yaml")
    assert up.returncode == 1, up.stderr
    lines = up.stderr.splitlines()
    shown = lines.index("the last log lines of release:")
    assert any("the release says why: no such table" in line for line in lines[shown:]), up.stderr
    assert lines[-1].startswith("shipyard up: error: `compose up` failed: service \"release\" didn't complete")
    assert not _left_running(project)


def test_up_without_compose_file_says_how_to_get_one(tmp_path):
    shutil.copytree(EXAMPLES / "wsgi-app", tmp_path / "w")
    done = _run("up", str(tmp_path / "w"), timeout=60)
    assert done.returncode == 2
    assert "no compose.yaml" in done.stderr and "--topology compose" in done.stderr


def test_compose_v1_still_runs_the_generated_files(tmp_path, base_image, compose):
    """The v1 path (end-of-life): `--compose docker-compose` runs v1 on a copy without `name:` and
    `develop:`; the stack answers through nginx and goes down with nothing left."""
    v1 = next((exe for exe in cli.all_on_path("docker-compose")
               if re.search(r"version v?1\.", subprocess.run([exe, "version"], capture_output=True,
                                                              text=True, timeout=60).stdout)), None)
    if v1 is None:
        (pytest.fail if IN_CI else pytest.skip)("Debian's docker-compose 1.x is not installed")
    app = _prepare(EXAMPLES / "hello", tmp_path, base_image)
    stack = Stack.of(app, extra=["compose.fast.yaml"])
    port = free_port()
    try:
        up = _run("up", str(app), "--compose", v1, "--base", base_image, "--port", str(port), "-f",
                  "compose.fast.yaml", "--json")
        assert up.returncode == 0, up.stdout + up.stderr[-3000:]
        assert "end of life" in up.stderr
        status, body = _get(json.loads(up.stdout)["url"])
        assert status == 200 and "Hello from Shipyard" in body
        assert "name: " in (app / "compose.yaml").read_text()          # the user's file is untouched
        down = _run("down", str(app), "--compose", v1, "-f", "compose.fast.yaml", timeout=300)
        assert down.returncode == 0, down.stderr
        assert _left_running(stack.project) == []
    finally:
        _run("down", str(app), "--compose", v1, "-f", "compose.fast.yaml", "--volumes", timeout=300)


def test_an_app_that_uses_redis_gets_its_redis_in_the_stack(tmp_path, base_image, compose):
    """An app whose code reads REDIS_HOST/REDIS_PORT: `init` gives compose.yaml a redis service, `up` starts
    it (the official image's stand-in, built here with the tag the file names), and a counter kept in that
    Redis answers through nginx, counting up; `down` leaves nothing."""
    source = make_tree(tmp_path / "src" / "counter", COUNTER_APP)
    app = _prepare(source, tmp_path, base_image)
    compose_file = (app / "compose.yaml").read_text()
    image = re.search(r"^  redis:\n    image: (\S+)$", compose_file, re.M)
    assert image, compose_file
    build_standin(image.group(1), base_image)
    (app / "compose.fast.yaml").write_text(FAST_HEALTH + "  redis:\n    healthcheck: {interval: 1s}\n")
    stack = Stack.of(app, extra=["compose.fast.yaml"])
    port = free_port()
    try:
        up = _run("up", str(app), "--base", base_image, "--port", str(port), "-f", "compose.fast.yaml", "--json")
        assert up.returncode == 0, up.stdout + up.stderr[-3000:]
        services = {s["service"]: s for s in json.loads(up.stdout)["services"]}
        assert services["redis"]["health"] == "healthy" and not services["redis"]["ports"]
        answers = [_get(f"http://127.0.0.1:{port}/count") for _ in range(2)]
        assert answers == [(200, "count 1 via redis://redis:6379/0"), (200, "count 2 via redis://redis:6379/0")]
    finally:
        down = _run("down", str(app), "-f", "compose.fast.yaml", "--volumes", timeout=300)
    assert down.returncode == 0, down.stderr
    assert not _left_running(stack.project)


WRITTEN_LOGIN_APP = {
    "app.py": '''
        """A tutorial's app: it connects with the login its README had the reader create, and no host (libpq's)."""
        import psycopg2
        from flask import Flask

        DSN = "postgresql://shopkeeper:tutorial-pw@/shop"
        app = Flask(__name__)


        @app.get("/")
        def index():
            with psycopg2.connect(DSN) as conn, conn.cursor() as cur:
                cur.execute("SELECT current_user, current_database()")
                return "user={} database={}".format(*cur.fetchone())
        ''',
    "requirements.txt": "flask>=3\npsycopg2-binary>=2.9\n",
}


def test_an_app_that_writes_its_postgresql_login_logs_in_to_the_stacks_db(tmp_path, base_image, compose):
    """The login the app writes (role, password, database, no host): `init` makes the stack's PostgreSQL
    create that role and database (shipyard.env), the app reaches the db service through PGHOST, and answers
    through nginx as that role."""
    source = make_tree(tmp_path / "src" / "shop", WRITTEN_LOGIN_APP)
    app = _prepare(source, tmp_path, base_image)
    assert "POSTGRES_USER=shopkeeper\n" in (app / "shipyard.env").read_text()
    _db_stack_answers(app, base_image, "user=shopkeeper database=shop")


def _db_stack_answers(app: Path, base_image: str, body: str) -> None:
    """`up` of a stack with a db service answers `body` at / through nginx; `down --volumes` leaves nothing."""
    (app / "compose.fast.yaml").write_text(FAST_HEALTH + "  db:\n    healthcheck: {interval: 1s}\n")
    stack = Stack.of(app, extra=["compose.fast.yaml"])
    port = free_port()
    try:
        up = _run("up", str(app), "--base", base_image, "--port", str(port), "-f", "compose.fast.yaml", "--json")
        assert up.returncode == 0, up.stdout + up.stderr[-3000:]
        assert _get(f"http://127.0.0.1:{port}/") == (200, body)
    finally:
        down = _run("down", str(app), "-f", "compose.fast.yaml", "--volumes", timeout=300)
    assert down.returncode == 0, down.stderr
    assert not _left_running(stack.project)


def test_the_sql_dump_the_readme_loads_is_in_the_stacks_new_database(tmp_path, base_image, compose):
    """The README loads a pg_dump by hand (`psql shelf < books.psql`): compose's PostgreSQL loads it through
    the official image's initdb folder when its volume is new, the author's OWNER TO passed, and the page
    reads its rows through nginx."""
    source = make_tree(tmp_path / "src" / "shelf", DUMPED_APP_FILES)
    app = _prepare(source, tmp_path, base_image)
    initdb = (app / "shipyard-initdb.sh").read_text()
    assert "--file /shipyard-dump/books.psql" in initdb, initdb
    assert '"./books.psql:/shipyard-dump/books.psql:ro"' in (app / "compose.yaml").read_text()
    _db_stack_answers(app, base_image, "Dune,Emma\n")


OWN_NAMES_APP = {
    "app.py": '''
        import os

        import psycopg2
        from flask import Flask

        app = Flask(__name__)


        @app.get("/")
        def index():
            # the URL under a name of the app's own (its .env.example's DATABASE_URI), and a part of it
            with psycopg2.connect(os.environ["DATABASE_URI"]) as conn, conn.cursor() as cur:
                cur.execute("SELECT current_database()")
                return "database={} host={}".format(cur.fetchone()[0], os.environ.get("DB_HOST"))
        ''',
    "requirements.txt": "flask>=3\npsycopg2-binary>=2.9\n",
}


def test_an_app_that_reads_its_database_under_names_of_its_own_gets_the_stacks_db(tmp_path, base_image, compose):
    """`serve` gives every database variable the app reads; the stack's secrets file now does too."""
    source = make_tree(tmp_path / "src" / "own", OWN_NAMES_APP)
    app = _prepare(source, tmp_path, base_image)
    secrets = (app / "shipyard.env").read_text()
    assert "\nDATABASE_URI=postgresql://app:" in secrets and "\nDB_HOST=db\n" in secrets
    _db_stack_answers(app, base_image, "database=app host=db")


def test_an_app_that_reads_port_as_its_databases_port_reaches_the_stacks_db(tmp_path, base_image, compose):
    """The app reads PORT (and HOST, NAME, USER, PASSWORD) as its database's: the stack gives PORT 5432 and the
    server listens on SHIPYARD_PORT, so the page reaches the db service through nginx (compose's PORT: "8000" for
    the server overrode shipyard.env's PORT=5432: the app connected to db:8000)."""
    source = make_tree(tmp_path / "src" / "workouts", DB_PORT_APP)
    app = _prepare(source, tmp_path, base_image)
    assert "\nPORT=5432\n" in (app / "shipyard.env").read_text()
    assert 'SHIPYARD_PORT: "8000"' in (app / "compose.yaml").read_text()
    _db_stack_answers(app, base_image, "database=app port=5432")
