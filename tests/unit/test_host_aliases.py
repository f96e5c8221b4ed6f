"""Compose's host names mapped to serve's PostgreSQL for clients libpq does not serve (asyncpg): the boot
sitecustomize rewrites asyncpg's parsed addresses and socket.getaddrinfo, and runs the next sitecustomize once.
(Through a real asyncpg app and server: tests/integration/test_serve_database.py.)"""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import make_tree
from shipyard.run import host_aliases

# a stand-in for asyncpg's connect_utils: the function the boot file wraps, as asyncpg defines it
FAKE_ASYNCPG = {
    "asyncpg/__init__.py": "",
    "asyncpg/connect_utils.py": "def _parse_connect_dsn_and_args(*, dsn, host, port):\n"
                                "    return [(host, port), '/run/socket'], {'dsn': dsn}\n",
    "other/sitecustomize.py": "import sys\nsys.other_site_ran = getattr(sys, 'other_site_ran', 0) + 1\n",
}
CHECK = """
import socket, sys
from asyncpg import connect_utils
print(connect_utils._parse_connect_dsn_and_args(dsn="x", host="db", port=5432))
print(connect_utils._parse_connect_dsn_and_args(dsn="x", host="elsewhere", port=1))
print(socket.getaddrinfo("db", 5432)[0][4][0], sys.other_site_ran)
"""


def test_compose_names_reach_the_servers_address_through_asyncpg_and_getaddrinfo(tmp_path):
    root = make_tree(tmp_path / "lib", FAKE_ASYNCPG)
    env = host_aliases.aliases_env(["db"], "127.0.0.2", tmp_path / "app", {"PYTHONPATH": str(root / "other")})
    assert env[host_aliases.VARIABLE] == "db=127.0.0.2"
    assert env["PYTHONPATH"].split(os.pathsep) == [str(tmp_path / "app" / "host-aliases"), str(root / "other")]
    environ = {**os.environ, **env, "PYTHONPATH": env["PYTHONPATH"] + os.pathsep + str(root)}
    done = subprocess.run([sys.executable, "-c", CHECK], env=environ, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["([('127.0.0.2', 5432), '/run/socket'], {'dsn': 'x'})",
                                        "([('elsewhere', 1), '/run/socket'], {'dsn': 'x'})",
                                        "127.0.0.2 1"]
    assert host_aliases.aliases_env([], "127.0.0.2", tmp_path / "none", {}) == {}


PORT_CHECK = """
import socket
from asyncpg import connect_utils
print(connect_utils._parse_connect_dsn_and_args(dsn="x", host="localhost", port=5432)[0][0])
print(connect_utils._parse_connect_dsn_and_args(dsn="x", host="localhost", port=6379)[0][0])
print(socket.getaddrinfo("localhost", 5432, type=socket.SOCK_STREAM)[0][4][:2])
print(socket.getaddrinfo("localhost", 6379, type=socket.SOCK_STREAM)[0][4][0])
"""


def test_a_written_host_and_port_is_mapped_for_that_port_only(tmp_path):
    # asyncpg/pg8000 on `localhost:5432`, which another program holds: that port goes to serve's server at
    # 127.0.0.2; the app's Redis on localhost:6379 stays where it is
    root = make_tree(tmp_path / "lib", FAKE_ASYNCPG)
    env = host_aliases.aliases_env(["localhost:5432"], "127.0.0.2", tmp_path / "app", {})
    assert env[host_aliases.VARIABLE] == "localhost:5432=127.0.0.2"
    environ = {**os.environ, **env, "PYTHONPATH": env["PYTHONPATH"] + os.pathsep + str(root)}
    done = subprocess.run([sys.executable, "-c", PORT_CHECK], env=environ, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["('127.0.0.2', 5432)", "('localhost', 6379)", "('127.0.0.2', 5432)",
                                        "127.0.0.1"]


MOVED_CHECK = """
import socket
print(socket.getaddrinfo("cache", 6379, type=socket.SOCK_STREAM)[0][4][:2])
print(socket.getaddrinfo("cache", "6379", type=socket.SOCK_STREAM)[0][4][:2])
print(socket.getaddrinfo("db", 5432, type=socket.SOCK_STREAM)[0][4][:2])
print(socket.getaddrinfo("localhost", 8000, type=socket.SOCK_STREAM)[0][4][:2])
"""


def test_an_address_with_a_port_moves_the_written_port_and_earlier_aliases_are_kept(tmp_path):
    # serve's Redis on a free port answers Redis(host="cache", port=6379); its database, started after it with
    # the Redis's environment, keeps that alias and the one boot folder (two would run each other in turn)
    redis = host_aliases.aliases_env(["cache"], "127.0.0.1:51063", tmp_path / "redis", {"PYTHONPATH": "/x"})
    assert redis[host_aliases.VARIABLE] == "cache=127.0.0.1:51063"
    both = host_aliases.aliases_env(["db"], "127.0.0.2", tmp_path / "db", redis)
    assert both[host_aliases.VARIABLE] == "cache=127.0.0.1:51063,db=127.0.0.2"
    assert both["PYTHONPATH"].split(os.pathsep) == [str(tmp_path / "db" / "host-aliases"), "/x"]
    done = subprocess.run([sys.executable, "-c", MOVED_CHECK], env={**os.environ, **both}, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["('127.0.0.1', 51063)", "('127.0.0.1', 51063)", "('127.0.0.2', 5432)",
                                        "('127.0.0.1', 8000)"]
