"""The values the app's own run script gives its variables on the command that starts it.

A small app with no example env file often keeps the values it needs in the script its author starts it with:
`PUBLISHABLE_KEY=pk_test_... SECRET_KEY=sk_test_... python stripeapp.py` in stripeapp.sh, or `export NAME=value`
lines and then `python app.py` (a run.sh, a Makefile recipe, a README's shell block). The code reads them with
`os.environ["NAME"]` at import, so the app cannot start without them. Shipyard reads them in place, as example
values after every other source (appconfig.py: the example env file, the compose service's environment and the
Dockerfile's ENV win, and so does anything already set): only names the code reads, never one Shipyard decides
itself (dockerfile_env's list), never a value built from other variables (`$HOME/...`, `` `pwd` ``).
"""

from __future__ import annotations

import re
import shlex
from pathlib import PurePosixPath
from typing import Collection

from ..project import Project
from .dockerfile_env import _SHIPYARD_OWN, FileValues
from .sql_dump import _READMES

# a command that starts the app: python app.py, python -m flask run, flask run, gunicorn app:app...
_RUNS = re.compile(r"^(?:exec\s+|nohup\s+|env\s+)?(?:\S*/)?(?:python(?:[23](?:\.\d+)?)?|pipenv\s+run\s+python|flask|"
                   r"gunicorn|uvicorn|hypercorn|daphne|granian|waitress-serve|uwsgi)\b")
_ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$")
_EXPORT = re.compile(r"^\s*(?:\$\s+)?export\s+([A-Za-z_][A-Za-z0-9_]*)=(\S.*?)\s*$")
_SCRIPT_SUFFIXES = (".sh", ".bash")


class RunScriptEnv(FileValues):
    def note(self) -> str:
        return f"the command that starts the app in its own {self.path} (example values)"


def find(project: Project, read: Collection[str], folders: Collection[str] = (".",)) -> RunScriptEnv | None:
    """The values the first run script in `folders` (shell scripts, then the Makefile, then the README) gives names
    in `read` on (or before, with export) the line that starts the app."""
    for rel in _candidates(project, folders):
        text = project.scan_text(rel)
        if not text:
            continue
        values = _values(text, read)
        if values:
            return RunScriptEnv(rel, values)
    return None


def _candidates(project: Project, folders: Collection[str]) -> list[str]:
    found: list[str] = []
    for folder in dict.fromkeys(folders):
        here = [rel for rel in project.files if str(PurePosixPath(rel).parent) == folder]
        found += sorted(rel for rel in here if rel.endswith(_SCRIPT_SUFFIXES))
        found += [str(PurePosixPath(folder) / n) for n in ("Makefile", "makefile", *_READMES)
                  if project.is_file(str(PurePosixPath(folder) / n))]
    return list(dict.fromkeys(found))


def _values(text: str, read: Collection[str]) -> tuple[tuple[str, str], ...]:
    exported: dict[str, str] = {}
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip().strip("`").strip()
        line = re.sub(r"^(?:\$|>)\s+", "", line)      # a README's prompt
        if (export := _EXPORT.match(line)) is not None:
            exported[export.group(1)] = export.group(2)
            continue
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            continue
        prefix: dict[str, str] = {}
        while words and (assignment := _ASSIGNMENT.match(words[0])) is not None:
            prefix[assignment.group(1)] = assignment.group(2)
            words.pop(0)
        if not words or not _RUNS.match(" ".join(words)):
            continue
        # the line that starts the app: the exports before it, then its own prefix
        for name, value in {**exported, **prefix}.items():
            value = _unquoted(value)
            if name in read and name not in _SHIPYARD_OWN and value and not re.search(r"[$`<>]", value):
                values.setdefault(name, value)
    return tuple(values.items())


def _unquoted(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value
