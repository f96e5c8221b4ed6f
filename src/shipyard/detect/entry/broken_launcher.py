"""A launcher that re-exports the app and then raises in its own lines. run.py doing `from app import app` and then
something that fails (the mega-tutorial's shell context written `@app.shell_context_processors`, a list, not the
decorator) never imported for anyone: its author ran `flask run`, which finds the package app/ by itself. The app's
own module, which the launcher imports from, is then the entry, when it imports.

A launcher that makes the app by calling a factory it imports (manage.py's `from bookmark import create_app`,
`app = create_app()`, then Flask-Script's `manager.run()` left at module level, which parses the server's command
line and exits at import) fails the same way after the app is made: that call, made on the factory's own module
(`bookmark:create_app()`), is then the entry, when it imports."""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from pathlib import Path

from ...project import Project
from ..findings import EntryFinding
from .shadowed import factory_call


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
            if not _own_module(Path(workdir), node.module):
                return None        # an installed package's app: not the project's own module
            note = (f"{rel} fails in its own line {failed[1]} after importing {entry.attr} from {node.module} "
                    f"({reason}); {node.module}:{alias.name}, which `flask run` finds, imports and is served: "
                    f"fix {rel} to run it")
            return replace(found, entry=replace(entry, module=node.module, attr=alias.name),
                           notes=found.notes + (note,))
    made = factory_call(tree, entry.attr)
    if made is None or made[2] >= int(failed[1]) or not _own_module(Path(workdir), made[0]):
        return None
    source, call, line = made
    note = (f"{rel} fails in its own line {failed[1]} after making {entry.attr} with {call} in line {line} "
            f"({reason}); {source}:{call}, the same call on the module it is imported from, imports and is "
            f"served: fix {rel} to run it")
    return replace(found, entry=replace(entry, module=source, attr=call, kind="factory"), notes=found.notes + (note,))


def _own_module(workdir: Path, module: str) -> bool:
    """Whether the dotted `module` is a file or package of the project under `workdir`, not an installed one."""
    base = workdir / module.replace(".", "/")
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()
