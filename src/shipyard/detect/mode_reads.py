"""A required variable whose value the code only compares with words: the app's run mode.

`ENVIRONMENT = os.environ['ENVIRONMENT']` then `if ENVIRONMENT == 'development': DEBUG = True else: DEBUG = False`
(a 2024 password-manager API's settings): unset, the import stops with a KeyError, and the repository's .env that
sets it is gitignored. Nothing in such a variable is a secret: every use of it asks which of the compared words
it is, and a word none of the tests takes runs the code's `else`. Serve and the image run the production tree, so
the variable gets the production word the code compares with, or "production" when it compares with none (the
`else` of a test for "development"); dev gets the development word likewise. Only when every read of it raises
unset and each use, directly or through the module-level name it is assigned to, is such a comparison: a value
passed on (a path, a URL, a name looked up elsewhere) is not the code's to guess.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from ..project import Project
from .ast_nodes import ast_nodes
from .services import EnvRead, env_reads
from .source import parsed

PRODUCTION = ("production", "prod", "live")
DEVELOPMENT = ("development", "dev", "local", "develop")
T = TypeVar("T")


@dataclass(frozen=True)
class ModeValue:
    value: str
    why: str            # "compared with 'development' at Manager/settings.py:14"


def mode_value(project: Project, name: str, mode: str) -> ModeValue | None:
    """The value to give required variable `name` when the code only compares it with string literals (see the
    module's doc), for `mode` (dev: the development word; else the production one); None otherwise."""
    reads = [r for r in env_reads(project) if r.name == name]
    if not reads or not all(r.required and not r.default for r in reads):
        return None
    found = _every_one_compared(reads, lambda read: _compared_words(project, read))
    if found is None:
        return None
    words, where = found
    wanted = DEVELOPMENT if mode == "dev" else PRODUCTION
    value = next((w for w in words if w.strip().lower() in wanted), None)
    if value is None:
        # compared only with other words ("development", "staging"): the first word of its kind is none of
        # them, so the code's `else` runs
        value = wanted[0]
    shown = ", ".join(repr(w) for w in dict.fromkeys(words))
    return ModeValue(value, f"the code only compares it with {shown} ({where})")


def _compared_words(project: Project, read: EnvRead) -> tuple[list[str], str] | None:
    """(the literals the read's value is compared with, "path:line" of a comparison) when every use of the value
    is such a comparison; None otherwise."""
    tree = parsed(project).get(read.path)
    if tree is None:
        return None
    parents = {id(child): node for node in ast_nodes(tree) for child in ast.iter_child_nodes(node)}
    node = next((n for n in ast_nodes(tree) if isinstance(n, ast.expr) and n.lineno == read.line
                 and n.col_offset == read.col and getattr(n, "end_col_offset", None) == read.end_col), None)
    if node is None:
        return None
    words = _literal_compare(node, parents)
    if words is not None:
        return (words, f"{read.path}:{node.lineno}") if words else None
    parent = parents.get(id(node))
    # NAME = <read> at module level, then only compared: every other use of NAME in the file is a comparison
    if not (isinstance(parent, ast.Assign) and parent.value is node and len(parent.targets) == 1
            and isinstance(parent.targets[0], ast.Name) and parents.get(id(parent)) is tree):
        return None
    target = parent.targets[0].id
    uses = [n for n in ast_nodes(tree) if isinstance(n, ast.Name) and n.id == target and isinstance(n.ctx, ast.Load)]
    if not uses or any(isinstance(n, ast.Name) and n.id == target and isinstance(n.ctx, ast.Store)
                       and n is not parent.targets[0] for n in ast_nodes(tree)):
        return None
    return _every_one_compared(uses, lambda use: (words, f"{read.path}:{use.lineno}")
                               if (words := _literal_compare(use, parents)) else None)


def _every_one_compared(items: Iterable[T], compared: Callable[[T], tuple[list[str], str] | None]
                        ) -> tuple[list[str], str] | None:
    """(all the words, the first "path:line") when `compared` finds words for every item; None when one has none."""
    words: list[str] = []
    where = ""
    for item in items:
        found = compared(item)
        if not found:
            return None
        words += found[0]
        where = where or found[1]
    return words, where


def _literal_compare(node: ast.AST, parents: dict[int, ast.AST]) -> list[str] | None:
    """The string literals `node` is compared with (`node == "x"`, `node in ("a", "b")`, `node != "x"`): [] when
    its parent is a comparison with something else, None when its parent is no comparison."""
    parent = parents.get(id(node))
    if not isinstance(parent, ast.Compare):
        return None
    if _picks_settings_module(parent, parents):
        return []           # which settings module: DJANGO_SETTINGS_MODULE decides, and settings_default.py
    if len(parent.ops) != 1 or not isinstance(parent.ops[0], (ast.Eq, ast.NotEq, ast.In, ast.NotIn)):
        return []
    other = parent.comparators[0] if parent.left is node else parent.left
    if isinstance(other, ast.Constant) and isinstance(other.value, str):
        return [other.value]
    if isinstance(other, (ast.Tuple, ast.List, ast.Set)) and other.elts \
            and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in other.elts):
        return [e.value for e in other.elts]
    return []


def _picks_settings_module(compare: ast.Compare, parents: dict[int, ast.AST]) -> bool:
    """Whether the `if` the comparison tests sets DJANGO_SETTINGS_MODULE in a branch (a wsgi.py choosing its
    settings by the mode): serve names the settings module itself, and settings_default.py gives such a variable
    the value that picks the same one, or nothing."""
    test = parents.get(id(compare))
    while isinstance(test, (ast.BoolOp, ast.UnaryOp)):
        test = parents.get(id(test))
    if not isinstance(test, ast.If):
        return False
    return any(isinstance(n, ast.Constant) and n.value == "DJANGO_SETTINGS_MODULE"
               for stmt in (*test.body, *test.orelse) for n in ast_nodes(stmt))
