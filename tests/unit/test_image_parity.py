"""What `serve --install` changed to get an app running reaches the image's files too: a pin it left out as a
leftover of pip freeze, a release of the app's day it moved to a later one with a wheel, the Python it moved to.
Each is a fact an install kept in Shipyard's cache, applied when a plan of an app of that shape renders."""

from __future__ import annotations

import dataclasses
import os
import time

from shipyard import pin_conflicts
from shipyard.pin_conflicts import LeftOut
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


# ------------------------------------------------------------------------------ a later release of an open package

DAY = time.mktime((2020, 1, 15, 12, 0, 0, 0, 0, -1))


def _dated_app(root, requirements: str = "bottle==0.12.25\ngreenlet\n", python: str = "3.11"):
    root = _app(root, requirements, "import bottle\nimport greenlet\napp = bottle.Bottle()\n",
                {".python-version": f"{python}\n"})
    for name in ("app.py", "requirements.txt", ".python-version"):
        os.utime(root / name, (DAY, DAY))
    return root


def test_the_later_release_serve_took_for_an_open_package_is_the_images_too(tmp_path, monkeypatch):
    from shipyard import later_releases
    from shipyard.plan import LaterRelease
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = _dated_app(tmp_path / "app")
    before = make_plan(root, confirm=False, installed=False)
    assert before.python.version == "3.11" and before.resolution_date.startswith("2020-01-1")
    assert before.later_releases == ()
    move = LaterRelease("greenlet==0.4.15", "greenlet==1.1.3", "3.11", before.resolution_date)
    later_releases.remember(tmp_path / "cache" / "shipyard", move)
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.later_releases == (move,)
    assert type(plan).from_json(plan.to_json()) == plan
    assert any(n.startswith("greenlet==0.4.15, the release of greenlet as of 2020-01-1") and "greenlet==1.1.3" in n
               for n in plan.notes), plan.notes
    dockerfile = render(plan, Target.image())["Dockerfile"]
    assert "has no wheel for\n# Python 3.11 and does not build on it: greenlet==1.1.3, the first later one" in dockerfile
    assert " greenlet==1.1.3 >/opt/uv/constraints.txt" in dockerfile
    assert "-r requirements.txt -c /opt/uv/constraints.txt" in dockerfile
    assert "--exclude-newer-package greenlet=false" in dockerfile
    assert "greenlet" not in render(before, Target.image())["Dockerfile"]
    # a generated requirements file says it above the line
    inferred = render(dataclasses.replace(plan, dependency_files=(), dependencies_inferred=True), Target.image())
    assert "# installed as greenlet==1.1.3 (a constraint in the Dockerfile): greenlet==0.4.15" in \
        inferred["requirements.txt"]


def test_a_later_release_is_for_the_same_python_day_and_an_open_requirement_only(tmp_path, monkeypatch):
    from shipyard import later_releases
    from shipyard.plan import LaterRelease
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    date = make_plan(_dated_app(tmp_path / "probe"), confirm=False, installed=False).resolution_date
    later_releases.remember(tmp_path / "cache" / "shipyard",
                            LaterRelease("greenlet==0.4.15", "greenlet==1.1.3", "3.11", date))
    assert make_plan(_dated_app(tmp_path / "py310", python="3.10"), confirm=False,
                     installed=False).later_releases == ()
    assert make_plan(_dated_app(tmp_path / "pinned", "bottle==0.12.25\ngreenlet==0.4.15\n"), confirm=False,
                     installed=False).later_releases == ()
    assert make_plan(_dated_app(tmp_path / "below", "bottle==0.12.25\ngreenlet<1\n"), confirm=False,
                     installed=False).later_releases == ()
    assert later_releases.for_requirements(("greenlet>=0.4",), later_releases.known(tmp_path / "cache" / "shipyard"),
                                           "3.11", "2021-06-01T00:00:00Z") == ()


# ------------------------------------------------------------------------------ the Python the pins moved the app to

BECAUSE = "the pins do not install on Python 3.11: greenlet==0.4.15 has a wheel for 3.8"


def test_the_python_an_install_moved_the_app_to_is_the_images_and_init_says_so(tmp_path, monkeypatch, capsys):
    from shipyard import python_moves
    from shipyard.commands.appcmd import say_image_notes
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = _dated_app(tmp_path / "app", "bottle==0.12.25\ngreenlet==0.4.15\n")
    assert make_plan(root, confirm=False, installed=False).python.version == "3.11"
    # serve --install made the app's .venv on 3.8: its next plans (no proof environment of their own) follow
    python_moves.remember(tmp_path / "cache" / "shipyard", root, ("requirements.txt",), "3.11", "3.8", BECAUSE)
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.python.version == "3.8"
    assert "moved to 3.8 by an install here" in plan.python.source
    assert f"the app runs on Python 3.8: {BECAUSE}; gunicorn serves it there" in plan.notes
    dockerfile = render(plan, Target.image())["Dockerfile"]
    assert "ARG BASE=python:3.8-slim-bookworm" in dockerfile
    say_image_notes(plan, root)
    assert (f"note: the image needs Python 3.8 ({BECAUSE}): its Dockerfile's BASE is python:3.8-slim-bookworm; a "
            f"base you give (--base, --build-arg BASE=...) must hold Python 3.8 too") in capsys.readouterr().err
    # the dependency files changed: a new question, asked again by the next install
    (root / "requirements.txt").write_text("bottle==0.12.25\ngreenlet==3.0.3\n")
    assert make_plan(root, confirm=False, installed=False).python.version == "3.11"
    # another app with the same files is not this one
    other = _dated_app(tmp_path / "other", "bottle==0.12.25\ngreenlet==0.4.15\n")
    assert make_plan(other, confirm=False, installed=False).python.version == "3.11"


def test_a_move_of_the_proof_environment_is_kept_for_plans_proven_in_the_apps_own_venv(tmp_path, monkeypatch):
    from shipyard import planner
    from shipyard.plan import Proof
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = _dated_app(tmp_path / "app", "bottle==0.12.25\ngreenlet==0.4.15\n")
    proofs = iter([Proof(True, "proof environment", "/py38/bin/python", kind="proof", moved_python="3.8",
                         moved_because=BECAUSE),
                   Proof(True, "the app's .venv", str(root / ".venv/bin/python"), kind="app")])
    monkeypatch.setattr(planner, "prove", lambda *a, **k: next(proofs))
    first = make_plan(root, installed=False)
    assert first.python.version == "3.8" and "by the import proof" in first.python.source
    # serve --install made .venv on 3.8; init proves the app there, and the image is still made for 3.8
    again = make_plan(root, installed=False)
    assert again.python.version == "3.8" and "by an install here" in again.python.source
    assert "ARG BASE=python:3.8-slim-bookworm" in render(again, Target.image())["Dockerfile"]


def test_moves_chain_and_a_move_back_is_none(tmp_path):
    from shipyard import python_moves
    root = _dated_app(tmp_path / "app")
    cache = tmp_path / "cache"
    assert python_moves.moved(cache, root, ("requirements.txt",), "3.11") is None
    python_moves.remember(cache, root, ("requirements.txt",), "3.11", "3.10", "proof")
    python_moves.remember(cache, root, ("requirements.txt",), "3.10", "3.9", "install")
    assert python_moves.moved(cache, root, ("requirements.txt",), "3.11") == ("3.9", "install")
    python_moves.remember(cache, root, ("requirements.txt",), "3.9", "3.11", "loop")
    assert python_moves.moved(cache, root, ("requirements.txt",), "3.11") == ("3.9", "install")
    (cache / python_moves.FILE).write_text("{broken")
    assert python_moves.moved(cache, root, ("requirements.txt",), "3.11") is None


# ------------------------------------------------------------------------------ a pin that builds on no Python 3

def test_a_backport_serve_left_out_is_left_out_of_the_image_on_that_python(tmp_path, monkeypatch):
    from shipyard import dropped_pins
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = _app(tmp_path / "app", "Flask==3.0.3\nwsgiref==0.1.2\n", files={".python-version": "3.11\n"})
    assert make_plan(root, confirm=False, installed=False).left_out == ()
    dropped = dropped_pins.Dropped("wsgiref==0.1.2", "3.11", "wsgiref is part of its standard library (the package "
                                                             "is its backport for Python 2)")
    dropped_pins.remember(tmp_path / "cache" / "shipyard", dropped)
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.left_out == (("wsgiref==0.1.2", dropped.note),)
    assert "wsgiref" not in [d.name for d in plan.dependencies]
    dockerfile = render(plan, Target.image())["Dockerfile"]
    assert "# The app pins wsgiref==0.1.2, which does not build on Python 3.11, and wsgiref is part of its" in dockerfile
    assert "'wsgiref ; sys_platform == \"never\"' >/tmp/relaxed-pins.txt" in dockerfile
    # another Python: not known there
    (root / ".python-version").write_text("3.12\n")
    assert make_plan(root, confirm=False, installed=False).left_out == ()


# ------------------------------------------------------------------------------ a pinned release the index removed

def test_a_removed_release_serve_moved_is_moved_in_the_image_too(tmp_path, monkeypatch):
    from shipyard import moved_pins
    from shipyard.detect import deps
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = _app(tmp_path / "app", "Flask==3.0.3\nmysql-connector==2.1.4\n", files={".python-version": "3.11\n"})
    assert deps.moved_pins(make_plan(root, confirm=False, installed=False).dependencies) == ()
    moved_pins.remember(tmp_path / "cache" / "shipyard", moved_pins.Replaced(
        "mysql-connector==2.1.4", "mysql-connector==2.1.7", "3.11", "it is no longer on the package index"))
    plan = make_plan(root, confirm=False, installed=False)
    connector = next(d for d in plan.dependencies if d.name == "mysql-connector")
    assert connector.requirement == "mysql-connector==2.1.7"
    assert deps.moved_pins(plan.dependencies) == ((connector, "mysql-connector==2.1.4",
                                                   "it is no longer on the package index"),)
    assert any(n.startswith("the app pins mysql-connector==2.1.4, and it is no longer on the package index: installs "
                            "here took mysql-connector==2.1.7") for n in plan.notes), plan.notes
    assert deps.relaxed_pins(plan.dependencies) == ()
    dockerfile = render(plan, Target.image())["Dockerfile"]
    assert ("# The app pins mysql-connector==2.1.4, and it is no longer on the package index: installed as "
            "mysql-connector==2.1.7 (uv --override),") in dockerfile
    assert "printf '%s\\n' mysql-connector==2.1.7 >/tmp/relaxed-pins.txt" in dockerfile
    inferred = render(dataclasses.replace(plan, dependency_files=(), dependencies_inferred=True), Target.image())
    assert ("# moved from mysql-connector==2.1.4: it is no longer on the package index\nmysql-connector==2.1.7\n"
            in inferred["requirements.txt"])
    # on another Python, not known
    (root / ".python-version").write_text("3.12\n")
    assert deps.moved_pins(make_plan(root, confirm=False, installed=False).dependencies) == ()


def test_a_pin_replaced_by_its_nearest_release_with_a_wheel_is_kept_for_the_image(tmp_path, monkeypatch):
    """psycopg2 2.5.3 of a 2014 freeze has no wheel for the Python it runs on and does not build there, and no other
    Python helps: the install takes psycopg2 2.7, and keeps the move for the plan (and the image) to make too."""
    from shipyard import environments, moved_pins
    from shipyard.environments import EnvironmentUnavailable, InstallSpec, Interpreter
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(environments, "retry_python", lambda *a, **k: None)
    monkeypatch.setattr(environments, "nearest_wheel_release", lambda pin, python: "psycopg2==2.7")

    def attempt(python, spec):
        if "psycopg2==2.5.3" in spec.requirements:
            failure = EnvironmentUnavailable("installing failed: psycopg2==2.5.3 does not build")
            failure.unbuilt = "psycopg2==2.5.3"
            raise failure
        return spec.requirements

    said: list[str] = []
    made = environments.on_older_pythons(Interpreter("python3.6", "3.6.15"),
                                         InstallSpec(("Flask==0.10.1", "psycopg2==2.5.3")), attempt, said.append)
    assert made == ("Flask==0.10.1", "psycopg2==2.7")
    assert "(the generated image installs it too: relax the pin in the app's requirements to psycopg2==2.7)" in said[0]
    assert moved_pins.known(tmp_path / "cache" / "shipyard") == (moved_pins.Replaced(
        "psycopg2==2.5.3", "psycopg2==2.7", "3.6", "it has no wheel for Python 3.6 and does not build there"),)


# ------------------------------------------------------------------------------ a freeze made on Windows

def test_windows_only_packages_the_code_never_imports_are_left_out_here_and_of_the_image(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    freeze = "Flask==3.0.3\npywin32==306\npywinpty==2.0.13\ncolorama==0.4.6\n"
    plan = make_plan(_app(tmp_path / "app", freeze), confirm=False, installed=False)
    assert [line for line, _ in plan.left_out] == ["pywin32==306", "pywinpty==2.0.13"]
    assert {d.name for d in plan.dependencies} >= {"Flask", "colorama"}
    assert not {d.name for d in plan.dependencies} & {"pywin32", "pywinpty"}
    assert any(n.startswith("the app declares pywin32==306 (requirements.txt), which installs on Windows only")
               and n.endswith("the generated image leaves it out too") for n in plan.notes), plan.notes
    dockerfile = render(plan, Target.image())["Dockerfile"]
    assert "'pywin32 ; sys_platform == \"never\"'" in dockerfile
    # code that imports it (win32com) keeps it: then the install says it has no wheel here
    used = make_plan(_app(tmp_path / "used", freeze, "import win32com.client\nfrom flask import Flask\napp = Flask('a')\n"),
                     confirm=False, installed=False)
    assert [line for line, _ in used.left_out] == ["pywinpty==2.0.13"]


def test_a_bound_the_import_proof_held_an_open_package_to_is_the_images_constraint(tmp_path, monkeypatch):
    # proving.py held Flask below 2.0 (a pinned release imports a module Flask 2 removed): the image installs the
    # app's requirements with that bound as a uv constraint, as serve's .venv installed the plan's requirement
    from shipyard.plan import Proof
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = _app(tmp_path / "app", "flask>=1.0\n")
    plan = make_plan(root, confirm=False, installed=False)
    assert "Flask<2.0" not in render(plan, Target.image())["Dockerfile"]
    held = dataclasses.replace(plan, proof=Proof(True, "proof environment", held=("Flask<2.0",)))
    assert type(held).from_json(held.to_json()) == held
    dockerfile = render(held, Target.image())["Dockerfile"]
    assert "Flask<2.0" in dockerfile.split(">/opt/uv/constraints.txt")[0].rsplit("printf", 1)[1]
    assert "-r requirements.txt -c /opt/uv/constraints.txt" in dockerfile


def test_a_pin_left_out_as_of_a_day_is_kept_by_a_plan_resolving_as_of_a_later_one(tmp_path, monkeypatch):
    """jarudaDB==0.0.3 was left out by installs resolving as of a freeze's day, before that release existed; once
    the app's Dockerfile, which names it, counted in the date, the lesson still left it out of every plan."""
    left = LeftOut("autopep8==2.0.4", "pycodestyle>=2.10.0", ("flake8==3.7.9",), as_of="2022-02-14T00:00:00Z")
    pins = ("Flask==3.0.3", "autopep8==2.0.4", "flake8==3.7.9")
    assert pin_conflicts.left_out_of(pins, (left,), (), "2022-02-14T00:00:00Z") == (("autopep8==2.0.4", left),)
    assert pin_conflicts.left_out_of(pins, (left,), (), "2021-06-01T00:00:00Z") == (("autopep8==2.0.4", left),)
    assert pin_conflicts.left_out_of(pins, (left,), (), "2022-05-20T00:00:00Z") == ()
    assert pin_conflicts.left_out_of(pins, (left,), ()) == ()          # today's index
    # a lesson of today's index holds for any day
    today = dataclasses.replace(left, as_of="")
    assert pin_conflicts.left_out_of(pins, (today,), (), "2021-06-01T00:00:00Z") == (("autopep8==2.0.4", today),)
    # kept in the cache with its day
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    pin_conflicts.remember_left_out(tmp_path / "cache" / "shipyard", left)
    assert pin_conflicts.known_left_out(tmp_path / "cache" / "shipyard") == (left,)


# ------------------------------------------------------------------------------ pins loosened for an unpinned package

def test_pins_serve_loosened_for_an_inferred_package_are_loosened_in_the_image_too(tmp_path, monkeypatch):
    # a fastapi[standard] freeze lacks fastapi-users, which the code imports: no release of it fits the freeze's
    # email_validator==2.2.0 and python-multipart==0.0.9, which serve's install loosened
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    code = "from fastapi import FastAPI\nfrom fastapi_users import FastAPIUsers\napp = FastAPI()\n"
    root = _app(tmp_path / "app", "fastapi==0.112.2\nemail_validator==2.2.0\npython-multipart==0.0.9\n", code,
                files={".python-version": "3.11\n"})
    before = make_plan(root, confirm=False, installed=False)
    assert "email_validator==2.2.0" in [d.requirement for d in before.dependencies]
    gave = pin_conflicts.GaveWay(("email-validator==2.2.0", "python-multipart==0.0.9"), "fastapi-users")
    pin_conflicts.remember_gave_way(tmp_path / "cache" / "shipyard", gave)
    plan = make_plan(root, confirm=False, installed=False)
    loose = {d.name: d for d in plan.dependencies}
    assert loose["email_validator"].spec == "" and loose["python-multipart"].spec == ""
    assert loose["fastapi"].spec == "==0.112.2"
    assert "loosened from email_validator==2.2.0" in loose["email_validator"].source
    assert any(n.startswith("the app pins email-validator==2.2.0, python-multipart==0.0.9, which no release of "
                            "fastapi-users") for n in plan.notes), plan.notes
    # code that imports one of them keeps both pins (the lesson was of the pair)
    (root / "forms.py").write_text("import multipart\n")
    assert "python-multipart==0.0.9" in [d.requirement for d in make_plan(root, confirm=False,
                                                                           installed=False).dependencies]
