"""A module the app imports under the name of the folder it runs from: a Django project in application/ whose
package is app/ but whose settings still say INSTALLED_APPS = ['application', ...] and ROOT_URLCONF =
'application.urls' (the names of the project before its package was renamed, or of another project the settings
were copied from). The folder the app runs from is not a module in it: no link, copy or PYTHONPATH makes
`application.urls` out of application/app/urls.py. Said with the line that names it, not as a folder question.
When the whole dotted name is a file under that folder (`import web.helpers` from web/, for web/helpers.py), the
code imports its own folder as a package and the folder above it on PYTHONPATH is the fix: not this case."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ...project import Project


@dataclass(frozen=True)
class OwnFolderName:
    name: str       # the module that did not import ("application", "application.urls")
    folder: str     # the folder the app runs from, which has that name ("application")
    named_at: str   # "app/settings.py:39", the first line of the app's code that names it, or ""
    packages: tuple[str, ...]   # the packages the folder has ("app"): what such names mean now


def own_folder_name(project: Project, workdir: str, name: str) -> OwnFolderName | None:
    """The missing module `name` when its top is the name of `workdir` itself and the dotted name is no module
    under that folder; None otherwise (another folder question, or a package to install)."""
    if not workdir or workdir == "." or not name:
        return None
    top, *rest = name.split(".")
    if top != PurePosixPath(workdir).name:
        return None
    files = set(project.python_files)
    if f"{workdir}/{top}.py" in files or any(f.startswith(f"{workdir}/{top}/") for f in files):
        return None      # the folder has a module of that name: another question
    if rest:
        stem = "/".join([workdir, *rest])
        if f"{stem}.py" in files or any(f.startswith(f"{stem}/") for f in files):
            return None  # web.helpers for web/helpers.py: the folder imported as a package from the one above
    packages = sorted({f[len(workdir) + 1:].split("/")[0] for f in files
                       if f.startswith(f"{workdir}/") and f.count("/") == workdir.count("/") + 2
                       and f.endswith("/__init__.py")})
    return OwnFolderName(name, workdir, _named_at(project, workdir, top), tuple(packages))


def _named_at(project: Project, workdir: str, top: str) -> str:
    """The first line of the app's code in `workdir` that names `top`: a dotted string literal in a settings file
    (INSTALLED_APPS, ROOT_URLCONF), else an import statement anywhere. A DJANGO_SETTINGS_MODULE default does not
    count (Shipyard sets the variable to the settings module it found), nor other strings (Celery('application'))."""
    literal = re.compile(r"""(['"])%s(?:\.[\w.]*)?\1""" % re.escape(top))
    statement = re.compile(r"^[ \t]*(?:from|import)[ \t]+%s\b" % re.escape(top), re.MULTILINE)
    ours = sorted(f for f in project.python_files if f.startswith(f"{workdir}/"))
    settings = [f for f in ours if "settings" in PurePosixPath(f).parts[-1] or "settings" in PurePosixPath(f).parts]
    for rel, pattern in [*((f, literal) for f in settings), *((f, statement) for f in ours)]:
        text = project.scan_text(rel) or ""
        for found in pattern.finditer(text):
            start = text.rfind("\n", 0, found.start()) + 1
            end = text.find("\n", found.end())
            if "DJANGO_SETTINGS_MODULE" in text[start:end if end >= 0 else len(text)]:
                continue
            return f"{PurePosixPath(rel).relative_to(workdir)}:{text.count(chr(10), 0, found.start()) + 1}"
    return ""
