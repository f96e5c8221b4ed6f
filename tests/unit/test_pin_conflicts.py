"""Two of an app's exact pins that contradict each other: what uv reports, which pin gives way, and how the plan
and the generated files carry it. The uv explanations below are uv's own output for those requirement sets."""

from __future__ import annotations

import dataclasses
import json

import pytest

from shipyard import pin_conflicts
from shipyard.detect import deps
from shipyard.pin_conflicts import Conflict, known, relax, relax_all, remember, reported
from shipyard.plan import Dependency
from shipyard.planner import make_plan
from shipyard.render import Target, render

import plans

# Werkzeug==2.2.3 MarkupSafe==2.0.1 (the install's own explanation, with its dated options)
WERKZEUG = """Using Python 3.11.2 environment at: /root/.cache/shipyard/envs/x
error: No solution found when resolving dependencies
  cause: Because werkzeug==2.2.3 depends on markupsafe>=2.1.1 and you require markupsafe==2.0.1, we can conclude \
that your requirements and werkzeug==2.2.3 are incompatible.
         And because you require werkzeug==2.2.3, we can conclude that your requirements are unsatisfiable.
"""
# Flask==2.3.0 MarkupSafe==2.0.1: through Werkzeug, which the app does not pin
CHAIN = """error: No solution found when resolving dependencies
  cause: Because werkzeug>=2.3.0 depends on markupsafe>=2.1.1 and flask==2.3.0 depends on werkzeug>=2.3.0, we can \
conclude that flask==2.3.0 depends on markupsafe>=2.1.1.
         And because you require flask==2.3.0 and markupsafe==2.0.1, we can conclude that your requirements are \
unsatisfiable.
"""
# requests>=2.25,<2.26 idna==3.4: the depender is a range, not a pin
RANGE = """error: No solution found when resolving dependencies
  cause: Because requests>=2.25.0,<=2.25.1 depends on idna>=2.5,<3 and you require requests>=2.25,<2.26, we can \
conclude that you require idna>=2.5,<3.
         And because you require idna==3.4, we can conclude that your requirements are unsatisfiable.
"""
# requests==2.25.1 idna==3.4, as uv colours it on a terminal
COLOURED = ("\x1b[31merror\x1b[0m: No solution found when resolving dependencies\n  \x1b[31mcause\x1b[0m: Because "
            "\x1b[36mrequests==2.25.1\x1b[0m depends on \x1b[36midna>=2.5,<3\x1b[0m and you require "
            "\x1b[36mrequests==2.25.1\x1b[0m, we can conclude that you require \x1b[36midna>=2.5,<3\x1b[0m.\n")

FREEZE = ("Flask==2.0.2", "Jinja2==3.0.3", "MarkupSafe==2.0.1", "Werkzeug==2.2.3")

# pip 23's ResolutionImpossible for requests==2.25.1 idna==3.4 (uv missing: pip installs), and for a third pin that
# requires the other side
PIP = """Collecting chardet<5,>=3.0.2 (from requests==2.25.1)
INFO: pip is looking at multiple versions of requests to determine which version is compatible with other requirements.
ERROR: Cannot install idna==3.4 and requests==2.25.1 because these package versions have conflicting dependencies.

The conflict is caused by:
    The user requested idna==3.4
    requests 2.25.1 depends on idna<3 and >=2.5

To fix this you could try to:
1. loosen the range of package versions you've specified
2. remove package versions to allow pip attempt to solve the dependency conflict

ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/topics/dependency-resolution/
"""
PIP_THREE = """ERROR: Cannot install -r r.txt (line 1), -r r.txt (line 3) and urllib3==1.26.5 because these package \
versions have conflicting dependencies.

The conflict is caused by:
    The user requested urllib3==1.26.5
    requests 2.25.1 depends on urllib3<1.27 and >=1.21.1
    types-requests 2.31.0.20240406 depends on urllib3>=2

To fix this you could try to:
1. loosen the range of package versions you've specified
2. werkzeug 9.9 depends on markupsafe>=9 (not a cause: after the causes' paragraph)

ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/topics/dependency-resolution/
"""


def test_reads_what_each_pinned_release_requires_from_uvs_explanation():
    assert reported(WERKZEUG) == (Conflict("werkzeug==2.2.3", "markupsafe>=2.1.1"),)
    assert reported(CHAIN) == (Conflict("flask==2.3.0", "werkzeug>=2.3.0"), Conflict("flask==2.3.0", "markupsafe>=2.1.1"))
    assert reported(COLOURED) == (Conflict("requests==2.25.1", "idna>=2.5,<3"),)
    assert reported(RANGE) == ()
    assert reported("error: Failed to build `psycopg2==2.5.3`") == ()


# python-jose-cryptodome==1.3.2 pycryptodome==3.6.6 (a dependabot bump of one side only): every release of the
# first requires pycryptodome<3.4, and uv says so of all of them
ALL_VERSIONS = """error: No solution found when resolving dependencies
  cause: Because all versions of python-jose-cryptodome depend on pycryptodome>=3.3.1,<3.4.0 and you require \
pycryptodome==3.6.6, we can conclude that your requirements and all versions of python-jose-cryptodome are \
incompatible.
         And because you require python-jose-cryptodome==1.3.2, we can conclude that your requirements are \
unsatisfiable.
"""


def test_what_all_versions_of_a_pinned_package_require_holds_for_its_pin():
    pins = ("Flask==1.1.1", "pycryptodome==3.6.6", "python-jose-cryptodome==1.3.2")
    assert reported(ALL_VERSIONS, pins) == (Conflict("python-jose-cryptodome==1.3.2", "pycryptodome>=3.3.1,<3.4.0"),)
    relaxed = relax(pins, reported(ALL_VERSIONS, pins), imported=("flask", "python-jose-cryptodome"))
    assert (relaxed.line, relaxed.instead) == ("pycryptodome==3.6.6", "pycryptodome>=3.3.1,<3.4.0")
    # not pinned by the app: nothing to say of a release
    assert reported(ALL_VERSIONS) == reported(ALL_VERSIONS, ("python-jose-cryptodome>=1",)) == ()


# a 2018 freeze with docker-compose==1.21.2 (which excludes a few requests releases) beside requests==2.20.0: uv
# says what it depends on as "one of" several ranges, which nothing read, so the install failed on the conflict
ONE_OF = """Using Python 3.8.18 environment at: /tmp/app/.venv
error: No solution found when resolving dependencies
  cause: Because docker-compose==1.21.2 depends on one of:
             requests>=2.6.1,<2.11.0
             requests>2.11.0,<2.12.2
             requests>2.12.2,<2.18.0
             requests>2.18.0,<2.19
         and you require docker-compose==1.21.2, we can conclude that you require one of:
             requests>=2.6.1,<2.11.0
             requests>2.11.0,<2.12.2
             requests>2.12.2,<2.18.0
             requests>2.18.0,<2.19

         And because you require requests==2.20.0, we can conclude that your requirements are unsatisfiable.
"""


def test_a_release_depending_on_one_of_several_ranges_conflicts_with_their_span():
    pins = ("Flask==1.0", "docker-compose==1.21.2", "requests==2.20.0")
    assert reported(ONE_OF, pins) == (Conflict("docker-compose==1.21.2", "requests>=2.6.1,<2.19"),)
    # the app's code imports requests, not docker-compose: docker-compose moves to the releases that may take it
    relaxed = relax(pins, reported(ONE_OF, pins), imported=("flask", "requests"))
    assert (relaxed.line, relaxed.instead) == ("docker-compose==1.21.2", "docker-compose>1.21.2")
    relaxed = relax(pins, reported(ONE_OF, pins), imported=("flask",))
    assert (relaxed.line, relaxed.instead) == ("requests==2.20.0", "requests>=2.6.1,<2.19")


NEWER_PYTHON = """  × No solution found when resolving dependencies:
  ╰─▶ Because the current Python version (3.8.20) does not satisfy Python>=3.10 and django==5.0.7 depends on
      Python>=3.10, we can conclude that django==5.0.7 cannot be used.
      And because you require django==5.0.7, we can conclude that your requirements are unsatisfiable.
"""


def test_a_pin_that_needs_a_newer_python_is_no_conflict_between_packages():
    # the interpreter is no pin to relax or leave out: environments.on_older_pythons moves Python instead
    # (before, LeftoverPins left the app's Django out as "a leftover of pip freeze")
    assert reported(NEWER_PYTHON) == ()
    assert reported(CHAIN + NEWER_PYTHON) == reported(CHAIN)


def test_reads_pips_conflict_causes_as_uvs():
    assert reported(PIP) == (Conflict("requests==2.25.1", "idna<3,>=2.5"),)
    assert reported(PIP_THREE) == (Conflict("requests==2.25.1", "urllib3<1.27,>=1.21.1"),
                                   Conflict("types-requests==2.31.0.20240406", "urllib3>=2"))
    # newer pip writes the specifier as one ("idna<3,>=2.5"), and names extras
    assert reported(PIP.replace("idna<3 and >=2.5", "idna<3,>=2.5").replace("requests 2.25.1", "requests[socks] 2.25.1")
                    ) == (Conflict("requests==2.25.1", "idna<3,>=2.5"),)
    relaxed = relax(("requests==2.25.1", "idna==3.4"), reported(PIP))
    assert (relaxed.line, relaxed.instead) == ("idna==3.4", "idna<3,>=2.5")
    # pip failing otherwise (a build) is no conflict
    assert reported("ERROR: Failed building wheel for psycopg2\nThe user requested psycopg2==2.8.6\n") == ()


def test_the_dependency_side_is_relaxed_to_what_the_other_pin_requires():
    relaxed = relax(FREEZE, reported(WERKZEUG), imported=("flask",))
    assert (relaxed.line, relaxed.instead) == ("MarkupSafe==2.0.1", "MarkupSafe>=2.1.1")
    assert relaxed.note == ("the app pins MarkupSafe==2.0.1 and Werkzeug==2.2.3, which requires markupsafe>=2.1.1: "
                            "MarkupSafe==2.0.1 relaxed to MarkupSafe>=2.1.1 (fix that pin in the app's requirements)")
    # through a package the app does not pin: still two of its pins
    chained = relax(("Flask==2.3.0", "MarkupSafe==2.0.1"), reported(CHAIN))
    assert (chained.line, chained.instead, chained.depender) == ("MarkupSafe==2.0.1", "MarkupSafe>=2.1.1",
                                                                 "Flask==2.3.0")


def test_the_other_pin_moves_when_the_app_imports_the_dependency_and_not_it():
    # the dependency pinned below what the depender requires: older releases of the depender
    older = relax(FREEZE, reported(WERKZEUG), imported=("flask", "markupsafe"))
    assert (older.line, older.instead) == ("Werkzeug==2.2.3", "Werkzeug<2.2.3")
    assert "MarkupSafe==2.0.1, which its code imports" in older.note
    # pinned above (idna 3.4, requests 2.25.1 wants <3): newer ones
    newer = relax(("requests==2.25.1", "idna==3.4"), reported(COLOURED), imported=("idna",))
    assert (newer.line, newer.instead) == ("requests==2.25.1", "requests>2.25.1")
    # both imported: the dependency side, as without imports
    both = relax(FREEZE, reported(WERKZEUG), imported=("werkzeug", "markupsafe"))
    assert both.line == "MarkupSafe==2.0.1"


def test_only_a_conflict_between_two_exact_pins_is_relaxed():
    assert relax(("requests>=2.25,<2.26", "idna==3.4"), [Conflict("requests==2.25.1", "idna>=2.5,<3")]) is None
    assert relax(("requests==2.25.1", "idna>=3"), [Conflict("requests==2.25.1", "idna>=2.5,<3")]) is None
    # the dependency pinned inside what is required: no conflict of theirs
    assert relax(("requests==2.25.1", "idna==2.10"), [Conflict("requests==2.25.1", "idna>=2.5,<3")]) is None
    # another release of the depender than the app pins
    assert relax(("requests==2.31.0", "idna==3.4"), [Conflict("requests==2.25.1", "idna>=2.5,<3")]) is None


def test_extras_markers_and_spelling_of_the_app_line_are_kept():
    relaxed = relax(("Requests[socks]==2.25.1", "IDNA[all] == 3.4 ; python_version >= '3'"),
                    [Conflict("requests==2.25.1", "idna>=2.5,<3")])
    assert relaxed.instead == "IDNA[all]>=2.5,<3; python_version >= '3'"


def test_every_known_conflict_applies_in_turn():
    lines = ("requests==2.25.1", "idna==3.4", "urllib3==2.0.0", "six==1.16.0")
    known_ones = [Conflict("requests==2.25.1", "idna>=2.5,<3"), Conflict("requests==2.25.1", "urllib3>=1.21.1,<1.27"),
                  Conflict("werkzeug==2.2.3", "markupsafe>=2.1.1")]
    out, relaxed = relax_all(lines, known_ones)
    assert out == ("requests==2.25.1", "idna>=2.5,<3", "urllib3>=1.21.1,<1.27", "six==1.16.0")
    assert [r.line for r in relaxed] == ["idna==3.4", "urllib3==2.0.0"]


def test_what_uv_reported_is_kept_merged_and_a_damaged_file_is_nothing(tmp_path):
    assert known(tmp_path) == ()
    remember(tmp_path, [Conflict("werkzeug==2.2.3", "markupsafe>=2.1.1")])
    remember(tmp_path, [Conflict("requests==2.25.1", "idna>=2.5,<3"), Conflict("werkzeug==2.2.3", "markupsafe>=2.1.1")])
    assert known(tmp_path) == (Conflict("werkzeug==2.2.3", "markupsafe>=2.1.1"),
                               Conflict("requests==2.25.1", "idna>=2.5,<3"))
    (tmp_path / "pin-conflicts.json").write_text("{not json")
    assert known(tmp_path) == ()


def _freeze_app(tmp_path, imports: str = "flask"):
    root = tmp_path / "app"
    root.mkdir(parents=True)
    (root / "app.py").write_text(f"import {imports}\nfrom flask import Flask\napp = Flask(__name__)\n")
    (root / "requirements.txt").write_text("\n".join(FREEZE) + "\n")
    return root


def test_a_plan_relaxes_the_pins_a_known_conflict_relaxes_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = _freeze_app(tmp_path)
    before = make_plan(root, confirm=False, installed=False)
    assert not deps.relaxed_pins(before.dependencies)
    remember(tmp_path / "cache" / "shipyard", [Conflict("werkzeug==2.2.3", "markupsafe>=2.1.1")])
    plan = make_plan(root, confirm=False, installed=False)
    markupsafe = next(d for d in plan.dependencies if d.name == "MarkupSafe")
    assert markupsafe.requirement == "MarkupSafe>=2.1.1"
    assert deps.relaxed_pins(plan.dependencies) == ((markupsafe, "MarkupSafe==2.0.1",
                                                    "Werkzeug==2.2.3 requires markupsafe>=2.1.1"),)
    assert any(n.startswith("the app pins MarkupSafe==2.0.1 and Werkzeug==2.2.3") and
               n.endswith("the generated image installs it relaxed too") for n in plan.notes), plan.notes
    # the plan goes through JSON unchanged
    assert type(plan).from_json(plan.to_json()) == plan
    # the app imports markupsafe itself: Werkzeug moves instead
    moved = make_plan(_freeze_app(tmp_path / "other", "markupsafe"), confirm=False, installed=False)
    assert [(r, why) for _, r, why in deps.relaxed_pins(moved.dependencies)] == [
        ("Werkzeug==2.2.3", "Werkzeug==2.2.3 requires markupsafe>=2.1.1, and the app imports MarkupSafe")]


def test_a_pin_two_known_conflicts_relax_one_after_the_other_is_planned_at_the_last(tmp_path, monkeypatch):
    # Vataxia's freeze: awscli 1.11.105 moves botocore 1.4.93 to ==1.5.68, which boto3 1.4.0 then moves to <1.5.0
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    from conftest import make_tree
    root = make_tree(tmp_path / "app", {"app.py": "import boto3\nfrom flask import Flask\napp = Flask(__name__)\n",
                                        "requirements.txt": "Flask==2.2.3\nboto3==1.4.0\nbotocore==1.4.93\n"
                                                            "awscli==1.11.105\n"})
    remember(tmp_path / "cache" / "shipyard", [Conflict("awscli==1.11.105", "botocore==1.5.68"),
                                               Conflict("boto3==1.4.0", "botocore>=1.4.1,<1.5.0")])
    plan = make_plan(root, confirm=False, installed=False)
    botocore = next(d for d in plan.dependencies if d.name == "botocore")
    assert botocore.requirement == "botocore>=1.4.1,<1.5.0"
    assert "relaxed from botocore==1.4.93: boto3==1.4.0 requires botocore>=1.4.1,<1.5.0" in botocore.source


def _relaxed_plan(**changes):
    plan = plans.flask_wsgi(**changes)
    relaxed = (Dependency("Werkzeug", "==2.2.3", "requirements.txt"),
               Dependency("MarkupSafe", ">=2.1.1", "requirements.txt (relaxed from MarkupSafe==2.0.1: Werkzeug==2.2.3 "
                                                   "requires markupsafe>=2.1.1)"))
    return dataclasses.replace(plan, dependencies=plan.dependencies[:1] + relaxed + plan.dependencies[1:])


def test_the_image_overrides_the_relaxed_pin_of_the_apps_requirement_files():
    dockerfile = render(_relaxed_plan(), Target.image())["Dockerfile"]
    assert ("# The app pins MarkupSafe==2.0.1, which another of its pins contradicts (Werkzeug==2.2.3 requires "
            "markupsafe>=2.1.1):") in dockerfile
    assert ("RUN printf '%s\\n' 'MarkupSafe>=2.1.1' >/tmp/relaxed-pins.txt \\\n && /opt/uv/bin/uv pip install "
            "--python /opt/venv/bin/python -r requirements.txt --override /tmp/relaxed-pins.txt") in dockerfile
    assert "--override" not in render(plans.flask_wsgi(), Target.image())["Dockerfile"]


def test_a_generated_requirements_file_carries_the_relaxed_pin_with_a_comment():
    plan = dataclasses.replace(_relaxed_plan(), dependency_files=(), dependencies_inferred=True)
    files = render(plan, Target.image())
    assert ("# relaxed from MarkupSafe==2.0.1: Werkzeug==2.2.3 requires markupsafe>=2.1.1\nMarkupSafe>=2.1.1\n"
            in files["requirements.txt"])
    assert "--override" not in files["Dockerfile"]


@pytest.mark.parametrize("text", [WERKZEUG, CHAIN, COLOURED])
def test_no_conflict_is_read_from_an_install_that_did_not_fail_on_resolving(text):
    assert reported(text.replace("No solution found when resolving", "Resolved")) == ()


def test_a_pin_the_code_does_not_use_is_a_leftover_candidate():
    """flake8 and autopep8 left in a freeze, requiring pycodestyle ranges that exclude each other: each is a
    candidate to leave out, in uv's order, unless the app uses it; a pin on the dependency side never is."""
    log = ("No solution found when resolving dependencies: Because flake8==3.7.9 depends on pycodestyle>=2.5.0,<2.6.0 "
           "and autopep8==2.0.4 depends on pycodestyle>=2.10.0, we can conclude that autopep8==2.0.4 and "
           "flake8==3.7.9 are incompatible.")
    requirements = ("idna==3.4", "Flake8==3.7.9", "autopep8==2.0.4")
    found = pin_conflicts.leftover_candidates(requirements, reported(log), used=("idna",))
    assert [f.line for f in found] == ["Flake8==3.7.9", "autopep8==2.0.4"]
    assert found[0].note.startswith("the app pins Flake8==3.7.9, which requires pycodestyle>=2.5.0,<2.6.0 against")
    assert [f.line for f in pin_conflicts.leftover_candidates(requirements, reported(log), used=("flake8",))] == \
        ["autopep8==2.0.4"]
    # a range is not a pin of a release: not a leftover to leave out
    assert pin_conflicts.leftover_candidates(("flake8>=3", "autopep8>=2"), reported(log), used=()) == ()


# a 2020 pip freeze (pip's old resolver installed it with a warning): heroku==0.1.4, the Heroku API client nothing
# imports, requires python-dateutil==1.5, Faker==0.9.1 python-dateutil>=2.4. Once the dateutil pin gave way to
# Faker, uv said of heroku what holds from its pin to its last release, "heroku>=0.1.4", which nothing read: the
# install failed on a conflict whose leftover side was never left out
LAST_RELEASE = """Using Python 3.8.18 environment at: /tmp/app/.venv
error: No solution found when resolving dependencies
  cause: Because heroku>=0.1.4 depends on python-dateutil==1.5 and you require heroku==0.1.4, we can conclude that \
you require python-dateutil==1.5.
         And because you require python-dateutil>=2.4, we can conclude that your requirements are unsatisfiable.
"""


def test_what_a_range_of_releases_holding_the_pin_requires_holds_for_the_pin():
    pins = ("Django==3.1.4", "Faker==0.9.1", "heroku==0.1.4", "python-dateutil>=2.4")
    assert reported(LAST_RELEASE, pins) == (Conflict("heroku==0.1.4", "python-dateutil==1.5"),)
    found = pin_conflicts.leftover_candidates(pins, reported(LAST_RELEASE, pins), used=("django",))
    assert [f.line for f in found] == ["heroku==0.1.4"]
    # a pin outside the range uv speaks of, or no pin at all: nothing is said of it
    assert reported(LAST_RELEASE, ("heroku==0.1.3", "python-dateutil>=2.4")) == ()
    assert reported(LAST_RELEASE, ("heroku>=0.1", "python-dateutil>=2.4")) == ()


# a 2019 Windows freeze of a Channels 2 app (pip's old resolver installed it with a warning): asgi-redis 1.4.3, of
# Channels 1, requires asgiref<1.2; channels 2.2.0 requires asgiref>=3, and asgiref==3.1.2 is pinned. uv's two
# explanations, before and after the asgiref pin gave way to asgi-redis
OLD_GENERATION = """error: No solution found when resolving dependencies
  cause: Because asgi-redis>=1.4.3 depends on asgiref>=1.1.2,<1.2.dev0 and you require asgi-redis==1.4.3, we can \
conclude that you require asgiref>=1.1.2,<1.2.dev0.
         And because you require asgiref==3.1.2, we can conclude that your requirements are unsatisfiable.
"""
NEW_GENERATION = """error: No solution found when resolving dependencies
  cause: Because channels==2.2.0 depends on asgiref>=3.0,<4.dev0 and you require asgiref>=1.1.2,<1.2.dev0, we can \
conclude that your requirements and channels==2.2.0 are incompatible.
         And because you require channels==2.2.0, we can conclude that your requirements are unsatisfiable.
"""
CHANNELS_FREEZE = ("asgi-redis==1.4.3", "asgiref==3.1.2", "channels==2.2.0", "Django==1.11.8")


def test_a_pin_another_pin_accepts_is_not_relaxed_to_a_range_that_one_rejects():
    first = reported(OLD_GENERATION, CHANNELS_FREEZE)
    second = reported(NEW_GENERATION, pin_conflicts.apply(CHANNELS_FREEZE, relax(CHANNELS_FREEZE, first)))
    assert first == (Conflict("asgi-redis==1.4.3", "asgiref>=1.1.2,<1.2.dev0"),)
    assert second == (Conflict("channels==2.2.0", "asgiref>=3.0,<4.dev0"),)
    # with only the first known, the dependency side gives way, as for any two pins
    assert relax(CHANNELS_FREEZE, first).instead == "asgiref>=1.1.2,<1.2.dev0"
    # with both: no release of asgiref satisfies both, and the pin fits channels: it stays (the plan leaves
    # asgi-redis out instead, as a leftover the install found)
    assert relax(CHANNELS_FREEZE, first + second) is None
    assert relax_all(CHANNELS_FREEZE, first + second) == (CHANNELS_FREEZE, ())
    # ranges sharing releases: the relaxed range can satisfy both, and the pin gives way as before
    overlapping = (Conflict("channels==2.2.0", "asgiref>=1.0"),)
    assert relax(CHANNELS_FREEZE, first + overlapping).instead == "asgiref>=1.1.2,<1.2.dev0"
    # the other package is not pinned by the app: nothing it requires holds the pin
    assert relax(("asgi-redis==1.4.3", "asgiref==3.1.2", "channels>=2"), first + second).line == "asgiref==3.1.2"


def test_a_plan_keeps_the_pin_and_leaves_the_old_generation_out_once_an_install_did(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    from conftest import make_tree
    root = make_tree(tmp_path / "app", {"app.py": "import channels\nfrom flask import Flask\napp = Flask(__name__)\n",
                                        "requirements.txt": "\n".join(("Flask==2.2.3", *CHANNELS_FREEZE)) + "\n"})
    cache = tmp_path / "cache" / "shipyard"
    remember(cache, reported(OLD_GENERATION, CHANNELS_FREEZE) + (Conflict("channels==2.2.0", "asgiref>=3.0,<4.dev0"),))
    pin_conflicts.remember_left_out(cache, pin_conflicts.LeftOut("asgi-redis==1.4.3", "asgiref>=1.1.2,<1.2.dev0",
                                                                 ("asgiref==3.1.2", "channels==2.2.0")))
    plan = make_plan(root, confirm=False, installed=False)
    lines = {d.requirement for d in plan.dependencies}
    assert "asgiref==3.1.2" in lines and "channels==2.2.0" in lines
    assert not any(line.startswith("asgi-redis") for line in lines)
    assert not deps.relaxed_pins(plan.dependencies)
