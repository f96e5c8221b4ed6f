"""Compose's host names (`@db:5432` written in the app's code) reach serve's PostgreSQL from clients libpq does not
serve: asyncpg ignores PGHOSTADDR and resolves the name itself, with the event loop's resolver (uvloop's is
libuv's, out of Python's reach). A sitecustomize in Shipyard's folder for the app, first on the app's PYTHONPATH,
maps those names to the server's address: in asyncpg's parsed connection addresses (connect_utils, patched once
it is imported), and in socket.getaddrinfo for every other pure-Python client. MySQL's clients that connect in C
(mysqlclient's MySQLdb, mysql-connector's C extension, its default when built) resolve in libmysqlclient, out of
getaddrinfo's reach: the host and port their Python layer hands the C library (MySQLdb.connections.Connection's
arguments, CMySQLConnection's _host/_port) are mapped the same way, once those modules are imported. It then runs
the sitecustomize the interpreter would have run (the overlay's, the app's own), once. The same file opens the
SQLite files and log files the code names by a path of its author's machine where serve says (SHIPYARD_SQLITE_PATHS,
SHIPYARD_LOG_PATHS).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

VARIABLE = "SHIPYARD_HOST_ALIASES"       # db=127.0.0.2,postgres=127.0.0.2,localhost:5432=127.0.0.2
SQLITE_VARIABLE = "SHIPYARD_SQLITE_PATHS"   # /mnt/c/.../urls.db=/srv/app/urls.db, one a line
LOG_VARIABLE = "SHIPYARD_LOG_PATHS"         # /home/ubuntu/app/log/debug.log=<data folder>/logs/debug.log, one a line

SITECUSTOMIZE = """\
import importlib.machinery, importlib.util, os, sys


def _shipyard_aliases():
    table = dict(p.split("=", 1) for p in os.environ.get("SHIPYARD_HOST_ALIASES", "").split(",") if "=" in p)
    if not table:
        return
    import socket
    getaddrinfo = socket.getaddrinfo

    def target(host, port):
        # "localhost:5432" (a written host for one port: the app's other localhost services stay) before "db";
        # a value "127.0.0.1:51063" moves the port too (serve's Redis, on a free port, for Redis(host="redis"))
        value = table.get("%s:%s" % (host, port), table.get(host))
        if value is None:
            return host, port
        address, _, moved = value.partition(":")
        return address, (int(moved) if moved.isdigit() else port)

    def aimed(host, port):
        if not isinstance(host, str):
            return host
        return target(host, port)[0]

    def aimed_getaddrinfo(host, port=None, *args, **kwargs):
        if isinstance(host, str):
            host, moved = target(host, port)
            if moved != port and port is not None:
                port = str(moved) if isinstance(port, str) else moved
        return getaddrinfo(host, port, *args, **kwargs)
    socket.getaddrinfo = aimed_getaddrinfo

    def aim(module):
        parse = getattr(module, "_parse_connect_dsn_and_args", None)
        if parse is None:
            return

        def aimed_parse(*args, **kwargs):
            addrs, *rest = parse(*args, **kwargs)
            addrs = [(aimed(a[0], a[1] if len(a) > 1 else None), *a[1:]) if isinstance(a, tuple) and a else a
                     for a in addrs]
            return (addrs, *rest)
        module._parse_connect_dsn_and_args = aimed_parse

    def mysql_port(port):
        # libmysqlclient's port 0: MYSQL_TCP_PORT, else 3306
        try:
            return int(port) or int(os.environ.get("MYSQL_TCP_PORT") or 3306)
        except (TypeError, ValueError):
            return port

    def aim_mysqldb(module):
        # mysqlclient: Connection(host, user, passwd, db, port, ...) or keywords, handed to _mysql's C connect
        connection = getattr(module, "Connection", None)
        if connection is None:
            return
        init = connection.__init__

        def aimed_init(self, *args, **kwargs):
            args = list(args)
            host = args[0] if args else kwargs.get("host")
            port = args[4] if len(args) > 4 else kwargs.get("port", 0)
            if isinstance(host, str) and host and not kwargs.get("unix_socket"):
                new = aimed(host, mysql_port(port))
                if new != host:
                    if args:
                        args[0] = new
                    else:
                        kwargs["host"] = new
            return init(self, *args, **kwargs)
        connection.__init__ = aimed_init

    def aim_connector(module):
        # mysql-connector's C extension connects to self._host:self._port in _open_connection
        connection = getattr(module, "CMySQLConnection", None)
        open_connection = getattr(connection, "_open_connection", None)
        if open_connection is None:
            return

        def aimed_open(self, *args, **kwargs):
            host = getattr(self, "_host", None)
            if isinstance(host, str) and host and not getattr(self, "_unix_socket", None):
                self._host = aimed(host, mysql_port(getattr(self, "_port", 0)))
            return open_connection(self, *args, **kwargs)
        connection._open_connection = aimed_open

    hooks = {"asyncpg.connect_utils": aim, "MySQLdb.connections": aim_mysqldb,
             "mysql.connector.connection_cext": aim_connector}

    class AfterClients:
        def find_spec(self, name, path=None, target=None):
            hook = hooks.get(name)
            if hook is None:
                return None
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
                return None
            execute = spec.loader.exec_module

            def exec_module(module):
                execute(module)
                hook(module)
            spec.loader.exec_module = exec_module
            return spec
    sys.meta_path.insert(0, AfterClients())


def _shipyard_table(variable):
    # paths written in the code = the files opened instead, one a line; the image's ENV, which cannot hold a line
    # break, gives one a variable (SHIPYARD_SQLITE_PATHS_1...)
    return dict(p.split("=", 1) for name, value in sorted(os.environ.items())
                if name == variable or name.startswith(variable + "_")
                for p in value.split("\\n") if "=" in p)


def _shipyard_sqlite_paths():
    # SQLite files the code names on its author's machine (sqlite:////mnt/c/.../urls.db): opened where serve says
    table = _shipyard_table("SHIPYARD_SQLITE_PATHS")
    if not table:
        return
    import sqlite3
    import sqlite3.dbapi2 as dbapi2
    connect = dbapi2.connect

    def aimed_connect(database, *args, **kwargs):
        if isinstance(database, str) and database in table:
            database = table[database]
        return connect(database, *args, **kwargs)
    sqlite3.connect = dbapi2.connect = aimed_connect


def _shipyard_log_paths():
    # log files the code names on its author's server (LOGGING's '/home/ubuntu/app/log/debug.log'): opened where
    # serve says, by every FileHandler (the rotating and watched kinds and basicConfig's call its __init__)
    table = _shipyard_table("SHIPYARD_LOG_PATHS")
    if not table:
        return
    import logging
    init = logging.FileHandler.__init__

    def aimed_init(self, filename, *args, **kwargs):
        written = os.fspath(filename) if isinstance(filename, (str, os.PathLike)) else filename
        if isinstance(written, str) and written in table:
            filename = table[written]
        init(self, filename, *args, **kwargs)
    logging.FileHandler.__init__ = aimed_init


if not getattr(sys, "_shipyard_host_aliases", False):
    sys._shipyard_host_aliases = True
    _shipyard_aliases()
    _shipyard_sqlite_paths()
    _shipyard_log_paths()
    _here = os.path.dirname(os.path.abspath(__file__))
    _others = [p for p in sys.path if os.path.abspath(p or ".") != _here]
    _spec = importlib.machinery.PathFinder.find_spec("sitecustomize", _others)
    if _spec is not None and _spec.loader is not None:
        _spec.loader.exec_module(importlib.util.module_from_spec(_spec))
"""


def aliases_env(hosts: list[str], address: str, folder: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """SHIPYARD_HOST_ALIASES and a PYTHONPATH with the boot folder (written into `folder`) first; {} for no host.
    `hosts`: names (compose's `db`), or `host:port` for that port only (a written `localhost:5432`); `address`
    may carry a port (`127.0.0.1:51063`: the written port is moved there too). The aliases `environ` already
    has (serve's Redis, started before its database) are kept, and so is one boot folder only: two
    sitecustomize files would each run the other as the one the interpreter would have run."""
    if not hosts:
        return {}
    ours = [f"{h}={address}" for h in hosts]
    kept = [p for p in environ.get(VARIABLE, "").split(",") if "=" in p and p.split("=", 1)[0] not in hosts]
    return {VARIABLE: ",".join([*kept, *ours]), "PYTHONPATH": _boot_path(folder, environ)}


def sqlite_paths_env(paths: Mapping[str, str], folder: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """SHIPYARD_SQLITE_PATHS (path written in the code = the file opened instead, one a line) and the PYTHONPATH
    with the same boot folder first (detect/foreign_sqlite.py: an absolute path of the author's machine); {} for
    none."""
    return _paths_env(SQLITE_VARIABLE, paths, folder, environ)


def log_paths_env(paths: Mapping[str, str], folder: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """SHIPYARD_LOG_PATHS (log file written in the code = the file opened instead, one a line) and the PYTHONPATH
    with the same boot folder first (detect/log_files.py foreign_log_files: a path of the author's server); {} for
    none."""
    return _paths_env(LOG_VARIABLE, paths, folder, environ)


def _paths_env(variable: str, paths: Mapping[str, str], folder: Path, environ: Mapping[str, str]) -> dict[str, str]:
    if not paths:
        return {}
    return {variable: "\n".join(f"{written}={here}" for written, here in sorted(paths.items())),
            "PYTHONPATH": _boot_path(folder, environ)}


def opened_sqlite(path: Path, environ: Mapping[str, str] | None) -> Path:
    """The file the app's process opens for the SQLite path `path` its code names: the one sqlite_paths_env aims
    it at (a folder of its author's machine, /db/example.db), else `path` itself."""
    table = dict(line.split("=", 1) for line in (environ or {}).get(SQLITE_VARIABLE, "").splitlines() if "=" in line)
    return Path(table[str(path)]) if str(path) in table else path


def _boot_path(folder: Path, environ: Mapping[str, str]) -> str:
    """The PYTHONPATH with the boot folder (its sitecustomize written into `folder`) first, and no other one."""
    boot = folder / "host-aliases"
    boot.mkdir(parents=True, exist_ok=True)
    (boot / "sitecustomize.py").write_text(SITECUSTOMIZE)
    paths = [str(boot), *(p for p in environ.get("PYTHONPATH", "").split(os.pathsep)
                          if p and p != str(boot) and not _boot_folder(p))]
    return os.pathsep.join(paths)


def _boot_folder(path: str) -> bool:
    """An earlier aliases_env's boot folder (its sitecustomize is this one)."""
    boot = Path(path)
    try:
        return boot.name == "host-aliases" and (boot / "sitecustomize.py").read_text() == SITECUSTOMIZE
    except OSError:
        return False
