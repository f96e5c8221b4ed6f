"""Old sdists that today's tools do not build as they are, with real uv installs of the real releases.

A pin whose setup.py needs what today's setuptools removed (MarkupSafe 1.0, which Flask 0.12 apps pin,
imports setuptools.Feature, gone in setuptools 46): the source build is tried again with the last build tools
that had it in its isolated build environment, with a note, in the app's .venv (`serve --install`) and in the
proof environment alike. Real uv installs of the real release; MarkupSafe 1.0 runs on Python 3.9 at the most
(it imports collections.Mapping), so the app asks for 3.9.

PyPDF2 1.26.0's sdist is a tar.gz that uv's archive reader rejects ("Invalid tar file") and pip's reads: pip
builds its wheel (in a throwaway virtualenv) and uv installs that, with a note."""

from __future__ import annotations

import os
import subprocess

import pytest

from conftest import make_tree, require_python
from shipyard import environments
from shipyard.planner import make_plan
from shipyard.run.appenv import install_app_env

pytestmark = pytest.mark.slow

APP = ("import markupsafe\n\n"
       "def application(environ, start_response):\n"
       "    start_response('200 OK', [])\n"
       "    return [markupsafe.__version__.encode()]\n")
NOTE = "markupsafe==1.0 does not build with today's setuptools (its setup.py uses setuptools.Feature"


def _old_app(tmp_path):
    return make_tree(tmp_path / "oldbuild", {"app.py": APP, "requirements.txt": "MarkupSafe==1.0\n",
                                             ".python-version": "3.9\n"})


def test_serve_install_builds_a_pin_needing_old_setuptools_with_the_build_tools_of_its_time(tmp_path):
    py39 = require_python("3.9")
    root = _old_app(tmp_path)
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append)
    assert any(NOTE in line and "setuptools<46" in line for line in said), said
    done = subprocess.run([env.python, "-c", "import sys, markupsafe; print('%d.%d' % sys.version_info[:2], "
                                             "markupsafe.__version__)"], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == [py39.minor, "1.0"], done.stderr
    # only the build environment was held back: the app's own environment keeps its usual setuptools
    tools = subprocess.run([env.python, "-c", "import setuptools; print(setuptools.__version__)"],
                           capture_output=True, text=True, timeout=60)
    assert int(tools.stdout.split(".")[0]) >= 46, tools.stdout


def test_the_proof_environment_builds_it_the_same_way(tmp_path):
    require_python("3.9")
    root = _old_app(tmp_path)
    environ = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "VIRTUAL_ENV": ""}
    said: list[str] = []
    result = environments.environment_for_proof(root, ("MarkupSafe==1.0",), ("requirements.txt",), "3.9",
                                                timeout=300, say=said.append, environ=environ)
    assert result.environment is not None, result.reason
    assert any(NOTE in line for line in said), said
    done = subprocess.run([result.environment.python, "-c", "import markupsafe; print(markupsafe.__version__)"],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "1.0", done.stderr


def test_an_sdist_uv_cannot_unpack_is_built_by_pip_and_installed_by_uv(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = make_tree(tmp_path / "pdfapp", {"app.py": APP.replace("markupsafe", "PyPDF2"),
                                           "requirements.txt": "PyPDF2==1.26.0\n"})
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append)
    assert any("uv cannot unpack the source archive of pypdf2==1.26.0: built with pip" in line for line in said), said
    done = subprocess.run([env.python, "-c", "import PyPDF2; print(PyPDF2.__version__)"], capture_output=True,
                          text=True, timeout=60)
    assert done.stdout.strip() == "1.26.0", done.stderr
    assert not (root / ".venv" / "bin" / "pip").exists(), "pip ran in a throwaway virtualenv, not the app's"
