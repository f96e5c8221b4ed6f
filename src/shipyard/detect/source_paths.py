"""Paths the app's code computes, read statically: a literal, `__file__` and the os.path / pathlib calls
built on it (`Path(__file__).resolve().parent / "lib"`, `os.path.join(os.path.dirname(__file__), ".env")`),
an f-string of one such value, a name assigned one of those in the same file, the default of an environment read
(`os.environ.get("BASE_DIR", <path>)`), or what a function of the file returns (`BASE_DIR = get_base_dir()`). The result is relative to
the project root; None when it cannot be read or leaves the project.
"""

from __future__ import annotations

import ast
import posixpath
from pathlib import PurePosixPath
from .ast_nodes import ast_nodes

_PATH_FUNCS = {"abspath", "realpath", "normpath", "expanduser", "fspath", "str", "Path", "PurePath",
               "PosixPath", "resolve", "absolute"}
_MAX_DEPTH = 24     # a chain of names, env defaults and os.path calls (a name bound to itself stops here)


def assigned(tree: ast.Module) -> dict[str, ast.expr]:
    """name -> the expression first assigned to it (BASE_DIR = Path(__file__).parent); "name()" -> what a
    module-level function of no parameters returns, when it has one return (`def get_base_dir(): return
    Path(__file__).resolve().parent.parent`, then BASE_DIR = get_base_dir())."""
    out: dict[str, ast.expr] = {}
    for node in ast_nodes(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            out.setdefault(node.targets[0].id, node.value)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not (node.args.args or node.args.posonlyargs or node.args.vararg):
            returns = [n.value for n in ast.walk(node) if isinstance(n, ast.Return) and n.value is not None]
            if len(returns) == 1:
                out.setdefault(f"{node.name}()", returns[0])
    return out


def project_path(node: ast.expr, rel: str, names: dict[str, ast.expr], *, literals: bool = True,
                 depth: int = 0, known: dict[str, str] | None = None) -> str | None:
    """The project-relative path `node` evaluates to in file `rel`. A relative literal is taken from the file's
    folder (the folder a script runs from) when `literals`, else not read (None: only paths built on
    `__file__` say where they are whatever folder the app runs from). `known` gives the project paths of names
    the file imports (imported_paths)."""
    if depth > _MAX_DEPTH:
        return None
    here = str(PurePosixPath(rel).parent)

    def inner(sub: ast.expr) -> str | None:
        return project_path(sub, rel, names, literals=literals, depth=depth + 1, known=known)

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if not literals or node.value.startswith(("/", "~")):
            return None
        return _inside(posixpath.join(here, node.value))
    if isinstance(node, ast.Name):
        if node.id == "__file__":
            return rel
        if known and node.id in known and node.id not in names:
            return known[node.id]                                   # BASE_DIR imported from base settings
        return inner(names[node.id]) if node.id in names else None
    if isinstance(node, ast.JoinedStr) and len(node.values) == 1 and isinstance(node.values[0], ast.FormattedValue):
        return inner(node.values[0].value)                          # f"{env_path.absolute()}"
    if isinstance(node, ast.JoinedStr) and len(node.values) == 2 and isinstance(node.values[0], ast.FormattedValue) \
            and isinstance(node.values[1], ast.Constant) and isinstance(node.values[1].value, str) \
            and node.values[1].value.startswith("/") and node.values[0].conversion == -1 \
            and node.values[0].format_spec is None:
        base = inner(node.values[0].value)                          # f"{BASE_DIR}/logs/app.log"
        return _inside(posixpath.join(base, node.values[1].value.lstrip("/"))) if base is not None else None
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        base = inner(node.value)
        return _inside(posixpath.dirname(base) or ".") if base is not None else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        left, right = inner(node.left), _part(node.right)
        return _inside(posixpath.join(left, right)) if left is not None and right is not None else None
    if not isinstance(node, ast.Call):
        return None
    func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    if (default := _env_default(node, func)) is not None:
        return inner(default)          # os.environ.get("BASE_DIR", <path>): the path when the variable is unset
    if isinstance(node.func, ast.Name) and not node.args and not node.keywords and f"{func}()" in names:
        return inner(names[f"{func}()"])                             # BASE_DIR = get_base_dir()
    if func in ("resolve", "absolute") and isinstance(node.func, ast.Attribute) and not node.args:
        return inner(node.func.value)                                # Path(...).resolve()
    if func == "joinpath" and isinstance(node.func, ast.Attribute):
        return _joined(inner(node.func.value), node.args)
    if func == "dirname" and len(node.args) == 1:
        base = inner(node.args[0])
        return _inside(posixpath.dirname(base) or ".") if base is not None else None
    if func == "join" and node.args:
        return _joined(inner(node.args[0]), node.args[1:])
    if func in _PATH_FUNCS and node.args:
        return _joined(inner(node.args[0]), node.args[1:])          # Path(a, "b")
    return None


def _env_default(node: ast.Call, func: str) -> ast.expr | None:
    """The default of an environment read of a named variable: `os.environ.get("LOG_DIR", default)`,
    `os.getenv(...)`, `config("BASE_DIR", default=...)` (python-decouple), `env.path("LOG_DIR", default=...)`
    (django-environ): the value the app runs with where the variable is not set, as serve and the image leave it."""
    if not (node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
        return None
    if func in ("get", "getenv") and len(node.args) == 2:
        return node.args[1]
    return next((kw.value for kw in node.keywords if kw.arg == "default"), None)


def _joined(base: str | None, parts: list[ast.expr]) -> str | None:
    if base is None:
        return None
    for part in parts:
        text = _part(part)
        if text is None:
            return None
        base = posixpath.join(base, text)
    return _inside(base)


def _part(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and not node.value.startswith("/"):
        return node.value
    return None


def _inside(path: str) -> str | None:
    normal = posixpath.normpath(path)
    return None if normal == ".." or normal.startswith("../") else normal


def imported_paths(rel: str, tree: ast.Module, trees: dict[str, ast.Module]) -> dict[str, str]:
    """The project paths of the names file `rel` imports from another app file that builds them on its own
    `__file__`: Django's split settings (`from .base import *` in production.py, BASE_DIR in base.py)."""
    out: dict[str, str] = {}
    for node in tree.body:
        if not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        source = _module_file(rel, node.module, node.level, trees)
        if source is None or source == rel:
            continue
        names = assigned(trees[source])
        wanted = list(names) if any(alias.name == "*" for alias in node.names) else \
            [alias.name for alias in node.names if alias.name in names]
        for name in wanted:
            if name.isupper() and (path := project_path(names[name], source, names, literals=False)) is not None:
                out.setdefault(name, path)
    return out


def _module_file(rel: str, module: str, level: int, trees: dict[str, ast.Module]) -> str | None:
    tail = module.replace(".", "/")
    if level:
        folder = posixpath.dirname(rel)
        for _ in range(level - 1):
            folder = posixpath.dirname(folder)
        bases = [folder]
    else:
        parts = PurePosixPath(rel).parent.parts
        bases = [posixpath.join(*parts[:n]) if n else "" for n in range(len(parts), -1, -1)]
    for base in bases:
        for candidate in (posixpath.join(base, tail + ".py"), posixpath.join(base, tail, "__init__.py")):
            if candidate in trees:
                return candidate
    return None
