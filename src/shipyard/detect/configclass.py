"""Config classes chosen by an environment variable: `app.config.from_object(os.environ['APP_SETTINGS'])`
(Flask, Quart, and `from_object` on any object) with the classes in the app's own modules (`config.py`:
`DevelopmentConfig`, `ProductionConfig`...), the README saying `export APP_SETTINGS=config.DevelopmentConfig`.

`loader_variables` finds the variables whose value goes to a loader, directly or through a local name;
`config_class` finds the dotted path, as the loader imports it from the app's workdir, of the app's class
for production (or development), by its name alone: nothing is imported here.
"""

from __future__ import annotations

import ast
import re
from pathlib import PurePosixPath
from typing import Callable

from ..project import Project
from .ast_nodes import ast_nodes
from .services import _env_read, _reader_objects
from .source import imported_modules, imported_names, parsed

LOADERS = frozenset({"from_object"})
# words of a class name (CamelCase or snake_case) besides the one naming the environment
_CONFIG_WORDS = frozenset({"config", "configuration", "settings", "setting", "conf", "cfg"})
KINDS = {"production": frozenset({"prod", "production"}), "development": frozenset({"dev", "development"})}


def variable_reader(tree: ast.AST) -> Callable[[ast.AST], str | None]:
    """A function giving the variable an expression of the module `tree` reads (`os.environ["X"]`,
    `os.getenv("X", "d")`, `os.getenv("X") or "d"`), or None."""
    imported = imported_names(tree)
    env_objects = _reader_objects(tree, imported_modules(tree) | imported)

    def read(node: ast.AST) -> str | None:
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) and node.values:
            node = node.values[0]                 # os.getenv("X") or "config.Default"
        return _env_read(node, imported, env_objects)
    return read


def loader_variables(project: Project) -> tuple[str, ...]:
    """Names of the environment variables whose value the app passes to a config loader, sorted."""
    out: set[str] = set()
    for tree in parsed(project).values():
        read = variable_reader(tree)
        # local names bound to a read: settings = os.getenv("APP_SETTINGS"); app.config.from_object(settings)
        bound = {t.id: name for node in ast_nodes(tree) if isinstance(node, ast.Assign)
                 and (name := read(node.value)) for t in node.targets if isinstance(t, ast.Name)}
        for node in ast_nodes(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in LOADERS and len(node.args) == 1:
                arg = node.args[0]
                name = bound.get(arg.id) if isinstance(arg, ast.Name) else read(arg)
                if name:
                    out.add(name)
    return tuple(sorted(out))


def config_class(project: Project, workdir: str, kind: str = "production") -> str | None:
    """The dotted path (module.Class, importable from `workdir`) of the app's config class for `kind`
    (production or development), or None when it has none. Several: the one in a module named config or
    settings, then the shallowest module, then the first by path."""
    found = []
    for rel, tree in parsed(project).items():
        module = _module(rel, workdir)
        if module is None:
            continue
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and names_kind(node.name, kind):
                named_config = module.rsplit(".", 1)[-1] in ("config", "settings", "configs", "configuration")
                found.append(((not named_config, module.count("."), rel, node.name), f"{module}.{node.name}"))
    return min(found)[1] if found else None


def names_kind(name: str, kind: str) -> bool:
    """ProductionConfig, Production, ProdConfig, production_settings: one word for `kind`, the rest config's."""
    words = [w.lower() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", name)]
    hits = [w for w in words if w in KINDS[kind]]
    return len(hits) == 1 and all(w in KINDS[kind] or w in _CONFIG_WORDS for w in words)


def _module(rel: str, workdir: str) -> str | None:
    """The module `rel` is when imported from `workdir` (a package's __init__.py is the package), or None
    when it is outside it or a part of its path is not a Python name."""
    path = PurePosixPath(rel)
    base = PurePosixPath(workdir)
    if workdir not in ("", "."):
        if base not in path.parents:
            return None
        path = path.relative_to(base)
    parts = list(path.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    if not parts or not all(p.isidentifier() for p in parts):
        return None
    return ".".join(parts)
