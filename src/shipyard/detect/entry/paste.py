"""Pyramid's paste .ini files: `main(global_config, **settings)` loaded through [app:main] `use =`."""

from __future__ import annotations

import configparser
from pathlib import PurePosixPath

from ...errors import AppNotFound
from ...plan import Entry
from ..findings import EntryFinding
from .graph import Analysis
from .model import AppDef, Candidate, Module


def paste_use(text: str) -> str | None:
    """The `use =` line of a paste .ini file's [app:main] section ("egg:proj", "call:pkg:main")."""
    cfg = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        cfg.read_string(text)
    except configparser.Error:
        return None
    return cfg.get("app:main", "use", fallback=None)


def paste_package(use: str) -> str:
    """The package a paste `use =` names: egg:my-proj#main -> my_proj, call:pkg.sub:main -> pkg."""
    spec = use.split(":", 1)[1] if use.startswith(("egg:", "call:", "package:")) else use
    return spec.split("#")[0].split(":")[0].split(".")[0].replace("-", "_")


def paste_candidates(analysis: Analysis, module: Module, name: str, app: AppDef) -> list[Candidate]:
    """Pyramid's `main(global_config, **settings)`, loaded through a paste .ini file."""
    project = analysis.project
    inis = [f for f in project.files if f.endswith(".ini") and not project.is_decoy(f)]
    found = []
    for ini in inis:
        use = paste_use(project.scan_text(ini) or "")
        if use is None or paste_package(use).lower() != module.name.split(".")[0].lower():
            continue
        folder = str(PurePosixPath(ini).parent)
        if folder != module.root:
            continue
        found.append(Candidate(module, name, app, "paste", paste_ini=PurePosixPath(ini).name))
    found.sort(key=lambda c: ({"production.ini": 0, "development.ini": 1}.get(c.paste_ini or "", 2), c.paste_ini))
    return found[:1]


def paste_override(analysis: Analysis, ini: str) -> EntryFinding:
    project = analysis.project
    if not project.is_file(ini):
        raise AppNotFound(f"entry {ini!r}: no such file in {project.root}",
                          "give the paste .ini file's path relative to the app folder")
    use = paste_use(project.read_text(ini))
    if not use:
        raise AppNotFound(f"entry {ini!r} has no [app:main] section with a `use =` line",
                          "point at the paste .ini that defines [app:main] (development.ini or production.ini)")
    package = paste_package(use)
    folder = str(PurePosixPath(ini).parent)
    notes: tuple[str, ...] = ()
    if use.startswith("egg:"):
        notes = (f"{PurePosixPath(ini).name} loads the app with `use = egg:...`: the project must be installed "
                 "(pip install .) for paste to find it",)
    entry = Entry(module=package, attr="main", kind="paste", interface="wsgi", paste_ini=PurePosixPath(ini).name)
    return EntryFinding(framework="pyramid", entry=entry, workdir=folder, notes=notes)
