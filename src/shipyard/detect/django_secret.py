"""Django settings that never set SECRET_KEY: the key lived in a module the author kept out of git.

Code of 2012-2021 ends settings.py with `try: from .local_settings import * except ImportError: pass` and keeps
SECRET_KEY (and often nothing else) in that .gitignore'd file. A clone has none, and every import of the project
stops on "The SECRET_KEY setting must not be empty", though no variable the app reads would help: Django takes the
key only from the settings module. serve's settings module (serve_settings.py) gives it a throwaway one in that
case only (appconfig.py). Read statically: the settings file and the project's own modules it star-imports.
"""

from __future__ import annotations

import ast

from ..project import Project
from .ast_nodes import ast_nodes
from .missing_settings import _absolute
from .source import parsed

NAME = "SECRET_KEY"
_DEPTH = 5            # star imports followed this deep (base -> common -> ...)


def unset_secret_key(project: Project, workdir: str, settings_module: str | None) -> str | None:
    """The settings file of `settings_module` when neither it nor a module of the project it star-imports sets
    SECRET_KEY anywhere (an assignment, or an import of the name from a module that is there or not the
    project's); None when one does, or the settings cannot be read (then the app's own error stands)."""
    if not settings_module:
        return None
    folder = "" if workdir in ("", ".") else workdir.strip("/") + "/"
    trees = parsed(project)
    first = _file(trees, folder, settings_module)
    if first is None:
        return None
    todo, seen = [(settings_module, first, 0)], set()
    while todo:
        module, rel, depth = todo.pop()
        if rel in seen:
            continue
        seen.add(rel)
        package = module if rel.endswith("__init__.py") else module.rpartition(".")[0]
        guarded = _guarded_by_a_missing_file(trees[rel])
        for node in ast_nodes(trees[rel]):
            if _sets_it(node) or (_dynamic(node) and id(node) not in guarded):
                return None
            if not isinstance(node, ast.ImportFrom):
                continue
            source = _absolute(node, package)
            if source is None:
                continue
            own = source.split(".")[0] == settings_module.split(".")[0]
            there = _file(trees, folder, source)
            if any(a.name == NAME for a in node.names) and (not own or there is not None):
                return None                      # taken from a module that gives it
            if any(a.name == "*" for a in node.names) and own and there is not None and depth < _DEPTH:
                todo.append((source, there, depth + 1))
    return first


def _file(trees: dict[str, ast.Module], folder: str, module: str) -> str | None:
    base = folder + module.replace(".", "/")
    return next((r for r in (f"{base}.py", f"{base}/__init__.py") if r in trees), None)


def _sets_it(node: ast.AST) -> bool:
    """`SECRET_KEY = ...` (also annotated, augmented, or among tuple targets) or `global SECRET_KEY`; not `SECRET_KEY
    = ''`, the placeholder a blog committed in place of the key its deployment writes in (Django refuses it)."""
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        if not isinstance(node, ast.AugAssign) and isinstance(node.value, ast.Constant) and node.value.value == "":
            return False
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return any(isinstance(n, ast.Name) and n.id == NAME for t in targets for n in ast_nodes(t))
    return isinstance(node, ast.Global) and NAME in node.names


# Mezzanine's settings end with set_dynamic_settings(globals()): it fills in what Mezzanine derives (template
# loaders, optional apps, ALLOWED_HOSTS from the sites), never SECRET_KEY
_KNOWN_GLOBALS_CALLS = frozenset({"set_dynamic_settings"})


def _guarded_by_a_missing_file(tree: ast.Module) -> set[int]:
    """The ids of the globals()/exec calls that write no SECRET_KEY of the checkout's: those inside an `if
    os.path.exists(f):` (isfile) at module level, Mezzanine's way of exec-ing local_settings.py when present (the
    file a clone lacks, which is why the key is missing), and globals() handed to a call known to set no key."""
    ids: set[int] = set()
    for node in ast_nodes(tree):
        if isinstance(node, ast.Call) and _called_name(node) in _KNOWN_GLOBALS_CALLS:
            ids.update(id(arg) for arg in node.args if _dynamic(arg))
    for stmt in tree.body:
        test = stmt.test if isinstance(stmt, ast.If) else None
        if isinstance(test, ast.Call) and _called_name(test) in ("exists", "isfile"):
            ids.update(id(n) for child in stmt.body for n in ast_nodes(child) if _dynamic(n))
    return ids


def _called_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _dynamic(node: ast.AST) -> bool:
    """Settings written in ways not read here: through globals(), vars() or locals() (`globals().update(...)`,
    `django_heroku.settings(locals())`), or exec."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
        and node.func.id in ("globals", "vars", "locals", "exec", "execfile")
