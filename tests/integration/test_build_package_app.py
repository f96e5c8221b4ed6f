"""An app that is itself a package, built into an image by `shipyard build` and verified on the real engine:
- a setup.py package is installed in the image (with --no-deps, after its dependencies): it reads its own
  installed metadata when imported, so the image answers only if the install happened;
- a [project] whose build backend cannot package it (hatchling, no package folder) runs from its source
  folder, as `serve --install` runs it, instead of failing the build;
- a distribution of the project's own that the app imports (greeter-lib/ with its setup.py, which the author
  installs by hand) is installed in the image from its folder: it reads its installed metadata when imported."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest

from conftest import make_tree, require_engine

pytestmark = [pytest.mark.engine, pytest.mark.slow]
SHIPYARD = [sys.executable, "-m", "shipyard"]

SHAPES = {
    "setup_py": {
        "setup.py": "from setuptools import setup\n\nsetup(name='pkgapp', version='1.2.3', packages=['pkgapp'])\n",
        "pkgapp/__init__.py":
            "from importlib.metadata import version\n\n"
            "VERSION = version('pkgapp')     # only an installed package has its metadata\n\n\n"
            "def application(environ, start_response):\n"
            "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
            "    return [('pkgapp %s' % VERSION).encode()]\n",
        "wsgi.py": "from pkgapp import application  # noqa: F401\n",
    },
    "local_distribution": {
        "wsgi.py": "from greeter import greeting\n\n\n"
                   "def application(environ, start_response):\n"
                   "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
                   "    return [greeting().encode()]\n",
        "greeter-lib/setup.py": "from setuptools import setup\n\n"
                                "setup(name='greeter-lib', version='0.3.1', packages=['greeter'])\n",
        "greeter-lib/greeter/__init__.py": "from importlib.metadata import version\n\n"
                                           "VERSION = version('greeter-lib')     # only an installed one has it\n\n\n"
                                           "def greeting():\n    return 'greeter-lib %s' % VERSION\n",
    },
    "project_without_package_folder": {
        "pyproject.toml": '[project]\nname = "flat-app"\nversion = "0.1.0"\ndependencies = []\n\n'
                          '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
        "app.py": "def application(environ, start_response):\n"
                  "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
                  "    return [b'flat']\n",
    },
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_package_app_builds_and_verifies(shape, tmp_path, base_image):
    require_engine()
    root = make_tree(tmp_path / shape.replace("_", "-"), SHAPES[shape])
    tag = f"shipyard-install-test/{shape.replace('_', '-')}:{uuid.uuid4().hex[:8]}"
    done = subprocess.run([*SHIPYARD, "build", str(root), "--base", base_image, "--tag", tag, "--path", "/"],
                          capture_output=True, text=True, timeout=900)
    try:
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
        assert "checks passed" in done.stdout, done.stdout
    finally:
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, timeout=120)
