"""Variables a project reads as its database URL, or as a part of its connection, whatever their names.

`"USER": env("NEON_USER"), "HOST": env("NEON_HOST")` (a Neon-hosted course project), `"NAME":
os.getenv("PROJECT_DB")`: the key of the DATABASES entry says which part the variable holds, where its name
does not (run/database.variable_part knows POSTGRES_USER, DB_HOST...). Likewise the URL: `SQLALCHEMY_DATABASE_URI
= environ.get("ANAKONDA_API_DATABASE_URI", None)` in a Flask config class, `create_engine(os.environ["CONN"])`.
serve points them at its own database.
"""

from __future__ import annotations

import ast
import re
import string

from ..project import Project
from .ast_nodes import ast_nodes
from .services import env_reads
from .source import called_name, parsed

# Django's DATABASES keys -> the part of the connection (run/database.py's names)
KEYS = {"HOST": "host", "PORT": "port", "USER": "user", "PASSWORD": "password", "NAME": "database"}


def database_part_variables(project: Project) -> tuple[tuple[str, str], ...]:
    """(variable, part) for each environment read that is the value of a HOST/PORT/USER/PASSWORD/NAME key of a
    dict display that also has an ENGINE key (a DATABASES entry), and ("url") for one that is the app's database
    URL (_url_values), the slot parts of a URL template (_template_slots), and ("scheme" or "dialect") for one
    it puts first in a URL it builds (_scheme_values), sorted."""
    places: dict[tuple[str, int, int], str] = {}
    trees = parsed(project)
    for rel, tree in trees.items():
        for node in ast_nodes(tree):
            if isinstance(node, ast.Dict) and any(isinstance(k, ast.Constant) and k.value == "ENGINE"
                                                  for k in node.keys):
                for k, v in zip(node.keys, node.values):
                    if isinstance(k, ast.Constant) and k.value in KEYS:
                        places[(rel, v.lineno, v.col_offset)] = KEYS[k.value]
        for value in _url_values(tree):
            places[(rel, value.lineno, value.col_offset)] = "url"
        for value, part in _template_slots(tree):
            places[(rel, value.lineno, value.col_offset)] = part
        for value, part in _scheme_values(tree):
            places[(rel, value.lineno, value.col_offset)] = part
        for value, part in (*_connect_keywords(tree), *_peewee_database_parts(tree)):
            places[(rel, value.lineno, value.col_offset)] = part
        for where, value, part in _pony_bind_values(rel, tree, trees):
            places[(where, value.lineno, value.col_offset)] = part
    return tuple(sorted({(r.name, places[(r.path, r.line, r.col)]) for r in env_reads(project)
                         if (r.path, r.line, r.col) in places}))


# a database URL written with placeholders: f"postgresql://{USER}:{PW}@{HOST}/{DB}", "mysql+pymysql://{}:{}@{}".format
_TEMPLATE_SCHEME = re.compile(r"(?:postgres(?:ql)?|mysql|mariadb)(?:\+\w+)?://", re.IGNORECASE)
# the slot a placeholder is in, after the literal text before it: "://" user, ":" password, "@" host, ":" port,
# "/" database, "?" the query (no part)
_NEXT_SLOT = {("user", ":"): "password", ("user", "@"): "host", ("password", "@"): "host", ("host", ":"): "port",
              ("host", "/"): "database", ("port", "/"): "database", ("database", "?"): "query"}


def _template_slots(tree: ast.Module) -> list[tuple[ast.AST, str]]:
    """(expression, part) for the values a database URL template puts in its slots: user, password, host, port,
    database, and "hostport" for a host slot with no port slot after it (`@{POSTGRES_URL}/`: the value must carry
    the port). Through `X or "default"` and a name assigned once in its module or class body."""
    once = _assigned_once(tree)
    out = []
    for literals, values in _templates(tree):
        for value, part in _slots(literals, values):
            if isinstance(value, ast.Name) and value.id in once:
                value = once[value.id]
            if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or):
                value = value.values[0]
            out.append((value, part))
    return out


def template_ports(project: Project) -> tuple[int, ...]:
    """The ports the app's database URL templates write as literals beside a host they read at run time
    ("...@{hostname}:{port}/...".format(hostname=POSTGRES_HOST, port=str(POSTGRES_PORT)), POSTGRES_PORT = 5432):
    the URL reaches that port whatever serve sets, so serve's server must listen there (run/database.py)."""
    found: set[int] = set()
    for tree in parsed(project).values():
        once = _assigned_once(tree)
        for literals, values in _templates(tree):
            slots = _slots(literals, values)
            if not any(part in ("host", "hostport") for _, part in slots):
                continue
            for value, part in slots:
                if part != "port":
                    continue
                if isinstance(value, ast.Call) and getattr(value.func, "id", "") in ("str", "int") and value.args:
                    value = value.args[0]
                if isinstance(value, ast.Name) and value.id in once:
                    value = once[value.id]
                if isinstance(value, ast.Constant) and str(value.value).isdigit():
                    found.add(int(value.value))
    return tuple(sorted(found))


def _slots(literals: list[str], values: list[ast.AST]) -> list[tuple[ast.AST, str]]:
    """(value, part) of one template's placeholders, as written (no name resolved); [] for another string."""
    if not _TEMPLATE_SCHEME.match(literals[0]):
        return []
    out, slot = [], None
    for i, value in enumerate(values):
        text = literals[i]
        if slot is None:
            slot, text = "user", text[_TEMPLATE_SCHEME.match(text).end():]
        for char in text:
            slot = _NEXT_SLOT.get((slot, char), slot)
        if slot == "query":
            break
        out.append((value, "hostport" if slot == "host" and not literals[i + 1].startswith(":") else slot))
    return out


def _templates(tree: ast.Module) -> list[tuple[list[str], list[ast.AST]]]:
    """(literal pieces, placeholder values) of each f-string and each "...".format(...) call: one literal more
    than values, the literal before each value and the last one after them all."""
    found = []
    for node in ast_nodes(tree):
        if isinstance(node, ast.JoinedStr):
            literals, values = [""], []
            for piece in node.values:
                if isinstance(piece, ast.Constant) and isinstance(piece.value, str):
                    literals[-1] += piece.value
                elif isinstance(piece, ast.FormattedValue):
                    values.append(piece.value)
                    literals.append("")
            found.append((literals, values))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format" \
                and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str):
            try:
                fields = list(string.Formatter().parse(node.func.value.value))
            except ValueError:
                continue
            keywords = {k.arg: k.value for k in node.keywords if k.arg}
            literals, values, auto = [""], [], 0
            for literal, field, _, _ in fields:
                literals[-1] += literal
                if field is None:
                    continue
                if field == "":
                    field, auto = str(auto), auto + 1
                value = node.args[int(field)] if field.isdigit() and int(field) < len(node.args) \
                    else keywords.get(field)
                if value is None:
                    break
                values.append(value)
                literals.append("")
            else:
                found.append((literals, values))
    return found


# the Flask-SQLAlchemy setting that holds the URL, and SQLAlchemy's engine makers that take it first
URL_SETTING = "SQLALCHEMY_DATABASE_URI"
_ENGINE_MAKERS = frozenset({"create_engine", "create_async_engine"})


# the top-level modules of SQL drivers a module may connect with by keywords (MySQLdb.connect(host=..., user=...))
_SQL_DRIVERS = frozenset({"MySQLdb", "pymysql", "mysql", "psycopg2", "psycopg", "pg8000", "mariadb"})
# keyword -> part, for the keywords of a connect call (DB-API's, or the app's own wrapper around one)
_CONNECT_KEYWORDS = {"host": "host", "port": "port", "user": "user", "username": "user", "passwd": "password",
                     "password": "password", "db": "database", "database": "database", "dbname": "database"}


def _connect_keywords(tree: ast.Module) -> list[tuple[ast.AST, str]]:
    """(expression, part) for the values of a connect call's host/port/user/passwd/db keywords, in a module that
    imports a SQL driver: `SimpleMysql(host=os.environ.get('DB_MASTER_HOST'), port=int(os.environ.get(
    'DB_MASTER_PORT')), db=..., user=..., passwd=...)` around MySQLdb. A call with both a user and a database keyword
    only (a Redis client's host, port, db and password are not a SQL login); `int(...)`/`str(...)` looked through,
    and a name assigned once in the module followed to its value (`user_name = os.getenv("user")`, then
    `mysql.connector.connect(user=user_name, ...)`: the lower-case variables of an uncommitted .env)."""
    if not _imports(tree) & _SQL_DRIVERS:
        return []
    once = _assigned_once(tree)
    out = []
    for node in ast_nodes(tree):
        if not isinstance(node, ast.Call):
            continue
        parts = {k.arg: _CONNECT_KEYWORDS[k.arg] for k in node.keywords if k.arg in _CONNECT_KEYWORDS}
        if "user" not in parts.values() or "database" not in parts.values():
            continue
        for keyword in node.keywords:
            if keyword.arg not in parts:
                continue
            value = _unwrapped(keyword.value)
            if isinstance(value, ast.Name) and value.id in once:
                value = _unwrapped(once[value.id])
            out.append((value, parts[keyword.arg]))
    return out


# peewee's database classes of a server: the first argument (or database=) is the database's name, the other
# keywords go to the driver's connect
_PEEWEE_SERVERS = frozenset({"PostgresqlDatabase", "PostgresqlExtDatabase", "PooledPostgresqlDatabase",
                             "PooledPostgresqlExtDatabase", "CockroachDatabase", "PooledCockroachDatabase",
                             "MySQLDatabase", "PooledMySQLDatabase", "MySQLConnectorDatabase"})


def _peewee_database_parts(tree: ast.Module) -> list[tuple[ast.AST, str]]:
    """(expression, part) for a peewee server database's name and connect keywords, in a module importing peewee
    or playhouse: `PostgresqlExtDatabase(os.getenv('DATABASE'))` reads the database's name from DATABASE (a
    bootcamp app's gitignored .env), `MySQLDatabase(os.environ['DB'], user=..., host=...)`; `int(...)`/`str(...)`
    looked through."""
    imports = {a.name.split(".")[0] for n in ast_nodes(tree) if isinstance(n, ast.Import) for a in n.names} | {
        (n.module or "").split(".")[0] for n in ast_nodes(tree) if isinstance(n, ast.ImportFrom) and not n.level}
    if not imports & {"peewee", "playhouse"}:
        return []
    out = []
    for node in ast_nodes(tree):
        if not (isinstance(node, ast.Call) and called_name(node) in _PEEWEE_SERVERS):
            continue
        pairs = [*(("database", node.args[0]) for _ in (0,) if node.args),
                 *((_CONNECT_KEYWORDS[k.arg], k.value) for k in node.keywords if k.arg in _CONNECT_KEYWORDS)]
        for part, value in pairs:
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in ("int", "str") \
                    and len(value.args) == 1:
                value = value.args[0]
            out.append((value, part))
    return out


# Pony ORM's bind() keywords: the driver's connect keywords, and the provider (Pony's name of the server: "postgres",
# "mysql"), which serve gives for its own server as it gives a URL's scheme
_PONY_KEYWORDS = {**_CONNECT_KEYWORDS, "provider": "provider"}


def _pony_bind_values(rel: str, tree: ast.Module, trees: dict[str, ast.Module]) -> list[tuple[str, ast.AST, str]]:
    """(file, expression, part) for the connect keywords of Pony ORM's `db.bind(...)` / `Database(...)` in a module
    importing pony, whatever its provider: the expression itself, or followed through a name assigned once in the
    module or a config class (`USER = os.getenv("user")`, `Config.USER`), or through a module of the project the
    call's module imports (`user=config.USER`, `from app.config import config`, app/config/config.py reading
    `USER = os.getenv("user")`: the lower-case variables of an uncommitted .env); `int(...)`/`str(...)` looked
    through."""
    if not _imports(tree) & {"pony"}:
        return []
    once = _assigned_once(tree)
    modules = {**{a.asname or a.name: a.name for n in ast_nodes(tree) if isinstance(n, ast.Import) for a in n.names},
               **{a.asname or a.name: _absolute(rel, n, a.name) for n in ast_nodes(tree)
                  if isinstance(n, ast.ImportFrom) for a in n.names}}
    out = []
    for node in ast_nodes(tree):
        if not (isinstance(node, ast.Call) and called_name(node) in ("bind", "Database")):
            continue
        for keyword in node.keywords:
            if keyword.arg not in _PONY_KEYWORDS:
                continue
            value, where = _unwrapped(keyword.value), rel
            if isinstance(value, ast.Name) and value.id in once:
                value = once[value.id]
            elif isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name):
                found = _module_file(trees, rel, modules.get(value.value.id, ""))
                if found is not None and value.attr in (names := _assigned_once(trees[found])):
                    value, where = names[value.attr], found
                elif value.attr in once:
                    value = once[value.attr]          # a config class's attribute, in the module itself
            out.append((where, _unwrapped(value), _PONY_KEYWORDS[keyword.arg]))
    return out


def _imports(tree: ast.Module) -> set[str]:
    """The top-level packages a module imports (absolute imports only)."""
    return {a.name.split(".")[0] for n in ast_nodes(tree) if isinstance(n, ast.Import) for a in n.names} | {
        (n.module or "").split(".")[0] for n in ast_nodes(tree) if isinstance(n, ast.ImportFrom) and not n.level}


def _unwrapped(value: ast.AST) -> ast.AST:
    """`int(X)`, `str(X)`, `X or "default"`: X."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in ("int", "str") \
            and len(value.args) == 1:
        value = value.args[0]
    if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or):
        value = value.values[0]
    return value


def _absolute(rel: str, node: ast.ImportFrom, name: str) -> str:
    """The dotted name `from MODULE import name` (or `from . import name`) binds, as a module of the project."""
    if not node.level:
        return f"{node.module}.{name}" if node.module else name
    parts = rel.split("/")[:-1]
    parts = parts[:len(parts) - (node.level - 1)] if node.level > 1 else parts
    return ".".join([*parts, *((node.module or "").split(".") if node.module else []), name])


def _module_file(trees: dict[str, ast.Module], rel: str, dotted: str) -> str | None:
    """The project file of the module `dotted` as the importing file `rel` finds it: from the root or from one of
    the folders above `rel` (the folder its app runs from)."""
    if not dotted:
        return None
    path = dotted.replace(".", "/")
    folders = rel.split("/")[:-1]
    for depth in range(len(folders), -1, -1):
        base = "/".join(folders[:depth])
        for candidate in (f"{path}.py", f"{path}/__init__.py"):
            full = f"{base}/{candidate}" if base else candidate
            if full in trees:
                return full
    return None


def _url_values(tree: ast.Module) -> list[ast.AST]:
    """The expressions a module puts into its database URL: the value of an assignment to SQLALCHEMY_DATABASE_URI
    (a config class attribute, app.config["..."], config.update(SQLALCHEMY_DATABASE_URI=...), a dict key) and
    create_engine's URL; through `X or "default"` and a module-level name assigned once (DB_URI = getenv(...))."""
    values: list[ast.AST] = []
    for node in ast_nodes(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None \
                and any(_names_url(t) for t in (node.targets if isinstance(node, ast.Assign) else [node.target])):
            values.append(node.value)
        elif isinstance(node, ast.Dict):
            values.extend(v for k, v in zip(node.keys, node.values)
                          if isinstance(k, ast.Constant) and k.value == URL_SETTING)
        elif isinstance(node, ast.Call):
            values.extend(k.value for k in node.keywords if k.arg == URL_SETTING)
            func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if func in _ENGINE_MAKERS:
                values.extend(node.args[:1] or [k.value for k in node.keywords if k.arg == "url"])
            elif _dj_database_url(node.func):
                # Django's DATABASES from dj_database_url.parse(X) or .config(default=X): X is the URL
                values.extend(node.args[:1] if func == "parse" else [k.value for k in node.keywords
                                                                      if k.arg == "default"])
    once = _assigned_once(tree)
    out = []
    for value in values:
        if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or):
            value = value.values[0]
        if isinstance(value, ast.Name) and value.id in once:
            value = once[value.id]
            if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or):
                value = value.values[0]
        out.append(value)
    return out


def _scheme_values(tree: ast.Module) -> list[tuple[ast.AST, str]]:
    """The expressions a module puts first in a URL it builds itself: `f"{DB_TYPE}://{DB_USER}:..."` ("scheme":
    the whole scheme, driver included) or `f"{DIALECT}+asyncpg://..."` ("dialect": the part before the driver the
    code adds); through a module-level name assigned once (DB_TYPE = os.environ.get("DB_TYPE"))."""
    once = _assigned_once(tree)
    out = []
    for node in ast_nodes(tree):
        if not (isinstance(node, ast.JoinedStr) and len(node.values) > 1
                and isinstance(node.values[0], ast.FormattedValue) and isinstance(node.values[1], ast.Constant)
                and isinstance(node.values[1].value, str)):
            continue
        after = node.values[1].value
        part = "scheme" if after.startswith("://") else "dialect" if re.match(r"\+\w+://", after) else None
        value = node.values[0].value
        if isinstance(value, ast.Name) and value.id in once:
            value = once[value.id]
        if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or):
            value = value.values[0]
        if part:
            out.append((value, part))
    return out


# dj-database-url's readers (and its fork dj-db-url's), called on the module: dj_database_url.parse(...)
_DJ_DATABASE_URL = frozenset({"dj_database_url", "db_url"})


def _dj_database_url(func: ast.expr) -> bool:
    return isinstance(func, ast.Attribute) and func.attr in ("parse", "config") \
        and isinstance(func.value, ast.Name) and func.value.id in _DJ_DATABASE_URL


def _names_url(target: ast.AST) -> bool:
    if isinstance(target, ast.Name):
        return target.id == URL_SETTING
    if isinstance(target, ast.Attribute):
        return target.attr == URL_SETTING
    return isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) \
        and target.slice.value == URL_SETTING


def _assigned_once(tree: ast.Module) -> dict[str, ast.AST]:
    """Names bound by exactly one plain assignment in the module's body or a class body (a config class's
    `POSTGRES_URL = get_env_variable("POSTGRES_URL")`, then used in its URL), with its value."""
    def once(bodies: list[list[ast.stmt]]) -> dict[str, ast.AST]:
        seen: dict[str, list[ast.AST]] = {}
        for node in (n for body in bodies for n in body):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                seen.setdefault(node.targets[0].id, []).append(node.value)
        return {name: values[0] for name, values in seen.items() if len(values) == 1}
    in_classes = once([n.body for n in ast_nodes(tree) if isinstance(n, ast.ClassDef)])
    # a settings module's `try: DB_URL = config("DB_URL") except KeyError: raise ...` reads it at module level too
    module = once([tree.body, *(n.body for n in tree.body if isinstance(n, ast.Try))])
    # a module-level name first, as it was read before class bodies were
    return {**{n: v for n, v in in_classes.items() if not any(
        isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id == n for t in s.targets) for s in tree.body)},
        **module}
