"""Arguments for a factory that needs them (`def create_app(config_name)`): the production value the
project itself names, so the server can call `create_app('production')`; aiohttp's `init_func(argv)`
gets an empty argument list, as `python -m aiohttp.web` gives it with no options.

Three places say it, read statically: calls of the factory anywhere in the project (manage.py, a __main__
block, tests) with an argument whose value is written there, the keys of a module-level dict of
configurations (`config = {"development": ..., "production": ...}`, the layout Flask's tutorials popularised),
and the calls FLASK_APP names where the project sets it for the flask CLI or its servers (`.flaskenv`,
`ENV FLASK_APP="app:create_app('production')"` in a Dockerfile, a compose environment, a shell script, a
systemd unit).
An argument's value is a string literal, the default of an environment read (`os.getenv("CONFIG", "production")`,
`os.getenv("CONFIG") or "production"`), or the default of the launcher's command-line option
(`create_app(args.config)` after `parser.add_argument("--config", default="prod")`), each possibly a class
constant of the project (`ConfigEnum.PROD.value`). Only a value that reads as production is taken, or else the one
database URL the project's code (not its tests) passes (`create_app(db='sqlite:///db/app.sqlite3')` under
__main__: where the data lives, not a mode); anything else stays the user's choice. A factory that loads its
argument as a config object (`app.config.from_object(object_name)`) with no production value written anywhere gets
the dotted path of the project's own production config class (`appname.settings.ProdConfig`, as configclass.py
finds it for APP_SETTINGS).
"""

from __future__ import annotations

import ast
import re

from ..ast_nodes import ast_nodes
from ..configclass import LOADERS, config_class
from ..source import called_name
from .graph import Analysis, is_test_code
from .model import AppDef

_PRODUCTION = re.compile(r"(^|[._-])prod(uction)?($|[._-])|ProductionConfig$", re.I)
# a database URL as SQLAlchemy and the URL readers take it, and SQLite's in-memory ones (gone with the process)
_DATABASE_URL = re.compile(r"(sqlite|postgres(ql)?|mysql|mariadb|oracle|mssql|cockroachdb)(\+\w+)?://", re.I)
_IN_MEMORY = re.compile(r"sqlite(\+\w+)?://(/:memory:)?$", re.I)


def production_call(analysis: Analysis, name: str, app: AppDef, root: str = ".",
                    named_in: str | None = None) -> str | None:
    """`name('production')` when the factory takes one argument and the project names a production value;
    `root`: the folder the factory is imported from (where a config class's dotted path starts), `named_in`: the
    module that names it there (FLASK_APP's `module:name(...)`)."""
    if len(app.needs_args) != 1:
        return None
    if app.interface == "aiohttp" and app.needs_args == ("argv",):
        return f"{name}([])"     # aiohttp's `python -m aiohttp.web` convention: init_func(argv), no options
    trees: dict[str, ast.Module] = {}
    for each in analysis.modules.values():
        try:
            trees[each.path] = ast.parse(analysis.project.read_text(each.path))
        except (SyntaxError, ValueError, OSError):
            continue
    constants = _class_constants(list(trees.values()))
    values: list[str] = []
    databases: set[str] = set()
    for path, tree in trees.items():
        called = _argument_values(tree, name, app.needs_args[0], constants)
        values += called + _config_keys(tree, app.needs_args[0])
        if not is_test_code(path):
            databases.update(v for v in called if _DATABASE_URL.match(v) and not _IN_MEMORY.match(v))
    if named_in is not None:
        values += _flask_app_values(analysis, named_in, name)
    chosen = next((v for v in values if _PRODUCTION.search(v)), None)
    if chosen is None and len(databases) == 1:
        # `def create_app(db)` called as create_app(db='sqlite:///db/database.sqlite3') under __main__: the argument
        # is where the data lives, not a mode, and the one URL the project's code writes is the one it runs with
        # (the tests' in-memory databases are theirs)
        chosen = databases.pop()
    if chosen is None and _loads_config_object(analysis, app):
        chosen = config_class(analysis.project, root, "production")
    return f"{name}({chosen!r})" if chosen is not None else None


def _loads_config_object(analysis: Analysis, app: AppDef) -> bool:
    """Whether the factory passes its parameter to a config loader as is (`app.config.from_object(object_name)`):
    its argument is then the dotted path of a config class."""
    try:
        tree = ast.parse(analysis.project.read_text(app.path))
    except (SyntaxError, ValueError, OSError):
        return False
    param = app.needs_args[0]
    for node in ast_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.lineno == app.line:
            return any(isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                       and call.func.attr in LOADERS and len(call.args) == 1
                       and isinstance(call.args[0], ast.Name) and call.args[0].id == param
                       for call in ast_nodes(node))
    return False


def _argument_values(tree: ast.AST, name: str, param: str, constants: dict[str, dict[str, str]]) -> list[str]:
    """The values written for the first argument of calls to `name` (or `x.name`) in the module, given by
    position or by its parameter's name (`create_app(config_name=args.config)`)."""
    options = _option_defaults(tree, constants)
    found = []
    for node in ast_nodes(tree):
        if isinstance(node, ast.Call) and called_name(node) == name:
            given = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == param), None)
            if given is not None and (value := _value(given, constants, options)) is not None:
                found.append(value)
    return found


def _value(node: ast.AST, constants: dict[str, dict[str, str]], options: dict[str, str]) -> str | None:
    """The string `node` stands for when nothing is set: a literal, an environment read's default, a parsed
    option's default (`args.config`), a class constant (`ConfigEnum.PROD.value`, `Config.NAME`)."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        return _value(node.values[-1], constants, options)          # os.getenv("CONFIG") or "production"
    if isinstance(node, ast.Call) and called_name(node) in ("getenv", "get") and len(node.args) == 2:
        return _value(node.args[1], constants, options)             # os.getenv("CONFIG", "production")
    if isinstance(node, ast.Attribute) and node.attr == "value" and isinstance(node.value, ast.Attribute):
        node = node.value                                           # an Enum member's value
    elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id not in constants:
        return options.get(node.attr)                               # args.config: the option's default
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return constants.get(node.value.id, {}).get(node.attr)
    return None


def _option_defaults(tree: ast.AST, constants: dict[str, dict[str, str]]) -> dict[str, str]:
    """{dest: default} of the command-line options the module declares with argparse's add_argument."""
    out = {}
    for node in ast_nodes(tree):
        if not (isinstance(node, ast.Call) and called_name(node) == "add_argument"):
            continue
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        flags = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        long = [f for f in flags if f.startswith("--")] or flags
        dest = keywords.get("dest")
        name = dest.value if isinstance(dest, ast.Constant) and isinstance(dest.value, str) else \
            long[0].lstrip("-").replace("-", "_") if long else None
        if name and "default" in keywords and (value := _value(keywords["default"], constants, {})) is not None:
            out[name] = value
    return out


def _class_constants(trees: list[ast.Module]) -> dict[str, dict[str, str]]:
    """{class name: {attribute: string}} of the project's module-level classes (an Enum of configuration names)."""
    out: dict[str, dict[str, str]] = {}
    for tree in trees:
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                out.setdefault(node.name, {}).update(
                    {t.id: item.value.value for item in node.body if isinstance(item, ast.Assign)
                     and isinstance(item.value, ast.Constant) and isinstance(item.value.value, str)
                     for t in item.targets if isinstance(t, ast.Name)})
    return out


def _config_keys(tree: ast.Module, param: str) -> list[str]:
    """Keys of module-level dicts whose name matches the parameter (`config`, `configs`, `config_by_name`)."""
    stem = param.split("_")[0].lower()
    keys = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            names = [t.id.lower() for t in node.targets if isinstance(t, ast.Name)]
            if any(n.startswith(stem) or stem.startswith(n.rstrip("s")) for n in names):
                keys += [k.value for k in node.value.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    return keys


# FLASK_APP=... / ENV FLASK_APP "..." / FLASK_APP: ... / Environment="FLASK_APP=..." naming module:function(args)
_FLASK_APP = re.compile(r"""FLASK_APP["']?\s*[=:\s]\s*["']?([A-Za-z_][\w.]*):([A-Za-z_]\w*\(.*?\))["']?\s*(?:$|[\s;&|#])""",
                        re.M)
# files that set the flask CLI's or a server's environment (not docs: a README's examples may name any value)
_ENV_FILE = re.compile(r"(^|/)(\.flaskenv|\.env[\w.-]*|[\w.-]*\.env|Dockerfile[\w.-]*|[\w.-]*\.dockerfile|"
                       r"[\w.-]*compose[\w.-]*\.ya?ml|Procfile|Makefile|[\w.-]*\.(sh|service|ini|cfg|toml))$")


def _flask_app_values(analysis: Analysis, module: str, name: str) -> list[str]:
    """The first argument, as a string literal, of each call of `name` that FLASK_APP names as `module:name(...)`
    in the project's environment files."""
    found = []
    for rel in analysis.project.files:
        if not _ENV_FILE.search(rel) or (text := analysis.project.scan_text(rel)) is None:
            continue
        for named, call in _FLASK_APP.findall(text):
            if named != module:
                continue
            try:
                node = ast.parse(call, mode="eval").body
            except SyntaxError:
                continue
            if isinstance(node, ast.Call) and called_name(node) == name and node.args \
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found.append(node.args[0].value)
    return found
