"""A freeze of an unrelated environment: its pins nothing the app uses needs that do not build here are left out
together, after the first of them fails, not one failed build at a time.

uv stops at the first source build that fails, so a freeze listing numpy 1.24.1, yarl 1.8.2 and httptools 0.5.0
(no wheels for 3.12, C that no longer compiles there) beside an app that imports none of them cost one proof build
of a minute or two per leftover. Real uv builds of sdists of the test's own: three C extensions whose source does
not compile (an `#error`), one package the app imports.
"""

from __future__ import annotations

import os
import subprocess

import pytest

from conftest import make_tree, require_python, require_tool, write_sdist
from shipyard import environments

pytestmark = pytest.mark.slow

LEFTOVERS = ("shipyard_test_left_a", "shipyard_test_left_b", "shipyard_test_left_c")


def _unbuildable(dist, name: str) -> None:
    # metadata builds (setup.py runs), the wheel does not: its C source does not compile, as an old release's on a
    # newer Python
    write_sdist(dist, name, "1.0", {
        "setup.py": "from setuptools import setup, Extension\n\n"
                    f"setup(name={name!r}, version='1.0', ext_modules=[Extension({name!r}, ['{name}.c'])])\n",
        f"{name}.c": "#error this release does not compile here\n"})


def test_a_freezes_unbuildable_leftovers_are_left_out_in_one_round(tmp_path):
    require_tool("gcc")
    python = require_python("3.12")
    dist = tmp_path / "dist"
    for name in LEFTOVERS:
        _unbuildable(dist, name)
    write_sdist(dist, "shipyard_test_used", "1.0", {
        "setup.py": "from setuptools import setup\n\n"
                    "setup(name='shipyard_test_used', version='1.0', py_modules=['shipyard_test_used'])\n",
        "shipyard_test_used.py": "VALUE = 'used'\n"})
    pins = ("shipyard_test_used==1.0", *(f"{name}==1.0" for name in LEFTOVERS))
    root = make_tree(tmp_path / "app", {
        "app.py": "import shipyard_test_used\n\n"
                  "def application(environ, start_response):\n"
                  "    start_response('200 OK', [])\n"
                  "    return [shipyard_test_used.VALUE.encode()]\n",
        "requirements.txt": f"--find-links {dist}\n" + "".join(p + "\n" for p in pins)})
    cache = tmp_path / "cache"
    environ = {**os.environ, "XDG_CACHE_HOME": str(cache), "VIRTUAL_ENV": ""}
    said: list[str] = []
    result = environments.environment_for_proof(root, pins, ("requirements.txt",), python.minor, timeout=300,
                                                say=said.append, environ=environ)
    assert result.environment is not None, result.reason
    note = next((line for line in said if "neither the app's code nor what it imports uses it" in line), None)
    assert note is not None and "so are" in note, said
    assert all(name.replace("_", "-") in note or name in note for name in LEFTOVERS), note
    # one failed build said, not one per leftover
    assert sum("does not build here" in line for line in said) == 1, said
    done = subprocess.run([result.environment.python, "-c", "import shipyard_test_used as u; print(u.VALUE)"],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "used", done.stderr
    gone = subprocess.run([result.environment.python, "-c", "import importlib.util as u; "
                           f"print([n for n in {LEFTOVERS!r} if u.find_spec(n)])"],
                          capture_output=True, text=True, timeout=60)
    assert gone.stdout.strip() == "[]", gone.stderr
