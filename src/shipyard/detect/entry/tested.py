"""Of several apps, the one the project's own tests import: a FastAPI proof of concept keeps main.py beside
main_hello.py and main_aio.py (earlier steps, each with an app of its own) and five keycloak demos, and its
tests/test_main.py does `from myapp.main import app`: the app under test is the one the project serves."""

from __future__ import annotations

import ast

from .graph import MAX_SOURCE_BYTES, Analysis, is_test_code
from .model import AppDef, Candidate
from ..ast_nodes import ast_nodes


def tested_apps(analysis: Analysis, pool: list[AppDef], by_app: dict[AppDef, list[Candidate]]) -> list[AppDef]:
    """The one app of `pool` that test modules import by a name of theirs; `pool` as it is when none or several."""
    imported = _test_imports(analysis)
    if not imported:
        return pool
    hits = [app for app in pool if any(_imported_by(c, imported) for c in by_app[app])]
    return hits if len(hits) == 1 else pool


def _test_imports(analysis: Analysis) -> set[tuple[str, str]]:
    """(module, name) of every absolute import in the project's test files; (module, "") for `import module`. Read
    here, not from the analysis, which keeps only the test files that mention a framework."""
    imported: set[tuple[str, str]] = set()
    project = analysis.project
    for path in project.python_files:
        if not is_test_code(path):
            continue
        try:
            if project.path(path).stat().st_size > MAX_SOURCE_BYTES:
                continue
            text = project.scan_text(path)
            tree = ast.parse(text or "")
        except (OSError, SyntaxError, ValueError, RecursionError):
            continue
        for node in ast_nodes(tree):
            if isinstance(node, ast.ImportFrom) and not node.level and node.module:
                imported.update((node.module, alias.name) for alias in node.names)
            elif isinstance(node, ast.Import):
                imported.update((alias.name, "") for alias in node.names)
    return imported


def _imported_by(c: Candidate, imported: set[tuple[str, str]]) -> bool:
    # `from myapp.main import app`, `from app import create_app` (the factory's name), `import myapp.main`
    name = c.attr.split("(")[0].split(".")[0]
    return (c.module.name, name) in imported or (c.module.name, "") in imported
