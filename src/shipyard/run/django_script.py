"""A short script run with the app's interpreter, in its workdir, with serve's environment, after Django is set up
with the app's own settings: how serve learns what the settings compute (STATIC_ROOT, MEDIA_ROOT) and runs
Django's commands as the app would."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Mapping

from .. import spawn
from ..plan import Plan
from .appenv import AppEnv, server_env

# the script's first lines: the settings loaded as the app loads them
SETUP = """\
import json, os, sys
import django
if os.environ.get("DJANGO_CONFIGURATION"):
    import configurations        # django-configurations: its settings classes load through its own setup()
    configurations.setup()
else:
    django.setup()
"""


def run_with_settings(plan: Plan, root: Path, env: AppEnv, body: str, *args: str,
                      environ: Mapping[str, str] | None, timeout: float) -> subprocess.CompletedProcess:
    """SETUP + `body`, with `args` as sys.argv[1:]; raises subprocess.TimeoutExpired past `timeout`."""
    return spawn.run([env.python, "-c", SETUP + body, *args], cwd=str((Path(root) / plan.workdir).resolve()),
                     env=server_env(plan, environ), timeout=timeout)


def last_json(done: subprocess.CompletedProcess) -> object:
    """The value the script printed last, when it succeeded; ValueError when that line is not JSON."""
    lines = done.stdout.strip().splitlines()
    return json.loads(lines[-1]) if done.returncode == 0 and lines else None
