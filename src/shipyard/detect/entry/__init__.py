"""The entry-point detector: which object a server must load, from which folder.

`find` reads the source only (ast, never executing user code): it collects every app definition
(framework constructors, factories, plain WSGI/ASGI callables, Django's wsgi.py, Pyramid paste
factories), every module-level name that exposes one, and every module that registers routes on one;
then it scores the candidates. The winner is the candidate whose import closure includes all the
route registrations of its app (an app made in one module and routed in another is only complete
when the module that imports the routes is loaded), preferring conventional entry files.

`confirm` imports the chosen candidate with the app's own interpreter, in a separate, time-limited
process (probe.py), because static reading alone can be fooled.

The seams: model (Module, AppDef, Candidate), graph (the import graph), choose (candidates, ranking,
decoys), paste (Pyramid .ini), override (--entry), messages (errors worded from the analysis),
proof (the import proof).
"""

from __future__ import annotations

import dataclasses

from ...project import Project
from .. import frameworks as fw
from ..findings import EntryFinding
from .choose import ENTRY_FILE_RANK, choose
from .graph import Analysis, analyse, declared_name
from .messages import HOW_TO_CHOOSE, framework_repository
from .model import BOTTLE_DEFAULT, AppDef, Candidate, Module
from .override import from_override
from . import procfile
from .proof import PROBE, confirm
from .root_package import with_root_package

__all__ = ["find", "confirm", "HOW_TO_CHOOSE", "ENTRY_FILE_RANK", "PROBE", "Analysis", "AppDef", "Candidate",
           "Module", "BOTTLE_DEFAULT"]


def find(project: Project, override: str | None) -> EntryFinding:
    """Find the app statically. Raises AppNotFound, AmbiguousApp or AppLoadError (syntax error)."""
    analysis = analyse(project)
    if override:
        return with_root_package(project, from_override(analysis, override))
    declared = declared_name(project)
    if declared in fw.FRAMEWORK_DISTRIBUTIONS:
        source = next((m.path for m in analysis.modules.values() if m.scan.defines_framework_class), None)
        raise framework_repository(project.root, declared, source)
    unseen = procfile.unseen_web_target(analysis)
    if unseen is not None:
        # the Procfile serves an object made where static reading does not follow (a Dash app built in a class's
        # __init__, `server = pp.app.server`): taken as the Procfile writes it, the import proof confirms it
        found = from_override(analysis, unseen)
        note = (f"the Procfile's web command serves {unseen}, an object made in code static reading does not "
                "follow: taken as written there")
        return with_root_package(project, dataclasses.replace(found, notes=(*found.notes, note)))
    return with_root_package(project, choose(analysis))
