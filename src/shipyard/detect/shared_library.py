"""A system C library an installed package loads at import, missing on this machine.

pyzbar finds libzbar with ctypes.util.find_library and raises ImportError("Unable to find zbar shared library");
opencv-python's extension links libGL ("libGL.so.1: cannot open shared object file"); cairocffi and WeasyPrint go
through cffi ("cannot load library 'libcairo.so.2'", "no library called "cairo-2" was found"). No Python changes
that, so the import proof must not read it as a Python too new (which would retry older Pythons, then advise one):
it says which library, and the Debian package data/system_packages.json gives for the raising distribution (the
package the image from `shipyard build` installs), as detect/geodjango.py does for GDAL and GEOS.
"""

from __future__ import annotations

import re

from .deps import normalize
from .services import _system_table

# the errors that mean a shared library was not found (not an undefined symbol or a wrong architecture)
_MISSING = (
    re.compile(r"Unable to find (?:the )?(?P<name>[\w.+-]+) (?:shared )?library"),
    re.compile(r"(?P<name>[\w.+-]+\.so[\w.]*): cannot open shared object file"),
    re.compile(r"cannot load library '(?P<name>[^']+)'"),
    re.compile(r"no library called \"(?P<name>[^\"]+)\" was found"),
)
RAISED = frozenset({"ImportError", "OSError"})


def missing_library(message: str) -> str | None:
    """"libGL.so.1", "zbar": the shared library the message says was not found, else None."""
    for pattern in _MISSING:
        if m := pattern.search(message or ""):
            return m.group("name")
    return None


def _stem(library: str) -> str:
    """"gl" for "libGL.so.1", "zbar" for "zbar", "cairo" for "cairo-2": to match a Debian package's name."""
    name = library.rsplit("/", 1)[-1].lower()
    name = re.sub(r"\.so.*$|\.dylib$|\.dll$", "", name)
    return re.sub(r"[-_.\d]+$", "", name.removeprefix("lib")) or name


def debian_packages(library: str, distribution: str | None) -> tuple[str, ...]:
    """The runtime Debian packages data/system_packages.json gives for `distribution` that provide `library` (all of
    that distribution's when none is named after it), else the table's packages named after the library."""
    table = _system_table()
    stem = _stem(library)

    def named(packages) -> tuple[str, ...]:
        return tuple(p for p in packages if stem and _stem(p) == stem)

    own = tuple((table.get(normalize(distribution or "")) or {}).get("runtime", ()))
    if own:
        return named(own) or own
    return tuple(sorted({p for entry in table.values() for p in named(entry.get("runtime", ()))}))
