"""Where the app declares Python 2 as its Python: runtime.txt's python-2.7.11 (Heroku), a .python-version of 2.7,
a Pipfile's python_version = "2.7", a Dockerfile FROM python:2.7, a .travis.yml that tests on Python 2 only. Shipyard runs Python 3 only, and reads these
files for a Python 3 version alone; when the import then fails the way old code fails on a newer Python (Django
1.6's html.parser.HTMLParseError on 3.6), "an older Python may import it" points at an older Python 3, which the
app never ran on. What it declares says what the failure is: a Python 2 app, to port."""

from __future__ import annotations

import re

import yaml

from ..project import Project

_READS = (
    ("runtime.txt", re.compile(r"^\s*(python-2\.\d+(?:\.\d+)?)\s*$", re.MULTILINE)),
    (".python-version", re.compile(r"^\s*(2\.\d+(?:\.\d+)?)\s*$", re.MULTILINE)),
    ("Pipfile", re.compile(r"""^\s*(python_(?:full_)?version\s*=\s*["']2\.\d+(?:\.\d+)?["'])""", re.MULTILINE)),
    ("Dockerfile", re.compile(r"^\s*FROM\s+(python:2(?:\.\d+)*\S*)", re.MULTILINE | re.IGNORECASE)),
)


def declared_python2(project: Project) -> str:
    """'runtime.txt: python-2.7.11' when a file of the project's root declares Python 2, else ''."""
    for name, pattern in _READS:
        if not project.is_file(name):
            continue
        if (found := pattern.search(project.read_text(name))) is not None:
            return f"{name}: {found.group(1)}"
    return _travis_python2(project)


def _travis_python2(project: Project) -> str:
    """'.travis.yml: python 2.7' when the project's Travis CI configuration (the 2010s' usual one) lists Python
    versions and every one is a Python 2 (`python: ["2.6", "2.7"]`), else ''."""
    if not project.is_file(".travis.yml"):
        return ""
    try:
        data = yaml.safe_load(project.read_text(".travis.yml"))
    except yaml.YAMLError:
        return ""
    listed = data.get("python") if isinstance(data, dict) else None
    versions = [str(v) for v in (listed if isinstance(listed, list) else [listed] if listed is not None else [])]
    if versions and all(re.fullmatch(r"2(\.\d+)*", v) for v in versions):
        return f".travis.yml: python {', '.join(versions)}"
    return ""


# Builtins of Python 2 that Python 3 removed: a NameError naming one, raised inside an installed release, says that
# release is Python 2 code (Flask-FlatPages 0.5's `unicode(self.root)`), which no Python 3 imports, however old
PYTHON2_BUILTINS = frozenset({"unicode", "basestring", "xrange", "long", "unichr", "raw_input", "execfile", "file",
                              "reduce", "cmp", "buffer", "apply", "intern", "coerce"})
_NAME_ERROR = re.compile(r"NameError: name '(\w+)' is not defined")


def python2_builtin(message: str) -> str:
    """'unicode' when `message` is a NameError naming a Python 2 builtin that Python 3 removed, else ''."""
    found = _NAME_ERROR.search(message)
    return found.group(1) if found and found.group(1) in PYTHON2_BUILTINS else ""


def python2_advice(project: Project, advice: str, message: str = "", release: str | None = None) -> str:
    """`advice` about an older Python, or, for an app that declares Python 2, that it is one to port; for a
    NameError naming a Python 2 builtin raised inside `release` (message), that it needs a release made for
    Python 3."""
    declared = declared_python2(project)
    if not declared and release and (name := python2_builtin(message)):
        return (f"`{name}` is a Python 2 builtin that Python 3 removed: {release} is Python 2 code, which no Python "
                f"3 imports; require a later release of {release.split('==')[0]} made for Python 3")
    if not declared:
        return advice
    return (f"the app declares Python 2 ({declared}), which Shipyard does not run: port it to Python 3 (2to3 "
            "does most of it) with releases of its packages made for Python 3")
