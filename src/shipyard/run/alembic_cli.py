"""Alembic, run the way `serve` needs it: aimed at the database `serve` made, and asked which SQLite file it
migrates. Both go through Alembic's own command line, loaded with the app's interpreter, so the app's env.py
decides as it always does; only the URL it is given, or the URL it hands to Alembic, is touched.
"""

from __future__ import annotations

import inspect
import json
import subprocess
from pathlib import Path
from typing import Mapping

from .. import paste_drop

# Threads the app's modules start when env.py imports them (a scheduler loop at import time,
# `threading.Thread(target=run).start()` in a task package its models live in) run as daemons here: not being
# daemons, they would keep the process alive after Alembic is done, as they keep the README's `alembic upgrade head`,
# and the release would wait out its time limit. A thread that asks for daemon=False keeps it.
DAEMON_THREADS = """\
import threading
_thread_init = threading.Thread.__init__
def _daemon_unless_asked(self, *args, **kwargs):
    _thread_init(self, *args, **kwargs)
    if kwargs.get("daemon") is None:
        self.daemon = True
threading.Thread.__init__ = _daemon_unless_asked
"""

# Alembic itself, imported from the app's environment before the app's folder goes back on sys.path: `python -c`
# puts the folder first, where a migrations package named alembic/ (with an __init__.py) would shadow Alembic
# (`No module named 'alembic.config'`); the `alembic` command the README runs never has it there first
INSTALLED = """\
import os, sys
_path = sys.path[:]
sys.path[:] = [p for p in sys.path if p not in ("", ".") and os.path.abspath(p) != os.getcwd()]
import alembic.config, alembic.command
sys.path[:] = _path
"""
INSTALLED = DAEMON_THREADS + INSTALLED

# Alembic's command line, with the ini's sqlalchemy.url aimed at the database `serve` made (argv[1]): an env.py
# that reads the URL from the ini (Alembic's template) would otherwise migrate the compose host the ini names
# (`@db:5432`) while the app serves from ours. The ini's scheme (its driver) is kept. Pyramid's env.py reads
# the app's own settings instead (`get_appsettings(config.config_file_name)`: [app:main]'s sqlalchemy.url, a
# `localhost` PostgreSQL with the ini's user), so the settings it gets are aimed the same way.
_AIM = """\
from alembic.config import CommandLine
run_cmd = CommandLine.run_cmd
def ours_with(written):
    ours = sys.argv[1]
    scheme = written.partition("://")[0] if "://" in written else ours.partition("://")[0]
    if scheme == ours.partition("://")[0].split("+")[0]:
        # no driver named: SQLAlchemy's default for the dialect (psycopg 3 from 2.1), where ours names the one
        # the app declares
        scheme = ours.partition("://")[0]
    return scheme + "://" + ours.partition("://")[2]
def aimed(self, config, options):
    try:
        written = config.get_main_option("sqlalchemy.url") or ""
    except Exception:   # it interpolates options its env.py sets (%(DB_USERNAME)s), not set yet: read it as written
        written = config.file_config.get(config.config_ini_section, "sqlalchemy.url", raw=True, fallback="")
    config.set_main_option("sqlalchemy.url", ours_with(written).replace("%", "%%"))
    run_cmd(self, config, options)
CommandLine.run_cmd = aimed
try:
    import pyramid.paster as paster
except Exception:
    paster = None
if paster is not None:
    # an egg-info committed in the app's folder must not hide the installed app from the ini's `egg:` check
    installed_over_committed_egg_info(os.getcwd())
    app_settings = paster.get_appsettings
    def aimed_settings(*args, **kwargs):
        settings = app_settings(*args, **kwargs)
        if settings.get("sqlalchemy.url"):
            settings["sqlalchemy.url"] = ours_with(settings["sqlalchemy.url"])
        return settings
    paster.get_appsettings = aimed_settings
"""
_AIM = inspect.getsource(paste_drop.installed_over_committed_egg_info) + _AIM
AIMED = INSTALLED + _AIM + 'CommandLine(prog="alembic").main(argv=sys.argv[2:])\n'

# A history that starts from tables it never creates (detect/recreated_tables.assumed_tables: the app's
# create_all made them, Alembic came later): `alembic stamp` (argv[2:]) through the app's own env.py, which first
# creates the models' tables on the connection env.py opened, in its transaction. The models are the metadata
# env.py hands Alembic (target_metadata), else the SQLAlchemy MetaData holding tables that the app's own modules
# (none installed: SQLAlchemy's own pg_catalog tables are not the app's) name, themselves or as a declarative
# base's (Base, SQLModel), once env.py imported them (an env.py that sets target_metadata = None).
_MODELS_FIRST = """\
from alembic.runtime.environment import EnvironmentContext
run_migrations = EnvironmentContext.run_migrations
def apps_metadatas(sqlalchemy):
    installed = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    found = []
    for module in list(sys.modules.values()):
        path = os.path.realpath(getattr(module, "__file__", None) or "/")
        if path == "/" or "site-packages" in path or "dist-packages" in path \\
                or any(path.startswith(p + os.sep) for p in installed):
            continue
        for value in list(vars(module).values()):
            try:
                metadata = value if isinstance(value, sqlalchemy.MetaData) \\
                    else getattr(value, "metadata", None) if isinstance(value, type) else None
            except Exception:
                continue
            if isinstance(metadata, sqlalchemy.MetaData) and metadata.tables and all(metadata is not m for m in found):
                found.append(metadata)
    return found
def models_first(self, **kw):
    context = self.get_context()
    if context.connection is not None:
        import sqlalchemy
        given = context.opts.get("target_metadata")
        metadatas = [m for m in (given if isinstance(given, (list, tuple)) else [given]) if m is not None]
        if not any(m.tables for m in metadatas):
            metadatas = apps_metadatas(sqlalchemy)
        if os.environ.get("SHIPYARD_DROP_LEFT_TABLES"):
            # a database made for the app in this run, where a failed upgrade left the tables of the revisions
            # before the one that failed (no transactional DDL: SQLite, MySQL): the models' tables replace them
            left = sqlalchemy.MetaData()
            left.reflect(context.connection)
            left.drop_all(context.connection)
        for metadata in metadatas:
            metadata.create_all(context.connection)
        names = sorted({t for m in metadatas for t in m.tables})
        if not names:
            raise SystemExit("shipyard: no SQLAlchemy models (MetaData with tables) to make the tables from")
        print("shipyard: created the models' tables (" + ", ".join(names) + ") before stamping", file=sys.stderr)
    return run_migrations(self, **kw)
"""
MODELS_THEN_STAMP = INSTALLED + _AIM + _MODELS_FIRST + """\
EnvironmentContext.run_migrations = models_first
CommandLine(prog="alembic").main(argv=sys.argv[2:])
"""

# The image's release (the runtime's `alembic-upgrade`; argv[1]: the plan's models_fallback as JSON, then Alembic's
# arguments, `upgrade head`): Alembic's upgrade as written, through the app's env.py on the URL it takes there. When
# it fails on a database that held no applied history and no row before it ran (a stack's new database; tables the
# app's import made are empty), and the error names one of the tables the history assumes (when any is given),
# the models' tables are made as serve makes them (_MODELS_FIRST, the tables the failed upgrade left dropped) and
# the history stamped at the upgrade's target, with a warning; otherwise the upgrade's exit status stands.
UPGRADE_ELSE_MODELS = INSTALLED + _MODELS_FIRST + """\
import json, traceback
from alembic.config import CommandLine
why_tables = json.loads(sys.argv[1])
args = sys.argv[2:]
seen = {}
def holds_nothing(connection):
    import sqlalchemy
    names = sqlalchemy.inspect(connection).get_table_names()
    for name in names:
        table = sqlalchemy.table(name)
        if connection.execute(sqlalchemy.select(sqlalchemy.literal(1)).select_from(table).limit(1)).first():
            return False
    return True
def noting_new(self, **kw):
    context = self.get_context()
    if "new" not in seen and context.connection is not None:
        seen["new"] = holds_nothing(context.connection)
    return run_migrations(self, **kw)
EnvironmentContext.run_migrations = noting_new
failure = ""
try:
    CommandLine(prog="alembic").main(argv=args)
except SystemExit as exc:
    if exc.code in (None, 0):
        raise
    failure = "exit status %s" % exc.code
except Exception as exc:
    traceback.print_exc()
    failure = "%s: %s" % (type(exc).__name__, exc)
if not failure:
    sys.exit(0)
if not seen.get("new") or (why_tables[1:] and not any(t in failure for t in why_tables[1:])):
    sys.exit(1)
at = args.index("upgrade")
stamp = args[:at] + ["stamp"] + (args[at + 1:] or ["head"])
print("shipyard: the upgrade failed on a new database: making the models' tables and stamping the history instead",
      file=sys.stderr, flush=True)
os.environ["SHIPYARD_DROP_LEFT_TABLES"] = "1"
EnvironmentContext.run_migrations = models_first
try:
    CommandLine(prog="alembic").main(argv=stamp)
except SystemExit as exc:
    if exc.code not in (None, 0):
        sys.exit(1)
except Exception:
    traceback.print_exc()
    sys.exit(1)
print("shipyard: warning: %s; the Alembic history does not apply to a new database: on this one the models' tables "
      "were made with SQLAlchemy's create_all() and the history stamped as applied (`alembic %s`); fix the revision "
      "that fails (its error is above) to make the history apply" % (why_tables[0], " ".join(stamp)),
      file=sys.stderr, flush=True)
"""

# The URL the app's env.py hands to Alembic, read in offline mode (`upgrade head --sql`, which connects to
# nothing): its configure() is stopped before anything runs. Prints the SQLite files among them, absolute.
_SQLITE_FILES = INSTALLED + """\
import json
from alembic.config import CommandLine
from alembic.runtime.environment import EnvironmentContext
from sqlalchemy.engine.url import make_url
found = []
class Seen(Exception):
    pass
def configure(self, connection=None, url=None, **kwargs):
    found.append(url)
    raise Seen
EnvironmentContext.configure = configure
try:
    CommandLine(prog="alembic").main(argv=sys.argv[1:])
except Seen:
    pass
files = []
for url in found:
    if url is None:
        continue
    url = make_url(url) if isinstance(url, str) else url
    name = url.database or ""
    if url.get_backend_name() == "sqlite" and name and name != ":memory:" and not name.startswith("file:"):
        files.append(os.path.abspath(name))
print(json.dumps(files))
"""


# Alembic's own command line without `python -m alembic`, which Alembic before 1.5 cannot run (no __main__)
MAIN = INSTALLED + "from alembic.config import main\nmain(argv=sys.argv[1:], prog='alembic')\n"


def is_alembic(argv: tuple[str, ...] | list[str]) -> bool:
    """A release run as `python -m alembic ...`."""
    return len(argv) > 2 and argv[0] == "python" and tuple(argv[1:3]) == ("-m", "alembic")


def command_argv(python: str, argv: list[str] | tuple[str, ...], database_url: str | None = None) -> list[str]:
    """`python -m alembic ARGS` as Alembic's command line in code (any Alembic version), run against
    `database_url` whatever URL the ini writes when it is given."""
    if database_url:
        return [python, "-c", AIMED, database_url, *argv[3:]]
    return [python, "-c", MAIN, *argv[3:]]


def sqlite_files(python: str, argv: tuple[str, ...], cwd: Path, environ: Mapping[str, str],
                 timeout: float = 120) -> list[Path]:
    """The SQLite files the release `argv` (python -m alembic [-c INI] upgrade head) would migrate, as the
    app's env.py names them in offline mode; [] when it names none or cannot tell (an env.py without an
    offline mode, one that fails: the migration itself then says why)."""
    try:
        done = subprocess.run([python, "-c", _SQLITE_FILES, *argv[3:], "--sql"], cwd=cwd, env=dict(environ),
                              capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        names = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else []
    except (OSError, subprocess.TimeoutExpired, ValueError, IndexError):
        return []
    return [Path(n) for n in names] if isinstance(names, list) else []
