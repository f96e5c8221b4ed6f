"""The value that turns an app's debug variable off, as the app's own reads of it understand "off".

Shipyard runs the production tree with debug off. "0" is off for bool(int(x)), strtobool, django-environ,
decouple and `x == "1"`; but an app that defaults it on (`config("DEBUG", default=True, cast=bool)`,
`os.environ.get("DEBUG", "True") == "True"`) stays on when nothing is set, and an app that compares it with
the one spelling it takes as off (`DEBUG = os.getenv("DJANGO_DEBUG") != "FALSE"`) reads "0" as on. Each read
says how it is turned off: the compared literal for `!=`/`not in`, the default's own negation ("True" ->
"False", "1" -> "0", True -> "False") for a default that is on.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ..project import Project
from .ast_nodes import ast_nodes
from .services import EnvRead, default_of, env_reads
from .source import parsed

# the on spellings a default may use, and their off in the same family
_NEGATED = {"true": "false", "1": "0", "yes": "no", "on": "off", "y": "n", "t": "f"}
_OFF = frozenset({"", "0", "false", "no", "off", "n", "f", "none"})
# calls that keep the value's spelling but for case and blanks: os.getenv("X").lower() == "true"
_CASE_CALLS = frozenset({"lower", "upper", "casefold", "strip", "title", "capitalize"})


@dataclass(frozen=True)
class DebugOff:
    value: str          # what to set the variable to
    why: str            # the read that asks for it, "path:line"


def debug_off(project: Project, name: str) -> DebugOff | None:
    """The value of debug variable `name` that turns it off for every read of it in the app, when one of
    them needs it set (it compares the value, or defaults it on); None when leaving it unset keeps debug
    off (every read defaults it off) or no read says what off is."""
    reads = [r for r in env_reads(project) if r.name == name]
    wanted: list[tuple[str, EnvRead]] = []
    for read in reads:
        off = _read_off(project, read)
        if off is not None:
            wanted.append((off, read))
    if not wanted:
        return None
    value, read = wanted[0]
    return DebugOff(value, f"{read.path}:{read.line}")


def _read_off(project: Project, read: EnvRead) -> str | None:
    """The off value this read asks for, or None when it needs nothing (unset is off for it)."""
    node, parents = _located(project, read)
    if node is None:
        return None
    default = default_of(node)
    given = default.value if isinstance(default, ast.Constant) else None
    parent = parents.get(id(node))
    if isinstance(parent, ast.Call) and getattr(parent.func, "id", "") == "bool" and parent.args == [node]:
        # bool(os.environ.get("DEBUG", "True")): every value but the empty one is on
        return "" if given else None
    compared = _compared(node, parents, given)
    if compared is not None:
        return compared or None
    if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is node and _raw_string(node):
        # DEBUG = os.environ["DJANGO_DEBUG"]: the string itself is the flag, and "0" or "False" is a true one
        return ""
    return _negation(given)


def assigned_as_text(project: Project, read: EnvRead, setting: str) -> bool:
    """Whether the read's string goes as it is into `setting` (`CSRF_TRUSTED_ORIGINS = config("X")`, no cast, no
    split): Django then iterates the text's letters, and only the empty text is its default (no entries)."""
    node, parents = _located(project, read)
    parent = parents.get(id(node)) if node is not None else None
    return isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is node and _raw_string(node) \
        and any(isinstance(t, ast.Name) and t.id == setting
                for t in (parent.targets if isinstance(parent, ast.Assign) else [parent.target]))


def _located(project: Project, read: EnvRead) -> tuple[ast.AST | None, dict[int, ast.AST]]:
    """The expression of the read in its file, and the file's child -> parent map."""
    tree = parsed(project).get(read.path)
    if tree is None:
        return None, {}
    parents = {id(child): node for node in ast_nodes(tree) for child in ast.iter_child_nodes(node)}
    for node in ast_nodes(tree):
        if isinstance(node, ast.expr) and node.lineno == read.line and node.col_offset == read.col \
                and getattr(node, "end_col_offset", None) == read.end_col:
            return node, parents
    return None, parents


def _compared(node: ast.AST, parents: dict[int, ast.AST], default: object) -> str | None:
    """For a read compared with string literals (`read != "FALSE"`, `read.lower() in ("1", "true")`): the
    value that makes the comparison say off, "" when unset is off already (`os.getenv("DEBUG", "False") ==
    "True"`); None when it is not compared that way."""
    parent = parents.get(id(node))
    folded = False
    # os.getenv("X", "").lower(): the comparison is on the folded value
    while isinstance(parent, ast.Attribute) and parent.attr in _CASE_CALLS \
            and isinstance(call := parents.get(id(parent)), ast.Call) and call.func is parent:
        folded, node, parent = True, call, parents.get(id(call))
    if not (isinstance(parent, ast.Compare) and len(parent.ops) == 1):
        return None
    other = parent.comparators[0] if parent.left is node else parent.left
    literals = _literals(other)
    if not literals:
        return None
    op = parent.ops[0]
    if _inverted(parent, parents):
        # `False if read == "False" else True`, `not read == "1"`: the comparison holding means off
        if isinstance(op, (ast.Eq, ast.Is, ast.In)):
            taken = {t.lower() for t in literals} if folded else set(literals)
            unset_off = isinstance(default, str) and (default.lower() if folded else default) in taken
            return "" if unset_off else literals[0]
        op = ast.Eq() if isinstance(op, (ast.NotEq, ast.IsNot)) else ast.In() if isinstance(op, ast.NotIn) else op
    if isinstance(op, (ast.NotEq, ast.IsNot, ast.NotIn)):
        return literals[0]                                  # on unless it is exactly this
    if isinstance(op, (ast.Eq, ast.Is, ast.In)):
        taken = {t.lower() for t in literals} if folded else set(literals)
        if not isinstance(default, str) or (default.lower() if folded else default) not in taken:
            return ""                                       # its default (or None) is not one of them: off
        return next(v for v in ("0", "false", "False", "no", "off") if (v.lower() if folded else v) not in taken)
    return None


def _inverted(compare: ast.Compare, parents: dict[int, ast.AST]) -> bool:
    """Whether the comparison's truth turns debug off: negated (`not read == "1"`), or the test of a conditional
    expression that gives a false constant when it holds and a true one otherwise (`False if ... else True`)."""
    parent = parents.get(id(compare))
    if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
        return True
    return isinstance(parent, ast.IfExp) and parent.test is compare \
        and isinstance(parent.body, ast.Constant) and not parent.body.value \
        and isinstance(parent.orelse, ast.Constant) and bool(parent.orelse.value)


def _literals(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


def _raw_string(node: ast.AST) -> bool:
    """os.environ["X"], os.environ.get("X"), os.getenv("X"), and python-decouple's or Starlette's `config("X")`
    with no cast and no default: the variable's string as it is (not a reader that casts it, config("X",
    cast=bool), env.bool("X")). A Nav_LBMS-style `DEBUG = config('DEBUG')` took serve's "0" as debug on."""
    if isinstance(node, ast.Subscript):
        return True
    if isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords \
            and (getattr(node.func, "id", "") == "config" or getattr(node.func, "attr", "") == "config"):
        return True
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
        and node.func.attr in ("get", "getenv") and not node.keywords \
        and (getattr(node.func.value, "id", "") in ("os", "environ") or getattr(node.func.value, "attr", "") == "environ")


def _negation(default: object) -> str | None:
    """The off spelling in the family of an on default ("True" -> "False", "1" -> "0", True -> "False");
    None for a default that is off already, or not a flag."""
    if isinstance(default, bool):
        return "False" if default else None
    if isinstance(default, int):
        return "0" if default else None
    if not isinstance(default, str) or default.strip().lower() in _OFF:
        return None
    text = default.strip()
    off = _NEGATED.get(text.lower())
    if off is None:
        return None
    if text.isupper():
        return off.upper()
    return off.capitalize() if text[:1].isupper() else off
