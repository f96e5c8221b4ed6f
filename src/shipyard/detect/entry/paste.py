"""Pyramid's paste .ini files: `main(global_config, **settings)` loaded through [app:main] `use =`."""

from __future__ import annotations

import ast
import configparser
import posixpath
import re
from pathlib import PurePosixPath
from typing import Callable

from ...errors import AppNotFound
from ...paste_drop import DEVELOPMENT_INCLUDES
from ...plan import Entry
from ...project import Project
from .. import config_names, entry_points, own_packages
from ..ast_nodes import ast_nodes
from ..implied import ini_includes
from ..findings import EntryFinding
from .graph import Analysis, declared_name
from .model import AppDef, Candidate, Module, join


def paste_use(text: str, read: Callable[[str], str | None] | None = None) -> str | None:
    """The `use =` line of the app a paste .ini file serves as `main` ("egg:proj", "call:pkg:main"): its
    [app:main] section, or the app at the end of its [pipeline:main] (filters first, then the app); a
    `config:other.ini#name` use is followed into that file (read(name) gives a file beside this one)."""
    return _app_use(text, "main", read, depth=3)


def _app_use(text: str, name: str, read: Callable[[str], str | None] | None, depth: int) -> str | None:
    cfg = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        cfg.read_string(text)
    except configparser.Error:
        return None
    use = cfg.get(f"app:{name}", "use", fallback=None)
    if use is None and name == "main" and (pipeline := cfg.get("pipeline:main", "pipeline", fallback="").split()):
        use = cfg.get(f"app:{pipeline[-1]}", "use", fallback=None)
    if use and use.startswith("config:") and read is not None and depth > 0:
        other, _, section = use[len("config:"):].partition("#")
        return _app_use(read(other) or "", section or "main", read, depth - 1)
    return use


# %(name)s in an ini value; %% is a literal percent sign
_INTERPOLATED = re.compile(r"%\(([^)]+)\)s")
# names PasteDeploy (and plaster's loader) define themselves: the ini's folder and path, ENV_<variable>
_GIVEN = ("here", "__file__")


def paste_variables(text: str) -> tuple[str, ...]:
    """The names the sections `loadapp` reads for `main` ([app:main], or [pipeline:main] with its filters and
    app, or [composite:main] with its apps) interpolate that the ini does not define, in order: what its
    deployment passes as variables (`pserve production.ini DATABASE_URL=...`, gunicorn's --paste-global)."""
    cfg = configparser.ConfigParser(interpolation=None, strict=False)
    cfg.optionxform = str          # as PasteDeploy reads it: names keep their case
    try:
        cfg.read_string(text)
    except configparser.Error:
        return ()
    sections = [s for s in ("app:main", "pipeline:main", "composite:main", "filter-app:main") if cfg.has_section(s)]
    for part in cfg.get("pipeline:main", "pipeline", fallback="").split():
        sections += [s for s in (f"filter:{part}", f"app:{part}") if cfg.has_section(s)]
    for key, value in (cfg.items("composite:main") if cfg.has_section("composite:main") else []):
        if key != "use" and cfg.has_section(f"app:{value.strip()}"):
            sections.append(f"app:{value.strip()}")
    names: dict[str, None] = {}
    for section in sections:
        defined = set(cfg.options(section))      # its own options and [DEFAULT]'s
        for value in cfg[section].values():
            for name in _INTERPOLATED.findall(value.replace("%%", "")):
                if name not in defined and name not in _GIVEN and not name.startswith("ENV_"):
                    names[name] = None
    return tuple(names)


def _beside(project, folder: str, name: str) -> str | None:
    rel = posixpath.normpath(posixpath.join(folder, name))
    return project.scan_text(rel) if project.is_file(rel) else None


def paste_package(use: str) -> str:
    """The package a paste `use =` names: egg:my-proj#main -> my_proj, call:pkg.sub:main -> pkg."""
    spec = use.split(":", 1)[1] if use.startswith(("egg:", "call:", "package:")) else use
    return spec.split("#")[0].split(":")[0].split(".")[0].replace("-", "_")


def paste_module(project: Project, use: str) -> str:
    """The package a paste `use =` loads: an `egg:` of the project's own distribution loads the module its
    paste.app_factory entry point names (egg:todo with `main = src:main` in setup.py loads src), else the
    package named after the distribution (egg:my-proj -> my_proj)."""
    if use.startswith("egg:"):
        dist, _, name = use[len("egg:"):].partition("#")
        own = declared_name(project)
        if own and own == re.sub(r"[-_.]+", "-", dist).lower():
            target = entry_points.declared(project, "paste.app_factory").get(name or "main", "")
            if (module := target.partition(":")[0].strip()):
                return module.split(".")[0]
    return paste_package(use)


def paste_candidates(analysis: Analysis, module: Module, name: str, app: AppDef) -> list[Candidate]:
    """Pyramid's `main(global_config, **settings)`, loaded through a paste .ini file."""
    project = analysis.project
    inis = [f for f in project.files if f.endswith(".ini") and not own_packages.is_decoy(project, f)]
    found = []
    for ini in inis:
        folder = str(PurePosixPath(ini).parent)
        use = paste_use(project.scan_text(ini) or "", lambda other: _beside(project, folder, other))
        if use is None or paste_module(project, use).lower() != module.name.split(".")[0].lower():
            continue
        # `egg:` loads the installed project, wherever the ini is (an etc/ beside src/); `call:` imports the
        # package from the ini's folder
        if folder != module.root and not use.startswith("egg:"):
            continue
        found.append(Candidate(module, name, app, "paste", paste_ini=posixpath.relpath(ini, module.root)))
    required = required_settings(project.scan_text(module.path) or "", name)
    found.sort(key=lambda c: (_lacks(project, join(module.root, c.paste_ini or ""), required),)
               + deployable_first(project, join(module.root, c.paste_ini or "")) + (c.paste_ini,))
    return found[:1]


def required_settings(source: str, name: str) -> frozenset[str]:
    """The settings `name(global_config, **settings)` reads by subscript (`settings['login.secret']`): a paste ini
    without one of them makes main() raise KeyError before it returns an app."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return frozenset()
    func = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name), None)
    if func is None or func.args.kwarg is None:
        return frozenset()
    settings = func.args.kwarg.arg
    return frozenset(n.slice.value for n in ast_nodes(func)
                     if isinstance(n, ast.Subscript) and isinstance(n.ctx, ast.Load)
                     and isinstance(n.value, ast.Name) and n.value.id == settings
                     and isinstance(n.slice, ast.Constant) and isinstance(n.slice.value, str))


def _lacks(project, ini: str, required: frozenset[str]) -> bool:
    """Whether the app section paste loads from `ini` leaves out a setting main() requires (a 2017 sandbox's
    production.ini had no login.secret, which only its development.ini set: only that one starts)."""
    if not required:
        return False
    cfg = configparser.ConfigParser(interpolation=None, strict=False)
    cfg.optionxform = str          # as PasteDeploy reads it: names keep their case
    try:
        cfg.read_string(project.scan_text(ini) or "")
    except configparser.Error:
        return False
    section = "app:main"
    if not cfg.has_section(section) and (pipeline := cfg.get("pipeline:main", "pipeline", fallback="").split()):
        section = f"app:{pipeline[-1]}"
    if not cfg.has_section(section):
        return False           # a config: use or a composite: not read here, as before
    return not required <= set(cfg.options(section))


def deployable_first(project, ini: str) -> tuple[int, bool]:
    """Sort key of a paste .ini: a production name first (production.ini), then one that names no purpose
    (app.ini), development and test ones last (development.ini pulls in pyramid_debugtoolbar); among equals
    one with a [server:main] section, a complete deployment rather than a fragment others include."""
    purpose = 0 if config_names.for_production(ini) else 2 if config_names.for_development_or_tests(ini) else 1
    cfg = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        cfg.read_string(project.scan_text(ini) or "")
    except configparser.Error:
        pass
    return purpose, not cfg.has_section("server:main")


def development_includes(project: Project, ini: str) -> tuple[str, ...]:
    """The development add-ons (paste_drop.DEVELOPMENT_INCLUDES) a development ini (`ini`, relative to the project
    root) includes in its [app:main], which production leaves out."""
    if not config_names.for_development_or_tests(ini):
        return ()
    text = project.scan_text(ini) or ""
    if not re.search(r"^\[app:main\]", text, re.M):
        return ()
    names = {name.split(".")[0] for name in ini_includes(text)}
    return tuple(name for name in DEVELOPMENT_INCLUDES if name in names)


def drops_note(ini: str, drops: tuple[str, ...]) -> str:
    return (f"{ini} is a development ini: production leaves out what its pyramid.includes adds for development "
            f"({', '.join(drops)}, an interactive debugger), so the server loads the app through a derived ini whose "
            f"[app:main] uses {PurePosixPath(ini).name}'s without it; write a production.ini to choose yourself")


def paste_override(analysis: Analysis, ini: str) -> EntryFinding:
    project = analysis.project
    if not project.is_file(ini):
        raise AppNotFound(f"entry {ini!r}: no such file in {project.root}",
                          "give the paste .ini file's path relative to the app folder")
    folder = str(PurePosixPath(ini).parent)
    use = paste_use(project.read_text(ini), lambda other: _beside(project, folder, other))
    if not use:
        raise AppNotFound(f"entry {ini!r} has no [app:main] section with a `use =` line",
                          "point at the paste .ini that defines [app:main] (development.ini or production.ini)")
    package = paste_module(project, use)
    notes: tuple[str, ...] = ()
    if use.startswith("egg:"):
        notes = (f"{PurePosixPath(ini).name} loads the app with `use = egg:...`: the project must be installed "
                 "(pip install .) for paste to find it",)
    drops = development_includes(project, ini)
    entry = Entry(module=package, attr="main", kind="paste", interface="wsgi", paste_ini=PurePosixPath(ini).name,
                  paste_vars=paste_variables(project.read_text(ini)), paste_drops=drops)
    if drops:
        notes += (drops_note(ini, drops),)
    return EntryFinding(framework="pyramid", entry=entry, workdir=folder, notes=notes)
