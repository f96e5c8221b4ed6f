"""What the import proof's install learned about an old sdist is applied from the start of serve's install.

A 2017 freeze pinning MarkupSafe 1.0 (its setup.py imports setuptools.Feature, gone in setuptools 46) and
Apache's mod_wsgi (which needs apxs to build): the proof learned that the old sdist builds only with the build
tools of its time (build_holds.py). serve's install used to fail on it once more in its first round before holding
it again, then fail on mod_wsgi (a server the entry never imports, left out): two failed rounds, each one to two
minutes on a loaded machine. Now the hold applies from the start, and mod_wsgi, which has no wheel and which serve's
server does not need, is left out of the .venv up front: no failed round. Real uv installs of sdists of the test's
own (one needing setuptools<46, one standing for mod_wsgi that does not build here).
"""

from __future__ import annotations

import os
import subprocess

import pytest

from conftest import make_tree, require_python, write_sdist
from shipyard import environments
from shipyard.planner import make_plan
from shipyard.run.appenv import install_app_env

pytestmark = pytest.mark.slow

APP = ("import shipyard_test_featured\n\n"
       "def application(environ, start_response):\n"
       "    start_response('200 OK', [])\n"
       "    return [shipyard_test_featured.VALUE.encode()]\n")


def _app(tmp_path):
    dist = tmp_path / "dist"
    write_sdist(dist, "shipyard_test_featured", "1.0", {
        "setup.py": "from setuptools import setup, Feature\n\n"
                    "setup(name='shipyard_test_featured', version='1.0', py_modules=['shipyard_test_featured'])\n",
        "shipyard_test_featured.py": "VALUE = 'built'\n"})
    # Apache's module: its setup.py stops without Apache's apxs, as mod_wsgi 4.5's does on this machine
    write_sdist(dist, "mod_wsgi", "0.0.1", {
        "setup.py": "raise RuntimeError(\"The 'apxs' command appears not to be installed or is not executable.\")\n"})
    return make_tree(tmp_path / "app", {"app.py": APP, ".python-version": "3.9\n",
                                        "requirements.txt": f"--find-links {dist}\nshipyard_test_featured==1.0\n"
                                                            "mod_wsgi==0.0.1\n"})


def test_serve_install_holds_what_the_proof_learned_from_its_first_round(tmp_path, monkeypatch):
    require_python("3.9")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    root = _app(tmp_path)
    proof_said: list[str] = []
    proof = environments.environment_for_proof(root, ("shipyard_test_featured==1.0",), ("requirements.txt",), "3.9",
                                               timeout=300, say=proof_said.append, environ=dict(os.environ))
    assert proof.environment is not None, proof.reason
    assert any("its setup.py uses setuptools.Feature" in line for line in proof_said), proof_said

    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append)
    assert any("shipyard-test-featured==1.0 does not build with today's setuptools" in line
               and "as an install here found: building it with setuptools<46" in line for line in said), said
    # mod_wsgi, which the proof never installs and which has no wheel: left out of the .venv before any build
    assert any(line.startswith("mod_wsgi==0.0.1 left out of the app's .venv up front: it has no wheel")
               for line in said), said
    log = next((environments.cache_root() / "logs").glob("install-app-*.log")).read_text()
    # no failed build: neither the old sdist's once more, nor mod_wsgi's
    assert log.count("Failed to build") == 0, log[-3000:]
    done = subprocess.run([env.python, "-c", "import shipyard_test_featured as f; print(f.VALUE)"],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "built", done.stderr
