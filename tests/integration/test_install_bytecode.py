"""The app's environment is compiled to bytecode once, at install, as pip does and uv does not.

A 2021 team API imports nltk (346 modules) in its controllers; `serve` started five gunicorn workers at once,
each compiling every module from source (PYTHONDONTWRITEBYTECODE set, as in many Docker setups, writes no
.pyc for the next one), and on a loaded machine each outlived gunicorn's 30 s worker timeout: killed, started
again, never answering. Real uv installs of a local sdist into a fresh virtualenv, with that variable set."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import require_tool, write_sdist
from shipyard import environments

pytestmark = pytest.mark.slow

NAME = "shipyard-bytecode-probe"


def _sdist(folder: Path) -> Path:
    """A find-links folder holding an sdist of one module, `shipyard_bytecode_probe`."""
    return write_sdist(folder, "shipyard_bytecode_probe", "1.0", {
        "setup.py": f"from setuptools import setup\nsetup(name={NAME!r}, version='1.0', "
                    "py_modules=['shipyard_bytecode_probe'])\n",
        "shipyard_bytecode_probe.py": "def answer():\n    return 42\n",
        "PKG-INFO": f"Metadata-Version: 1.0\nName: {NAME}\nVersion: 1.0\n"})


def test_installed_modules_have_their_bytecode_before_any_import(tmp_path, monkeypatch):
    require_tool("uv")
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    venv = tmp_path / "venv"
    subprocess.run([environments.find_uv(), "venv", "--quiet", "--python", sys.executable, str(venv)], check=True,
                   timeout=120)
    spec = environments.InstallSpec((f"{NAME}==1.0",), ("--find-links", str(_sdist(tmp_path / "dist"))))
    environments.install(str(venv / "bin" / "python"), spec, log=tmp_path / "install.log", timeout=240, say=None,
                         what="installing the app's dependencies", compile_bytecode=True)
    compiled = list(venv.glob("lib/python*/site-packages/__pycache__/shipyard_bytecode_probe.*.pyc"))
    assert compiled, (tmp_path / "install.log").read_text()[-2000:]
    # what a worker then imports is that bytecode, not the source compiled again
    loaded = subprocess.run([str(venv / "bin" / "python"), "-c", "import shipyard_bytecode_probe as m; "
                             "print(m.__cached__, m.answer())"], capture_output=True, text=True, timeout=60, check=True)
    assert loaded.stdout.split() == [str(compiled[0]), "42"]


def test_a_python_outside_a_virtualenv_is_left_alone(tmp_path):
    # the step writes into the app's own environment only, never into an interpreter's installation
    log = tmp_path / "install.log"
    fake = tmp_path / "python" / "bin" / "python3"
    fake.parent.mkdir(parents=True)
    environments._compile_bytecode(str(fake), log=log, timeout=10)
    assert not log.exists()
