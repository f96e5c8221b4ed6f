"""A package that installs a script of its own name into the virtualenv's bin folder (bottle 0.12's bottle.py) must
not shadow itself when the app runs under the generated gunicorn.conf.py: Python runs bin/gunicorn as a script,
which puts bin/ first on sys.path. Under a long (or spaced) path the installer (uv, pip) writes a shell prelude
before such a script's code, so `from __future__ import ...` is no longer first and importing it fails.

The shape is built for real: a virtualenv under a folder path longer than a shebang may be, bin/gunicorn and
bin/shadowpkg.py as installers write them for such a path, shadowpkg's module in site-packages, a real gunicorn
(the dev environment's, through a .pth file) serving an app that imports shadowpkg."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import plans
from conftest import get_over_socket, require_tool, stop_process
from shipyard.render import render

# what uv and pip write for an interpreter path a shebang line cannot hold (over 127 bytes, or with spaces)
PRELUDE = "#!/bin/sh\n'''exec' '{python}' \"$0\" \"$@\"\n' '''\n"
GUNICORN_SCRIPT = "# -*- coding: utf-8 -*-\nimport sys\nfrom gunicorn.app.wsgiapp import run\nif __name__ == '__main__':\n" \
                  "    sys.exit(run())\n"
MODULE = '"""A module whose package also installs it as a script."""\nfrom __future__ import annotations\n' \
         'VALUE = "site-packages"\n'
APP = "from shadowpkg import VALUE\n\n\ndef app(environ, start_response):\n" \
      "    start_response('200 OK', [('Content-Type', 'text/plain')])\n    return [VALUE.encode()]\n"


def _venv(where: Path) -> Path:
    """A virtualenv at `where` whose bin/ holds gunicorn and shadowpkg.py as installed for that long path."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True, timeout=60)
    python = where / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True, timeout=30).stdout.strip())
    (site / "dev_env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")   # gunicorn, from the dev venv
    (site / "shadowpkg.py").write_text(MODULE)
    for name, code in (("gunicorn", GUNICORN_SCRIPT), ("shadowpkg.py", MODULE)):
        script = where / "bin" / name
        script.write_text(PRELUDE.format(python=python) + code)
        script.chmod(0o755)
    return python


def test_a_same_named_script_in_bin_does_not_shadow_its_package(tmp_path):
    require_tool("gunicorn")
    folder = tmp_path / ("a long folder name as a checkout under a temporary folder of a tool has it " * 2).strip()
    python = _venv(folder / ".venv")
    assert len(str(python)) > 127
    app_dir = tmp_path / "app"
    app_dir.mkdir()
    (app_dir / "app.py").write_text(APP)
    conf = tmp_path / "gunicorn.conf.py"
    conf.write_text(render(plans.flask_wsgi(server="gunicorn"), only=("gunicorn.conf.py",))["gunicorn.conf.py"])
    sock, log = tmp_path / "app.sock", tmp_path / "gunicorn.log"
    env = {"PATH": "/usr/bin:/bin", "SHIPYARD_CHDIR": str(app_dir), "SHIPYARD_BIND": f"unix:{sock}",
           "WEB_CONCURRENCY": "1"}
    with log.open("w") as out:
        proc = subprocess.Popen([str(folder / ".venv" / "bin" / "gunicorn"), "-c", str(conf)], cwd=app_dir,
                                env=env, stdout=out, stderr=out)
    try:
        answer = get_over_socket(sock, proc)
    finally:
        stop_process(proc)
    assert answer.startswith(b"HTTP/1.1 200") and b"\r\nsite-packages\r\n" in answer, \
        (answer, log.read_text()[-3000:])
