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
        "mine-0.1.dist-info/RECORD": "mine/__init__.py,,\n", "mine-0.1.dist-info/direct_url.json": "{}"})
    assert unparsed(sys.executable, site) == {"old==1.0": "old/core.py:2: Missing parentheses in call to 'print'. "
                                                           "Did you mean print(...)?"}
    # after building it again, the release is looked at however it was built
    assert set(unparsed(sys.executable, site, frozenset({"shim==1.0", "new==2.0"}))) == {"shim==1.0"}
