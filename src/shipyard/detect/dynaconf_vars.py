"""The environment variables a Dynaconf app reads: every key of its settings file (settings.toml), under
Dynaconf's prefix (DYNACONF_DB_HOST overrides DB_HOST in any environment of the file), as Dynaconf documents.

An app on Dynaconf keeps its settings in settings.toml, by environment ([default], [development],
[production]...), and reads them as `settings.DB_HOST`; the environment overrides any of them with
PREFIX_KEY. Read by ast and tomllib, never run: the prefix is `envvar_prefix=` of its `Dynaconf(...)` (or
`LazySettings(...)`), FLASK for `FlaskDynaconf`, else DYNACONF (`from dynaconf import settings`); the files are
its `settings_files=` (or `settings_file=`) when written as strings, else settings.toml beside the code.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..project import Project
from .ast_nodes import ast_nodes
from .source import is_app_file

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_PREFIX = "DYNACONF"
DEFAULT_FILES = ("settings.toml",)
_CONSTRUCTORS = {"Dynaconf": DEFAULT_PREFIX, "LazySettings": DEFAULT_PREFIX, "FlaskDynaconf": "FLASK"}


@dataclass(frozen=True)
class Key:
    name: str          # the variable: DYNACONF_DB_HOST
    path: str          # the settings file that names the key
    line: int


def dynaconf_keys(project: Project, trees: dict[str, ast.Module]) -> list[Key]:
    """PREFIX_KEY for every key of the settings files of a project whose code uses Dynaconf; [] otherwise."""
    prefix, files, uses = DEFAULT_PREFIX, list(DEFAULT_FILES), False
    for tree in trees.values():
        for node in ast_nodes(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "dynaconf" or \
                    isinstance(node, ast.Import) and any(a.name.split(".")[0] == "dynaconf" for a in node.names):
                uses = True
            elif isinstance(node, ast.Call) and _name(node.func) in _CONSTRUCTORS:
                prefix = _CONSTRUCTORS[_name(node.func)]
                for kw in node.keywords:
                    if kw.arg == "envvar_prefix" and isinstance(kw.value, ast.Constant) and kw.value.value:
                        prefix = str(kw.value.value)
                    elif kw.arg in ("settings_files", "settings_file"):
                        named = _strings(kw.value)
                        files = named or files
    if not uses:
        return []
    wanted = {PurePosixPath(f).name for f in files if f.endswith(".toml")}
    keys: list[Key] = []
    for rel in project.files:
        if PurePosixPath(rel).name not in wanted or not is_app_file(rel):
            continue
        text = project.scan_text(rel)
        try:
            data = tomllib.loads(text) if text else {}
        except tomllib.TOMLDecodeError:
            continue
        lines = text.splitlines() if text else []
        for key in _keys(data):
            line = next((i for i, t in enumerate(lines, 1) if t.strip().upper().startswith(key)), 1)
            keys.append(Key(f"{prefix}_{key}", rel, line))
    return keys


def _keys(data: dict) -> list[str]:
    """Upper-cased keys: those of each environment table ([default], [development]...) and top-level values."""
    out: list[str] = []
    for name, value in data.items():
        for key in (value if isinstance(value, dict) else {name: value}):
            if key.upper() not in out and key.replace("_", "").isalnum():
                out.append(key.upper())
    return out


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _strings(node: ast.expr) -> list[str]:
    items = node.elts if isinstance(node, (ast.List, ast.Tuple)) else [node]
    return [i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)]
