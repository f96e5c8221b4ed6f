"""An app of 2014 naming psycopg2 without a pin, resolved as of its files' date (2.5.2, sdist only, which does not
build here) moves to the first later release with a wheel, 2.7: that wheel installs, but the libresolv it bundles
asks for a private symbol of an old glibc (`__res_maybe_init@GLIBC_PRIVATE`), as do 2.7.1 to 2.7.3. The install,
not the app's pin, chose that release: it goes on to the next later one with a wheel until the bundled libraries
load (2.7.3.1), with a note each time. Before, serve stopped with "relax the pin" for a pin the app never wrote.
Real uv installs of the real releases on Python 3.6."""

from __future__ import annotations

import os
import subprocess
import time

import pytest

from conftest import make_tree, require_python
from shipyard.install_retries import UNLOADABLE_MOVES, Attempt, DatedReleaseUnbuilt
from shipyard.environments import EnvironmentUnavailable, InstallSpec
from shipyard.planner import make_plan
from shipyard.run.appenv import install_app_env

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("own_shipyard_cache")]

WSGI = "def application(environ, start_response):\n    start_response('200 OK', [])\n    return [b'ok']\n"
MAY_2014 = time.mktime((2014, 5, 8, 12, 0, 0, 0, 0, -1))


def test_an_unpinned_release_whose_wheel_does_not_load_moves_on_until_one_loads(tmp_path):
    py36 = require_python("3.6")
    root = make_tree(tmp_path / "oldpg", {"app.py": "import psycopg2\n" + WSGI, "requirements.txt": "psycopg2\n"})
    for name in ("app.py", "requirements.txt"):
        os.utime(root / name, (MAY_2014, MAY_2014))
    plan = make_plan(root, {"python": py36.minor}, confirm=False, installed=False)
    said: list[str] = []
    env = install_app_env(root, plan, said.append)
    assert any("psycopg2==2.7's wheel bundles a library that does not load on this system: using psycopg2==2.7.1"
               in line for line in said), said
    done = subprocess.run([env.python, "-c", "import psycopg2; print(psycopg2.__version__.split()[0])"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "2.7.3.1", (done.stdout, done.stderr, said)


def test_the_moves_past_unloadable_wheels_are_bounded_and_an_exact_pin_is_left_to_the_caller(tmp_path):
    py36 = require_python("3.6")
    said: list[str] = []
    at = Attempt(py36.path, tmp_path / "log", 60, said.append, {"XDG_CACHE_HOME": str(tmp_path / "cache")})
    step, spec = DatedReleaseUnbuilt(), InstallSpec(("psycopg2",), exclude_newer="2014-05-08T00:00:00Z")

    def unloadable(pin: str) -> EnvironmentUnavailable:
        failure = EnvironmentUnavailable(f"installing failed: {pin}'s wheel bundles libresolv")
        failure.unloadable = pin
        return failure

    first = step(unloadable("psycopg2==2.7"), spec, at)     # the day's release itself does not load: moved once
    assert first is not None and first.constraints == ("psycopg2==2.7.1",) and first.undated == ("psycopg2",)
    again = step(unloadable("psycopg2==2.7.1"), first, at)
    assert again is not None and again.constraints == ("psycopg2==2.7.2",)   # replaced, not added to
    moves = 1
    while again is not None and moves <= UNLOADABLE_MOVES:
        version = again.constraints[0].partition("==")[2]
        again, moves = step(unloadable(f"psycopg2=={version}"), again, at), moves + 1
    assert again is None and moves == UNLOADABLE_MOVES + 1                    # bounded
    assert step(unloadable("psycopg2==2.7"), InstallSpec(("psycopg2==2.7",), exclude_newer="2014-05-08T00:00:00Z"),
                at) is None                                                  # the app's own pin: not this step's


def test_an_unpinned_release_that_does_not_build_with_no_later_wheel_builds_its_newest_for_this_python(tmp_path):
    """mysqlclient publishes no wheel for Linux: its release of 2016 (1.3.7) no longer compiles against MariaDB
    10.11's connector (`MYSQL` has no member `reconnect`). The newest release for Python 3.6 (uv, undated) is
    built instead, with a note; once per package."""
    py36 = require_python("3.6")
    said: list[str] = []
    at = Attempt(py36.path, tmp_path / "log", 60, said.append, {"XDG_CACHE_HOME": str(tmp_path / "cache")})
    step, spec = DatedReleaseUnbuilt(), InstallSpec(("hug", "mysqlclient"), exclude_newer="2016-08-30T00:00:00Z")
    failure = EnvironmentUnavailable("installing failed: mysqlclient==1.3.7 does not build")
    failure.unbuilt = "mysqlclient==1.3.7"
    again = step(failure, spec, at)
    assert again is not None and again.constraints == ("mysqlclient==2.1.1",) and again.undated == ("mysqlclient",)
    assert said == ["mysqlclient==1.3.7, the release of mysqlclient as of 2016-08-30 (the app leaves it unpinned), "
                    "does not build here and no later release has a wheel for this Python: building "
                    "mysqlclient==2.1.1, its newest release for it (pin it in your requirements)"]
    assert step(failure, again, at) is None                                        # once per package
