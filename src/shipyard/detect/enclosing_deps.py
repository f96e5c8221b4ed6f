"""The dependency files of the repository around an app folder that declares none of its own.

A tutorial repository often holds one requirements.txt at its root and the app in a folder below it
(fastapi_app/ beside flask_app/, both installed from the root's file; the README says `pip install -r
requirements.txt`, then `cd fastapi_app`). A user who names that folder (`shipyard serve --install fastapi_app`)
means the app in it, and the packages its repository declares for it. The folder stays the app's root (imports,
the workdir, the image's build context); only the dependency files are read from above, and only from the folder
chain up to the repository's root (the nearest folder holding .git): never from a sibling app's folder, never
past the repository, whose parent may be any folder of the user's, and only when they declare a package the app's
code imports (an example app inside a tool's repository is not the tool)."""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from pathlib import Path, PurePosixPath
from typing import Callable

from packaging.utils import canonicalize_name

from ..project import Project
from .findings import DeclaredDependencies

# how many folders above the app's a repository root is looked for (an app two folders down: src/web/)
MAX_LEVELS = 4


def repository_root(root: Path) -> Path | None:
    """The nearest folder strictly above `root` that holds .git (a clone's folder, or a worktree's .git file),
    at most MAX_LEVELS up; None when `root` is itself a repository's root or is in none."""
    if (root / ".git").exists():
        return None
    for level, folder in enumerate(root.parents):
        if level >= MAX_LEVELS:
            return None
        if (folder / ".git").exists():
            return folder
    return None


@functools.lru_cache(maxsize=8)
def _project(top: Path) -> Project:
    """One scan of the repository per process: declared() is asked again for each candidate entry."""
    return Project(top)


def _holds(base: str, app_folder: str) -> bool:
    """`base`, the folder the enclosing repository's files were read from, is on the app folder's chain."""
    if base in ("", "."):
        return True
    base_path, app = PurePosixPath(base), PurePosixPath(app_folder)
    return base_path == app or base_path in app.parents


def enclosing(project: Project, app_folder: str | None,
              read: Callable[..., DeclaredDependencies]) -> DeclaredDependencies | None:
    """What the enclosing repository declares for the app (`read`: deps.declared, over the repository's root),
    with paths relative to the project's root ("../requirements.txt"); None when the project is not inside a
    repository, or the repository's files found are those of another folder than the app's chain."""
    top = repository_root(project.root)
    if top is None:
        return None
    inside = project.root.relative_to(top).as_posix()
    app = inside if app_folder in (None, "", ".") else f"{inside}/{app_folder}"
    found = read(_project(top), app, own_first=True, enclosing=False)
    if not found.files or not _holds(found.folder, inside) or not _declares_an_import(project, found):
        return None
    def moved(path: str) -> str:
        return path if path.startswith("/") else Path(os.path.relpath(top / path, project.root)).as_posix()

    files = tuple(moved(f) for f in found.files)
    deps = tuple(dataclasses.replace(d, source=_moved_source(d.source, moved)) for d in found.dependencies)
    note = (f"{project.root.name}/ declares no dependencies of its own: read those of its repository, "
            f"{top.name}/ ({', '.join(files)})")
    return dataclasses.replace(found, dependencies=deps, files=files, notes=(*found.notes, note),
                               dev_pins=tuple((k, (v, moved(f))) for k, (v, f) in found.dev_pins),
                               own_project="", folder=moved(found.folder))


def _declares_an_import(project: Project, found: DeclaredDependencies) -> bool:
    """The enclosing files declare a package the app's code imports (its framework, most often): they are the
    app's, not those of a project the folder merely sits in (an example app inside a tool's repository, whose
    pyproject.toml declares the tool's own packages)."""
    from .imports import imported_distributions   # imports.py reads deps.py, which reads this module
    declared = {canonicalize_name(d.name) for d in found.dependencies}
    return any(name in declared for name in imported_distributions(project))


_PINNED_BY = re.compile(r"\(pinned by ([^)]+)\)")


def _moved_source(source: str, moved: Callable[[str], str]) -> str:
    """A dependency's source ("requirements.txt", "pyproject.toml (group web) (pinned by poetry.lock)") with its
    file paths made relative to the app's folder."""
    head, sep, rest = source.partition(" ")
    text = moved(head) + sep + rest
    return _PINNED_BY.sub(lambda m: f"(pinned by {moved(m.group(1))})", text)

