"""A NameError for a module the app's file reads attributes of but never imports, where that module is a file of
the author's that the project keeps out of git: a 2022 weather tutorial's main.py reads constants.SECRET_KEY and
constants.API_KEY, its `#import constants` is commented out, and .gitignore lists constants.py. Not a package to
install, nor a Python of another time: the author's own module, to write (and import) before the app starts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ...project import Project

_NOT_DEFINED = re.compile(r"name '(\w+)' is not defined")


@dataclass(frozen=True)
class UnimportedModule:
    module: str                 # the file to write, relative to the project root ("constants.py")
    reader: str                 # the app's file that reads it, relative to the project root ("main.py")
    names: tuple[str, ...]      # what that file reads from it ("SECRET_KEY", "API_KEY")
    commented: bool             # the file has the import, commented out (`#import constants`)


def unimported_module(project: Project, workdir: str, where: str | None, message: str) -> UnimportedModule | None:
    """The module a NameError (`message`, raised at `where`: path:line from the workdir) names, when the failing
    file reads attributes of that name, no file of the project is that module, and a .gitignore lists it."""
    from .proof import _ignored
    missing = _NOT_DEFINED.search(message or "")
    rel = str(where or "").rpartition(":")[0]
    if missing is None or not rel:
        return None
    name = missing.group(1)
    reader = str(PurePosixPath(workdir, rel)) if workdir not in ("", ".") else rel
    source = project.scan_text(reader) if project.exists(reader) else None
    names = tuple(dict.fromkeys(re.findall(rf"(?<![\w.]){re.escape(name)}\.([A-Za-z_]\w*)", source or "")))
    if not names:
        return None
    module = str(PurePosixPath(workdir, f"{name}.py")) if workdir not in ("", ".") else f"{name}.py"
    if any(PurePosixPath(f).stem == name or name in PurePosixPath(f).parts[:-1] for f in project.python_files) \
            or not _ignored(project, module):
        return None
    commented = re.search(rf"^\s*#\s*(import {re.escape(name)}\b|from {re.escape(name)} import)", source or "",
                          re.MULTILINE) is not None
    return UnimportedModule(module, reader, names, commented)


def unimported_stdlib(project: Project, workdir: str, where: str | None, message: str) -> tuple[str, str, str] | None:
    """(the failing file relative to the project root, the module, an attribute it reads) when a NameError names a
    standard library module that file uses (`os.getenv(...)`) and never imports: a course project's settings.py
    calling os.getenv after its `import os` was lost. The app's own mistake, with a one-line fix."""
    from ..imports import _STDLIB
    missing = _NOT_DEFINED.search(message or "")
    rel = str(where or "").rpartition(":")[0]
    if missing is None or not rel or missing.group(1) not in _STDLIB:
        return None
    name = missing.group(1)
    reader = str(PurePosixPath(workdir, rel)) if workdir not in ("", ".") else rel
    source = project.scan_text(reader) if project.exists(reader) else None
    used = re.search(rf"(?<![\w.]){re.escape(name)}\.([A-Za-z_]\w*)", source or "")
    if used is None or re.search(rf"^\s*(import[^#\n]*\b{re.escape(name)}\b|from {re.escape(name)}\b)", source or "",
                                 re.MULTILINE):
        return None
    return reader, name, used.group(1)
