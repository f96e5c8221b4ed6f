"""Arguments for a factory that needs them (`def create_app(config_name)`): the production value the
project itself names, so the server can call `create_app('production')`; aiohttp's `init_func(argv)`
gets an empty argument list, as `python -m aiohttp.web` gives it with no options.

Two places say it, read statically: calls of the factory with a literal argument anywhere in the project
(manage.py, a __main__ block, tests), and the keys of a module-level dict of configurations
(`config = {"development": ..., "production": ...}`, the layout Flask's tutorials popularised). Only a
value that reads as production is taken; anything else stays the user's choice.
"""

from __future__ import annotations

import ast
import re

from ..source import called_name
from .graph import Analysis
from .model import AppDef

_PRODUCTION = re.compile(r"(^|[._-])prod(uction)?($|[._-])|ProductionConfig$", re.I)


def production_call(analysis: Analysis, name: str, app: AppDef) -> str | None:
    """`name('production')` when the factory takes one argument and the project names a production value."""
    if len(app.needs_args) != 1:
        return None
    if app.interface == "aiohttp" and app.needs_args == ("argv",):
        return f"{name}([])"     # aiohttp's `python -m aiohttp.web` convention: init_func(argv), no options
    values: list[str] = []
    for module in analysis.modules.values():
        try:
            tree = ast.parse(analysis.project.read_text(module.path))
        except (SyntaxError, ValueError, OSError):
            continue
        values += _literal_args(tree, name) + _config_keys(tree, app.needs_args[0])
    chosen = next((v for v in values if _PRODUCTION.search(v)), None)
    return f"{name}({chosen!r})" if chosen is not None else None


def _literal_args(tree: ast.AST, name: str) -> list[str]:
    """String literals passed as the first argument of calls to `name` (or `x.name`)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            if called_name(node) == name:
                found.append(node.args[0].value)
    return found


def _config_keys(tree: ast.Module, param: str) -> list[str]:
    """Keys of module-level dicts whose name matches the parameter (`config`, `configs`, `config_by_name`)."""
    stem = param.split("_")[0].lower()
    keys = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            names = [t.id.lower() for t in node.targets if isinstance(t, ast.Name)]
            if any(n.startswith(stem) or stem.startswith(n.rstrip("s")) for n in names):
                keys += [k.value for k in node.value.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    return keys
