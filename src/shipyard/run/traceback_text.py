"""Where a Python command failed, read from the traceback it printed: the last frame in the app's own files
and the exception, for the one line Shipyard reports (a migration that fails names its file and line)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_FRAME = re.compile(r'^\s+File "(?P<path>[^"]+)", line (?P<line>\d+)')
# the driver's class names SQLAlchemy wraps a database error in: "(psycopg2.errors.X) " and "<class 'a.B'>: "
_WRAPPED = re.compile(r"\((?:\w+\.)+\w+\) |<class '[\w.]+'>: ")


@dataclass(frozen=True)
class Origin:
    place: str | None              # "migrations/versions/6d82_.py, line 30", when the app's own code raised
    error: str                     # the exception's line

    def __str__(self) -> str:
        return f"{self.place}: {self.error}" if self.place else self.error


def origin(text: str, root: Path, cwd: Path | None = None, limit: int = 200) -> Origin | None:
    """"migrations/versions/6d82_.py, line 30: NameError: name 'x' is not defined" from the last traceback in
    `text`, naming the deepest frame inside `root` (not a virtualenv's packages; a relative path is from `cwd`,
    where the command ran); None without a traceback."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback (most recent call last):")]
    if not starts:
        return None
    where, error = None, None
    for line in lines[starts[-1] + 1:]:
        frame = _FRAME.match(line)
        if frame:
            own = _own((cwd or root) / frame["path"], root)
            where = f"{own}, line {frame['line']}" if own else where
        elif line and not line[0].isspace():
            error = _WRAPPED.sub("", line.strip())   # the exception: the first line the traceback does not indent
            break
    if error is None:
        return None
    error = error if len(error) <= limit else error[:limit - 3] + "..."
    return Origin(where, error)


def _own(path: Path, root: Path) -> str | None:
    """`path` relative to the app's folder when it is the app's own code (a file: not `<string>`)."""
    if not path.is_file():
        return None
    try:
        rel = path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return None
    if any(part in ("site-packages", "dist-packages") or part.startswith(".venv") for part in rel.parts):
        return None
    return rel.as_posix()
