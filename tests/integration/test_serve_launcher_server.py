"""An app whose requirements name the server its own launcher runs it with (prod.py serving the app under bjoern,
which needs libev's headers to build): Shipyard serves the entry with its own server, so when that package does
not build here, `serve --install` goes without it, says so in one line, and serves the app; before, the install
stopped (on every Python it tried). With no wheel for the Python, it is left out before any build is tried. Real uv installs: the launcher's server is a package of the test's own named
as a real one (meinheld, a C server), whose build fails here as one missing its headers does."""

from __future__ import annotations

import subprocess

import pytest

from conftest import free_port, make_tree, require_tool, write_sdist
from serveutil import Running, get

pytestmark = pytest.mark.slow

APP = {
    "app.py": "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\ndef index():\n"
              "    return 'served'\n",
    "prod.py": "import meinheld.server\nfrom app import app\n\nmeinheld.server.listen(('0.0.0.0', 8000))\n"
               "meinheld.server.run(app)\n",
    "requirements.txt": "Flask==3.0.3\nmeinheld==99.0\n",
}
# a C server's setup.py when the library it compiles against is missing
UNBUILDABLE = ("import sys\n\nsys.exit('meinheld/server/server.c:1:10: fatal error: ev.h: No such file or directory')\n")


def test_a_server_only_the_apps_launcher_imports_that_does_not_build_is_left_out_and_the_app_served(tmp_path):
    require_tool("nginx")
    dist = write_sdist(tmp_path / "dist", "meinheld", "99.0", {"setup.py": UNBUILDABLE})
    root = make_tree(tmp_path / "launched", APP)
    port = free_port()
    run = Running("serve", str(root), "--install", "--port", str(port), env={"UV_FIND_LINKS": str(dist)})
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 400), run.output
        status, _, body = get(f"http://127.0.0.1:{port}/")
        assert (status, body) == (200, "served"), run.output
    finally:
        run.discard()
    # it has no wheel (it would be built from source only to fail): left out before any install round
    note = next((line for line in run.lines if "left out of the app's .venv up front" in line), "")
    assert note.startswith("shipyard: meinheld==99.0 left out of the app's .venv up front: it has no wheel") and \
        "only prod.py does, to run the app its own way" in note, run.output
    assert not any("does not build here" in line for line in run.lines), run.output
    done = subprocess.run([str(root / ".venv/bin/python"), "-c", "import flask, importlib.util; "
                           "print(importlib.util.find_spec('meinheld'))"], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "None", done.stderr
