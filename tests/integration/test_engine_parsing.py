"""The engine layer's reading of engine output (no engine needed): failing step and reason, cache counts,
compose project names and the stack URL."""

from __future__ import annotations

from shipyard.engine.base import ComposeService
from shipyard.engine.compose import project_name
from shipyard.engine.docker import _StepTracker, _clean, _reason
from shipyard.engine.stack import stack_url

LEGACY = """\
Step 1/5 : ARG BASE
Step 2/5 : FROM ${BASE}
 ---> b79caefd0526
Step 3/5 : RUN python3 -m venv /opt/venv
 ---> Using cache
 ---> 95ff586e3bde
Step 4/5 : RUN /opt/venv/bin/pip install nope-zz9
 ---> Running in 626c45c92894
\x1b[91mERROR: Could not find a version that satisfies the requirement nope-zz9 (from versions: none)
\x1b[0m\x1b[91mERROR: No matching distribution found for nope-zz9
\x1b[0mRemoving intermediate container 626c45c92894
The command '/bin/sh -c /opt/venv/bin/pip install nope-zz9' returned a non-zero code: 1"""

BUILDKIT = """\
#4 [1/3] FROM docker.io/library/python:3.12
#4 CACHED
#5 [2/3] RUN python3 -m venv /opt/venv
#5 CACHED
#6 [3/3] RUN pip install psycopg2==2.9.10
#6 sha256:576a73cfc9387cba4f6a0fa5a350dec10b47f3b854c536f88a225e6f8b18236d
#6 0.923   ╰─> [23 lines of output]
#6 0.923       Error: pg_config executable not found.
#6 0.923 error: metadata-generation-failed
#6 ERROR: executor failed running [/bin/sh -c pip install psycopg2==2.9.10]: exit code: 1
------
 > [3/3] RUN pip install psycopg2==2.9.10:
------
executor failed running [/bin/sh -c pip install psycopg2==2.9.10]: exit code: 1"""

GCC = """\
#9 [builder 5/5] RUN pip install -r requirements.txt
#9 12.1 psycopg/psycopgmodule.c:28:10: fatal error: Python.h: No such file or directory
#9 12.1 error: command '/usr/bin/gcc' failed with exit code 1
#9 ERROR: executor failed running [/bin/sh -c pip install -r requirements.txt]: exit code: 1"""


def _track(text: str) -> _StepTracker:
    tracker = _StepTracker()
    for line in text.splitlines():
        tracker.feed(line)
    return tracker


def _why(text: str) -> str:
    return _reason([c for c in (_clean(line) for line in text.splitlines()) if c is not None])


def test_legacy_failing_step_cache_and_reason():
    tracker = _track(LEGACY)
    assert tracker.failed_step() == "RUN /opt/venv/bin/pip install nope-zz9"
    assert (tracker.cached, tracker.total) == (1, 4)
    assert _why(LEGACY) == "ERROR: No matching distribution found for nope-zz9"   # ANSI colours removed


def test_buildkit_failing_step_cache_and_reason():
    tracker = _track(BUILDKIT)
    assert tracker.failed_step() == "[3/3] RUN pip install psycopg2==2.9.10"
    assert (tracker.cached, tracker.total) == (2, 3)
    assert _why(BUILDKIT) == "Error: pg_config executable not found."


def test_a_compiler_error_is_the_reason_over_pips_summary():
    assert _track(GCC).failed_step() == "[builder 5/5] RUN pip install -r requirements.txt"
    assert _why(GCC).startswith("psycopg/psycopgmodule.c:28:10: fatal error: Python.h")


def test_project_names_every_compose_accepts():
    assert project_name("My App.v2") == "my-app-v2"
    assert project_name("easygeoip") == "easygeoip"
    assert project_name("...") == "app"


def test_stack_url_prefers_nginx():
    services = [ComposeService("app", "a", "running", "healthy", {8000: 49001}),
                ComposeService("nginx", "b", "running", "healthy", {8080: 49002})]
    assert stack_url(services) == "http://127.0.0.1:49002/"
    assert stack_url([ComposeService("db", "c", "running", "healthy")]) is None


def test_build_command_lines_of_each_engine_and_builder():
    from pathlib import Path

    from shipyard.engine.base import EngineInfo
    from shipyard.engine.docker import DockerEngine
    from shipyard.engine.podman import PodmanEngine

    def argv(engine):
        return engine.build_argv(Path("/ctx"), Path("/ctx/Dockerfile"), "app:1", {"BASE": "b"}, None, None)

    buildkit = argv(DockerEngine(EngineInfo("docker", "/usr/bin/docker", "20.10", "20.10", "buildkit")))
    legacy = argv(DockerEngine(EngineInfo("docker", "docker", "28.2", "20.10", "legacy")))
    podman = argv(PodmanEngine(EngineInfo("podman", "podman", "5.0", "5.0", "buildah")))
    assert buildkit == ["/usr/bin/docker", "build", "-f", "/ctx/Dockerfile", "-t", "app:1", "--build-arg", "BASE=b",
                        "--progress=plain", "/ctx"]
    assert "--force-rm" in legacy and "--progress=plain" not in legacy
    # Buildah keeps HEALTHCHECK only in the Docker image format
    assert podman[:2] == ["podman", "build"] and podman[podman.index("--format") + 1] == "docker"
