"""Variables a settings file requires in a loop over a list of their names, named together.

OpenCongress's production settings (2026): `_REQUIRED_SECRETS = ["SECRET_KEY", "AUTH_SYNC_SECRET",
"REVALIDATION_SECRET", "ENCRYPTION_KEY"]`, then `for _var in _REQUIRED_SECRETS: _val = os.environ.get(_var, "")`
and `raise ValueError(f"Production requires a secure {_var} environment variable")`. The import stops on the first
unset one, so a message naming only it had the user run again once per name (ENCRYPTION_KEY is read nowhere else,
by name). The names of such a list, read from the environment with the loop's variable, are said at once.

Found by reading the source (ast), never by running it."""

from __future__ import annotations

import ast

from ..project import Project
from .ast_nodes import ast_nodes
from .source import parsed

# the readers that take a variable's name as their first argument
_READERS = {"get", "getenv", "config", "env", "get_env", "str", "bool", "int"}


def listed_with(project: Project, path: str, name: str) -> tuple[str, ...]:
    """The names of the list `path` loops over, reading each from the environment, when `name` is one of them,
    in the list's order; () otherwise."""
    tree = parsed(project).get(path)
    if tree is None:
        return ()
    lists = _module_lists(tree)
    for node in ast_nodes(tree):
        if not (isinstance(node, ast.For) and isinstance(node.target, ast.Name)):
            continue
        names = _names(node.iter) if not isinstance(node.iter, ast.Name) else lists.get(node.iter.id, ())
        if name in names and _reads_environment_with(node, node.target.id):
            return names
    return ()


def _names(node: ast.AST) -> tuple[str, ...]:
    """The strings of a list or tuple of string constants; () for anything else."""
    if isinstance(node, (ast.List, ast.Tuple)) and node.elts and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
        return tuple(e.value for e in node.elts)
    return ()


def _module_lists(tree: ast.Module) -> dict[str, tuple[str, ...]]:
    """Module-level names bound to a list of string constants."""
    found: dict[str, tuple[str, ...]] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
                and (names := _names(stmt.value)):
            found[stmt.targets[0].id] = names
    return found


def _reads_environment_with(loop: ast.For, variable: str) -> bool:
    """Whether the loop's body reads the environment by the loop's variable: os.environ.get(var), os.getenv(var),
    os.environ[var], config(var), env(var)."""
    for node in (n for stmt in loop.body for n in ast.walk(stmt)):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name) \
                and node.args[0].id == variable:
            func = node.func
            attr = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if attr in _READERS:
                return True
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Name) and node.slice.id == variable \
                and isinstance(node.value, ast.Attribute) and node.value.attr == "environ":
            return True
    return False
