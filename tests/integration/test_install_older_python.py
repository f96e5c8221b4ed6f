"""`serve --install` on an old app whose pins do not build on the default Python (distutils is gone from
3.12): the app's .venv is made again with the next older Python on this machine, with a note, as the proof
environment does. A real uv install of a real old sdist (pathtools 0.1.2, which bluelog-era Flask apps pin)."""

from __future__ import annotations

import subprocess

import pytest

from shipyard import environments
from shipyard.planner import make_plan
from shipyard.run.appenv import install_app_env

pytestmark = pytest.mark.slow


def test_pins_that_do_not_build_on_the_default_python_install_on_the_next_older_one(tmp_path):
    newest, _ = environments.choose_python("3.12")
    older = environments.older_python(newest)
    assert newest.minor == "3.12" and older is not None, \
        "this test needs Python 3.12 and an older Python on the machine (pyenv or the system's)"
    root = tmp_path / "oldapp"
    root.mkdir()
    (root / "app.py").write_text("def application(environ, start_response):\n"
                                 "    start_response('200 OK', [])\n    return [b'ok']\n")
    (root / "requirements.txt").write_text("pathtools==0.1.2\n")
    plan = make_plan(root, confirm=False, installed=False)
    said: list[str] = []
    env = install_app_env(root, plan, said.append)
    assert any(f"do not install on Python 3.12" in line and f"using {older.minor}" in line for line in said), said
    version = subprocess.run([env.python, "-c", "import sys, pathtools; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, timeout=60)
    assert version.stdout.strip() == older.minor, version.stderr
