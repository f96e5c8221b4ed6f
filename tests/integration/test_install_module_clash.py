"""Two requested distributions that install the same module: the one named first keeps it, the other goes.

The shape: an app's Dockerfile installs a small database helper whose module is named like another PyPI project
(jarudaDB's `databases`), and the import tables add that other project for `import databases`: both were
installed, and whichever uv wrote last owned databases/__init__.py, so the app's import failed or not by chance.
Real uv installs of two local sdists of the test's own, both holding package `shipyard_clash_probe`."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import require_tool, write_sdist
from shipyard import environments, module_clashes

pytestmark = pytest.mark.slow


def _package(name: str, says: str) -> dict[str, str]:
    return {"setup.py": "from setuptools import setup\n"
                        f"setup(name={name!r}, version='1.0', packages=['shipyard_clash_probe'])\n",
            "PKG-INFO": f"Metadata-Version: 1.0\nName: {name}\nVersion: 1.0\n",
            "shipyard_clash_probe/__init__.py": f"WHO = {says!r}\n"}


def test_the_first_named_distribution_keeps_the_module(tmp_path, monkeypatch):
    require_tool("uv")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    dist = tmp_path / "dist"
    write_sdist(dist, "clash_declared", "1.0", _package("clash-declared", "declared"))
    write_sdist(dist, "clash_inferred", "1.0", _package("clash-inferred", "inferred"))
    venv = tmp_path / "venv"
    subprocess.run([environments.find_uv(), "venv", "--quiet", "--python", sys.executable, str(venv)], check=True,
                   timeout=120)
    python = str(venv / "bin" / "python")
    # the declared one first, as the plan lists the app's requirements before what its imports add
    spec = environments.InstallSpec(("clash-declared==1.0", "clash-inferred==1.0"), ("--find-links", str(dist)))
    notes: list[str] = []
    environments.install(python, spec, log=tmp_path / "install.log", timeout=240, say=notes.append,
                         what="installing the app's dependencies")
    who = subprocess.run([python, "-c", "import shipyard_clash_probe as m; print(m.WHO)"], capture_output=True,
                         text=True, timeout=60)
    assert who.stdout.strip() == "declared", (who.stderr, (tmp_path / "install.log").read_text()[-2000:])
    site = environments.site_packages(python)
    assert not list(site.glob("clash_inferred-*.dist-info"))
    assert any("clash-declared and clash-inferred both install shipyard_clash_probe/__init__.py" in n for n in notes)
    assert module_clashes.clashes(site, spec.requirements) == []
    # remembered: a later plan leaves the import's distribution out beside the declared one (leave_out_losers)
    assert module_clashes.known(tmp_path / "cache" / "shipyard") == (
        module_clashes.Clash("clash-declared", "clash-inferred", "shipyard_clash_probe/__init__.py"),)


def test_files_with_the_same_bytes_are_no_clash(tmp_path):
    # old pkg_resources namespace packages each ship the same __init__.py: nothing to remove
    site = tmp_path / "site"
    for name in ("zope.event-5.0", "zope.interface-6.0"):
        info = site / f"{name}.dist-info"
        info.mkdir(parents=True)
        (info / "RECORD").write_text(f"zope/__init__.py,sha256=same,10\nzope/{name[5:9]}.py,sha256=x{name},5\n"
                                     f"{name}.dist-info/RECORD,,\n")
    assert module_clashes.clashes(site, ["zope.event", "zope.interface"]) == []
