"""The image's health check is the runtime's `health`: an interpreter's start plus one request, which the runtime
gives 4 s. The engine's timeout for the whole check must leave room for both: at 5 s, on a loaded host (a stack's
first start, two cores shared), a live app whose check took 5.x s was reported unhealthy, verify failed and `up`
stopped on "dependency failed to start". The Dockerfile's HEALTHCHECK and the compose stack's app check are read
from the rendered files, with the runtime's own request timeout."""

from __future__ import annotations

import re

import yaml

import plans
from shipyard.render import render

INTERPRETER_START = 3      # seconds a Python start may take on a loaded host, on top of the request


def _request_timeout(runtime: str) -> int:
    return int(re.search(r"\.open\(url, timeout=(\d+)\)", runtime).group(1))


def _seconds(text: str) -> int:
    return int(text.rstrip("s"))


def test_the_engines_health_timeout_leaves_room_for_the_checks_own_request():
    files = render(plans.django_postgres().with_settings(topology="compose"))
    request = _request_timeout(files["shipyard_runtime.py"])
    dockerfile = re.search(r"HEALTHCHECK .*--timeout=(\d+s)", files["Dockerfile"]).group(1)
    assert _seconds(dockerfile) >= request + INTERPRETER_START, dockerfile
    stack = yaml.safe_load(files["compose.yaml"])
    assert stack["services"]["app"]["healthcheck"]["test"][-1] == "health"
    assert _seconds(stack["services"]["app"]["healthcheck"]["timeout"]) >= request + INTERPRETER_START


def _probe_timeout(runtime: str) -> int:
    return int(re.search(r"^PROBE_TIMEOUT = (\d+)", runtime, re.M).group(1))


def test_the_start_period_covers_every_sqlite_finder_the_runtime_runs_before_the_server():
    """An image of an app on SQLite asks the app where its files are before its server starts: each finder is an
    import of the app, given PROBE_TIMEOUT seconds. A Flask-SQLAlchemy app has two; at load 5-20 they took ~30 s
    together, the server answered after the 30 s start period and its retries, and verify said "unhealthy" (the
    2022 testdriven Flask boilerplate). The start period (Dockerfile and compose app) covers them all; a passing
    check still ends it at once, and an image with no finder keeps 30 s."""
    import dataclasses
    from shipyard.plan import Dependency, Release
    from shipyard.render import Target
    from shipyard.render.database_setup import database_setup
    init = Release(("python", "manage.py", "create_db"), ".", "the app's `python manage.py create_db` command")
    plan = dataclasses.replace(plans.flask_wsgi(), first_run=init, sqlite="Flask-SQLAlchemy's sqlite:// default")
    plan = dataclasses.replace(plan, dependencies=plan.dependencies + (Dependency("Flask-SQLAlchemy", "",
                                                                                  "requirements.txt"),))
    finders = database_setup(plan, Target.image())["finders"]
    assert len(finders) == 2
    for topology in ("bundle", "compose"):
        files = render(plan.with_settings(topology=topology))
        probes = _probe_timeout(files["shipyard_runtime.py"]) * len(finders)
        start = _seconds(re.search(r"HEALTHCHECK .*--start-period=(\d+s)", files["Dockerfile"]).group(1))
        assert start >= probes + 30, files["Dockerfile"]
        if topology == "compose":
            stack = yaml.safe_load(files["compose.yaml"])
            assert _seconds(stack["services"]["app"]["healthcheck"]["start_period"]) == start
    plain = render(plans.flask_wsgi())["Dockerfile"]
    assert "--start-period=30s" in plain


def test_the_start_period_also_covers_the_steps_the_runtime_runs_before_the_server():
    """A Django app on SQLite migrates on every start of its image before the server starts, and that migrate has
    no time limit of its own: a 2022 blog's image (Django 4.2, a new SQLite file, load 20) was reported unhealthy at
    55 s, the start period having counted only its finder. Each step now adds its allowance to the period the
    rendered runtime's finders already get, in the Dockerfile and the compose app alike."""
    import dataclasses
    from shipyard.render import Target
    from shipyard.render.database_setup import database_setup
    from shipyard.render.render import SETUP_STEP_ALLOWANCE
    plan = dataclasses.replace(plans.django_postgres(), services=(), sqlite="Django's sqlite3 backend")
    setup = database_setup(plan, Target.image())
    assert len(setup["every_start"]) == 1 and len(setup["finders"]) == 1 and setup["once"] is None
    for topology in ("bundle", "compose"):
        files = render(plan.with_settings(topology=topology))
        start = _seconds(re.search(r"HEALTHCHECK .*--start-period=(\d+s)", files["Dockerfile"]).group(1))
        assert start >= 30 + _probe_timeout(files["shipyard_runtime.py"]) + SETUP_STEP_ALLOWANCE >= 30 + 25 + 30
        assert "and 1 step(s) such as migrations" in files["Dockerfile"], files["Dockerfile"]
        if topology == "compose":
            stack = yaml.safe_load(files["compose.yaml"])
            assert _seconds(stack["services"]["app"]["healthcheck"]["start_period"]) == start
