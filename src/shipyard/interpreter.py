"""Which Python runs the user's app: the active virtualenv, else the app's .venv, else ours.

`serve`, `dev` and the import check run the app with the app's own interpreter, never with
Shipyard's (Shipyard is installed once, with pipx or in a tools environment).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

VENV_NAMES = (".venv", "venv", "env")


def _venv_python(venv: Path) -> Path | None:
    for rel in ("bin/python", "Scripts/python.exe"):
        if (venv / rel).exists():
            return venv / rel
    return None


def app_python(app_root: Path, environ: dict[str, str] | None = None) -> tuple[str, str]:
    """Return (path to python, where it came from)."""
    env = os.environ if environ is None else environ
    active = env.get("VIRTUAL_ENV")
    if active and (py := _venv_python(Path(active))):
        return str(py), f"active virtualenv {active}"
    broken = []
    for name in VENV_NAMES:
        venv = app_root / name
        if (venv / "pyvenv.cfg").exists():
            if py := _venv_python(venv):
                return str(py), f"the app's {name}"
            broken.append(name)
    if broken:
        # say so: silently running the app with another Python is how "works here, fails there" starts
        return sys.executable, (f"Shipyard's own Python, because the app's {broken[0]} has no working python "
                                f"(a dangling symlink? recreate it: rm -r {broken[0]}, then run with --install)")
    return sys.executable, "Shipyard's own Python (no virtualenv is active and the app has no .venv)"
