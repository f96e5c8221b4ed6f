"""A repository whose root is itself a package: an __init__.py at the root, and the entry module imports its siblings
relatively (`from .routes import router` in main.py). Its author runs it from the folder above, as the package
(`uvicorn todoapp.main:app`); imported as a top-level module it fails ("attempted relative import with no known
parent package"). The folder above is not part of the project (nor of the image), so the root is imported as a
package of that name from where it is: the import proof and the served entry (shipyard_entry.py) register the
working directory as the package, then import the entry as its submodule (Entry.root_package).

The package's name: the project's own (pyproject's [project] or [tool.poetry] name), else the folder's name; any name
serves relative imports, and the project's is the one its absolute imports (`from todoapp.models import ...`) use.
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace

from ...project import Project
from ..findings import EntryFinding
from ..source import parsed

FALLBACK = "app_root"


def with_root_package(project: Project, finding: EntryFinding) -> EntryFinding:
    """`finding` with Entry.root_package set when its module is a top-level module of a workdir that is a package
    and imports a sibling relatively at module level; unchanged otherwise."""
    entry = finding.entry
    if entry.root_package or entry.import_folder or "." in entry.module or entry.kind in ("paste", "django"):
        return finding
    folder = "" if finding.workdir in ("", ".") else finding.workdir.strip("/") + "/"
    if not project.is_file(f"{folder}__init__.py"):
        return finding
    tree = parsed(project).get(f"{folder}{entry.module}.py")
    if tree is None or not any(isinstance(node, ast.ImportFrom) and node.level > 0 for node in tree.body):
        return finding
    name = package_name(project, finding.workdir)
    note = (f"{folder or './'}__init__.py makes the folder a package and {folder}{entry.module}.py imports its "
            f"siblings relatively: imported as the package {name} ({name}.{entry.module}:{entry.attr}), as its "
            f"author runs it from the folder above")
    return replace(finding, entry=replace(entry, root_package=name), notes=finding.notes + (note,))


def package_name(project: Project, workdir: str) -> str:
    """The package's name: the project's own for the root, else the folder's; an identifier in any case."""
    table = project.pyproject.get("project", {})
    named = table.get("name") or project.pyproject.get("tool", {}).get("poetry", {}).get("name") \
        if workdir in ("", ".") else None
    for candidate in (named, (project.root if workdir in ("", ".") else project.path(workdir)).name):
        if isinstance(candidate, str):
            ident = re.sub(r"\W", "_", candidate.strip())
            if ident.isidentifier() and not ident[0].isdigit():
                return ident
    return FALLBACK
