"""A read-only view of the app's folder. Detectors read this, never the current directory."""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys
from collections import deque
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


# What a virtualenv holds beside its pyvenv.cfg (Linux/macOS, Windows): its interpreter and packages.
_VENV_LAYOUT = ("bin", "Scripts", "lib", "Lib")


def is_virtualenv_dir(path: str) -> bool:
    """True for a folder that is a virtualenv: pyvenv.cfg beside bin/, Scripts/ or lib/. A pyvenv.cfg alone is the
    leftover of a `python -m venv .` run inside the app's own folder whose bin/ and lib/ were gitignored, and that
    folder (backend/ with run.py and the app's package) is the app, not an environment."""
    if not os.path.exists(os.path.join(path, "pyvenv.cfg")):
        return False
    return any(os.path.isdir(os.path.join(path, name)) for name in _VENV_LAYOUT)


# Every scan reads through `Project.read_text`, which only opens regular files of at most this size:
# a FIFO would block the scan forever, a symlink to /dev/zero would be read until memory runs out.
MAX_READ_BYTES = 4 * 1024 * 1024
# the files Python source is read from: modules, and mod_wsgi's script files (loaded by path, not imported)
PYTHON_SUFFIXES = (".py", ".wsgi")
WSGI_SCRIPT_SUFFIX = ".wsgi"


class Project:
    """Files of one app folder, addressed by POSIX paths relative to its root."""

    # A folder with more files than this (outside tooling folders) is not one app; the walk stops and
    # `notes` says so. Breadth-first, so the shallow files, where an app lives, are always listed.
    MAX_FILES = 100_000

    def __init__(self, root: str | os.PathLike[str]) -> None:
        path = Path(root).expanduser()
        if not path.exists():
            raise UsageError(f"folder not found: {path}", "pass the path of your app's folder")
        if not path.is_dir():
            raise UsageError(f"not a folder: {path}", "pass the folder that holds your app, not a file")
        if not os.access(path, os.R_OK | os.X_OK):
            raise UsageError(f"cannot read the folder {path}: permission denied",
                             "make it readable for this user (chmod u+rx), or run as its owner")
        self.root = path.resolve()
        self.skipped: dict[str, str] = {}   # path -> why the scan left it out (FIFO, dangling link, too big)
        self.truncated = False

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
        """The file's text (undecodable bytes replaced); UsageError when it is not a regular file
        of at most MAX_READ_BYTES or cannot be read. The one reader every detector uses."""
        return read_limited(self.root / rel, rel)

    def scan_text(self, rel: str) -> str | None:
        """Like read_text for files the scan merely looks through: None (and a note) when unreadable."""
        try:
            return self.read_text(rel)
        except UsageError as exc:
            self.skipped[rel] = exc.message.split(": ", 1)[-1]
            return None

    def read_toml(self, rel: str) -> dict[str, Any]:
        try:
            return tomllib.loads(self.read_text(rel))
        except tomllib.TOMLDecodeError as exc:
            raise UsageError(f"{rel} is not valid TOML: {exc}", f"fix {rel}") from None

    @cached_property
    def pyproject(self) -> dict[str, Any]:
        data = self.read_toml("pyproject.toml") if self.is_file("pyproject.toml") else {}
        check_pyproject(data, "pyproject.toml")
        return data

    @property
    def tool_shipyard(self) -> dict[str, Any]:
        return dict(self.pyproject.get("tool", {}).get("shipyard", {}))

    @property
    def notes(self) -> tuple[str, ...]:
        """What the user should know about the scan itself (files left out, a walk that stopped)."""
        self.files  # noqa: B018 - the walk fills `skipped` and `truncated`
        notes = []
        if self.truncated:
            notes.append(f"the scan stopped after {self.MAX_FILES} files in {self.root}: point Shipyard at the "
                         "app's own folder, or name the app with --entry")
        if self.skipped:
            shown = sorted(self.skipped.items())[:5]
            more = f" and {len(self.skipped) - 5} more" if len(self.skipped) > 5 else ""
            notes.append("not read: " + "; ".join(f"{rel} ({why})" for rel, why in shown) + more)
        return tuple(notes)

    @cached_property
    def files(self) -> tuple[str, ...]:
        """Every regular file outside tooling folders, sorted (decoy folders included; see `is_decoy`).

        Breadth-first; symlinked folders are not followed (no loops); FIFOs, sockets, devices and
        dangling or looping symlinks are left out and listed in `skipped`."""
        found: list[str] = []
        todo: deque[str] = deque([""])
        while todo and not self.truncated:
            rel_dir = todo.popleft()
            try:
                entries = sorted(os.scandir(self.root / rel_dir), key=lambda e: e.name)
            except OSError as exc:
                self.skipped[rel_dir or "."] = _why(exc)
                continue
            for entry in entries:
                rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
                kind = _kind(entry)
                if kind == "dir":
                    if entry.name not in SKIP_DIRS and not entry.name.endswith(".egg-info") \
                            and not is_virtualenv_dir(entry.path):
                        todo.append(rel)
                elif kind == "file":
                    found.append(rel)
                    if len(found) >= self.MAX_FILES:
                        self.truncated = True
                        break
                elif kind != "dirlink":
                    self.skipped[rel] = kind
        return tuple(sorted(found))

    @cached_property
    def python_files(self) -> tuple[str, ...]:
        """The Python files the scan parses: regular files of at most MAX_READ_BYTES, .py and mod_wsgi's .wsgi
        script files (Python that mod_wsgi loads by path: `WSGIScriptAlias / app.wsgi`, which holds
        `application`)."""
        out = []
        for f in self.files:
            if not f.endswith(PYTHON_SUFFIXES):
                continue
            try:
                size = (self.root / f).stat().st_size
            except OSError as exc:
                self.skipped[f] = _why(exc)
                continue
            if size > MAX_READ_BYTES:
                self.skipped[f] = f"{size // (1024 * 1024)} MiB, larger than the {MAX_READ_BYTES // (1024 * 1024)} MiB " \
                                  "Shipyard reads"
                continue
            out.append(f)
        return tuple(out)

    @staticmethod
    def is_decoy(rel: str) -> bool:
        """True for files under tests/, docs/, examples/, step_1/ and the like."""
        return any(is_decoy_dir(part) for part in PurePosixPath(rel).parts[:-1])

    def glob(self, pattern: str) -> Iterator[str]:
        for f in self.files:
            if PurePosixPath(f).match(pattern):
                yield f


def read_limited(path: Path, shown: str | None = None) -> str:
    """Text of a regular file of at most MAX_READ_BYTES, else UsageError. Opened non-blocking, so a FIFO
    cannot hang the caller, and checked with fstat on the open file, so a symlink to a device is refused."""
    shown = shown or str(path)
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise UsageError(f"cannot read {shown}: it is a {_type_name(mode)}, not a regular file",
                             f"remove or rename {shown}")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise UsageError(f"cannot read {shown}: {_why(exc)}", _fix_hint(exc, shown)) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(f"cannot read {shown}: it is a {_type_name(info.st_mode)}, not a regular file",
                             f"remove or rename {shown}")
        try:
            data = handle.read(MAX_READ_BYTES + 1)
        except OSError as exc:
            raise UsageError(f"cannot read {shown}: {_why(exc)}", _fix_hint(exc, shown)) from None
    if len(data) > MAX_READ_BYTES:
        raise UsageError(f"cannot read {shown}: larger than the {MAX_READ_BYTES // (1024 * 1024)} MiB Shipyard reads",
                         f"{shown} should be a small text file")
    return decode_text(data)


# Byte-order marks and the codec each opens (UTF-32's before UTF-16's: the UTF-32 LE mark starts with UTF-16's).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode_text(data: bytes) -> str:
    """A file's text: the encoding its byte-order mark names, else UTF-8 (undecodable bytes replaced), the
    mark dropped. Windows PowerShell's `pip freeze > requirements.txt` writes UTF-16 with a mark, and pip
    reads it so; decoded as UTF-8 it is NUL-separated noise that declares nothing. A line end a byte-wise tool
    appended after such text (an editor's final newline: one b"\n" after the UTF-16 freeze) is no character of it."""
    for mark, codec in _BOMS:
        if data.startswith(mark):
            body = data[len(mark):]
            stray = len(body) % (4 if "32" in codec else 2 if "16" in codec else 1)
            if stray and not body[len(body) - stray:].strip():
                body = body[:len(body) - stray]
            return body.decode(codec, errors="replace")
    return data.decode("utf-8", errors="replace")


def _kind(entry: os.DirEntry) -> str:
    """'dir', 'file', 'dirlink' (not followed) or why the entry is not scanned."""
    try:
        if entry.is_symlink():
            try:
                target = os.stat(entry.path)
            except OSError as exc:
                return "symlink loop" if exc.errno == 40 else "dangling symlink"
            if stat.S_ISDIR(target.st_mode):
                return "dirlink"
            mode = target.st_mode
        else:
            mode = entry.stat(follow_symlinks=False).st_mode
    except OSError as exc:
        return _why(exc)
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISREG(mode):
        return "file"
    return _type_name(mode)


def _type_name(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISDIR, "folder")):
        if test(mode):
            return name
    return "special file"


def _why(exc: OSError) -> str:
    return exc.strerror.lower() if exc.strerror else str(exc)


def _fix_hint(exc: OSError, shown: str) -> str:
    if isinstance(exc, PermissionError):
        return f"make {shown} readable for this user (chmod u+r)"
    return f"check {shown}"


# The pyproject tables Shipyard reads, with the shape each must have: a wrong shape is the user's typo
# and gets one line naming the key, not an AttributeError deep in a detector.
_TABLES = ("project", "tool", "tool.poetry", "tool.shipyard", "build-system")
_STRINGS = ("project.name", "project.requires-python", "tool.poetry.name")
_LISTS_OF_STRINGS = ("project.dependencies",)


def check_pyproject(data: dict[str, Any], rel: str) -> None:
    """UsageError naming the key when a table Shipyard reads has the wrong shape."""
    def lookup(dotted: str) -> Any:
        node: Any = data
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    for key in _TABLES:
        value = lookup(key)
        if value is not None and not isinstance(value, dict):
            raise UsageError(f"{rel}: {key} = {value!r} is not a table",
                             f"write it as a [{key}] section, or remove it")
    for key in _STRINGS:
        value = lookup(key)
        if value is not None and not isinstance(value, str):
            raise UsageError(f"{rel}: {key} = {value!r} is not a string", f'quote it: {key.rsplit(".", 1)[1]} = "..."')
    for key in _LISTS_OF_STRINGS:
        value = lookup(key)
        if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise UsageError(f"{rel}: {key} = {value!r} is not a list of strings",
                             f'write it as {key.rsplit(".", 1)[1]} = ["flask>=3", ...]')
    optional = lookup("project.optional-dependencies")
    if optional is not None and not (isinstance(optional, dict) and all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in optional.values())):
        raise UsageError(f"{rel}: project.optional-dependencies is not a table of lists of strings",
                         'write it as [project.optional-dependencies] with extra = ["package", ...]')
    for key in ("tool.poetry.dependencies", "tool.poetry.dev-dependencies"):
        value = lookup(key)
        if value is not None and not isinstance(value, dict):
            raise UsageError(f"{rel}: {key} = {value!r} is not a table",
                             f'write it as [{key}] with flask = "^3.0"')


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "app"


def compose_project_name(name: str) -> str:
    """A Compose project name every Compose version accepts: lower case letters, digits, `-` and `_`."""
    cleaned = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-_")
    return cleaned or "app"
