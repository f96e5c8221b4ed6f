"""Which installed distributions were built here by today's setuptools, and which of those hold Python 2 code
(python2_sources.py; the rebuild itself: tests/integration/test_install_old_sdists.py)."""

from __future__ import annotations

import sys

import pytest

from conftest import make_tree
from shipyard.python2_sources import built_today, unparsed


@pytest.mark.parametrize("wheel, today", [
    ("Generator: setuptools (80.9.0)\nRoot-Is-Purelib: true\nTag: py3-none-any\n", True),
    ("Generator: setuptools (58.0.0)\nTag: py3-none-any\n", True),
    ("Generator: bdist_wheel (0.37.1)\nTag: cp39-cp39-linux_x86_64\n", True),    # compiled on this machine
    ("Generator: bdist_wheel (0.37.1)\nTag: cp39-cp39-manylinux1_x86_64\n", False),   # the index's
    ("Generator: bdist_wheel (0.30.0)\nTag: py2-none-any\nTag: py3-none-any\n", False),
    ("Generator: setuptools (57.5.0)\nTag: py3-none-any\n", False),          # still ran 2to3
    ("Generator: bdist_wheel (0.42.0)\nTag: py3-none-any\n", True),          # setuptools 60-70 with today's wheel
])
def test_wheels_built_here_by_todays_setuptools(tmp_path, wheel, today):
    folder = make_tree(tmp_path / "x-1.0.dist-info", {"WHEEL": "Wheel-Version: 1.0\n" + wheel})
    assert built_today(folder) is today


def test_python_2_modules_of_those_distributions(tmp_path):
    today = "Wheel-Version: 1.0\nGenerator: setuptools (80.9.0)\nTag: py3-none-any\n"
    index = "Wheel-Version: 1.0\nGenerator: bdist_wheel (0.30.0)\nTag: py3-none-any\n"
    site = make_tree(tmp_path / "site", {
        "old/__init__.py": "", "old/core.py": "VALUE = 1\nprint 'hi'\n", "old/tests/t.py": "",
        "old-1.0.dist-info/WHEEL": today,
        "old-1.0.dist-info/RECORD": "old/__init__.py,,\nold/core.py,,\nold/tests/t.py,,\nold-1.0.dist-info/WHEEL,,\n",
        "new/__init__.py": "VALUE = 2\n", "new-2.0.dist-info/WHEEL": today,
        "new-2.0.dist-info/RECORD": "new/__init__.py,,\n",
        # an index wheel is not looked into (its authors made it for the Pythons it names)
        "shim/__init__.py": "print 'py2 fallback'\n", "shim-1.0.dist-info/WHEEL": index,
        "shim-1.0.dist-info/RECORD": "shim/__init__.py,,\n",
        # a local folder installed: no release of it to build again
        "mine/__init__.py": "print 'x'\n", "mine-0.1.dist-info/WHEEL": today,
        "mine-0.1.dist-info/RECORD": "mine/__init__.py,,\n", "mine-0.1.dist-info/direct_url.json": "{}",
        # pycrypto 2.6.1: written for both but one module, far down its RECORD
        **{f"both/m{i:02}.py": "VALUE = 1\n" for i in range(30)}, "both/zz_posix.py": "try:\n    pass\n"
        "except IOError, e:\n    pass\n", "both-2.6.1.dist-info/WHEEL": today,
        "both-2.6.1.dist-info/RECORD": "".join(f"both/m{i:02}.py,,\n" for i in range(30)) + "both/zz_posix.py,,\n"})
    found = unparsed(sys.executable, site)
    assert found.pop("both==2.6.1").startswith("both/zz_posix.py:3: ")
    assert found == {"old==1.0": "old/core.py:2: Missing parentheses in call to 'print'. Did you mean print(...)?"}
    # after building it again, the release is looked at however it was built
    assert set(unparsed(sys.executable, site, frozenset({"shim==1.0", "new==2.0"}))) == {"shim==1.0"}


def test_a_cached_proof_environment_is_mended_and_the_import_tried_once_more(tmp_path, monkeypatch):
    """A proof environment cached before its Python 2 release was found: the SyntaxError raised inside that
    release makes the proof build it again with 2to3 there and import once more; nothing to rebuild, it stands."""
    from shipyard import environments, proving
    from shipyard.detect import entry
    from shipyard.errors import AppCodeError, PythonTooNew
    from shipyard.project import Project
    failure = PythonTooNew(AppCodeError("importing app:app failed: SyntaxError (in the installed pycryptodome 3.3.1)"),
                           "SyntaxError raised inside the installed pycryptodome 3.3.1", "pycryptodome==3.3.1")
    outcomes = [failure, object()]
    monkeypatch.setattr(entry, "confirm", lambda *a, **k: _next(outcomes))
    rebuilt = [("pycryptodome==3.3.1",), ()]
    monkeypatch.setattr(proving, "_python2_rebuilt", lambda env: rebuilt.pop(0))
    env = environments.Environment(sys.executable, "proof environment", "proof")
    project = Project(make_tree(tmp_path / "app", {"app.py": ""}))
    proof = proving._imported(project, None, env, (), "3.9", 30, {})
    assert proof.proven and outcomes == [] and rebuilt == [()]
    # the user's own environment is not rebuilt behind their back; nor is anything when nothing was rebuilt
    for kind, left in (("app", [("x==1",)]), ("proof", [()])):
        outcomes, rebuilt = [failure], list(left)
        monkeypatch.setattr(entry, "confirm", lambda *a, **k: _next(outcomes))
        monkeypatch.setattr(proving, "_python2_rebuilt", lambda env: rebuilt.pop(0))
        with pytest.raises(PythonTooNew):
            proving._imported(project, None, environments.Environment(sys.executable, "env", kind), (), "3.9", 30, {})


def _next(outcomes):
    outcome = outcomes.pop(0)
    if isinstance(outcome, Exception):
        raise outcome
    return type("Confirmed", (), {"asgi2": False, "django_setup": False, "interface": "wsgi", "loop_import": False})()
