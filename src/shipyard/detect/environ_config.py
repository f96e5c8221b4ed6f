"""environ-config's classes: the environment variables a `@environ.config` class reads through its fields.

`@environ.config(prefix="SNIKKET_WEB")` on a class with `secret_key = environ.var()` reads SNIKKET_WEB_SECRET_KEY
(the prefix, then the attribute in capitals; APP when the decorator names no prefix, none for prefix=""); a field
with name="X" reads X itself. A field with no default (no first argument, no default=) raises MissingEnvValueError
at `environ.to_config(...)` when it is unset. var, bool_var and secrets' fields alike; nested groups are not read.
Read by ast, never run."""

from __future__ import annotations

import ast

from .configurations_values import ValueRead, _MISSING, _keyword

MODULE = "environ"
DEFAULT_PREFIX = "APP"
FIELDS = frozenset({"var", "bool_var"})


def environ_config_reads(tree: ast.Module, imported: dict[str, str], modules: dict[str, str]) -> list[ValueRead]:
    """The reads of one module's environ-config classes. `imported`: local name -> 'module.name' of its
    `from X import Y`; `modules`: local name -> module of its `import X as Y`."""
    out = []
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        prefix = _prefix(cls, imported, modules)
        if prefix is None:
            continue
        for node in cls.body:
            if not (isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Call)):
                continue
            target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else \
                getattr(node, "target", None)
            if not isinstance(target, ast.Name) or _qualified(node.value.func, imported, modules) not in \
                    {f"{MODULE}.{f}" for f in FIELDS}:
                continue
            call = node.value
            name = _keyword(call, "name", None)
            if name is _MISSING or (name is not None and not isinstance(name, str)):
                continue
            variable = name or (f"{prefix}_{target.id.upper()}" if prefix else target.id.upper())
            given = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "default"), None)
            text = given.value if isinstance(given, ast.Constant) and isinstance(given.value, str) else None
            out.append(ValueRead(variable, call.lineno, getattr(call, "end_lineno", None) or call.lineno,
                                 given is not None, given is None, text))
    return out


def _prefix(cls: ast.ClassDef, imported: dict[str, str], modules: dict[str, str]) -> str | None:
    """The prefix of the class's `@environ.config` decorator (APP when it names none), or None when it has none."""
    for decorator in cls.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        if _qualified(call.func if call else decorator, imported, modules) != f"{MODULE}.config":
            continue
        if call is None:
            return DEFAULT_PREFIX
        given = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "prefix"), None)
        if given is None:
            return DEFAULT_PREFIX
        return given.value.rstrip("_") if isinstance(given, ast.Constant) and isinstance(given.value, str) else None
    return None


def _qualified(func: ast.AST, imported: dict[str, str], modules: dict[str, str]) -> str:
    """'module.name' of `environ.var`, an imported `var`, an aliased module's attribute."""
    if isinstance(func, ast.Name):
        return imported.get(func.id, "")
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return f"{modules.get(func.value.id) or imported.get(func.value.id) or func.value.id}.{func.attr}"
    return ""
