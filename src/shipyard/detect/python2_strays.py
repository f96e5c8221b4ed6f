"""Python 2 scripts left beside a Python 3 app: what they import is not the app's.

A 2019 Flask-AppBuilder skeleton keeps ruun.py beside its app, a Python 2 test client (`print pd.DataFrame(...)`)
importing pandas. The app's entry parses as Python 3 and nothing imports ruun.py; Python 3 cannot run it, so no
install of the app ever runs it either. Its import lines were still read (a file that does not parse still says
what it imports: a Python 2 app's own modules do), and pandas, resolved as of the app's date on its Python, built
from source until the serve's time ran out. Such a file's imports are left out, and said.
"""

from __future__ import annotations

import ast
from pathlib import PurePosixPath

from ..project import Project
from .entry.graph import Analysis
from .findings import EntryFinding
from .python2_syntax import python2_mark
from .source import app_files, parsed


def python2_strays(project: Project, finding: EntryFinding | None) -> dict[str, str]:
    """The app files that are Python 2 code ("ruun.py" -> "a print statement") while the entry's own module parses
    as Python 3, and that no module parsing as Python 3 imports; {} when there is no such entry."""
    if finding is None or not finding.entry.module or finding.entry.kind in ("paste", "django"):
        return {}
    trees = parsed(project)
    workdir = "" if finding.workdir in ("", ".") else finding.workdir.strip("/")
    base = "/".join(p for p in (workdir, (finding.entry.import_folder or "").strip("/")) if p and p != ".")
    start = Analysis(project).module_files(base or ".", finding.entry.module) or []
    if not start or not all(rel in trees for rel in start):
        return {}
    imported = _imported_names(trees.values())
    strays: dict[str, str] = {}
    for rel in app_files(project):
        if rel in trees or (text := project.scan_text(rel)) is None:
            continue
        try:
            ast.parse(text, filename=rel)
            continue
        except SyntaxError as error:
            mark = python2_mark(error.msg or "", error.text, text)
        except ValueError:
            continue
        name = PurePosixPath(rel).stem
        if mark and name not in imported and not (name == "__init__" and PurePosixPath(rel).parent.name in imported):
            strays[rel] = mark
    return strays


def _imported_names(trees) -> set[str]:
    """Every part of every module name the parsed modules import (`from app import views` gives app and views)."""
    names: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    names.update(alias.name.split("."))
            elif isinstance(node, ast.ImportFrom):
                names.update((node.module or "").split("."))
                names.update(alias.name for alias in node.names)
    return names
