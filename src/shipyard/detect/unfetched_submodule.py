"""A module the app imports from its own folder that is empty: a git submodule its clone did not fetch.

A repository that records one of its folders as a submodule (a gitlink) clones it as an empty folder unless the
clone fetches its submodules (`git clone --recursive`, `git submodule update --init`), and with no .gitmodules
entry giving its URL no clone can fetch it: only its author has it. Python imports an empty folder as a namespace
package, so `import appointments` (Django's INSTALLED_APPS) works and the first of its modules fails with
"No module named 'appointments.urls'", which read as a package to pip install.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Iterable

# "No module named 'appointments.urls'" (import appointments.urls), or "cannot import name 'views' from 'reports'
# (unknown location)" (from reports import views): an empty namespace package has no location
_MISSING = re.compile(r"No module named '([\w.]+)'|cannot import name '\w+' from '([\w.]+)' \(unknown location\)")


def empty_folder(roots: Iterable[Path], module: str) -> Path | None:
    """The empty folder named as `module`'s top-level package in one of `roots` (the app's folder, its workdir),
    or None."""
    top = module.split(".")[0]
    for root in roots:
        folder = Path(root) / top
        try:
            if folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
                return folder
        except OSError:
            continue
    return None


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def submodule_url_known(folder: Path) -> bool | None:
    """For an empty folder: True when its repository records it as a submodule that .gitmodules names (a clone
    can fetch it), False when it is a gitlink .gitmodules does not name (no clone can), None when git does not
    record it as a submodule (not a repository, or an archive)."""
    top = _git(folder.parent, "rev-parse", "--show-toplevel")
    if not top:
        return None
    repo = Path(top.strip())
    try:
        relative = folder.resolve().relative_to(repo.resolve()).as_posix()
    except ValueError:
        return None
    staged = _git(repo, "ls-files", "-s", "--", relative) or ""
    if not any(line.startswith("160000 ") for line in staged.splitlines()):
        return None
    paths = _git(repo, "config", "-f", ".gitmodules", "--get-regexp", r"^submodule\..*\.path$") \
        if (repo / ".gitmodules").is_file() else None
    return any(line.split(" ", 1)[-1].strip() == relative for line in (paths or "").splitlines())


def explain(roots: Iterable[Path], error: str) -> tuple[str, str] | None:
    """(what, what to do) when `error` ("ModuleNotFoundError: No module named 'appointments.urls'", "ImportError:
    cannot import name 'views' from 'reports' (unknown location)") names a module whose top-level package is an
    empty folder of the app, else None."""
    missing = _MISSING.search(error)
    if missing is None:
        return None
    folder = empty_folder(roots, missing.group(1) or missing.group(2))
    if folder is None:
        return None
    name = folder.name
    known = submodule_url_known(folder)
    if known:
        return (f"{name}/ is empty: it is a git submodule this clone did not fetch",
                "fetch it (`git submodule update --init` in the clone, or clone with --recursive), then run again")
    if known is False:
        return (f"{name}/ is empty: the repository records it as a git submodule but its .gitmodules does not "
                "name it, so no clone can fetch it",
                f"only the app's author has {name}: ask them to commit it (or its .gitmodules entry), or put its "
                "code there yourself")
    return (f"{name}/ is an empty folder of the app (a git submodule not fetched, or code left out of this copy), "
            "which Python imports as an empty package",
            f"put the {name} package's code in {name}/ (`git submodule update --init` when it is a submodule), "
            "then run again")
