"""A Flask-Script launcher its app's Flask cannot run. manage.py wrapping an app another module makes in
Flask-Script's Manager (`from app import app, db`; `manager = Manager(app)`) imports only with a Flask before 2.0:
Flask-Script (last release 2017) imports flask._compat, which Flask 2.0 (May 2021) removed, and Flask-Migrate 3.0
dropped the MigrateCommand such launchers add. An app whose code is newer than that, and whose Flask its
dependency files do not hold below 2.0, never ran through its manage.py: its author ran `flask run` on the module
that makes the app (a 2024 API with Flask-JWT-Extended 4 and a leftover manage.py), which is its entry."""

from __future__ import annotations

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from ... import environments
from ...project import Project
from ..deps import declared, normalize
from .model import Candidate

LAUNCHER_MODULES = ("flask_script", "flask.ext.script")
# the day after Flask 2.0's release (2021-05-11): code changed later was written against a Flask Flask-Script
# does not import with, unless its dependency files hold Flask back
FLASK_2_DAY = "2021-05-12"


def is_dead_launcher(project: Project, c: Candidate) -> bool:
    """`c` only re-exports (imports) a Flask app another module makes, from a module importing Flask-Script, in a
    project whose Flask is 2.0 or later (dependency files, else the day its code last changed)."""
    if c.app.framework != "flask" or c.module.path == c.app.path or c.kind != "attribute":
        return False
    sym = c.module.scan.symbols.get(c.attr)
    if sym is None or sym.kind != "import":
        return False     # manage.py's own `app = create_app('dev')`: the launcher chooses the configuration
    if not any(imp.module in LAUNCHER_MODULES or imp.module.startswith("flask_script.")
               for imp in c.module.scan.imports if not imp.level):
        return False
    return _flask_past_launcher(project)


def _flask_past_launcher(project: Project) -> bool:
    flask = [d for d in declared(project).dependencies if normalize(d.name) == "flask" and not d.inferred]
    if flask and flask[0].spec:
        try:
            spec = SpecifierSet(flask[0].spec)
        except InvalidSpecifier:
            return False
        exact = [s.version for s in spec if s.operator in ("==", "===") and "*" not in s.version]
        if exact:
            try:
                return Version(exact[0]) >= Version("2.0")      # Flask==2.3.2: it cannot; Flask==1.1.2: it runs
            except InvalidVersion:
                return False
        if not any(spec.filter(["2.0.0", "2.3.3", "3.0.0", "3.1.0"])):
            return False      # flask<2: the launcher runs
        # a floor (flask>=1.0.2) resolves as of the code's day, like an unpinned Flask
    day = environments.code_date(project.root)
    # None: code changed in the last days, so of today's Flask
    return day is None or day >= FLASK_2_DAY
