"""The app's own environment: its Python, the server installed in it, and the services it needs.

Everything here answers "can this app run here?" before a process starts, and says what is missing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Callable, Mapping

from packaging.utils import canonicalize_name

from .. import environments, python_moves
from ..environments import Environment, EnvironmentUnavailable, package_for
from ..detect import services
from ..errors import ShipyardError
from ..plan import Plan
from ..project import Project
from . import server_fit

AppEnv = Environment          # the name serve and dev have always used
__all__ = ["AppEnv", "app_env", "install_app_env", "package_for", "server_env", "database_env", "image_env"]


def app_env(root: Path, environ: Mapping[str, str] | None = None) -> Environment:
    """The app's own environment; else Shipyard's own interpreter (which run commands then check)."""
    found = environments.app_environment(Path(root), environ)
    return found if found is not None else environments.own_environment()


# the module that proves each server package is importable (pyuwsgi also counts as a `uwsgi` program)
SERVER_MODULES = {"gunicorn": "gunicorn", "uvicorn-worker": "uvicorn_worker", "pyuwsgi": "pyuwsgi",
                  "granian": "granian", "uvicorn": "uvicorn", "debugpy": "debugpy", "werkzeug": "werkzeug"}


def overlay(env: Environment, requirements: tuple[str, ...], run_dir: Path, say: Callable[[str], None],
            environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment variables that make `requirements` (a server, debugpy) importable by the app's interpreter
    without installing them into the app's environment: {} when it has them all, else a cached overlay."""
    from packaging.requirements import Requirement
    # the overlay comes after the app's own packages, which win: a click older than granian works with stays
    for pin, needed in server_fit.older_than_the_server_needs(requirements, server_fit.installed_pins(env)):
        raise ShipyardError(f"the app's environment has {pin.replace('==', ' ')}, older than {' '.join(requirements)} "
                            f"works with ({needed}), and serve does not change that environment",
                            f"run with --install (its environment gets {needed}), install {needed} into it, or "
                            "choose another server (--server gunicorn)")
    missing = []
    for text in requirements:
        name = Requirement(text).name.lower()
        if name == "pyuwsgi" and (env.bin_dir / "uwsgi").exists():
            continue
        if not env.has_module(SERVER_MODULES.get(name, name.replace("-", "_"))):
            missing.append(text)
    # a worker package that needs newer packages than the app's (uvicorn-worker beside uvicorn==0.11.5) would run
    # on the app's own older ones: the fallback worker they provide serves instead
    fitting, note = server_fit.without_unfit_worker(env, tuple(missing))
    if note:
        say(note)
        missing = list(fitting)
    if not missing:
        return {}
    try:
        try:
            site = environments.overlay_site(env, tuple(missing), say=say, environ=environ)
        except EnvironmentUnavailable as exc:
            if "this Python" not in exc.message:
                raise
            # a Python older than the server's current releases support (gunicorn 23: 3.7): its newest one there;
            # a worker package with no release there gives way to the one its fallback comes from
            from ..servers import LEGACY_WORKER_PACKAGES
            names = [LEGACY_WORKER_PACKAGES.get(Requirement(text).name, Requirement(text).name) for text in missing]
            say(f"{' '.join(missing)} does not support the app's Python ({env.python}): using the newest "
                f"{' '.join(names)} that does")
            missing = names
            site = environments.overlay_site(env, tuple(missing), say=say, environ=environ)
    except EnvironmentUnavailable as exc:
        raise ShipyardError(exc.message, exc.hint) from None
    say(f"{', '.join(missing)} from the overlay {site.parent.parent.parent} (the app's environment is unchanged)")
    return environments.overlay_environ(site, run_dir, os.environ if environ is None else environ)


def database_env(plan: Plan, environ: Mapping[str, str]) -> dict[str, str]:
    """DATABASE_URL for apps that need PostgreSQL; raise a clear error when it is not set."""
    if not plan.needs_postgres:
        return {}
    url = environ.get("DATABASE_URL", "")
    if url:
        return {"DATABASE_URL": url}
    reasons = "; ".join(s.reason for s in plan.services if s.name == "postgres") or "db = \"postgres\""
    raise ShipyardError(
        f"this app needs PostgreSQL ({reasons}) and DATABASE_URL is not set",
        "start a PostgreSQL server and set DATABASE_URL=postgresql://USER:PASSWORD@127.0.0.1:5432/DBNAME, "
        "or run the whole stack with its database: `shipyard up`")


def server_env(plan: Plan, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for the app's processes: ours, plus the settings the generated files read."""
    env = dict(os.environ if environ is None else environ)
    env.update(database_env(plan, env))
    for name, value in plan.entry.django_env.items():
        env.setdefault(name, value)
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def image_env(plan: Plan, python: str) -> dict[str, str]:
    """Variables the generated image's base (the official python image) sets that the app's code reads:
    PYTHON_VERSION, which an app written for that image may read as os.environ["PYTHON_VERSION"] (a Docker-first
    starter shows it on its home page), the full version of the Python that runs it."""
    if "PYTHON_VERSION" not in plan.env_vars:
        return {}
    info = environments.interpreter_info(python)
    return {"PYTHON_VERSION": info.version} if info else {}


def _new_venv(root: Path, python: environments.Interpreter, log: Path, say) -> Environment:
    # .venv, or venv beside a committed .venv that cannot run here (a Windows one): never over the app's own files
    venv = environments.new_venv_folder(root)
    say(f"creating the app's virtualenv {venv} (Python {python.version}, {python.path})")
    # made where it stays, so not relocatable: a server started from .venv/bin has that folder first on
    # sys.path, where bottle installs bin/bottle.py; `import bottle` loads that script, which must be Python
    environments.create_venv(python.path, venv, log=log, timeout=120, relocatable=False)
    (venv / MADE_MARK).write_text(json.dumps({"python": python.path, "version": python.version}) + "\n")
    return Environment(str(venv / "bin" / "python"), f"the app's {venv.name}")


# beside pyvenv.cfg in a .venv `--install` made: the interpreter it was made from
MADE_MARK = ".shipyard-made"


def made_by_install(env: Environment) -> environments.Interpreter | None:
    """The interpreter an earlier `--install` made this environment from, or None for the user's own."""
    try:
        made = json.loads((venv_folder(env) / MADE_MARK).read_text())
        python = environments.Interpreter(made["python"], made["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return python if os.access(python.path, os.X_OK) else None


def venv_folder(env: Environment) -> Path:
    """The folder of a virtualenv _new_venv made (its bin/python's grandparent)."""
    return Path(env.python).parent.parent


def install_app_env(root: Path, plan: Plan, say, environ: Mapping[str, str] | None = None,
                    replan: Callable[[], Plan] | None = None) -> Environment:
    """Make the app's environment ready (`serve --install`, `dev --install`).

    With no environment of its own, create ROOT/.venv (with the Python the app asks for, else the nearest
    installed); then install the plan's dependencies, the production server, and the app itself when it is a
    package (editable), with uv (pip where uv cannot be had). `replan` gives the plan again once the
    environment exists: its Python (perhaps older than the one asked for) decides the default server.
    """
    root = Path(root).resolve()
    env = environments.app_environment(root, environ)
    logs = environments.cache_root(environ) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    # one log per checkout: two apps of the same folder name installing at once must not share one
    log = logs / f"install-{root.name}-{hashlib.sha256(str(root).encode()).hexdigest()[:8]}.log"
    log.write_text("")
    created = None           # the Python of the .venv made by this run, which may be made again older
    try:
        if env is None:
            created, note = environments.choose_python(plan.python.version, environ)
            if note:
                say(note)
            env = _new_venv(root, created, log, say)
        elif (made := made_by_install(env)) is not None:
            # the .venv an earlier --install made is made ready as that run made it (the same packages left out,
            # an older Python when the pins need one), not installed into as the user's own: the pins that did not
            # build then (an unneeded server, an unselected driver) would stop this run
            created = made
        app_reqs = tuple(d.requirement for d in plan.dependencies if d not in plan.server_dependencies)
        if workers := _unneeded_workers(root, plan):
            # the package of a gunicorn worker Shipyard's server does not run, which the code never imports: left
            # out up front (a 2015 beta of gevent pinned for a Procfile's `-k gevent` built from source past
            # serve's time limit on the Python it had no wheel for)
            left = [d for d in plan.dependencies if d not in plan.server_dependencies and d.name.lower() in workers]
            app_reqs = tuple(r for r in app_reqs if r not in {d.requirement for d in left})
            for dep in left:
                say(f"installing without {dep.requirement}: {workers[dep.name.lower()]}")
        date, date_note = environments.app_resolution_date(root, plan.dependency_files, plan.dependencies,
                                                           plan.server_dependencies)
        if date_note:
            say(date_note)
        package = str(root) if environments.is_package(root) else None
        if unported := environments.unported_setup(root):
            say(unported)
        tool = "uv" if environments.find_uv(environ) else "pip"
        server_reqs = tuple(d.requirement for d in plan.server_dependencies)
        say(f"installing {len(app_reqs) + len(server_reqs)} packages into {env.origin} with {tool}: "
            f"{' '.join(app_reqs + server_reqs)}" + (" (and the app itself, editable)" if package else ""))
        local = tuple(str(root / folder) for folder in plan.local_distributions)
        if local:
            say(f"the app imports the project's own distribution{'s' if len(local) > 1 else ''} "
                f"{', '.join(f + '/' for f in plan.local_distributions)} (its author installs it by hand): installed "
                "editable with the app's dependencies")
        spec = environments.InstallSpec(app_reqs, environments.index_options(root, plan.dependency_files), date,
                                        package, environments.lock_constraints(root, plan.dependency_files, app_reqs),
                                        app_root=str(root), local=local)
        made, used = env, []

        def attempt(python: environments.Interpreter, wanted: environments.InstallSpec) -> Environment:
            used.append(python)
            ready = made
            if python != created:
                # old pins often install only on an older Python (no wheel for 3.12, distutils gone): the
                # .venv this run made is made again with it, as the proof environment does
                shutil.rmtree(venv_folder(made))
                ready = _new_venv(root, python, log, say)
            environments.install(ready.python, environments.seeded(wanted, python), log=log, timeout=1800, say=say,
                                 what="installing the app's dependencies", environ=environ,
                                 compile_bytecode=True)
            return ready

        if created is None:      # the app's own environment: installed into, never replaced
            environments.install(env.python, spec, log=log, timeout=1800, say=say,
                                 what="installing the app's dependencies", environ=environ,
                                 compile_bytecode=True)
        else:
            # a driver of a database nothing in the app selects (mysqlclient beside SQLite settings) may be left out
            unselected = services.unselected_drivers(Project(root), plan.dependencies,
                                                     os.environ if environ is None else environ)
            notes: list[str] = []
            unneeded = _unneeded_servers(root, plan)
            spec = _without_unbuilt_servers(spec, unneeded, created, say)
            env = environments.on_older_pythons(created, spec, attempt, say, environ, notes, unselected=unselected,
                                                unneeded=unneeded)
            if used and used[-1].minor != created.minor:
                # kept for the app's next plans (init, build): its image needs the Python its .venv got
                why = next((n.rsplit("): ", 1)[1] for n in reversed(notes) if f"using {used[-1].minor} (" in n
                            and "): " in n), "the next older one")
                python_moves.remember(environments.cache_root(environ), root, plan.dependency_files,
                                      plan.python.version, used[-1].minor,
                                      f"its pins do not install on Python {created.minor}: {why}")
        if replan is not None:
            again = replan()
            if again.settings["server"] != plan.settings["server"]:
                say(next((n for n in again.notes if again.settings["server"] in n and "serves the app" in n),
                         f"{again.settings['server']} serves the app"))
            plan = again
        _install_server(env, server_requirements(plan, say, env), log, say)
    except EnvironmentUnavailable as exc:
        raise ShipyardError(exc.message, exc.hint) from None
    return env



def _unneeded_servers(root: Path, plan: Plan) -> dict[str, tuple[str, str]]:
    """The servers the app declares that the served entry never imports (a launcher's bjoern), each with why the
    install may go without it and what the user may do (environments.on_older_pythons)."""
    from ..detect.deps import SAME_PROGRAM, server_requirements as needs
    from ..detect.findings import EntryFinding
    from ..detect.unneeded_servers import unneeded_servers
    server = plan.settings["server"]
    serving = {name for name, _ in needs(server, plan.entry.interface, plan.entry.cooperative, plan.dependencies)}
    serving |= {same for name, same in SAME_PROGRAM.items() if name in serving}
    found = unneeded_servers(Project(root), EntryFinding(plan.framework, plan.entry, plan.workdir), plan.dependencies,
                             serving)
    return {name: (f"{server} serves the entry, whose modules never import it ("
                   + (f"only {', '.join(files)} does, to run the app its own way)" if files else "nothing does)"),
                   "remove it from the app's requirements if nothing of yours runs it")
            for name, files in found.items()}


def _without_unbuilt_servers(spec: environments.InstallSpec, unneeded: dict[str, tuple[str, str]],
                             python: environments.Interpreter, say) -> environments.InstallSpec:
    """`spec` without the exact pins of servers the served entry never imports (`unneeded`) that have no wheel for
    `python`, with a note each: the .venv serve makes runs Shipyard's server, and such a pin would be built from
    source only to be left out when it fails (Apache's mod_wsgi 4.5 of a 2017 freeze, which needs apxs: a whole
    install round of half a minute to two minutes, the pins' resolution and every other sdist's build again). The
    plan, and the image, keep it as written."""
    out = []
    for line in spec.requirements:
        name = environments._exactly_pinned(line)
        if name and name in unneeded and ";" not in line and "@" not in line \
                and not environments.has_wheel(line.strip(), python):
            if say:
                say(f"{line.strip()} left out of the app's .venv up front: it has no wheel for Python {python.minor} "
                    f"(it would be built from source), and {unneeded[name][0]} (the generated image installs it as "
                    f"written; {unneeded[name][1]})")
            continue
        out.append(line)
    return spec if len(out) == len(spec.requirements) else replace(spec, requirements=tuple(out))


def _unneeded_workers(root: Path, plan: Plan) -> dict[str, str]:
    """The packages of gunicorn worker classes the app declares and its code never imports (its Procfile's
    `gunicorn -k gevent`), when the server Shipyard runs it with does not use them: normalized name (and the name
    as declared, lowercased) -> the note saying why the install goes without it."""
    from ..detect.deps import server_requirements as needs
    from ..detect.findings import EntryFinding
    from ..detect.unneeded_servers import unneeded_workers
    server = plan.settings["server"]
    serving = {name for name, _ in needs(server, plan.entry.interface, plan.entry.cooperative, plan.dependencies)}
    found = unneeded_workers(Project(root), EntryFinding(plan.framework, plan.entry, plan.workdir), plan.dependencies,
                             serving)
    if not found:
        return {}
    from ..detect.source import string_hints
    named = {}
    for hint in string_hints(Project(root)):
        if hint.reason.startswith("gunicorn worker"):
            named.setdefault(canonicalize_name(hint.dependency), hint.reason)
    out = {}
    for dep in plan.dependencies:
        key = canonicalize_name(dep.name)
        if key in found:
            out[dep.name.lower()] = out[key] = (
                "the served entry's code never imports it ("
                + (f"only {', '.join(found[key])} does" if found[key] else "nothing does") + "); "
                + (f"only the {named[key]} names it" if key in named else "it is a gunicorn worker's package")
                + f", a worker the {server} Shipyard runs does not use: left out up front, not built (add it back, "
                "or import it, if the app needs it)")
    return out


def server_requirements(plan: Plan, say, env: Environment | None = None) -> tuple[str, ...]:
    """The server's packages at the versions the generated configuration needs: the plan's, and a server the
    app pins older than that upgraded in its .venv, with a note; given the app's environment, also a server it
    declares unpinned that resolved older than that (_dated_server_upgrades)."""
    from ..detect import deps
    out = [d.requirement for d in plan.server_dependencies]
    for note in deps.worker_fallback_notes(plan.dependencies, plan.settings["server"], plan.entry.interface,
                                           plan.entry.cooperative):
        say(note)
    for own, needed in deps.outdated_server_pins(plan.dependencies, plan.settings["server"], plan.entry.interface,
                                                 plan.entry.cooperative, plan.python.version):
        say(f"the app pins {own.requirement}, older than Shipyard's {plan.settings['server']} configuration "
            f"needs ({needed}): its environment gets {needed}")
        out.append(needed)
    if env is not None:
        out.extend(_dated_server_upgrades(plan, env, say))
    return tuple(out)


def _dated_server_upgrades(plan: Plan, env: Environment, say) -> list[str]:
    """The server packages the app declares unpinned that its install resolved (as of the app's date) to a release
    older than the generated configuration needs: those requirements, with a note each."""
    from ..detect import deps
    server = plan.settings["server"]
    wanted = {deps.normalize(name) for name, _ in (*deps.server_requirements(server, plan.entry.interface,
                                                                              plan.entry.cooperative,
                                                                              plan.dependencies),
                                                     *deps.SERVER_NEEDS.get(server, ()))}
    if not any(deps.normalize(d.name) in wanted for d in plan.dependencies if d not in plan.server_dependencies):
        return []      # asking the environment what it holds costs a uv run: only when the app declares its server
    installed = {deps.normalize(p.partition("==")[0]): p.partition("==")[2] for p in server_fit.installed_pins(env)}
    out = []
    for own, version, needed in deps.outdated_installed_servers(plan.dependencies, installed, server,
                                                                plan.entry.interface, plan.entry.cooperative):
        say(f"the app declares {own.requirement} without pinning it, and its environment got {version} (unpinned "
            f"packages resolve as of the app's date), older than Shipyard's {server} configuration needs ({needed}): "
            f"its environment gets {needed}")
        out.append(needed)
    return out


def _install_server(env: Environment, requirements: tuple[str, ...], log: Path, say) -> None:
    """The server as of today (an old app's resolution date must not hold it back), beside the app's installed
    packages without moving them (server_fit.py): a release that fits them, or for a worker package that fits
    none the app's own fallback worker; when nothing fits, as of today with a note naming what moved. On a Python
    older than its current releases support (gunicorn 23: 3.7), its newest release that still installs there."""
    for pin, needed in server_fit.older_than_the_server_needs(requirements, server_fit.installed_pins(env)):
        say(f"the app's packages brought {pin.replace('==', ' ')} (resolved as of its date), older than "
            f"{' '.join(requirements)} works with ({needed}): its environment gets {needed}")
        requirements = (*requirements, needed)
    pins = server_fit.installed_pins(env, leaving_out=requirements)
    # said by serve's overlay check, which runs after this install and at every start
    requirements, _ = server_fit.without_unfit_worker(env, requirements, pins)
    kept = pins if server_fit.fits(env, requirements, pins) else ()
    try:
        environments.install(env.python, environments.InstallSpec(requirements, constraints=kept), log=log,
                             timeout=600, say=say, what=f"installing {' '.join(requirements)}")
    except EnvironmentUnavailable as exc:
        if "this Python" not in exc.message:
            raise
        from packaging.requirements import Requirement

        from ..detect.deps import CONFIG_FLOORS
        from ..servers import LEGACY_WORKER_PACKAGES
        # a worker package with no release for this Python gives way to the one its fallback comes from
        # (once each: the worker's fallback package may be among the server's requirements already)
        names = tuple(dict.fromkeys(LEGACY_WORKER_PACKAGES.get(Requirement(r).name, Requirement(r).name)
                                    for r in requirements))
        floors = tuple(f"{name}{CONFIG_FLOORS.get(name, '')}" for name in names)
        say(f"{' '.join(requirements)} does not support the app's Python ({env.python}): installing the newest "
            f"{' '.join(names)} that does")
        environments.install(env.python, environments.InstallSpec(floors), log=log, timeout=600, say=say,
                             what=f"installing {' '.join(floors)}")
    if pins and not kept and (moves := server_fit.moved(pins, after := server_fit.installed_pins(env))):
        say(f"no release of {' '.join(requirements)} installs beside the app's packages as they are: installing it "
            f"moved {', '.join(moves)}")
        _follow_moved(env, pins, after, log, say)


def _follow_moved(env: Environment, before: tuple[str, ...], after: tuple[str, ...], log: Path, say) -> None:
    """Move on too the app's pins that a package the server install moved requires with no version bound
    (server_fit.left_behind): the moved release is of a later day and imports what its day's releases have
    (h11 0.14 under typing-extensions 3.6.5: `cannot import name 'Literal'`). Each to a later release that
    installs; when none does, they stay, and the import check says what fails."""
    stale = server_fit.left_behind(env, before, after)
    if not stale:
        return
    later = tuple(f"{pin.partition('==')[0]}>{pin.partition('==')[2]}" for pin in stale)
    try:
        environments.install(env.python, environments.InstallSpec(later), log=log, timeout=600, say=say,
                             what=f"installing {' '.join(later)}")
    except EnvironmentUnavailable:
        return
    if moves := server_fit.moved(stale, server_fit.installed_pins(env)):
        say(f"the packages it moved require {', '.join(p.partition('==')[0] for p in stale)} with no version bound, "
            f"and the app's older pins of them are older than those releases import: moved {', '.join(moves)} too")
