"""Piccolo ORM's migrations: `piccolo migrations forwards all`, for the apps piccolo_conf.py registers.

Piccolo reads its configuration from the module PICCOLO_CONF names, by default `piccolo_conf` (its CLI puts
the folder it runs in first on sys.path). That module's APP_REGISTRY = AppRegistry(apps=[...]) lists the apps
whose migrations `forwards all` applies, with the apps they depend on (piccolo_admin brings Piccolo's user
and session tables). Stated once (`find`): piccolo_conf.py in the app's workdir, then in the project root;
else the one piccolo_conf.py under the workdir, run from the workdir with PICCOLO_CONF naming it as a module.
Files under tests/ (a piccolo_conf_test.py for the test database) are not the app's.

`forwards all` orders the apps by the migration_dependencies they declare; an app whose tables point at another
app's (a ForeignKey to Piccolo's BaseUser) without declaring it may come first and fail ("relation
"piccolo_user" does not exist"). When the app's own scripts run `piccolo migrations forwards APP` for several
apps, that order is the one they work in: the release runs them so, then `forwards all` for any they leave out.
"""

from __future__ import annotations

import ast
import posixpath
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..project import Project
from .source import is_app_file

NAME = "piccolo_conf.py"
VARIABLE = "PICCOLO_CONF"
_FORWARDS = re.compile(r"\bpiccolo\s+migrations\s+(?:forwards|f|forward)\s+([A-Za-z_]\w*)")
_NOT_THE_APPS = {"tests", "test", "docs", "doc", "examples", "example"}
_SCRIPT_NAMES = ("Makefile", "makefile", "GNUmakefile", "justfile", "Justfile", "Procfile", "Dockerfile",
                 "Containerfile")
# `piccolo migrations forwards APP` for each app named, in order (the interpreter running it is the app's)
SEQUENCE = ("import subprocess, sys\n"
            "for app in sys.argv[1:]:\n"
            "    code = subprocess.call([sys.executable, '-m', 'piccolo.main', 'migrations', 'forwards', app])\n"
            "    if code:\n"
            "        sys.exit(code)\n")


@dataclass(frozen=True)
class PiccoloConf:
    path: str                      # piccolo_conf.py, relative to the project root
    cwd: str                       # where `piccolo` runs
    module: str                    # PICCOLO_CONF's value, "" when it is the default piccolo_conf
    apps: tuple[str, ...]          # APP_REGISTRY's apps ("apps.tasks.piccolo_app", "piccolo_admin.piccolo_app")


def find(project: Project, workdir: str) -> PiccoloConf | None:
    """The app's piccolo_conf.py with the apps it registers; None without one that registers any."""
    for base in dict.fromkeys((workdir, ".")):
        rel = NAME if base == "." else f"{base}/{NAME}"
        if project.is_file(rel):
            apps = registered_apps(project, rel)
            return PiccoloConf(rel, base, "", apps) if apps else None
    prefix = "" if workdir == "." else f"{workdir}/"
    nested = [f for f in project.files if f.startswith(prefix) and posixpath.basename(f) == NAME
              and is_app_file(f)]
    if len(nested) != 1:
        return None                # none, or several: which one the app reads is not known from here
    module = nested[0][len(prefix):-len(".py")].replace("/", ".")
    apps = registered_apps(project, nested[0])
    return PiccoloConf(nested[0], workdir, module, apps) if apps and module.replace(".", "").isidentifier() else None


def registered_apps(project: Project, rel: str) -> tuple[str, ...]:
    """The module names of `APP_REGISTRY = AppRegistry(apps=[...])`, as written in the file."""
    text = project.scan_text(rel)
    try:
        tree = ast.parse(text or "")
    except SyntaxError:
        return ()
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Call) and any(
                isinstance(t, ast.Name) and t.id == "APP_REGISTRY"
                for t in (node.targets if isinstance(node, ast.Assign) else [node.target])):
            given = [k.value for k in node.value.keywords if k.arg == "apps"] + node.value.args[:1]
            if given and isinstance(given[0], (ast.List, ast.Tuple)):
                return tuple(e.value for e in given[0].elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
    return ()


def script_order(project: Project) -> tuple[tuple[str, ...], str]:
    """(the apps, in order, the file) of the first of the app's scripts (shell scripts, Makefile...) that runs
    `piccolo migrations forwards APP` for two apps or more; ((), "") when none does."""
    for rel in sorted(project.files):
        path = PurePosixPath(rel)
        # scripts/ holds the app's own scripts (a decoy folder only for finding the entry); tests' are not
        if not (rel.endswith(".sh") or path.name in _SCRIPT_NAMES) or _NOT_THE_APPS & set(path.parts[:-1]):
            continue
        apps = tuple(dict.fromkeys(a for a in _FORWARDS.findall(project.scan_text(rel) or "") if a != "all"))
        if len(apps) >= 2:
            return apps, rel
    return (), ""
