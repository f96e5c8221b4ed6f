"""The Python an app's pins installed on here when it is not the one the app asks for, kept for the app's next plans.

Old pins often install only on another Python than the one an app names (greenlet 0.4.15 has no wheel for 3.11 and
a wheel for 3.8; Django 5 needs 3.10 beside runtime.txt's 3.8): the proof environment, or `serve --install`, moves
to it (environments.on_older_pythons). Once the app's .venv exists on that Python, later plans prove the app in it
and no longer meet the move, and `init` wrote an image for the Python the app names, on which its pins do not
install. The move is kept in Shipyard's cache, per app folder and the content of its dependency files (a change to
them asks again), and a plan that does not build a proof environment of its own makes the same move.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable

from . import cachefile

FILE = "python-moves.json"
HOPS = 3          # a move of a moved plan (the proof moved to 3.10, the install then to 3.9): followed this far


def files_key(root: Path, files: Iterable[str]) -> str:
    """The app's folder and the content of its dependency files, as one key."""
    digest = hashlib.sha256(str(Path(root).resolve()).encode())
    for rel in sorted(set(files)):
        digest.update(b"\0" + rel.encode() + b"\0")
        try:
            digest.update((Path(root) / rel).read_bytes())
        except OSError:
            pass
    return digest.hexdigest()[:24]


def remember(cache: Path, root: Path, files: Iterable[str], asked: str, python: str, because: str) -> None:
    """That the app in `root`, with these dependency files, asking for Python `asked` ("3.11"), runs on `python`
    ("3.8") because `because`."""
    if asked == python:
        return
    key = files_key(root, files)
    data = cachefile.read(cache / FILE)
    moves = [m for m in (data.get("moves", []) if isinstance(data, dict) else [])
             if isinstance(m, dict) and (m.get("key"), m.get("asked")) != (key, asked)]
    moves.append({"key": key, "asked": asked, "python": python, "because": because})
    cachefile.write(cache / FILE, {"moves": moves})


def moved(cache: Path, root: Path, files: Iterable[str], asked: str) -> tuple[str, str] | None:
    """(the Python an install here moved the app to, why) when one did for this app asking for `asked`, else None."""
    key = files_key(root, files)
    data = cachefile.read(cache / FILE)
    moves = {(m.get("key"), m.get("asked")): m for m in (data.get("moves", []) if isinstance(data, dict) else [])
             if isinstance(m, dict)}
    found, python = None, asked
    for _ in range(HOPS):
        move = moves.get((key, python))
        if move is None or str(move.get("python")) in (python, asked):
            break
        found = move
        python = str(move.get("python"))
    return (str(found["python"]), str(found.get("because", ""))) if found else None
