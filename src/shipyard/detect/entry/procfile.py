"""The entry the project's own Procfile names: `web: gunicorn app:app` is how its author runs it in
production (Heroku's convention, kept by Dokku, Render and others). When the folder holds several apps (a
second copy under _updated/, an example beside the real one), the one its `web:` command serves wins.

Without a Procfile `web:` line, the server command the project writes elsewhere says the same: its root
Dockerfile's CMD/ENTRYPOINT (`CMD ["gunicorn", "app:create_app()"]`) or a root shell script that starts the
server (entrypoint.sh's `gunicorn -b 0.0.0.0:5000 run:app`), or a recipe of its root Makefile or justfile
(`prod: poetry run gunicorn users_example.app:app`). Only commands that run a server count there:
`celery -A make_celery:celery_app` names a module:attr too. Then the `command:` of the services of the root's
own compose file (`command: gunicorn app.main:app`, `flask run` with the service's FLASK_APP, `python run.py`),
each read from the folder its service runs in (its build context, its Dockerfile's WORKDIR and COPY steps, its
`working_dir:` and bind mounts). Without any of those, the server commands of the
root README (what a course project's reader is told to run). Where no server command names one either, the
FLASK_APP the project's .flaskenv or .env sets for `flask run` (`FLASK_APP=anakonda`: the package, whose
__init__ re-exports create_app, not the module that defines it). Last, the server commands of the Dockerfiles
in subfolders, each read from its own folder (app/Dockerfile, the build context of app/compose.yml)."""

from __future__ import annotations

import json
import posixpath
import re
import shlex
import weakref
from collections.abc import Iterable, Iterator

from ...project import Project
from ..cli_dotenv import values_of
from .model import Candidate

# module:attr as servers take it: app:app, mysite.wsgi:application, app:create_app(), "app:create_app('x')"
_TARGET = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*(\(.*\))?$")
_DJANGO = re.compile(r"^[A-Za-z_][\w.]*\.[wa]sgi$")
_CHDIR = ("--chdir", "--app-dir", "--working-dir")
_SERVERS = frozenset({"gunicorn", "uvicorn", "hypercorn", "waitress-serve", "daphne", "granian", "uwsgi"})
_INSTRUCTION = re.compile(r"^\s*(CMD|ENTRYPOINT)\s+(.*)$", re.IGNORECASE)
_STEP = re.compile(r"^\s*(FROM|WORKDIR|COPY|ADD)\s+(.*)$", re.IGNORECASE)
_TASK_FILES = ("Makefile", "makefile", "GNUmakefile", "justfile", "Justfile")
_READMES = ("README.md", "README.rst", "README.txt", "README", "readme.md", "Readme.md")
# a server command on one line of a README, from the server's name (or `python -m` before it) to the line's end
_README_COMMAND = re.compile(r"(?:^|[\s`$>(])((?:python3? -m )?(?:gunicorn|uvicorn|hypercorn|waitress-serve|daphne|granian)"
                             r"\s[^\n`|;&]*)")


def web_targets(project: Project) -> tuple[tuple[str, str], ...]:
    """(folder it runs from, module:attr) for each target the Procfile's `web:` command names, else the
    server commands of the root Dockerfile and shell scripts."""
    if project.is_file("Procfile"):
        # every `web:` line: a Procfile written twice over (`web: python app.py`, then `web: uvicorn app:app
        # --port=${PORT}`) names its server's target on a later line; lines naming different ones stay a question
        web = _web_commands(project)
        if web:
            return tuple(dict.fromkeys(t for command in web for t in _targets(command)))
    out: list[tuple[str, str]] = []
    dockerfile = project.scan_text("Dockerfile") if project.is_file("Dockerfile") else None
    docker, copies, _ = _docker_commands(project, dockerfile) if dockerfile is not None else ([], [], "/")
    # root shell scripts, and the recipes of a root Makefile or justfile (`prod: poetry run gunicorn
    # users_example.app:app`, how Hexlet's course projects start in production)
    commands = [*sorted(f for f in project.files if "/" not in f and f.endswith(".sh")),
                *(f for f in _TASK_FILES if project.is_file(f))]
    scripts = [(".", line) for rel in commands
               for line in (project.scan_text(rel) or "").replace("\\\n", " ").splitlines()]
    for folder, command in (*docker, *scripts):
        # `gunicorn --chdir /opt 'app:http()'` in run.sh, the image's ENTRYPOINT: /opt is where the Dockerfile
        # copies the project (COPY . . under WORKDIR /opt), its root where no copy says otherwise
        targets = tuple((_copied_to(f, copies) if f.startswith("/") else f, t) for f, t in _targets(command, folder))
        if targets and _runs_server(command):
            out += [t for t in targets if t not in out]
    return tuple(out) or compose_targets(project) or flask_app_targets(project) \
        or script_flask_app_targets(project) or readme_targets(project) or nested_docker_targets(project)


def compose_targets(project: Project) -> tuple[tuple[str, str], ...]:
    """(folder it runs from, module:attr) for each server command (`gunicorn app.main:app`, `uvicorn main:app`)
    a service of the root's own compose file runs, and each FLASK_APP of a service whose command is `flask run`
    (its environment's, or `flask --app NAME run`): how its author starts the app with `docker compose up`."""
    out: list[tuple[str, str]] = []
    for folder, command, environment in compose_commands(project):
        found = [t for t in _targets(command, folder) if _runs_server(command)]
        if not found and re.search(r"\bflask\b.*\brun\b", command):
            values = [m.group(1) or m.group(2) for m in _README_FLASK_APP.finditer(command)] \
                or [environment.get("FLASK_APP", "")]
            found = [t for value in values if value and (t := _flask_app_in(project, folder, value)) is not None]
        out += [t for t in found if t not in out]
    return tuple(out)


# compose_commands per Project: the entry's choice asks for them twice (the targets compose names, then the
# scripts its services run, for a pool still ambiguous), and the compose files do not change within a run
_COMPOSE_COMMANDS: "weakref.WeakKeyDictionary[Project, tuple[tuple[str, str, dict[str, str]], ...]]" = \
    weakref.WeakKeyDictionary()


def compose_commands(project: Project) -> tuple[tuple[str, str, dict[str, str]], ...]:
    """(project folder it runs in, command, its environment) for the `command:` of each service of the root's own
    compose files (not one Shipyard wrote), a string or a list (`["sh", "-c", "..."]`: the shell's command). The
    folder: the service's working_dir (else its Dockerfile's WORKDIR) where a bind mount (`.:/code`) or the
    Dockerfile's COPY put a folder of the project, else its build context (the root for a service that builds
    nothing). Read once per Project."""
    if project not in _COMPOSE_COMMANDS:
        _COMPOSE_COMMANDS[project] = tuple(_read_compose_commands(project))
    return _COMPOSE_COMMANDS[project]


def _read_compose_commands(project: Project) -> list[tuple[str, str, dict[str, str]]]:
    from ..compose_env import build_context, compose_files, own_services, service_values
    out: list[tuple[str, str, dict[str, str]]] = []
    for rel in compose_files(project, "."):
        for body in (own_services(project, rel) or {}).values():
            if not isinstance(body, dict) or not isinstance(command := body.get("command"), (str, list)):
                continue
            if isinstance(command, list):
                words = [str(w) for w in command]
                shell = len(words) > 2 and posixpath.basename(words[0]) in ("sh", "bash") and words[1] == "-c"
                command = words[2] if shell else shlex.join(words)
            build = body.get("build")
            context = build_context(build, ".") or "."
            copies: list[tuple[str, str]] = []
            workdir = "/"
            name = build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile"
            dockerfile = _join(context, str(name))
            if build is not None and project.is_file(dockerfile):
                _, copies, workdir = _docker_commands(project, project.scan_text(dockerfile) or "", context)
            mounts = []
            for volume in body.get("volumes") if isinstance(body.get("volumes"), list) else ():
                source, _, dest = str(volume).partition(":") if isinstance(volume, str) else ("", "", "")
                if source.startswith(".") and dest.startswith("/") and project.path(_join(".", source)).is_dir():
                    mounts.append((posixpath.normpath(dest.split(":")[0]), _join(".", source)))
            copies = mounts + copies          # a bind mount hides what the image copied to the same folder
            if isinstance(body.get("working_dir"), str):
                workdir = posixpath.normpath(posixpath.join(workdir, body["working_dir"]))
            out.append((_copied_to(workdir, copies, context), command, service_values(project, rel, body)))
    return out


# a Dockerfile's names as `docker build` and compose's `build:` look for them
_DOCKERFILES = ("Dockerfile", "Containerfile")


def nested_docker_targets(project: Project) -> tuple[tuple[str, str], ...]:
    """(project folder it runs in, module:attr) for the server commands of the Dockerfiles in subfolders, where
    the root says nothing: app/Dockerfile built from app/ (its compose.yml's `build: .`) with `COPY ./ore/ .`
    under `WORKDIR /ore` and `CMD ["uvicorn", "main:app"]` serves app/ore/main.py, not the variant beside it.
    Each Dockerfile's COPY sources and its default folder are relative to its own folder, its build context."""
    out: list[tuple[str, str]] = []
    for rel in project.files:
        context, _, name = rel.rpartition("/")
        if not context or name not in _DOCKERFILES or project.is_decoy(rel):
            continue
        docker, copies, _ = _docker_commands(project, project.scan_text(rel) or "", context)
        for folder, command in docker:
            if _runs_server(command):
                out += [t for t in ((_copied_to(f, copies, context) if f.startswith("/") else f, t)
                                    for f, t in _targets(command, folder)) if t not in out]
    return tuple(out)


def _web_commands(project: Project) -> list[str]:
    """The commands of the Procfile's `web:` lines."""
    return [command for kind, sep, command in (line.partition(":") for line in
            (project.scan_text("Procfile") or "").splitlines()) if sep and kind.strip() == "web"]


def web_script_runs(project: Project) -> tuple[tuple[str, str], ...]:
    """(folder, "module:*") for each script a Procfile `web:` line runs by its path (`web: python run.py`, eve-demo
    beside four run-*.py variants of it): the one its author starts in production. Without a Procfile, the
    scripts the services of the root's own compose file run (`command: python -u run.py`)."""
    if project.is_file("Procfile"):
        return _scripts_run(project, ((".", command) for command in _web_commands(project)))
    return _scripts_run(project, ((folder, command) for folder, command, _ in compose_commands(project)))


def flask_app_targets(project: Project) -> tuple[tuple[str, str], ...]:
    """(folder it runs from, module:attr) for the FLASK_APP of the root's .env or .flaskenv (.env first, as the
    flask CLI reads them). A module or file alone (`project`, `run.py`, `src/app.py`) gives `module:*`: the
    flask CLI takes its app, application, single Flask instance or create_app()/make_app() factory."""
    for _, value in values_of(project, ".", "FLASK_APP"):
        found = _flask_app_target(project, value.strip())
        if found:
            return (found,)
    return ()


# the root's run scripts, Windows' too: run.ps1's `$env:FLASK_APP = "flaskr"`, run.bat's `set FLASK_APP=app.py`
_RUN_SCRIPTS = (".sh", ".ps1", ".bat", ".cmd")


def script_flask_app_targets(project: Project) -> tuple[tuple[str, str], ...]:
    """(folder it runs from, module:attr) for the FLASK_APP a root run script sets before its `flask run`
    (`export FLASK_APP=flaskr`, `set FLASK_APP=app.py`, PowerShell's `$env:FLASK_APP = "flaskr"`) or names
    (`flask --app flaskr run`): how its author starts the app, as a .flaskenv would say it; a script beside a
    second app (the tutorial's hello.py next to its flaskr package) settles which one is served."""
    out: list[tuple[str, str]] = []
    for rel in sorted(f for f in project.files if "/" not in f and f.lower().endswith(_RUN_SCRIPTS)):
        for line in (project.scan_text(rel) or "").splitlines():
            if line.lstrip().startswith(("#", "::", "REM ", "rem ")):
                continue
            for m in _README_FLASK_APP.finditer(line):
                found = _flask_app_target(project, (m.group(1) or m.group(2)).rstrip("."))
                if found is not None and found not in out:
                    out.append(found)
    return tuple(out)


def _flask_app_target(project: Project, value: str) -> tuple[str, str] | None:
    """Flask's own reading of FLASK_APP (cli.prepare_import): a path to a .py file or package, whose parent
    folders with __init__.py make the dotted name and the first without one goes on sys.path; or a module."""
    path, _, attr = value.partition(":")
    if not path or (attr and not re.fullmatch(r"[A-Za-z_]\w*(\(.*\))?", attr)):
        return None
    path = path[:-3] if path.endswith(".py") else path
    if "/" not in path:
        if not re.fullmatch(r"[A-Za-z_][\w.]*", path):
            return None
        return ".", f"{path}:{attr or '*'}"
    parts = posixpath.normpath(path).split("/")
    if parts[-1] == "__init__":
        parts.pop()
    if not parts or parts[0] == ".." or not all(re.fullmatch(r"[A-Za-z_]\w*", p) for p in parts):
        return None
    names = [parts.pop()]
    while parts and project.is_file("/".join(parts) + "/__init__.py"):
        names.append(parts.pop())
    return "/".join(parts) or ".", f"{'.'.join(reversed(names))}:{attr or '*'}"


def readme_targets(project: Project) -> tuple[tuple[str, str], ...]:
    """The targets of the server commands the root README tells a person to run (`uvicorn blog.main:app
    --reload`, in a code block or after prose on a list item's line), when nothing else names one: a course
    project's second app beside the one it runs (the first lesson's main.py) is then not a question. The flask
    CLI's app counts too (`flask --app server run`, `FLASK_APP=server flask run`, `export FLASK_APP=server`), and
    each runs from the folder the README's steps `cd` into before it (`cd backend`, a step above in its own
    block), where that folder is the project's: a repository with the API in backend/ beside frontend/."""
    out: list[tuple[str, str]] = []
    for folder, line in _readme_steps(project):
        found = [t for m in _README_COMMAND.finditer(line) for t in _targets(m.group(1), folder)]
        found += [t for m in _README_FLASK_APP.finditer(line)
                  if (t := _flask_app_in(project, folder, m.group(1) or m.group(2))) is not None]
        # a step run from the root after a `cd frontend` the README never undoes ("in another terminal"):
        # the module is the root's when the folder it would run from has none of that name
        found = [("." if f != "." and not _has_module(project, f, t) and _has_module(project, ".", t) else f, t)
                 for f, t in found]
        out += [t for t in found if t not in out]
    return tuple(out)


def readme_script_runs(project: Project) -> tuple[tuple[str, str], ...]:
    """(folder, "module:*") for each script the root README runs by its path (`cd flask_app`, then `python3
    main.py`), where that folder holds it: an app the README starts as a script, beside one it serves with a server
    command (`cd fastapi_app`, `uvicorn main:app`), is one of the apps it runs."""
    return _scripts_run(project, _readme_steps(project))


# `python manage.py runserver`, `python3 backend/manage.py runserver 0.0.0.0:8000`, `./manage.py runserver`
_RUNSERVER = re.compile(r"(?:^|[\s`$>(:])(?:python(?:3(?:\.\d+)?)?\s+)?((?:\./)?(?:[\w.-]+/)*manage\.py)\s+runserver\b")


def readme_runserver_folders(project: Project) -> frozenset[str]:
    """The folders whose manage.py the root README runs the development server of (`cd backend/`, then `python
    manage.py runserver`): the Django project it serves, where the repository holds another (an older copy nested
    in backend/okinawa/.../ebdjango, with a manage.py of its own)."""
    out: set[str] = set()
    for folder, line in _readme_steps(project):
        for match in _RUNSERVER.finditer(line):
            path = _join(folder, match.group(1).removeprefix("./"))
            if project.is_file(path):
                out.add(posixpath.dirname(path) or ".")
    return frozenset(out)


def _scripts_run(project: Project, steps: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """(folder, "module:*") for each script of the project a line of `steps` ((folder it runs in, line)) runs by
    its path."""
    out: list[tuple[str, str]] = []
    for folder, line in steps:
        for match in _SCRIPT_RUN.finditer(line):
            path = _join(folder, match.group(1).removeprefix("./"))
            if project.is_file(path):
                found = (posixpath.dirname(path) or ".", f"{posixpath.splitext(posixpath.basename(path))[0]}:*")
                out += [found] if found not in out else []
    return tuple(out)


def _readme_steps(project: Project) -> Iterator[tuple[str, str]]:
    """(folder it runs from, line) for each line of the root's README (the first of _READMES it has), the folder
    following the README's own `cd` steps."""
    rel = next((rel for rel in _READMES if project.is_file(rel)), None)
    folder = "."
    for line in (project.scan_text(rel) or "").splitlines() if rel else ():
        folder = _readme_cd(project, folder, line)
        yield folder, line


# a README line's own `cd backend` (after `$ `, `% `, `> ` or a list marker), alone or before `&&`/`;`
_README_CD = re.compile(r"^\s*(?:[-*]\s+|\d+\.\s+)?[`$%>]*\s*cd\s+([^\s`;&|]+)")
# the flask CLI's app on a README line: `flask --app server run`, `flask -A src/app.py --debug run`,
# `FLASK_APP=server flask run`, `export FLASK_APP=server` (and Windows' `set FLASK_APP=...`, `$env:FLASK_APP = "..."`)
_README_FLASK_APP = re.compile(r"\bflask\s+(?:--app[=\s]|-A\s*)\s*[\"']?([\w./:()-]+)"
                               r"|\bFLASK_APP\s*=\s*[\"']?([\w./:()-]+)")


def _has_module(project: Project, folder: str, target: str) -> bool:
    """Whether `folder` holds the module a target names (`app` of `app:app`: app.py or app/__init__.py)."""
    stem = _join(folder, target.partition(":")[0].replace(".", "/"))
    return project.is_file(f"{stem}.py") or project.is_file(f"{stem}/__init__.py")


def _readme_cd(project: Project, folder: str, line: str) -> str:
    """The folder a README's reader is in after this line: a `cd` into one of the project's folders (or back
    up, `cd ..`) moves them; a `cd` anywhere else (`cd myproject` after cloning, the repository itself) does not."""
    m = _README_CD.match(line)
    if m is None:
        return folder
    written = m.group(1).strip("\"'").rstrip("/")
    target = _join(folder, written)
    if target == "." or (not target.startswith("..") and project.path(target).is_dir()):
        return target
    # `cd fastapi_app` in the next section, after its `cd flask_app`: each section's steps start from the root
    if folder != "." and not written.startswith((".", "/")) and project.path(written).is_dir():
        return written
    return folder


def _flask_app_in(project: Project, folder: str, value: str) -> tuple[str, str] | None:
    """FLASK_APP as the flask CLI reads it from `folder`: a path (`src/app.py`) or a module (`server`), relative
    to where the command runs."""
    value = value.rstrip(".")
    path, sep, attr = value.partition(":")
    if folder == "." or ("/" not in path and not path.endswith(".py") and "." in path):
        found = _flask_app_target(project, value)
        return (_join(folder, found[0]), found[1]) if found else None
    return _flask_app_target(project, _join(folder, path) + (sep + attr))


# `python app/app.py`, `python3 -u src/server.py` on a line of a README, Procfile or shell script: a script run
# by its path from the folder the file is in (no `cd` before it on that line)
_SCRIPT_RUN = re.compile(r"(?:^|[\s`$>(:])python(?:3(?:\.\d+)?)?(?:\s+-[uBO]+)*\s+([\w./-]+\.py)\b")


def scripts_run_from_root(project: Project) -> frozenset[str]:
    """The .py files in a subfolder that the project's root README, Procfile or root shell scripts run by their
    path from the root (`python app/app.py`): run so, Python puts app/ first on sys.path while the working
    directory, where relative file paths resolve ('database.db', 'employee.db' beside the README), stays the
    root. A line that changes folder first (`cd app && python app.py`) says otherwise and is not read."""
    found: set[str] = set()
    for rel in (*_READMES, "Procfile", *sorted(f for f in project.files if "/" not in f and f.endswith(".sh"))):
        if not project.is_file(rel):
            continue
        for line in (project.scan_text(rel) or "").splitlines():
            if re.search(r"(?:^|[\s;&(`])cd\s", line):
                continue
            for match in _SCRIPT_RUN.finditer(line):
                path = posixpath.normpath(match.group(1))
                if "/" in path and not path.startswith("..") and project.is_file(path):
                    found.add(path)
    return frozenset(found)


def _docker_commands(project: Project, text: str,
                     context: str = ".") -> tuple[list[tuple[str, str]], list[tuple[str, str]], str]:
    """(the project folder it runs in, command) for the Dockerfile's CMD and ENTRYPOINT instructions, exec form
    or shell form, and the command a stage's exec-form ENTRYPOINT runs with its CMD as arguments
    (`ENTRYPOINT ["uvicorn"]`, `CMD ["app.main:app", "--port=8000"]`). The folder is the one a COPY of the
    Dockerfile put where the WORKDIR is (`COPY src/ /app/src` then `WORKDIR /app/src`, in any stage: a build
    stage's copy, or compose's bind mount of it, says the same), else the build context (`context`: the root, or
    a nested Dockerfile's folder). With them, (image path, project folder) for each folder its COPY/ADD steps put
    in the image, and the last stage's WORKDIR (where a compose service's command runs)."""
    out = []
    workdir, copies = "/", []
    stage: dict[str, list[str]] = {}      # this stage's exec-form ENTRYPOINT and CMD words

    def joined() -> None:
        if stage.get("ENTRYPOINT") and stage.get("CMD"):
            out.append((_copied_to(workdir, copies, context), shlex.join(stage["ENTRYPOINT"] + stage["CMD"])))
        stage.clear()

    for line in text.replace("\\\n", " ").splitlines():
        if (step := _STEP.match(line)) is not None:
            keyword, args = step.group(1).upper(), step.group(2).strip()
            if keyword == "FROM":
                joined()
                workdir = "/"
            elif keyword == "WORKDIR" and args:
                workdir = posixpath.normpath(posixpath.join(workdir, args.strip("\"'")))
            elif keyword in ("COPY", "ADD"):
                copies += _copied_folders(project, args, workdir, context)
            continue
        m = _INSTRUCTION.match(line)
        if not m:
            continue
        folder = _copied_to(workdir, copies, context)
        try:
            words = json.loads(m.group(2))
        except ValueError:
            out.append((folder, m.group(2)))
            continue
        if isinstance(words, list) and all(isinstance(w, str) for w in words):
            # ["sh", "-c", "gunicorn app:app"]: the shell's command
            shell = len(words) > 2 and posixpath.basename(words[0]) in ("sh", "bash") and words[1] == "-c"
            out.append((folder, words[2] if shell else shlex.join(words)))
            stage[m.group(1).upper()] = [] if shell else words
    joined()
    return out, copies, workdir


def _copied_folders(project: Project, args: str, workdir: str, context: str = ".") -> list[tuple[str, str]]:
    """(container path, project folder) for each folder of the build context a COPY/ADD puts in the image (not
    one copied from another stage or image, --from=)."""
    try:
        words = [w for w in shlex.split(args) if not w.startswith("--")]
    except ValueError:
        return []
    if "--from" in args or len(words) < 2:
        return []
    dest = posixpath.normpath(posixpath.join(workdir, words[-1]))
    out = []
    for source in words[:-1]:
        folder = posixpath.normpath(source)
        if folder == "." or (not folder.startswith(("/", "..")) and project.path(_join(context, folder)).is_dir()):
            out.append((dest, _join(context, folder)))
    return out


def _copied_to(workdir: str, copies: list[tuple[str, str]], context: str = ".") -> str:
    """The project folder at `workdir` in the image, by the copy that put the deepest folder there; the build
    context when none did (the command runs from the root, or a nested Dockerfile's folder)."""
    best = None
    for dest, folder in copies:
        if workdir == dest or workdir.startswith(dest.rstrip("/") + "/"):
            if best is None or len(dest) > len(best[0]):
                best = (dest, folder)
    if best is None:
        return context
    return posixpath.normpath(posixpath.join(best[1], posixpath.relpath(workdir, best[0])))


def _runs_server(command: str) -> bool:
    try:
        words = shlex.split(command, comments=True)
    except ValueError:
        return False
    return any(posixpath.basename(w) in _SERVERS for w in words)


def _targets(command: str, folder: str = ".") -> tuple[tuple[str, str], ...]:
    try:
        words = shlex.split(command, comments=True)
    except ValueError:
        return ()
    out = []
    for n, word in enumerate(words):
        if word == "cd" and n + 1 < len(words):             # cd src && gunicorn app:app
            folder = _join(folder, words[n + 1])
        elif word in _CHDIR and n + 1 < len(words):
            folder = _join(folder, words[n + 1])
        elif word.startswith(tuple(f"{flag}=" for flag in _CHDIR)):
            folder = _join(folder, word.partition("=")[2])
        elif _TARGET.match(word):
            out.append((folder, word))
        elif _DJANGO.match(word):                         # gunicorn mysite.wsgi: its `application`
            out.append((folder, f"{word}:application"))
    return tuple(out)


def _join(base: str, rel: str) -> str:
    return posixpath.normpath(posixpath.join(base, rel))


def named(cand: Candidate, targets: tuple[tuple[str, str], ...]) -> bool:
    """Whether the Procfile serves this candidate (`mysite.wsgi` names Django's `mysite.wsgi:application`), or
    the FLASK_APP the project sets names its module."""
    module = cand.module.name
    for folder, target in targets:
        if folder != cand.module.root:
            continue
        name, _, attr = target.partition(":")
        # `*`: FLASK_APP names the module only, and the flask CLI finds the app in it
        if name == module and (attr in ("*", cand.attr) or attr.split("(")[0] == cand.attr.split("(")[0]):
            return True
    return False


def unseen_web_target(analysis) -> str | None:
    """The module:attr the Procfile's `web:` command serves when static reading cannot tell it holds an app: a
    top-level name of a root module whose value comes from code it does not follow (a portfolio's
    `server = pp.app.server`, the Dash app made in a class's __init__). The author's production command names
    it; the import proof then says whether it is one. None when the Procfile names no such single target."""
    project = analysis.project
    if not project.is_file("Procfile"):
        return None
    targets = [t for folder, t in web_targets(project) if folder in (".", "")]
    if len(targets) != 1 or "(" in targets[0]:
        return None
    module_name, _, attr = targets[0].partition(":")
    modules = [m for m in analysis.modules.values() if m.name == module_name and m.root in (".", "")
               and not m.decoy]
    if len(modules) != 1 or attr not in modules[0].scan.symbols:
        return None
    symbol = modules[0].scan.symbols[attr]
    if symbol.kind != "other" or analysis.resolve(modules[0].path, symbol) is not None:
        return None
    return targets[0]
