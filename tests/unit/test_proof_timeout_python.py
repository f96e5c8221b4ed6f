"""A proof environment whose build runs out of time (a loaded machine, proof_timeout) must leave the plan on the
Python a finished build would have moved to, not on today's default: an app that names no Python and pins
Pillow==9.1.1 (wheels up to CPython 3.10, C source that does not build on 3.12) got 3.12 when the build timed out,
and the image's install then failed; a finished build moved it to 3.10 (on_older_pythons). The pins' wheels say so
without installing (one uv resolution per pin against the index); a pin built everywhere (psycopg2) moves nothing.
Real uv and the index; the Pythons this machine has."""

from __future__ import annotations

import os
import subprocess

import pytest

from conftest import make_tree
from shipyard import environments
from shipyard.planner import make_plan


def _installed(*minors: int) -> None:
    missing = [m for m in minors if environments.python_of(m) is None]
    if missing:
        pytest.skip(f"Python 3.{missing[0]} is not installed here") if not os.environ.get("CI") else \
            pytest.fail(f"Python 3.{missing[0]} is not installed here")


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """No proof environment cached from earlier runs (each would skip the build), uv's own cache kept warm."""
    uv = environments.find_uv()
    assert uv, "uv is not installed"
    uv_cache = subprocess.run([uv, "cache", "dir"], capture_output=True, text=True, timeout=30).stdout.strip()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    if uv_cache:
        monkeypatch.setenv("UV_CACHE_DIR", uv_cache)


def test_a_proof_build_out_of_time_takes_the_python_its_pins_wheels_need(tmp_path, fresh_cache):
    _installed(10, 12)
    root = make_tree(tmp_path / "blog", {
        "requirements.txt": "Flask==2.1.2\nPillow==9.1.1\n",
        "app.py": "from flask import Flask\nimport PIL\n\napp = Flask(__name__)\n",
    })
    # files of today and no Python named: today's default, 3.12, which the install would leave for 3.10
    assert make_plan(root, confirm=False, installed=False).python.version == "3.12"
    plan = make_plan(root, {"proof_timeout": 1}, installed=False)
    assert not plan.proof.proven and "within 1s" in plan.proof.reason, plan.proof
    assert plan.python.version == "3.10", plan.python
    assert any("Pillow==9.1.1 has no wheel for Python 3.12 and one for 3.10" in n for n in plan.notes), plan.notes
    # the next run (serve after inspect) builds on 3.10 straight away, not on 3.12 again until its time is out
    again = make_plan(root, {"proof_timeout": 1}, installed=False)
    said = [*again.notes, *again.proof.notes]
    assert any("an earlier run's proof environment on Python 3.12 ran out of time" in n
               and "starting on Python 3.10" in n for n in said), said
    assert again.python.version == "3.10", again.python


def test_pins_with_wheels_or_built_everywhere_move_nothing():
    _installed(10, 12)
    assert environments.wheels_python(["Flask==2.1.2", "psycopg2==2.9.3"], "3.12") is None
    assert environments.wheels_python(["Pillow==9.1.1", "psycopg2==2.9.3"], "3.12")[0] == "3.10"
