"""The environment variables a settings class reads: each field of a pydantic `BaseSettings` subclass is one
(pydantic-settings, or pydantic 1's BaseSettings), named by the field with the class's `env_prefix`, matched
without case unless the class says `case_sensitive`. A field that names its variable itself (pydantic 1's
`Field(..., env="BACKEND_PG_DSN")`, pydantic-settings' `Field(validation_alias="X")`, `alias="X"`,
`AliasChoices("X", "Y")`) reads that one, with no prefix, as pydantic does. Read by ast, never run.

Fields whose value pydantic parses as JSON from the environment (lists, dicts, sets) are left out: a value
Shipyard would set there (ALLOWED_HOSTS as "a,b") is no JSON and would fail the import. So are fields whose
default is built from the others (`POSTGRES_URI: str = f"{USER}:{PASSWORD}@..."`, which the app prefixes
with a scheme itself): a value to derive, not to give.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Iterator

from .ast_nodes import ast_nodes
from .source import dotted_name

_PYDANTIC1_BASES = {"pydantic.BaseSettings", "pydantic.v1.BaseSettings"}
_BASES = {"pydantic_settings.BaseSettings"} | _PYDANTIC1_BASES
_JSON_TYPES = {"list", "List", "dict", "Dict", "set", "Set", "tuple", "Tuple", "Sequence", "Mapping",
               "frozenset", "FrozenSet"}

_NUMBERS = {"int", "float", "Decimal", "PositiveInt", "NonNegativeInt", "NegativeInt", "NonPositiveInt",
            "PositiveFloat", "NonNegativeFloat", "conint", "confloat", "condecimal", "StrictInt", "StrictFloat"}
_TEXT = {"str", "SecretStr", "Any", "constr", "StrictStr", "bytes", "SecretBytes"}


@dataclass(frozen=True)
class Field:
    name: str                  # the environment variable ("DB_URI", or "APP_DB_URI" with env_prefix "APP_")
    line: int
    end_line: int
    default: bool              # the field has a default value
    numeric: bool = False      # typed a number (int, float, PositiveInt...): a value given must parse as one
    default_text: str | None = None   # the default when it is a string written there (`= "postgresql"`)
    attribute: str = ""        # the field as the class names it (`redis_uri`), which pydantic's errors name


def settings_fields(tree: ast.Module, imported: dict[str, str], modules: dict[str, str]) -> list[Field]:
    """Fields of the BaseSettings subclasses of one module (and of their subclasses in it). `imported`: local
    name -> 'module.name' of its `from X import Y`; `modules`: local name -> module of its `import X as Y`."""
    out: list[Field] = []
    for _, item, name, case_sensitive in _class_fields(tree, imported, modules):
        if _names(item.annotation) & (_JSON_TYPES | {"ClassVar"}) or _derived(item.value):
            continue
        out.append(Field(name if case_sensitive else name.upper(), item.lineno,
                         getattr(item, "end_lineno", None) or item.lineno, _has_default(item.value),
                         _numeric(item.annotation), _text(item.value), item.target.id))
    return out


@dataclass(frozen=True)
class JsonField:
    """A field pydantic parses as JSON from the environment (`target_col: list[str] = ["rain"]`): a value that
    is not JSON (`['rain']`, `a,b`) fails the import with pydantic-settings' SettingsError, where the default
    would have served."""
    name: str                  # the environment variable, capitals unless the class is case_sensitive
    line: int
    default: bool
    case_sensitive: bool = False


def json_fields(tree: ast.Module, imported: dict[str, str], modules: dict[str, str]) -> list[JsonField]:
    """The fields of one module's settings classes typed only as lists, dicts, sets or tuples (`list[str]`,
    `Optional[Dict[str, int]]`), not a union with a plain type (`list[str] | str`, which takes any text)."""
    return [JsonField(name if case_sensitive else name.upper(), item.lineno, _has_default(item.value),
                      case_sensitive)
            for cls, item, name, case_sensitive in _class_fields(tree, imported, modules)
            if _json_only(item.annotation) and not _derived(item.value) and _decodes(cls)]


def _class_fields(tree: ast.Module, imported: dict[str, str],
                  modules: dict[str, str]) -> Iterator[tuple[ast.ClassDef, ast.AnnAssign, str, bool]]:
    """(its class, the annotated field, the variable it reads, case_sensitive) for each field of the module's settings
    classes, ClassVars, `model_config` and private names left out."""
    classes: dict[str, tuple[str, bool, bool]] = {}   # settings class -> (env_prefix, case_sensitive, pydantic 1)
    from_environ = built_from_environ(tree, imported)
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        inherited = [classes[b.id] for b in node.bases if isinstance(b, ast.Name) and b.id in classes]
        bases = {dotted_name(b, imported, modules) for b in node.bases}
        if node.name in from_environ and not inherited and not bases & _BASES:
            # RedisConfig(**merged_env), a plain model given the environment's mapping: its fields as named
            classes[node.name] = ("", True, False)
            inherited = [classes[node.name]]
        if not inherited and not bases & _BASES:
            continue
        prefix, case_sensitive = _config(node, inherited[0][:2] if inherited else ("", False))
        # pydantic 1 names a field's variable with env= only (it warns that aliases are not used for it)
        pydantic1 = inherited[0][2] if inherited else bool(bases & _PYDANTIC1_BASES)
        classes[node.name] = (prefix, case_sensitive, pydantic1)
        for item in node.body:
            if not (isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)) \
                    or item.target.id == "model_config" or item.target.id.startswith("_") \
                    or "ClassVar" in _names(item.annotation):
                continue
            name = _named_variable(item.value, ("env",) if pydantic1 else ("validation_alias", "alias")) \
                or prefix + item.target.id
            yield node, item, name, case_sensitive


def _decodes(cls: ast.ClassDef) -> bool:
    """pydantic-settings decodes JSON unless the class's config says `enable_decoding=False` (its validators then
    split the text themselves)."""
    return not any(isinstance(item, (ast.Assign, ast.AnnAssign)) and isinstance(item.value, ast.Call)
                   and any(k.arg == "enable_decoding" and isinstance(k.value, ast.Constant) and k.value.value is False
                           for k in item.value.keywords)
                   for item in cls.body)


def _json_only(annotation: ast.AST) -> bool:
    """Every member of the annotation but None is a JSON type: `list[str]`, `Optional[List[int]]`, `dict | None`."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return False
    members = [m for m in _members(annotation) if not _is_none(m)]
    return bool(members) and all(_head(m) in _JSON_TYPES for m in members)


def _members(node: ast.AST) -> list[ast.AST]:
    """The members of a union: `A | B`, `Union[A, B]`, `Optional[A]`; a lone type is its own."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _members(node.left) + _members(node.right)
    if isinstance(node, ast.Subscript) and _head(node) in ("Union", "Optional"):
        inner = node.slice
        return [m for e in (inner.elts if isinstance(inner, ast.Tuple) else [inner]) for m in _members(e)]
    return [node]


def _head(node: ast.AST) -> str:
    """`list` of `list[str]`, `List` of `typing.List[str]`."""
    base = node.value if isinstance(node, ast.Subscript) else node
    return base.id if isinstance(base, ast.Name) else base.attr if isinstance(base, ast.Attribute) else ""


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None or isinstance(node, ast.Name) and node.id == "None"


def built_from_environ(tree: ast.Module, imported: dict[str, str]) -> set[str]:
    """Names of the module's classes it makes from the environment's mapping: `Config(**os.environ)`, or
    `RedisConfig(**merged_env)` where merged_env is built from os.environ in the same function or module
    (`{k: v for k, v in {**dotenv_values(".env"), **dict(os.environ)}.items() if v is not None}`)."""
    defined = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    if not defined:
        return set()
    out: set[str] = set()
    scopes = [tree, *(n for n in ast_nodes(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))]
    for scope in scopes:
        derived = {t.id for n in ast_nodes(scope) if isinstance(n, (ast.Assign, ast.AnnAssign)) and n.value is not None
                   and _mentions_environ(n.value, imported)
                   for t in (n.targets if isinstance(n, ast.Assign) else [n.target]) if isinstance(t, ast.Name)}
        for node in ast_nodes(scope):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in defined and any(
                    k.arg is None and (isinstance(k.value, ast.Name) and k.value.id in derived
                                       or _mentions_environ(k.value, imported)) for k in node.keywords):
                out.add(node.func.id)
    return out


def _mentions_environ(node: ast.AST, imported: dict[str, str]) -> bool:
    """`os.environ` (or `environ` imported from os) anywhere in the expression."""
    return any(isinstance(n, ast.Attribute) and n.attr == "environ" and getattr(n.value, "id", "") == "os"
               or isinstance(n, ast.Name) and imported.get(n.id) == "os.environ" for n in ast_nodes(node))


def _named_variable(value: ast.AST | None, keys: tuple[str, ...]) -> str | None:
    """The variable a `Field(...)` names itself with the first of `keys` it has: `env=` (pydantic 1; a list: its
    first name), `validation_alias=` or `alias=` (pydantic-settings; `AliasChoices(...)`: its first name). None
    for any other value."""
    if not (isinstance(value, ast.Call) and getattr(value.func, "id", getattr(value.func, "attr", "")) == "Field"):
        return None
    given = {k.arg: k.value for k in value.keywords if k.arg}
    for key in keys:
        node = given.get(key)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)) and node.elts:
            node = node.elts[0]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) \
                == "AliasChoices" and node.args:
            node = node.args[0]
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", node.value):
            return node.value
    return None


def _names(node: ast.AST) -> set[str]:
    """Every name an annotation mentions (list[str], Optional[List[str]], "list[str]")."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = ast.parse(node.value, mode="eval")
        except SyntaxError:
            return set()
    return {n.id for n in ast_nodes(node) if isinstance(n, ast.Name)} | \
        {n.attr for n in ast_nodes(node) if isinstance(n, ast.Attribute)}


def _text(value: ast.AST | None) -> str | None:
    return value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None


def _numeric(annotation: ast.AST) -> bool:
    """`int`, `Optional[PositiveInt]`, `conint(gt=0)`: only a number; not `str | int`, which takes any text."""
    names = _names(annotation)
    return bool(names & _NUMBERS) and not names & _TEXT


def _config(cls: ast.ClassDef, inherited: tuple[str, bool]) -> tuple[str, bool]:
    """(env_prefix, case_sensitive) from `model_config = SettingsConfigDict(...)` or pydantic 1's `class Config`."""
    prefix, case_sensitive = inherited
    for item in cls.body:
        pairs: list[tuple[str, ast.AST]] = []
        if isinstance(item, (ast.Assign, ast.AnnAssign)) and isinstance(item.value, ast.Call) and any(
                isinstance(t, ast.Name) and t.id == "model_config"
                for t in (item.targets if isinstance(item, ast.Assign) else [item.target])):
            pairs = [(k.arg, k.value) for k in item.value.keywords if k.arg]
        elif isinstance(item, ast.ClassDef) and item.name == "Config":
            pairs = [(t.id, sub.value) for sub in item.body if isinstance(sub, ast.Assign)
                     for t in sub.targets if isinstance(t, ast.Name)]
        for key, value in pairs:
            if key == "env_prefix" and isinstance(value, ast.Constant) and isinstance(value.value, str):
                prefix = value.value
            elif key == "case_sensitive" and isinstance(value, ast.Constant) and isinstance(value.value, bool):
                case_sensitive = value.value
    return prefix, case_sensitive


def _derived(value: ast.AST | None) -> bool:
    """A default built from the class's other values (`URI: str = f"{USER}:{PASSWORD}@{HOST}"`, a sum): a
    value the app derives, not one to give it (a whole URL there would be prefixed again)."""
    return isinstance(value, ast.BinOp) or (isinstance(value, ast.JoinedStr) and any(
        isinstance(v, ast.FormattedValue) for v in value.values))


def _has_default(value: ast.AST | None) -> bool:
    """`x: str = "d"`, `Field("d")`, `Field(default=...)`; not a bare `x: str` or `Field(...)`."""
    if value is None:
        return False
    if isinstance(value, ast.Call) and getattr(value.func, "id", getattr(value.func, "attr", "")) == "Field":
        first = value.args[0] if value.args else next((k.value for k in value.keywords if k.arg == "default"), None)
        factory = any(k.arg == "default_factory" for k in value.keywords)
        return factory or (first is not None and not (isinstance(first, ast.Constant) and first.value is Ellipsis))
    return True
