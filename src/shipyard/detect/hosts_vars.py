"""The environment variables an app's code puts into the hosts it accepts, whatever their names: Django's
ALLOWED_HOSTS, and the `allowed_hosts=` of Starlette's and FastAPI's TrustedHostMiddleware and of Litestar's
app or AllowedHostsConfig, which answer 400 (Invalid host header) to any other Host as Django does.

django CMS's quickstart writes `ALLOWED_HOSTS = [os.environ.get('DOMAIN')]` and widens it to '*' only in debug
mode; others write `env.list("HOSTS")`, `os.environ["SITE_HOSTS"].split(",")`, `config("HOSTS", cast=Csv())`,
or read the variable into a name first (`DOMAIN = os.getenv("DOMAIN")`, `ALLOWED_HOSTS = [DOMAIN]`) or append
it (`ALLOWED_HOSTS.append(os.environ["HOST"])`). Left unset, every request answers 400 (Bad Request) outside
debug mode, so serve and dev give such a variable the host names they answer at (appconfig.py), and the
stacks their own (render/).

A URL (SITE_URL, whose host the code takes with urlparse) is not a host name: a variable named *_URL/*_URI or
whose default is a URL is left out.

A variable the code also tests (`if "WEBSITE_HOSTNAME" in os.environ:`, `a if os.getenv("X") else b`) is a
switch as well: setting it would choose another configuration (Azure's production settings), so it is left out.
A test inside the hosts' own expression is not (`ALLOWED_HOSTS = [os.environ['WEBSITE_HOSTNAME']] if
'WEBSITE_HOSTNAME' in os.environ else []` in the production settings a settings package already chose, where
`CSRF_TRUSTED_ORIGINS = ['https://' + os.environ['WEBSITE_HOSTNAME']]` needs it set).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ..project import Project
from . import env_spans
from .ast_nodes import ast_nodes
from .services import env_reads
from .source import parsed

SETTING = "ALLOWED_HOSTS"
KEYWORD = "allowed_hosts"      # TrustedHostMiddleware(app, allowed_hosts=[...]), Litestar(allowed_hosts=[...])
# read by name as the list itself (the Django convention), whatever the settings module does with it
HOSTS_NAMES = frozenset({"ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS"})


@dataclass(frozen=True)
class HostsVariable:
    name: str
    separator: str | None      # how the code splits it into a list (",", " "); None: it holds one host
    setting: str = SETTING     # where it goes: ALLOWED_HOSTS, or a call's allowed_hosts= (KEYWORD)


def hosts_variables(project: Project) -> tuple[HostsVariable, ...]:
    """The variables the code reads into ALLOWED_HOSTS or an `allowed_hosts=` (or reads under a name that says it
    is that list), by name."""
    reads = env_reads(project)
    trees = parsed(project)
    values_of = {rel: _hosts_values(tree) for rel, tree in trees.items()}
    # a test inside the hosts' own expression (`[os.environ["WEBSITE_HOSTNAME"]] if "WEBSITE_HOSTNAME" in
    # os.environ else []`) only guards that read: it chooses no other configuration
    own = {rel: [env_spans.Span.of(v) for found in values.values() for v in found]
           for rel, values in values_of.items()}
    switches = {r.name for r in reads if r.tested and not any(s.holds(r) for s in own.get(r.path, ()))}
    found: dict[str, tuple[str | None, str]] = {}
    for name in sorted({r.name for r in reads} & HOSTS_NAMES):
        found[name] = (next((r.separator for r in reads if r.name == name and r.separator is not None), ","),
                       SETTING)
    for rel, tree in sorted(trees.items()):
        for setting, values in values_of[rel].items():
            spans = env_spans.spans(values, env_spans.assignments(tree))
            for read in reads:
                if read.path != rel or read.name in switches or read.name in found or _url(read):
                    continue
                span = next((s for s in spans if s.holds(read)), None)
                if span is not None:
                    found[read.name] = (read.separator if read.separator is not None else span.separator, setting)
            # a name imported from another module of the project (`from config.settings import HOSTS_CONF`,
            # `ALLOWED_HOSTS = HOSTS_CONF`): the reads of that module's assignment of it, tested or not only there
            for other, span in _imported_spans(tree, values, trees):
                for read in reads:
                    if read.path != other or read.name in found or _url(read) or not span.holds(read):
                        continue
                    if read.name in switches and not all(span.holds(r) for r in reads
                                                         if r.name == read.name and r.tested):
                        continue
                    found[read.name] = (read.separator if read.separator is not None else span.separator, setting)
    return tuple(HostsVariable(n, s, where) for n, (s, where) in sorted(found.items()))


def _imported_spans(tree: ast.Module, values: list[ast.AST], trees: dict) -> list[tuple[str, env_spans.Span]]:
    """(the module's path, the span of its assignment of the name) for each bare name in `values` that the module
    imports from another module of the project by an absolute `from a.b import NAME`."""
    imported: dict[str, tuple[str, str]] = {}
    for node in ast_nodes(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                imported[alias.asname or alias.name] = (node.module, alias.name)
    out = []
    for value in values:
        for inner in ast_nodes(value):
            if not isinstance(inner, ast.Name) or inner.id not in imported:
                continue
            module, name = imported[inner.id]
            base = module.replace(".", "/")
            for other in (f"{base}.py", f"{base}/__init__.py"):
                if other in trees:
                    source = env_spans.assignments(trees[other]).get(name)
                    if source is not None:
                        out.append((other, env_spans.Span.of(source)))
                    break
    return out


def _url(read) -> bool:
    return read.name.upper().endswith(("_URL", "_URI")) or "://" in (read.default_text or "")


def _hosts_values(tree: ast.Module) -> dict[str, list[ast.AST]]:
    """{SETTING: each expression that becomes ALLOWED_HOSTS (`=`, `+=`) or an item of it (`.append`, `.extend`,
    `.insert`); KEYWORD: each one given as a call's `allowed_hosts=` (`Middleware(TrustedHostMiddleware,
    allowed_hosts=[URL])`)}, the kinds it has."""
    values: dict[str, list[ast.AST]] = {}
    for node in ast_nodes(tree):
        if isinstance(node, ast.Call):
            values.setdefault(KEYWORD, []).extend(k.value for k in node.keywords if k.arg == KEYWORD)
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == SETTING for t in targets):
                values.setdefault(SETTING, []).append(node.value)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("append", "extend", "insert") \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == SETTING:
            values.setdefault(SETTING, []).extend(node.args[-1:])
    return {setting: found for setting, found in values.items() if found}
