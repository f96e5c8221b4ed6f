"""A read-only view of the app's folder. Detectors read this, never the current directory."""

from __future__ import annotations

import os
import re
import sys
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

from .errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# Folders that never hold the app to deploy: tooling, environments, and copies of the app
# kept for tests, docs, tutorials and examples.
SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "env", ".env", "virtualenv", "node_modules",
    "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages", "dist-packages",
    "build", "dist", ".eggs", "htmlcov", ".idea", ".vscode",
})
DECOY_DIRS = frozenset({
    "tests", "test", "testing", "docs", "doc", "examples", "example", "samples", "sample",
    "tutorial", "tutorials", "benchmarks", "bench", "migrations", "alembic", "scripts",
})
_STEP_DIR = re.compile(r"(step|part|chapter|lesson|stage)[-_]?\d+", re.I)


def is_decoy_dir(name: str) -> bool:
    return name.lower() in DECOY_DIRS or bool(_STEP_DIR.fullmatch(name))


class Project:
    """Files of one app folder, addressed by POSIX paths relative to its root."""

    MAX_FILES = 5000  # a repository bigger than this is not an app folder; stop walking

    def __init__(self, root: str | os.PathLike[str]) -> None:
        path = Path(root).expanduser()
        if not path.exists():
            raise UsageError(f"folder not found: {path}", "pass the path of your app's folder")
        if not path.is_dir():
            raise UsageError(f"not a folder: {path}", "pass the folder that holds your app, not a file")
        self.root = path.resolve()

    @property
    def name(self) -> str:
        table = self.pyproject.get("project", {})
        name = table.get("name") or self.pyproject.get("tool", {}).get("poetry", {}).get("name")
        return _slug(name or self.root.name)

    def path(self, rel: str) -> Path:
        return self.root / rel

    def exists(self, rel: str) -> bool:
        return (self.root / rel).exists()

    def is_file(self, rel: str) -> bool:
        return (self.root / rel).is_file()

    def read_text(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8", errors="replace")

    def read_toml(self, rel: str) -> dict[str, Any]:
        try:
            return tomllib.loads(self.read_text(rel))
        except tomllib.TOMLDecodeError as exc:
            raise UsageError(f"{rel} is not valid TOML: {exc}", f"fix {rel}") from None

    @cached_property
    def pyproject(self) -> dict[str, Any]:
        return self.read_toml("pyproject.toml") if self.is_file("pyproject.toml") else {}

    @property
    def tool_shipyard(self) -> dict[str, Any]:
        return dict(self.pyproject.get("tool", {}).get("shipyard", {}))

    @cached_property
    def files(self) -> tuple[str, ...]:
        """Every file outside tooling folders, sorted (decoy folders included; see `is_decoy`)."""
        found: list[str] = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.endswith(".egg-info")
                                 and not (Path(dirpath, d) / "pyvenv.cfg").exists())
            rel_dir = PurePosixPath(Path(dirpath).relative_to(self.root).as_posix())
            for f in sorted(filenames):
                found.append(str(rel_dir / f) if str(rel_dir) != "." else f)
                if len(found) >= self.MAX_FILES:
                    return tuple(sorted(found))
        return tuple(sorted(found))

    @property
    def python_files(self) -> tuple[str, ...]:
        return tuple(f for f in self.files if f.endswith(".py"))

    @staticmethod
    def is_decoy(rel: str) -> bool:
        """True for files under tests/, docs/, examples/, step_1/ and the like."""
        return any(is_decoy_dir(part) for part in PurePosixPath(rel).parts[:-1])

    def glob(self, pattern: str) -> Iterator[str]:
        for f in self.files:
            if PurePosixPath(f).match(pattern):
                yield f


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "app"
