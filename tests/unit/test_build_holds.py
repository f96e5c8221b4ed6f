"""Old sdists that build only with older build tools: what installs here learned is kept in the cache, and a plan
whose app pins that release carries the hold-back into the image's builder (uv --build-constraint)."""

from __future__ import annotations

import dataclasses

from shipyard import build_holds
from shipyard.plan import BuildHold, Plan
from shipyard.planner import make_plan
from shipyard.render import Target, render

import plans

CONVERT_PATH = "setuptools.convert_path (removed in setuptools 70)"
FEATURE = "setuptools.Feature (removed in setuptools 46)"


def test_a_release_is_kept_once_by_its_normalized_pin_and_a_damaged_file_is_nothing(tmp_path):
    assert build_holds.known(tmp_path) == ()
    build_holds.remember(tmp_path, "django-allauth==0.42.0", CONVERT_PATH, ("setuptools<70",))
    build_holds.remember(tmp_path, "django-allauth==0.42.0", CONVERT_PATH, ("setuptools<70",))
    build_holds.remember(tmp_path, "app @ file:///src", FEATURE, ("setuptools<46",))      # not one release
    build_holds.remember(tmp_path, "MarkupSafe==1.0", FEATURE, ("setuptools<46", "wheel<0.35"))
    assert build_holds.known(tmp_path) == (
        BuildHold("django-allauth==0.42.0", CONVERT_PATH, ("setuptools<70",)),
        BuildHold("markupsafe==1.0", FEATURE, ("setuptools<46", "wheel<0.35")))
    (tmp_path / build_holds.FILE).write_text("{not json")
    assert build_holds.known(tmp_path) == ()


def test_only_the_releases_the_requirements_pin_exactly_are_held():
    holds = (BuildHold("django-allauth==0.42.0", CONVERT_PATH, ("setuptools<70",)),
             BuildHold("markupsafe==1.0", FEATURE, ("setuptools<46", "wheel<0.35")))
    assert build_holds.for_requirements(["Django_Allauth==0.42.0", "flask"], holds) == holds[:1]
    assert build_holds.for_requirements(["django-allauth==0.43.0", "markupsafe>=1.0", "markupsafe==1.0.*"],
                                        holds) == ()


def _app(tmp_path):
    root = tmp_path / "app"
    root.mkdir(parents=True)
    (root / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    (root / "requirements.txt").write_text("Flask==2.0.2\ndjango-allauth==0.42.0\n")
    return root


def test_a_plan_carries_the_hold_an_install_here_learned_and_the_image_applies_it(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = _app(tmp_path)
    before = make_plan(root, confirm=False, installed=False)
    assert before.build_holds == () and "--build-constraint" not in render(before, Target.image())["Dockerfile"]
    build_holds.remember(tmp_path / "cache" / "shipyard", "django-allauth==0.42.0", CONVERT_PATH, ("setuptools<70",))
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.build_holds == (BuildHold("django-allauth==0.42.0", CONVERT_PATH, ("setuptools<70",)),)
    assert ("django-allauth==0.42.0 does not build with today's setuptools (its setup.py uses "
            f"{CONVERT_PATH}): the image builds it with setuptools<70, as installs here did") in plan.notes
    assert Plan.from_json(plan.to_json()) == plan
    dockerfile = render(plan, Target.image())["Dockerfile"]
    # the held release alone first, with the old tools; the rest with today's (a newer sdist may need them)
    assert ("RUN printf '%s\\n' 'setuptools<70' >/tmp/build-constraints.txt \\\n && /opt/uv/bin/uv pip install "
            "--python /opt/venv/bin/python --no-deps --build-constraint /tmp/build-constraints.txt "
            "django-allauth==0.42.0 \\\n && /opt/uv/bin/uv pip install --python /opt/venv/bin/python -r requirements.txt "
            "-c /opt/uv/constraints.txt 'granian") in dockerfile
    assert f"# django-allauth==0.42.0's setup.py uses {CONVERT_PATH}: it is" in dockerfile


def test_several_holds_give_every_constraint_once_for_requirements_from_pyproject():
    plan = dataclasses.replace(plans.flask_wsgi(), dependency_files=("pyproject.toml",), build_holds=(
        BuildHold("a==1.0", CONVERT_PATH, ("setuptools<70",)),
        BuildHold("b==1.0", FEATURE, ("setuptools<46", "wheel<0.35")),
        BuildHold("c==1.0", FEATURE, ("setuptools<46", "wheel<0.35"))))
    assert plan.build_constraints == ("setuptools<70", "setuptools<46", "wheel<0.35")
    dockerfile = render(plan, Target.image())["Dockerfile"]
    assert ("RUN printf '%s\\n' 'setuptools<70' 'setuptools<46' 'wheel<0.35' >/tmp/build-constraints.txt \\\n"
            " && /opt/uv/bin/uv pip install --python /opt/venv/bin/python --no-deps --build-constraint "
            "/tmp/build-constraints.txt a==1.0 b==1.0 c==1.0 \\\n && /opt/uv/bin/uv pip install --python "
            "/opt/venv/bin/python Flask==3.0.3") in dockerfile


def test_the_notes_name_the_build_tool_held_back():
    from shipyard.build_holds import tools_named
    assert tools_named(("setuptools<46", "wheel<0.35")) == "setuptools"
    assert tools_named(("Cython<3",)) == "Cython"


def test_a_known_hold_applies_before_any_install_here_met_it(tmp_path, monkeypatch):
    # PyYAML 5.4.1 fails on Cython 3; an install here that took a cached wheel never learned it, the image's
    # builder (no such wheel) would build the sdist with today's Cython
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "app"
    root.mkdir()
    (root / "app.py").write_text("import yaml\nfrom flask import Flask\napp = Flask(__name__)\n")
    (root / "requirements.txt").write_text("Flask==2.0.2\nPyYAML==5.4.1\n")
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.build_holds == (BuildHold("pyyaml==5.4.1", build_holds.CYTHON_SOURCES, ("Cython<3",)),)
    assert any(n.endswith("builds it with Cython<3, a known fact of that release") for n in plan.notes), plan.notes
    assert "--build-constraint /tmp/build-constraints.txt pyyaml==5.4.1" in render(plan, Target.image())["Dockerfile"]
    # a release the table does not name, or one an install here learned first, as before
    (root / "requirements.txt").write_text("Flask==2.0.2\nPyYAML==6.0.1\n")
    assert make_plan(root, confirm=False, installed=False).build_holds == ()
    build_holds.remember(tmp_path / "cache" / "shipyard", "PyYAML==6.0", "something else", ("Cython<0.30",))
    assert build_holds.for_plans(tmp_path / "cache" / "shipyard") == (
        BuildHold("pyyaml==6.0", "something else", ("Cython<0.30",)),) + build_holds.KNOWN[:2]


def test_a_known_hold_applies_to_a_release_the_lock_file_pins(tmp_path, monkeypatch):
    # PyYAML comes in as a dependency of the app's packages; poetry.lock pins 5.4.1: the image installs it as a
    # constraint, so the builder builds that sdist too
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "app"
    root.mkdir()
    (root / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    (root / "pyproject.toml").write_text('[tool.poetry]\nname = "app"\nversion = "0.1.0"\ndescription = ""\n'
                                         'authors = []\n\n[tool.poetry.dependencies]\npython = "^3.11"\n'
                                         'flask = "^3.0"\n')
    (root / "poetry.lock").write_text('[[package]]\nname = "flask"\nversion = "3.0.3"\n\n'
                                      '[[package]]\nname = "pyyaml"\nversion = "5.4.1"\n')
    plan = make_plan(root, confirm=False, installed=False)
    assert "pyyaml==5.4.1" in plan.locked, plan.locked
    assert [h.release for h in plan.build_holds] == ["pyyaml==5.4.1"], plan.notes


def test_a_hold_applies_to_a_release_the_proven_environment_installed_without_a_pin(tmp_path, monkeypatch):
    # capstone: the app pins python-jose-cryptodome, whose <3.4.0 brings pycryptodome 3.3.1, built again here with
    # 2to3 (python2_sources.py); the image's builder holds its tools back for it too
    from conftest import make_tree
    from shipyard import built_here, planner, python2_sources
    env = make_tree(tmp_path / "env", {"bin/python": "", "lib/python3.9/site-packages/pycryptodome-3.3.1.dist-info/RECORD": "",
                                       "lib/python3.9/site-packages/Flask-2.0.2.dist-info/RECORD": ""})
    assert built_here.installed(env / "bin" / "python") == ("Flask==2.0.2", "pycryptodome==3.3.1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    build_holds.remember(tmp_path / "cache" / "shipyard", "pycryptodome==3.3.1", python2_sources.USES,
                         python2_sources.TOOLS)
    holds, notes = planner._held_back_build_tools(("python-jose-cryptodome==1.3.2",
                                                   *built_here.installed(env / "bin" / "python")))
    assert [h.release for h in holds] == ["pycryptodome==3.3.1"]
    assert notes[0].startswith("pycryptodome==3.3.1 does not build with today's setuptools (its setup.py uses 2to3")


def test_a_locked_release_the_proven_environment_did_not_install_gets_no_hold(tmp_path, monkeypatch):
    # a conda package list (a whole environment) pins anyjson==0.3.3, whose setup.py uses 2to3; the app never
    # imports it and the proof's install did not take it: the image's builder built it alone all the same
    from conftest import make_tree
    from shipyard import built_here, planner
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    build_holds.remember(tmp_path / "cache" / "shipyard", "anyjson==0.3.3", "use_2to3", ("setuptools<58",))
    env = make_tree(tmp_path / "env", {"bin/python": "", "lib/python3.7/site-packages/Flask-1.1.1.dist-info/RECORD": "",
                                       "lib/python3.7/site-packages/SQLAlchemy-1.3.15.dist-info/RECORD": ""})
    resolved = built_here.installed(env / "bin" / "python")
    locked = ("anyjson==0.3.3", "sqlalchemy==1.3.15")
    assert planner._installed_locks(locked, resolved) == ("sqlalchemy==1.3.15",)
    holds, _ = planner._held_back_build_tools(("Flask==1.1.1", *planner._installed_locks(locked, resolved),
                                               *resolved))
    assert holds == ()
    # no environment proved the app (--no-import): every pin of the lock may be installed, as before
    assert planner._installed_locks(locked, ()) == locked
    assert [h.release for h in planner._held_back_build_tools(planner._installed_locks(locked, ()))[0]] \
        == ["anyjson==0.3.3"]
