"""Python 2 code on the entry's import path, found from the files before any environment is built.

The import proof says "Python 2 code" once an environment is built and the import fails on a print statement or
`except Error, name:`. For an old app that is the end of a long road: a 2014 Flask app's freeze pins releases that
build from source (python-ldap 2.4, wsgiref 0.1.2), each failed build costing a minute or two before it is left out,
and the import then fails on Python 3.12's collections and is tried again on an older Python, building the same pins
again; on a loaded machine that ran past inspect's time limit before the import said what a reading of the files
says at once. Reading here: the files importing the entry runs (its module, and every project file an import
statement of a reached file names, module level or in a function), and the first of them that Python 3 does not
parse for Python 2's own syntax (python2_syntax.py). Only what Python 3 cannot parse counts: a file the entry never
imports (a Python 2 fabfile beside a Python 3 app) says nothing, nor does code that parses on both.
"""

from __future__ import annotations

import ast
from pathlib import PurePosixPath

from ..project import Project
from .ast_nodes import ast_nodes
from .entry.graph import Analysis
from .findings import EntryFinding
from .python2_syntax import python2_error, python2_mark
from .reach import _file_bases, _module, entry_module_files
from .source import sys_path_folders

# what python2_syntax.python2_mark says that only Python 2 code holds, whatever Python 3 reads it
STATEMENTS = frozenset({"a print statement", "an exec statement", "`except Error, name:`", "`raise Error, message`",
                        "an octal literal written 0777"})
MAX_FILES = 2000     # reached files read, at most: an import path longer than that is not an app's own


def python2_on_import_path(project: Project, finding: EntryFinding) -> tuple[str, str] | None:
    """(message, hint) for the first file on the entry's import path that is Python 2 code Python 3 does not parse
    (python2_syntax.python2_error); None when every reached file parses, or one that does not is not Python 2's."""
    entry = finding.entry
    if entry.kind == "paste" or not entry.module:
        return None
    graph = Analysis(project)
    workdir = "" if finding.workdir in ("", ".") else finding.workdir.strip("/")
    entry_base = "/".join(p for p in (workdir, (entry.import_folder or "").strip("/")) if p and p != ".")
    roots = {"", workdir, entry_base, *(f.strip("/") for f in sys_path_folders(project) if f not in (".",))}
    todo = entry_module_files(graph, workdir, entry_base, entry.module)
    seen: set[str] = set()
    while todo and len(seen) < MAX_FILES:
        rel = todo.pop()
        if rel in seen:
            continue
        seen.add(rel)
        text = project.scan_text(rel)
        if text is None:
            continue
        try:
            tree = ast.parse(text, filename=rel)
        except SyntaxError as exc:
            lines = text.splitlines()
            line = lines[exc.lineno - 1] if exc.lineno and 0 < exc.lineno <= len(lines) else None
            # only Python 2's statements and literals no Python 3 reads: a backquote or `<>` on the line of an error
            # Shipyard's Python gives may be a newer Python's syntax (a 3.12 f-string), which the import decides
            if python2_mark(exc.msg or "", line, text) in STATEMENTS and \
                    (said := python2_error(rel, exc.lineno, exc.msg or "invalid syntax", text)) is not None:
                return said
            continue
        except ValueError:
            continue
        todo += [f for f in _imported(graph, rel, tree, roots) if f not in seen]
    return None


def _imported(graph: Analysis, rel: str, tree: ast.Module, roots: set[str]) -> list[str]:
    """Project files the import statements of `rel` name (module level or in a function), from any folder an
    absolute import of it may resolve from."""
    bases = _file_bases(rel, roots)
    folder = PurePosixPath(rel).parent
    out: list[str] = []
    for node in ast_nodes(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                out += _module(graph, bases, alias.name, prefixes=True)
        elif isinstance(node, ast.ImportFrom):
            where = bases
            if node.level:
                base = folder
                for _ in range(node.level - 1):
                    base = base.parent
                where = [str(base)]
            module = node.module or ""
            if module:
                out += _module(graph, where, module, prefixes=not node.level)
            for alias in node.names:
                if alias.name != "*":
                    out += _module(graph, where, f"{module}.{alias.name}" if module else alias.name, prefixes=False)
    return out
