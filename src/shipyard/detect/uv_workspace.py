"""uv workspaces: a root pyproject.toml whose `[tool.uv.workspace] members = ["packages/*", "apps/web"]` names
folders that are projects of their own, locked together by the root's one uv.lock.

Two shapes of app, both as `uv sync` reads them:
  * the app is a member (apps/web/pyproject.toml lists Flask), under a root that declares nothing itself (only
    the workspace table, or a `[project]` with no dependencies) but keeps the uv.lock: the member's file is the
    one to read, pinned by the root's lock;
  * the app is the root (or a member) and depends on another member (`core`, with `core = { workspace = true }`
    under [tool.uv.sources]): no package index has `core`; what it brings is its own dependencies, read in its
    place (its code is the project's own, in its folder).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..project import Project, is_decoy_dir


@dataclass(frozen=True)
class Workspace:
    root: str                                  # the folder of the pyproject.toml with [tool.uv.workspace]
    members: tuple[tuple[str, str], ...]       # (normalized project name, folder), each member's


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _table(project: Project, rel: str) -> dict:
    try:
        data = project.read_toml(rel)
    except Exception:                # a pyproject.toml that does not parse is the declared reader's to report
        return {}
    return data if isinstance(data, dict) else {}


def find(project: Project) -> Workspace | None:
    """The shallowest uv workspace of the project (its root's folder and its members), or None."""
    roots = sorted((f for f in project.files if PurePosixPath(f).name == "pyproject.toml"
                    and not any(is_decoy_dir(p) for p in PurePosixPath(f).parts[:-1])),
                   key=lambda f: (f.count("/"), f))
    for rel in roots:
        table = _table(project, rel).get("tool", {}).get("uv", {}).get("workspace")
        if not isinstance(table, dict):
            continue
        root = str(PurePosixPath(rel).parent)
        patterns = [str(p) for p in table.get("members") or [] if isinstance(p, str)]
        excluded = [str(p) for p in table.get("exclude") or [] if isinstance(p, str)]
        members: dict[str, str] = {}
        for other in roots:
            folder = PurePosixPath(other).parent
            inside = str(folder.relative_to(root)) if root != "." and PurePosixPath(root) in folder.parents \
                else str(folder) if root == "." else None
            if inside is None or inside == "." or not any(fnmatch.fnmatch(inside, p.rstrip("/")) for p in patterns) \
                    or any(fnmatch.fnmatch(inside, p.rstrip("/")) for p in excluded):
                continue
            name = _table(project, other).get("project", {}).get("name")
            if isinstance(name, str):
                members.setdefault(_normalize(name), str(folder))
        return Workspace(root, tuple(sorted(members.items())))
    return None


def declares_nothing(project: Project, folder: str) -> bool:
    """`folder` is a workspace's root whose pyproject.toml lists no dependencies of its own: its uv.lock locks
    the members, it is not a manifest."""
    rel = "pyproject.toml" if folder in ("", ".") else f"{folder}/pyproject.toml"
    if not project.is_file(rel):
        return False
    data = _table(project, rel)
    if not isinstance(data.get("tool", {}).get("uv", {}).get("workspace"), dict):
        return False
    return not data.get("project", {}).get("dependencies") and "poetry" not in data.get("tool", {})


def member_dependencies(project: Project, folder: str) -> list[str]:
    """The requirement strings a member's pyproject.toml (in `folder`) lists under [project] dependencies."""
    rel = "pyproject.toml" if folder in ("", ".") else f"{folder}/pyproject.toml"
    listed = _table(project, rel).get("project", {}).get("dependencies") or []
    return [str(item) for item in listed if isinstance(item, str)]


def member_of(project: Project, top: str) -> str | None:
    """The folder of the workspace member whose code is the top-level package `top` (`core` in packages/core/src/core
    or packages/core/core), or None."""
    workspace = find(project)
    if workspace is None:
        return None
    for _, folder in workspace.members:
        base = "" if folder in ("", ".") else f"{folder}/"
        if any(project.is_file(f"{base}{inside}{top}/__init__.py") or project.is_file(f"{base}{inside}{top}.py")
               for inside in ("src/", "")):
            return folder
    return None
