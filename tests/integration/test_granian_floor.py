"""The oldest granian Shipyard accepts, on the oldest Python it gives granian, knows every flag the generated
launcher passes: uv may settle on that release (an app's Python, its resolution date), and a flag it does not
know stops the app at start ("No such option"). A real install of the floor release on that Python."""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import image_of, make_tree, require_engine, require_python, require_tool
from shipyard.detect.deps import GRANIAN_FLOOR
from shipyard.planner import make_plan
from shipyard.render import render
from shipyard.servers import OLDEST_PYTHON

pytestmark = pytest.mark.slow

APPS = {
    "wsgi": {"app.py": "from flask import Flask\napp = Flask(__name__)\n", "requirements.txt": "flask\n"},
    "asgi": {"app.py": "from starlette.applications import Starlette\napp = Starlette()\n",
             "requirements.txt": "starlette\n"},
}


def launcher_flags(runtime: str) -> set[str]:
    """The --flags the launcher's granian() passes (every string literal starting with --)."""
    body = runtime.split("def granian():", 1)[1].split("\ndef ", 1)[0]
    return set(re.findall(r'"(--[a-z][a-z-]*)"', body))


def test_the_oldest_granian_accepted_knows_every_flag_the_launcher_passes(tmp_path):
    python = require_python("%d.%d" % OLDEST_PYTHON["granian"])
    uv = require_tool("uv")
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "-q", "--python", str(python.path), str(venv)], check=True, timeout=120)
    floor = GRANIAN_FLOOR.removeprefix(">=")
    subprocess.run([uv, "pip", "install", "-q", "--python", str(venv / "bin" / "python"), f"granian=={floor}"],
                   check=True, timeout=300)
    known = subprocess.run([str(venv / "bin" / "granian"), "--help"], capture_output=True, text=True, timeout=60)
    assert known.returncode == 0, known.stderr
    flags: set[str] = set()
    for interface, files in APPS.items():
        root = make_tree(tmp_path / interface, files)
        for topology in ("bundle", "app"):
            plan = make_plan(root, {"topology": topology}, confirm=False, installed=False)
            assert plan.settings["server"] == "granian", plan.settings
            flags |= launcher_flags(render(plan, only=("shipyard_runtime.py",))["shipyard_runtime.py"])
    assert {"--uds", "--uds-permissions", "--workers", "--backlog"} <= flags, flags
    missing = sorted(f for f in flags if not re.search(rf"(?<![\w-]){re.escape(f)}(?![\w-])", known.stdout))
    assert not missing, f"granian {floor} on Python {python.minor} does not know {missing}"


@pytest.mark.engine
def test_the_images_granian_starts_when_the_app_pins_a_click_it_does_not_work_with(tmp_path, base_image):
    """A 2021 freeze pins click==8.0.3: the resolver keeps it by settling on granian 2.6.1, which declares
    click>=8.0.0 and fails on it at start; the image upgrades click after the app's packages."""
    require_engine()
    root = make_tree(tmp_path / "app", {"app.py": APPS["wsgi"]["app.py"], "requirements.txt": "flask\nclick==8.0.3\n"})
    plan = make_plan(root, {"topology": "app"}, confirm=False, installed=False)
    assert plan.settings["server"] == "granian", plan.settings
    with image_of(plan, root, base_image) as tag:
        started = subprocess.run(["docker", "run", "--rm", "--entrypoint", "/opt/venv/bin/granian", tag, "--help"],
                                 capture_output=True, text=True, timeout=120)
    assert started.returncode == 0 and "--uds" in started.stdout, started.stderr[-2000:]
