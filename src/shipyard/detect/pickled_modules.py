"""Modules named inside the pickles an app commits and loads: the packages unpickling imports.

`model = joblib.load("model.joblib")` on a committed scikit-learn pipeline imports sklearn.ensemble._forest while
unpickling, though no line of the app's code imports sklearn: an app with no dependency file (or one that lists
only what its code imports) needs scikit-learn all the same, or the load fails at start-up with ModuleNotFoundError.

The pickle is read, never loaded: its GLOBAL opcodes (`c<module>\\n<name>\\n`, protocols 0-3) and protocol 4's
STACK_GLOBAL after two short strings name each class's module. joblib writes numpy arrays inline between pickle
opcodes, so the bytes are searched rather than parsed. A compressed pickle (joblib's compress=, .gz) names
nothing readable and adds nothing."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ..project import Project

SUFFIXES = (".pkl", ".pickle", ".joblib", ".sav", ".pck")
# the modules that load a pickle: an app that imports none of them unpickles nothing
LOADERS = frozenset({"pickle", "_pickle", "joblib", "dill", "cloudpickle", "pandas"})
_MAX_BYTES = 64 * 1024 * 1024

_NAME = rb"[A-Za-z_][\w.]{0,200}"
_GLOBAL = re.compile(rb"c(" + _NAME + rb")\n[A-Za-z_]\w{0,200}\n")
# SHORT_BINUNICODE module, (MEMOIZE), SHORT_BINUNICODE name, (MEMOIZE), STACK_GLOBAL
_STACK_GLOBAL = re.compile(rb"\x8c([\x01-\xff])(" + _NAME + rb")\x94?\x8c([\x01-\xff])[A-Za-z_]\w{0,200}\x94?\x93",
                           re.S)


def pickled_modules(project: Project, imported: frozenset[str]) -> list[tuple[str, str]]:
    """(module, file) for each module a committed pickle of the project names, when the app's code imports a
    pickle loader (`imported`: the top-level names its code imports)."""
    if not imported & LOADERS:
        return []
    out: list[tuple[str, str]] = []
    for rel in project.files:
        if not rel.lower().endswith(SUFFIXES) or project.is_decoy(rel):
            continue
        try:
            with open(project.root / rel, "rb") as handle:
                data = handle.read(_MAX_BYTES)
        except OSError:
            continue
        for module in sorted(modules_in(data)):
            out.append((module, str(PurePosixPath(rel))))
    return out


# scikit-learn's estimators pickle the release that made them (`_sklearn_version`); another release warns, and
# trees made before 1.3 do not load in later ones ("node array from the pickle has an incompatible dtype")
_SKLEARN_VERSION = re.compile(rb"_sklearn_version(?:\x94|q.|r....)?(?:\x8c.|X....|V)(\d+\.\d+(?:\.\d+)?)", re.S)


def pickled_release(project: Project, imported: frozenset[str]) -> dict[str, str]:
    """{"scikit-learn": "1.2.2"} when the committed pickles the app loads were made by one release of it."""
    if not imported & LOADERS:
        return {}
    versions: set[bytes] = set()
    for rel in project.files:
        if rel.lower().endswith(SUFFIXES) and not project.is_decoy(rel):
            try:
                with open(project.root / rel, "rb") as handle:
                    versions.update(_SKLEARN_VERSION.findall(handle.read(_MAX_BYTES)))
            except OSError:
                continue
    return {"scikit-learn": versions.pop().decode()} if len(versions) == 1 else {}


def modules_in(data: bytes) -> set[str]:
    """The modules the GLOBAL and STACK_GLOBAL opcodes of a pickle's bytes name."""
    found = {m.group(1).decode() for m in _GLOBAL.finditer(data)}
    for m in _STACK_GLOBAL.finditer(data):
        if m.group(1)[0] == len(m.group(2)):
            found.add(m.group(2).decode())
    return {name for name in found if not name.startswith("__") and not name.endswith(".")}
