"""One line out of an image build that failed installing the app's packages: which package, why, what to do.

The engine's output is the installer's (uv's) pages inside the build's; install_errors reads them as it does for
installs on this machine. What to do differs in an image: the Python is the base image's, so a package with no
wheel for it wants the base the Dockerfile was made for (its `ARG BASE=python:X.Y-...` default), not --python.
"""

from __future__ import annotations

import re

from . import install_errors

# the Python a Dockerfile is made for: its BASE default, else (a base given at render time) the example of its
# header comment, `docker build --build-arg BASE=python:3.9-slim-bookworm`
_MADE_FOR = (re.compile(r"^ARG BASE=python:(\d+\.\d+)", re.M), re.compile(r"\bBASE=python:(\d+\.\d+)"))


def install_failure(step: str, output: str, dockerfile: str, base_python: str | None) -> tuple[str, str] | None:
    """(what failed and why, what to do) when the failing step installs packages; None for any other step.
    `base_python`: the X.Y of the base the build was given (None: the Dockerfile's own, or not known)."""
    if not re.search(r"\bpip install\b", step):
        return None
    message, hint = install_errors.explain(output)
    made_for = _MADE_FOR[0].search(dockerfile) or _MADE_FOR[1].search(dockerfile)
    wanted = made_for.group(1) if made_for else None
    if "no wheel for this Python" not in message and "does not build" not in message:
        return message, hint
    python = base_python or wanted
    message = message.replace("this Python", f"Python {python}") if python else message
    if base_python and wanted and base_python != wanted:
        hint = (f"the base image has Python {base_python}, the Dockerfile is made for Python {wanted}: build on a base "
                f"with Python {wanted} (its default, python:{wanted}-slim-bookworm), or relax the pin")
    else:
        hint = ("relax the pin to a release with wheels for this Python, build on a base with a Python it has wheels "
                "for (--base, with `shipyard init --python X.Y`), or give a BUILDER image with compilers "
                "(e.g. python:X.Y-bookworm)")
    return message, hint
