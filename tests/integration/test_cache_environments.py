"""`shipyard cache` on real proof environments built by uv, in a cache of the test's own (XDG_CACHE_HOME in
tmp_path): a run that uses an environment keeps clean and prune off it; a build killed halfway leaves a folder
prune removes at once; once no one uses it, clean removes it and info says the cache is empty."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import require_tool
from serveutil import SHIPYARD
from shipyard import environments

pytestmark = pytest.mark.slow
SRC = str(Path(environments.__file__).resolve().parents[1])

# builds (or reuses) the proof environment of argv[2], says where, then holds it until stdin closes
USER = """
import sys
from shipyard import environments
python = environments.interpreter_info(sys.executable)
env = environments.proof_environment(environments.InstallSpec(tuple(sys.argv[2].split())), python, timeout=300,
                                     say=None, environ={"XDG_CACHE_HOME": sys.argv[1]})
print(env.python, flush=True)
sys.stdin.read()
"""


def cache_cli(xdg: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "XDG_CACHE_HOME": str(xdg), "PYTHONPATH": SRC}
    return subprocess.run([*SHIPYARD, "cache", *args], capture_output=True, text=True, env=env, timeout=300)


def start_user(xdg: Path, requirements: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", USER, str(xdg), requirements], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": SRC}, start_new_session=True)


def test_an_environment_a_run_uses_is_kept_then_removed_once_unused(tmp_path):
    require_tool("uv")
    xdg = tmp_path / "xdg"
    user = start_user(xdg, "six==1.16.0")
    try:
        python = user.stdout.readline().strip()
        assert python, user.stderr.read()
        env = Path(python).parents[1]
        assert (env / ".last-used").exists()
        for action in (("prune", "--older-than", "0h"), ("clean",)):
            done = cache_cli(xdg, *action)
            assert done.returncode == 0, done.stderr
            assert f"skipped {env}: in use by another Shipyard process now" in done.stderr
        ran = subprocess.run([python, "-c", "import six; print(six.__version__)"], capture_output=True, text=True)
        assert ran.stdout.strip() == "1.16.0"
    finally:
        user.stdin.close()
        user.wait(60)
    done = cache_cli(xdg, "clean")
    assert done.returncode == 0 and "removed 1 proof environment" in done.stdout, done.stdout + done.stderr
    assert not env.exists()
    info = json.loads(cache_cli(xdg, "info", "--json").stdout)
    assert next(k for k in info["kinds"] if k["kind"] == "envs")["count"] == 0


def test_a_build_killed_halfway_leaves_a_folder_prune_removes_at_once(tmp_path):
    require_tool("uv")
    xdg = tmp_path / "xdg"
    envs = xdg / "shipyard" / "envs"
    user = start_user(xdg, "six==1.16.0 itsdangerous==2.1.2 markupsafe==2.1.3")
    try:
        deadline = time.monotonic() + 60
        while not list(envs.glob(".*.building-locked-*/bin")) and time.monotonic() < deadline:
            assert user.poll() is None, user.stderr.read()
            time.sleep(0.01)
    finally:
        os.killpg(user.pid, signal.SIGKILL)
        user.wait(10)
    left = list(envs.glob(".*.building-locked-*"))
    assert left, "the kill came after the build finished: nothing half-built to remove"
    done = cache_cli(xdg, "prune")
    assert done.returncode == 0, done.stderr
    assert "left by killed builds" in done.stdout, done.stdout
    assert not list(envs.glob(".*.building-*"))
