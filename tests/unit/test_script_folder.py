"""Apps that find a file beside sys.argv[0], the script `python run.py` runs (tests/fixtures/apps/
eve_settings_beside_script: Eve 0.6's `Eve(settings="settings.py")` looks there only; an app's own
`os.path.dirname(sys.argv[0])`). The import proof (`python -c`, the app's folder) passed, while every server, whose
sys.argv[0] is its own script, stopped with "DOMAIN dictionary missing or wrong": the entry is served through
shipyard_entry.py, which sets sys.argv[0] to the entry module's file first. Served with a real install of Eve 0.6.4
on Python 3.6: tests/integration/test_frameworks_serve.py (eve_settings_beside_script)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from shipyard.detect import entry
from shipyard.planner import make_plan
from shipyard.project import Project

from conftest import make_tree, rendered_shim

APP = Path(__file__).parents[1] / "fixtures" / "apps" / "eve_settings_beside_script"


def test_eve_reading_settings_beside_its_script_is_served_through_the_entry_module(tmp_path):
    root = shutil.copytree(APP, tmp_path / "mirror")
    found = entry.find(Project(root), None)
    assert (found.framework, found.entry.target, found.entry.script_folder) == ("eve", "run:app", True)
    assert any("run.py:5 finds a file beside sys.argv[0]" in n for n in found.notes), found.notes
    shim = rendered_shim(make_plan(root, confirm=False))
    assert 'sys.argv[0] = os.path.abspath("run.py")' in shim


def test_settings_given_otherwise_need_no_entry_module(tmp_path):
    # a dict, an absolute path, a variable: nothing is looked for beside the script
    for settings in ("{'DOMAIN': {'people': {}}}", "'/etc/eve/settings.py'", "SETTINGS"):
        root = make_tree(tmp_path / str(abs(hash(settings))), {
            "run.py": f"from eve import Eve\nSETTINGS = 'x'\napp = Eve(settings={settings})\n"})
        found = entry.find(Project(root), None)
        assert (found.entry.target, found.entry.script_folder) == ("run:app", False), settings
    # Eve() with no settings reads settings.py beside the script
    root = make_tree(tmp_path / "bare", {"run.py": "from eve import Eve\napp = Eve()\n",
                                         "settings.py": "DOMAIN = {'people': {}}\n"})
    assert entry.find(Project(root), None).entry.script_folder


def test_an_app_reading_sys_argv_0_gets_its_script_path_under_a_server(tmp_path):
    # a Flask app opening a file beside sys.argv[0]; imported as a server does (sys.argv[0] its own), through the
    # rendered entry module, it finds the file as `python app.py` does
    root = make_tree(tmp_path / "greeter", {
        "app.py": "import os\nimport sys\nfrom flask import Flask\n\n"
                  "HERE = os.path.dirname(os.path.abspath(sys.argv[0]))\n"
                  "GREETING = open(os.path.join(HERE, 'greeting.txt')).read().strip()\n"
                  "app = Flask(__name__)\n\n\n@app.route('/')\ndef index():\n    return GREETING\n",
        "greeting.txt": "hello from beside the script\n"})
    plan = make_plan(root, confirm=False)
    assert plan.entry.script_folder
    (root / "shipyard_entry.py").write_text(rendered_shim(plan))
    server_like = ("import sys\nsys.argv = ['/opt/server/bin/granian', '--interface', 'wsgi']\nsys.path.insert(0, '')\n"
                   "import shipyard_entry\n"
                   "print(shipyard_entry.app.test_client().get('/').get_data(as_text=True))\n")
    done = subprocess.run([sys.executable, "-c", server_like], cwd=root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "hello from beside the script" in done.stdout, done.stderr
    # without it (the plan as before), the same import fails where a server runs it
    plain = server_like.replace("import shipyard_entry\n", "import app as shipyard_entry\n")
    done = subprocess.run([sys.executable, "-c", plain], cwd=root, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "greeting.txt" in done.stderr
