"""An app that declares Python 2 (runtime.txt python-2.7.11, as the Texas Tribune's 2016 Django 1.6 app does) and
whose import fails the way old code fails on a newer Python is said to be a Python 2 app to port, not one an older
Python 3 "may import"; a Python 3 declaration, or none, keeps the advice about an older Python."""

from __future__ import annotations

import pytest

from shipyard.detect.python2_declared import declared_python2, python2_advice
from shipyard.project import Project

from conftest import make_tree


@pytest.mark.parametrize("files, said", [
    ({"runtime.txt": "python-2.7.11\n"}, "runtime.txt: python-2.7.11"),
    ({".python-version": "2.7.18\n"}, ".python-version: 2.7.18"),
    ({"Pipfile": '[requires]\npython_version = "2.7"\n'}, 'Pipfile: python_version = "2.7"'),
    ({"Dockerfile": "FROM python:2.7-slim\nCOPY . /app\n"}, "Dockerfile: python:2.7-slim"),
    ({"runtime.txt": "python-3.6.10\n", "Dockerfile": "FROM python:3.7-alpine\n"}, ""),
    ({"Pipfile": '[requires]\npython_version = "3.8"\n'}, ""),
    ({".travis.yml": 'language: python\npython:\n  - "2.7"\n'}, ".travis.yml: python 2.7"),
    ({".travis.yml": "python:\n  - 2.6\n  - 2.7\n"}, ".travis.yml: python 2.6, 2.7"),
    ({".travis.yml": 'python:\n  - "2.7"\n  - "3.4"\n'}, ""),
    ({".travis.yml": "language: node_js\nnode_js: 12\n"}, ""),
    ({}, ""),
])
def test_what_the_app_declares(tmp_path, files, said):
    make_tree(tmp_path, {"app.py": "", **files})
    assert declared_python2(Project(tmp_path)) == said


def test_the_advice_names_the_declaration_only_for_a_python2_app(tmp_path):
    make_tree(tmp_path, {"app.py": "", "runtime.txt": "python-2.7.11\n"})
    advice = python2_advice(Project(tmp_path), "an older Python may import it")
    assert advice.startswith("the app declares Python 2 (runtime.txt: python-2.7.11), which Shipyard does not run: "
                             "port it to Python 3")
    make_tree(tmp_path, {"runtime.txt": "python-3.6.10\n"})
    assert python2_advice(Project(tmp_path), "an older Python may import it") == "an older Python may import it"


def test_a_python2_builtin_raised_inside_a_release_says_that_release_is_python2_code(tmp_path):
    # Flask-FlatPages 0.5 (2013, pinned by a 2015 freeze) calls unicode() when the app iterates its pages: no Python 3
    # imports it, however old, so "an older Python may import it" would send the user the wrong way
    make_tree(tmp_path, {"app.py": ""})
    message = "NameError: name 'unicode' is not defined"
    advice = python2_advice(Project(tmp_path), "an older Python may import it", message, "Flask-FlatPages==0.5")
    assert advice == ("`unicode` is a Python 2 builtin that Python 3 removed: Flask-FlatPages==0.5 is Python 2 code, "
                      "which no Python 3 imports; require a later release of Flask-FlatPages made for Python 3")
    # another name, or no release to name: the advice about an older Python stands
    other = "NameError: name 'MutableMapping' is not defined"
    assert python2_advice(Project(tmp_path), "an older Python may import it", other, "Jinja2==2.7") == \
        "an older Python may import it"
    assert python2_advice(Project(tmp_path), "an older Python may import it", message, None) == \
        "an older Python may import it"
    # an app that declares Python 2 is one to port, whatever the release
    make_tree(tmp_path, {"runtime.txt": "python-2.7.11\n"})
    assert python2_advice(Project(tmp_path), "x", message, "Flask-FlatPages==0.5").startswith("the app declares Python 2")
