"""A module the app imports that the project ships as a distribution of its own, in a folder the app does not run
from: the Django tutorial's "reusable apps" step moves polls/ into django-polls/ beside a setup.cfg (name
django-polls), while the project's settings keep 'polls' in INSTALLED_APPS; its author installs that folder
(`pip install ./django-polls`). The entry is right (not a wrong folder to run from); the app imports once that
distribution is installed: the proof, `serve --install` and the image install it from the project's folder
(needed_local_distributions), as its README's `pip install -e ./FOLDER` does.
"""

from __future__ import annotations

import configparser
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Iterable

from ...project import Project
from ..deps import normalize

_PACKAGING = ("setup.cfg", "pyproject.toml", "setup.py")
_SETUP_NAME = re.compile(r"""\bname\s*=\s*["']([A-Za-z0-9][\w.-]*)["']""")
_PYPROJECT_NAME = re.compile(r"""^\s*name\s*=\s*["']([A-Za-z0-9][\w.-]*)["']""", re.M)


@dataclass(frozen=True)
class LocalDistribution:
    folder: str        # ".pollsdjango-polls/django-polls", relative to the project root
    packaging: str     # the file that makes it one: "setup.cfg"
    name: str          # the distribution's name there ("django-polls"), "" when it names none


def local_distribution(project: Project, workdir: str, top: str) -> LocalDistribution | None:
    """The nearest folder (not the workdir nor one above it) with a packaging file whose package (or src/ package,
    or module) is `top`; None when the project has none."""
    if not top.isidentifier():
        return None
    files = set(project.files)
    parts = PurePosixPath(workdir).parts
    above = {str(PurePosixPath(*parts[:i])) for i in range(len(parts) + 1)}     # "." and each folder down to it
    folders = sorted({str(PurePosixPath(rel).parent) for rel in files if PurePosixPath(rel).name in _PACKAGING},
                     key=lambda f: (len(PurePosixPath(f).parts), f))
    for folder in folders:
        if folder in above or folder == workdir:
            continue
        base = PurePosixPath(folder)
        if not any(f"{b / top}/__init__.py" in files or f"{b / top}.py" in files for b in (base, base / "src")):
            continue
        packaging = [str(base / name) for name in _PACKAGING if str(base / name) in files]
        named = [(rel, name) for rel in packaging if (name := _name(project, rel))]
        rel, name = named[0] if named else (packaging[0], "")
        return LocalDistribution(folder, PurePosixPath(rel).name, name)
    return None


def _name(project: Project, rel: str) -> str:
    """The distribution name its packaging file gives, else ""."""
    text = project.scan_text(rel) or ""
    if rel.endswith("setup.cfg"):
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(text)
        except configparser.Error:
            return ""
        return parser.get("metadata", "name", fallback="").strip()
    pattern = _PYPROJECT_NAME if rel.endswith("pyproject.toml") else _SETUP_NAME
    found = pattern.search(text)
    return found.group(1) if found else ""


def needed_local_distributions(project: Project, workdir: str, declared: Iterable[str] = ()
                               ) -> tuple[LocalDistribution, ...]:
    """The project's own distributions the app imports from `workdir` without having them importable there
    (greeter-lib/setup.py with greeter/ inside, the app's `from greeter import greeting`), in folder order: the
    author installs them by hand (`pip install -e ./greeter-lib`), and what they import in turn. Not one whose
    module the app declares as the index's distribution (`declared`: the app's requirements' names; requests/ in
    vendor/ with the app's `requests`): the folder is a copy of it."""
    from ..imports import _STDLIB, all_imports, distribution_for, settings_imports
    files = set(project.files)
    base = PurePosixPath(workdir)
    declared = {normalize(name) for name in declared}
    found: dict[str, LocalDistribution] = {}
    for imp in (*all_imports(project), *settings_imports(project)):
        top = imp.name.split(".")[0]
        if imp.optional or top in _STDLIB or not top.isidentifier() or _importable(files, base / top):
            continue
        dist = local_distribution(project, workdir, top)
        if dist is None or dist.folder in found or imp.file.startswith(dist.folder + "/"):
            continue
        if normalize(distribution_for(top)) in declared:
            continue
        found[dist.folder] = dist
    return tuple(found[f] for f in sorted(found))


def _importable(files: set[str], path: PurePosixPath) -> bool:
    """The module or package at `path` (the folder the app runs from / its name) imports from there: a module, a
    regular package, or a folder of modules with no packaging file (a namespace package); a folder of that name
    holding a distribution of its own (mylib/setup.py beside mylib/mylib/) is only a namespace of no use."""
    folder = f"{path}/"
    modules = any(rel.startswith(folder) and rel.endswith(".py") and "/" not in rel[len(folder):] for rel in files)
    return f"{path}.py" in files or f"{folder}__init__.py" in files \
        or modules and not any(f"{folder}{name}" in files for name in _PACKAGING)
