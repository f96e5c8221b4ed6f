"""A module the app imports whose same-named file in the project only wraps it (that file imports it itself), and
that the Dockerfile's base image puts on PYTHONPATH: a setup step the entry found stands through (not "in the
project but not importable"), said in one line with the image (detect/entry/image_module.py)."""
from __future__ import annotations

import sys

import pytest

from shipyard.detect import entry
from shipyard.detect.entry.image_module import image_module
from shipyard.detect.entry.proof import _raise_for
from shipyard.errors import AppConfigError, AppLoadError, MissingDependency
from shipyard.project import Project

WSGI = "\n\ndef application(environ, start_response):\n    start_response('200 OK', [])\n    return [b'ok']\n"
DOCKERFILE = ("FROM hpcrm/hpc-base:jammy\nENV PYTHONPATH=/usr/lib/hpcsched/python3.8:/code\n"
              "WORKDIR /code\nCOPY . /code\n")
MISSING = {"error": "missing_module", "name": "hpcsched", "where": "web/routes.py:1"}


def _tree(root, files: dict[str, str]):
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return Project(root)


def _raise(project: Project) -> None:
    _raise_for(project, entry.find(project, None), MISSING, sys.executable, "app:application", {})


FILES = {"app.py": "import web.routes\n" + WSGI, "web/__init__.py": "", "web/routes.py": "import hpcsched.job\n",
         "web/lib/__init__.py": "", "web/lib/hpcsched.py": "import hpcsched\nimport hpcsched.job\n\ndef submit():\n    pass\n"}


def test_a_wrapper_of_a_module_the_base_image_provides_is_a_setup_step(tmp_path):
    project = _tree(tmp_path, {**FILES, "Dockerfile": DOCKERFILE})
    found = image_module(project, ".", "hpcsched")
    assert found.wrappers == ("web/lib/hpcsched.py",) and found.base == "hpcrm/hpc-base:jammy"
    assert found.paths == ("/usr/lib/hpcsched/python3.8",)
    with pytest.raises(AppConfigError) as caught:
        _raise(project)
    assert "the base image of Dockerfile (hpcrm/hpc-base:jammy) provides on PYTHONPATH" in caught.value.message
    assert "web/lib/hpcsched.py only wraps it" in caught.value.message
    assert "in the project but not importable" not in caught.value.message


def test_a_wrapper_with_no_image_is_a_module_the_project_lacks(tmp_path):
    with pytest.raises(MissingDependency):
        _raise(_tree(tmp_path, FILES))


def test_the_projects_own_module_in_another_folder_is_still_not_importable_from_there(tmp_path):
    files = {**FILES, "web/lib/hpcsched.py": "def submit():\n    pass\n", "Dockerfile": DOCKERFILE}
    project = _tree(tmp_path, files)
    assert image_module(project, ".", "hpcsched") is None
    with pytest.raises(AppLoadError) as caught:
        _raise(project)
    assert "in the project but not importable" in caught.value.message
