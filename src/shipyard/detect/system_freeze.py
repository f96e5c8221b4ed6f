"""Packages of an Ubuntu/Debian system Python in an app's requirements.

A requirements.txt made with `pip freeze` outside a virtualenv, on an Ubuntu machine or in a Render/Heroku
tutorial's shell, lists apt's python3-* packages beside the app's: not on the package index (command-not-found,
ufw, gyp), at a distribution's own version (python-apt==2.4.0+ubuntu2, distro-info==1.1+ubuntu0.1), or
building only against the system's headers (dbus-python, PyGObject, systemd-python). The app's code imports
none of them: installs leave them out (deps.declared), the image overrides them away (plan.unavailable), and an
install that still fails on another such package drops it then (install_retries.SystemPythonFreeze).
"""

from __future__ import annotations

import re
from typing import Iterable

from packaging.version import InvalidVersion, Version

from ..plan import Dependency
from ..project import Project
from .plain_requirements import is_plain

SYSTEM_PYTHON_ONLY = frozenset({
    "apturl", "brlapi", "cloud-init", "command-not-found", "cupshelpers", "dbus-python", "distro-info", "gyp",
    "hplip", "language-selector", "louis", "netplan", "onboard", "pycairo", "pycups", "pygobject", "python-apt",
    "screen-resolution-extra", "systemd-python", "ubuntu-advantage-tools", "ubuntu-drivers-common",
    "ubuntu-pro-client", "ufw", "unattended-upgrades", "usb-creator", "xkit"})
# a Debian/Ubuntu package's version: 2.4.0+ubuntu2, 1.1+ubuntu0.1, 0.20.1-1build1, 3.2+deb11u1, and pip's
# arbitrary-equality freeze of one that is no PEP 440 version (reportbug===7.1.8ubuntu1)
DISTRIBUTION_VERSION = re.compile(r"===?\s*[^\s;#]*?(?:[+~-][\d.]*)?(?:ubuntu|deb|debian|build)\d", re.IGNORECASE)
# pip freeze writes `name===version` for a version PEP 440 cannot read (ubuntu-dev-tools===0.175-18.04.2): only
# a distribution's own packaging makes one, and no index serves it
ARBITRARY_PIN = re.compile(r"===\s*([^\s;#]+)")


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def is_system(requirement: str) -> bool:
    """A requirement line ("python-apt==2.4.0+ubuntu2") of a system Python's package."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return bool(match) and (_normalize(match.group(1)) in SYSTEM_PYTHON_ONLY
                            or bool(DISTRIBUTION_VERSION.search(requirement)) or _not_pep440(requirement))


def _not_pep440(requirement: str) -> bool:
    pinned = ARBITRARY_PIN.search(requirement)
    if not pinned:
        return False
    try:
        Version(pinned.group(1))
    except InvalidVersion:
        return True
    return False


def unused_system_packages(project: Project, deps: Iterable[Dependency]) -> tuple[str, ...]:
    """The names (as written) of the system Python's packages among `deps` that the app's code does not use."""
    system = [d for d in deps if is_system(d.requirement)]
    if not system:
        return ()
    from .imports import imported_distributions            # it builds on deps.py, which reads these
    from .source import string_hints
    used = {_normalize(n) for n in imported_distributions(project)} | \
        {_normalize(h.dependency) for h in string_hints(project)}
    return tuple(d.name for d in system if _normalize(d.name) not in used)


def frozen_from_system(project: Project) -> bool:
    """Whether a requirements file of the app (*.txt) lists a package of a system Python: it was frozen there."""
    return any(is_system(line) for rel in project.files
               if (rel.endswith(".txt") and "requirements" in rel.lower() or is_plain(rel))
               for line in (project.scan_text(rel) or "").splitlines())
