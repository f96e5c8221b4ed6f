"""Bottle's default app: `@route` functions register on an app that bottle keeps itself, so no module names
it, and the module that runs it is a script (`python app/main.py`) that calls `run(...)` at its end, often
without an `if __name__ == '__main__':` guard. The entry is that script: importing it registers every route,
and the production server then serves `bottle.default_app()`, with the script's `run()` made a no-op (its
wsgiref server, `debug=True` and `reloader=True` never start). Kind "default_app", attr "default_app()"."""

from __future__ import annotations

from pathlib import PurePosixPath

from ...plan import Entry
from ..findings import EntryFinding
from .graph import Analysis
from .messages import loops_forever
from .model import BOTTLE_DEFAULT, ENTRY_FILE_RANK, AppDef, Module

# bottle looks templates up in ./ and ./views/ of the working directory (bottle.TEMPLATE_PATH)
_TEMPLATE_FOLDER = "views"


def default_app_finding(analysis: Analysis, registrations: dict[AppDef, set[str]],
                        notes: list[str]) -> EntryFinding | None:
    """The script that registers (or imports) every route of bottle's default app, or None."""
    required = registrations.get(BOTTLE_DEFAULT)
    if not required:
        return None
    # a script: it starts bottle's server (at import or under its `__main__` guard); a module that only
    # registers routes is a part of the app, and without a script the user is asked to name the app
    covering = [m for m in analysis.modules.values()
                if not m.decoy and _runs(m) and required <= analysis.closure(m.path, m.root)]
    if not covering:
        return None
    module = max(covering, key=_rank)
    loops_forever(analysis, analysis.closure(module.path, module.root), module.name)
    workdir, import_folder, where = run_from(analysis, module)
    starts = [s for s in module.scan.server_starts if s.target is None]
    notes = [*notes, *where]
    if starts:
        notes.append(f"{module.path}:{starts[0].line} calls {starts[0].text} at import, outside "
                     "`if __name__ == '__main__':`: the production server serves bottle's default app instead, "
                     "through the generated shipyard_entry.py that makes that call a no-op (its development "
                     "server, host, port, debug and reloader never apply)")
    entry = Entry(module=module.name, attr="default_app()", kind="default_app", interface=BOTTLE_DEFAULT.interface,
                  starts_server_on_import=bool(starts), import_folder=import_folder)
    return EntryFinding(framework=BOTTLE_DEFAULT.framework, entry=entry, workdir=workdir, notes=tuple(notes))


def _runs(m: Module) -> bool:
    return m.scan.main_guard or any(s.target is None for s in m.scan.server_starts)


def run_from(analysis: Analysis, module: Module) -> tuple[str, str | None, list[str]]:
    """(workdir, import folder or None, note) for a bottle module: its import root, or the folder above it that
    holds views/, with the import root on sys.path (import_folder, relative to the workdir)."""
    workdir = _working_folder(analysis, module)
    if workdir == module.root:
        return workdir, None, []
    import_folder = str(PurePosixPath(module.root).relative_to(workdir))
    return workdir, import_folder, [
        f"{module.path} runs from {workdir}/ (bottle finds its templates in {PurePosixPath(workdir, _TEMPLATE_FOLDER)}/"
        f" of the working directory) with {module.root}/ on sys.path for its sibling imports, as "
        f"`python {PurePosixPath(module.path).relative_to(workdir)}` does"]


def _rank(m: Module) -> tuple:
    """Among scripts: one that starts the server at import, then an entry-file name, then the shallowest."""
    at_import = any(s.target is None for s in m.scan.server_starts)
    stem = m.name.split(".")[-1]
    return (at_import, ENTRY_FILE_RANK.get(stem, 0), -len(PurePosixPath(m.path).parts), m.path)


def _working_folder(analysis: Analysis, module: Module) -> str:
    """The module's import root, or the nearest folder above it that has bottle's views/ when its own has none:
    bottle resolves template names against the working directory, so that is where the script is run from."""
    folder = PurePosixPath(module.root)
    candidates = [folder, *[p for p in folder.parents]] if str(folder) != "." else [folder]
    for candidate in candidates:
        if str(PurePosixPath(candidate, _TEMPLATE_FOLDER)) in analysis.dirs or \
                any(d.startswith(f"{PurePosixPath(candidate, _TEMPLATE_FOLDER)}/") for d in analysis.dirs):
            return str(candidate)
    return module.root
