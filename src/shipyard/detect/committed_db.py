"""SQLite databases the app's repository commits at its root: its data, not a developer's local file.

The generated .dockerignore keeps root-level `*.db`, `*.sqlite`, `*.sqlite3` out of the image: such a file is
usually the developer's local database (serve makes one there), with users and password hashes in it. A 2016
Tornado REST API commits employee.db at its root with the rows its README's /api/1 reads: in the image the table
was empty (InitializeDatabase made it afresh) and /api/1 answered 404 where the checkout answers 200. What git
tracks is what its author committed: those files go into the image (a `!name` exception after the patterns),
where the build's keep-databases step makes them the app's to write. Without a repository (an archive) nothing
can tell the two apart, and the file stays out, as before."""

from __future__ import annotations

import fnmatch
import subprocess

from ..project import Project

# the .dockerignore's local-database patterns (templates/dockerignore.j2), root-level only as Docker reads them
PATTERNS = ("*.sqlite", "*.sqlite3", "*.db")
HEADER = b"SQLite format 3\x00"


def committed_databases(project: Project) -> tuple[str, ...]:
    """The root-level SQLite databases matching the .dockerignore's patterns that git tracks, sorted."""
    candidates = sorted(p.name for p in project.root.iterdir()
                        if any(fnmatch.fnmatch(p.name.lower(), pattern) for pattern in PATTERNS)
                        and p.is_file() and not p.is_symlink() and _is_sqlite(p))
    if not candidates:
        return ()
    try:
        done = subprocess.run(["git", "-C", str(project.root), "ls-files", "-z", "--", *candidates],
                              capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return ()           # no git here: nothing tells the app's data from a local file
    if done.returncode != 0:
        return ()           # not a repository (an archive, a download)
    tracked = {name for name in done.stdout.split("\0") if name}
    return tuple(name for name in candidates if name in tracked)


def _is_sqlite(path) -> bool:
    try:
        with open(path, "rb") as data:
            return data.read(16) == HEADER
    except OSError:
        return False
