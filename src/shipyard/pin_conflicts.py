"""An app's own pins that contradict each other, and which one gives way.

A hand-edited freeze often pins a package beside one of its dependencies at a version it does not accept
(Werkzeug==2.2.3 beside MarkupSafe==2.0.1, while that Werkzeug requires markupsafe>=2.1.1): pip and uv refuse
the set, and the app runs once the dependency's pin gives way. Only a conflict uv (or pip, without uv) reports
between two exact pins of the app is relaxed, one pin per round, and each relaxation is said in one line that
names the pin, what it became and why, so the user can fix the file. The pin relaxed is the dependency side (what the other pinned
package requires), unless the app's code imports it directly and not the other one: then the other package
moves, to its releases on the side that accepts the pinned dependency. A set that still conflicts fails.

What uv reported ("werkzeug==2.2.3 requires markupsafe>=2.1.1") is a fact about those releases, not about the
app: it is kept in Shipyard's cache, so a plan (and the image it renders) relaxes the same pin once any install
here has met the conflict, whichever environment proved the app. So is a pin an install left out as a leftover
(LeftOut, with the app's other pins it contradicted): the plan of an app pinning the same releases, whose code does
not use it, leaves it out of the image too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name as normalize  # PEP 503, as detect.deps.normalize
from packaging.version import InvalidVersion, Version

from . import cachefile

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# "werkzeug==2.2.3 depends on markupsafe>=2.1.1", "requests==2.25.1 depends on idna>=2.5,<3" (uv's wording,
# also in a conclusion: "we can conclude that flask==2.3.0 depends on markupsafe>=2.1.1")
_DEPENDS = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s,]+) depends on ([A-Za-z0-9][A-Za-z0-9._-]*)"
                      r"((?:[<>=!~]=?[^\s,<>=!~]+)(?:,[<>=!~]=?[^\s,<>=!~]+)*)")
# uv's "all versions of python-jose-cryptodome depend on pycryptodome>=3.3.1,<3.4.0"
_ALL_VERSIONS = re.compile(r"all versions of ([A-Za-z0-9][A-Za-z0-9._-]*) depends? on ([A-Za-z0-9][A-Za-z0-9._-]*)"
                           r"((?:[<>=!~]=?[^\s,<>=!~]+)(?:,[<>=!~]=?[^\s,<>=!~]+)*)")
# uv's "heroku>=0.1.4 depends on python-dateutil==1.5": a range of the depender's releases (from the app's pin to
# the last release, or to the next one requiring something else) that all require the same; it holds for the
# app's pin of the depender when the range holds it
_RANGE_DEPENDS = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)((?:>=|>|<=|<|!=|~=)[^\s,<>=!~]+"
                            r"(?:,[<>=!~]=?[^\s,<>=!~]+)*) depends on ([A-Za-z0-9][A-Za-z0-9._-]*)"
                            r"((?:[<>=!~]=?[^\s,<>=!~]+)(?:,[<>=!~]=?[^\s,<>=!~]+)*)")
# uv's "docker-compose==1.21.2 depends on one of: requests>=2.6.1,<2.11.0 requests>2.11.0,<2.12.2 ..." (a release
# excluding a few versions of its dependency), whitespace joined: the ranges of one package follow
_ONE_OF = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s,]+) depends on one of: ((?:[A-Za-z0-9][A-Za-z0-9._-]*"
                     r"(?:[<>=!~]=?[^\s,<>=!~]+)(?:,[<>=!~]=?[^\s,<>=!~]+)* )+)")
_RANGE = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)((?:[<>=!~]=?[^\s,<>=!~]+)(?:,[<>=!~]=?[^\s,<>=!~]+)*)")
# pip's "The conflict is caused by:" lines: "requests 2.25.1 depends on idna<3 and >=2.5" (pip 23),
# "werkzeug 2.2.3 depends on MarkupSafe>=2.1.1", "pyjwt[crypto] 2.1.0 depends on cryptography>=3.3.1; extra == ..."
_PIP_DEPENDS = re.compile(r"(?m)^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])? (\S+) depends on "
                          r"([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?"
                          r"((?:[<>=!~]=?[^\s,;<>=!~]+)(?:(?:,| and )[<>=!~]=?[^\s,;<>=!~]+)*)")


@dataclass(frozen=True)
class Conflict:
    """One release requiring a range of another package: "werkzeug==2.2.3" requires "markupsafe>=2.1.1"."""
    depender: str          # NAME==VERSION, normalized name
    needs: str             # NAME + specifier, normalized name


@dataclass(frozen=True)
class Relaxed:
    line: str              # the app's requirement line as written: "MarkupSafe==2.0.1"
    instead: str           # the line installed instead: "MarkupSafe>=2.1.1"
    depender: str          # the other pin, the package that requires another version: "Werkzeug==2.2.3"
    needs: str             # what it requires: "markupsafe>=2.1.1"
    imported: str = ""     # the dependency's pin, when the depender moved because the app imports it itself

    @property
    def name(self) -> str:
        return _name(self.line) or ""

    @property
    def because(self) -> str:
        """Why, in a few words: "Werkzeug==2.2.3 requires markupsafe>=2.1.1"."""
        return f"{self.depender} requires {self.needs}" + (f", and the app imports {_name(self.imported)}"
                                                           if self.imported else "")

    @property
    def note(self) -> str:
        if self.imported:
            pins = f"{self.imported}, which its code imports, and {self.depender}, which requires {self.needs}"
        else:
            pins = f"{self.line} and {self.depender}, which requires {self.needs}"
        return f"the app pins {pins}: {self.line} relaxed to {self.instead} (fix that pin in the app's requirements)"


def reported(log: str, requirements: Iterable[str] = ()) -> tuple[Conflict, ...]:
    """The "X==V depends on Y<spec>" statements of uv's "No solution found" explanation, or the "X V depends on
    Y<spec>" ones of pip's "The conflict is caused by:" (ResolutionImpossible), in their order. uv's "all versions
    of X depend on Y<spec>" (a package with few releases: python-jose-cryptodome, all of which require
    pycryptodome<3.4) holds for the exact pin of X among `requirements`, the ones that failed: X==V; so does its
    "X>=V depends on Y<spec>" (heroku 0.1.4, the last release, pinned) when the range holds that pin."""
    text = _ANSI.sub("", log)
    if "The conflict is caused by:" in text and "No solution found when resolving" not in text:
        return _pip_reported(text)
    if "No solution found when resolving" not in text:
        return ()
    text = re.sub(r"\s+", " ", text[text.index("No solution found when resolving"):])
    pinned = {normalize(n): v for line in requirements if (n := _name(line)) and (v := _pinned_version(line))}
    found = [(m.start(), f"{normalize(m.group(1))}=={m.group(2)}", m.group(3), m.group(4))
             for m in _DEPENDS.finditer(text)]
    found += [(m.start(), f"{normalize(m.group(1))}=={pinned[normalize(m.group(1))]}", m.group(2), m.group(3))
              for m in _ALL_VERSIONS.finditer(text) if normalize(m.group(1)) in pinned]
    found += [(m.start(), f"{normalize(m.group(1))}=={m.group(2)}", *hull)
              for m in _ONE_OF.finditer(text) if (hull := _hull(m.group(3)))]
    found += [(m.start(), f"{normalize(m.group(1))}=={pinned[normalize(m.group(1))]}", m.group(3), m.group(4))
              for m in _RANGE_DEPENDS.finditer(text) if normalize(m.group(1)) in pinned
              and _in_range(m.group(2), pinned[normalize(m.group(1))])]
    # "django==5.0.7 depends on Python>=3.10" is the interpreter, not a package: moving Python answers it
    # (environments.install_with_retries), never relaxing or leaving out a pin
    return tuple(dict.fromkeys(Conflict(depender, f"{normalize(name)}{spec.rstrip('.')}")
                               for _, depender, name, spec in sorted(found) if normalize(name) != "python"))


def _hull(ranges: str) -> tuple[str, str] | None:
    """(name, specifier) spanning uv's "one of" ranges of one package ("requests>=2.6.1,<2.11.0 requests>2.11.0,<2.19":
    "requests", ">=2.6.1,<2.19"): what a pin outside all of them must move into; the resolver keeps the holes."""
    found = [(m.group(1), SpecifierSet(m.group(2))) for m in _RANGE.finditer(ranges)]
    if not found or len({normalize(n) for n, _ in found}) != 1:
        return None
    try:
        lows = [(Version(s.version), s.operator) for _, spec in found for s in spec if s.operator in (">=", ">")]
        highs = [(Version(s.version), s.operator) for _, spec in found for s in spec if s.operator in ("<", "<=")]
    except InvalidVersion:
        return None
    # a bound only when every range has one: a range open on that side opens the hull too
    low = min(lows) if len(lows) == len(found) else None
    high = max(highs) if len(highs) == len(found) else None
    spec = ",".join(f"{bound[1]}{bound[0]}" for bound in (low, high) if bound)
    return (found[0][0], spec) if spec else None


def _pip_reported(text: str) -> tuple[Conflict, ...]:
    """pip's causes, written as uv writes them ("idna<3 and >=2.5": "idna<3,>=2.5")."""
    causes = text[text.index("The conflict is caused by:"):]
    causes = causes.split("\n\n", 1)[0]           # up to pip's "To fix this you could try to:"
    return tuple(dict.fromkeys(Conflict(f"{normalize(m.group(1))}=={m.group(2)}",
                                        f"{normalize(m.group(3))}{m.group(4).replace(' and ', ',')}")
                               for m in _PIP_DEPENDS.finditer(causes)))


def relax(requirements: Iterable[str], conflicts: Iterable[Conflict], imported: Iterable[str] = ()
          ) -> Relaxed | None:
    """The relaxation of the first of `conflicts` that is between two exact pins among `requirements` (the
    dependency's pin outside what the depender requires), else None. `imported`: the distributions the app's
    code imports directly (normalized)."""
    requirements = tuple(requirements)
    direct = {normalize(n) for n in imported}
    for conflict in conflicts:
        depender_name, _, depender_version = conflict.depender.partition("==")
        try:
            needs = Requirement(conflict.needs)
        except InvalidRequirement:
            continue
        depender = _pin_line(requirements, depender_name, lambda v: _same_version(v, depender_version))
        dependency = _pin_line(requirements, needs.name, lambda v: not _contains(needs.specifier, v))
        if depender is None or dependency is None:
            continue            # not between two of the app's own pins: left to fail
        if not _exact(needs.specifier) and _breaks_another_pin(requirements, conflicts, conflict.depender, needs,
                                                               _pinned_version(dependency)):
            # the pin is right for another of the app's pins, and a range is never relaxed again (an exact pin
            # is: awscli's botocore==1.5.68, then boto3's range): relaxing it breaks that one for good
            continue
        wanted = conflict.needs[len(needs.name):]          # as uv wrote it: "idna>=2.5,<3"
        if normalize(needs.name) in direct and normalize(depender_name) not in direct:
            # the app's code uses the dependency itself: the package that only brings it moves instead
            moved = _moved_depender(depender, _pinned_version(dependency), needs.specifier)
            if moved is not None:
                return Relaxed(depender, moved, _bare(depender), conflict.needs, _bare(dependency))
        return Relaxed(dependency, _with_spec(dependency, wanted), _bare(depender), conflict.needs)
    return None


def _breaks_another_pin(requirements: tuple[str, ...], conflicts: Iterable[Conflict], depender: str,
                        needs: Requirement, pinned: str) -> bool:
    """Whether another exact pin of the app (one of `conflicts`' dependers, other than `depender`) requires the
    dependency in a range that holds its `pinned` version and shares no release with `needs`: relaxing the pin to
    `needs` cannot satisfy both, and breaks the one the pin was right for. A freeze keeps a package of an older
    generation beside its successor (asgi-redis 1.4.3, of Channels 1, requires asgiref<1.2, beside channels 2.2.0
    requiring asgiref>=3 and asgiref==3.1.2): the old one is the odd one out (install_retries.ConflictingPins
    leaves it out when the code never uses it), not the pin. Ranges on both sides only: a pin relaxed to an exact
    release is relaxed again by the next conflict (awscli's botocore==1.5.68, then boto3's >=1.4.1,<1.5.0)."""
    for other in conflicts:
        name, _, version = other.depender.partition("==")
        if other.depender == depender or _pin_line(requirements, name, lambda v: _same_version(v, version)) is None:
            continue
        try:
            wants = Requirement(other.needs)
        except InvalidRequirement:
            continue
        if normalize(wants.name) == normalize(needs.name) and not _exact(wants.specifier) \
                and _contains(wants.specifier, pinned) and not _overlap(wants.specifier, needs.specifier):
            return True
    return False


def _exact(spec: SpecifierSet) -> bool:
    return len(spec) == 1 and next(iter(spec)).operator in ("==", "===") and "*" not in str(spec)


def _overlap(one: SpecifierSet, other: SpecifierSet) -> bool:
    """Whether some release is in both ranges: the higher of their lower bounds is in both when any is. A bound
    this cannot read (">", "===", a wildcard) counts as overlapping: never a reason to keep a conflict."""
    lows = [Version("0")]
    for spec in (*one, *other):
        if spec.operator in (">", "===") or "*" in spec.version:
            return True
        if spec.operator in (">=", "==", "~="):
            try:
                lows.append(Version(spec.version))
            except InvalidVersion:
                return True
    return any(one.contains(v, prereleases=True) and other.contains(v, prereleases=True) for v in lows)


def _moved_depender(line: str, dependency_version: str, needs: SpecifierSet) -> str | None:
    """The depender's line moved to its releases on the side that may accept the pinned dependency: older ones
    when the dependency is pinned below what it requires (a freeze where the depender was upgraded alone),
    newer ones when above."""
    pinned = _pinned_version(line)
    try:
        below = any(s.operator in (">=", ">", "~=", "==") and Version(dependency_version) < Version(s.version)
                    for s in needs)
    except InvalidVersion:
        return None
    return _with_spec(line, f"<{pinned}" if below else f">{pinned}")


def apply(requirements: Iterable[str], relaxed: Relaxed) -> tuple[str, ...]:
    return tuple(relaxed.instead if line == relaxed.line else line for line in requirements)


def relax_all(requirements: Iterable[str], conflicts: Iterable[Conflict], imported: Iterable[str] = ()
              ) -> tuple[tuple[str, ...], tuple[Relaxed, ...]]:
    """(`requirements` with every conflict among `conflicts` between two of their exact pins relaxed, what was
    relaxed): the known conflicts applied the way an install meeting them one at a time would."""
    requirements, conflicts, done = tuple(requirements), tuple(conflicts), []
    for _ in range(len(conflicts)):
        found = relax(requirements, conflicts, imported)
        if found is None:
            break
        requirements = apply(requirements, found)
        done.append(found)
    return requirements, tuple(done)


@dataclass(frozen=True)
class Leftover:
    """An exact pin of the app that takes part in a conflict and that nothing uses: its code never imports it (nor
    names it in Django's settings or a URL), and the rest of its requirements resolve without it. A `pip freeze`
    keeps whatever was installed once (a tool tried and forgotten); left out, the install goes on."""
    line: str              # the app's requirement line as written: "autopep8==1.5"
    needs: str             # what it requires that the app's other pins contradict: "pycodestyle>=2.6.0a1"

    @property
    def note(self) -> str:
        return (f"the app pins {self.line}, which requires {self.needs} against its other pins; its code never "
                f"imports it and none of its other packages needs it (a leftover of pip freeze?): left out "
                f"(remove it from the app's requirements)")


def leftover_candidates(requirements: Iterable[str], conflicts: Iterable[Conflict], used: Iterable[str]
                        ) -> tuple[Leftover, ...]:
    """The app's exact pins that require what conflicts (the "X==V depends on Y" of a conflict) and that its code
    does not use (`used`: the distributions it imports or names, normalized), in the conflicts' order; whether
    another of its packages needs one is for the resolver to say (install_retries.LeftoverPins)."""
    requirements, used = tuple(requirements), {normalize(n) for n in used}
    out: dict[str, Leftover] = {}
    for conflict in conflicts:
        name, _, version = conflict.depender.partition("==")
        line = _pin_line(requirements, name, lambda v: _same_version(v, version))
        if line is not None and normalize(name) not in used and line not in out:
            out[line] = Leftover(line, conflict.needs)
    return tuple(out.values())


# ------------------------------------------------------------------------------------------ what uv said

def known(cache: Path) -> tuple[Conflict, ...]:
    """The conflicts any install here has met (cache/pin-conflicts.json)."""
    try:
        data = cachefile.read(cache / "pin-conflicts.json")
        return tuple(Conflict(str(d), str(n)) for d, n in data.get("conflicts", []))
    except (TypeError, ValueError, AttributeError):
        return ()


def remember(cache: Path, conflicts: Iterable[Conflict]) -> None:
    """Add `conflicts` to what is known."""
    merged = tuple(dict.fromkeys((*known(cache), *conflicts)))
    cachefile.write(cache / "pin-conflicts.json", {"conflicts": [[c.depender, c.needs] for c in merged]})


@dataclass(frozen=True)
class LeftOut:
    """A release an install left out as a leftover (install_retries.LeftoverPins): "autopep8==2.0.4", what it
    requires ("pycodestyle>=2.10.0"), and the app's other exact pins uv named in the conflict ("flake8==3.7.9"),
    normalized. A plan leaves it out where the app pins all of them and its code does not use the first. `as_of`:
    the day that install resolved the app's packages as of (uv --exclude-newer; "" for today's index): a plan
    resolving as of a later day, or today, may find what it lacked (jarudaDB 0.0.3, published after a freeze's
    date, resolved once its Dockerfile's later date counted), so it applies only on or before that day."""
    release: str
    needs: str
    against: tuple[str, ...] = ()
    as_of: str = ""

    @property
    def note(self) -> str:
        others = f" against {', '.join(self.against)}" if self.against else " against the app's other pins"
        return (f"the app pins {self.release}, which requires {self.needs}{others}; its code never imports it and "
                f"none of its other packages needs it (a leftover of pip freeze?): left out")


LEFT_OUT = "left-out-pins.json"


def named_pins(log: str, requirements: Iterable[str], but: str) -> tuple[str, ...]:
    """The exact pins among `requirements` (normalized "name==version") that uv's explanation in `log` names,
    other than the release `but`: what a left-out pin contradicted."""
    text = _ANSI.sub("", log).lower()
    out = []
    for line in requirements:
        match = _LINE.match(line)
        if not match:
            continue
        release = f"{normalize(match.group(1))}=={match.group(3)}"
        words = re.escape(normalize(match.group(1))).replace(r"\-", "[-_.]")
        if release != but and re.search(rf"(?<![\w.-]){words}=={re.escape(match.group(3).lower())}(?![\w.])", text):
            out.append(release)
    return tuple(dict.fromkeys(out))


def known_left_out(cache: Path) -> tuple[LeftOut, ...]:
    """The pins installs here left out as leftovers (cache/left-out-pins.json)."""
    return cachefile.read_records(cache / LEFT_OUT, "left_out", LeftOut)


def remember_left_out(cache: Path, left: LeftOut) -> None:
    cachefile.write_records(cache / LEFT_OUT, "left_out", dict.fromkeys((*known_left_out(cache), left)))


def left_out_of(requirements: Iterable[str], known_ones: Iterable[LeftOut], used: Iterable[str], as_of: str = ""
                ) -> tuple[tuple[str, LeftOut], ...]:
    """(the app's requirement line, what is known of it) for each exact pin among `requirements` that an install
    here left out, where the app pins every release it contradicted there and its code does not use it (`used`:
    normalized distribution names), resolving as of `as_of` ("" for today) no later than that install did."""
    requirements, used = tuple(requirements), {normalize(n) for n in used}
    releases = {f"{normalize(m.group(1))}=={m.group(3)}": line for line in requirements if (m := _LINE.match(line))}
    out = []
    for left in known_ones:
        if left.as_of and not (as_of and as_of[:10] <= left.as_of[:10]):
            continue
        line = releases.get(left.release)
        if line is not None and left.release.partition("==")[0] not in used \
                and all(a in releases for a in left.against) and line not in (x for x, _ in out):
            out.append((line, left))
    return tuple(out)


@dataclass(frozen=True)
class GaveWay:
    """Exact pins (normalized "name==version") an install loosened for a package the requirements leave unpinned
    (`to`, normalized) because no release of it fits them and the app's code imports none of them
    (install_retries.PinsAgainstUnpinned): a plan pinning all of them beside that package loosens them too."""
    pins: tuple[str, ...]
    to: str

    @property
    def note(self) -> str:
        return (f"the app pins {', '.join(self.pins)}, which no release of {self.to} (unpinned in its requirements) "
                f"installs beside, and its code imports none of them: left to what {self.to} accepts")


GAVE_WAY = "gave-way-pins.json"


def known_gave_way(cache: Path) -> tuple[GaveWay, ...]:
    return cachefile.read_records(cache / GAVE_WAY, "gave_way", GaveWay)


def remember_gave_way(cache: Path, gave: GaveWay) -> None:
    cachefile.write_records(cache / GAVE_WAY, "gave_way", dict.fromkeys((*known_gave_way(cache), gave)))


def gave_way_in(requirements: Iterable[str], known_ones: Iterable[GaveWay], unpinned: Iterable[str],
                used: Iterable[str]) -> dict[str, GaveWay]:
    """The requirement line -> what is known, of each exact pin among `requirements` an install loosened for a
    package among `unpinned` (normalized names), where the app pins all the releases loosened with it and its code
    (`used`: normalized distribution names) imports none of them."""
    requirements, used, unpinned = tuple(requirements), {normalize(n) for n in used}, {normalize(n) for n in unpinned}
    releases = {f"{normalize(m.group(1))}=={m.group(3)}": line for line in requirements if (m := _LINE.match(line))}
    out: dict[str, GaveWay] = {}
    for gave in known_ones:
        if gave.to in unpinned and all(p in releases and p.partition("==")[0] not in used for p in gave.pins):
            out.update({releases[p]: gave for p in gave.pins})
    return out


# ------------------------------------------------------------------------------------------ requirement lines

_LINE = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*===?\s*([^\s,;]+)\s*(;.*)?$")


def _name(line: str) -> str | None:
    match = _LINE.match(line)
    return match.group(1) if match else None


def _pinned_version(line: str) -> str:
    match = _LINE.match(line)
    return match.group(3) if match else ""


def _pin_line(requirements: tuple[str, ...], name: str, version_fits) -> str | None:
    """The exact pin (NAME==VERSION, extras and markers allowed) of `name` whose version `version_fits`."""
    for line in requirements:
        match = _LINE.match(line)
        if match and normalize(match.group(1)) == normalize(name) and version_fits(match.group(3)):
            return line
    return None


def _bare(line: str) -> str:
    match = _LINE.match(line)
    return f"{match.group(1)}=={match.group(3)}" if match else line


def _with_spec(line: str, spec: str) -> str:
    """`line` ("MarkupSafe[x]==2.0.1; python_version>'3'") with its version specifier replaced by `spec`."""
    match = _LINE.match(line)
    assert match is not None
    return f"{match.group(1)}{match.group(2) or ''}{spec}" + (f"; {match.group(4)[1:].strip()}" if match.group(4) else "")


def _same_version(one: str, other: str) -> bool:
    try:
        return Version(one) == Version(other)
    except InvalidVersion:
        return one == other


def _in_range(spec: str, version: str) -> bool:
    """Whether `version` is in uv's range `spec` (">=0.1.4"); an unreadable one holds nothing."""
    try:
        return SpecifierSet(spec).contains(version, prereleases=True)
    except (InvalidSpecifier, InvalidVersion):
        return False


def _contains(spec: SpecifierSet, version: str) -> bool:
    try:
        return spec.contains(version, prereleases=True)
    except (InvalidSpecifier, InvalidVersion):
        return True        # unreadable: never a reason to relax
