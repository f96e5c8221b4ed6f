"""The SQL files a README loads into the app's SQLite file with the sqlite3 shell, after cloning.

Course apps on Python's sqlite3 module keep their tables in schema.sql (and their first rows in init.sql) and
say in the README: `sqlite3 database.db < schema.sql`, then `sqlite3 database.db < init.sql`, then `flask run`
(a Finnish university database course's projects, many of them). The app only opens the file
(`sqlite3.connect("database.db")`): on a fresh copy there is none, and every page that reads a table answers 500
("no such table"). `serve` and `dev` load those files once, in the README's order, into that file when it does
not exist yet (run/first_run.py), with Python's sqlite3 module, so the sqlite3 shell need not be installed.

Read from the README's text, never run: each command must load an existing SQL file (`< FILE`, or `".read FILE"`)
into the same database file, named relative to the README's folder; a test database's loads are the tests'.
"""

from __future__ import annotations

import posixpath
import re
import shlex

from ..plan import Release
from ..project import Project
from .sql_dump import _READMES, creates_only_if_missing

# `sqlite3 ARGS < FILE` or `sqlite3 ARGS ".read FILE"` on one line (a shell block, inline code, a list item)
_SQLITE_LINE = re.compile(r"(?:^|[\s`$>])sqlite3\s+([^\n`|;&]*)")
_SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3", ".db3")

# run with the app's interpreter from the README's folder; argv[1]: the database file, argv[2:]: the SQL files.
# As the sqlite3 shell reads a redirected file: statement by statement, a failing one said and passed, the
# shell's own dot-commands (.mode, .headers) left out
LOAD = r'''
import sqlite3, sys
database, files = sys.argv[1], sys.argv[2:]
conn = sqlite3.connect(database)
for name in files:
    statement = ""
    with open(name, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not statement.strip() and line.lstrip().startswith("."):
                continue
            statement += line
            if sqlite3.complete_statement(statement):
                try:
                    conn.execute(statement)
                except sqlite3.Error as exc:
                    print("%s: %s (passed, as the sqlite3 shell does)" % (name, exc))
                statement = ""
    conn.commit()
conn.close()
'''


def readme_loads(project: Project, workdir: str) -> tuple[str, str, tuple[str, ...], str] | None:
    """(README, database file, SQL files in order, folder they are relative to) of the first README, in the app's
    folder or at the root, whose sqlite3 shell commands load existing SQL files into one database file."""
    for folder in dict.fromkeys((workdir or ".", ".")):
        for name in _READMES:
            readme = posixpath.normpath(posixpath.join(folder, name))
            if not project.is_file(readme):
                continue
            database, files = "", []
            for match in _SQLITE_LINE.finditer(project.scan_text(readme) or ""):
                found = _load(project, match.group(1), folder)
                if found is None or (database and found[0] != database):
                    continue
                database = found[0]
                if found[1] not in files:
                    files.append(found[1])
            if files:
                return readme, database, tuple(files), folder
    return None


def _load(project: Project, args_text: str, folder: str) -> tuple[str, str] | None:
    """(database, SQL file relative to the project root) of one sqlite3 shell command that loads a file."""
    args_text, redirect, after = args_text.partition("<")
    try:
        args = shlex.split(args_text)
        redirected = next(iter(shlex.split(after)), None) if redirect else None
    except ValueError:
        return None
    positional = [a for a in args if not a.startswith("-")]
    if not positional or not positional[0].lower().endswith(_SQLITE_SUFFIXES):
        return None
    database, file = positional[0], redirected
    if file is None and len(positional) > 1 and positional[1].startswith(".read "):
        file = positional[1][len(".read "):].strip()
    if not file or not file.lower().endswith(".sql") or "test" in database.lower() \
            or posixpath.isabs(database) or database.startswith(".."):
        return None
    rel = posixpath.normpath(posixpath.join(folder, file))
    return (database, rel) if not rel.startswith("..") and project.is_file(rel) else None


def first_run(project: Project, workdir: str) -> tuple[Release, bool, str] | None:
    """The load as the app's first run: (release, idempotent, why), or None when no README loads a file."""
    found = readme_loads(project, workdir)
    if found is None:
        return None
    readme, database, files, folder = found
    relative = tuple(posixpath.relpath(f, folder) for f in files)
    shown = ", ".join(files)
    idempotent = all(creates_only_if_missing(project.scan_text(f) or "") for f in files)
    why = (f"{shown} only create what is missing" if idempotent else
           f"{shown} create tables that exist the second time, or add rows")
    release = Release(("python", "-c", LOAD, database, *relative), folder,
                      f"the load of {shown} into {database} its {readme} does with the sqlite3 shell",
                      hint=f"its own error is above; fix {shown}, or load them yourself: "
                           + "; ".join(f"sqlite3 {shlex.quote(database)} < {shlex.quote(f)}" for f in relative),
                      files=(database,))
    return release, idempotent, why
