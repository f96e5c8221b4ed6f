"""The import proof: import the chosen entry with the app's interpreter in a separate, time-limited
process (../probe.py) and turn what it reports into a typed error."""

from __future__ import annotations

import ast
import fnmatch
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit
from typing import Mapping

from packaging.version import InvalidVersion, Version

from ... import built_here, paste_drop, spawn
from ...errors import (AppCodeError, AppConfigError, AppLoadError, GoneSubmodule, ImportedByInstalled, ImportTimeout,
                       MissingDependency, NeedsNewerPython, PythonTooNew, UnreadSyntax)
from ...project import Project
from .. import config_examples, config_names, envfile, geodjango, newer_python, shared_library
from ..ast_nodes import ast_nodes
from ..findings import EntryFinding
from ..implied import ini_includes
from ..dev_declared import dev_namesake
from ..deps import normalize
from ..imports import distribution_for, known_distribution
from ..python2_names import python3_name
from ..python2_syntax import python2_error
from .. import sqlite_folders, uv_workspace
from .above_workdir import above_workdir
from .below_workdir import below_workdir
from .other_settings import settings_hint
from .config_file import unread_config_file
from .own_folder import own_folder_name
from .local_distribution import local_distribution
from ..readme_files import readme_line_naming
from ..lfs_files import lfs_pattern
from .unimported_module import unimported_module, unimported_stdlib
from .guarded_raise import unset_reads_guarding_raise
from .image_module import image_module
from .misplaced_app import misplaced_app
from .dotenv_file import dotenv_file_read, explained as explained_dotenv, explained_loaded, loaded_from_example
from ..source import parsed
from ..data_file_urls import the_url_it_connects_to
from ... import serve_settings

PROBE = Path(__file__).parent.parent / "probe.py"
BUSY_GRACE = 3      # times the import limit an import still working (using the CPU) at that limit is given more
# clients of servers `serve` does not run (it runs PostgreSQL, MySQL/MariaDB and Redis), by the installed package a
# refused connection was raised in: the server to name, and where its clients connect by default
UNSERVED_STORES = {"pymongo": ("MongoDB", "localhost:27017"), "motor": ("MongoDB", "localhost:27017"),
                   "mongoengine": ("MongoDB", "localhost:27017"), "elasticsearch": ("Elasticsearch", "localhost:9200"),
                   "pika": ("RabbitMQ", "localhost:5672"), "kombu": ("RabbitMQ", "localhost:5672"),
                   "amqp": ("RabbitMQ", "localhost:5672"), "cassandra": ("Cassandra", "localhost:9042"),
                   "neo4j": ("Neo4j", "localhost:7687"), "pymemcache": ("memcached", "localhost:11211"),
                   "memcache": ("memcached", "localhost:11211"), "kafka": ("Kafka", "localhost:9092"),
                   "aiokafka": ("Kafka", "localhost:9092")}
# standard-library modules that Python 3.12 removed: an app (or an old pin of it) importing one needs 3.11
REMOVED_IN_312 = frozenset({"distutils", "imp", "asynchat", "asyncore", "smtpd"})


@dataclass(frozen=True)
class Confirmed:
    """What the import check found out beyond "it imports": how the entry must be served."""

    asgi2: bool = False           # its call takes only the scope (Channels 2's routers)
    django_setup: bool = False    # it imports only once django.setup() has run (models imported before it)
    interface: str = ""           # the protocol the imported app speaks, when not the one read from the code
    loop_import: bool = False     # it imports only inside a running event loop (an asyncio task made at import)


# at most this many times the import's time limit on a busy machine (busy_factor)
BUSY_STRETCH = 4.0


def busy_factor() -> tuple[float, str]:
    """(how many times longer an import takes here than on an idle machine, said), from the load average per CPU:
    a 2021 research app's import of pandas, scikit-learn and nltk takes 6.5 s of CPU and 47 s of wall clock with
    16 runnable processes on 2 CPUs, over the 40 s limit that tells an import that blocks (a server started at
    module level) from one that works. 1 when idle or unknown; at most BUSY_STRETCH."""
    try:
        load, cpus = os.getloadavg()[0], os.cpu_count() or 1
    except (OSError, AttributeError):
        return 1.0, ""
    factor = min(BUSY_STRETCH, max(1.0, load / cpus))
    return factor, (f"load {load:.0f} on {cpus} CPUs" if factor > 1 else "")


def confirm(project: Project, finding: EntryFinding, python_exe: str, timeout: float,
            environ: Mapping[str, str] | None = None) -> Confirmed:
    """Import the chosen entry with the app's interpreter in a separate, time-limited process and check
    that it is a WSGI (or ASGI) callable. Raises MissingDependency or AppLoadError."""
    entry = finding.entry
    workdir = project.path(finding.workdir) if finding.workdir != "." else project.root
    what = entry.paste_ini if entry.kind == "paste" else entry.target
    with tempfile.TemporaryDirectory(prefix="shipyard-probe-") as tmp:
        out = Path(tmp, "result.json")
        # a development ini's debug add-ons left out, as the server leaves them out (paste_drop.py)
        ini = paste_drop.derived_ini(str(workdir / entry.paste_ini), entry.paste_drops, tmp) \
            if entry.kind == "paste" and entry.paste_drops else entry.paste_ini
        spec = {"module": entry.module, "attr": entry.attr, "kind": entry.kind, "interface": entry.interface,
                "paste_ini": ini, "paste_vars": list(entry.paste_vars), "dev_tools": list(entry.dev_tools), "import_folder": entry.import_folder,
                "main_setup": entry.main_setup, "root_package": entry.root_package, "wsgi_file": entry.wsgi_file,
                "out": str(out)}
        env = dict(os.environ if environ is None else environ)
        env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONUNBUFFERED="1")
        # serve's settings module over the app's (appconfig: settings that set no SECRET_KEY) stays
        env.update((name, value) for name, value in entry.django_env.items()
                   if not (name == serve_settings.SETTINGS and env.get(name) == serve_settings.MODULE))
        # a busy machine gives the import longer (busy_factor), and the message says so
        factor, busy = busy_factor()
        limit = timeout * factor
        try:
            # spawn.run: output to files and the probe's whole session killed when it exits, so a
            # background process the app starts at import can neither hold the check open nor outlive it
            # an import still using the CPU at the limit (torch, tensorflow, crewai on a busy machine) is slow, not
            # blocked: it gets BUSY_GRACE times the unstretched limit more; one that waits (a connection) does not
            done = spawn.run([python_exe, "-c", PROBE.read_text(encoding="utf-8"), json.dumps(spec)],
                             timeout=limit, cwd=str(workdir), env=env, busy_grace=BUSY_GRACE * timeout)
        except OSError as exc:
            raise AppLoadError(f"cannot run {python_exe} to import the app: {exc.strerror}",
                               "check the app's virtualenv, or pass --no-import") from None
        except subprocess.TimeoutExpired as exc:
            if exc.timeout > limit:
                raise ImportTimeout(
                    f"importing {what} was still running, and working (using the CPU), after {exc.timeout:g}s: a "
                    "very slow import (large packages on a loaded machine) or a loop at import",
                    "run again when the machine is less busy, or move heavy work out of import time") from None
            raise ImportTimeout(
                f"importing {what} did not finish within {limit:g}s"
                + (f" ({timeout:g}s, {factor:.1f} times as the machine is busy: {busy})" if busy else "")
                + ": it blocks at import (e.g. a server "
                "started at module level, or a connection that never answers)",
                "guard server starts with if __name__ == '__main__': and connect lazily") from None
        if not out.exists():
            last = done.stderr.strip().splitlines()[-1:] or ["no output"]
            raise AppLoadError(f"importing {what} with {python_exe} failed (exit code {done.returncode}): {last[0]}",
                               "run the import yourself to see the full error")
        result = json.loads(out.read_text(encoding="utf-8"))
        if result.get("error") == "exit":
            # an app that stops itself at import says why first (print("Please provide STRIPE_SECRET_KEY");
            # exit(-1)): the last line it printed goes into the message
            result["printed"] = _last_printed(done.stdout, done.stderr)
    confirmed = Confirmed(asgi2=bool(result.get("asgi2")), django_setup=bool(result.get("django_setup")),
                          interface=result.get("interface", ""), loop_import=bool(result.get("loop_import")))
    try:
        _raise_for(project, finding, result, python_exe, what, env)
    except ServerAtImport as exc:
        exc.confirmed = confirmed
        raise
    return confirmed


class ServerAtImport(AppLoadError):
    """The app imported, but its import started a development server the static scan did not see (held by the
    probe's patches: `socketio.run(app)` at run.py's top level). The proof takes the entry as one that starts a
    server on import, which the entry shim holds the same way; `confirmed` is what the import showed."""

    confirmed: "Confirmed | None" = None


def _raise_for(project: Project, finding: EntryFinding, result: dict, python_exe: str, what: str,
               env: Mapping[str, str]) -> None:
    if result.get("ok"):
        intercepted = result.get("servers") or []
        # a script run as __main__ (its `__main__` block mounts the app, then starts a server) starts it there;
        # a script entry is run as one (one that serves at import, with no guard, is held by the probe)
        if intercepted and not (finding.entry.starts_server_on_import or finding.entry.main_setup
                                or finding.entry.kind == "script"):
            raise ServerAtImport(f"importing {what} starts a server ({intercepted[0]}), which would block "
                                 "gunicorn's workers", "guard it with if __name__ == '__main__':")
        return
    error = result.get("error")
    where = f"{result['where']}: " if result.get("where") else ""
    if error in ("missing_module", "exception") and (
            copy := _example_to_copy(project, finding.workdir, _modules_named(result))):
        # app/local_settings.py, which the README says to copy from app/local_settings_example.py: a setup step
        # (configuration), not a fault in the code or a missing package
        example, missing = copy
        raise AppConfigError(f"{where}importing {what} needs {missing}, which the project ships only as its "
                             f"example {example}", f"copy it (cp {example} {missing}), set its values, and run again")
    if error == "missing_module" and (absent := _absent_module(project, finding.workdir, result["name"],
                                                               result.get("where"))):
        # flaskproject/secret.py, .gitignore'd and imported by the package's __init__: a file the author kept to
        # themselves, not a wrong folder to run from (its package imports fine), nor a package to install
        module, names, ignored = absent
        raise AppConfigError(f"{where}importing {what} needs {module}, which is not in the project"
                             + (" (.gitignore keeps it out of git)" if ignored else ""),
                             f"write {module} with " + (" and ".join(names) if names else
                                                        "the values the app reads from it") + ", and run again")
    if error == "missing_module" and (absent := _absent_package(project, finding.workdir, result["name"],
                                                                 result.get("where"))):
        # `from config.keys import Keys` where config/ is a folder the author's .gitignore names and git never
        # had: the author's own uncommitted module (their keys), not a package to install (PyPI's `config` has no
        # `keys`), a setup step, as for a missing module of a package in the project
        module, names, folder = absent
        raise AppConfigError(f"{where}importing {what} needs {module}, which is not in the project (the .gitignore "
                             f"names {folder}/, a folder of the author's that git does not have)",
                             f"write {module} with " + (" and ".join(names) if names else
                                                        "the values the app reads from it") + ", and run again")
    if error == "missing_module" and (absent := _absent_top_module(project, finding.workdir, result["name"],
                                                                    result.get("where"))):
        # `import config` in main.py, config.py in .gitignore and nowhere in the project: the author's own module
        # (their keys), not PyPI's `config`; a setup step, as for a missing module of a package in the project
        raise _gitignored_module_error(where, what, *absent)
    if error == "exception" and (absent := _ignored_submodule(project, finding.workdir, result.get("message", ""),
                                                               result.get("where"))):
        # `from sql_app import secret_key` where .gitignore keeps sql_app/secret_key.py to its author: Python says
        # "cannot import name 'secret_key' from 'sql_app'", which is the same missing file as a ModuleNotFoundError
        raise _gitignored_module_error(where, what, *absent)
    if error == "missing_module":
        name = result["name"]
        top = name.split(".")[0]
        in_project = any(PurePosixPath(f).parts and (PurePosixPath(f).stem == top or top in PurePosixPath(f).parts[:-1])
                         for f in project.python_files)
        if in_project and (wrapped := image_module(project, finding.workdir, top)) is not None:
            # app/library/flux.py, which itself does `import flux`: a wrapper of the real module, not it; the real
            # one comes from the Dockerfile's base image (the Flux scheduler's bindings on its PYTHONPATH), a setup
            # step the entry found stands through, or else from a package, as for any module the project lacks
            if wrapped.dockerfile:
                raise AppConfigError(f"{where}importing {what} needs {top!r}, which the base image of "
                                     f"{wrapped.dockerfile} ({wrapped.base}) provides on PYTHONPATH "
                                     f"({':'.join(wrapped.paths)}); the project's {wrapped.wrappers[0]} only wraps "
                                     f"it (it imports {top} itself)",
                                     f"serve it in that image (docker build -f {wrapped.dockerfile} .), or install "
                                     f"{top!r} here and put its folder on PYTHONPATH")
            in_project = False
        if in_project and (beside := _implicit_relative(project, finding.workdir, top, result.get("where"))):
            # middlewares/__init__.py's `import auth` for middlewares/auth.py: Python 2 looked in the package first,
            # Python 3 only on sys.path; no folder to run from makes the package's own modules importable that way
            raise AppCodeError(f"{where}`import {top}` is Python 2's implicit relative import ({beside} is beside it, "
                               "in its package): the app is Python 2 code",
                               f"port it to Python 3 (`from . import {top}`; 2to3 does most of it)")
        if in_project and (member := uv_workspace.member_of(project, top)) is not None:
            # another member of the uv workspace (packages/core/src/core), which `uv sync` installs into the
            # workspace's .venv; Shipyard reads its dependencies but does not install the member itself
            raise AppLoadError(f"{where}cannot import {name!r}: it is the code of {member}/, another member of the "
                               "app's uv workspace, which `uv sync` installs and Shipyard's environments do not",
                               f"run `uv sync` in the workspace's root (its .venv, which serve then uses), or put "
                               f"{member}'s package folder on PYTHONPATH")
        if in_project and (own := own_folder_name(project, finding.workdir, name)) is not None:
            # INSTALLED_APPS = ['application'] in a project run from application/, whose package is app/: a name
            # from before a rename (or another project's), which no PYTHONPATH or link turns into a module
            named = f"; {own.named_at} names it" if own.named_at else ""
            now = f" (the package{'s' if len(own.packages) > 1 else ''} there: " \
                  f"{', '.join(p + '/' for p in own.packages)})" if own.packages else ""
            raise AppCodeError(f"{where}cannot import {name!r}: {own.folder}/ is the folder the app runs from, not a "
                               f"module in it{named}",
                               f"change {top!r} " + (f"at {own.named_at} " if own.named_at else "")
                               + f"and the names like it to the module the project has now{now}, and run again")
        if in_project and (dist := local_distribution(project, finding.workdir, top)) is not None:
            # polls/ inside django-polls/ with its setup.cfg (the Django tutorial's reusable app), which the author
            # installs: the entry is right, and the app imports once that distribution is installed
            named = f" ({dist.packaging} names it {dist.name})" if dist.name else f" (with its {dist.packaging})"
            raise AppConfigError(f"{where}importing {what} needs {top!r}, which the project has only in its own "
                                 f"distribution {dist.folder}/{named}, not installed and not importable from "
                                 f"{finding.workdir}/",
                                 f"install it (pip install ./{dist.folder}), or put {dist.folder}/ on PYTHONPATH, "
                                 "and run again")
        if in_project and (above := above_workdir(project, finding.workdir, top)) is not None:
            # a package beside the app's folder that the deployment mounts into it, or puts on PYTHONPATH: the
            # entry is found, the app does not import here until that setup step is done
            mounted = f", which {above.compose} mounts into the app's code ({above.volume})" if above.volume else ""
            raise AppCodeError(f"{where}cannot import {name!r} while running from {finding.workdir}/: the project has "
                               f"it as {above.path}, in a folder above {finding.workdir}/{mounted}",
                               f"make it importable from {finding.workdir}/ as the deployment does: link or copy "
                               f"{above.path} into {finding.workdir}/, or put "
                               + ("the project's root" if above.folder == "." else f"{above.folder}/") + " on PYTHONPATH")
        if in_project and (below := below_workdir(project, finding.workdir, top, finding.entry.module,
                                                   result.get("where"))) is not None:
            # INSTALLED_APPS = ['accounts'] with the apps in apps/accounts/, and no settings line putting apps/ on
            # sys.path: the entry is right, the app's code never makes that folder importable (its own fault)
            raise AppCodeError(f"{where}cannot import {name!r} while running from {finding.workdir}/: the project has "
                               f"it as {below.path}, in {below.folder}/ below that folder, which nothing in the app "
                               "puts on sys.path",
                               f"put {below.folder}/ on sys.path in the app's code (sys.path.insert(0, <path of "
                               f"{below.folder}/>) in its settings or entry module), or import it as "
                               f"{below.folder.replace('/', '.')}.{top}, and run again")
        if in_project:
            raise AppLoadError(f"{where}cannot import {name!r} while running from {finding.workdir}/: it is in the "
                               "project but not importable from there",
                               "fix the import, or pass --entry with the module path as imported from its folder")
        if top in REMOVED_IN_312:
            # not a missing package: no install helps, only the Python
            raise PythonTooNew(AppLoadError(f"{where}importing {what} needs {top!r}, which Python 3.12 removed from "
                                            f"the standard library; {python_exe} has none",
                                            "run it on Python 3.11 (--python 3.11, or python = \"3.11\" under "
                                            "[tool.shipyard]), or upgrade the pin that imports it"),
                               (f"the installed {pin.replace('==', ' ')} imports {top!r}" if (pin := installed_pin(result))
                                else f"it imports {top!r}") + ", which Python 3.12 removed from the standard library",
                               pin, below="3.12")
        if top in newer_python.MODULES and (newer := _newer_python("", python_exe, newer_python.MODULES[top],
                                                                    f"the standard library's {top}")):
            raise NeedsNewerPython(f"{where}importing {what} needs {top!r}: {newer[0]}", newer[1], newer[2])
        if (renamed := python3_name(name)) is not None:
            # urlparse, urllib2, ConfigParser: Python 2's standard library, which no package provides on Python 3
            code = AppCodeError(*_python2_code(where, what, name, renamed, result.get("importer"), result.get("first")))
            if result.get("first"):
                # the fallback of an import this Python no longer has (collections.MutableMapping): older code
                raise PythonTooNew(code, f"{result['first']}, and its fallback is Python 2's", installed_pin(result),
                                   below=removed_in(result["first"]))
            raise code
        if top == result.get("importer") and (pin := installed_pin(result)):
            # an installed release that cannot import its own module (Django 1.11's django.utils.six.moves, made by
            # a meta path importer Python 3.12 no longer calls): no package to install, an old release on a newer
            # Python, which the proof may try an older one for; when none helps, the release is too old for every
            # Python here (cryptography 1.7.2's bindings built on none): the entry found stands, not proven
            raise PythonTooNew(AppCodeError(f"{where}importing {what} failed: the installed {pin.replace('==', ' ')} "
                                            f"cannot import its own module {name!r} on {python_exe}",
                                            "run it on an older Python, or upgrade the pin"),
                               f"{pin.replace('==', ' ')} cannot import its own {name!r}", pin)
        if (gone := _gone_submodule(result)) is not None:
            provider, importer = gone
            raise GoneSubmodule(f"{where}importing {what} needs {name!r}, which the installed {importer} imports and "
                                f"the installed {provider[0]} {provider[1]} no longer has",
                                f"require a release of {provider[0]} older than {provider[1]} (one {importer} was "
                                f"made for), or a newer {importer.split()[0]}", provider, importer, name)
        if (provider := _own_gone_module(result)) is not None:
            # the app's own `from cherrypy.wsgiserver import ...` with CherryPy installed: a module its release
            # no longer has (moved to cheroot in CherryPy 9), not a package to install; held back as a gone name is
            raise GoneSubmodule(f"{where}importing {what} needs {name!r}, which the installed {provider[0]} "
                                f"{provider[1]} does not have (a module an older release had, or a mistake in the "
                                "app's code)", f"require a release of {provider[0]} older than {provider[1]} (one the "
                                "app's code was written for), or change the import", provider,
                                f"the app's code ({result.get('where')})", name, own=True)
        if (ini := _development_include(project, finding, top)) is not None:
            # pyramid_debugtoolbar in development.ini's pyramid.includes, the only ini the app has: the requirements
            # leave the development tool out on purpose, and a production server must not serve it (its debugger)
            raise AppConfigError(f"{where}importing {what} needs {top!r}, which {ini} includes (pyramid.includes) as a "
                                 "development add-on the requirements leave out: the app has no production ini",
                                 f"write a production.ini without it ([app:main] as in {ini}, pyramid.includes "
                                 "without the development tools), or pass --entry with the ini to serve")
        if (stub := _protoc_output(project, top)) is not None:
            # inventory_service_pb2: what protoc writes from inventory_service.proto (a Dockerfile's RUN python -m
            # grpc_tools.protoc ... step), never committed and on no package index
            proto, command = stub
            raise AppLoadError(f"{where}importing {what} needs {top!r}, the Python that protoc generates from "
                               f"{proto}, which the project does not commit (no package provides it)",
                               f"generate it where the app imports it from ({finding.workdir}/) and run again: "
                               f"{command} (with grpcio-tools installed)")
        if known_distribution(name) is None and (apps := misplaced_app(project, top)) is not None:
            # INSTALLED_APPS' 'attend', whose apps.py the project has at its root (uploaded flat): no package to
            # install, the app's files are not where its name says; the entry found stands, not proven
            raise AppCodeError(f"{where}importing {what} needs {top!r}, the Django app whose AppConfig {apps} declares "
                               f"(name = {top!r}), but the project has no {top}/ package: the app's files are not in "
                               "the folder its name says",
                               f"move {apps} and the app's other files (models.py, views.py, ...) into {top}/ (with "
                               f"an __init__.py), or change the name in {apps} and INSTALLED_APPS, and run again")
        dist = distribution_for(name)
        message = f"{where}importing {what} needs the package {top!r} (distribution {dist}), "
        hint = f"{python_exe} -m pip install {dist}, and add it to your requirements"
        if known_distribution(name) is None and (dev := dev_namesake(project, finding.workdir, top)) is not None:
            # 'querycount' in the development settings' MIDDLEWARE: the app's dev-dependencies say which
            # distribution provides it (django-querycount), not the module's name
            dist = dev.name
            message = (f"{where}importing {what} needs the package {top!r} (distribution {dist}, which {dev.source} "
                       "declares for development only), ")
            hint = (f"{python_exe} -m pip install {dist}, and declare it with the production dependencies (or run "
                    "the app with settings that do not load it)")
        if (importer := result.get("importer")) and importer != top and known_distribution(name):
            # an installed release's optional dependency (aiofiles under Starlette's StaticFiles before 0.15): the
            # proof may install it beside the app's packages (proving.prove); only a distribution the import
            # tables know, not whatever an index holds under a guessed name
            raise ImportedByInstalled(message + f"which the installed {importer} imports and is not installed for "
                                      f"{python_exe}", hint, dist, importer)
        raise MissingDependency(message + f"which is not installed for {python_exe}", hint)
    if error == "missing_env":
        name = result["name"]
        # the file's other reads with no default fail next, one run at a time (a Heroku settings.py reading a dozen
        # of its author's config vars with os.environ[...]): named at once
        failed_in, also = _also_unset(project, finding, result, env, (name,))
        listed = (name, *also)
        raise AppConfigError(f"{where}importing {what} reads the environment variable {name}, which is not set"
                             f"{_example_says(project, finding, name)}"
                             + (f"; {failed_in} also reads {' and '.join(also)} with no default, "
                                f"{'which is' if len(also) == 1 else 'which are'} not set" if also else ""),
                             f"set {' and '.join(listed)} (export {name}=..., or in the app's .env.example) and run "
                             "again" + _placeheld_by_serve(project, finding, listed), listed)
    if error == "missing_settings":
        # a pydantic settings class whose required fields are not set: its environment variables, by name
        unset = _settings_variables(project, result["names"], env)
        tests = _used_by_tests_only(project, result["names"], env)
        raise AppConfigError(f"{where}importing {what} failed ({result['message']}): it reads "
                             f"{' and '.join(unset)}, which {'is' if len(unset) == 1 else 'are'} not set"
                             + _example_leaves_empty(project, finding, unset) + (f"; {tests}" if tests else ""),
                             f"set {' and '.join(unset)} (export {unset[0]}=..., or in a .env file it reads) "
                             "and run again" + _placeheld_by_serve(project, finding, unset), unset)
    if error == "invalid_settings" and (read := _settings_reads(project, result["names"])):
        # a settings class's field whose value does not fit its type: say where the value came from
        given = [name for name in read if env.get(name)]
        own = None if given else _own_env_leaves_empty(project, finding.workdir, read)
        source = (f"{' and '.join(given)} {'is' if len(given) == 1 else 'are'} set in the environment the app "
                  "imports with" if given else
                  f"the app's own {own} writes {' and '.join(read)} empty ({read[0]}=), a slot for you to fill, and "
                  "the app reads that file" if own else
                  f"{' and '.join(read)} {'is' if len(read) == 1 else 'are'} not set: the value is the app's "
                  "default, or from a .env file it reads")
        raise AppConfigError(f"{where}importing {what} failed ({result['message']}): {source}",
                             f"give {' and '.join(read)} {'a value' if len(read) == 1 else 'values'} of the field's "
                             f"type in {own} (as its README or template says) and run again" if own else
                             f"set {' and '.join(read)} to a value of the field's type and run again",
                             tuple(given or read))
    if error == "connection":
        unset = _unset_reads(project, finding, result.get("where"), env, urls_only=True)
        store = UNSERVED_STORES.get(str((result.get("raised_in") or {}).get("package")))
        if store is not None:
            # pymongo connecting at import (MongoAlchemy, pymongo 2's eager MongoClient): a server serve never runs
            name, address = store
            raise AppConfigError(f"{where}importing {what} connects to {name} "
                                 f"({result['raised_in']['package']}), which serve does not run: {result['message']}",
                                 f"start {name} where the app connects ({address} unless its settings say "
                                 "otherwise)" + (f", or set {' / '.join(unset)} to one that answers" if unset else "")
                                 + ", and run again", unset)
        if (host := _internet_host(result["message"])
                or _line_url_host(project, finding, result.get("where"), result["message"])) is not None:
            # tiktoken's encodings, a model or a word list fetched at import: an address on the internet, which no
            # variable of the app's and no server serve starts stands in for (its unset reads are not the cause)
            raise AppConfigError(f"{where}importing {what} downloads from {host}, an internet address this machine "
                                 f"cannot resolve (no internet access here): {result['message']}",
                                 f"run it where {host} is reachable, or put the file it fetches where the app looks "
                                 "for it first (its cache), and run again")
        if not unset and (written := the_url_it_connects_to(project, result["message"])) is not None:
            # config/config.yaml's literal URL, loaded into the app's config: the database serve starts, named in
            # DATABASE_URL, is not the one it connects to, whatever the environment says
            raise AppConfigError(f"{where}importing {what} connects to a server that does not answer here: "
                                 f"{result['message']}; the address is written in {written.rel} ({written.url}), "
                                 "which the app reads instead of the environment, so the database serve starts "
                                 "(DATABASE_URL) is not the one it connects to",
                                 f"point that URL in {written.rel} at a database that answers here (or make the "
                                 "app read DATABASE_URL), and run again")
        if (service := _compose_service_host(project, finding, result["message"])) is not None:
            # meilisearch.Client('http://meilisearch:7700') at import: a name only the app's compose network
            # resolves, for a service serve does not run (it runs the database and Redis, not a search engine)
            host, rel, image = service
            raise AppConfigError(f"{where}importing {what} connects to {host}, the service {host} of {rel}"
                                 f"{f' (image {image})' if image else ''}, a name only that compose network "
                                 f"resolves, which serve does not run: {result['message']}",
                                 f"run the app in its compose stack (docker compose -f {rel} up), or start "
                                 f"{image or host} here and point the app at its address, and run again", unset)
        raise AppConfigError(f"{where}importing {what} connects to a server that does not answer here: "
                             f"{result['message']}",
                             f"start it, or set {' / '.join(unset)} to one that answers" if unset else
                             "start the database or cache it connects to, or make the app connect lazily", unset)
    message = result.get("message", "")
    if error == "exception" and (package := _shadowing_package(project, finding, message)):
        # app.py beside an app/ package: `import app` finds the package first, so app.py runs only as a script
        raise AppCodeError(f"importing {what} failed: {message}: {finding.entry.module}.py cannot be imported as "
                           f"`{finding.entry.module}`, the package {package} beside it takes that name (Python "
                           f"runs {finding.entry.module}.py only as a script, `python {finding.entry.module}.py`)",
                           f"rename {finding.entry.module}.py (run.py, wsgi.py) so a server can import it, or "
                           f"move what it adds to the app into the package, and run again")
    if error == "exception" and (named := _missing_variable(message)):
        # a config reader's own "not set" error, naming the variable (starlette's Config)
        raise AppConfigError(f"{where}importing {what} reads the variable {named} ({message}), which is not set"
                             f"{_example_says(project, finding, named)}",
                             f"set {named} (export {named}=..., or in the .env file the app reads) and run again",
                             (named,))
    if error == "exception" and (empty := _empty_number_reads(project, finding, result.get("where"), env, message)):
        # int(config("TOKEN_EXPIRE_MINUTES", default="")), int(os.getenv("PORT", "")): a number read with an empty
        # default, which the app's own .env (never committed) fills; the error names no variable
        raise AppConfigError(f"{where}importing {what} failed ({_first_line(message)}): it reads "
                             f"{' and '.join(empty)} as a number, and {'it is' if len(empty) == 1 else 'they are'} "
                             f"not set (the code's default is empty){_example_says(project, finding, empty[0])}",
                             f"set {' and '.join(empty)} to a number (export {empty[0]}=..., or in the .env file the "
                             "app reads) and run again", empty)
    if error == "exception" and ("environment variable" in message.lower() or "envvar" in message.lower()):
        # django-environ's "Set the X environment variable", python-decouple's "X not found. Declare it as envvar"
        from ..services import env_reads
        reads = env_reads(project)
        named = tuple(dict.fromkeys(r.name for r in reads
                                    if re.search(rf"\b{r.name}\b", message) and not env.get(r.name)))
        if named:
            # the reads with no default beside it in the same file fail next, one run at a time: named at once
            # (Cloudinary's three keys read in a row by settings/base.py)
            failed_in, also = _also_unset(project, finding, result, env, named)
            listed = named + also
            raise AppConfigError(f"{where}importing {what} failed: {message}"
                                 + (f"; {failed_in} also reads {' and '.join(also)} with no default, "
                                    f"{'which is' if len(also) == 1 else 'which are'} not set" if also else ""),
                                 f"set {' and '.join(listed)} (export {listed[0]}=...) and run again", listed)
    if error == "exception" and (named := _config_file_variable(message, env)):
        # Flask's and Quart's app.config.from_envvar(NAME): the variable names a settings file, not a key
        raise AppConfigError(f"{where}importing {what} loads its settings from the file the variable {named} names "
                             f"(config.from_envvar), and {named} is not set ({_first_line(message)})",
                             f"write the app's config file (Python assignments of UPPERCASE settings; an empty file "
                             f"loads) and point {named} at it (export {named}=/path/to/config.py), then run again",
                             (named,))
    if error in ("exception", "invalid_settings") and (named := _library_variables(message, env)):
        # a package the app calls at import reads its own variable (openai's client: "...by setting the
        # OPENAI_API_KEY environment variable"; langchain's ChatOpenAI), which the app's code never names
        named, instead = named
        alternatives = f" (or {' or '.join(instead)})" if instead else ""
        raise AppConfigError(f"{where}importing {what} needs the variable {' and '.join(named)}{alternatives}, which "
                             f"a package it uses reads and which is not set ({_first_line(message)})",
                             f"set {' and '.join(named)} (export {named[0]}=..., your own key){alternatives} and run "
                             "again", named)
    if error in ("exception", "exit"):
        # settings that stop with their own message when unconfigured: raise SystemExit("set DATABASE_URL ...,
        # or DEBUG ..."), raise ImproperlyConfigured("DJANGO_KEY is required"), naming what the file reads
        named = _unset_reads_named(project, finding, result.get("where"), env, message)
        if named:
            raise AppConfigError(f"{where}importing {what} stops until {' or '.join(named)} "
                                 f"{'is' if len(named) == 1 else 'are'} set: {_first_line(message)}",
                                 f"set {' or '.join(named)} (export {named[0]}=...) and run again", named)
        if elsewhere := _unset_reads_named_elsewhere(project, env, message):
            # the error is raised where a package is imported; the variables it names are read by another file
            names = tuple(dict.fromkeys(name for found in elsewhere.values() for name in found))
            files = " and ".join(elsewhere)
            raise AppConfigError(f"{where}importing {what} failed: {_first_line(message).rstrip('.')}; the app reads "
                                 f"{' and '.join(names)} from the environment ({files}), and "
                                 f"{'it is' if len(names) == 1 else 'they are'} not set",
                                 f"set {' and '.join(names)} (export {names[0]}=..., values of your own account, "
                                 "or in the file the app loads them from) and run again", names)
    if error == "exception" and (guarded := unset_reads_guarding_raise(
            project, *_failing_file(finding, result.get("where")), env)):
        # `if api_key is None: raise Exception("Failed to load the Anthropic API from .env")`, api_key read from
        # an unset variable: the error names no variable, the test around the raise does
        names = " and ".join(guarded)
        raise AppConfigError(f"{where}importing {what} failed: {_first_line(message)} (it raises that while {names} "
                             f"{'is' if len(guarded) == 1 else 'are'} not set)",
                             f"set {names} (export {guarded[0]}=..., your own value, or in the .env file the app "
                             "loads) and run again", guarded)
    if error == "exception" and (unset := _unset_reads_of_named_target(project, finding, result.get("where"), env,
                                                                       message)):
        # pydantic 1's `ConfigError: unable to infer type for attribute "app_name"` for `app_name =
        # os.getenv("NAME_APP")` in a settings class: the error names what the unset read was assigned to
        names, example = " and ".join(unset), _example_leaves_empty(project, finding, unset)
        raise AppConfigError(f"{where}importing {what} failed ({message}): it reads {names} with no default, which "
                             f"{'is' if len(unset) == 1 else 'are'} not set{example}",
                             f"set {names} (export {unset[0]}=..., or in a .env file it reads) and run again", unset)
    # "NoneType" (a None used), or 'None' (a None formatted into a string: f"...:{os.environ.get('PORT')}/..."
    # gives int('None') in the URL parser)
    if error == "exception" and result.get("type") in NONE_ERRORS and ("NoneType" in message or "'None'" in message):
        unset = _unset_reads(project, finding, result.get("where"), env)
        if unset:
            raise _none_from_unset(project, finding, f"{where}importing {what} failed ({result['message']})", unset)
    if error == "exception" and re.search(r"\bNone\b", message) \
            and (unset := _unset_reads_on_failing_line(project, finding, result.get("where"), env)):
        # a package's own error class for the None an unset read gave it (SQLAlchemy's create_engine(None):
        # "ArgumentError: Expected string or URL object, got None"), or its own words for it in a ValueError
        # (firebase-admin's credentials.Certificate(None): 'Invalid certificate argument: "None"'): only reads on the
        # failing line, or bound to names used there, count, as any exception may mention None
        raise _none_from_unset(project, finding, f"{where}importing {what} failed ({result['message']})", unset)
    if error == "exception" and result.get("type") in NONE_ERRORS \
            and (unset := _unset_reads_imported_on_failing_line(project, finding, result.get("where"), env)
                          or _unset_settings_fields_on_failing_line(project, finding, result.get("where"), env)):
        # the failing statement hands a package what an unset read gave a module it imports (config.PROVIDER):
        # the package's own words need not say None
        raise _none_from_unset(project, finding, f"{where}importing {what} failed ({result['message']})", unset)
    if error == "not_callable":
        raise AppLoadError(f"{what} is a {result['type']}, not a {finding.entry.interface.upper()} callable",
                           "point --entry at the app object (e.g. module:app), not a wrapper around it")
    if error == "wrong_interface":
        raise AppLoadError(f"{what} is {result['detail']}", "check the entry, or pass --entry module:attr")
    if error == "exception" and (newer := _newer_python(message, python_exe)):
        raise NeedsNewerPython(f"{where}importing {what} failed: {message}: {newer[0]}", newer[1], newer[2])
    if error == "exception" and result.get("type") == "NameError" and \
            (name := _type_checking_name(project, finding, result.get("where"), message)) and \
            (newer := _newer_python("", python_exe, newer_python.LAZY_ANNOTATIONS,
                                    f"annotations naming {name}, which it imports only under `if TYPE_CHECKING:` "
                                    "(evaluated lazily from Python 3.14)")):
        # written for the Python the app asks for, as new syntax is: the proof stands unproven, serve names it
        raise NeedsNewerPython(f"{where}importing {what} failed: {message}: {newer[0]}", newer[1], newer[2])
    if error == "exception" and result.get("type") == "NameError" and \
            (absent := unimported_module(project, finding.workdir, result.get("where"), message)) is not None:
        # constants.SECRET_KEY read in main.py, `#import constants` commented out, constants.py kept out of git: the
        # author's own module, a setup step (write it, import it), not a package or a Python to change
        commented = f", and its `import {PurePosixPath(absent.module).stem}` is commented out" if absent.commented else ""
        raise AppConfigError(f"{where}importing {what} failed: {_first_line(message)}: {absent.reader} reads "
                             f"{', '.join(absent.names)} from {absent.module}, which is not in the project (.gitignore "
                             f"keeps it out of git){commented}",
                             f"write {absent.module} with {' and '.join(absent.names)}, import it in {absent.reader}, "
                             "and run again")
    if error == "exception" and result.get("type") == "NameError" and \
            (lost := unimported_stdlib(project, finding.workdir, result.get("where"), message)) is not None:
        # settings.py's `os.getenv(...)` with no `import os`: the app's own one-line mistake, said as such
        reader, module, attr = lost
        raise AppCodeError(f"{where}importing {what} failed: {_first_line(message)}: {reader} uses {module}.{attr} "
                           f"but never imports {module} (the standard library's): a mistake in the app's code",
                           f"add `import {module}` at the top of {reader}, and run again")
    if error == "exception" and (logs := _missing_log_folder(project, finding.workdir, message)):
        # Django's LOGGING {'class': 'logging.FileHandler', 'filename': 'logs/error.log'} in a .gitignore'd logs/
        # that only the author's Dockerfile (mkdir -p logs) makes: a log file, not settings to write. dictConfig
        # says "Unable to configure handler 'error'", the path only in its cause on Python 3.8 and later
        folder, file = logs
        raise AppConfigError(f"{where}importing {what} failed ({_first_line(message)}): it opens "
                             f"{f'its log file {file}' if file else 'a log file'} in {folder}/, a folder the project "
                             "lacks (git keeps no empty folder; a .gitignore'd one keeps nothing)",
                             f"make the folder (mkdir -p {folder}), or run `shipyard serve` or `dev`, which make it, "
                             "and run again")
    if error == "exception" and sqlite_folders.UNOPENED in (message or "") and \
            (folders := sqlite_folders.absent_sqlite_folders(project, finding.workdir, finding.entry.import_folder,
                                                             built_here.installed(python_exe))):
        # sqlite:///data/database.db with no data/ in the clone (git keeps no empty folder): SQLite creates the
        # file, not its folder. A setup step that serve and dev do, not the code's fault (nor a broken launcher's)
        raise AppConfigError(f"{where}importing {what} failed ({_first_line(message)}): it keeps its SQLite "
                             f"database in {folders[0]}/, a folder the project lacks (git keeps no empty folder)",
                             f"make the folder (mkdir -p {folders[0]}), or run `shipyard serve` or `dev`, which make "
                             "it, and run again")
    if error == "exception" and (result.get("type") == "FileNotFoundError" or _MISSING_PATH.search(message or "")) \
            and (kept := _ignored_file_named(project, finding.workdir, message)):
        # app.config.from_json('config.json') on flask_blog/config.json, which .gitignore keeps to its author; a
        # library's own error saying so (envdir.open('.envdir'): "envdir '.../.envdir' does not exist")
        raise AppConfigError(f"{where}importing {what} needs {kept}, which is not in the project (.gitignore keeps "
                             "it out of git)", f"write {kept} with the settings the app reads from it, and run again")
    if error == "exception" and result.get("type") == "KeyError" and \
            (dotenv := dotenv_file_read(project, finding.workdir, result.get("where"), message)) is not None:
        # USER read from dotenv_values(".env"), the file alone: no variable set for the app reaches it, and the
        # project has only .env.example, which its README has you copy and fill in
        said, todo = explained_dotenv(dotenv)
        raise AppConfigError(f"{where}importing {what} failed ({message.splitlines()[0]}): {said}", todo)
    if error == "exception" and result.get("type") in _UNSET_VALUE_ERRORS and \
            (loaded := loaded_from_example(project, finding.workdir)) is not None:
        # load_dotenv() of a .env the project ships only as .env.sample, then os.getenv("DB_URL"): the value is None
        # and a package stops on it (Flask-PyMongo's "You must specify a URI"); the step is writing .env
        said, todo = explained_loaded(loaded)
        raise AppConfigError(f"{where}importing {what} failed ({_first_line(message)}): {said}", todo)
    if error == "exception" and result.get("type") == "FileNotFoundError" and _FLASK_CONFIG_FILE in message \
            and (absent := _absent_file_named(project, finding.workdir, message)) \
            and "instance" in PurePosixPath(absent).parts[:-1]:
        # app.config.from_pyfile('development.py') in an instance folder the README has the reader write (a 2017
        # course app keeps its secret key, database and AWS keys there): a setup step, not the app's code. Flask's
        # instance folder is the deployment's own, kept out of version control; a file elsewhere that the project
        # lacks and git does not ignore stays the app's error
        raise AppConfigError(f"{where}importing {what} loads its configuration from {absent} (Flask's "
                             "config.from_pyfile), which is not in the project",
                             f"write {absent} with the settings the app reads from app.config (its README says which), "
                             "and run again")
    if error == "exception" and result.get("type") == "FileNotFoundError" \
            and (absent := _absent_file_named(project, finding.workdir, message)) \
            and (said := readme_line_naming(project, (finding.workdir, "."), absent)):
        # open('./config.json') at import, config.json neither committed nor ignored, and the README telling its
        # reader to write it: a setup step, not a fault in the code ("fix it in the app's code" would mislead)
        raise AppConfigError(f"{where}importing {what} needs {absent}, which is not in the project; its README asks "
                             f"for it: \"{said}\"", f"write {absent} as the README says, and run again")
    if error == "exception" and result.get("type") == "FileNotFoundError" \
            and (absent := _absent_file_named(project, finding.workdir, message)) \
            and (pattern := lfs_pattern(project, absent)):
        # dill.load(open("recomm.pkl")) at import, the repository's .gitattributes sending *.pkl to Git LFS, and no
        # recomm.pkl in the copy: a file to fetch from LFS (or produce), not a fault in the app's code
        raise AppConfigError(f"{where}importing {what} opens {absent}, which is not in the project: the repository's "
                             f".gitattributes keeps {pattern} in Git LFS, and this copy has no such file",
                             f"fetch it (git lfs pull in a clone of the repository) or produce it as the project "
                             f"says, put it at {absent}, and run again")
    if error == "exception" and result.get("type") in CONFIG_READ_ERRORS and \
            (copy := config_examples.example_to_copy(project, finding.workdir)):
        # config.read('settings.ini') with only settings.ini.example in the folder: configparser reads nothing and
        # the app fails at its first lookup (KeyError), a setup step the README asks for, not a fault in the code
        example, missing = copy
        raise AppConfigError(f"{where}importing {what} failed ({message.splitlines()[0] if message else result.get('type')}): the app "
                             f"reads {missing}, which the project ships only as its example {example}",
                             f"copy it (cp {example} {missing}), set its values, and run again")
    if error == "exception" and (board := _board_only(result)) is not None:
        # Adafruit Blinka's `board` on a machine that is not one of its boards (NotImplementedError: Board not
        # supported), RPi.GPIO's "can only be run on a Raspberry Pi": the app reads pins and sensors at import
        raise AppCodeError(f"{where}importing {what} failed: {_first_line(message)} (the installed {board[0]} drives "
                           f"the pins of {board[1]}, and this machine is not one)",
                           "run the app on that board, or make its hardware reads happen at request time (not at "
                           "import) so the app can start elsewhere")
    if error == "exception" and (library := geodjango.missing_library(message)) is not None:
        # django.contrib.gis in INSTALLED_APPS loads GDAL and GEOS with ctypes: a system library, which no
        # requirement brings and serve installs none of (the image does: detect/geodjango.py)
        name, how = library
        raise AppConfigError(f"{where}importing {what} needs the {name} C library, which GeoDjango "
                             f"({geodjango.GIS_APP} in INSTALLED_APPS) loads at start-up and this machine does not "
                             f"have: {_first_line(message)}",
                             f"install it ({how}) and run again; the image `shipyard build` makes installs it")
    if error == "exception" and result.get("type") in shared_library.RAISED \
            and (raised_in := result.get("raised_in") or {}).get("package") \
            and (library := shared_library.missing_library(message)) is not None:
        # pyzbar's "Unable to find zbar shared library", opencv's "libGL.so.1: cannot open shared object file":
        # a system C library the installed package loads, which no Python brings (not a Python too new, which
        # would retry older Pythons for nothing) and serve installs none of (the image does, when the table knows it)
        packages = shared_library.debian_packages(library, raised_in.get("distribution"))
        raise AppConfigError(f"{where}importing {what} needs the {library} C library, which the installed "
                             f"{_raised_in(raised_in)} loads and this machine does not have: {_first_line(message)}",
                             f"install it (apt-get install {' '.join(packages)}) and run again; the image "
                             "`shipyard build` makes installs it" if packages else
                             f"install the system package that provides {library} and run again")
    failed = _import_failed(project, finding.workdir, result, where, what)
    if error == "exception" and (gone := _gone_name(result)) is not None:
        # the app's own `from werkzeug import secure_filename`, a name Werkzeug 1.0 removed: a package the app leaves
        # open resolved to a release newer than its code; the proof holds it back as for a pinned release's import
        provider, name = gone
        # unproven until an older release imports (proving's hold rounds): a typo reads the same
        raise GoneSubmodule(f"{where}importing {what} failed: {message} (not in the installed {provider[0]} "
                            f"{provider[1]}: a name an older release had, or a mistake in the app's code)",
                            f"require a release of {provider[0]} older than {provider[1]} (one the app's code was "
                            f"written for), or change the import", provider, f"the app's code ({result.get('where')})",
                            name, own=True)
    if error == "exception" and (removed := _removed_by_release(result)) is not None:
        # SQLAlchemy 2.0's `mapper()` raising "removed as of SQLAlchemy 2.0" when the app's code calls it: the
        # package says itself that its installed release dropped what the app uses, as a gone name does at import
        provider, name = removed
        raise GoneSubmodule(f"{where}importing {what} failed: {message} (the installed {provider[0]} {provider[1]} "
                            f"removed it)", f"require a release of {provider[0]} older than {provider[1]} (one the "
                            f"app's code was written for), or change the code that calls it", provider,
                            f"the app's code ({result.get('where')})", name, own=True)
    if error == "exception" and (gone := _gone_name_of_another_release(result)) is not None:
        # Flask-Login 0.6.2's `from werkzeug.urls import url_decode` under Werkzeug 3.0, which removed it: two
        # releases of different days, not a Python too new; held back as a gone submodule is (proving.py), unless
        # the app pins that package exactly, and then the message says which of the two to move
        provider, importer, name = gone
        raise GoneSubmodule(f"{where}importing {what} failed: {message} (the installed {importer} imports "
                            f"{name}, which the installed {provider[0]} {provider[1]} no longer has)",
                            f"require a release of {importer.split()[0]} made for {provider[0]} {provider[1]} (a "
                            f"later one), or a {provider[0]} older than {provider[1]} (one {importer} was made for)",
                            provider, importer, name)
    if error == "exception" and (provider := _old_generated_protos(result)) is not None:
        # tensorflow 2.3's _pb2 modules under protobuf 4.21, which refuses code protoc generated before 3.19: two
        # releases of different days, not a Python too new; held back as a gone submodule is (proving.py)
        raise GoneSubmodule(f"{where}importing {what} failed: {_first_line(message)} (the installed protobuf "
                            f"{provider[1]} refuses code generated by protoc before 3.19, which an installed _pb2 "
                            "module is)", "require protobuf<3.21 (the series that code was generated for), or "
                            "releases whose _pb2 modules were generated again", provider,
                            "_pb2 module generated by protoc before 3.19", "FieldDescriptor()")
    if error == "exception" and (raised_in := python_bound_release(result)):
        # an error of the kind an old release meets on a newer Python (collections.MutableMapping gone, the
        # ast or code objects changed), raised inside that release: the proof may try an older Python
        caller = _calling_release(result)
        raise PythonTooNew(failed, f"{result.get('type')} raised inside the installed {raised_in}"
                           + (f" (by the standard library's {result['stdlib_raiser']})" if result.get("stdlib_raiser") else ""),
                           installed_pin(result), below=removed_in(message), stdlib=result.get("stdlib_raiser"),
                           caller=caller[0] if caller else None, raiser=caller[1] if caller else None)
    if error == "exception" and (raised_in := result.get("raised_in") or {}).get("package") and \
            (bound := python_bound_message(message)) is not None:
        # a RuntimeError this Python raises for code an older one only warned about (Django 1.10's model
        # metaclass dropping __classcell__: a DeprecationWarning on 3.6 and 3.7, an error from 3.8 on), raised
        # inside an installed release: the proof tries the Pythons before the one that made it an error
        gone, said = bound
        raise PythonTooNew(failed, f"{result.get('type')} raised inside the installed {_raised_in(raised_in)} "
                           f"({said}, an error from Python {gone} on)", installed_pin(result), below=gone)
    if error == "exception" and result.get("type") in ("AttributeError", "ImportError") and \
            (gone := removed_in(message)):
        # the app's own code uses a standard-library name this Python removed (`@asyncio.coroutine`, gone in
        # 3.11; inspect.getargspec): it was written for an older Python, which the proof may try
        raise PythonTooNew(failed, f"its code uses a standard-library name Python {gone} removed ({_first_line(message)})",
                           below=gone)
    if isinstance(failed, AppCodeError) and \
            (hint := unread_config_file(project, _failing_file(finding, result.get("where"))[0], result)):
        failed.hint = hint      # a configparser file the settings read and the app does not ship: which, and where
    elif isinstance(failed, AppCodeError) and \
            (hint := settings_hint(project, finding, _failing_file(finding, result.get("where"))[0])):
        failed.hint = hint      # the settings module Shipyard chose raises: the package's others, and how to pick one
    raise failed


# distributions that drive a single-board computer's pins, and refuse at import on any other machine -> the boards
_BOARD_ONLY = {"adafruit-blinka": "a board Adafruit Blinka supports (a Raspberry Pi, BeagleBone, Jetson...)",
               "rpi-gpio": "a Raspberry Pi", "jetson-gpio": "an NVIDIA Jetson", "gpiozero": "a Raspberry Pi",
               "pigpio": "a Raspberry Pi"}


def _board_only(result: dict) -> tuple[str, str] | None:
    """(the installed release, the boards it runs on) when the import was raised inside a library that drives a
    single-board computer's pins."""
    raised = result.get("raised_in") or {}
    dist = re.sub(r"[-_.]+", "-", (raised.get("distribution") or "")).lower()
    if dist not in _BOARD_ONLY:
        return None
    return f"{raised['distribution']} {raised.get('version') or ''}".strip(), _BOARD_ONLY[dist]


# what asyncio raises when a module-level call needs the event loop a server has not started yet
_NO_LOOP = re.compile(r"no running event loop|There is no current event loop")


def _last_printed(*outputs: str | None) -> str:
    """The last line the app printed before it stopped (stdout's first, then stderr's), at most 200 characters."""
    for output in outputs:
        lines = [line.strip() for line in (output or "").splitlines() if line.strip()]
        if lines:
            return lines[-1][:200]
    return ""


def _import_failed(project: Project, workdir: str, result: dict, where: str, what: str) -> AppLoadError:
    """The error for an import that raised (what is left once configuration and packages are ruled out)."""
    message = result.get("message", "")
    if result.get("error") == "exception" and result.get("type") == "SyntaxError" \
            and (release := python_bound_release(result)):
        # not the app's syntax: an installed release's code that this Python does not parse (`async` as a name,
        # Python 2 source a setup.py once converted with 2to3, which today's setuptools no longer runs)
        return AppCodeError(f"{where}importing {what} failed: {message} (in the installed {release})",
                            f"the installed {release} does not parse on this Python: pin a release of it made for "
                            "Python 3 and this Python, or run the app on the Python it was written for")
    source = ""
    if result.get("error") == "exception" and result.get("syntax_at"):
        # a file of the app's own that does not parse: named, and when it is Python 2's code, said so
        rel, lineno = result["syntax_at"]
        path = source = str(PurePosixPath(workdir, rel)).removeprefix("./")
        if (python2 := python2_error(path, lineno, message, project.scan_text(path))) is not None:
            return AppCodeError(f"{python2[0]} (importing {what})", python2[1])
        where = f"{path}:{lineno}: " if lineno else f"{path}: "
    if result.get("error") == "exception" and result.get("type") == "SyntaxError":
        unread = UnreadSyntax(f"{where}importing {what} failed: {message}", "fix the syntax, or run it on the Python "
                              "it is written for")
        # the app's file that does not parse, for the proof to try it on a newer Python (proving._own_syntax_error)
        unread.source = source
        return unread
    if result.get("error") == "exception" and result.get("type") == "RuntimeError" and where \
            and _NO_LOOP.search(message):
        # `asyncio.create_task(...)` (or get_running_loop()) at a module's top level, in an app the probe could not
        # import inside a loop either (detect/probe.py load_inside_a_loop: ASGI entries only)
        return AppCodeError(f"{where}importing {what} failed: {_first_line(message)}: the module starts an asyncio "
                            "task (or asks for the running loop) when it is imported, before any server's event "
                            "loop runs (an ASGI app is imported again inside one; this one is not ASGI, or failed "
                            "there too)",
                            "move that call into the app's startup (a lifespan handler or on_startup), where the "
                            "server's loop is running, and run again")
    if result.get("error") == "exit" and where and result.get("printed"):
        # the app's own file stops the import, having said why (a key to write into app.py first): the entry is
        # right, and what the app printed is what to do, not where to move the exit
        return AppCodeError(f"{where}importing {what} failed: {message}, after printing {result['printed']!r}",
                            "do what the app asks (its README or the file named says where), then run again; or "
                            "move the sys.exit() call under if __name__ == '__main__': if it should not stop there")
    if result.get("error") in ("exception", "invalid_settings") and where:
        # raised in a file of the app's own, while importing it: the entry is right, the code fails here
        return AppCodeError(f"{where}importing {what} failed: {message}", "run the import yourself to see the full "
                            "error, fix it in the app's code (or the version of the package it calls), and run again")
    return AppLoadError(f"{where}importing {what} failed: {message or 'unknown error'}",
                        result.get("hint") or "run the import yourself to see the full error")


def _shadowing_package(project: Project, finding: EntryFinding, message: str) -> str | None:
    """"app/" when the entry's module is a top-level app.py whose name a package folder beside it (app/__init__.py)
    takes, and importing it found the package, not the file's attribute."""
    module = finding.entry.module
    if "." in module or not message.startswith(f"AttributeError: module '{module}' has no attribute"):
        return None
    base = PurePosixPath(finding.workdir, finding.entry.import_folder or ".")
    file, package = base / f"{module}.py", base / module / "__init__.py"
    if project.is_file(str(file).removeprefix("./")) and project.is_file(str(package).removeprefix("./")):
        return f"{str(base / module).removeprefix('./')}/"
    return None


# what reading a configuration file that is not there ends in: configparser's lookups in an empty parser,
# json/yaml's open()
# what a package raises on a setting the app passed as None (an unset variable)
_UNSET_VALUE_ERRORS = frozenset({"ValueError", "KeyError", "TypeError"})

CONFIG_READ_ERRORS = frozenset({"KeyError", "FileNotFoundError", "NoSectionError", "NoOptionError"})

# what an old release meets on a newer Python: a name or module gone, code objects and ast nodes changed, syntax
# that became a keyword (`async`), a C extension built from an old release's source that this Python's C API
# refuses (psycopg2 2.9.1 on 3.11+: "SystemError: initialization of _psycopg raised unreported exception"); not
# configuration (KeyError, ValueError, a package's own exception classes)
PYTHON_BOUND_ERRORS = frozenset({"AttributeError", "ImportError", "TypeError", "SyntaxError", "NameError",
                                 "SystemError"})


def python_bound_release(result: dict) -> str | None:
    """"Werkzeug 0.15.3" when the probe's failure is an error of PYTHON_BOUND_ERRORS raised inside that installed
    release (probe.py's raised_in), else None."""
    raised_in = result.get("raised_in") or {}
    if result.get("type") not in PYTHON_BOUND_ERRORS or not raised_in.get("package"):
        return None
    return _raised_in(raised_in)


# errors a release's call into another release's newer API meets as much as an old release on a newer Python
CALL_MISMATCH_ERRORS = frozenset({"TypeError", "AttributeError"})


def _calling_release(result: dict) -> tuple[str, tuple[str, str, str]] | None:
    """("fastapi-jwt-auth 0.5.0", ("pydantic", "2.10.3", "TypeError: ...")) when the failure was raised inside one
    installed release called from another installed distribution's code (probe.py's called_by): two releases of
    different days may be what fails, not the Python, so the proof holds the one that raised back before it tries
    an older Python (proving.py). None when the app's own code made the call, when a standard-library module raised
    it, or when the message names what a Python removed (those are the Python's)."""
    raised_in, caller = result.get("raised_in") or {}, result.get("called_by") or {}
    if result.get("type") not in CALL_MISMATCH_ERRORS or result.get("stdlib_raiser") \
            or removed_in(result.get("message", "")) \
            or not (raised_in.get("distribution") and raised_in.get("version") and caller.get("distribution")):
        return None
    if normalize(caller["distribution"]) == normalize(raised_in["distribution"]):
        return None
    return _raised_in(caller), (raised_in["distribution"], raised_in["version"],
                                _first_line(result.get("message", "")))


def _raised_in(raised_in: dict) -> str:
    """"Werkzeug 0.15.3" for the probe's raised_in, or "package 'werkzeug'" when its release is not known."""
    if raised_in.get("distribution") and raised_in.get("version"):
        return f"{raised_in['distribution']} {raised_in['version']}"
    return f"package {raised_in['package']!r}"


def _gone_submodule(result: dict) -> tuple[tuple[str, str], str] | None:
    """((distribution, version) of the installed package a missing submodule belongs to, "importer version") when
    another installed release imports it: the probe's provider and raised_in. None for the app's own import."""
    provider = result.get("provider") or {}
    raised_in = result.get("raised_in") or {}
    if not (provider.get("distribution") and provider.get("version") and raised_in.get("distribution")):
        return None
    if raised_in.get("package") == provider.get("package") or not result.get("importer"):
        return None                       # the package's own submodule, or the app's import
    importer = " ".join(filter(None, (raised_in["distribution"], raised_in.get("version"))))
    return (provider["distribution"], provider["version"]), importer


_CANNOT_IMPORT = re.compile(r"cannot import name '(\w+)' from '([\w.]+)'")


def _own_gone_module(result: dict) -> tuple[str, str] | None:
    """(distribution, version) of the installed package whose submodule the app's own code imports and that
    release lacks ("cherrypy.wsgiserver" with CherryPy 18 installed); None for an installed release's import
    (_gone_submodule), a missing top-level package, or a package outside site-packages."""
    provider = result.get("provider") or {}
    if result.get("importer") or result.get("raised_in") or "." not in result.get("name", "") \
            or not (provider.get("distribution") and provider.get("version")):
        return None
    return provider["distribution"], provider["version"]


def _gone_name_of_another_release(result: dict) -> tuple[tuple[str, str], str, str] | None:
    """((distribution, version) of the provider, "importer version", "module.name") when an installed release
    imports a name another installed distribution's release does not have ("cannot import name 'url_decode' from
    'werkzeug.urls'" inside Flask-Login); None for the app's own import (_gone_name), a standard-library module (no
    provider: the Python's, PythonTooNew), or a package's import of its own modules."""
    provider = result.get("provider") or {}
    raised_in = result.get("raised_in") or {}
    match = _CANNOT_IMPORT.search(result.get("message", ""))
    if result.get("type") != "ImportError" or not match or "partially initialized module" in result.get("message", "") \
            or not (provider.get("distribution") and provider.get("version") and raised_in.get("distribution")):
        return None
    if re.sub(r"[-_.]+", "-", provider["distribution"]).lower() == \
            re.sub(r"[-_.]+", "-", raised_in["distribution"]).lower():
        return None
    importer = " ".join(filter(None, (raised_in["distribution"], raised_in.get("version"))))
    return (provider["distribution"], provider["version"]), importer, f"{match.group(2)}.{match.group(1)}"


def _gone_name(result: dict) -> tuple[tuple[str, str], str] | None:
    """((distribution, version) of the installed package, "module.name") when the app's own code imports a name
    that package's installed release does not have (not a standard-library module, not an installed release's
    import: those are the Python's, PythonTooNew; not a circular import, which no release mends)."""
    provider = result.get("provider") or {}
    match = _CANNOT_IMPORT.search(result.get("message", ""))
    if result.get("type") != "ImportError" or result.get("raised_in") or not match \
            or "partially initialized module" in result.get("message", "") \
            or not (provider.get("distribution") and provider.get("version")):
        return None
    return (provider["distribution"], provider["version"]), f"{match.group(2)}.{match.group(1)}"


# a package's own word that it removed what it was called for: "The 'sqlalchemy.orm.mapper()' function is removed
# as of SQLAlchemy 2.0", "... was removed in Foo 3.0", "removed in version 2.0"
# protobuf 4.21 (May 2022) says so of a _pb2 module protoc generated before 3.19 ("cannot not", as it spells it)
_OLD_GENERATED_PROTOS = re.compile(r"Descriptors cannot (?:not )?be created directly")


def _old_generated_protos(result: dict) -> tuple[str, str] | None:
    """("protobuf", its installed version) when the failure is protobuf refusing code generated by a protoc older
    than it reads (raised inside protobuf itself), else None."""
    raised_in = result.get("raised_in") or {}
    if not _OLD_GENERATED_PROTOS.search(result.get("message", "")) or not raised_in.get("version") or \
            re.sub(r"[-_.]+", "-", raised_in.get("distribution") or "").lower() != "protobuf":
        return None
    return "protobuf", raised_in["version"]


_REMOVED_AS_OF = re.compile(r"\bremoved (?:as of|in) (?:version )?(?:([A-Za-z][\w.-]*) )?v?(\d+(?:\.\d+)*)\b", re.I)
_REMOVED_WHAT = re.compile(r"'([\w.]+(?:\(\))?)'")


def _removed_by_release(result: dict) -> tuple[tuple[str, str], str] | None:
    """((distribution, version), what) when the failure was raised inside an installed release whose message says
    that release removed it (named after that distribution, or no name, and a version the installed one has
    reached); not "removed in Python 3.12", which is the Python's (PythonTooNew)."""
    raised_in = result.get("raised_in") or {}
    dist, version, message = raised_in.get("distribution"), raised_in.get("version"), result.get("message", "")
    if not dist or not version:
        return None
    for named, removed in _REMOVED_AS_OF.findall(message):
        if named and re.sub(r"[-_.]+", "-", named).lower() != re.sub(r"[-_.]+", "-", dist).lower():
            continue
        try:
            reached = Version(version) >= Version(removed)
        except InvalidVersion:
            continue
        if reached:
            what = _REMOVED_WHAT.search(message)
            return (dist, version), what.group(1) if what else _first_line(message)
    return None


def installed_pin(result: dict) -> str | None:
    """The installed release the failure was raised in, as a pin ("Werkzeug==0.15.3"), when the probe knows it."""
    raised_in = result.get("raised_in") or {}
    if raised_in.get("distribution") and raised_in.get("version"):
        return f"{raised_in['distribution']}=={raised_in['version']}"
    return None


# names a Python removed that old releases import: (module, name) -> the Python that removed it
REMOVED_NAMES = {**{("collections", name): "3.10" for name in (
    "Mapping", "MutableMapping", "Sequence", "MutableSequence", "Set", "MutableSet", "Callable", "Iterable",
    "Iterator", "Hashable", "Sized", "Container", "Generator", "Awaitable", "Coroutine")},
    ("inspect", "getargspec"): "3.11", ("inspect", "formatargspec"): "3.11", ("asyncio", "coroutine"): "3.11",
    ("base64", "encodestring"): "3.9", ("base64", "decodestring"): "3.9", ("time", "clock"): "3.8",
    ("cgi", "escape"): "3.8", ("platform", "linux_distribution"): "3.8", ("platform", "dist"): "3.8",
    # asyncio.Task's class methods, moved to asyncio's functions (3.7) and then removed: the probe names a call an
    # installed release makes only when serving (probe.py's REMOVED_AT_CALL)
    ("asyncio.Task", "current_task"): "3.9", ("asyncio.Task", "all_tasks"): "3.9"}
_GONE_NAME = (re.compile(r"module '(\w+)' has no attribute '(\w+)'"),
              re.compile(r"cannot import name '(\w+)' from '(\w+)'"),
              re.compile(r"type object '([\w.]+)' has no attribute '(\w+)'"))


# what a Python says of code an older Python accepted with a warning only -> the Python that made it an error
PYTHON_BOUND_MESSAGES = (
    # a metaclass whose __new__ leaves __classcell__ out of type.__new__ (Django before 1.11, written before 3.6)
    (re.compile(r"__class__ not set defining .* Was __classcell__ propagated to type\.__new__"), "3.8",
     "a metaclass that does not pass __classcell__ on to type.__new__"),
)


def python_bound_message(message: str) -> tuple[str, str] | None:
    """(the Python that made it an error, what it is in words) when `message` is one a Python raises for code an
    older Python only warned about, else None."""
    for pattern, python, said in PYTHON_BOUND_MESSAGES:
        if pattern.search(message or ""):
            return python, said
    return None


def removed_in(message: str) -> str | None:
    """The Python that removed the standard-library name an error message says is missing ("3.10" for
    collections.MutableMapping), or None."""
    for pattern in _GONE_NAME:
        for first, second in pattern.findall(message):
            pair = (second, first) if pattern is _GONE_NAME[1] else (first, second)
            if pair in REMOVED_NAMES:
                return REMOVED_NAMES[pair]
    return None


def _newer_python(message: str, python_exe: str, version: tuple[int, int] | None = None, uses: str = ""
                  ) -> tuple[str, str, str] | None:
    """(what to add to the error, the hint, the Python needed: "3.10") when the error is one only a Python older
    than the code's gives (`message`'s, or `version` given), and `python_exe` is older than that; None otherwise."""
    found = (version, uses) if version else newer_python.needed(message)
    ran = newer_python.version_of(python_exe) if found else None
    if found is None or ran is None or ran >= found[0]:
        return None
    wanted = f"{found[0][0]}.{found[0][1]}"
    return (f"the app's code uses {found[1]}, which needs Python {wanted} or newer, and it ran on "
            f"{ran[0]}.{ran[1]}", newer_python.hint(found[0]), wanted)


def _type_checking_name(project: Project, finding: EntryFinding, where: str | None, message: str) -> str | None:
    """The name a NameError raised in the app's file `where` (path:line, from the workdir) misses, when that file
    imports it only for type checking (newer_python.type_checking_name)."""
    rel = str(where or "").rpartition(":")[0]
    if not rel:
        return None
    path = project.path(str(PurePosixPath(finding.workdir, rel)))
    try:
        source = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return newer_python.type_checking_name(message, source)


# what a config reader raises for a variable that is not set and has no default, the variable's name captured
_MISSING_VARIABLE = (
    re.compile(r"Config '(\w+)' is missing, and has no default"),          # starlette.config.Config
)


def _none_from_unset(project: Project, finding: EntryFinding, failed: str, unset: tuple[str, ...]) -> AppConfigError:
    """The error for an import that failed on the None that reading the unset variables `unset` gave."""
    names = " and ".join(unset)
    return AppConfigError(f"{failed}: it reads {names}, which {'is' if len(unset) == 1 else 'are'} not set"
                          + _example_leaves_empty(project, finding, unset),
                          f"set {names} (export {unset[0]}=..., or in the app's .env.example) and run again", unset)


def _missing_variable(message: str) -> str | None:
    return next((m.group(1) for pattern in _MISSING_VARIABLE if (m := pattern.search(message))), None)


def _also_unset(project: Project, finding: EntryFinding, result: dict, env: Mapping[str, str],
                named: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """(the file the import failed in, relative to the project; the other variables it reads with no default and
    that are unset): those stop the next run, one at a time."""
    from ..services import env_reads
    failed_in = str(result.get("where") or "").rpartition(":")[0]    # relative to the workdir
    failed_in = str(PurePosixPath(finding.workdir, failed_in)).removeprefix("./") if failed_in else ""
    reads = env_reads(project)
    # every read of it raises unset: not one the code tests first (`os.environ["X"] if "X" in os.environ`) nor one
    # with a default somewhere
    kept = {r.name for r in reads if not r.required or r.default or r.tested}
    # one the import had, even empty (serve's EMAIL_HOST_USER='', Django's default), does not raise unset: only a
    # variable absent from its environment stops the next run
    also = tuple(dict.fromkeys(r.name for r in reads if r.path == failed_in and r.name not in kept
                               and r.name not in named and r.name not in env))
    # `for _var in _REQUIRED_SECRETS: os.environ.get(_var, "")` then a raise: the list's other unset names stop
    # the next runs, whatever defaults other files give them (detect/required_list.py)
    from ..required_list import listed_with
    listed = (n for name in named for n in listed_with(project, failed_in, name))
    # (there an empty value raises too: `if not _val`)
    also += tuple(dict.fromkeys(n for n in listed if n not in named and n not in also and not env.get(n)))
    return failed_in, also


def _placeheld_by_serve(project: Project, finding: EntryFinding, names: tuple[str, ...]) -> str:
    """"; meanwhile serve and dev run the app with a marked placeholder for them" when they give one to every
    variable of `names` (appconfig.run_config), else ""."""
    from ...appconfig import placeheld_names
    if not names or len(placeheld_names(project, finding.workdir, finding.entry.module, names)) != len(names):
        return ""
    return f"; meanwhile `shipyard serve` and `dev` run the app with a marked placeholder for " \
        f"{'it' if len(names) == 1 else 'them'}"


def _example_says(project: Project, finding: EntryFinding, name: str) -> str:
    """What the app's example env file says of `name`, for the line that says it is not set: "" without one."""
    example = envfile.for_app(project, finding.workdir, finding.entry.module)
    if example is None:
        return ""
    values = dict(example.values)
    if name in values and not values[name]:
        return f"; {example.described} leaves it empty, for you to fill"
    return f"; {example.described} does not set it"


def _own_env_leaves_empty(project: Project, workdir: str, names) -> str | None:
    """The app's own `.env` (in its workdir, else the project root) when it writes every one of `names` with no
    value (a template's `SESSION_LIVE_TIME=`): a value the app reads from that file, which an empty slot breaks."""
    for folder in dict.fromkeys((workdir, ".")):
        rel = str(PurePosixPath(folder) / ".env") if folder != "." else ".env"
        if project.is_file(rel):
            values = envfile.parse(project.read_text(rel))
            return rel if names and all(name in values and not values[name] for name in names) else None
    return None


def _example_leaves_empty(project: Project, finding: EntryFinding, names: tuple[str, ...]) -> str:
    """"; the app's example env file .env.example leaves them empty, for you to fill" when it lists every one of
    `names` with no value (values only the user has: a mail server's); "" otherwise."""
    example = envfile.for_app(project, finding.workdir, finding.entry.module)
    values = dict(example.values) if example is not None else {}
    if not names or any(name not in values or values[name] for name in names):
        return ""
    return f"; {example.described} leaves {'it' if len(names) == 1 else 'them'} empty, " \
        "for you to fill"


_QUOTED = re.compile(r"""['"]([A-Za-z_][\w.]*)['"]""")
# werkzeug's import_string("app.local_settings") inside app/__init__.py ends with the attribute lookup's error
_NO_ATTRIBUTE = re.compile(r"module '([A-Za-z_][\w.]*)' has no attribute '(\w+)'")
# "from partially initialized module 'app'" inside the package's own __init__; "from 'app' (.../__init__.py)" elsewhere
_CANNOT_IMPORT = re.compile(r"cannot import name '(\w+)' from (?:(?:partially initialized )?module )?'([A-Za-z_][\w.]*)'")


def _modules_named(result: dict) -> list[str]:
    """The dotted module names a failed import's error names: the missing module, quoted names, and the module
    an import of a name from a package (or an attribute lookup on it) looked for."""
    message = result.get("message", "")
    return [result.get("name") or ""] + _QUOTED.findall(message) + \
        [".".join(pair) for pair in _NO_ATTRIBUTE.findall(message)] + \
        [f"{module}.{name}" for name, module in _CANNOT_IMPORT.findall(message)]


def _absent_module(project: Project, workdir: str, dotted: str,
                   where: str | None) -> tuple[str, tuple[str, ...], bool] | None:
    """(module file, names imported from it, whether a .gitignore lists it) when a missing module's package is in
    the project but no file of the module is, anywhere in it; paths relative to the project root."""
    parts = dotted.split(".")
    if len(parts) < 2:
        return None
    files = set(project.files)
    tail = "/".join(parts)
    if any(f == f"{tail}.py" or f.endswith(f"/{tail}.py") or f == f"{tail}/__init__.py"
           or f.endswith(f"/{tail}/__init__.py") for f in files):
        return None                        # it is there: a folder question, which the caller words
    for base in dict.fromkeys((workdir, ".")):
        package = PurePosixPath(base, *parts[:-1])
        if str(package / "__init__.py") not in files:
            continue
        module = str(package / f"{parts[-1]}.py")
        return module, _names_imported(project, workdir, dotted, where), _ignored(project, module)
    return None


def _ignored_submodule(project: Project, workdir: str, message: str,
                       where: str | None) -> tuple[str, tuple[str, ...]] | None:
    """(module file, the names the failing file reads from it) when an ImportError "cannot import name 'X' from
    'P'" is for P/X.py of a package P in the project, a file that is nowhere in it and that a .gitignore lists (an
    attribute missing from P's __init__, a circular import, is not that: no .gitignore names it)."""
    match = _CANNOT_IMPORT.search(message)
    if not match:
        return None
    name, package = match.groups()
    absent = _absent_module(project, workdir, f"{package}.{name}", where)
    if absent is None or not absent[2]:
        return None
    module = absent[0]
    rel, _, line = (where or "").rpartition(":")
    rel = str(PurePosixPath(workdir, rel)) if workdir not in ("", ".") else rel
    tree = parsed(project).get(rel)
    names: list[str] = []
    if tree is not None:
        # `from sql_app import secret_key` then `secret_key.secret_key`: the attributes read off the module
        bound = {a.asname or a.name for n in ast_nodes(tree) if isinstance(n, ast.ImportFrom) and n.module == package
                 for a in n.names if a.name == name}
        names = [n.attr for n in ast_nodes(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
                 and n.value.id in bound]
    return module, tuple(dict.fromkeys(names))


def _failing_line_of_absent(project: Project, workdir: str, name: str,
                            where: str | None) -> tuple[str, ast.Module, int] | None:
    """(the failing file, relative to the root, its tree, the failing line) when the missing top-level module `name` is one no file or
    folder of the project is named (so the app's own import of it is what failed), else None."""
    if "." in name or not where or ":" not in where:
        return None
    if any(name in PurePosixPath(f).parts[:-1] or PurePosixPath(f).stem == name for f in project.files):
        return None
    rel, _, line = where.rpartition(":")
    rel = str(PurePosixPath(workdir, rel)) if workdir not in ("", ".") else rel
    tree = parsed(project).get(rel)
    return (rel, tree, int(line)) if tree is not None and line.isdigit() else None


def _absent_package(project: Project, workdir: str, name: str,
                    where: str | None) -> tuple[str, tuple[str, ...], str] | None:
    """(module file, names imported from it, the folder) when the missing top-level `name` is a package the
    failing line takes a submodule of (`from config.keys import Keys`), no file or folder of the project is named
    so, and a .gitignore of the project names that folder or a path inside it; paths relative to the root."""
    failing = _failing_line_of_absent(project, workdir, name, where)
    if failing is None:
        return None
    _, tree, line = failing
    dotted = next((node.module for node in ast_nodes(tree) if isinstance(node, ast.ImportFrom) and node.level == 0
                   and node.lineno == line and (node.module or "").startswith(f"{name}.")), None)
    if dotted is None:
        return None
    folder = str(PurePosixPath(workdir, name)) if workdir not in ("", ".") else name
    if not _ignores_inside(project, folder):
        return None
    module = str(PurePosixPath(workdir, *dotted.split("."))) + ".py" if workdir not in ("", ".") \
        else "/".join(dotted.split(".")) + ".py"
    return module, _names_imported(project, workdir, dotted, where), folder


def _gitignored_module_error(where: str, what: str, module: str, names: tuple[str, ...]) -> AppConfigError:
    """The author's own module (their keys), which .gitignore keeps out of git: a file to write, not a package."""
    return AppConfigError(f"{where}importing {what} needs {module}, which is not in the project (.gitignore keeps it "
                          "out of git)",
                          f"write {module} with " + (" and ".join(names) if names else "the values the app reads "
                                                     "from it") + ", and run again")


def _absent_top_module(project: Project, workdir: str, name: str,
                       where: str | None) -> tuple[str, tuple[str, ...]] | None:
    """(module file, names the app takes from it) when the missing top-level module `name` is imported by a line of
    the app's own file (`import config`, `from config import KEY`), no file or folder of the project is named so,
    and a .gitignore lists its file where the app runs from; paths relative to the project root."""
    failing = _failing_line_of_absent(project, workdir, name, where)
    if failing is None:
        return None
    module = str(PurePosixPath(workdir, f"{name}.py")) if workdir not in ("", ".") else f"{name}.py"
    if not _ignored(project, module):
        return None
    rel, tree, line = failing
    if not any(((isinstance(node, ast.Import) and any(a.name == name for a in node.names))
                or (isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == name))
               and node.lineno == line for node in ast_nodes(tree)):
        return None
    names = _names_imported(project, workdir, name, where)
    if not names:
        # `import config`, then config.SECRET_KEY here and config.API_KEY in the app's other files that import it
        importer = re.compile(rf"^\s*import\s+{re.escape(name)}\b|^\s*import\s.*,\s*{re.escape(name)}\b",
                              re.MULTILINE)
        read = re.compile(rf"(?<![\w.]){re.escape(name)}\.([A-Za-z_]\w*)")
        texts = [project.scan_text(rel)] + [project.scan_text(f) for f in project.python_files if f != rel]
        names = tuple(dict.fromkeys(attr for text in texts if text and importer.search(text)
                                    for attr in read.findall(text)))
    return module, names


def _ignores_inside(project: Project, folder: str) -> bool:
    """Whether the project's root .gitignore names `folder` itself or a path inside it (`config/README.md`)."""
    text = project.scan_text(".gitignore") if project.exists(".gitignore") else None
    for raw in (text or "").splitlines():
        pattern = raw.strip().removeprefix("**/").lstrip("/")
        if pattern and not raw.strip().startswith(("#", "!")) and \
                (pattern.rstrip("/") == folder or pattern.startswith(f"{folder}/")):
            return True
    return False


def _names_imported(project: Project, workdir: str, dotted: str, where: str | None) -> tuple[str, ...]:
    """The names the failing line (`from pkg.secret import SECRET_KEY`, or `from .secret import ...`) takes from
    the module."""
    if not where or ":" not in where:
        return ()
    rel, _, line = where.rpartition(":")
    rel = str(PurePosixPath(workdir, rel)) if workdir not in ("", ".") else rel
    tree = parsed(project).get(rel)
    if tree is None or not line.isdigit():
        return ()
    last = dotted.rpartition(".")[2]
    for node in ast_nodes(tree):
        if isinstance(node, ast.ImportFrom) and node.lineno == int(line) and node.module \
                and (node.module == dotted or node.module.rpartition(".")[2] == last):
            return tuple(a.name for a in node.names if a.name != "*")
    return ()


# Flask's "The environment variable 'X' is not set and as such configuration could not be loaded" and Quart's
# "Environment variable X is not present, cannot load config", both from Config.from_envvar
_FROM_ENVVAR = re.compile(r"(?i)environment variable '?([A-Za-z_][A-Za-z0-9_]*)'? is not (?:set and as such "
                          r"configuration could not be loaded|present, cannot load config)")


def _config_file_variable(message: str, env: Mapping[str, str]) -> str | None:
    """The variable a from_envvar call found unset, from its error message; None for any other message."""
    match = _FROM_ENVVAR.search(message)
    return match.group(1) if match and not env.get(match.group(1)) else None


def _library_variables(message: str, env: Mapping[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The variables an error message asks to set ("setting the OPENAI_API_KEY environment variable", "add an
    environment variable `OPENAI_API_KEY`") that the environment does not set, and apart those it offers instead of
    the one before ("...set the environment variable VOYAGE_API_KEY. If your API key is stored in a file, ..., or set
    the environment variable VOYAGE_API_KEY_PATH": an "or" between the two, no "and"), which are not all needed."""
    if "environment variable" not in message.lower():
        return None
    needed: list[str] = []
    instead: list[str] = []
    previous_end = None
    for match in re.finditer(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b", message):
        name = match.group()
        between = message[previous_end:match.start()].lower() if previous_end is not None else ""
        previous_end = match.end()
        if env.get(name) or name in needed or name in instead:
            continue
        alternative = needed and re.search(r"\bor\b", between) and not re.search(r"\band\b", between)
        (instead if alternative else needed).append(name)
    return (tuple(needed), tuple(instead)) if needed else None


# a library's own words for a file or folder it was told to read and did not find
_MISSING_PATH = re.compile(r"(?i)does not exist|no such file or directory|not found")


# Flask's Config.from_pyfile() (and from_envvar(), which calls it) on a file that is not there
_FLASK_CONFIG_FILE = "Unable to load configuration file"


def _missing_log_folder(project: Project, workdir: str, message: str) -> tuple[str, str | None] | None:
    """(the folder, the file when the error names it) of a log file the code opens in a folder the project lacks
    (detect/log_files.py absent_log_folders), when the import failed opening it; None otherwise."""
    from ..log_files import absent_log_folders
    absent = absent_log_folders(project, workdir)
    if not absent:
        return None
    named = _absent_file_named(project, workdir, message)
    if named and named.rpartition("/")[0] in absent:
        return named.rpartition("/")[0], named
    if "Unable to configure handler" in message:
        return absent[0], None          # its quoted name is the handler's, not a path
    return None


def _ignored_file_named(project: Project, workdir: str, message: str) -> str | None:
    """The project-relative path of a file a FileNotFoundError names inside the project (absolute, or relative
    to the folder the app runs from), when the project lacks it and a .gitignore lists it."""
    return _absent_file_named(project, workdir, message, ignored=True)


def _absent_file_named(project: Project, workdir: str, message: str, ignored: bool = False) -> str | None:
    """The project-relative path of a file a FileNotFoundError names inside the project (absolute, or relative
    to the folder the app runs from) that the project lacks (and, with `ignored`, that a .gitignore lists)."""
    root = project.root.resolve()
    for quoted in re.findall(r"'([^']+)'", message):
        path = Path(quoted)
        if not path.is_absolute():
            path = (project.path(workdir) if workdir not in ("", ".") else root) / path
        try:
            rel = path.resolve().relative_to(root).as_posix()
        except ValueError:
            continue
        if not project.exists(rel) and (not ignored or _ignored(project, rel)):
            return rel
    return None


def _ignored(project: Project, module: str) -> bool:
    """Whether a .gitignore of the project (the root's, or one in a folder above the module) lists the file."""
    path = PurePosixPath(module)
    for folder in [PurePosixPath("."), *reversed(path.parents[:-1])]:
        rel = str(folder / ".gitignore") if str(folder) != "." else ".gitignore"
        text = project.scan_text(rel) if project.exists(rel) else None
        if not text:
            continue
        below = str(path.relative_to(folder)) if str(folder) != "." else str(path)
        for raw in text.splitlines():
            pattern = raw.strip()
            if not pattern or pattern.startswith(("#", "!")):
                continue
            pattern = pattern.removeprefix("**/")
            anchored = pattern.startswith("/") or "/" in pattern.rstrip("/")
            # `.envdir/` names a folder: the folder the app reads (.envdir), missing, is one
            pattern = pattern.lstrip("/").rstrip("/")
            if fnmatch.fnmatchcase(below, pattern) or (not anchored and fnmatch.fnmatchcase(path.name, pattern)):
                return True
    return False


_PROTOC_SUFFIXES = ("_pb2_grpc", "_pb2")


def _protoc_output(project: Project, top: str) -> tuple[str, str] | None:
    """(the .proto it comes from, the protoc command) for a module named as protoc's Python output names it
    (X_pb2, X_pb2_grpc), or None; the .proto is found in the project when it is there."""
    stem = next((top[:-len(s)] for s in _PROTOC_SUFFIXES if top.endswith(s) and len(top) > len(s)), None)
    if stem is None:
        return None
    found = sorted((f for f in project.files if PurePosixPath(f).name == f"{stem}.proto"),
                   key=lambda f: (len(PurePosixPath(f).parts), f))
    if not found:
        return f"{stem}.proto (not in the project)", (f"python -m grpc_tools.protoc -I <its folder> --python_out=. "
                                                      f"--grpc_python_out=. <its folder>/{stem}.proto")
    folder = str(PurePosixPath(found[0]).parent)
    return found[0], (f"python -m grpc_tools.protoc -I {project.root / folder} --python_out=. --grpc_python_out=. "
                      f"{project.root / found[0]}")


def _development_include(project: Project, finding: EntryFinding, top: str) -> str | None:
    """The served paste ini (relative to the project root) when it is a development or test one whose
    pyramid.includes names the package `top` (imports.py leaves such includes out of the requirements)."""
    ini = finding.entry.paste_ini
    if finding.entry.kind != "paste" or not ini:
        return None
    rel = str(PurePosixPath(finding.workdir, ini)) if finding.workdir not in ("", ".") else ini
    if not config_names.for_development_or_tests(rel):
        return None
    included = {name.split(".")[0] for name in ini_includes(project.scan_text(rel) or "")}
    return rel if top in included else None


def _example_to_copy(project: Project, workdir: str, dotted_names: list[str]) -> tuple[str, str] | None:
    """(example, module file) when a module the import names is absent from the project but its example sits
    where it belongs (paths relative to the project root)."""
    return next(filter(None, (config_examples.module_example(project, (workdir, "."), dotted)
                              for dotted in filter(None, dotted_names))), None)


def _settings_variables(project: Project, fields: list[str], env: Mapping[str, str]) -> tuple[str, ...]:
    """The environment variables of a settings class's missing `fields`: the one a field names itself
    (`Field(..., env="X")`), else the read of that name (pydantic matches without case), else one that ends with it after a prefix (env_prefix "APP_" gives APP_DB_NAME), else the
    field's own name in capitals."""
    from ..services import env_reads, settings_variables
    reads = [r.name for r in env_reads(project) if not env.get(r.name)]
    own = settings_variables(project)
    out: list[str] = []
    for field in fields:
        wanted = field.upper()
        named = [own[wanted]] if wanted in own else [n for n in reads if n.upper() == wanted] or \
            [n for n in reads if n.upper().endswith("_" + wanted)] or [wanted]
        out.extend(n for n in named if n not in out)
    return tuple(out)


def _settings_reads(project: Project, fields: list[str]) -> tuple[str, ...]:
    """The environment variables a settings class reads its `fields` from (pydantic matches without case, and
    after an env_prefix), set or not; () when no field is one (a model that is not settings)."""
    from ..services import env_reads, settings_variables
    reads = [r.name for r in env_reads(project)]
    own = settings_variables(project)
    out: list[str] = []
    for field in fields:
        wanted = field.upper()
        named = [own[wanted]] if wanted in own else \
            [n for n in reads if n.upper() == wanted] or [n for n in reads if n.upper().endswith("_" + wanted)]
        out.extend(n for n in named if n not in out)
    return tuple(out)


# a test module, or any module in a tests folder
_TEST_FILE = re.compile(r"(^|/)(tests?/|test_[^/]*\.py$|[^/]*_test\.py$|conftest\.py$)")


def _used_by_tests_only(project: Project, fields: list[str], env: Mapping[str, str]) -> str:
    """Which of a settings class's missing `fields` only the app's tests use (`settings.test_db_name` in
    tests/piccolo_conf_test.py, nowhere in the app's code), said in words; "" when none. The app requires them
    to start, but what it serves never reads them: any value does here."""
    def reads(tree: ast.AST, field: str) -> bool:
        return any(isinstance(n, ast.Attribute) and n.attr == field for n in ast_nodes(tree))

    app = parsed(project)
    tests = [rel for rel in project.python_files if rel not in app and _TEST_FILE.search(rel)]
    found: dict[str, str] = {}
    for field in fields:
        if any(reads(tree, field) for tree in app.values()):
            continue
        for rel in tests:
            try:
                tree = ast.parse(project.scan_text(rel) or "")
            except SyntaxError:
                continue
            if reads(tree, field):
                found[field] = rel
                break
    if not found:
        return ""
    names = " and ".join(_settings_variables(project, list(found), env))
    return (f"only the app's tests use {names} ({', '.join(sorted(set(found.values())))}): any value lets it "
            "start")


# what using an environment variable that is not set (None) raises
NONE_ERRORS = frozenset({"AttributeError", "TypeError", "ValueError"})
_URLISH = ("URL", "URI", "DSN", "HOST", "ADDR", "SERVER")


def _unset_reads_named(project: Project, finding: EntryFinding, where: str | None, env: Mapping[str, str],
                       message: str) -> tuple[str, ...]:
    """The environment variables the failing file reads, not set, that its error message names."""
    path, _ = _failing_file(finding, where)
    if not path:
        return ()
    from ..services import env_reads
    return tuple(dict.fromkeys(r.name for r in env_reads(project)
                               if r.path == path and not env.get(r.name) and re.search(rf"\b{r.name}\b", message)))


# an error's own words for "this is configuration": a variable or a setting it names is missing
_SPEAKS_OF_VARIABLES = re.compile(r"\bvariables?\b|\bsettings?\b", re.IGNORECASE)


def _unset_reads_named_elsewhere(project: Project, env: Mapping[str, str], message: str) -> dict[str, list[str]]:
    """{file: [variables]}: the environment variables other files of the app read, not set, that an error
    speaking of variables or settings names (a storage package checking Django's settings when a models module
    imports it: "...or set CLOUDINARY_URL variable (or CLOUDINARY_CLOUD_NAME, CLOUDINARY_API_KEY, ...)", read by
    settings.py with os.environ.get)."""
    if not _SPEAKS_OF_VARIABLES.search(message):
        return {}
    from ..services import env_reads
    found: dict[str, list[str]] = {}
    for read in env_reads(project):
        if not env.get(read.name) and re.search(rf"\b{re.escape(read.name)}\b", message) \
                and read.name not in found.setdefault(read.path, []):
            found[read.path].append(read.name)
    return {path: names for path, names in found.items() if names}


def _unset_reads_of_named_target(project: Project, finding: EntryFinding, where: str | None, env: Mapping[str, str],
                                 message: str) -> tuple[str, ...]:
    """The environment variables the failing statement reads with no default, not set, when the error message
    names a target one of those reads is assigned to (`app_name = os.getenv("NAME_APP")`: "attribute app_name"):
    every such read of that statement (a settings class's other fields fail the same way, one after the other)."""
    path, line = _failing_file(finding, where)
    if not path or not line:
        return ()
    from ..services import env_reads
    reads = [r for r in env_reads(project) if r.path == path and not r.default and not env.get(r.name)]
    try:
        tree = ast.parse(project.read_text(path))
    except (SyntaxError, ValueError, OSError):
        return ()
    statement = next((node for node in tree.body if node.lineno <= line <= (node.end_lineno or node.lineno)), None)
    if statement is None or not reads:
        return ()
    first, last = statement.lineno, statement.end_lineno or statement.lineno
    inside = [r for r in reads if first <= r.line and r.end_line <= last]
    named = False
    for node in ast_nodes(statement):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            words = [t.id if isinstance(t, ast.Name) else t.attr for t in targets
                     if isinstance(t, (ast.Name, ast.Attribute))]
            value_lines = range(node.value.lineno, (node.value.end_lineno or node.value.lineno) + 1)
            if any(r.line in value_lines for r in inside) and any(re.search(rf"\b{re.escape(w)}\b", message)
                                                                   for w in words):
                named = True
    return tuple(dict.fromkeys(r.name for r in inside)) if named else ()


# a name lookup that failed (urllib3's NameResolutionError, socket.gaierror), and the host it was for
_UNRESOLVED = re.compile(r"failed to resolve|name or service not known|temporary failure in name resolution|"
                         r"nodename nor servname|getaddrinfo failed", re.IGNORECASE)
_HOST = re.compile(r"(?:host='|Failed to resolve '|https?://)([A-Za-z0-9.-]+)")


# the images of the servers serve itself runs (detect/services): a failed name of theirs is mapped, not said
_SERVED_IMAGES = re.compile(r"^(?:[\w.-]+/)*(?:postgres|postgis|mysql|mariadb|redis|valkey)\b", re.IGNORECASE)


def _compose_service_host(project: Project, finding: EntryFinding, message: str) -> tuple[str, str, str] | None:
    """(host, compose file, image) when a failed name lookup was for a service of the app's own compose file (at
    the root or in its workdir) that serve does not run (meilisearch, a search engine's container), else None."""
    if not _UNRESOLVED.search(message):
        return None
    from ..compose_env import compose_files, own_services
    hosts = [h.strip(".").lower() for h in _HOST.findall(message) if "." not in h.strip(".")]
    for folder in dict.fromkeys((".", finding.workdir or ".")):
        for rel in compose_files(project, folder):
            services = own_services(project, rel) or {}
            for host in hosts:
                body = services.get(host)
                if not isinstance(body, dict):
                    continue
                image = str(body.get("image") or "")
                if body.get("build") is None and not _SERVED_IMAGES.match(image):
                    return host, rel, image
    return None


def _internet_host(message: str) -> str | None:
    """The public host a failed name lookup was for (openaipublic.blob.core.windows.net), or None: a name with a
    top-level domain, not a compose service's name (db, redis) nor a local one (localhost, *.local, *.internal)."""
    if not _UNRESOLVED.search(message):
        return None
    for host in _HOST.findall(message):
        if _public(host):
            return host.strip(".").lower()
    return None


def _public(host: str) -> bool:
    host = host.strip(".").lower()
    labels = host.split(".")
    return len(labels) >= 2 and labels[-1].isalpha() and len(labels[-1]) >= 2 and host != "localhost" \
        and labels[-1] not in ("local", "internal", "localhost", "lan", "home", "test", "example", "invalid")


def _line_url_host(project: Project, finding: EntryFinding, where: str | None, message: str) -> str | None:
    """The public host of the URL the failing line opens, when the failed name lookup's message names none
    (urllib's "<urlopen error [Errno -2] Name or service not known>" under pandas.read_html(url)): a URL written
    on that line, or the last one assigned before it to a name the line uses (`url = "https://..."`)."""
    if not _UNRESOLVED.search(message):
        return None
    path, line = _failing_file(finding, where)
    tree = parsed(project).get(path) if path and line else None
    if tree is None:
        return None
    statements = [n for n in ast_nodes(tree) if isinstance(n, ast.stmt) and not isinstance(n, _BLOCKS)
                  and n.lineno <= line <= (n.end_lineno or n.lineno)]
    if not statements:
        return None
    failing = min(statements, key=lambda n: (n.end_lineno or n.lineno) - n.lineno)
    urls = [u for u in (_url_start(n) for n in ast_nodes(failing)) if u]
    names = {n.id for n in ast_nodes(failing) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    assigned: dict[str, str] = {}
    for node in sorted((n for n in ast_nodes(tree) if isinstance(n, ast.Assign) and n.lineno < failing.lineno),
                       key=lambda n: n.lineno):
        url = _url_start(node.value)
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id in names:
                if url:
                    assigned[target.id] = url
                else:
                    assigned.pop(target.id, None)   # reassigned to something else: not that URL any more
    for url in [*urls, *assigned.values()]:
        host = (urlsplit(url).hostname or "")
        if _public(host):
            return host.lower()
    return None


_BLOCKS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.For, ast.AsyncFor, ast.While, ast.With,
           ast.AsyncWith, ast.Try)


def _url_start(node: ast.AST) -> str:
    """The http(s) URL a string expression starts with: a literal, an f-string's or a concatenation's first part."""
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        node = node.left
    if isinstance(node, ast.JoinedStr) and node.values:
        node = node.values[0]
    if isinstance(node, ast.Constant) and isinstance(node.value, str) \
            and node.value.startswith(("http://", "https://")):
        return node.value
    return ""


# what int() and float() say of an empty string: a number read from a variable whose default is ""
_EMPTY_NUMBER = re.compile(r"invalid literal for int\(\) with base \d+: ''|could not convert string to float: ''")


def _empty_number_reads(project: Project, finding: EntryFinding, where: str | None, env: Mapping[str, str],
                        message: str) -> tuple[str, ...]:
    """The environment variables the failing line reads, not set, when the error is int('') or float(''): the
    number they stand for is empty (`int(config("X", cast=str, default=""))`)."""
    if not _EMPTY_NUMBER.search(message or ""):
        return ()
    path, line = _failing_file(finding, where)
    if not path or not line:
        return ()
    from ..services import env_reads
    return tuple(dict.fromkeys(r.name for r in env_reads(project)
                               if r.path == path and r.line <= line <= r.end_line and not env.get(r.name)))


def _failing_file(finding: EntryFinding, where: str | None) -> tuple[str, int]:
    """(file relative to the project root, line) of the probe's "file:line" (relative to the workdir)."""
    if not where or ":" not in where:
        return "", 0
    rel, _, line_text = where.rpartition(":")
    path = str(PurePosixPath(finding.workdir) / rel) if finding.workdir not in ("", ".") else rel
    return path, int(line_text) if line_text.isdigit() else 0


def _python2_code(where: str, what: str, name: str, renamed: str, importer: str | None,
                  first: str | None = None) -> tuple[str, str]:
    """(message, hint) for an import of a Python 2 standard module (`import urlparse`): the code is Python 2's,
    the app's own or an installed package's (`importer`), and no package to install provides the module. As the
    fallback of another import that failed first (`first`: jinja2 2.7's `from collections import MutableMapping`,
    gone since Python 3.10), the code is older than this Python rather than Python 2's."""
    top = name.split(".")[0]
    instead = f"Python 3's {renamed}" if renamed else "Python 3 has no such module"
    who = f"the installed package {importer!r}" if importer else "the app"
    if first:
        return (f"{where}importing {what} fails in {who}: {first}, and its fallback imports {top!r}, a Python 2 "
                f"standard module ({instead}): that code is older than this Python",
                "run it on an older Python (--python 3.9, or python = \"3.9\" under [tool.shipyard]), or "
                + (f"pin a later release of {importer}" if importer else "port that import"))
    if importer:
        return (f"{where}importing {what} fails in the installed package {importer!r}, which imports {top!r}: a "
                f"Python 2 standard module ({instead}), so that release of {importer} is Python 2 code",
                f"pin a release of {importer} made for Python 3 (no package named {top} exists to install)")
    return (f"{where}importing {what} needs {top!r}, a Python 2 standard module ({instead}): the app is Python 2 "
            "code", f"port it to Python 3 ({f'import {renamed}' if renamed else 'drop the import'}; 2to3 does most "
            f"of it); no package named {top} exists to install")


def _implicit_relative(project: Project, workdir: str, top: str, where: str | None) -> str | None:
    """The module `top` beside the package __init__.py that failed to import it (where: "middlewares/__init__.py:1",
    relative to the workdir), or None."""
    if not where:
        return None
    init = PurePosixPath(os.path.normpath(PurePosixPath(workdir) / where.rsplit(":", 1)[0]))
    if init.name != "__init__.py":
        return None
    for beside in (init.parent / f"{top}.py", init.parent / top / "__init__.py"):
        if project.is_file(str(beside)):
            return str(beside)
    return None


def _first_line(message: str) -> str:
    """A message's first line (a SystemExit's repr keeps its newlines escaped: cut there too)."""
    return re.split(r"\n|\\n", message, maxsplit=1)[0].rstrip(" :'\"")


def _reads_bound_to_names_on(project: Project, path: str, line: int, reads: list) -> list:
    """The reads assigned to a name that the statement on `line` uses (`MAIL_USERNAME = os.environ.get(...)`,
    then `print("MAIL_USERNAME: " + MAIL_USERNAME)` in the same class body): the variables that line fails on,
    not every unset one of the file."""
    try:
        tree = ast.parse(project.read_text(path))
    except (SyntaxError, ValueError, OSError):
        return []
    failing = [n for n in ast_nodes(tree) if isinstance(n, ast.stmt) and not isinstance(n, (ast.ClassDef, ast.FunctionDef,
               ast.AsyncFunctionDef, ast.If, ast.With, ast.Try, ast.For, ast.While))
               and n.lineno <= line <= (n.end_lineno or n.lineno)]
    used = {n.id for statement in failing for n in ast_nodes(statement)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    bound: list = []
    for node in ast_nodes(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in used for t in node.targets):
            bound += [r for r in reads if node.lineno <= r.line and r.end_line <= (node.end_lineno or node.lineno)]
    return bound


def _unset_reads_on_failing_line(project: Project, finding: EntryFinding, where: str | None,
                                 env: Mapping[str, str]) -> tuple[str, ...]:
    """The unset variables, read with no default, on the failing line or bound to names it uses; () otherwise
    (never the whole file's, unlike _unset_reads)."""
    path, line = _failing_file(finding, where)
    if not path or not line:
        return ()
    from ..services import env_reads
    reads = [r for r in env_reads(project) if r.path == path and not env.get(r.name) and not r.default]
    chosen = [r for r in reads if r.line <= line <= r.end_line] or _reads_bound_to_names_on(project, path, line, reads)
    return tuple(dict.fromkeys(r.name for r in chosen))


def _failing_statements(project: Project, finding: EntryFinding,
                        where: str | None) -> tuple[ast.Module, list[ast.stmt]] | None:
    """The parsed file the import failed in and its simple statements that span the failing line (not the blocks
    around it), or None when the line or the file cannot be had."""
    path, line = _failing_file(finding, where)
    if not path or not line:
        return None
    try:
        tree = ast.parse(project.read_text(path))
    except (SyntaxError, ValueError, OSError):
        return None
    return tree, [n for n in ast_nodes(tree) if isinstance(n, ast.stmt) and not isinstance(n, (
        ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef, ast.If, ast.With, ast.Try, ast.For, ast.While))
        and n.lineno <= line <= (n.end_lineno or n.lineno)]


def _unset_reads_imported_on_failing_line(project: Project, finding: EntryFinding, where: str | None,
                                          env: Mapping[str, str]) -> tuple[str, ...]:
    """The unset variables, read with no default, that the failing statement takes from a module of the project
    it imports: `PROVIDER = os.getenv("provider")` in app/config/config.py, then `db.bind(provider=config.PROVIDER,
    ...)` in app/db/database.py after `from app.config import config` (Pony's "TypeError: Provider name should be
    string", an error that never says None)."""
    if (parsed := _failing_statements(project, finding, where)) is None:
        return ()
    tree, failing = parsed
    used = {(n.value.id, n.attr) for statement in failing for n in ast_nodes(statement)
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and isinstance(n.ctx, ast.Load)}
    used |= {(None, n.id) for statement in failing for n in ast_nodes(statement)
             if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    wanted: dict[str, set[str]] = {}      # the imported module's file -> the names of it the statement uses
    roots = dict.fromkeys((finding.workdir or ".", "."))
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                bound = alias.asname or alias.name
                # `from app.config import config`: a module; `from settings import DB_URL`: a name of one
                as_module = _project_module_file(project, roots, f"{node.module}.{alias.name}")
                if as_module and any(m == bound for m, _ in used):
                    wanted.setdefault(as_module, set()).update(a for m, a in used if m == bound)
                elif (of := _project_module_file(project, roots, node.module)) and (None, bound) in used:
                    wanted.setdefault(of, set()).add(alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and (of := _project_module_file(project, roots, alias.name)):
                    wanted.setdefault(of, set()).update(a for m, a in used if m == alias.asname)
    from ..services import env_reads
    chosen: list[str] = []
    for of, names in wanted.items():
        reads = [r for r in env_reads(project) if r.path == of and not env.get(r.name) and not r.default]
        try:
            module = ast.parse(project.read_text(of))
        except (SyntaxError, ValueError, OSError):
            continue
        for node in module.body:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in names for t in node.targets):
                chosen += [r.name for r in reads if node.lineno <= r.line and r.end_line <= (node.end_lineno or node.lineno)]
    return tuple(dict.fromkeys(chosen))


def _unset_settings_fields_on_failing_line(project: Project, finding: EntryFinding, where: str | None,
                                          env: Mapping[str, str]) -> tuple[str, ...]:
    """The unset variables, read with no default, that are the defaults of a settings class's fields the failing
    statement hands a package: `DATABASE_URL: str = os.environ.get("DATABASE_URL")` in a pydantic BaseSettings of
    app/config.py, `settings = Settings()` there, then `create_engine(settings.DATABASE_URL)` in app/db.py after
    `from app.config import settings` (SQLAlchemy 1.4's "AttributeError: 'NoneType' object has no attribute
    '_instantiate_plugins'"). Through the module (config.settings.X), the object or the class (Settings().X)."""
    if (parsed := _failing_statements(project, finding, where)) is None:
        return ()
    tree, failing = parsed
    chains = {chain for statement in failing for n in ast_nodes(statement)
              if isinstance(n, ast.Attribute) and len(chain := _attribute_chain(n)) >= 2}
    roots = dict.fromkeys((finding.workdir or ".", "."))
    bound: dict[str, tuple[str, bool]] = {}       # a name the file imports -> (module file, names the module)
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if of := _project_module_file(project, roots, f"{node.module}.{alias.name}"):
                    bound[alias.asname or alias.name] = (of, True)
                elif of := _project_module_file(project, roots, node.module):
                    bound[alias.asname or alias.name] = (of, False)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and (of := _project_module_file(project, roots, alias.name)):
                    bound[alias.asname] = (of, True)
    from ..services import env_reads
    chosen: list[str] = []
    for chain in sorted(chains):
        if chain[0] not in bound:
            continue
        of, is_module = bound[chain[0]]
        rest = chain[1:] if is_module else chain
        if len(rest) < 2:
            continue
        try:
            module = ast.parse(project.read_text(of))
        except (SyntaxError, ValueError, OSError):
            continue
        classes = {n.name: n for n in module.body if isinstance(n, ast.ClassDef)}
        cls = classes.get(rest[0])
        if cls is None:          # settings = Settings(): the object of a class of that module
            made = next((n.value for n in module.body if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call)
                         and any(isinstance(t, ast.Name) and t.id == rest[0] for t in n.targets)), None)
            cls = classes.get(made.func.id) if made is not None and isinstance(made.func, ast.Name) else None
        if cls is None:
            continue
        reads = [r for r in env_reads(project) if r.path == of and not env.get(r.name) and not r.default]
        for field in cls.body:
            target = field.target if isinstance(field, ast.AnnAssign) else \
                field.targets[0] if isinstance(field, ast.Assign) and len(field.targets) == 1 else None
            if isinstance(target, ast.Name) and target.id == rest[1] and field.value is not None:
                chosen += [r.name for r in reads
                           if field.value.lineno <= r.line and r.end_line <= (field.value.end_lineno or r.line)]
    return tuple(dict.fromkeys(chosen))


def _attribute_chain(node: ast.Attribute) -> tuple[str, ...]:
    """config.settings.DATABASE_URL -> ("config", "settings", "DATABASE_URL"); Settings().X -> ("Settings", "X");
    () when the chain starts elsewhere."""
    parts: list[str] = []
    current: ast.expr = node
    while isinstance(current, ast.Attribute):
        parts.append(current.attr)
        current = current.value
    if isinstance(current, ast.Call) and isinstance(current.func, ast.Name) and not current.args:
        current = current.func
    if not isinstance(current, ast.Name):
        return ()
    return (current.id, *reversed(parts))


def _project_module_file(project: Project, roots, dotted: str) -> str | None:
    """The project's file of a dotted module, imported from one of `roots`, or None."""
    for root in roots:
        base = "" if root == "." else f"{root}/"
        for rel in (f"{base}{dotted.replace('.', '/')}.py", f"{base}{dotted.replace('.', '/')}/__init__.py"):
            if project.is_file(rel):
                return rel
    return None


def _unset_reads(project: Project, finding: EntryFinding, where: str | None, env: Mapping[str, str], *,
                 urls_only: bool = False) -> tuple[str, ...]:
    """The environment variables the failing file reads, without a default, that are not set: those read on
    the failing line when there are any, else the whole file's (`urls_only`: those naming an address)."""
    path, line = _failing_file(finding, where)
    if not path or not line:
        return ()
    from ..services import env_reads
    reads = [r for r in env_reads(project) if r.path == path and not env.get(r.name)]
    on_line = [r for r in reads if r.line <= line <= r.end_line]
    chosen = on_line or _reads_bound_to_names_on(project, path, line, reads) or [r for r in reads if not r.default]
    if urls_only:
        chosen = [r for r in reads if any(word in r.name.upper() for word in _URLISH)]
    return tuple(dict.fromkeys(r.name for r in chosen))
