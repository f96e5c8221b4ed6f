"""A requirements file that is a `pip freeze` of a whole environment the app was not made in.

A course project's requirements.txt is sometimes the freeze of its author's everyday Python: 190 exact pins of
Django, Jupyter, PyQt5, pywin32, napalm and pandas beside the five packages the Flask app imports. Installing it
all costs minutes of resolving and building, old pins that conflict (botbuilder-schema's msrest) or build on no
Python here, and ends past any time limit, for packages the app never loads. When a requirements file pins many
packages and the app's code uses only a small share of them (imports, Django settings, database URLs and other
strings naming a package), the pins it does not use are left out: the app's own pins stay exact, and what they
need resolves as of the file's date, as for any pin whose dependencies the files do not pin. The image installs
the same (the plan's dependencies, and the releases the proof installed as its constraints).
"""

from __future__ import annotations

import re
from typing import Iterable

from ..plan import Dependency
from ..project import Project
from .plain_requirements import pip_format

MIN_PINS = 60        # fewer exact pins are the app's own freeze: its packages and what they need
USED_SHARE = 0.05    # ...and more than this share used by the code is one too (a big app's dependencies: a
                     # Django site imports a tenth of its 100-pin freeze, an ML demo 8 of 150)


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _freeze_files(deps: Iterable[Dependency]) -> dict[str, list[Dependency]]:
    """The exact pins of `deps`, by the requirements file (*.txt) that declares them."""
    files: dict[str, list[Dependency]] = {}
    for dep in deps:
        if not dep.inferred and dep.spec.startswith("==") and pip_format(dep.source, (".txt",)):
            files.setdefault(dep.source, []).append(dep)
    return files


def unused_pins(project: Project, deps: Iterable[Dependency]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(file, the names as written of its pins the app does not use) for each requirements file that is a freeze
    of another environment: at least MIN_PINS exact pins, of which the app uses at most USED_SHARE."""
    deps = tuple(deps)
    big = {rel: pins for rel, pins in _freeze_files(deps).items() if len(pins) >= MIN_PINS}
    if not big:
        return ()
    from .imports import imported_distributions            # it builds on deps.py, which reads these
    from .source import string_hints
    used = {_normalize(n) for n in imported_distributions(project)} | \
        {_normalize(h.dependency) for h in string_hints(project)}
    found = []
    for rel, pins in big.items():
        unused = tuple(d.name for d in pins if _normalize(d.name) not in used)
        if len(pins) - len(unused) <= USED_SHARE * len(pins):
            found.append((rel, unused))
    return tuple(found)


def note(rel: str, total: int, unused: tuple[str, ...]) -> str:
    """What is said of a freeze whose unused pins were left out."""
    shown = ", ".join(unused[:8]) + (f" and {len(unused) - 8} more" if len(unused) > 8 else "")
    return (f"{rel} pins {total} packages, of which the app's code uses {total - len(unused)}: a pip freeze of "
            f"another environment, so its {len(unused)} unused pins are left out ({shown}); what the used ones need "
            f"resolves as of the file's date (keep only the app's packages in {rel}: pip freeze inside the app's "
            "own virtualenv)")
