"""Releases whose source build needs older build tools than today's, as installs here found them.

An old sdist's setup.py may use what today's setuptools removed (django-allauth 0.42 imports
setuptools.convert_path, gone in setuptools 70): an install meeting it builds it again with the build tools of its
time (environments.install, install_errors.old_build_tools). That is a fact about the release, not about the app,
so it is kept in Shipyard's cache, as pin conflicts are (pin_conflicts.py): a plan whose app pins that release
carries the same hold-back, and the image's builder applies it (uv --build-constraint), whichever environment
proved the app.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from . import cachefile
from .plan import BuildHold as Hold

FILE = "build-holds.json"

CYTHON_SOURCES = "Cython's build_ext before Cython 3 (cython_sources)"
# Releases whose sdist is known not to build with today's tools, held back before any install here meets the
# failure: an install learns it only when it builds the sdist itself, and one that takes a wheel uv's cache kept (an
# earlier install built it) never does, while the image's builder starts with no such wheel. PyYAML 5.4 to 6.0
# require Cython to build, and their setup.py breaks on Cython 3 (July 2023; 6.0.1 holds it back itself).
KNOWN: tuple[Hold, ...] = tuple(Hold(f"pyyaml=={v}", CYTHON_SOURCES, ("Cython<3",)) for v in ("5.4", "5.4.1", "6.0"))


def known(cache: Path) -> tuple[Hold, ...]:
    """The holds any install here has met (cache/build-holds.json)."""
    return cachefile.read_records(cache / FILE, "holds", Hold)


def for_plans(cache: Path) -> tuple[Hold, ...]:
    """The holds a plan applies: those installs here met, then the known ones (KNOWN) they do not name."""
    learned = known(cache)
    return learned + tuple(h for h in KNOWN if h.release not in {m.release for m in learned})


def remember(cache: Path, pin: str, uses: str, constraints: Iterable[str]) -> None:
    """Add that the release `pin` ("django-allauth==0.42.0", as the installer names it) builds with `constraints`;
    a requirement that is not one release (a folder, a URL) is not kept."""
    key = release_of(pin)
    if key is None:
        return
    hold = Hold(key, uses, tuple(constraints))
    holds = [h for h in known(cache) if h != hold] + [hold]
    cachefile.write_records(cache / FILE, "holds", holds)


def for_requirements(requirements: Iterable[str], holds: Iterable[Hold]) -> tuple[Hold, ...]:
    """The holds of the releases `requirements` pin exactly ("Django-Allauth==0.42.0  # comment" matches)."""
    pinned = {key for line in requirements if (key := release_of(line))}
    return tuple(h for h in holds if h.release in pinned)


_PIN = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([^\s,;#]+)\s*(?:[;#].*)?$")


def release_of(line: str) -> str | None:
    """"name==version" (normalized name) of an exact pin ("Django_Allauth==0.42.0"), else None."""
    match = _PIN.match(line)
    if not match or "*" in match.group(2):
        return None
    return f"{re.sub(r'[-_.]+', '-', match.group(1)).lower()}=={match.group(2)}"


def tools_named(constraints: tuple[str, ...]) -> str:
    """The build tools `constraints` hold back, as a note names them: "setuptools" (with wheel), "Cython"."""
    if any(c.startswith("setuptools") for c in constraints):
        return "setuptools"
    return " and ".join(re.split(r"[<>=!~]", c)[0] for c in constraints)
