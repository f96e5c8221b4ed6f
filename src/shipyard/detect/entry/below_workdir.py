"""A module the app imports by its bare name that the project has in a folder below the one the app runs from,
a folder nothing puts on sys.path: a Django project in blatnoy-market/ keeps its apps in apps/accounts/,
apps/vendors/..., and INSTALLED_APPS names them 'accounts', 'vendors', but its settings never insert apps/ into
sys.path (the line such layouts need). The entry is right (the project's own modules import from its folder);
the app does not import anywhere until its code puts that folder on sys.path or imports the modules by their
path: the app's own fault to say, not a folder to run from nor a package to install."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import PurePosixPath

from ...project import Project


@dataclass(frozen=True)
class BelowWorkdir:
    path: str       # the module, or package folder, relative to the project root ("site/apps/accounts/")
    folder: str     # the folder below the workdir that holds it, relative to the workdir ("apps")


def below_workdir(project: Project, workdir: str, top: str, module: str | None,
                  where: str | None) -> BelowWorkdir | None:
    """Where the top-level module `top`, absent from `workdir`, is in one folder below it that is not a package
    (no __init__.py) and holds neither the entry `module` nor the file that failed to import it (`where`, relative
    to the workdir): then no other folder to run from is what the app means. None otherwise, or when two folders
    have it."""
    if not top.isidentifier():
        return None
    base = PurePosixPath(os.path.normpath(workdir))
    inside = "" if str(base) == "." else f"{base}/"
    if project.is_file(f"{inside}{top}.py") or any(f.startswith(f"{inside}{top}/") for f in project.python_files):
        return None     # the name is there (a submodule of it is missing): which folder to run from is the question
    found: set[tuple[str, str]] = set()
    for f in project.python_files:
        if not f.startswith(inside):
            continue
        parts = PurePosixPath(f[len(inside):]).parts
        for depth in range(1, len(parts)):
            package = parts[depth] == top and depth < len(parts) - 1
            if package or parts[depth:] == (f"{top}.py",):
                folder = PurePosixPath(*parts[:depth])
                found.add((f"{inside}{folder}/{top}" + ("/" if package else ".py"), str(folder)))
                break
    if len(found) != 1:
        return None
    path, folder = found.pop()
    if project.is_file(f"{inside}{folder}/__init__.py"):
        return None     # a package: `import apps.accounts` is how it imports, another question
    users = ([module.replace(".", "/")] if module else []) + ([where.rsplit(":", 1)[0]] if where else [])
    if any(PurePosixPath(u).is_relative_to(folder) for u in users):
        return None     # the entry (or the importer) lives there too: the folder to run from is the question
    return BelowWorkdir(path, folder)
