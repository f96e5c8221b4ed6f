"""Variables a project reads as its database URL, or as a part of its connection, whatever their names.

`"USER": env("NEON_USER"), "HOST": env("NEON_HOST")` (a Neon-hosted course project), `"NAME":
os.getenv("PROJECT_DB")`: the key of the DATABASES entry says which part the variable holds, where its name
does not (run/database.variable_part knows POSTGRES_USER, DB_HOST...). Likewise the URL: `SQLALCHEMY_DATABASE_URI
= environ.get("ANAKONDA_API_DATABASE_URI", None)` in a Flask config class, `create_engine(os.environ["CONN"])`.
serve points them at its own database.
"""

from __future__ import annotations

import ast
import re

from ..project import Project
from .services import env_reads
from .source import parsed

# Django's DATABASES keys -> the part of the connection (run/database.py's names)
KEYS = {"HOST": "host", "PORT": "port", "USER": "user", "PASSWORD": "password", "NAME": "database"}


def database_part_variables(project: Project) -> tuple[tuple[str, str], ...]:
    """(variable, part) for each environment read that is the value of a HOST/PORT/USER/PASSWORD/NAME key of a
    dict display that also has an ENGINE key (a DATABASES entry), and ("url") for one that is the app's database
    URL (_url_values), and ("scheme" or "dialect") for one it puts first in a URL it builds (_scheme_values),
    sorted."""
    places: dict[tuple[str, int, int], str] = {}
    for rel, tree in parsed(project).items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict) and any(isinstance(k, ast.Constant) and k.value == "ENGINE"
                                                  for k in node.keys):
                for k, v in zip(node.keys, node.values):
                    if isinstance(k, ast.Constant) and k.value in KEYS:
                        places[(rel, v.lineno, v.col_offset)] = KEYS[k.value]
        for value in _url_values(tree):
            places[(rel, value.lineno, value.col_offset)] = "url"
        for value, part in _scheme_values(tree):
            places[(rel, value.lineno, value.col_offset)] = part
    return tuple(sorted({(r.name, places[(r.path, r.line, r.col)]) for r in env_reads(project)
                         if (r.path, r.line, r.col) in places}))


# the Flask-SQLAlchemy setting that holds the URL, and SQLAlchemy's engine makers that take it first
URL_SETTING = "SQLALCHEMY_DATABASE_URI"
_ENGINE_MAKERS = frozenset({"create_engine", "create_async_engine"})


def _url_values(tree: ast.Module) -> list[ast.AST]:
    """The expressions a module puts into its database URL: the value of an assignment to SQLALCHEMY_DATABASE_URI
    (a config class attribute, app.config["..."], config.update(SQLALCHEMY_DATABASE_URI=...), a dict key) and
    create_engine's URL; through `X or "default"` and a module-level name assigned once (DB_URI = getenv(...))."""
    values: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None \
                and any(_names_url(t) for t in (node.targets if isinstance(node, ast.Assign) else [node.target])):
            values.append(node.value)
        elif isinstance(node, ast.Dict):
            values.extend(v for k, v in zip(node.keys, node.values)
                          if isinstance(k, ast.Constant) and k.value == URL_SETTING)
        elif isinstance(node, ast.Call):
            values.extend(k.value for k in node.keywords if k.arg == URL_SETTING)
            func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if func in _ENGINE_MAKERS:
                values.extend(node.args[:1] or [k.value for k in node.keywords if k.arg == "url"])
    once = _assigned_once(tree)
    out = []
    for value in values:
        if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or):
            value = value.values[0]
        if isinstance(value, ast.Name) and value.id in once:
            value = once[value.id]
            if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or):
                value = value.values[0]
        out.append(value)
    return out


def _scheme_values(tree: ast.Module) -> list[tuple[ast.AST, str]]:
    """The expressions a module puts first in a URL it builds itself: `f"{DB_TYPE}://{DB_USER}:..."` ("scheme":
    the whole scheme, driver included) or `f"{DIALECT}+asyncpg://..."` ("dialect": the part before the driver the
    code adds); through a module-level name assigned once (DB_TYPE = os.environ.get("DB_TYPE"))."""
    once = _assigned_once(tree)
    out = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.JoinedStr) and len(node.values) > 1
                and isinstance(node.values[0], ast.FormattedValue) and isinstance(node.values[1], ast.Constant)
                and isinstance(node.values[1].value, str)):
            continue
        after = node.values[1].value
        part = "scheme" if after.startswith("://") else "dialect" if re.match(r"\+\w+://", after) else None
        value = node.values[0].value
        if isinstance(value, ast.Name) and value.id in once:
            value = once[value.id]
        if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or):
            value = value.values[0]
        if part:
            out.append((value, part))
    return out


def _names_url(target: ast.AST) -> bool:
    if isinstance(target, ast.Name):
        return target.id == URL_SETTING
    if isinstance(target, ast.Attribute):
        return target.attr == URL_SETTING
    return isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) \
        and target.slice.value == URL_SETTING


def _assigned_once(tree: ast.Module) -> dict[str, ast.AST]:
    """Module-level names bound by exactly one plain assignment, with its value."""
    seen: dict[str, list[ast.AST]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            seen.setdefault(node.targets[0].id, []).append(node.value)
    return {name: values[0] for name, values in seen.items() if len(values) == 1}
