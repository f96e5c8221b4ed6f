"""setuptools below 81 (it still has pkg_resources) in the environments Shipyard creates and in the image."""

from __future__ import annotations

import dataclasses

from shipyard.environments import InstallSpec, Interpreter, seeded
from shipyard.plan import Dependency
from shipyard.render import render

import plans

PY311, PY312 = Interpreter("/usr/bin/python3.11", "3.11.2"), Interpreter("/usr/bin/python3.12", "3.12.1")


def test_an_environment_of_a_python_venv_seeds_gets_setuptools_as_venv_gives_it():
    spec = seeded(InstallSpec(("Flask==1.1.4",)), PY311)
    assert spec.requirements == ("Flask==1.1.4", "setuptools<81") and spec.constraints == ("setuptools<81",)


def test_a_newer_python_gets_only_the_constraint_for_packages_that_pull_setuptools_in():
    spec = seeded(InstallSpec(("pyramid==2.0.2",)), PY312)
    assert spec.requirements == ("pyramid==2.0.2",) and spec.constraints == ("setuptools<81",)


def test_a_bare_setuptools_from_import_pkg_resources_becomes_one_that_has_it():
    spec = seeded(InstallSpec(("setuptools", "Flask")), PY312)
    assert spec.requirements == ("setuptools<81", "Flask") and spec.constraints == ("setuptools<81",)


def test_the_apps_own_setuptools_pin_or_lock_decides():
    assert seeded(InstallSpec(("setuptools>=82",)), PY311) == InstallSpec(("setuptools>=82",))
    locked = InstallSpec(("Flask",), constraints=("flask==3.0.0", "setuptools==82.0.0"))
    assert seeded(locked, PY311) == locked


def test_the_image_holds_setuptools_below_81_unless_the_app_pins_it():
    plan = plans.flask_wsgi()
    assert "-c /opt/uv/constraints.txt" in render(plan)["Dockerfile"]
    pinned = dataclasses.replace(plan, dependencies=(*plan.dependencies, Dependency("setuptools", ">=82", "requirements.txt")))
    dockerfile = render(pinned)["Dockerfile"]
    assert "constraints.txt" not in dockerfile and "'setuptools<81'" not in dockerfile
