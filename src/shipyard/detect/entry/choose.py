"""Candidates, ranking and decoys: every name that exposes an app, scored by whether importing it
registers all of its app's routes, then one winner (or an AmbiguousApp that lists them)."""

from __future__ import annotations

import ast
import dataclasses
import os
import re
import sys
from pathlib import PurePosixPath

from ...plan import Entry
from ...project import WSGI_SCRIPT_SUFFIX
from .. import frameworks as fw
from ..findings import EntryFinding
from ..probe import DEV_TOOLS
from .default_app import default_app_finding, orphan_route_modules, run_from
from .main_block import main_block_finding
from .factory_args import production_call
from .factory_env import config_from_environment, production_variable
from .graph import Analysis
from .messages import ambiguous, loops_forever, not_found, syntax_error
from ..python2_syntax import python2_mark
from .model import BOTTLE_DEFAULT, CHERRYPY_TREE, ENTRY_FILE_RANK, AppDef, Candidate, join
from . import import_cycles, procfile
from .dead_launcher import is_dead_launcher
from .paste import development_includes, drops_note, paste_candidates, paste_use, paste_variables
from .relative_paths import run_by_path, written_from
from .script import script_candidates, script_finding
from .script_folder import script_folder_reader
from .tested import tested_apps
from .tryout import drop_tryouts
from .bot_webhooks import drop_bot_webhooks
from .undeclared import channels_declared, declared_frameworks, declared_imports
from .wsgi_application import named_by_settings
from .settings_package import module_default, package_settings
from .shadowed import is_shadowed, package_call

# Django apps that make a project an ASGI one when installed
_ASGI_APPS = re.compile(r"""["'](channels|daphne)["']""")


def candidates(analysis: Analysis) -> tuple[list[Candidate], dict[AppDef, set[str]], set[AppDef], list[str]]:
    """All candidates; route-registering files per app; sub-apps; factories that need arguments."""
    cands: list[Candidate] = []
    registrations: dict[AppDef, set[str]] = {}
    consumed: set[AppDef] = set()
    needs_args: list[str] = []
    dash_servers: dict[AppDef, AppDef] = {}
    for module in analysis.modules.values():
        for name, sym in module.scan.symbols.items():
            found = analysis.resolve(module.path, sym)
            if found is None:
                continue
            app, how = found
            if how == "configurer":
                continue                    # the function: the app it sets up is the module-level one
            if how == "constructor":
                cands.append(Candidate(module, f"{name}()", app, "factory", constructor=True))
                continue
            if how == "factory":
                if app.needs_args:
                    if app.framework == "pyramid":
                        cands += paste_candidates(analysis, module, name, app)
                    elif call := production_call(analysis, name, app, module.root, module.name):
                        cands.append(Candidate(module, call, app, "factory"))
                        continue
                    needs_args.append(f"{module.name}:{name}({', '.join(app.needs_args)})")
                    continue
                cands.append(Candidate(module, f"{name}()", app, "factory"))
            elif app.framework == "django":
                cands.append(Candidate(module, name, app, "django"))
            elif is_shadowed(analysis, module) and (call := package_call(analysis, module, name)):
                # app.py's `app = create_app('development')` beside the app/ package: the same call on the package
                cands.append(Candidate(call[0], call[1], app, "factory"))
            else:
                cands.append(Candidate(module, name, app, "attribute", dash_server=how == "server",
                                       configured=how == "configured"))
            if sym.kind == "new":
                for inner in sym.consumes:
                    sub = analysis.resolve(module.path, inner)
                    if sub:
                        consumed.add(sub[0])
                        if app.framework == "dash" and sub[0].framework == "flask":
                            dash_servers[sub[0]] = app     # Dash(server=flask_app): serve flask_app
        if module.decoy:
            continue
        for use in module.scan.uses:
            found = analysis.resolve(module.path, use.target, registrar=True)
            if found is None:
                continue
            app, how = found
            if how == "registrar" and use.attr not in fw.REGISTER_METHODS and use.how != "argument":
                continue
            if how != "registrar" and use.how == "call" and use.attr not in fw.REGISTER_METHODS:
                continue
            if use.how == "decorator" and use.attr in fw.SHELL_ONLY_HOOKS and use.target.kind == "call":
                continue     # on the instance this module made with the factory: no other module's app gets it
            registrations.setdefault(app, set()).add(module.path)
            for arg in use.args:
                sub = analysis.resolve(module.path, arg)
                if sub and sub[0] != app:
                    consumed.add(sub[0])     # app.mount("/api", api): api is part of app
        if module.scan.bottle_routes:
            registrations.setdefault(BOTTLE_DEFAULT, set()).add(module.path)
        if module.scan.tree_mounts or module.scan.main_tree_mounts:
            registrations.setdefault(CHERRYPY_TREE, set()).add(module.path)
    for app, paths in registrations.items():
        paths -= dead_route_copies(analysis, app, paths)
        paths -= startup_copies(analysis, app, paths)
        paths -= unimported_error_handlers(analysis, app, paths)
        if app is BOTTLE_DEFAULT:
            paths -= orphan_route_modules(analysis, paths)
    # the class itself only where nothing else makes its app: an instance, or a factory that makes one and may add to
    # it (routes, blueprints), is what the project serves
    made_otherwise = {c.app for c in cands if not c.constructor}
    cands = [c for c in cands if not c.constructor or c.app not in made_otherwise]
    for c in cands:
        if c.app in dash_servers:
            c.app, c.dash_server = dash_servers[c.app], True
    for server, dash in dash_servers.items():
        registrations.setdefault(dash, set()).update(registrations.pop(server, set()))
    return cands, registrations, consumed, needs_args


def startup_copies(analysis: Analysis, app: AppDef, paths: set[str]) -> set[str]:
    """Modules registering on `app` that no module imports and whose every registration call repeats one that
    another module's start-up hook makes on it (base/routers.py including the four routers at its top, imported by
    nothing since main.py's import of it was commented out, while base/event_handle.py's `@app.on_event("startup")`
    includes the same four): a leftover of the app's earlier layout, not routes a right entry must register."""
    hooks = {path: analysis.modules[path].scan.startup_registrations for path in paths
             if path in analysis.modules and analysis.modules[path].scan.startup_registrations}
    if not hooks:
        return set()
    imported = {f for m in analysis.modules.values() for imp in (*m.scan.imports, *m.scan.startup_imports)
                for f in analysis.import_files(m.path, imp, m.root)}
    copies = set()
    for path in paths - set(hooks) - imported:
        module = analysis.modules.get(path)
        if module is None:
            continue
        calls = {u.text for u in module.scan.uses if u.how == "call" and u.text
                 and (found := analysis.resolve(path, u.target, registrar=True)) and found[0] == app}
        if calls and any(calls <= made for made in hooks.values()):
            copies.add(path)
    return copies


FLASK_ROUTE_DECORATORS = frozenset({"route", "get", "post", "put", "patch", "delete"})


# what only handles an app's errors: no route, nothing a request reaches unless something else matched it
ERROR_HANDLER_METHODS = frozenset({"errorhandler", "register_error_handler", "exception_handler", "add_error_handler"})


def unimported_error_handlers(analysis: Analysis, app: AppDef, paths: set[str]) -> set[str]:
    """Modules that only add error handlers to `app` made elsewhere, that no module imports and that run nothing
    (no `__main__` block, no conventional entry name), while other modules register its routes: a notification
    API's exception_handler.py (`from app import app`, one `@app.exception_handler(ValueError)`), left out of
    what main.py's `uvicorn.run("app:app")` serves. The app never ran with it; it is not a part a right entry must
    register, nor the module to serve."""
    if len(paths) < 2:
        return set()
    imported = {f for m in analysis.modules.values() for imp in (*m.scan.imports, *m.scan.startup_imports)
                for f in analysis.import_files(m.path, imp, m.root)}
    dropped = set()
    for path in paths:
        module = analysis.modules.get(path)
        if module is None or path in imported or path == app.path or module.scan.main_guard \
                or ENTRY_FILE_RANK.get(module.name.split(".")[-1], 0):
            continue
        attrs = {u.attr for u in module.scan.uses
                 if (found := analysis.resolve(path, u.target, registrar=True)) and found[0] == app}
        if attrs and attrs <= ERROR_HANDLER_METHODS:
            dropped.add(path)
    return dropped if dropped != paths else set()


def dead_route_copies(analysis: Analysis, app: AppDef, paths: set[str]) -> set[str]:
    """Modules adding Flask views to `app` that no module imports and whose view names another module of `app`
    already registers (app/amirali_routes.py, an old copy of app/routes.py's `about`): imported with the rest, Flask
    would stop on the endpoint twice (AssertionError: View function mapping is overwriting...), so the app never ran
    with them; they are not routes a right entry must register."""
    if app.framework != "flask":
        return set()
    views = {path: {u.endpoint for u in analysis.modules[path].scan.uses if u.how == "decorator" and u.endpoint
                    and u.attr in FLASK_ROUTE_DECORATORS and analysis.resolve(path, u.target, registrar=True)
                    and analysis.resolve(path, u.target, registrar=True)[0] == app}
             for path in paths if path in analysis.modules}
    imported = {f for m in analysis.modules.values() for imp in m.scan.imports
                for f in analysis.import_files(m.path, imp, m.root)}
    return {path for path, names in views.items() if path not in imported
            and any(names & other for o, other in views.items() if o != path)}


def rank(c: Candidate, required: set[str], targets: tuple[tuple[str, str], ...] = ()) -> tuple:
    stem = c.module.name.split(".")[-1]
    defines = c.module.path == c.app.path
    return (
        len(required & c.closure) == len(required),      # registers every route of its app
        len(required & c.closure),
        # imported first it imports: urls.py, half of a cycle with config.py (which takes `app` back from it
        # before urls.py has made it), loses to config.py, which re-exports the same app
        not c.half_made,
        # importing it returns: server.py wrapping app.py's Flask app in tornado's WSGIContainer, then running
        # IOLoop.instance().start() at import, never does; app:app, which it imports, is what a server can load
        not c.loops_forever,
        not c.server_starts,                              # importing it does not start a server
        # of the modules that give the same app, the one the Procfile's `web:` command serves (`gunicorn
        # main:app`), over file-name guesses (manage.py, which wraps it in Flask-Script's Manager)
        procfile.named(c, targets),
        # a Flask-Script launcher the app's Flask (2.0 on) cannot import: the module that makes the app, run by
        # `flask run`, over manage.py's re-export of it
        not c.dead_launcher,
        bool(main_setup_lines(c)),                        # the script that sets the app up, then runs it
        # the app as a call of the function that sets it up gives it (main.py's `app = create_app(config)`),
        # over the module-level object that function configures, bare until someone calls it
        c.configured,
        c.dash_server,                                    # Dash: serve the Flask server
        c.kind != "factory",                              # a module-level app over calling a factory again
        # the factory the module's own `__main__` block builds the app with (run.py's init_app(), which configures,
        # then calls the imported create_app()), or its top level hands a server started at import
        # (`web.run_app(make_app(), port=9000)`, make_app adding sessions and routes to init()'s app): what
        # running the script serves
        c.kind == "factory" and c.attr.split("(")[0] in (
            c.module.scan.main_calls | (c.module.scan.import_calls if c.server_starts else frozenset())),
        not c.app.delegated,                              # else create_app() over get_app() that calls it
        # a factory named where it is defined over a script that only imports it (server.py's `from app.app import
        # make_app`, called in its `__main__` block): the same function, whatever the script's file name. Not
        # when the call has arguments: those come from the launcher (its option's default), which says so; nor
        # a package's __init__.py that re-exports it (`task_manager.main:create_app()`, its public name)
        not (c.kind == "factory" and c.attr.endswith("()") and c.module.scan.main_guard
             and c.module.scan.only_imports and _imports(c)),
        ENTRY_FILE_RANK.get(stem, 0),
        # of files with no conventional name, the one that leaves the configuration to the environment (flasky.py's
        # `create_app(os.getenv("FLASK_CONFIG") or "dev")`) over a seed or shell script hard-coding `create_app("dev")`
        c.env_config,
        defines,
        -len(PurePosixPath(c.module.path).parts),
        {"application": 2, "app": 1}.get(c.attr, 0),
        not c.attr.startswith("_"),
        # of modules alike in all the above, one that does not add routes to the app made elsewhere over one that
        # does (real_start.py, `from start import app; import models, route` then app.run() under `__main__`,
        # over route.py): a module of the app's views is part of it, not what runs it, whatever its shorter name
        c.module.path not in required,
        -len(c.module.path),
        c.module.path, c.attr,
    )


def fill(analysis: Analysis, c: Candidate, registrations: dict[AppDef, set[str]]) -> Candidate:
    # a factory's imports, or those of the function that sets up a module-level app (the configured candidate,
    # main.py's `app = create_app(Config)`), run when the entry is loaded
    extra = c.app.func_imports if c.kind in ("factory", "paste") or c.configured else ()
    c.closure = analysis.closure(c.module.path, c.module.root, extra)
    c.half_made = import_cycles.fails_imported_first(analysis, c.module)
    c.covered = len(registrations.get(c.app, set()) & c.closure)
    c.env_config = config_from_environment(analysis, c)
    c.dead_launcher = is_dead_launcher(analysis.project, c)
    starts = []
    for path in sorted(c.closure):
        module = analysis.modules.get(path)
        if module is not None:
            # `x.listen()`/`x.run()` starts a server only when x is an app (not SQLAlchemy's db.event.listen)
            starts += [(path, s) for s in module.scan.server_starts
                       if s.target is None or analysis.resolve(path, s.target) is not None]
    c.server_starts = tuple(starts)
    # a start whose receiver is not an app but is handed one (Flask-SocketIO's `socketio.run(app)` at run.py's top
    # level): the import serves the app, as the import proof finds (ServerAtImport); the entry is marked, and the
    # choice stays the one the proof confirms (not ranked as app.run() is)
    c.serving_starts = tuple((path, s) for path in sorted(c.closure) if (module := analysis.modules.get(path))
                             for s in module.scan.server_starts if s.target is not None and s.served is not None
                             and (path, s) not in starts and analysis.resolve(path, s.target) is None
                             and analysis.resolve(path, s.served) is not None)
    c.loops_forever = any(analysis.modules[path].scan.loops_forever for path in c.closure if path in analysis.modules)
    c.patches = tuple((path, analysis.modules[path].scan.patches) for path in sorted(c.closure)
                      if path in analysis.modules and analysis.modules[path].scan.patches)
    return c


def is_real(app: AppDef, registrations: dict[AppDef, set[str]]) -> bool:
    """An app with routes, or one that is an app by construction (factory, Django, Pyramid, Litestar, tornado,
    a WSGI/ASGI callable)."""
    return bool(registrations.get(app)) or app.factory or app.framework in fw.ROUTES_IN_CONSTRUCTOR \
        or app.framework in ("wsgi", "asgi")


def choose(analysis: Analysis) -> EntryFinding:
    """The one app the folder holds. Raises AppNotFound, AmbiguousApp or AppLoadError (syntax error)."""
    project = analysis.project
    cands, registrations, consumed, needs_args = candidates(analysis)
    real_cands = [c for c in cands if not c.module.decoy and c.app.path not in decoy_paths(analysis)
                  and c.app not in consumed]
    real_cands = django_interface(analysis, real_cands)
    # an app made at the top of a script that listens and runs its loop forever there, no guard (a tornado chat
    # server): no server can import it, running the script serves it (a script candidate, below)
    real_cands = [c for c in real_cands if not _serves_at_top_level(c.module)]
    if real_cands and all(c.app is BOTTLE_DEFAULT and c.kind == "factory" for c in real_cands):
        # `from bottle import app` (or default_app) in a script that routes on bottle's default app and runs it:
        # the name is bottle's own accessor, not an app of the module's; the script is the entry, as when it
        # imports no such name (app:default_app(), its views/ and run() handled as for any default-app script)
        found = default_app_finding(analysis, registrations, unparsed_notes(analysis))
        if found is not None:
            return found
    if real_cands and registrations.get(BOTTLE_DEFAULT) and all(
            c.app.framework == "bottle" and c.app is not BOTTLE_DEFAULT and not registrations.get(c.app)
            for c in real_cands):
        # `app = Bottle()` that nothing routes, while the controllers it imports add their `@route`s to bottle's
        # default app and run that one (`run(reloader=True)` at import): the default app is the one with the pages
        found = default_app_finding(analysis, registrations, unparsed_notes(analysis))
        if found is not None:
            return found
    if not real_cands:
        # no app a server can load: the script that runs bottle's default app, or a script that starts its
        # app's own server (tornado's main()), is the entry
        found = default_app_finding(analysis, registrations, unparsed_notes(analysis))
        if found is not None:
            return found
        scripts = script_candidates(analysis)
        if len(scripts) > 1:
            raise ambiguous(scripts)
        if scripts:
            return script_finding(analysis, scripts[0], unparsed_notes(analysis))
        found = main_block_finding(analysis, unparsed_notes(analysis))
        if found is not None:
            return found
        # a module that does not parse may be the one that holds the app: that is the error to fix
        suspicious = [p for p in analysis.syntax_errors if fw.SUSPICIOUS.search(project.read_text(p))]
        for path in suspicious or list(analysis.syntax_errors):
            raise syntax_error(path, analysis.syntax_errors[path], project.scan_text(path))
        raise not_found(analysis, cands, registrations, needs_args)

    by_app: dict[AppDef, list[Candidate]] = {}
    for c in real_cands:
        by_app.setdefault(c.app, []).append(fill(analysis, c, registrations))
    best: dict[AppDef, Candidate] = {}
    targets = procfile.web_targets(project)
    for app, group in by_app.items():
        required = registrations.get(app, set())
        best[app] = max(group, key=lambda c: rank(c, required, targets))
    real = [a for a in best if is_real(a, registrations)]
    pool = real or list(best)
    if len(pool) > 1:
        pool = drop_leftovers(drop_included(pool, best), best)
    if len(pool) > 1:
        pool = called_factories(pool, by_app)
    if len(pool) > 1:
        served = {a: c for a in pool for c in by_app[a] if procfile.named(c, targets)}
        # a README that serves one app (`cd fastapi_app`, `uvicorn main:app`) and runs another as a script (`cd
        # flask_app`, `python3 main.py`) runs both: the choice stays the user's
        scripts = procfile.readme_script_runs(project) if targets == procfile.readme_targets(project) else ()
        run = {a for a in pool for c in by_app[a] if procfile.named(c, scripts)} - set(served)
        if len(served) == 1 and not run:   # its candidate as the Procfile names it (app:app, not run:app)
            (app, best[app]), = served.items()
            pool = [app]
    if len(pool) > 1 and (runserver := procfile.readme_runserver_folders(project)):
        # the README's `cd backend/` then `python manage.py runserver`: the Django project of that manage.py
        ran = [a for a in pool if a.framework == "django" and best[a].module.root in runserver]
        pool = ran if len(ran) == 1 else pool
    if len(pool) > 1:
        pool = declared_frameworks(project, pool, best)
    if len(pool) > 1:
        pool = named_by_settings(analysis, pool, best, settings_module)
    if len(pool) > 1:
        pool = tested_apps(analysis, pool, by_app)
    if len(pool) > 1:
        pool = drop_tryouts(pool, best)
    if len(pool) > 1:
        pool = drop_bot_webhooks(analysis, pool, best)
    flask_note = None
    if len(pool) > 1 and (default := flask_run_default(pool, by_app)) is not None:
        others = ", ".join(best[a].target for a in pool if a is not default.app)
        # that app, by the call that sets it up where one does (manage.py's `app = create_app(...)` of the app
        # app/__init__.py makes bare): `flask run` would serve it unconfigured, without the routes the call adds
        setup = best[default.app] if best[default.app].configured else None
        taken = f", taken as {setup.target} (the call that sets it up)" if setup else ""
        flask_note = f"{len(pool)} Flask apps here ({default.target}, {others}): {default.module.path}'s is the one " \
                     f"`flask run` serves where no FLASK_APP names one{taken}; set entry to serve another"
        best[default.app], pool = setup or default, [default.app]
    if len(pool) > 1 and (default := conventional_script(pool, best)) is not None:
        others = ", ".join(f"{best[a].module.path}" for a in pool if a is not default.app)
        flask_note = f"{len(pool)} scripts here each run an app of their own ({default.module.path}, {others}): " \
                     f"{default.module.path}, the conventional name, is taken; set entry to serve another"
        best[default.app], pool = default, [default.app]
    if len(pool) > 1:
        # last, where it can only settle what would stay ambiguous: the app the dependency files are for
        pool = declared_imports(analysis, pool, best)
    if len(pool) > 1 and (scripts := procfile.web_script_runs(project)):
        # scripts that each run an app of their own, and the Procfile's `web: python run.py` starting one of them
        started = [a for a in pool if any(procfile.named(c, scripts) for c in by_app[a])]
        pool = started if len(started) == 1 else pool
    if len(pool) > 1:
        raise ambiguous([best[a] for a in pool])
    chosen = best[pool[0]]
    for path in (chosen.module.path, chosen.app.path):
        if path in analysis.syntax_errors:
            raise syntax_error(path, analysis.syntax_errors[path], project.scan_text(path))
    found = finding_for(analysis, chosen, registrations)
    return dataclasses.replace(found, notes=(*found.notes, flask_note)) if flask_note else found


def _serves_at_top_level(module) -> bool:
    return not module.scan.main_guard and bool(module.scan.loops_forever) \
        and any(server.function == "__main__" for server in module.scan.own_servers)


def flask_run_default(pool: list[AppDef], by_app: dict[AppDef, list[Candidate]]) -> Candidate | None:
    """Of several Flask apps in one folder, the one `flask run` serves when nothing sets FLASK_APP: Flask's CLI
    imports wsgi.py, else app.py, of the folder it runs in (a tutorial's app.py beside the hello.py it started
    from; in a package's folder, its app.py as the package's module). None unless every app is Flask's, all import
    from the same folder, and that module makes one of them."""
    cands = [c for a in pool for c in by_app[a]]
    if any(a.framework != "flask" for a in pool) or len({c.module.root for c in cands}) != 1:
        return None
    # run in a package's folder (flaskr_admin/, with its __init__.py), the CLI imports its app.py as the package's
    # module (flaskr_admin.app, the folder above on sys.path): so when every candidate is that package or one of
    # its modules, the names it looks for are the package's
    packages = {c.module.name if c.module.path.endswith("/__init__.py") else c.module.name.rpartition(".")[0]
                for c in cands}
    package = packages.pop() if len(packages) == 1 else ""
    for name in ("wsgi", "app"):
        named = [c for c in cands if c.module.name in (name, f"{package}.{name}" if package else name)]
        if len({c.app for c in named}) == 1:
            return max(named, key=lambda c: (c.kind != "factory", c.attr in ("app", "application")))
        if named:
            return None
    return None


def conventional_script(pool: list[AppDef], best: dict[AppDef, Candidate]) -> Candidate | None:
    """Of several apps that each start their own server when their script runs (a 2021 aiohttp imageboard's app.py
    and admin.py, each ending in `web.run_app(...)` with no `__main__` guard), all scripts of one folder: the one
    whose file has the conventional name of an entry (app.py over admin.py; ENTRY_FILE_RANK), when exactly one
    ranks highest. None otherwise (the choice is the user's)."""
    cands = [best[a] for a in pool]
    if any(not c.server_starts or c.module.path != c.app.path for c in cands) or \
            len({str(PurePosixPath(c.module.path).parent) for c in cands}) != 1:
        return None
    ranks = sorted(((ENTRY_FILE_RANK.get(c.module.name.split(".")[-1], 0), c) for c in cands),
                   key=lambda rc: rc[0], reverse=True)
    if ranks[0][0] == 0 or ranks[0][0] == ranks[1][0]:
        return None
    return ranks[0][1]


def unparsed_notes(analysis: Analysis) -> list[str]:
    """Modules that do not parse with Shipyard's own Python but do not hold the app: skipped, with why (often
    syntax of a newer Python than the one reading it, which the app asks for)."""
    if not analysis.syntax_errors:
        return []
    shown = sorted(analysis.syntax_errors.items())
    listed = "; ".join(f"{p}{f':{e.lineno}' if e.lineno else ''} ({e.msg}"
                       + (f"; Python 2 code: {mark})" if (mark := python2_mark(e.msg, e.text)) else ")")
                       for p, e in shown[:3])
    more = f" and {len(shown) - 3} more" if len(shown) > 3 else ""
    ours = f"{sys.version_info.major}.{sys.version_info.minor}"
    wanted = analysis.project.pyproject.get("project", {}).get("requires-python")
    why = f"; the app asks for Python {wanted}, newer syntax than Python {ours} reads, so the proof and the server " \
          "need that Python" if wanted and _newer_than(wanted, sys.version_info[:2]) else ""
    return [f"skipped modules that do not parse with Shipyard's Python {ours}: {listed}{more}{why}"]


def _newer_than(spec: str, version: tuple[int, int]) -> bool:
    """True when a requires-python lower bound (>=3.14, ~=3.13, ==3.14.*) is above `version`."""
    for op, major, minor in re.findall(r"(>=|~=|==|>)\s*(\d+)\.(\d+)", spec):
        bound = (int(major), int(minor))
        if bound > version or (op == ">" and bound >= version):
            return True
    return False


def django_interface(analysis: Analysis, cands: list[Candidate]) -> list[Candidate]:
    """Django makes both wsgi.py and asgi.py: serve WSGI, unless the project is an ASGI one (Channels, or
    ASGI_APPLICATION in its settings) or has only asgi.py; then the other one is dropped."""
    django = [c for c in cands if c.kind == "django"]
    roots = {c.module.root for c in django}
    keep_asgi = {root for root in roots if is_asgi_project(analysis, root)}
    keep_asgi |= {root for root in roots if not any(c.module.root == root and c.app.interface == "wsgi"
                                                     for c in django)}
    kept = [c for c in cands if c.kind != "django" or (c.app.interface == "asgi") == (c.module.root in keep_asgi)]
    # the router the settings' ASGI_APPLICATION names, when no asgi.py of its project imports its module (asgi.py is
    # startproject's plain handler, which answers HTTP and refuses every WebSocket): that router is the entry
    named = {c.module.root: c for c in kept if c.kind == "django" and c.app.interface == "asgi"
             and c.module.name.split(".")[-1] != "asgi" and f"{c.module.name}.{c.attr}" in _asgi_applications(analysis, c.module.root)
             and not any(m.root == c.module.root and m.name.split(".")[-1] == "asgi" and not m.decoy
                         and any(_loads_router(imp, c.module.name) for imp in m.scan.imports)
                         for m in analysis.modules.values())}
    if named:
        kept = [c for c in kept if not (c.kind == "django" and c.app.interface == "asgi" and c.module.root in named
                                        and c is not named[c.module.root])]
    # Channels 2 keeps its router in routing.py and loads it from asgi.py after django.setup(): asgi.py
    in_asgi_py = {c.module.root for c in kept if c.kind == "django" and c.module.name.split(".")[-1] == "asgi"}
    return [c for c in kept if not (c.kind == "django" and c.app.interface == "asgi" and c.module.root in in_asgi_py
                                    and c.module.name.split(".")[-1] != "asgi")]


def _loads_router(imp, router: str) -> bool:
    """asgi.py imports the router's module, or Channels 2's get_default_application, which loads ASGI_APPLICATION."""
    return imp.module == router or imp.module.startswith(router + ".") \
        or (imp.module == "channels.routing" and "get_default_application" in imp.names)


_ASGI_SETTING = re.compile(r"""(?m)^ASGI_APPLICATION\s*=\s*['"]([\w.]+)['"]""")


def _asgi_applications(analysis: Analysis, root: str) -> set[str]:
    """The dotted paths the project's settings give ASGI_APPLICATION ('core.routing.application')."""
    return {found for m in analysis.modules.values() if m.root == root and not m.decoy
            and "ASGI_APPLICATION" in m.scan.symbols
            for found in _ASGI_SETTING.findall(analysis.project.read_text(m.path) or "")}


def is_asgi_project(analysis: Analysis, root: str) -> bool:
    """A Django project served as ASGI: its settings set ASGI_APPLICATION or install channels/daphne
    (INSTALLED_APPS), or a module imports channels, unless the project's dependency files are complete and leave
    channels out: a REST API whose asgi.py imports a Channels router it never installed nor declared (a
    misspelt `RLRouter` at that) cannot even import it, and runs from wsgi.py."""
    imports_channels = channels_declared(analysis.project, root)
    for m in analysis.modules.values():
        if m.root != root or m.decoy:
            continue
        if "ASGI_APPLICATION" in m.scan.symbols or imports_channels and any(
                not imp.level and imp.module.split(".")[0] == "channels" for imp in m.scan.imports):
            return True
        if "INSTALLED_APPS" in m.scan.symbols and _ASGI_APPS.search(analysis.project.read_text(m.path)):
            return True
    return False


def decoy_paths(analysis: Analysis) -> frozenset[str]:
    return frozenset(p for p, m in analysis.modules.items() if m.decoy)


def _imports(c: Candidate) -> bool:
    """The candidate's module imports the name it is given by (`from app.app import make_app`)."""
    sym = c.module.scan.symbols.get(c.attr.split("(")[0])
    return sym is not None and sym.kind == "import"


def main_setup_lines(c: Candidate) -> tuple[int, ...]:
    """Lines of the entry module's `__main__` block that set up the framework or the very app it serves (the
    sub-app app.mount()s, its secret_key) before starting a development server: what importing it skips."""
    scan = c.module.scan
    own = tuple(line for name, line in scan.main_object_setup if name == c.attr.split("(")[0])
    return tuple(sorted({*scan.main_setup, *own}))


def drop_included(pool: list[AppDef], best: dict[AppDef, Candidate]) -> list[AppDef]:
    """An app whose best entry module imports another app's module is the combined app (e.g. a wsgi.py
    that mounts both); keep the outer ones. An app's module that only re-exports another app (app.py importing
    the sub-app it mounts, whose best candidate is then app.py's name for it) does not include its own app."""
    kept = [a for a in pool if not any(b is not a and a.path in best[b].closure and a.path != b.path
                                       and a.path != best[b].module.path
                                       and a.path not in _parent_packages(best[b].module.path) for b in pool)]
    return kept or pool


def _parent_packages(path: str) -> set[str]:
    """The __init__.py files Python runs before a module of theirs (app/api.py: app/__init__.py): importing
    app.api runs the package's own app factory module without including that app."""
    parts = PurePosixPath(path).parts[:-1]
    return {"/".join((*parts[:i], "__init__.py")) for i in range(1, len(parts) + 1)} - {path}


def called_factories(pool: list[AppDef], by_app: dict[AppDef, list[Candidate]]) -> list[AppDef]:
    """Of several factories, the ones the project calls to make its app at module level (run.py's
    `app = create_app()`) over those nothing calls (app/api.py, a copy of create_app left beside the package's):
    what a person runs is the module that builds its app."""
    called = [a for a in pool if a.factory and any(c.kind != "factory" for c in by_app[a])]
    uncalled = [a for a in pool if a.factory and all(c.kind == "factory" for c in by_app[a])]
    return called if called and len(called) + len(uncalled) == len(pool) else pool


def drop_leftovers(pool: list[AppDef], best: dict[AppDef, Candidate]) -> list[AppDef]:
    """An app made in a package whose other modules another app is built from, from outside it (a course's main.py
    includes the routers of routers/, where one lesson's basic_auth_users.py still makes an app of its own that
    nothing imports), is a leftover: the app that uses the package is the project's."""
    def folder(path: str) -> str:
        return str(PurePosixPath(path).parent)

    def inside(path: str, where: str) -> bool:
        return where not in ("", ".") and path.startswith(f"{where}/")

    def built_from(b: AppDef, where: str) -> bool:
        # from outside: not an app of a subfolder of `where` (myapp/keycloak_example/'s demos importing
        # myapp.database, their parent package's shared code, do not make myapp/main.py's app a leftover)
        return folder(best[b].module.path) != where and folder(b.path) != where and \
            not inside(best[b].module.path, where) and any(folder(p) == where for p in best[b].closure)

    kept = [a for a in pool if folder(a.path) == folder(best[a].module.path) == "." or
            not any(b is not a and built_from(b, folder(a.path)) for b in pool)]
    return kept or pool


def settings_module(analysis: Analysis, c: Candidate) -> str | None:
    """The settings module the entry runs with: the one its own file sets, manage.py's, or <package>.settings;
    the first that is in the project (a wsgi.py can name one that is not: DJANGO_SETTINGS_MODULE='settings' in a
    project whose settings are project/settings.py, as manage.py says). DJANGO_SETTINGS_MODULE in the environment
    wins when it names a module of the project, as it does for Django itself (the code's default is a setdefault):
    the user's way to run another module of a settings package (detect/entry/other_settings.py)."""
    chosen = os.environ.get("DJANGO_SETTINGS_MODULE", "")
    if chosen and analysis.module_files(c.module.root, chosen):
        return chosen
    own = [module_default(analysis, c.module)]
    own += [module_default(analysis, m) for m in analysis.modules.values()
            if m.root == c.module.root and m.name == "manage"]
    named = list(own)
    package = c.module.name.rsplit(".", 1)[0] if "." in c.module.name else ""
    named.append(f"{package}.settings" if package else "settings")
    named = [n for n in dict.fromkeys(named) if n]
    existing = [n for n in named if analysis.module_files(c.module.root, n)]
    # a settings package whose __init__.py is empty holds no settings (wsgi.py defaults to `proj.settings`
    # while manage.py runs `proj.settings.development`): the first that holds some
    holding = [n for n in existing if not _namespace(analysis, c.module.root, n)
               and not _empty_package(analysis, analysis.module_files(c.module.root, n) or [])]
    if holding:
        return holding[0]
    if existing:
        return package_settings(analysis, c.module.root, existing[0]) or existing[0]
    return next(filter(None, own), None)


def django_configuration(analysis: Analysis, c: Candidate) -> str | None:
    """The django-configurations class the entry's own file defaults DJANGO_CONFIGURATION to, else manage.py's."""
    return c.module.scan.django_configuration or next(
        (m.scan.django_configuration for m in analysis.modules.values()
         if m.root == c.module.root and m.name == "manage" and m.scan.django_configuration), None)


def _namespace(analysis: Analysis, root: str, dotted: str) -> bool:
    """Whether `dotted` is a folder without __init__.py (healthlink/settings/ holding base.py, local.py, prod.py):
    importing it runs none of its modules, so it holds no settings whatever its parent package's __init__.py does."""
    stem = join(root, *dotted.split("."))
    return stem in analysis.dirs and f"{stem}/__init__.py" not in analysis.files and f"{stem}.py" not in analysis.files


def _empty_package(analysis: Analysis, files: list[str]) -> bool:
    """Whether the module these files import ends in a package __init__.py with no statement but a docstring."""
    if not files or not files[-1].endswith("__init__.py"):
        return False
    try:
        body = ast.parse(analysis.project.scan_text(files[-1]) or "").body
    except SyntaxError:
        return False
    return all(isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) for node in body)


def dev_tools(c: Candidate) -> tuple[str, ...]:
    """The development tools (a debug toolbar) a factory imports when it is called."""
    if c.kind != "factory":
        return ()
    tops = (imp.module.split(".")[0] for _, imp in c.app.func_imports if imp.level == 0)
    return tuple(sorted({top for top in tops if top in DEV_TOOLS}))


def _sets_a_layout(analysis: Analysis, app: AppDef) -> bool:
    """Whether any module could give the Dash app a layout: a `.layout =` anywhere (in a function too), or Dash
    pages (`use_pages=True`), whose page container is the layout when none is set."""
    for path in analysis.modules:
        text = analysis.project.scan_text(path) or ""
        if re.search(r"\.layout\s*=(?!=)|['\"]layout['\"]|use_pages", text):
            return True
    return False


def finding_for(analysis: Analysis, c: Candidate, registrations: dict[AppDef, set[str]]) -> EntryFinding:
    loops_forever(analysis, c.closure, c.module.name)
    notes: list[str] = unparsed_notes(analysis)
    for path, start in (*c.server_starts, *c.serving_starts):
        notes.append(f"{path}:{start.line} calls {start.text} at import, outside `if __name__ == '__main__':`, "
                     f"so importing {c.module.name} starts a development server; the production server still "
                     "serves the app object through the generated shipyard_entry.py, which turns that call into "
                     "a no-op. Better: guard it with `if __name__ == '__main__':`")
    for path, library in c.patches[:1]:
        notes.append(f"{path} monkey-patches with {library} at import: gunicorn with {library}'s worker serves "
                     f"the app (`-k {library}`, as the app is written for), since granian's and gunicorn's "
                     "threads cannot run its greenlets")
    if c.kind == "paste":
        use = paste_use(analysis.project.read_text(join(c.module.root, c.paste_ini or ""))) or ""
        if use.startswith("egg:"):
            notes.append(f"{c.paste_ini} loads the app with `use = egg:...`: the project must be installed "
                         "(pip install .) for paste to find it")
    if c.app.framework == "dash" and not registrations.get(c.app) and not _sets_a_layout(analysis, c.app):
        notes.append(f"{c.app.path}:{c.app.line}: the Dash app's layout is never set (no `app.layout = ...` in the "
                     "code): Dash answers every page with 500 (NoLayoutException) until it is; set app.layout")
    settings = settings_module(analysis, c) if c.kind == "django" else None
    if settings is not None and settings == os.environ.get("DJANGO_SETTINGS_MODULE"):
        notes.append(f"DJANGO_SETTINGS_MODULE={settings} is taken from the environment, over the "
                     "project's own choice, as Django takes it: the generated files and the image run with it too")
    elif c.kind == "django" and c.module.scan.django_settings and \
            settings != c.module.scan.django_settings:
        notes.append(f"{c.module.path} sets DJANGO_SETTINGS_MODULE={c.module.scan.django_settings}, which is not in "
                     f"the project; {settings} is used instead (the environment variable "
                     "DJANGO_SETTINGS_MODULE, which Shipyard sets, takes precedence over that default)")
    framework = c.app.framework
    workdir, import_folder = c.module.root, None
    if framework == "bottle" and c.kind in ("attribute", "factory"):
        workdir, import_folder, where = run_from(analysis, c.module)
        notes += where
    elif (siblings := analysis.sibling_folders.get(c.module.root)) and c.kind in ("attribute", "factory"):
        import_folder = str(PurePosixPath(siblings).relative_to(workdir))
        if siblings in analysis.implicit_relative:
            notes.append(f"{siblings}/__init__.py imports its own modules as top-level names (Python 2's implicit "
                         f"relative import): {c.module.name} runs from {workdir}/ with {siblings}/ on sys.path too, "
                         f"as Python 2 found them (on Python 3, `from . import` is the port)")
        else:
            notes.append(f"{siblings}/'s modules import the package by name ({PurePosixPath(siblings).name}.…) and "
                         f"each other as top-level names: {c.module.name} runs from {workdir}/ with {siblings}/ on "
                         "sys.path too")
    elif c.kind in ("attribute", "factory") and (by_path := run_by_path(analysis, c.module)):
        workdir, import_folder = ".", c.module.root
        notes.append(by_path)
    elif c.kind in ("attribute", "factory") and (above := written_from(analysis, c.module, c.closure)):
        # src/app.py importing its siblings flat but opening 'src/pages': run as `python src/app.py` from the root
        workdir, named = above
        import_folder = str(PurePosixPath(c.module.root).relative_to(workdir))
        notes.append(f"{c.module.path} names {', '.join(repr(p) for p in named[:3])} relative to {workdir}/, not to "
                     f"{c.module.root}/ where its modules import each other from: it runs from {workdir}/ with "
                     f"{c.module.root}/ on sys.path, as `python {PurePosixPath(c.module.path).relative_to(workdir)}` does")
    beside_script = script_folder_reader(analysis.project, c.closure) if c.kind in ("attribute", "factory") else ""
    if beside_script:
        notes.append(f"{beside_script} finds a file beside sys.argv[0], the script Python runs (as `python "
                     f"{c.module.path}` has it); under a server sys.argv[0] is the server's, so the server loads the "
                     f"app through the generated shipyard_entry.py, which sets sys.argv[0] to {c.module.path} first")
    attr = c.attr
    if (call := fw.WSGI_CALLS.get(framework)) and c.kind == "attribute" and not c.dash_server:
        attr = f"{c.attr}.{call}"
        notes.append(f"{c.module.path}'s {c.attr} is a {fw.TITLES.get(framework, framework)} app object, not a WSGI callable: the server "
                     f"loads {attr}, through the generated shipyard_entry.py (servers load a name or a function's "
                     f"call, not a method's); better: `application = {attr}` in {c.module.path}")
    entry = Entry(
        module=c.module.name,
        attr=attr,
        kind=c.kind,
        interface=c.app.interface,
        settings_module=settings,
        django_configuration=django_configuration(analysis, c) if c.kind == "django" else None,
        paste_ini=c.paste_ini,
        paste_vars=paste_variables(analysis.project.read_text(join(c.module.root, c.paste_ini))) if c.paste_ini else (),
        paste_drops=development_includes(analysis.project, join(c.module.root, c.paste_ini)) if c.paste_ini else (),
        starts_server_on_import=bool(c.server_starts or c.serving_starts),
        async_factory=c.app.awaitable and c.kind == "factory",
        dev_tools=dev_tools(c),
        import_folder=import_folder,
        cooperative=c.patches[0][1] if c.patches else None,
        main_setup=bool(main_setup_lines(c)) and c.kind == "attribute",
        script_folder=bool(beside_script),
        wsgi_file=wsgi_file(c.module.path, workdir),
        production_env=(chosen,) if (chosen := production_variable(analysis, c)) else (),
    )
    if entry.wsgi_file:
        notes.append(f"{c.module.path} is a mod_wsgi script file, which Python cannot import by name: the import "
                     f"check and the generated shipyard_entry.py load it by its path as the module {c.module.name}, "
                     f"then serve its {c.attr}")
    if entry.paste_vars:
        names = ", ".join(entry.paste_vars)
        notes.append(f"{c.paste_ini} interpolates {', '.join(f'%({n})s' for n in entry.paste_vars)} without defining "
                     f"{'it' if len(entry.paste_vars) == 1 else 'them'}, a variable its deployment passes (`pserve "
                     f"{c.paste_ini} {entry.paste_vars[0]}=...`): the proof and the server give it the environment's "
                     f"{names}")
    if entry.paste_drops:
        notes.append(drops_note(join(c.module.root, c.paste_ini), entry.paste_drops))
    for name, value in entry.production_env:
        notes.append(f"{c.module.path} gives its factory ({c.app.where}) the configuration {name} names: "
                     f"{name}={value}, the production one the project offers, where you do not set it (the import "
                     "check, serve, and the image's ENV)")
    if entry.main_setup:
        lines = ", ".join(str(line) for line in main_setup_lines(c))
        notes.append(f"{c.module.path} sets {c.attr} (or {framework}) up in its `if __name__ == '__main__':` block "
                     f"(line {lines}) "
                     "before it runs the app: the production server serves the app through the generated "
                     f"shipyard_entry.py, which runs {c.module.path} as `python {PurePosixPath(c.module.path).name}` "
                     "does, with its development server made a no-op")
    for tool in entry.dev_tools:
        notes.append(f"{c.target} imports {tool}, a development tool: where it is not installed (production, "
                     "unless the app declares it) the app is served without it, through the generated "
                     "shipyard_entry.py, which gives it a stand-in that does nothing; `shipyard dev` installs it")
    return EntryFinding(framework=framework, entry=entry, workdir=workdir, notes=tuple(notes))


def wsgi_file(path: str, workdir: str) -> str:
    """The entry module's file, relative to the folder the server runs from, when it is a mod_wsgi script file
    (`api.wsgi`) that Python cannot import by name; "" for a module."""
    if not path.endswith(WSGI_SCRIPT_SUFFIX):
        return ""
    return str(PurePosixPath(path).relative_to(workdir)) if workdir not in ("", ".") else path
