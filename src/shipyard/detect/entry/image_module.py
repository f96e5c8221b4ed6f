"""A module the app imports that its own same-named file only wraps, and that its Dockerfile's base image provides.

`import flux` in flux-restful-api: the project has app/library/flux.py, but that file itself does `import flux`
(a wrapper, importable as app.library.flux, never as the top-level flux); the real `flux` is the Flux
scheduler's Python bindings, which the Dockerfile's base image (FROM fluxrm/flux-sched) installs outside the
project and puts on PYTHONPATH (ENV PYTHONPATH=/usr/lib/flux/python3.8:/code). No folder to run from makes the
project's file that module, and no package index has it: the app runs in that image, a setup step."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ...project import Project
from ..ast_nodes import ast_nodes

_DOCKERFILES = ("Dockerfile", "Containerfile", "dockerfile")


@dataclass(frozen=True)
class ImageModule:
    wrappers: tuple[str, ...]      # the project's files named like the module, each importing it itself
    dockerfile: str | None         # the Dockerfile whose base image provides it, or None
    base: str | None               # that FROM image
    paths: tuple[str, ...]         # the PYTHONPATH folders it sets outside the image's copy of the project


def _candidates(project: Project, top: str) -> list[str]:
    return [f for f in project.python_files
            if PurePosixPath(f).stem == top or (PurePosixPath(f).name == "__init__.py"
                                                and PurePosixPath(f).parent.name == top)]


def _imports_itself(project: Project, path: str, top: str) -> bool:
    """`path` imports the top-level module `top` (absolute `import top`, `import top.x`, `from top(.x) import`)."""
    try:
        tree = ast.parse(project.read_text(path))
    except (SyntaxError, ValueError, OSError):
        return False
    for node in ast_nodes(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == top for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] == top:
            return True
    return False


def _image(project: Project, workdir: str) -> tuple[str, str, tuple[str, ...]] | None:
    """(Dockerfile, its FROM image, the PYTHONPATH folders it sets that are not where it copies the project)."""
    for folder in dict.fromkeys((workdir.strip("./") or ".", ".")):
        for name in _DOCKERFILES:
            rel = name if folder == "." else f"{folder}/{name}"
            if not project.is_file(rel):
                continue
            try:
                text = project.read_text(rel)
            except (OSError, ValueError):
                continue
            lines = re.sub(r"\\\n", " ", text).splitlines()
            bases = [m.group(1) for line in lines if (m := re.match(r"\s*FROM\s+(?:--\S+\s+)*(\S+)", line, re.I))]
            own = {m.group(1).rstrip("/") for line in lines
                   if (m := re.match(r"\s*(?:WORKDIR|COPY|ADD)\s+(?:--\S+\s+)*(?:\S+\s+)*(/\S*)\s*$", line, re.I))}
            paths: list[str] = []
            for line in lines:
                m = re.match(r"\s*ENV\s+PYTHONPATH(?:=|\s+)(\S+)", line, re.I)
                if not m:
                    continue
                for part in m.group(1).strip("\"'").split(":"):
                    if part.startswith("/") and part.rstrip("/") not in own and "$" not in part:
                        paths.append(part)
            if bases and paths:
                return rel, bases[-1], tuple(paths)
    return None


def image_module(project: Project, workdir: str, top: str) -> ImageModule | None:
    """The project's files named `top` when every one of them imports `top` itself (a wrapper of the real module,
    not it), with the Dockerfile whose base image puts the real one on PYTHONPATH; None otherwise."""
    found = _candidates(project, top)
    if not found or not all(_imports_itself(project, f, top) for f in found):
        return None
    image = _image(project, workdir)
    if image is None:
        return ImageModule(tuple(found), None, None, ())
    return ImageModule(tuple(found), *image)
