"""The heads of an Alembic script directory, read from its revision files without importing them.

`alembic upgrade head` stops at "Multiple head revisions are present" when two migrations revise the same
parent (two branches merged in git, each with its own migration) or when the folder holds separate
histories; Alembic's answer is `upgrade heads`, which applies every head. The release asks for it only when
the files show several heads; when a file cannot be read statically the answer is "unknown" and the release
keeps `head` (Alembic then says what is wrong).
"""

from __future__ import annotations

import ast
import configparser
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..errors import UsageError
from ..project import Project


@dataclass(frozen=True)
class Heads:
    heads: tuple[str, ...]         # revisions no other revision revises
    bases: tuple[str, ...]         # revisions that revise nothing (separate histories when several)
    folder: str                    # the versions folder, relative to the project root, for messages

    @property
    def empty(self) -> bool:
        """The folder holds no revision: `upgrade head` has nothing to apply."""
        return not self.heads

    @property
    def several(self) -> bool:
        return len(self.heads) > 1

    @property
    def separate(self) -> bool:
        return len(self.bases) > 1

    def note(self, command: str, merge: str) -> str:
        """One line for the plan's notes: what the release runs and why."""
        shape = (f"{len(self.bases)} separate histories (bases {', '.join(self.bases)})" if self.separate
                 else "branches that were never merged")
        return (f"{self.folder} has {len(self.heads)} heads ({', '.join(self.heads)}), {shape}: the release runs "
                f"`{command}`, which applies them all; `{merge}` makes them one history")

    def failure_hint(self, merge: str) -> str:
        """What to do when applying every head fails."""
        if self.separate:
            # an old history left beside a regenerated one: both create the same tables
            return (f"its own error is above; {self.folder} holds {len(self.bases)} separate histories (bases "
                    f"{', '.join(self.bases)}) and all of them ran: if one is a stale copy of another, delete its "
                    "files, then run again")
        return (f"its own error is above; {self.folder} has {len(self.heads)} unmerged heads "
                f"({', '.join(self.heads)}) that ran together: if they conflict, order them with `{merge}`, then "
                "run again")


def from_ini(project: Project, ini: str, cwd: str, script_location: str | None = None) -> Heads | None:
    """Heads of the script directory an Alembic ini names (`script_location`, or the one given: Flask-Migrate
    passes its own), for alembic run in `cwd`; None when they cannot be told from the files."""
    section = _alembic_section(project, ini)
    if section is None and script_location is None:
        return None
    section = section or {}
    here = posixpath.dirname(ini) or "."
    location = script_location or _expand(section.get("script_location"), here)
    if not location:
        return from_pyproject(project, cwd)
    if _is_package_resource(location):
        return None
    location = _from(cwd, location)
    raw = _expand(section.get("version_locations"), here)
    folders = [_from(cwd, f) for f in _split_locations(raw, section.get("version_path_separator"))] if raw \
        else [f"{location}/versions"]
    recursive = (section.get("recursive_version_locations") or "").strip().lower() in ("true", "1", "yes", "on")
    return from_folders(project, folders, recursive)


def for_alembic(project: Project, ini: str, cwd: str) -> Heads | None:
    """Heads of the history `alembic` run in `cwd` with the config file `ini` (relative to the project root)
    applies: the ini's script_location; where there is no such file (or it names none that can be read), Alembic
    1.16's [tool.alembic] in the pyproject.toml it reads there, else the project's one Alembic folder (env.py
    beside a versions/ folder: an ini kept out of git, a location interpolated from the environment)."""
    return from_ini(project, ini, cwd) or from_pyproject(project, cwd) or _only_script_folder(project, cwd)


def only_script_folder(project: Project, cwd: str) -> Heads | None:
    """The one Alembic script directory of the project (env.py beside a versions/ folder of revision files), its
    heads read: for an app that commits it without any config file naming it."""
    return _only_script_folder(project, cwd)


def _only_script_folder(project: Project, cwd: str) -> Heads | None:
    """Heads of the one folder holding env.py and a versions/ folder of revision files (the one in `cwd` first:
    migrations/ or alembic/ beside the app), else None when there is none or several."""
    folders = {posixpath.dirname(f) for f in project.files if f.endswith(".py")}
    found = sorted(posixpath.dirname(rel) or "." for rel in project.files if PurePosixPath(rel).name == "env.py"
                   and posixpath.normpath(posixpath.join(posixpath.dirname(rel), "versions")) in folders)
    here = [f for f in found if (posixpath.dirname(f) or ".") == (cwd or ".")]
    chosen = here if len(here) == 1 else found
    return from_folders(project, [posixpath.normpath(f"{chosen[0]}/versions")]) if len(chosen) == 1 else None


def from_folders(project: Project, folders: list[str], recursive: bool = False) -> Heads | None:
    """Heads of the revision files in `folders` (none when they hold no revision file, or do not exist); None
    when a file's revision or parents are not plain literals or name a revision that is not there."""
    parents: dict[str, tuple[str, ...]] = {}
    for rel in project.files:
        if not any(_holds(folder, rel, recursive) for folder in folders):
            continue
        name = PurePosixPath(rel).name
        if not name.endswith(".py") or name.startswith((".#", "__init__")):
            continue
        found = _revision(project, rel)
        if found is None:
            return None
        revision, down = found
        parents[revision] = down
    if any(p not in parents for down in parents.values() for p in down):
        return None
    revised = {p for down in parents.values() for p in down}
    heads = tuple(sorted(r for r in parents if r not in revised))
    bases = tuple(sorted(r for r, down in parents.items() if not down))
    return Heads(heads, bases, folders[0])


def _holds(folder: str, rel: str, recursive: bool) -> bool:
    parent = posixpath.dirname(rel) or "."
    return parent == folder or (recursive and parent.startswith(f"{folder}/"))


def _revision(project: Project, rel: str) -> tuple[str, tuple[str, ...]] | None:
    """(revision, down revisions) written as literals at the top of a revision file, else None."""
    text = project.scan_text(rel)
    try:
        tree = ast.parse(text or "")
    except (SyntaxError, ValueError):
        return None
    values: dict[str, object] = {}
    for node in tree.body:
        target, value = (node.targets[0], node.value) if isinstance(node, ast.Assign) and len(node.targets) == 1 \
            else (node.target, node.value) if isinstance(node, ast.AnnAssign) else (None, None)
        if isinstance(target, ast.Name) and target.id in ("revision", "down_revision") and value is not None:
            try:
                values[target.id] = ast.literal_eval(value)
            except (ValueError, TypeError, SyntaxError, RecursionError):
                return None
    revision, down = values.get("revision"), values.get("down_revision")
    if not isinstance(revision, str) or not revision:
        return None
    if down is None or down == "" or down == ():
        return revision, ()
    if isinstance(down, str):
        return revision, (down,)
    if isinstance(down, (tuple, list)) and all(isinstance(d, str) for d in down):
        return revision, tuple(down)
    return None


def script_folder(project: Project, ini: str, cwd: str) -> str | None:
    """The folder an Alembic ini's script_location names, relative to the project root, for alembic run in
    `cwd` (a package resource `myapp:migrations` read as the folder myapp/migrations there); None when the ini
    has none (Flask-Migrate's, which passes its own) or it cannot be told statically."""
    here = posixpath.dirname(ini) or "."
    location = _expand((_alembic_section(project, ini) or {}).get("script_location"), here)
    if not location:
        return None
    return _from(cwd, location.replace(":", "/", 1) if _is_package_resource(location) else location)


def _alembic_section(project: Project, ini: str) -> dict[str, str] | None:
    text = project.scan_text(ini) if project.is_file(ini) else None
    if text is None:
        return None
    parser = configparser.RawConfigParser(strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    return dict(parser["alembic"]) if parser.has_section("alembic") else {}


def _expand(value: str | None, here: str) -> str | None:
    """%(here)s is the ini's own folder (written from the project root, as "/folder"); other interpolations
    are beyond a static reading."""
    if value is None:
        return None
    value = value.strip().replace("%(here)s", f"/{here}")
    return None if "%(" in value else value


def _from(cwd: str, path: str) -> str:
    """A folder relative to the project root: `path` as Alembic reads it from `cwd`, where it runs."""
    return posixpath.normpath(posixpath.join(f"/{cwd}", path)).lstrip("/") or "."


def _is_package_resource(location: str) -> bool:
    """`myapp:migrations` names a folder inside an installed package, not a path."""
    return ":" in location and not re.match(r"^[A-Za-z]:[\\/]", location)


def _split_locations(raw: str, separator: str | None) -> list[str]:
    """version_locations, split as Alembic does for each version_path_separator."""
    separator = (separator or "").split("#", 1)[0].strip()
    by = {"space": " ", "colon": ":", ":": ":", "semicolon": ";", ";": ";", "os": os.pathsep}
    if separator == "newline":
        parts = raw.splitlines()
    elif separator in by:
        parts = raw.split(by[separator])
    else:
        parts = re.split(r", *|(?: +)", raw)      # the legacy split: spaces or commas
    return [p.strip() for p in parts if p.strip()]


def pyproject_location(project: Project, cwd: str) -> str | None:
    """The script folder (relative to the project root) that Alembic 1.16's [tool.alembic] in the pyproject.toml of
    `cwd` names, or None."""
    table = _tool_alembic(project, cwd)
    location = table.get("script_location") if table is not None else None
    if not isinstance(location, str) or _is_package_resource(location.replace("%(here)s", ".")):
        return None
    return _from(cwd, location.replace("%(here)s", "."))


def _tool_alembic(project: Project, cwd: str) -> dict | None:
    rel = posixpath.normpath(posixpath.join(cwd, "pyproject.toml"))
    try:
        table = project.read_toml(rel).get("tool", {}).get("alembic") if project.is_file(rel) else None
    except UsageError:
        return None
    return table if isinstance(table, dict) else None


def from_pyproject(project: Project, cwd: str) -> Heads | None:
    """Alembic 1.16's [tool.alembic] in pyproject.toml, for an alembic.ini without script_location, or none."""
    location = pyproject_location(project, cwd)
    if location is None:
        return None
    table = _tool_alembic(project, cwd) or {}
    extra = table.get("version_locations")
    folders = [_from(cwd, f.replace("%(here)s", ".")) for f in extra] \
        if isinstance(extra, list) and all(isinstance(f, str) for f in extra) else [f"{location}/versions"]
    return from_folders(project, folders, bool(table.get("recursive_version_locations")))
