"""Folders the project itself names as its code, so a folder called `tutorial/` or `example/` is not
skipped as a decoy when it is the app: the Pyramid tutorial's package `tutorial` (its pyproject's name,
`use = egg:tutorial` in production.ini), django-allauth's example project whose manage.py sets
DJANGO_SETTINGS_MODULE=example.settings.

Read statically from the files that say what the project is: pyproject.toml (project name, setuptools and
Poetry packages), setup.cfg and setup.py (name, packages), paste .ini files (`use = egg:NAME`/`call:NAME`)
and Django's manage.py, wsgi.py, asgi.py (DJANGO_SETTINGS_MODULE), each in a folder that is not a decoy.
"""

from __future__ import annotations

import ast
import configparser
import re
import weakref
from pathlib import PurePosixPath

from ..project import Project, is_decoy_dir
from .ast_nodes import ast_nodes

_DJANGO_FILES = frozenset({"manage.py", "wsgi.py", "asgi.py"})
_SETTINGS = re.compile(r"""DJANGO_SETTINGS_MODULE["']\s*[,:=]\s*["']([A-Za-z_][\w.]*)["']""")
_USE = re.compile(r"^\s*use\s*=\s*(?:egg|call|package):([A-Za-z_][\w.-]*)", re.M)


_CACHE: "weakref.WeakKeyDictionary[Project, frozenset[str]]" = weakref.WeakKeyDictionary()


def own_folders(project: Project) -> frozenset[str]:
    """Relative paths of the folders the project's packaging or launch files name as its packages."""
    if project not in _CACHE:
        _CACHE[project] = _own_folders(project)
    return _CACHE[project]


def _own_folders(project: Project) -> frozenset[str]:
    found: set[str] = set()
    # a project whose every Python file is under a decoy-named folder (the DRF tutorial's `tutorial/manage.py`
    # with its `tutorial/tutorial/` package, nothing at the root) is that folder: its files say what its code is
    alone = not any(not _under_decoy(rel) for rel in project.python_files)
    for rel in project.files:
        path = PurePosixPath(rel)
        folder = str(path.parent)
        if _under_decoy(rel) and not (alone and path.name in _DJANGO_FILES):
            continue
        names: set[str] = set()
        if path.name == "pyproject.toml" and folder == ".":
            names |= _pyproject_names(project.pyproject)
        elif path.name == "setup.cfg":
            names |= _setup_cfg_names(project.scan_text(rel) or "")
        elif path.name == "setup.py":
            names |= _setup_py_names(project.scan_text(rel) or "")
        elif path.suffix == ".ini":
            names |= {m.group(1) for m in _USE.finditer(project.scan_text(rel) or "")}
        elif path.name in _DJANGO_FILES:
            names |= {m.group(1) for m in _SETTINGS.finditer(project.scan_text(rel) or "")}
        for name in names:
            # a distribution name (my-proj: package my_proj) or a dotted module path (example.settings: example)
            name = name.split("#")[0].strip("/")
            for top in {re.sub(r"[-.]", "_", name), name.replace("-", "_").split(".")[0]}:
                for candidate in (_join(folder, top), _join(folder, "src", top)):
                    if (project.root / candidate).is_dir():
                        found.add(candidate)
                        if path.name in _DJANGO_FILES and _under_decoy(rel):
                            # and the folders holding manage.py: the project's root (`tutorial/`)
                            parts = path.parts[:-1]
                            found.update("/".join(parts[:i + 1]) for i in range(len(parts)))
    return frozenset(found)


def _under_decoy(rel: str) -> bool:
    return any(is_decoy_dir(p) for p in PurePosixPath(rel).parts[:-1])


def is_decoy(project: Project, rel: str) -> bool:
    """Project.is_decoy, except inside the project's own folders (their tests/ and migrations/ stay decoys)."""
    own = own_folders(project)
    parts = PurePosixPath(rel).parts[:-1]
    return any(is_decoy_dir(p) and "/".join(parts[:i + 1]) not in own for i, p in enumerate(parts))


def _join(folder: str, *parts: str) -> str:
    return str(PurePosixPath(folder, *parts)) if folder not in ("", ".") else str(PurePosixPath(*parts))


def _pyproject_names(data: dict) -> set[str]:
    names: set[str] = set()
    project = data.get("project", {})
    if isinstance(project.get("name"), str):
        names.add(project["name"])
    tool = data.get("tool", {}) if isinstance(data.get("tool"), dict) else {}
    poetry = tool.get("poetry", {}) if isinstance(tool.get("poetry"), dict) else {}
    if isinstance(poetry.get("name"), str):
        names.add(poetry["name"])
    for item in poetry.get("packages", []) if isinstance(poetry.get("packages"), list) else []:
        if isinstance(item, dict) and isinstance(item.get("include"), str):
            names.add(item["include"])
    setuptools = tool.get("setuptools", {}) if isinstance(tool.get("setuptools"), dict) else {}
    packages = setuptools.get("packages")
    if isinstance(packages, list):
        names |= {p for p in packages if isinstance(p, str)}
    elif isinstance(packages, dict):
        include = packages.get("find", {}).get("include", []) if isinstance(packages.get("find"), dict) else []
        names |= {p.split("*")[0].rstrip(".") for p in include if isinstance(p, str) and p.split("*")[0]}
    return {n for n in names if n}


def _setup_cfg_names(text: str) -> set[str]:
    cfg = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        cfg.read_string(text)
    except configparser.Error:
        return set()
    names = {cfg.get("metadata", "name", fallback="")}
    names |= set(cfg.get("options", "packages", fallback="").split())
    return {n for n in names if n and not n.startswith("find")}


def _setup_py_names(text: str) -> set[str]:
    """setup(name="x", packages=["x", "x.sub"], py_modules=[...]) with literal values."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return set()
    names: set[str] = set()
    for node in ast_nodes(tree):
        if not isinstance(node, ast.Call):
            continue
        for kw in node.keywords:
            if kw.arg == "name" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                names.add(kw.value.value)
            elif kw.arg == "packages" and isinstance(kw.value, (ast.List, ast.Tuple)):
                names |= {e.value for e in kw.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
    return names
