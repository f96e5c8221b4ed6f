"""A known build hold on a release only a constraint names (a lock's, a conda package list's anyjson==0.3.3): the
install holds it (builds it first, alone, with older tools) only when the resolution takes it. Before, it was built
and installed alone whether or not anything required it. Real uv resolutions of local sdists of the test's own."""

from __future__ import annotations

import sys

import pytest

from conftest import require_tool, write_sdist
from shipyard import build_holds, environments
from shipyard.install_retries import Attempt, with_known_holds

pytestmark = pytest.mark.slow


def _package(name: str, requires: tuple[str, ...] = ()) -> dict[str, str]:
    module = name.replace("-", "_")
    return {"setup.py": "from setuptools import setup\n"
                        f"setup(name={name!r}, version='1.0', py_modules=[{module!r}], "
                        f"install_requires={list(requires)!r})\n",
            "PKG-INFO": f"Metadata-Version: 1.0\nName: {name}\nVersion: 1.0\n",
            f"{module}.py": "X = 1\n"}


def test_a_constraints_hold_applies_only_when_the_resolution_takes_that_release(tmp_path, monkeypatch):
    require_tool("uv")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    build_holds.remember(tmp_path / "cache" / "shipyard", "shipyard-hold-old==1.0", "use_2to3", ("setuptools<58",))
    dist = tmp_path / "dist"
    write_sdist(dist, "shipyard_hold_old", "1.0", _package("shipyard-hold-old"))
    write_sdist(dist, "shipyard_hold_app", "1.0", _package("shipyard-hold-app"))
    write_sdist(dist, "shipyard_hold_user", "1.0", _package("shipyard-hold-user", ("shipyard-hold-old",)))
    at = Attempt(sys.executable, tmp_path / "install.log", 240, None)
    links = ("--find-links", str(dist))
    unused = environments.InstallSpec(("shipyard-hold-app==1.0",), links, constraints=("shipyard-hold-old==1.0",))
    assert with_known_holds(unused, at).held == (), (tmp_path / "install.log").read_text()[-2000:]
    used = environments.InstallSpec(("shipyard-hold-user==1.0",), links, constraints=("shipyard-hold-old==1.0",))
    held = with_known_holds(used, at)
    assert held.held == ("shipyard-hold-old==1.0",) and held.build_constraints == ("setuptools<58",)
    # a requirement's own pin is held without asking the resolution, as before
    pinned = environments.InstallSpec(("shipyard-hold-old==1.0",), links)
    assert with_known_holds(pinned, at).held == ("shipyard-hold-old==1.0",)
