"""An app that uses Redis gets a Redis of its own under `serve`/`dev` (run/redis.py): this machine's real
redis-server, REDIS_URL (and the Redis variables the app reads) pointing at it, data kept between runs,
stopped on exit; `--redis none` and a REDIS_URL of the user's own leave it out; no redis-server is one
clear error naming the install command and the opt-out."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from shipyard.errors import ShipyardError
from shipyard.planner import make_plan
from shipyard.run import redis as redis_run

from conftest import FIXTURES, free_port, make_tree, require_tool
from serveutil import get, processes_mentioning, serving_with_data

APP = FIXTURES / "apps" / "redis_counter"


def ask(url: str, command: bytes) -> bytes:
    """One RESP command to a Redis at redis://127.0.0.1:PORT/0."""
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(command)
        return s.recv(256)


@pytest.mark.slow
def test_serve_runs_the_apps_redis_keeps_its_data_and_stops_it(tmp_path):
    require_tool("nginx")
    require_tool("redis-server")
    root = shutil.copytree(APP, tmp_path / "app")
    data = tmp_path / "data"
    answers = []
    for _ in range(2):
        with serving_with_data(root, data) as (run, port):
            said = run.wait_for(r"Redis for app on 127\.0\.0\.1:(\d+) \(data in (\S+)\); REDIS_URL set", 1)
            assert said, run.output
            assert said.group(1) != "6379"             # the app reads REDIS_URL: a free port, not the default
            assert Path(said.group(2)).parent == data / "shipyard" / "redis"
            status, _, body = get(f"http://127.0.0.1:{port}/visit")
            assert status == 200 and body.endswith(f" via {said.group(1)}"), (body, run.output)
            answers.append(body.split(" via ")[0])
        assert "stopped the app's Redis" in run.output
        assert processes_mentioning(said.group(2)) == []      # nothing of it outlives serve
    # the second run found what the first one kept (the snapshot written on stop)
    assert answers == ["visit 1", "visit 2"]


def test_an_app_that_reads_no_variable_gets_the_default_port_when_it_is_free(tmp_path, monkeypatch):
    require_tool("redis-server")
    root = make_tree(tmp_path / "app", {
        "requirements.txt": "flask\nredis\n",
        "app.py": "import redis\nfrom flask import Flask\napp = Flask(__name__)\ncache = redis.Redis()\n",
    })
    plan = make_plan(root, confirm=False, installed=False)
    default = free_port()                        # stands in for 6379, which other programs here may hold
    monkeypatch.setattr(redis_run, "DEFAULT_PORT", default)
    environ = {"XDG_DATA_HOME": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    said: list[str] = []
    with redis_run.app_redis(plan, root, say=said.append, environ=environ) as env:
        assert env["REDIS_URL"] == f"redis://127.0.0.1:{default}/0"
        assert ask(env["REDIS_URL"], b"PING\r\n").startswith(b"+PONG")
        assert "reads no Redis variable" in said[1] and "where its Redis listens" in said[1]
    with socket.socket() as taken:               # another program on the default port: said, not hidden
        taken.bind(("127.0.0.1", default))
        taken.listen()
        said.clear()
        with redis_run.app_redis(plan, root, say=said.append, environ=environ) as env:
            assert env["REDIS_URL"] != f"redis://127.0.0.1:{default}/0"
            assert "another program holds" in said[1]


def test_the_redis_variables_the_app_reads_are_set(tmp_path):
    require_tool("redis-server")
    root = make_tree(tmp_path / "app", {
        "requirements.txt": "flask\nredis\n",
        "app.py": "import os, redis\nfrom flask import Flask\napp = Flask(__name__)\n"
                  "cache = redis.Redis(host=os.getenv('REDIS_HOST', 'localhost'), port=int(os.environ['REDIS_PORT']))\n"
                  "url = os.environ.get('CACHE_REDIS_URL')\n",
    })
    plan = make_plan(root, confirm=False, installed=False)
    with redis_run.app_redis(plan, root, say=print, environ={"XDG_DATA_HOME": str(tmp_path / "data")}) as env:
        assert env["REDIS_HOST"] == "127.0.0.1"
        assert env["CACHE_REDIS_URL"] == env["REDIS_URL"] == f"redis://127.0.0.1:{env['REDIS_PORT']}/0"
        assert ask(env["REDIS_URL"], b"SET k v\r\n").startswith(b"+OK")


def test_a_variable_read_with_a_redis_url_for_default_is_pointed_at_the_apps_redis_whatever_its_name(tmp_path):
    # Celery's broker as docker-compose sets it: the default names the compose service `redis`
    require_tool("redis-server")
    root = make_tree(tmp_path / "app", {
        "requirements.txt": "flask\nredis\ncelery\n",
        "app.py": "import os\nfrom flask import Flask\napp = Flask(__name__)\n"
                  "BROKER = os.environ.get('CELERY_BROKER', 'redis://redis:6379/0')\n"
                  "RESULTS = os.getenv('RESULTS_AT') or 'rediss://cache.internal:6380/1'\n"
                  "QUEUE = os.environ.get('QUEUE_URL', 'amqp://guest@rabbit//')\n",
    })
    plan = make_plan(root, confirm=False, installed=False)
    assert next(s for s in plan.services if s.name == "redis").variables == ("CELERY_BROKER", "RESULTS_AT")
    said: list[str] = []
    with redis_run.app_redis(plan, root, say=said.append, environ={"XDG_DATA_HOME": str(tmp_path / "data")}) as env:
        assert env["CELERY_BROKER"] == env["RESULTS_AT"] == env["REDIS_URL"]
        assert "QUEUE_URL" not in env
        assert ask(env["CELERY_BROKER"], b"PING\r\n").startswith(b"+PONG")
        assert "REDIS_URL, CELERY_BROKER, RESULTS_AT set for the app" in said[0]
    # set by the user: theirs, and no Redis of the app's own
    with redis_run.app_redis(plan, root, say=print, environ={"CELERY_BROKER": "redis://10.0.0.9:6379/2"}) as env:
        assert env == {"CELERY_BROKER": "redis://10.0.0.9:6379/2"}


def test_opting_out_or_bringing_your_own_starts_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(redis_run, "find_redis_server", lambda: pytest.fail("no Redis should start"))
    none = make_plan(APP, {"redis": "none"}, confirm=False, installed=False)
    with redis_run.app_redis(none, APP, say=print, environ={"PATH": "/bin"}) as env:
        assert env == {"PATH": "/bin"}
    plan = make_plan(APP, confirm=False, installed=False)
    with redis_run.app_redis(plan, APP, say=print, environ={"REDIS_URL": "redis://elsewhere:6379/1"}) as env:
        assert env == {"REDIS_URL": "redis://elsewhere:6379/1"}


def test_no_redis_server_is_one_error_with_the_install_command_and_the_opt_out(tmp_path, monkeypatch):
    monkeypatch.setattr(redis_run, "find_redis_server", lambda: None)
    plan = make_plan(APP, confirm=False, installed=False)
    with pytest.raises(ShipyardError) as err:
        with redis_run.app_redis(plan, APP, say=print, environ={"XDG_DATA_HOME": str(tmp_path)}):
            pass
    assert "uses Redis (redis (requirements.txt))" in err.value.message
    assert "apt-get install redis-server" in err.value.hint and "--redis none" in err.value.hint


def test_a_port_taken_before_redis_binds_it_is_replaced_and_a_start_that_fails_says_why(tmp_path, monkeypatch):
    require_tool("redis-server")
    plan = make_plan(APP, confirm=False, installed=False)
    environ = {"XDG_DATA_HOME": str(tmp_path / "data")}
    with socket.socket() as taken:               # another program binds between our check and Redis's bind
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy, free = taken.getsockname()[1], free_port()
        ports = iter([busy, free])
        monkeypatch.setattr(redis_run, "free_port", lambda: next(ports))
        with redis_run.app_redis(plan, APP, say=print, environ=environ) as env:
            assert env["REDIS_URL"] == f"redis://127.0.0.1:{free}/0"
        monkeypatch.setattr(redis_run, "free_port", lambda: busy)
        said = (r"the app's Redis did not start: Warning: Could not create server TCP listening socket "
                r"127\.0\.0\.1:\d+: bind: Address already in use \| Failed listening")
        with pytest.raises(ShipyardError, match=said):
            with redis_run.app_redis(plan, APP, say=print, environ=environ):
                pass
    assert redis_run._redis_pid(redis_run.app_folder(plan, APP, environ) / "redis.pid") is None    # none left


def test_an_app_that_reads_only_its_redis_host_keeps_the_port_its_code_writes(tmp_path, monkeypatch):
    # a URL shortener: Redis(host=os.getenv("REDIS_HOST", "localhost"), port=6379): the host is given, the port
    # is not, so its Redis listens on the written one (a free port left the app on another program's 6379)
    require_tool("redis-server")
    root = make_tree(tmp_path / "app", {
        "requirements.txt": "fastapi\nredis\n",
        "app/main.py": "from fastapi import FastAPI\nfrom .cache import client\napp = FastAPI()\n",
        "app/cache.py": "import os, redis\n"
                        "client = redis.Redis(host=os.getenv('REDIS_HOST', 'localhost'), port=6379)\n",
    })
    plan = make_plan(root, confirm=False, installed=False)
    default = free_port()                        # stands in for 6379, which other programs here may hold
    monkeypatch.setattr(redis_run, "DEFAULT_PORT", default)
    said: list[str] = []
    with redis_run.app_redis(plan, root, say=said.append, environ={"XDG_DATA_HOME": str(tmp_path / "data")}) as env:
        assert env["REDIS_HOST"] == "127.0.0.1" and env["REDIS_URL"] == f"redis://127.0.0.1:{default}/0"
        assert ask(env["REDIS_URL"], b"PING\r\n").startswith(b"+PONG")
        assert "no Redis URL or port variable (REDIS_HOST gives the host only)" in said[1], said


WRITTEN_CLIENT = """
import socket, sys
# what redis-py does for Redis(host="shipyardtestcache", port=6379, password="pass word")
family, kind, proto, _, address = socket.getaddrinfo("shipyardtestcache", 6379, type=socket.SOCK_STREAM)[0]
with socket.socket(family, kind, proto) as s:
    s.settimeout(5)
    s.connect(address)
    s.sendall(b"*2\\r\\n$4\\r\\nAUTH\\r\\n$9\\r\\npass word\\r\\n*1\\r\\n$4\\r\\nPING\\r\\n")
    answer = b""
    while answer.count(b"\\r\\n") < 2:
        part = s.recv(64)
        if not part:
            break
        answer += part
    print(answer)
"""


def test_a_compose_redis_the_code_writes_with_its_password_is_the_apps_redis(tmp_path):
    # a link shortener: redis.Redis(host='redis', port=6379, password='password').ping() at import, compose's
    # redis started with --requirepass password; no variable moves it: serve's Redis asks for that password and
    # the name (port included) is mapped to it in the app's process
    require_tool("redis-server")
    import subprocess
    import sys
    root = make_tree(tmp_path / "app", {
        "requirements.txt": "fastapi\nredis\n",
        "app/main.py": "from fastapi import FastAPI\nfrom .services import service\napp = FastAPI()\n",
        "app/services.py": "import redis\nservice = redis.Redis(host='shipyardtestcache', port=6379, "
                           "password='pass word', decode_responses=True)\nservice.ping()\n",
    })
    plan = make_plan(root, confirm=False, installed=False)
    said: list[str] = []
    with redis_run.app_redis(plan, root, say=said.append, environ={"XDG_DATA_HOME": str(tmp_path / "data")}) as env:
        port = int(env["REDIS_URL"].rsplit(":", 1)[1].split("/")[0])
        assert env["REDIS_URL"] == f"redis://:pass%20word@127.0.0.1:{port}/0"
        assert ask(env["REDIS_URL"], b"PING\r\n").startswith(b"-NOAUTH")        # the password is asked for
        done = subprocess.run([sys.executable, "-c", WRITTEN_CLIENT], env=env, capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "b'+OK\\r\\n+PONG\\r\\n'"
        assert any("app/services.py:2 connects to Redis at shipyardtestcache (a compose service's name): mapped "
                   f"to the app's Redis on 127.0.0.1:{port} in the app's process, which asks for the password"
                   in line for line in said), said
        assert not any("reads no Redis variable" in line for line in said)
