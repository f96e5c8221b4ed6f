"""A subfolder served on its own whose code puts a folder above it on sys.path (`sys.path.append("../scripts/")`):
the modules there are the repository's, and what they import is what the app needs."""

from __future__ import annotations

from shipyard.detect import imports
from shipyard.detect.findings import DeclaredDependencies
from shipyard.project import Project

from conftest import make_tree

NONE = DeclaredDependencies((), (), False)


def infer(folder):
    found = imports.infer(Project(folder), None, NONE, python_exe=str(folder / "no-python"))
    return {d.name for d in found}, found.unresolved


def test_modules_of_a_folder_above_put_on_sys_path_are_provided_and_their_imports_needed(tmp_path):
    make_tree(tmp_path, {
        "deployment/main.py": """
            import sys
            from fastapi import FastAPI

            sys.path.append("../scripts/")
            import procesing

            app = FastAPI()
            """,
        "scripts/procesing.py": "import pandas as pd\nimport config\nimport matplotlib.pyplot as plt\n",
        "scripts/config.py": "COLUMNS = ['a']\n",
        "scripts/train.py": "import xgboost\n",   # never reached from the app: not its need
    })
    names, unresolved = infer(tmp_path / "deployment")
    assert {"fastapi", "pandas", "matplotlib"} <= names
    assert not names & {"procesing", "config", "xgboost"}
    assert not unresolved


def test_a_folder_inside_the_project_is_left_to_the_project_s_own_reading(tmp_path):
    make_tree(tmp_path, {
        "main.py": "import sys\nsys.path.insert(0, 'lib')\nimport helpers\nfrom flask import Flask\n",
        "lib/helpers.py": "import requests\n",
    })
    names, _ = infer(tmp_path)
    assert "flask" in {n.lower() for n in names}
    assert "helpers" not in names
