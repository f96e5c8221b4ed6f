"""Releases whose source archive uv cannot unpack, which pip builds: as installs here found them, and known ones.

PyPDF2 1.26.0 publishes only a tar.gz that uv's reader rejects ("Invalid tar file ... invalid tar identity") and
pip's reads. serve's install builds its wheel with pip and gives uv that wheel (install_retries.UnreadableArchive);
the image's builder met the same archive and stopped ("pypdf2==1.26.0 does not build"). That is a fact about the
release, kept in Shipyard's cache as build holds are (build_holds.py): a plan whose app pins such a release lists
it (Plan.pip_built), and the builder makes its wheel with pip first, then uv installs from it (--find-links).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from . import cachefile
from .build_holds import release_of

FILE = "pip-built.json"
# met before any install here learns it: an install whose uv cache kept the wheel never meets the archive again
KNOWN = ("pypdf2==1.26.0",)


def known(cache: Path) -> tuple[str, ...]:
    """The releases installs here had pip build (cache/pip-built.json), then the known ones."""
    data = cachefile.read(cache / FILE)
    learned = tuple(p for p in (data.get("releases", []) if isinstance(data, dict) else []) if isinstance(p, str))
    return learned + tuple(p for p in KNOWN if p not in learned)


def remember(cache: Path, pin: str) -> None:
    """Add that uv cannot unpack the source archive of the release `pin` ("pypdf2==1.26.0")."""
    key = release_of(pin)
    if key is None:
        return
    data = cachefile.read(cache / FILE)
    learned = [p for p in (data.get("releases", []) if isinstance(data, dict) else []) if isinstance(p, str)]
    if key not in learned:
        cachefile.write(cache / FILE, {"releases": learned + [key]})


def for_requirements(requirements: Iterable[str], cache: Path) -> tuple[str, ...]:
    """The releases among `requirements`' exact pins that pip builds, in the requirements' order."""
    wanted = set(known(cache))
    return tuple(dict.fromkeys(key for line in requirements if (key := release_of(line)) in wanted))
