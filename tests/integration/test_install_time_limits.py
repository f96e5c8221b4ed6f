"""An install that runs out of its time limit says which release it was building from source when it stopped, and
what to do: a user's slow machine building an old pin with no wheel (gevent 1.1b5 on Python 3.6, minutes of C)
read "did not finish within 120s" and was told to raise a setting, never which package took the time. Real uv
installs of a local sdist whose setup.py takes longer than the limit (it stands for that build)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import make_tree, require_tool, write_sdist
from shipyard import environments

pytestmark = pytest.mark.slow

NAME = "shipyard-slow-build-probe"


def _slow_sdist(folder: Path, marker: Path) -> Path:
    """A find-links folder holding an sdist whose setup.py writes `marker` (its pid) and sleeps two minutes."""
    return write_sdist(folder, "shipyard_slow_build_probe", "1.0", {
        "setup.py": f"import os, time\nopen({str(marker)!r}, 'w').write(str(os.getpid()))\n"
                    "time.sleep(120)\nfrom setuptools import setup\n"
                    f"setup(name={NAME!r}, version='1.0', py_modules=[])\n",
        "PKG-INFO": f"Metadata-Version: 1.0\nName: {NAME}\nVersion: 1.0\n"})


def _gone(marker: Path) -> bool:
    """The build's process, whose pid the marker holds, is no longer running (the limit killed it)."""
    if not marker.exists():
        return True
    pid = int(marker.read_text())
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def test_the_install_limit_names_the_release_still_building(tmp_path, monkeypatch):
    require_tool("uv")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    marker = tmp_path / "build.pid"
    links = _slow_sdist(tmp_path / "dist", marker)
    venv = tmp_path / "venv"
    subprocess.run([environments.find_uv(), "venv", "--quiet", "--python", sys.executable, str(venv)], check=True,
                   timeout=120)
    spec = environments.InstallSpec((f"{NAME}==1.0",), ("--find-links", str(links)))
    with pytest.raises(environments.EnvironmentUnavailable) as err:
        environments.install(str(venv / "bin" / "python"), spec, log=tmp_path / "install.log", timeout=25,
                             say=None, what="installing the app's dependencies")
    assert err.value.message.startswith("installing the app's dependencies did not finish within 25s (the time "
                                        f"went on building {NAME}==1.0 from source"), err.value.message
    assert f"pin a release of {NAME} that has a wheel" in err.value.hint
    assert "install the app's environment yourself" in err.value.hint and "proof_timeout" not in err.value.hint
    assert _gone(marker)


def test_the_proof_environments_limit_names_the_release_still_building(tmp_path):
    require_tool("uv")
    marker = tmp_path / "build.pid"
    links = _slow_sdist(tmp_path / "dist", marker)
    app = make_tree(tmp_path / "app", {
        "app.py": "def application(environ, start_response):\n    start_response('200 OK', [])\n    return [b'ok']\n",
        "requirements.txt": f"--find-links {links}\n{NAME}==1.0\n",
        "pyproject.toml": "[tool.shipyard]\nproof_timeout = 25\n",
    })
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("VIRTUAL_ENV", None)
    done = subprocess.run([sys.executable, "-m", "shipyard", "inspect", str(app), "--json"], capture_output=True,
                          text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    proof = json.loads(done.stdout)["proof"]
    assert proof["proven"] is False
    assert "did not build within 25s (the time went on building " f"{NAME}==1.0 from source" in proof["reason"], proof
    assert "raise proof_timeout in [tool.shipyard] (now 25s)" in proof["reason"], proof
    assert _gone(marker)
