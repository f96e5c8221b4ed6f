"""Every shipped example, in every topology: `shipyard build` (rendered into a temporary copy), then
verify the image with the example's own checks (test.json), a request in flight during SIGTERM where the
example has a slow path, and a real PostgreSQL (the CI stand-in) where the plan needs one.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from conftest import CONTAINER_ENGINE, EXAMPLES, free_port, require_engine
from shipyard.engine import find_engine
from shipyard.pin_conflicts import known_left_out
from shipyard.render.render import POSTGRES_IMAGE
from shipyard.verify import SmokeCheck, verify_image

pytestmark = [pytest.mark.engine, pytest.mark.slow]
SHIPYARD = [sys.executable, "-m", "shipyard"]
EXAMPLE_DIRS = sorted(d for d in EXAMPLES.iterdir() if (d / "test.json").is_file())
TOPOLOGIES = ("bundle", "app", "compose")
DEFAULT_BASE = "localhost/bookworm-py:latest"


def _example_data(example: Path) -> dict:
    return json.loads((example / "test.json").read_text())


def _needs_postgres(data: dict) -> bool:
    return "postgres" in (data.get("inspect", {}).get("services") or ())


@contextmanager
def verified_image(app: Path, base_image: str, name: str, shows: str | None = None, python: str | None = None,
                   timeout: float = 1200, fresh: bool = False) -> Iterator[str]:
    """`shipyard build APP --path /` (`--python PYTHON` when given, `--fresh` when asked), asserted to pass every
    check of its verify (and to print a line matching the pattern `shows`); the image's tag, removed after."""
    tag = f"shipyard-ci/{name}:{uuid.uuid4().hex[:8]}"
    pick = ("--python", python) if python else ()
    pick += ("--fresh",) if fresh else ()
    done = subprocess.run([*SHIPYARD, "build", str(app), "--base", base_image, *pick, "--tag", tag, "--path", "/"],
                          capture_output=True, text=True, timeout=timeout)
    try:
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        # 6 checks, and a file of each static folder the image's nginx serves
        assert re.search(r"all [67] checks passed", done.stdout), done.stdout[-3000:]
        assert "FAIL" not in done.stdout
        assert shows is None or re.search(shows, done.stdout), done.stdout
        yield tag
    finally:
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, timeout=120)


def python_in(tag: str, code: str) -> subprocess.CompletedProcess:
    """The image's Python running `code`, as the image's user, in its working folder."""
    return subprocess.run(["docker", "run", "--rm", "--entrypoint", "/opt/venv/bin/python", tag, "-c", code],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def engine():
    require_engine()
    return find_engine()


@pytest.fixture(scope="module")
def postgres(engine):
    """A PostgreSQL (the stand-in for the official image) on its own network, reachable as `db`."""
    done = subprocess.run(["bash", str(CONTAINER_ENGINE), "standins", POSTGRES_IMAGE], capture_output=True, text=True,
                          timeout=600, env={**os.environ, "BASE_IMAGE": os.environ.get("BASE_IMAGE", DEFAULT_BASE)})
    assert done.returncode == 0, done.stderr
    network = f"shipyard-test-{uuid.uuid4().hex[:8]}"
    subprocess.run(["docker", "network", "create", network], check=True, capture_output=True, timeout=60)
    password = uuid.uuid4().hex
    container = subprocess.run(
        ["docker", "run", "-d", "--network", network, "--network-alias", "db", "-e", "POSTGRES_USER=app",
         "-e", f"POSTGRES_PASSWORD={password}", "-e", "POSTGRES_DB=app", POSTGRES_IMAGE],
        check=True, capture_output=True, text=True, timeout=120).stdout.strip()
    try:
        for _ in range(120):
            ready = subprocess.run(["docker", "exec", container, "pg_isready", "-U", "app", "-d", "app", "-h",
                                    "127.0.0.1"], capture_output=True, timeout=30)
            if ready.returncode == 0:
                break
            time.sleep(0.5)
        else:
            pytest.fail("the PostgreSQL stand-in did not become ready within 60 s")
        yield network, {"DATABASE_URL": f"postgresql://app:{password}@db:5432/app"}
    finally:
        subprocess.run(["docker", "rm", "-f", "-v", container], capture_output=True, timeout=60)
        subprocess.run(["docker", "network", "rm", network], capture_output=True, timeout=60)


@pytest.mark.parametrize("topology", TOPOLOGIES)
@pytest.mark.parametrize("example", EXAMPLE_DIRS, ids=lambda p: p.name)
def test_example_builds_and_verifies(example, topology, engine, base_image, request):
    data = _example_data(example)
    tag = f"shipyard-ci/{example.name}:{topology}"
    started = time.monotonic()
    done = subprocess.run([*SHIPYARD, "build", str(example), "--fresh", "--topology", topology, "--base",
                           base_image, "--tag", tag, "--no-verify", "--json"],
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stderr[-3000:]
    build = json.loads(done.stdout)["build"]
    assert build["overlay"] is True and build["tag"] == tag
    assert not (example / "Dockerfile").exists(), "build wrote into the example's folder"
    try:
        checks = [c for c in data["checks"] if topology in c.get("topologies", TOPOLOGIES)]
        if topology == "compose":
            # In compose, nginx serves the static files (tested in test_compose.py), not the app image.
            checks = [c for c in checks if not c["path"].startswith("/static/")]
        env, network = {}, None
        if _needs_postgres(data):
            network, env = request.getfixturevalue("postgres")
            if data.get("release"):
                release = subprocess.run(["docker", "run", "--rm", "--network", network,
                                          *[a for k, v in env.items() for a in ("-e", f"{k}={v}")],
                                          tag, "sh", "-c", data["release"]],
                                         capture_output=True, text=True, timeout=600)
                assert release.returncode == 0, release.stdout[-2000:] + release.stderr[-2000:]
        report = verify_image(engine, tag, smoke=tuple(SmokeCheck(c["path"], c.get("status"), c.get("contains"))
                                                       for c in checks),
                              slow_path=data.get("slow_path"), env=env, network=network)
        failed = [f"{c.name}: {c.detail}" for c in report.checks if c.ok is False]
        assert report.ok, "\n".join(failed + ["logs:"] + report.logs_tail)
        names = {c.name for c in report.checks}
        assert {"health", "non-root", "SIGTERM exit", "no .git/.env/compiler"} <= names
        if data.get("slow_path"):
            assert next(c for c in report.checks if c.name == "in-flight request").ok is True
        if topology == "bundle" and any(c["path"].startswith("/static/") for c in data["checks"]):
            assert "static files" in names      # a file of each folder, through the image's own nginx
        print(f"\n{example.name}/{topology}: build {build['seconds']:.1f} s "
              f"({build['cached_steps']}/{build['total_steps']} cached), verify {report.seconds:.1f} s, "
              f"{report.size / 1e6:.0f} MB, {report.layers} layers, total {time.monotonic() - started:.1f} s")
    finally:
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, timeout=120)


def test_cli_build_then_verify_end_to_end(engine, base_image):
    """The user's path: one `shipyard build` that builds, prints tag/size/time, and verifies."""
    tag = "shipyard-ci/hello:cli"
    done = subprocess.run([*SHIPYARD, "build", str(EXAMPLES / "hello"), "--fresh", "--base", base_image,
                           "--tag", tag, "--path", "/", "--path", "/static/style.css",
                           "--slow-path", "/slow?seconds=2"], capture_output=True, text=True, timeout=1200)
    try:
        assert done.returncode == 0, done.stdout + done.stderr[-3000:]
        assert f"built {tag} in " in done.stdout and " MB, " in done.stdout and " layers" in done.stdout
        # 2 paths + 6 checks (no secrets among them) + a file of static/ through the image's nginx
        assert "all 9 checks passed" in done.stdout, done.stdout
        assert re.search(r"ok +static files +GET /static/\S+: 200", done.stdout), done.stdout
        assert "in a temporary copy of" in done.stderr and "[builder" in done.stderr   # progress shown
    finally:
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, timeout=120)


def test_build_uses_the_apps_own_dockerfile_and_refuses_render_flags(tmp_path, engine, base_image):
    app = tmp_path / "hello"
    subprocess.run(["cp", "-r", str(EXAMPLES / "hello"), str(app)], check=True)
    init = subprocess.run([*SHIPYARD, "init", str(app), "--topology", "app"], capture_output=True, text=True,
                          timeout=300)
    assert init.returncode == 0, init.stderr
    refused = subprocess.run([*SHIPYARD, "build", str(app), "--topology", "bundle"], capture_output=True,
                             text=True, timeout=300)
    assert refused.returncode == 2
    assert "has its own Dockerfile" in refused.stderr and "--fresh" in refused.stderr
    tag = "shipyard-ci/hello:own-files"
    done = subprocess.run([*SHIPYARD, "build", str(app), "--base", base_image, "--tag", tag, "--no-verify"],
                          capture_output=True, text=True, timeout=1200)
    try:
        assert done.returncode == 0, done.stderr[-3000:]
        assert f"from {app / 'Dockerfile'}" in done.stderr
    finally:
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, timeout=120)


def test_generated_dockerfile_builds_with_the_legacy_builder(engine, base_image):
    """Docker without BuildKit (a client >= 23 without buildx, or DOCKER_BUILDKIT=0) still builds the files."""
    import dataclasses

    from shipyard.engine import context as build_context
    from shipyard.engine.docker import DockerEngine
    from shipyard.planner import make_plan
    from shipyard.render import render

    legacy = DockerEngine(dataclasses.replace(engine.info, builder="legacy"))
    plan = make_plan(EXAMPLES / "hello", {"topology": "bundle"})
    tag = "shipyard-ci/hello:legacy"
    with build_context.overlay(EXAMPLES / "hello", render(plan)) as ctx:
        result = legacy.build(ctx.root, ctx.dockerfile, tag, {"BASE": base_image})
    try:
        assert result.builder == "legacy" and result.total_steps > 5
        report = verify_image(legacy, tag, smoke=(SmokeCheck("/", 200, "Hello from Shipyard"),),
                              slow_path="/slow?seconds=2")
        assert report.ok, [f"{c.name}: {c.detail}" for c in report.checks if c.ok is False] + report.logs_tail
    finally:
        legacy.remove_image(tag)


def test_an_app_pinning_an_old_gunicorn_gets_the_one_its_config_needs_in_the_image(tmp_path, engine, base_image):
    """gunicorn==19.9.0 has no `wsgi_app` setting and imports pkg_resources, which uv's virtualenv lacks: the
    image installs the release the generated config needs after the app's own pins (as `serve --install`
    does), instead of an image whose server never starts."""
    app = tmp_path / "oldpin"
    app.mkdir()
    (app / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n\n\n@app.route('/')\n"
                                "def index():\n    return 'pinned'\n")
    (app / "requirements.txt").write_text("Flask==2.3.3\ngunicorn==19.9.0\n")
    init = subprocess.run([*SHIPYARD, "init", str(app), "--server", "gunicorn"], capture_output=True, text=True,
                          timeout=300)
    assert init.returncode == 0, init.stderr
    dockerfile = (app / "Dockerfile").read_text()
    assert "# The app pins gunicorn==19.9.0" in dockerfile and "uv pip install --python /opt/venv/bin/python 'gunicorn>=" in dockerfile
    with verified_image(app, base_image, "oldpin") as tag:
        versions = python_in(tag, "import gunicorn; print(gunicorn.__version__)")
        assert versions.returncode == 0 and not versions.stdout.startswith("19."), versions.stdout + versions.stderr
        # gunicorn >= 25's control socket goes into the runtime folder: the image's user has no home for it
        name = f"shipyard-ci-oldpin-{uuid.uuid4().hex[:8]}"
        subprocess.run(["docker", "run", "-d", "--name", name, tag], capture_output=True, timeout=120, check=True)
        try:
            socket = ""
            for _ in range(30):
                socket = subprocess.run(["docker", "exec", name, "ls", "/tmp/shipyard"], capture_output=True,
                                        text=True, timeout=60).stdout
                if "gunicorn.ctl" in socket:
                    break
                time.sleep(1)
            logs = subprocess.run(["docker", "logs", name], capture_output=True, text=True, timeout=60)
            assert "gunicorn.ctl" in socket and "Control server error" not in logs.stdout + logs.stderr, \
                socket + logs.stdout[-2000:] + logs.stderr[-2000:]
        finally:
            subprocess.run(["docker", "rm", "-f", name], capture_output=True, timeout=120)



def test_an_old_app_leaving_gunicorn_open_gets_the_one_its_config_needs_in_the_image(tmp_path, engine, base_image):
    """A 2020 app listing `gunicorn` unpinned: its open packages resolve as of its day, which is gunicorn 20.0.4,
    with no `wsgi_app` setting: the image's server stopped on "No application module specified" and the image
    never became healthy. The configuration's floor is a constraint exempt from the date; the rest stays dated."""
    app = tmp_path / "counter"
    app.mkdir()
    (app / "app.py").write_text("import bottle\n\napplication = bottle.Bottle()\n\n\n@application.route('/')\n"
                                "def index():\n    return 'hits'\n")
    (app / "requirements.txt").write_text("bottle==0.12.25\ngunicorn\n")
    then = time.mktime((2020, 9, 5, 12, 0, 0, 0, 0, -1))
    for name in ("app.py", "requirements.txt"):
        os.utime(app / name, (then, then))
    init = subprocess.run([*SHIPYARD, "init", str(app), "--server", "gunicorn"], capture_output=True, text=True,
                          timeout=300)
    assert init.returncode == 0, init.stderr
    dockerfile = (app / "Dockerfile").read_text()
    assert "--exclude-newer 2020-09-06" in dockerfile and "'gunicorn>=" in dockerfile, dockerfile
    with verified_image(app, base_image, "opengunicorn") as tag:
        version = python_in(tag, "import gunicorn; print(gunicorn.__version__)")
        assert version.returncode == 0 and int(version.stdout.split(".")[0]) >= 23, version.stdout + version.stderr


def test_a_pyramid_app_gets_the_setuptools_whose_pkg_resources_it_imports(tmp_path, engine, base_image):
    """Pyramid 2.0 declares setuptools and imports its pkg_resources, which setuptools 81 removed; uv's
    virtualenv has no setuptools of its own. The image holds setuptools below 81, and the app answers."""
    app = tmp_path / "pyr"
    app.mkdir()
    (app / "app.py").write_text(
        "from pyramid.config import Configurator\nfrom pyramid.response import Response\n\n\n"
        "def hello(request):\n    return Response('pyramid here')\n\n\n"
        "with Configurator() as config:\n    config.add_route('hello', '/')\n"
        "    config.add_view(hello, route_name='hello')\n    app = config.make_wsgi_app()\n")
    (app / "requirements.txt").write_text("pyramid==2.0.2\n")
    with verified_image(app, base_image, "pyr") as tag:
        setuptools = python_in(tag, "import setuptools; print(setuptools.__version__)")
        assert int(setuptools.stdout.split(".")[0]) < 81, setuptools.stdout + setuptools.stderr


@pytest.mark.parametrize("folder,database", [(".", "'app.db'"), ("src", "'app.db'"),
                                             (".", "os.path.join(app.instance_path, 'app.db')")],
                         ids=["root", "subfolder", "instance-folder"])
def test_an_app_keeping_its_data_in_a_sqlite_file_creates_it_in_the_image(tmp_path, engine, base_image, folder,
                                                                          database):
    """The code is root-owned and read-only to the image's user; an app that creates its SQLite database where it
    runs (sqlite3.connect("app.db")) may create files in its folder (sticky: the code stays unchangeable), at the
    project's root, in the subfolder it runs from, or in Flask's instance folder (the tutorial's flaskr), which the
    build context holds already."""
    root = tmp_path / "notes"
    app = root / folder
    app.mkdir(parents=True)
    (app / "instance").mkdir()
    (app / "instance" / ".gitkeep").write_text("")
    (app / "app.py").write_text(
        "import os\nimport sqlite3\n\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\n"
        f"def index():\n    db = sqlite3.connect({database})\n"
        "    db.execute('CREATE TABLE IF NOT EXISTS visits (n INTEGER)')\n    db.execute('INSERT INTO visits VALUES (1)')\n"
        "    db.commit()\n    count = db.execute('SELECT count(*) FROM visits').fetchone()[0]\n"
        "    try:\n        os.remove('app.py')\n        kept = 'removed'\n    except OSError:\n        kept = 'kept'\n"
        "    return f'visits {count}, code {kept}'\n")
    (root / "requirements.txt").write_text("Flask\n")
    with verified_image(root, base_image, "sqlite") as tag:
        page = python_in(tag, "from app import app; print(app.test_client().get('/').get_data(as_text=True))")
        assert page.stdout.strip() == "visits 1, code kept", page.stdout + page.stderr


NOTES_APP = """\
import sqlite3

from flask import Flask

app = Flask(__name__)
app.config["DATABASE"] = "notes.db"


def connect():
    return sqlite3.connect(app.config["DATABASE"])


@app.cli.command("init-db")
def init_db():
    \"\"\"Clear the existing data and create new tables.\"\"\"
    connect().executescript("DROP TABLE IF EXISTS notes; CREATE TABLE notes (body TEXT);")


@app.route("/")
def index():
    return f"notes {connect().execute('SELECT count(*) FROM notes').fetchone()[0]}"


@app.route("/add")
def add():
    db = connect()
    db.execute("INSERT INTO notes VALUES ('a note')")
    db.commit()
    return "added"
"""



def test_an_app_on_sqlite_whose_import_is_slow_becomes_healthy_after_its_finders(tmp_path, engine, base_image):
    """Before its server starts, the image asks the app where its SQLite files are: each finder imports the app,
    then the server imports it again. On a loaded host each import took ~20 s, past the 30 s start period and its
    retries, and verify said "unhealthy" of a live app. The start period now covers the finders (the arithmetic is
    test_health_timing's); here an import that takes 15 s (a sleep, on top of whatever load CI has: at 20 s a
    loaded CI pushed one probe past its own 25 s limit) must still give a healthy image that answers."""
    app = tmp_path / "slowimport"
    app.mkdir()
    (app / "app.py").write_text(
        "import time\n\nfrom flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\n"
        "time.sleep(15)      # a slow import, as on a loaded host\n"
        "app = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///notes.db'\n"
        "db = SQLAlchemy(app)\n\n\n@app.route('/')\ndef index():\n    return 'slow'\n")
    (app / "requirements.txt").write_text("Flask==3.0.3\nFlask-SQLAlchemy==3.1.1\n")
    init = subprocess.run([*SHIPYARD, "init", str(app)], capture_output=True, text=True, timeout=600)
    assert init.returncode == 0, init.stderr
    assert re.search(r"--start-period=(\d+)s", (app / "Dockerfile").read_text()).group(1) != "30"
    with verified_image(app, base_image, "slowimport", timeout=1500):
        pass


def test_a_new_container_of_an_app_on_sqlite_makes_its_tables_once(tmp_path, engine, base_image):
    """A fresh container has no database file: its runtime runs the app's `flask init-db` before the server (verify's
    GET / reads the table), once: after a restart the row added before is still there (init-db clears data)."""
    app = tmp_path / "notes"
    app.mkdir()
    (app / "app.py").write_text(NOTES_APP)
    (app / "requirements.txt").write_text("Flask\n")
    with verified_image(app, base_image, "notes") as tag:
        port = free_port()
        container = subprocess.run(["docker", "run", "-d", "-p", f"127.0.0.1:{port}:8000", tag],
                                   capture_output=True, text=True, timeout=120, check=True).stdout.strip()
        try:
            assert page(port, "/") == "notes 0"
            assert page(port, "/add") == "added"
            subprocess.run(["docker", "restart", "-t", "10", container], capture_output=True, timeout=120, check=True)
            assert page(port, "/") == "notes 1"
            logs = subprocess.run(["docker", "logs", container], capture_output=True, text=True, timeout=60)
            assert (logs.stdout + logs.stderr).count("creating it with") == 1, logs.stderr[-2000:]
        finally:
            subprocess.run(["docker", "rm", "-f", container], capture_output=True, timeout=120)


def test_a_new_container_on_the_same_volume_keeps_what_the_app_wrote_in_its_sqlite_file(tmp_path, engine,
                                                                                         base_image):
    """The image keeps the app's SQLite file in /var/lib/app, linked where the app opens it (notes.db beside the
    code): a new container on the same volume there (each `up` of the compose stack makes one) still has the row
    the first one added, and does not run `init-db` (it clears data) again."""
    app = tmp_path / "notes"
    app.mkdir()
    (app / "app.py").write_text(NOTES_APP)
    (app / "requirements.txt").write_text("Flask\n")
    volume = f"shipyard-ci-notes-{uuid.uuid4().hex[:8]}"
    with verified_image(app, base_image, "notes-kept") as tag:
        try:
            for count in (0, 1):
                port = free_port()
                container = subprocess.run(["docker", "run", "-d", "-p", f"127.0.0.1:{port}:8000", "-v",
                                            f"{volume}:/var/lib/app", tag],
                                           capture_output=True, text=True, timeout=120, check=True).stdout.strip()
                try:
                    assert page(port, "/") == f"notes {count}"
                    assert page(port, "/add") == "added"
                    logs = subprocess.run(["docker", "logs", container], capture_output=True, text=True, timeout=60)
                    assert ("creating it with" in logs.stderr) == (count == 0), logs.stderr[-2000:]
                finally:
                    subprocess.run(["docker", "rm", "-f", container], capture_output=True, timeout=120)
        finally:
            subprocess.run(["docker", "volume", "rm", "-f", volume], capture_output=True, timeout=120)


def test_a_committed_sqlite_database_in_a_code_folder_is_the_apps_to_write_in_the_image(tmp_path, engine,
                                                                                        base_image):
    """data/notes.db is committed with one row: in the image it was root-owned in a root-owned folder, so the
    app's first write failed ("attempt to write a readonly database", 500). The build moves it where the app's
    user may write it, linked where the app opens it."""
    import sqlite3
    app = tmp_path / "seeded"
    (app / "data").mkdir(parents=True)
    (app / "app.py").write_text(
        "import os\nimport sqlite3\n\nfrom flask import Flask\n\napp = Flask(__name__)\n"
        "DATABASE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data', 'notes.db')\n\n\n"
        "@app.route('/')\ndef index():\n"
        "    return f\"notes {sqlite3.connect(DATABASE).execute('SELECT count(*) FROM notes').fetchone()[0]}\"\n\n\n"
        "@app.route('/add')\ndef add():\n    db = sqlite3.connect(DATABASE)\n"
        "    db.execute(\"INSERT INTO notes VALUES ('a note')\")\n    db.commit()\n    return 'added'\n")
    (app / "requirements.txt").write_text("Flask\n")
    with sqlite3.connect(app / "data" / "notes.db") as db:
        db.execute("CREATE TABLE notes (body TEXT)")
        db.execute("INSERT INTO notes VALUES ('committed')")
    with verified_image(app, base_image, "seeded") as tag:
        port = free_port()
        container = subprocess.run(["docker", "run", "-d", "-p", f"127.0.0.1:{port}:8000", tag],
                                   capture_output=True, text=True, timeout=120, check=True).stdout.strip()
        try:
            assert page(port, "/") == "notes 1"
            assert page(port, "/add") == "added"
            assert page(port, "/") == "notes 2"
        finally:
            subprocess.run(["docker", "rm", "-f", container], capture_output=True, timeout=120)


def test_a_sqlite_database_the_repository_commits_at_its_root_is_in_the_image(tmp_path, engine, base_image):
    """employees.db, committed at the root beside app.py (a 2016 Tornado REST API's data): the .dockerignore's
    local-database patterns kept it out, so the image's table was empty (its /api/1 answered 404). git tracks it,
    so the image holds it, and the app can write it."""
    import sqlite3
    app = tmp_path / "staff"
    app.mkdir()
    (app / "app.py").write_text(
        "import sqlite3\n\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n"
        "@app.route('/')\ndef index():\n"
        "    db = sqlite3.connect('employees.db')\n"
        "    db.execute('CREATE TABLE IF NOT EXISTS employees (name TEXT)')\n"
        "    return f\"employees {db.execute('SELECT count(*) FROM employees').fetchone()[0]}\"\n\n\n"
        "@app.route('/add')\ndef add():\n    db = sqlite3.connect('employees.db')\n"
        "    db.execute(\"INSERT INTO employees VALUES ('new')\")\n    db.commit()\n    return 'added'\n")
    (app / "requirements.txt").write_text("Flask\n")
    with sqlite3.connect(app / "employees.db") as db:
        db.execute("CREATE TABLE employees (name TEXT)")
        db.execute("INSERT INTO employees VALUES ('committed')")
    git = ["git", "-C", str(app), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "app and its data"]):
        subprocess.run([*git, *args], check=True, capture_output=True, timeout=60)
    with verified_image(app, base_image, "committed-db") as tag:
        port = free_port()
        container = subprocess.run(["docker", "run", "-d", "-p", f"127.0.0.1:{port}:8000", tag],
                                   capture_output=True, text=True, timeout=120, check=True).stdout.strip()
        try:
            assert page(port, "/") == "employees 1"
            assert page(port, "/add") == "added"
            assert page(port, "/") == "employees 2"
        finally:
            subprocess.run(["docker", "rm", "-f", container], capture_output=True, timeout=120)


def test_an_app_on_sqlite_that_starts_its_server_at_import_becomes_healthy_in_its_image(tmp_path, engine,
                                                                                      base_image):
    """bottle's todo tutorial: run() at module level, todo.db made by initdb.py. The runtime asked the app where
    its SQLite file is by importing todo.py as it is, which served forever: the server never started and the
    health check failed. Asked through the shim, the file is found, initdb.py runs once and the page reads it."""
    app = tmp_path / "todo"
    app.mkdir()
    (app / "todo.py").write_text(
        "import sqlite3\n\nfrom bottle import route, run\n\n\n@route('/')\ndef index():\n"
        "    db = sqlite3.connect('todo.db')\n"
        "    return 'tasks %d' % db.execute('SELECT count(*) FROM todo').fetchone()[0]\n\n\n"
        "run(host='localhost', port=8080)\n")
    (app / "initdb.py").write_text("import sqlite3\n\ndb = sqlite3.connect('todo.db')\n"
                                   "db.execute('CREATE TABLE todo (task TEXT)')\n"
                                   "db.execute(\"INSERT INTO todo VALUES ('read the docs')\")\ndb.commit()\n")
    (app / "requirements.txt").write_text("bottle\n")
    with verified_image(app, base_image, "module-level-run") as tag:
        port = free_port()
        container = subprocess.run(["docker", "run", "-d", "-p", f"127.0.0.1:{port}:8000", tag],
                                   capture_output=True, text=True, timeout=120, check=True).stdout.strip()
        try:
            assert page(port, "/") == "tasks 1"
        finally:
            subprocess.run(["docker", "rm", "-f", container], capture_output=True, timeout=120)


def test_an_app_that_logs_into_a_file_where_it_runs_starts_in_its_image(tmp_path, engine, base_image):
    """logging.basicConfig(filename="app.log") at import, with an app.log an earlier run left in the folder: in the
    image the file was root-owned in the root-owned code folder, and the import stopped (PermissionError). The
    image makes it, empty and the app's user's, so the app starts and writes its lines there."""
    app = tmp_path / "logger"
    app.mkdir()
    (app / "app.py").write_text(
        "import logging\n\nfrom flask import Flask\n\nlogging.basicConfig(filename='app.log', level=logging.INFO)\n"
        "app = Flask(__name__)\n\n\n@app.route('/')\ndef index():\n    logging.info('index asked')\n"
        "    return open('app.log').read().count('index asked') and 'logged' or 'not logged'\n")
    (app / "requirements.txt").write_text("Flask\n")
    (app / "app.log").write_text("a line from the developer's own run\n")
    with verified_image(app, base_image, "log-file") as tag:
        port = free_port()
        container = subprocess.run(["docker", "run", "-d", "-p", f"127.0.0.1:{port}:8000", tag],
                                   capture_output=True, text=True, timeout=120, check=True).stdout.strip()
        try:
            assert page(port, "/") == "logged"
            shipped = python_in(tag, "print(open('/app/app.log').read().count('developer'))")
            assert shipped.stdout.strip() == "0", shipped.stdout + shipped.stderr
        finally:
            subprocess.run(["docker", "rm", "-f", container], capture_output=True, timeout=120)


def test_a_pin_whose_source_archive_uv_cannot_unpack_is_built_by_pip_in_the_image(tmp_path, engine, base_image):
    """PyPDF2 1.26.0 publishes only a tar.gz uv's reader rejects: the builder stopped ("pypdf2==1.26.0 does not
    build"). pip builds its wheel first and uv installs from it, as serve's install does."""
    app = tmp_path / "pdfs"
    app.mkdir()
    (app / "app.py").write_text("import PyPDF2\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n"
                                "@app.route('/')\ndef index():\n    return PyPDF2.PdfFileWriter.__name__\n")
    (app / "requirements.txt").write_text("Flask\nPyPDF2==1.26.0\n")
    with verified_image(app, base_image, "pip-built") as tag:
        version = python_in(tag, "import PyPDF2; print(PyPDF2.__version__)")
        assert version.stdout.strip() == "1.26.0", version.stdout + version.stderr


def test_an_app_drawing_with_cairocffi_finds_cairo_in_its_image(tmp_path, engine, base_image):
    """cairocffi dlopens libcairo at import (WeasyPrint before 53 draws with it): the image lacked libcairo2 and the
    worker stopped ('no library called "cairo" was found')."""
    app = tmp_path / "drawing"
    app.mkdir()
    (app / "app.py").write_text("import cairocffi\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n"
                                "@app.route('/')\ndef index():\n    return cairocffi.cairo_version_string()\n")
    (app / "requirements.txt").write_text("Flask\ncairocffi\n")
    with verified_image(app, base_image, "cairo") as tag:
        assert python_in(tag, "import cairocffi; print(cairocffi.cairo_version())").returncode == 0


def page(port: int, path: str, wait: float = 60) -> str:
    """The body the container answers at path, once it answers (bounded: `wait` seconds)."""
    import urllib.error
    import urllib.request
    deadline = time.monotonic() + wait
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                return response.read().decode()
        except (urllib.error.URLError, ConnectionError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_a_pin_with_no_wheel_for_the_bases_python_fails_in_one_line_naming_it(tmp_path, engine, base_image):
    """httptools 0.2.0 has wheels up to Python 3.9 only; the Dockerfile is made for 3.9 and built on this machine's
    base (3.11, no compiler): the error names the package, why, the base's Python and the one it wants."""
    app = tmp_path / "old"
    app.mkdir()
    (app / "app.py").write_text("def app(environ, start_response):\n    start_response('200 OK', [])\n"
                                "    return [b'old']\n")
    (app / "requirements.txt").write_text("httptools==0.2.0\n")
    done = subprocess.run([*SHIPYARD, "build", str(app), "--base", base_image, "--python", "3.9", "--no-import",
                           "--tag", f"shipyard-ci/old:{uuid.uuid4().hex[:8]}"],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    base = engine.python_version(base_image)
    assert base and base != "3.9"
    assert f"httptools==0.2.0 does not build: it has no wheel for Python {base}" in last, last
    assert f"the base image has Python {base}, the Dockerfile is made for Python 3.9" in last, last
    assert f"warning: the base image {base_image} has Python {base}; this Dockerfile is made for Python 3.9" \
        in done.stderr        # said before the build, as it starts


def test_an_old_apps_open_packages_resolve_as_of_its_day_in_the_image_as_serve_does(tmp_path, engine, base_image):
    """requirements.txt of 2022 pins Flask 2.0.3 and leaves Werkzeug open: today's Werkzeug 3 breaks that Flask
    (`url_quote`). The image resolves the open packages as of the file's day, as serve does, and answers."""
    app = tmp_path / "old"
    app.mkdir()
    (app / "app.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\n"
                                "def index():\n    return 'old'\n")
    (app / "requirements.txt").write_text("Flask==2.0.3\n")
    then = time.mktime((2022, 4, 1, 12, 0, 0, 0, 0, -1))
    for name in ("app.py", "requirements.txt"):
        os.utime(app / name, (then, then))
    with verified_image(app, base_image, "dated") as tag:
        werkzeug = python_in(tag, "from importlib.metadata import version; print(version('werkzeug'))")
        assert werkzeug.stdout.split(".")[0] == "2", werkzeug.stdout + werkzeug.stderr     # of its day, not 3


def test_a_poetry_app_gets_the_versions_its_lock_pins_in_the_image(tmp_path, engine, base_image):
    """pyproject asks for Flask ^2.2 and poetry.lock pins Werkzeug 2.2.3 beside it: today's Werkzeug 3 breaks
    Flask 2.2 (`url_quote`). The image installs the lock's pins as constraints, as serve does, and answers."""
    app = tmp_path / "locked"
    app.mkdir()
    (app / "app.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\n"
                                "def index():\n    return 'locked'\n")
    (app / "pyproject.toml").write_text('[tool.poetry]\nname = "locked"\nversion = "0.1.0"\ndescription = ""\n'
                                        'authors = ["a <a@example.com>"]\n\n[tool.poetry.dependencies]\n'
                                        'python = "^3.8"\nflask = "~2.2"\n')
    packages = {"flask": "2.2.5", "werkzeug": "2.2.3", "jinja2": "3.1.2", "itsdangerous": "2.1.2",
                "click": "8.1.3", "markupsafe": "2.1.2"}
    (app / "poetry.lock").write_text("".join(f'[[package]]\nname = "{name}"\nversion = "{version}"\n'
                                             f'description = ""\noptional = false\npython-versions = ">=3.7"\n\n'
                                             for name, version in packages.items()))
    with verified_image(app, base_image, "locked") as tag:
        versions = python_in(tag, "from importlib.metadata import version; print(version('werkzeug'))")
        assert versions.stdout.strip() == "2.2.3", versions.stdout + versions.stderr


def test_a_requirements_file_frozen_by_debians_pip_builds_into_an_image(tmp_path, engine, base_image):
    """Ubuntu's `pip freeze` writes pkg-resources==0.0.0, which no index has: serve skips the line, and the image,
    which installs the file as written, failed on it. uv's --override drops it with a marker that never holds."""
    app = tmp_path / "frozen"
    app.mkdir()
    (app / "app.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\n"
                                "def index():\n    return 'frozen'\n")
    (app / "requirements.txt").write_text("Flask==3.0.3\npkg-resources==0.0.0\nWerkzeug==3.0.3\n")
    with verified_image(app, base_image, "frozen") as tag:
        versions = python_in(tag, "from importlib.metadata import version; print(version('flask'))")
        assert versions.stdout.strip() == "3.0.3", versions.stdout + versions.stderr


def test_a_django_project_naming_no_static_root_gets_its_static_files_served_by_the_images_nginx(
        tmp_path, engine, base_image):
    """startproject's settings name no STATIC_ROOT (runserver serves static files only while DEBUG is on): the
    image collects into a folder of its own, its nginx serves it, and verify GETs a file of it through nginx."""
    app = tmp_path / "site"
    app.mkdir()
    made = subprocess.run([sys.executable, "-m", "django", "startproject", "mysite", str(app)],
                          capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    assert "STATIC_ROOT" not in (app / "mysite" / "settings.py").read_text()
    (app / "requirements.txt").write_text("Django>=4.2,<6\n")
    with verified_image(app, base_image, "static-root", shows=r"ok +static files +GET /static/admin/\S+: 200") as tag:
        listed = subprocess.run(["docker", "run", "--rm", "--entrypoint", "ls", tag, "/app/staticfiles/admin/css"],
                                capture_output=True, text=True, timeout=120)
        assert "base.css" in listed.stdout, listed.stdout + listed.stderr


def test_a_mysqlclient_app_builds_it_in_the_builder_and_runs_it_on_the_client_library_alone(
        tmp_path, engine, base_image):
    """mysqlclient has no Linux wheels: the builder stage compiles it against MariaDB's client library
    (default-libmysqlclient-dev, found through pkg-config), and the runtime stage has the library (libmariadb3)
    but no headers or compiler. The app answers with MySQLdb loaded, so the check proves the library links."""
    app = tmp_path / "myc"
    app.mkdir()
    (app / "app.py").write_text(
        "import MySQLdb\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\ndef index():\n"
        "    return 'client library ' + MySQLdb.get_client_info()\n")
    (app / "requirements.txt").write_text("flask\nmysqlclient\n")
    with verified_image(app, base_image, "mysqlclient") as tag:
        loaded = python_in(tag, "import MySQLdb; print(MySQLdb.get_client_info())")
        assert loaded.returncode == 0 and loaded.stdout.strip()[:1].isdigit(), loaded.stdout + loaded.stderr
        packages = subprocess.run(["docker", "run", "--rm", "--entrypoint", "dpkg-query", tag, "-W", "-f",
                                   "${Package} ${Status}\\n"], capture_output=True, text=True, timeout=120).stdout
        installed = {line.split()[0] for line in packages.splitlines() if line.endswith("installed")
                     and "not-installed" not in line}
        assert "libmariadb3" in installed
        assert not installed & {"default-libmysqlclient-dev", "libmariadb-dev", "gcc", "pkg-config"}, installed


def _own_cache(tmp_path, monkeypatch) -> Path:
    """A Shipyard cache of the test's own (what installs learn is kept there), uv's downloads shared."""
    monkeypatch.setenv("UV_CACHE_DIR", os.environ.get("UV_CACHE_DIR") or str(Path.home() / ".cache" / "uv"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "shipyard"


def test_a_pin_the_install_left_out_as_a_leftover_is_left_out_of_the_image(tmp_path, monkeypatch, engine, base_image):
    """A freeze keeps flake8 3.7.9 and autopep8 2.0.4, which require pycodestyle ranges that exclude each other,
    and the app imports neither: the install (the proof environment here, serve --install alike) leaves one out,
    and the image, which installed the file as written and failed on the conflict, leaves the same one out."""
    cache = _own_cache(tmp_path, monkeypatch)
    app = tmp_path / "freeze"
    app.mkdir()
    (app / "app.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\n"
                                "def index():\n    return 'freeze'\n")
    (app / "requirements.txt").write_text("Flask==3.0.3\nflake8==3.7.9\nautopep8==2.0.4\n")
    (app / ".python-version").write_text(f"{engine.python_version(base_image)}\n")
    with verified_image(app, base_image, "leftover") as tag:
        left = [x.release for x in known_left_out(cache)]
        assert left == ["autopep8==2.0.4"], left
        installed = python_in(tag, "from importlib.metadata import version as v, PackageNotFoundError as E\n"
                                   "try:\n    v('autopep8'); print('autopep8')\nexcept E:\n    print(v('flake8'))")
        assert installed.stdout.strip() == "3.7.9", installed.stdout + installed.stderr


def test_the_later_release_the_install_took_for_an_open_package_is_the_images_too(tmp_path, monkeypatch, engine,
                                                                                   base_image):
    """An app of January 2020 naming greenlet unpinned: greenlet 0.4.15, the release of its day, has no wheel for
    the base's Python and no compiler builds it there. The install takes the first later release with a wheel; the
    image, which resolved as of the day and failed on 0.4.15, takes the same one."""
    _own_cache(tmp_path, monkeypatch)
    app = tmp_path / "dated"
    app.mkdir()
    (app / "app.py").write_text("import bottle\nimport greenlet\n\napp = bottle.Bottle()\n\n\n@app.route('/')\n"
                                "def index():\n    return 'greenlet %s' % greenlet.__version__\n")
    (app / "requirements.txt").write_text("bottle==0.12.25\ngreenlet\n")
    python = engine.python_version(base_image)
    (app / ".python-version").write_text(f"{python}\n")
    then = time.mktime((2020, 1, 15, 12, 0, 0, 0, 0, -1))
    for name in ("app.py", "requirements.txt", ".python-version"):
        os.utime(app / name, (then, then))
    with verified_image(app, base_image, "later") as tag:
        greenlet = python_in(tag, "import greenlet; print(greenlet.__version__)")
        assert greenlet.returncode == 0 and not greenlet.stdout.startswith("0."), greenlet.stdout + greenlet.stderr


@pytest.fixture(scope="module")
def python38_base(engine):
    """A stand-in for python:3.8-slim-bookworm (no registry here): the base image with this machine's Python 3.8
    copied in at its own prefix (its libpython's run path), first on PATH as python3; without its test suite (keys
    the image's secrets check finds). Skips where no Python 3.8 is installed."""
    import shutil
    from shipyard.environments import python_of
    found = python_of(8)
    if found is None:
        pytest.skip("no Python 3.8 on this machine to make a base image of")
    prefix = subprocess.run([found.path, "-c", "import sys; print(sys.base_prefix)"], capture_output=True, text=True,
                            timeout=60).stdout.strip()
    base_image = os.environ.get("BASE_IMAGE", DEFAULT_BASE)
    tag = "localhost/shipyard-ci-py38:latest"
    context = Path(f"/tmp/shipyard-ci-py38-{uuid.uuid4().hex[:8]}")
    try:
        shutil.copytree(prefix, context / "py", symlinks=True,
                        ignore=shutil.ignore_patterns("test", "tests", "idlelib", "tkinter", "__pycache__"))
        parents = " ".join(str(p) for p in Path(prefix).parents if str(p) != "/")
        (context / "Dockerfile").write_text(
            f"FROM {base_image}\nCOPY py {prefix}\nRUN mkdir -p {parents} && chmod o+rx {parents} \\\n"
            f" && ln -sf {prefix}/bin/python3.8 /usr/local/bin/python3 && ln -sf {prefix}/bin/python3.8 "
            f"/usr/local/bin/python3.8 && python3 -c 'import ssl, sqlite3, venv'\n")
        done = subprocess.run(["docker", "build", "-q", "-t", tag, str(context)], capture_output=True, text=True,
                              timeout=900)
        assert done.returncode == 0, done.stderr[-3000:]
    finally:
        shutil.rmtree(context, ignore_errors=True)
    yield tag


def test_the_python_serve_moved_an_app_to_is_the_one_its_image_is_made_for(tmp_path, monkeypatch, engine, base_image,
                                                                          python38_base):
    """runtime.txt-style .python-version names the base's Python, and the app pins greenlet 0.4.15, with no wheel
    for it and C source it no longer compiles: serve --install makes the app's .venv on Python 3.8. Its Dockerfile
    was then made for the Python the app names (the default BASE could not install the pins, and a 3.8 base got a
    warning saying the Dockerfile wanted the other one). Now init and build follow the move and say so."""
    from shipyard.commands.appcmd import _plan_to_install
    from shipyard.environments import interpreter_info
    from shipyard.planner import make_plan
    from shipyard.run.appenv import install_app_env
    _own_cache(tmp_path, monkeypatch)
    app = tmp_path / "moved"
    app.mkdir()
    (app / "app.py").write_text("import bottle\nimport greenlet\n\napp = bottle.Bottle()\n\n\n@app.route('/')\n"
                                "def index():\n    return 'greenlet %s' % greenlet.__version__\n")
    (app / "requirements.txt").write_text("bottle==0.12.25\ngreenlet==0.4.15\n")
    python = engine.python_version(base_image)
    assert python != "3.8"
    (app / ".python-version").write_text(f"{python}\n")
    said: list[str] = []
    # what serve --install does before it starts the server
    env = install_app_env(app, _plan_to_install(app, {}, None), said.append,
                          replan=lambda: make_plan(app, {}, confirm=False))
    assert interpreter_info(env.python).minor == "3.8", said
    init = subprocess.run([*SHIPYARD, "init", str(app), "--dry-run"], capture_output=True, text=True, timeout=600)
    assert init.returncode == 0, init.stderr[-3000:]
    assert "note: the image needs Python 3.8 (" in init.stderr, init.stderr
    tag = f"shipyard-ci/moved:{uuid.uuid4().hex[:8]}"
    done = subprocess.run([*SHIPYARD, "build", str(app), "--base", python38_base, "--tag", tag, "--path", "/"],
                          capture_output=True, text=True, timeout=1200)
    try:
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        assert re.search(r"all [67] checks passed", done.stdout), done.stdout[-3000:]
        assert "this Dockerfile is made for Python" not in done.stderr, done.stderr
    finally:
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, timeout=120)


def test_a_python2_backport_the_install_left_out_is_left_out_of_the_image(tmp_path, monkeypatch, engine, base_image):
    """An old freeze pins wsgiref 0.1.2, whose setup.py is Python 2: the install leaves it out (every Python 3 has
    the module), and the image, which installed the file as written and failed on it, leaves it out too."""
    _own_cache(tmp_path, monkeypatch)
    app = tmp_path / "backport"
    app.mkdir()
    (app / "app.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\n"
                                "def index():\n    return 'backport'\n")
    (app / "requirements.txt").write_text("Flask==3.0.3\nwsgiref==0.1.2\n")
    (app / ".python-version").write_text(f"{engine.python_version(base_image)}\n")
    with verified_image(app, base_image, "backport") as tag:
        flask = python_in(tag, "from importlib.metadata import version; print(version('flask'))")
        assert flask.stdout.strip() == "3.0.3", flask.stdout + flask.stderr


def test_a_pinned_release_the_index_removed_is_moved_in_the_image_as_the_install_moved_it(tmp_path, monkeypatch,
                                                                                         engine, base_image):
    """A 2017 freeze pins mysql-connector 2.1.4, which its authors removed from PyPI: the install takes 2.1.7, the
    nearest later release; the image, which installed the file as written and found no such release, does too."""
    _own_cache(tmp_path, monkeypatch)
    app = tmp_path / "removed"
    app.mkdir()
    (app / "app.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\n"
                                "def index():\n    return 'removed'\n")
    (app / "requirements.txt").write_text("Flask==3.0.3\nmysql-connector==2.1.4\n")
    (app / ".python-version").write_text(f"{engine.python_version(base_image)}\n")
    with verified_image(app, base_image, "removed") as tag:
        connector = python_in(tag, "from importlib.metadata import version; print(version('mysql-connector'))")
        assert connector.stdout.strip() == "2.1.7", connector.stdout + connector.stderr
