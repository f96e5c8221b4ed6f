"""Which interpreter, with which packages, built how: the one place that answers it.

An app is imported (the proof), served and debugged with the first of:
  1. the app's own environment: the active virtualenv when it is the app's, `.venv`/`venv`/`env` in the app
     folder, or the environment its Poetry, Pipenv or uv project names;
  2. a proof environment built with uv from the plan's dependencies, cached under
     $XDG_CACHE_HOME/shipyard/envs/ and keyed by the Python version and the requirement set, so a second run
     and another app with the same set reuse it;
and when none can be had (offline, a package that does not build, the time limit) the caller keeps the static
answer, marked as not proven, with the reason. Never Shipyard's own interpreter, even when it happens to have the
app's packages: its other packages would make an import pass that fails in the app's real environment.

Servers, supervisord's programs and debugpy that the app's environment lacks come from a cached overlay
(`overlay_site`): a virtualenv per Python version and server requirement whose site-packages are appended to
the app's sys.path at start-up (app packages first), so the user's own virtualenv is never modified.

Every build goes to a temporary folder next to its final place and is renamed into it when complete, so a
killed build never leaves half an environment behind; uv's full log is kept in a file that errors name.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Mapping, TypeVar

from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from . import build_needs, cache_store, proof_memo
from .errors import MissingDependency, ShipyardError
from .install_errors import PYTHON2_SETUP
from .run.signals import raise_if_stopped
from .venv_seed import SEED, is_seeded
from .detect.generated import PREFIX as GENERATED_PREFIX
from .detect.plain_requirements import pip_format
from .detect import conda_list

VENV_NAMES = (".venv", "venv", "env")
T = TypeVar("T")
Say = Callable[[str], None]


class EnvironmentUnavailable(ShipyardError):
    """No environment could be built (offline, a package that does not install, the time limit)."""

    unbuilt = ""            # the pin ("psycopg2-binary==2.9.3") that has no wheel here and did not build
    output = ""             # what the failed command printed
    python_bound = False    # a pin's releases do not support this Python (Requires-Python)
    unloadable = ""         # the installed pin whose wheel bundles a library this system cannot load (bundled_libs)
    building: list[str] = []    # the releases still building from source when the time limit stopped it
    timed_out = False       # the time limit stopped it: no sign of what another Python would do


# ------------------------------------------------------------------------------------------ environments

@dataclass(frozen=True)
class Environment:
    python: str          # the interpreter that runs the app
    origin: str          # where it came from, for reports ("the app's .venv")
    kind: str = "app"    # "app" (the user's own), "proof" (cached, built by Shipyard), "own" (Shipyard's)
    layered: tuple[tuple[str, str], ...] = ()   # environment variables of an overlay on top of it

    def with_overlay(self, variables: Mapping[str, str]) -> "Environment":
        return replace(self, layered=tuple(sorted({**dict(self.layered), **variables}.items())))

    @property
    def bin_dir(self) -> Path:
        return Path(self.python).parent

    def has_module(self, module: str) -> bool:
        code = f"import importlib.util, sys; sys.exit(0 if importlib.util.find_spec({module!r}) else 1)"
        try:
            done = subprocess.run([self.python, "-c", code], capture_output=True, timeout=30,
                                  env={**os.environ, **dict(self.layered)} if self.layered else None)
        except (OSError, subprocess.TimeoutExpired):
            return False
        return done.returncode == 0

    def require(self, module: str, why: str) -> None:
        """Raise MissingDependency naming the package and the command that installs it."""
        if not self.has_module(module):
            package = package_for(module)
            raise MissingDependency(
                f"{package} is not installed in the app's environment ({self.python}, {self.origin}); {why}",
                self.install_hint(package))

    def program(self, name: str) -> str:
        """A console script of the environment (uwsgi has no `python -m` form)."""
        path = self.bin_dir / name
        if not path.exists():
            package = package_for(name)
            raise MissingDependency(
                f"{name} is not installed in the app's environment ({self.python}, {self.origin})",
                self.install_hint(package))
        return str(path)

    def install_hint(self, package: str) -> str:
        if self.kind != "app":
            # not into Shipyard's own Python nor a shared cache: the app gets an environment of its own
            return "run again with --install to create the app's .venv with its requirements and the server"
        return f"install it: {self.python} -m pip install {package}"


# uWSGI is installed as its wheel, pyuwsgi (same `uwsgi` program, no compiler)
WHEEL_INSTEAD = {"uwsgi": "pyuwsgi"}


def package_for(module: str) -> str:
    from .detect.imports import distribution_for
    return WHEEL_INSTEAD.get(module) or distribution_for(module)


# where a virtualenv keeps its python on this system: a Windows one (Scripts/python.exe) committed with the app
# cannot run on Linux or macOS, and one made here has no Scripts/
_VENV_PYTHONS = ("Scripts/python.exe", "bin/python") if os.name == "nt" else ("bin/python",)


def venv_python(venv: Path) -> Path | None:
    for rel in _VENV_PYTHONS:
        if (venv / rel).exists() and _link_text(venv / rel) is None:
            return venv / rel
    return None


def _link_text(python: Path) -> str | None:
    """The target a committed bin/python names when it is a symlink written down as a plain file (a clone made
    where symlinks are not kept, or a repository that stored them as files: git then writes the link's target,
    `/usr/bin/python3.12`, as a 15-byte text file), else None. Such a file cannot run: the app has no python."""
    if os.name == "nt" or python.is_symlink() or not python.is_file():
        return None
    try:
        if python.stat().st_size > 255:
            return None
        text = python.read_bytes()
    except OSError:
        return None
    if b"\0" in text or text.startswith((b"#!", b"\x7fELF", b"MZ")) or b"\n" in text.rstrip(b"\n"):
        return None
    target = text.decode("utf-8", errors="replace").strip()
    return target if re.fullmatch(r"[\w./+-]*python[\w.]*", target) else None


def _windows_venv(venv: Path) -> bool:
    """A virtualenv made on Windows (Scripts/python.exe, no bin/python), on a system that is not."""
    return os.name != "nt" and (venv / "Scripts" / "python.exe").exists() and not (venv / "bin").exists()


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def app_environment(root: Path, environ: Mapping[str, str] | None = None) -> Environment | None:
    """The app's own environment, or None when it has none."""
    env = os.environ if environ is None else environ
    root = Path(root).resolve()
    active = env.get("VIRTUAL_ENV")
    if active and (py := venv_python(Path(active))) and _is_apps(Path(active), root):
        return Environment(str(py), f"active virtualenv {active}")
    for name in VENV_NAMES:
        venv = root / name
        if (venv / "pyvenv.cfg").exists() and (py := venv_python(venv)) and _made_with(venv, py) is None:
            return Environment(str(py), f"the app's {name}")
    for finder in (_uv_project_env, _poetry_env, _pipenv_env):
        found = finder(root, env)
        if found is not None:
            return found
    return None


def new_venv_folder(root: Path) -> Path:
    """Where serve/dev --install makes the app's virtualenv: the first of VENV_NAMES the app folder does not
    hold. A committed one that cannot run here (a Windows .venv, one of another Python) stays as it is, and
    app_environment finds the new one after it."""
    for name in VENV_NAMES:
        if not os.path.lexists(Path(root) / name):
            return Path(root) / name
    raise ShipyardError(f"{root} holds {', '.join(VENV_NAMES)} already, none of them a virtualenv that runs here: "
                        "no folder is left to make the app's own",
                        "remove the one that does not run here (rm -r .venv), then run again with --install")


def broken_venvs(root: Path) -> list[str]:
    """The app's virtualenv folders that have no working python (a dangling symlink), as notes."""
    out = []
    for name in VENV_NAMES:
        venv = Path(root) / name
        if not (venv / "pyvenv.cfg").exists():
            continue
        if (py := venv_python(venv)) is not None:
            if (versions := _made_with(venv, py)) is not None:
                # committed with the app from another machine: its site-packages are lib/python3.5/, which the
                # python its bin/python3 -> /usr/bin/python3 link finds here (3.11) never reads
                out.append(f"the app's {name} was made with Python {versions[0]} (its pyvenv.cfg) and its python "
                           f"runs {versions[1]} here (a virtualenv committed from another machine?), so the "
                           f"packages in it do not load (run with --install: Shipyard makes the app a {_beside(root)} "
                           "of its own beside it)")
            continue
        if _windows_venv(venv):
            # committed with the app (a course project's whole env/ folder): left as it is; --install makes .venv
            out.append(f"the app's {name} is a Windows virtualenv ({name}\\Scripts\\python.exe), which cannot run "
                       f"here (run with --install: Shipyard makes the app a {_beside(root)} of its own beside it)")
        elif (target := _link_text(venv / "bin" / "python")) is not None:
            # committed with the app from a machine that stored its symlinks as files: left as it is, like a
            # Windows one; --install makes the app's own beside it
            out.append(f"the app's {name} was committed without its symlinks (its bin/python is a text file naming "
                       f"{target}), so it cannot run here (run with --install: Shipyard makes the app a "
                       f"{_beside(root)} of its own beside it)")
        else:
            out.append(f"the app's {name} has no working python (a dangling symlink? recreate it: rm -r {name}, "
                       "then run with --install)")
    return out


def _beside(root: Path) -> str:
    try:
        return new_venv_folder(root).name
    except ShipyardError:
        return "virtualenv"


def _made_with(venv: Path, python: Path) -> tuple[str, str] | None:
    """(the Python pyvenv.cfg says the virtualenv was made with, the one its python runs) when their minor
    versions differ, else None (the same, or either not known)."""
    try:
        cfg = (venv / "pyvenv.cfg").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    made = re.search(r"^\s*version(?:_info)?\s*=\s*(3\.\d+)(\.\d+)?", cfg, re.M)
    if made is None:
        return None
    try:
        real = os.path.realpath(python)
        runs = _runs_version(real, os.stat(real).st_mtime_ns)
    except OSError:
        return None
    if runs is None or runs.rsplit(".", 1)[0] == made.group(1):
        return None
    return made.group(0).split("=", 1)[1].strip(), runs


@functools.lru_cache(maxsize=64)
def _runs_version(python: str, mtime: int) -> str | None:
    """The version the python runs, run once per interpreter file (app_environment is asked often; a .venv
    made again on another Python links another file)."""
    found = interpreter_info(python)
    return found.version if found else None


def _is_apps(venv: Path, root: Path) -> bool:
    """An active virtualenv is the app's when it lives in the app folder, or when the shell works in the app
    folder and it is not Shipyard's own environment (a user who activated it to work on this app)."""
    if _inside(venv, root):
        return True
    if Path(sys.prefix).resolve() == venv.resolve():
        return False
    try:
        return _inside(Path.cwd(), root)
    except OSError:
        return False


def _uv_project_env(root: Path, env: Mapping[str, str]) -> Environment | None:
    named = env.get("UV_PROJECT_ENVIRONMENT")
    if not named or not (root / "pyproject.toml").is_file():
        return None
    venv = Path(named) if Path(named).is_absolute() else root / named
    py = venv_python(venv)
    return Environment(str(py), f"the uv project environment {venv} (UV_PROJECT_ENVIRONMENT)") if py else None


def _poetry_env(root: Path, env: Mapping[str, str]) -> Environment | None:
    """Poetry keeps environments in its cache as NAME-HASH-pyX.Y; `poetry env info -p` says which."""
    if not (root / "poetry.lock").is_file() and "[tool.poetry]" not in _read(root / "pyproject.toml"):
        return None
    poetry = shutil.which("poetry", path=env.get("PATH"))
    if poetry:
        try:
            done = subprocess.run([poetry, "env", "info", "-p"], cwd=root, capture_output=True, text=True,
                                  timeout=20, stdin=subprocess.DEVNULL)
            path = done.stdout.strip()
            if done.returncode == 0 and path and (py := venv_python(Path(path))):
                return Environment(str(py), f"the Poetry environment {path}")
        except (OSError, subprocess.TimeoutExpired):
            pass
    name = _project_name(root) or root.name
    sanitized = re.sub(r'[ $`!*@"\\\r\n\t]', "_", name.lower().replace("_", "-").replace(".", "-"))[:42]
    digest = _b64_sha256(str(root))[:8]
    cache = Path(env.get("POETRY_VIRTUALENVS_PATH") or
                 Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pypoetry" / "virtualenvs")
    for venv in sorted(cache.glob(f"{sanitized}-{digest}-py*"), reverse=True):
        if (py := venv_python(venv)):
            return Environment(str(py), f"the Poetry environment {venv}")
    return None


def _pipenv_env(root: Path, env: Mapping[str, str]) -> Environment | None:
    """Pipenv names its environment NAME-HASH in WORKON_HOME (hash of the Pipfile's path)."""
    pipfile = root / "Pipfile"
    if not pipfile.is_file():
        return None
    home = Path(env.get("WORKON_HOME") or Path.home() / ".local" / "share" / "virtualenvs").expanduser()
    sanitized = re.sub(r'[ &$`!*@"()\[\]\\\r\n\t]', "_", root.name)[:42]
    exact = home / f"{sanitized}-{_b64_sha256(str(pipfile), 6)[:8]}"
    candidates = [exact] if exact.is_dir() else sorted(home.glob(f"{sanitized}-*"))
    for venv in candidates:
        if (py := venv_python(venv)) and _points_to(venv, root):
            return Environment(str(py), f"the Pipenv environment {venv}")
    return None


def _points_to(venv: Path, root: Path) -> bool:
    """Pipenv writes the project folder into .project; without it, trust the name match."""
    marker = venv / ".project"
    return not marker.is_file() or Path(_read(marker).strip()).resolve() == root


def _b64_sha256(text: str, size: int = 32) -> str:
    import base64
    return base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()[:size]).decode()


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _project_name(root: Path) -> str | None:
    match = re.search(r'(?m)^name\s*=\s*["\']([^"\']+)', _read(root / "pyproject.toml"))
    return match.group(1) if match else None


def own_environment() -> Environment:
    return Environment(sys.executable, "Shipyard's own Python", "own")


# --------------------------------------------------------------------------------------------- places

def cache_root(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "shipyard"


def find_uv(environ: Mapping[str, str] | None = None) -> str | None:
    """uv: on PATH, next to our interpreter (Shipyard depends on it), or the `uv` package's own binary."""
    env = os.environ if environ is None else environ
    found = shutil.which("uv", path=env.get("PATH"))
    if found:
        return found
    beside = Path(sys.executable).parent / "uv"
    if beside.exists():
        return str(beside)
    try:
        from uv import find_uv_bin  # type: ignore[import-not-found]
        return find_uv_bin()
    except (ImportError, FileNotFoundError):
        return None


# --------------------------------------------------------------------------------------------- pythons

@dataclass(frozen=True)
class Interpreter:
    path: str
    version: str          # "3.11.7"

    @property
    def minor(self) -> str:
        return ".".join(self.version.split(".")[:2])


def interpreter_info(path: str) -> Interpreter | None:
    """The interpreter's version, or None when it does not run (a pyenv shim of a version not selected)."""
    try:
        done = subprocess.run([path, "-c", "import sys, venv; print('%d.%d.%d' % sys.version_info[:3])"],
                              capture_output=True, text=True, timeout=15, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    version = done.stdout.strip()
    return Interpreter(path, version) if done.returncode == 0 and re.fullmatch(r"3\.\d+\.\d+", version) else None


def _candidates(minor: int, env: Mapping[str, str]) -> list[str]:
    """Paths that may hold CPython 3.<minor>: PATH (pyenv shims skipped: pyenv's folders are read directly),
    the system's folders, pyenv's versions, uv's managed Pythons."""
    name = f"python3.{minor}"
    paths = []
    found = shutil.which(name, path=env.get("PATH"))
    if found and "/shims/" not in found:
        paths.append(found)
    paths += [f"{d}/{name}" for d in ("/usr/bin", "/usr/local/bin")]
    pyenv = Path(env.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    paths += sorted((str(p) for p in pyenv.glob(f"3.{minor}.*/bin/{name}")), reverse=True)
    uv_dir = Path(env.get("UV_PYTHON_INSTALL_DIR") or
                  Path(env.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "uv" / "python")
    paths += sorted((str(p) for p in uv_dir.glob(f"cpython-3.{minor}.*/bin/{name}")), reverse=True)
    if sys.version_info[:2] == (3, minor):
        paths.append(sys.executable)
    return list(dict.fromkeys(p for p in paths if os.access(p, os.X_OK)))


def python_of(minor: int, environ: Mapping[str, str] | None = None) -> Interpreter | None:
    """A working interpreter of Python 3.<minor> on this machine, or None."""
    env = os.environ if environ is None else environ
    for path in _candidates(minor, env):
        info = interpreter_info(path)
        if info is not None and info.minor == f"3.{minor}":
            return info
    return None


OLDEST, NEWEST = 8, 15      # Python 3 minors worth considering


def installed_pythons(environ: Mapping[str, str] | None = None) -> list[Interpreter]:
    """Every working CPython 3.8+ on this machine, one per minor version."""
    return [info for minor in range(OLDEST, NEWEST + 1) if (info := python_of(minor, environ))]


def choose_python(wanted: str, environ: Mapping[str, str] | None = None) -> tuple[Interpreter, str]:
    """(interpreter of the `wanted` minor version, note) — else the nearest installed one, with a note that
    names both. Never fails for a version mismatch alone."""
    want = int(wanted.split(".")[1])
    exact = python_of(want, environ)
    if exact is not None:
        return exact, ""
    # nearest first, the newer one on a tie
    for gap in range(1, NEWEST - OLDEST + 1):
        for minor in (want + gap, want - gap):
            if OLDEST <= minor <= NEWEST and (info := python_of(minor, environ)):
                return info, (f"the app asks for Python {wanted}, which is not installed here; using "
                              f"{info.minor} ({info.path}), the nearest installed")
    raise EnvironmentUnavailable("no working Python 3 interpreter found on this machine",
                                 "install one (python3 from your system's packages)")


def older_python(python: Interpreter, environ: Mapping[str, str] | None = None,
                 requires: str | None = None) -> Interpreter | None:
    """The newest installed Python older than `python` (that the app's requires-python admits), or None."""
    return next(iter(older_pythons(python, environ, requires)), None)


def older_pythons(python: Interpreter, environ: Mapping[str, str] | None = None,
                  requires: str | None = None) -> list[Interpreter]:
    """The installed Pythons older than `python` (down to 3.6, which old apps still name) that the app's own
    requires-python admits, newest first: an app that asks for 3.14 gains nothing from 3.8."""
    minor = int(python.minor.split(".")[1])
    return [found for m in range(minor - 1, 5, -1)
            if (found := python_of(m, environ)) and admits(requires, found.version)]


def has_wheel(pin: str, python: Interpreter) -> bool:
    """Whether `pin` ("greenlet==1.1.2") has a wheel that installs on `python` (asks the index, builds nothing)."""
    return _wheel_resolution(pin, python) is not None


def _wheel_resolution(requirement: str, python: Interpreter, *extra: str) -> str | None:
    """uv's answer ("NAME==VERSION") for `requirement` from wheels alone on `python`, or None."""
    uv = find_uv()
    if not uv:
        return None
    try:
        done = subprocess.run([uv, "pip", "compile", "-", "--no-deps", "--only-binary", ":all:", "--python",
                               python.path, "--no-header", "--no-annotate", "--quiet", *extra],
                              input=requirement + "\n", capture_output=True, text=True, timeout=60,
                              env=dict(os.environ, NO_COLOR="1"))
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r"(?m)^(\S+==\S+)", done.stdout) if done.returncode == 0 else None
    return found.group(1) if found else None


WHEEL_CHECKS = 40     # exact pins asked about one by one, at most (each a uv resolution against the index)


def wheels_python(requirements: Iterable[str], python_version: str, environ: Mapping[str, str] | None = None
                  ) -> tuple[str, str] | None:
    """(an older installed Python, why) that an install of these requirements on `python_version` would have moved
    to (on_older_pythons, retry_python): an exact pin with no wheel for it (Pillow==9.1.1 on 3.12: its C source no
    longer builds there) installs from the newest older Python that has its wheel; several such pins, the oldest of
    those. A pin with no wheel anywhere (psycopg2, always built) moves nothing. For a proof environment whose build
    ran out of time: the plan chooses the Python a finished build would have. None when nothing moves."""
    try:
        python, _ = choose_python(python_version, environ)
    except EnvironmentUnavailable:
        return None
    pins = [r.strip() for r in requirements if _exactly_pinned(r) and "@" not in r and ";" not in r]
    if not pins or _wheel_resolutions(pins, python):
        return None
    moved: tuple[Interpreter, str] | None = None
    olders = older_pythons(python, environ)
    for pin in pins[:WHEEL_CHECKS]:
        if has_wheel(pin, python):
            continue
        there = next((candidate for candidate in olders if has_wheel(pin, candidate)), None)
        if there is not None and (moved is None or _minor_key(there.minor) < _minor_key(moved[0].minor)):
            moved = (there, f"{pin} has no wheel for Python {python.minor} and one for {there.minor} (the proof "
                            f"environment's build ran out of time before its install could say so)")
    return (moved[0].minor, moved[1]) if moved is not None else None


def _minor_key(minor: str) -> tuple[int, ...]:
    return tuple(int(p) for p in minor.split(".") if p.isdigit())


def _wheel_resolutions(pins: list[str], python: Interpreter) -> bool:
    """Whether every pin of `pins` resolves from wheels alone on `python` (one uv resolution, nothing installed)."""
    uv = find_uv()
    if not uv:
        return True          # cannot tell: nothing moves
    try:
        done = subprocess.run([uv, "pip", "compile", "-", "--no-deps", "--only-binary", ":all:", "--python",
                               python.path, "--no-header", "--no-annotate", "--quiet"],
                              input="\n".join(pins) + "\n", capture_output=True, text=True, timeout=120,
                              env=dict(os.environ, NO_COLOR="1"))
    except (OSError, subprocess.TimeoutExpired):
        return True
    return done.returncode == 0


def released_before(pin: str, day: str, python: str) -> bool:
    """Whether the release `pin` ("Werkzeug==0.15.3") was on the index before `day` ("2019-10-14"), as uv's
    --exclude-newer sees it (`python`: an interpreter it installs on). False when uv cannot tell."""
    uv = find_uv()
    if not uv:
        return False
    try:
        done = subprocess.run([uv, "pip", "compile", "-", "--no-deps", "--python", python, "--exclude-newer",
                               f"{day[:10]}T00:00:00Z", "--no-header", "--no-annotate", "--quiet"],
                              input=pin + "\n", capture_output=True, text=True, timeout=60,
                              env=dict(os.environ, NO_COLOR="1"))
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and re.search(r"(?m)^\S+==\S+", done.stdout) is not None


def nearest_wheel_release(pin: str, python: Interpreter) -> str | None:
    """For an exact pin that does not build here ("psycopg2==2.5.3": its setup.py cannot read this machine's
    libpq version), the nearest later release of the same major version that has a wheel for `python`
    ("psycopg2==2.7"), or None: the least change that installs without building."""
    match = re.fullmatch(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*(\d+)((?:\.\d+)*)\s*", pin)
    if not match:
        return None
    name, major = match.group(1), int(match.group(2))
    return _wheel_resolution(f"{name}>{match.group(2)}{match.group(3)},<{major + 1}", python,
                             "--resolution", "lowest")


def retry_python(python: Interpreter, failure: EnvironmentUnavailable,
                 environ: Mapping[str, str] | None = None,
                 requires: str | None = None) -> tuple[Interpreter, str] | None:
    """(an older Python on this machine the failed install may succeed on, why), or None when none would help.
    Old pins often install only on an older Python: a release with wheels up to 3.10 and C source that no
    longer compiles (or needs a system library) on 3.12, or a Requires-Python bound. Never one the app's own
    `requires` excludes. Not after the time limit: the budget is spent (and its message's "no wheel for this
    Python" is no build failure), so the plan takes the Python the pins' wheels say (wheels_python) instead."""
    if failure.timed_out:
        return None
    newer = newer_python_needed(python, failure, environ, requires)
    if newer is not None:
        return newer
    if failure.unbuilt and "@" not in failure.unbuilt:
        olders = older_pythons(python, environ, requires)
        for older in olders:
            if has_wheel(failure.unbuilt, older):
                return older, f"{failure.unbuilt} has a wheel for Python {older.minor}"
        # no later release of it has a wheel here either, so on_older_pythons cannot replace the pin on this
        # Python: psycopg2 2.6.1 of a 2016 Wagtail site (its setup.py cannot read libpq 15's version) on 3.8, where
        # psycopg2 ships no Linux wheel after 2.7.x. An older Python that a later release has a wheel for takes it.
        if olders and nearest_wheel_release(failure.unbuilt, python) is None:
            for older in olders:
                if (instead := nearest_wheel_release(failure.unbuilt, older)) is not None:
                    return older, (f"{failure.unbuilt} does not build and no later release has a wheel for "
                                   f"{python.minor}; {instead}, its nearest later release, has one for {older.minor}")
    # a Requires-Python bound, or a source build that fails on this Python (setup.py importing `imp`)
    if failure.python_bound or "this Python" in failure.message:
        older = older_python(python, environ, requires)
        return (older, "the next older one") if older else None
    return None


# what uv says when the pins need a newer Python than the one installing them: a pin whose releases require it
# ("django==5.0.7 depends on Python>=3.10"), or a dependency that differs below it and conflicts there
# ("botocore==1.34.144 depends on urllib3{python_full_version < '3.10'}>=1.25.4,<1.27": pins frozen on 3.10+)
_NEEDS_NEWER = re.compile(r"depends on\s+Python>=(3\.\d+)|\{python_(?:full_)?version < '(3\.\d+)")


def newer_python_needed(python: Interpreter, failure: EnvironmentUnavailable,
                        environ: Mapping[str, str] | None = None,
                        requires: str | None = None) -> tuple[Interpreter, str] | None:
    """(the installed Python the failed install's pins ask for, why) when they ask for a newer one than `python`:
    pins frozen on a newer Python than the app declares (runtime.txt's python-3.8.5 beside Django 5.0, which
    requires 3.10). The oldest installed Python from the version they need up, that the app's requires-python
    admits; None when the pins do not say so, or none is installed."""
    needed = [tuple(int(p) for p in version.split(".")) for match in _NEEDS_NEWER.finditer(failure.output or "")
              for version in match.groups() if version]
    current = tuple(int(p) for p in python.minor.split("."))
    floor = max(needed, default=current)
    if floor <= current:
        return None
    for minor in range(floor[1], NEWEST + 1):
        found = python_of(minor, environ)
        if found is not None and admits(requires, found.version):
            return found, f"its pins need Python {floor[0]}.{floor[1]} or newer"
    return None


RETRIES = 5        # other Pythons tried after the first, at most (3.12 down to 3.7)

# Packaging tools a pip freeze of their time lists beside the app's packages, which today's setuptools (in every
# virtualenv) replaces: normalized name -> (why the install goes without it, what the user may do). distribute, the
# setuptools fork of 2008-2013, was merged back into setuptools 0.7; its 0.6 releases build on no Python 3 here,
# and installed they would stand in for the virtualenv's setuptools. Older Pythons do not help: left out first.
SUPERSEDED = {"distribute": ("it is the fork of setuptools merged back into setuptools 0.7 (2013), which every "
                             "virtualenv has", "remove it from the app's requirements")}


def on_older_pythons(python: Interpreter, spec: "InstallSpec", attempt: Callable[[Interpreter, "InstallSpec"], T],
                     say: Say | None, environ: Mapping[str, str] | None = None,
                     notes: list[str] | None = None, unselected: Mapping[str, str] | None = None,
                     unneeded: Mapping[str, tuple[str, str]] | None = None) -> T:
    """attempt(python, spec); when it fails in a way an older Python may fix (or the newer one its pins ask for:
    newer_python_needed), attempt(older, spec) with a note (in `notes` too), at most RETRIES times, never on a
    Python tried before; when none would, and an exact pin does not build here, again
    with the nearest later release of it that has a wheel (or without it, a backport of a module this Python
    has), with a note. A database driver that does not build here and that nothing in the app selects
    (`unselected`: normalized name -> its database, detect/services.unselected_drivers), a packaging tool today's
    setuptools replaces (SUPERSEDED: a 2013 freeze's distribute), or another package the app does not need
    (`unneeded`: normalized name -> (why, what the user may do): a server only its launcher imports,
    detect/unneeded_servers.py), is left out first, with a note. The last failure is raised."""
    requires = own_requires_python(spec.editable) if spec.editable else None
    older_tries, replaced, tried = 0, set(), set()
    leavable = {**{name: (f"nothing in the app selects {database} (no {database} URL, engine or dialect in its "
                          f"code or configuration)", f"remove it from the app's requirements if the app never uses "
                                                     f"{database}")
                   for name, database in (unselected or {}).items()}, **SUPERSEDED, **(unneeded or {})}
    moved_for = None
    while True:
        if moved_for != python.minor:
            spec, moved_for = _with_known_moves(spec, python, say, environ), python.minor
            spec = _without_shadowed(spec, python, say, notes, environ)
        try:
            return attempt(python, spec)
        except EnvironmentUnavailable as exc:
            # a package the app never uses, or a Python 2 backport of a module this Python has (wsgiref 0.1.2, which
            # no Python 3 builds), is left out before its Python is changed for it; so is a pin whose setup.py is
            # Python 2 code (python-ldap 2.4.15) that the code never imports, before _without_unneeded's resolutions
            # of the other pins (100 s of a 2014 freeze's sdists' metadata builds) that no Python 3 would reward
            without = _without_leavable(spec, exc.unbuilt, leavable) or _without_backport(spec, exc.unbuilt, python) \
                or (_without_unused(spec, exc.unbuilt) if PYTHON2_SETUP in exc.message else None) \
                or (None if exc.unloadable or older_tries else _without_unneeded(spec, exc.unbuilt, python, environ))
            found = retry_python(python, exc, environ, requires) if older_tries < RETRIES and not without else None
            if found is not None and found[0].minor in tried:
                found = None
            if without is not None:
                spec, note = without
                _keep_dropped(exc.unbuilt, python, environ)
            elif found is not None:
                older, why = found
                note = (f"the pins do not install on Python {python.minor} ({exc.message}); using {older.minor} "
                        f"({older.path}): {why}")
                tried.add(python.minor)
                python, older_tries = older, older_tries + 1
            else:
                # each pin replaced at most once: its replacement failing too is the app's to fix
                pin = exc.unloadable or exc.unbuilt
                instead = None if pin in replaced else \
                    _loading_release(spec, pin, python) if exc.unloadable else _replacement(spec, pin, python)
                if instead is None:
                    # the last resort, after older Pythons and later releases: a requirement the app never uses
                    # that builds nowhere here (an unpinned pycurl of 2019, sdist only, without libcurl's headers)
                    unused = None if exc.unloadable else _without_unused(spec, exc.unbuilt)
                    if unused is None:
                        raise
                    spec, note = unused
                    if notes is not None:
                        notes.append(note)
                    if say:
                        say(note)
                    continue
                if len(instead[0].requirements) < len(spec.requirements):
                    _keep_dropped(pin, python, environ)         # a backport left out, not a release replaced
                else:
                    _keep_moved(pin, spec, instead[0], python, environ, bool(exc.unloadable))
                spec, note = instead
                replaced.add(pin)
            if notes is not None:
                notes.append(note)
            if say:
                say(note)


def _with_known_moves(spec: "InstallSpec", python: Interpreter, say: Say | None,
                      environ: Mapping[str, str] | None) -> "InstallSpec":
    """`spec` with the exact pins that installs on `python` moved before (moved_pins.py: psycopg2 2.7.1, whose wheel
    bundles a libpq that does not load here, to 2.7.3.1) moved the same way from the start: each failed install
    that found the move took a minute. The plan carries the same moves (planner._move_pins), with their notes."""
    from . import moved_pins
    known = moved_pins.known(cache_root(environ))
    found = moved_pins.for_requirements(spec.requirements, known, python.minor) if known else {}
    if not found:
        return spec
    for line, move in found.items():
        if say:
            say(f"{line} on Python {python.minor}: installing {move.instead}, which installs here took before "
                f"({move.why})")
    return replace(spec, requirements=tuple(found[r].instead if r in found else r for r in spec.requirements))


def _keep_dropped(pin: str, python: Interpreter, environ: Mapping[str, str] | None) -> None:
    """That the exact pin `pin`, which does not build on `python`, was left out for good (a packaging tool today's
    setuptools replaces, a backport of a module its standard library has): kept in the cache (dropped_pins.py), so
    that the plan, and the image, leave it out too. Other packages left out (a driver nothing selects, a server only
    a launcher imports) the image installs as written, with the system packages they build with."""
    from . import dropped_pins
    name = canonicalize_name(pin.partition("==")[0].strip()) if pin else ""
    release = dropped_pins.release_of(pin) if pin else None
    if not release:
        return
    if name in SUPERSEDED:
        why = SUPERSEDED[name][0]
    elif _in_standard_library(name, python):
        why = f"{name} is part of its standard library (the package is its backport for Python 2)"
    else:
        return
    dropped_pins.remember(cache_root(environ), dropped_pins.Dropped(release, python.minor, why))


def _keep_moved(pin: str, before: "InstallSpec", after: "InstallSpec", python: Interpreter,
                environ: Mapping[str, str] | None, unloadable: bool) -> None:
    """That the exact pin `pin` was replaced on `python` by the release `after` has instead of it: kept in the cache
    (moved_pins.py), so that the plan, and the image, install that release too."""
    from . import dropped_pins, moved_pins
    release = dropped_pins.release_of(pin) if pin else None
    instead = next((dropped_pins.release_of(r.split(";")[0]) for r in after.requirements
                    if r not in before.requirements), None)
    if not release or not instead:
        return
    why = ("its wheel bundles a library that does not load on this system" if unloadable
           else f"it has no wheel for Python {python.minor} and does not build there")
    moved_pins.remember(cache_root(environ), moved_pins.Replaced(release, instead, python.minor, why))


def _same_pin(one: str, other: str) -> bool:
    """Whether two `NAME==VERSION` lines pin the same distribution to the same version ("Flask_Bcrypt==0.6"
    and uv's "flask-bcrypt==0.6")."""
    def key(line: str) -> tuple[str, str] | None:
        name = _exactly_pinned(line)
        return (name, line.partition("==")[2].strip()) if name else None
    return key(one) is not None and key(one) == key(other)


def _replacement(spec: "InstallSpec", pin: str, python: Interpreter) -> tuple["InstallSpec", str] | None:
    """(`spec` with the exact pin that did not build replaced by its nearest later release with a wheel for
    `python`, or left out when it is a Python 2 backport of a module this Python's standard library has
    (wsgiref 0.1.2), note), or None when it names no such pin."""
    line = next((r for r in spec.requirements if pin and _same_pin(r.split(";")[0], pin)), None)
    if line is None:
        return None
    instead = nearest_wheel_release(pin, python)
    if instead is not None:
        note = (f"{pin} does not build here and has no wheel for Python {python.minor}: installing {instead} "
                f"instead, its nearest later release with one (the generated image installs it too: relax the pin "
                f"in the app's requirements to {instead})")
        return _with_release(spec, line, instead), note
    return _without_backport(spec, pin, python)


# (cache folder, note) of each "left out up front" line _without_shadowed said in this process
_SHADOWED_SAID: set[tuple[str, str]] = set()


def _without_shadowed(spec: "InstallSpec", python: Interpreter, say: Say | None, notes: list[str] | None,
                      environ: Mapping[str, str] | None = None) -> "InstallSpec":
    """`spec` without the requirements named after a module of `python`'s standard library (a 2014 freeze's
    wsgiref==0.1.2, argparse, typing, asyncio): the standard library comes first on sys.path, so the installed
    package would never be imported, and the Python 2 backports among them do not build (wsgiref's setup.py is
    Python 2 code), each failed build a minute of a cold install before _without_backport left it out. Said once."""
    shadowed = [r for r in spec.requirements if not r.lstrip().startswith("-")
                and _written_module(r) in sys.stdlib_module_names
                and _in_standard_library(_written_module(r), python)]
    if not shadowed:
        return spec
    names = ", ".join(r.split(";")[0].strip() for r in shadowed)
    note = (f"{names} left out up front: Python {python.minor}'s standard library has "
            f"{'that module' if len(shadowed) == 1 else 'those modules'}, which Python imports before any installed "
            "package (a Python 2 backport; remove it from the app's requirements)")
    # serve installs twice in one run (the proof's environment, then the app's .venv), each leaving the same pins
    # out: one line says it, once per cache folder and process
    said = (str(cache_root(environ)), note)
    if say and said not in _SHADOWED_SAID:
        _SHADOWED_SAID.add(said)
        say(note)
    if notes is not None:
        notes.append(note)
    from . import dropped_pins
    for line in shadowed:
        # kept as a dropped pin (dropped_pins.py): the plan, and the image, leave it out too
        if release := dropped_pins.release_of(line.split(";")[0]):
            name = release.partition("==")[0]
            dropped_pins.remember(cache_root(environ), dropped_pins.Dropped(
                release, python.minor, f"{name} is part of its standard library (the package is its backport for "
                                       "Python 2)", fault=f"Python {python.minor} never imports (its standard "
                                                          "library's module comes first on sys.path)"))
    return replace(spec, requirements=tuple(r for r in spec.requirements if r not in shadowed))


def _without_backport(spec: "InstallSpec", pin: str, python: Interpreter) -> tuple["InstallSpec", str] | None:
    """(`spec` without the exact pin that did not build, note) when it is a Python 2 backport of a module the
    standard library of `python` has (wsgiref 0.1.2), else None."""
    line = next((r for r in spec.requirements if pin and _same_pin(r.split(";")[0], pin)), None)
    name = pin.partition("==")[0].strip()
    if not name or not _in_standard_library(name, python):
        return None
    if line is None:
        # not the app's pin: a package it pins requires it (static 0.4 requires wsgiref): resolved away (uv's
        # overrides), since the standard library's module is the one imported anyway
        never = f"{name} ; python_version < '0'"
        if never in spec.overrides:
            return None
        note = (f"{pin} does not build here: a package the app requires depends on it, and {name} is part of "
                f"Python {python.minor}'s standard library (the package is its backport for Python 2), so it is "
                f"left out")
        return replace(spec, overrides=(*spec.overrides, never)), note
    note = (f"{pin} does not build here: {name} is part of Python {python.minor}'s standard library (the package "
            f"is its backport for Python 2), so it is left out (the generated image leaves it out too: remove "
            f"it from the app's requirements)")
    return replace(spec, requirements=tuple(r for r in spec.requirements if r is not line)), note


def _loading_release(spec: "InstallSpec", pin: str, python: Interpreter) -> tuple["InstallSpec", str] | None:
    """(`spec` with the exact pin whose wheel bundles a library this system cannot load replaced by its nearest
    later release with a wheel for `python`, note), or None when the app does not pin it or there is none."""
    line = next((r for r in spec.requirements if _same_pin(r.split(";")[0], pin)), None)
    instead = nearest_wheel_release(pin, python) if line is not None else None
    if instead is None:
        return None
    note = (f"{pin}'s wheel bundles a library that does not load on this system: installing {instead} instead, its "
            f"nearest later release (the generated image installs it too: relax the pin in the app's requirements "
            f"to {instead})")
    return _with_release(spec, line, instead), note


def _with_release(spec: "InstallSpec", line: str, instead: str) -> "InstallSpec":
    """`spec` with the requirement `line` replaced by the release `instead`, its environment marker kept."""
    marker = line.partition(";")[2].strip()
    return replace(spec, requirements=tuple((f"{instead}; {marker}" if marker else instead) if r is line else r
                                            for r in spec.requirements))


def _without_leavable(spec: "InstallSpec", pin: str,
                        leavable: Mapping[str, tuple[str, str]]) -> tuple["InstallSpec", str] | None:
    """(`spec` without the package `pin` names, note) when the app does not need it (`leavable`: normalized name
    -> (why, what the user may do)), else None. Before, the install stopped on a driver the app never imports
    (mysqlclient without MySQL's headers), or on a server only its own launcher runs (bjoern without libev's)."""
    name = canonicalize_name(re.split(r"[\s=<>!~;@\[(]", pin, maxsplit=1)[0]) if pin else ""
    if name not in leavable:
        return None
    why, advice = leavable[name]
    kept = tuple(r for r in spec.requirements if _requirement_name(r) != name)
    if kept == spec.requirements:
        return None                       # not the app's own requirement: another package needs it
    image = "the generated image leaves it out too" if name in SUPERSEDED else \
        "the generated image installs it as written, with the system packages it builds with"
    note = f"{pin} does not build here, and {why}: installed without it ({image}; {advice})"
    return replace(spec, requirements=kept), note


def _without_unneeded(spec: "InstallSpec", pin: str, python: Interpreter,
                      environ: Mapping[str, str] | None) -> tuple["InstallSpec", str] | None:
    """(`spec` without the line `pin` names and the lines that pull it in, note) when `pin`, an exact pin of the
    app's that does not build here, is a freeze's leftover: the app's code never uses it (used_by), what the lines
    it uses resolve to leaves it out, and so do they for the lines that pull it in (a 2025 FastAPI login app's freeze
    of another project's venv: av==14.4.0, brought by faster-whisper, needs FFmpeg's headers; neither is imported).
    Tried before any older Python: those ran out (contourpy 1.3.1 refused 3.9) before the last resort,
    _without_unused, came. A pin the used lines need (pydantic-core under FastAPI) still moves to an older Python.
    None when that cannot be told (a resolution that fails) or does not hold."""
    if not pin or "==" not in pin or not spec.app_root:
        return None
    name = _requirement_name(pin)
    lines = {_requirement_name(r): r for r in spec.requirements}
    used = set(used_by(Path(spec.app_root)))
    if name not in lines or name in used:
        return None
    with tempfile.TemporaryDirectory(prefix="shipyard-unneeded-") as tmp:
        log = Path(tmp) / "resolve.log"
        needed = resolved_names(python.path, replace(spec, requirements=tuple(r for n, r in lines.items() if n in used)),
                                log=log, timeout=120) if used & set(lines) else set()
        if needed is None or name in needed:
            return None
        pulling = pulled_in_by(python.path, replace(spec, requirements=tuple(r for n, r in lines.items() if n != name)),
                               name, log=log, timeout=120)
    if pulling is None or pulling & (used | needed):
        return None
    left = [lines[name], *(lines[n] for n in sorted(pulling) if n in lines)]
    # the freeze's other leftovers that would stop the next build the same way (uv stops at the first failure: a
    # 2023 freeze of an unrelated environment, numpy 1.24.1, yarl 1.8.2, httptools 0.5.0 on 3.12, took one build of
    # a minute or two each): its exact pins nothing used needs that have no wheel for this Python, left out at once
    others = _unbuilt_leftovers(spec, python, {_requirement_name(r) for r in left} | used | needed)
    note = (f"{pin} does not build here, and neither the app's code nor what it imports uses it"
            + (f" (nor {', '.join(_requirement_name(r) for r in left[1:])}, which pull{'s' if len(left) == 2 else ''}"
               f" it in)" if left[1:] else "")
            + f": installed without {'them' if left[1:] else 'it'} on Python {python.minor}, before any older Python "
            "is tried (a leftover of the environment the requirements were frozen from; remove "
            f"{'them' if left[1:] else 'it'} from the app's requirements)")
    if others:
        note += (f"; so are {', '.join(r.strip() for r in others)}, which nothing the app uses needs "
                 f"either and which have no wheel for Python {python.minor} (each would stop a build the same way)")
    return replace(spec, requirements=tuple(r for r in spec.requirements if r not in left and r not in others)), note


def _unbuilt_leftovers(spec: "InstallSpec", python: Interpreter, kept: set[str]) -> list[str]:
    """The exact pins of `spec` whose names are not in `kept` (what the app uses and what that needs) that have no
    wheel for `python` (each would be built from source), at most WHEEL_CHECKS asked about, a few at a time."""
    import concurrent.futures
    # (a line with a marker is left as it is: on another platform or Python it may not be installed at all)
    candidates = [r for r in spec.requirements if _exactly_pinned(r) and ";" not in r and "@" not in r
                  and _requirement_name(r) not in kept][:WHEEL_CHECKS]
    if not candidates:
        return []
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        wheels = list(pool.map(lambda r: _wheel_resolution(r.strip(), python, *spec.index_options), candidates))
    return [r for r, wheel in zip(candidates, wheels) if wheel is None]


def _without_unused(spec: "InstallSpec", pin: str) -> tuple["InstallSpec", str] | None:
    """(`spec` without the app's own requirement `pin` names, note) when nothing in the app uses it: its code never
    imports it, and neither its settings, database URLs nor servers name it (used_by); else None."""
    if not pin or not spec.app_root:
        return None
    name = canonicalize_name(re.split(r"[\s=<>!~;@\[(]", pin, maxsplit=1)[0])
    if name in used_by(Path(spec.app_root)):
        return None
    return _without_leavable(spec, pin, {name: ("the app's code never imports it (nor do its settings name it)",
                                                "remove it from the app's requirements if it is not needed")})


def _in_standard_library(name: str, python: Interpreter) -> bool:
    """Whether `name` is a module of the standard library of `python` (a base interpreter, not a virtualenv)."""
    if name not in sys.stdlib_module_names:
        return False
    code = f"import importlib.util, sys; sys.exit(0 if importlib.util.find_spec({name!r}) else 1)"
    try:
        return subprocess.run([python.path, "-I", "-S", "-c", code], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


# --------------------------------------------------------------------------------------------- installs

@dataclass(frozen=True)
class InstallSpec:
    """What to install: requirement lines, index options taken from the app's requirement files, and the
    date unpinned packages are resolved as of (uv's --exclude-newer)."""
    requirements: tuple[str, ...]
    index_options: tuple[str, ...] = ()
    exclude_newer: str | None = None      # "2019-05-01T00:00:00Z"
    editable: str | None = None           # the app's own folder, when it is itself a package
    constraints: tuple[str, ...] = ()     # NAME==VERSION of the packages the app's lock file pins (uv -c)
    undated: tuple[str, ...] = ()         # packages resolved as of today all the same (none before the date)
    build_constraints: tuple[str, ...] = ()   # for source builds' environments ("setuptools<46"; uv -b)
    held: tuple[str, ...] = ()            # the releases that need them ("django-allauth==0.42.0"): installed first,
                                          # alone, with them; the rest builds with today's tools
    app_root: str | None = None           # the app's folder: its imports say which of two conflicting pins
                                          # gives way (pin_conflicts.py); not in the key
    local: tuple[str, ...] = ()           # the project's own distributions the app imports (greeter-lib/ with its
                                          # setup.py, which its README installs by hand): installed editable
    # ((package, requirement lines), ...): sdists whose build imports those packages (build_needs.py), given to
    # uv as its extra-build-dependencies setting (peewee-db-evolve built with the app's peewee==3.8.2)
    build_needs: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # uv's overrides: a Python 2 backport another package pulls in ("wsgiref ; python_version < '0'" for static 0.4's
    # wsgiref, which no Python 3 builds) is resolved away with a marker that never holds
    overrides: tuple[str, ...] = ()

    def key(self, python: Interpreter) -> str:
        data = json.dumps([python.version, sorted(self.requirements), list(self.index_options),
                           self.exclude_newer, self.editable]
                          + ([sorted(self.constraints)] if self.constraints else [])
                          + ([sorted(self.undated)] if self.undated else [])
                          + ([sorted(self.build_constraints)] if self.build_constraints else [])
                          + ([["local", *self.local]] if self.local else [])
                          + ([["build_needs", *map(list, self.build_needs)]] if self.build_needs else [])
                          + ([["overrides", *sorted(self.overrides)]] if self.overrides else []))
        return hashlib.sha256(data.encode()).hexdigest()[:16]


def install(python: str, spec: InstallSpec, *, log: Path, timeout: float, say: Say | None,
            what: str, environ: Mapping[str, str] | None = None, resolve_only: bool = False,
            compile_bytecode: bool = False) -> None:
    """Install `spec` into the environment of `python` with uv (pip when uv cannot be had). Raises
    EnvironmentUnavailable with one line saying which package failed and why; the full log is in `log`.
    A failure that one of the retry steps recognises (install_retries.py: releases uv cannot read, an old
    setup.py needing the build tools of its time, two pins that contradict each other, a package published after
    the resolution date) is installed again with what that step changes, with a note. Packages the app's own
    older pkg_resources would not find are then built again (old_pkg_resources.py). `resolve_only`: uv resolves
    `spec` for the interpreter `python` and installs nothing, with the same retries (what they learn is kept all
    the same). `compile_bytecode`: the app's own environment, whose server workers import it (_compile_bytecode);
    a proof environment imports the app once and stays as it is."""
    from . import bundled_libs, module_clashes, old_pkg_resources, python2_sources
    from .install_retries import Attempt, changed, retry_steps, with_known_build_needs, with_known_holds
    at, steps = Attempt(python, log, timeout, say, environ), retry_steps()
    spec = with_known_build_needs(with_known_holds(spec, at), at)
    while True:
        try:
            (_resolve if resolve_only else _install)(python, spec, log=log, timeout=timeout, say=say, what=what)
        except EnvironmentUnavailable as exc:
            again = changed(exc, spec, at, steps)
            if again is None:
                raise
            spec = again
            continue
        if resolve_only:
            break
        old_pkg_resources.rebuild_hidden(python, spec, log=log, timeout=timeout, say=say)
        module_clashes.repair(python, spec, log=log, timeout=timeout, say=say, cache=cache_root(environ))
        python2_sources.rebuild(python, spec, log=log, timeout=timeout, say=say, cache=cache_root(environ))
        broken = bundled_libs.unloadable(python)
        if broken is None:
            if compile_bytecode:
                _compile_bytecode(python, log=log, timeout=timeout)
            break
        pin, library, why = broken
        error = EnvironmentUnavailable(f"{what} failed: {pin}'s wheel bundles {library}, which does not load "
                                       f"on this system ({why})", f"relax the pin to a later release of "
                                                                 f"{pin.partition('==')[0]}; full log: {log}")
        error.unloadable = pin
        # a release the install chose itself (the app leaves the package open) goes to a later one here
        # (install_retries.DatedReleaseUnbuilt); an exact pin of the app's is the caller's to replace
        again = changed(error, spec, at, steps)
        if again is None:
            raise error
        spec = again


# how long compiling an environment's bytecode may take: a step that only saves time later must not cost more
BYTECODE_SECONDS = 300.0


def _compile_bytecode(python: str, *, log: Path, timeout: float) -> None:
    """Compile the environment's modules to bytecode once, as pip does after an install and uv does not: else
    every server worker compiles each module it imports from source at each start, all at once (five gunicorn
    workers each compiling nltk's 346 modules outlived the 30 s worker timeout on a loaded machine), and for
    good where PYTHONDONTWRITEBYTECODE is set, as in many Docker setups. compileall, which works on every Python
    3 (uv's own step needs 3.7); a module that does not compile (a package's Python 2 file) is skipped, as pip
    skips it, and a failure of this step fails nothing."""
    prefix = Path(python).parent.parent
    if not (prefix / "pyvenv.cfg").is_file():
        return                              # not a virtualenv of ours (a system Python): nothing to write into
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"$ {python} -m compileall -q -j 0 {prefix}\n")
        out.flush()
        try:
            subprocess.run([python, "-m", "compileall", "-q", "-j", "0", str(prefix)], stdout=subprocess.DEVNULL,
                           stderr=out, stdin=subprocess.DEVNULL, timeout=min(timeout, BYTECODE_SECONDS), check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            out.write(f"bytecode not compiled: {exc}\n")


def _local_args(spec: InstallSpec) -> list[str]:
    """`-e FOLDER` for each of the project's own distributions the app imports (InstallSpec.local)."""
    return [arg for folder in spec.local for arg in ("-e", folder)]


def _written_module(requirement: str) -> str:
    """The module a requirement line's distribution is named after, as written: case kept, because imports are
    case-sensitive: Zope's DateTime (module DateTime) is no backport of datetime, as wsgiref is of wsgiref."""
    match = _REQUIREMENT_NAME.match(requirement)
    return match.group(1).replace("-", "_") if match else requirement


_REQUIREMENT_NAME = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _requirement_name(requirement: str) -> str:
    """The normalized distribution name of a requirement line ("mysqlclient>=2.0,<2.1; python_version>'3'")."""
    match = _REQUIREMENT_NAME.match(requirement)
    return canonicalize_name(match.group(1)) if match else requirement


def _install(python: str, spec: InstallSpec, *, log: Path, timeout: float, say: Say | None, what: str) -> None:
    if not spec.requirements and not spec.editable and not spec.local:
        return
    uv = find_uv()
    log.parent.mkdir(parents=True, exist_ok=True)
    reqs = _requirement_file(spec)
    try:
        if uv:
            cmd = [uv, "pip", "install", "--python", python, "-r", reqs,
                   *_uv_options(uv, python, spec, reqs, log, build=not spec.held)]
            if spec.held:
                # alone, with the build tools of their time; the rest then builds with today's (psycopg2 2.9's
                # build requires setuptools>=70.1: one global constraint would refuse it)
                _run_logged([uv, "pip", "install", "--python", python, "--no-deps", *spec.index_options,
                             "--build-constraint", _build_constraints_file(reqs, spec.build_constraints, ".held-build.txt"), *spec.held],
                            log=log, timeout=timeout, say=say, what=f"building {', '.join(spec.held)}")
        else:
            if say:
                say("uv is not available: installing with pip (slower; `pip install uv` makes it fast)")
            cmd = [python, "-m", "pip", "install", "--disable-pip-version-check", "-r", reqs, *spec.index_options]
        unchecked = _python_check_off(python, spec.editable, uv) if spec.editable else None
        try:
            if unchecked:
                # the app asks for a Python newer than any here (choose_python took the nearest): its own
                # requires-python would refuse that one, so its dependencies install as usual and the app itself
                # without the check (uv resolves it as for the version it names; pip ignores the bound)
                if say:
                    say(unchecked[1])
                if spec.requirements:
                    _run_logged(cmd, log=log, timeout=timeout, say=say, what=what)
                _run_logged([*cmd[:cmd.index("-r")], *spec.index_options, "--no-deps", *unchecked[0], "-e",
                             spec.editable], log=log, timeout=timeout, say=say, what=f"{what} (the app itself)")
                if spec.local:
                    _run_logged([*cmd, *_local_args(spec)], log=log, timeout=timeout, say=say, what=what)
                return
            try:
                _run_logged(cmd + (["-e", spec.editable] if spec.editable else []) + _local_args(spec), log=log,
                            timeout=timeout, say=say, what=what)
            except EnvironmentUnavailable as exc:
                # (a setup.py refused by setuptools' package discovery fails the same way as a copy)
                if not spec.editable or "build_editable" not in exc.output or _refused_layout(exc, spec.editable):
                    raise
                # a backend without editable installs (PEP 660: setuptools 64+, which needs Python 3.7)
                if say:
                    say("the app's build backend cannot install it editable here (PEP 660): it is installed as a "
                        "copy (run --install again after changing its packaging)")
                _run_logged(cmd + [spec.editable, *spec.local], log=log, timeout=timeout, say=say, what=what)
        except EnvironmentUnavailable as exc:
            refused = _refused_layout(exc, spec.editable) if spec.editable else None
            if not spec.editable or not (refused or _is_folder(exc.unbuilt, spec.editable)):
                raise
            # a [project] whose backend cannot package it (hatchling finding no package folder): what the
            # app needs is its dependencies; it runs from its folder, as an app that is no package does
            if say and refused:
                say(f"the app's setup.py names no packages, and setuptools 61+ will not guess among its top-level "
                    f"folders ({', '.join(refused)}): it runs from its source folder, with its dependencies "
                    "installed (packages=[...] in setup.py would make it a package)")
            elif say:
                say(f"the app itself does not build as a package (its build backend failed: {log}): it runs "
                    "from its source folder, with its dependencies installed")
            _run_logged(cmd + _local_args(spec), log=log, timeout=timeout, say=say, what=what)
    finally:
        _remove_requirement_files(reqs)


def _requirement_file(spec: InstallSpec) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", prefix="shipyard-reqs-", delete=False) as f:
        f.write("\n".join(spec.requirements) + "\n")
        return f.name


def _remove_requirement_files(reqs: str) -> None:
    for leftover in (reqs, *(str(Path(reqs).with_suffix(s)) for s in (".constraints.txt", ".build.txt",
                                                                            ".held-build.txt", ".uv.toml",
                                                                            ".overrides.txt"))):
        if os.path.exists(leftover):
            os.unlink(leftover)


def _build_constraints_file(reqs: str, lines: tuple[str, ...], suffix: str = ".build.txt") -> str:
    path = Path(reqs).with_suffix(suffix)
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def _uv_options(uv: str, python: str, spec: InstallSpec, reqs: str, log: Path, build: bool = True) -> list[str]:
    """uv's options for `spec` beside its requirement file `reqs`: the app's index options, the resolution date,
    the lock file's constraints and (`build`) the build tools held back (files written next to `reqs`)."""
    from . import old_pkg_resources
    options, dated = [*spec.index_options], ()
    if spec.exclude_newer:
        dated_options, dated = _dated_options(uv, python, spec, reqs, log)
        options += dated_options
    if spec.constraints and "-c" not in options:
        constraints = Path(reqs).with_suffix(".constraints.txt")
        constraints.write_text("\n".join(spec.constraints) + "\n")
        options += ["-c", str(constraints)]
    # the held releases' tools apply to them alone (installed first); the pkg_resources constraint to every build
    lines = (*(spec.build_constraints if build else ()), *old_pkg_resources.build_constraints(spec, dated))
    if lines:
        options += ["--build-constraint", _build_constraints_file(reqs, lines)]
    if spec.overrides:
        overrides = Path(reqs).with_suffix(".overrides.txt")
        overrides.write_text("\n".join(spec.overrides) + "\n")
        options += ["--overrides", str(overrides)]
    if spec.build_needs:
        # packages an sdist's build imports (build_needs.py): uv's extra-build-dependencies, which only a
        # configuration file sets
        config = Path(reqs).with_suffix(".uv.toml")
        config.write_text(build_needs.uv_config(spec.build_needs))
        options += ["--config-file", str(config)]
    return options


def _resolve(python: str, spec: InstallSpec, *, log: Path, timeout: float, say: Say | None, what: str) -> None:
    """uv's resolution of `spec` for `python` (uv pip compile: source builds of metadata, nothing installed); raises
    EnvironmentUnavailable as `_install` does."""
    uv = find_uv()
    assert uv is not None
    log.parent.mkdir(parents=True, exist_ok=True)
    reqs = _requirement_file(spec)
    try:
        _run_logged([uv, "pip", "compile", "--python", python, reqs, "--no-header", "--no-annotate", "--quiet",
                     *_uv_options(uv, python, spec, reqs, log)], log=log, timeout=timeout, say=say, what=what)
    finally:
        _remove_requirement_files(reqs)


def _compiled(python: str, spec: InstallSpec, style: tuple[str, ...], *, what: str, log: Path,
              timeout: float) -> str | None:
    """What `uv pip compile` resolves `spec` to for `python`, with `style`'s annotation options; None without uv.
    Raises EnvironmentUnavailable when it does not resolve."""
    uv = find_uv()
    if uv is None:
        return None
    log.parent.mkdir(parents=True, exist_ok=True)
    reqs = _requirement_file(spec)
    out = Path(reqs).with_suffix(".compiled.txt")
    try:
        _run_logged([uv, "pip", "compile", "--python", python, reqs, "--no-header", *style, "--quiet",
                     "--output-file", str(out), *_uv_options(uv, python, spec, reqs, log)],
                    log=log, timeout=timeout, say=None, what=what)
        return out.read_text()
    finally:
        _remove_requirement_files(reqs)
        out.unlink(missing_ok=True)


def resolved_names(python: str, spec: InstallSpec, *, log: Path, timeout: float) -> set[str] | None:
    """The distributions (normalized names) uv resolves `spec` to for `python`, dependencies included; None when
    it does not resolve (or without uv)."""
    try:
        text = _compiled(python, spec, ("--no-annotate",), what="resolving the requirements without a pin",
                         log=log, timeout=timeout)
    except EnvironmentUnavailable as exc:
        # resolving builds old sdists for their metadata (MarkupSafe 1.0 of a 2017 freeze), and today's
        # setuptools has no Feature: resolve again with the build tools of their day, as the install does
        from .install_errors import old_build_tools
        old = old_build_tools(exc.output)
        if old is None or not set(old[1]) - set(spec.build_constraints):
            return None
        retry = replace(spec, build_constraints=tuple(dict.fromkeys(spec.build_constraints + old[1])))
        return resolved_names(python, retry, log=log, timeout=timeout)
    except OSError:
        return None
    if text is None:
        return None
    return {_requirement_name(line) for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith(("#", "-"))}


def pulled_in_by(python: str, spec: InstallSpec, name: str, *, log: Path, timeout: float) -> set[str] | None:
    """The requirement lines of `spec` (normalized names) whose resolution for `python` brings the distribution
    `name` in, through any chain of dependencies (uv's annotations); None when `spec` does not resolve."""
    try:
        text = _compiled(python, spec, ("--annotation-style", "line"), log=log, timeout=timeout,
                         what="resolving the requirements to see what pulls a package in")
    except (EnvironmentUnavailable, OSError):
        return None
    if text is None:
        return None
    parents: dict[str, set[str]] = {}
    for line in text.splitlines():
        requirement, _, via = line.partition("# via ")
        if requirement.strip() and not requirement.lstrip().startswith(("#", "-")):
            parents[_requirement_name(requirement)] = {canonicalize_name(p.strip()) for p in via.split(",")
                                                       if p.strip() and not p.strip().startswith("-")}
    top = {_requirement_name(r) for r in spec.requirements}
    seen, todo = set(), [canonicalize_name(name)]
    while todo:
        for parent in parents.get(todo.pop(), set()) - seen:
            seen.add(parent)
            todo.append(parent)
    return seen & top


def own_requires_python(root: Path | str) -> str | None:
    """The app's own requires-python ([project] in pyproject.toml), or None."""
    try:
        import tomllib
    except ImportError:       # Python < 3.11
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        data = tomllib.loads(_read(Path(root) / "pyproject.toml"))
    except tomllib.TOMLDecodeError:
        return None
    spec = data.get("project", {}).get("requires-python")
    return spec if isinstance(spec, str) else None


def admits(spec: str | None, version: str) -> bool:
    """Whether the requires-python `spec` admits Python `version` ("3.13.0"); an absent or unreadable one does."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    try:
        return not spec or SpecifierSet(spec).contains(version, prereleases=True)
    except InvalidSpecifier:
        return True


def _python_check_off(python: str, project: str, uv: str | None) -> tuple[list[str], str] | None:
    """(installer options, note) that install the app's own project on `python` although its requires-python
    excludes it, or None when it admits it. Only ever an older Python: nothing newer than the app asks for
    is installed here, else choose_python would have taken it."""
    spec = own_requires_python(project)
    found = interpreter_info(python)
    if found is None or admits(spec, found.version):
        return None
    asked = next((f"3.{m}.{p}" for m in range(6, 30) for p in range(30) if admits(spec, f"3.{m}.{p}")), None)
    if asked is None or int(asked.split(".")[1]) < int(found.minor.split(".")[1]):
        return None     # nothing satisfies it, or it asks for an older one: not a missing newer Python
    note = (f"the app's requires-python ({spec}) excludes Python {found.version}, the nearest installed here: its "
            f"dependencies are installed for {found.minor} and the app itself without that check")
    return (["--python-version", asked] if uv else ["--ignore-requires-python"]), note


def seeded(spec: InstallSpec, python: Interpreter) -> InstallSpec:
    """`spec` for an environment Shipyard creates, with setuptools below 81 (venv_seed.py): added, as venv would
    have, for a Python older than 3.12; a bare `setuptools` (what `import pkg_resources` infers) becomes that; and
    a constraint for a package that pulls setuptools in (Pyramid declares it). The app's own pin or lock decides."""
    def names(lines: tuple[str, ...]) -> set[str]:
        return {re.split(r"[<>=!~;\[ @]", r, maxsplit=1)[0].strip().lower() for r in lines}
    bare = [r for r in spec.requirements if r.strip().lower() == "setuptools"]
    if "setuptools" in names(spec.constraints) or ("setuptools" in names(spec.requirements) and not bare):
        return spec
    requirements = tuple(SEED if r in bare else r for r in spec.requirements)
    if not bare and is_seeded(python.minor):
        requirements += (SEED,)
    return replace(spec, requirements=requirements, constraints=(*spec.constraints, SEED))


def _refused_layout(exc: EnvironmentUnavailable, folder: str) -> tuple[str, ...] | None:
    """The folders setuptools' package discovery refused, when the build that failed is the app's own (uv names no
    other package, or names the app's folder), else None."""
    from .install_errors import flat_layout_refused
    if exc.unbuilt and not _is_folder(exc.unbuilt, folder):
        return None
    return flat_layout_refused(exc.output)


def _is_folder(pin: str, folder: str) -> bool:
    """Whether uv's "NAME @ file:///PATH" names `folder`."""
    _, _, url = pin.partition(" @ ")
    return url.startswith("file://") and Path(url[len("file://"):]).resolve() == Path(folder).resolve()


# Build backends an sdist's isolated build installs (a setup.py project gets uv's setuptools>=40.8.0, newer than
# a 2017 app's date): the resolution date does not hold them back, and newer ones also build on newer Pythons.
BUILD_TOOLS = ("setuptools", "wheel", "setuptools-scm", "hatchling", "hatch-vcs", "flit-core", "poetry-core",
               "pdm-backend", "scikit-build-core", "meson-python", "maturin")
# Those an app may also import at run time keep their version as of the date there (old apps import
# pkg_resources, which setuptools 81 removed): uv applies -c constraints to the app's packages, not to builds.
RUNTIME_DATED = ("setuptools", "wheel")


def _dated_options(uv: str, python: str, spec: InstallSpec, reqs: str,
                   log: Path) -> tuple[list[str], tuple[tuple[str, str], ...]]:
    """(uv options resolving the app's packages as of `spec.exclude_newer`, build backends as of today; the
    (name, newest version as of the date) each RUNTIME_DATED tool is held to)."""
    options = ["--exclude-newer", str(spec.exclude_newer)]
    for tool in dict.fromkeys((*exempt_from_date(spec.requirements), *spec.undated)):
        options += ["--exclude-newer-package", f"{tool}=false"]
    # a tool the app pins exactly (its requirements or its lock) is its own word, as other exact pins are: held to
    # the date's newest for this Python too, it conflicts with the pin (a 2024 freeze's setuptools==69.0.3 beside
    # runtime.txt's 3.7, where the newest is 68.0.0), where uv would say the pin needs a newer Python
    locked = {_exactly_pinned(line) for line in (*spec.requirements, *spec.constraints)}
    pins = [pin for tool in RUNTIME_DATED if tool not in locked
            and (pin := _newest_as_of(uv, python, tool, str(spec.exclude_newer), log))]
    if pins:
        constraints = Path(reqs).with_suffix(".constraints.txt")
        constraints.write_text("\n".join([*(f"{name}<={version}" for name, version in pins), *spec.constraints])
                               + "\n")
        options += ["-c", str(constraints)]
    return options, tuple(pins)


def exempt_from_date(requirements: Iterable[str]) -> tuple[str, ...]:
    """The packages a dated install resolves as of today all the same: build backends (today's build what
    today's tools need), and the app's exact pins, its own word, newer than the date or not (a pin taken from its
    dev requirements, a file changed after the production ones): the date is for what it leaves to the resolver."""
    exact = sorted({name for line in requirements if (name := _exactly_pinned(line))})
    return tuple(dict.fromkeys((*BUILD_TOOLS, *exact)))


def _exactly_pinned(line: str) -> str | None:
    """The distribution name of a `NAME==VERSION` requirement line (extras and markers allowed), else None."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*[^,;*\s]+\s*(?:;|$)", line)
    return re.sub(r"[-_.]+", "-", match.group(1)).lower() if match else None


def _newest_as_of(uv: str, python: str, name: str, date: str, log: Path) -> tuple[str, str] | None:
    """(name, its newest version uploaded before `date` for `python`), or None when there is none (or no index)."""
    cmd = [uv, "pip", "compile", "-", "--python", python, "--exclude-newer", date, "--no-header",
           "--no-annotate", "--quiet"]
    try:
        done = subprocess.run(cmd, input=name + "\n", capture_output=True, text=True, timeout=60,
                              env=dict(os.environ, NO_COLOR="1"), check=False)
        output, found = done.stdout + done.stderr, done.stdout if done.returncode == 0 else ""
    except (OSError, subprocess.TimeoutExpired) as exc:
        output, found = f"{exc}\n", ""
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"$ {' '.join(cmd)} <<< {name}\n{output}")
    match = re.search(rf"(?im)^{re.escape(name)}==(\S+)", found)
    return (name, match.group(1)) if match else None


def create_venv(python: str, dest: Path, *, log: Path, timeout: float, relocatable: bool = True) -> Path:
    """A virtualenv at `dest` for `python`; its interpreter's path. `relocatable` for one built elsewhere and
    renamed into place: its console scripts then start with a shell line, which is no Python."""
    uv = find_uv()
    if uv:
        cmd = [uv, "venv", "--quiet", *(["--relocatable"] if relocatable else []), "--python", python, str(dest)]
    else:
        cmd = [python, "-m", "venv", str(dest)]
    _run_logged(cmd, log=log, timeout=timeout, say=None, what="creating a virtualenv")
    return dest / "bin" / "python"


# where uv (or pip) builds a release from source: the build's working folder names it
_BUILD_FOLDER = (re.compile(r"/sdists-v\d+/(?:pypi|index/[^/]+)/([^/]+)/([^/]+)/"),
                 re.compile(r"/pip-install-[^/]+/([A-Za-z0-9][A-Za-z0-9._-]*?)_[0-9a-f]{32}(?:/|$)"))


def building_now(pid: int) -> list[str]:
    """The releases ("gevent==1.1b5") the process `pid`'s descendants are building from source right now, read from
    their working folders (/proc); [] where that cannot be read. Said when an install runs out of time: which
    build the time went on."""
    try:
        parents = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", "rb") as f:
                        parents[int(entry)] = int(f.read().rsplit(b")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
    except OSError:
        return []
    family, found = {pid}, []
    for _ in range(20):     # generations: uv, its build's python, setup.py's compilers
        more = {child for child, parent in parents.items() if parent in family and child not in family}
        if not more:
            break
        family |= more
    for member in sorted(family - {pid}):
        try:
            folder = os.readlink(f"/proc/{member}/cwd")
        except OSError:
            continue
        for pattern in _BUILD_FOLDER:
            if match := pattern.search(folder):
                found.append("==".join(match.groups()))
                break
    return list(dict.fromkeys(found))


def building_said(building: list[str]) -> str:
    """" (the time went on building gevent==1.1b5 from source ...)" for building_now's list, "" for none."""
    if not building:
        return ""
    return (f" (the time went on building {', '.join(building)} from source, which has no wheel for this Python "
            "and was still building)")


def _run_logged(cmd: list[str], *, log: Path, timeout: float, say: Say | None, what: str) -> None:
    started = time.monotonic()
    offset = log.stat().st_size if log.exists() else 0     # the log may hold earlier attempts: explain this one
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"$ {' '.join(cmd)}\n")
        out.flush()
        # not the shell's PYTHONPATH (`export PYTHONPATH=src` for a src layout): each source build runs in its
        # sdist's folder, where a relative entry finds the sdist's own folders first (future 0.18.2's src/reprlib
        # in place of the standard library's, and the build's Python does not start)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
        env.update(NO_COLOR="1", PIP_NO_INPUT="1")
        try:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    env=env, start_new_session=True)
        except OSError as exc:
            raise EnvironmentUnavailable(f"{what}: cannot run {cmd[0]}: {exc.strerror}", "") from None
        next_note = 15.0
        try:
            while proc.poll() is None:
                raise_if_stopped(what)     # the child is in its own session: no Ctrl-C reaches it but this
                elapsed = time.monotonic() - started
                if elapsed > timeout:
                    building = building_now(proc.pid)
                    stopped = EnvironmentUnavailable(
                        f"{what} did not finish within {timeout:g}s" + building_said(building),
                        (f"pin a release of {building[0].split('==')[0]} that has a wheel for this Python (or leave "
                         "it out, if the app does not need it); " if building else "")
                        + "on a slow or busy machine, run again when it is less busy, or install the app's "
                          f"environment yourself and run without --install (full log: {log})")
                    stopped.building, stopped.timed_out = building, True
                    raise stopped
                if say and elapsed > next_note:
                    say(f"  ... still {what} ({elapsed:.0f}s)")
                    next_note += 15.0
                time.sleep(0.2)
        finally:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
                proc.wait(10)
    if proc.returncode != 0:
        from .install_errors import explain, unbuilt_pin
        with open(log, "rb") as f:
            f.seek(offset)
            text = f.read().decode("utf-8", errors="replace")
        message, hint = explain(text)
        error = EnvironmentUnavailable(f"{what} failed: {message}",
                                       f"{hint}; full log: {log}" if hint else f"full log: {log}")
        error.unbuilt = unbuilt_pin(text) or ""
        error.output = text
        error.python_bound = "does not support this Python" in message or "(or for this Python)" in message
        raise error


# ---------------------------------------------------------------------------------------- cached builds

def _build_atomically(final: Path, build: Callable[[Path], None]) -> None:
    """Run `build(tmp)` in a temporary folder next to `final`, then rename it into place."""
    final.parent.mkdir(parents=True, exist_ok=True)
    # locked while it builds: `shipyard cache prune` removes an unlocked one (a killed build's) at once
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.{cache_store.LOCKED_BUILD}", dir=final.parent))
    lock = cache_store.lock_building(tmp)
    try:
        build(tmp)
        try:
            tmp.rename(final)
        except OSError:
            if not final.exists():      # another run finished the same one first: theirs is as good
                raise
        else:
            cache_store.built(lock, final)      # now in use by this run, as a cached one is (cache_store.use)
            lock = None
    finally:
        cache_store.release(lock)
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _stale_proof(final: Path, spec: InstallSpec) -> bool:
    """A cached proof environment an older module-clash rule left without a requested distribution: moved aside
    (then removed) so that it is built again."""
    from . import module_clashes
    try:
        complete = json.loads((final / ".complete").read_text() or "{}")
        sites = list(final.glob("lib/python*/site-packages"))
        if not isinstance(complete, dict) or len(sites) != 1 \
                or not module_clashes.stale_environment(sites[0], spec.requirements, complete):
            return False
        aside = final.with_name(f".{final.name}.stale-{os.getpid()}")
        final.rename(aside)
    except (OSError, ValueError):
        return False
    shutil.rmtree(aside, ignore_errors=True)
    return True


def proof_environment(spec: InstallSpec, python: Interpreter, *, timeout: float, say: Say | None,
                      environ: Mapping[str, str] | None = None) -> Environment:
    """The cached proof environment for `spec` on `python`, built (with uv) when missing."""
    if spec.exclude_newer and not find_uv(environ):
        # pip has no --exclude-newer: an environment it builds resolves as of today, and is cached as such (under
        # the dated key, a later run with uv would reuse it and lose the date)
        spec = replace(spec, exclude_newer=None)
        if say:
            say("uv is not available and pip cannot resolve packages as of a date: they resolve as of today")
    key = spec.key(python)
    final = cache_root(environ) / "envs" / f"py{python.version}-{key}"
    origin = f"proof environment {final} ({len(spec.requirements)} packages, Python {python.version})"
    if venv_python(final) and (final / ".complete").exists() and not _stale_proof(final, spec) \
            and cache_store.use(final):
        return Environment(str(venv_python(final)), origin, "proof")
    cache_store.evict_unused(cache_root(environ), say=say)     # a build adds to the cache: at most once a day
    log = cache_root(environ) / "logs" / f"proof-{key}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("")
    deadline = time.monotonic() + timeout
    if say:
        say(f"building a proof environment with {'uv' if find_uv(environ) else 'pip'}: "
            f"{len(spec.requirements)} packages for Python {python.version} (cached in {final.parent}; "
            f"at most {timeout:g}s)")

    def build(tmp: Path) -> None:
        from . import module_clashes
        create_venv(python.path, tmp, log=log, timeout=max(deadline - time.monotonic(), 1))
        install(str(tmp / "bin" / "python"), spec, log=log, timeout=max(deadline - time.monotonic(), 1),
                say=say, what="installing the app's dependencies", environ=environ)
        (tmp / ".complete").write_text(json.dumps({"requirements": sorted(spec.requirements),
                                                   "clash_rule": module_clashes.RULE}) + "\n")

    started = time.monotonic()
    try:
        _build_atomically(final, build)
    except EnvironmentUnavailable as exc:
        if time.monotonic() >= deadline - 0.5:
            building = getattr(exc, "building", [])
            stopped = EnvironmentUnavailable(f"the proof environment did not build within {timeout:g}s"
                                             + building_said(building),
                                             (f"pin a release of {building[0].split('==')[0]} that has a wheel for "
                                              f"Python {python.version}, or " if building else "")
                                             + f"raise proof_timeout in [tool.shipyard] (now {timeout:g}s) on a slow "
                                             f"or busy machine; full log: {log}")
            stopped.building, stopped.timed_out = building, True
            raise stopped from None
        raise
    if say:
        say(f"proof environment ready in {time.monotonic() - started:.1f}s")
    cache_store.use(final)          # built by another run meanwhile: this one uses it too
    return Environment(str(final / "bin" / "python"), origin, "proof")


def site_packages(python: str) -> Path:
    done = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        raise EnvironmentUnavailable(f"cannot run {python}", "check the app's virtualenv")
    return Path(done.stdout.strip())


def overlay_site(env: Environment, requirements: tuple[str, ...], *, say: Say | None,
                 timeout: float = 300.0, environ: Mapping[str, str] | None = None) -> Path:
    """site-packages of the cached overlay holding `requirements` (a server, debugpy) for the Python of
    `env`: built once per Python version and requirement set, never inside the app's environment."""
    python = interpreter_info(env.python)
    if python is None:
        raise EnvironmentUnavailable(f"cannot run the app's interpreter {env.python}", "check its virtualenv")
    spec = InstallSpec(tuple(sorted(requirements)))
    final = cache_root(environ) / "overlays" / f"py{python.version}-{'-'.join(_slug(r) for r in spec.requirements)}"
    if not ((final / ".complete").exists() and cache_store.use(final)):
        log = cache_root(environ) / "logs" / f"overlay-{final.name}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("")
        if say:
            say(f"installing {' '.join(requirements)} for Python {python.version} into a cached overlay "
                f"({final}); the app's environment is not changed")

        def build(tmp: Path) -> None:
            create_venv(env.python, tmp, log=log, timeout=timeout)
            install(str(tmp / "bin" / "python"), spec, log=log, timeout=timeout, say=say,
                    what=f"installing {' '.join(requirements)}")
            (tmp / ".complete").write_text("\n".join(spec.requirements) + "\n")

        _build_atomically(final, build)
        cache_store.use(final)
    found = sorted(final.glob("lib/python3*/site-packages"))
    if not found:
        raise EnvironmentUnavailable(f"the overlay {final} has no site-packages", f"remove {final} and run again")
    return found[0]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "_", text).strip("_")


# The run folder's sitecustomize: appends the overlay after the app's own site-packages (the app's
# packages win; the overlay fills what is missing), then runs any sitecustomize the interpreter has.
SITECUSTOMIZE = """\
import importlib.machinery, importlib.util, os, site, sys
_here = os.path.dirname(os.path.abspath(__file__))
for _dir in os.environ.get("SHIPYARD_OVERLAY_SITE", "").split(os.pathsep):
    if _dir and ("python%d.%d" % sys.version_info[:2]) in _dir and _dir not in sys.path:
        site.addsitedir(_dir)
_others = [p for p in sys.path if os.path.abspath(p or ".") != _here]
_spec = importlib.machinery.PathFinder.find_spec("sitecustomize", _others)
if _spec is not None and _spec.loader is not None:
    _spec.loader.exec_module(importlib.util.module_from_spec(_spec))
"""


def overlay_environ(site: Path, run_dir: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """Environment variables that layer the overlay `site` on the app's interpreter for every process."""
    boot = run_dir / "overlay-boot"
    boot.mkdir(exist_ok=True)
    (boot / "sitecustomize.py").write_text(SITECUSTOMIZE)
    paths = [str(boot), *(p for p in environ.get("PYTHONPATH", "").split(os.pathsep) if p)]
    return {"PYTHONPATH": os.pathsep.join(paths), "SHIPYARD_OVERLAY_SITE": str(site)}


# ------------------------------------------------------------------------------- what to install, for an app

RECENT_DAYS = 30       # a dependency file changed more recently than this resolves as of today


# a distribution name as packaging accepts it (PEP 508): PDM 1 wrote `name = ""` for an application
_DIST_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")


def is_package(root: Path) -> bool:
    """The app is itself a package (setup.py, [project] with a build backend, setuptools' [build-system] with
    setup.cfg's [metadata] name and packages, or Poetry's [tool.poetry] with one when it declares entry points):
    install it too, so entry points (Pyramid's `use = egg:NAME`) and its own
    imports resolve. Not one when it has no valid name (PDM 1's
    applications: `name = ""`, which no backend builds), or its tool says so (`[tool.pdm] distribution =
    false`, `[tool.uv] package = false`, `[tool.poetry] package-mode = false`)."""
    if (root / "setup.py").is_file() and _packages_itself(_read(root / "setup.py")):
        return unported_setup(root) is None
    text = _read(root / "pyproject.toml")
    if not re.search(r"(?m)^\[build-system\]", text):
        return False
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return bool(re.search(r"(?m)^\[project\]", text))   # the install names the file's error
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    poetry = tool.get("poetry") if isinstance(tool.get("poetry"), dict) else {}
    if isinstance(data.get("project"), dict):
        name = data["project"].get("name")
    elif _setuptools_backend(data.get("build-system")) and (declared := _setup_cfg_name(root)) is not None:
        # setuptools' declarative shape (the packaging tutorial of 2021): a pyproject.toml with only
        # [build-system], the name and packages in setup.cfg (package_dir = src, packages = find:)
        name = declared
    elif poetry.get("plugins"):
        # Poetry's own table (no [project]) declaring entry points ([tool.poetry.plugins."paste.app_factory"]):
        # they resolve only once it is installed (paste's `use = egg:NAME`). Poetry applications without any
        # keep running from their folder, as before
        name = poetry.get("name")
    else:
        return False
    says_not = any(isinstance(tool.get(t), dict) and tool[t].get(key) is False
                   for t, key in (("pdm", "distribution"), ("uv", "package"), ("poetry", "package-mode")))
    return isinstance(name, str) and bool(_DIST_NAME.fullmatch(name)) and not says_not


# what makes a setup.py packaging: setuptools' (or distutils') setup() called, or either imported
_SETUP_CALL = re.compile(r"(?m)^\s*(?:from\s+(?:setuptools|distutils)\b|import\s+(?:setuptools|distutils)\b)|"
                         r"\bsetup\s*\(")


def unported_setup(root: Path) -> str | None:
    """A note when the app's setup.py builds a distribution but is Python 2 code (`print "..."`), which no Python 3
    runs: the app is then not installed as a package (is_package), and runs from its folder with its
    dependencies, as an app with no packaging does; None otherwise."""
    text = _read(root / "setup.py")
    if not text or not _packages_itself(text):
        return None
    try:
        compile(text, "setup.py", "exec", dont_inherit=True)
    except SyntaxError as exc:
        return (f"the app's setup.py does not run on Python 3 (setup.py:{exc.lineno}: {exc.msg}; Python 2 code): "
                f"the app itself is not installed as a package, it runs from its folder with its dependencies")
    except ValueError:
        return None
    return None


def _setuptools_backend(build_system) -> bool:
    """[build-system] builds with setuptools: its backend named, or none (pip's legacy setuptools backend)."""
    if not isinstance(build_system, dict):
        return False
    backend = build_system.get("build-backend")
    return backend is None or isinstance(backend, str) and backend.startswith("setuptools.")


def _setup_cfg_name(root: Path) -> str | None:
    """The distribution name of setup.cfg's [metadata] when its [options] say what it packages (packages or
    py_modules), else None: a setup.cfg of tool sections only ([flake8]), or one whose flat folder setuptools
    would have to guess the packages of, is no package to install."""
    import configparser
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(_read(root / "setup.cfg"))
    except configparser.Error:
        return None
    name = parser.get("metadata", "name", fallback="").strip()
    packs = any(parser.get("options", key, fallback="").strip() for key in ("packages", "py_modules"))
    return name if name and packs else None


def _packages_itself(setup_py: str) -> bool:
    """setup.py builds a distribution; not a module that only happens to be named so (React-Redux-Flask's
    setup.py holds `basedir`, which its config.py imports: installing it fails with "Exactly one .egg-info
    should have been produced")."""
    return bool(_SETUP_CALL.search(setup_py))


LOCK_FILES = ("uv.lock", "poetry.lock", "pdm.lock")


def lock_constraints(root: Path, files: Iterable[str], requirements: Iterable[str]) -> tuple[str, ...]:
    """NAME==VERSION of every package the app's lock file (uv.lock, poetry.lock, pdm.lock, Pipfile.lock) pins that
    its requirements do not name: the versions its authors run it with, not the newest ones of the resolution date (litestar 2.17
    imports sniffio, which anyio 4.12 no longer brings; the lock keeps anyio 4.11). Packages the lock has at
    several versions (by Python version or platform), and ones from git or a folder, are left to the resolver."""
    # a requirement with a version of its own decides; a bare name (one Shipyard inferred from an import, which
    # the lock has as a dependency's: SQLAlchemy under litestar[sqlalchemy]) takes the lock's version
    named = {re.sub(r"[-_.]+", "-", n).lower() for line in requirements
             if (n := re.split(r"[<>=!~;\[ @(]", line.strip(), maxsplit=1)[0])
             and re.search(r"[<>=!~@]", line.split(";")[0])}
    versions: dict[str, set[str]] = {}
    for rel in files:
        if Path(rel).name == "Pipfile.lock":
            # its "default" section pins every package `pipenv install` puts in, the ones the Pipfile's packages
            # pulled in too (SQLAlchemy 1.3.13 under Flask-SQLAlchemy 2.4.1, which SQLAlchemy 1.4 broke)
            for name, version in _pipfile_lock_pins(root / rel).items():
                versions.setdefault(name, set()).add(version)
            continue
        if Path(rel).name not in LOCK_FILES:
            # a conda package list read as the requirements (detect/conda_list.py) is the environment's lock: its
            # sqlalchemy=1.3.15 keeps the SQLAlchemy under a listed Flask-SQLAlchemy 2.4.1 of its time (2.0 broke
            # it); its conda-only names (openssl, vc) are in no resolution, so they constrain nothing
            if rel.endswith(".txt") and (root / rel).is_file() and conda_list.is_conda_list(text := _read(root / rel)):
                for name, version in conda_list.pins(text).items():
                    versions.setdefault(name, set()).add(version)
            continue
        try:
            data = tomllib.loads(_read(root / rel))
        except tomllib.TOMLDecodeError:
            continue
        for package in data.get("package", []):
            source = package.get("source") or {}
            if not isinstance(package, dict) or "name" not in package or "version" not in package \
                    or not isinstance(source, dict) or set(source) - {"registry", "type", "url", "reference"} \
                    or source.get("type") in ("git", "directory", "file", "url") \
                    or {"git", "path", "url", "editable"} & set(package):    # pdm.lock's git and path packages
                continue            # the app itself (virtual, editable), git and path sources
            name = re.sub(r"[-_.]+", "-", str(package["name"])).lower()
            versions.setdefault(name, set()).add(str(package["version"]))
    if _contradicted(versions, requirements):
        # requirements.txt pins fastapi==0.95.0 beside a poetry.lock made for fastapi 0.115.8 (pyproject's ^0.115):
        # the lock is another set of versions, whose starlette 0.45 fastapi 0.95 refuses; the requirements decide
        return ()
    return tuple(f"{name}=={next(iter(found))}" for name, found in sorted(versions.items())
                 if len(found) == 1 and name not in named and name not in BUILD_TOOLS)


def _pipfile_lock_pins(path: Path) -> dict[str, str]:
    """name -> version of the packages a Pipfile.lock's "default" section pins (`"version": "==1.3.13"`) with no
    markers: one with markers (a backport for Python < 3.8, a Windows-only package) is left to the resolver, as
    git, folder and editable entries (no version) are."""
    try:
        data = json.loads(_read(path))
    except (json.JSONDecodeError, ValueError):
        return {}
    section = data.get("default") if isinstance(data, dict) else None
    out: dict[str, str] = {}
    for name, entry in (section.items() if isinstance(section, dict) else ()):
        version = str(entry.get("version", "")) if isinstance(entry, dict) else ""
        if version.startswith("==") and not entry.get("markers") \
                and not {"git", "path", "file", "editable"} & set(entry) \
                and re.fullmatch(r"[\w.+!]+", version[2:].strip()):
            out[canonicalize_name(str(name))] = version[2:].strip()
    return out


def _contradicted(locked: dict[str, set[str]], requirements: Iterable[str]) -> bool:
    """Whether a requirement with a version of its own admits none of the versions the lock has for that
    package (the lock was made for other pins than the requirements being installed)."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.version import InvalidVersion
    for line in requirements:
        try:
            wanted = Requirement(line.split(" #", 1)[0].strip())
        except InvalidRequirement:
            continue
        found = locked.get(canonicalize_name(wanted.name))
        if not found or not wanted.specifier or (wanted.marker and not wanted.marker.evaluate()):
            continue
        try:
            if not any(wanted.specifier.contains(v, prereleases=True) for v in found):
                return True
        except InvalidVersion:
            continue
    return False


# PyPI's own simple index, under its current name or its old one (PDM's export and Pipenv's Pipfile template
# write https://pypi.python.org/simple): an app naming it asks for the default index, nothing else
_PYPI_INDEX = re.compile(r"https?://(?:pypi\.python\.org|pypi\.org)/simple/?", re.I)


def index_options(root: Path, files: Iterable[str]) -> tuple[str, ...]:
    """--index-url / --extra-index-url / --find-links lines of the app's requirement files, for uv. A line naming
    PyPI itself is left out: the index this machine is configured with (UV_INDEX_URL, a company mirror) is the
    one to use, as `pip install -r` with that line would have found the same packages on PyPI."""
    out: list[str] = []
    for rel in files:
        if not pip_format(rel):
            continue
        for line in _read(root / rel).splitlines():
            match = re.match(r"\s*(-i|--index-url|--extra-index-url|-f|--find-links)[\s=]+(\S+)", line)
            if match and not (match.group(1) in ("-i", "--index-url", "--extra-index-url")
                              and _PYPI_INDEX.fullmatch(match.group(2))):
                flag = {"-i": "--index-url", "-f": "--find-links"}.get(match.group(1), match.group(1))
                out += [flag, match.group(2)]
    return tuple(out)


def git_changed(root: Path, *paths: str) -> float | None:
    """The unix time of the last commit under `root` that changed `paths` (git pathspecs); None outside git, or
    when no commit did."""
    try:
        done = subprocess.run(["git", "log", "-1", "--format=%ct", "--", *paths], cwd=root, capture_output=True,
                              text=True, timeout=10, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return float(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip().isdigit() else None


def last_changed(root: Path, rel: str) -> tuple[float, str] | None:
    """(unix time, how it is known) of the last change of a file: git history when there is one, else mtime."""
    if (when := git_changed(root, rel)) is not None:
        return when, f"when {rel} last changed in git"
    try:
        return (root / rel).stat().st_mtime, f"{rel}'s modification time"
    except OSError:
        return None


# the Python files `shipyard init` writes: not the app's code, whose date they would make today's
SHIPYARD_PY_FILES = ("shipyard_runtime.py", "shipyard_entry.py", "gunicorn.conf.py")


def code_changed(root: Path) -> tuple[float, str] | None:
    """(unix time, how it is known) of the last change of the app's Python files: git history when there is
    one, else the newest modification time. The files `shipyard init` writes do not count."""
    mine = [f":(exclude,glob)**/{name}" for name in SHIPYARD_PY_FILES]
    if (when := git_changed(root, "*.py", *mine)) is not None:
        return when, "when its Python files last changed in git"
    from .project import Project      # the project's own scan: tooling folders and .venv left out
    times = [t for rel in Project(root).files if rel.endswith(".py") and not _generated(root / rel)
             and (t := _mtime(root / rel))]
    return (max(times), "its Python files' newest modification time") if times else None


def _generated(path: Path) -> bool:
    """The file carries the header of a file `shipyard init` wrote (render/stamp.py)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(GENERATED_PREFIX)) == GENERATED_PREFIX.encode()
    except OSError:
        return False


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def bounds_nothing(requirements: Iterable[str]) -> bool:
    """Whether no requirement line caps or pins its package (`tornado`, `flask>=2`): the resolver picks them all."""
    from .detect.holds import app_line       # Shipyard's holds are not the app's bounds
    return not any(re.search(r"==|<|~=", app_line(r).split(";")[0]) for r in requirements)


def resolution_date(root: Path, files: Iterable[str], requirements: Iterable[str],
                    now: float | None = None) -> tuple[str | None, str]:
    """(uv --exclude-newer value, note): the packages an old app does not pin resolve as of the day its
    dependency files last changed, so a Flask 1.0 pin gets the Jinja2 of its time. That holds when every line
    is pinned too: `Flask==2.0.2` alone (a Pipfile.lock pins only what the Pipfile names) still leaves Werkzeug
    to the resolver, and today's Werkzeug 3 breaks that Flask. An app that bounds no package at all follows
    their releases as its code changes: its Python files' last change counts too (a 2018 requirements.txt
    naming `starlette`, and an app.py rewritten in 2022 for the Starlette of 2022). An app with no dependency
    file at all (its packages inferred from its imports) is dated by its code alone: a 2024 app.py using
    quart-db gets the quart-db of 2024, whose tables its committed database holds. None for recent files."""
    requirements = tuple(requirements)
    files = tuple(files)
    unpinned = [r for r in requirements if "==" not in r and "@" not in r]
    dated = [d for rel in files if (d := last_changed(root, rel))]
    if not files or (dated and bounds_nothing(requirements)):
        dated += [d for d in (code_changed(root),) if d]
    if not requirements or not dated:
        return None, ""
    day = _day_after(max(dated)[0], now)
    if day is None:
        return None, ""
    how = max(dated)[1]
    if not files:
        return f"{day}T00:00:00Z", (f"no dependency file: the packages its code imports resolved as of {day} "
                                    f"({how}), as the app was then")
    # no counts: serve --install says this for the proof's list, then for its own, which adds the servers the code
    # does not import (a setup.py's waitress): "10 unpinned", then "11 unpinned", read as a contradiction
    what = ("its unpinned packages" if unpinned
            else "the packages its pins depend on (the files do not pin them)")
    return f"{day}T00:00:00Z", f"{what} resolved as of {day[:10]} ({how}), as the app was then"


def app_resolution_date(root: Path, dependency_files: Iterable[str], dependencies: Iterable,
                        server_dependencies: Iterable = ()) -> tuple[str | None, str]:
    """resolution_date of a plan's packages (Dependency objects): its dependency files and the files that pinned
    some of them (a lock, dev requirements), for the app's own packages, not the server's; what `serve
    --install` and the image resolve as of."""
    from .detect.deps import pin_files
    dependencies = tuple(dependencies)
    server = set(server_dependencies)
    return resolution_date(root, tuple(dependency_files) + pin_files(dependencies),
                           tuple(d.requirement for d in dependencies if d not in server))


def code_date(root: Path, now: float | None = None) -> str | None:
    """The day after the app's Python files last changed ("2024-08-28"), None when that is recent: what an app
    with no dependency file resolves its packages as of, and which Python it gets when it names none."""
    changed = code_changed(root)
    return _day_after(changed[0], now) if changed else None


def _day_after(when: float, now: float | None) -> str | None:
    """The day after `when` (the whole day of the change counts), None when `when` is recent."""
    if (now or time.time()) - when < RECENT_DAYS * 86400:
        return None
    return time.strftime("%Y-%m-%d", time.gmtime(when + 86400))


def imported_by(root: Path) -> tuple[str, ...]:
    """The distributions the app's code in `root` imports directly (normalized names)."""
    from .detect.imports import imported_distributions
    from .project import Project
    return imported_distributions(Project(root))


def used_by(root: Path) -> tuple[str, ...]:
    """The distributions the app in `root` uses without anything else needing them (normalized names): those its
    code imports or its Django settings name, the drivers its database URLs and backends name, and the servers."""
    from .detect.deps import normalize
    from .detect.source import string_hints
    from .project import Project
    from .servers import SERVER_DISTRIBUTIONS
    project = Project(root)
    named = {normalize(h.dependency) for h in string_hints(project)}
    imported = set(imported_by(root))
    return tuple(sorted({*imported, *_declared_as_imported(project, imported), *named, *_implied_by_imports(project),
                         *SERVER_DISTRIBUTIONS}))


def _declared_as_imported(project, imported: set[str]) -> set[str]:
    """The declared distributions an import no table maps names without their separators (`import
    peeweedbevolve`, which peewee-db-evolve provides): the app uses those (normalized names)."""
    from .detect.deps import declared, normalize, squashed
    imported_squashed = {squashed(name) for name in imported}
    try:
        dependencies = declared(project).dependencies
    except ShipyardError:   # a dependency file Shipyard cannot read says nothing here: its own check says so
        return set()
    return {normalize(d.name) for d in dependencies
            if normalize(d.name) not in imported and squashed(d.name) in imported_squashed}


def _implied_by_imports(project) -> set[str]:
    """The distributions the app's imports need without naming them (normalized): django.contrib.postgres's
    models need a PostgreSQL driver, any of its family (a freeze's psycopg2-binary is that one, not a leftover)."""
    import ast
    from .detect.deps import normalize
    from .detect.implied import DRIVERS, implied_by_import
    from .detect.source import parsed
    out: set[str] = set()
    for tree in parsed(project).values():
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else []
            for name in names:
                if (implied := implied_by_import(name)) is None:
                    continue
                family = next((d for d in DRIVERS.values() if implied[1] in d), (implied[1],))
                out.update(normalize(d) for d in family)
    return out


@dataclass(frozen=True)
class ProofResult:
    environment: Environment | None
    notes: tuple[str, ...]
    reason: str = ""             # why there is none
    # (the Python minor, why) when the pins installed only on another Python than the one asked for
    moved_to: tuple[str, str] | None = None


def environment_for_proof(root: Path, requirements: tuple[str, ...], dependency_files: tuple[str, ...],
                          python_version: str, *, timeout: float, say: Say | None,
                          environ: Mapping[str, str] | None = None,
                          unselected: Mapping[str, str] | None = None, local: tuple[str, ...] = ()) -> ProofResult:
    """The first of: the app's own environment, the cached proof environment (built with uv); else none, with
    the reason. Never Shipyard's own interpreter. `unselected`: database drivers it may go without
    (on_older_pythons). `local`: the project's own distributions the app imports (folders under `root`), installed
    editable."""
    root = Path(root).resolve()
    own = app_environment(root, environ)
    if own is not None:
        return ProofResult(own, ())
    package = is_package(root)
    date, date_note = resolution_date(root, dependency_files, requirements)
    notes: list[str] = [n for n in (unported_setup(root), date_note) if n]
    search = ""
    try:
        python, note = choose_python(python_version, environ)
        if note:
            notes.insert(0, note)
        spec = InstallSpec(requirements, index_options(root, dependency_files), date,
                           str(root) if package else None, lock_constraints(root, dependency_files, requirements),
                           app_root=str(root), local=tuple(str(root / folder) for folder in local))
        for line in notes:
            if say:
                say(line)
        # where an earlier run's search for pins that install ended (proof_memo.py): straight there
        search = proof_memo.key(spec.key(python), unselected)
        recalled = _recalled_search(search, notes, timeout=timeout, say=say, environ=environ)
        if recalled is not None:
            return recalled
        # old pins often need an older Python (no wheel, or a Requires-Python bound): tried on one
        used: list[tuple[Interpreter, InstallSpec]] = []
        before = len(notes)
        # an earlier run's build on this Python ran out of time and the pins' wheels named an older one: from there
        start, moved = _after_timed_out(search, python, notes, say, environ)

        def attempt(py: Interpreter, wanted: InstallSpec) -> Environment:
            used.append((py, wanted))
            return proof_environment(seeded(wanted, py), py, timeout=timeout, say=say, environ=environ)

        env = on_older_pythons(start, spec, attempt, say, environ, notes, unselected)
        last, installed = used[-1]
        if last.minor != start.minor:
            # the note on_older_pythons wrote for the last move says why (greenlet 0.4.15 has a wheel for 3.8)
            why = next((n.rsplit("): ", 1)[1] for n in reversed(notes) if f"using {last.minor} (" in n
                        and "): " in n), "the next older one")
            moved = (last.minor, f"the pins do not install on Python {python.minor}: {why}")
        if len(used) > 1 or start is not python:
            proof_memo.remember(cache_root(environ), search, proof_memo.Outcome(
                last.path, last.version, asdict(installed), tuple(notes[before:]), moved))
        return ProofResult(env, tuple(notes), moved_to=moved)
    except EnvironmentUnavailable as exc:
        reason = f"{exc.message}" + (f" ({exc.hint})" if exc.hint else "")
        # out of time before an install could fail on a pin and move to an older Python: the Python it would have
        # moved to, from the pins' wheels (the plan and the image then take it, as after a finished install)
        timed_out = "did not build within" in exc.message or "did not finish within" in exc.message
        moved = wheels_python(requirements, python_version, environ) if timed_out else None
        if moved is not None and search:
            proof_memo.remember_move(cache_root(environ), search, moved)
        return ProofResult(None, tuple(notes), reason, moved_to=moved)


def _after_timed_out(search: str, python: Interpreter, notes: list[str], say: Say | None,
                     environ: Mapping[str, str] | None) -> tuple[Interpreter, tuple[str, str] | None]:
    """(the Python a proof environment's search starts on, the move to it): `python`, or the older Python an
    earlier run's build on it moved to when it ran out of time (wheels_python: Pillow==9.1.1 has no wheel for 3.12
    and one for 3.10), so that each later run (serve after inspect) does not spend its whole time limit again on
    a build that moves anyway; with a note."""
    moved = proof_memo.recall_move(cache_root(environ), search)
    older = python_of(int(moved[0].split(".")[1]), environ) if moved is not None else None
    if moved is None or older is None or older.minor == python.minor:
        return python, None
    why = moved[1].split(" (")[0]
    note = f"an earlier run's proof environment on Python {python.minor} ran out of time, and {why}: starting on " \
           f"Python {older.minor}"
    notes.append(note)
    if say:
        say(note)
    return older, moved


def _recalled_search(search: str, notes: list[str], *, timeout: float, say: Say | None,
                     environ: Mapping[str, str] | None) -> ProofResult | None:
    """The proof environment an earlier run's search ended on (proof_memo.py), while its Python still runs and the
    environment is complete in the cache; its notes follow `notes`, said again."""
    outcome = proof_memo.recall(cache_root(environ), search)
    if outcome is None:
        return None
    info = interpreter_info(outcome.python)
    if info is None or info.version != outcome.version:
        return None
    try:
        spec = seeded(InstallSpec(**{k: tuple(v) if isinstance(v, list) else v for k, v in outcome.spec.items()}),
                      info)
    except TypeError:
        return None     # written by another version of Shipyard
    final = cache_root(environ) / "envs" / f"py{info.version}-{spec.key(info)}"
    if not venv_python(final) or not (final / ".complete").exists():
        return None
    if say:
        say(f"an earlier run found the pins install on Python {info.version} with these changes; reusing its proof "
            f"environment {final}")
        for line in outcome.notes:
            say(line)
    env = proof_environment(spec, info, timeout=timeout, say=say, environ=environ)
    return ProofResult(env, (*notes, *outcome.notes), moved_to=outcome.moved_to)


def check_pins(root: Path, requirements: tuple[str, ...], dependency_files: tuple[str, ...], python_version: str,
               *, say: Say | None = None, timeout: float = 180.0,
               environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """For a plan made without installing the app's requirements here (`init --no-import`, an app with its own
    environment): uv resolves them (uv pip compile, nothing installed) on the Python the app asks for, with an
    install's retries, so that what an install would meet is learned the same way and kept in the cache: two of
    the app's exact pins that contradict each other (pin_conflicts.py), an old sdist whose metadata builds only
    with older build tools (build_holds.py). The plan then applies both as it applies what installs learned. As
    the image, today's releases (no resolution date). `say` gets each retry's line. Notes (said too): one when uv
    is missing or the resolution still fails, else none."""
    notes = _resolved_pins(root, requirements, dependency_files, python_version, say=say, timeout=timeout,
                           environ=environ)
    for note in notes:
        if say:
            say(note)
    return notes


def _resolved_pins(root: Path, requirements: tuple[str, ...], dependency_files: tuple[str, ...], python_version: str,
                   *, say: Say | None, timeout: float, environ: Mapping[str, str] | None) -> tuple[str, ...]:
    if not any(_exactly_pinned(r) for r in requirements):
        return ()            # nothing the app pins exactly: no contradiction of its own, no old release it names
    if not find_uv(environ):
        return ("uv is not available: the app's exact pins were not checked for contradictions before writing the "
                "image's files (`pip install uv` lets Shipyard check them)",)
    root = Path(root).resolve()
    try:
        python, _ = choose_python(python_version, environ)
        spec = InstallSpec(requirements, index_options(root, dependency_files), app_root=str(root))
        key = hashlib.sha256(json.dumps([python.version, sorted(requirements)]).encode()).hexdigest()[:16]
        log = cache_root(environ) / "logs" / f"resolve-{key}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("")
        install(python.path, spec, log=log, timeout=timeout, say=say, environ=environ, resolve_only=True,
                what=f"resolving the app's requirements for Python {python.minor}")
    except EnvironmentUnavailable as exc:
        if re.search(r"you require (?:setuptools|wheel)\S* and (?:setuptools|wheel)<", exc.output):
            # a later sdist's build requires newer tools than the ones held back for an old one: uv holds them back
            # for every build of one resolution, while installs and the image build the held releases alone
            return ()
        return (f"the app's pins were checked with uv's resolver (nothing installed): {exc.message}"
                + (f" ({exc.hint})" if exc.hint else ""),)
    return ()
