"""The script that gives Flask-Migrate the app, when the served entry does not.

Flask-Script era apps (2014-2018) serve `main:app` (what the Procfile names) and wire Flask-Migrate only in
manage.py: `migrate = Migrate(app, db); manager.add_command('db', MigrateCommand)`, run as `python manage.py db
upgrade`. `flask db upgrade` with FLASK_APP=main:app then stops at KeyError: 'migrate' (the app never met
Migrate). The release must load the app from that script: FLASK_APP=manage:app, which the `flask` CLI reads since
Flask 0.11, as Flask-Migrate 2's `flask db` does.
"""

from __future__ import annotations

import ast
from pathlib import PurePosixPath

from ..project import Project, is_decoy_dir
from .ast_nodes import ast_nodes
from .source import parsed


def flask_app(project: Project, workdir: str, entry_module: str) -> str | None:
    """`module:app` of the script (relative to `workdir`) that calls Migrate(app, ...) at module level with the
    app, when that script is not the entry and no module of the project imports it; else None."""
    trees = parsed(project)
    for rel, tree in sorted(trees.items()):
        path = PurePosixPath(rel)
        if any(is_decoy_dir(p) for p in path.parts[:-1]) or not _inside(path, workdir):
            continue
        app = _migrate_given(tree)
        module = _module(path, workdir)
        if app is None or module == entry_module or _imported(trees, module):
            continue
        return f"{module}:{app}"
    return None


def _migrate_given(tree: ast.Module) -> str | None:
    """The name of the app a module-level `Migrate(app, db)` (or `flask_migrate.Migrate(app, db)`) is given."""
    imported = any(isinstance(n, ast.ImportFrom) and n.module == "flask_migrate"
                   and any(a.name == "Migrate" for a in n.names) for n in tree.body) \
        or any(isinstance(n, ast.Import) and any(a.name == "flask_migrate" for a in n.names) for n in tree.body)
    if not imported:
        return None
    for node in tree.body:
        value = node.value if isinstance(node, (ast.Assign, ast.Expr)) else None
        if not isinstance(value, ast.Call) or not value.args or not isinstance(value.args[0], ast.Name):
            continue
        func = value.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name == "Migrate":
            return value.args[0].id
    return None


def _inside(path: PurePosixPath, workdir: str) -> bool:
    return workdir in ("", ".") or PurePosixPath(workdir) in path.parents


def _module(path: PurePosixPath, workdir: str) -> str:
    rel = path.relative_to(workdir) if workdir not in ("", ".") else path
    parts = list(rel.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imported(trees: dict[str, ast.Module], module: str) -> bool:
    """Some module of the project imports `module` (`import manage`, `from manage import x`)."""
    for tree in trees.values():
        for node in ast_nodes(tree):
            if isinstance(node, ast.Import) and any(a.name == module or a.name.startswith(module + ".")
                                                    for a in node.names):
                return True
            if isinstance(node, ast.ImportFrom) and not node.level and node.module \
                    and (node.module == module or node.module.startswith(module + ".")):
                return True
    return False
