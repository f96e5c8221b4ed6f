"""A database named only by an env file the repository commits, in the variable the code puts first in a database
URL it builds itself: `.env` says `DB_CONNECTION=postgres` (with DB_HOST, DB_USERNAME...), and the code joins
`connection + "://" + username + ...` (or `f"{settings.db_connection}://..."`). No `postgres://` text is written
anywhere, so neither the driver nor the database service was inferred ("No module named 'asyncpg'").

The value must name a database server (postgres, postgresql, pgsql, mysql, mariadb, with or without a driver:
postgresql+asyncpg), the code must read that variable (os.environ, a settings class's field...), and the code must
build a URL from a scheme it does not write (a value before "://"): then the env file's value is the scheme.
"""

from __future__ import annotations

import ast
import re

from ..project import Project
from .ast_nodes import ast_nodes
from .implied import URL_SCHEMES
from .source import StringHint, parsed

# the names of a server that Laravel-style env files give (`DB_CONNECTION=pgsql`) for the URL schemes SQLAlchemy,
# Tortoise and the drivers take
_SERVER_NAMES = {"pgsql": "postgresql", "psql": "postgresql"}
# a placeholder before "://" in a template: "{}://", "{0}://", "{scheme}://", "%s://"
_TEMPLATE = re.compile(r"^(?:\{\w*\}|%s)://")


def env_scheme_hints(project: Project) -> list[StringHint]:
    """A StringHint for each SQL server an env file's variable names, where the code reads that variable and builds
    a database URL with a scheme it does not write."""
    if not any(_builds_url_scheme(tree) for tree in parsed(project).values()):
        return []
    from .redis_uses import env_file_sources      # it builds on source.py, which calls this
    from .services import env_reads
    read = {r.name.upper() for r in env_reads(project)}
    out = []
    for name, (value, rel) in env_file_sources(project).items():
        scheme = _SERVER_NAMES.get(value.strip().lower(), value.strip().lower())
        service, driver = URL_SCHEMES.get(scheme, (None, ""))
        if service not in ("postgres", "mysql") or name.upper() not in read:
            continue
        out.append(StringHint(service, driver, f"{scheme}:// URL the code builds with the scheme {name} gives "
                                               f"({name}={value} in {rel})", scheme, rel))
    return out


def _builds_url_scheme(tree: ast.AST) -> bool:
    """Whether the module builds a URL whose scheme is a value, not text: f"{x}://...", x + "://" + ...,
    "{}://...".format(x), "%s://..." % (x, ...)."""
    for node in ast_nodes(tree):
        if isinstance(node, ast.JoinedStr):
            for before, after in zip(node.values, node.values[1:]):
                if isinstance(before, ast.FormattedValue) and _starts_url(after):
                    return True
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and _starts_url(node.right) \
                and not _is_text(node.left):
            return True
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _TEMPLATE.match(node.value):
            return True
    return False


def _starts_url(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("://")


def _is_text(node: ast.AST) -> bool:
    """A string written in the code, or text joined to one at its end ("postgres" + "://" is written text)."""
    if isinstance(node, ast.Constant):
        return True
    return isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and _is_text(node.right)
