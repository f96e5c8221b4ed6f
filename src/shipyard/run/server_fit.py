"""The server installed beside the app's packages without moving them.

Installing the server (gunicorn, uvicorn-worker, granian) resolves its dependencies too, and a plain install
upgrades what the app pins: uvicorn-worker 0.2 takes uvicorn past the app's uvicorn==0.11.5, whose websockets==8.1
the new uvicorn cannot use, and every worker dies. So the server is resolved with the app's installed packages as
constraints: a server release that fits them, or, for a worker package that fits none, the worker its fallback
package already installed in the app provides (uvicorn's own `uvicorn.workers.UvicornWorker`, which the generated
gunicorn.conf.py takes when uvicorn_worker cannot be imported).
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from ..detect.deps import SERVER_NEEDS
from ..environments import Environment, find_uv
from ..servers import LEGACY_GUNICORN_WORKERS, LEGACY_WORKER_PACKAGES

# worker package -> the worker class its fallback package provides (uvicorn-worker -> uvicorn.workers.UvicornWorker)
FALLBACK_WORKERS = {package: fallback for package, provider in LEGACY_WORKER_PACKAGES.items()
                    for fallback, supplier in LEGACY_GUNICORN_WORKERS.values() if supplier == provider}


def _name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return re.sub(r"[-_.]+", "-", match.group(1)).lower() if match else ""


def installed_pins(env: Environment, leaving_out: tuple[str, ...] = ()) -> tuple[str, ...]:
    """NAME==VERSION of every package installed in `env` (uv pip freeze), but those `leaving_out` names (the
    server's own packages, which the server install may upgrade on purpose); () without uv."""
    uv = find_uv()
    if not uv:
        return ()
    try:
        done = subprocess.run([uv, "pip", "freeze", "--python", env.python], capture_output=True, text=True,
                              timeout=60, env=dict(os.environ, NO_COLOR="1"), stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return ()
    skip = {_name(r) for r in leaving_out}
    return tuple(line.strip() for line in done.stdout.splitlines() if done.returncode == 0
                 and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*==\S+", line.strip()) and _name(line) not in skip)


def older_than_the_server_needs(requirements: tuple[str, ...], pins: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(installed pin, requirement) for each package a server among `requirements` needs newer than the app's
    environment has it (SERVER_NEEDS: granian's command line fails on click 8.0), unless `requirements` name it
    already (a click the app declares is upgraded by deps.outdated_server_pins): a dependency's package (uvicorn's
    or Flask's click), resolved as of the app's date, which installing the server beside the app's packages
    would otherwise keep."""
    named = {_name(r) for r in requirements}
    installed = {_name(p): p for p in pins}
    out = []
    for server in named:
        for name, spec in SERVER_NEEDS.get(server, ()):
            pin = installed.get(_name(name))
            if pin is None or _name(name) in named:
                continue
            try:
                if Version(pin.partition("==")[2]) not in SpecifierSet(spec):
                    out.append((pin, f"{name}{spec}"))
            except (InvalidVersion, InvalidSpecifier):
                continue
    return tuple(out)


def fits(env: Environment, requirements: tuple[str, ...], pins: tuple[str, ...]) -> bool:
    """Whether `requirements` resolve for the Python of `env` with `pins` kept (asks the index, installs
    nothing). True without uv or pins: nothing to keep."""
    uv = find_uv()
    if not uv or not pins or not requirements:
        return True
    with tempfile.TemporaryDirectory(prefix="shipyard-fit-") as tmp:
        constraints = Path(tmp) / "constraints.txt"
        constraints.write_text("\n".join(pins) + "\n")
        try:
            done = subprocess.run([uv, "pip", "compile", "-", "--python", env.python, "-c", str(constraints),
                                   "--no-header", "--quiet"], input="\n".join(requirements) + "\n",
                                  capture_output=True, text=True, timeout=120, env=dict(os.environ, NO_COLOR="1"))
        except (OSError, subprocess.TimeoutExpired):
            return True
    return done.returncode == 0


def without_unfit_worker(env: Environment, requirements: tuple[str, ...],
                         pins: tuple[str, ...] | None = None) -> tuple[tuple[str, ...], str]:
    """(`requirements`, "") when they fit the app's `pins` (default: what `env` has installed, but them); else,
    when a worker package among them does not and the app's own packages provide its fallback worker,
    (`requirements` without it, a one-line note)."""
    workers = [r for r in requirements if _name(r) in FALLBACK_WORKERS]
    fallbacks = [FALLBACK_WORKERS[_name(w)] for w in workers]
    # the fallback's module is looked for first: most apps have no uvicorn of their own, and asking is quick
    if not workers or not all(env.has_module(f.rpartition(".")[0]) for f in fallbacks):
        return requirements, ""
    pins = installed_pins(env, requirements) if pins is None else pins
    if fits(env, requirements, pins):
        return requirements, ""
    providers = {LEGACY_WORKER_PACKAGES[_name(w)] for w in workers}
    kept = " ".join(p for p in pins if _name(p) in providers) or " ".join(sorted(providers))
    return (tuple(r for r in requirements if r not in workers),
            f"{' '.join(workers)} does not install beside the app's {kept}: gunicorn runs {' '.join(fallbacks)} from "
            "it instead (the app's packages stay as it pins them)")


def moved(before: tuple[str, ...], after: tuple[str, ...]) -> tuple[str, ...]:
    """"NAME A -> B" for each package of `before` whose version `after` differs."""
    now = {_name(p): p.partition("==")[2] for p in after}
    return tuple(f"{p.partition('==')[0]} {p.partition('==')[2]} -> {now[_name(p)]}" for p in before
                 if _name(p) in now and now[_name(p)] != p.partition("==")[2])


def _site_packages(env: Environment) -> list[Path]:
    """The site-packages folders of the virtualenv `env.python` runs in (lib/pythonX.Y/site-packages)."""
    root = Path(env.python).parent.parent
    return sorted(root.glob("lib/python*/site-packages")) + sorted(root.glob("Lib/site-packages"))


def unbounded_requirements(metadata: str) -> tuple[str, ...]:
    """The names a dist-info METADATA requires with no version bound (`Requires-Dist: typing_extensions;
    python_version < "3.8"`), extras' requirements left out."""
    out = []
    for line in metadata.splitlines():
        if not line.startswith("Requires-Dist:"):
            continue
        requirement, _, marker = line[len("Requires-Dist:"):].partition(";")
        if "extra" in marker:
            continue
        match = re.fullmatch(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(\(\s*\))?\s*", requirement)
        if match:
            out.append(match.group(1))
    return tuple(out)


def left_behind(env: Environment, before: tuple[str, ...], after: tuple[str, ...]) -> tuple[str, ...]:
    """NAME==VERSION of the installed packages that a package the server install moved requires with no version
    bound, which it did not move: the app's older pins, which the move leaves under a release of a later day
    (h11 0.7.0 -> 0.14.0 under the app's typing-extensions==3.6.5, from which h11 0.14 imports Literal, added in
    3.7.4: its metadata names typing_extensions without a floor, so no resolver moves it)."""
    was = {_name(p): p for p in before}
    now = {_name(p): p for p in after}
    moved_names = {name for name in was if name in now and now[name] != was[name]}
    if not moved_names:
        return ()
    found: dict[str, str] = {}
    for site in _site_packages(env):
        for metadata in site.glob("*.dist-info/METADATA"):
            dist, _, version = metadata.parent.name[:-len(".dist-info")].rpartition("-")
            if _name(dist) not in moved_names or now[_name(dist)].partition("==")[2] != version:
                continue
            try:
                text = metadata.read_text(errors="replace")
            except OSError:
                continue
            for required in unbounded_requirements(text):
                name = _name(required)
                if name in was and was[name] == now.get(name):
                    found.setdefault(name, now[name])
    return tuple(found.values())
