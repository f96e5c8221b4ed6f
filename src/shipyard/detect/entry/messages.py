"""The entry detector's errors that need the whole analysis to word (what was searched, what was
found where), so the detection code reads as decisions and these read as sentences."""

from __future__ import annotations

import ast
import re
from pathlib import PurePosixPath

from ...errors import AmbiguousApp, AppCodeError, AppLoadError, AppNotFound
from .. import frameworks as fw
from ..python2_syntax import python2_error
from .graph import Analysis
from .model import BOTTLE_DEFAULT, AppDef, Candidate

HOW_TO_CHOOSE = 'choose one with --entry module:attr or entry = "module:attr" under [tool.shipyard] in pyproject.toml'


def syntax_error(path: str, exc: SyntaxError, text: str | None = None) -> AppLoadError:
    """`path` (whose text is `text`) does not parse: said as Python 2 code when it is."""
    if (python2 := python2_error(path, exc.lineno, exc.msg, text)) is not None:
        return AppCodeError(*python2)
    return AppLoadError(f"{path}{f':{exc.lineno}' if exc.lineno else ''}: syntax error: {exc.msg}",
                        "fix it and run again; Shipyard reads the source to find the app")


def describe(c: Candidate) -> str:
    where = f" (in {c.module.root}/)" if c.module.root != "." else ""
    return f"{c.target}{where}"


def ambiguous(chosen: list[Candidate]) -> AmbiguousApp:
    """Several apps: list them; when they live in different folders (a monorepo), the folder is the choice."""
    listed = ", ".join(sorted(describe(c) for c in chosen))
    roots = sorted({c.module.root for c in chosen})
    if len(roots) == len(chosen) and "." not in roots:
        return AmbiguousApp(f"found {len(chosen)} apps in different folders: {listed}",
                            f"pass the app's folder as the path (e.g. shipyard serve {roots[0]}), or {HOW_TO_CHOOSE}")
    return AmbiguousApp(f"found {len(chosen)} apps: {listed}", HOW_TO_CHOOSE)


def not_found(analysis: Analysis, cands: list[Candidate], registrations: dict[AppDef, set[str]],
               needs_args: list[str]) -> AppNotFound:
    root = analysis.project.root
    searched = f"searched {len([m for m in analysis.modules.values() if not m.decoy])} Python modules in {root}"
    decoys = sorted({c.target + f" in {c.module.path}" for c in cands if c.module.decoy})
    if needs_args:
        return AppNotFound(f"no app object found ({searched}); the factory {needs_args[0]} needs arguments",
                           "add a wsgi.py that calls it (app = create_app(...)), or pass "
                           "--entry 'module:factory(\"value\")'")
    if registrations.get(BOTTLE_DEFAULT):
        where = sorted(registrations[BOTTLE_DEFAULT])[0]
        return AppNotFound(f"{where} registers routes on bottle's default app but no module exposes it",
                           "add `app = bottle.default_app()` to it (a server needs a name to load), "
                           "or `from bottle import default_app`")
    if decoys:
        return AppNotFound(f"apps found only in folders Shipyard skips (tests, docs, examples, step_N...): "
                           f"{', '.join(decoys[:5])}",
                           "pass that folder as the path, or --entry module:attr")
    if (unimportable := _unimportable_settings(analysis.project)) is not None:
        rel, settings, folder = unimportable
        return AppNotFound(f"no web app found ({searched}): {rel} names the Django settings {settings}, in the folder "
                           f"{folder}/, whose name no import statement can spell (a Python module name has no "
                           "hyphens), so no module of the project is its settings' or its WSGI application's",
                           f"rename {folder}/ to {folder.replace('-', '_')}/ and the names in {rel}, its settings "
                           "(ROOT_URLCONF, WSGI_APPLICATION) and wsgi.py with it, then run again")
    if (missing := missing_wsgi_module(analysis.project)) is not None:
        rel, named, module_rel, ignored = missing
        return AppNotFound(f"no web app found ({searched}): {rel} names WSGI_APPLICATION {named!r}, but "
                           f"{module_rel} is not in the project{' (.gitignore lists it)' if ignored else ''}, so no "
                           "module makes the Django application a server loads",
                           f"add {module_rel} (startproject's: set DJANGO_SETTINGS_MODULE, then application = "
                           "get_wsgi_application()) and run again, or pass --entry module:attr")
    if (started := started_in_function(analysis)) is not None:
        path, function, call = started
        return AppNotFound(f"no web app found ({searched}): {path} sets its app up and starts it only inside its "
                           f"{function}() (`{call}` there), which runs when the script does, never when a server "
                           "imports a module, so no module holds the app with its routes",
                           "set the app up where it is made (its routes at module level, or in a create_app() that "
                           "returns it), then pass --entry module:attr; an --entry to the bare app would serve none "
                           f"of its routes (or run `python {path}` for its development server)")
    return AppNotFound(f"no web app found ({searched}: looked for {fw.LOOKED_FOR})",
                       "point shipyard at the folder that holds your app, or pass --entry module:attr "
                       "(or entry = \"module:attr\" under [tool.shipyard] in pyproject.toml)")


# os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'name'), DJANGO_SETTINGS_MODULE=name (a .env, a Procfile's export)
_SETTINGS_NAMED = re.compile(r"""DJANGO_SETTINGS_MODULE['"]?\s*[,:=]\s*['"]?([\w.-]+)""")


def started_in_function(analysis: Analysis) -> tuple[str, str, str] | None:
    """(script, function, its call) when a script's own function, which its `__main__` block (or its top level)
    calls, directly or through `asyncio.run(main())`, starts an app it imports (`app_.run(debug=True)` after
    awaiting the functions that add the routes): the app is set up only once the script runs."""
    for module in sorted(analysis.modules.values(), key=lambda m: m.path):
        scan = module.scan
        called = scan.main_calls | scan.import_calls
        if module.decoy or not called:
            continue
        try:
            tree = ast.parse(analysis.project.read_text(module.path))
        except (SyntaxError, ValueError):
            continue
        def imported(expr: ast.expr) -> bool:
            """A name imported from a module (`from referral.flasker import app_`), not a module (asyncio)."""
            sym = scan.symbols.get(expr.id) if isinstance(expr, ast.Name) else None
            return sym is not None and sym.kind == "import" and sym.attr is not None

        for node in tree.body:
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or node.name not in called:
                continue
            # names the function binds to what an imported function gives (`app = await app_router()`)
            made = {t.id for sub in ast.walk(node) if isinstance(sub, ast.Assign)
                    for value in [sub.value.value if isinstance(sub.value, ast.Await) else sub.value]
                    if isinstance(value, ast.Call) and imported(value.func)
                    for t in sub.targets if isinstance(t, ast.Name)}
            for sub in ast.walk(node):
                if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "run" \
                        and isinstance(sub.func.value, ast.Name) \
                        and (imported(sub.func.value) or sub.func.value.id in made):
                    return module.path, node.name, ast.unparse(sub)
    return None


def _unimportable_settings(project) -> tuple[str, str, str] | None:
    """(file, the settings module it names, its folder) when a Python file of the project names
    DJANGO_SETTINGS_MODULE with a folder of the project whose name is no Python identifier
    ("django-rest-framework-14th.settings": a study group's template renamed after its repository), else None."""
    for rel in project.files:
        if not rel.endswith(".py"):
            continue
        for settings in _SETTINGS_NAMED.findall(project.scan_text(rel) or ""):
            parts = settings.split(".")
            base = PurePosixPath(rel).parent
            for depth in range(1, len(parts)):
                folder = str(base.joinpath(*parts[:depth])).removeprefix("./")
                if not parts[depth - 1].isidentifier() and (project.root / folder).is_dir():
                    return rel, settings, folder
    return None


def missing_wsgi_module(project) -> tuple[str, str, str, bool] | None:
    """(the settings file, its WSGI_APPLICATION, the module file it names, whether .gitignore lists that file) when a
    Django settings file names a WSGI module in a package of the project that has no such module: startproject's
    wsgi.py left out of the repository (a shop whose .gitignore lists wsgi.py, with an App Engine main.py that
    imports it), else None."""
    from .wsgi_application import _assigned
    for rel in project.files:
        if not rel.endswith(".py") or "WSGI_APPLICATION" not in (text := project.scan_text(rel) or ""):
            continue
        named = _assigned(text)
        parts = named.split(".")[:-1] if named else []
        if len(parts) < 2 or not all(part.isidentifier() for part in parts):
            continue
        for base in PurePosixPath(rel).parents:
            package = project.root / base.joinpath(*parts[:-1])
            if not (package / "__init__.py").is_file():
                continue
            module = package / parts[-1]
            if module.with_suffix(".py").is_file() or (module / "__init__.py").is_file():
                break
            module_rel = str(base.joinpath(*parts)).removeprefix("./") + ".py"
            ignored = project.scan_text(".gitignore") or ""
            listed = any(line.strip().lstrip("/") in (PurePosixPath(module_rel).name, module_rel)
                         for line in ignored.splitlines())
            return rel, named, module_rel, listed
    return None


def framework_repository(project_root: object, declared: str, source: str | None) -> AppNotFound:
    return AppNotFound(
        f"{project_root} is the source of the {declared} framework itself (its project name is "
        f"{declared!r}{f'; {source} defines the framework class' if source else ''}), not an app built with it",
        "point shipyard at your app's folder; the framework's examples/ and tests/ are skipped on purpose "
        "(to deploy one of them, pass its folder as the path)")


def loops_forever(analysis: Analysis, closure: frozenset[str], module: str) -> None:
    """Raise AppLoadError when importing `module` runs an event loop forever (tornado's IOLoop.start() at module
    level): said from the source at once, instead of an import check that waits out its time limit."""
    for path in sorted(closure):
        found = analysis.modules.get(path)
        for call in found.scan.loops_forever if found else ():
            raise AppLoadError(f"{path}:{call.line} calls {call.text} at import, outside `if __name__ == '__main__':`: "
                               f"importing {module} never returns, so no server can load the app",
                               "move that call (and the listen()/run() before it) under "
                               "if __name__ == '__main__':; the production server runs its own loop")
