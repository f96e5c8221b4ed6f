"""The text of an expression built only from literals and the module's constants, without running it.

Tutorials build their database URL from named parts: `'postgresql://postgres:@localhost/' + DB_NAME`,
`f"postgresql://{USER}:{PASSWORD}@localhost/{DB}"`, `"postgresql://%s:%s@localhost/%s" % (USER, PW, DB)`,
`"postgresql://{}:{}@{}/{}".format(USER, PW, "localhost:5432", DB)`, the parts written a few lines above. Such a URL is as written as a literal. A part read at run time (os.environ,
a function's argument, an imported name) makes the whole unknown.

Constants: module-level names bound exactly once in the module, to a string or integer literal or to such an
expression of earlier constants; a class's constants (class_constants) are named `Class.NAME`, as the code reads
them (`SQLAlchemyConfig.USERNAME`).
"""

from __future__ import annotations

import ast
import string
from collections import Counter
from .ast_nodes import ast_nodes


def module_constants(tree: ast.Module, *, defaults: bool = False) -> dict[str, str]:
    """{name: text} of the module's constants, in the order they are bound; `defaults`: a name bound to an
    environment read with a literal default too, as that default (`DB_USER = os.getenv("DB_USER", "root")`)."""
    bound = Counter(n.id for node in ast_nodes(tree) for n in _bound_names(node))
    constants: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if len(targets) == 1 and isinstance(targets[0], ast.Name) and bound[targets[0].id] == 1:
                value = _text(node.value, constants, top=False, defaults=defaults)
                if value is not None:
                    constants[targets[0].id] = value
    return constants


def class_constants(tree: ast.Module, constants: dict[str, str] | None = None, *, defaults: bool = False,
                    names: dict[str, str] | None = None) -> dict[str, str]:
    """{"Class.NAME": text} of the constants in the bodies of the module's top-level classes: a name bound once
    there (a literal, or an expression of the module's constants and the class's earlier ones) and never assigned
    as `Class.NAME = ...` in the module (a config class whose parts build the app's database URL in a
    staticmethod: `URL(Config.DRIVER, username=Config.USERNAME, ...)`). `names`: {class name in the module: the
    name it is read under} (a class imported into another module under an alias); by default its own name."""
    constants = dict(constants or {})
    reassigned = {(t.value.id, t.attr) for node in ast_nodes(tree) for t in _bound_attributes(node)}
    # `Config.ENGINE = create_engine(url)` sets an attribute of the class, it binds no name
    attribute_owners = {id(t.value) for node in ast_nodes(tree) for t in _bound_attributes(node)}
    bound_classes = Counter(n.id for node in ast_nodes(tree) for n in _bound_names(node)
                            if id(n) not in attribute_owners)
    out: dict[str, str] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or bound_classes[node.name] != 1:
            continue
        if names is not None and node.name not in names:
            continue
        local = node.name if names is None else names[node.name]
        bound = Counter(n.id for statement in node.body for n in _bound_names(statement))
        own: dict[str, str] = {}
        for statement in node.body:
            if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                if len(targets) != 1 or not isinstance(targets[0], ast.Name) or bound[targets[0].id] != 1 \
                        or (node.name, targets[0].id) in reassigned:
                    continue
                value = _text(statement.value, {**constants, **own}, top=False, defaults=defaults)
                if value is not None:
                    own[targets[0].id] = value
                    out[f"{local}.{targets[0].id}"] = value
    return out


def composed_text(node: ast.AST, constants: dict[str, str]) -> str | None:
    """The text of a string literal, or of a concatenation, f-string or %-format of literals and constants;
    None for anything else (a bare name: the place that binds it is where it is written)."""
    return _text(node, constants, top=True)


HOLE = "\0"


# calls that read a setting from the environment (os.getenv, environ.get, decouple's config, environs' env.str)
_READ_CALLS = frozenset({"getenv", "get", "config", "env", "str", "int"})


def template_text(node: ast.AST, constants: dict[str, str]) -> str | None:
    """composed_text, with HOLE for each part read at run time (`f"postgresql://{os.environ['DB_USER']}@{HOST}
    /shop"`: the login from the environment, the database written); None when nothing is written around them,
    or a part is computed in the code (`quote_plus("...")`: not a setting serve can give)."""
    text = _text(node, constants, top=True, hole=HOLE)
    return text if text is not None and text.strip(HOLE) else None


def default_text(node: ast.AST, constants: dict[str, str]) -> str | None:
    """composed_text, with each environment read that has a literal default read as that default: what the app
    runs with when nothing is set (AppSeed's `'{}://{}:{}@{}:{}/{}'.format(os.getenv('DB_ENGINE', 'mysql'),
    os.getenv('DB_USERNAME', 'appseed_db_usr'), ...)`); None when a read has no default."""
    return _text(node, constants, top=True, defaults=True)


def _read_default(call: ast.Call) -> str | None:
    """The literal default of `os.getenv("X", "d")`, `os.environ.get("X", 3306)`, `config("X", default="d")`."""
    value = call.args[1] if len(call.args) == 2 else \
        next((kw.value for kw in call.keywords if kw.arg == "default"), None) if len(call.args) == 1 else None
    if not (call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)):
        return None                    # a read of a named variable, not a dict's get of something else
    if isinstance(value, ast.Constant) and isinstance(value.value, (str, int)) and not isinstance(value.value, bool):
        return str(value.value)
    return None


def computed_names(tree: ast.Module) -> frozenset[str]:
    """Module-level names bound to a call that is no environment read (`password = quote_plus("...")`)."""
    return frozenset(t.id for node in tree.body if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                     and _called(node.value) not in _READ_CALLS for t in node.targets if isinstance(t, ast.Name))


def _called(call: ast.Call) -> str:
    return call.func.id if isinstance(call.func, ast.Name) else call.func.attr \
        if isinstance(call.func, ast.Attribute) else ""


def _text(node: ast.AST, constants: dict[str, str], *, top: bool, hole: str | None = None,
          defaults: bool = False) -> str | None:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str):
            return node.value
        return str(node.value) if isinstance(node.value, int) and not isinstance(node.value, bool) and not top \
            else None
    if isinstance(node, ast.Name) and (top or node.id in constants or hole is None):
        return None if top else constants.get(node.id)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and not top \
            and f"{node.value.id}.{node.attr}" in constants:
        return constants[f"{node.value.id}.{node.attr}"]        # a class's constant (class_constants)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left, constants, top=False, hole=hole, defaults=defaults), \
            _text(node.right, constants, top=False, hole=hole, defaults=defaults)
        return left + right if left is not None and right is not None and not (
            _is_int(node.left) or _is_int(node.right)) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) \
            and isinstance(node.left.value, str):
        items = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
        values = [_text(item, constants, top=False, hole=hole, defaults=defaults) for item in items]
        if any(v is None for v in values):
            return None
        try:
            return node.left.value % tuple(values)
        except (TypeError, ValueError):      # %d of a text, a count that does not match
            return None
    if defaults and not top and isinstance(node, ast.Call) and _called(node) in _READ_CALLS:
        return _read_default(node)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format" \
            and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str):
        return _formatted(node, constants, hole, defaults)
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                if value.format_spec is not None or value.conversion not in (-1, ord("s")):
                    return None
                value = value.value
            text = _text(value, constants, top=False, hole=hole, defaults=defaults)
            if text is None:
                return None
            parts.append(text)
        return "".join(parts)
    if hole is not None and not top and (isinstance(node, (ast.Name, ast.Attribute, ast.Subscript))
                                         or isinstance(node, ast.Call) and _called(node) in _READ_CALLS):
        return hole       # a name, setting or environment read, given at run time
    return None


def _formatted(call: ast.Call, constants: dict[str, str], hole: str | None, defaults: bool) -> str | None:
    """`'postgresql://{}:{}@{}/{}'.format('student', 'student', 'localhost:5432', database_name)` (Udacity's
    Full Stack course writes its apps' URLs so), `'...{user}...'.format(user=USER)`: each field's text, the
    fields plain (no conversion, spec or attribute), every argument known or a hole."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(kw.arg is None for kw in call.keywords):
        return None
    args = [_text(a, constants, top=False, hole=hole, defaults=defaults) for a in call.args]
    kwargs = {kw.arg: _text(kw.value, constants, top=False, hole=hole, defaults=defaults) for kw in call.keywords}
    if any(v is None for v in args) or any(v is None for v in kwargs.values()):
        return None
    try:
        fields = list(string.Formatter().parse(call.func.value.value))
    except ValueError:
        return None
    if any(name is not None and (spec or conversion or not (name == "" or name.isdigit() or name.isidentifier()))
           for _, name, spec, conversion in fields):
        return None
    try:
        return call.func.value.value.format(*args, **kwargs)
    except (IndexError, KeyError, ValueError):     # a field no argument fills, automatic and manual numbering mixed
        return None


def _is_int(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, int)


def _bound_attributes(node: ast.AST) -> list[ast.Attribute]:
    """The `Name.attr` targets a statement assigns (`Config.ENGINE = create_engine(url)`)."""
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    else:
        return []
    return [n for t in targets for n in ast_nodes(t) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)]


def _bound_names(node: ast.AST) -> list[ast.Name]:
    """The names a statement binds (assignment targets, loop variables, imports' as-names come as Name-like)."""
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor, ast.NamedExpr)):
        targets = [node.target]
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        return [ast.Name(id=(a.asname or a.name).split(".")[0]) for a in node.names]
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [ast.Name(id=node.name)]
    elif isinstance(node, ast.Global):
        # a function that declares it global may rebind it: never a constant
        return [ast.Name(id=name) for name in node.names for _ in range(2)]
    else:
        return []
    return [n for t in targets for n in ast_nodes(t) if isinstance(n, ast.Name)]
