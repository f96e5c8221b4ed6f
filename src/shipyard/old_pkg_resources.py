"""Installed packages that an app's own, older pkg_resources can find.

setuptools 75.8.1 names a built wheel's metadata folder by the normalized project name
(zope_interface-5.4.0.dist-info), and only the pkg_resources of setuptools 75.8.2 and later finds a distribution
with dots in its name (zope.interface) in such a folder: older ones key it `zope-interface` and raise
DistributionNotFound for `zope.interface` (paste's `egg:` entry points check every requirement at import). An app
of 2022 keeps the setuptools of its date (environments.RUNTIME_DATED), while its sources with no wheel for this
Python are built by today's setuptools. Such an app gets its sources built by the last setuptools before the
renaming; what uv's cache already holds built by a newer one (uv does not key built wheels by build constraints)
is built again once installed, without the cache, with a note.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from packaging.version import InvalidVersion, Version

if TYPE_CHECKING:
    from .environments import InstallSpec

NORMALIZED_DIST_INFO = "75.8.1"     # the first setuptools naming metadata folders by the normalized name
READS_NORMALIZED = "75.8.2"         # the first pkg_resources finding dotted names in them
BUILD_CONSTRAINT = f"setuptools<{NORMALIZED_DIST_INFO}"


def _older_than_reader(version: str | None) -> bool:
    try:
        return version is not None and Version(version) < Version(READS_NORMALIZED)
    except InvalidVersion:
        return False


def build_constraints(spec: "InstallSpec", dated: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """Build constraints that keep what is built from source readable by the app's own pkg_resources: its
    setuptools is the one it pins exactly (requirements or lock), else the newest as of its date (`dated`:
    (name, version) of the tools held to the date)."""
    from .environments import _exactly_pinned
    pinned = next((line.split(";")[0].partition("==")[2].strip() for line in (*spec.requirements, *spec.constraints)
                   if _exactly_pinned(line) == "setuptools"), None)
    return (BUILD_CONSTRAINT,) if _older_than_reader(pinned or dict(dated).get("setuptools")) else ()


def _key(name: str) -> str:
    """How pkg_resources before 75.8.2 keys a project name (safe_name, lowered): dots kept."""
    return re.sub(r"[^A-Za-z0-9.]+", "-", name).lower()


def _metadata(folder: Path) -> tuple[str, str] | None:
    """(Name, Version) of a .dist-info folder's METADATA, or None."""
    try:
        text = (folder / "METADATA").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    found = dict(re.findall(r"(?m)^(Name|Version):\s*(\S+)\s*$", text.split("\n\n", 1)[0]))
    return (found["Name"], found["Version"]) if "Name" in found and "Version" in found else None


def hidden(site: Path) -> tuple[str | None, tuple[str, ...]]:
    """(the setuptools version installed in `site`, NAME==VERSION of the distributions its pkg_resources cannot
    find by their own name when it is older than 75.8.2). A local or editable install (direct_url.json) is left
    out: there is no release of it to build again."""
    setuptools = None
    found = []
    for folder in sorted(site.glob("*.dist-info")):
        meta = _metadata(folder)
        if meta is None:
            continue
        if _key(meta[0]) == "setuptools":
            setuptools = meta[1]
        if _key(folder.name.split("-")[0]) != _key(meta[0]) and not (folder / "direct_url.json").exists():
            found.append(f"{meta[0]}=={meta[1]}")
    return setuptools, tuple(found) if _older_than_reader(setuptools) else ()


def rebuild_hidden(python: str, spec: "InstallSpec", *, log: Path, timeout: float,
                   say: Callable[[str], None] | None) -> None:
    """Build again, with the setuptools before the renaming, the distributions installed for `python` that the
    environment's own older pkg_resources cannot find (a wheel uv's cache kept from a build by today's setuptools),
    with a note; when that fails too, a note and the install stands (the app may never ask pkg_resources)."""
    from .environments import EnvironmentUnavailable, _run_logged, find_uv, site_packages
    uv = find_uv()
    if not uv:
        return
    try:
        setuptools, names = hidden(site_packages(python))
    except EnvironmentUnavailable:
        return
    if not names:
        return
    build = Path(log).with_suffix(".pkg-resources-build.txt")
    build.write_text("\n".join((*spec.build_constraints, BUILD_CONSTRAINT)) + "\n")
    # uv's cache would hand back the same wheel (a local archive's build is kept whatever the refresh): none here
    reinstall = [option for pin in names for option in ("--reinstall-package", pin.partition("==")[0])]
    try:
        _run_logged([uv, "pip", "install", "--python", python, "--no-deps", *names, *spec.index_options, *reinstall,
                     "--no-cache", "--build-constraint", str(build)], log=log, timeout=timeout, say=say,
                    what=f"building {' '.join(names)} again")
        still = set(hidden(site_packages(python))[1]) & set(names)
    except EnvironmentUnavailable as exc:
        still = set(names)
        if say:
            say(f"{' '.join(names)} did not build again ({exc.message})")
    finally:
        build.unlink(missing_ok=True)
    if say:
        done = [n for n in names if n not in still]
        if done:
            say(f"{' '.join(done)} built again with {BUILD_CONSTRAINT}: the app's setuptools {setuptools} (its "
                "pkg_resources) finds no package in the metadata folder today's setuptools names by the normalized "
                "name")
        if still:
            say(f"the app's setuptools {setuptools} (its pkg_resources) does not find {' '.join(sorted(still))} (a "
                f"metadata folder named by the normalized name): setuptools>={READS_NORMALIZED} in the app's "
                "requirements does")
