"""A port the code writes for PostgreSQL that another program holds here (run/written_port.py): the logins libpq
can be taken to serve's server through PGHOSTADDR, and the holder named in the line serve says."""

from __future__ import annotations

import dataclasses
import os
import socket

import pytest

from conftest import make_tree
from shipyard.detect.written_db import WrittenDatabase
from shipyard.plan import Dependency
from shipyard.planner import make_plan
from shipyard.run import written_port
from shipyard.run.ports import port_holder

LITERAL = WrittenDatabase("shop", "pw", "shop", "config.py", 3, 5432, host="localhost", scheme="postgresql")


def _plan(tmp_path, *requirements: str, framework_file: str = "from flask import Flask\napp = Flask(__name__)\n"):
    plan = make_plan(make_tree(tmp_path / "app", {"app.py": framework_file, "requirements.txt": "flask\n"}),
                     confirm=False, installed=False)
    return dataclasses.replace(plan, dependencies=tuple(Dependency(name, "", "requirements.txt") for name in requirements))


@pytest.mark.parametrize("requirements, login, reached", [
    (("SQLAlchemy", "psycopg2-binary"), LITERAL, True),
    (("psycopg",), LITERAL, True),
    (("aiopg",), dataclasses.replace(LITERAL, host=""), True),           # parts with no host: libpq's PGHOST
    (("SQLAlchemy", "asyncpg", "psycopg2"), dataclasses.replace(LITERAL, scheme="postgresql+psycopg2"), True),
    (("SQLAlchemy", "asyncpg", "psycopg2"), dataclasses.replace(LITERAL, scheme="postgresql+asyncpg"), False),
    (("asyncpg",), LITERAL, False),                                     # asyncpg reads no PGHOSTADDR
    (("pg8000", "psycopg2"), LITERAL, False),
    (("psycopg2",), dataclasses.replace(LITERAL, via="DB_URL"), False),   # a variable takes it (repointed)
    (("psycopg2",), dataclasses.replace(LITERAL, host="db.example.com"), False),    # not this machine
    (("psycopg2",), dataclasses.replace(LITERAL, port=6543), False),    # another port than the one held
])
def test_which_written_logins_libpq_takes_to_serves_server(tmp_path, requirements, login, reached):
    plan = _plan(tmp_path, *requirements)
    assert (written_port.libpq_literal(plan, [login], 5432) == login) is reached


@pytest.mark.parametrize("requirements, login, mapped", [
    (("asyncpg",), LITERAL, True),
    (("pg8000",), LITERAL, True),
    (("SQLAlchemy", "asyncpg", "psycopg2"), dataclasses.replace(LITERAL, scheme="postgresql+asyncpg"), True),
    (("SQLAlchemy", "psycopg2"), LITERAL, False),                      # libpq's: PGHOSTADDR
    (("pg8000", "psycopg2"), LITERAL, False),                          # which one connects is not known
    (("asyncpg",), dataclasses.replace(LITERAL, via="DB_URL"), False),
])
def test_which_written_logins_asyncpg_and_pg8000_reach_through_the_host_map(tmp_path, requirements, login, mapped):
    plan = _plan(tmp_path, *requirements)
    assert (written_port.own_protocol_literal(plan, [login], 5432) == login) is mapped
    assert written_port.aliased_address(login) == "localhost:5432"


def test_django_settings_are_overlaid_instead(tmp_path):
    plan = dataclasses.replace(_plan(tmp_path, "psycopg2"), framework="django")
    assert written_port.libpq_literal(plan, [LITERAL], 5432) is None


def test_pghostaddr_is_given_only_at_a_loopback_alias(monkeypatch):
    monkeypatch.setattr(written_port, "port_holder", lambda port, host=None: "postgres (pid 4242)")
    said: list[str] = []
    assert written_port.hostaddr_env(LITERAL, "127.0.0.2", said.append) == {"PGHOSTADDR": "127.0.0.2"}
    assert said == ["config.py:3 connects to PostgreSQL on localhost:5432, which postgres (pid 4242) holds on "
                    "127.0.0.1: the app's PostgreSQL listens on 127.0.0.2:5432, and PGHOSTADDR=127.0.0.2 takes the "
                    "app's libpq connections (psycopg2, psycopg) there (to use the server on 5432 instead: --db none)"]
    assert written_port.hostaddr_env(LITERAL, "127.0.0.1", said.append) == {}
    assert written_port.hostaddr_env(None, "127.0.0.2", said.append) == {}


def test_the_port_holder_is_named_from_proc():
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        name = open(f"/proc/{os.getpid()}/comm").read().strip()
        assert port_holder(port) == f"{name} (pid {os.getpid()})"
    assert port_holder(port) == ""


def test_the_holder_on_127_0_0_1_is_named_not_serves_own_server_on_another_loopback_address(tmp_path):
    # serve's PostgreSQL already listens on the written port at 127.0.0.2 when the line naming the holder is said:
    # the one holding it on 127.0.0.1 is named (a listing in pid order named serve's own postgres after a wrap)
    table = ("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
             "   0: 0200007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   106        0 1111\n"
             "   1: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   106        0 2222\n")
    proc = make_tree(tmp_path / "proc", {"net/tcp": table, "12/comm": "postgres\n", "40/comm": "python\n"})
    for pid, inode in (("12", "1111"), ("40", "2222")):
        (proc / pid / "fd").mkdir()
        (proc / pid / "fd" / "3").symlink_to(f"socket:[{inode}]")
    assert port_holder(5432, proc, host="127.0.0.1") == "python (pid 40)"
    assert port_holder(5432, proc) == "postgres (pid 12)"              # any address: the first by pid
    # a listener on every address (0.0.0.0, or IPv6's ::) holds it on 127.0.0.1 too
    (proc / "net" / "tcp").write_text(table.replace("0100007F:1538", "0100007F:1539"))
    (proc / "net" / "tcp6").write_text(
        "  sl  local_address rem_address st tx_queue rx_queue tr tm->when retrnsmt uid timeout inode\n"
        "   0: 00000000000000000000000000000000:1538 00000000000000000000000000000000:0000 0A 00000000:00000000 "
        "00:00000000 00000000 0 0 2222\n")
    assert port_holder(5432, proc, host="127.0.0.1") == "python (pid 40)"


def test_a_socket_whose_process_is_hidden_is_another_users(tmp_path):
    # /proc shows every socket, but only the processes this user may look into
    proc = make_tree(tmp_path / "proc", {
        "net/tcp": "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
                   "   0: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   106        0 7777\n",
        "12/comm": "postgres\n"})
    assert port_holder(5432, proc) == "a process of another user"
    assert port_holder(5433, proc) == ""
    (proc / "12" / "fd").mkdir()
    (proc / "12" / "fd" / "3").symlink_to("socket:[7777]")
    assert port_holder(5432, proc) == "postgres (pid 12)"
