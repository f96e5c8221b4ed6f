"""Process-wide apps. Bottle's default app: `@route` functions register on an app that bottle keeps itself, so
no module names it, and the module that runs it is a script (`python app/main.py`) that calls `run(...)` at its
end, often without an `if __name__ == '__main__':` guard. CherryPy's tree: `cherrypy.quickstart(Root())` mounts
the app on cherrypy.tree (a WSGI app itself) and starts CherryPy's own server, at import or under the guard.
The entry is that script: importing it (or running it as __main__, when the mount is under the guard) registers
the app, and the production server then serves `bottle.default_app()` or `cherrypy.tree`, with the script's
server start made a no-op (quickstart only mounts). Kind "default_app", attr "default_app()" or "tree"."""

from __future__ import annotations

from pathlib import PurePosixPath

from ...plan import Entry
from ..findings import EntryFinding
from .graph import Analysis
from .messages import loops_forever
from .model import BOTTLE_DEFAULT, CHERRYPY_TREE, ENTRY_FILE_RANK, PROCESS_APPS, AppDef, Module

# bottle looks templates up in ./ and ./views/ of the working directory (bottle.TEMPLATE_PATH)
_TEMPLATE_FOLDER = "views"
_SERVED = {BOTTLE_DEFAULT: "bottle's default app", CHERRYPY_TREE: "cherrypy.tree (the apps quickstart() mounts)"}


def default_app_finding(analysis: Analysis, registrations: dict[AppDef, set[str]],
                        notes: list[str]) -> EntryFinding | None:
    """The script that registers (or imports) every route of a process-wide app, or None."""
    for app, attr in PROCESS_APPS.items():
        found = _finding(analysis, app, attr, registrations.get(app), notes)
        if found is not None:
            return found
    return None


def _finding(analysis: Analysis, app: AppDef, attr: str, required: set[str] | None,
             notes: list[str]) -> EntryFinding | None:
    if not required:
        return None
    # a script: it starts the framework's server (at import or under its `__main__` guard); a module that only
    # registers routes is a part of the app, and without a script the user is asked to name the app
    covering = [m for m in analysis.modules.values()
                if not m.decoy and _runs(m) and _registers(analysis, app, m, required)]
    if not covering and app is BOTTLE_DEFAULT and (chosen := _separate_scripts(analysis, required)) is not None:
        # a tutorial's app.py beside hello.py and cohort.py, each registering its own routes and running them:
        # separate apps, one process each; the one with the entry-file name is served, as `flask run` takes app.py
        module, others = chosen
        notes = [*notes, f"{len(others) + 1} bottle scripts here register their own routes on bottle's default app "
                         f"and run it ({module.path}, {', '.join(m.path for m in others)}): separate apps; "
                         f"{module.path} is served (its entry-file name); set entry to serve another"]
        covering = [module]
    if not covering:
        return None
    module = max(covering, key=_rank)
    loops_forever(analysis, analysis.closure(module.path, module.root), module.name)
    if app is BOTTLE_DEFAULT:
        workdir, import_folder, where = run_from(analysis, module)
    else:
        workdir, import_folder, where = module.root, None, []
    # CherryPy's mount under the `__main__` guard: the served entry runs the script as __main__ to make it
    main_setup = app is CHERRYPY_TREE and not module.scan.tree_mounts and bool(module.scan.main_tree_mounts)
    starts = [s for s in module.scan.server_starts if s.target is None]
    notes = [*notes, *where]
    if starts:
        notes.append(f"{module.path}:{starts[0].line} calls {starts[0].text} at import, outside "
                     f"`if __name__ == '__main__':`: the production server serves {_SERVED[app]} instead, "
                     "through the generated shipyard_entry.py that makes that call a no-op (its development "
                     "server, host, port, debug and reloader never apply)")
    elif main_setup:
        notes.append(f"{module.path}:{module.scan.main_tree_mounts[0]} mounts the app on cherrypy.tree in its "
                     "`if __name__ == '__main__':` block: the production server serves cherrypy.tree through the "
                     f"generated shipyard_entry.py, which runs {module.path} as __main__ with CherryPy's own server "
                     "start made a no-op (quickstart() only mounts)")
    entry = Entry(module=module.name, attr=attr, kind="default_app", interface=app.interface,
                  starts_server_on_import=bool(starts), import_folder=import_folder, main_setup=main_setup)
    return EntryFinding(framework=app.framework, entry=entry, workdir=workdir, notes=tuple(notes))


def orphan_route_modules(analysis: Analysis, paths: set[str]) -> set[str]:
    """Modules adding `@route`s to bottle's default app that no module imports and that do not run the app
    themselves (controllers/login.py left beside the controllers app.py imports): bottle's default app only gets
    a module's routes when that module is imported, so no run of the app ever had them; they are not routes a
    right entry must register. Only beside a module that runs the app: without one, the user names the app."""
    if not any(path in analysis.modules and _runs(analysis.modules[path]) for path in paths):
        return set()
    imported = {f for m in analysis.modules.values() for imp in m.scan.imports
                for f in analysis.import_files(m.path, imp, m.root) if f != m.path}
    return {path for path in paths if path in analysis.modules and path not in imported
            and not _runs(analysis.modules[path])}


def _registers(analysis: Analysis, app: AppDef, m: Module, required: set[str]) -> bool:
    """Whether running `m` registers the whole app: every module that registers part of it is in its closure, and
    a CherryPy mount made under another module's `__main__` guard only happens when that module is the script
    (run_server.py that imports app.py, whose quickstart() sits under the guard, mounts nothing)."""
    if not required <= analysis.closure(m.path, m.root):
        return False
    if app is CHERRYPY_TREE:
        return all(p == m.path for p in required if not analysis.modules[p].scan.tree_mounts)
    return True


def _separate_scripts(analysis: Analysis, required: set[str]) -> tuple[Module, list[Module]] | None:
    """(the script to serve, the others) when no script registers every route but each module that registers some
    is run by a script of its own (several scripts, each its own app), and one script's name ranks above the
    others' as an entry file (app.py over hello.py); else None (ambiguous: the user names one)."""
    scripts = [m for m in analysis.modules.values()
               if not m.decoy and _runs(m) and required & analysis.closure(m.path, m.root)]
    if len(scripts) < 2 or not required <= set().union(*(analysis.closure(m.path, m.root) for m in scripts)):
        return None
    ranked = sorted(scripts, key=_rank, reverse=True)
    if ENTRY_FILE_RANK.get(ranked[0].name.split(".")[-1], 0) <= ENTRY_FILE_RANK.get(ranked[1].name.split(".")[-1], 0):
        return None
    return ranked[0], sorted(ranked[1:], key=lambda m: m.path)


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
