"""SERVER_NAME written in the app's code as a literal (`SERVER_NAME = 'localhost:5000'` in a config class,
`app.config['SERVER_NAME'] = ...`). Flask before 3.1 (and Quart) match it against every request's Host and
answer 404 to any other host and port, so an app that pins its development address answers 404 on every page
where `serve` and `dev` answer (127.0.0.1:PORT), with nothing in its log. The variable of that name, read from
the environment, gets the address they answer at (appconfig.SERVED_HOST_NAMES); a literal is the app's own, so
it is said before the app starts, with where it is written."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ..project import Project
from .ast_nodes import ast_nodes
from .source import imports_top, is_str, parsed

NAME = "SERVER_NAME"


@dataclass(frozen=True)
class WrittenServerName:
    rel: str
    line: int
    value: str


def written(project: Project) -> list[WrittenServerName]:
    """Each string literal the app's files assign to SERVER_NAME (a name in a class or module, a config key), in a
    Flask or Quart app (Sanic's SERVER_NAME builds URLs only). Not one in a module's `if __name__ == "__main__":`
    block, the development server's address: a production server imports the module without running it."""
    if not (imports_top(project, "flask") or imports_top(project, "quart")):
        return []
    found = []
    for rel, tree in sorted(parsed(project).items()):
        development = {id(sub) for node in tree.body if _is_main_guard(node) for sub in ast_nodes(node)}
        for node in ast_nodes(tree):
            if id(node) in development:
                continue
            if isinstance(node, ast.Assign) and is_str(node.value) and any(_names_it(t) for t in node.targets):
                found.append(WrittenServerName(rel, node.lineno, node.value.value))
            elif isinstance(node, ast.Dict):
                found += [WrittenServerName(rel, value.lineno, value.value) for key, value in zip(node.keys, node.values)
                          if key is not None and is_str(key) and key.value == NAME and is_str(value)]
    return found


def note(found: list[WrittenServerName], served_at: str, mode: str) -> str | None:
    """A warning when a written SERVER_NAME is not the address `mode` answers at."""
    other = [w for w in found if w.value != served_at]
    if not other:
        return None
    where = ", ".join(f"{w.rel}:{w.line} ({w.value!r})" for w in other[:3]) + (" ..." if len(other) > 3 else "")
    return (f"warning: the code writes {NAME} {where}: Flask before 3.1 answers 404 to a request for any other "
            f"host and port, and {mode} answers at {served_at}; read it from the environment "
            f"(os.environ.get('{NAME}'), which {mode} sets to that address) or set it to the host you serve under")


def _is_main_guard(node: ast.stmt) -> bool:
    """`if __name__ == "__main__":` (either way round)."""
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    parts = [node.test.left, *node.test.comparators]
    return any(isinstance(p, ast.Name) and p.id == "__name__" for p in parts) \
        and any(isinstance(p, ast.Constant) and p.value == "__main__" for p in parts)


def _names_it(target: ast.expr) -> bool:
    if isinstance(target, ast.Name):
        return target.id == NAME
    if isinstance(target, ast.Subscript):
        return is_str(target.slice) and target.slice.value == NAME      # app.config['SERVER_NAME'] = ...
    return False
