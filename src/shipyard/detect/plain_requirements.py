"""A requirements file named just `requirements`, with no suffix (`pip install -r requirements`, as some READMEs of
2016-2020 have it): pip reads it as it reads requirements.txt, so Shipyard does too, wherever it reads, copies or
scans the app's requirement files by their suffix (.txt, .pip)."""

from __future__ import annotations

from pathlib import PurePosixPath

from packaging.requirements import InvalidRequirement, Requirement

PLAIN_NAME = "requirements"


def is_plain(rel: str) -> bool:
    """`rel` is a file named `requirements`, no suffix (not the requirements/ folder: callers pass files)."""
    return PurePosixPath(rel).name.lower() == PLAIN_NAME


def pip_format(rel: str, suffixes: tuple[str, ...] = (".txt", ".pip")) -> bool:
    """`rel` is a requirements file in pip's format: one of `suffixes`, or the plain `requirements`."""
    return rel.endswith(suffixes) or is_plain(rel)


def reads_as_requirements(text: str) -> bool:
    """Every line of `text` is one pip reads (a requirement, an option such as -r or -e, a URL or a path) and one
    at least is a requirement: not prose (a `requirements` file that says "You need Python 3 and Flask"), which
    `pip install -r` would refuse and the image's install with it."""
    found = False
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("-", "git+", "hg+", "svn+", "bzr+", "http://", "https://", "file:", "./", "../", "/")):
            continue
        try:
            Requirement(line)
        except InvalidRequirement:
            return False
        found = True
    return found
