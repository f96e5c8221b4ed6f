"""The plan's import proof: which environment imports the entry, and what its failure means for the plan.

The entry is imported in the app's own environment, or in a cached proof environment built from the plan's
dependencies (environments.environment_for_proof). An import that fails the way old code fails on a newer Python
(errors.PythonTooNew: an error raised inside an old pinned release, a standard-library module the Python removed)
is tried again in a proof environment on the next older Python installed here, at most OLDER_TRIES of them, and
only when the release it was raised in came out before the Python it failed on (uv's --exclude-newer sees it
then): Werkzeug 0.15.3 (May 2019) builds code objects Python 3.8 (October 2019) changed, and imports on 3.7. The
Proof then names the Python that worked (moved_python, moved_because), and the plan moves to it.

A pinned release that imports a module the installed release of a package the app leaves open no longer has
(errors.GoneSubmodule: whitenoise 4.1.2's django.utils.six under `django>=2.2.10`, which resolves to Django 3.0),
or the app's own code importing a name it no longer has (`from werkzeug import secure_filename`, gone in Werkzeug
1.0), is tried again with that package held below its installed series, then below each major release before
(HOLD_ROUNDS); the Proof's `held` bounds go into the plan's requirement for it, so serve's .venv installs the same.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Callable, Mapping

from . import environments, install_retries, python2_sources, servers, venv_seed
from .detect import deps, entry, imports, python2_reach, pyversion, services
from .detect.python2_declared import python2_advice
from .detect.entry.proof import Confirmed, ServerAtImport
from .detect.entry.local_distribution import index_names, installed_from_folders, needed_local_distributions
from .detect.unneeded_servers import unneeded_servers, unneeded_workers
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from .errors import (AppCodeError, AppConfigError, AppLoadError, GoneSubmodule, ImportedByInstalled, ImportTimeout,
                     MissingDependency, NeedsNewerPython, PythonTooNew, UnreadSyntax)
from .plan import Dependency, Proof
from .project import Project

OLDER_TRIES = 2      # older Pythons tried for an import that fails on a Python too new for the code
NEXT_SERIES = 2      # release series tried after one no Python here imports (Django 1.6 -> 1.7 -> 1.8)
MOVE_ROUNDS = 3      # later releases tried of a release that imports what the app's exact pin of another removed
HOLD_ROUNDS = 4      # bounds a package is held back by, for a pinned release (or the app) that imports what it removed


def proof_requirements(project: Project, all_deps, found=None) -> tuple[str, ...]:
    """What the proof environment installs: the app's packages without the servers, which importing the app does
    not need (Shipyard's own, and the app's pins of servers its code does not import, or only a launcher of its
    own imports: prod.py's bjoern, given the entry `found`), nor the packages of gunicorn worker classes the code
    does not import (a Procfile's gevent)."""
    imported = set(imports.imported_distributions(project))
    unneeded = set(unneeded_servers(project, found, all_deps))
    windows_only = _unused_windows_only(project, all_deps)
    # a gunicorn worker's package the code never imports (a Procfile's `-k gevent`): importing the app does not
    # need it, and an old pin of it may build from source for minutes (unneeded_workers)
    workers = set(unneeded_workers(project, found, all_deps))
    # a line naming the project's own distribution the proof installs from its folder (greeter-lib==0.1 beside
    # greeter-lib/setup.py: no index has it), or the packaged app itself (`-e git+https://.../app.git#egg=app`):
    # planner leaves it out of the plan too
    all_deps = installed_from_folders(project, found.workdir if found is not None else ".", all_deps,
                                      environments.is_package(project.root))[0]
    return tuple(d.requirement for d in all_deps if not d.source.startswith(deps.SERVER_SOURCE)
                 and d not in windows_only and imports.normalize(d.name) not in workers
                 and not (imports.normalize(d.name) in servers.SERVER_DISTRIBUTIONS
                          and (imports.normalize(d.name) not in imported or imports.normalize(d.name) in unneeded)))


OPTIONAL_ROUNDS = 3   # optional dependencies of installed packages added, one per failed import


def _unused_windows_only(project: Project, all_deps) -> set:
    """The app's declared Windows-only packages (pywin32 in a freeze made on Windows) its code never imports: the
    plan leaves them out (planner._leave_out_windows_only), so the proof's install does not stop on them either."""
    found = [d for d in all_deps if deps.normalize(d.name) in deps.WINDOWS_ONLY and not d.inferred]
    if not found:
        return set()
    used = set(environments.used_by(project.root))
    return {d for d in found if deps.normalize(d.name) not in used}


def prove(project: Project, found, all_deps, files, version: str, python_exe: str | None, env_timeout: float,
          import_timeout: float, progress: Callable[[str], None] | None,
          environ: Mapping[str, str] | None = None) -> Proof:
    """_prove, again with the package an installed release imports and the app's requirements leave out (aiofiles,
    which Starlette before 0.15 imports for StaticFiles and does not require), one more a round, at most
    OPTIONAL_ROUNDS, in a proof environment only (the user's own is theirs to change); the Proof's `seeded` names
    them, so serve's .venv and the image install them too."""
    added: list[Dependency] = []
    names = {imports.normalize(d.name) for d in all_deps}
    for round_ in range(OPTIONAL_ROUNDS + 1):
        try:
            proof = _prove(project, found, (*all_deps, *added), files, version, python_exe, env_timeout,
                           import_timeout, progress, environ)
        except ImportedByInstalled as exc:
            key = imports.normalize(exc.distribution)
            if python_exe or round_ == OPTIONAL_ROUNDS or key in names or exc.distribution == "setuptools":
                raise
            names.add(key)
            added.append(Dependency(exc.distribution, "", f"the installed {exc.importer} imports it (the import "
                                    "proof)", inferred=True))
            if progress:
                progress(f"the installed {exc.importer} imports {exc.distribution}, which the app's requirements "
                         "leave out: trying the import with it")
            continue
        if not added:
            return proof
        line = "; ".join(f"{d.name} ({d.source.split(' (')[0]})" for d in added)
        return replace(proof, seeded=(*proof.seeded, *(d.name for d in added)),
                       notes=(*proof.notes, f"installed beside the app's packages: {line}; add "
                              f"{'it' if len(added) == 1 else 'them'} to your requirements"))
    raise AssertionError("unreachable")


def _prove(project: Project, found, all_deps, files, version: str, python_exe: str | None, env_timeout: float,
           import_timeout: float, progress: Callable[[str], None] | None,
           environ: Mapping[str, str] | None = None) -> Proof:
    """Import the entry in the app's environment (or a proof environment); a plan without one is static. A
    proof environment whose pins installed only on another Python than `version` (ProofResult.moved_to), or whose
    import worked only on an older one, gives a Proof with moved_python set."""
    requirements = proof_requirements(project, all_deps, found)
    if python_exe:
        env = environments.Environment(python_exe, "the given interpreter")
        notes: tuple[str, ...] = ()
        moved_to = None
    elif (python2 := python2_reach.python2_on_import_path(project, found)) is not None:
        # Python 2 syntax on the entry's import path: no Python 3 imports it, so no environment is built to say so
        # (an old freeze's source builds, then again on an older Python, ran past inspect's limit before); the
        # static answer stands, not proven, as for the import's own "Python 2 code" (serve stops on it)
        return Proof(False, reason=f"{python2[0]} (on the import path of {found.entry.target}, read before "
                                   "building an environment)", code_error=True, hint=python2[1])
    else:
        result = _environment(project, requirements, files, version, env_timeout, progress, all_deps, found)
        if result.environment is None:
            # a build that ran out of time still names the Python its pins' wheels move it to
            moved = result.moved_to or ("", "")
            return Proof(False, reason=result.reason, notes=result.notes, moved_python=moved[0],
                         moved_because=moved[1])
        env, notes, moved_to = result.environment, result.notes, result.moved_to
    try:
        try:
            proof = _imported(project, found, env, notes, version, import_timeout, environ,
                              hold=python_exe is None and env.kind == "proof")
        except GoneSubmodule as exc:
            proof = _with_older_provider(project, found, requirements, files, env, notes, exc, version,
                                         env_timeout, import_timeout, progress, environ, all_deps)
        except MissingDependency as exc:
            if python_exe or "'pkg_resources'" not in exc.message or venv_seed.SEED in requirements:
                raise
            # an installed package imports pkg_resources (drf-yasg before 1.21.8), which setuptools 81 removed and
            # an environment of Python 3.12 or later is made without: the proof again with setuptools below 81
            requirements = (*requirements, venv_seed.SEED)
            result = _environment(project, requirements, files, version, env_timeout, progress, all_deps, found)
            if result.environment is None:
                raise
            env, notes, moved_to = result.environment, result.notes, result.moved_to
            proof = replace(_imported(project, found, env, notes, version, import_timeout, environ),
                            seeded=(venv_seed.SEED,))
    except PythonTooNew as exc:
        if exc.caller and exc.raiser and python_exe is None and env.kind == "proof":
            # fastapi-jwt-auth 0.5's call raising inside pydantic 2, which the app leaves open: the release that
            # raised is held back first, on this Python; the older Pythons only when that does not import
            name, installed, error = exc.raiser
            called = GoneSubmodule(exc.message, exc.hint, (name, installed), exc.caller, error)
            proof = _with_older_provider(project, found, requirements, files, env, notes, called, version,
                                         env_timeout, import_timeout, progress, environ, all_deps, too_new=exc)
        else:
            proof = _on_older_python(project, found, requirements, files, env, notes, exc, version,
                                     env_timeout, import_timeout, progress, environ, all_deps)
    if moved_to is not None and not proof.moved_python:
        proof = replace(proof, moved_python=moved_to[0], moved_because=moved_to[1])
    return proof


def _with_older_provider(project: Project, found, requirements, files, env: environments.Environment,
                         notes: tuple[str, ...], failure: GoneSubmodule, version: str, env_timeout: float,
                         import_timeout: float, progress, environ, all_deps,
                         too_new: PythonTooNew | None = None) -> Proof:
    """The proof again with the package a pinned release needs older held below the installed release's series
    (Django<3.0 for whitenoise 4.1.2's django.utils.six), one series further each round, at most HOLD_ROUNDS: only
    for a package the app leaves open (`django>=2.2.10`, unpinned), never against its own exact pin unless its own
    code imports what that pin removed (then nothing runs with the pin: the code decides, said loudly). The Proof
    carries the bound (held) for serve's install and the plan; when no round imports, the first failure stands.
    `too_new`: the failure first read as a Python too new, an installed release's call that raised inside another
    (fastapi-jwt-auth 0.5.0's into pydantic 2.10.3): one round, below the installed major release (pydantic<2.0),
    and when it does not import, or the app pins that package, the older Pythons as before (_on_older_python)."""
    declared = {imports.normalize(d.name): d for d in all_deps}
    held: list[str] = []
    said: list[str] = []
    overridden: set[str] = set()       # the app's exact pins its own code is older than
    first = failure

    def no_hold() -> Proof:
        if too_new is None:
            return _failed(project, first, env, notes + tuple(said), version)
        if said:
            said.append(f"no import with {' '.join(held) or 'the hold'} either: trying older Pythons")
            if progress:
                progress(said[-1])
        return _on_older_python(project, found, requirements, files, env, notes + tuple(said), too_new, version,
                                env_timeout, import_timeout, progress, environ, all_deps)
    for round_ in range(1 if too_new else HOLD_ROUNDS):
        name, installed = failure.provider
        own = declared.get(imports.normalize(name))
        # the nearest series first, then a major release a round: Werkzeug 3.1 to 0.16 for the app's
        # `from werkzeug import secure_filename` (gone in 1.0) in four rounds, not eight
        bound = _series(installed, major=round_ > 0 or too_new is not None)
        if bound is not None and too_new is not None and Version(bound) <= Version("0.0"):
            bound = _series(installed)     # 0.x: the series is the nearest release a change of API comes with
        if round_ == 0 and own is not None and _pins_exactly(own.spec) and not failure.own:
            if too_new is not None:
                return no_hold()           # the app's own pin of the release that raised: the Python it is
            # the app's own exact pin of the provider (werkzeug = "3.0.1"): the importer moves forward instead
            return _with_later_importer(project, found, requirements, files, env, notes, failure, version,
                                        env_timeout, import_timeout, progress, environ, all_deps)
        # the app's own code imports what its own exact pin removed (a bot's bump of werkzeug to 3.0.1 merged
        # past code importing werkzeug.urls.url_parse): no run is possible with the pin, the code decides
        past_code = own is not None and _pins_exactly(own.spec) and failure.own
        if bound is None or (own is not None and not past_code
                             and (_pins_exactly(own.spec) or _floor_at_least(own.spec, bound))):
            break                          # the app's own pin, or its lower bound: the resolver would refuse
        if past_code:
            overridden.add(imports.normalize(name))
        hold = f"{name}<{bound}"
        if hold in held:
            break
        held = [h for h in held if imports.normalize(_held_name(h)) != imports.normalize(name)] + [hold]
        importer = failure.importer if failure.own else f"the installed {failure.importer}"
        verb = "calls" if failure.module.endswith("()") else "imports"    # a removed function's own "removed as of"
        if too_new is not None:
            line = (f"{importer} calls {name} {installed}, which raised {failure.module}: {name} held below {bound} "
                    f"(a release of the caller's days) before trying an older Python")
        elif imports.normalize(name) in overridden:
            line = (f"{importer} {verb} {failure.module}, which {name} {installed}, the app's own exact pin "
                    f"({own.source}), no longer has: the pin is newer than the code, and nothing runs with it; "
                    f"{name} held below {bound} (change the pin, or the import)")
        else:
            line = (f"{importer} {verb} {failure.module}, which {name} {installed} no longer has: {name} held below "
                    f"{bound}" + (f" (the app asks for {own.requirement})" if own and own.spec else ""))
        said.append(line)
        if progress:
            progress(line)
        kept = tuple(r for r in requirements if not (imports.normalize(environments._requirement_name(r)) in overridden
                                                     and environments._exactly_pinned(r)))
        result = _environment(project, (*kept, *held), files, version, env_timeout, progress, all_deps, found)
        if result.environment is None and round_ > 0 and (nearer := _series(installed)) not in (None, bound):
            # the major step resolves to nothing when another pin needs that major (Flask 2.0.2 asks Werkzeug>=2.0,
            # so Werkzeug<2.0 has no answer): the next series down instead (Werkzeug<2.1, so 2.0.3, which still has
            # the BaseResponse Werkzeug 2.1 removed)
            said.append(f"no proof environment with {hold} ({result.reason}): {name} held below {nearer} instead")
            if progress:
                progress(said[-1])
            bound, hold = nearer, f"{name}<{nearer}"
            held = held[:-1] + [hold]
            result = _environment(project, (*kept, *held), files, version, env_timeout, progress, all_deps, found)
        if result.environment is None:
            said.append(f"no proof environment with {hold}: {result.reason}")
            break
        try:
            proof = _imported(project, found, result.environment, tuple(dict.fromkeys(notes + result.notes + tuple(said))),
                              version, import_timeout, environ, hold=True)
        except GoneSubmodule as again:
            if too_new is not None:
                break
            failure = again
            continue
        except PythonTooNew as older_code:
            if too_new is not None:
                break                      # no better with the hold: the Python, as first read
            # past the holds, a release too old for this Python (tensorflow 2.3 on 3.8's newer neighbours): the
            # older Python is tried with the holds, which it needs as much
            proof = _on_older_python(project, found, (*requirements, *held), files, result.environment,
                                     tuple(dict.fromkeys(notes + result.notes + tuple(said))), older_code, version,
                                     env_timeout, import_timeout, progress, environ, all_deps)
        # kept when the import then stops on something else (a timeout, a setting): what the rounds got past,
        # serve's .venv must get past too
        return replace(proof, held=tuple(held))
    return no_hold()


def _with_later_importer(project: Project, found, requirements, files, env: environments.Environment,
                         notes: tuple[str, ...], failure: GoneSubmodule, version: str, env_timeout: float,
                         import_timeout: float, progress, environ, all_deps) -> Proof:
    """The proof again with the release that imports what the app's exact pin removed moved forward, to its first
    later release, then the next, at most MOVE_ROUNDS (undated: Flask-Login 0.6.3, the first made for Werkzeug 3,
    came out four days after a blog's files, whose poetry.lock pins 0.6.2 beside `werkzeug = "3.0.1"`). Only for
    a release the app does not pin exactly itself (its lock's, or the resolver's choice); the move is an exact
    pin (exact pins are exempt from the date), carried by the Proof (moved) into the plan's requirement. When no
    later release imports, the first failure stands."""
    declared = {imports.normalize(d.name): d for d in all_deps}
    name, _, current = failure.importer.partition(" ")
    key = imports.normalize(name)
    own = declared.get(key)
    said: list[str] = []
    if not current:
        return _failed(project, failure, env, notes, version)
    # both the app's own exact pins (a freeze whose Werkzeug a bot bumped to 3.0.1 past its Flask-Login==0.6.2):
    # nothing runs with the two together, and the importer's later release is the smaller change; said so
    both = own is not None and _pins_exactly(own.spec) and "(pinned by " not in own.source
    whose = f" (the app's own pin in {own.source})" if both else ""
    provider = f"{failure.provider[0]} {failure.provider[1]}"
    index = environments.index_options(project.root, files)
    log = environments.cache_root() / "logs" / "later-importer.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    candidates = _later_releases(env.python, name, current, index, log)
    for _ in range(MOVE_ROUNDS):
        later, which = next(candidates, (None, ""))
        if later is None:
            said.append(f"no release of {name} after {current} to try")
            break
        line = (f"the installed {failure.importer}{whose} imports {failure.module}, which {provider} (the app's exact "
                f"pin) no longer has: trying {later}, {which} of {name}"
                + ("; nothing runs with both pins, and moving the importer is the smaller change" if both else ""))
        said.append(line)
        if progress:
            progress(line)
        moved = tuple(r for r in requirements if imports.normalize(environments._requirement_name(r)) != key) \
            + (later,)
        result = _environment(project, moved, files, version, env_timeout, progress, all_deps, found)
        if result.environment is None:
            # the series' last may need what the app's other pins refuse: the next candidate still may not
            said.append(f"no proof environment with {later}: {result.reason}")
            current = later.partition("==")[2]
            continue
        try:
            proof = _imported(project, found, result.environment, tuple(dict.fromkeys(notes + result.notes + tuple(said))),
                              version, import_timeout, environ, hold=True)
        except GoneSubmodule as again:
            if again.own:
                # the app's own code fails next (the pin is newer than the code too): the hold rounds, with the move
                proof = _with_older_provider(project, found, moved, files, env, notes + tuple(said), again, version,
                                             env_timeout, import_timeout, progress, environ, all_deps)
                return replace(proof, moved=(later,)) if proof.proven else _failed(
                    project, failure, env, notes + tuple(said) + proof.notes, version)
            if imports.normalize(again.importer.partition(" ")[0]) != key:
                break
            current = later.partition("==")[2]
            continue
        # kept when the import then stops on something else (a file the checkout lacks, a setting): the move got
        # past this failure, so serve's .venv installs it too and says what stops the app next
        return replace(proof, moved=(later,))
    return _failed(project, failure, env, notes + tuple(said), version)


def _later_releases(python: str, name: str, current: str, index: tuple[str, ...], log: Path):
    """(release, which one it is) of the importer to try after `current`, in order: its first later release
    (Flask-Login 0.6.3, the first made for Werkzeug 3), then the last release of that one's series, then the first
    of the next series. A fix for a newer provider often comes as a series' last patch (pandas-datareader 0.7.4
    imports what pandas 0.25 moved, 0.7.0 to 0.7.2 do not), or with the next series: a walk release by release
    spent its rounds on the patches between."""
    first = install_retries._lowest_readable(python, f"{name}>{current}", index, log=log)
    if first is None:
        return
    yield first, "the first later release"
    version = first.partition("==")[2]
    following = _series_after(version)
    if following is None:
        return
    last = install_retries._highest_readable(python, f"{name}>{version},<{following}", index, log=log)
    if last is not None:
        yield last, f"the last release of its {_series(version)} series"
    after = install_retries._lowest_readable(python, f"{name}>={following}", index, log=log)
    if after is not None:
        yield after, f"the first release of its {following} series"


def _series_after(version: str) -> str | None:
    """"0.8" for "0.7.1": the series after the one `version` is in."""
    try:
        release = Version(version).release
    except InvalidVersion:
        return None
    return f"{release[0]}.{(release + (0,))[1] + 1}"


def _series(version: str, major: bool = False) -> str | None:
    """"3.0" for "3.0.6": the release series a bound below which leaves the installed one out; `major`: its major
    release ("3.0" for "3.1.2")."""
    try:
        release = Version(version).release
    except InvalidVersion:
        return None
    return ".".join(str(p) for p in ((release[0], 0) if major else (release + (0,))[:2]))


def _pins_exactly(spec: str) -> bool:
    return spec.strip().startswith(("==", "===")) and "*" not in spec


def _floor_at_least(spec: str, bound: str) -> bool:
    """Whether `spec` (">=2.2.10") admits nothing below `bound` ("2.2")."""
    try:
        floors = [Version(s.version) for s in SpecifierSet(spec) if s.operator in (">=", ">", "~=", "==")]
    except (InvalidSpecifier, InvalidVersion):
        return False
    return any(floor >= Version(bound) for floor in floors)


def _held_name(hold: str) -> str:
    return hold.split("<", 1)[0]


def _environment(project: Project, requirements: tuple[str, ...], files, version: str, env_timeout: float,
                 progress, all_deps, found) -> environments.ProofResult:
    # the project's own distributions the app imports (greeter-lib/ with its setup.py): installed with the rest
    local = needed_local_distributions(project, found.workdir, index_names(all_deps))
    return environments.environment_for_proof(project.root, requirements, files, version, timeout=env_timeout,
                                              say=progress,
                                              unselected=services.unselected_drivers(project, all_deps, os.environ),
                                              local=tuple(d.folder for d in local))


def _on_older_python(project: Project, found, requirements, files, env: environments.Environment,
                     notes: tuple[str, ...], failure: PythonTooNew, version: str, env_timeout: float,
                     import_timeout: float, progress, environ, all_deps) -> Proof:
    """The proof again on older Pythons, for an import that failed the way old code fails on a newer one; the
    first failure's Proof when none helps (or the environment is not a proof environment, which is the user's)."""
    running = environments.interpreter_info(env.python)
    first = failure
    if env.kind != "proof" or running is None:
        # the user's environment is theirs to remake: say with which Python
        fits = _of_its_time([p for p in environments.older_pythons(running) if failure.below is None
                             or older(p.minor, failure.below)], failure, env.python) if running is not None else []
        # serve --install makes .venv with the Python the app asks for: removing it alone makes the same one again
        advice = (f"Python {fits[0].minor} is installed here: recreate {env.origin} with it (for the app's .venv: "
                  f"remove it, write {fits[0].minor} in .python-version, then run serve --install)" if fits
                  else python2_advice(project, "an older Python may import it", failure.message, failure.pin))
        proof = _with_hint(_failed(project, failure.original, env, notes, version), failure, running, advice)
        return replace(proof, older_python=fits[0].minor, older_because=_because(failure, running)) \
            if fits and not proof.proven else proof
    tried: list[str] = []           # said, and kept in the notes
    tried_on: list[str] = []
    candidates = _of_its_time([p for p in environments.older_pythons(running)
                               if failure.below is None or older(p.minor, failure.below)], failure, env.python)
    candidates = candidates[:OLDER_TRIES]
    queue = list(candidates)
    announced = False       # the next candidate's line is said already
    failed_on = running
    advice = python2_advice(project, "no older Python installed here to try it on", failure.message, failure.pin)
    while queue:
        candidate = queue.pop(0)
        if not _predates(failure, failed_on, env.python):
            advice = f"{failure.pin} came out after Python {failed_on.minor}: an older Python is no reason to try"
            break
        if not announced:
            line = (f"importing the app failed on Python {failed_on.minor} ({failure.why}): trying the import on "
                    f"Python {candidate.minor}")
            tried.append(line)
            if progress:
                progress(line)
        announced = False
        result = _environment(project, requirements, files, candidate.minor, env_timeout, progress, all_deps, found)
        if result.environment is None:
            tried.append(f"no proof environment on Python {candidate.minor}: {result.reason}")
            continue
        there = environments.interpreter_info(result.environment.python) or candidate
        tried_on.append(f"Python {there.minor}")
        try:
            said = tuple(dict.fromkeys(notes + tuple(tried) + result.notes))
            proof = _imported(project, found, result.environment, said, version, import_timeout, environ, newer=True)
        except PythonTooNew as again:
            failure, failed_on = again, there
            continue
        except NeedsNewerPython as code_newer:
            # the app's own code is newer than the Python of the release's time (a course project of 2025 whose
            # requirements name Django 3.0, and list[str] in its code): the Pythons between the two, oldest first
            between = _between(running, code_newer.needs, tried_on, candidates)
            if not between:
                return _failed(project, code_newer, result.environment, said, version)
            line = (f"the app's own code needs Python {code_newer.needs} or newer, and it ran on {there.minor}: "
                    f"trying the import on Python {between[0].minor}")
            tried.append(line)
            if progress:
                progress(line)
            queue = between[:OLDER_TRIES]
            candidates = [*(c for c in candidates if not older(c.minor, code_newer.needs)), *queue]
            announced = True
            continue
        return replace(proof, moved_python=there.minor, moved_because=_because(first, running))
    if tried_on:
        advice = f"tried on {', '.join(tried_on)} too, which did not import it either"
    oldest = (min(candidates, key=_minor_number) if tried_on else running)
    moved = _next_series(project, found, requirements, files, first, oldest, notes + tuple(tried), version,
                         env_timeout, import_timeout, progress, environ, all_deps)
    if moved is not None:
        if moved.proven and oldest.minor != running.minor:
            return replace(moved, moved_python=oldest.minor, moved_because=_because(first, running))
        if moved.proven:
            return moved
        advice += f"; {moved.reason}"
    return _with_hint(_failed(project, first.original, env, notes + tuple(tried), version), first, running, advice)


def _because(failure: PythonTooNew, running: environments.Interpreter) -> str:
    """Why the app moves to an older Python, in words: the failure's reason, and the Python it failed on unless the
    reason names it already ("... which Python 3.12 removed from the standard library"); for a failure inside an
    installed release, that the release is older than that Python."""
    if f"Python {running.minor}" in failure.why:
        return failure.why
    return f"{failure.why} on Python {running.minor}" + (", a release older than that Python" if failure.pin else "")


def _between(running: environments.Interpreter, needs: str, tried_on: list[str],
             candidates: list[environments.Interpreter]) -> list[environments.Interpreter]:
    """The Pythons installed here at least as new as `needs` and older than `running` that were not tried yet,
    oldest first: nearest the time of the release that failed on `running`."""
    return sorted((p for p in environments.older_pythons(running)
                   if not older(p.minor, needs) and f"Python {p.minor}" not in tried_on
                   and p not in candidates), key=_minor_number)


def _next_series(project: Project, found, requirements, files, failure: PythonTooNew, on: environments.Interpreter,
                 notes: tuple[str, ...], version: str, env_timeout: float, import_timeout: float, progress, environ,
                 all_deps) -> Proof | None:
    """The proof again with the release the error was raised in moved to the newest of its next series (Django 1.7
    -> 1.8.19), undated, on `on` (the oldest Python tried), for an import no Python here can make: Django 1.7 needs
    html.parser.HTMLParseError, which Python 3.5 removed, and 3.6 is the oldest here; Django 1.8 LTS keeps what 1.7
    code uses (patterns(), MIDDLEWARE_CLASSES) and runs on it. A series a round, at most NEXT_SERIES (Django 1.6
    -> 1.7, which fails the same, -> 1.8): later ones remove what the code of its day calls (patterns() went in
    1.10), which an import alone does not show. Only for a package the app leaves open (no requirement file, a
    range, a lock's pin); never its own exact pin. None when it does not apply; a not-proven Proof whose reason
    says why when it applies but nothing imports."""
    name, _, installed = (failure.pin or "").partition("==")
    try:
        release = Version(installed).release
    except InvalidVersion:
        return None
    declared = {imports.normalize(d.name): d for d in all_deps}
    own = declared.get(imports.normalize(name))
    if not name or own is None or (_pins_exactly(own.spec) and "(pinned by " not in own.source):
        return None
    major, minor = (release + (0,))[:2]
    log = environments.cache_root() / "logs" / "next-series.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    leaves = ("unpinned" if not own.spec else own.spec.lstrip("=") if "pinned by" in own.source else own.spec)
    said: list[str] = []
    why = ""
    for step in range(1, NEXT_SERIES + 1):
        series = f"{name}>={major}.{minor + step},<{major}.{minor + step + 1}"
        later = install_retries._compiled(on.path, series, environments.index_options(project.root, files),
                                          log=log, deps=True)
        if later is None:
            why = f"no release of {name} {major}.{minor + step} for Python {on.minor}"
            break
        line = (f"{failure.pin} needs a Python older than any here ({failure.why}): trying {later}, the newest of "
                f"the series after it, on Python {on.minor} (the app leaves {name} {leaves})")
        said.append(line)
        if progress:
            progress(line)
        moved = tuple(r for r in requirements if imports.normalize(environments._requirement_name(r))
                      != imports.normalize(name)) + (later,)
        result = _environment(project, moved, files, on.minor, env_timeout, progress, all_deps, found)
        if result.environment is None:
            why = f"no proof environment with {later}: {result.reason}"
            break
        try:
            proof = _imported(project, found, result.environment,
                              tuple(dict.fromkeys(notes + tuple(said) + result.notes)), version, import_timeout, environ)
        except AppLoadError as exc:
            why = f"{later} did not import it either ({exc.message.splitlines()[0][-200:]})"
            continue
        return replace(proof, moved=(later,)) if proof.proven else proof
    return Proof(False, reason=why)


def _of_its_time(candidates: list[environments.Interpreter], failure: PythonTooNew,
                 installed_with: str) -> list[environments.Interpreter]:
    """The older Pythons to try (newest first), from the newest one that was out when the release the import failed
    in came out: Django 1.11.3 (July 2017) fails on 3.12, and on every Python after 3.6 (its admin does not parse
    on 3.7), so stepping down one Python at a time would end its tries on 3.11 and 3.10. All of them when no
    release is named (or the index does not date it). When the release predates them all (Django 1.9, December
    2015, before 3.6), the oldest first: the nearest its time, where newer ones fail the same way it did."""
    if failure.pin is None:
        return candidates
    for at, candidate in enumerate(candidates):
        day = pyversion.RELEASE_DATES.get(candidate.minor)
        if day is not None and not environments.released_before(failure.pin, day, installed_with):
            return candidates[at:]
    return sorted(candidates, key=_minor_number)


def _minor_number(python: environments.Interpreter) -> tuple[int, ...]:
    return tuple(int(part) for part in python.minor.split(".") if part.isdigit())


def _predates(failure: PythonTooNew, python: environments.Interpreter, installed_with: str) -> bool:
    """Whether an older Python may help: the release the failure was raised in came out before `python` did (a
    release made after it was made for it, or for none: not a question of the Python). No release named (the
    app's own code imports a module the Python removed): the module says so. Raised by the standard library itself
    (typing's stricter checks of 3.9.8): the Python's patch release, not its first, is the day that counts, and
    the table holds only the first, so an older Python may help whatever the release's date."""
    if failure.pin is None or getattr(failure, "stdlib", None):
        return True
    day = pyversion.RELEASE_DATES.get(python.minor)
    return day is not None and environments.released_before(failure.pin, day, installed_with)


def _with_hint(proof: Proof, failure: PythonTooNew, running: environments.Interpreter | None, advice: str) -> Proof:
    """A failed proof's reason, with what points at the Python and what was done or may be done about it."""
    if proof.proven:
        return proof
    on = f" on Python {running.minor}" if running else ""
    return replace(proof, reason=f"{proof.reason} ({failure.why}{on}: {advice})")


def _imported(project: Project, found, env: environments.Environment, notes: tuple[str, ...], version: str,
              timeout: float, environ: Mapping[str, str] | None, hold: bool = False, newer: bool = False) -> Proof:
    """The Proof of importing the entry with `env`; PythonTooNew is raised for the caller to try an older one,
    with `hold` GoneSubmodule, for the caller to hold the package back, and with `newer` NeedsNewerPython, for the
    caller to try a newer one."""
    try:
        confirmed = entry.confirm(project, found, python_exe=env.python, timeout=timeout, environ=environ)
    except PythonTooNew as exc:
        if env.kind == "proof" and exc.why.startswith("SyntaxError raised inside") and _python2_rebuilt(env):
            # a proof environment cached before its Python 2 release was found (python2_sources.py): built again
            # with 2to3 there, the import is tried once more (a second rebuild finds nothing to do)
            return _imported(project, found, env, notes, version, timeout, environ, hold)
        raise
    except ServerAtImport as exc:
        # a dev server started at import that only the import showed: served through the entry shim, as one the
        # static scan sees (planner.py marks the entry)
        confirmed = exc.confirmed or Confirmed()
        return Proof(True, env.origin, env.python, notes=notes, kind=env.kind, asgi2=confirmed.asgi2,
                     django_setup=confirmed.django_setup, interface=confirmed.interface,
                     loop_import=confirmed.loop_import, server_at_import=str(exc.message))
    except AppLoadError as exc:
        if (hold and isinstance(exc, GoneSubmodule)) or (newer and isinstance(exc, NeedsNewerPython)):
            raise
        return _failed(project, exc, env, notes, version)
    return Proof(True, env.origin, env.python, notes=notes, kind=env.kind, asgi2=confirmed.asgi2,
                 django_setup=confirmed.django_setup, interface=confirmed.interface,
                 loop_import=confirmed.loop_import)


def _python2_rebuilt(env: environments.Environment) -> tuple[str, ...]:
    """The releases of the proof environment `env` whose Python 2 code was built again with 2to3 just now."""
    log = environments.cache_root() / "logs" / "python2-rebuild.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    return python2_sources.rebuild(env.python, environments.InstallSpec(()), log=log, timeout=300, say=None,
                                   cache=environments.cache_root())


def _failed(project: Project, exc: AppLoadError, env: environments.Environment, notes: tuple[str, ...],
            version: str) -> Proof:
    """The not-proven Proof an import failure makes, or the error raised again when it must stop the plan."""
    if isinstance(exc, AppConfigError):
        # the app's run-time configuration (a variable not set, a database not answering), not its code: the
        # static answer stands, marked not proven, and says what to set
        return Proof(False, env.origin, env.python, reason=exc.message, notes=notes, kind=env.kind,
                     variables=exc.variables, hint=exc.hint)
    if isinstance(exc, UnreadSyntax):
        # the code is written for the Python the app asks for, newer than the nearest one installed here: the
        # static answer stands, not proven; serve, which would fail the same, says which Python to install
        running = environments.interpreter_info(env.python)
        # the Python its code needs, when the error names one (lazy annotations: 3.14), else the one it asks for
        wanted = getattr(exc, "needs", "") or version
        if running is None or not older(running.minor, wanted):
            if not isinstance(exc, NeedsNewerPython) and running is not None \
                    and (newest := _own_syntax_error(project, exc, running.minor)):
                # the Python it asks for ran it, and the newest here does not parse the file either (a chat line
                # pasted at a module's top): the app's own mistake, said with the file to fix, not "run it on the
                # Python it is written for"; the static answer stands, not proven
                return Proof(False, env.origin, env.python, notes=notes, kind=env.kind, code_error=True,
                             reason=f"{exc.message}: a syntax error in the app's own code, which Python {newest} "
                                    "does not parse either", hint=f"fix the syntax of {exc.source} in the app's code")
            raise exc
        if isinstance(exc, NeedsNewerPython) and _installed(wanted):
            # that Python is here, the proof only ran on an older one (the app declares it): the error and its hint
            # (run it on that Python, --python) stand, as for any error of the app's code
            return Proof(False, env.origin, env.python, reason=exc.message, notes=notes, kind=env.kind,
                         code_error=True, hint=exc.hint)
        if not isinstance(exc, NeedsNewerPython) and (newer := _own_syntax_error(project, exc, wanted)):
            # a Python as new as the one it asks for is here and does not parse the file either: no Python
            # reads it, the app's own mistake (a line pasted into a module), not a newer Python's syntax
            return Proof(False, env.origin, env.python, notes=notes, kind=env.kind, code_error=True,
                         reason=f"{exc.message}: a syntax error in the app's own code, which Python {newer} "
                                f"does not parse either", hint=f"fix the syntax of {exc.source} in the app's code")
        return Proof(False, env.origin, env.python, notes=notes, kind=env.kind, needs_python=wanted,
                     reason=f"{exc.message}: the app is written for Python {wanted}, which is not installed here "
                            f"(imported with {running.minor}, the nearest)")
    if isinstance(exc, (AppCodeError, GoneSubmodule)):
        # the app's own code raised while importing (a name it imports that its files lack, a package's assertion),
        # or two installed releases of different days that no hold reconciles (the app pins the newer one): the
        # static answer stands, not proven, with the error; serve, which must run it, stops on it
        return Proof(False, env.origin, env.python, reason=exc.message, notes=notes, kind=env.kind, code_error=True,
                     hint=exc.hint)
    if isinstance(exc, ImportTimeout):
        # a slow import on a busy machine looks the same as one that blocks: the static answer stands, not
        # proven; serve, which must run it, stops on it (commands/appcmd.ready_app)
        return Proof(False, env.origin, env.python, reason=exc.message, notes=notes, kind=env.kind,
                     timed_out=True)
    if isinstance(exc, MissingDependency) and env.kind != "app":
        # installing into Shipyard's own Python or a shared cache would only hide the problem
        message = f"{exc.message}; it ran with {env.origin}"
        hint = (f"create the app's environment with `shipyard serve --install {project.root}` "
                "(or activate the app's virtualenv), and add the package to your requirements")
        if isinstance(exc, ImportedByInstalled):   # prove() tries again with it
            raise ImportedByInstalled(message, hint, exc.distribution, exc.importer) from None
        raise MissingDependency(message, hint) from None
    raise exc


def _own_syntax_error(project: Project, exc: UnreadSyntax, wanted: str) -> str:
    """The minor version ("3.12") of the newest Python here, no older than `wanted`, that does not parse the app's
    file the error names either; "" when none such is here, the error names no file, or that Python parses it."""
    source = getattr(exc, "source", "")
    newest = max(environments.installed_pythons(), key=lambda info: _minor_key(info.minor), default=None)
    if not source or newest is None or older(newest.minor, wanted):
        return ""
    try:
        done = subprocess.run([newest.path, "-c", "import sys; compile(open(sys.argv[1], 'rb').read(), "
                               "sys.argv[1], 'exec')", str(project.root / source)],
                              capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return newest.minor if done.returncode != 0 and "SyntaxError" in done.stderr else ""


def _minor_key(minor: str) -> tuple[int, ...]:
    return tuple(int(p) for p in minor.split(".")[:2] if p.isdigit())


def _installed(minor: str) -> bool:
    """A Python of `minor` ("3.10") on this machine."""
    try:
        return environments.python_of(int(minor.split(".")[1])) is not None
    except (IndexError, ValueError):
        return False


def older(minor: str, than: str) -> bool:
    """Whether Python `minor` ("3.13") is older than `than` ("3.14")."""
    def key(version: str) -> tuple[int, ...]:
        return tuple(int(p) for p in version.split(".")[:2] if p.isdigit())
    return key(minor) < key(than)
