"""The setuptools that venv and virtualenv put into every environment before Python 3.12.

uv's environments (Shipyard's local ones and the image's) carry none, and old apps' packages import its
pkg_resources (aiosql, Pyramid, many Flask extensions), which setuptools 81 removed: an environment of such a
Python gets setuptools below 81, as venv would have given it."""

from __future__ import annotations

SEEDED_BEFORE = (3, 12)
SEED = "setuptools<81"


def is_seeded(minor: str) -> bool:
    """Whether venv seeds setuptools for Python `minor` ("3.11")."""
    return tuple(int(p) for p in minor.split(".")[:2]) < SEEDED_BEFORE
