"""`shipyard swarm up|down|ps|logs|scale|render`: the app as a Docker Swarm stack (nginx, app replicas,
PostgreSQL), rendered from the same plan as compose, with a report of what Swarm does with each part."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from ..engine import BuildFailed, find_engine
from ..engine import context as build_context
from ..engine.compose import project_name
from ..engine.swarm import ReleaseFailed, Swarm, routing_mesh
from ..errors import EngineError, UsageError
from ..plan import Plan
from ..project import Project
from ..render import GENERATED, SECRETS_FILE, origin, render as render_files, secrets_env
from ..render import swarm as target
from .build import step_progress
from .options import add_path, add_setting_flags, setting_flags
from ..render.render import outside_sources
from ..render.stack_aliases import stack_aliases, stack_redis_password
from .stack_db import stack_password, written_login

SUMMARY = "Deploy the app to Docker Swarm (nginx + app replicas + PostgreSQL) with rolling updates; down, ps, logs, scale."
EXAMPLES = """\
  shipyard swarm up examples/hello --replicas 3 --bind 0.0.0.0 --port 8080
  shipyard swarm up . --registry 127.0.0.1:5000 --bind 0.0.0.0   # push the images so other nodes can pull
  shipyard swarm render examples/easygeoip --bind 0.0.0.0        # the stack file and the translation report
  shipyard swarm ps examples/hello --json
  shipyard swarm logs examples/hello app --tail 50
  shipyard swarm scale examples/hello 5
  shipyard swarm down examples/hello --volumes                  # also the database volume

`up` builds the image, renders a stack file from the plan and runs `docker stack deploy`. An update rolls
out one replica at a time, new before old (start-first), each gated by the image's health check; a version
that never becomes healthy is rolled back by Swarm. The release command (migrations) runs once, before the
app is updated; when it fails, the running version stays. A swarm is initialized when the engine is in none.
"""
ACTIONS = ("up", "down", "ps", "logs", "scale", "render")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for action, summary in (("up", "build, render and deploy (or update) the stack, wait for the rollout"),
                            ("render", "print the stack file and the translation report; deploy nothing"),
                            ("down", "remove the stack: services, networks, configs, secrets (--volumes: data)"),
                            ("ps", "the stack's services, replicas and rollout state"),
                            ("logs", "a service's logs (default: app)"),
                            ("scale", "set the number of app replicas")):
        p = sub.add_parser(action, help=summary, description=summary,
                           epilog="examples:\n" + "\n".join(line for line in EXAMPLES.splitlines()
                                                            if f"swarm {action} " in line),
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        add_path(p)
        p.add_argument("--stack", metavar="NAME", help="stack name (default: the app's name)")
        p.add_argument("--engine", choices=("docker", "podman"),
                       help="docker (the default and the only one: Podman has no swarm mode)")
        if action in ("up", "render"):
            _add_deploy_arguments(p)
        if action == "down":
            p.add_argument("--volumes", action="store_true", help="also remove the database volume")
        if action == "logs":
            p.add_argument("service", nargs="?", default="app", help="app, nginx or db (default: app)")
            p.add_argument("--tail", type=int, default=100, metavar="N", help="last N lines (default: 100)")
            p.add_argument("--follow", "-f", action="store_true", help="keep following")
        if action == "scale":
            p.add_argument("replicas", type=int, metavar="N", help="app replicas")
            p.add_argument("--timeout", type=float, default=300, metavar="SECONDS")
            p.add_argument("--json", action="store_true", help="print the services as JSON")
        if action == "ps":
            p.add_argument("--json", action="store_true", help="print the services as JSON")
        p.set_defaults(_run=run)


def _add_deploy_arguments(p: argparse.ArgumentParser) -> None:
    add_setting_flags(p, "replicas", "base_image", "server", "entry", "python", "release")
    p.add_argument("--port", type=int, default=8000, metavar="N", help="port nginx publishes (default: 8000)")
    p.add_argument("--bind", default="127.0.0.1", metavar="ADDRESS",
                   help="where the port may be reached; Swarm can only publish on every interface, so the "
                        "default (127.0.0.1) is refused until you say --bind 0.0.0.0")
    p.add_argument("--registry", metavar="HOST:PORT", help="push the images there (needed with more than one node)")
    p.add_argument("--tag", metavar="TAG", help="version tag of the images (default: from the image's content)")
    p.add_argument("--endpoint-mode", choices=("auto", *target.ENDPOINT_MODES), default="auto",
                   help="how nginx finds the replicas: auto detects IPVS (vip) or its absence (dnsrr)")
    p.add_argument("--advertise-addr", default="127.0.0.1", metavar="ADDRESS",
                   help="address for `docker swarm init` when the engine is in no swarm (default: 127.0.0.1, "
                        "a single-node swarm)")
    p.add_argument("--health-interval", type=int, default=5, metavar="SECONDS",
                   help="seconds between health checks (default: 5); Swarm watches each updated replica 4 times that")
    p.add_argument("--start-period", type=int, default=30, metavar="SECONDS",
                   help="seconds a starting replica may fail its checks (default: 30)")
    p.add_argument("--timeout", type=float, default=600, metavar="SECONDS", help="longest wait for the rollout")
    p.add_argument("--fresh", action="store_true",
                   help="deploy the image rendered from the plan even when the app has its own (edited) Dockerfile")
    p.add_argument("--no-import", action="store_true", help="skip the import check when detecting the app")
    p.add_argument("--verbose", "-v", action="store_true", help="show every line of the engine's output")
    p.add_argument("--json", action="store_true", help="print the result (and the translation report) as JSON")


def say(line: str) -> None:
    print(f"shipyard: {line}", file=sys.stderr, flush=True)


def _stack_name(args: argparse.Namespace) -> str:
    if args.stack:
        return project_name(args.stack)
    root = Path(args.path).resolve()
    if not root.is_dir():
        raise UsageError(f"{args.path} is not a folder", "give the app's folder as PATH")
    return project_name(Project(root).name)


def run(args: argparse.Namespace) -> int:
    if args.engine == "podman":
        raise UsageError("Docker Swarm is Docker's own orchestrator: Podman has no swarm mode",
                         "on one machine use `shipyard up --engine podman` (podman-compose); for a cluster, "
                         "`shipyard init --kubernetes` writes manifests (`podman kube play` also reads them)")
    return {"up": _up, "render": _render, "down": _down, "ps": _ps, "logs": _logs, "scale": _scale}[args.action](args)


# ----- up / render ------------------------------------------------------------------------------
def _read_secrets(root: Path, plan: Plan, create: bool) -> dict[str, str]:
    """KEY -> value of the stack's secrets: the app's shipyard.env (the compose secrets file; created like `init`
    does when the stack needs a database server and there is none yet), and the password the app's code sends
    its Redis with the Redis variables that carry it (target.redis_secret_values), as compose's Redis asks it."""
    redis = target.redis_secret_values(plan, stack_redis_password(target.swarm_plan(plan), root))
    return {**_env_file_secrets(root, plan, create), **redis}


def _env_file_secrets(root: Path, plan: Plan, create: bool) -> dict[str, str]:
    path = root / SECRETS_FILE
    if not path.is_file():
        if not plan.needs_database_server:
            return {}
        written = written_login(plan, root, say)      # the login the app writes, as init's
        if not create:
            return {k: v for k, v in _parse_env(secrets_env(plan, "(generated on up)", written)).items()}
        path.write_text(secrets_env(plan, stack_password(plan, root, say), written), encoding="utf-8")
        path.chmod(0o600)
        say(f"wrote {path} (database credentials; keep it out of git: the volume's password is in it)")
    return _parse_env(path.read_text(encoding="utf-8"))


def _parse_env(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            out[key.strip()] = value.strip()
    return out


def _options(args, plan, swarm: Swarm | None, stack: str, app_image: str, nginx_image: str,
             secret_values: dict[str, str]) -> target.SwarmOptions:
    mode = args.endpoint_mode
    if mode == "auto":
        choice = routing_mesh()
        mode, reason = choice.mode, choice.reason
    else:
        reason = f"chosen with --endpoint-mode {mode}"
    secrets = {k: target.secret_name(stack, k, v) for k, v in secret_values.items() if k not in target.DB_NAME_KEYS}
    root = Path(args.path)
    dockerfile = root / "Dockerfile"
    own = origin(dockerfile.read_text(encoding="utf-8", errors="replace")) if dockerfile.is_file() else GENERATED
    return target.SwarmOptions(
        stack=stack, app_image=app_image, nginx_image=nginx_image, replicas=plan.settings["replicas"],
        port=args.port, bind=args.bind, endpoint_mode=mode, endpoint_reason=reason,
        health_interval=args.health_interval, health_start_period=args.start_period, secrets=secrets,
        db_env={k: v for k, v in secret_values.items() if k in target.DB_NAME_KEYS},
        db_node=swarm.node_hostname() if swarm and target.backing_services(plan) else "(this node)",
        registry=args.registry, engine_version=swarm.engine.info.server_version if swarm else "",
        jobs=swarm.has_jobs if swarm else False, own_dockerfile="" if own == GENERATED else own, fresh=args.fresh,
        # the hosts the app's code writes for its database and Redis (`@database:5432`, Redis(host='cache')), as
        # compose's stack has them
        aliases=stack_aliases(target.swarm_plan(plan), root, written_login(plan, root, lambda _line: None)))


def _plan(args: argparse.Namespace):
    from ..planner import make_plan
    root = Path(args.path).resolve()
    if not root.is_dir():
        raise UsageError(f"{args.path} is not a folder", "give the app's folder as PATH")
    return root, make_plan(root, setting_flags(args), confirm=not args.no_import, check_pins=True)


def _image_ref(args, stack: str, role: str, tag: str) -> str:
    name = f"{stack}-{role}:{tag}"
    return f"{args.registry.rstrip('/')}/{name}" if args.registry else name


def _render(args: argparse.Namespace) -> int:
    root, plan = _plan(args)
    stack = _stack_name(args)
    values = _read_secrets(root, plan, create=False)
    tag = args.tag or "TAG"
    options = _options(args, plan, None, stack, _image_ref(args, stack, "app", tag),
                       _image_ref(args, stack, "nginx", tag), values)
    report = target.translate(plan, options)
    files = target.render(plan, options) if not report.lost else {}
    if args.json:
        print(json.dumps({"stack": stack, "report": report.to_dict(), "files": files}, indent=2))
    else:
        for name, text in files.items():
            print(f"# ---- {name} ----\n{text}")
        print(f"# ---- translation report ({report.summary()}) ----")
        for line in report.lines():
            print(f"# {line}")
    report.check()
    return 0


def _write_stack(stack_file: Path, plan, options: target.SwarmOptions) -> None:
    """The stack file, and the files it names beside it (an old psycopg2's md5 script for the db service)."""
    for name, text in target.stack_files(plan, options).items():
        (stack_file.parent / name).write_text(text, encoding="utf-8")


def _build(swarm: Swarm, args, root: Path, plan, stack: str) -> tuple[str, str, str]:
    """(app image, nginx image, local app tag): the app image of the compose topology, then the stack's
    nginx image with its config and the app's static files."""
    engine = swarm.engine
    build_args = build_context.base_args(plan.settings.get("base_image"))
    # the login the app writes: a libpq one at localhost is taken to the db service (PGHOSTADDR), as in compose
    written = written_login(plan, root, lambda _line: None)
    files = render_files(target.swarm_plan(plan), cache_mount=engine.info.builder in ("buildkit", "buildah"),
                         written=written)
    local = f"{stack}-app:latest"
    say(f"building {local} with {engine.info.describe()}")
    with build_context.overlay(root, files, outside_sources(plan, root)) as ctx:
        built = engine.build(ctx.root, ctx.dockerfile, local, build_args, progress=step_progress(args.verbose))
    tag = args.tag or built.image_id.split(":")[-1][:12]
    app_local = f"{stack}-app:{tag}"
    swarm.tag(local, app_local)
    return app_local, tag, local


def _build_nginx(swarm: Swarm, args, plan, options: target.SwarmOptions, app_local: str, stack: str) -> str:
    files = target.render(plan, options)
    with tempfile.TemporaryDirectory(prefix="shipyard-nginx-") as tmp:
        for name in (target.NGINX_CONF, target.NGINX_DOCKERFILE):
            (Path(tmp) / name).write_text(files[name], encoding="utf-8")
        built = swarm.engine.build(Path(tmp), Path(tmp) / target.NGINX_DOCKERFILE, f"{stack}-nginx:latest",
                                   {"APP_IMAGE": app_local}, progress=step_progress(args.verbose))
    # named after its content: an app update that changes neither nginx.conf nor the static files leaves
    # nginx running (it holds the published port, so replacing it is stop-first)
    tag = built.image_id.split(":")[-1][:12]
    swarm.tag(f"{stack}-nginx:latest", f"{stack}-nginx:{tag}")
    return f"{stack}-nginx:{tag}"


def _publish(swarm: Swarm, args, local: str, stack: str, role: str) -> str:
    if not args.registry:
        return local
    remote = _image_ref(args, stack, role, local.rsplit(":", 1)[1])
    swarm.tag(local, remote)
    say(f"pushing {remote}")
    swarm.push(remote)
    return remote


def _up(args: argparse.Namespace) -> int:
    started = time.monotonic()
    root, plan = _plan(args)
    stack = _stack_name(args)
    if plan.settings["replicas"] < 1:
        raise UsageError("--replicas must be 1 or more", "use `shipyard swarm down` to stop the stack")
    # the report first: a part whose meaning would be lost stops here, before anything is built
    values = _read_secrets(root, plan, create=False)
    target.translate(plan, _options(args, plan, None, stack, "app", "nginx", values)).check()

    swarm = _swarm()
    done = swarm.ensure_manager(args.advertise_addr)
    if done:
        say(done)
    values = _read_secrets(root, plan, create=True)
    try:
        app_local, tag, _ = _build(swarm, args, root, plan, stack)
    except BuildFailed as exc:
        for line in exc.tail:
            print(f"  | {line}", file=sys.stderr)
        raise
    app_image = _publish(swarm, args, app_local, stack, "app")
    options = _options(args, plan, swarm, stack, app_image, "nginx", values)
    nginx_image = _publish(swarm, args, _build_nginx(swarm, args, plan, options, app_local, stack), stack, "nginx")
    options = _options(args, plan, swarm, stack, app_image, nginx_image, values)
    report = target.translate(plan, options).check()
    say(f"endpoint mode {options.endpoint_mode}: {options.endpoint_reason}")
    say(report.summary() + " (shipyard swarm render shows each part)")

    for key, name in options.secrets.items():
        if swarm.ensure_secret(stack, name, values[key]):
            say(f"created secret {name}")

    with tempfile.TemporaryDirectory(prefix="shipyard-swarm-") as tmp:
        stack_file = Path(tmp) / target.STACK_FILE
        release = target.release_command(plan)
        backing = target.backing_services(plan)
        if backing:
            # the database, Redis and the network first: the release needs them, and the app must not change yet
            _write_stack(stack_file, plan, dataclasses.replace(options, db_only=True))
            swarm.deploy(stack_file, stack, registry=bool(args.registry))
            swarm.wait_converged(stack, backing, timeout=args.timeout, on_change=say)
        if release:
            argv, workdir = release
            say(f"running the release once: {' '.join(argv[3:])}")
            secrets = [(name, key.lower()) for key, name in options.secrets.items() if not target.server_key(key)]
            env = {**target.release_environment(plan, os.environ, tuple(options.secrets)),
                   **{f"{key}_FILE": f"/run/secrets/{key.lower()}" for key in options.secrets
                      if not target.server_key(key)}}
            try:
                lines = swarm.run_once(stack, "release", app_image, argv, workdir=workdir,
                                       network=f"{stack}_default" if backing else None,
                                       secrets=secrets, env=env, uid=plan.settings["user_uid"],
                                       timeout=args.timeout, registry=bool(args.registry))
            except ReleaseFailed as exc:
                for line in exc.tail:
                    print(f"  | {line}", file=sys.stderr)
                raise
            for line in lines[-5:]:
                print(f"  | {line}", file=sys.stderr)
        _write_stack(stack_file, plan, options)
        rollout = time.monotonic()
        say(f"deploying stack {stack}: {options.replicas} x {app_image} behind {nginx_image}")
        swarm.deploy(stack_file, stack, registry=bool(args.registry))
        services = swarm.wait_converged(stack, {"app": app_image, "nginx": nginx_image}, timeout=args.timeout,
                                        on_change=say)
    for name in swarm.prune_secrets(stack, keep=list(options.secrets.values())):
        say(f"removed secret {name} (an earlier value)")
    url = f"http://127.0.0.1:{args.port}/"
    result = {"stack": stack, "url": url, "app_image": app_image, "nginx_image": nginx_image,
              "endpoint_mode": options.endpoint_mode, "endpoint_reason": options.endpoint_reason,
              "rollout_seconds": round(time.monotonic() - rollout, 1),
              "total_seconds": round(time.monotonic() - started, 1),
              "services": [s.__dict__ for s in services], "report": report.to_dict()}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for s in services:
            print(f"  {s.service:<8} {s.running}/{s.replicas}  {s.image}")
        print(f"{stack} is up: {url}   (rolled out in {result['rollout_seconds']} s; "
              f"stop it with: shipyard swarm down {args.path})")
    return 0


# ----- down / ps / logs / scale -----------------------------------------------------------------
def _swarm() -> Swarm:
    try:
        return Swarm(find_engine("docker"))
    except EngineError:
        if shutil.which("podman") and not shutil.which("docker"):
            raise UsageError("Docker Swarm needs Docker: only Podman is installed, and Podman has no swarm mode",
                             "install Docker, or use `shipyard up --engine podman` / `shipyard init --kubernetes`")
        raise


def _down(args: argparse.Namespace) -> int:
    stack = _stack_name(args)
    removed = _swarm().remove(stack, volumes=args.volumes)
    print(f"{stack} is down" + (f": removed {', '.join(removed)}" if removed else " (nothing was running)"))
    return 0


def _ps(args: argparse.Namespace) -> int:
    stack = _stack_name(args)
    services = _swarm().services(stack)
    if args.json:
        print(json.dumps({"stack": stack, "services": [s.__dict__ for s in services]}, indent=2))
        return 0
    if not services:
        print(f"{stack}: not deployed (deploy it with: shipyard swarm up {args.path})")
        return 0
    print(f"{'service':<10} {'replicas':<9} {'update':<20} {'ports':<8} image")
    for s in services:
        print(f"{s.service:<10} {f'{s.running}/{s.replicas}':<9} {s.update or '-':<20} "
              f"{','.join(map(str, s.ports)) or '-':<8} {s.image}")
    return 0


def _logs(args: argparse.Namespace) -> int:
    stack = _stack_name(args)
    return _swarm().logs(f"{stack}_{args.service}", lines=args.tail, follow=args.follow)


def _scale(args: argparse.Namespace) -> int:
    if args.replicas < 0:
        raise UsageError("replicas must be 0 or more", "give the number of app replicas")
    stack = _stack_name(args)
    swarm = _swarm()
    app = next((s for s in swarm.services(stack) if s.service == "app"), None)
    if app is None:
        raise UsageError(f"stack {stack} is not deployed", f"deploy it first: shipyard swarm up {args.path}")
    swarm.scale(app.name, args.replicas)
    services = swarm.wait_converged(stack, {"app": app.image}, timeout=args.timeout, on_change=say)
    if args.json:
        print(json.dumps({"stack": stack, "services": [s.__dict__ for s in services]}, indent=2))
    else:
        print(f"{stack}: app runs {args.replicas} replicas (the next `swarm up` applies the replicas setting again)")
    return 0
