"""A module-level app made by a factory from an environment variable (`app = create_app(os.environ["FLASK_CONFIG"])`,
`create_app(os.getenv("FLASK_CONFIG") or "default")`, flasky's layout): the variable gets the production value the
project itself offers for that argument (factory_args.py: a config dict's "production"/"prod" key, a call's
literal, the production config class a factory loads with from_object), in the proof, `serve` and the image.
Unset, such an app fails at import (no default) or runs its development configuration (the default)."""

from __future__ import annotations

import ast

from ..configclass import variable_reader
from ..source import called_name
from .factory_args import production_call
from .graph import Analysis
from .model import Candidate


def production_variable(analysis: Analysis, c: Candidate) -> tuple[str, str] | None:
    """(variable, value) when candidate `c` is `name = factory(<read of variable>)` in its module and the project
    names a production value for the factory's one argument, else None."""
    if c.kind != "attribute" or not c.app.factory or len(c.app.needs_args) != 1:
        return None
    try:
        tree = ast.parse(analysis.project.read_text(c.module.path))
    except (SyntaxError, ValueError, OSError):
        return None
    read = variable_reader(tree)                              # os.getenv("FLASK_CONFIG") or "default" too
    bound: dict[str, str] = {}                                # config_name = os.getenv("FLASK_CONFIG", "default")
    for node in tree.body:
        if not isinstance(node, ast.Assign):
            continue
        names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        if (variable := read(node.value)) is not None:
            bound.update((n, variable) for n in names)
        elif c.attr in names and isinstance(node.value, ast.Call) and len(node.value.args) + len(node.value.keywords) == 1:
            given = node.value.args[0] if node.value.args else node.value.keywords[0].value
            variable = bound.get(given.id) if isinstance(given, ast.Name) else read(given)
            factory = called_name(node.value)
            if variable is None or factory is None:
                continue
            call = production_call(analysis, factory, c.app, c.module.root, c.module.name)
            value = _argument(call)
            return (variable, value) if value else None
    return None


def _argument(call: str | None) -> str | None:
    """'prod' of "create_app('prod')"."""
    if call is None:
        return None
    try:
        node = ast.parse(call, mode="eval").body
    except SyntaxError:
        return None
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
            and isinstance(node.args[0].value, str):
        return node.args[0].value
    return None


def config_from_environment(analysis: Analysis, c: Candidate) -> bool:
    """Whether candidate `c` is `name = factory(...)` in its module with an argument that reads an environment
    variable (`create_app(os.getenv("FLASK_CONFIG") or "dev")`, or a name bound to such a read): flasky.py's
    line, whatever the file is called, where a seed or test script beside it hard-codes `create_app("dev")`."""
    if c.kind != "attribute" or not c.app.factory:
        return False
    try:
        tree = ast.parse(analysis.project.read_text(c.module.path))
    except (SyntaxError, ValueError, OSError):
        return False
    read = variable_reader(tree)
    bound: set[str] = set()
    for node in tree.body:
        if not isinstance(node, ast.Assign):
            continue
        names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        if read(node.value) is not None:
            bound.update(names)
        elif c.attr in names and isinstance(node.value, ast.Call):
            given = [*node.value.args, *(k.value for k in node.value.keywords)]
            return any((isinstance(g, ast.Name) and g.id in bound) or read(g) is not None for g in given)
    return False
