"""`shipyard up`: start the app's compose stack, wait until every service is healthy, print the URL."""

from __future__ import annotations

import argparse
import json
import re
import sys

from ..engine import BuildFailed, find_compose, find_engine
from ..engine.compose import StackUnhealthy
from ..engine.context import base_args
from ..engine.stack import Stack, stack_url
from ..errors import EngineError
from .options import add_path

SUMMARY = "Start the app's compose stack (nginx, app, database), wait until it is healthy, print its URL."
EXAMPLES = """\
  shipyard up                          # compose.yaml of the app in the current folder
  shipyard up examples/easygeoip --port 8080
  shipyard up . --dev                  # live reload: code mounted, debug on (compose.dev.yaml)
  shipyard up . --base python:3.12-slim-bookworm --json

Uses Compose v2 (`docker compose`, or a v2 `docker-compose`) or podman-compose, whichever is present, and
Compose v1 (end-of-life) only when nothing else is; --compose (or SHIPYARD_COMPOSE) picks one:
  shipyard up . --compose docker-compose        # the first docker-compose on PATH
  shipyard up . --engine podman --compose podman-compose
The files come from `shipyard init PATH --topology compose`. Stop with `shipyard down`.
"""


def add_stack_arguments(parser: argparse.ArgumentParser) -> None:
    add_path(parser)
    parser.add_argument("--dev", action="store_true", help="include compose.dev.yaml (the live-reload variant)")
    parser.add_argument("--file", "-f", dest="extra_files", action="append", default=[], metavar="FILE",
                        help="an extra compose file layered on top (repeatable)")
    parser.add_argument("--project", "-p", metavar="NAME", help="compose project name (default: the app's name)")
    parser.add_argument("--engine", choices=("docker", "podman"), help="the engine to use (default: the one present)")
    parser.add_argument("--compose", metavar="COMMAND",
                        help="the Compose program to run, e.g. 'docker-compose' or 'podman-compose' "
                             "(default: Compose v2 when present; also SHIPYARD_COMPOSE)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_stack_arguments(parser)
    parser.add_argument("--port", type=int, metavar="N", help="host port for the stack (sets PORT; default 8000)")
    parser.add_argument("--base", metavar="IMAGE",
                        help="base image for the app's build (the BASE and BUILDER build arguments)")
    parser.add_argument("--no-build", action="store_true", help="use the images already built")
    parser.add_argument("--timeout", type=float, default=300, metavar="SECONDS",
                        help="longest wait for every service to be healthy (default: 300)")
    parser.add_argument("--verbose", "-v", action="store_true", help="show every line of Compose's output")
    parser.add_argument("--json", action="store_true", help="print the services and URL as JSON")


def open_stack(args: argparse.Namespace):
    stack = Stack.of(args.path, dev=args.dev, extra=args.extra_files, project=args.project)
    compose = find_compose(find_engine(args.engine), command=args.compose)
    if compose.note:
        print(f"note: {compose.note}", file=sys.stderr)
    return stack, compose


def failed_one_off(exc: Exception, project: str = "") -> str | None:
    """The service Compose names as a one-off that did not complete (`service "release" didn't complete
    successfully: exit 1`, Compose v2), or as a dependency whose health check failed (`dependency failed to
    start: container PROJECT-app-1 is unhealthy`: the app did not start, and only its own log says why), or None."""
    text = "\n".join([getattr(exc, "message", str(exc)), *(getattr(exc, "tail", None) or ())])
    match = re.search(r'service "([\w.-]+)" didn\'t complete successfully', text)
    if match:
        return match.group(1)
    match = re.search(r"container ([\w.-]+) is unhealthy", text)
    if match and project and match.group(1).startswith(f"{project}-"):
        return re.sub(r"-\d+$", "", match.group(1)[len(project) + 1:]) or None
    return None


def run(args: argparse.Namespace) -> int:
    stack, compose = open_stack(args)
    env = {"PORT": str(args.port)} if args.port else {}
    mode = " (dev: code mounted, live reload)" if args.dev else ""
    print(f"starting {stack.project}{mode} with {compose.describe()}", file=sys.stderr, flush=True)

    def show(line: str) -> None:
        if args.verbose or line.startswith(("Creating", "Starting", "Building", "Step ", "Successfully", " ✔")):
            print(f"  {line[:160]}", file=sys.stderr, flush=True)

    try:
        if args.base and not args.no_build:
            compose.build(stack.files, stack.project, build_args=base_args(args.base), env=env, progress=show)
        compose.up(stack.files, stack.project, build=not (args.no_build or args.base), env=env, progress=show)
        services = compose.wait_healthy(stack.files, stack.project, timeout=args.timeout, env=env)
    except (BuildFailed, StackUnhealthy, EngineError) as exc:
        if isinstance(exc, BuildFailed) and exc.tail:
            print("the engine's last lines:", file=sys.stderr)
            for line in exc.tail:
                print(f"  | {line}", file=sys.stderr)
        # a service that stopped the start: unhealthy, or a one-off (the release) that exited with an error,
        # whose own output says why (compose's lines only say that it failed)
        failed = exc.service.service if isinstance(exc, StackUnhealthy) else failed_one_off(exc, stack.project)
        if failed:
            print(f"the last log lines of {failed}:", file=sys.stderr)
            for line in compose.service_logs(stack.files, stack.project, failed, env=env):
                print(f"  | {line}", file=sys.stderr)
        # Nothing is left running after a failed start (the first error is the one reported).
        try:
            compose.down(stack.files, stack.project, env=env)
        except EngineError as down_error:
            print(f"note: could not stop the stack: {down_error.message}", file=sys.stderr)
        raise
    url = stack_url(services)
    note = None
    if url:
        from ..verify import accepted_url
        url, note = accepted_url(url)
    if note and not args.json:
        print(f"note: {note}", file=sys.stderr)
    if args.json:
        print(json.dumps({"project": stack.project, "url": url,
                          "services": [s.__dict__ for s in services]}, indent=2))
    else:
        for s in services:
            print(f"  {s.service:<12} {s.health or s.state}")
        print(f"{stack.project} is up: {url or '(no published port)'}   stop it with: shipyard down {args.path}")
    return 0
