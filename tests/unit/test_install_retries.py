"""The retry table of environments.install: each step recognises its own failure in the installer's output,
changes the spec once for it, and leaves other failures to the next step (real uv outputs, no install)."""

from __future__ import annotations

from pathlib import Path

import pytest

from shipyard import dropped_pins, environments, later_releases, moved_pins
from shipyard.environments import EnvironmentUnavailable, InstallSpec, Interpreter
from shipyard.plan import LaterRelease
from shipyard.install_retries import (UNDATED_ROUNDS, Attempt, ConflictingPins, DatedReleaseUnbuilt, OldBuildTools,
                                      ImportNameDeclared, GuessedAddOn, InvalidMetadata, PublishedLater, RemovedRelease, SystemPythonFreeze, changed,
                                      UnknownUnusedPin,
                                      retry_steps)

from conftest import require_python
from test_install_errors import UV_CONVERT_PATH, UV_FEATURE

LATER = ("error: No solution found when resolving dependencies\n  cause: Because there are no versions of "
         "shipyard-new and you require shipyard-new, we can conclude that your requirements are unsatisfiable.\n\n"
         "hint: `shipyard-new` was filtered by `exclude-newer` to only include packages uploaded before "
         "2019-01-01T00:00:00Z. The latest version satisfying the requirement is v1.0, published at "
         "2025-09-20T10:46:59.776Z. Consider using `exclude-newer-package` to override the cutoff for this package.\n")


def _failure(output: str) -> EnvironmentUnavailable:
    failure = EnvironmentUnavailable("installing failed")
    failure.output = output
    return failure


def _unbuilt(release: str, said: str = "") -> EnvironmentUnavailable:
    """The failure an install raises when `release` does not build (`said`: its explanation, if not the usual)."""
    failure = EnvironmentUnavailable("installing failed: " + (said or f"{release} does not build (no wheel for this "
                                                                      "Python, and building it from source failed)"))
    failure.unbuilt = release
    return failure


def _attempt(tmp_path: Path, said: list[str], python: str = "python3", timeout: int = 60) -> Attempt:
    """An install attempt that says into `said`, with Shipyard's cache (and its lessons) under tmp_path/cache."""
    return Attempt(python, tmp_path / "log", timeout, said.append, {"XDG_CACHE_HOME": str(tmp_path / "cache")})


def test_a_failure_no_step_recognises_changes_nothing(tmp_path):
    said: list[str] = []
    spec = InstallSpec(("flask==1.0",), exclude_newer="2019-01-01T00:00:00Z")
    assert changed(_failure("error: network unreachable\n"), spec, _attempt(tmp_path, said), retry_steps()) is None
    assert said == []


def test_old_build_tools_are_held_back_once_per_constraint_set_the_strictest_kept(tmp_path):
    said: list[str] = []
    at, steps = _attempt(tmp_path, said), retry_steps()
    spec = changed(_failure(UV_CONVERT_PATH), InstallSpec(("django-allauth==0.42.0",)), at, steps)
    assert spec is not None and spec.build_constraints == ("setuptools<70",)
    assert changed(_failure(UV_CONVERT_PATH), spec, at, steps) is None        # the same change is not made twice
    older = changed(_failure(UV_FEATURE), spec, at, steps)
    assert older is not None and older.build_constraints == ("setuptools<70", "setuptools<46", "wheel<0.35")
    assert len(said) == 2 and "setuptools.convert_path" in said[0] and "setuptools.Feature" in said[1]
    assert OldBuildTools()(_failure(LATER), spec, at) is None


def test_packages_published_after_the_date_resolve_undated_a_bounded_number_of_times(tmp_path):
    said: list[str] = []
    at, step = _attempt(tmp_path, said), PublishedLater()
    spec = InstallSpec(("shipyard-new",), exclude_newer="2019-01-01T00:00:00Z")
    again = step(_failure(LATER), spec, at)
    assert again is not None and again.undated == ("shipyard-new",)
    assert said == ["shipyard-new had no release before 2019-01-01, the day the app's packages resolve as of: "
                    "resolved as of today"]
    assert step(_failure(LATER), again, at) is None                           # already undated
    assert step(_failure(LATER), InstallSpec(("shipyard-new",)), at) is None  # no date, nothing to lift
    for _ in range(UNDATED_ROUNDS - 1):
        step(_failure(LATER), spec, at)
    assert step(_failure(LATER), spec, at) is None                            # the rounds are used up


NOT_ON_INDEX = ("error: No solution found when resolving dependencies:\n  Because {name} was not found in the package "
                "registry and you require {name}, we can conclude that your requirements are unsatisfiable.\n")


def test_an_import_name_declared_as_a_requirement_is_left_out_for_the_distribution_that_provides_it(tmp_path):
    # a Pipfile's `cv2 = "*"` beside opencv-python (uv's words for it): cv2 is the module, not a distribution
    said: list[str] = []
    at, step = _attempt(tmp_path, said), ImportNameDeclared()
    spec = InstallSpec(("flask", "cv2", "opencv-python"))
    again = step(_failure(NOT_ON_INDEX.format(name="cv2")), spec, at)
    assert again is not None and again.requirements == ("flask", "opencv-python")
    assert said == ["cv2 is not on the package index: it is the module opencv-python-headless installs (`import cv2`), "
                    "so the requirement is left out, as a distribution the app requires provides it (declare the "
                    "distribution, not the module)"]
    # alone, the distribution that provides the module takes its place
    alone = step.__class__()(_failure(NOT_ON_INDEX.format(name="sklearn")), InstallSpec(("sklearn==0.0",)), at)
    assert alone is not None and alone.requirements == ("scikit-learn",)
    # a name no distribution provides as a module is the app's to fix; the same name is not changed twice
    assert step(_failure(NOT_ON_INDEX.format(name="notarealpackage")), InstallSpec(("notarealpackage",)), at) is None
    assert step(_failure(NOT_ON_INDEX.format(name="cv2")), spec, at) is None


def test_an_add_on_guessed_from_an_import_that_the_index_lacks_is_left_out(tmp_path):
    # Shipyard added falcon-cors for `import falcon_cors` beside falcon (detect/imports.addon_of); uv says the index
    # has none: it is left out, once. A declared requirement of that name, or one the code does not import, is the
    # app's to fix.
    from conftest import make_tree
    app = make_tree(tmp_path / "app", {"api.py": "import falcon\nimport falcon_cors\n", "requirements.txt": "falcon\n"})
    said: list[str] = []
    at, step = _attempt(tmp_path, said), GuessedAddOn()
    spec = InstallSpec(("falcon", "falcon-cors"), app_root=str(app))
    again = step(_failure(NOT_ON_INDEX.format(name="falcon-cors")), spec, at)
    assert again is not None and again.requirements == ("falcon",)
    assert said == ["falcon-cors: named after the app's import of an add-on, not on the package index: left out "
                    "(declare the distribution that provides it)"]
    assert step(_failure(NOT_ON_INDEX.format(name="falcon-cors")), spec, at) is None
    (app / "requirements.txt").write_text("falcon\nfalcon-cors\n")
    assert GuessedAddOn()(_failure(NOT_ON_INDEX.format(name="falcon-cors")), spec, at) is None
    other = InstallSpec(("falcon", "falcon-auth"), app_root=str(app))
    assert GuessedAddOn()(_failure(NOT_ON_INDEX.format(name="falcon-auth")), other, at) is None


def test_an_add_on_guessed_by_its_import_spelling_with_nothing_declared_is_left_out(tmp_path):
    # no dependency file: Shipyard wrote the guess as the import reads (`flask_frozen`, from a freeze script beside
    # the app; Frozen-Flask provides it), and uv reports the normalized flask-frozen: the same line, left out
    from conftest import make_tree
    app = make_tree(tmp_path / "app", {"main.py": "import flask\n", "freeze.py": "import flask_frozen\n"})
    said: list[str] = []
    spec = InstallSpec(("Flask", "flask_frozen"), app_root=str(app))
    again = GuessedAddOn()(_failure(NOT_ON_INDEX.format(name="flask-frozen")), spec, _attempt(tmp_path, said))
    assert again is not None and again.requirements == ("Flask",)
    assert said and said[0].startswith("flask-frozen: named after the app's import of an add-on")


@pytest.mark.parametrize("app_name, files", [
    ("django_nosuch_app", {"requirements.txt": "Django\n"}),
    # nothing declared: INSTALLED_APPS' "nosuch_app" was guessed as django-nosuch-app (detect/imports)
    ("nosuch_app", {}),
])
def test_a_django_add_on_guessed_from_settings_that_the_index_lacks_is_left_out(tmp_path, app_name, files):
    # django-nosuch-app was added for INSTALLED_APPS' "django_nosuch_app" (no import statement names it): uv says
    # the index has none, so it is left out as an add-on guessed from an import is
    from conftest import make_tree
    app = make_tree(tmp_path / "app", {"site/settings.py": f'INSTALLED_APPS = ["django.contrib.admin", "{app_name}"]\n',
                                       "manage.py": "import django\n", **files})
    said: list[str] = []
    at, step = _attempt(tmp_path, said), GuessedAddOn()
    spec = InstallSpec(("Django", "django-nosuch-app"), app_root=str(app))
    again = step(_failure(NOT_ON_INDEX.format(name="django-nosuch-app")), spec, at)
    assert again is not None and again.requirements == ("Django",)
    assert said and said[0].startswith("django-nosuch-app: named after the app's import of an add-on")


def test_the_steps_are_tried_in_order_and_the_first_change_wins(tmp_path):
    # a build failure that also names a conflict would be the old build tools' to fix first
    names = [type(step).__name__ for step in retry_steps()]
    assert names == ["SystemPythonFreeze", "LegacySourceArchives", "UnreadableArchive", "OldBuildTools", "SelfImportingBuild",
                     "DatedReleaseUnbuilt", "ConflictingPins", "LeftoverPins", "RemovedRelease", "InvalidMetadata", "ImportNameDeclared", "GuessedAddOn",
                     "UnknownUnusedPin", "PinsAgainstUnpinned", "PublishedLater", "UnreachableRepository"]
    said: list[str] = []
    spec = InstallSpec(("markupsafe==1.0",), exclude_newer="2019-01-01T00:00:00Z")
    again = changed(_failure(UV_FEATURE + LATER), spec, _attempt(tmp_path, said), retry_steps())
    assert again is not None and again.build_constraints and not again.undated
    assert ConflictingPins()(_failure(UV_FEATURE), spec, _attempt(tmp_path, said)) is None


# uv's two ways of saying the pins were frozen on a newer Python (proshop_django: runtime.txt python-3.8.5)
UV_MARKER_CONFLICT = """error: No solution found when resolving dependencies:
  cause: Because botocore==1.34.144 depends on urllib3{python_full_version < '3.10'}>=1.25.4,<1.27 and you require
         botocore==1.34.144, we can conclude that you require urllib3>=1.25.4,<1.27.
         And because you require urllib3==2.2.2, we can conclude that your requirements are unsatisfiable."""
UV_REQUIRES_PYTHON = """error: No solution found when resolving dependencies:
  cause: Because the current Python version (3.8.18) does not satisfy Python>=3.10 and django==5.0.7 depends on
         Python>=3.10, we can conclude that django==5.0.7 cannot be used."""


def test_pins_that_need_a_newer_python_name_the_oldest_installed_one_they_accept(monkeypatch):
    installed = {minor: Interpreter(f"/py/3.{minor}", f"3.{minor}.1") for minor in (8, 9, 11, 12)}
    monkeypatch.setattr(environments, "python_of", lambda minor, environ=None: installed.get(minor))

    def failure(output):
        error = EnvironmentUnavailable("installing failed", "")
        error.output = output
        return error

    py38 = installed[8]
    for output in (UV_MARKER_CONFLICT, UV_REQUIRES_PYTHON):
        found = environments.newer_python_needed(py38, failure(output))
        # 3.10 is not installed here: the next one up
        assert found is not None and found[0].minor == "3.11" and "need Python 3.10 or newer" in found[1]
    assert environments.newer_python_needed(installed[12], failure(UV_MARKER_CONFLICT)) is None   # not newer
    assert environments.newer_python_needed(py38, failure(UV_MARKER_CONFLICT), requires="<3.11") is None
    assert environments.newer_python_needed(py38, failure("error: some other conflict")) is None


def test_a_build_tool_the_app_pins_is_not_held_to_the_dates_newest_for_this_python(tmp_path, monkeypatch):
    # a 2024 freeze pins setuptools==69.0.3 beside runtime.txt's python-3.7.7 (MusicLink): the newest setuptools
    # for 3.7 as of its date is 68.0.0, and holding the app's tools there made uv report a conflict with Shipyard's
    # own constraint instead of "setuptools==69.0.3 depends on Python>=3.8", which moves the install to 3.8
    monkeypatch.setattr(environments, "_newest_as_of", lambda uv, python, name, date, log: (name, "68.0.0"))
    reqs = tmp_path / "reqs.txt"

    def held(*requirements: str) -> str:
        spec = InstallSpec(requirements, exclude_newer="2024-01-17T00:00:00Z")
        options = environments._uv_options("uv", "python3", spec, str(reqs), tmp_path / "log")
        return Path(options[options.index("-c") + 1]).read_text()

    assert held("Flask==3.0.0", "setuptools==69.0.3").split() == ["wheel<=68.0.0"]
    assert held("Flask==3.0.0", "setuptools").split() == ["setuptools<=68.0.0", "wheel<=68.0.0"]  # left open: held


REMOVED = ("error: No solution found when resolving dependencies\n  cause: Because there is no version of "
           "mysql-connector==2.1.4 and you require mysql-connector==2.1.4, we can conclude that your requirements "
           "are unsatisfiable.\n")


def test_a_pinned_release_the_index_removed_moves_to_the_nearest_later_one(tmp_path):
    # real uv against the index: mysql-connector keeps 2.1.7 and 2.2.9 of its old releases, 2.1.4 is gone
    said: list[str] = []
    at, step = _attempt(tmp_path, said), RemovedRelease()
    spec = InstallSpec(("Flask==0.11.1", "mysql-connector==2.1.4"), exclude_newer="2017-11-22T00:00:00Z")
    again = step(_failure(REMOVED), spec, at)
    assert again is not None and again.requirements == ("Flask==0.11.1", "mysql-connector==2.1.7")
    assert again.undated == ("mysql-connector",)
    assert said == ["mysql-connector==2.1.4 is no longer on the package index (its release was removed): using "
                    "mysql-connector==2.1.7, the nearest later one (pin it in your requirements)"]
    # a fact about the index, kept for plans (and the image) to make the same move
    assert [(r.release, r.instead, r.why) for r in moved_pins.known(tmp_path / "cache" / "shipyard")] == [
        ("mysql-connector==2.1.4", "mysql-connector==2.1.7", "it is no longer on the package index")]
    assert step(_failure(REMOVED), again, at) is None                        # once per package
    assert RemovedRelease()(_failure(LATER), spec, at) is None               # another failure: not this step's


def test_an_unpinned_packages_dated_release_that_does_not_build_here_moves_to_the_first_with_a_wheel(tmp_path):
    # real uv against the index: greenlet resolved as of 2018 is 0.4.13, whose C source Python 3.12 does not
    # compile; 3.0.0 is the first release with a wheel for 3.12
    py312 = require_python("3.12")
    said: list[str] = []
    cache = tmp_path / "cache"
    at, step = Attempt(py312.path, tmp_path / "log", 60, said.append, {"XDG_CACHE_HOME": str(cache)}), \
        DatedReleaseUnbuilt()
    failure = _failure("error: Failed to build `greenlet==0.4.13`\n  cause: The build backend returned an error\n")
    failure.unbuilt = "greenlet==0.4.13"
    spec = InstallSpec(("six==1.11.0", "greenlet>=0.4"), exclude_newer="2018-06-02T00:00:00Z")
    again = step(failure, spec, at)
    assert again is not None and again.constraints == ("greenlet==3.0.0",) and again.undated == ("greenlet",)
    assert again.requirements == spec.requirements
    assert said == ["greenlet==0.4.13, the release of greenlet as of 2018-06-02 (the app leaves it unpinned), has no "
                    "wheel for this Python and does not build on it: using greenlet==3.0.0, the first later one with "
                    "a wheel for it (pin it in your requirements)"]
    assert step(failure, again, at) is None                                   # once per package
    # a fact about Python 3.12 and that day, kept for plans (and the image) to make the same move
    move = LaterRelease("greenlet==0.4.13", "greenlet==3.0.0", "3.12", "2018-06-02T00:00:00Z")
    assert later_releases.known(cache / "shipyard") == (move,)
    # another pin of the app contradicts the later release: the move is taken back, and not made again
    conflict = _failure("error: No solution found when resolving dependencies:\n  cause: Because gevent==1.2.2 "
                        "depends on greenlet>=0.4.10,<0.5 and you require greenlet==3.0.0, we can conclude that your "
                        "requirements are unsatisfiable.\n")
    assert step(conflict, again, at) == spec and "conflicts with the app's other pins" in said[-1]
    assert later_releases.known(cache / "shipyard") == ()                       # taken back: forgotten
    assert step(failure, spec, at) is None                                    # once per package
    # the app's exact pin, a package it does not name, or no date: left to the older Pythons tried next
    assert step(failure, InstallSpec(("greenlet==0.4.13",), exclude_newer="2018-06-02T00:00:00Z"), at) is None
    assert step(failure, InstallSpec(("gevent",), exclude_newer="2018-06-02T00:00:00Z"), at) is None
    assert step(failure, InstallSpec(("greenlet",)), at) is None


def test_an_unpinned_packages_dated_release_moves_past_later_releases_whose_metadata_installers_refuse(tmp_path):
    # real uv against the index: a 2019 app's unpinned pandas resolves as of its day to 0.13.1 (uv passes over 0.14
    # to 0.24.2, whose `pytz (>=2011k)` it refuses), which does not build on 3.7; 0.23.2, the first later with a
    # wheel for 3.7, has that metadata too: 0.25.0 is the first that installs
    py37 = require_python("3.7")
    said: list[str] = []
    at = Attempt(py37.path, tmp_path / "log", 120, said.append, {"XDG_CACHE_HOME": str(tmp_path / "cache")})
    spec = InstallSpec(("Flask", "pandas"), exclude_newer="2019-05-23T00:00:00Z")
    again = DatedReleaseUnbuilt()(_unbuilt("pandas==0.13.1"), spec, at)
    assert again is not None and again.constraints == ("pandas==0.25.0",) and again.undated == ("pandas",)
    assert said[-1].endswith("using pandas==0.25.0, the first later one with a wheel for it (pin it in your "
                             "requirements)")


# uv's answer once web.py (inferred from a 2013 app's imports) has moved from 0.37 (Python 2 only) to 0.61, the first
# release with a wheel: 0.61 depends on cheroot, which had no release in 2013
LATER_RELEASE_NEEDS_A_LATER_PACKAGE = (
    "error: No solution found when resolving dependencies\n  cause: Because there are no versions of cheroot and "
    "web-py==0.61 depends on cheroot, we can conclude that web-py==0.61 cannot be used.\n         And because you "
    "require web-py==0.61, we can conclude that your requirements are unsatisfiable.\n\nhint: `cheroot` was filtered "
    "by `exclude-newer` to only include packages uploaded before 2013-02-03T00:00:00Z. The latest version satisfying "
    "the requirement is v11.1.2, published at 2025-11-07T17:26:53.393Z. Consider using `exclude-newer-package` to "
    "override the cutoff for this package.\n")


def test_a_moved_release_whose_dependency_came_later_is_kept_and_that_dependency_resolves_undated(tmp_path):
    said: list[str] = []
    at, steps = _attempt(tmp_path, said), retry_steps()
    step = next(s for s in steps if isinstance(s, DatedReleaseUnbuilt))
    before = InstallSpec(("web.py",), exclude_newer="2013-02-03T00:00:00Z")
    moved = InstallSpec(("web.py",), exclude_newer="2013-02-03T00:00:00Z", undated=("web.py",),
                        constraints=("web-py==0.61",))
    step.moved.add("web-py")
    step.before["web-py"] = before
    assert step(_failure(LATER_RELEASE_NEEDS_A_LATER_PACKAGE), moved, at) is None    # not taken back
    again = changed(_failure(LATER_RELEASE_NEEDS_A_LATER_PACKAGE), moved, at, steps)
    assert again is not None and again.undated == ("web.py", "cheroot") and again.constraints == ("web-py==0.61",)
    assert "cheroot had no release before 2013-02-03" in said[-1]


def test_a_frozen_distribute_pin_is_left_out_on_the_same_python_before_any_older_one_is_tried(tmp_path, monkeypatch):
    # a 2013 pip freeze lists distribute==0.6.35 (setuptools' fork, merged back in 0.7): it builds on no Python 3
    # here, and an older Python does not help; the install goes on without it, on the Python it started with
    tried: list[tuple[str, tuple[str, ...]]] = []
    said: list[str] = []

    def attempt(python: Interpreter, spec: InstallSpec) -> str:
        tried.append((python.minor, spec.requirements))
        if any(r.startswith("distribute") for r in spec.requirements):
            raise _unbuilt("distribute==0.6.35")
        return "made"

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    spec = InstallSpec(("pyramid==1.4", "distribute==0.6.35", "WebOb==1.2.3"))
    assert environments.on_older_pythons(Interpreter("python3.9", "3.9.18"), spec, attempt, said.append) == "made"
    assert tried == [("3.9", spec.requirements), ("3.9", ("pyramid==1.4", "WebOb==1.2.3"))]
    assert said == ["distribute==0.6.35 does not build here, and it is the fork of setuptools merged back into "
                    "setuptools 0.7 (2013), which every virtualenv has: installed without it (the generated image "
                    "leaves it out too; remove it from the app's requirements)"]
    # kept for plans on that Python, and the image, to leave out too (dropped_pins.py)
    assert [(d.release, d.python) for d in dropped_pins.known(tmp_path / "cache" / "shipyard")] == [
        ("distribute==0.6.35", "3.9")]


def test_a_python2_backport_pin_is_left_out_up_front_before_any_install_is_tried(tmp_path, monkeypatch):
    # wsgiref 0.1.2 builds on no Python 3, and every Python 3 has the module (imported before any installed package):
    # its failed build cost a minute of a cold install, and stepping down Pythons one install per Python
    import sys
    tried: list[str] = []

    def attempt(python: Interpreter, spec: InstallSpec) -> tuple[str, ...]:
        tried.append(python.minor)
        if "wsgiref==0.1.2" in spec.requirements:
            raise _unbuilt("wsgiref==0.1.2")
        return spec.requirements

    here = Interpreter(sys.executable, ".".join(map(str, sys.version_info[:3])))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    said: list[str] = []
    made = environments.on_older_pythons(here, InstallSpec(("six==1.16.0", "wsgiref==0.1.2")), attempt, said.append)
    assert made == ("six==1.16.0",)
    assert tried == [here.minor]
    assert len(said) == 1 and said[0].startswith(f"wsgiref==0.1.2 left out up front: Python {here.minor}'s standard "
                                                 "library has that module"), said
    known = dropped_pins.known(tmp_path / "cache" / "shipyard")
    assert [(d.release, d.python) for d in known] == [("wsgiref==0.1.2", here.minor)]
    # the plan and the image leave it out too, saying why
    assert known[0].note.startswith(f"the app pins wsgiref==0.1.2, which Python {here.minor} never imports")


def test_a_pin_named_like_a_standard_module_in_another_case_is_installed(tmp_path, monkeypatch):
    # Zope's DateTime (module DateTime, in a 2022 freeze) is not datetime's backport: imports are case-sensitive,
    # so nothing shadows it and an app's `from DateTime import DateTime` needs it installed
    import sys
    here = Interpreter(sys.executable, ".".join(map(str, sys.version_info[:3])))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    said: list[str] = []
    made = environments.on_older_pythons(here, InstallSpec(("DateTime==4.3", "six==1.16.0")),
                                         lambda python, spec: spec.requirements, said.append)
    assert made == ("DateTime==4.3", "six==1.16.0") and said == []
    assert not dropped_pins.known(tmp_path / "cache" / "shipyard")


def test_a_python2_backport_another_pin_requires_is_resolved_away_on_the_same_python(tmp_path, monkeypatch):
    # a 2013 freeze pins static==0.4 (dj-static's), which requires wsgiref: no requirement line of the app names it,
    # so it cannot be left out of the file; uv's overrides resolve it away, on the Python the install started with
    import sys
    tried: list[tuple[str, tuple[str, ...]]] = []

    def attempt(python: Interpreter, spec: InstallSpec) -> InstallSpec:
        tried.append((python.minor, spec.overrides))
        if "wsgiref ; python_version < '0'" not in spec.overrides:
            raise _unbuilt("wsgiref==0.1.2", "wsgiref==0.1.2 does not build: its setup.py is Python 2 code")
        return spec

    here = Interpreter(sys.executable, ".".join(map(str, sys.version_info[:3])))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    said: list[str] = []
    made = environments.on_older_pythons(here, InstallSpec(("dj-static==0.0.5", "static==0.4")), attempt, said.append)
    assert made.requirements == ("dj-static==0.0.5", "static==0.4")
    assert tried == [(here.minor, ()), (here.minor, ("wsgiref ; python_version < '0'",))]
    assert said == [f"wsgiref==0.1.2 does not build here: a package the app requires depends on it, and wsgiref is "
                    f"part of Python {here.minor}'s standard library (the package is its backport for Python 2), so "
                    "it is left out"]
    # and uv is given them as an overrides file beside the requirements
    reqs = tmp_path / "reqs.txt"
    options = environments._uv_options("uv", sys.executable, made, str(reqs), tmp_path / "log")
    assert options[options.index("--overrides") + 1] == str(tmp_path / "reqs.overrides.txt")
    assert (tmp_path / "reqs.overrides.txt").read_text() == "wsgiref ; python_version < '0'\n"
    assert made.key(here) != InstallSpec(made.requirements).key(here)


def test_an_unused_pin_whose_setup_py_is_python2_code_is_left_out_before_resolving_the_others(tmp_path, monkeypatch):
    # python-ldap 2.4.15 in a 2014 freeze, never imported: no Python 3 builds it, so resolving the other pins to see
    # whether they need it (100 s of old sdists' metadata builds on a cold cache) gains nothing
    import sys

    from shipyard.install_errors import explain
    from test_install_errors import PYTHON2_SETUP_36

    def no_resolution(*args, **kwargs):
        raise AssertionError("the other pins were resolved")

    monkeypatch.setattr(environments, "resolved_names", no_resolution)
    monkeypatch.setattr(environments, "pulled_in_by", no_resolution)
    app = tmp_path / "app"
    app.mkdir()
    (app / "app.py").write_text("import six\n")
    tried: list[tuple[str, ...]] = []

    def attempt(python: Interpreter, spec: InstallSpec) -> tuple[str, ...]:
        tried.append(spec.requirements)
        if "python-ldap==2.4.15" in spec.requirements:
            raise _unbuilt("python-ldap==2.4.15", explain(PYTHON2_SETUP_36)[0])
        return spec.requirements

    here = Interpreter(sys.executable, ".".join(map(str, sys.version_info[:3])))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    said: list[str] = []
    made = environments.on_older_pythons(here, InstallSpec(("six==1.16.0", "python-ldap==2.4.15"), app_root=str(app)),
                                         attempt, said.append)
    assert made == ("six==1.16.0",) and len(tried) == 2
    assert said and said[0].startswith("python-ldap==2.4.15 does not build here, and the app's code never imports "
                                       "it"), said


NEEDS_REMOVED = ("error: No solution found when resolving dependencies\n  cause: Because there is no version of "
                 "requests-async==0.5.0 and sanic==19.6.2 depends on requests-async==0.5.0, we can conclude that "
                 "sanic==19.6.2 cannot be used.\n         And because you require sanic==19.6.2, we can conclude that "
                 "your requirements are unsatisfiable.\n")


def test_a_pin_whose_release_requires_a_removed_one_moves_to_the_next_release_that_installs(tmp_path):
    # real uv against the index: sanic 19.6.x and 19.9.0 require requests-async==0.5.0, deleted from the index;
    # 19.12.0 is the first after 19.6.2 whose dependencies all resolve
    from conftest import require_python
    python = require_python("3.8").path
    said: list[str] = []
    at, step = _attempt(tmp_path, said, python, 120), RemovedRelease()
    spec = InstallSpec(("sanic==19.6.2", "aiofiles"), exclude_newer="2019-08-01T00:00:00Z")
    again = step(_failure(NEEDS_REMOVED), spec, at)
    assert again is not None and again.requirements == ("sanic==19.12.0", "aiofiles")
    assert again.undated == ("sanic",)
    assert said == ["sanic==19.6.2 requires requests-async==0.5.0, which is no longer on the package index (its "
                    "release was removed): using sanic==19.12.0, the nearest later release that installs (pin it in "
                    "your requirements)"]
    assert step(_failure(NEEDS_REMOVED), again, at) is None                  # once per package


GONE_NO_LATER = ("error: No solution found when resolving dependencies\n  cause: Because there is no version of "
                 "requests-async==0.5.0 and you require requests-async==0.5.0, we can conclude that your requirements "
                 "are unsatisfiable.\n")


def test_a_removed_release_with_no_later_one_that_the_code_never_imports_is_left_out(tmp_path):
    # real uv against the index: requests-async keeps only 0.1.0-0.2.4; a 2019 freeze pins 0.5.0 for sanic's sake
    from conftest import make_tree
    python = require_python("3.8")
    app = make_tree(tmp_path / "app", {"app.py": "from sanic import Sanic\napp = Sanic(__name__)\n"})
    said: list[str] = []
    cache = tmp_path / "cache"
    at, step = _attempt(tmp_path, said, python.path, 120), RemovedRelease()
    spec = InstallSpec(("sanic==19.6.2", "requests-async==0.5.0"), exclude_newer="2019-08-01T00:00:00Z",
                       app_root=str(app))
    again = step(_failure(GONE_NO_LATER), spec, at)
    assert again is not None and again.requirements == ("sanic==19.6.2",)
    assert said == ["requests-async==0.5.0 is no longer on the package index, nor any later release, and the app's "
                    "code does not import it (a dependency of another pin, frozen with it): left out (remove it from "
                    "your requirements)"]
    # kept for plans (and the image) on that Python to leave it out too
    [dropped] = dropped_pins.known(cache / "shipyard")
    assert (dropped.release, dropped.python) == ("requests-async==0.5.0", python.minor)
    assert dropped.note == ("the app pins requests-async==0.5.0, which is no longer on the package index, nor any "
                            "later release, and the app's code does not import it: left out")
    # then sanic's own requirement of it moves sanic (test_a_pin_whose_release_requires_a_removed_one_...)
    assert step(_failure(NEEDS_REMOVED), again, at).requirements == ("sanic==19.12.0",)
    # code that imports it keeps the pin: the failure stands
    make_tree(app, {"client.py": "import requests_async\n"})
    assert RemovedRelease()(_failure(GONE_NO_LATER), spec, at) is None


INVALID_METADATA = ("error: No solution found when resolving dependencies\n  cause: Because pandas==0.23.4 has "
                    "invalid metadata and you require pandas==0.23.4, we can conclude that your requirements are "
                    "unsatisfiable.\n\nhint: Metadata for `pandas` (v0.23.4) could not be parsed:\n  after parsing "
                    "`2011`, found `k`, which is not part of a valid version\n  pytz (>=2011k)\n")


def test_a_pin_whose_metadata_installers_refuse_moves_to_the_next_release_that_installs(tmp_path):
    # real uv against the index: a 2018 freeze's pandas==0.23.4 requires `pytz (>=2011k)`, which uv refuses on
    # every Python, as it does for 0.24.x; 0.25.0 is the first after it that resolves (the install failed on it)
    python = require_python("3.8").path
    said: list[str] = []
    at, step = Attempt(python, tmp_path / "log", 120, said.append, {"XDG_CACHE_HOME": str(tmp_path / "cache")}), \
        InvalidMetadata()
    spec = InstallSpec(("Flask==1.0", "pandas==0.23.4"), exclude_newer="2020-08-04T00:00:00Z")
    again = step(_failure(INVALID_METADATA), spec, at)
    assert again is not None and again.requirements == ("Flask==1.0", "pandas==0.25.0")
    assert again.undated == ("pandas",)
    assert said == ["pandas==0.23.4 has metadata today's installers cannot read (uv: invalid metadata): using "
                    "pandas==0.25.0, the nearest later release that installs (pin it in your requirements)"]
    assert [(r.release, r.instead) for r in moved_pins.known(tmp_path / "cache" / "shipyard")] == [
        ("pandas==0.23.4", "pandas==0.25.0")]
    assert step(_failure(INVALID_METADATA), again, at) is None                # once per package
    assert InvalidMetadata()(_failure(LATER), spec, at) is None              # another failure: not this step's


def test_a_pin_whose_metadata_installers_refuse_moves_past_a_long_run_of_releases_that_share_it(tmp_path):
    # real uv against the index: a 2017 freeze's pandas==0.20.1; every release up to 0.24.2 (14 of them, more than
    # NEXT_RELEASES) requires `pytz (>=2011k)` too: 0.25.0 is still the nearest that resolves
    python = require_python("3.8").path
    said: list[str] = []
    at = Attempt(python, tmp_path / "log", 120, said.append, {"XDG_CACHE_HOME": str(tmp_path / "cache")})
    spec = InstallSpec(("Flask==0.12", "pandas==0.20.1"), exclude_newer="2017-06-28T00:00:00Z")
    failure = INVALID_METADATA.replace("0.23.4", "0.20.1")
    again = InvalidMetadata()(_failure(failure), spec, at)
    assert again is not None and again.requirements == ("Flask==0.12", "pandas==0.25.0")
    assert said == ["pandas==0.20.1 has metadata today's installers cannot read (uv: invalid metadata): using "
                    "pandas==0.25.0, the nearest later release that installs (pin it in your requirements)"]


UNKNOWN_COMMAND_NOT_FOUND = (
    "  × No solution found when resolving dependencies:\n  ╰─▶ Because command-not-found was not found in the package "
    "registry and you require command-not-found==0.3, we can conclude that your requirements are unsatisfiable.\n")


def test_a_system_pythons_freeze_loses_its_distribution_packages_the_code_does_not_import(tmp_path, monkeypatch):
    # a Render/Heroku app whose requirements.txt is `pip freeze` of an Ubuntu Python: apt's packages beside Django
    # (what the used lines need does not resolve here: only the lines the failure names go)
    monkeypatch.setattr("shipyard.install_retries.resolved_names", lambda *args, **kwargs: None)
    app = tmp_path / "app"
    app.mkdir()
    (app / "views.py").write_text("import django\nimport gi\n")
    freeze = ("Django==3.2.12", "PyGObject==3.42.1", "command-not-found==0.3", "dbus-python==1.2.18",
              "distro-info==1.1+ubuntu0.1", "python-apt==2.4.0+ubuntu2", "ufw==0.36.1", "whitenoise==6.6.0")
    said: list[str] = []
    at, step = _attempt(tmp_path, said), SystemPythonFreeze()
    spec = InstallSpec(freeze, app_root=str(app))
    assert step(_failure("error: network unreachable\n"), spec, at) is None       # not its failure
    again = step(_failure(UNKNOWN_COMMAND_NOT_FOUND), spec, at)
    # all at once; PyGObject stays, the code imports gi
    assert again is not None and again.requirements == ("Django==3.2.12", "PyGObject==3.42.1", "whitenoise==6.6.0")
    assert said and said[0].startswith("command-not-found, dbus-python, distro-info, python-apt, ufw: packages of")
    # then another package of that Python the index does not have: left out too, unless the code imports it
    other = UNKNOWN_COMMAND_NOT_FOUND.replace("command-not-found", "desktop-tool")
    more = step(_failure(other), InstallSpec((*again.requirements, "desktop-tool==0.1"), app_root=str(app)), at)
    assert more is not None and more.requirements == again.requirements and said[1].startswith("desktop-tool: ")
    # the plan already left the system packages out: the app's requirements file says where it was frozen
    (app / "requirements.txt").write_text("Django==3.2.12\nufw==0.36.1\ndesktop-tool==0.1\n")
    bare = step(_failure(other), InstallSpec(("Django==3.2.12", "desktop-tool==0.1"), app_root=str(app)), at)
    assert bare is not None and bare.requirements == ("Django==3.2.12",)
    (app / "requirements.txt").unlink()
    # not a system Python's freeze: an unknown package is the user's to fix
    assert step(_failure(other), InstallSpec(("Django==3.2.12", "desktop-tool==0.1"), app_root=str(app)), at) is None


PAM_UNBUILT = ("  × Failed to build `pam==0.4.2`\n  ├─▶ The build backend returned an error\n  ╰─▶ Call to "
               "`setuptools.build_meta:__legacy__.build_wheel` failed (exit status: 1)\n")


def test_a_whole_machines_freeze_keeps_what_the_used_packages_need_and_leaves_the_rest_at_once(tmp_path, monkeypatch):
    """An Ubuntu 18.04 machine's freeze beside a Flask app (Holberton's Friendzy): PAM fails to build, then py3dns,
    pycurl, pycrypto... one uv failure each, more than the rounds allow. At the first failure, what the lines the
    code uses resolve to (Flask==2.0.0: Werkzeug, Jinja2...) stays at its frozen pins; every other line the code
    does not use goes at once."""
    app = tmp_path / "app"
    app.mkdir()
    (app / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    (app / "requirements.txt").write_text("Flask==2.0.0\npython-apt==1.6.5+ubuntu0.5\n")
    freeze = ("Flask==2.0.0", "Werkzeug==2.0.0", "Jinja2==3.0.0", "PAM==0.4.2", "py3dns==3.1.1",
              "pycurl==7.43.0.1", "Twisted==17.9.0", "click==8.0.0")
    asked: list[tuple[str, ...]] = []

    def resolved(python, spec, **kwargs):
        asked.append(spec.requirements)
        return {"flask", "werkzeug", "jinja2", "itsdangerous", "click", "markupsafe"}
    monkeypatch.setattr("shipyard.install_retries.resolved_names", resolved)
    said: list[str] = []
    again = SystemPythonFreeze()(_failure(PAM_UNBUILT), InstallSpec(freeze, app_root=str(app)),
                                 _attempt(tmp_path, said))
    assert asked == [("Flask==2.0.0",)]
    assert again is not None and again.requirements == ("Flask==2.0.0", "Werkzeug==2.0.0", "Jinja2==3.0.0",
                                                        "click==8.0.0")
    assert said[0].startswith("pam, py3dns, pycurl, twisted: packages of the system Python")


def test_a_cython_3_build_failure_holds_cython_back_for_that_release(tmp_path):
    from test_install_errors import UV_CYTHON3
    said: list[str] = []
    failure = _failure(UV_CYTHON3)
    failure.unbuilt = "pyyaml==5.4.1"
    again = OldBuildTools()(failure, InstallSpec(("PyYAML==5.4.1",)), _attempt(tmp_path, said))
    assert again is not None and again.build_constraints == ("Cython<3",) and again.held == ("pyyaml==5.4.1",)
    assert said == ["pyyaml==5.4.1 does not build with today's Cython (its setup.py uses Cython's build_ext before "
                    "Cython 3 (cython_sources)): building it with Cython<3"]


def test_a_repository_out_of_reach_gives_way_to_the_index_release_of_the_same_name(tmp_path):
    # a Pipfile's editable git dependency on GitHub, which this machine cannot reach (uv's log of it)
    from test_install_errors import UV_GIT_UNREACHABLE
    from shipyard.install_retries import UnreachableRepository
    said: list[str] = []
    at, step = _attempt(tmp_path, said), UnreachableRepository()
    line = "pyyaml @ git+https://github.com/yaml/pyyaml.git"
    spec = InstallSpec(("django==3.0.8", line, "other[extra] @ git+https://git.example.org/other.git@v1"))
    again = step(_failure(UV_GIT_UNREACHABLE), spec, at)
    assert again is not None
    assert again.requirements == ("django==3.0.8", "pyyaml", "other[extra] @ git+https://git.example.org/other.git@v1")
    assert said == [f"{line} could not be fetched (its host is out of reach from here): installing pyyaml from the "
                    "package index instead (require a release there, or check the network's access to the host)"]
    # once per package; and a repository that answered but lacks the ref is not the index's to fix
    assert step(_failure(UV_GIT_UNREACHABLE), spec, at) is None
    gone = UV_GIT_UNREACHABLE.replace("Could not resolve host: github.com", "Repository not found.")
    assert UnreachableRepository()(_failure(gone), spec, at) is None
    # a failure of another kind is not recognised
    assert UnreachableRepository()(_failure(UV_FEATURE), spec, at) is None
    assert any(isinstance(s, UnreachableRepository) for s in retry_steps())


def test_resolving_without_a_pin_builds_old_sdists_with_the_build_tools_of_their_day(tmp_path, monkeypatch):
    # LeftoverPins resolves a 2017 freeze without awscli: uv builds MarkupSafe 1.0's sdist for its metadata, and
    # today's setuptools has no Feature; unretried, no pin was ever left out and the install stopped on the conflict
    commands: list[list[str]] = []

    def run(command, **_):
        commands.append(command)
        constraint = command[command.index("--build-constraint") + 1] if "--build-constraint" in command else None
        if constraint is None or "setuptools<46" not in Path(constraint).read_text():
            failure = _failure(UV_FEATURE)
            raise failure
        Path(command[command.index("--output-file") + 1]).write_text("django==1.11.2\nmarkupsafe==1.0\n")

    monkeypatch.setattr(environments, "find_uv", lambda *a: "uv")
    monkeypatch.setattr(environments, "_run_logged", run)
    spec = InstallSpec(("Django==1.11.2", "coreapi==2.3.0"), app_root=str(tmp_path))
    assert environments.resolved_names("python3", spec, log=tmp_path / "log", timeout=60) == {"django", "markupsafe"}
    assert len(commands) == 2
    # a build failure of another kind, or one the constraints already had, is no resolution
    held = InstallSpec(spec.requirements, build_constraints=("setuptools<46", "wheel<0.35"))
    monkeypatch.setattr(environments, "_run_logged", lambda command, **_: (_ for _ in ()).throw(_failure(UV_FEATURE)))
    assert environments.resolved_names("python3", held, log=tmp_path / "log", timeout=60) is None


# a 2020 Heroku freeze holds a line no index has ever had (its "version" spells out a URL, a byte a part)
BOGUS = "freeze==2.104.116.116.112.115.58.47.47.97.100.45.115.121.46.99.104.47.98.72"
NOT_FOUND = ("error: No solution found when resolving dependencies:\n  \u2570\u2500\u25b6 Because freeze was not "
             f"found in the package registry and you require {BOGUS}, we can conclude that your requirements are "
             "unsatisfiable.\n")


def test_a_pin_of_a_name_no_index_has_that_the_code_never_imports_is_left_out(tmp_path):
    from conftest import make_tree
    app = make_tree(tmp_path / "app", {"app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    said: list[str] = []
    cache = tmp_path / "cache"
    at = Attempt("python3", tmp_path / "log", 60, said.append, {"XDG_CACHE_HOME": str(cache)})
    spec = InstallSpec(("Flask==1.1.2", BOGUS, "gunicorn==19.10.0"), app_root=str(app))
    again = UnknownUnusedPin()(_failure(NOT_FOUND), spec, at)
    assert again is not None and again.requirements == ("Flask==1.1.2", "gunicorn==19.10.0")
    assert said == [f"{BOGUS}: not on the package index (no release of that name), and the app's code does not "
                    "import it: left out (remove it from your requirements)"]
    # kept for plans (and the image) to leave it out too
    [dropped] = dropped_pins.known(cache / "shipyard")
    assert dropped.release == BOGUS
    # code that imports it keeps the line, and the failure stands
    make_tree(app, {"tools.py": "import freeze\n"})
    assert UnknownUnusedPin()(_failure(NOT_FOUND), spec, at) is None


MISSPELT = ("error: No solution found when resolving dependencies\n  cause: Because python-multicart was not found in "
            "the package registry and you require python-multicart, we can conclude that your requirements are "
            "unsatisfiable.\n")


def test_an_unpinned_line_of_a_name_no_index_has_that_the_code_never_imports_is_left_out(tmp_path):
    # a 2025 freeze ends in a hand-typed, misspelt `python-multicart` (no version): the install failed on it
    from conftest import make_tree
    app = make_tree(tmp_path / "app", {"main.py": "from fastapi import FastAPI\napp = FastAPI()\n"})
    said: list[str] = []
    cache = tmp_path / "cache"
    at = Attempt("python3", tmp_path / "log", 60, said.append, {"XDG_CACHE_HOME": str(cache)})
    spec = InstallSpec(("fastapi==0.116.1", "python-multicart"), app_root=str(app))
    again = UnknownUnusedPin()(_failure(MISSPELT), spec, at)
    assert again is not None and again.requirements == ("fastapi==0.116.1",)
    assert said == ["python-multicart: not on the package index (no release of that name), and the app's code does "
                    "not import it: left out (remove it from your requirements)"]
    # kept by name, for any line naming it (the plan reads the requirements file as written)
    [dropped] = dropped_pins.known(cache / "shipyard")
    assert dropped.release == "python-multicart"
    assert dropped_pins.for_requirements(["fastapi==0.116.1", "Python_Multicart>=0.1"], [dropped], dropped.python) \
        == (("Python_Multicart>=0.1", dropped),)
    assert dropped.note.startswith("the app requires python-multicart, which is not on the package index")
    # a name another line only starts with is not it
    assert dropped_pins.for_requirements(["python-multicart-extra"], [dropped], dropped.python) == ()


# uv on a 2024 fastapi[standard] freeze beside fastapi-users, which its requirements lack (Shipyard adds it unpinned)
UNPINNED_AGAINST_PINS = (
    "error: No solution found when resolving dependencies\n  cause: Because fastapi-users<=10.4.0 depends on "
    "python-multipart==0.0.5 and fastapi-users>=12.1.3 depends on email-validator>=1.1.0,<2.2, we can conclude that "
    "all of:\n             email-validator<1.1.0\n             email-validator>=2.2\n         , all of:\n"
    "             fastapi-users<=10.4.0\n             fastapi-users>=12.1.3\n         , python-multipart!=0.0.5 are "
    "incompatible.\n         And because fastapi-users>=10.4.1,<=12.1.2 depends on python-multipart==0.0.6 and you "
    "require email-validator==2.2.0, we can conclude that your requirements, all versions of fastapi-users, all of:\n"
    "             python-multipart<0.0.5\n             python-multipart>0.0.6\n          are incompatible.\n"
    "         And because you require python-multipart==0.0.9 and fastapi-users, we can conclude that your "
    "requirements are unsatisfiable.\n")


# uv's explanation when every release of the unpinned package excludes the pin by a few holes (a 2022 freeze's
# protobuf==3.20.1 beside an unpinned google.generativeai): "depend on one of:" names the package after "one of:"
UNPINNED_ONE_OF = (
    "error: No solution found when resolving dependencies\n  cause: Because google-generativeai>=0.8.4 depends on "
    "google-ai-generativelanguage==0.6.15 and all of:\n             google-ai-generativelanguage==0.6.10\n"
    "             google-ai-generativelanguage==0.6.15\n         depend on one of:\n             protobuf>=3.20.2,<4.21.0\n"
    "             protobuf>4.21.5,<6.0.0.dev0\n         we can conclude that all versions of google-generativeai depend "
    "on one of:\n             protobuf>=3.19.5,<3.20.0\n             protobuf>3.20.1,<4.21.0\n\n         And because "
    "you require google-generativeai and protobuf==3.20.1, we can conclude that your requirements are unsatisfiable.")


def test_pins_the_code_never_imports_give_way_to_an_unpinned_package_no_release_of_which_fits_them(tmp_path):
    from conftest import make_tree
    from shipyard.install_retries import PinsAgainstUnpinned
    app = make_tree(tmp_path / "app", {"users.py": "from fastapi_users import FastAPIUsers\n"})
    said: list[str] = []
    spec = InstallSpec(("email_validator==2.2.0", "fastapi==0.112.2", "python-multipart==0.0.9", "fastapi-users"),
                       app_root=str(app))
    step = PinsAgainstUnpinned()
    again = step(_failure(UNPINNED_AGAINST_PINS), spec, _attempt(tmp_path, said))
    assert again is not None
    assert again.requirements == ("email_validator", "fastapi==0.112.2", "python-multipart", "fastapi-users")
    assert said == ["email_validator==2.2.0, python-multipart==0.0.9: no release of fastapi-users (unpinned) installs "
                    "beside these pins, and the app's code does not import them: resolved to what fastapi-users "
                    "accepts instead (pin versions that fit together in your requirements)"]
    # kept for plans (and the image) pinning the same releases beside fastapi-users
    from shipyard import pin_conflicts
    assert pin_conflicts.known_gave_way(tmp_path / "cache" / "shipyard") == (pin_conflicts.GaveWay(
        ("email-validator==2.2.0", "python-multipart==0.0.9"), "fastapi-users"),)
    # each pin once
    assert step(_failure(UNPINNED_AGAINST_PINS), spec, _attempt(tmp_path, said)) is None
    # a pin the code imports stays (and the failure with it)
    make_tree(app, {"forms.py": "import multipart\nimport email_validator\n"})
    assert PinsAgainstUnpinned()(_failure(UNPINNED_AGAINST_PINS), spec, _attempt(tmp_path, said)) is None
    # fastapi-users pinned too: two pins that contradict each other are ConflictingPins' to say, not this step's
    pinned = InstallSpec(spec.requirements[:3] + ("fastapi-users==13.0.0",), app_root=str(make_tree(
        tmp_path / "other", {"users.py": "import fastapi_users\n"})))
    assert PinsAgainstUnpinned()(_failure(UNPINNED_AGAINST_PINS), pinned, _attempt(tmp_path, said)) is None
    # uv's "all versions of X depend on one of: protobuf..." names the pinned package after "one of:"
    genai = InstallSpec(("Flask==2.2.2", "google.generativeai", "protobuf==3.20.1"), app_root=str(make_tree(
        tmp_path / "genai", {"application.py": "import google.generativeai as genai\n"})))
    again = PinsAgainstUnpinned()(_failure(UNPINNED_ONE_OF), genai, _attempt(tmp_path, said))
    assert again is not None and again.requirements == ("Flask==2.2.2", "google.generativeai", "protobuf")
    assert said[-1].startswith("protobuf==3.20.1: no release of google-generativeai (unpinned)")


def test_a_freeze_with_a_name_no_index_has_resolves_without_it_with_real_uv(tmp_path):
    from conftest import make_tree
    python = require_python("3.11")
    app = make_tree(tmp_path / "app", {"app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    said: list[str] = []
    spec = InstallSpec(("flask==2.0.3", BOGUS), exclude_newer="2022-06-01T00:00:00Z", app_root=str(app))
    environments.install(python.path, spec, log=tmp_path / "log", timeout=300, say=said.append, what="resolving",
                         environ={"XDG_CACHE_HOME": str(tmp_path / "cache")}, resolve_only=True)
    assert any(note.startswith(f"{BOGUS}: not on the package index") for note in said), said


PYCONVERT_GONE = ("error: No solution found when resolving dependencies\n  cause: Because there is no version of "
                  "pyconvert==0.6.3 and you require pyconvert==0.6.3, we can conclude that your requirements are "
                  "unsatisfiable.\n")
NEEDS_LEFT_OUT = ("error: No solution found when resolving dependencies\n  cause: Because there are no versions of "
                  "pyconvert and pyrestful==0.4.2 depends on pyconvert, we can conclude that pyrestful==0.4.2 cannot "
                  "be used.\n      And because you require pyrestful==0.4.2, we can conclude that your requirements "
                  "are unsatisfiable.\n\nhint: `pyconvert` was filtered by `exclude-newer` to only include packages "
                  "uploaded before 2017-03-07T00:00:00Z. The latest version satisfying the requirement is v0.0.1, "
                  "published at 2026-08-09T16:46:07.392Z.\n")


def test_an_unused_pin_needing_a_package_left_out_as_removed_is_left_out_too(tmp_path):
    # real uv against the index: a 2017 aiohttp app's freeze pins pyrestful==0.4.2 and its dependency
    # pyconvert==0.6.3, which is gone; the name pyconvert now holds a 2026 project (0.0.1, Python 3.11+ only).
    # Neither is imported: taking that release as of today would move the whole app to Python 3.11.
    from conftest import make_tree
    python = require_python("3.8")
    app = make_tree(tmp_path / "app", {"server.py": "from aiohttp import web\napp = web.Application()\n"})
    said: list[str] = []
    cache = tmp_path / "cache"
    at, step = _attempt(tmp_path, said, python.path, 120), RemovedRelease()
    spec = InstallSpec(("aiohttp==1.2.0", "pyconvert==0.6.3", "pyrestful==0.4.2"),
                       exclude_newer="2017-03-07T00:00:00Z", app_root=str(app))
    once = step(_failure(PYCONVERT_GONE), spec, at)
    assert once is not None and once.requirements == ("aiohttp==1.2.0", "pyrestful==0.4.2")
    twice = step(_failure(NEEDS_LEFT_OUT), once, at)
    assert twice is not None and twice.requirements == ("aiohttp==1.2.0",) and not twice.undated
    assert said[1] == ("pyrestful==0.4.2 requires pyconvert, which was left out (no release of it is left on the "
                       "package index), and the app's code does not import it: left out too (remove both from your "
                       "requirements)")
    assert {d.release for d in dropped_pins.known(cache / "shipyard")} == {"pyconvert==0.6.3", "pyrestful==0.4.2"}
    # not before its dependency was left out (the release-date step's to answer), nor when the code imports it
    assert RemovedRelease()(_failure(NEEDS_LEFT_OUT), once, at) is None
    make_tree(app, {"api.py": "import pyrestful\n"})
    fresh = RemovedRelease()
    fresh.moved.add("pyconvert")
    assert fresh(_failure(NEEDS_LEFT_OUT), once, at) is None


def test_a_relaxed_pin_another_pin_rejects_is_put_back_and_the_unused_old_generation_left_out(tmp_path, monkeypatch):
    """A 2019 freeze of a Channels 2 app keeps asgi-redis 1.4.3 of Channels 1 (asgiref<1.2) beside asgiref==3.1.2
    and channels 2.2.0 (asgiref>=3). The first failure relaxes asgiref to asgi-redis' range; the second, channels
    rejecting that range, puts the pin back and leaves asgi-redis out: the code never imports it, and the rest
    resolves without it. Where the code imports it, nothing more is tried."""
    from test_pin_conflicts import CHANNELS_FREEZE, NEW_GENERATION, OLD_GENERATION
    from shipyard import pin_conflicts
    app = tmp_path / "app"
    app.mkdir()
    (app / "settings.py").write_text("INSTALLED_APPS = ['channels']\nCHANNEL_LAYERS = {'default': "
                                     "{'BACKEND': 'channels_redis.core.RedisChannelLayer'}}\n")
    asked: list[tuple[str, ...]] = []

    def resolved(python, spec, **kwargs):
        asked.append(spec.requirements)
        return {"asgiref", "channels", "django", "pytz"}
    monkeypatch.setattr("shipyard.install_retries.resolved_names", resolved)
    monkeypatch.setattr("shipyard.install_retries.find_uv", lambda *a: "uv")
    said: list[str] = []
    at, step = _attempt(tmp_path, said), ConflictingPins()
    spec = InstallSpec(CHANNELS_FREEZE, app_root=str(app))
    relaxed = step(_failure(OLD_GENERATION), spec, at)
    assert relaxed is not None and "asgiref>=1.1.2,<1.2.dev0" in relaxed.requirements
    again = step(_failure(NEW_GENERATION), relaxed, at)
    assert again is not None and again.requirements == ("asgiref==3.1.2", "channels==2.2.0", "Django==1.11.8")
    assert asked == [again.requirements]
    assert said[-1].startswith("asgiref==3.1.2 put back as the app pins it: channels==2.2.0 requires "
                               "asgiref>=3.0,<4.dev0") and "asgi-redis==1.4.3, which requires asgiref>=1.1.2,<1.2.dev0, "\
                               "is left out instead" in said[-1]
    # kept for plans: the image leaves it out and keeps the pin too
    cache = tmp_path / "cache" / "shipyard"
    assert [left.release for left in pin_conflicts.known_left_out(cache)] == ["asgi-redis==1.4.3"]
    assert pin_conflicts.known_left_out(cache)[0].against == ("asgiref==3.1.2", "channels==2.2.0")
    assert pin_conflicts.relax_all(CHANNELS_FREEZE, pin_conflicts.known(cache)) == (CHANNELS_FREEZE, ())
    # the code imports asgi_redis: it stays, and the install fails on the conflict
    (app / "layers.py").write_text("import asgi_redis\n")
    step = ConflictingPins()
    relaxed = step(_failure(OLD_GENERATION), spec, at)
    assert step(_failure(NEW_GENERATION), relaxed, at) is None


def test_a_pin_the_plan_relaxed_before_the_install_is_put_back_as_the_app_wrote_it(tmp_path, monkeypatch):
    """The plan relaxed asgiref==3.1.2 already (an earlier install here met asgi-redis' conflict, and not yet
    channels'): the .venv's install starts from the relaxed range, meets channels' conflict, and puts the app's
    own pin back from its requirements file."""
    from test_pin_conflicts import CHANNELS_FREEZE, NEW_GENERATION, OLD_GENERATION
    from shipyard import pin_conflicts
    app = tmp_path / "app"
    app.mkdir()
    (app / "settings.py").write_text("INSTALLED_APPS = ['channels']\n")
    (app / "requirements.txt").write_text("\n".join(CHANNELS_FREEZE) + "\n")
    pin_conflicts.remember(tmp_path / "cache" / "shipyard", pin_conflicts.reported(OLD_GENERATION, CHANNELS_FREEZE))
    monkeypatch.setattr("shipyard.install_retries.resolved_names", lambda *a, **k: {"asgiref", "channels", "django"})
    monkeypatch.setattr("shipyard.install_retries.find_uv", lambda *a: "uv")
    said: list[str] = []
    planned = InstallSpec(("asgi-redis==1.4.3", "asgiref>=1.1.2,<1.2.dev0", "channels==2.2.0", "Django==1.11.8"),
                          app_root=str(app))
    again = ConflictingPins()(_failure(NEW_GENERATION), planned, _attempt(tmp_path, said))
    assert again is not None and again.requirements == ("asgiref==3.1.2", "channels==2.2.0", "Django==1.11.8")
    assert said[-1].startswith("asgiref==3.1.2 put back as the app pins it")


def test_a_wheel_pip_built_for_another_python_is_not_reused_for_this_one(tmp_path):
    # Twisted 19.2.0 (.tar.bz2 only) built by pip for a Python 3.7 proof; the proof then moved to 3.6 (Django 1.11.8
    # does not import on 3.7), and the .venv's install was offered the cp37 wheel again: uv refused the release
    from shipyard.install_retries import _built_for
    folder = tmp_path / "twisted_19.2.0"
    assert not _built_for(folder, "3.6.15")
    folder.mkdir()
    (folder / "Twisted-19.2.0-cp37-cp37m-linux_x86_64.whl").write_bytes(b"")
    assert _built_for(folder, "3.7.16") and not _built_for(folder, "3.6.15")
    assert _built_for(folder, "")                   # the version unknown: any wheel, as before
    (folder / "PyPDF2-1.26.0-py3-none-any.whl").write_bytes(b"")
    assert _built_for(folder, "3.6.15")             # a pure wheel installs anywhere


def test_a_backport_left_out_up_front_is_said_once_when_serve_installs_twice(tmp_path, monkeypatch):
    # serve installs the proof's environment, then the app's .venv, in one run: "typing==3.7.4.3 left out up front"
    # was printed by each
    import sys
    here = Interpreter(sys.executable, ".".join(map(str, sys.version_info[:3])))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    said: list[str] = []
    for _ in range(2):
        made = environments.on_older_pythons(here, InstallSpec(("six==1.16.0", "typing==3.7.4.3")),
                                             lambda python, spec: spec.requirements, said.append)
        assert made == ("six==1.16.0",)
    assert [line.split(" left out")[0] for line in said] == ["typing==3.7.4.3"], said
