"""An entry module that a module it imports imports back. server.py does `import database` before it makes `db`,
and database.py does `from server import db`: `python server.py` runs (server.py is __main__ there, so database.py's
import runs server.py again, as the module `server`, to its end), but a server that imports server:app gets
"cannot import name 'db' from partially initialized module 'server'". Such an entry is served as its author runs it:
the generated shipyard_entry.py runs the script as __main__ with its development server made a no-op and serves the
app it leaves (main_setup, as for an app set up in a `__main__` block: main_block.py), when that imports."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ...project import Project
from ..findings import EntryFinding

# "store.py:1: importing server:app failed: ImportError: cannot import name 'db' from partially initialized module
# 'server' (most likely due to a circular import)"
_CIRCULAR = re.compile(r"^(?P<file>[^:\s]+\.py):\d+: .*cannot import name '(?P<name>\w+)' from partially initialized "
                       r"module '(?P<module>[\w.]+)'")


def run_as_script(project: Project, found: EntryFinding, reason: str) -> EntryFinding | None:
    """The finding with its entry run as `python <module>.py` runs it (main_setup), when the import failure
    (`reason`) is another project file importing a name back from the entry module itself, a module file of the
    project (not a package's __init__, which no one runs as a script); None otherwise."""
    entry = found.entry
    match = _CIRCULAR.match(reason)
    if entry.kind != "attribute" or entry.main_setup or match is None or match["module"] != entry.module:
        return None
    workdir = project.root if found.workdir in ("", ".") else project.path(found.workdir)
    file = Path(workdir) / (entry.module.replace(".", "/") + ".py")
    try:
        rel = file.relative_to(project.root).as_posix()
    except ValueError:
        return None
    if not file.is_file() or match["file"] == rel:
        return None
    note = (f"{match['file']} imports {match['name']} back from {rel}, which imports it before making "
            f"{match['name']} (a circular import): importing {entry.target} fails, `python {file.name}` runs; the "
            f"production server serves it through the generated shipyard_entry.py, which runs {rel} as __main__ "
            "with its development server made a no-op; better: move what both use into a module of its own")
    return replace(found, entry=replace(entry, main_setup=True), notes=found.notes + (note,))
