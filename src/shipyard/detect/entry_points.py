"""The entry points a project declares in its own packaging files, read statically: setup.py's
`entry_points=` (a dict of lists, or the ini-style text), setup.cfg's [options.entry_points], pyproject's
[project.entry-points.GROUP] and Poetry's [tool.poetry.plugins.GROUP]. Paste's `use = egg:todo` loads the
`main` of the group paste.app_factory, which names a module of any name (`main = src:main`)."""

from __future__ import annotations

import ast
import configparser
import re

from ..project import Project
from .ast_nodes import ast_nodes


def declared(project: Project, group: str) -> dict[str, str]:
    """{name: "module:attr"} of one entry point group, from the first packaging file that declares it."""
    pyproject = project.pyproject
    tables = (pyproject.get("project", {}).get("entry-points", {}),
              pyproject.get("tool", {}).get("poetry", {}).get("plugins", {}))
    for table in tables:
        found = table.get(group) if isinstance(table, dict) else None
        if isinstance(found, dict):
            return {str(k): str(v).strip() for k, v in found.items()}
    if project.is_file("setup.cfg"):
        cfg = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            cfg.read_string(project.read_text("setup.cfg"))
        except configparser.Error:
            cfg = None
        if cfg is not None and (text := cfg.get("options.entry_points", group, fallback=None)):
            return _lines(text)
    if project.is_file("setup.py"):
        return _setup_py(project.read_text("setup.py"), group)
    return {}


def console_scripts(project: Project) -> dict[str, str]:
    """{name: "module:func"} of the project's console scripts: pyproject's [project.scripts] and Poetry's
    [tool.poetry.scripts], then the console_scripts entry points of setup.cfg or setup.py (also a setup.py that
    builds its entry_points in a variable: its "name = module:func" strings)."""
    found: dict[str, str] = {}
    pyproject = project.pyproject
    for table in (pyproject.get("project", {}).get("scripts"), pyproject.get("tool", {}).get("poetry", {}).get("scripts")):
        for name, target in (table or {}).items() if isinstance(table, dict) else ():
            if isinstance(target, dict):       # Poetry 2: {reference = "pkg:main", type = "console"}
                target = target.get("reference") or target.get("callable")
            if isinstance(target, str):
                found.setdefault(str(name), target.strip())
    for name, target in declared(project, "console_scripts").items():
        found.setdefault(name, target)
    if project.is_file("setup.py"):
        for name, target in _setup_py_strings(project.read_text("setup.py")).items():
            found.setdefault(name, target)
    return found


def _setup_py_strings(text: str) -> dict[str, str]:
    """"name = module:func" lines of setup.py's string constants, wherever its entry points are built."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return {}
    found: dict[str, str] = {}
    for node in ast_nodes(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "=" in node.value:
            for m in re.finditer(r"^\s*([\w.-]+)\s*=\s*([\w.]+\s*:\s*\w+)\s*$", node.value, re.M):
                found.setdefault(m.group(1), re.sub(r"\s+", "", m.group(2)))
    return found


def _setup_py(text: str, group: str) -> dict[str, str]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return {}
    for node in ast_nodes(tree):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg != "entry_points":
                continue
            try:
                value = ast.literal_eval(keyword.value)
            except ValueError:
                continue
            if isinstance(value, str):        # the ini-style text: "[paste.app_factory]\nmain = pkg:main"
                cfg = configparser.ConfigParser(interpolation=None, strict=False, delimiters=("=",))
                try:
                    cfg.read_string(value)
                except configparser.Error:
                    continue
                return dict(cfg.items(group)) if cfg.has_section(group) else {}
            if isinstance(value, dict) and group in value:
                entries = value[group]
                return _lines("\n".join(entries) if isinstance(entries, (list, tuple)) else str(entries))
    return {}


def _lines(text: str) -> dict[str, str]:
    """`name = module:attr` lines."""
    out = {}
    for line in text.splitlines():
        name, sep, target = line.partition("=")
        if sep and name.strip() and target.strip():
            out[name.strip()] = target.strip()
    return out
