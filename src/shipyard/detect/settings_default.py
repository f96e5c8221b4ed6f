"""The DJANGO_SETTINGS_MODULE a module sets when none of the variables it reads is set, read without running it.

Split settings are often chosen by code, not a literal: `setdefault("DJANGO_SETTINGS_MODULE",
f"conf.settings.{env}")` with `env = os.environ.get("DJANGO_ENV", "local")`, `"config.settings.{0}".format(
os.environ.setdefault("DJANGO_ENV", "development"))`, or `SETTINGS_MODULE` imported from a config/environment.py
that assigns "config.settings.local" and changes it only `if os.environ.get("ENVIRONMENT") == "dev"`. Unread, the
settings package itself was used: its empty __init__.py (or the base.py every module builds on) holds no
DATABASES, and migrate failed with "settings.DATABASES is improperly configured".

The module's statements are followed in order with an empty environment: literal strings, names bound to them,
f-strings and str.format of known parts, `os.environ.get(NAME, default)` / `os.getenv` / `setdefault` and a
reader's `default=` (django-environ's `env("X", default=...)`, decouple's `config("X", default=...)`) give their
default; an `if` whose test is known runs its branch; one whose test is not (decouple's `config("X")` with no
default raises) forgets the names its branches bind. What is not known stays unknown: never a guess.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from .ast_nodes import ast_nodes

SETTINGS = "DJANGO_SETTINGS_MODULE"
_UNKNOWN = object()
_ENV_READS = frozenset({"get", "getenv", "setdefault"})    # os.environ.get, os.getenv, os.environ.setdefault


@dataclass
class Found:
    """What following one module gives: its final string names, and the settings module it sets (a value, or the
    imported name it passes: (module, name, level), resolved by the caller across modules)."""

    names: dict[str, object] = field(default_factory=dict)
    settings: str | None = None
    imported: tuple[str, str, int] | None = None


def follow(tree: ast.Module) -> Found:
    found = Found()
    imports: dict[str, tuple[str, str, int]] = {}
    _run(tree.body, found.names, imports, found, top=True)
    return found


def _run(body: list[ast.stmt], names: dict[str, object], imports: dict, found: Found, top: bool) -> None:
    for node in body:
        if isinstance(node, ast.ImportFrom) and top:
            for alias in node.names:
                imports[alias.asname or alias.name] = (node.module or "", alias.name, node.level)
        elif isinstance(node, ast.Assign):
            value = _value(node.value, names)
            for target in node.targets:
                if isinstance(target, ast.Name):
                    _bind(names, target.id, value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            _bind(names, node.target.id, _value(node.value, names))
        elif isinstance(node, ast.If):
            # manage.py's `if __name__ == "__main__":` runs: that is how the script is used
            test = True if _main_guard(node.test) else _value(node.test, names)
            if test is _UNKNOWN:
                for branch in (node.body, node.orelse):
                    for sub in ast_nodes(ast.Module(body=branch, type_ignores=[])):
                        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                            names.pop(sub.id, None)
            else:
                _run(node.body if test else node.orelse, names, imports, found, top)
        elif isinstance(node, ast.FunctionDef) and node.name == "main":
            _run(node.body, dict(names), imports, found, False)    # manage.py's main(): its own names
        elif isinstance(node, ast.Expr) and found.settings is None and found.imported is None:
            _settings_call(node.value, names, imports, found)
        elif isinstance(node, ast.Try):
            _run(node.body, names, imports, found, top)


def _bind(names: dict[str, object], name: str, value: object) -> None:
    if isinstance(value, (str, bool)) or value is None:
        names[name] = value
    else:
        names.pop(name, None)


def _settings_call(call: ast.expr, names: dict[str, object], imports: dict, found: Found) -> None:
    """`os.environ.setdefault("DJANGO_SETTINGS_MODULE", X)`."""
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "setdefault"
            and len(call.args) == 2 and isinstance(call.args[0], ast.Constant) and call.args[0].value == SETTINGS):
        return
    arg = call.args[1]
    value = _value(arg, names)
    if isinstance(value, str):
        found.settings = value
    elif isinstance(arg, ast.Name) and arg.id in imports and arg.id not in names:
        found.imported = imports[arg.id]


def _value(expr: ast.expr, names: dict[str, object]) -> object:
    if isinstance(expr, ast.Constant) and (isinstance(expr.value, (str, bool)) or expr.value is None):
        return expr.value
    if isinstance(expr, ast.Name):
        return names.get(expr.id, _UNKNOWN)
    if isinstance(expr, ast.JoinedStr):
        parts = []
        for part in expr.values:
            value = _value(part.value, names) if isinstance(part, ast.FormattedValue) else _value(part, names)
            if not isinstance(value, str) or (isinstance(part, ast.FormattedValue) and part.format_spec):
                return _UNKNOWN
            parts.append(value)
        return "".join(parts)
    if isinstance(expr, ast.Compare) and len(expr.ops) == 1 and isinstance(expr.ops[0], (ast.Eq, ast.NotEq)):
        left, right = _value(expr.left, names), _value(expr.comparators[0], names)
        if left is _UNKNOWN or right is _UNKNOWN:
            return _UNKNOWN
        return (left == right) == isinstance(expr.ops[0], ast.Eq)
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
        value = _value(expr.operand, names)
        return _UNKNOWN if value is _UNKNOWN else not value
    if isinstance(expr, ast.Call):
        return _call(expr, names)
    return _UNKNOWN


def _call(call: ast.Call, names: dict[str, object]) -> object:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "format" and isinstance(func.value, ast.Constant) \
            and isinstance(func.value.value, str) and not call.keywords:
        args = [_value(a, names) for a in call.args]
        if all(isinstance(a, str) for a in args):
            try:
                return func.value.value.format(*args)
            except (IndexError, KeyError, ValueError):
                return _UNKNOWN
        return _UNKNOWN
    if isinstance(func, ast.Attribute) and func.attr in ("lower", "upper", "strip") and not call.args:
        value = _value(func.value, names)
        return getattr(value, func.attr)() if isinstance(value, str) else _UNKNOWN
    if not call.args or not isinstance(call.args[0], ast.Constant) or not isinstance(call.args[0].value, str):
        return _UNKNOWN
    default = next((k.value for k in call.keywords if k.arg == "default"), None)
    if default is not None:
        return _value(default, names)                     # env("X", default=...), config("X", default=...)
    if isinstance(func, ast.Attribute) and func.attr in _ENV_READS and _is_os(func.value):
        # os.environ.get("X") is None with no default; os.getenv("X", "d") and setdefault give "d"
        return _value(call.args[1], names) if len(call.args) > 1 else None
    return _UNKNOWN


def _is_os(expr: ast.expr) -> bool:
    """`os`, `os.environ` or a bare `environ` (from os import environ)."""
    if isinstance(expr, ast.Name):
        return expr.id in ("os", "environ")
    return isinstance(expr, ast.Attribute) and expr.attr == "environ" and isinstance(expr.value, ast.Name) \
        and expr.value.id == "os"


def _main_guard(test: ast.expr) -> bool:
    return isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__" \
        and len(test.comparators) == 1 and isinstance(test.comparators[0], ast.Constant) \
        and test.comparators[0].value == "__main__"


@dataclass(frozen=True)
class Chooser:
    """`if config("ENVIRONMENT_STATUS") == "development": os.environ.setdefault("DJANGO_SETTINGS_MODULE",
    "backend.settings.local")`: the value of the variable under which the module sets that settings module."""

    variable: str
    value: str
    rel: str
    line: int


def chooser(project, settings_module: str) -> Chooser | None:
    """The variable (and its value) a module of the project compares to choose `settings_module` for
    DJANGO_SETTINGS_MODULE, the first by path and line; None when no comparison chooses it."""
    from .configclass import variable_reader
    from .source import parsed
    for rel, tree in sorted(parsed(project).items()):
        if SETTINGS not in (project.scan_text(rel) or ""):
            continue
        read = variable_reader(tree)
        bound = {t.id: variable for node in ast_nodes(tree) if isinstance(node, ast.Assign)
                 and (variable := read(node.value)) is not None for t in node.targets if isinstance(t, ast.Name)}
        for node in ast_nodes(tree):
            if not (isinstance(node, ast.If) and isinstance(node.test, ast.Compare) and len(node.test.ops) == 1
                    and isinstance(node.test.ops[0], ast.Eq)):
                continue
            test = node.test
            for side, other in ((test.left, test.comparators[0]), (test.comparators[0], test.left)):
                variable = bound.get(side.id) if isinstance(side, ast.Name) else read(side)
                if variable and isinstance(other, ast.Constant) and isinstance(other.value, str) \
                        and settings_module in _set_in(node.body):
                    return Chooser(variable, other.value, rel, node.lineno)
    return None


def _set_in(body: list[ast.stmt]) -> set[str]:
    """The literal settings modules the statements (not their nested branches' `else`) pass to setdefault."""
    return {sub.args[1].value for statement in body for sub in ast_nodes(statement)
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "setdefault"
            and len(sub.args) == 2 and isinstance(sub.args[0], ast.Constant) and sub.args[0].value == SETTINGS
            and isinstance(sub.args[1], ast.Constant) and isinstance(sub.args[1].value, str)}
