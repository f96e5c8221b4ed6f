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
