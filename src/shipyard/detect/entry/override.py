"""`--entry` / `entry =` given by the user: find that module and name, and say why when it is not there."""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from pathlib import PurePosixPath

from ...errors import AmbiguousApp, AppNotFound
from .. import frameworks as fw
from ..findings import EntryFinding
from .choose import candidates, fill, finding_for, unparsed_notes
from .graph import Analysis
from .model import AppDef, Candidate, Module
from .paste import paste_override
from .script import script_candidates, script_finding


def from_override(analysis: Analysis, override: str) -> EntryFinding:
    project = analysis.project
    if override.endswith(".ini"):
        return paste_override(analysis, override)
    if ":" not in override:
        raise AppNotFound(f"entry {override!r} does not say which object to load",
                          "use module:attr (e.g. app:app) or module:create_app()")
    module_name, attr = override.split(":", 1)
    matches = [m for m in analysis.modules.values() if m.name == module_name]
    if not matches:
        # A dotted path from the project root through folders without __init__.py (namespace packages).
        stem = module_name.replace(".", "/")
        for path in (f"{stem}.py", f"{stem}/__init__.py"):
            if path in analysis.modules:
                m = analysis.modules[path]
                matches = [replace(m, root=".", name=module_name)]
    if not matches:
        where = module_name.replace(".", "/")
        cut = f"; the scan stopped after {project.MAX_FILES} files" if project.truncated else ""
        raise AppNotFound(f"entry {override!r}: no module {module_name} in {project.root} "
                          f"(no {where}.py or {where}/__init__.py in the project or its src/ or subfolders{cut})",
                          "give the module's dotted name as imported from its folder, e.g. app:app or mypkg.wsgi:app")
    name = re.split(r"[(.]", attr, 1)[0]
    # main:app in flask_app/ and in fastapi_app/ (two apps side by side): the name does not say which
    holding = sorted({m.root for m in matches if not m.decoy and name in m.scan.symbols})
    if len(holding) > 1:
        raise AmbiguousApp(f"entry {override!r} names {module_name}.{name} in {len(holding)} folders: "
                           f"{', '.join(f'{r}/' for r in holding)}",
                           f"pass the app's folder as the path (e.g. shipyard serve {holding[0]}) with "
                           f"--entry {override}")
    module = min(matches, key=lambda m: (m.decoy, len(PurePosixPath(m.path).parts), m.path))
    scan = module.scan
    star = any("*" in imp.names for imp in scan.imports) or "__getattr__" in scan.symbols
    # a script that starts its app's own server, named as inspect names it among several (server:__main__, its
    # top level or guarded block; server:main, the function that listens): run as the script, not loaded
    scripts = [c for c in script_candidates(analysis) if c.module.path == module.path and c.attr == attr]
    if scripts:
        return script_finding(analysis, scripts[0], unparsed_notes(analysis))
    if name not in scan.symbols and not star:
        apps = sorted(n for n, s in scan.symbols.items() if analysis.resolve(module.path, s))
        raise AppNotFound(f"entry {override!r}: {module.path} has no top-level name {name!r}",
                          f"names there that hold an app: {', '.join(apps)}" if apps else
                          f"check the name in {module.path}")
    found = analysis.resolve(module.path, scan.symbols.get(name))
    if found is not None:
        app, _how = found
        framework, interface = app.framework, app.interface
    else:
        app = AppDef(module.path, 0, *framework_from_imports(analysis, module))
        framework, interface = app.framework, app.interface
    kind = "factory" if attr.endswith(")") else "django" if framework == "django" else "attribute"
    # `server = pp.app.server` that static reading does not resolve: already the Dash app's Flask server
    cand = Candidate(module, attr, app, kind,
                     dash_server=found is None and _assigned_server(analysis, module.path, attr))
    _, registrations, _, _ = candidates(analysis)
    cand = fill(analysis, cand, registrations)
    finding = finding_for(analysis, cand, registrations)
    return replace(finding, framework=framework, entry=replace(finding.entry, interface=interface))


def framework_from_imports(analysis: Analysis, module: Module) -> tuple[str, str]:
    """Framework of an object the scan could not follow: what its module's import closure uses."""
    closure = analysis.closure(module.path, module.root)
    imported: set[str] = set()
    for path in closure:
        m = analysis.modules.get(path)
        if m:
            imported.update(imp.module.split(".")[0] for imp in m.scan.imports if not imp.level)
    for qual, (framework, interface) in fw.CONSTRUCTORS.items():
        if qual.split(".")[0] in imported:
            return framework, interface
    if "pyramid" in imported:
        return "pyramid", "wsgi"
    return "wsgi", "wsgi"


def _assigned_server(analysis: Analysis, path: str, name: str) -> bool:
    """Whether the module's last top-level assignment to `name` takes an attribute named server (`server =
    pp.app.server`: Dash's Flask server, a WSGI app already)."""
    try:
        tree = ast.parse(analysis.project.read_text(path))
    except (SyntaxError, ValueError, OSError):
        return False
    value = None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            value = node.value
    return isinstance(value, ast.Attribute) and value.attr == "server"
