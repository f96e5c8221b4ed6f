"""A configuration file the app opens by a relative name that the project ships only as its example.

`config.read('settings.ini')` beside settings.ini.example (a hackathon's aiohttp backend), `open('config.json')`
beside config.json.sample: the README says to copy the example and fill in its values. configparser reads a
missing file as empty, so the import fails later and elsewhere (KeyError: 'SkyscannerAPIKey'), far from the
cause. When importing the app fails and its code names such a file, the failure is that setup step: the import
check says which file to copy, instead of the exception's last line.

Only names written as string literals in the app's Python files, with an extension of a configuration format,
missing from the folder the app runs in while an example of that name sits there (settings.ini.example,
settings.example.ini, example.settings.ini, settings.ini.sample/.dist/.template/.default). Python settings modules
have their own rule (entry/proof.py's _EXAMPLE_NAMES), which the missing module's name points at.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ..project import Project
from .source import is_app_file

_SUFFIXES = ("ini", "cfg", "conf", "toml", "yaml", "yml", "json")
# 'settings.ini', "conf/app.yaml", 'config.json': a relative name of a configuration file, as a whole literal
_NAMED = re.compile(r"""['"]((?:[\w.-]+/)*[\w-][\w.-]*\.(?:%s))['"]""" % "|".join(_SUFFIXES))
_EXAMPLE_WORDS = ("example", "sample", "dist", "template", "default")


def _examples_of(name: str) -> list[str]:
    """The names an example of `name` goes by (settings.ini -> settings.ini.example, settings.example.ini, ...)."""
    path = PurePosixPath(name)
    out = []
    for word in _EXAMPLE_WORDS:
        out += [f"{name}.{word}", str(path.with_name(f"{path.stem}.{word}{path.suffix}")),
                str(path.with_name(f"{path.stem}_{word}{path.suffix}")), str(path.with_name(f"{word}.{path.name}"))]
    return out


def example_to_copy(project: Project, workdir: str) -> tuple[str, str] | None:
    """(example, missing file), paths relative to the project root, for the first configuration file the app's
    code names that is missing from `workdir` while its example is there; None when there is none."""
    return next(iter(examples_to_copy(project, workdir)), None)


def examples_to_copy(project: Project, workdir: str) -> list[tuple[str, str]]:
    """Each (example, missing file) pair example_to_copy finds, in the order the code names them."""
    files = set(project.files)
    out: list[tuple[str, str]] = []
    base = PurePosixPath(workdir) if workdir not in ("", ".") else PurePosixPath()
    for path in project.python_files:
        if not is_app_file(path) or not (text := project.scan_text(path)):
            continue
        for name in dict.fromkeys(_NAMED.findall(text)):
            if name.startswith("/") or ".." in PurePosixPath(name).parts:
                continue
            missing = str(base / name)
            if missing in files:
                continue
            example = next((str(base / e) for e in _examples_of(name) if str(base / e) in files), None)
            if example is not None and all(m != missing for _, m in out):
                out.append((example, missing))
    return out
