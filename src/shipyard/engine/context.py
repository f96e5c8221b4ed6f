"""The folder sent to the engine as the build context.

`shipyard build` never writes into the app's folder: when the app has its own Dockerfile (written by
`shipyard init`, or by hand), that folder is the context, as it is. Otherwise the generated files are
rendered into a temporary copy of the app (an overlay), which is built and then deleted.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

# Never copied into an overlay: version control, virtualenvs and caches (large, and never in an image).
OVERLAY_SKIP = (".git", ".hg", ".svn", ".venv", "venv", "__pycache__", "node_modules", ".pytest_cache",
                ".mypy_cache", ".ruff_cache", ".tox", ".nox", "*.pyc")


def base_args(base: str | None) -> dict[str, str]:
    """Build arguments that put a generated Dockerfile on `base`: BASE and BUILDER both, since the builder's
    virtualenv is copied into the final stage and must have been made by the same Python."""
    return {"BASE": base, "BUILDER": base} if base else {}


@dataclass
class BuildContext:
    root: Path                         # the folder sent to the engine
    dockerfile: Path
    generated: tuple[str, ...] = ()    # files rendered into an overlay (empty: the app's own files)
    _tmp: tempfile.TemporaryDirectory | None = field(default=None, repr=False)

    @property
    def is_overlay(self) -> bool:
        return self._tmp is not None

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> "BuildContext":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def existing(app_root: Path) -> BuildContext | None:
    dockerfile = app_root / "Dockerfile"
    return BuildContext(app_root, dockerfile) if dockerfile.is_file() else None


def overlay(app_root: Path, files: Mapping[str, str], outside: Mapping[str, Path] | None = None) -> BuildContext:
    """A temporary copy of the app with `files` (path -> text) written over it, and each folder of `outside`
    (path in the copy -> a folder outside the app that its code puts on sys.path: render.outside_sources) copied in."""
    tmp = tempfile.TemporaryDirectory(prefix="shipyard-build-")
    root = Path(tmp.name) / "context"
    try:
        shutil.copytree(app_root, root, symlinks=True, ignore=shutil.ignore_patterns(*OVERLAY_SKIP))
        for rel, folder in (outside or {}).items():
            if folder.is_dir():
                shutil.copytree(folder, root / rel, symlinks=True, ignore=shutil.ignore_patterns(*OVERLAY_SKIP))
        for rel, text in files.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    except BaseException:
        tmp.cleanup()
        raise
    return BuildContext(root, root / "Dockerfile", tuple(files), tmp)
