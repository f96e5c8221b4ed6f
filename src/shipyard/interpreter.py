"""The interpreter whose installed metadata maps imports to distributions: the app's own environment when
it has one (see environments.py), else Shipyard's own.

`serve`, `dev` and the import proof pick their interpreter in environments.py; this is the read-only
answer for detectors that only look at what is installed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .environments import VENV_NAMES, app_environment, broken_venvs

__all__ = ["VENV_NAMES", "app_python"]


def app_python(app_root: Path, environ: dict[str, str] | None = None) -> tuple[str, str]:
    """Return (path to python, where it came from)."""
    found = app_environment(Path(app_root), environ)
    if found is not None:
        return found.python, found.origin
    broken = broken_venvs(Path(app_root))
    if broken:
        # say so: silently running the app with another Python is how "works here, fails there" starts
        return sys.executable, f"Shipyard's own Python, because {broken[0]}"
    return sys.executable, "Shipyard's own Python (the app has no environment of its own)"
