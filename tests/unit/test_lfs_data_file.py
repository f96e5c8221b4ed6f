"""A file the app opens at import that the project lacks and its .gitattributes sends to Git LFS (a model pickle
nobody pushed, or a copy made without git-lfs): a file to fetch, said in one line, not "fix it in the app's code"."""

from __future__ import annotations

import sys

import pytest

from shipyard.detect import entry
from shipyard.detect.lfs_files import lfs_pattern
from shipyard.errors import AppConfigError
from shipyard.project import Project

from conftest import make_tree

PY = sys.executable
TIMEOUT = 60.0

APP = """
    import pickle
    from flask import Flask

    app = Flask(__name__)
    with open("model.pkl", "rb") as handle:
        model = pickle.load(handle)
    """


def test_a_model_file_kept_in_lfs_and_absent_is_a_file_to_fetch(tmp_path):
    make_tree(tmp_path, {"app.py": APP, ".gitattributes": "*.pkl filter=lfs diff=lfs merge=lfs -text\n"})
    found = entry.find(Project(tmp_path), None)
    with pytest.raises(AppConfigError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    assert ("opens model.pkl, which is not in the project: the repository's .gitattributes keeps *.pkl in Git LFS"
            in failed.value.message)
    assert failed.value.hint.startswith("fetch it (git lfs pull in a clone of the repository)")


def test_an_absent_file_outside_lfs_is_not_said_to_be_lfs(tmp_path):
    make_tree(tmp_path, {"app.py": APP, ".gitattributes": "*.csv filter=lfs diff=lfs merge=lfs -text\n"})
    found = entry.find(Project(tmp_path), None)
    with pytest.raises(Exception) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    assert "Git LFS" not in failed.value.message


def test_lfs_patterns_match_by_name_or_by_path_from_their_folder(tmp_path):
    make_tree(tmp_path, {".gitattributes": "# models\nmodels/*.bin filter=lfs -text\n*.h5 filter=lfs\n*.txt text\n",
                         "web/.gitattributes": "data/*.csv filter=lfs diff=lfs merge=lfs -text\n"})
    project = Project(tmp_path)
    assert lfs_pattern(project, "deep/down/net.h5") == "*.h5"
    assert lfs_pattern(project, "models/w.bin") == "models/*.bin"
    assert lfs_pattern(project, "other/w.bin") is None
    assert lfs_pattern(project, "web/data/movies.csv") == "data/*.csv"
    assert lfs_pattern(project, "data/movies.csv") is None
    assert lfs_pattern(project, "notes.txt") is None
