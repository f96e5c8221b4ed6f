"""A requirements file named just `requirements`, with no suffix (`pip install -r requirements`, as some READMEs of
2016-2020 have it): pip reads it as it reads requirements.txt, so Shipyard does too, wherever it reads, copies or
scans the app's requirement files by their suffix (.txt, .pip)."""

from __future__ import annotations

from pathlib import PurePosixPath

PLAIN_NAME = "requirements"


def is_plain(rel: str) -> bool:
    """`rel` is a file named `requirements`, no suffix (not the requirements/ folder: callers pass files)."""
    return PurePosixPath(rel).name.lower() == PLAIN_NAME


def pip_format(rel: str, suffixes: tuple[str, ...] = (".txt", ".pip")) -> bool:
    """`rel` is a requirements file in pip's format: one of `suffixes`, or the plain `requirements`."""
    return rel.endswith(suffixes) or is_plain(rel)
