"""Releases whose source build needs another package beside the build tools: as installs here found them.

An sdist's setup.py may import the package itself for its version (peewee-db-evolve 3.7.0's
`version=__import__('peeweedbevolve').__version__`), and that module imports the package's own dependencies
(peewee). An isolated build environment holds only the build tools, so the import fails on any Python. uv builds
it with those packages beside the build tools when its `extra-build-dependencies` setting names them (a uv.toml
given with --config-file): the app's own requirement of each package the module imports (`peewee==3.8.2`), so the
build sees the release the app runs with.

The install meeting the failure learns which packages the module imports (install_retries.SelfImportingBuild,
from the module uv unpacked) and builds it again with them. Which imports a release's module makes is a fact
about the release, kept in Shipyard's cache as build holds are (build_holds.py): a plan whose app pins such a
release lists it (Plan.build_needs, with the app's requirements of those imports), and the image's builder gives
uv the same setting.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path
from typing import Iterable

from . import cachefile
from .build_holds import release_of
from .detect.deps import squashed

FILE = "build-needs.json"
CONFIG_SECTION = "extra-build-dependencies"


def imports_of(module: Path) -> tuple[str, ...]:
    """The top-level names of the packages `module` (a file of the sdist) imports outside the standard library,
    guarded or not (`try: import peewee as pw`), and other than its own package and relative imports; () when it
    cannot be read."""
    try:
        tree = ast.parse(module.read_text(encoding="utf-8", errors="replace"))
    except (OSError, SyntaxError, ValueError):
        return ()
    own = {module.stem, module.parent.name}
    names: list[str] = []
    imports = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    for node in sorted(imports, key=lambda n: (n.lineno, n.col_offset)):      # in the module's order
        if isinstance(node, ast.Import):
            names += [a.name.split(".")[0] for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module.split(".")[0])
    return tuple(dict.fromkeys(n for n in names if n not in own and n != "__future__"
                               and n not in sys.stdlib_module_names))


def requirements_for(imports: Iterable[str], requirements: Iterable[str]) -> tuple[str, ...]:
    """The requirement lines (the app's, or its lock's constraints) naming the distribution of each import
    (`peewee==3.8.2` for `import peewee`; a name matched without its separators and case), in the imports' order;
    an import no line names is left out (a guarded fallback the module may try, which the index may not have)."""
    lines = [line.strip() for line in requirements if line.strip() and not line.lstrip().startswith(("#", "-"))]
    out = []
    for name in imports:
        line = next((line for line in lines if squashed(_name_of(line)) == squashed(name)), None)
        if line is not None:
            out.append(line.split(";")[0].split("#")[0].strip())
    return tuple(dict.fromkeys(out))


def _name_of(line: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line)
    return match.group(1) if match else ""


def known(cache: Path) -> dict[str, tuple[str, ...]]:
    """{release ("peewee-db-evolve==3.7.0"): the packages its module imports} that installs here met."""
    data = cachefile.read(cache / FILE)
    releases = data.get("releases", {}) if isinstance(data, dict) else {}
    return {r: tuple(i for i in imports if isinstance(i, str)) for r, imports in releases.items()
            if isinstance(r, str) and isinstance(imports, list)} if isinstance(releases, dict) else {}


def remember(cache: Path, pin: str, imports: Iterable[str]) -> None:
    """Add that the release `pin`'s build imports `imports`; a requirement that is not one release is not kept."""
    key = release_of(pin)
    if key is None:
        return
    learned = known(cache)
    learned[key] = tuple(imports)
    cachefile.write(cache / FILE, {"releases": {r: list(i) for r, i in learned.items()}})


def for_requirements(requirements: Iterable[str], cache: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """((release, the requirement lines it builds with), ...) of the releases `requirements` pin exactly that
    installs here found to need packages at build time, in the requirements' order; a release none of whose
    imports the requirements name is left out."""
    lines = tuple(requirements)
    learned = known(cache)
    out = []
    for key in dict.fromkeys(key for line in lines if (key := release_of(line)) in learned):
        if needs := requirements_for(learned[key], lines):
            out.append((key, needs))
    return tuple(out)


def uv_config(needs: Iterable[tuple[str, tuple[str, ...]]]) -> str:
    """uv.toml's text giving each package (a release's name, or a bare name) its extra build dependencies."""
    rows = [f'"{name.partition("==")[0]}" = [{", ".join(_toml_string(r) for r in lines)}]' for name, lines in needs]
    return f"[{CONFIG_SECTION}]\n" + "\n".join(rows) + "\n"


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
