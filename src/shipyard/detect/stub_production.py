"""A production config class left a stub: the development class (or its base) names the app's database
(SQLALCHEMY_DATABASE_URI, read from the environment) and the production one names none, so the production tree
runs Flask-SQLAlchemy on its default, an in-memory SQLite whose engine options fail (`pool_size` sent to SQLite's
StaticPool), or with no database at all. A starter's app/config/development.py and production.py, each a `Config`
class that app/config/__init__.py imports as DevelopmentConfig and ProductionConfig.

The classes are found by their names (ProductionConfig, DevConfig), by the names they are imported as, or by
their module's (a `Config` in production.py); their attributes through their bases in the app's own modules. Read
statically: nothing is imported.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..project import Project
from .configclass import names_kind
from .source import parsed

# the config keys that name a database in the extensions Flask apps configure from a class
DATABASE_KEYS = ("SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_BINDS", "MONGO_URI", "MONGODB_SETTINGS", "MONGODB_HOST",
                 "DATABASE_URL", "DATABASE_URI")
_DEPTH = 6                    # bases followed, at most


@dataclass(frozen=True)
class StubProduction:
    production: str           # "app/config/production.py's Config"
    development: str          # "app/config/development.py's Config"
    key: str                  # SQLALCHEMY_DATABASE_URI


def stub_production(project: Project) -> StubProduction | None:
    """The app's production config class when none of its production classes names a database its development
    class names (through their bases), else None."""
    trees = parsed(project)
    kinds: dict[str, list[tuple[str, str]]] = {"production": [], "development": []}
    for rel, tree in sorted(trees.items()):
        module_kind = PurePosixPath(rel).stem
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                for kind in kinds:
                    if names_kind(node.name, kind) or (node.name in ("Config", "Settings")
                                                       and names_kind(module_kind, kind)):
                        kinds[kind].append((rel, node.name))
            elif isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    for kind in kinds:
                        if alias.asname and names_kind(alias.asname, kind) \
                                and (found := _resolve(trees, rel, alias.asname, 0)) is not None:
                            kinds[kind].append(found)
    if not kinds["production"] or not kinds["development"]:
        return None
    production = {key for rel, name in kinds["production"] for key in _keys(trees, rel, name, 0)}
    for rel, name in kinds["development"]:
        named = [key for key in DATABASE_KEYS if key in _keys(trees, rel, name, 0)]
        if named and not production & set(DATABASE_KEYS):
            prod_rel, prod_name = kinds["production"][0]
            return StubProduction(f"{prod_rel}'s {prod_name}", f"{rel}'s {name}", named[0])
    return None


def _keys(trees: dict[str, ast.Module], rel: str, name: str, depth: int) -> set[str]:
    """The upper-case attributes class `name` of module `rel` assigns, its bases' included."""
    if depth > _DEPTH or (found := _resolve(trees, rel, name, depth)) is None:
        return set()
    rel, name = found
    cls = next((n for n in trees[rel].body if isinstance(n, ast.ClassDef) and n.name == name), None)
    if cls is None:
        return set()
    keys = {t.id for node in cls.body if isinstance(node, (ast.Assign, ast.AnnAssign))
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(t, ast.Name) and t.id.isupper()}
    for base in cls.bases:
        if isinstance(base, ast.Name):
            keys |= _keys(trees, rel, base.id, depth + 1)
    return keys


def _resolve(trees: dict[str, ast.Module], rel: str, name: str, depth: int) -> tuple[str, str] | None:
    """(module, class name) where the class module `rel` knows as `name` is defined: there, or where an
    `from .x import Y as name` brings it from (the app's own modules only)."""
    if depth > _DEPTH or rel not in trees:
        return None
    for node in trees[rel].body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return rel, name
    for node in trees[rel].body:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (alias.asname or alias.name) == name and (source := _module_file(trees, rel, node)) is not None:
                    return _resolve(trees, source, alias.name, depth + 1)
    return None


def _module_file(trees: dict[str, ast.Module], rel: str, node: ast.ImportFrom) -> str | None:
    """The app's file an import names: relative to `rel`'s package, or absolute from a folder above it."""
    path = PurePosixPath(*node.module.split(".")) if node.module else PurePosixPath()
    if node.level:
        base = PurePosixPath(rel).parent
        for _ in range(node.level - 1):
            base = base.parent
        folders = [base]
    else:
        folders = list(PurePosixPath(rel).parents)
    for folder in folders:
        for tail in (".py", "/__init__.py"):
            candidate = f"{folder / path}{tail}".removeprefix("./")
            if candidate in trees:
                return candidate
    return None
