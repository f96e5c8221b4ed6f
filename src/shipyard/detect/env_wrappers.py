"""The app's own helpers that read an environment variable by the name they are given.

Apps often wrap the read in a function of their own, `def get_env_var(key, default=NO_ARG): return
os.environ[key]`, and then call it with each name (`PG_HOST = get_env_var("PG_HOST")`): those calls are reads of
PG_HOST as much as `os.environ["PG_HOST"]` is. A helper is a module-level function whose body reads the
environment with one of its parameters as the variable's name.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Callable
from .ast_nodes import ast_nodes


@dataclass(frozen=True)
class EnvWrapper:
    name: str        # the function's name in its module
    index: int       # the position of the parameter that names the variable
    param: str       # ...and its name, for calls that pass it by keyword
    raises: bool     # an unset variable raises (os.environ[key], or a raise in the helper), unless a default is given


def env_wrappers(tree: ast.AST, imported: dict[str, str],
                 is_environ: Callable[[ast.AST, dict[str, str]], bool]) -> dict[str, EnvWrapper]:
    """name -> the helper, for each module-level function of `tree` that reads the variable a parameter names.
    `imported`: the module's imported names; `is_environ(node, imported)`: whether `node` is os.environ."""
    out = {}
    for func in getattr(tree, "body", ()):
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        params = [a.arg for a in (*func.args.posonlyargs, *func.args.args)]
        for node in ast_nodes(func):
            read = _read_by_param(node, imported, is_environ)
            if read is not None and read[0] in params:
                param, raising = read
                raises = raising or any(isinstance(n, ast.Raise) for n in ast_nodes(func))
                out[func.name] = EnvWrapper(func.name, params.index(param), param, raises)
                break
    return out


def _read_by_param(node: ast.AST, imported: dict[str, str],
                   is_environ: Callable[[ast.AST, dict[str, str]], bool]) -> tuple[str, bool] | None:
    """(the parameter, whether the read raises when unset) for `os.environ[p]`, `os.environ.get(p, ...)`,
    `os.getenv(p, ...)`; None for anything else (a write `os.environ[p] = v` is no read)."""
    if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and is_environ(node.value, imported) \
            and isinstance(node.slice, ast.Name):
        return node.slice.id, True
    if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name)):
        return None
    func = node.func
    if isinstance(func, ast.Attribute) and (
            (func.attr in ("get", "pop") and is_environ(func.value, imported))
            or (func.attr == "getenv" and getattr(func.value, "id", "") == "os")):
        return node.args[0].id, False
    if isinstance(func, ast.Name) and imported.get(func.id) == "os.getenv":
        return node.args[0].id, False
    return None


def key_node(call: ast.Call, wrapper: EnvWrapper) -> ast.AST | None:
    """What a call of the helper passes as the variable's name."""
    if len(call.args) > wrapper.index:
        return call.args[wrapper.index]
    return next((k.value for k in call.keywords if k.arg == wrapper.param), None)


def default_node(call: ast.Call, wrapper: EnvWrapper) -> ast.AST | None:
    """The default a call of the helper passes: the argument after the name, or another keyword."""
    if len(call.args) > wrapper.index + 1:
        return call.args[wrapper.index + 1]
    return next((k.value for k in call.keywords if k.arg not in (wrapper.param, None)), None)
