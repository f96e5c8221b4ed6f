"""The unit an app's code counts a token lifetime in, where the setting's name gives none.

`ACCESS_EXPIRE_TIME = int(os.getenv("ACCESS_EXPIRE_TIME"))` says it is a lifetime but not in what; the code that
uses it does: `timedelta(minutes=expires_delta)`. The value reaches timedelta through attributes and parameters
(settings.X -> self.x -> a function's argument), which no static reading follows far, so this asks the project as a
whole: when every timedelta the code builds from a computed value (not a constant) takes one unit, that is the unit.
"""

from __future__ import annotations

import ast
import weakref

from ..project import Project
from .ast_nodes import ast_nodes
from .source import parsed

UNITS = ("weeks", "days", "hours", "minutes", "seconds")
_UNIT: "weakref.WeakKeyDictionary[Project, tuple[str | None]]" = weakref.WeakKeyDictionary()


def computed_timedelta_unit(project: Project) -> str | None:
    """The one keyword unit of every timedelta(unit=<not a constant>) in the app's code; None when there are
    none, or several units. Scanned once per Project (the run configuration asks for each required name)."""
    if project not in _UNIT:
        _UNIT[project] = (_scan(project),)
    return _UNIT[project][0]


def _scan(project: Project) -> str | None:
    units: set[str] = set()
    for tree in parsed(project).values():
        for node in ast_nodes(tree):
            if not (isinstance(node, ast.Call) and _is_timedelta(node.func)):
                continue
            units |= {k.arg for k in node.keywords
                      if k.arg in UNITS and not isinstance(k.value, ast.Constant)}
    return units.pop() if len(units) == 1 else None


def _is_timedelta(func: ast.AST) -> bool:
    return (isinstance(func, ast.Name) and func.id == "timedelta") or \
        (isinstance(func, ast.Attribute) and func.attr == "timedelta")
