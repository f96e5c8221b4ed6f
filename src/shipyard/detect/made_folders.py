"""Folders the app's code makes where it runs (logs, uploads): made in the image, owned by the app's user.

aiohttp-forum's logger does `os.mkdir(os.path.join(pathlib.Path(__file__).parent.resolve(), 'log'))`, then
`'1d'` inside it, at import, and opens a log file there. serve runs the app in its own checkout, which it may
write; the image's code is root-owned and read-only, so the worker stopped at its import (PermissionError) and
neither verify nor the stack ever answered. A folder the code makes with os.mkdir, os.makedirs or Path.mkdir at a
path this reader can follow is such a folder: a string, or os.path.join / Path / `/` of the module's own folder
(`os.path.dirname(__file__)`, `Path(__file__).parent`, `app.root_path`), the working directory
(`os.getcwd()`, `Path.cwd()`) or a name assigned one of those in the same function or module, and literal parts.
Paths outside the project (absolute ones, `..` above it) and anything computed otherwise are left alone.

Found by reading the source (ast), never by running it. Paths are relative to the project root."""

from __future__ import annotations

import ast
import posixpath

from ..project import Project
from .ast_nodes import ast_nodes
from .source import parsed

_MKDIRS = {("os", "mkdir"), ("os", "makedirs")}
_DIRNAME = {"dirname"}
_ABS = {"abspath", "realpath", "normpath"}
_DEPTH = 24           # a bound on following names (x = f(x) would loop)


def made_folders(project: Project, workdir: str) -> tuple[str, ...]:
    """The folders the code makes, relative to the project root, parents before children."""
    found: set[str] = set()
    for rel, tree in parsed(project).items():
        here = posixpath.dirname(rel)
        module_names = _assignments(tree.body)
        for scope in [tree, *(n for n in ast_nodes(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))]:
            names = {**module_names, **(_assignments(ast_nodes(scope)) if scope is not tree else {})}
            for call in _calls(scope):
                target = _mkdir_target(call)
                if target is None:
                    continue
                path = _resolve(target, names, here, workdir, 0)
                if path is not None:
                    found.add(path)
    return tuple(sorted(found, key=lambda p: (p.count("/"), p)))


def _calls(scope: ast.AST):
    """The calls in scope's own body (a function's nested functions are scopes of their own)."""
    body = scope.body if isinstance(scope, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef)) else []
    stack = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and scope is not node:
            continue
        if isinstance(node, ast.Call):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _assignments(nodes) -> dict[str, ast.AST]:
    """name -> the value of a plain `name = value` (the last one wins)."""
    out: dict[str, ast.AST] = {}
    for node in nodes:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            out[node.targets[0].id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            out[node.target.id] = node.value
    return out


def _mkdir_target(call: ast.Call) -> ast.AST | None:
    """The path argument of os.mkdir(P) / os.makedirs(P), or the receiver of P.mkdir()."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    if isinstance(func.value, ast.Name) and (func.value.id, func.attr) in _MKDIRS:
        return call.args[0] if call.args else None
    if func.attr == "mkdir" and not (isinstance(func.value, ast.Name) and func.value.id == "os"):
        return func.value
    return None


def _resolve(node: ast.AST, names: dict[str, ast.AST], here: str, workdir: str, depth: int) -> str | None:
    """The project-relative folder node names, or None."""
    if depth > _DEPTH:
        return None
    base = _base(node, names, here, workdir, depth)
    if base is None:
        return None
    if base in (".", "..") or base.startswith("../") or "__file__" in base.split("/"):
        return None
    return base


def _base(node: ast.AST, names: dict[str, ast.AST], here: str, workdir: str, depth: int) -> str | None:
    """The project-relative path an expression names ("." for the root), or None when it cannot be followed."""
    def again(n):
        return _base(n, names, here, workdir, depth + 1) if depth < _DEPTH else None

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _join(workdir, node.value)
    if isinstance(node, ast.Name):
        if node.id == "__file__":
            return posixpath.join(here, "__file__") if here else "__file__"
        value = names.get(node.id)
        return again(value) if value is not None else None
    if isinstance(node, ast.Attribute):
        if node.attr == "parent":
            inner = again(node.value)
            return _parent(inner) if inner is not None else None
        if node.attr == "root_path":               # Flask(__name__).root_path: the module's folder
            return here or "."
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        left, right = again(node.left), node.right
        if left is None or not (isinstance(right, ast.Constant) and isinstance(right.value, str)):
            return None
        return _join(left, right.value)
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if name in ("getcwd", "cwd") and not node.args:
        return workdir or "."
    if name in ("resolve", "absolute") and isinstance(func, ast.Attribute) and not node.args:
        return again(func.value)
    if name in _ABS and len(node.args) == 1:
        return again(node.args[0])
    if name in _DIRNAME and len(node.args) == 1:
        inner = again(node.args[0])
        return _parent(inner) if inner is not None else None
    if name in ("join", "Path", "PurePath") and node.args and not node.keywords:
        first = again(node.args[0])
        if first is None:
            return None
        for part in node.args[1:]:
            if not (isinstance(part, ast.Constant) and isinstance(part.value, str)):
                return None
            first = _join(first, part.value)
            if first is None:
                return None
        return first
    return None


def _join(base: str, part: str) -> str | None:
    if not part or part.startswith(("/", "~", "$")) or "\\" in part:
        return None
    return posixpath.normpath(posixpath.join(base or ".", part))


def _parent(path: str) -> str:
    parent = posixpath.dirname(path)
    return parent or "."
