"""A module the app imports that the project ships as a distribution of its own, in a folder the app does not run
from: the Django tutorial's "reusable apps" step moves polls/ into django-polls/ beside a setup.cfg (name
django-polls), while the project's settings keep 'polls' in INSTALLED_APPS; its author installs that folder
(`pip install ./django-polls`). The entry is right (not a wrong folder to run from); the app imports once that
distribution is installed, which the one line names.
"""

from __future__ import annotations

import configparser
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ...project import Project

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
