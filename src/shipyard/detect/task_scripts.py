"""The steps a project's own task runner takes before it starts the server: PDM's `[tool.pdm.scripts]`
(`start_app = {composite = ["prepare_db", "prod_server"]}`, `prepare_db = {composite = ["init_db",
"migrate_all"]}`, `prod_server = "hypercorn --config hypercorn.toml main:app"`) and poethepoet's
`[tool.poe.tasks]` (`sequence`, `ref`), as `pdm run start_app` or `poe start` runs them.

The start script is the one whose steps, expanded, end with a command that serves the app (a server with the
entry module in its arguments, or a framework's own `run`), a production server over a dev one; what comes
before that command (creating the database, applying the app's own migrations) is what a fresh database
needs, and what a person who follows the project's own recipe runs. Read from pyproject.toml, never run here.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from ..project import Project

# first words of a command that starts a server (a console script, or `python -m NAME`)
SERVERS = frozenset({"uvicorn", "hypercorn", "gunicorn", "granian", "daphne", "waitress-serve", "uwsgi"})
# frameworks whose own CLI serves the app with `NAME run`
RUN_CLIS = frozenset({"flask", "quart", "fastapi", "litestar", "sanic"})
# a dev server: it reloads or debugs, or the script's name says so (dev_server, start-dev)
_DEV_ARGS = re.compile(r"--reload\b|--debug\b")
_DEV_NAME = re.compile(r"(^|[-_.:])dev($|[-_.:])", re.I)
MAX_DEPTH = 10


@dataclass(frozen=True)
class SetupSteps:
    runner: str            # "pdm run start_app"
    steps: tuple[str, ...]  # shell commands, in order, before the server's


def setup_steps(project: Project, entry_module: str) -> SetupSteps | None:
    """The commands the project's start script runs before its server serves `entry_module`, or None."""
    tool = project.pyproject.get("tool", {})
    for runner, table, kinds in (("pdm run", tool.get("pdm", {}).get("scripts"), ("composite",)),
                                 ("poe", tool.get("poe", {}).get("tasks"), ("sequence",))):
        if not isinstance(table, dict):
            continue
        found = []
        for name in table:
            if name.startswith("_") or not isinstance(name, str):
                continue
            commands = _expand(table, name, kinds, 0)
            if not commands or len(commands) < 2 or not _serves(commands[-1], entry_module):
                continue
            dev = bool(_DEV_ARGS.search(commands[-1]) or _DEV_NAME.search(name) or _dev_runner(commands[-1]))
            found.append((dev, name, tuple(commands[:-1])))
        if found:
            _, name, steps = min(found)
            return SetupSteps(f"{runner} {name}", steps)
    return None


def _expand(table: dict, name: str, kinds: tuple[str, ...], depth: int) -> list[str] | None:
    """The shell commands script `name` runs, in order; None when it runs something this reader cannot
    follow (a `call` of a Python function, a missing name, a loop)."""
    if depth > MAX_DEPTH or name not in table:
        return None
    spec = table[name]
    if isinstance(spec, str):
        return [spec]
    if isinstance(spec, list):                      # poe: a bare list is a sequence
        spec = {"sequence": spec}
    if not isinstance(spec, dict):
        return None
    for key in ("cmd", "shell"):
        if isinstance(spec.get(key), str):
            return [spec[key]]
        if isinstance(spec.get(key), list) and all(isinstance(a, str) for a in spec[key]):
            return [shlex.join(spec[key])]
    if isinstance(spec.get("ref"), str):            # poe: another task, with arguments
        return _expand_item(table, spec["ref"], kinds, depth)
    for kind in kinds:
        items = spec.get(kind)
        if isinstance(items, list):
            out: list[str] = []
            for item in items:
                expanded = _expand_item(table, item, kinds, depth) if isinstance(item, str) \
                    else _expand(dict(table, _item=item), "_item", kinds, depth + 1)
                if expanded is None:
                    return None
                out += expanded
            return out
    return None


def _expand_item(table: dict, item: str, kinds: tuple[str, ...], depth: int) -> list[str] | None:
    """One entry of a composite: another script's name (with arguments, which it passes on), or a command."""
    words = item.split()
    if words and words[0] in table:
        inner = _expand(table, words[0], kinds, depth + 1)
        if inner is None or not words[1:]:
            return inner
        return inner[:-1] + [f"{inner[-1]} {' '.join(words[1:])}"]
    return [item]


def _dev_runner(command: str) -> bool:
    """`flask run`, `quart run`, `fastapi dev`: the frameworks' development servers."""
    words = command.split()
    return len(words) > 1 and (words[0] in ("flask", "quart") and "run" in words
                               or words[0] == "fastapi" and "dev" in words)


def _serves(command: str, entry_module: str) -> bool:
    """Whether a command starts a server for the entry's module: `hypercorn ... main:app`, `uvicorn
    app.main:app`, `quart --app=main:app run`, `python -m uvicorn ...`, `litestar run`."""
    try:
        words = shlex.split(command)
    except ValueError:
        return False
    if len(words) > 2 and words[0].startswith("python") and words[1] == "-m":
        words = words[2:]
    if not words:
        return False
    first = words[0].rsplit("/", 1)[-1]
    names = any(re.search(rf"(^|[=\s]){re.escape(entry_module)}(:|$)", w) for w in words[1:])
    if first in RUN_CLIS and ("run" in words[1:] or first == "fastapi" and "dev" in words[1:]):
        # `quart --app=main:app run` names its app; a bare `litestar run` finds the one there is
        return names or not any(":" in w or w.startswith(("--app", "-A")) for w in words[1:])
    return first in SERVERS and names
