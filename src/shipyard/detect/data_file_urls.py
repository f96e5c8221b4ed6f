"""Database URLs an app writes in a data file rather than reading from the environment: a crawler API's
config/config.yaml holds `SQLALCHEMY_DATABASE_URI: "postgres://marco:...@172.17.0.1:5432/testdb"` (Docker's host
address, seen from its compose containers) and the code loads that file into app.config. The database serve starts
is named in DATABASE_URL, which such an app never reads: when importing it then finds no server at that address,
the error says which file holds the URL, so the user knows what to change.

Read statically: YAML, JSON, TOML, INI and .conf/.cfg files of the app (not .env files: those serve reads itself)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..project import Project

SUFFIXES = frozenset({".yaml", ".yml", ".json", ".toml", ".ini", ".cfg", ".conf"})
MAX_FILES = 200                     # data files looked through, the first by path
MAX_BYTES = 256 * 1024              # a larger data file is data, not configuration
# scheme://user:password@host:port/name; the host a literal (not a ${VAR} or {placeholder})
_URL = re.compile(r"""\b((?:postgres(?:ql)?|mysql|mariadb)(?:\+\w+)?://[^\s"'@/]*@([A-Za-z0-9._-]+)(?::(\d+))?"""
                  r"""/[^\s"',}]*)""")
_PASSWORD = re.compile(r"(://[^:@/\s]*:)[^@/\s]+@")


@dataclass(frozen=True)
class WrittenUrl:
    rel: str        # the file that writes it
    url: str        # its password masked
    host: str
    port: str


def written_database_urls(project: Project) -> list[WrittenUrl]:
    """Each database URL with a literal host in the app's data files, in path order (one per file and URL)."""
    found: list[WrittenUrl] = []
    files = [rel for rel in project.files if PurePosixPath(rel).suffix.lower() in SUFFIXES
             and not project.is_decoy(rel)][:MAX_FILES]
    for rel in files:
        try:
            if project.path(rel).stat().st_size > MAX_BYTES:
                continue
        except OSError:
            continue
        text = project.scan_text(rel)
        for match in _URL.finditer(text or ""):
            url = _PASSWORD.sub(r"\1***@", match.group(1))
            item = WrittenUrl(rel, url, match.group(2), match.group(3) or "")
            if item not in found:
                found.append(item)
    return found


def the_url_it_connects_to(project: Project, message: str) -> WrittenUrl | None:
    """The written URL a connection error names, by host (psycopg2: `Is the server running on host "172.17.0.1"`),
    or the only one written when the error names none ("Connection refused" alone); None when none is written, or
    several and the error names none of them."""
    written = written_database_urls(project)
    named = [w for w in written if re.search(rf"""(?<![\w.]){re.escape(w.host)}(?![\w.])""", message)]
    if named:
        return named[0]
    return written[0] if len({(w.host, w.port) for w in written}) == 1 else None
