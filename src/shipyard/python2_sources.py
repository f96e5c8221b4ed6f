"""Releases whose source build installed Python 2 code: their setup.py converted it with 2to3 at build time.

pycryptodome 3.3.1 (2015) ships Python 2 source and a setup.py that does `try: from distutils.command.build_py import
build_py_2to3 ... except ImportError: build_py`. The distutils today's setuptools carries (60 and later) has no
build_py_2to3, so the build succeeds and installs the unconverted source; the app then fails at import with a
SyntaxError inside site-packages, on every Python 3. Built with the setuptools of its time (before 58, which
still ran 2to3: use_2to3, distutils' build_py_2to3), the same release installs converted code.

After an install, the distributions whose wheel was built here by today's setuptools (Generator: setuptools 58 or
later, or a platform tag of this machine) are checked: a few of their modules compiled with the environment's
Python. One that does not parse is built again with those tools (without uv's cache, which keeps built wheels
whatever the build constraints), and the fact is kept in the cache as a build hold (build_holds.py) for plans and
the image. lib2to3 left the standard library in Python 3.13: there, and when the release still does not parse,
serve says which release and what to pin.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from packaging.version import InvalidVersion, Version

if TYPE_CHECKING:
    from .environments import InstallSpec

TOOLS = ("setuptools<58", "wheel<0.38")
USES = "2to3 at build time (build_py_2to3, use_2to3; setuptools 58 dropped it)"
# modules compiled per distribution: Python 2 source fails in nearly every one, but a release written for both but a
# few modules (pycrypto 2.6.1: `except IOError, e` in Crypto/Random/OSRNG/posix.py only) fails in those alone, so
# a distribution of up to WHOLE modules is compiled whole, a larger one sampled across all its folders
_SAMPLE = 12
WHOLE = 300
_LOCAL_PLATFORM = re.compile(r"-linux_[a-z0-9_]+$")

# run with the environment's Python: argv[1:] are .py files; prints the first that does not parse, with its error
_CHECK = r'''
import sys
for path in sys.argv[1:]:
    try:
        with open(path, "rb") as f:
            compile(f.read(), path, "exec", dont_inherit=True)
    except SyntaxError as exc:
        print("%s:%s: %s" % (path, exc.lineno, exc.msg))
        break
    except (OSError, ValueError):
        continue
'''


def built_today(folder: Path) -> bool:
    """A .dist-info whose wheel this machine built with setuptools 58 or later (or for its own platform)."""
    try:
        text = (folder / "WHEEL").read_text(errors="replace")
    except OSError:
        return False
    # setuptools 70.1 and later write their own name; before, the wheel package's bdist_wheel (0.38: 2022)
    generator = re.search(r"(?m)^Generator:\s*(setuptools|bdist_wheel)\s*\(([^)]+)\)", text)
    if generator:
        try:
            if Version(generator.group(2)) >= Version("58" if generator.group(1) == "setuptools" else "0.38"):
                return True
        except InvalidVersion:
            pass
    tags = re.findall(r"(?m)^Tag:\s*(\S+)", text)
    return bool(tags) and all(_LOCAL_PLATFORM.search(tag) for tag in tags)


def _modules(site: Path, folder: Path) -> list[Path]:
    """The distribution's .py files (RECORD), its tests left out: all of them up to WHOLE, else _SAMPLE spread
    evenly across them."""
    try:
        record = (folder / "RECORD").read_text(errors="replace").splitlines()
    except OSError:
        return []
    files = [line.split(",", 1)[0] for line in record]
    files = [f for f in files if f.endswith(".py") and not f.startswith("..") and "/test" not in f]
    if len(files) > WHOLE:
        files = files[::len(files) // _SAMPLE][:_SAMPLE]
    return [site / f for f in files]


def unparsed(python: str, site: Path, only: frozenset[str] | None = None) -> dict[str, str]:
    """{NAME==VERSION: "file:line: error"} of the distributions built here today (or the NAME==VERSION of `only`,
    however built) whose modules `python` cannot parse. A local or editable install (direct_url.json) is left
    out: there is no release of it to build again."""
    found: dict[str, str] = {}
    for folder in sorted(site.glob("*.dist-info")):
        name, _, version = folder.name[:-len(".dist-info")].partition("-")
        if (folder / "direct_url.json").exists() or \
                not (f"{name}=={version}" in only if only is not None else built_today(folder)):
            continue
        modules = _modules(site, folder)
        if not modules:
            continue
        done = subprocess.run([python, "-c", _CHECK, *map(str, modules)], capture_output=True, text=True,
                              timeout=60)
        if done.returncode == 0 and done.stdout.strip():
            where = done.stdout.strip().splitlines()[0]
            found[f"{name}=={version}"] = where.replace(f"{site}/", "", 1)
    return found


def has_lib2to3(python: str) -> bool:
    done = subprocess.run([python, "-c", "import lib2to3"], capture_output=True, timeout=30)
    return done.returncode == 0


def rebuild(python: str, spec: "InstallSpec", *, log: Path, timeout: float, say: Callable[[str], None] | None,
            cache: Path) -> tuple[str, ...]:
    """Build again, with TOOLS, the distributions installed for `python` whose code is Python 2 (see above); the
    ones that then parse are kept as build holds in `cache`. Returns them (NAME==VERSION)."""
    from . import build_holds
    from .environments import EnvironmentUnavailable, _run_logged, find_uv, site_packages
    uv = find_uv()
    if not uv:
        return ()
    try:
        site = site_packages(python)
    except EnvironmentUnavailable:
        return ()
    found = unparsed(python, site)
    if not found:
        return ()
    names = sorted(found)
    if not has_lib2to3(python):
        if say:
            say(f"warning: the installed {', '.join(names)} is Python 2 code ({found[names[0]]}), which its setup.py "
                f"converts with 2to3, gone from this Python (lib2to3, removed in 3.13): run the app on Python 3.12 or "
                f"older, or pin a release made for Python 3")
        return ()
    build = Path(log).with_suffix(".2to3-build.txt")
    build.write_text("\n".join(TOOLS) + "\n")
    reinstall = [option for pin in names for option in ("--reinstall-package", pin.partition("==")[0])]
    try:
        _run_logged([uv, "pip", "install", "--python", python, "--no-deps", *names, *spec.index_options, *reinstall,
                     "--no-cache", "--build-constraint", str(build)], log=log, timeout=timeout, say=say,
                    what=f"building {' '.join(names)} again with {' and '.join(TOOLS)}")
        still = unparsed(python, site, frozenset(names))
    except EnvironmentUnavailable as exc:
        still = found
        if say:
            say(f"{' '.join(names)} did not build again ({exc.message})")
    finally:
        build.unlink(missing_ok=True)
    done = tuple(n for n in names if n not in still)
    for pin in done:
        build_holds.remember(cache, pin, USES, TOOLS)
    if say and done:
        say(f"{', '.join(done)} installed Python 2 code ({found[done[0]]}): its setup.py converts it with 2to3, "
            f"which today's setuptools no longer runs; built again with {' and '.join(TOOLS)}")
    left = [n for n in names if n in still]
    if say and left:
        say(f"warning: the installed {', '.join(left)} is Python 2 code ({still[left[0]]}) even when built with "
            f"{' and '.join(TOOLS)}: pin a release of it made for Python 3")
    return done
