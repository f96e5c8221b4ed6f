"""Dependencies inferred from the app's source: its imports, and packages named only in strings.

Imports are read with ast from every app .py file; the standard library and the project's own modules
are dropped; import names are mapped to distributions with a curated table (data/import_map.json, which
encodes choices for servers, e.g. headless OpenCV) and the app interpreter's installed metadata, which
also gives the versions to pin. A package that a declared one already requires (werkzeug under a
declared Flask) is not added. Optional imports (inside `try: ... except ImportError`) and imports under
`if TYPE_CHECKING:` are not requirements.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

from ..interpreter import app_python
from ..plan import Dependency
from ..project import Project
from .deps import normalize
from .findings import DeclaredDependencies, EntryFinding
from .source import DRIVERS, local_modules, parsed, string_constants, string_hints

_STDLIB = frozenset(sys.stdlib_module_names) | {"__future__", "__main__"}
_ENV_TIMEOUT = 20.0


@dataclass(frozen=True)
class _Import:
    name: str        # dotted, as written ("mysql.connector", "flask")
    file: str
    optional: bool   # guarded by `except ImportError` or TYPE_CHECKING


@dataclass(frozen=True)
class Environment:
    """What is installed in the app's interpreter: import name -> distributions, versions, requirements."""

    packages: dict[str, tuple[str, ...]]     # top-level import name -> distribution names
    versions: dict[str, str]                 # normalized distribution name -> version
    names: dict[str, str]                    # normalized -> display name ("pyyaml" -> "PyYAML")
    requires: dict[str, tuple[str, ...]]     # normalized -> normalized names it requires (no extras)

    def closure(self, roots: Iterable[str]) -> set[str]:
        """Everything the given distributions pull in (not the roots themselves, unless required)."""
        out: set[str] = set()
        todo = [r for root in roots for r in self.requires.get(root, ())]
        while todo:
            name = todo.pop()
            if name not in out:
                out.add(name)
                todo.extend(self.requires.get(name, ()))
        return out


NOTHING_INSTALLED = Environment({}, {}, {}, {})

# Runs inside the app's interpreter (any Python 3.8+), with only the standard library.
_ENV_SCRIPT = r"""
import json, re
from importlib import metadata
def norm(n): return re.sub(r"[-_.]+", "-", n).lower()
packages, versions, names, requires = {}, {}, {}, {}
for dist in metadata.distributions():
    name = dist.metadata["Name"]
    if not name:
        continue
    key = norm(name)
    versions.setdefault(key, dist.version)
    names.setdefault(key, name)
    reqs = []
    for r in dist.requires or []:
        if ";" in r and "extra" in r.split(";", 1)[1]:
            continue
        m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", r)
        if m:
            reqs.append(norm(m.group(1)))
    requires.setdefault(key, sorted(set(reqs)))
    tops = set()
    top_level = dist.read_text("top_level.txt")
    if top_level:
        tops.update(t.strip().split("/")[0] for t in top_level.splitlines() if t.strip())
    for f in dist.files or ():
        parts = f.parts
        if not parts or parts[0].endswith((".dist-info", ".egg-info", ".data")) or parts[0] in ("..", "__pycache__"):
            continue
        top = parts[0][:-3] if len(parts) == 1 and parts[0].endswith(".py") else parts[0]
        if len(parts) == 1 and not parts[0].endswith((".py", ".so", ".pyd")):
            continue
        tops.add(top.split(".")[0])
    for t in tops:
        if t.isidentifier():
            packages.setdefault(t, [])
            if name not in packages[t]:
                packages[t].append(name)
print(json.dumps({"packages": packages, "versions": versions, "names": names, "requires": requires}))
"""


@lru_cache(maxsize=8)
def environment(python_exe: str) -> Environment:
    """Installed distributions of `python_exe`; empty when it cannot be asked (then nothing is pinned)."""
    try:
        # Not resolved: a virtualenv's python is a symlink to the same base interpreter as ours.
        if os.path.abspath(python_exe) == os.path.abspath(sys.executable):
            import contextlib
            import io
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                exec(compile(_ENV_SCRIPT, "<shipyard-env>", "exec"), {})
            data = json.loads(buffer.getvalue())
        else:
            done = subprocess.run([python_exe, "-I", "-c", _ENV_SCRIPT], capture_output=True, text=True,
                                  timeout=_ENV_TIMEOUT, check=True)
            data = json.loads(done.stdout)
    except (OSError, subprocess.SubprocessError, ValueError):
        return Environment({}, {}, {}, {})
    return Environment(
        packages={k: tuple(v) for k, v in data["packages"].items()},
        versions=data["versions"], names=data["names"],
        requires={k: tuple(v) for k, v in data["requires"].items()})


@lru_cache(maxsize=1)
def import_map() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """(import name -> distribution, distribution -> other distributions of the same code and release)."""
    data = json.loads(resources.files("shipyard").joinpath("data/import_map.json").read_text(encoding="utf-8"))
    same = {normalize(k): tuple(normalize(v) for v in vs) for k, vs in data["same_release"].items()}
    return dict(data["imports"]), same


def distribution_for(import_name: str) -> str:
    """The PyPI distribution that provides module `import_name` (dotted names first: mysql.connector)."""
    mapping, _ = import_map()
    parts = import_name.split(".")
    for i in range(len(parts), 0, -1):
        found = mapping.get(".".join(parts[:i]))
        if found:
            return found
    return parts[0]


# ---------------------------------------------------------------------------------------------- imports

class _Collector(ast.NodeVisitor):
    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.found: list[_Import] = []
        self._optional = 0

    def visit_Try(self, node: ast.Try) -> None:
        guarded = any(_catches_import_error(h) for h in node.handlers)
        self._optional += guarded
        for child in node.body:
            self.visit(child)
        self._optional -= guarded
        for child in [*node.handlers, *node.orelse, *node.finalbody]:
            self.visit(child)

    visit_TryStar = visit_Try

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        type_checking = (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
            (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
        self._optional += type_checking
        for child in node.body:
            self.visit(child)
        self._optional -= type_checking
        for child in node.orelse:
            self.visit(child)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.found.append(_Import(alias.name, self.rel, self._optional > 0))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level == 0 and node.module:
            # `from google.cloud import storage` imports google.cloud.storage: keep the dotted name
            for alias in node.names:
                self.found.append(_Import(f"{node.module}.{alias.name}", self.rel, self._optional > 0))


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(getattr(k, "id", getattr(k, "attr", "")) in ("ImportError", "ModuleNotFoundError", "Exception")
               for k in kinds)


def _imports(project: Project) -> list[_Import]:
    found = []
    for rel, tree in sorted(parsed(project).items()):
        collector = _Collector(rel)
        collector.visit(tree)
        found.extend(collector.found)
    return found


def _django_strings(project: Project) -> list[_Import]:
    """Dotted paths in Django settings (INSTALLED_APPS, MIDDLEWARE, backends): apps are imports too."""
    found = []
    for rel, tree in sorted(parsed(project).items()):
        if not any(isinstance(n, ast.Assign) and any(getattr(t, "id", None) == "INSTALLED_APPS" for t in n.targets)
                   for n in tree.body):
            continue
        for text in string_constants(tree):
            if text and all(part.isidentifier() for part in text.split(".")):
                found.append(_Import(text, rel, False))
    return found


# ---------------------------------------------------------------------------------------------- infer

def infer(project: Project, finding: EntryFinding | None, declared: DeclaredDependencies,
          python_exe: str | None = None, *, installed: bool = True) -> tuple[Dependency, ...]:
    """Distributions the app uses that `declared` does not list, pinned to installed versions where known.

    `installed=False` skips asking the interpreter what is installed (nothing pinned, names from the
    import map only): reading a large environment takes most of a second, too slow for `lint`."""
    env = environment(python_exe or app_python(project.root)[0]) if installed else NOTHING_INSTALLED
    mapping, same_release = import_map()
    local = local_modules(project)

    declared_keys = {normalize(d.name) for d in declared.dependencies}
    candidates: dict[str, tuple[str, str]] = {}   # normalized dist -> (display name, source)
    required: set[str] = set()                    # imported without an ImportError guard somewhere

    def consider(imp: _Import, *, guess: bool, what: str) -> None:
        top = imp.name.split(".")[0]
        if top in _STDLIB or top in local or not top.isidentifier():
            return
        dist = _distribution(imp.name, mapping, env, guess=guess)
        if dist is None:
            return
        key = normalize(dist)
        candidates.setdefault(key, (dist, f"{what} {_shown(imp.name, mapping)} in {imp.file}"))
        if not imp.optional:
            required.add(key)

    for imp in _imports(project):
        consider(imp, guess=True, what="import")
    for imp in _django_strings(project):
        consider(imp, guess=False, what="Django setting")
    candidates = {k: v for k, v in candidates.items() if k in required}

    # Drivers and worker packages named only in strings, when nothing already serves that purpose.
    present = declared_keys | set(candidates)
    for hint in string_hints(project):
        key = normalize(hint.dependency)
        if hint.service and any(normalize(d) in present for d in DRIVERS[hint.service]):
            continue
        if hint.service == "postgres" and hint.dependency == "psycopg2" and "psycopg" in env.versions \
                and "psycopg2" not in env.versions and "psycopg2-binary" not in env.versions:
            key = "psycopg"  # the app's environment has psycopg 3: use it
        if key not in present:
            candidates[key] = (env.names.get(key, hint.dependency) if key != "psycopg" else "psycopg", hint.reason)
            present.add(key)

    # What is declared, or what a declared distribution pulls in (the app works with it today), is not
    # added again. With nothing declared every imported distribution is listed: declare what you import.
    covered = declared_keys | {alias for k in declared_keys for alias in _aliases(k, same_release)}
    covered |= env.closure(declared_keys)
    out = []
    for key, (dist, source) in sorted(candidates.items()):
        if key not in covered:
            out.append(Dependency(dist, _pin(key, env, same_release), source, inferred=True))
    return tuple(out)


def _aliases(key: str, same_release: dict[str, tuple[str, ...]]) -> set[str]:
    out = set(same_release.get(key, ()))
    out.update(k for k, vs in same_release.items() if key in vs)
    return out


def _shown(name: str, mapping: dict[str, str]) -> str:
    """The part of a dotted import that decided the distribution ("mysql.connector", else "yaml")."""
    parts = name.split(".")
    for n in range(len(parts), 1, -1):
        if ".".join(parts[:n]) in mapping:
            return ".".join(parts[:n])
    return parts[0]


def _distribution(name: str, mapping: dict[str, str], env: Environment, *, guess: bool) -> str | None:
    parts = name.split(".")
    for n in range(len(parts), 0, -1):           # longest dotted key first: google.protobuf before google
        dotted = ".".join(parts[:n])
        if dotted in mapping:
            return mapping[dotted]
    top = parts[0]
    dists = env.packages.get(top, ())
    if len(dists) == 1:
        return dists[0]
    if dists:
        same = [d for d in dists if normalize(d) == normalize(top)]
        return same[0] if same else sorted(dists)[0]
    # Not installed and not in the table: most distributions share their import name.
    return top if guess and top not in ("google", "azure") else None


def _pin(key: str, env: Environment, same_release: dict[str, tuple[str, ...]]) -> str:
    for candidate in (key, *sorted(_aliases(key, same_release))):
        if candidate in env.versions:
            return f"=={env.versions[candidate]}"
    return ""
