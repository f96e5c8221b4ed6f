"""Shared test helpers."""

from __future__ import annotations

import os
import random
import shutil
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURES = ROOT / "tests" / "fixtures"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
VENV_BIN = Path(sys.executable).parent
# ../shared/ci/container-engine.sh beside the clone (CI), or beside the folder of worktrees
CONTAINER_ENGINE = next((p / "shared" / "ci" / "container-engine.sh" for p in (ROOT.parent, ROOT.parent.parent)
                         if (p / "shared" / "ci" / "container-engine.sh").is_file()),
                        ROOT.parent / "shared" / "ci" / "container-engine.sh")


# The suite runs on two workers (scripts/test.sh: pytest-xdist, --dist loadgroup). The tests that drive the
# Docker engine run in two groups, each on one worker, in order, and both start first as the longest groups:
# "engine-stacks", the modules that bring stacks up (Shipyard's up/swarm, docker-compose, podman: Compose project
# names and the `NAME:latest` tags `up` builds come from folder names, one swarm), and "engine", the image builds
# and single containers (each under a tag or label of its own). The two share only what the engine shares safely
# between concurrent clients: the builder's cache, and the stand-in images (a tag built twice at once is the same
# image). Every other file is a group of its own, so its module fixtures are made once.
# A test is an engine test when it is marked `engine` (itself or its module), or when its own code, a fixture it
# uses, or a helper of its module that it calls names require_engine( or image_of(. The other tests of a module
# that has a few engine tests (serve tests beside one image test) run in their module's group, on either
# worker: the engine groups are the longest, and they do not touch the engine. A module that names the marks where
# no test of it is found to (a helper of another module in between) stays in its engine group whole, as before.
_ENGINE_MARKS = ("require_engine(", "image_of(")
# what a module that brings a stack up names: Shipyard's `up` or `swarm` command, docker-compose, podman
_STACK_MARKS = ('"up"', '"swarm"', "docker-compose", "podman")
_FILES_USING_ENGINE: dict[Path, bool] = {}
_CODE_USING_ENGINE: dict[object, bool] = {}


def _engine_group(path: Path) -> str:
    """The engine group of a module's engine tests: "engine-stacks" when its text names a stack command, else
    "engine" (image builds and single containers)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return "engine-stacks" if any(mark in text for mark in _STACK_MARKS) else "engine"


def _uses_engine(path: Path) -> bool:
    if path not in _FILES_USING_ENGINE:
        text = path.read_text(encoding="utf-8", errors="replace")
        _FILES_USING_ENGINE[path] = any(mark in text for mark in _ENGINE_MARKS)
    return _FILES_USING_ENGINE[path]


def _names_in(code) -> set[str]:
    """Every global name a code object (and the functions and lambdas defined in it) refers to."""
    names = set(code.co_names)
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            names |= _names_in(const)
    return names


def _code_uses_engine(func, seen: set | None = None) -> bool:
    """Whether `func`'s source names an engine mark, or a function of the same module it calls does (in turn)."""
    import inspect
    func = inspect.unwrap(func)
    code = getattr(func, "__code__", None)
    if code is None:
        return False
    if code in _CODE_USING_ENGINE:
        return _CODE_USING_ENGINE[code]
    seen = set() if seen is None else seen
    if code in seen:
        return False
    seen.add(code)
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        source = ""
    found = any(mark in source for mark in _ENGINE_MARKS)
    if not found:
        module = getattr(func, "__module__", None)
        for name in sorted(_names_in(code)):
            helper = getattr(func, "__globals__", {}).get(name)
            if (inspect.isfunction(helper) and helper.__module__ == module and helper is not func
                    and _code_uses_engine(helper, seen)):
                found = True
                break
    _CODE_USING_ENGINE[code] = found
    return found


def _item_uses_engine(item) -> bool:
    if item.get_closest_marker("engine"):
        return True
    if not _uses_engine(Path(str(item.fspath))):
        return False
    funcs = [getattr(item, "function", None)]
    info = getattr(item, "_fixtureinfo", None)
    for name in getattr(info, "names_closure", ()):
        funcs += [d.func for d in info.name2fixturedefs.get(name, ())]
    return any(_code_uses_engine(f) for f in funcs if f is not None)


def pytest_configure(config) -> None:
    # xdist hands the groups out in the order collected (the engine group first, then e2e, faults, integration and
    # the many quick unit files last, which fill the end evenly), not largest count first: by count, files of
    # hundreds of quick unit tests went before the engine group, and integration files of a few slow tests last
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items) -> None:
    engine_items = {id(item) for item in items if _item_uses_engine(item)}
    # a module naming the marks whose tests were none of them found to use the engine: the whole module, as before
    found_in = {Path(str(item.fspath)) for item in items if id(item) in engine_items}
    engine_items |= {id(item) for item in items
                     if _uses_engine(Path(str(item.fspath))) and Path(str(item.fspath)) not in found_in}
    engine: dict[str, list] = {"engine": [], "engine-stacks": []}
    groups: dict[Path, str] = {}
    for item in items:
        path = Path(str(item.fspath))
        if id(item) in engine_items:
            if path not in groups:
                groups[path] = _engine_group(path)
            item.add_marker(pytest.mark.xdist_group(groups[path]))
            engine[groups[path]].append(item)
        else:
            item.add_marker(pytest.mark.xdist_group(path.relative_to(ROOT).as_posix()))
    # the two engine groups go out first, one to each worker
    first = engine["engine"] + engine["engine-stacks"]
    chosen = set(map(id, first))
    items[:] = first + [item for item in items if id(item) not in chosen]


def require_tool(name: str) -> str:
    """Path of a program the test needs: fails in CI when missing, skips elsewhere."""
    found = shutil.which(name) or (str(VENV_BIN / name) if (VENV_BIN / name).exists() else None)
    if found:
        return found
    if IN_CI:
        pytest.fail(f"{name} is required in CI but was not found (scripts/setup-dev.sh installs it)")
    pytest.skip(f"{name} not installed")


def require_engine() -> None:
    """A running Docker engine: fails in CI when there is none."""
    import subprocess
    docker = require_tool("docker")
    ok = subprocess.run([docker, "info"], capture_output=True, timeout=30).returncode == 0
    if not ok:
        if IN_CI:
            pytest.fail("a running Docker engine is required in CI (../shared/ci/container-engine.sh up)")
        pytest.skip("no running Docker engine")


def require_python(minor: str):
    """An interpreter of Python `minor` ("3.8") on this machine (pyenv's, the system's, uv's), for the tests of
    installs that fall back to an older Python: fails in CI when missing, skips elsewhere."""
    from shipyard import environments
    found = environments.python_of(int(minor.split(".")[1]))
    if found is not None:
        return found
    if IN_CI:
        pytest.fail(f"Python {minor} is required in CI (pyenv install {minor}) but was not found")
    pytest.skip(f"Python {minor} is not installed (the code path under test picks an older Python)")


# What a user's own commands leave in an example folder (`serve --install` makes .venv; `init` may leave
# backups): a test copies an example without them, so it neither depends on them nor is broken by them.
USER_LEFTOVERS = (".venv", "venv", "env", "__pycache__", "*.shipyard-bak", "*.shipyard-bak.*", "*.bak")


def stop_process(proc: subprocess.Popen, timeout: float = 10) -> None:
    """SIGTERM, then SIGKILL once `timeout` passes: a server under test never outlives its test."""
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def get_over_socket(sock: Path, proc: subprocess.Popen, seconds: float = 30) -> bytes:
    """The answer to GET / from a server listening on the unix socket `sock`, asked until it answers (b"" when
    `proc` exits first or `seconds` pass)."""
    deadline, answer = time.monotonic() + seconds, b""
    while time.monotonic() < deadline and proc.poll() is None and not answer:
        if sock.exists():
            client = socket.socket(socket.AF_UNIX)
            client.settimeout(5)
            try:
                client.connect(str(sock))
                client.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                answer = b"".join(iter(lambda: client.recv(4096), b""))
            except OSError:
                answer = b""
            finally:
                client.close()
        time.sleep(0.2)
    return answer


def copy_example(name: str, dest: Path) -> Path:
    """A clean copy of examples/<name> at `dest` (without a user's .venv, caches and backups)."""
    shutil.copytree(EXAMPLES / name, dest, ignore=shutil.ignore_patterns(*USER_LEFTOVERS))
    return dest


def suite_app_env() -> dict[str, str]:
    """The environment variables that make `serve`/`dev` run an app with the test suite's own interpreter
    (which has every server and framework), whatever .venv a user created in an example folder."""
    if sys.prefix != sys.base_prefix:
        return {"VIRTUAL_ENV": sys.prefix}
    return {"VIRTUAL_ENV": ""}


def make_tree(root: Path, files: dict[str, str]) -> Path:
    """Write a small project: {relative path: text (dedented)} under `root`; return `root`."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


# one GET through a module's ASGI `app`, as an ASGI 3 server calls it: argv is the module, the path, then folders
# to import from before the working directory; prints [status, body]
_ASGI_GET = """
import asyncio, importlib, json, sys
sys.path[:0] = sys.argv[3:]
app = importlib.import_module(sys.argv[1]).app
path = sys.argv[2]
sent, asked = [], []
async def receive():
    asked.append(1)
    if len(asked) > 1:
        await asyncio.Event().wait()          # the client never leaves: the app answers first
    return {"type": "http.request", "body": b"", "more_body": False}
async def send(message):
    sent.append(message)
scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
         "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": [(b"host", b"x")],
         "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
asyncio.run(app(scope, receive, send))
print(json.dumps([sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:]).decode()]))
"""


# A synchronous Alembic env beside an async app: it removes the async driver from the URL the app reads, so
# SQLAlchemy opens it with its default driver (which the app's dependency files do not name)
_DRIVER_STRIPPING_ENV = """
import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

url = os.environ["DB_URI"].replace("+asyncpg", "")
with create_engine(url, poolclass=pool.NullPool).connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
"""


def async_app_writing_no_url(dest: Path) -> Path:
    """fixtures/apps/alembic_async_postgres made into an app that writes no database URL anywhere: its async
    engine reads DB_URI (no default; its README would say to set an asyncpg URL), alembic.ini names none, and
    its env.py removes the driver from DB_URI."""
    root = Path(shutil.copytree(FIXTURES / "apps" / "alembic_async_postgres", dest))
    app = (root / "app.py").read_text().replace('os.environ["DATABASE_URL"]', 'os.environ["DB_URI"]')
    (root / "app.py").write_text('"""An async engine on DB_URI."""\n' + app.split('"""', 2)[2])
    ini = root / "alembic.ini"
    ini.write_text("".join(l for l in ini.read_text().splitlines(True) if not l.startswith("sqlalchemy.url")))
    (root / "migrations" / "env.py").write_text(_DRIVER_STRIPPING_ENV.lstrip())
    return root


def rendered_shim(plan) -> str:
    """The shipyard_entry.py `plan` needs (it must need one), checked to compile."""
    from shipyard.render import render
    from shipyard.render.render import needs_shim
    assert needs_shim(plan), plan.entry
    shim = render(plan, only=("shipyard_entry.py",))["shipyard_entry.py"]
    compile(shim, "shipyard_entry.py", "exec")
    return shim


def asgi_get(root: Path, module: str = "shipyard_entry", path: str = "/", env: dict[str, str] | None = None,
             first: Path | None = None) -> subprocess.CompletedProcess:
    """GET `path` through `module`'s ASGI `app`, imported in a fresh interpreter run in `root` (with `env`; from
    the folder `first` before `root` when given): its stdout is [status, body] as JSON."""
    return subprocess.run([sys.executable, "-c", _ASGI_GET, module, path, *([str(first)] if first else [])],
                          cwd=root, capture_output=True, text=True, timeout=60, env=env)


def get_through_shim(root: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """GET / through root/shipyard_entry.py's ASGI `app` in a fresh interpreter with `env`."""
    return asgi_get(root, env=env)


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


_GIVEN_PORTS: set[int] = set()


def free_port() -> int:
    """A loopback port nothing listens on, for a server the test starts. Taken below the kernel's ephemeral range
    and in this xdist worker's own share of it: a port the kernel hands out (bind to 0) is freed before the test
    binds it, and the other worker's outgoing connections and port-0 servers (its PostgreSQL, Redis) could take
    it in between ("port already in use")."""
    low, high = 10000, _ephemeral_low()
    if os.environ.get("SHIPYARD_TEST_PORTS"):     # "17000-17999": a range of its own, on a machine shared by runs
        low, high = (int(p) for p in os.environ["SHIPYARD_TEST_PORTS"].split("-"))
    workers = max(1, int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1))
    index = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").lstrip("gw") or 0) % workers
    share = (high - low) // workers
    first = low + index * share
    rng = random.Random(os.getpid() ^ time.monotonic_ns())
    for _ in range(500):
        port = rng.randrange(first, first + share)
        if port in _GIVEN_PORTS:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _GIVEN_PORTS.add(port)
        return port
    with socket.socket() as s:            # the share is full: any port the kernel gives
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def own_shipyard_cache(tmp_path, monkeypatch):
    """A Shipyard cache of the test's own, as on a fresh machine: what an install learns (a pin moved, left out or
    relaxed on that Python: moved_pins.py, dropped_pins.py, pin_conflicts.py) is kept there and applied silently
    by the next plan, so a test that checks the note an install says must not find another test's lesson. uv's
    download cache stays shared."""
    shared_uv = os.environ.get("UV_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "uv")
    monkeypatch.setenv("UV_CACHE_DIR", shared_uv)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "own-cache"))


@pytest.fixture
def serving():
    """Start `shipyard serve ARGS...` as a real subprocess (serveutil.Running); whatever each run left behind (its
    processes, nginx and the server under supervisord, its run folder) is gone after the test."""
    from serveutil import Running   # serveutil imports this module: import it only when a test serves
    runs: list = []

    def start(*args: str, env: dict[str, str] | None = None):
        run = Running("serve", *args, env=env)
        runs.append(run)
        return run

    yield start
    for run in runs:
        run.discard()


@pytest.fixture
def base_image() -> str:
    return os.environ.get("BASE_IMAGE", "localhost/bookworm-py:latest")


@contextmanager
def image_of(plan, root: Path, base_image: str) -> Iterator[str]:
    """The tag of the image built from the files `plan` renders into `root` (BASE and BUILDER: `base_image`),
    removed afterwards."""
    import subprocess

    from shipyard.render import Target, render
    for name, text in render(plan, Target.image()).items():
        (root / name).write_text(text)
    tag = f"shipyard-test-{uuid.uuid4().hex[:8]}"
    try:
        build = subprocess.run(["docker", "build", "--network", "host", "--build-arg", f"BASE={base_image}",
                                "--build-arg", f"BUILDER={base_image}", "-t", tag, str(root)],
                               capture_output=True, text=True, timeout=900)
        assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
        yield tag
    finally:
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, timeout=120)


def write_sdist(folder: Path, name: str, version: str, files: dict[str, str]) -> Path:
    """A source archive NAME-VERSION.tar.gz of a package of the test's own in `folder` ({relative path: text}),
    for uv to build from (--find-links)."""
    import io
    import tarfile
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / f"{name}-{version}.tar.gz", "w:gz") as archive:
        for rel, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"{name}-{version}/{rel}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return folder
