"""Writing rendered files into the app's folder safely.

A file is replaced only when shipyard wrote it and nobody edited it since (its header checksum still
matches), or with --force, which keeps a backup. Writes are atomic: a temp file, then os.replace.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .stamp import FOREIGN, GENERATED, origin

CREATED, UPDATED, UNCHANGED, KEPT, REPLACED = "created", "updated", "unchanged", "kept", "replaced"
BACKUP_SUFFIX = ".shipyard-bak"


@dataclass(frozen=True)
class Change:
    path: str                 # relative to the output folder
    status: str               # CREATED | UPDATED | UNCHANGED | KEPT | REPLACED
    new: str                  # the rendered text
    old: str | None           # what is on disk now, if anything
    reason: str = ""          # for KEPT/REPLACED: "edited by you" or "not written by shipyard"
    backup: str | None = None # for REPLACED: where the copy of `old` goes (a free numbered name)

    @property
    def writes(self) -> bool:
        return self.status in (CREATED, UPDATED, REPLACED)

    def diff(self) -> str:
        """Unified diff from the file on disk to what init would write ('' when nothing changes)."""
        if self.old == self.new:
            return ""
        return "".join(difflib.unified_diff((self.old or "").splitlines(keepends=True),
                                            self.new.splitlines(keepends=True),
                                            fromfile=f"a/{self.path}" if self.old is not None else "/dev/null",
                                            tofile=f"b/{self.path}"))


def plan_changes(out_dir: Path, files: dict[str, str], *, force: bool = False) -> list[Change]:
    """Decide, without writing, what happens to each file."""
    changes = []
    for rel, new in files.items():
        path = out_dir / rel
        if not path.exists():
            changes.append(Change(rel, CREATED, new, None))
            continue
        old = path.read_text(encoding="utf-8", errors="replace")
        if old == new:
            changes.append(Change(rel, UNCHANGED, new, old))
            continue
        kind = origin(old)
        if kind == GENERATED:
            changes.append(Change(rel, UPDATED, new, old))
            continue
        reason = "not written by shipyard" if kind == FOREIGN else "edited by you"
        if force:
            backup = free_backup_path(path, BACKUP_SUFFIX).relative_to(out_dir).as_posix()
            changes.append(Change(rel, REPLACED, new, old, reason, backup))
        else:
            changes.append(Change(rel, KEPT, new, old, reason))
    return changes


def apply(out_dir: Path, changes: list[Change]) -> None:
    """Write what `plan_changes` decided; a replaced file is first copied to its backup name
    (<file>.shipyard-bak, or .shipyard-bak.1, .2, ... when earlier backups exist)."""
    for change in changes:
        if not change.writes:
            continue
        path = out_dir / change.path
        if change.status == REPLACED and change.backup:
            _copy_exclusive(path, out_dir / change.backup)
        write_atomic(path, change.new)


def free_backup_path(path: Path, suffix: str) -> Path:
    """FILE<suffix>, else FILE<suffix>.1, .2, ...: the first name not taken, so no earlier copy is lost."""
    first = path.with_name(path.name + suffix)
    if not first.exists() and not first.is_symlink():
        return first
    n = 1
    while True:
        candidate = path.with_name(f"{path.name}{suffix}.{n}")
        if not candidate.exists() and not candidate.is_symlink():
            return candidate
        n += 1


def keep_backup(path: Path, suffix: str) -> Path:
    """Copy `path` to a free numbered backup name next to it and return that name."""
    while True:
        backup = free_backup_path(path, suffix)
        try:
            _copy_exclusive(path, backup)
            return backup
        except FileExistsError:   # taken between the check and the copy: try the next number
            continue


def _copy_exclusive(src: Path, dest: Path) -> None:
    """Byte-exact copy into a file that must not exist yet (O_EXCL: never over an earlier backup)."""
    data = src.read_bytes()
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, src.stat().st_mode & 0o777)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def write_atomic(path: Path, text: str, mode: int | None = None) -> None:
    """Write `text` to a temp file next to `path`, then rename it over `path`: never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    keep_mode = mode if mode is not None else (path.stat().st_mode & 0o777 if path.exists() else 0o644)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:   # name the file the user asked for, not the temp file next to it
        raise type(exc)(exc.errno, exc.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, keep_mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
