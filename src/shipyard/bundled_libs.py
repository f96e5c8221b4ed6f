"""Wheels whose bundled shared libraries do not load on this system.

A manylinux wheel carries the libraries its extension links against (auditwheel puts them in `<package>/.libs` or
`<package>.libs`). Some of those copies depend on private symbols of the glibc they were built with: psycopg2
2.7.0 to 2.7.3.1 bundle a libresolv that asks for `__res_maybe_init@GLIBC_PRIVATE`, gone since glibc 2.26, so the
install succeeds and `import psycopg2` fails ("undefined symbol"). Loading each bundled library once after the
install finds them; the install then takes the pin's nearest later release (environments.on_older_pythons).
"""

from __future__ import annotations

import glob
import json
import os
import subprocess

# run by the environment's own Python (3.6 too): every bundled library, loaded as the extension would
_CHECK = r"""
import ctypes, glob, json, os, sys
folders = [p for p in sys.path if p.endswith("-packages") and os.path.isdir(p)]
broken = []
for folder in folders:
    for lib in sorted(glob.glob(os.path.join(folder, "*", ".libs", "*.so*"))
                      + glob.glob(os.path.join(folder, "*.libs", "*.so*"))):
        try:
            ctypes.CDLL(lib)
        except OSError as exc:
            if "undefined symbol" in str(exc):
                top = os.path.relpath(lib, folder).split(os.sep)[0]
                broken.append([os.path.join(folder, ""), top[:-5] if top.endswith(".libs") else top,
                               os.path.basename(lib), str(exc).rsplit(": ", 1)[-1]])
print(json.dumps(broken))
"""


def unloadable(python: str, timeout: float = 60) -> tuple[str, str, str] | None:
    """(the distribution whose wheel bundles a library this system cannot load, as NAME==VERSION, the library,
    why) for the first such library in the environment of `python`; None when every one loads (or none is
    bundled, or the check cannot run)."""
    try:
        done = subprocess.run([python, "-c", _CHECK], capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
        found = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else []
    except (OSError, subprocess.TimeoutExpired, ValueError, IndexError):
        return None
    for folder, package, library, why in found:
        owner = _owner(folder, package)
        if owner:
            return owner, library, why
    return None


def _owner(site_packages: str, package: str) -> str | None:
    """NAME==VERSION of the distribution whose RECORD lists the top-level `package`, from its dist-info name."""
    for record in glob.glob(os.path.join(site_packages, "*.dist-info", "RECORD")):
        try:
            with open(record, encoding="utf-8") as handle:
                if any(line.startswith(f"{package}/") for line in handle):
                    name, _, version = os.path.basename(os.path.dirname(record))[:-len(".dist-info")].partition("-")
                    return f"{name}=={version}"
        except OSError:
            continue
    return None
