"""GeoDjango's system libraries.

An app with `django.contrib.gis` in INSTALLED_APPS (or a GIS database backend) loads the GDAL and GEOS C libraries
with ctypes when Django sets up its apps: no Python package brings them (unlike the GDAL bindings, which
data/system_packages.json lists), so a Django REST base that lists the app without using a single geometry still
fails at import ("Could not find the GDAL library") on a machine or image without them. The image installs
Debian's (libgdal32 pulls in GEOS and PROJ; libgeos-c1v5 is named for GEOS alone); on this machine, where
Shipyard installs no system package, the import proof's error says which to install.
"""

from __future__ import annotations

import ast
import re

from ..plan import SystemPackages
from ..project import Project
from .ast_nodes import ast_nodes
from .source import parsed

GIS_APP = "django.contrib.gis"
# Debian 12 (bookworm), the image's base: the GDAL and GEOS C libraries Django's ctypes loaders find
RUNTIME = ("libgdal32", "libgeos-c1v5")
REASON = (f"{GIS_APP} (GeoDjango): Django loads the GDAL and GEOS C libraries at start-up "
          f"(build: -; runtime: {' '.join(RUNTIME)})")
# Django's own messages when ctypes finds neither library
_NOT_FOUND = re.compile(r"Could not find the (GDAL|GEOS) library")
INSTALL = {"GDAL": "apt-get install libgdal32 on Debian 12 (gdal-bin on any release), brew install gdal",
           "GEOS": "apt-get install libgeos-c1v5 on Debian 12, brew install geos"}


def uses_geodjango(project: Project) -> bool:
    """Some file names django.contrib.gis as an app, or a GIS database backend (django.contrib.gis.db.backends.*)."""
    return any(isinstance(n, ast.Constant) and isinstance(n.value, str)
               and (n.value == GIS_APP or n.value.startswith(f"{GIS_APP}.db.backends."))
               for tree in parsed(project).values() for n in ast_nodes(tree))


def system_packages(project: Project, found: SystemPackages) -> SystemPackages:
    """`found` with GeoDjango's runtime libraries added when the app uses it."""
    if not uses_geodjango(project):
        return found
    return SystemPackages(build=found.build, runtime=tuple(sorted({*found.runtime, *RUNTIME})),
                          reasons=(*found.reasons, REASON))


def missing_library(message: str) -> tuple[str, str] | None:
    """(library, how to install it) when `message` is Django's error for a GeoDjango library ctypes did not find."""
    m = _NOT_FOUND.search(message or "")
    return (m.group(1), INSTALL[m.group(1)]) if m else None
