"""Throughput, latency, slow-client resistance and idle memory of every way to serve a hello-world Flask app
on one machine, in one run (issues 4 and 7):

  shipyard           `shipyard serve APP_DIR` with no options: the default tree (nginx in front of
                     granian on a unix socket, under supervisord), exactly what the image runs
  shipyard-gunicorn  the same with `--server gunicorn`
  shipyard-uwsgi     the same with `--server uwsgi` (nginx -> uWSGI over uwsgi_pass)
  gunicorn           the seeds' command: `gunicorn -w 4 -b 127.0.0.1:PORT APP` (app:app for hello-world, run:app for hello)
  seed-uwsgi         the seeds' other production setup (seed 004): nginx with the seed's `uwsgi_pass`
                     location in front of uWSGI with the seed's ini (processes 4, threads 2, socket, ...)
  nginx-alone        nginx answering 200 by itself: the ceiling of this machine
  flask-dev          the Flask development server (`flask --app APP run`, threaded)

Round-robin: each round starts every setup in turn (start, warm up, idle memory, wrk at 64 and at 256
connections, wrk at 64 with 200 slow clients, stop), and the rounds repeat, so drift of the machine spreads
over all setups instead of favouring one. Slow clients send one header byte a second and reconnect when
dropped; `kept` is req/s with them / req/s without them (64 connections, same round). Idle memory: PSS
summed over the setup's process tree (/proc/<pid>/smaps_rollup), after the warm-up, at rest.

  .venv/bin/python bench/serve.py                       # writes bench/results/serve.json and serve.md
  .venv/bin/python bench/serve.py --seconds 5 --rounds 3
  .venv/bin/python bench/serve.py --only shipyard --only gunicorn
"""

from __future__ import annotations

import sys
# bench/ holds scripts named like stdlib modules (bench/inspect.py): never import from it
sys.path[:] = [p for p in sys.path if p not in ("", __file__.rsplit("/", 1)[0])]

import argparse
import asyncio
import json
import os
import platform
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The apps measured: (folder, the seeds' `module:app` for it). `hello-world` is the issue's hello-world
# Flask app (seed 004's `return 'Hello World!'`, examples/wsgi-app); `hello` renders a template page.
APPS = {"hello-world": (ROOT / "examples" / "wsgi-app", "app:app"),
        "hello": (ROOT / "examples" / "hello", "run:app")}
APP_DIR, APP_ENTRY = APPS["hello-world"]          # set by main() from --app
RESULTS = ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent
SLOW_CLIENTS = 200


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port} within {timeout}s")


SEED_UWSGI_INI = """[uwsgi]
module = {entry}
master = true
socket = 127.0.0.1:{upstream}
chmod-socket = 660
vacuum = true
die-on-term = true
processes = 4
threads = 2
max-requests = 5000
buffer-size = 32768
post-buffering = 4096
"""
# The seed's default.conf location, inside the official image's nginx.conf (worker_processes auto,
# worker_connections 1024, access log to a file). Temp and pid paths moved to the run folder.
SEED_NGINX_CONF = """worker_processes auto;
pid {run}/nginx.pid;
error_log {run}/error.log notice;
daemon off;
{user}
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {run}/access.log;
    sendfile on;
    keepalive_timeout 65;
    client_body_temp_path {run}/cb; proxy_temp_path {run}/px; fastcgi_temp_path {run}/fc;
    uwsgi_temp_path {run}/uw; scgi_temp_path {run}/sc;
    upstream backend {{ server 127.0.0.1:{upstream}; }}
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        location / {{
            include /etc/nginx/uwsgi_params;
            uwsgi_pass backend;
            uwsgi_max_temp_file_size 20480m;
            uwsgi_buffering off;
            uwsgi_ignore_client_abort on;
            uwsgi_buffers 2560 160k;
            uwsgi_buffer_size 2560k;
            uwsgi_connect_timeout 30s;
            uwsgi_send_timeout 30s;
            uwsgi_read_timeout 30s;
            uwsgi_busy_buffers_size 2560k;
            uwsgi_temp_file_write_size 2560k;
            proxy_read_timeout 30s;
            proxy_connect_timeout 75s;
        }}
    }}
}}
"""
NGINX_ALONE_CONF = """worker_processes auto;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
daemon off;
{user}
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {run}/cb; proxy_temp_path {run}/px; fastcgi_temp_path {run}/fc;
    uwsgi_temp_path {run}/uw; scgi_temp_path {run}/sc;
    server {{
        listen 127.0.0.1:{port};
        location / {{ default_type text/plain; return 200 "ok\\n"; }}
    }}
}}
"""
SETUPS = ("shipyard", "shipyard-gunicorn", "shipyard-uwsgi", "gunicorn", "seed-uwsgi", "nginx-alone", "flask-dev")


def servers(port: int, run: Path) -> dict[str, list[list[str]]]:
    """Each setup: the commands to start (each in its own session), in order."""
    shipyard = [str(VENV_BIN / "shipyard"), "serve", str(APP_DIR), "--port", str(port)]
    user = "user root;" if os.geteuid() == 0 else ""
    upstream = free_port()
    (run / "seed-uwsgi.ini").write_text(SEED_UWSGI_INI.format(upstream=upstream, entry=APP_ENTRY))
    (run / "seed-nginx.conf").write_text(SEED_NGINX_CONF.format(run=run, port=port, upstream=upstream, user=user))
    (run / "nginx-alone.conf").write_text(NGINX_ALONE_CONF.format(run=run, port=port, user=user))
    return {
        "shipyard": [shipyard],
        "shipyard-gunicorn": [shipyard + ["--server", "gunicorn"]],
        "shipyard-uwsgi": [shipyard + ["--server", "uwsgi"]],
        "gunicorn": [[str(VENV_BIN / "gunicorn"), "-w", "4", "-b", f"127.0.0.1:{port}", APP_ENTRY]],
        "seed-uwsgi": [[str(VENV_BIN / "uwsgi"), "--ini", str(run / "seed-uwsgi.ini")],
                       ["/usr/sbin/nginx", "-c", str(run / "seed-nginx.conf")]],
        "nginx-alone": [["/usr/sbin/nginx", "-c", str(run / "nginx-alone.conf")]],
        "flask-dev": [[str(VENV_BIN / "flask"), "--app", APP_ENTRY, "run", "--port", str(port)]],
    }


def start(cmd: list[str]) -> subprocess.Popen:
    return subprocess.Popen(cmd, cwd=APP_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    except ProcessLookupError:
        pass


def tree_pids(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def pss(roots: list[int], skip_roots: bool = False) -> tuple[float, dict[str, float]]:
    """Proportional set size of every process in the trees (shared pages count once, split among their
    sharers), in MiB: the total and a breakdown by program name. `skip_roots` leaves the roots themselves
    out: the `shipyard serve` command that starts supervisord is not part of the production tree (in the
    image supervisord is the container's first process)."""
    by_name: dict[str, float] = {}
    for root in roots:
        for pid in tree_pids(root):
            if skip_roots and pid == root:
                continue
            try:
                text = Path(f"/proc/{pid}/smaps_rollup").read_text()
                name = Path(f"/proc/{pid}/comm").read_text().strip()
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if name.startswith("python"):   # python programs: name them by their script or module
                args = [a.decode(errors="replace") for a in cmd[1:] if a and not a.startswith(b"-")]
                name = Path(args[0]).name if args else name
            m = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
            by_name[name] = by_name.get(name, 0) + (int(m.group(1)) / 1024 if m else 0)
    return round(sum(by_name.values()), 1), {k: round(v, 1) for k, v in sorted(by_name.items())}


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(out: str, pct: str) -> float | None:
    m = re.search(pct + r"%\s+([\d.]+)(us|ms|s)\b", out)
    return round(float(m.group(1)) * _UNITS[m.group(2)], 2) if m else None


def wrk(port: int, seconds: int, connections: int = 64) -> dict:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "--latency",
                          f"http://127.0.0.1:{port}/"], capture_output=True, text=True,
                         timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    total = re.search(r"(\d+) requests in", out)
    return {"rps": rps, "p50_ms": _ms(out, "50"), "p99_ms": _ms(out, "99"),
            "requests": int(total.group(1)) if total else None,
            "socket_errors": dict(zip(("connect", "read", "write", "timeout"), map(int, errors.groups())))
            if errors else {}, "non_2xx": int(non2xx.group(1)) if non2xx else 0}


# ---- slow clients: a bounded script that sends one header byte a second ----------------------------------
async def _slow_client(port: int, until: float, opened: list[int]) -> None:
    request = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 10_000
    while time.monotonic() < until:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.5)
            continue
        opened[0] += 1
        try:
            for i in range(len(request)):
                if time.monotonic() >= until:
                    break
                writer.write(request[i:i + 1])
                await writer.drain()
                await asyncio.sleep(1.0)
        except OSError:
            pass             # dropped by the server: reconnect and hold another connection
        finally:
            writer.close()


async def _slow_clients(port: int, count: int, seconds: float) -> int:
    until = time.monotonic() + seconds
    opened = [0]
    await asyncio.gather(*(_slow_client(port, until, opened) for _ in range(count)))
    return opened[0]


def slow_clients_main(port: int, count: int, seconds: float) -> None:
    opened = asyncio.run(_slow_clients(port, count, seconds))
    print(json.dumps({"connections_opened": opened}))


def with_slow_clients(port: int, seconds: int) -> dict:
    slow = subprocess.Popen([sys.executable, __file__, "slow-clients", "--port", str(port),
                             "--count", str(SLOW_CLIENTS), "--seconds", str(seconds + 5)],
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(3)                                      # let them connect and start dripping
    try:
        loaded = wrk(port, seconds)
    finally:
        try:
            out, _ = slow.communicate(timeout=seconds + 30)
        except subprocess.TimeoutExpired:
            os.killpg(slow.pid, signal.SIGKILL)
            out, _ = slow.communicate()
    return {**loaded, "slow_connections_opened": json.loads(out or "{}").get("connections_opened")}


def measure(name: str, seconds: int, run: Path) -> dict:
    """One setup, one round: start, warm up, idle PSS, 64 and 256 connections, 64 with slow clients."""
    port = free_port()
    procs = []
    try:
        for cmd in servers(port, run)[name]:
            procs.append(start(cmd))
            time.sleep(0.5)
        wait_ready(port)
        wrk(port, 3)                                   # warm-up: every worker compiles its templates
        time.sleep(2)
        memory, memory_by_program = pss([p.pid for p in procs], skip_roots=name.startswith("shipyard"))
        c64 = wrk(port, seconds, 64)
        c256 = wrk(port, seconds, 256)
        slow = with_slow_clients(port, seconds)
        return {"idle_pss_mib": memory, "idle_pss_by_program": memory_by_program,
                "c64": c64, "c256": c256, "slow_clients": slow,
                "kept_ratio": round(slow["rps"] / c64["rps"], 3) if c64["rps"] else None}
    finally:
        for proc in reversed(procs):
            stop(proc)


def summary(rounds: list[dict]) -> dict:
    """Across rounds: mean req/s, mean p50, worst p99, mean kept, mean idle memory."""
    def mean(values):
        values = [v for v in values if v is not None]
        return round(sum(values) / len(values), 2) if values else None
    out = {"idle_pss_mib": mean(r["idle_pss_mib"] for r in rounds),
           "kept_ratio": mean(r["kept_ratio"] for r in rounds)}
    for key in ("c64", "c256", "slow_clients"):
        runs = [r[key] for r in rounds]
        out[key] = {"rps": mean(x["rps"] for x in runs), "p50_ms": mean(x["p50_ms"] for x in runs),
                    "p99_ms": max((x["p99_ms"] for x in runs if x["p99_ms"] is not None), default=None),
                    "errors": sum(sum(x["socket_errors"].values()) + x["non_2xx"] for x in runs)}
    return out


def machine() -> dict:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), platform.processor())
    mem = next((int(l.split()[1]) // 1024 for l in Path("/proc/meminfo").read_text().splitlines()
                if l.startswith("MemTotal")), None)

    def version(cmd: list[str]) -> str:
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
            return (done.stdout + done.stderr).strip().splitlines()[0]
        except (OSError, IndexError):
            return "?"
    return {"cpu": cpu, "cpus": os.cpu_count(), "memory_mib": mem, "kernel": platform.release(),
            "python": platform.python_version(), "nginx": version(["nginx", "-v"]),
            "wrk": version(["wrk", "--version"]), "gunicorn": version([str(VENV_BIN / "gunicorn"), "--version"]),
            "granian": version([str(VENV_BIN / "granian"), "--version"]),
            "uwsgi": "uWSGI " + version([str(VENV_BIN / "uwsgi"), "--version"]),
            "supervisor": "supervisor " + version([str(VENV_BIN / "supervisord"), "--version"])}


def markdown(data: dict) -> str:
    m = data["machine"]
    base = data["servers"].get("gunicorn")
    lines = [f"# serve benchmark: {data['example']} ({data.get('app_dir', 'examples/hello')})", "",
             f"Machine: {m['cpu']}, {m['cpus']} CPUs, {m['memory_mib']} MiB, Linux {m['kernel']}; "
             f"Python {m['python']}; {m['nginx']}; {m['gunicorn']}; {m['granian']}; {m['uwsgi']}; "
             f"{m['supervisor']}; {m['wrk']}.", "",
             f"wrk -t2 -d{data['seconds']}s --latency http://127.0.0.1:PORT/ after a 3 s warm-up; "
             f"{data['rounds']} rounds, round-robin over the setups; req/s and p50 are the mean over rounds, "
             "p99 the worst round. Slow clients: "
             f"{data['slow_clients']} connections each sending one header byte a second (reconnecting when "
             "dropped), started 3 s before wrk -c64. `kept` = req/s with them / req/s without (64 connections). "
             "`x gunicorn` = req/s at 64 connections / the seeds' `gunicorn -w 4`. Idle memory: PSS summed "
             "over the process tree (for `shipyard serve`: supervisord and what it runs, not the CLI that "
             "started it).", "",
             "| setup | req/s c64 | p50 / p99 ms c64 | req/s c256 | p50 / p99 ms c256 | errors c256 | "
             "x gunicorn | kept with slow clients | idle PSS MiB |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, r in data["servers"].items():
        s = r["summary"]
        ratio = f"{s['c64']['rps'] / base['summary']['c64']['rps']:.2f}x" if base else "-"
        lines.append(f"| {name} | {s['c64']['rps']:.0f} | {s['c64']['p50_ms']} / {s['c64']['p99_ms']} | "
                     f"{s['c256']['rps']:.0f} | {s['c256']['p50_ms']} / {s['c256']['p99_ms']} | "
                     f"{s['c256']['errors']} | {ratio} | {s['kept_ratio']:.0%} | {s['idle_pss_mib']} |")
    lines += ["", "Per round (req/s c64, c256, with slow clients):", ""]
    for name, r in data["servers"].items():
        per = "; ".join(f"{x['c64']['rps']:.0f}, {x['c256']['rps']:.0f}, {x['slow_clients']['rps']:.0f}"
                        for x in r["rounds"])
        lines.append(f"- {name}: {per}")
    lines += ["", "Idle PSS by program (MiB, last round):", ""]
    for name, r in data["servers"].items():
        parts = ", ".join(f"{k} {v}" for k, v in r["rounds"][-1].get("idle_pss_by_program", {}).items())
        lines.append(f"- {name}: {parts}")
    lines += ["", "Generated by bench/serve.py on the machine above; every setup ran in the same run."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd")
    slow = sub.add_parser("slow-clients")
    slow.add_argument("--port", type=int, required=True)
    slow.add_argument("--count", type=int, default=SLOW_CLIENTS)
    slow.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--seconds", type=int, default=8, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="round-robin repetitions (at least 2)")
    parser.add_argument("--only", action="append", choices=SETUPS, help="measure only these setups")
    parser.add_argument("--app", choices=tuple(APPS), default="hello-world",
                        help="hello-world (default; results in serve.json/md) or hello, the template page "
                             "(serve-hello.json/md)")
    args = parser.parse_args()
    global APP_DIR, APP_ENTRY
    APP_DIR, APP_ENTRY = APPS[args.app]
    if args.cmd == "slow-clients":
        slow_clients_main(args.port, args.count, min(args.seconds, 120))
        return
    names = args.only or list(SETUPS)
    data = {"example": args.app, "app_dir": str(APP_DIR.relative_to(ROOT)), "seconds": args.seconds, "rounds": max(1, args.rounds),
            "slow_clients": SLOW_CLIENTS, "machine": machine(), "servers": {n: {"rounds": []} for n in names}}
    with tempfile.TemporaryDirectory(prefix="shipyard-bench-") as run:
        for i in range(data["rounds"]):
            for name in names:
                print(f"round {i + 1}: {name} ...", file=sys.stderr, flush=True)
                result = measure(name, args.seconds, Path(run))
                data["servers"][name]["rounds"].append(result)
                print(json.dumps({k: result[k] for k in ("idle_pss_mib", "kept_ratio")} |
                                 {k: result[k]["rps"] for k in ("c64", "c256", "slow_clients")}),
                      file=sys.stderr, flush=True)
    for entry in data["servers"].values():
        entry["summary"] = summary(entry["rounds"])
    if "gunicorn" in data["servers"]:
        base = data["servers"]["gunicorn"]["summary"]
        for entry in data["servers"].values():
            entry["summary"]["x_gunicorn_c64"] = round(entry["summary"]["c64"]["rps"] / base["c64"]["rps"], 2)
            entry["summary"]["x_gunicorn_c256"] = round(entry["summary"]["c256"]["rps"] / base["c256"]["rps"], 2)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = "serve" if args.app == "hello-world" else f"serve-{args.app}"
    (RESULTS / f"{stem}.json").write_text(json.dumps(data, indent=2) + "\n")
    (RESULTS / f"{stem}.md").write_text(markdown(data))
    print(markdown(data))


if __name__ == "__main__":
    main()
