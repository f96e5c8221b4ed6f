"""A script a package of its name shadows: app.py beside app/__init__.py. `import app` runs the package (Python's
finder looks for the folder first), so no server can load app.py by its name; `python app.py` alone runs it.

When the script's app is a call of the package's factory with literal arguments (`app = create_app('development')`
after `from app import create_app`), that call, made on the package, is the same app under a name a server can
load: `app:create_app('development')`."""

from __future__ import annotations

import ast

from .graph import Analysis
from .model import Module, join


def is_shadowed(analysis: Analysis, module: Module) -> bool:
    """A top-level module file (app.py) with a package folder of the same name (app/__init__.py) beside it."""
    return "." not in module.name and module.path == join(module.root, f"{module.name}.py") and \
        join(module.root, module.name, "__init__.py") in analysis.files


def package_call(analysis: Analysis, module: Module, name: str) -> tuple[Module, str] | None:
    """(the module the factory is imported from, "create_app('development')") for `name = factory(<literals>)`
    at the top of a shadowed script, where `from <package> import factory` imports that factory; else None."""
    try:
        tree = ast.parse(analysis.project.read_text(module.path))
    except (SyntaxError, ValueError, OSError):
        return None
    made = factory_call(tree, name)
    if made is None:
        return None
    source, call, _line = made
    found = analysis.module_files(module.root, source)
    owner = analysis.modules.get(found[-1]) if found else None
    if owner is None:
        return None
    return owner, call


def factory_call(tree: ast.Module, name: str) -> tuple[str, str, int] | None:
    """(the module `from <module> import factory` names, "factory(<literals>)", the assignment's line) for the
    first top-level `name = factory(<literals>)` of `tree`; None when that assignment calls anything else, or gives
    a value read at run time."""
    imported = {(alias.asname or alias.name): (node.module, alias.name) for node in tree.body
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
                for alias in node.names}
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)):
            continue
        call = node.value
        if not isinstance(call.func, ast.Name) or call.func.id not in imported:
            return None
        try:
            for value in (*call.args, *(k.value for k in call.keywords)):
                ast.literal_eval(value)
        except ValueError:
            return None       # a value read at run time (os.getenv(...)): not a call a server target can spell
        if any(k.arg is None for k in call.keywords):
            return None
        source, attr = imported[call.func.id]
        args = [ast.unparse(a) for a in call.args] + [f"{k.arg}={ast.unparse(k.value)}" for k in call.keywords]
        return source, f"{attr}({', '.join(args)})", node.lineno
    return None
