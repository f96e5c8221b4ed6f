"""A launcher that re-exports the app and then raises in its own lines. run.py doing `from app import app` and then
something that fails (the mega-tutorial's shell context written `@app.shell_context_processors`, a list, not the
decorator) never imported for anyone: its author ran `flask run`, which finds the package app/ by itself. The app's
own module, which the launcher imports from, is then the entry, when it imports."""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from pathlib import Path

from ...project import Project
from ..findings import EntryFinding


def origin_of(project: Project, found: EntryFinding, reason: str) -> EntryFinding | None:
    """The finding for the project module `found`'s launcher imports its app from, when the import failure
    (`reason`, "run.py:7: importing run:app failed: ...") is in the launcher's own file, after that import line;
    None otherwise."""
    entry = found.entry
    if entry.kind != "attribute" or not entry.attr.isidentifier():
        return None
    workdir = project.root if found.workdir in ("", ".") else project.path(found.workdir)
    file = Path(workdir) / (entry.module.replace(".", "/") + ".py")
    try:
        rel = file.relative_to(project.root).as_posix()
        tree = ast.parse(file.read_text(encoding="utf-8", errors="replace"))
    except (OSError, ValueError, SyntaxError):
        return None
    failed = re.match(re.escape(rel) + r":(\d+):", reason)
    if failed is None:
        return None
    for node in tree.body:
        if not isinstance(node, ast.ImportFrom) or node.level or not node.module or node.lineno >= int(failed[1]):
            continue
        for alias in node.names:
            if (alias.asname or alias.name) != entry.attr:
                continue
            base = Path(workdir) / node.module.replace(".", "/")
            if not (base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()):
                return None        # an installed package's app: not the project's own module
            note = (f"{rel} fails in its own line {failed[1]} after importing {entry.attr} from {node.module} "
                    f"({reason}); {node.module}:{alias.name}, which `flask run` finds, imports and is served: "
                    f"fix {rel} to run it")
            return replace(found, entry=replace(entry, module=node.module, attr=alias.name),
                           notes=found.notes + (note,))
    return None
