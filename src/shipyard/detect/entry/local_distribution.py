"""A module the app imports that the project ships as a distribution of its own, in a folder the app does not run
from: the Django tutorial's "reusable apps" step moves polls/ into django-polls/ beside a setup.cfg (name
django-polls), while the project's settings keep 'polls' in INSTALLED_APPS; its author installs that folder
(`pip install ./django-polls`). The entry is right (not a wrong folder to run from); the app imports once that
distribution is installed: the proof, `serve --install` and the image install it from the project's folder
(needed_local_distributions), as its README's `pip install -e ./FOLDER` does.
"""

from __future__ import annotations

import configparser
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Iterable

from ...project import Project
from ..deps import normalize

_PACKAGING = ("setup.cfg", "pyproject.toml", "setup.py")
_SETUP_NAME = re.compile(r"""\bname\s*=\s*["']([A-Za-z0-9][\w.-]*)["']""")
_PYPROJECT_NAME = re.compile(r"""^\s*name\s*=\s*["']([A-Za-z0-9][\w.-]*)["']""", re.M)


@dataclass(frozen=True)
class LocalDistribution:
    folder: str        # ".pollsdjango-polls/django-polls", relative to the project root
    packaging: str     # the file that makes it one: "setup.cfg"
    name: str          # the distribution's name there ("django-polls"), "" when it names none


def local_distribution(project: Project, workdir: str, top: str) -> LocalDistribution | None:
    """The nearest folder (not the workdir nor one above it) with a packaging file whose package (or src/ package,
    or module) is `top`; None when the project has none."""
    if not top.isidentifier():
        return None
    files = set(project.files)
    parts = PurePosixPath(workdir).parts
    above = {str(PurePosixPath(*parts[:i])) for i in range(len(parts) + 1)}     # "." and each folder down to it
    folders = sorted({str(PurePosixPath(rel).parent) for rel in files if PurePosixPath(rel).name in _PACKAGING},
                     key=lambda f: (len(PurePosixPath(f).parts), f))
    for folder in folders:
        if folder in above or folder == workdir:
            continue
        base = PurePosixPath(folder)
        if not any(f"{b / top}/__init__.py" in files or f"{b / top}.py" in files for b in (base, base / "src")):
            continue
        packaging = [str(base / name) for name in _PACKAGING if str(base / name) in files]
        named = [(rel, name) for rel in packaging if (name := _name(project, rel))]
        rel, name = named[0] if named else (packaging[0], "")
        return LocalDistribution(folder, PurePosixPath(rel).name, name)
    return None


def _name(project: Project, rel: str) -> str:
    """The distribution name its packaging file gives, else ""."""
    text = project.scan_text(rel) or ""
    if rel.endswith("setup.cfg"):
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(text)
        except configparser.Error:
            return ""
        return parser.get("metadata", "name", fallback="").strip()
    pattern = _PYPROJECT_NAME if rel.endswith("pyproject.toml") else _SETUP_NAME
    found = pattern.search(text)
    return found.group(1) if found else ""


def needed_local_distributions(project: Project, workdir: str, declared: Iterable[str] = ()
                               ) -> tuple[LocalDistribution, ...]:
    """The project's own distributions the app imports from `workdir` without having them importable there
    (greeter-lib/setup.py with greeter/ inside, the app's `from greeter import greeting`), in folder order: the
    author installs them by hand (`pip install -e ./greeter-lib`), and what they import in turn. Not one whose
    module the app declares as the index's distribution (`declared`: the app's requirements' names; requests/ in
    vendor/ with the app's `requests`): the folder is a copy of it."""
    from ..imports import _STDLIB, all_imports, distribution_for, settings_imports
    files = set(project.files)
    base = PurePosixPath(workdir)
    declared = {normalize(name) for name in declared}
    found: dict[str, LocalDistribution] = {}
    for imp in (*all_imports(project), *settings_imports(project)):
        top = imp.name.split(".")[0]
        if imp.optional or top in _STDLIB or not top.isidentifier() or _importable(files, base / top):
            continue
        dist = local_distribution(project, workdir, top)
        if dist is None or dist.folder in found or imp.file.startswith(dist.folder + "/"):
            continue
        if normalize(distribution_for(top)) in declared:
            continue
        found[dist.folder] = dist
    return tuple(found[f] for f in sorted(found))


def _importable(files: set[str], path: PurePosixPath) -> bool:
    """The module or package at `path` (the folder the app runs from / its name) imports from there: a module, a
    regular package, or a folder of modules with no packaging file (a namespace package); a folder of that name
    holding a distribution of its own (mylib/setup.py beside mylib/mylib/) is only a namespace of no use."""
    folder = f"{path}/"
    modules = any(rel.startswith(folder) and rel.endswith(".py") and "/" not in rel[len(folder):] for rel in files)
    return f"{path}.py" in files or f"{folder}__init__.py" in files \
        or modules and not any(f"{folder}{name}" in files for name in _PACKAGING)


def index_names(dependencies) -> tuple[str, ...]:
    """The names of the app's dependencies that stand for a package index's distribution (what
    needed_local_distributions takes as `declared`): not a line a pip freeze wrote for a folder of the author's
    machine (`greeter-lib @ file:///home/author/greeter-lib`, deps.FROZEN_ELSEWHERE), which the project's own
    folder of that distribution is."""
    from ..deps import FROZEN_ELSEWHERE
    return tuple(d.name for d in dependencies if f"({FROZEN_ELSEWHERE} " not in d.source)


def installed_from_folders(project: Project, workdir: str, dependencies, app_is_package: bool = False
                           ) -> tuple[tuple, tuple[tuple[str, str], ...]]:
    """(`dependencies` without the lines naming a distribution of the project's own that the plan installs from its
    folder (needed_local_distributions), (the app's line, why) of each): `greeter-lib==0.1` (no such release on the
    index) or a freeze's `greeter-lib @ file:///home/author/greeter-lib` (a folder that is not here) beside
    greeter-lib/setup.py would stop the install, and would install a second copy if they did not. With
    `app_is_package`, also the lines naming the app itself (its root's packaging name: `-e
    git+https://github.com/author/app.git#egg=app`), which is installed as a package from its own folder: fetching
    its repository would install a second copy, of another commit, or fail where the network is out of reach."""
    from ..deps import SERVER_SOURCE, frozen_elsewhere
    local = {normalize(d.name): d for d in needed_local_distributions(project, workdir, index_names(dependencies))
             if d.name}
    own = root_distribution(project) if app_is_package else None
    if own is not None:
        local.setdefault(normalize(own.name), own)
    if not local:
        return tuple(dependencies), ()
    lines = {id(dep): line for dep, line in frozen_elsewhere(dependencies)}
    left = [d for d in dependencies if normalize(d.name) in local and not d.source.startswith(SERVER_SOURCE)]
    out = []
    for dep in left:
        dist = local[normalize(dep.name)]
        source = dep.source.split(' (')[0]
        if dist is own:
            # the line as written, so that the image deletes an editable one from its copy (render)
            line = _editable_url_line(project, source, dep) or lines.get(id(dep), dep.requirement)
            out.append((line, f"the app's {source} names the app itself with {line} ({own.packaging}'s name "
                              f"{own.name}), which is installed as a package from its own folder after its "
                              "dependencies, not fetched"))
            continue
        line = lines.get(id(dep), dep.requirement)
        out.append((line, f"the app's requirements name {line} ({source}), the project's own "
                          f"distribution in {dist.folder}/ ({dist.packaging}), which is installed from that folder "
                          "instead"))
    return tuple(d for d in dependencies if d not in left), tuple(out)


def root_distribution(project: Project) -> LocalDistribution | None:
    """The distribution the project's root packages (the first of its packaging files that names one), else None."""
    for rel in _PACKAGING:
        if project.is_file(rel) and (name := _name(project, rel)):
            return LocalDistribution(".", rel, name)
    return None


def _editable_url_line(project: Project, rel: str, dep) -> str | None:
    """The `-e URL#egg=NAME` line of the requirement file `rel` that `dep` (NAME @ URL) was read from, else None."""
    url = dep.spec.split(" @ ", 1)[-1].strip() if " @ " in dep.spec else ""
    if not url or not project.is_file(rel):
        return None
    for raw in project.read_text(rel).splitlines():
        line = re.split(r"\s+#", raw, maxsplit=1)[0].strip()
        match = _EDITABLE.fullmatch(line)
        if match and match.group(1).split("#", 1)[0] == url:
            return line
    return None


_EDITABLE = re.compile(r"(?:-e|--editable)\s*=?\s*(\S+)")


def editable_lines(project: Project, files, local: Iterable[LocalDistribution],
                   app_is_package: bool = False) -> tuple[tuple[str, str], ...]:
    """(the line, why) of each `-e ./greeter-lib` or `-e file:///home/author/proj/greeter-lib` line of the app's
    requirement files `files` that installs a distribution of the project's own the plan installs from its folder
    (`local`): serve and the proof skip such lines (deps: a local folder); the image's install of the file must
    too, since only the requirement files are there when it runs (and the author's path is nowhere). With
    `app_is_package`, also `-e .` naming the project root itself (a packaged app's requirements.txt): the image
    installs the app as a package after its dependencies, and the folder is not there when the file installs."""
    local = tuple(local)
    folders = {d.folder: d for d in local}
    out: list[tuple[str, str]] = []
    for rel, line, target, path, egg in _editable_requirements(project, files):
        if path.startswith("/"):
            # the author's absolute path: the folder of that name (or the #egg= distribution) here
            dist = next((d for d in local if PurePosixPath(d.folder).name == PurePosixPath(path).name
                         or egg and d.name and normalize(d.name) == normalize(egg)), None)
        else:
            dist = folders.get(path)
            if dist is None and path == "." and app_is_package:
                how = " editable" if line.startswith("-") else ""
                out.append((line, f"the app's {rel} installs {target}{how}, the app itself, which the image "
                                  "installs as a package after its dependencies"))
                continue
        if dist is not None:
            out.append((line, f"the app's {rel} installs {target} editable, the project's own distribution in "
                              f"{dist.folder}/ ({dist.packaging}), which is installed from that folder instead"))
    return tuple(out)


def _editable_requirements(project: Project, files) -> Iterable[tuple[str, str, str, str, str]]:
    """(file, line, target, folder, #egg= name or "") of each editable line of the requirement files `files` that
    names a folder, not a repository: the folder relative to the project root ("." for the root), or the
    author's absolute path as written; and of a line installing the root folder as it is (`.`)."""
    from urllib.parse import unquote
    for rel in files:
        name = PurePosixPath(rel).name
        if not (name.endswith((".txt", ".in", ".pip")) or name == "requirements") or not project.is_file(rel):
            continue
        for raw in project.read_text(rel).splitlines():
            line = re.split(r"\s+#", raw, maxsplit=1)[0].strip()
            match = _EDITABLE.fullmatch(line) or _ROOT_LINE.fullmatch(line)
            if not match:
                continue
            target = match.group(match.lastindex or 0)
            path = target.split("#", 1)[0]
            egg = re.search(r"#egg=([\w.\-]+)", target)
            if path.startswith("file:"):
                path = unquote(re.sub(r"^file:(//)?", "", path))
            elif "://" in path or "+" in path.split("/", 1)[0]:
                continue                     # git+https://...: a repository, not a folder
            path = path.rstrip("/")
            if not path.startswith("/"):
                parts: list[str] = []
                for part in (PurePosixPath(rel).parent / path).parts:
                    if part == "..":
                        if parts:
                            parts.pop()
                    elif part != ".":
                        parts.append(part)
                path = "/".join(parts) or "."
            yield rel, line, target, path, egg.group(1) if egg else ""


# a requirement line that is only the project's root folder, installed as it is, not editable (`.`, `./`)
_ROOT_LINE = re.compile(r"\./?")


def editable_target(line: str) -> str | None:
    """The folder or URL of an editable requirement line ("-e ./greeter-lib": "./greeter-lib"), or of the line
    that installs the root folder as it is ("."), else None: the lines the image deletes from its copy of the
    requirement files."""
    match = _EDITABLE.fullmatch(line.strip()) or _ROOT_LINE.fullmatch(line.strip())
    return match.group(match.lastindex or 0) if match else None
