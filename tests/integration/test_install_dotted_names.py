"""Packages built from source stay findable by the app's own, older pkg_resources, with real uv installs.

setuptools 75.8.1 and later name a built wheel's metadata folder by the normalized name
(`shipyard_test.dotted-1.0` -> `shipyard_test_dotted-1.0.dist-info`), and the pkg_resources of setuptools before
75.8.2 cannot find a distribution with dots in its name there: `pkg_resources.require('zope.interface')` (paste's
`egg:` entry points check every requirement) raised DistributionNotFound in an app of 2022 (Kotti: zope.interface
5.4.0 has no wheel for Python 3.10+, its setuptools is kept as of its date, 62.x). Its sources are now built by the
last setuptools before the renaming: the test's own dotted sdist stands for zope.interface."""

from __future__ import annotations

import os
import subprocess

import pytest

from conftest import make_tree, require_python, write_sdist
from shipyard import environments
from shipyard.planner import make_plan
from shipyard.run.appenv import install_app_env

pytestmark = pytest.mark.slow

NAME = "shipyard_test.dotted"
OF_2022 = 1651363200       # 2022-05-01
APP = ("import pkg_resources\n\n"
       f"DOTTED = pkg_resources.get_distribution({NAME!r})\n\n\n"
       "def application(environ, start_response):\n"
       "    start_response('200 OK', [])\n"
       "    return [DOTTED.version.encode()]\n")
CHECK = ("import pkg_resources, setuptools; "
         f"print(pkg_resources.get_distribution({NAME!r}).version, setuptools.__version__)")


def _dotted_sdist(folder):
    """The sdist of a package of the test's own whose name has a dot, as zope.interface's has."""
    return write_sdist(folder, NAME, "1.0", {
        "setup.py": f"from setuptools import setup\n\nsetup(name={NAME!r}, version='1.0', "
                    "py_modules=['shipyard_test_dotted'])\n",
        "shipyard_test_dotted.py": "VALUE = 'built'\n"})


def _versions(python: str) -> tuple[str, str]:
    done = subprocess.run([python, "-W", "ignore", "-c", CHECK], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    dotted, setuptools = done.stdout.split()
    return dotted, setuptools


def _older(version: str, than: str) -> bool:
    from packaging.version import Version
    return Version(version) < Version(than)


def test_an_app_of_2022_finds_a_dotted_package_built_from_source_with_its_own_pkg_resources(tmp_path):
    require_python("3.11")
    _dotted_sdist(tmp_path / "dist")
    root = make_tree(tmp_path / "app", {"app.py": APP, ".python-version": "3.11\n",
                                        "requirements.txt": f"--find-links {tmp_path / 'dist'}\n{NAME}==1.0\n"})
    os.utime(root / "requirements.txt", (OF_2022, OF_2022))
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), lambda line: None)
    dotted, setuptools = _versions(env.python)
    assert dotted == "1.0"
    assert _older(setuptools, "63"), setuptools          # the app's setuptools is still the one of its date


def _venv_with(tmp_path, name: str, setuptools: str, said: list[str]) -> str:
    python = require_python("3.11")
    venv = tmp_path / name
    environments.create_venv(python.path, venv, log=tmp_path / "log", timeout=120)
    spec = environments.InstallSpec((f"{NAME}==1.0", f"setuptools=={setuptools}"),
                                    index_options=("--find-links", str(tmp_path / "dist")))
    environments.install(str(venv / "bin" / "python"), spec, log=tmp_path / "log", timeout=300, say=said.append,
                         what="installing")
    return str(venv / "bin" / "python")


def test_a_setuptools_the_app_pins_gets_the_same_builds_also_when_uvs_cache_holds_todays(tmp_path):
    _dotted_sdist(tmp_path / "dist")
    # an environment whose setuptools reads normalized names: nothing holds its build back, and uv's cache keeps
    # the wheel today's setuptools built, metadata folder named by the normalized name
    said: list[str] = []
    new = _venv_with(tmp_path, "new", "80.9.0", said)
    assert _versions(new) == ("1.0", "80.9.0")
    assert (environments.site_packages(new) / "shipyard_test_dotted-1.0.dist-info").is_dir()
    assert said == []
    # the app pins an older one: the cached wheel is built again with the setuptools before the renaming
    old = _venv_with(tmp_path, "old", "70.3.0", said)
    assert _versions(old) == ("1.0", "70.3.0")
    assert said == [f"{NAME}==1.0 built again with setuptools<75.8.1: the app's setuptools 70.3.0 (its "
                    "pkg_resources) finds no package in the metadata folder today's setuptools names by the "
                    "normalized name"], said
