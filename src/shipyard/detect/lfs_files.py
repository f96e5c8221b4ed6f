"""Whether a file the project lacks is one its repository keeps in Git LFS (.gitattributes `filter=lfs`).

A model or data file under LFS is not in a copy made without `git lfs` (a zip download, a clone on a machine
without it), or was never pushed to the LFS store: the app that opens it at import fails with FileNotFoundError,
a missing file to fetch, not a fault in its code."""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import PurePosixPath

from shipyard.project import Project


def lfs_pattern(project: Project, rel: str) -> str | None:
    """The .gitattributes pattern (the root's, or one in a folder above the file) that sends the project-relative
    path `rel` to Git LFS, or None."""
    path = PurePosixPath(rel)
    for folder in [PurePosixPath("."), *reversed(path.parents[:-1])]:
        attributes = ".gitattributes" if str(folder) == "." else f"{folder}/.gitattributes"
        text = project.scan_text(attributes) if project.exists(attributes) else None
        if not text:
            continue
        below = str(path) if str(folder) == "." else str(path.relative_to(folder))
        for raw in text.splitlines():
            fields = raw.strip().split()
            if len(fields) < 2 or fields[0].startswith("#") or "filter=lfs" not in fields[1:]:
                continue
            pattern = fields[0].lstrip("\ufeff")
            # a pattern with no slash matches the file's name at any depth; one with a slash, the path from here
            anchored = "/" in pattern.rstrip("/")
            if fnmatchcase(below if anchored else path.name, pattern.lstrip("/")):
                return pattern
    return None
