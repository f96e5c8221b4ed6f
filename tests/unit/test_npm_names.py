"""npm packages written into a Python requirements file (detect/npm_names.py): left out when the project's
package.json depends on them, no Python file imports them and the line pins nothing; the install then goes on."""

from __future__ import annotations

import json
import shutil
import subprocess

from conftest import make_tree
from shipyard.detect import deps
from shipyard.project import Project

PACKAGE_JSON = json.dumps({"dependencies": {"xlsx": "^0.18.5", "axios": "^1.9.0", "redis": "^4.0.0"},
                           "devDependencies": {"@types/file-saver": "^2.0.7", "file-saver": "^2.0.5"}})


def declared(tmp_path, files):
    found = deps.declared(Project(make_tree(tmp_path, files)))
    return [d.requirement for d in found.dependencies], found.notes


def test_the_front_ends_packages_are_left_out_of_the_python_install(tmp_path):
    # the shape met: a UTF-16 pip freeze at the root of a Vite + Django repository, ending in two npm names
    freeze = "Django==4.2\r\nrequests==2.32.3\r\nredis\r\nxlsx\r\nfile-saver"
    (tmp_path / "requirements.txt").write_bytes(freeze.encode("utf-16"))
    lines, notes = declared(tmp_path, {
        "package.json": PACKAGE_JSON, "backend/core/settings.py": "import requests\nimport redis\n",
        "src/main.tsx": "import * as XLSX from 'xlsx'\n"})
    assert lines == ["Django==4.2", "requests==2.32.3", "redis"], lines
    assert any("npm packages of the project's package.json" in n and "xlsx, file-saver" in n for n in notes), notes


def test_pinned_imported_or_well_known_names_are_left_to_the_install(tmp_path):
    lines, notes = declared(tmp_path, {
        "requirements.txt": "Django==4.2\nxlsx==0.0.1\nredis\naxios\n", "package.json": PACKAGE_JSON,
        "app/views.py": "import axios\n"})
    assert lines == ["Django==4.2", "xlsx==0.0.1", "redis", "axios"], lines
    assert not any("npm packages" in n for n in notes)


def test_without_a_package_json_nothing_is_left_out(tmp_path):
    lines, _ = declared(tmp_path, {"requirements.txt": "Django==4.2\nxlsx\n"})
    assert lines == ["Django==4.2", "xlsx"]


def test_the_names_left_out_are_the_ones_the_index_does_not_have(tmp_path):
    """What the install met: uv refuses the requirements as written ('xlsx' is not on the index here), and takes
    them with the front end's names left out (a real resolution against this machine's index)."""
    uv = shutil.which("uv") or "/work/main/.venv/bin/uv"
    lines, _ = declared(tmp_path, {"requirements.txt": "six==1.16.0\nxlsx\nfile-saver\n",
                                   "package.json": PACKAGE_JSON})
    assert lines == ["six==1.16.0"]
    (tmp_path / "in.txt").write_text("six==1.16.0\nfile-saver\n")
    refused = subprocess.run([uv, "pip", "compile", "--no-header", str(tmp_path / "in.txt")],
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0 and "file-saver" in refused.stderr
    (tmp_path / "ok.txt").write_text("\n".join(lines) + "\n")
    taken = subprocess.run([uv, "pip", "compile", "--no-header", str(tmp_path / "ok.txt")],
                           capture_output=True, text=True, timeout=120)
    assert taken.returncode == 0, taken.stderr[-500:]
