"""Rollouts on a single-node Docker Swarm under constant, bounded load: requests sent, failed, seconds.

    .venv/bin/python bench/swarm.py [--replicas 3] [--clients 4] [--health-interval 1] [--base IMAGE]

Copies examples/hello, deploys it with `shipyard swarm up` (nginx + N replicas), then, with --clients
keep-alive clients each sending GET / every 20 ms through nginx on 127.0.0.1:
  rolling-update   a new version (its page changes): start-first, one replica at a time
  broken-version   a version whose pages (the health path included) answer 500: Swarm rolls it back
and without load: scale N -> 5 -> 2, and `shipyard swarm down`, checking that nothing is left.
Writes bench/results/swarm.json and .md. The stack is `sybench-hello`; it is removed at the end.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import tempfile
import time

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT / "tests"))
from conftest import free_port  # noqa: E402
from swarmutil import Load  # noqa: E402

STACK = "sybench-hello"


def shipyard(*args: str, timeout: float = 900) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "shipyard", *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    return done, time.monotonic() - started


def marker(app: Path, text: str) -> None:
    page = app / "my_app" / "templates" / "index.html"
    page.write_text(page.read_text().replace("<h1>Hello from Shipyard!", f"<h1>Hello from Shipyard! {text}", 1))


def under_load(port: int, clients: int, markers: tuple[str, ...], up_args: list[str]) -> dict:
    with Load(port, clients=clients, markers=markers) as load:
        time.sleep(2)
        done, seconds = shipyard(*up_args, "--json")
        time.sleep(2)
    result = load.stop().to_dict()
    rollout = json.loads(done.stdout)["rollout_seconds"] if done.returncode == 0 else None
    last = next((line for line in reversed(done.stderr.splitlines()) if "error" in line), "")
    return {**result, "exit_code": done.returncode, "command_seconds": round(seconds, 1),
            "rollout_seconds": rollout, "message": last[:300]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--health-interval", type=int, default=1)
    parser.add_argument("--base", default=os.environ.get("BASE_IMAGE", "localhost/bookworm-py:latest"))
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="sybench-swarm-"))
    app = tmp / "hello"
    shutil.copytree(ROOT / "examples" / "hello", app, ignore=shutil.ignore_patterns("__pycache__", ".venv"))
    port = free_port()
    up = ["swarm", "up", str(app), "--stack", STACK, "--replicas", str(args.replicas), "--port", str(port),
          "--base", args.base, "--health-interval", str(args.health_interval), "--start-period", "5",
          "--bind", "0.0.0.0"]
    cases: dict[str, dict] = {}
    try:
        marker(app, "version-one")
        done, seconds = shipyard(*up, "--json")
        if done.returncode != 0:
            print(done.stderr[-3000:], file=sys.stderr)
            return 1
        first = json.loads(done.stdout)
        cases["first-deploy"] = {"command_seconds": round(seconds, 1), "rollout_seconds": first["rollout_seconds"],
                                 "endpoint_mode": first["endpoint_mode"]}

        marker(app, "version-two")
        cases["rolling-update"] = under_load(port, args.clients, ("version-two", "version-one"), up)

        init = app / "my_app" / "__init__.py"
        good = init.read_text()
        init.write_text(good.replace('    return render_template("index.html")',
                                     '    raise RuntimeError("broken on purpose")', 1))
        cases["broken-version"] = under_load(port, args.clients, ("version-two",), up)
        init.write_text(good)

        for n in (5, 2):
            done, seconds = shipyard("swarm", "scale", str(app), str(n), "--stack", STACK)
            cases[f"scale-to-{n}"] = {"exit_code": done.returncode, "command_seconds": round(seconds, 1)}
    finally:
        done, seconds = shipyard("swarm", "down", str(app), "--stack", STACK, "--volumes")
        left = subprocess.run(["docker", "ps", "-aq", "--filter", f"label=com.docker.stack.namespace={STACK}"],
                              capture_output=True, text=True).stdout.split()
        cases["down"] = {"exit_code": done.returncode, "command_seconds": round(seconds, 1),
                         "containers_left": len(left)}
        images = subprocess.run(["docker", "images", "--format", "{{.Repository}}:{{.Tag}}"], capture_output=True,
                                text=True).stdout.split()
        mine = [i for i in images if i.startswith(STACK)]
        if mine:
            subprocess.run(["docker", "rmi", "-f", *mine], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)

    engine = subprocess.run(["docker", "version", "--format", "{{.Server.Version}}"], capture_output=True,
                            text=True).stdout.strip()
    report = {"date": datetime.date.today().isoformat(),
              "setup": {"app": "examples/hello", "replicas": args.replicas, "clients": args.clients,
                        "pause_ms": 20, "health_interval_s": args.health_interval, "engine": engine,
                        "cpus": os.cpu_count(), "kernel": platform.release(), "python": platform.python_version()},
              "cases": cases}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "swarm.json").write_text(json.dumps(report, indent=2) + "\n")
    s = report["setup"]
    lines = ["# Swarm rollouts under load", "",
             f"{report['date']} · `bench/swarm.py` · {s['app']} · {s['replicas']} replicas behind nginx · "
             f"Docker {s['engine']} single-node swarm · kernel {s['kernel']} · {s['cpus']} CPUs · endpoint mode "
             f"{cases.get('first-deploy', {}).get('endpoint_mode', '?')} · {s['clients']} keep-alive clients, "
             f"one GET / every {s['pause_ms']} ms each · health checks every {s['health_interval_s']} s", "",
             "| case | requests sent | failed | answers per version | rollout s | command s | exit |",
             "|---|---|---|---|---|---|---|"]
    for name in ("rolling-update", "broken-version"):
        c = cases.get(name)
        if c:
            versions = ", ".join(f"{k}: {v}" for k, v in c["markers"].items())
            lines.append(f"| {name} | {c['sent']} | {c['failed']} | {versions} | {c['rollout_seconds'] or '-'} | "
                         f"{c['command_seconds']} | {c['exit_code']} |")
    lines += ["", "| step | seconds | exit | note |", "|---|---|---|---|"]
    if "first-deploy" in cases:
        lines.append(f"| first deploy (build + up) | {cases['first-deploy']['command_seconds']} | 0 | rollout "
                     f"{cases['first-deploy']['rollout_seconds']} s |")
    for n in (5, 2):
        c = cases.get(f"scale-to-{n}")
        if c:
            lines.append(f"| scale to {n} | {c['command_seconds']} | {c['exit_code']} | |")
    d = cases["down"]
    lines.append(f"| down | {d['command_seconds']} | {d['exit_code']} | {d['containers_left']} containers left |")
    broken = cases.get("broken-version", {})
    lines += ["", "The broken version answers 500 on every page, its health path included: it never becomes "
              "healthy, so it never takes traffic, and Swarm rolls the update back by itself "
              f"(`shipyard swarm up` exits {broken.get('exit_code', '?')}: {broken.get('message', '')})."
              " A failed request is a connection error or an answer of 500 or more.", ""]
    (RESULTS / "swarm.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
