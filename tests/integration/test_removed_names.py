"""The app's own code imports a name a newer release of a package it leaves open removed (`from werkzeug import
secure_filename`, gone in Werkzeug 1.0): the proof holds that package back until the import passes, and serve's
.venv installs the same bound (proving.py, errors.GoneSubmodule with own=True). Real uv installs of two releases
of a package of the test's own, 2.0 without the name."""

from __future__ import annotations

import subprocess

import pytest

from conftest import make_tree, write_sdist
from shipyard.planner import make_plan
from shipyard.run.appenv import install_app_env

pytestmark = pytest.mark.slow

NAME = "shipyard_test_renamed"
SETUP = f"from setuptools import setup\nsetup(name={NAME!r}, version={{version!r}}, py_modules=[{NAME!r}])\n"


def test_the_proof_holds_back_a_package_whose_newer_release_lacks_a_name_the_app_imports(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("VIRTUAL_ENV", "")
    write_sdist(tmp_path / "dist", NAME, "1.0", {"setup.py": SETUP.format(version="1.0"),
                                                 f"{NAME}.py": "def secure_filename(name):\n    return 'v1'\n"})
    write_sdist(tmp_path / "dist", NAME, "2.0", {"setup.py": SETUP.format(version="2.0"),
                                                 f"{NAME}.py": "VERSION = '2.0'\n"})
    root = make_tree(tmp_path / "app", {
        "app.py": f"from {NAME} import secure_filename\n\n"
                  "def application(environ, start_response):\n"
                  "    start_response('200 OK', [])\n"
                  "    return [secure_filename('x').encode()]\n",
        "requirements.txt": f"--find-links {tmp_path / 'dist'}\n{NAME}\n"})
    said: list[str] = []
    plan = make_plan(root, {"entry": "app:application"}, progress=said.append)
    assert plan.proof.proven, plan.proof.reason
    assert plan.proof.held == (f"{NAME}<2.0",)
    assert any(f"the app's code (app.py:1) imports {NAME}.secure_filename, which {NAME} 2.0 no longer has" in line
               for line in said), said
    assert {d.requirement for d in plan.dependencies} >= {f"{NAME}<2.0"}
    env = install_app_env(root, plan, said.append)
    done = subprocess.run([env.python, "-c", "import app; print(app.secure_filename('x'))"], cwd=root,
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "v1", done.stderr
