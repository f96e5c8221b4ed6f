"""The SQL dump an app's README (or root setup script) loads into its PostgreSQL database by hand, after cloning.

Course and tutorial apps ship their data as a plain pg_dump file and say, in the README, `psql trivia <
trivia.psql` (Udacity's Full Stack projects), `psql -d bookshelf -U postgres -f books.psql`. Without it the
tables are empty or missing and the pages answer 404 or 500 where the README promises content. `serve` and
`dev` load that file once, into a database they created, as the app's first run (detect/first_run.py's place
in the plan): only when the app has no migrations of its own and no init command, which would make the tables
themselves. A load into a test database (`psql trivia_test < trivia.psql`) is the tests', not the app's.

Read from the README's text, never run: the command must name a file that exists beside the README or the
app. Failing that, the files the project's own PostgreSQL container runs when its volume is new (initdb_dump):
a `FROM postgres` Dockerfile's `ADD ./init.sql /docker-entrypoint-initdb.d/`, or a compose volume mounting them
(or a folder holding them) there; `docker compose up` runs them, so the app's tables come from nowhere else.
Every *.sql (.sql.gz, .sql.xz) and *.sh file there, in the order the image's entrypoint runs them: sorted by
name. The load itself (LOAD) runs psql from this machine's PostgreSQL with the app's DATABASE_URL, leaving out
the dump's `OWNER TO` statements (the author's role, which this database does not have, as pg_restore's
--no-owner does), and a script with the entrypoint's variables (POSTGRES_USER, POSTGRES_DB...) and libpq's.
"""

from __future__ import annotations

import posixpath
import re
import shlex
import json
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

import yaml

from ..plan import Release
from ..project import Project
from . import compose_env

_READMES = ("README.md", "README.rst", "README.txt", "README", "readme.md", "Readme.md")
# `psql ARGS < FILE` or `psql ARGS -f FILE`, on one line of the README (a shell block or inline code)
_PSQL_LINE = re.compile(r"(?:^|[\s`$>])psql\s+([^\n`|;&]*)")
_DUMP_SUFFIXES = (".psql", ".sql", ".pgsql", ".dump")
# psql's options that take a value (the rest are flags)
_VALUED = frozenset({"-d", "--dbname", "-f", "--file", "-U", "--username", "-h", "--host", "-p", "--port", "-c",
                     "--command", "-v", "--set", "--variable", "-o", "--output", "-L", "--log-file"})


@dataclass(frozen=True)
class SqlDump:
    paths: tuple[str, ...]   # the dump (a README's: one), or the initdb files in their order, relative to the root
    database: str      # the database the README loads it into ("" when it names none)
    readme: str        # the README that says so
    command: str       # the line, as written
    # the variables the project's PostgreSQL service gets (compose's environment and env_file) beside the image's
    # own POSTGRES_* ones, which its init scripts read too (`create schema $SCHEMA`): given to them
    env: tuple[tuple[str, str], ...] = ()
    # found by lone_schema: nothing names it; the project's only SQL file, which only creates what is missing
    lone: bool = False

    @property
    def shown(self) -> str:
        return ", ".join(self.paths)

    @property
    def said(self) -> str:
        """Where the load comes from, for the plan's note."""
        if self.lone:
            return (f"{self.shown}, the project's only SQL file, only creates what is missing ({self.command}) and "
                    "nothing else makes the app's tables (no migrations, init command or create_all): it is "
                    "loaded by hand (a database console), so")
        return f"{self.readme} loads {self.shown} into the app's database (`{self.command}`):"


def readme_dump(project: Project, workdir: str) -> SqlDump | None:
    """The first load of an existing SQL file into a database that is not a test one, in the READMEs of the
    app's folder and of the project root."""
    for folder in dict.fromkeys((workdir, ".")):
        for name in _READMES:
            rel = posixpath.normpath(posixpath.join(folder, name))
            if not project.is_file(rel):
                continue
            text = project.scan_text(rel) or ""
            for match in _PSQL_LINE.finditer(text):
                found = _load(project, match.group(1), folder, workdir)
                if found is not None:
                    return SqlDump((found[0],), found[1], rel, "psql " + match.group(1).strip())
            for match in _RUN_LINE.finditer(text):
                found = _named_file(project, match.group(2), folder, workdir)
                if found is not None:
                    return SqlDump((found,), "", rel, match.group(0).strip())
    return script_dump(project, workdir)


# the root scripts a course project sets its database up with: build.sh's `psql -a -d $DATABASE_URL -f
# database.sql` (Hexlet's projects, run by `make build`), a Makefile recipe's, setup.sh's
_SCRIPT_FILES = ("Makefile", "makefile", "GNUmakefile", "justfile", "Justfile")
# psql's arguments up to the end of the command, or of the quoted command it is in (`su postgres -c "psql ..."`)
_PSQL_IN_SCRIPT = re.compile(r"(?:^|[\s`$>(\"'])psql\s+([^\n`|;&\"']*)")


def script_dump(project: Project, workdir: str) -> SqlDump | None:
    """The first load of an existing SQL file into a database that is not a test one, in the project's root shell
    scripts and Makefile (or justfile)."""
    scripts = [*sorted(f for f in project.files if "/" not in f and f.endswith(".sh")),
               *(f for f in _SCRIPT_FILES if project.is_file(f))]
    for rel in scripts:
        for match in _PSQL_IN_SCRIPT.finditer(project.scan_text(rel) or ""):
            found = _load(project, match.group(1), ".", workdir)
            if found is not None:
                return SqlDump((found[0],), found[1], rel, "psql " + match.group(1).strip())
    return None


# a step in prose that runs a SQL file by its name ("- run database.sql query", "execute schema.sql in psql"):
# a 2020 course to-do app keeps its CREATE TABLE and seed rows in templates/database.sql
_RUN_LINE = re.compile(r"(?im)^[ \t>*\-\d.)]*(run|execute|import|load)\b[^\n`]{0,40}?\b([\w./-]+\.(?:sql|psql|pgsql))\b"
                       r"[^\n]*$")


def _named_file(project: Project, name: str, *folders: str) -> str | None:
    """The file a prose step names: beside the README or the app, else the one file of that name in the project
    (not a test's, nor a migration's)."""
    if "test" in name.lower():
        return None
    for folder in folders:
        rel = posixpath.normpath(posixpath.join(folder, name))
        if not rel.startswith("..") and project.is_file(rel):
            return rel
    if "/" in name:
        return None
    same = [f for f in project.files if posixpath.basename(f) == name
            and not any(part in ("tests", "test", "migrations", "node_modules") for part in f.split("/"))]
    return same[0] if len(same) == 1 else None


def _load(project: Project, args_text: str, *folders: str) -> tuple[str, str] | None:
    """(file, database) of one psql command line that loads a file: `DB < FILE`, `-d DB -f FILE`."""
    args_text, _, after = args_text.partition("<")
    try:
        args = shlex.split(args_text)
        redirected = next(iter(shlex.split(after)), None)       # a quoted name keeps its spaces
    except ValueError:
        return None
    database, file, positional = "", redirected, []
    args = iter(args)
    for arg in args:
        if arg in _VALUED:                                        # -d trivia, --file trivia.psql
            option, value = arg, next(args, "")
        elif arg.startswith("--") and "=" in arg:                 # --dbname=trivia
            option, _, value = arg.partition("=")
        elif arg[:2] in _VALUED and not arg.startswith("--"):     # -dtrivia
            option, value = arg[:2], arg[2:]
        else:
            if not arg.startswith("-"):
                positional.append(arg)
            continue
        if option in ("-d", "--dbname"):
            database = value
        elif option in ("-f", "--file"):
            file = value
    database = database or (positional[0] if positional else "")
    if database.startswith("$"):                                 # -d $DATABASE_URL: the app's own database
        database = ""
    if database.startswith(("postgres://", "postgresql://")):
        database = database.rsplit("/", 1)[-1].split("?")[0]
    if not file or not file.lower().endswith(_DUMP_SUFFIXES) or "test" in database.lower():
        return None
    for folder in folders:
        rel = posixpath.normpath(posixpath.join(folder, file))
        if not rel.startswith("..") and project.is_file(rel):
            return rel, database
    return None


INITDB = "/docker-entrypoint-initdb.d"
_COPY = re.compile(r"^\s*(?:ADD|COPY)\s+(?!--from)(.+)$", re.I | re.M)
_FROM = re.compile(r"^\s*FROM\s+(?:--\S+\s+)*(\S+)", re.I | re.M)
MAX_DEPTH = 3
# what the official image's docker_process_init_files runs (the rest it ignores): .sh run or sourced, the SQL
# ones through psql (compressed ones but .zst, which Python's standard library does not read before 3.14)
INIT_SUFFIXES = (".sh", ".sql", ".sql.gz", ".sql.xz")


# the statements a schema file may hold to be loaded with nothing naming it: each creates only what is missing
_CREATES_IF_MISSING = re.compile(r"create\s+(?:unique\s+)?(?:table|index|extension|schema|sequence)\s+if\s+not\s+exists\b",
                                 re.I)
_TRANSACTION = re.compile(r"(?:begin|start\s+transaction|commit|end)(?:\s+(?:transaction|work))?", re.I)
_SQL_COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/", re.S)
_NOT_THE_APPS = frozenset({"tests", "test", "migrations", "node_modules", "docs", "examples", "seeds", "fixtures"})


def lone_schema(project: Project) -> SqlDump | None:
    """The project's only SQL file, when every statement in it is a CREATE ... IF NOT EXISTS (of a table, at least
    one): a schema its author pastes into a database console (a 2024 Flask-SocketIO API's schema.sample.sql,
    "paste into your local postgres db"), named by no README line, script or container. Loaded once into a new
    database, it makes the tables the app's queries need; run again, it changes nothing."""
    sql = [f for f in project.files if f.lower().endswith(".sql")]
    files = [f for f in sql if not any(part.lower() in _NOT_THE_APPS for part in f.split("/")[:-1])]
    if not files:
        # none elsewhere: the one file of a migrations folder that no tool runs (app/migrations/init_todo_app.sql,
        # a Pony app's tables, which its generate_mapping(create_tables=False) expects)
        files = [f for f in sql if not any(part.lower() in _NOT_THE_APPS - {"migrations"} for part in f.split("/")[:-1])]
    if len(files) != 1:
        return None
    rel = files[0]
    if not creates_only_if_missing(project.scan_text(rel) or ""):
        return None
    return SqlDump((rel,), "", rel, "CREATE ... IF NOT EXISTS only", lone=True)


def creates_only_if_missing(sql: str) -> bool:
    """Every statement of `sql` is a CREATE ... IF NOT EXISTS, of a table at least once: run again, it changes
    nothing."""
    statements = [part.strip() for part in _SQL_COMMENTS.sub(" ", sql).split(";")]
    # BEGIN; ... COMMIT; around them: one transaction, which psql runs as written
    statements = [part for part in statements if part and not _TRANSACTION.fullmatch(part)]
    return bool(statements) and all(_CREATES_IF_MISSING.match(part) for part in statements) \
        and any(re.match(r"create\s+table", part, re.I) for part in statements)


def initdb_dump(project: Project) -> SqlDump | None:
    """The files the project's PostgreSQL container runs from its /docker-entrypoint-initdb.d: copied there by a
    Dockerfile built from a postgres image, or mounted there by a compose file (a folder of them, or each one),
    in the order the image's entrypoint runs them (sorted by their names in that folder). None when there are
    none."""
    for rel in sorted(project.files):
        path = PurePosixPath(rel)
        if len(path.parts) > MAX_DEPTH:
            continue
        if "dockerfile" in path.name.lower():
            found = _dockerfile_load(project, rel)
        elif "compose" in path.name.lower() and path.suffix in (".yml", ".yaml"):
            found = _compose_load(project, rel)
        else:
            continue
        if found is not None:
            return found
    return None


def _in_order(loads: list[tuple[str, str]], where: str, how: list[str]) -> SqlDump | None:
    """The files of `loads` ((name in the initdb folder, file in the project)), in the entrypoint's order: its
    glob sorts the names (one name mounted twice: the last one wins, as a bind mount over another)."""
    named = dict(loads)
    if not named:
        return None
    return SqlDump(tuple(named[name] for name in sorted(named)), "", where, "; ".join(dict.fromkeys(how)))


def _dockerfile_load(project: Project, rel: str) -> SqlDump | None:
    text = project.scan_text(rel) or ""
    image = next(iter(_FROM.findall(text)), "")
    if not _postgres_image(image):
        return None
    folder = posixpath.dirname(rel) or "."
    loads: list[tuple[str, str]] = []
    how: list[str] = []
    for match in _COPY.finditer(text):
        try:
            words = shlex.split(match.group(1))
        except ValueError:
            continue
        words = [w for w in words if not w.startswith("--")]
        if len(words) < 2 or not words[-1].startswith(INITDB):
            continue
        found = [load for src in words[:-1] for load in _init_files(project, folder, src, words[-1])]
        if found:
            loads += found
            how.append(match.group(0).strip())
    return _in_order(loads, rel, how)


def _compose_load(project: Project, rel: str) -> SqlDump | None:
    try:
        data = yaml.safe_load(project.read_text(rel))
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return None
    services = data.get("services") if isinstance(data, dict) else None
    folder = posixpath.dirname(rel) or "."
    for name, service in (services or {}).items() if isinstance(services, dict) else ():
        if not isinstance(service, dict) or not _postgres_image(str(service.get("image", ""))):
            continue
        loads: list[tuple[str, str]] = []
        how: list[str] = []
        for volume in service.get("volumes") or []:
            if isinstance(volume, str) and ":" in volume:
                source, target = volume.split(":")[:2]
            elif isinstance(volume, dict):
                source, target = str(volume.get("source", "")), str(volume.get("target", ""))
            else:
                continue
            if not target.startswith(INITDB) or not source.startswith("."):
                continue
            found = _init_files(project, folder, source, target)
            if found:
                loads += found
                how.append(f"{source}:{target}")
        if loads:
            found = _in_order(loads, rel, [f"service {name}: " + ", ".join(how)])
            extra = {k: v for k, v in compose_env.service_values(project, rel, service).items()
                     if k not in SERVE_LOGIN and not k.startswith("PG")}
            return replace(found, env=tuple(extra.items())) if found is not None and extra else found
    return None


# the login serve's database gives the init scripts (the image's variables for it, and libpq's): the compose
# file's values of these name the container's own database, not serve's
SERVE_LOGIN = ("POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "POSTGRES_HOST", "POSTGRES_PORT",
               "DATABASE_URL")


def _postgres_image(image: str) -> bool:
    """postgres:16, library/postgres, postgis/postgis:15-3.4: an image that runs initdb.d's files."""
    name = image.split("@")[0].rsplit("/", 1)[-1].split(":")[0]
    return name.startswith(("postgres", "postgis"))


def _init_file(name: str) -> bool:
    return name.lower().endswith(INIT_SUFFIXES)


def _init_files(project: Project, folder: str, source: str, target: str) -> list[tuple[str, str]]:
    """(name in the initdb folder, file in the project) of what `source` (a file, or a folder's files; relative
    to `folder`) puts at `target` (the initdb folder, a folder in it, or a file's own name there)."""
    rel = posixpath.normpath(posixpath.join(folder, source))
    if rel.startswith(".."):
        return []
    into = posixpath.normpath(target)
    if project.is_file(rel):
        if target.endswith("/") or into == INITDB:
            # ADD ./init.sql /docker-entrypoint-initdb.d/ keeps its name
            name, parent = posixpath.basename(rel), into
        else:
            # ./schema.sql:/docker-entrypoint-initdb.d/01-schema.sql
            name, parent = posixpath.basename(into), posixpath.dirname(into)
        return [(name, rel)] if parent == INITDB and _init_file(name) else []
    if into != INITDB:
        return []           # a folder below initdb.d: the entrypoint's glob does not enter it
    return [(posixpath.basename(f), f) for f in project.files
            if posixpath.dirname(f) == rel and _init_file(posixpath.basename(f))]


# run with the app's interpreter where serve runs the first run (the app's folder); argv[1:]: the files, in order
LOAD = r'''
import glob, gzip, json, lzma, os, re, shutil, subprocess, sys
from urllib.parse import unquote, urlsplit
url = re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql://", os.environ["DATABASE_URL"])
# --env JSON: the variables the project's PostgreSQL service gets from its compose file, which its scripts read
extra = {}
if sys.argv[1:2] == ["--env"]:
    extra = json.loads(sys.argv[2])
    del sys.argv[1:3]
psql = shutil.which("psql") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"), reverse=True)), None)
if psql is None:
    sys.exit("psql is not on this machine: install PostgreSQL's client (apt install postgresql-client) to load "
             + " ".join(sys.argv[1:]))
# what the official image's init scripts read: its POSTGRES_* variables, and libpq's for a bare `psql`
login = urlsplit(url)
env = dict(os.environ, **extra, PGHOST=login.hostname or "", PGPORT=str(login.port or 5432),
           PGUSER=unquote(login.username or ""), PGPASSWORD=unquote(login.password or ""),
           PGDATABASE=unquote(login.path.lstrip("/")), PATH=os.path.dirname(psql) + os.pathsep + os.environ["PATH"])
env.update(POSTGRES_USER=env["PGUSER"], POSTGRES_PASSWORD=env["PGPASSWORD"], POSTGRES_DB=env["PGDATABASE"])
# the entrypoint's helpers a sourced script calls: docker_process_sql, and the psql array of its older releases
PRELUDE = ('docker_process_sql() { psql -v ON_ERROR_STOP=1 --no-password --no-psqlrc "$@"; }\n'
           'psql=( psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --dbname "$POSTGRES_DB" )\n')
for dump in sys.argv[1:]:
    name = dump.lower()
    if name.endswith(".sh"):
        # run when executable, else sourced, as the entrypoint does; a failure is said and the next file loaded
        # (serve's role is not the image's superuser: a CREATE ROLE there fails)
        run = '"$0"' if os.access(dump, os.X_OK) else '. "$0"'
        done = subprocess.run(["bash", "-c", PRELUDE + run, dump], env=env)
        if done.returncode:
            print("warning: %s exited %d (its own error is above); loading on" % (dump, done.returncode))
        continue
    opener = gzip.open if name.endswith(".gz") else lzma.open if name.endswith(".xz") else open
    with opener(dump, "rt", encoding="utf-8", errors="replace") as f:
        # the dump's owner is its author's role, which this database has not: as pg_restore --no-owner (a
        # statement that fails otherwise is said and passed, as the README's `psql DB < FILE` does)
        sql = "".join(line for line in f if not re.match(r"\s*ALTER\s.*\sOWNER\s+TO\s", line, re.I))
    # `pg_dump --create`'s dump makes its own database and connects to it (CREATE DATABASE shop ...; \connect shop):
    # serve's role may not create one, and the app's database is DATABASE_URL's, so it loads there, as pg_restore
    # without --create does (one database only: pg_dumpall's several stay as they are)
    if len(re.findall(r"(?im)^\s*CREATE\s+DATABASE\s", sql)) == 1:
        sql = re.sub(r"(?im)^(\s*CREATE\s+DATABASE\s.*|\\(connect|c)\s.*)$", "", sql)
    done = subprocess.run([psql, "-X", "-q", "-o", os.devnull, "-v", "ON_ERROR_STOP=0", "-d", url, "-f", "-"],
                          input=sql.encode(), env=env)
    if done.returncode:
        sys.exit(done.returncode)
'''


def release(dump: SqlDump, workdir: str) -> Release:
    """The first run that loads `dump`, from the app's folder."""
    relative = tuple(posixpath.relpath(path, workdir) for path in dump.paths)
    what = f"the SQL dump {dump.shown}" if len(dump.paths) == 1 else \
        f"the {len(dump.paths)} init files {dump.shown}"
    given = ("--env", json.dumps(dict(dump.env))) if dump.env else ()
    said = f"the schema file {dump.shown} (its only SQL file: {dump.command})" if dump.lone else \
        f"{what} its {dump.readme} loads (`{dump.command}`)"
    return Release(("python", "-c", LOAD, *given, *relative), workdir, said,
                   hint=f"its own error is above; the dump is loaded once, into a new database: fix {dump.shown} or "
                        f"load it yourself")
