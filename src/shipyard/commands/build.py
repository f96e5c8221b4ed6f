"""`shipyard build`: build the app's image with the engine present, then verify it."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from .. import settings as settings_mod
from ..build_errors import base_mismatch, install_failure
from ..engine import BuildFailed, find_engine
from ..engine import context as build_context
from ..engine.compose import project_name
from ..errors import UsageError
from ..project import Project
from .options import add_path, add_setting_flags, setting_flags
from .verify import add_verify_options, finish, run_verify

SUMMARY = "Build the app's image (Docker or Podman) and verify it."
EXAMPLES = """\
  shipyard build                                # the app in the current folder, then verify the image
  shipyard build examples/hello --tag hello:1.0
  shipyard build . --base python:3.12-slim-bookworm --no-verify
  shipyard build . --engine podman
  shipyard build . --fresh --topology app       # ignore the app's own Dockerfile, render one
  shipyard build . --json                       # build and verify reports as JSON

When PATH has a Dockerfile (from `shipyard init` or your own), it is built as it is. Otherwise the
production files are rendered into a temporary copy of the app, built, and deleted: build never
writes into PATH.
"""

# Flags that only change rendered files: they cannot apply to a Dockerfile the app already has.
RENDER_SETTINGS = ("entry", "python", "server", "topology", "port")
STEP_LINE = re.compile(r"^(Step \d+/\d+ : .*|#\d+ \[[^\]]*\d+/\d+\] .*)$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_path(parser)
    parser.add_argument("--tag", "-t", metavar="NAME:TAG", help="image tag (default: <app name>:latest)")
    add_setting_flags(parser, "base_image", "topology", "server", "entry", "python", "port")
    parser.add_argument("--engine", choices=("docker", "podman"), help="the engine to use (default: the one present)")
    parser.add_argument("--fresh", action="store_true",
                        help="render the production files into a temporary copy even if PATH has a Dockerfile")
    parser.add_argument("--network", metavar="MODE",
                        help="network for the build's RUN steps (e.g. host), when the default cannot reach PyPI")
    parser.add_argument("--no-cache", action="store_true",
                        help="rebuild every step (e.g. to pick up security updates of the base and packages)")
    parser.add_argument("--no-import", action="store_true", help="skip the import check when detecting the app")
    parser.add_argument("--no-verify", action="store_true", help="do not run `shipyard verify` on the image")
    parser.add_argument("--verbose", "-v", action="store_true", help="show every line of the engine's output")
    parser.add_argument("--json", action="store_true", help="print the build (and verify) report as JSON")
    add_verify_options(parser, with_port=False, network_flag="--run-network")   # --port here is the app's port setting


def step_progress(verbose: bool):
    seen: set[str] = set()

    def show(line: str) -> None:
        if verbose:
            print(f"  | {line}", file=sys.stderr, flush=True)
        elif STEP_LINE.match(line) and line not in seen:
            seen.add(line)
            print(f"  {line[:150]}", file=sys.stderr, flush=True)
    return show


def _outside_of_own(root: Path, dockerfile: Path) -> dict[str, Path]:
    """The folders outside the app to copy into its build context (render.outside_context) when the app's own
    Dockerfile (init's) moves them into place; {} otherwise."""
    from ..render.render import OUTSIDE_DIR, outside_context
    if OUTSIDE_DIR not in dockerfile.read_text(encoding="utf-8", errors="replace"):
        return {}
    from ..detect.outside_paths import outside_code
    from ..detect.source import parsed
    project = Project(root)
    return outside_context(outside_code(project, parsed(project)), root)


def prepare_context(root: Path, flags: dict, *, fresh: bool, confirm: bool, cache_mount: bool = False):
    """(build context, resolved settings, app name): the app's own files, or rendered ones in an overlay."""
    ctx = None if fresh else build_context.existing(root)
    if ctx is not None and (outside := _outside_of_own(root, ctx.dockerfile)):
        # init's Dockerfile of an app that puts code outside its folder on sys.path: a copy of the app with it
        ctx = build_context.overlay(root, {}, outside)
    if ctx is not None:
        given = sorted(k for k in flags if k in RENDER_SETTINGS)
        if given:
            raise UsageError(f"{root} has its own Dockerfile, so --{given[0].replace('_', '-')} cannot change it",
                             "re-run `shipyard init` with the flag, or add --fresh to render into a temporary copy")
        project = Project(root)
        # the variables its code reads into ALLOWED_HOSTS, read from the code as a plan would: verify's request
        # comes from this machine, whichever Dockerfile built the image
        from ..detect.hosts_vars import hosts_variables
        from ..served_hosts import hosts_env
        hosts = hosts_env((h.name, h.separator or "") for h in hosts_variables(project))
        from ..detect.secret_vars import secret_key_variables
        from ..detect.example_settings import example_settings
        # and the settings it requires that only its example env file gives (the usual path: init, then build)
        settings = settings_mod.resolve(flags, project.tool_shipyard, {})
        # the database server it runs on, as the plan that wrote the Dockerfile (init) found it: the check runs the
        # image alone, which the note below says, whichever Dockerfile built it
        from ..detect import deps as deps_mod, services as services_mod
        from ..plan import needs_mysql, needs_postgres
        found = services_mod.services(project, deps_mod.declared(project).dependencies)
        return ctx, {**settings, "_hosts_env": hosts,
                     "_secret_keys": tuple(sorted(secret_key_variables(project))),
                     "_example_settings": example_settings(project, ".", None),
                     "_needs_postgres": needs_postgres(settings, found),
                     "_needs_mysql": needs_mysql(settings, found)}, project.name
    from ..planner import make_plan       # detection is only needed when rendering
    from ..render import render
    from ..render.render import outside_sources
    from ..served_hosts import local_hosts_env
    from .appcmd import say, say_image_notes, warn_unproven
    plan = make_plan(root, flags, confirm=confirm, progress=say, check_pins=True)
    warn_unproven(plan)
    say_image_notes(plan, root)
    chosen = {**plan.settings, "_needs_postgres": plan.needs_postgres, "_needs_mysql": plan.needs_mysql,
              "_hosts_env": local_hosts_env(plan), "_secret_keys": plan.secret_key_variables,
              "_example_settings": plan.example_settings}
    # the login the app writes: a libpq one at localhost is taken to the stack's db service (PGHOSTADDR), as the
    # files init writes do
    from .stack_db import written_login
    written = written_login(plan, root, lambda _line: None) if plan.needs_postgres else None
    return (build_context.overlay(root, render(plan, cache_mount=cache_mount, written=written),
                                  outside_sources(plan, root)), chosen, plan.name)


def check_env(given: list[str] | None, hosts_env: dict[str, str], secret_keys: tuple[str, ...] = (),
              examples: tuple[tuple[str, str, str], ...] = ()) -> tuple[list[str], list[str], list[str], list[str]]:
    """(--env items for the image's check, the hosts ones added, the secret key names added, the example settings
    added): the check runs the image here, at 127.0.0.1, so the variables the code reads into ALLOWED_HOSTS get this
    machine's hosts, those it reads into its secret key with no default a throwaway (as serve gives them: the
    image needs the deployer's own), and the settings it requires that only its example env file gives that file's
    value (plan.example_settings, as serve takes them), unless --env gives them."""
    items = list(given or ())
    named = {item.partition("=")[0] for item in items}
    added = [f"{k}={v}" for k, v in hosts_env.items() if k not in named]
    import secrets
    keys = [k for k in secret_keys if k not in named and k not in hosts_env]
    taken = [f"{k}={v}" for k, v, _ in examples if k not in named and k not in hosts_env and k not in keys]
    return items + added + [f"{k}={secrets.token_urlsafe(32)}" for k in keys] + taken, added, keys, taken


def run(args: argparse.Namespace) -> int:
    root = Path(args.path).resolve()
    if not root.is_dir():
        raise UsageError(f"{args.path} is not a folder", "give the app's folder as PATH")
    flags = setting_flags(args)
    engine = find_engine(args.engine)
    # BuildKit and buildah keep pip's downloads in a cache mount between builds (the legacy builder has none)
    ctx, chosen, name = prepare_context(root, flags, fresh=args.fresh, confirm=not args.no_import,
                                        cache_mount=engine.info.builder in ("buildkit", "buildah"))
    overlay = ctx.is_overlay
    with ctx:
        tag = args.tag or f"{project_name(name)}:latest"
        build_args = build_context.base_args(chosen.get("base_image"))
        where = (f"generated files ({', '.join(ctx.generated)}) in a temporary copy of {args.path}"
                 if ctx.is_overlay else f"{ctx.dockerfile}")
        print(f"building {tag} from {where} with {engine.info.describe()}", file=sys.stderr, flush=True)
        dockerfile = ctx.dockerfile.read_text(errors="replace")
        base = build_args.get("BASE")
        base_python = engine.python_version(base) if base else None
        mismatch = base_mismatch(dockerfile, base, base_python) if base else None
        if mismatch:
            print(mismatch, file=sys.stderr, flush=True)
        try:
            result = engine.build(ctx.root, ctx.dockerfile, tag, build_args,
                                  progress=step_progress(args.verbose), network=args.network,
                                  no_cache=args.no_cache)
        except BuildFailed as exc:
            print("the engine's last lines:", file=sys.stderr)
            for line in exc.tail:
                print(f"  | {line}", file=sys.stderr)
            found = install_failure(exc.step, exc.output, dockerfile, base_python)
            if found is not None:
                raise BuildFailed(f"the build of {tag} failed installing the app's packages: {found[0]}", found[1],
                                  step=exc.step, tail=exc.tail, output=exc.output) from None
            raise
    summary = (f"built {result.tag} in {result.seconds:.1f} s: {result.size / 1e6:.1f} MB, {result.layers} layers"
               + (f" ({result.cached_steps} of {result.total_steps} steps from cache)" if result.total_steps else ""))
    data: dict = {"build": {**result.__dict__, "engine": engine.info.describe(), "overlay": overlay}}
    if not args.json:
        print(summary, flush=True)
    report = None
    server = "PostgreSQL" if chosen.get("_needs_postgres") else "MySQL" if chosen.get("_needs_mysql") else ""
    if not args.no_verify and server and not args.env:
        print(f"note: this app uses {server} and verify runs the image alone; give it a database with "
              "--env DATABASE_URL=... --run-network NETWORK, or check the whole stack with `shipyard up`",
              file=sys.stderr, flush=True)
    if not args.no_verify:
        paths = chosen.get("smoke_paths") or ("/",)
        examples = chosen.get("_example_settings", ())
        args.env, hosts, keys, taken = check_env(args.env, chosen.get("_hosts_env", {}),
                                                 chosen.get("_secret_keys", ()), examples)
        if hosts:
            print(f"note: the check runs the image with {' '.join(hosts)} (read into ALLOWED_HOSTS: the host it is "
                  f"checked at)", file=sys.stderr, flush=True)
        if keys:
            print(f"note: the check runs the image with a throwaway {' and '.join(keys)} (the code reads "
                  f"{'it' if len(keys) == 1 else 'them'} into its secret key with no default): run the image with "
                  f"your own (docker run -e {keys[0]}=...)", file=sys.stderr, flush=True)
        if taken:
            print(f"note: the check runs the image with {' '.join(taken)}, as {examples[0][2]} gives "
                  f"{'it' if len(taken) == 1 else 'them'} (the code requires {'it' if len(taken) == 1 else 'them'}"
                  f", with no default): run the image with your own (docker run -e {taken[0]})",
                  file=sys.stderr, flush=True)
        report = run_verify(engine, result.tag, args, paths, args.json)
        data["verify"] = report.to_dict()
    if args.json:
        print(json.dumps(data, indent=2))
    if report is not None:
        finish(report, args.json)
    return 0
