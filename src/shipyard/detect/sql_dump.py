"""The SQL dump an app's README loads into its PostgreSQL database by hand, after cloning.

Course and tutorial apps ship their data as a plain pg_dump file and say, in the README, `psql trivia <
trivia.psql` (Udacity's Full Stack projects), `psql -d bookshelf -U postgres -f books.psql`. Without it the
tables are empty or missing and the pages answer 404 or 500 where the README promises content. `serve` and
`dev` load that file once, into a database they created, as the app's first run (detect/first_run.py's place
in the plan): only when the app has no migrations of its own and no init command, which would make the tables
themselves. A load into a test database (`psql trivia_test < trivia.psql`) is the tests', not the app's.

Read from the README's text, never run: the command must name a file that exists beside the README or the
app. Failing that, the SQL file the project's own PostgreSQL container loads when its volume is new (initdb_dump):
a `FROM postgres` Dockerfile's `ADD ./init.sql /docker-entrypoint-initdb.d/`, or a compose volume mounting it
(or a folder holding it) there; `docker compose up` loads it, so the app's tables come from nowhere else. The load itself (LOAD) runs psql from this machine's PostgreSQL with the app's DATABASE_URL, leaving out
the dump's `OWNER TO` statements (the author's role, which this database does not have, as pg_restore's
--no-owner does).
"""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass
from pathlib import PurePosixPath

import yaml

from ..plan import Release
from ..project import Project

_READMES = ("README.md", "README.rst", "README.txt", "README", "readme.md", "Readme.md")
# `psql ARGS < FILE` or `psql ARGS -f FILE`, on one line of the README (a shell block or inline code)
_PSQL_LINE = re.compile(r"(?:^|[\s`$>])psql\s+([^\n`|;&]*)")
_DUMP_SUFFIXES = (".psql", ".sql", ".pgsql", ".dump")
# psql's options that take a value (the rest are flags)
_VALUED = frozenset({"-d", "--dbname", "-f", "--file", "-U", "--username", "-h", "--host", "-p", "--port", "-c",
                     "--command", "-v", "--set", "--variable", "-o", "--output", "-L", "--log-file"})


@dataclass(frozen=True)
class SqlDump:
    path: str          # the dump, relative to the project root
    database: str      # the database the README loads it into ("" when it names none)
    readme: str        # the README that says so
    command: str       # the line, as written


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
                    return SqlDump(found[0], found[1], rel, "psql " + match.group(1).strip())
    return None


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


def initdb_dump(project: Project) -> SqlDump | None:
    """The one SQL file the project's PostgreSQL container runs from its /docker-entrypoint-initdb.d: copied there
    by a Dockerfile built from a postgres image, or mounted there by a compose file. None when there is none, or
    several (an order of loads this reader does not take on)."""
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


def _dockerfile_load(project: Project, rel: str) -> SqlDump | None:
    text = project.scan_text(rel) or ""
    image = next(iter(_FROM.findall(text)), "")
    if not _postgres_image(image):
        return None
    folder = posixpath.dirname(rel) or "."
    for match in _COPY.finditer(text):
        try:
            words = shlex.split(match.group(1))
        except ValueError:
            continue
        words = [w for w in words if not w.startswith("--")]
        if len(words) < 2 or not words[-1].startswith(INITDB):
            continue
        files = [f for src in words[:-1] for f in _sql_files(project, folder, src)]
        if len(files) == 1:
            return SqlDump(files[0], "", rel, match.group(0).strip())
    return None


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
        for volume in service.get("volumes") or []:
            if isinstance(volume, str) and ":" in volume:
                source, target = volume.split(":")[:2]
            elif isinstance(volume, dict):
                source, target = str(volume.get("source", "")), str(volume.get("target", ""))
            else:
                continue
            if not target.startswith(INITDB) or not source.startswith("."):
                continue
            files = _sql_files(project, folder, source)
            if len(files) == 1:
                return SqlDump(files[0], "", rel, f"service {name}: {source}:{target}")
    return None


def _postgres_image(image: str) -> bool:
    """postgres:16, library/postgres, postgis/postgis:15-3.4: an image that runs initdb.d's files."""
    name = image.split("@")[0].rsplit("/", 1)[-1].split(":")[0]
    return name.startswith(("postgres", "postgis"))


def _sql_files(project: Project, folder: str, source: str) -> list[str]:
    """The .sql files `source` (a file, or a folder's files) names, relative to `folder`, in the project."""
    rel = posixpath.normpath(posixpath.join(folder, source))
    if rel.startswith(".."):
        return []
    if project.is_file(rel):
        return [rel] if rel.lower().endswith(".sql") else []
    return sorted(f for f in project.files if posixpath.dirname(f) == rel and f.lower().endswith(".sql"))


# run with the app's interpreter where serve runs the first run (the app's folder); argv[1]: the dump
LOAD = r'''
import glob, os, re, shutil, subprocess, sys
dump = sys.argv[1]
url = re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql://", os.environ["DATABASE_URL"])
psql = shutil.which("psql") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"), reverse=True)), None)
if psql is None:
    sys.exit("psql is not on this machine: install PostgreSQL's client (apt install postgresql-client) to load " + dump)
with open(dump, encoding="utf-8", errors="replace") as f:
    # the dump's owner is its author's role, which this database has not: as pg_restore --no-owner (a statement
    # that fails otherwise is said and passed, as the README's `psql DB < FILE` does)
    sql = "".join(line for line in f if not re.match(r"\s*ALTER\s.*\sOWNER\s+TO\s", line, re.I))
done = subprocess.run([psql, "-X", "-q", "-o", os.devnull, "-v", "ON_ERROR_STOP=0", "-d", url, "-f", "-"], input=sql.encode())
sys.exit(done.returncode)
'''


def release(dump: SqlDump, workdir: str) -> Release:
    """The first run that loads `dump`, from the app's folder."""
    relative = posixpath.relpath(dump.path, workdir)
    return Release(("python", "-c", LOAD, relative), workdir,
                   f"the SQL dump {dump.path} its {dump.readme} loads (`{dump.command}`)",
                   hint=f"its own error is above; the dump is loaded once, into a new database: fix {dump.path} or "
                        f"load it yourself")
