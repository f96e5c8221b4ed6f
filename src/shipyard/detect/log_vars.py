"""Variables an app reads, with no default, only as the file name of a logging handler.

A 2022 Django to-do API's settings: LOGGING's file handler takes `'filename': os.environ.get('LOGGING_PATH')`, left
empty in the env template its README has you copy. Unset, Django stops at start-up with "Unable to configure handler
'file'", though the value only says where the app's log lines go: serve and dev give it a file in Shipyard's folder
for the app, as they do for a SQLite file, and the proof one in a temporary folder. A variable also read anywhere
else (a folder the app writes into, a third party's path) is left alone.

Read statically: nothing is imported.
"""

from __future__ import annotations

import ast

from ..project import Project
from .ast_nodes import ast_nodes
from .services import env_reads
from .source import parsed


def log_file_variables(project: Project) -> frozenset[str]:
    """The variables read with no default whose every read is the whole file name of a logging handler: the
    `"filename"` item of a handler's dict (LOGGING's, dictConfig's: its "class" names a ...Handler), `filename=` of
    basicConfig or a ...Handler(...) call, or the first argument of a `...FileHandler(...)`."""
    reads = list(env_reads(project))
    inside: set[str] = set()
    outside: set[str] = set()
    for rel, tree in parsed(project).items():
        in_file = [r for r in reads if r.path == rel]
        if not in_file:
            continue
        spans = list(_file_names(tree))
        for read in in_file:
            if not read.default and not read.tested and any(
                    span == (read.line, read.col, read.end_line, read.end_col) for span in spans):
                inside.add(read.name)
            else:
                outside.add(read.name)
    return frozenset(inside - outside)


def _file_names(tree: ast.AST):
    """(first line, first column, last line, last column) of each expression a logging handler takes as its file."""
    for node in ast_nodes(tree):
        values: list[ast.AST] = []
        if isinstance(node, ast.Dict):
            items = {k.value: v for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant)}
            handler = items.get("class")
            if "filename" in items and isinstance(handler, ast.Constant) and str(handler.value).endswith("Handler"):
                values.append(items["filename"])
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name == "basicConfig" or name.endswith("Handler"):
                values += [k.value for k in node.keywords if k.arg == "filename"]
            if name.endswith("FileHandler") and node.args:
                values.append(node.args[0])
        for value in values:
            yield value.lineno, value.col_offset, value.end_lineno or value.lineno, value.end_col_offset or 0
