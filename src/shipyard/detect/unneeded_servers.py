"""Application servers the app declares that the served entry never imports.

An app's requirements often name the server its own launcher runs it with: prod.py serving `from app import app`
under bjoern, a pip freeze's uWSGI for `uwsgi --ini`. Shipyard serves the entry with its own server, so such a
package is needed neither to import the app (the proof leaves it out) nor to serve it; when it does not build here
(bjoern needs libev's headers), the install goes without it, as it does a database driver nothing selects
(environments.on_older_pythons). A server counts as imported when a module that importing the entry runs (its
import closure, detect/entry/graph.py) imports it, or when Django settings name it (INSTALLED_APPS' "daphne").
"""

from __future__ import annotations

from typing import Iterable

from packaging.utils import canonicalize_name

from ..plan import Dependency
from ..project import Project
from ..servers import SERVER_DISTRIBUTIONS
from .findings import EntryFinding
from .implied import WORKER_CLASSES


# the packages of gunicorn's worker classes (`gunicorn -k gevent` in a Procfile, worker_class in its config), which
# only that worker imports: Shipyard's server runs its own worker, so the app needs them only when its code imports
# them (or patches itself with one: the plan's server then brings it, and `serving` names it). A 2016 ping service
# pins gevent==1.1b5 for its Procfile's worker: no wheel for the Python it runs on, and a source build of a 2015 beta
# (failed, then tried again with the setuptools of its time) outlasted serve's time limit before anything ran
WORKER_PACKAGES = frozenset(canonicalize_name(name) for name in WORKER_CLASSES.values()) - SERVER_DISTRIBUTIONS
# libraries that pick an async library at run time by trying to import it (python-engineio's async_mode: eventlet,
# then gevent, then threading): with one of them imported, a worker package changes what the app does
ASYNC_PICKERS = frozenset({"socketio", "engineio", "flask_socketio", "flask_sockets", "geventwebsocket"})


def unneeded_workers(project: Project, finding: EntryFinding | None, dependencies: Iterable[Dependency],
                     serving: Iterable[str] = ()) -> dict[str, tuple[str, ...]]:
    """Declared packages of gunicorn worker classes (WORKER_PACKAGES; normalized name -> the app files that import
    them) that no module of the entry's import closure imports, nor a library that picks one at run time
    (ASYNC_PICKERS); `serving`: the packages of the server Shipyard runs the app with, never among them."""
    from . import imports
    dependencies = tuple(dependencies)
    if not any(canonicalize_name(d.name) in WORKER_PACKAGES for d in dependencies) \
            or any(imp.name.split(".")[0] in ASYNC_PICKERS for imp in imports.all_imports(project)):
        return {}
    found = unneeded_servers(project, finding, dependencies, serving, names=WORKER_PACKAGES)
    # only when no file of the app imports it and no command line of its own names it but gunicorn's (a Procfile's
    # `worker: celery -A tasks worker -P gevent` runs a process that needs it)
    return {name: files for name, files in found.items() if not files and not _named_outside_gunicorn(project, name)}


def _named_outside_gunicorn(project: Project, name: str) -> bool:
    """Whether a command file of the project (Procfile, shell script, Dockerfile, compose file, Makefile, ini)
    names `name` on a line that is not a gunicorn command or setting."""
    import re
    from .reach import _COMMAND_FILES
    word = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", re.I)
    for rel in project.files:
        if not _COMMAND_FILES.search(rel) or rel.endswith(("requirements.txt", ".toml")):
            continue
        text = project.scan_text(rel) or ""
        if any(word.search(line) and "gunicorn" not in line and "worker_class" not in line and "worker-class" not in line
               for line in text.splitlines() if not line.lstrip().startswith("#")):
            return True
    return False


def unneeded_servers(project: Project, finding: EntryFinding | None,
                     dependencies: Iterable[Dependency], serving: Iterable[str] = (),
                     names: frozenset[str] = SERVER_DISTRIBUTIONS) -> dict[str, tuple[str, ...]]:
    """Declared server distributions (normalized name -> the app files that import them, none for a server no
    file imports) that no module of the entry's import closure imports; `serving`: the names of the server
    Shipyard runs the app with, never among them. {} when the entry's module is not found among the app's files
    (a paste ini's factory, an entry given by hand): nothing is known to be unneeded. `names`: the distributions
    looked at (unneeded_workers: those of gunicorn's worker classes)."""
    from . import imports
    from .entry.graph import analyse
    if finding is None or finding.entry.kind == "paste" or not finding.entry.module:
        return {}
    analysis = analyse(project)
    workdir = "" if finding.workdir in ("", ".") else finding.workdir.strip("/")
    module = next((m for m in analysis.modules.values() if m.name == finding.entry.module
                   and (m.root or "").strip("./") in (workdir, (finding.entry.import_folder or "").strip("/"))), None)
    module = module or next((m for m in analysis.modules.values() if m.name == finding.entry.module), None)
    if module is None:
        return {}
    closure = analysis.closure(module.path, module.root)
    importers: dict[str, set[str]] = {}
    for imp in imports.all_imports(project):
        importers.setdefault(canonicalize_name(imports.distribution_for(imp.name)), set()).add(imp.file)
    needed = {canonicalize_name(imports.distribution_for(imp.name)) for imp in imports.settings_imports(project)}
    kept = {canonicalize_name(name) for name in serving}
    out = {}
    for dep in dependencies:
        name = canonicalize_name(dep.name)
        if name not in names or name in kept or name in needed or dep.inferred:
            continue
        files = importers.get(name, set())
        if not files & closure:
            out[name] = tuple(sorted(files))
    return out
