"""The app's Python source, read with ast: route paths, development-server starts, debug switches."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from ...detect import frameworks as fw

# Calls whose first string argument is a route path (Flask, Bottle, FastAPI, Starlette, Falcon, Pyramid's
# second argument, Flask-RESTful's add_resource after the resource).
_ROUTE_CALLS = {"route", "get", "post", "put", "delete", "patch", "head", "options", "api_route",
                "add_url_rule", "add_route", "add_api_route", "websocket", "add_websocket_route",
                "add_resource", "resource"}
_DJANGO_CALLS = {"path", "re_path", "url"}
_PREFIX_KEYWORDS = {"url_prefix", "prefix"}
_SERVER_FUNC_NAMES = {name.rsplit(".", 1)[-1] for name in fw.SERVER_FUNCS} - {"run", "serve"} | {"run_simple"}
_TRUE_WORDS = {"1", "true", "yes", "on", "y", "t"}


@dataclass(frozen=True)
class ServerStart:
    line: int
    text: str                       # "app.run(debug=True)"
    debug: bool                     # debug switched on in the call
    host: str                       # host= argument, "" when not given
    guarded: bool                   # inside `if __name__ == "__main__":`


@dataclass(frozen=True)
class DebugSwitch:
    line: int
    text: str                       # "DEBUG = True", "app.debug = True"


@dataclass
class Module:
    path: str
    routes: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    regexes: list[str] = field(default_factory=list)   # Django re_path/url patterns
    starts: list[ServerStart] = field(default_factory=list)
    debug: list[DebugSwitch] = field(default_factory=list)


def is_true(node: ast.AST | None) -> bool:
    if isinstance(node, ast.Constant):
        value = node.value
        return value is True or (isinstance(value, str) and value.strip().lower() in _TRUE_WORDS) \
            or (isinstance(value, int) and not isinstance(value, bool) and value != 0)
    return False


def _env_default_true(node: ast.AST) -> bool:
    """os.environ.get("DEBUG", True) / os.getenv("DEBUG", "1"): on unless the environment says otherwise."""
    for call in ast.walk(node):
        if isinstance(call, ast.Call) and len(call.args) >= 2:
            name = ast.unparse(call.func)
            if name.endswith(("environ.get", "getenv", "env.bool", "config")) and is_true(call.args[1]):
                return True
        if isinstance(call, ast.Call):
            for kw in call.keywords:
                if kw.arg == "default" and is_true(kw.value):
                    return True
    return False


def _guard(node: ast.If) -> bool:
    text = ast.unparse(node.test).replace("'", '"')
    return "__name__" in text and '"__main__"' in text


def read(path: str, text: str) -> Module:
    mod = Module(path)
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return mod
    guarded = [(node.lineno, node.end_lineno or node.lineno) for node in tree.body
               if isinstance(node, ast.If) and _guard(node)]
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            _call(mod, node, any(start <= node.lineno <= end for start, end in guarded))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            _assign(mod, node)
    for node in tree.body:       # class-level DEBUG = True in a production-looking config class
        if isinstance(node, ast.ClassDef) and re.search(r"prod|^(base)?config$", node.name, re.I):
            for item in node.body:
                if isinstance(item, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "DEBUG"
                                                        for t in item.targets):
                    if is_true(item.value) or _env_default_true(item.value):
                        mod.debug.append(DebugSwitch(item.lineno, f"{node.name}.{ast.unparse(item)}"))
    return mod


def _call(mod: Module, node: ast.Call, guarded: bool) -> None:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    strings = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if name in _ROUTE_CALLS:
        mod.routes.extend(s for s in strings if s.startswith("/") or s == "")
    if name in _DJANGO_CALLS and strings:
        if name == "path":
            mod.routes.append("/" + strings[0])
        else:
            mod.regexes.append(strings[0])
        if any(isinstance(a, ast.Call) and ast.unparse(a.func).endswith("include") for a in node.args[1:]):
            mod.prefixes.append("/" + strings[0].lstrip("^").rstrip("$"))
    for kw in node.keywords:
        if kw.arg in _PREFIX_KEYWORDS and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
            mod.prefixes.append(kw.value.value)
    is_start = (isinstance(func, ast.Attribute) and name in fw.APP_SERVER_METHODS) or name in _SERVER_FUNC_NAMES \
        or name in fw.SERVE_METHODS
    if is_start:
        kwargs = {kw.arg: kw.value for kw in node.keywords}
        host = kwargs.get("host")
        mod.starts.append(ServerStart(node.lineno, ast.unparse(node)[:80], is_true(kwargs.get("debug")),
                                      host.value if isinstance(host, ast.Constant) and isinstance(host.value, str)
                                      else "", guarded))
    if name == "update" and isinstance(func, ast.Attribute) and ast.unparse(func.value).endswith("config"):
        for kw in node.keywords:
            if kw.arg == "DEBUG" and is_true(kw.value):
                mod.debug.append(DebugSwitch(node.lineno, ast.unparse(node)[:80]))


def _assign(mod: Module, node: ast.Assign | ast.AnnAssign) -> None:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    if node.value is None or node.col_offset != 0:
        return
    for target in targets:
        text = ast.unparse(target).replace("'", '"')
        if text in ("DEBUG", "app.debug") or text.endswith(('.debug', 'config["DEBUG"]')):
            if is_true(node.value) or _env_default_true(node.value):
                mod.debug.append(DebugSwitch(node.lineno, ast.unparse(node)[:80]))


def path_matches(path: str, pattern: str) -> bool:
    """Does a route pattern (Flask <x>, FastAPI/Falcon {x}, Bottle :x) match a concrete path?"""
    def norm(p: str) -> str:
        return "/" + p.strip("/")
    regex = re.escape(norm(pattern))
    regex = re.sub(r"\\<(?:[^:>]*:)?path\\>|\\{[^}]*:path\\}", ".+", regex)
    regex = re.sub(r"\\<[^>]*\\>|\\{[^}]*\\}|:\w+", "[^/]+", regex)
    return re.fullmatch(regex, norm(path.split("?")[0])) is not None
