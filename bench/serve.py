"""Throughput and p99 latency of three ways to serve the hello example, on one machine, in one run:

  shipyard   `shipyard serve examples/hello --workers 4` (nginx in front of gunicorn, under supervisord)
  gunicorn   the seeds' command: `gunicorn -w 4 -b 127.0.0.1:PORT run:app`
  flask-dev  the Flask development server (`flask --app run:app run`, threaded)

Each is measured with wrk (Debian's, 127.0.0.1, bounded in time), first alone, then while 200 slow clients
hold connections open (each sends one header byte a second and reconnects when dropped): the ratio is the
share of its normal throughput a server keeps under that load.

  .venv/bin/python bench/serve.py                 # writes bench/results/serve.json and serve.md
  .venv/bin/python bench/serve.py --seconds 5     # shorter runs
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
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELLO = ROOT / "examples" / "hello"
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


def servers(port: int) -> dict[str, list[str]]:
    return {
        "shipyard": [str(VENV_BIN / "shipyard"), "serve", str(HELLO), "--port", str(port), "--workers", "4"],
        "gunicorn": [str(VENV_BIN / "gunicorn"), "-w", "4", "-b", f"127.0.0.1:{port}", "run:app"],
        "flask-dev": [str(VENV_BIN / "flask"), "--app", "run:app", "run", "--port", str(port)],
    }


def start(cmd: list[str]) -> subprocess.Popen:
    return subprocess.Popen(cmd, cwd=HELLO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
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


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(port: int, seconds: int, connections: int = 50) -> dict:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "--latency",
                          f"http://127.0.0.1:{port}/"], capture_output=True, text=True,
                         timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    p99 = round(float(m.group(1)) * _UNITS[m.group(2)], 2) if m else None
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    total = re.search(r"(\d+) requests in", out)
    return {"rps": rps, "p99_ms": p99, "requests": int(total.group(1)) if total else None,
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


def measure(name: str, seconds: int) -> dict:
    port = free_port()
    proc = start(servers(port)[name])
    try:
        wait_ready(port)
        wrk(port, 3)                                       # warm-up: every worker compiles its templates
        before = wrk(port, seconds)
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
        opened = json.loads(out or "{}").get("connections_opened")
        time.sleep(2)
        after = wrk(port, seconds)
        # alone = the mean of a run before and a run after the slow clients, so drift (a machine warming up
        # or throttling) does not pass for an effect of the slow clients
        normal = {"rps": round((before["rps"] + after["rps"]) / 2, 2),
                  "p99_ms": max(before["p99_ms"] or 0, after["p99_ms"] or 0), "before": before, "after": after}
        return {"normal": normal, "slow_clients": {**loaded, "slow_connections_opened": opened},
                "kept_ratio": round(loaded["rps"] / normal["rps"], 3) if normal["rps"] else None}
    finally:
        stop(proc)


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
            "wrk": version(["wrk", "--version"]), "gunicorn": version([str(VENV_BIN / "gunicorn"), "--version"])}


def markdown(data: dict) -> str:
    m = data["machine"]
    lines = ["# serve benchmark: hello example", "",
             f"Machine: {m['cpu']}, {m['cpus']} CPUs, {m['memory_mib']} MiB, Linux {m['kernel']}; "
             f"Python {m['python']}; {m['nginx']}; {m['gunicorn']}; {m['wrk']}.", "",
             f"wrk -t2 -c50 -d{data['seconds']}s --latency http://127.0.0.1:PORT/ after a 3 s warm-up. "
             "Alone: the mean req/s (and the worse p99) of a run before and a run after the slow clients. "
             f"Under load: {data['slow_clients']} slow clients, each sending one header byte a second "
             "(reconnecting when dropped), started 3 s before wrk.", "",
             "| server | req/s | p99 ms | req/s with slow clients | p99 ms with slow clients | errors with slow clients | kept |",
             "|---|---|---|---|---|---|---|"]
    for name, r in data["servers"].items():
        n, s = r["normal"], r["slow_clients"]
        errs = sum(s["socket_errors"].values()) + s["non_2xx"] if s["socket_errors"] else s["non_2xx"]
        p99 = s["p99_ms"] if s["requests"] else "none answered"
        lines.append(f"| {name} | {n['rps']:.0f} | {n['p99_ms']} | {s['rps']:.0f} | {p99} | {errs} | "
                     f"{r['kept_ratio']:.0%} |")
    lines += ["", "`kept`: throughput with slow clients / throughput alone. Generated by bench/serve.py; "
              "numbers from one run on the machine above."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd")
    slow = sub.add_parser("slow-clients")
    slow.add_argument("--port", type=int, required=True)
    slow.add_argument("--count", type=int, default=SLOW_CLIENTS)
    slow.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--only", action="append", help="measure only these servers")
    args = parser.parse_args()
    if args.cmd == "slow-clients":
        slow_clients_main(args.port, args.count, min(args.seconds, 120))
        return
    names = args.only or ["shipyard", "gunicorn", "flask-dev"]
    data = {"example": "hello", "seconds": args.seconds, "slow_clients": SLOW_CLIENTS, "machine": machine(),
            "servers": {}}
    for name in names:
        print(f"measuring {name} ...", file=sys.stderr, flush=True)
        data["servers"][name] = measure(name, args.seconds)
        print(json.dumps(data["servers"][name]), file=sys.stderr, flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "serve.json").write_text(json.dumps(data, indent=2) + "\n")
    (RESULTS / "serve.md").write_text(markdown(data))
    print(markdown(data))


if __name__ == "__main__":
    main()
