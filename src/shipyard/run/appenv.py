"""The app's own environment: its Python, the server installed in it, and the services it needs.

Everything here answers "can this app run here?" before a process starts, and says what is missing.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ..detect.imports import distribution_for
from ..errors import MissingDependency, ShipyardError
from ..interpreter import app_python
from ..plan import Plan

# uWSGI is installed as its wheel, pyuwsgi (same `uwsgi` program, no compiler); other modules map through
# the one import -> distribution table
WHEEL_INSTEAD = {"uwsgi": "pyuwsgi"}


def package_for(module: str) -> str:
    return WHEEL_INSTEAD.get(module) or distribution_for(module)


@dataclass(frozen=True)
class AppEnv:
    python: str          # the interpreter that runs the app
    origin: str          # where it came from, for the report ("the app's .venv")

    @property
    def bin_dir(self) -> Path:
        return Path(self.python).parent

    def has_module(self, module: str) -> bool:
        code = f"import importlib.util, sys; sys.exit(0 if importlib.util.find_spec({module!r}) else 1)"
        try:
            done = subprocess.run([self.python, "-c", code], capture_output=True, timeout=30)
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
        """A console script of the app's environment (uwsgi has no `python -m` form)."""
        path = self.bin_dir / name
        if not path.exists():
            package = package_for(name)
            raise MissingDependency(
                f"{name} is not installed in the app's environment ({self.python}, {self.origin})",
                self.install_hint(package))

    def install_hint(self, package: str) -> str:
        if self.origin.startswith("Shipyard's own Python"):
            # not into Shipyard's own Python: the app gets an environment of its own
            return "run again with --install to create the app's .venv with its requirements and the server"
        return f"install it: {self.python} -m pip install {package}"
        return str(path)


def app_env(root: Path, environ: Mapping[str, str] | None = None) -> AppEnv:
    python, origin = app_python(Path(root), dict(environ) if environ is not None else None)
    return AppEnv(python, origin)


def database_env(plan: Plan, environ: Mapping[str, str]) -> dict[str, str]:
    """DATABASE_URL for apps that need PostgreSQL; raise a clear error when it is not set."""
    if not plan.needs_postgres:
        return {}
    url = environ.get("DATABASE_URL", "")
    if url:
        return {"DATABASE_URL": url}
    reasons = "; ".join(s.reason for s in plan.services if s.name == "postgres") or "db = \"postgres\""
    raise ShipyardError(
        f"this app needs PostgreSQL ({reasons}) and DATABASE_URL is not set",
        "start a PostgreSQL server and set DATABASE_URL=postgresql://USER:PASSWORD@127.0.0.1:5432/DBNAME, "
        "or run the whole stack with its database: `shipyard up`")


def server_env(plan: Plan, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for the app's processes: ours, plus the settings the generated files read."""
    env = dict(os.environ if environ is None else environ)
    env.update(database_env(plan, env))
    if plan.entry.settings_module:
        env.setdefault("DJANGO_SETTINGS_MODULE", plan.entry.settings_module)
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def install_app_env(root: Path, plan: Plan, say, environ: Mapping[str, str] | None = None) -> AppEnv:
    """Make the app's environment ready (`serve --install`, `dev --install`).

    With no active virtualenv and no .venv in the app, create ROOT/.venv; then install the plan's
    dependencies (which include the production server) into the app's environment, never into ours.
    """
    import sys

    env = app_env(root, environ)
    if env.origin.startswith("Shipyard's own"):
        venv = Path(root) / ".venv"
        creator = _python_for(plan.python.version) or sys.executable
        say(f"creating the app's virtualenv {venv} (with {creator})")
        _run_step([creator, "-m", "venv", str(venv)], "creating the virtualenv")
        env = AppEnv(str(venv / "bin" / "python"), "the app's .venv")
    requirements = [d.requirement for d in plan.dependencies]
    say(f"installing {len(requirements)} packages into {env.origin}: {' '.join(requirements)}")
    _run_step([env.python, "-m", "pip", "install", "--disable-pip-version-check", "-q", *requirements],
              "installing the app's dependencies")
    return env


def _python_for(version: str) -> str | None:
    """An interpreter of the plan's Python version that really runs (pyenv shims may not)."""
    import shutil

    found = shutil.which(f"python{version}")
    if not found:
        return None
    try:
        ok = subprocess.run([found, "-c", "import venv"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    return found if ok else None


def _run_step(cmd: list[str], what: str) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise ShipyardError(f"{what} failed: {tail[0]}", f"run it yourself to see more: {' '.join(cmd)}")
