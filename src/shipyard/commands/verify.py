"""`shipyard verify IMAGE`: start an image on 127.0.0.1 and check it behaves like a production image."""

from __future__ import annotations

import argparse
import json
import sys

from ..engine import find_engine
from ..errors import UsageError, VerifyFailed
from ..settings import validate
from ..verify import Check, SmokeCheck, VerifyReport, verify_image

SUMMARY = "Start IMAGE on 127.0.0.1 and check it: health, smoke paths, non-root, graceful stop, no secrets or compilers."
EXAMPLES = """\
  shipyard verify hello:latest
  shipyard verify hello:latest --path / --path /static/style.css
  shipyard verify hello:latest --slow-path '/slow?seconds=2'   # a request in flight during SIGTERM
  shipyard verify hello:latest --json                          # the report, for scripts
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("image", metavar="IMAGE", help="the image to check (name:tag or id)")
    add_verify_options(parser)
    parser.add_argument("--engine", choices=("docker", "podman"), help="the engine to use (default: the one present)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def add_verify_options(parser: argparse.ArgumentParser, *, with_port: bool = True,
                       network_flag: str = "--network") -> None:
    parser.add_argument("--path", dest="smoke_paths", action="append", metavar="PATH",
                        help="a path to request and expect below 400 (repeatable; default: /, or "
                             "smoke_paths in [tool.shipyard])")
    parser.add_argument("--slow-path", metavar="PATH",
                        help="a path that takes a few seconds (e.g. /slow?seconds=2): it is requested just "
                             "before SIGTERM and must complete; without it that part of the stop check is skipped")
    if with_port:
        parser.add_argument("--port", type=int, metavar="N",
                            help="the container port to publish (default: the image's PORT or exposed port)")
    parser.add_argument("--env", "-e", action="append", default=[], metavar="KEY=VALUE",
                        help="an environment variable for the container (repeatable), e.g. DATABASE_URL")
    parser.add_argument(network_flag, dest="run_network", metavar="NAME",
                        help="a network to attach the container to (e.g. where its database runs)")
    parser.add_argument("--health-timeout", type=float, default=120, metavar="SECONDS",
                        help="longest wait for the image's health check to pass (default: 120)")
    parser.add_argument("--graceful-timeout", type=int, metavar="SECONDS",
                        help="longest wait for a clean exit after SIGTERM (default: the image's "
                             "SHIPYARD_GRACEFUL_TIMEOUT, else 30)")


def print_check(check: Check) -> None:
    print(f"  {check.mark} {check.name:<22} {check.detail}", flush=True)


def finish(report: VerifyReport, as_json: bool) -> None:
    """Print the summary (and on failure the container's last log lines); raise VerifyFailed on failure."""
    failed = [c.name for c in report.checks if c.ok is False]
    if not as_json:
        print(f"image {report.image}: {report.size / 1e6:.1f} MB, {report.layers} layers; "
              + (f"{len(failed)} of {len(report.checks)} checks failed" if failed
                 else f"all {sum(c.ok is True for c in report.checks)} checks passed"
                 + (f" ({sum(c.ok is None for c in report.checks)} skipped)" if any(c.ok is None for c in report.checks) else ""))
              + f" in {report.seconds:.1f} s")
    if failed:
        if report.logs_tail:
            print("the container's last log lines:", file=sys.stderr)
            for line in report.logs_tail:
                print(f"  | {line}", file=sys.stderr)
        raise VerifyFailed(f"{report.image} failed {len(failed)} check(s): {', '.join(failed)}",
                           "see the checks and log lines above")


def run_verify(engine, image: str, args: argparse.Namespace, smoke_paths, as_json: bool,
               port: int | None = None) -> VerifyReport:
    paths = validate("smoke_paths", list(smoke_paths or ("/",)), "option --path")
    smoke = tuple(SmokeCheck(p) for p in paths)
    if not as_json:
        print(f"verifying {image} with {engine.info.describe()}", flush=True)
    return verify_image(engine, image, smoke=smoke, slow_path=args.slow_path, port=port,
                        health_timeout=args.health_timeout, env=_env_pairs(args.env),
                        network=args.run_network, graceful_timeout=args.graceful_timeout,
                        on_check=None if as_json else print_check)


def _env_pairs(items) -> dict[str, str]:
    pairs = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--env {item!r} is not KEY=VALUE", "for example: --env DATABASE_URL=postgresql://...")
        pairs[key] = value
    return pairs


def run(args: argparse.Namespace) -> int:
    engine = find_engine(args.engine)
    report = run_verify(engine, args.image, args, args.smoke_paths, args.json, port=args.port)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    finish(report, args.json)
    return 0
