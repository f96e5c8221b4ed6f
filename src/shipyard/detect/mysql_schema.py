"""The SQL file a MySQL course app ships for its database: `database_students.sql` at the root doing `CREATE
DATABASE db; USE db; CREATE TABLE students (...); INSERT ...`, which its author ran by hand (`mysql <
database_students.sql`) before the pages work. Without it the app's only page answers 500 ("Table 'db.students'
doesn't exist"). serve loads it once into its MariaDB (run/mysql_database.py), as it loads a PostgreSQL app's
README dump (sql_dump.py).

Read, never run here: a *.sql file at the root or in a sql/, db/, database/ or schema/ folder that creates tables
and names the database the app's written login connects to (`USE db`, `CREATE DATABASE [IF NOT EXISTS] db`).
"""

from __future__ import annotations

import re
from pathlib import Path

FOLDERS = ("", "sql", "db", "database", "schema")
_TABLE = re.compile(r"\bcreate\s+table\b", re.IGNORECASE)
_NAMES = r"[`\"]?([A-Za-z0-9_$]+)[`\"]?"
_DATABASE = re.compile(rf"\b(?:use|create\s+(?:database|schema)(?:\s+if\s+not\s+exists)?)\s+{_NAMES}", re.IGNORECASE)
_LIMIT = 2_000_000


def schema_file(root: Path, database: str) -> str | None:
    """The file (relative to `root`) that makes the tables of `database`, or None."""
    if not database:
        return None
    for folder in FOLDERS:
        base = root / folder if folder else root
        if not base.is_dir():
            continue
        for path in sorted(base.glob("*.sql")):
            try:
                text = path.read_text(errors="replace")[:_LIMIT]
            except OSError:
                continue
            if _TABLE.search(text) and database.lower() in {m.group(1).lower() for m in _DATABASE.finditer(text)}:
                return path.relative_to(root).as_posix()
    return None
