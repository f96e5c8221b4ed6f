"""A module's name declared as a requirement (a Pipfile's `cv2 = "*"`): the install here leaves it out for the
distribution that provides the module (install_retries.ImportNameDeclared) and keeps that fact in the cache; a plan
declaring the same name then leaves it out of the image too, which installed the line as written and failed on it."""

from __future__ import annotations

from conftest import make_tree
from shipyard import module_requirements
from shipyard.environments import EnvironmentUnavailable
from shipyard.install_retries import Attempt, ImportNameDeclared
from shipyard.environments import InstallSpec
from shipyard.planner import make_plan
from shipyard.render import Target, render

NOT_ON_INDEX = ("  × No solution found when resolving dependencies:\n  ╰─▶ Because {name} was not found in the package "
                "registry and you require {name}, we can conclude that your requirements are unsatisfiable.\n")

CODE = "import cv2\nfrom flask import Flask\n\napp = Flask(__name__)\n"


def _learn(tmp_path, name, requirements):
    failure = EnvironmentUnavailable("installing failed")
    failure.output = NOT_ON_INDEX.format(name=name)
    at = Attempt("python3", tmp_path / "log", 60, lambda line: None, {"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert ImportNameDeclared()(failure, InstallSpec(requirements), at) is not None


def test_a_declared_module_name_an_install_left_out_is_left_out_of_the_image(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    pipfile = ('[packages]\nflask = "==3.0.3"\ncv2 = "*"\nopencv-python = "*"\n\n[requires]\npython_version = "3.11"\n')
    root = make_tree(tmp_path / "pip", {"app.py": CODE, "Pipfile": pipfile})
    before = render(make_plan(root, confirm=False, installed=False), Target.image())["Dockerfile"]
    assert " cv2 " in next(line for line in before.splitlines() if line.startswith("RUN /opt/uv/bin/uv pip install"))
    _learn(tmp_path, "cv2", ("flask==3.0.3", "cv2", "opencv-python"))
    assert [m.name for m in module_requirements.known(tmp_path / "cache" / "shipyard")] == ["cv2"]
    plan = make_plan(root, confirm=False, installed=False)
    names = [d.name for d in plan.dependencies]
    assert "cv2" not in names and "opencv-python" in names and "opencv-python-headless" not in names, names
    assert any(n.startswith("the app declares cv2, which is not on the package index: it is the module "
                            "opencv-python-headless installs")
               for n in plan.notes), plan.notes
    dockerfile = render(plan, Target.image())["Dockerfile"]
    install = next(line for line in dockerfile.splitlines() if line.startswith("RUN /opt/uv/bin/uv pip install"))
    assert " opencv-python " in install and "cv2" not in install, install


def test_in_a_requirements_file_the_line_is_overridden_and_the_provider_installed_beside(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _learn(tmp_path, "cv2", ("cv2",))
    root = make_tree(tmp_path / "req", {"app.py": CODE, "requirements.txt": "Flask==3.0.3\ncv2\n"})
    plan = make_plan(root, confirm=False, installed=False)
    assert [d.name for d in plan.dependencies if d.name.startswith(("cv2", "opencv"))] == ["opencv-python-headless"]
    dockerfile = render(plan, Target.image())["Dockerfile"]
    assert "'cv2 ; sys_platform == \"never\"'" in dockerfile and " opencv-python-headless" in dockerfile, dockerfile
