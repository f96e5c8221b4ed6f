"""Packages that unpickling a committed model imports: read from the pickle's bytes, never loaded."""

from __future__ import annotations

import pickle
import sys
import types

import pytest

from shipyard.detect import imports
from shipyard.detect.findings import DeclaredDependencies
from shipyard.detect.pickled_modules import modules_in
from shipyard.project import Project

from conftest import make_tree

NONE = DeclaredDependencies((), (), False)

APP = """
    import joblib
    import pandas as pd
    from fastapi import FastAPI

    app = FastAPI()

    @app.on_event("startup")
    def load():
        global model
        model = joblib.load("model.joblib")
    """


@pytest.fixture
def forest(monkeypatch):
    """A class that pickles as sklearn.ensemble._forest.RandomForestClassifier, as a fitted model does."""
    for name in ("sklearn", "sklearn.ensemble"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    module = types.ModuleType("sklearn.ensemble._forest")
    cls = type("RandomForestClassifier", (), {"__module__": "sklearn.ensemble._forest"})
    module.RandomForestClassifier = cls
    monkeypatch.setitem(sys.modules, "sklearn.ensemble._forest", module)
    return cls


def infer(tmp_path, files, model: bytes):
    root = make_tree(tmp_path, files)
    (root / "model.joblib").write_bytes(model)
    return {d.name for d in imports.infer(Project(root), None, NONE, python_exe=str(tmp_path / "no-python"))}


@pytest.mark.parametrize("protocol", [2, 4])
def test_a_committed_model_the_app_loads_needs_the_package_its_classes_come_from(tmp_path, forest, protocol):
    model = pickle.dumps({"model": forest(), "columns": ["home", "away"]}, protocol=protocol)
    assert "sklearn.ensemble._forest" in modules_in(model)
    found = infer(tmp_path, {"main.py": APP}, model)
    assert "scikit-learn" in found
    assert {"fastapi", "joblib", "pandas"} <= found


def test_a_pickle_the_app_never_loads_adds_nothing(tmp_path, forest):
    # no pickle loader imported: a model file beside a notebook-free app is data, not a requirement
    found = infer(tmp_path, {"main.py": "from fastapi import FastAPI\napp = FastAPI()\n"},
                  pickle.dumps(forest(), protocol=4))
    assert "scikit-learn" not in found


def test_joblib_arrays_between_opcodes_still_leave_the_names_readable():
    # joblib writes raw array bytes inline after its wrapper's opcodes: the search does not stop at them
    head = pickle.dumps(["x"], protocol=4)[:-1]
    data = head + bytes(range(256)) * 4 + b"\x8c\x18sklearn.ensemble._forest\x94\x8c\x16RandomForestClassifier\x94\x93."
    assert "sklearn.ensemble._forest" in modules_in(data)


@pytest.mark.parametrize("protocol", [2, 4])
def test_the_scikit_learn_release_that_made_the_model_is_pinned(tmp_path, forest, protocol):
    # a fitted estimator's state carries _sklearn_version; trees made before 1.3 do not load in later releases
    model = forest()
    model.__dict__.update({"n_estimators": 10, "_sklearn_version": "1.2.2"})
    root = make_tree(tmp_path, {"main.py": APP})
    (root / "model.joblib").write_bytes(pickle.dumps(model, protocol=protocol))
    found = {d.name: d.spec for d in imports.infer(Project(root), None, NONE, python_exe=str(tmp_path / "no-python"))}
    assert found["scikit-learn"] == "==1.2.2"
