"""`serve --install` of an app whose requirements.txt names a package twice, the second time with extras (the 2022
FastAPI + ormar example's `pydantic` then `pydantic[dotenv]`, unpinned): the environment has the extra's package,
so pydantic v1's BaseSettings reads the app's env file at import. Before, the first line won and the import failed
with "python-dotenv is not installed". A real uv install, resolved as of the file's date (July 2022: pydantic 1.9)."""

from __future__ import annotations

import os
import subprocess
import time

import pytest

from conftest import make_tree
from shipyard.planner import make_plan
from shipyard.run.appenv import install_app_env

pytestmark = pytest.mark.slow

SETTINGS = '''from pydantic import BaseSettings


class Secrets(BaseSettings):
    postgres_user: str


secrets = Secrets(_env_file=".envs/.env", _env_file_encoding="utf-8")
'''


def test_the_extras_of_a_repeated_line_are_installed(tmp_path):
    root = make_tree(tmp_path / "ormarapp", {
        "settings.py": SETTINGS,
        "app.py": "from settings import secrets\n\n\ndef application(environ, start_response):\n"
                  "    start_response('200 OK', [])\n    return [secrets.postgres_user.encode()]\n",
        ".envs/.env": "POSTGRES_USER=test\n",
        "requirements.txt": "pydantic\npydantic[dotenv]\n"})
    july_2022 = time.mktime((2022, 7, 25, 12, 0, 0, 0, 0, 0))
    for path in root.rglob("*"):   # an app that bounds nothing is dated by its code too
        os.utime(path, (july_2022, july_2022))
    plan = make_plan(root, confirm=False, installed=False)
    assert any(d.requirement == "pydantic[dotenv]" for d in plan.dependencies), plan.dependencies
    said: list[str] = []
    env = install_app_env(root, plan, said.append)
    done = subprocess.run([env.python, "-c", "import app; print(app.secrets.postgres_user)"], cwd=root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr + "\n".join(said)
    assert done.stdout.strip() == "test"
