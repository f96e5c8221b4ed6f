"""Packages an environment here compiled from source: their release has no wheel for its Python (netifaces 0.11.0
on 3.12), so the install built one with this machine's C compiler. The image's builder stage is a slim image with
no compiler: the plan gives it one (gcc, libc headers, Python's headers) when the environment the plan was proven
in holds such a package, as the serve/proof install needed one. A wheel built here says so in its WHEEL file: its
tags name the bare platform (`cp312-cp312-linux_x86_64`), where one from the index names a manylinux or musllinux
one, and a pure-Python package `any`."""

from __future__ import annotations

import re
from pathlib import Path

from .plan import SystemPackages

COMPILER = ("gcc", "libc6-dev", "python3-dev")
_LOCAL_PLATFORM = re.compile(r"-linux_[a-z0-9_]+$")


def compiled_here(python: str | Path) -> tuple[str, ...]:
    """NAME==VERSION of the distributions in the environment of `python` whose wheel was built here, sorted."""
    env = Path(python).parent.parent
    found = set()
    for wheel in env.glob("lib/python3*/site-packages/*.dist-info/WHEEL"):
        try:
            tags = [line.split(":", 1)[1].strip() for line in wheel.read_text(errors="replace").splitlines()
                    if line.startswith("Tag:")]
        except OSError:
            continue
        if tags and all(_LOCAL_PLATFORM.search(tag) for tag in tags):
            name, _, version = wheel.parent.name[:-len(".dist-info")].partition("-")
            found.add(f"{name}=={version}")
    return tuple(sorted(found))


def installed(python: str | Path) -> tuple[str, ...]:
    """NAME==VERSION of every distribution in the environment of `python`, sorted: the releases an install there
    resolved, pinned by the app or not."""
    env = Path(python).parent.parent
    return tuple(sorted({"==".join(folder.name[:-len(".dist-info")].split("-", 1))
                         for folder in env.glob("lib/python3*/site-packages/*.dist-info") if "-" in folder.name}))


def with_compiler(packages: SystemPackages, built: tuple[str, ...]) -> SystemPackages:
    """`packages` with a compiler in the builder stage when something was `built` here (and none is there yet)."""
    if not built or set(COMPILER) <= set(packages.build):
        return packages
    reason = (f"{', '.join(built)}: built from source by the install here (no wheel for its Python): the builder stage "
              f"gets a C compiler (build: {' '.join(COMPILER)}; runtime: -)")
    return SystemPackages(build=tuple(sorted(set(packages.build) | set(COMPILER))), runtime=packages.runtime,
                          reasons=packages.reasons + (reason,))
