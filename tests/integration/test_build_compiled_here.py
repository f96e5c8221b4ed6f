"""A pin with no wheel for the image's Python (netifaces 0.11.0 has none past 3.9): the proof environment here
compiles it with this machine's compiler, and now the image's builder stage gets one too, so `build` + verify
pass where the build stopped with "no compiler is installed to build it"."""

from __future__ import annotations

import pytest

from conftest import make_tree
from test_build import python_in, verified_image

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
    with verified_image(app, base_image, "compiled-here", python="3.11", timeout=1800) as tag:
        ran = python_in(tag, "import netifaces, shutil; print(netifaces.interfaces()[:1], shutil.which('gcc'))")
        assert ran.returncode == 0 and ran.stdout.strip() == "['lo'] None", ran.stdout + ran.stderr
