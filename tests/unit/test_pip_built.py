"""A release whose source archive uv cannot unpack (PyPDF2 1.26.0): serve's install has pip build its wheel; the
image's builder stopped on it ("pypdf2==1.26.0 does not build"). The plan lists it and the builder has pip make
the wheel, which uv installs from."""

from __future__ import annotations

from conftest import make_tree
from shipyard import pip_built
from shipyard.plan import Plan
from shipyard.planner import make_plan
from shipyard.render import Target, render

APP = {"app.py": "import falcon\n\napp = falcon.API()\n", "requirements.txt": "falcon==2.0.0\nPyPDF2==1.26.0\n"}


def test_a_release_an_install_had_pip_build_is_remembered_beside_the_known_ones(tmp_path):
    assert pip_built.known(tmp_path) == ("pypdf2==1.26.0",)
    pip_built.remember(tmp_path, "Some_Package==0.1")
    pip_built.remember(tmp_path, "some-package==0.1")
    pip_built.remember(tmp_path, "folder/")               # not one release: not kept
    assert pip_built.known(tmp_path) == ("some-package==0.1", "pypdf2==1.26.0")
    assert pip_built.for_requirements(["PyPDF2==1.26.0", "flask", "pypdf2==1.25"], tmp_path) == ("pypdf2==1.26.0",)


def test_the_image_builds_its_wheel_with_pip_and_installs_from_it(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    plan = make_plan(make_tree(tmp_path / "app", APP), confirm=False, installed=False)
    assert plan.pip_built == ("pypdf2==1.26.0",) and Plan.from_json(plan.to_json()) == plan
    dockerfile = render(plan, Target.image())["Dockerfile"]
    wheel = " && $py -m pip wheel --quiet --no-deps --use-pep517 --wheel-dir /opt/uv/wheels pypdf2==1.26.0 \\\n"
    assert wheel in dockerfile, dockerfile
    assert dockerfile.index(wheel) < dockerfile.index("uv pip install --python /opt/venv/bin/python --find-links "
                                                      "/opt/uv/wheels -r requirements.txt")
    other = make_plan(make_tree(tmp_path / "other", {**APP, "requirements.txt": "falcon==2.0.0\n"}), confirm=False,
                      installed=False)
    assert other.pip_built == () and "/opt/uv/wheels" not in render(other, Target.image())["Dockerfile"]
