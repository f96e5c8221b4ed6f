"""Import errors that only an older Python raises: the app's code is written for a newer one than the plan chose
(`str | None` in a signature on 3.9: "unsupported operand type(s) for |"; `list[str]` on 3.8: "'type' object is
not subscriptable"; `from typing import Self` before 3.11; an annotation naming what the module imports only under
`if TYPE_CHECKING:`, which Python 3.14 evaluates lazily and older ones at `def`: "name 'X' is not defined"). No
install of packages helps, only that Python: the import proof's error names it (detect/entry/proof.py).
"""

from __future__ import annotations

import ast
import re
import subprocess
from .ast_nodes import ast_nodes

# (pattern of the error's message, the Python that has it, what the code uses)
_MESSAGES: tuple[tuple[re.Pattern[str], tuple[int, int], str], ...] = (
    (re.compile(r"unsupported operand type\(s\) for \|: '(?:type|NoneType|typing\.\w+|_\w+|GenericAlias|"
                r"\w*Meta\w*)' and '"), (3, 10), "`X | Y` type unions"),
    (re.compile(r"'type' object is not subscriptable"), (3, 9), "built-in generics such as list[str]"),
    (re.compile(r"cannot import name 'UTC' from 'datetime'"), (3, 11), "datetime.UTC"),
    (re.compile(r"cannot import name 'StrEnum' from 'enum'"), (3, 11), "enum.StrEnum"),
    (re.compile(r"module 'asyncio' has no attribute '(?:TaskGroup|timeout|Runner)'"), (3, 11),
     "asyncio's TaskGroup, timeout or Runner"),
    (re.compile(r"module 'asyncio' has no attribute 'to_thread'"), (3, 9), "asyncio.to_thread"),
)
# typing's names by the Python that added them
_TYPING = {**dict.fromkeys(("Literal", "Final", "Protocol", "TypedDict", "runtime_checkable"), (3, 8)),
           "Annotated": (3, 9),
           **dict.fromkeys(("TypeAlias", "ParamSpec", "Concatenate", "TypeGuard", "is_typeddict"), (3, 10)),
           **dict.fromkeys(("Self", "LiteralString", "Never", "Required", "NotRequired", "Unpack", "TypeVarTuple",
                            "assert_never", "assert_type", "reveal_type", "dataclass_transform"), (3, 11)),
           **dict.fromkeys(("override", "TypeAliasType"), (3, 12))}
# standard-library modules by the Python that added them
MODULES = {"zoneinfo": (3, 9), "graphlib": (3, 9), "tomllib": (3, 11)}


def needed(message: str) -> tuple[tuple[int, int], str] | None:
    """(the Python whose code this is, what the code uses) for an error message only an older Python gives."""
    for pattern, version, what in _MESSAGES:
        if pattern.search(message):
            return version, what
    typing_name = re.search(r"cannot import name '(\w+)' from 'typing'", message)
    if typing_name and typing_name.group(1) in _TYPING:
        return _TYPING[typing_name.group(1)], f"typing.{typing_name.group(1)}"
    return None


# annotations are evaluated lazily from Python 3.14 (PEP 649, PEP 749)
LAZY_ANNOTATIONS = (3, 14)
_UNDEFINED = re.compile(r"name '(\w+)' is not defined")


def type_checking_name(message: str, source: str) -> str | None:
    """The name a NameError's `message` names when `source` (the module that raised it) imports it only under
    `if TYPE_CHECKING:` and has no `from __future__ import annotations`: an annotation that only Python 3.14's lazy
    evaluation leaves unevaluated at import. None otherwise."""
    named = _UNDEFINED.search(message)
    if named is None:
        return None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    if any(isinstance(n, ast.ImportFrom) and n.module == "__future__" and any(a.name == "annotations" for a in n.names)
           for n in tree.body):
        return None
    for node in tree.body:
        test = node.test if isinstance(node, ast.If) else None
        if test is None or not (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"
                                or isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"):
            continue
        for sub in ast_nodes(node):
            if isinstance(sub, (ast.Import, ast.ImportFrom)) and any(
                    (a.asname or a.name.split(".")[0]) == named.group(1) for a in sub.names):
                return named.group(1)
    return None


def version_of(python_exe: str) -> tuple[int, int] | None:
    """The (major, minor) of an interpreter, None when it cannot be run."""
    try:
        done = subprocess.run([python_exe, "-c", "import sys; print(*sys.version_info[:2])"], capture_output=True,
                              text=True, timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    parts = done.stdout.split()
    return (int(parts[0]), int(parts[1])) if done.returncode == 0 and len(parts) == 2 and \
        all(p.isdigit() for p in parts) else None


def hint(version: tuple[int, int]) -> str:
    """What to do: run it on that Python, installing it first when this machine has none."""
    from ..environments import python_of
    wanted = f"{version[0]}.{version[1]}"
    run = f"--python {wanted}, or python = \"{wanted}\" under [tool.shipyard]"
    if python_of(version[1]) is not None:
        return f"run it on Python {wanted} ({run})"
    return f"install Python {wanted} (pyenv install {wanted}, or your system's python{wanted}), then run it on it ({run})"
