"""A settings switch that picks SQLite or the database server: `USE_SQLITE = os.getenv('USE_SQLITE', 'true').lower()
== 'true'` then `if USE_SQLITE: DATABASES = {sqlite} else: DATABASES = {postgresql from DB_*}`, or `if DEBUG:` the
same way. The deployer sets the variable (the app's README .env says USE_SQLITE=false); a stack that gives the app
PostgreSQL's parts but not the switch leaves it on a SQLite file inside its container (a release job migrating one
file, the app opening another: `no such table`). The value that takes the server branch is found by evaluating the
test statically for a few usual values (nothing is imported); a test it cannot evaluate gives nothing.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Iterable

from ..project import Project
from .key_choices import _engine
from .services import env_reads
from .source import parsed

# values a deployer writes for a switch, tried in this order (then the strings the test compares with)
CANDIDATES = ("false", "true", "0", "1", "")
_TRUE = {"true", "1", "yes", "y", "on", "t"}
_UNKNOWN = object()


@dataclass(frozen=True)
class DatabaseSwitch:
    variable: str          # USE_SQLITE
    server: str            # the value that takes the database server's branch ("false")
    engine: str            # that branch's database ("postgres", "mysql"; "" when it takes a URL)
    rel: str
    line: int


def switches(project: Project) -> tuple[DatabaseSwitch, ...]:
    """Each module-level `if TEST: DATABASES = ... else: DATABASES = ...` whose one branch is SQLite and whose other
    is a database server (or a URL), where TEST depends on one environment variable: that variable and the value
    that takes the server branch. One per variable, by path and line."""
    reads = [r for r in env_reads(project) if r.col or r.end_col]
    if not reads:
        return ()
    trees = parsed(project)
    found: dict[str, DatabaseSwitch] = {}
    for rel in sorted({r.path for r in reads}):
        tree = trees.get(rel)
        if tree is None:
            continue
        at = {(r.line, r.col, r.end_line, r.end_col): r for r in reads if r.path == rel}
        bound: dict[str, ast.expr] = {}
        for statement in tree.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                    and isinstance(statement.targets[0], ast.Name):
                bound[statement.targets[0].id] = statement.value
            if not isinstance(statement, ast.If):
                continue
            switch = _switch(statement, bound, at, rel)
            if switch is not None and switch.variable not in found:
                found[switch.variable] = switch
    return tuple(found[name] for name in sorted(found))


def for_stack(project: Project, databases: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """(variable, value) for each switch whose server branch is a database the stack runs (`databases`: the plan's
    services), or takes a URL (the stack's DATABASE_URL)."""
    served = {d for d in databases if d in ("postgres", "mysql")}
    return tuple((s.variable, s.server) for s in switches(project)
                 if served and (s.engine in served or not s.engine))


def _switch(statement: ast.If, bound: dict[str, ast.expr], at: dict, rel: str) -> DatabaseSwitch | None:
    if not statement.orelse or not _sets_databases(statement.body) or not _sets_databases(statement.orelse):
        return None
    kinds = (_kind(statement.body), _kind(statement.orelse))
    if kinds.count("sqlite") != 1:
        return None
    server = kinds[1] if kinds[0] == "sqlite" else kinds[0]
    variables = {r.name for node in _expanded_nodes(statement.test, bound) for key, r in at.items()
                 if _at(node) == key}
    if len(variables) != 1:
        return None
    variable = variables.pop()
    wanted = kinds[0] != "sqlite"            # the test's truth that takes the server branch
    # the usual values, then the strings the test compares with (`DB_TYPE in ('postgres', 'postgresql')`)
    written = [n.value for n in _expanded_nodes(statement.test, bound)
               if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    for value in dict.fromkeys((*CANDIDATES, *written)):
        result = _evaluate(statement.test, bound, at, value, depth=0)
        if result is not _UNKNOWN and bool(result) == wanted:
            return DatabaseSwitch(variable, value, server, rel, statement.lineno)
    return None


def _sets_databases(body: list[ast.stmt]) -> bool:
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Assign) and any(_names_databases(t) for t in node.targets):
                return True
    return False


def _names_databases(target: ast.AST) -> bool:
    while isinstance(target, ast.Subscript):
        target = target.value
    return isinstance(target, ast.Name) and target.id == "DATABASES"


def _kind(body: list[ast.stmt]) -> str:
    """"sqlite", "postgres", "mysql" by the engine the branch names, else "" (a URL: dj_database_url, env.db)."""
    engines = {_engine(node.value) for statement in body for node in ast.walk(statement)
               if isinstance(node, ast.Assign) and any(_names_databases(t) for t in node.targets)}
    engines.discard("")
    return engines.pop() if len(engines) == 1 else ""


def _at(node: ast.AST) -> tuple[int, int, int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", -1), getattr(node, "end_lineno", 0),
            getattr(node, "end_col_offset", -1))


def _expanded_nodes(test: ast.expr, bound: dict[str, ast.expr], depth: int = 0) -> list[ast.AST]:
    """The nodes of `test`, and of the module-level expressions the names it uses are bound to."""
    out = []
    for node in ast.walk(test):
        out.append(node)
        if isinstance(node, ast.Name) and node.id in bound and depth < 3:
            out.extend(_expanded_nodes(bound[node.id], bound, depth + 1))
    return out


def _evaluate(node: ast.AST, bound: dict[str, ast.expr], at: dict, value: str, depth: int) -> object:
    """The value of `node` when the switch's variable is `value`, or _UNKNOWN for what this does not evaluate."""
    if depth > 8:
        return _UNKNOWN
    read = at.get(_at(node))
    if read is not None:
        return _cast(node, value)
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        items = [_evaluate(e, bound, at, value, depth + 1) for e in node.elts]
        return _UNKNOWN if any(i is _UNKNOWN for i in items) else tuple(items)
    if isinstance(node, ast.Name):
        return _evaluate(bound[node.id], bound, at, value, depth + 1) if node.id in bound else _UNKNOWN
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _evaluate(node.operand, bound, at, value, depth + 1)
        return _UNKNOWN if inner is _UNKNOWN else not inner
    if isinstance(node, ast.BoolOp):
        items = [_evaluate(v, bound, at, value, depth + 1) for v in node.values]
        if any(i is _UNKNOWN for i in items):
            return _UNKNOWN
        return all(items) if isinstance(node.op, ast.And) else any(items)
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left = _evaluate(node.left, bound, at, value, depth + 1)
        right = _evaluate(node.comparators[0], bound, at, value, depth + 1)
        if left is _UNKNOWN or right is _UNKNOWN:
            return _UNKNOWN
        op = node.ops[0]
        try:
            if isinstance(op, ast.Eq):
                return left == right
            if isinstance(op, ast.NotEq):
                return left != right
            if isinstance(op, ast.In):
                return left in right
            if isinstance(op, ast.NotIn):
                return left not in right
        except TypeError:
            return _UNKNOWN
        return _UNKNOWN
    if isinstance(node, ast.Call) and not node.keywords:
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("lower", "upper", "strip", "title",
                                                                        "capitalize") and not node.args:
            inner = _evaluate(node.func.value, bound, at, value, depth + 1)
            return getattr(inner, node.func.attr)() if isinstance(inner, str) else _UNKNOWN
        if isinstance(node.func, ast.Name) and len(node.args) == 1:
            inner = _evaluate(node.args[0], bound, at, value, depth + 1)
            if inner is _UNKNOWN:
                return _UNKNOWN
            if node.func.id == "bool":
                return bool(inner)
            if node.func.id in ("strtobool", "str2bool", "to_bool", "as_bool") and isinstance(inner, str):
                return inner.lower() in _TRUE
            if node.func.id == "int":
                try:
                    return int(inner)
                except (TypeError, ValueError):
                    return _UNKNOWN
    return _UNKNOWN


def _cast(node: ast.AST, value: str) -> object:
    """What a read gives for `value`: a boolean for django-environ's env.bool and decouple's cast=bool, else the
    string (os.getenv, os.environ.get, env.str)."""
    if isinstance(node, ast.Call):
        func = node.func
        boolean = (isinstance(func, ast.Attribute) and func.attr == "bool") or any(
            k.arg == "cast" and isinstance(k.value, ast.Name) and k.value.id == "bool" for k in node.keywords)
        if boolean:
            return value.lower() in _TRUE
    return value
