"""The unset environment variables whose test guards the statement an import failed on.

A hackathon back end's parser.py, imported by app.py, sets up its Anthropic client at import:
`api_key = os.environ.get("ANTHROPIC_API_KEY")`, then `if api_key is None: raise Exception("Failed to load the
Anthropic API from flask/parsing/.env file.")`. The error names a file, not the variable; the code around the raise
does: the `if` it sits under tests a name assigned from a read of an unset variable (or tests the read itself).
Those variables are what to set, which the message can then say instead of "fix it in the app's code".
"""

from __future__ import annotations

import ast
from typing import Mapping

from ...project import Project
from ..services import env_reads


def unset_reads_guarding_raise(project: Project, path: str, line: int, env: Mapping[str, str]) -> tuple[str, ...]:
    """The variables read in `path`, not set in `env`, that the `if` around the raise at `line` tests (directly, or
    through a name a read was assigned to); () when the failing statement is no raise under such an `if`."""
    text = project.scan_text(path)
    if not text or not line:
        return ()
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return ()
    guard = _if_around_raise(tree, line)
    if guard is None:
        return ()
    reads = [r for r in env_reads(project) if r.path == path and not env.get(r.name) and not r.default]
    tested = {node.id for node in ast.walk(guard.test) if isinstance(node, ast.Name)}
    test_lines = range(guard.test.lineno, (guard.test.end_lineno or guard.test.lineno) + 1)
    found = [r.name for r in reads if r.line in test_lines]
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if not any(isinstance(t, ast.Name) and t.id in tested for t in targets):
                continue
            lines = range(node.value.lineno, (node.value.end_lineno or node.value.lineno) + 1)
            found += [r.name for r in reads if r.line in lines]
    return tuple(dict.fromkeys(found))


def _if_around_raise(tree: ast.AST, line: int) -> ast.If | None:
    """The innermost `if` whose body holds, as one of its own statements, the raise on `line`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            for statement in node.body:
                if isinstance(statement, ast.Raise) and statement.lineno <= line <= (statement.end_lineno or line):
                    return node
    return None
