"""npm packages written into a Python requirements file.

A full-stack repository keeps a React front end beside its Django API; its author, after `npm install xlsx
file-saver`, appends the two names to requirements.txt too (a 2025 CRM's root requirements.txt, a pip freeze that
ends in `xlsx` and `file-saver`). Neither is on the Python package index, so the whole install stops ("xlsx is not
on the package index") and nothing serves. A requirement line that names, unpinned, a package the project's own
package.json lists (dependencies or devDependencies), and that no Python file of the app imports, is the front
end's: it is left out, with a note. A pinned line (`react==4.3.0`, a PyPI package of that name the freeze
installed) is left to the install, and so is a name among PyPI's most downloaded distributions (`redis`).
"""

from __future__ import annotations

import json
from typing import Iterable

from ..plan import Dependency
from ..project import Project

_SECTIONS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")


def npm_packages(project: Project) -> frozenset[str]:
    """The lower-cased names every package.json of the project (outside node_modules) depends on."""
    names: set[str] = set()
    for rel in project.files:
        if rel.rsplit("/", 1)[-1] != "package.json" or "node_modules/" in rel:
            continue
        try:
            data = json.loads(project.scan_text(rel) or "{}")
        except ValueError:
            continue
        if isinstance(data, dict):
            for section in _SECTIONS:
                if isinstance(data.get(section), dict):
                    names.update(str(name).lower() for name in data[section])
    return frozenset(names)


def front_end_lines(project: Project, dependencies: Iterable[Dependency]) -> tuple[str, ...]:
    """The names of `dependencies` that are the front end's npm packages (see the module's doc)."""
    dependencies = [d for d in dependencies if not d.spec and not d.inferred]
    if not dependencies:
        return ()
    npm = npm_packages(project)
    candidates = [d for d in dependencies if d.name.lower() in npm]
    if not candidates:
        return ()
    from .deps import normalize
    from .imports import imported_distributions, tables
    imported = set(imported_distributions(project))
    # a distribution among PyPI's most downloaded (redis, which npm has too) is the Python one: left to install
    known = {normalize(v) for table in (tables().generated, tables().overrides) for v in table.values()
             if isinstance(v, str)}
    return tuple(d.name for d in candidates if normalize(d.name) not in imported | known)


def note(names: Iterable[str]) -> str:
    return (f"left out, npm packages of the project's package.json written into its Python requirements (no Python "
            f"file imports them): {', '.join(names)} (remove them from your requirements)")
