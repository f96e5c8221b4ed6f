"""A package the install here compiled from source (no wheel for its Python) gives the image's builder stage a
compiler, as the install needed one; wheels from the index (manylinux) and pure-Python ones do not."""

from __future__ import annotations

import dataclasses

from shipyard import built_here
from shipyard.planner import make_plan
from shipyard.plan import Proof, SystemPackages
from shipyard.render import Target, render


def _env(root, wheels: dict[str, str]):
    site = root / "lib" / "python3.12" / "site-packages"
    for dist, tag in wheels.items():
        info = site / f"{dist}.dist-info"
        info.mkdir(parents=True)
        (info / "WHEEL").write_text(f"Wheel-Version: 1.0\nGenerator: setuptools (75.1.0)\nRoot-Is-Purelib: false\n"
                                    f"Tag: {tag}\n")
    (root / "bin").mkdir(parents=True)
    return root / "bin" / "python"


def test_wheels_built_here_are_told_from_the_indexs(tmp_path):
    python = _env(tmp_path / "env", {"netifaces-0.11.0": "cp312-cp312-linux_x86_64",
                                      "MarkupSafe-3.0.2": "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64",
                                      "Flask-3.0.3": "py3-none-any",
                                      "greenlet-3.1.1": "cp312-cp312-musllinux_1_1_x86_64"})
    assert built_here.compiled_here(python) == ("netifaces==0.11.0",)
    assert built_here.compiled_here(tmp_path / "none" / "bin" / "python") == ()


def test_a_package_built_here_gives_the_builder_a_compiler(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    app = tmp_path / "app"
    app.mkdir()
    (app / "app.py").write_text("import netifaces\nfrom flask import Flask\napp = Flask(__name__)\n")
    (app / "requirements.txt").write_text("Flask==3.0.3\nnetifaces==0.11.0\n")
    plan = make_plan(app, confirm=False, installed=False)
    assert "gcc" not in plan.system_packages.build
    assert "gcc" not in render(plan, Target.image())["Dockerfile"]
    python = _env(tmp_path / "env", {"netifaces-0.11.0": "cp312-cp312-linux_x86_64"})
    packages = built_here.with_compiler(plan.system_packages, built_here.compiled_here(python))
    assert packages.build == ("gcc", "libc6-dev", "python3-dev")
    assert packages.reasons[-1].startswith("netifaces==0.11.0: built from source by the install here")
    dockerfile = render(dataclasses.replace(plan, system_packages=packages,
                                            proof=Proof(True, "proof environment", str(python))),
                        Target.image())["Dockerfile"]
    builder = dockerfile[:dockerfile.index("\nFROM ${BASE}")]
    assert "gcc" in builder and "libc6-dev" in builder
    assert "gcc" not in dockerfile[dockerfile.index("\nFROM ${BASE}"):].split("RUN apt-get", 1)[-1].split("\n")[0]
    # already there (psycopg2's entry): unchanged
    known = SystemPackages(build=("gcc", "libc6-dev", "libpq-dev", "python3-dev"), runtime=("libpq5",))
    assert built_here.with_compiler(known, ("netifaces==0.11.0",)) is known
