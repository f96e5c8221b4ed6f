"""Variables whose value picks a database from a dict the code writes: `DATABASES = {'default': DB_CONNECTIONS[env(
'DEFAULT_DATABASE')]}`, `{'dev': ..., 'prod': ...}[os.environ['ENV']]`, or the same through a name
(`DEFAULT_DATABASE = env('DEFAULT_DATABASE')`, then `DB_CONNECTIONS[DEFAULT_DATABASE]`). Such a variable takes one
of the dict's keys and nothing else: a placeholder (or nothing, when it is unset) stops the import with a KeyError.
The keys, and the database each entry names (a Django ENGINE, a URL's scheme), let serve give the one the app can
run with. Dicts of configuration classes chosen the same way are config_choice.py's.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Iterable

from ..project import Project
from .ast_nodes import ast_nodes
from .services import env_reads
from .source import parsed

_ENGINES = (("sqlite", re.compile(r"sqlite", re.IGNORECASE)),
            ("postgres", re.compile(r"postg|psycopg|asyncpg", re.IGNORECASE)),
            ("mysql", re.compile(r"mysql|mariadb", re.IGNORECASE)))


@dataclass(frozen=True)
class KeyChoice:
    name: str                            # the variable
    rel: str                             # where the dict is indexed by it
    line: int
    keys: tuple[str, ...]                # the dict's string keys, as written
    engines: tuple[str, ...]             # per key: "sqlite", "postgres", "mysql" when its entry names one, else ""


def key_choices(project: Project) -> tuple[KeyChoice, ...]:
    """Each required read of a variable that is used as the key of a dict literal of the code whose entries name
    databases (first per name)."""
    reads = [r for r in env_reads(project) if r.required and not r.default and (r.col or r.end_col)]
    if not reads:
        return ()
    found: dict[str, KeyChoice] = {}
    trees = parsed(project)
    for rel in sorted({r.path for r in reads}):
        tree = trees.get(rel)
        if tree is None:
            continue
        at = {(r.line, r.col): r.name for r in reads if r.path == rel}
        dicts: dict[str, ast.Dict] = {}
        named: dict[str, str] = {}             # a module-level name bound to a read: its variable
        for statement in tree.body:
            if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                for target in targets:
                    if not isinstance(target, ast.Name):
                        continue
                    if isinstance(statement.value, ast.Dict):
                        dicts[target.id] = statement.value
                    elif (variable := _read_at(statement.value, at)) is not None:
                        named[target.id] = variable
        for node in ast_nodes(tree):
            if not isinstance(node, ast.Subscript):
                continue
            table = node.value if isinstance(node.value, ast.Dict) else (
                dicts.get(node.value.id) if isinstance(node.value, ast.Name) else None)
            if table is None:
                continue
            key = node.slice
            variable = _read_at(key, at) or (named.get(key.id) if isinstance(key, ast.Name) else None)
            keys = [(k.value, v) for k, v in zip(table.keys, table.values)
                    if isinstance(k, ast.Constant) and isinstance(k.value, str)]
            if variable is None or variable in found or not keys or not any(_engine(v) for _, v in keys):
                continue
            found[variable] = KeyChoice(variable, rel, node.lineno, tuple(k for k, _ in keys),
                                        tuple(_engine(v) for _, v in keys))
    return tuple(found.values())


def chosen_key(choice: KeyChoice, databases: Iterable[str]) -> str:
    """The key serve gives: the one whose database serve runs for the app (`databases`: the plan's services,
    "postgres", "mysql"), else SQLite's (it needs no server), else the first."""
    served = [d for d in databases if d in ("postgres", "mysql")]
    for wanted in (*served, "sqlite"):
        if wanted in choice.engines:
            return choice.keys[choice.engines.index(wanted)]
    return choice.keys[0]


def _read_at(node: ast.AST, at: dict[tuple[int, int], str]) -> str | None:
    return at.get((getattr(node, "lineno", 0), getattr(node, "col_offset", -1)))


def _engine(value: ast.AST) -> str:
    """The database an entry names: a string of it (ENGINE 'django.db.backends.mysql', 'sqlite:///app.db')."""
    for inner in ast_nodes(value):
        if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
            for engine, pattern in _ENGINES:
                if pattern.search(inner.value):
                    return engine
    return ""
