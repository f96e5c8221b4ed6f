"""An app that imports a distribution the project ships in a folder of its own (greeter-lib/ with its setup.py),
which its README installs by hand (`pip install -e ./greeter-lib`): the import proof installs it, so the entry is
proven, and `serve --install` installs it editable into the app's .venv, so the app answers. The distribution reads
its own installed metadata when imported: the app answers only if the install happened (a folder put on
PYTHONPATH would not do)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import pytest

from conftest import free_port, make_tree
from serveutil import Running, get

pytestmark = pytest.mark.slow

APP = {
    "wsgi.py": "from greeter import greeting\n\n\n"
               "def application(environ, start_response):\n"
               "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
               "    return [greeting('world').encode()]\n",
    "greeter-lib/setup.py": "from setuptools import setup\n\n"
                            "setup(name='greeter-lib', version='0.3.1', packages=['greeter'])\n",
    "greeter-lib/greeter/__init__.py": "from importlib.metadata import version\n\n"
                                       "VERSION = version('greeter-lib')    # only an installed one has metadata\n\n\n"
                                       "def greeting(name):\n    return f'hello {name} from greeter-lib {VERSION}\\n'\n",
    "README.md": "# Greeter\n\n    pip install -e ./greeter-lib\n",
}


def test_a_distribution_of_the_projects_own_is_installed_for_the_proof_and_by_serve_install(tmp_path):
    root = make_tree(tmp_path / "greeter-app", APP)
    inspected = subprocess.run([sys.executable, "-m", "shipyard", "inspect", str(root), "--json"],
                               capture_output=True, text=True, timeout=600)
    assert inspected.returncode == 0, inspected.stderr
    plan = json.loads(inspected.stdout)
    assert plan["proof"]["proven"], plan["proof"]
    assert plan["local_distributions"] == ["greeter-lib"]
    port = free_port()
    run = Running("serve", str(root), "--install", "--port", str(port), env={"VIRTUAL_ENV": ""})
    try:
        assert run.wait_for(r"serving \S+ at", 300), run.output
        assert "the app imports the project's own distribution greeter-lib/" in run.output, run.output
        status, _, body = get(f"http://127.0.0.1:{port}/")
        assert (status, body) == (200, "hello world from greeter-lib 0.3.1\n"), (status, body, run.output[-2000:])
        assert run.stop(signal.SIGINT) == 0, run.output
    finally:
        run.discard()
