"""What environments.install does when an install fails: a table of retry steps.

Each step recognises one kind of failure in the installer's output and says what it changes (the requirement
set, the build constraints, the index options), with a note; install tries the steps in order and installs
again with the first change one makes. A step never makes the same change twice (each keeps what it did), so a
failure no step can change ends the install, with the installer's own one-line error.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Mapping, Protocol

from packaging.requirements import InvalidRequirement, Requirement

from . import build_holds, build_needs, cache_store, dropped_pins, later_releases, module_requirements, moved_pins, pip_built, pin_conflicts
from .environments import (BUILD_TOOLS, EnvironmentUnavailable, InstallSpec, Say, _exactly_pinned,
                           _requirement_name, _run_logged, _slug, cache_root, find_uv, imported_by, interpreter_info,
                           resolved_names, used_by)
from .detect.system_freeze import frozen_from_system, is_system
from .project import Project
from .install_errors import legacy_sdists, old_build_tools, self_importing_module, unreadable_archive, vcs_fetch
from .plan import LaterRelease

UNDATED_ROUNDS = 3      # a package that did not exist then needs its own dependencies as of today too
RELAX_ROUNDS = 8        # conflicting pins relaxed in one install at most (uv reports one conflict at a time)
UNLOADABLE_MOVES = 6    # later releases tried past a chosen one whose wheel bundles a library that does not load


@dataclass(frozen=True)
class Attempt:
    """The install being retried: where, with which limits, who hears the notes."""
    python: str
    log: Path
    timeout: float
    say: Say | None
    environ: Mapping[str, str] | None = None

    def note(self, text: str) -> None:
        if self.say:
            self.say(text)


class RetryStep(Protocol):
    """The spec to install again when the step recognises `failure`, else None (its docstring says which failure,
    and what it changes)."""

    def __call__(self, failure: EnvironmentUnavailable, spec: InstallSpec, at: Attempt) -> InstallSpec | None: ...


@dataclass
class LegacySourceArchives:
    """Recognises: releases uv finds unusable because they publish their sources only as .tar.bz2 (Twisted up to
    20.3). Changes: an exact pin gets its wheel built by pip, offered beside the index; a range gets the nearest
    release uv reads, resolved undated. Once per package."""
    repacked: set[str] = field(default_factory=set)

    def __call__(self, failure: EnvironmentUnavailable, spec: InstallSpec, at: Attempt) -> InstallSpec | None:
        legacy = [r for r in legacy_sdists(failure.output) if _requirement_name(r) not in self.repacked]
        readable = _readable_releases(at.python, spec, legacy, log=at.log, timeout=at.timeout, say=at.say) \
            if legacy else None
        if readable is not None:
            self.repacked.update(_requirement_name(r) for r in legacy)
        return readable


@dataclass
class UnreadableArchive:
    """Recognises: an sdist uv cannot unpack (a tar.gz its reader rejects, PyPDF2 1.26.0). Changes: pip builds
    its wheel, offered to uv beside the index (uv prefers a wheel). Once per pin."""
    repacked: set[str] = field(default_factory=set)

    def __call__(self, failure: EnvironmentUnavailable, spec: InstallSpec, at: Attempt) -> InstallSpec | None:
        pin = unreadable_archive(failure.output)
        if not pin or pin in self.repacked:
            return None
        self.repacked.add(pin)
        folder = _wheel_by_pip(at.python, pin, spec.index_options, log=at.log, timeout=at.timeout)
        # a fact about the release: the image's builder has pip build it too (pip_built.py)
        pip_built.remember(cache_root(at.environ), pin)
        at.note(f"uv cannot unpack the source archive of {pin}: built with pip instead ({folder})")
        return replace(spec, index_options=(*spec.index_options, "--find-links", str(folder)))


class OldBuildTools:
    """Recognises: a setup.py using what today's setuptools removed (Feature, use_2to3, convert_path). Changes:
    source builds get the last build tools that had it (the app's own packages are not constrained); again for
    another sdist older still (setuptools<70, then <46): uv takes every line, so the strictest wins. An exact
    release that needs them is held: installed first and alone with those tools (the rest builds with today's),
    and kept in the cache (build_holds.py) so plans, and the image's builder, hold it back too. With uv only."""

    def __call__(self, failure: EnvironmentUnavailable, spec: InstallSpec, at: Attempt) -> InstallSpec | None:
        old = old_build_tools(failure.output) if find_uv() else None
        release = build_holds.release_of(failure.unbuilt) if old is not None else None
        if old is None or not (set(old[1]) - set(spec.build_constraints)
                               or (release and failure.unbuilt not in spec.held)):
            return None
        uses, constraints = old
        if release:
            # a fact about that release: plans of apps pinning it hold the image's build tools back too
            build_holds.remember(cache_root(at.environ), failure.unbuilt, uses, constraints)
            spec = replace(spec, held=(*spec.held, failure.unbuilt))
        at.note(f"{failure.unbuilt or 'a package'} does not build with today's {build_holds.tools_named(constraints)} "
                f"(its setup.py uses {uses}): building it with {' and '.join(constraints)}")
        return replace(spec, build_constraints=tuple(dict.fromkeys(spec.build_constraints + constraints)))


class SelfImportingBuild:
    """Recognises: an sdist whose setup.py imports the package itself (for its version), whose module imports a
    package the isolated build environment lacks (peewee-db-evolve 3.7.0's peeweedbevolve imports peewee).
    Changes: uv builds it with the app's requirement of each package that module imports beside the build tools
    (its extra-build-dependencies), kept in the cache (build_needs.py) so plans, and the image's builder, do the
    same. Once per package; not when the app names none of those packages. With uv only."""

    def __call__(self, failure: EnvironmentUnavailable, spec: InstallSpec, at: Attempt) -> InstallSpec | None:
        release = build_holds.release_of(failure.unbuilt or "")
        if release is None or not find_uv(at.environ):
            return None
        module = self_importing_module(failure.output)
        name = release.partition("==")[0]
        if module is None or any(n == name for n, _ in spec.build_needs):
            return None
        imports = build_needs.imports_of(Path(module))
        needs = build_needs.requirements_for(imports, (*spec.requirements, *spec.constraints))
        if not needs:
            return None
        # a fact about that release: plans of apps pinning it build it with their own requirements of those
        build_needs.remember(cache_root(at.environ), release, imports)
        at.note(f"{release}'s setup.py imports the package itself, whose module imports {', '.join(imports)}: "
                f"building it with {' and '.join(needs)} beside the build tools (uv's extra-build-dependencies)")
        return replace(spec, build_needs=(*spec.build_needs, (name, needs)))


_NEEDS_SAID: set[tuple[str, tuple[str, ...]]] = set()


def with_known_build_needs(spec: InstallSpec, at: Attempt) -> InstallSpec:
    """`spec` with the releases it pins exactly that an install here found to import packages at build time
    (build_needs.py) built with them from the start: an install taking the wheel uv's cache kept never meets the
    failure, but the next proof or serve on a fresh cache would fail once more first. With uv only."""
    if not find_uv(at.environ):
        return spec
    have = {n for n, _ in spec.build_needs}
    needs = [(r.partition("==")[0], lines) for r, lines in build_needs.for_requirements(
        (*spec.requirements, *spec.constraints), cache_root(at.environ)) if r.partition("==")[0] not in have]
    for name, lines in needs:
        if (name, lines) not in _NEEDS_SAID:          # once a run: serve resolves, then installs, the same spec
            _NEEDS_SAID.add((name, lines))
            at.note(f"{name}'s setup.py imports the package itself: building it with {' and '.join(lines)} beside "
                    "the build tools, as an earlier install here found")
    return replace(spec, build_needs=(*spec.build_needs, *needs)) if needs else spec


@dataclass
class DatedReleaseUnbuilt:
    """Recognises: a release of a package the app names without pinning it (`greenlet` in its requirements), chosen
    as of the resolution date, that has no wheel for this Python and does not build on it (greenlet 0.4.13 of 2018
    on Python 3.12), or whose wheel, installed, bundles a library this system cannot load (psycopg2 2.7's libpq,
    the first release with a wheel after 2014's 2.5.2). Changes: the first later release the app's requirement
    admits with a wheel for this Python and metadata today's installers read, resolved undated, with a note; once
    per package, or again past each release whose bundled library does not load (at most UNLOADABLE_MOVES). An
    exact pin, or a package the app does not name, is left to the older Pythons the install tries next (its
    dependents may need that release); so is a move that another of the app's pins then contradicts (uv finds no
    solution naming the package): the move is taken back. A move is kept in the cache (later_releases.py) for
    plans on this Python resolving as of that day, and the image, to make."""
    moved: set[str] = field(default_factory=set)
    before: dict[str, InstallSpec] = field(default_factory=dict)      # package -> the spec before its move
    made: dict[str, LaterRelease] = field(default_factory=dict)       # package -> the move kept in the cache
    unloadable_moves: dict[str, int] = field(default_factory=dict)    # package -> moves past unloadable wheels

    def __call__(self, failure: EnvironmentUnavailable, spec: InstallSpec, at: Attempt) -> InstallSpec | None:
        # the later release needs a package with no release as of the date (web.py 0.61's cheroot, in 2013): not a
        # conflict with the app's pins, PublishedLater resolves that package as of today
        published_later = [name for name in re.findall(r"`([^`]+)` was filtered by `exclude-newer`", failure.output)
                           if name not in spec.undated + BUILD_TOOLS]
        conflicting = [name for name in self.before if "No solution found" in failure.output and not published_later
                       and re.search(rf"(?i)\b{re.escape(name)}\b", failure.output)]
        if conflicting:
            at.note(f"the later {conflicting[0]} conflicts with the app's other pins: its release of the day is kept")
            later_releases.forget(cache_root(at.environ), self.made.pop(conflicting[0]))
            return self.before.pop(conflicting[0])
        pin = failure.unbuilt or failure.unloadable
        if not spec.exclude_newer or "==" not in pin or "@" in pin:
            return None
        name, version = _requirement_name(pin), pin.partition("==")[2].strip()
        line = next((r for r in spec.requirements if _requirement_name(r) == name), None)
        if line is None or _exactly_pinned(line):
            return None
        # a release this step chose whose bundled library does not load: on to the next one (bounded)
        again = bool(failure.unloadable) and name in self.made and self.unloadable_moves.get(name, 0) < UNLOADABLE_MOVES
        if not again and (name in self.moved or name in spec.undated):
            return None
        later = _later_than(line, version)
        nearest = _first_with_wheel(at.python, later, name, spec.index_options, log=at.log) if later else None
        built = False
        if nearest is None and later and failure.unbuilt and not again:
            # no later release has a wheel for this Python (mysqlclient publishes none for Linux): its newest one
            # for this Python, built from source, where the day's no longer compiles against today's libraries
            # (mysqlclient 1.3.7 and MariaDB 10.11's connector, which has no `reconnect` member any more)
            nearest, built = _compiled(at.python, later, spec.index_options, log=at.log, deps=True), True
        if nearest is None:
            return None
        cache = cache_root(at.environ)
        unbuilt = self.made[name].unbuilt if again else f"{name}=={version}"
        if again:
            self.unloadable_moves[name] = self.unloadable_moves.get(name, 0) + 1
            later_releases.forget(cache, self.made[name])
        else:
            self.moved.add(name)
            self.before[name] = spec
        # a fact about this Python and that day: plans resolving as of it install the later release too
        info = interpreter_info(at.python)
        self.made[name] = LaterRelease(unbuilt, nearest, info.minor if info else "", spec.exclude_newer)
        if info is not None:
            later_releases.remember(cache, self.made[name])
        why = "its wheel bundles a library that does not load on this system" if failure.unloadable else \
            "has no wheel for this Python and does not build on it"
        if built:
            at.note(f"{pin}, the release of {name} as of {spec.exclude_newer[:10]} (the app leaves it unpinned), does "
                    f"not build here and no later release has a wheel for this Python: building {nearest}, its newest "
                    "release for it (pin it in your requirements)")
        elif failure.unloadable and not again:
            at.note(f"{pin}, the release of {name} as of {spec.exclude_newer[:10]} (the app leaves it unpinned): {why}"
                    f": using {nearest}, the first later one with a wheel for this Python "
                    "(pin it in your requirements)")
        elif failure.unloadable:
            at.note(f"{pin}'s wheel bundles a library that does not load on this system: using {nearest}, the next "
                    f"later release of {name} with a wheel for this Python (pin it in your requirements)")
        else:
            at.note(f"{pin}, the release of {name} as of {spec.exclude_newer[:10]} (the app leaves it unpinned), {why}"
                    f": using {nearest}, the first later one with a wheel for it (pin it in your requirements)")
        constraints = tuple(c for c in spec.constraints if _requirement_name(c) != name)
        return replace(spec, undated=tuple(dict.fromkeys((*spec.undated, name))), constraints=(*constraints, nearest))


def _first_with_wheel(python: str, requirement: str, name: str, index_options: tuple[str, ...], *, log: Path
                      ) -> str | None:
    """The lowest release of `requirement` ("pandas>0.13.1") with a wheel for `python`, past those whose metadata
    today's installers refuse: read without its dependencies, such a release looks installable (pandas 0.23.2 to
    0.24.2 require `pytz (>=2011k)`, which uv calls invalid metadata); resolved with them, uv passes over it to the
    first that resolves (0.25.0). Without a dependency resolution either way, the lowest with a wheel; or None."""
    options = ("--only-binary", name)
    nearest = _lowest_readable(python, requirement, index_options, log=log, options=options)
    if nearest is None or _compiled(python, nearest, index_options, log=log, deps=True, options=options):
        return nearest
    return _compiled(python, requirement, index_options, log=log, deps=True,
                     options=(*options, "--resolution", "lowest-direct")) or nearest


def _later_than(line: str, version: str) -> str | None:
    """`line`'s requirement (without its marker) narrowed to releases after `version` ("greenlet>=0.4,>0.4.13")."""
    try:
        requirement = Requirement(line.split(";", 1)[0].strip())
    except InvalidRequirement:
        return None
    bounds = [str(b) for b in requirement.specifier] + [f">{version}"]
    return f"{requirement.name}{','.join(bounds)}"


@dataclass
class LeftoverPins:
    """Recognises: a conflict of which one side is an exact pin the app never uses (pin_conflicts.Leftover: not
    imported, and uv resolves the other requirements without it). Changes: that pin is left out, with a note
    naming it. Each pin once, where ConflictingPins has no pin to relax (the contradicted package is not pinned
    by the app, or is pinned by two of its packages), or has relaxed one already. What was left out is kept in the
    cache (pin_conflicts.LeftOut) for plans, and the image, to leave out too."""
    tried: set[str] = field(default_factory=set)

    def __call__(self, failure: EnvironmentUnavailable, spec: InstallSpec, at: Attempt) -> InstallSpec | None:
        conflicts = pin_conflicts.reported(failure.output, spec.requirements)
        if not conflicts or not spec.app_root or not find_uv():
            return None
        for leftover in pin_conflicts.leftover_candidates(spec.requirements, conflicts, used_by(Path(spec.app_root))):
            if leftover.line in self.tried:
                continue
            self.tried.add(leftover.line)
            rest = replace(spec, requirements=tuple(r for r in spec.requirements if r != leftover.line))
            names = resolved_names(at.python, rest, log=at.log, timeout=at.timeout)
            if names is not None and _requirement_name(leftover.line) not in names:
                at.note(leftover.note)
                # kept in the cache: the plan of an app pinning the same releases leaves it out of the image too
                release = pin_conflicts.LeftOut(build_holds.release_of(leftover.line) or leftover.line,
                                                leftover.needs, pin_conflicts.named_pins(
                                                    failure.output, rest.requirements,
                                                    build_holds.release_of(leftover.line) or ""),
                                                spec.exclude_newer or "")
                pin_conflicts.remember_left_out(cache_root(at.environ), release)
                return rest
        return None


@dataclass
class ConflictingPins:
    """Recognises: two of the app's exact pins that contradict each other (a hand-edited freeze). Changes: one
    gives way (pin_conflicts.py: the app's imports say which), and the conflict is kept in the cache for plans to
    apply. Each relaxation once, RELAX_ROUNDS at most. A relaxed pin that another of the app's pins then rejects
    (it fitted that one as written) is put back, and the package that asked for the relaxation is left out when the
    code never uses it and nothing else needs it (a freeze's leftover of an older generation: asgi-redis 1.4.3 of
    Channels 1, requiring asgiref<1.2, beside channels 2.2.0 and asgiref==3.1.2)."""
    relaxations: list[str] = field(default_factory=list)
    done: list[pin_conflicts.Relaxed] = field(default_factory=list)

    def __call__(self, failure: EnvironmentUnavailable, spec: InstallSpec, at: Attempt) -> InstallSpec | None:
        conflicts = pin_conflicts.reported(failure.output, spec.requirements)
        if not conflicts or len(self.relaxations) >= RELAX_ROUNDS:
            return None
        relaxed = pin_conflicts.relax(spec.requirements, conflicts,
                                      imported_by(Path(spec.app_root)) if spec.app_root else ())
        if relaxed is None or relaxed.line in self.relaxations:
            return self._put_back(failure, spec, at, conflicts)
        self.relaxations.append(relaxed.line)
        self.done.append(relaxed)
        pin_conflicts.remember(cache_root(at.environ), conflicts)
        at.note(relaxed.note)
        return replace(spec, requirements=pin_conflicts.apply(spec.requirements, relaxed))

    def _put_back(self, failure: EnvironmentUnavailable, spec: InstallSpec, at: Attempt,
                  conflicts: tuple[pin_conflicts.Conflict, ...]) -> InstallSpec | None:
        """`spec` with a relaxation of this install undone and its depender left out, where one of `conflicts` is
        another exact pin rejecting the relaxed range while accepting the pin as written; None otherwise."""
        if not spec.app_root or not find_uv():
            return None
        for conflict in conflicts:
            if not any(build_holds.release_of(line) == conflict.depender for line in spec.requirements):
                continue            # not one of the app's exact pins
            try:
                wants = Requirement(conflict.needs)
            except InvalidRequirement:
                continue
            for relaxed in (*self.done, *_planned_relaxations(spec, at)):
                pinned = (build_holds.release_of(relaxed.line) or "").partition("==")[2]
                if relaxed.imported or relaxed.instead not in spec.requirements or not pinned \
                        or pin_conflicts.normalize(relaxed.name) != pin_conflicts.normalize(wants.name) \
                        or not wants.specifier.contains(pinned, prereleases=True):
                    continue
                found = self._leave_out(failure, spec, at, relaxed, conflict)
                if found is not None:
                    return found
        return None

    def _leave_out(self, failure: EnvironmentUnavailable, spec: InstallSpec, at: Attempt,
                   relaxed: pin_conflicts.Relaxed, conflict: pin_conflicts.Conflict) -> InstallSpec | None:
        release = build_holds.release_of(relaxed.depender)
        depender = next((line for line in spec.requirements if release and build_holds.release_of(line) == release),
                        None)
        if depender is None or _requirement_name(depender) in {pin_conflicts.normalize(n)
                                                                for n in used_by(Path(spec.app_root))}:
            return None
        rest = replace(spec, requirements=tuple(relaxed.line if line == relaxed.instead else line
                                                for line in spec.requirements if line != depender))
        # another of its packages needing it brings it back: the resolver then says so. A set that does not resolve
        # here for another reason (an sdist uv cannot read, on this Python) says nothing of it: the install tells
        names = resolved_names(at.python, rest, log=at.log, timeout=at.timeout)
        if names is not None and _requirement_name(depender) in names:
            return None
        if relaxed in self.done:
            self.done.remove(relaxed)
        pin_conflicts.remember(cache_root(at.environ), (conflict,))
        pin_conflicts.remember_left_out(cache_root(at.environ), pin_conflicts.LeftOut(
            release, relaxed.needs, pin_conflicts.named_pins(f"{relaxed.line} {conflict.depender}", rest.requirements,
                                                             release), spec.exclude_newer or ""))
        at.note(f"{relaxed.line} put back as the app pins it: {conflict.depender} requires {conflict.needs}, which it "
                f"fits and the relaxed range does not; {depender}, which requires {relaxed.needs}, is left out "
                f"instead: its code never imports it and none of its other packages needs it (a leftover of pip "
                f"freeze?; remove it from the app's requirements)")
        return rest


def _planned_relaxations(spec: InstallSpec, at: Attempt) -> tuple[pin_conflicts.Relaxed, ...]:
    """The relaxations of the app's own pins that the plan made before this install (the conflicts known here,
    pin_conflicts.relax_all, as planner does) and that `spec` still carries."""
    known = pin_conflicts.known(cache_root(at.environ))
    if not known or not spec.app_root:
        return ()
    from .detect.deps import declared
    written = tuple(d.requirement for d in declared(Project(spec.app_root)).dependencies)
    _, relaxed = pin_conflicts.relax_all(written, known, imported_by(Path(spec.app_root)))
    return tuple(r for r in relaxed if r.instead in spec.requirements)


# uv's "fastapi-users<=10.4.0 depends on python-multipart==0.0.5", "fastapi-users>=12.1.3 depends on
# email-validator>=1.1.0,<2.2", "all versions of fastapi-users depend on ...": which package requires which
# uv also writes "all versions of google-generativeai depend on one of: protobuf>=3.19.5,<3.20.0 protobuf>3.20.1,..."
# (every release excludes the app's pin by a few holes): the package is the first range's
_REQUIRES = re.compile(r"(?:all versions of )?([A-Za-z0-9][A-Za-z0-9._-]*)(?:[<>=!~]=?[^\s,]+(?:,[<>=!~]=?[^\s,]+)*)?"
                       r" depends? on (?:one of: )?([A-Za-z0-9][A-Za-z0-9._-]*)")
UNPINNED_ROUNDS = 3


@dataclass
class PinsAgainstUnpinned:
    """Recognises: no release of a requirement the app leaves unpinned (one Shipyard adds for an import its
    requirements lack, `fastapi-users` beside a fastapi freeze) resolves beside the app's exact pins of what it
    requires (email-validator==2.2.0, python-multipart==0.0.9), and the app's code imports none of those. Following
    the README, `pip install -r requirements.txt` then `pip install fastapi-users` moves them; one resolution here
    cannot. Changes: those pins give way to what the unpinned package accepts (the line keeps its name, without a
    version), with a note naming each. UNPINNED_ROUNDS at most; a pin the code imports stays, and the failure with
    it."""
    rounds: int = 0
    relaxed: set[str] = field(default_factory=set)

    def __call__(self, failure: EnvironmentUnavailable, spec: InstallSpec, at: Attempt) -> InstallSpec | None:
        if not spec.app_root or self.rounds >= UNPINNED_ROUNDS:
            return None
        output = re.sub(r"\s+", " ", failure.output)
        unpinned = {_requirement_name(r) for r in spec.requirements if not _exactly_pinned(r)}
        pinned = {_requirement_name(r): r for r in spec.requirements if _exactly_pinned(r)}
        required = {_requirement_name(dependency) for depender, dependency in _REQUIRES.findall(output)
                    if _requirement_name(depender) in unpinned}
        used = set(used_by(Path(spec.app_root)))
        give = [pinned[name] for name in sorted(required) if name in pinned and name not in used
                and pinned[name] not in self.relaxed]
        if not give:
            return None
        self.rounds += 1
        self.relaxed.update(give)
        dependers = sorted({_requirement_name(d) for d, dep in _REQUIRES.findall(output)
                            if _requirement_name(d) in unpinned and _requirement_name(dep) in
                            {_requirement_name(g) for g in give}})
        at.note(f"{', '.join(give)}: no release of {', '.join(dependers)} (unpinned) installs beside "
                f"{'these pins' if len(give) > 1 else 'this pin'}, and the app's code does not import "
                f"{'them' if len(give) > 1 else 'it'}: resolved to what {', '.join(dependers)} accepts instead "
                "(pin versions that fit together in your requirements)")
        # kept in the cache: a plan pinning the same releases beside that package loosens them in the image too
        for depender in dependers:
            needed = {_requirement_name(dep) for d, dep in _REQUIRES.findall(output) if _requirement_name(d) == depender}
            pins = tuple(dropped_pins.release_of(g) or g for g in give if _requirement_name(g) in needed)
            if pins:
                pin_conflicts.remember_gave_way(cache_root(at.environ), pin_conflicts.GaveWay(pins, depender))
        return replace(spec, requirements=tuple(_unpinned(r) if r in give else r for r in spec.requirements))


def _unpinned(line: str) -> str:
    """An exact pin's line without its version, extras and marker kept: "email_validator[x]==2.2.0; python_version>'3'"
    -> "email_validator[x]; python_version>'3'"."""
    return re.sub(r"\s*===?\s*[^\s,;]+", "", line, count=1)


_NOT_ON_INDEX = re.compile(r"Because ([^\s,]+) was not found in the package registry|there (?:is|are) no "
                           r"versions? of ([^\s,=<>!~]+)")
SYSTEM_FREEZE_ROUNDS = 4


@dataclass
class SystemPythonFreeze:
    """Recognises: requirements that are `pip freeze` of an Ubuntu/Debian system Python (they hold a package of
    system_freeze.SYSTEM_PYTHON_ONLY, or a pin at a distribution's version, `+ubuntu2`; the plan already left out
    those the code does not use), whose install fails on one of those, or on another package that is not on the
    index. Changes: every such line the app's code does not use is left
    out at once (uv reports one failure at a time), with a note. SYSTEM_FREEZE_ROUNDS at most."""
    rounds: int = 0

    def __call__(self, failure: EnvironmentUnavailable, spec: InstallSpec, at: Attempt) -> InstallSpec | None:
        system = [r for r in spec.requirements if is_system(r)]
        if self.rounds >= SYSTEM_FREEZE_ROUNDS or not spec.app_root or \
                not (system or frozen_from_system(Project(spec.app_root))):
            return None
        output = re.sub(r"\s+", " ", failure.output)
        missing = {_requirement_name(g) for m in _NOT_ON_INDEX.finditer(output) for g in m.groups() if g}
        named = [r for r in system if re.search(rf"(?i)(?<![\w.-]){re.escape(_requirement_name(r))}(?![\w-])",
                                                output.replace("_", "-"))]
        used = set(used_by(Path(spec.app_root)))
        left = [r for r in spec.requirements if _requirement_name(r) not in used
                and (r in system and named or _requirement_name(r) in missing)]
        if self.rounds == 0 and (needed := _needed_by_used(spec, used, at)) is not None:
            # uv names one failing build at a time (PAM, then py3dns, pycurl, pycrypto... of a whole machine's
            # freeze, a round each): leave out at once every line neither the code nor what it imports needs
            left = list(dict.fromkeys(left + [r for r in spec.requirements if _requirement_name(r) not in used
                                              and _requirement_name(r) not in needed]))
        if not left:
            return None
        self.rounds += 1
        at.note(f"{', '.join(_requirement_name(r) for r in left)}: packages of the system Python the requirements "
                "were frozen from (the app's code imports none of them), not on the package index or not "
                "installable here: left out (remove them from your requirements)")
        return replace(spec, requirements=tuple(r for r in spec.requirements if r not in left))


def _needed_by_used(spec: InstallSpec, used: set[str], at: Attempt) -> set[str] | None:
    """The normalized names uv resolves the requirement lines the app's code uses to (their pins as frozen, the
    same date and options): what those need, whatever else the machine's freeze lists; None when that does not
    resolve."""
    lines = tuple(r for r in spec.requirements if _requirement_name(r) in used)
    if not lines:
        return None
    return resolved_names(at.python, replace(spec, requirements=lines), log=at.log, timeout=min(at.timeout, 120))


@dataclass
class ImportNameDeclared:
    """Recognises: a requirement not on the package index whose name is the import name of another distribution
    (a Pipfile's `cv2 = "*"` beside opencv-python: cv2 is what the code imports, opencv-python what installs it;
    `pipenv install` fails on it as well). Changes: that line is left out, with a note, and the distribution that
    provides the module is added when the requirements lack it. Once per name."""
    done: set[str] = field(default_factory=set)

    def __call__(self, failure: EnvironmentUnavailable, spec: InstallSpec, at: Attempt) -> InstallSpec | None:
        from .detect.imports import _aliases, distribution_for, import_map
        same_release = import_map()[1]
        output = re.sub(r"\s+", " ", failure.output)
        missing = {_requirement_name(g) for m in _NOT_ON_INDEX.finditer(output) for g in m.groups() if g}
        lines = {_requirement_name(r): r for r in spec.requirements}
        left: list[str] = []
        added: list[str] = []
        for name in sorted(missing - self.done):
            provider = distribution_for(name.replace("-", "_")) if name in lines else name
            if _requirement_name(provider) == name:
                continue          # not a module another distribution provides: the app's to fix
            self.done.add(name)
            left.append(lines[name])
            # opencv-python declared beside cv2 provides it as well as the table's opencv-python-headless does
            builds = {_requirement_name(provider)} | {_requirement_name(a) for a in
                                                      _aliases(_requirement_name(provider), same_release)}
            if not builds & set(lines) and provider not in added:
                added.append(provider)
            # a fact about the index: a plan declaring the same name leaves it out of the image too
            module_requirements.remember(cache_root(at.environ), module_requirements.ModuleName(
                name, provider, tuple(sorted(builds))))
            at.note(f"{name} is not on the package index: it is the module {provider} installs (`import {name}`), "
                    f"so the requirement is left out" + (f" and {provider} installed instead" if provider in added
                                                         else ", as a distribution the app requires provides it")
                    + " (declare the distribution, not the module)")
        if not left:
            return None
        return replace(spec, requirements=tuple(r for r in spec.requirements if r not in left) + tuple(added))


@dataclass
class GuessedAddOn:
    """Recognises: a distribution Shipyard added by the name of an import no table maps, as an add-on of a declared
    framework (falcon_cors beside falcon: detect/imports.addon_of), or an INSTALLED_APPS name guessed as its
    django-<name> (detect/imports), that the package index does not have. Changes:
    it is left out, with a note (the import then fails as the app's own error, naming the module). Once per name."""
    done: set[str] = field(default_factory=set)

    def __call__(self, failure: EnvironmentUnavailable, spec: InstallSpec, at: Attempt) -> InstallSpec | None:
        from .detect.deps import declared, normalize
        from .detect.imports import addon_of, all_imports, django_app_distribution, settings_imports, tops_of
        if not spec.app_root:
            return None
        output = re.sub(r"\s+", " ", failure.output)
        missing = {normalize(_requirement_name(g)) for m in _NOT_ON_INDEX.finditer(output) for g in m.groups() if g}
        lines = {normalize(_requirement_name(r)): r for r in spec.requirements}
        # an unpinned line, as Shipyard writes a guess: by the import's own spelling when nothing is declared
        # (`flask_frozen`, which uv reports as flask-frozen)
        missing = {name for name in missing & set(lines) - self.done if normalize(lines[name]) == name}
        if not missing:
            return None
        project = Project(spec.app_root)
        written = {normalize(d.name) for d in declared(project).dependencies}
        tops = {normalize(top) for top in tops_of(all_imports(project))}
        # a django_* name from INSTALLED_APPS/MIDDLEWARE is guessed the same way (Django is its framework)
        apps = {normalize(top) for top in tops_of(settings_imports(project))}
        left = [name for name in sorted(missing) if name not in written and (
            name in tops and addon_of(name.replace("-", "_"), set(lines) - {name})
            or name in apps and addon_of(name.replace("-", "_"), {"django"})
            or name in {django_app_distribution(app) for app in apps})]
        if not left:
            return None
        self.done.update(left)
        at.note(f"{', '.join(left)}: named after the app's import of an add-on, not on the package index: left out "
                "(declare the distribution that provides it)")
        return replace(spec, requirements=tuple(r for r in spec.requirements
                                                if normalize(_requirement_name(r)) not in left))


@dataclass
class UnknownUnusedPin:
    """Recognises: a requirement of a name the package index has never had (a freeze's `freeze==2.104.116.116...`
    line, a private package of the author's machine, a misspelt `python-multicart` line, pinned or not) that the
    app's code does not import and no other requirement needs. Changes: that line is left out, with a note; kept in
    the cache (dropped_pins.py: the pin, or the name for any release when the line pins none) for the plan, and the
    image, to leave out too. Once per name: a name the code imports stays, and its install fails naming it."""
    done: set[str] = field(default_factory=set)

    def __call__(self, failure: EnvironmentUnavailable, spec: InstallSpec, at: Attempt) -> InstallSpec | None:
        if not spec.app_root:
            return None
        missing = set(re.findall(r"Because ([^\s,]+) was not found in the package registry", failure.output))
        lines = {_requirement_name(r): r for r in spec.requirements}
        unknown = sorted(_requirement_name(m) for m in missing if _requirement_name(m) in lines
                         and _requirement_name(m) not in self.done)
        if not unknown:
            return None
        used = set(used_by(Path(spec.app_root)))
        left = [name for name in unknown if name not in used]
        self.done.update(unknown)
        if not left:
            return None
        info = interpreter_info(at.python)
        for name in left:
            # no release of the name at all: any line naming it (pinned or not) is left out of the plan too
            release = dropped_pins.release_of(lines[name]) or name
            if info is not None:
                dropped_pins.remember(cache_root(at.environ), dropped_pins.Dropped(
                    release, info.minor, "the app's code does not import it",
                    fault="is not on the package index, nor any release of that name"))
        at.note(f"{', '.join(lines[n] for n in left)}: not on the package index (no release of that name), and the "
                "app's code does not import it: left out (remove it from your requirements)")
        dropped = {lines[name] for name in left}
        return replace(spec, requirements=tuple(r for r in spec.requirements if r not in dropped))


@dataclass
class PublishedLater:
    """Recognises: packages with no release before the resolution date (one the app's code needs that was
    published later, or one Shipyard infers). Changes: they resolve as of today. UNDATED_ROUNDS at most: such a
    package needs its own dependencies as of today too."""
    rounds: int = 0

    def __call__(self, failure: EnvironmentUnavailable, spec: InstallSpec, at: Attempt) -> InstallSpec | None:
        found = re.findall(r"`([^`]+)` was filtered by `exclude-newer`", failure.output)
        later = tuple(name for name in dict.fromkeys(found) if name not in spec.undated + BUILD_TOOLS)
        if not spec.exclude_newer or not later or self.rounds >= UNDATED_ROUNDS:
            return None
        self.rounds += 1
        at.note(f"{', '.join(later)} had no release before {spec.exclude_newer[:10]}, the day the app's packages "
                "resolve as of: resolved as of today")
        return replace(spec, undated=spec.undated + later)


_PIN = r"[\w.\-\[\]]+==[\w.+!\-]+"
NEXT_RELEASES = 12      # later releases of a pin tried at most for one whose own dependency was removed


@dataclass
class RemovedRelease:
    """Recognises: an exact pin of a release the index no longer has (a 2017 freeze's mysql-connector==2.1.4: its
    authors removed it, 2.1.7 and 2.2.9 remain), or an exact pin whose release requires one (sanic==19.6.2
    requires requests-async==0.5.0, deleted). Changes: the pin moves to the nearest later release the index has
    for this Python that installs, whatever its date, with a note naming the pin to fix. Once per package. The move is
    kept in the cache (moved_pins.py) for plans, and the image, to make too. A removed release with no later one,
    which the app's code does not import (a freeze's requests-async==0.5.0, there for sanic's sake), is left out, as
    kept in dropped_pins.py, and the pin that requires it then moves."""
    moved: set[str] = field(default_factory=set)

    def __call__(self, failure: EnvironmentUnavailable, spec: InstallSpec, at: Attempt) -> InstallSpec | None:
        return self._removed_pin(failure, spec, at) or self._pin_needing_removed(failure, spec, at) \
            or self._unused_pin_needing_left_out(failure, spec, at)

    def _unused_pin_needing_left_out(self, failure: EnvironmentUnavailable, spec: InstallSpec, at: Attempt
                                     ) -> InstallSpec | None:
        """An exact pin the app's code does not import whose dependency is a package this step left out (every
        release of its time removed: a 2017 freeze's pyrestful==0.4.2 needing pyconvert, whose 0.6.3 is gone and
        whose name a 2026 project now holds, for Python 3.11 only): left out too, instead of the resolution taking
        the other project's release as of today and the Python it asks for."""
        if not spec.app_root:
            return None
        used = None
        for needed, pin in dict.fromkeys(re.findall(rf"there are no versions of ([\w.\-]+) and ({_PIN}) depends on",
                                                    failure.output)):
            name, version = _requirement_name(pin), pin.partition("==")[2]
            line = _pin_line(spec, name, version)
            if line is None or _requirement_name(needed) not in self.moved or name in self.moved:
                continue
            used = set(used_by(Path(spec.app_root))) if used is None else used
            if name in used:
                continue
            self.moved.add(name)
            at.note(f"{name}=={version} requires {needed}, which was left out (no release of it is left on the package "
                    "index), and the app's code does not import it: left out too (remove both from your requirements)")
            info = interpreter_info(at.python)
            if info is not None:
                dropped_pins.remember(cache_root(at.environ), dropped_pins.Dropped(
                    f"{name}=={version}", info.minor, "the app's code does not import it",
                    fault=f"requires {needed}, of which no release is left on the package index"))
            return replace(spec, requirements=tuple(r for r in spec.requirements if r != line))
        return None

    def _pin_needing_removed(self, failure: EnvironmentUnavailable, spec: InstallSpec, at: Attempt
                             ) -> InstallSpec | None:
        found = re.findall(rf"there is no version of ({_PIN}) and ({_PIN}) depends on", failure.output)
        return _first_moved_forward(self.moved, spec, at, (
            (pin, f"{pin} requires {removed}, which is no longer on the package index (its release was removed)",
             f"it requires {removed}, which is no longer on the package index")
            for removed, pin in dict.fromkeys(found)))

    def _removed_pin(self, failure: EnvironmentUnavailable, spec: InstallSpec, at: Attempt) -> InstallSpec | None:
        for pin in dict.fromkeys(re.findall(rf"there is no version of ({_PIN})", failure.output)):
            name = _requirement_name(pin)
            version = pin.partition("==")[2]
            line = _pin_line(spec, name, version)
            if line is None or name in self.moved:
                continue
            nearest = _lowest_readable(at.python, f"{name}>{version}", spec.index_options, log=at.log)
            if nearest is None and spec.app_root and name not in used_by(Path(spec.app_root)):
                # no later release either (requests-async keeps only 0.2.x), and the code never imports it: a freeze's
                # line for another pin's dependency (sanic==19.6.2's), which that pin's own move then settles
                self.moved.add(name)
                at.note(f"{name}=={version} is no longer on the package index, nor any later release, and the app's "
                        "code does not import it (a dependency of another pin, frozen with it): left out (remove it "
                        "from your requirements)")
                info = interpreter_info(at.python)
                if info is not None:
                    dropped_pins.remember(cache_root(at.environ), dropped_pins.Dropped(
                        f"{name}=={version}", info.minor, "the app's code does not import it",
                        fault="is no longer on the package index, nor any later release"))
                return replace(spec, requirements=tuple(r for r in spec.requirements if r != line))
            if nearest is None:
                continue
            return _move_pin(self.moved, spec, at, line, f"{name}=={version}", nearest,
                             f"{name}=={version} is no longer on the package index (its release was removed)",
                             "it is no longer on the package index", installs=False)
        return None


def _first_moved_forward(moved: set[str], spec: InstallSpec, at: Attempt,
                         pins: Iterable[tuple[str, str, str]]) -> InstallSpec | None:
    """`spec` with the first of `pins` ((pin, why it fails, the reason in short), in the order the failure names
    them) that a later release installing in its place moves to; None when none has one. Once per package."""
    for pin, why, short in pins:
        name, version = _requirement_name(pin), pin.partition("==")[2]
        line = _pin_line(spec, name, version)
        if line is None or name in moved:
            continue
        nearest = _next_installing(at.python, name, version, spec.index_options, log=at.log)
        if nearest is not None:
            return _move_pin(moved, spec, at, line, f"{name}=={version}", nearest, why, short)
    return None


@dataclass
class InvalidMetadata:
    """Recognises: an exact pin of a release whose metadata today's installers refuse (pandas 0.23.4 requires
    `pytz (>=2011k)`, not a version PEP 440 reads: uv says "pandas==0.23.4 has invalid metadata", on every Python).
    Changes: the pin moves to the nearest later release whose dependencies resolve, with a note naming the pin to
    fix. Once per package; kept in the cache (moved_pins.py) for plans, and the image, to make too."""
    moved: set[str] = field(default_factory=set)

    def __call__(self, failure: EnvironmentUnavailable, spec: InstallSpec, at: Attempt) -> InstallSpec | None:
        pins = [(pin, f"{_requirement_name(pin)}=={pin.partition('==')[2]} has metadata today's installers cannot "
                      "read (uv: invalid metadata)", "its metadata is invalid for today's installers")
                for pin in dict.fromkeys(re.findall(rf"({_PIN}) has invalid metadata", failure.output))]
        for pin, why, short in pins:
            name, version = _requirement_name(pin), pin.partition("==")[2]
            line = _pin_line(spec, name, version)
            if line is None or name in self.moved:
                continue
            # the releases after it often share the metadata (pandas 0.20.1 to 0.24.2 all require `pytz (>=2011k)`:
            # 14 releases, more than a walk release by release tries); uv's resolver passes over those it cannot
            # read, so the lowest later release it resolves with its dependencies is the nearest readable one
            nearest = _compiled(at.python, f"{name}>{version}", spec.index_options, log=at.log, deps=True,
                                options=("--resolution", "lowest-direct"))
            if nearest is not None:
                return _move_pin(self.moved, spec, at, line, f"{name}=={version}", nearest, why, short)
        return _first_moved_forward(self.moved, spec, at, pins)


def _move_pin(moved: set[str], spec: InstallSpec, at: Attempt, line: str, release: str, nearest: str, fault: str,
              why: str, *, installs: bool = True) -> InstallSpec:
    """`spec` with the requirement `line` pinning `release` ("name==version") moved to `nearest` (checked to
    install, or only the next one the index has), once per package (`moved`): said with `fault` (what is wrong
    with the pin), and kept (`why`) for plans and the image to make too."""
    name = _requirement_name(release)
    moved.add(name)
    nearest_is = "the nearest later release that installs" if installs else "the nearest later one"
    at.note(f"{fault}: using {nearest}, {nearest_is} (pin it in your requirements)")
    _keep(at, release, nearest, why)
    return _moved(spec, line, nearest, name)


def _keep(at: Attempt, release: str, instead: str, why: str) -> None:
    """That installs on this Python move the pinned `release` to `instead` (moved_pins.py): plans pinning it,
    and the image, make the same move."""
    info = interpreter_info(at.python)
    if info is not None:
        moved_pins.remember(cache_root(at.environ), moved_pins.Replaced(release, instead, info.minor, why))


def _pin_line(spec: InstallSpec, name: str, version: str) -> str | None:
    """The app's requirement line that pins `name` to exactly `version`."""
    return next((r for r in spec.requirements if _requirement_name(r) == name and _exactly_pinned(r)
                 and re.search(rf"==\s*{re.escape(version)}\s*(;|$)", r)), None)


def _moved(spec: InstallSpec, line: str, pin: str, name: str) -> InstallSpec:
    """`spec` with `line` pinning `pin` instead (its environment marker kept), resolved undated."""
    marker = line.partition(";")[2]
    instead = f"{pin}; {marker.strip()}" if marker.strip() else pin
    return replace(spec, requirements=tuple(instead if r == line else r for r in spec.requirements),
                   undated=tuple(dict.fromkeys((*spec.undated, name))))


def _next_installing(python: str, name: str, version: str, index_options: tuple[str, ...], *, log: Path
                     ) -> str | None:
    """The first release of `name` after `version` whose dependencies resolve on `python` ("sanic==19.12.0"),
    NEXT_RELEASES tried at most; None when none does."""
    for _ in range(NEXT_RELEASES):
        nearest = _lowest_readable(python, f"{name}>{version}", index_options, log=log)
        if nearest is None:
            return None
        if _compiled(python, nearest, index_options, log=log, deps=True) is not None:
            return nearest
        version = nearest.partition("==")[2]
    return None


_VCS_LINE = re.compile(r"^\s*([A-Za-z0-9][\w.\-]*)(\[[^\]]*\])?\s*@\s*(?:git|hg|svn|bzr)\+(\S+)")


@dataclass
class UnreachableRepository:
    """Recognises: a requirement from a repository (`name @ git+https://host/...`, a Pipfile's `{git = ...}`) that
    could not be fetched because its host is out of reach from here (no name resolution, no route, refused), as
    install_errors' vcs_fetch reads the log. Changes: that requirement installs the package index's release of the
    same name instead, resolved as the app's other open packages are, with a note naming the line to change (the
    plan and the image keep the app's line: elsewhere the host may answer). Once per package."""
    done: set[str] = field(default_factory=set)

    def __call__(self, failure: EnvironmentUnavailable, spec: InstallSpec, at: Attempt) -> InstallSpec | None:
        output = re.sub(r"\s+", " ", failure.output)
        if vcs_fetch(failure.output, None) is None or not _UNREACHABLE.search(output):
            return None
        swapped: dict[str, str] = {}
        for line in spec.requirements:
            found = _VCS_LINE.match(line)
            if found is None or _requirement_name(found.group(1)) in self.done:
                continue
            host = re.sub(r"^(?:\w+://)?(?:[^@/]+@)?([^/:]+).*", r"\1", found.group(3))
            if host and host in output:
                self.done.add(_requirement_name(found.group(1)))
                swapped[line] = found.group(1) + (found.group(2) or "")
        if not swapped:
            return None
        for line, instead in swapped.items():
            at.note(f"{line} could not be fetched (its host is out of reach from here): installing {instead} from "
                    "the package index instead (require a release there, or check the network's access to the host)")
        return replace(spec, requirements=tuple(swapped.get(r, r) for r in spec.requirements))


# the host of a repository is out of reach: not a repository or ref that is gone, which the index would not fix
_UNREACHABLE = re.compile(r"Could not resolve host|Name or service not known|Temporary failure in name resolution|"
                          r"Failed to connect to|Connection refused|Network is unreachable|Connection timed out",
                          re.IGNORECASE)


def retry_steps() -> list[RetryStep]:
    """A fresh table (the steps keep what they did) for one install, in the order they are tried."""
    return [SystemPythonFreeze(), LegacySourceArchives(), UnreadableArchive(), OldBuildTools(), SelfImportingBuild(),
            DatedReleaseUnbuilt(),
            ConflictingPins(), LeftoverPins(), RemovedRelease(), InvalidMetadata(), ImportNameDeclared(), GuessedAddOn(),
            UnknownUnusedPin(), PinsAgainstUnpinned(), PublishedLater(),
            UnreachableRepository()]


def with_known_holds(spec: InstallSpec, at: Attempt) -> InstallSpec:
    """`spec` with the releases it pins exactly (or its lock constraints do) that an install here already found to
    build only with older build tools (build_holds.py) held from the start, with a note each: the proof's install
    learned MarkupSafe 1.0 needs setuptools<46, and serve's .venv, each later round of an install that leaves a pin
    out or moves to another Python, and the next run's proof would otherwise fail on it once more before
    OldBuildTools holds it again (a round of one to two minutes on a loaded machine). With uv only."""
    if not find_uv(at.environ):
        return spec
    holds = [h for h in build_holds.for_requirements((*spec.requirements, *spec.constraints),
                                                     build_holds.known(cache_root(at.environ)))
             if h.release not in spec.held]
    if not holds:
        return spec
    # a release only a constraint names (a lock's or a conda package list's anyjson==0.3.3, which the app never
    # uses) is held only when the resolution takes it: held, it was built and installed alone all the same. When
    # the resolution cannot be had, it is held as before
    by_constraint = [h for h in holds if not build_holds.for_requirements(spec.requirements, (h,))]
    if by_constraint:
        from .environments import resolved_names
        taken = resolved_names(at.python, spec, log=at.log, timeout=at.timeout)
        if taken is not None:
            holds = [h for h in holds if h not in by_constraint or h.release.partition("==")[0] in taken]
        if not holds:
            return spec
    for hold in holds:
        if not build_holds.for_requirements(spec.requirements, (hold,)):
            continue        # a constraint's (the installed pins a server install keeps): applied without a word
        at.note(f"{hold.release} does not build with today's {build_holds.tools_named(hold.constraints)} (its setup.py "
                f"uses {hold.uses}), as an install here found: building it with {' and '.join(hold.constraints)} "
                "from the start")
    return replace(spec, held=(*spec.held, *(h.release for h in holds)),
                   build_constraints=tuple(dict.fromkeys((*spec.build_constraints,
                                                          *(c for h in holds for c in h.constraints)))))


def changed(failure: EnvironmentUnavailable, spec: InstallSpec, at: Attempt,
            steps: list[RetryStep]) -> InstallSpec | None:
    """`spec` as the first step that recognises `failure` changes it, or None when none does."""
    for step in steps:
        again = step(failure, spec, at)
        if again is not None:
            return again
    return None


# ------------------------------------------------------------------------------- source archives uv cannot read

def _readable_releases(python: str, spec: InstallSpec, requirements: list[str], *, log: Path, timeout: float,
                       say: Say | None) -> InstallSpec | None:
    """`spec` again for packages whose releases uv cannot read (only a .tar.bz2 source archive: Twisted up to
    20.3): an exact pin gets its wheel built by pip, which reads .tar.bz2 (offered to uv beside the index); a range
    gets the nearest release within it that uv reads (the least change from the app's time), whatever the date.
    None when neither can be had."""
    for requirement in requirements:
        name = _requirement_name(requirement)
        if _exactly_pinned(requirement):
            try:
                folder = _wheel_by_pip(python, requirement, spec.index_options, log=log, timeout=timeout)
            except EnvironmentUnavailable:
                return None
            if say:
                say(f"uv does not read the source archive of {requirement} (.tar.bz2): built with pip instead ({folder})")
            spec = replace(spec, index_options=(*spec.index_options, "--find-links", str(folder)))
            continue
        nearest = _lowest_readable(python, requirement, spec.index_options, log=log)
        if nearest is None:
            return None
        if say:
            date = f" before {spec.exclude_newer[:10]}" if spec.exclude_newer else ""
            say(f"the releases of {name}{date} publish their sources only in an archive uv does not read (.tar.bz2): "
                f"using {nearest}, the nearest release it reads within {requirement}")
        spec = replace(spec, undated=tuple(dict.fromkeys((*spec.undated, name))),
                       constraints=(*spec.constraints, nearest))
    return spec


def _lowest_readable(python: str, requirement: str, index_options: tuple[str, ...], *, log: Path,
                     options: tuple[str, ...] = ()) -> str | None:
    """uv's lowest release ("twisted==19.7.0") of `requirement` it can install on `python`, undated; or None.
    `options`: more of uv's (`--only-binary NAME`: one with a wheel for it)."""
    return _compiled(python, requirement, index_options, log=log, deps=False, options=options)


def _highest_readable(python: str, requirement: str, index_options: tuple[str, ...], *, log: Path) -> str | None:
    """uv's highest release of `requirement` ("pandas-datareader>0.7.0,<0.8") it can install on `python`, undated;
    or None."""
    return _compiled(python, requirement, index_options, log=log, deps=False, lowest=False)


def _compiled(python: str, requirement: str, index_options: tuple[str, ...], *, log: Path, deps: bool,
              options: tuple[str, ...] = (), lowest: bool = True) -> str | None:
    """The release of `requirement` uv resolves on `python`, undated: its lowest (`lowest`, else its highest); or,
    when `deps`, the one it resolves with its dependencies (their newest); None when it resolves none."""
    uv = find_uv()
    if not uv:
        return None
    cmd = [uv, "pip", "compile", "-", *(() if deps else ("--no-deps", *(("--resolution", "lowest") if lowest else ()))),
           "--python", python, "--no-header", "--no-annotate", "--quiet", *options, *index_options]
    try:
        done = subprocess.run(cmd, input=requirement + "\n", capture_output=True, text=True, timeout=60,
                              env=dict(os.environ, NO_COLOR="1"))
    except (OSError, subprocess.TimeoutExpired):
        return None
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"$ {' '.join(cmd)} <<< {requirement}\n{done.stdout}{done.stderr}")
    name = _requirement_name(requirement)
    found = next((line for line in done.stdout.splitlines() if re.fullmatch(r"\S+==\S+", line.strip())
                  and _requirement_name(line) == name), None) if done.returncode == 0 else None
    return found.strip() if found else None


def _built_for(folder: Path, version: str) -> bool:
    """Whether `folder` holds a wheel that installs on Python `version` ("3.6.15"): a pure one, or one of CPython
    3.6's tag; with the version unknown, any wheel."""
    wheels = [w.name[:-4].split("-") for w in folder.glob("*.whl")] if folder.is_dir() else []
    tag = "cp" + "".join(version.split(".")[:2])
    return any(len(parts) >= 5 and (not version or (parts[-2] == "none" and parts[-1] == "any")
                                    or tag in parts[-3].split(".")) for parts in wheels)


def _wheel_by_pip(python: str, pin: str, index_options: tuple[str, ...], *, log: Path, timeout: float) -> Path:
    """A folder holding the wheel of `pin` that pip builds with the Python of the environment `python`, in a
    throwaway virtualenv (the app's environment gets no pip); raises EnvironmentUnavailable when pip fails too."""
    folder = cache_root() / "wheels" / _slug(pin)
    info = interpreter_info(python)
    # a wheel pip built for another Python (Twisted's cp37 one, for a proof that then moved to 3.6) is none for
    # this one: uv refuses the release again. That one is built beside it
    if _built_for(folder, info.version if info else "") and cache_store.use(folder):   # kept from prune meanwhile
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    cache_store.use(folder)                 # and while pip fills it
    with tempfile.TemporaryDirectory(prefix="shipyard-pip-") as tmp:
        uv = find_uv()
        seeded_venv = [uv, "venv", "--quiet", "--seed", "--python", python, tmp] if uv else \
            [python, "-m", "venv", tmp]
        _run_logged(seeded_venv, log=log, timeout=timeout, say=None, what="creating a virtualenv with pip")
        _run_logged([str(Path(tmp) / "bin" / "python"), "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check",
                     "--no-deps", pin, "-w", str(folder), *index_options], log=log, timeout=timeout, say=None,
                    what=f"building {pin} with pip")
    return folder
