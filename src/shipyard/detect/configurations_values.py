"""django-configurations' values: the environment variables a settings class reads through them.

`SECRET_KEY = values.SecretValue()` in a `Configuration` subclass reads DJANGO_SECRET_KEY, and
`values.Value("localhost", environ_name="DB_HOST")` reads DJANGO_DB_HOST: the variable is the value's
environ_name (else the attribute's name), after its environ_prefix (DJANGO unless it gives another, or None for
none). The URL values read their own names without a prefix (DatabaseURLValue: DATABASE_URL). A value with
environ=False reads nothing; SecretValue and environ_required=True raise when the variable is unset."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from .ast_nodes import ast_nodes

VALUES_MODULE = "configurations.values"
DEFAULT_PREFIX = "DJANGO"
# the values that read a fixed name of their own, without a prefix
URL_VALUES = {"DatabaseURLValue": "DATABASE_URL", "CacheURLValue": "CACHE_URL", "SearchURLValue": "SEARCH_URL",
              "EmailURLValue": "EMAIL_URL"}
_MISSING = object()


@dataclass(frozen=True)
class ValueRead:
    name: str                  # the variable, prefix included
    line: int
    end_line: int
    default: bool              # the value has a default (its first argument, or default=)
    required: bool             # unset, the settings class raises (SecretValue, environ_required=True)
    default_text: str | None   # the default when it is a string written in the code


def value_reads(tree: ast.Module, imported: dict[str, str], modules: dict[str, str]) -> list[ValueRead]:
    """The reads of one module's django-configurations values, assigned to class attributes. `imported`: local
    name -> 'module.name' of its `from X import Y`; `modules`: local name -> module of its `import X as Y`."""
    out = []
    for cls in ast_nodes(tree):
        if not isinstance(cls, ast.ClassDef):
            continue
        # a value assigned to an attribute reads under the attribute's name; one with an environ_name reads at
        # once wherever it is (inside DATABASES = {"default": {"HOST": values.Value(environ_name="DB_HOST")}})
        attributes = {id(node.value): target.id for node in cls.body
                      for target in ([node.targets[0]] if isinstance(node, ast.Assign) and len(node.targets) == 1
                                     else [node.target] if isinstance(node, ast.AnnAssign) else [])
                      if isinstance(target, ast.Name) and node.value is not None}
        for value in ast_nodes(cls):
            kind = _value_class(value.func, imported, modules) if isinstance(value, ast.Call) else None
            if kind is None or _keyword(value, "environ", True) is False:
                continue
            # after the cheap test: finding the path from the class to the value walks the class again
            if any(isinstance(n, ast.ClassDef) and n is not cls for n in _enclosing(cls, value)):
                continue
            attribute = attributes.get(id(value))
            name = _keyword(value, "environ_name", URL_VALUES.get(kind) or (attribute.upper() if attribute else None))
            prefix = _keyword(value, "environ_prefix", None if kind in URL_VALUES else DEFAULT_PREFIX)
            if not isinstance(name, str) or not (prefix is None or isinstance(prefix, str)):
                continue
            variable = f"{prefix.rstrip('_')}_{name}" if prefix else name
            given = value.args[0] if value.args else next((k.value for k in value.keywords if k.arg == "default"),
                                                          None)
            has_default = given is not None and not (isinstance(given, ast.Constant) and given.value is None)
            required = kind == "SecretValue" or _keyword(value, "environ_required", False) is True
            text = given.value if isinstance(given, ast.Constant) and isinstance(given.value, str) else None
            out.append(ValueRead(variable, value.lineno, getattr(value, "end_lineno", None) or value.lineno,
                                 has_default, required, text))
    return out


def _enclosing(root: ast.AST, target: ast.AST) -> list[ast.AST]:
    """The nodes between `root` and `target` (a nested class's values are read for that class)."""
    path: list[ast.AST] = []

    def visit(node: ast.AST) -> bool:
        if node is target:
            return True
        for child in ast.iter_child_nodes(node):
            if visit(child):
                path.append(node)
                return True
        return False

    visit(root)
    return path[:-1] if path else []


def _value_class(func: ast.AST, imported: dict[str, str], modules: dict[str, str]) -> str | None:
    """The django-configurations value class `func` names (`values.Value`, an imported `SecretValue`), or None."""
    if isinstance(func, ast.Name):
        qualified = imported.get(func.id, "")
    elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        module = modules.get(func.value.id) or imported.get(func.value.id) or func.value.id
        qualified = f"{module}.{func.attr}"
    else:
        return None
    module, _, name = qualified.rpartition(".")
    return name if module == VALUES_MODULE and name.endswith("Value") else None


def _keyword(call: ast.Call, name: str, default: object) -> object:
    """The constant a keyword argument gives (None included), `default` when it is absent, _MISSING when it is
    not a constant."""
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value.value if isinstance(keyword.value, ast.Constant) else _MISSING
    return default
