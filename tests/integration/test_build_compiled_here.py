"""A pin with no wheel for the image's Python (netifaces 0.11.0 has none past 3.9): the proof environment here
compiles it with this machine's compiler, and now the image's builder stage gets one too, so `build` + verify
pass where the build stopped with "no compiler is installed to build it"."""

from __future__ import annotations

import subprocess
import uuid

import pytest

from conftest import make_tree
from test_build import SHIPYARD, python_in

pytestmark = [pytest.mark.engine, pytest.mark.slow]

APP = {
    "app.py": '''
        import netifaces
        from flask import Flask

        app = Flask(__name__)


        @app.get("/")
        def index():
            return ",".join(sorted(netifaces.interfaces()))
        ''',
    "requirements.txt": "Flask==3.0.3\nnetifaces==0.11.0\n",
}


def test_a_pin_the_proof_compiled_gets_a_compiler_in_the_builder_only(tmp_path, base_image):
    app = make_tree(tmp_path / "ifaces", APP)
    tag = f"shipyard-ci/compiled-here:{uuid.uuid4().hex[:8]}"
    done = subprocess.run([*SHIPYARD, "build", str(app), "--base", base_image, "--python", "3.11", "--tag", tag,
                           "--path", "/"], capture_output=True, text=True, timeout=1800)
    try:
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
        assert "all 7 checks passed" in done.stdout or "all 6 checks passed" in done.stdout, done.stdout[-2000:]
        ran = python_in(tag, "import netifaces, shutil; print(netifaces.interfaces()[:1], shutil.which('gcc'))")
        assert ran.returncode == 0 and ran.stdout.strip() == "['lo'] None", ran.stdout + ran.stderr
    finally:
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, timeout=120)
