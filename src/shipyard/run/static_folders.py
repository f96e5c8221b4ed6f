"""The setup step of making the static folder a Starlette app mounts, which the fresh clone lacks, done by serve
and dev.

A 2022 FusionAuth example routes `Mount('/static', StaticFiles(directory='static'))`, and no static/ is committed:
git keeps no empty folder, and the author's held nothing tracked. StaticFiles checks its folder when the app is
built, so the import stops at "RuntimeError: Directory 'static' does not exist" before any page answers, where the
author's checkout had the folder. serve and dev run the app in its own folder: each such folder
(detect/services.py absent_static_folders) is made there, empty, once, and said; the image makes it too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from ..plan import Plan


def make_absent_static_folders(plan: Plan, root: Path, say: Callable[[str], None]) -> list[str]:
    """Make each folder StaticFiles is mounted on that is missing under `root`; their paths (relative to it)."""
    made = _made(root, plan.absent_static_folders)
    if made:
        say(f"made {', '.join(made)} (empty): the app mounts Starlette's StaticFiles there, which refuses a missing "
            "folder at import, and the project has none (git keeps no empty folder); put the app's static files "
            "there")
    return made


def make_absent_log_folders(plan: Plan, root: Path, say: Callable[[str], None]) -> list[str]:
    """Make each folder of a log file the code opens (detect/log_files.py absent_log_folders) that is missing under
    `root`; their paths (relative to it)."""
    made = _made(root, plan.absent_log_folders)
    if made:
        say(f"made {', '.join(made)} (empty): the app opens its log file there, and the project has no such folder "
            "(git keeps no empty folder; a .gitignore'd one keeps nothing)")
    return made


def make_absent_sqlite_folders(plan: Plan, root: Path, say: Callable[[str], None]) -> list[str]:
    """Make each folder of a SQLite file the code names by a relative path (detect/sqlite_folders.py) that is
    missing under `root`; their paths (relative to it)."""
    made = _made(root, plan.absent_sqlite_folders)
    if made:
        say(f"made {', '.join(made)} (empty): the app keeps its SQLite database there, and the project has no such "
            "folder (git keeps no empty folder); SQLite creates the file, not its folder")
    return made


def _made(root: Path, folders: Iterable[str]) -> list[str]:
    """Each of `folders` (relative to `root`) that was missing, made."""
    made = []
    for folder in folders:
        target = root / folder
        if not target.exists():
            target.mkdir(parents=True)
            made.append(folder)
    return made
