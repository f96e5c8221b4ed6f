"""The environment variables an app's code puts into its framework's secret key under a name of its own:
`SECRET_KEY = os.environ.get("SIMPYINVOICE_SECRET_KEY")` in a config class, `app.config["SECRET_KEY"] =
os.getenv("APP_SECRET")`, `app.secret_key = os.environ["COOKIE_KEY"]`, `config.update(SECRET_KEY=...)`, and a
settings class's required field `SECRET_KEY: str` (pydantic's BaseSettings reads it from SECRET_KEY).

The key signs the app's own sessions and CSRF tokens (Flask's, Quart's, Django's SECRET_KEY), so any random
value works, as for SECRET_KEY itself (appconfig.py); unset, Flask-WTF's forms and sessions fail on every request.
A third party's credential (STRIPE_SECRET_KEY) never goes into that setting, so is never taken for it.

The framework's own names (SECRET_KEY, DJANGO_SECRET_KEY, FLASK_SECRET_KEY) read with no default are the app's key
wherever the value goes: a settings field of another name (`JWT_KEY: str = os.getenv("SECRET_KEY")`, a misspelt
field), a module constant a JWT helper signs with. serve and the proof give those a throwaway already
(appconfig.SECRET_NAMES); the stack's secrets file and Kubernetes' secret take the same list from here.
"""

from __future__ import annotations

import ast

from ..project import Project
from .ast_nodes import ast_nodes
from .services import env_reads
from .source import parsed

SETTINGS = frozenset({"SECRET_KEY", "secret_key"})
# the variables that are the app's signing key by their name alone (as appconfig.SECRET_NAMES)
KEY_NAMES = frozenset({"SECRET_KEY", "DJANGO_SECRET_KEY", "FLASK_SECRET_KEY"})


def secret_key_variables(project: Project) -> frozenset[str]:
    """Names of the variables read, with no default, into the framework's secret key setting."""
    reads = [r for r in env_reads(project) if not r.default]
    out: set[str] = {r.name for r in reads if r.name in KEY_NAMES}
    for rel, tree in parsed(project).items():
        in_file = [r for r in reads if r.path == rel]
        if not in_file:
            continue
        for value in _secret_values(tree):
            first, last = value.lineno, value.end_lineno or value.lineno
            out.update(r.name for r in in_file if first <= r.line and r.end_line <= last)
    return frozenset(out)


def _secret_values(tree: ast.AST):
    """The expressions assigned to SECRET_KEY (a name, an attribute, a config item) or given as its keyword."""
    for node in ast_nodes(tree):
        if isinstance(node, ast.AnnAssign) and node.value is None and _names_setting(node.target):
            # a settings class's required field (`SECRET_KEY: str` in a pydantic BaseSettings): the field is the
            # read of its own name (env_reads has it on this line), so the node itself spans it
            yield node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_names_setting(t) for t in targets):
                yield node.value
        elif isinstance(node, ast.Call):
            yield from (k.value for k in node.keywords if k.arg in SETTINGS)


def _names_setting(target: ast.AST) -> bool:
    if isinstance(target, ast.Name):
        return target.id in SETTINGS
    if isinstance(target, ast.Attribute):
        return target.attr in SETTINGS
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
        return target.slice.value in SETTINGS
    return False
