"""Two requested distributions that install the same module file: the one the requirements name first keeps it.

A study API's Dockerfile installs jarudaDB, whose module is named `databases`; its code does `import databases`,
which the import tables read as the PyPI project named databases (another library, also a `databases` package).
Both were installed, in no set order: the second's databases/__init__.py replaced the first's, and the import
failed with "module 'databases' has no attribute 'DBHandler'", or not, by chance. The app's requirements come
first in the install (declared before inferred), so the earlier of two clashing distributions is the one the app
asked for: the later one is uninstalled and the earlier installed again, with a note.

A clash is a file (a .py or extension module) that the RECORDs of two distributions of the install list with
different hashes; namespace packages share folders, not files, and the old pkg_resources namespace __init__.py
files are the same bytes in each.

What a repair found is kept in Shipyard's cache (a fact about the two distributions, as build holds are): a plan whose
app declares the kept one leaves the other out when only an import added it (leave_out_losers), so the image and
serve's .venv no longer install both (the image's uv wrote them in no set order, with no repair after it).

Files under a top-level folder that a distribution ships by mistake (its own tests/, docs/, examples/: django-filer
and djangocms-alias both install tests/test_admin.py) are no clash: no dependency is imported by those names, and
uninstalling a distribution for them took away the package the app imports (djangocms_alias).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from . import cachefile
from .pin_conflicts import normalize as _normalize

if TYPE_CHECKING:
    from .environments import InstallSpec
    from .plan import Dependency

FILE = "module-clashes.json"


@dataclass(frozen=True)
class Clash:
    kept: str           # "jarudadb", normalized: named first, it keeps the module
    removed: str        # "databases": uninstalled for it
    path: str           # "databases/__init__.py", a file both install


def known(cache: Path) -> tuple[Clash, ...]:
    """The clashes installs here repaired (cache/module-clashes.json)."""
    return cachefile.read_records(cache / FILE, "clashes", Clash)


def remember(cache: Path, clash: Clash) -> None:
    kept = [c for c in known(cache) if (c.kept, c.removed) != (clash.kept, clash.removed)]
    cachefile.write_records(cache / FILE, "clashes", kept + [clash])


def leave_out_losers(dependencies: tuple["Dependency", ...], cache: Path
                     ) -> tuple[tuple["Dependency", ...], tuple[str, ...]]:
    """(`dependencies` without each one only an import added (inferred) that an install here removed for a declared
    one installing the same module, a note for each): `import databases` read as PyPI's databases beside a declared
    jarudaDB, whose module is named databases too."""
    clashes = known(cache)
    declared = {_normalize(d.name) for d in dependencies if not d.inferred}
    losers = {c.removed: c for c in clashes if c.kept in declared and c.removed not in declared}
    if not losers:
        return dependencies, ()
    kept = tuple(d for d in dependencies if not (d.inferred and _normalize(d.name) in losers))
    notes = tuple(f"{d.name} ({d.source}) is not added: the declared {losers[_normalize(d.name)].kept} installs the "
                  f"same module ({losers[_normalize(d.name)].path}), as an install here found; declare {d.name} "
                  f"yourself if the app meant that one" for d in dependencies if d not in kept)
    return kept, notes


# the rule's version, written in a proof environment's .complete: one built by an older rule that uninstalled a
# requested distribution for a stray file is built again (stale_environment)
RULE = 2

# top-level folders that distributions ship by mistake beside their own package; nothing imports a dependency by them
_STRAY_TOP_LEVEL = frozenset({"tests", "test", "testing", "testproject", "test_project", "testapp", "docs", "doc",
                              "examples", "example", "benchmarks", "benchmark", "scripts", "tools", "sandbox",
                              "demo", "build"})


def _stray(path: str) -> bool:
    return "/" in path and path.split("/", 1)[0].lower() in _STRAY_TOP_LEVEL


def _requested(requirements: Iterable[str]) -> list[str]:
    out = []
    for line in requirements:
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line)
        if match and _normalize(match.group(1)) not in out:
            out.append(_normalize(match.group(1)))
    return out


def installed_files(site: Path) -> dict[str, tuple[str, dict[str, str]]]:
    """normalized distribution -> (version, {module file inside site-packages: its RECORD hash})."""
    out: dict[str, tuple[str, dict[str, str]]] = {}
    for info in site.glob("*.dist-info"):
        record = info / "RECORD"
        name, _, version = info.name[:-len(".dist-info")].rpartition("-")
        if not record.is_file() or not name:
            continue
        files: dict[str, str] = {}
        with open(record, newline="", encoding="utf-8", errors="replace") as handle:
            for row in csv.reader(handle):
                if len(row) < 2 or not row[1] or row[0].startswith(("../", "/")) or "__pycache__" in row[0] \
                        or ".dist-info/" in row[0] or not row[0].endswith((".py", ".so", ".pyd")):
                    continue
                files[row[0]] = row[1]
        out[_normalize(name)] = (version, files)
    return out


def clashes(site: Path, requirements: Iterable[str]) -> list[tuple[str, str, str, str]]:
    """(kept, its version, removed, a file both install) for each pair of requested distributions that install
    one module file with different contents; the one named first in `requirements` is kept."""
    order = _requested(requirements)
    files = installed_files(site)
    found: list[tuple[str, str, str, str]] = []
    removed: set[str] = set()
    for i, first in enumerate(order):
        if first not in files or first in removed:
            continue
        version, mine = files[first]
        for later in order[i + 1:]:
            if later in removed or later not in files:
                continue
            theirs = files[later][1]
            shared = sorted(path for path in mine.keys() & theirs.keys()
                            if mine[path] != theirs[path] and not _stray(path))
            if shared:
                found.append((first, version, later, shared[0]))
                removed.add(later)
    return found


def repair(python: str, spec: "InstallSpec", *, log: Path, timeout: float,
           say: Callable[[str], None] | None, cache: Path | None = None) -> None:
    """Uninstall the later of two requested distributions that install the same module file, and install the
    earlier one again so that its files are whole; a note says which. `cache`: where the clash is remembered."""
    from .environments import EnvironmentUnavailable, _run_logged, find_uv, site_packages
    uv = find_uv()
    if not uv:
        return
    try:
        found = clashes(site_packages(python), spec.requirements)
    except (EnvironmentUnavailable, OSError):
        return
    for kept, version, removed, path in found:
        try:
            _run_logged([uv, "pip", "uninstall", "--python", python, removed], log=log, timeout=timeout, say=say,
                        what=f"uninstalling {removed}")
            _run_logged([uv, "pip", "install", "--python", python, "--no-deps", *spec.index_options,
                         "--reinstall-package", kept, f"{kept}=={version}"], log=log, timeout=timeout, say=say,
                        what=f"installing {kept} again")
        except EnvironmentUnavailable as exc:
            if say:
                say(f"{kept} and {removed} both install {path}; putting {kept}'s back failed ({exc.message})")
            continue
        if cache is not None:
            remember(cache, Clash(kept, removed, path))
        if say:
            say(f"{kept} and {removed} both install {path} (one module, two projects): {kept}, named first in the "
                f"app's requirements, is kept and {removed} uninstalled (declare {removed} before {kept} if the "
                "app meant that one)")


def stale_environment(site: Path, requirements: Iterable[str], complete: dict) -> bool:
    """A cached environment built before this rule (no "clash_rule" in its .complete) that lacks a requested
    distribution: an older rule may have uninstalled it for a stray tests/ file; build it again."""
    if complete.get("clash_rule") == RULE:
        return False
    present = {_normalize(info.name[:-len(".dist-info")].rpartition("-")[0]) for info in site.glob("*.dist-info")}
    return any(name not in present for name in _requested(requirements))
