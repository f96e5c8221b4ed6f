"""A pip freeze of another project's environment pins a package that builds nowhere here, brought in by another
pinned package the app does not use either (a 2025 FastAPI login app's freeze: faster-whisper and av==14.4.0, which
needs FFmpeg's headers; the code imports neither). Both are left out on the first Python, before any older one is
tried; a pin the app's own packages need still goes the older-Python way. Real uv installs, from a local folder of
packages (--find-links) and the index."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import make_tree, write_sdist
from shipyard.planner import make_plan
from shipyard.run.appenv import install_app_env

pytestmark = pytest.mark.slow

WSGI = "def application(environ, start_response):\n    start_response('200 OK', [])\n    return [b'ok']\n"


def _sdist_that_never_builds(folder: Path, name: str, version: str) -> None:
    """An sdist whose metadata is static (Metadata-Version 2.2: resolvers read it without building) and whose
    build always fails, as a package needing a C library's headers does."""
    write_sdist(folder, name, version, {
        "PKG-INFO": f"Metadata-Version: 2.2\nName: {name}\nVersion: {version}\n",
        "setup.py": "import sys\nsys.exit('ffmpeg headers not found (install libavformat-dev)')\n"})


def _wheel(folder: Path, name: str, version: str, requires: tuple[str, ...] = ()) -> None:
    """A pure-Python wheel of one empty module, requiring `requires`."""
    dist = f"{name}-{version}.dist-info"
    files = {f"{name}/__init__.py": b"",
             f"{dist}/METADATA": (f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
                                  + "".join(f"Requires-Dist: {r}\n" for r in requires)).encode(),
             f"{dist}/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    record = "".join(f"{rel},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()}"
                     f",{len(data)}\n" for rel, data in files.items()) + f"{dist}/RECORD,,\n"
    with zipfile.ZipFile(folder / f"{name}-{version}-py3-none-any.whl", "w") as whl:
        for rel, data in files.items():
            whl.writestr(rel, data)
        whl.writestr(f"{dist}/RECORD", record)


def _packages(tmp_path: Path) -> Path:
    links = tmp_path / "links"
    links.mkdir()
    _sdist_that_never_builds(links, "avlike", "14.4.0")
    _wheel(links, "whisperlike", "1.1.1", ("avlike>=11",))
    return links


def test_an_unused_pin_that_builds_nowhere_goes_with_what_pulls_it_in_before_an_older_python(tmp_path):
    links = _packages(tmp_path)
    freeze = f"--find-links {links}\nsix==1.16.0\nwhisperlike==1.1.1\navlike==14.4.0\n"
    root = make_tree(tmp_path / "loginapp", {"app.py": "import six\n" + WSGI, "requirements.txt": freeze})
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append)
    assert any(line.startswith("avlike==14.4.0 does not build here") and "nor whisperlike, which pulls it in" in line
               and "before any older Python is tried" in line for line in said), said
    assert not any("do not install on Python" in line for line in said), said       # no older Python tried
    code = ("import importlib.util as u, sys, six\n"
            "sys.exit(1 if u.find_spec('whisperlike') or u.find_spec('avlike') else 0)\n")
    done = subprocess.run([env.python, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr      # six installed; neither leftover


def test_a_pin_the_apps_own_packages_need_is_not_left_out_for_it(tmp_path):
    # the app imports whisperlike, which needs avlike: leaving avlike out would not install either, so the
    # install still stops, naming it (the older Pythons tried first, as before)
    links = _packages(tmp_path)
    freeze = f"--find-links {links}\nsix==1.16.0\nwhisperlike==1.1.1\navlike==14.4.0\n"
    root = make_tree(tmp_path / "usesit", {"app.py": "import six\nimport whisperlike\n" + WSGI,
                                           "requirements.txt": freeze})
    said: list[str] = []
    with pytest.raises(Exception, match="avlike"):
        install_app_env(root, make_plan(root, confirm=False, installed=False), said.append)
    assert not any("before any older Python is tried" in line for line in said), said
