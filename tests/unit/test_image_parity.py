"""What `serve --install` changed to get an app running reaches the image's files too: a pin it left out as a
leftover of pip freeze, a release of the app's day it moved to a later one with a wheel, the Python it moved to.
Each is a fact an install kept in Shipyard's cache, applied when a plan of an app of that shape renders."""

from __future__ import annotations

import os
import time

from shipyard import pin_conflicts
from shipyard.pin_conflicts import LeftOut, reported
from shipyard.planner import make_plan
from shipyard.render import Target, render

# uv's explanation for Flask==3.0.3 flake8==3.7.9 autopep8==2.0.4 (two linters left in a freeze)
LINTERS = ("  × No solution found when resolving dependencies:\n  ╰─▶ Because autopep8==2.0.4 depends on "
           "pycodestyle>=2.10.0 and flake8==3.7.9 depends on pycodestyle>=2.5.0,<2.6.0, we can conclude that "
           "autopep8==2.0.4 and flake8==3.7.9 are incompatible.\n      And because you require flake8==3.7.9 and "
           "autopep8==2.0.4, we can conclude that your requirements are unsatisfiable.\n")
FREEZE = "Flask==3.0.3\nflake8==3.7.9\nautopep8==2.0.4\n"


def _app(root, requirements: str, code: str = "from flask import Flask\napp = Flask(__name__)\n", files=None):
    root.mkdir(parents=True)
    (root / "app.py").write_text(code)
    (root / "requirements.txt").write_text(requirements)
    for name, text in (files or {}).items():
        (root / name).write_text(text)
    return root


# ------------------------------------------------------------------------------ a leftover pin left out

def test_what_a_left_out_pin_contradicted_is_read_from_uvs_explanation():
    requirements = ("Flask==3.0.3", "flake8==3.7.9")
    assert pin_conflicts.named_pins(LINTERS, requirements, "autopep8==2.0.4") == ("flake8==3.7.9",)
    # a spelling of its own in the app's file, uv's normalized one in the explanation
    assert pin_conflicts.named_pins(LINTERS.replace("flake8", "flake-8"), ("Flake_8==3.7.9",), "") == \
        ("flake-8==3.7.9",)
    # a longer version is not the pin
    assert pin_conflicts.named_pins(LINTERS, ("flake8==3.7",), "") == ()


def test_a_pin_serve_left_out_is_left_out_of_the_image_with_a_comment_saying_why(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = _app(tmp_path / "app", FREEZE)
    before = make_plan(root, confirm=False, installed=False)
    assert "--override" not in render(before, Target.image())["Dockerfile"]
    left = LeftOut("autopep8==2.0.4", "pycodestyle>=2.10.0",
                   pin_conflicts.named_pins(LINTERS, ("Flask==3.0.3", "flake8==3.7.9"), "autopep8==2.0.4"))
    pin_conflicts.remember_left_out(tmp_path / "cache" / "shipyard", left)
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.left_out == (("autopep8==2.0.4", left.note),)
    assert [d.requirement for d in plan.dependencies if d.name == "autopep8"] == []
    assert any(n.startswith("the app pins autopep8==2.0.4, which requires pycodestyle>=2.10.0 against "
                            "flake8==3.7.9") and n.endswith("the generated image leaves it out too")
               for n in plan.notes), plan.notes
    assert type(plan).from_json(plan.to_json()) == plan
    dockerfile = render(plan, Target.image())["Dockerfile"]
    assert "# The app pins autopep8==2.0.4, which requires pycodestyle>=2.10.0 against flake8==3.7.9;" in dockerfile
    assert "left out of the install (uv --override with a marker that never holds)" in dockerfile
    assert ("printf '%s\\n' 'autopep8 ; sys_platform == \"never\"' >/tmp/relaxed-pins.txt \\\n && /opt/uv/bin/uv "
            "pip install --python /opt/venv/bin/python -r requirements.txt --override /tmp/relaxed-pins.txt"
            ) in dockerfile


def test_a_left_out_pin_stays_where_the_code_imports_it_or_the_other_pin_differs(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    pin_conflicts.remember_left_out(tmp_path / "cache" / "shipyard",
                                    LeftOut("autopep8==2.0.4", "pycodestyle>=2.10.0", ("flake8==3.7.9",)))
    used = make_plan(_app(tmp_path / "used", FREEZE, "import autopep8\nfrom flask import Flask\napp = Flask('a')\n"),
                     confirm=False, installed=False)
    assert used.left_out == ()
    assert "autopep8" in [d.name for d in used.dependencies]
    other = make_plan(_app(tmp_path / "other", FREEZE.replace("flake8==3.7.9", "flake8==7.0.0")),
                      confirm=False, installed=False)
    assert other.left_out == ()


def test_a_generated_requirements_file_says_what_was_left_out(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    pin_conflicts.remember_left_out(tmp_path / "cache" / "shipyard",
                                    LeftOut("autopep8==2.0.4", "pycodestyle>=2.10.0", ("flake8==3.7.9",)))
    plan = make_plan(_app(tmp_path / "app", FREEZE), confirm=False, installed=False)
    import dataclasses
    inferred = dataclasses.replace(plan, dependency_files=(), dependencies_inferred=True)
    files = render(inferred, Target.image())
    assert "\n# left out: autopep8==2.0.4: The app pins autopep8==2.0.4" in files["requirements.txt"]
    assert "\nautopep8" not in files["requirements.txt"]
    assert "--override" not in files["Dockerfile"]


def test_the_leftover_retry_keeps_what_it_left_out(tmp_path, monkeypatch):
    """install_retries.LeftoverPins, on uv's explanation: the pin is left out, and kept in the cache with the
    app's other pin it contradicted (the resolver's answer without it is faked: no index here)."""
    from shipyard import install_retries
    from shipyard.environments import EnvironmentUnavailable, InstallSpec
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = _app(tmp_path / "app", FREEZE)
    monkeypatch.setattr(install_retries, "find_uv", lambda *a: "/usr/bin/uv")
    monkeypatch.setattr(install_retries, "resolved_names",
                        lambda python, spec, **kw: {"flask", "flake8", "pycodestyle", "werkzeug"})
    failure = EnvironmentUnavailable("the requirements conflict")
    failure.output = LINTERS
    spec = InstallSpec(tuple(FREEZE.split()), app_root=str(root))
    at = install_retries.Attempt("python3", tmp_path / "log", 10, None)
    again = install_retries.LeftoverPins()(failure, spec, at)
    assert again is not None and again.requirements == ("Flask==3.0.3", "flake8==3.7.9")
    assert pin_conflicts.known_left_out(tmp_path / "cache" / "shipyard") == (
        LeftOut("autopep8==2.0.4", "pycodestyle>=2.10.0", ("flake8==3.7.9",)),)
