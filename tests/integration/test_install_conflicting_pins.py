"""An app's own exact pins that contradict each other (a hand-edited freeze), with real uv installs from PyPI:

- the proof environment relaxes the pin on the dependency side (idna==3.4, which requests==2.25.1, also pinned,
  does not accept) to what the other pin requires, says so in one line, and the plan and the image relax it too;
- when the app imports that dependency itself and not the package that requires it, the other pin moves;
- a set that still conflicts once a pin is relaxed fails, with the resolver's one-line reason."""

from __future__ import annotations

import os
import subprocess

import pytest

from conftest import image_of, make_tree, require_engine
from shipyard import environments, pin_conflicts
from shipyard.planner import make_plan
from shipyard.render import Target, render
from shipyard.run.appenv import install_app_env

pytestmark = pytest.mark.slow

APP = "import {module}\n\n\ndef application(environ, start_response):\n" \
      "    start_response('200 OK', [('Content-Type', 'text/plain')])\n    return [{module}.__name__.encode()]\n"


def _app(tmp_path, module: str, requirements: str):
    return make_tree(tmp_path / "app", {"app.py": APP.format(module=module), "requirements.txt": requirements})


def _versions(python: str, *names: str) -> dict[str, str]:
    code = "import importlib.metadata as m, sys; print(' '.join(m.version(n) for n in sys.argv[1:]))"
    done = subprocess.run([python, "-c", code, *names], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return dict(zip(names, done.stdout.split()))


def test_the_proof_relaxes_the_dependency_pin_and_the_plan_and_image_say_so(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = _app(tmp_path, "requests", "requests==2.25.1\nidna==3.4\n")
    said: list[str] = []
    plan = make_plan(root, progress=said.append)
    assert plan.proof is not None and plan.proof.proven, plan.proof
    line = ("the app pins idna==3.4 and requests==2.25.1, which requires idna>=2.5,<3: idna==3.4 relaxed to "
            "idna>=2.5,<3")
    assert any(s.startswith(line) for s in said), said
    assert any(n.startswith(line) for n in plan.notes), plan.notes
    idna = next(d for d in plan.dependencies if d.name == "idna")
    assert idna.spec == ">=2.5,<3" and "relaxed from idna==3.4" in idna.source, idna
    versions = _versions(plan.proof.python, "requests", "idna")
    assert versions["requests"] == "2.25.1" and versions["idna"].startswith("2."), versions
    # the image installs the app's requirements.txt with the relaxed pin overriding its own
    dockerfile = render(plan, Target.image())["Dockerfile"]
    assert "printf '%s\\n' 'idna>=2.5,<3' >/tmp/relaxed-pins.txt" in dockerfile
    assert "-r requirements.txt --override /tmp/relaxed-pins.txt" in dockerfile
    # a second plan (its proof environment cached, nothing installed) relaxes the same pin
    again = make_plan(root)
    assert again.dependencies == plan.dependencies and again.notes == plan.notes


def test_the_image_builds_with_the_relaxed_pin(tmp_path, monkeypatch, base_image):
    require_engine()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = _app(tmp_path, "requests", "requests==2.25.1\nidna==3.4\n")
    plan = make_plan(root, {"server": "gunicorn", "topology": "app"})
    with image_of(plan, root, base_image) as tag:
        done = subprocess.run(["docker", "run", "--rm", "--entrypoint", "/opt/venv/bin/python", tag, "-c",
                               "import importlib.metadata as m, app; print(m.version('requests'), m.version('idna'))"],
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    requests_version, idna_version = done.stdout.split()
    assert requests_version == "2.25.1" and idna_version.startswith("2."), done.stdout


def test_serve_install_moves_the_other_pin_when_the_app_imports_the_dependency_itself(tmp_path, monkeypatch):
    # make_plan reads the conflicts uv reported before from the cache too: a shared one may know this pair
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    environ = {**os.environ, "VIRTUAL_ENV": ""}
    root = _app(tmp_path, "idna", "requests==2.25.1\nidna==3.4\n")
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append, environ=environ)
    note = next((s for s in said if "relaxed to" in s), None)
    assert note == ("the app pins idna==3.4, which its code imports, and requests==2.25.1, which requires "
                    "idna>=2.5,<3: requests==2.25.1 relaxed to requests>2.25.1 (fix that pin in the app's "
                    "requirements)"), said
    versions = _versions(env.python, "requests", "idna")
    assert versions["idna"] == "3.4" and versions["requests"] != "2.25.1", versions


def test_a_leftover_whose_need_breaks_a_pin_another_package_needs_is_left_out_and_the_pin_put_back(tmp_path,
                                                                                                   monkeypatch):
    """types-requests (type stubs, never imported) requires urllib3>=2, requests 2.25.1 urllib3<1.27: relaxing the
    urllib3 pin for the stubs leaves requests refusing it. The install failed on that; the pin is now put back and
    the stubs left out, each said in one line, and what uv reported is kept. (A conflict nothing can be left out
    of still fails with one line: test_environments.py.)"""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    environ = {**os.environ, "VIRTUAL_ENV": ""}
    root = _app(tmp_path, "requests", "requests==2.25.1\nurllib3==1.26.5\ntypes-requests==2.31.0.20240406\n")
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append, environ=environ)
    assert [s for s in said if "relaxed to" in s] == [
        "the app pins urllib3==1.26.5 and types-requests==2.31.0.20240406, which requires urllib3>=2: "
        "urllib3==1.26.5 relaxed to urllib3>=2 (fix that pin in the app's requirements)"], said
    put_back = [s for s in said if s.startswith("urllib3==1.26.5 put back")]
    assert len(put_back) == 1 and "requests==2.25.1 requires urllib3>=1.21.1,<1.27" in put_back[0] \
        and "types-requests==2.31.0.20240406, which requires urllib3>=2, is left out instead" in put_back[0], said
    assert _versions(env.python, "requests", "urllib3") == {"requests": "2.25.1", "urllib3": "1.26.5"}
    stubs = subprocess.run([env.python, "-c", "import importlib.metadata as m; m.version('types-requests')"],
                           capture_output=True, text=True, timeout=60)
    assert stubs.returncode != 0 and "PackageNotFoundError" in stubs.stderr, stubs
    # what uv reported is kept: the next plan of an app with both pins knows the conflict
    known = pin_conflicts.known(environments.cache_root(environ))
    assert pin_conflicts.Conflict("types-requests==2.31.0.20240406", "urllib3>=2") in known


def test_a_pin_nothing_uses_is_left_out_of_a_conflict(tmp_path, monkeypatch):
    """A freeze's leftovers: flake8 3.7.9 requires pycodestyle<2.6, autopep8 2.0.4 pycodestyle>=2.10, neither is
    imported nor needed by another package, and the app pins no pycodestyle to relax: the first is left out, said
    in one line, and the install goes on with the other."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    environ = {**os.environ, "VIRTUAL_ENV": ""}
    root = _app(tmp_path, "idna", "idna==3.4\nflake8==3.7.9\nautopep8==2.0.4\n")
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append, environ=environ)
    left = [s for s in said if "left out" in s]
    # which of the two uv names first is uv's to say: that one goes, the other stays
    gone, kept = ("flake8", "autopep8") if "flake8==3.7.9, which" in "".join(left) else ("autopep8", "flake8")
    assert len(left) == 1 and left[0].startswith(f"the app pins {gone}=="), said
    assert "which requires pycodestyle" in left[0] and "(remove it from the app's requirements)" in left[0], left
    versions = _versions(env.python, "idna", kept)
    assert versions == {"idna": "3.4", kept: {"flake8": "3.7.9", "autopep8": "2.0.4"}[kept]}, versions

def test_a_plan_made_without_installing_checks_the_pins_with_uvs_resolver(tmp_path, monkeypatch):
    """`init --no-import` on a machine that never met the conflict: uv resolves the pins (nothing installed), the
    conflict is learned as an install learns it, and the plan (and its image) relaxes the pin."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = _app(tmp_path, "requests", "requests==2.25.1\nidna==3.4\n")
    assert not any(d.name == "idna" and "relaxed" in d.source
                   for d in make_plan(root, confirm=False, installed=False).dependencies)
    said: list[str] = []
    plan = make_plan(root, confirm=False, installed=False, progress=said.append, check_pins=True)
    idna = next(d for d in plan.dependencies if d.name == "idna")
    assert idna.spec == ">=2.5,<3" and "relaxed from idna==3.4" in idna.source, idna
    assert any(s.startswith("the app pins idna==3.4 and requests==2.25.1") for s in said), said
    assert "--override /tmp/relaxed-pins.txt" in render(plan, Target.image())["Dockerfile"]
    assert not (root / ".venv").exists()
    # pins that agree: nothing relaxed, nothing said
    fine = _app(tmp_path / "fine", "requests", "requests==2.25.1\nidna==2.10\n")
    said.clear()
    assert make_plan(fine, confirm=False, installed=False, progress=said.append, check_pins=True).notes == \
        make_plan(fine, confirm=False, installed=False).notes and said == [], said


def test_without_uv_pips_conflict_relaxes_the_same_pin(tmp_path, monkeypatch):
    """uv missing: pip installs, and its ResolutionImpossible ("requests 2.25.1 depends on idna<3 and >=2.5") is
    read as uv's explanation is; a plan made without installing says the pins were not checked."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(environments, "find_uv", lambda environ=None: None)
    base = environments.choose_python("3.11")[0]
    python = environments.create_venv(base.path, tmp_path / "venv", log=tmp_path / "venv.log", timeout=120)
    said: list[str] = []
    environments.install(str(python), environments.InstallSpec(("requests==2.25.1", "idna==3.4")),
                         log=tmp_path / "install.log", timeout=600, say=said.append, what="installing")
    assert ("the app pins idna==3.4 and requests==2.25.1, which requires idna<3,>=2.5: idna==3.4 relaxed to "
            "idna<3,>=2.5 (fix that pin in the app's requirements)") in said, said
    assert "ResolutionImpossible" in (tmp_path / "install.log").read_text()
    versions = _versions(str(python), "requests", "idna")
    assert versions["requests"] == "2.25.1" and versions["idna"].startswith("2."), versions
    root = _app(tmp_path, "requests", "requests==2.25.1\nidna==3.4\n")
    plan = make_plan(root, confirm=False, installed=False, check_pins=True)
    assert any(n.startswith("uv is not available: the app's exact pins were not checked") for n in plan.notes), \
        plan.notes
