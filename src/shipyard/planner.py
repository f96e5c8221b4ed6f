"""Findings + settings -> Plan. The only place that combines detectors."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from . import servers
from . import settings as settings_mod
from .detect import deps, entry, imports, pyversion, release, services
from .errors import MissingDependency
from .interpreter import app_python
from .plan import Plan
from .project import Project


def make_plan(root: str | Path, flags: Mapping[str, Any] | None = None, *,
              confirm: bool = True, python_exe: str | None = None, timeout: float = 20.0,
              installed: bool = True) -> Plan:
    """Detect the app in `root` and build its plan.

    `confirm` imports the chosen candidate in a separate process (with `python_exe`, default the app's
    interpreter) and checks it is a WSGI/ASGI callable; it is only off in tests of static detection.
    `installed=False` also skips reading the interpreter's installed packages (no pins): `lint` reads
    plans this way, to stay fast on a fresh clone.
    """
    project = Project(root)
    flags = dict(flags or {})
    table = project.tool_shipyard
    # Validate [tool.shipyard] and flags before detecting, so a bad key fails fast and by name.
    chosen = settings_mod.resolve(flags, table, {})

    found = entry.find(project, override=chosen["entry"])
    # an app with its own protocol (aiohttp, tornado) gets its own server unless the user chose one
    chosen = settings_mod.resolve(flags, table, {"server": servers.default_for(found.entry.interface)})
    env_notes: tuple[str, ...] = ()
    if confirm:
        exe, origin = (python_exe, "") if python_exe else app_python(project.root)
        if "no working python" in origin:
            env_notes = (f"the import check ran with {origin}",)
        try:
            entry.confirm(project, found, python_exe=exe, timeout=timeout)
        except MissingDependency as exc:
            if not origin.startswith("Shipyard's own Python"):
                raise
            # installing into Shipyard's own Python would only hide the problem: the app needs its own env
            raise MissingDependency(f"{exc.message}; it ran with {origin}",
                                    f"create the app's environment with `shipyard serve --install {project.root}` "
                                    "(or activate the app's virtualenv), and add the package to your requirements"
                                    ) from None

    declared = deps.declared(project)
    inferred = imports.infer(project, found, declared, installed=installed)
    all_deps = deps.merge(declared, inferred, found, server=chosen["server"])
    found_services = services.services(project, all_deps)
    python = pyversion.detect(project, override=chosen["python"])

    notes = project.notes + env_notes + found.notes + declared.notes
    static = services.static_dirs(project, found)
    if chosen["topology"] == "app" and found.framework == "django" and static:
        notes += ("topology app has no nginx, so nothing serves Django's collected static files: add WhiteNoise "
                  "to the app, or use --topology bundle or compose",)
    return Plan(
        name=project.name,
        framework=found.framework,
        entry=found.entry,
        workdir=found.workdir,
        python=python,
        dependencies=all_deps,
        dependency_files=declared.files,
        dependencies_inferred=not declared.complete,
        services=found_services,
        env_vars=services.env_vars(project),
        static=static,
        system_packages=services.system_packages(all_deps),
        settings=chosen,
        notes=notes,
        release=release.detect(project, found, all_deps, chosen["release"]),
    )
