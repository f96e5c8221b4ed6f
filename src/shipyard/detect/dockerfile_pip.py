"""Packages the app's own Dockerfile installs by name, beside (or instead of) its requirements file.

A study project's Dockerfile reads `RUN pip install flasgger cryptography flask_cors pyjwt jarudaDB==0.0.3`
and then `RUN pip install -r requirements.txt`: the freeze lists Flask and Flask-RESTful only, and the image is
how the app runs, so the named packages are its dependencies too. Without them the import of flasgger failed,
and `import databases` (jarudaDB's module) would have been read as the unrelated PyPI project named databases.

Read: every `pip install` (pip, pip3, pythonX -m pip) of a RUN instruction, in shell or exec form, split at
`&&`, `||`, `;` and `|`. Taken: plain requirements (a name, extras, a version specifier). Left out: what an
option carries (-r file, -e path, --index-url ...), paths, URLs, archives, words built from variables, the
packaging tools (pip, setuptools, wheel) and the servers Shipyard installs itself (gunicorn, uvicorn...). A
Dockerfile Shipyard generated is not the app's.
"""

from __future__ import annotations

import re
import shlex

from packaging.requirements import InvalidRequirement, Requirement

from ..plan import Dependency
from ..project import Project
from .generated import PREFIX as GENERATED_PREFIX

# pip options that take a value (the next word, unless written --opt=value)
_VALUE_OPTIONS = frozenset({
    "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url", "--extra-index-url",
    "-f", "--find-links", "-t", "--target", "--prefix", "--root", "--trusted-host", "--platform",
    "--python-version", "--implementation", "--abi", "--src", "--upgrade-strategy", "--progress-bar",
    "--global-option", "--install-option", "-C", "--config-settings", "--cache-dir", "--log", "--timeout",
    "--retries", "--proxy", "--cert", "--client-cert", "--exists-action", "--no-binary", "--only-binary",
    "--python", "--report", "--group"})
# installed for building or running, not by the app's code: Shipyard brings its own server
_NOT_THE_APPS = frozenset({
    "pip", "setuptools", "wheel", "uv", "pipenv", "poetry", "virtualenv", "pip-tools", "gunicorn", "uwsgi",
    "uvicorn", "waitress", "hypercorn", "daphne", "granian", "supervisor"})
_SEPARATORS = re.compile(r"&&|\|\||;|\|")
_PIP = re.compile(r"pip(3(\.\d+)?)?$")
_PYTHON = re.compile(r"python(3(\.\d+)?)?$")


DOCKERFILE_NAMES = ("Dockerfile", "Containerfile")


def dockerfile_path(project: Project, base: str) -> str | None:
    """The app's Dockerfile (or Containerfile) in its dependency folder `base`, else at the root."""
    for folder in dict.fromkeys((base.strip("/"), "")):
        for name in DOCKERFILE_NAMES:
            rel = f"{folder}/{name}" if folder and folder != "." else name
            if project.is_file(rel):
                return rel
    return None


def installed_by_name(project: Project, base: str) -> tuple[Dependency, ...]:
    """The requirements the app's Dockerfile installs by name (`RUN pip install flasgger jarudaDB==0.0.3`), in
    file order, each once, with that file as their source."""
    rel = dockerfile_path(project, base)
    if rel is None:
        return ()
    text = project.read_text(rel)
    if text.startswith(GENERATED_PREFIX):
        return ()
    from ..lint.readers import dockerfile as dockerfile_reader
    found: dict[str, Dependency] = {}
    for instruction in dockerfile_reader.read(rel, text).instructions:
        if instruction.cmd != "RUN":
            continue
        exec_form = instruction.exec_form
        commands = [exec_form] if exec_form is not None else [_words(part) for part in
                                                               _SEPARATORS.split(instruction.args)]
        for words in commands:
            for requirement in pip_install_requirements(words):
                key = re.sub(r"[-_.]+", "-", requirement.name).lower()
                if key not in _NOT_THE_APPS and key not in found:
                    extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
                    found[key] = Dependency(requirement.name, extras + str(requirement.specifier), rel)
    return tuple(found.values())


def _words(command: str) -> list[str]:
    try:
        return shlex.split(command, comments=True)
    except ValueError:
        return command.split()


def pip_install_requirements(words: list[str]) -> list[Requirement]:
    """The plain requirements of one command's words when it is a `pip install`, else none."""
    at = _pip_install_at(words)
    if at is None:
        return []
    out: list[Requirement] = []
    skip_next = False
    for word in words[at:]:
        if skip_next:
            skip_next = False
            continue
        if word.startswith("-"):
            skip_next = word in _VALUE_OPTIONS
            continue
        if "$" in word or "/" in word or word.startswith(".") or word.endswith((".whl", ".tar.gz", ".zip")):
            continue
        try:
            requirement = Requirement(word)
        except InvalidRequirement:
            continue
        if requirement.url is None and requirement.marker is None:
            out.append(requirement)
    return out


def _pip_install_at(words: list[str]) -> int | None:
    """Index of the first argument after `install` when the words run pip's install command."""
    for i, word in enumerate(words):
        name = word.rsplit("/", 1)[-1]
        if _PIP.match(name) and i + 1 < len(words) and words[i + 1] == "install":
            return i + 2
        if _PYTHON.match(name) and words[i + 1:i + 4] == ["-m", "pip", "install"]:
            return i + 4
    return None
