"""The locales an app sets by name in its code: `locale.setlocale(locale.LC_ALL, "en_US.UTF-8")` at import (a
calendar's month names) raises locale.Error on a machine that has not generated that locale, before any page
answers. Only names written in the code; `""` (the user's own) and "C"/"POSIX" need nothing."""

from __future__ import annotations

import ast
import re

from ..project import Project
from .ast_nodes import ast_nodes
from .source import parsed

# language_TERRITORY, an optional charset and modifier: en_US.UTF-8, de_DE.utf8, sr_RS@latin
NAME = re.compile(r"^(?P<base>[a-z]{2,3}_[A-Z]{2})(?:\.(?P<charset>[\w-]+))?(?P<modifier>@\w+)?$")


def set_locales(project: Project) -> tuple[str, ...]:
    """Every locale name a `setlocale` call of the app's code passes as a string, once each, in file order."""
    out: list[str] = []
    for tree in parsed(project).values():
        for node in ast_nodes(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name != "setlocale":
                continue
            args = [*node.args[1:2], *(k.value for k in node.keywords if k.arg == "locale")]
            for arg in args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and NAME.match(arg.value) \
                        and arg.value not in out:
                    out.append(arg.value)
    return tuple(out)
