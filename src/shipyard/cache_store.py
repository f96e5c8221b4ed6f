"""Shipyard's cache ($XDG_CACHE_HOME/shipyard): what it holds, which of it is in use, and removing it safely.

What is kept there, by kind:
  envs/      proof environments (a uv virtualenv per Python version and dependency set)
  overlays/  servers, supervisord and debugpy per Python version, layered on an app's own environment
  wheels/    wheels pip built when uv could not
  runtime    locales/ and django-settings-*/: files a served app reads while it runs
  installed/ what big environments have installed (detect/imports.py), keyed by their metadata files
  logs/      uv's and pip's full output, named by errors
  memos      small JSON files of what installs learned (*.json, proof-searches/)

A folder that a run uses (`use`) gets two marks: the mtime of its `.last-used` file (prune keeps what was used
recently) and a shared flock on the folder itself, held until the process ends (prune and clean take an exclusive
one without waiting, and skip what they cannot have: an environment another Shipyard process is using now).
A build in progress holds an exclusive lock on its `.NAME.building-locked-XXXX` folder: unlocked, it is what a
killed build left (a `.NAME.building-XXXX` one, of a Shipyard older than the locks, after a grace period).
Removal renames the folder to `.NAME.removing-XXXX` first, so no new user finds it half gone.

Most files of an environment are hard links into uv's own cache ($XDG_CACHE_HOME/uv): `du` counts them here, but
removing the environment frees only the files no one else links; sizes say both.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import stat
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

USED = ".last-used"
DAY = 86400.0
PRUNE_DAYS = 30            # `shipyard cache prune` without --older-than
AUTO_DAYS = 60             # the automatic eviction: environments unused this long
AUTO_EVERY = DAY           # ... looked for at most once a day
AUTO_SECONDS = 10.0        # ... for at most this long, the rest the next day: a build takes longer (removing one
                           # environment takes 0.1 to 2 s, on a disk others write to)
STAMP = ".last-auto-prune"
# the build folder's name, by a Shipyard that locks it while it builds: unlocked, it is dead
LOCKED_BUILD = "building-locked-"
# a build folder of a Shipyard older than the locks (which took none) may still be filled this long after its last
# change: it waits (no build runs longer; proof_timeout is minutes, an install's limit 30)
BUILD_GRACE = 2 * 3600.0
_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<state>building|removing)-[^.]+$")
KINDS = ("envs", "overlays", "wheels", "runtime", "logs", "memos")
FOLDER_KINDS = {"envs": "envs", "overlays": "overlays", "wheels": "wheels"}

_held: dict[str, int] = {}       # folder -> descriptor holding its shared lock until the process ends


# ------------------------------------------------------------------------------------------- users' marks

def use(folder: Path, wait: float = 10.0) -> bool:
    """Mark `folder` used now and hold a shared lock on it until this process ends. False when it is gone or
    going (a prune or clean is removing it): the caller builds it again."""
    key = str(folder)
    held = _held.get(key)
    if held is not None and _still_at(held, folder):
        _touch(folder / USED)
        return True
    fd = _open_folder(folder)
    if fd is None:
        return False
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            break
        except OSError as exc:
            # a remover holds its exclusive lock only while it renames the folder away
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN) or time.monotonic() > deadline:
                os.close(fd)
                return False
            time.sleep(0.05)
    if not _still_at(fd, folder):          # removed while we waited: another folder (or none) has the name now
        os.close(fd)
        return False
    if held is not None:
        os.close(held)
    _held[key] = fd
    _touch(folder / USED)
    return True


def lock_building(folder: Path) -> int | None:
    """An exclusive lock on the folder a build fills (prune leaves it alone); pass it to `built` or `release`."""
    fd = _open_folder(folder)
    if fd is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return None
    return fd


def built(lock: int | None, final: Path) -> None:
    """The build folder locked by `lock` was renamed to `final`: this process uses it, and holds it as such."""
    if lock is None:
        use(final)
        return
    fcntl.flock(lock, fcntl.LOCK_SH)
    old = _held.pop(str(final), None)
    if old is not None:
        os.close(old)
    _held[str(final)] = lock
    _touch(final / USED)


def release(lock: int | None) -> None:
    if lock is not None:
        os.close(lock)


def _open_folder(folder: Path) -> int | None:
    try:
        return os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None


def _still_at(fd: int, folder: Path) -> bool:
    try:
        now, ours = os.stat(folder), os.fstat(fd)
    except OSError:
        return False
    return (now.st_dev, now.st_ino) == (ours.st_dev, ours.st_ino)


def _touch(path: Path) -> None:
    """The mark's mtime is the last use: one open and one utime, atomic, no content."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o644))
        os.utime(path)
    except OSError:
        pass                # a read-only cache still serves; prune then goes by the build's date


def last_used(folder: Path) -> float:
    """When `folder` was last used: its mark, else when it was completed (built before marks existed)."""
    for name in (USED, ".complete"):
        try:
            return (folder / name).stat().st_mtime
        except OSError:
            continue
    try:
        return folder.stat().st_mtime
    except OSError:
        return 0.0


# --------------------------------------------------------------------------------------------- entries

@dataclass(frozen=True)
class Entry:
    kind: str
    path: Path
    used: float             # last use (a file's mtime for logs and memos)
    state: str = "ready"    # "ready", or a leftover: "building" (half-built), "removing" (half-removed)
    lockable: bool = True   # a folder users lock (environments, overlays, runtime files)


def entries(root: Path) -> list[Entry]:
    """Everything in the cache, by kind; cheap (one stat or two per entry, nothing walked)."""
    found: list[Entry] = []
    for kind, sub in FOLDER_KINDS.items():
        for path in _listed(root / sub):
            leftover = _LEFTOVER.match(path.name)
            if leftover:
                found.append(Entry(kind, path, _newest_mtime(path), leftover.group("state")))
            elif path.is_dir() and not path.is_symlink():
                found.append(Entry(kind, path, last_used(path)))
            else:
                found.append(Entry(kind, path, _mtime(path), lockable=False))
    for path in _listed(root / "logs"):
        found.append(Entry("logs", path, _mtime(path), lockable=False))
    for path in [*_listed(root), *_listed(root / "proof-searches")]:
        if path.name in (*FOLDER_KINDS.values(), "logs", "proof-searches", STAMP):
            continue
        if path.is_dir() and not path.is_symlink():
            # locales/, django-settings-*/ (or a folder of a later Shipyard): locked by the runs that read them
            found.append(Entry("runtime", path, last_used(path)))
        elif path.name.startswith("."):
            # a memo being written (cachefile.write renames it into place): removed only once surely abandoned
            found.append(Entry("memos", path, _mtime(path), "building", lockable=False))
        else:
            found.append(Entry("memos", path, _mtime(path), lockable=False))
    return found


def _listed(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []


def _mtime(path: Path) -> float:
    try:
        return path.lstat().st_mtime
    except OSError:
        return 0.0


def _newest_mtime(folder: Path) -> float:
    """A build folder's latest activity: uv adds files to site-packages and bin as it installs."""
    places = [folder, folder / "bin", *folder.glob("lib/python*/site-packages")]
    return max((_mtime(p) for p in places), default=0.0)


# ------------------------------------------------------------------------------------------------ sizes

class Usage:
    """Space taken by files, counting each file once however many hard links it has (as du does), and the part of
    it only these files hold (no link from elsewhere, such as uv's cache): what removing them frees. Kept per kind,
    a file linked from two kinds counting in the first."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self._inodes: dict[tuple[int, int], list] = {}      # (dev, ino) -> [links, seen here, bytes, kind]

    def add_tree(self, path: Path, kind: str = "all", remove: bool = False) -> None:
        """Count `path` and all below it; `remove`: and remove each file once counted (one pass, not a walk and
        then shutil.rmtree's: removing an environment is that much of a prune's time)."""
        self.counts[kind] = self.counts.get(kind, 0) + 1
        try:
            top = os.lstat(path)
        except OSError:
            return
        self._add(top, kind)
        folder = os.path.isdir(path) and not os.path.islink(path)
        if folder:
            self._walk(str(path), kind, remove)
        if remove:
            try:
                os.rmdir(path) if folder else os.unlink(path)
            except FileNotFoundError:
                pass

    def _walk(self, folder: str, kind: str, remove: bool) -> None:
        try:
            with os.scandir(folder) as listing:
                items = list(listing)
        except OSError:
            return
        for item in items:
            try:
                st = item.stat(follow_symlinks=False)
            except OSError:
                continue
            self._add(st, kind)
            below = item.is_dir(follow_symlinks=False)
            if below:
                self._walk(item.path, kind, remove)
            if remove:
                try:
                    os.rmdir(item.path) if below else os.unlink(item.path)
                except OSError:
                    pass           # shutil.rmtree tries what is left once more

    def _add(self, st: os.stat_result, kind: str) -> None:
        known = self._inodes.get((st.st_dev, st.st_ino))
        if known is not None:
            known[1] += 1
        else:
            # a folder's links are its own entries (".", its subfolders' ".."), never another name for it
            links = 1 if stat.S_ISDIR(st.st_mode) else st.st_nlink
            self._inodes[(st.st_dev, st.st_ino)] = [links, 1, st.st_blocks * 512, kind]

    def count(self, kind: str | None = None) -> int:
        return sum(n for k, n in self.counts.items() if kind in (None, k))

    def on_disk(self, kind: str | None = None) -> int:
        return sum(size for _, _, size, k in self._inodes.values() if kind in (None, k))

    def only_here(self, kind: str | None = None) -> int:
        return sum(size for links, seen, size, k in self._inodes.values() if seen >= links and kind in (None, k))


def measure(found: Iterable[Entry]) -> Usage:
    usage = Usage()
    for entry in found:
        usage.add_tree(entry.path, entry.kind)
    return usage


# ---------------------------------------------------------------------------------------------- removal

@dataclass
class Outcome:
    """What a prune or clean did."""
    removed: list[Entry] = field(default_factory=list)
    in_use: list[Entry] = field(default_factory=list)     # locked by another process: left alone
    building: list[Entry] = field(default_factory=list)   # a build in progress (or too recent to tell): left alone
    freed: Usage = field(default_factory=Usage)
    unfinished: int = 0                                   # left for later: the time budget ran out

    def as_json(self, dry_run: bool = False) -> dict:
        return {"removed": [_entry_json(e) for e in self.removed], "in_use": [str(e.path) for e in self.in_use],
                "building": [str(e.path) for e in self.building], "dry_run": dry_run,
                "freed_bytes": self.freed.only_here(), "on_disk_bytes": self.freed.on_disk(),
                "left_for_later": self.unfinished}


def _entry_json(entry: Entry) -> dict:
    return {"kind": entry.kind, "path": str(entry.path), "state": entry.state, "last_used": entry.used}


def choose(found: Iterable[Entry], older_than: float | None, now: float,
           kinds: Iterable[str] = KINDS) -> list[Entry]:
    """What prune (`older_than` seconds) or clean (None: everything) removes. Prune keeps the memos: small, and
    what they record spares later installs their failed attempts."""
    wanted = set(kinds)
    chosen = []
    for entry in found:
        if entry.kind not in wanted:
            continue
        if entry.state == "removing":
            chosen.append(entry)
        elif entry.state == "building":
            chosen.append(entry)           # remove() checks its lock and age
        elif older_than is None:
            chosen.append(entry)
        elif entry.kind != "memos" and now - entry.used > older_than:
            chosen.append(entry)
    return chosen


def remove_all(chosen: Iterable[Entry], *, now: float, dry_run: bool = False, budget: float | None = None,
               progress: Callable[[Entry], None] | None = None) -> Outcome:
    outcome = Outcome()
    started = time.monotonic()
    chosen = list(chosen)
    for index, entry in enumerate(chosen):
        if budget is not None and time.monotonic() - started > budget:
            outcome.unfinished = len(chosen) - index
            break
        if entry.state == "building" and LOCKED_BUILD not in entry.path.name and now - entry.used < BUILD_GRACE:
            outcome.building.append(entry)
            continue
        state = _remove(entry, outcome.freed, dry_run)
        if state == "removed":
            outcome.removed.append(entry)
            if progress:
                progress(entry)
        elif state == "in_use":
            (outcome.building if entry.state == "building" else outcome.in_use).append(entry)
    return outcome


def _remove(entry: Entry, freed: Usage, dry_run: bool) -> str:
    """"removed", "in_use" (another process holds its lock) or "gone"."""
    path = entry.path
    if not entry.lockable or not path.is_dir() or path.is_symlink():
        if not os.path.lexists(path):
            return "gone"
        freed.add_tree(path, entry.kind, remove=not dry_run)
        if not dry_run and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        return "removed"
    fd = _open_folder(path)
    if fd is None:
        return "gone"
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return "in_use"
        if not _still_at(fd, path):
            return "gone"
        if dry_run:
            freed.add_tree(path, entry.kind)
            return "removed"
        if entry.state == "removing":
            grave = path
        else:
            grave = path.with_name(f".{path.name}.removing-{uuid.uuid4().hex[:8]}")
            os.rename(path, grave)       # from here on no user finds it; those waiting see it gone
    finally:
        os.close(fd)
    freed.add_tree(grave, entry.kind, remove=True)
    if grave.exists():
        shutil.rmtree(grave, ignore_errors=True)
    return "removed"


# ------------------------------------------------------------------------------------- automatic eviction

def evict_unused(root: Path, *, now: float | None = None, say: Callable[[str], None] | None = None) -> Outcome | None:
    """At most once a day, when a build is about to add to the cache: remove the environments and overlays no run
    used for AUTO_DAYS days and what killed builds left, for at most AUTO_SECONDS. None when not due. Safe as
    prune is: what another process uses is locked and skipped; a later run rebuilds what it needs."""
    now = time.time() if now is None else now
    stamp = root / STAMP
    if now - _mtime(stamp) < AUTO_EVERY:
        return None
    try:
        root.mkdir(parents=True, exist_ok=True)
        _touch(stamp)            # first: another process starting now finds it done
        chosen = choose(entries(root), AUTO_DAYS * DAY, now, kinds=("envs", "overlays"))
        outcome = remove_all(chosen, now=now, budget=AUTO_SECONDS)
    except OSError:
        return None              # a cache it may not change: `shipyard cache prune` says why; the build goes on
    if outcome.removed and say:
        say(f"removed {len(outcome.removed)} cached environments unused for {AUTO_DAYS} days or left half-built "
            f"({human(outcome.freed.only_here())} freed); see `shipyard cache info`")
    return outcome


# -------------------------------------------------------------------------------------------------- words

def human(size: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"


def parse_age(text: str) -> float:
    """Seconds in "30", "30d", "12h", "2w" (days when no unit); ValueError otherwise."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([dhw]?)\s*", text.lower())
    if not match:
        raise ValueError(text)
    return float(match.group(1)) * {"": DAY, "d": DAY, "h": 3600.0, "w": 7 * DAY}[match.group(2)]
