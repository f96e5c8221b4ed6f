"""One line out of an image build that failed installing the app's packages: which package, why, what to do.

The engine's output is the installer's (uv's) pages inside the build's; install_errors reads them as it does for
installs on this machine. What to do differs in an image: the Python is the base image's, so a package with no
wheel for it wants the base the Dockerfile was made for (its `ARG BASE=python:X.Y-...` default), not --python.
"""

from __future__ import annotations

import re

from . import install_errors
from .detect.pyversion import official_image

# the Python a Dockerfile is made for: its BASE default, else (a base given at render time) the example of its
# header comment, `docker build --build-arg BASE=python:3.9-slim-bookworm`
_MADE_FOR = (re.compile(r"^ARG BASE=python:(\d+\.\d+)", re.M), re.compile(r"\bBASE=python:(\d+\.\d+)"))


def install_failure(step: str, output: str, dockerfile: str, base_python: str | None) -> tuple[str, str] | None:
    """(what failed and why, what to do) when the failing step installs packages; None for any other step.
    `base_python`: the X.Y of the base the build was given (None: the Dockerfile's own, or not known)."""
    if not re.search(r"\bpip install\b", step):
        return None
    message, hint = install_errors.explain(output)
    wanted = made_for(dockerfile)
    if "no wheel for this Python" not in message and "does not build" not in message:
        return message, hint
    python = base_python or wanted
    message = message.replace("this Python", f"Python {python}") if python else message
    if base_python and wanted and base_python != wanted:
        hint = (f"the base image has Python {base_python}, the Dockerfile is made for Python {wanted}: build on a base "
                f"with Python {wanted} (its default, {official_image(wanted)}), or relax the pin")
    else:
        hint = ("relax the pin to a release with wheels for this Python, build on a base with a Python it has wheels "
                "for (--base, with `shipyard init --python X.Y`), or give a BUILDER image with compilers "
                "(e.g. python:X.Y-bookworm)")
    return message, hint


def made_for(dockerfile: str) -> str | None:
    """The Python (X.Y) the Dockerfile is made for, when it says."""
    found = _MADE_FOR[0].search(dockerfile) or _MADE_FOR[1].search(dockerfile)
    return found.group(1) if found else None


def base_mismatch(dockerfile: str, base: str, base_python: str | None) -> str | None:
    """One warning line when the base given has another Python than the Dockerfile is made for (its pins and
    their markers are for that Python: packages may not install, or be left out), else None."""
    wanted = made_for(dockerfile)
    if not base_python or not wanted or base_python == wanted:
        return None
    return (f"warning: the base image {base} has Python {base_python}; this Dockerfile is made for Python {wanted} "
            f"(the app's): its packages may not install or run there; build on a base with Python {wanted} "
            f"({official_image(wanted)})")
