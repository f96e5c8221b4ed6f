"""Bounded load check of EasyGeoIP's API through the full stack: requests/s of /api/<ip> with and without
the database fill-in.

    .venv/bin/python bench/geoip.py [--seconds 10] [--connections 16]

Starts a throwaway PostgreSQL (as the tests do), loads the zones with `shipyard migrate` (the app's release
command), runs the production tree with `shipyard serve` (nginx in front of the default app server, under
supervisord) on 127.0.0.1 and drives it with wrk for a fixed time per case. Writes bench/results/geoip.json
and .md.
Cases:
  city-timezone   /api/81.2.69.160  the City record has the zone: no database query
  db-fill-in      /api/8.8.8.8      no zone in the record: one indexed query per request
  no-database     /api/8.8.8.8      DATABASE_URL unset: the answer says the zone is unavailable
"""

from __future__ import annotations

import sys
from pathlib import Path

# Python puts this script's folder first on sys.path, where bench/inspect.py would shadow the standard
# library's inspect module (imported by dataclasses, pytest...): take the folder off again.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import time
import urllib.request

ROOT = Path(__file__).resolve().parent.parent
APP_DIR = ROOT / "examples" / "easygeoip"
RESULTS = ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent


def throwaway_postgres():
    sys.path.insert(0, str(ROOT / "tests"))          # the tests' throwaway PostgreSQL and free_port
    sys.path.insert(1, str(ROOT / "src"))            # ... which runs on Shipyard's own PostgreSQL driver
    import throwaway_pg
    from conftest import free_port
    return throwaway_pg.start_postgres(), free_port


def shipyard(*args: str, database_url: str | None) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.Popen([sys.executable, "-m", "shipyard", *args], env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_stack(port: int, database_url: str | None) -> subprocess.Popen:
    """`shipyard serve` (without a database: --db none, so the API says the zone is unavailable)."""
    extra = () if database_url else ("--db", "none")
    server = shipyard("serve", str(APP_DIR), "--port", str(port), *extra, database_url=database_url)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/81.2.69.160", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise RuntimeError("shipyard serve did not answer within 90 s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)        # shipyard stops its tree gracefully
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def _seconds(value: str, unit: str) -> float:
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def run_wrk(url: str, seconds: int, connections: int, threads: int) -> dict:
    done = subprocess.run(["wrk", "--latency", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", url],
                          capture_output=True, text=True, timeout=seconds + 60)
    out = done.stdout
    if done.returncode != 0 or "Requests/sec" not in out:
        raise RuntimeError(f"wrk failed: {done.stderr or out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    errors = re.search(r"Socket errors: (.*)", out)
    latency = {}
    for pct in ("50", "90", "99"):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        latency[f"p{pct}_ms"] = round(_seconds(*m.groups()) * 1000, 2) if m else None
    return {"requests_per_second": rps, "requests": total, "non_2xx": non2xx,
            "socket_errors": errors.group(1).strip() if errors else None, "latency": latency}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per case (default 10)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("error: wrk is not installed (scripts/setup-dev.sh installs it)", file=sys.stderr)
        return 1
    pg, free_port = throwaway_postgres()
    results = []
    try:
        if shipyard("migrate", str(APP_DIR), database_url=pg.url()).wait(timeout=300) != 0:
            raise RuntimeError("shipyard migrate (the time zone loader) failed")
        cases = [("city-timezone", "/api/81.2.69.160", pg.url()),
                 ("db-fill-in", "/api/8.8.8.8", pg.url()),
                 ("no-database", "/api/8.8.8.8", None)]
        for name, path, url in cases:
            port = free_port()
            server = start_stack(port, url)
            try:
                run_wrk(f"http://127.0.0.1:{port}{path}", 2, args.connections, 2)      # warm-up, not recorded
                measured = run_wrk(f"http://127.0.0.1:{port}{path}", args.seconds, args.connections, 2)
            finally:
                stop(server)
            results.append({"case": name, "path": path, "database": bool(url), **measured})
            print(f"{name:14} {path:18} {measured['requests_per_second']:9.1f} req/s  "
                  f"p50 {measured['latency']['p50_ms']} ms  p99 {measured['latency']['p99_ms']} ms  "
                  f"non-2xx {measured['non_2xx']}")
    finally:
        pg.close()
    report = {"bench": "geoip", "when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "setup": {"server": "the full local stack: shipyard serve (nginx + the default app server under "
                                  "supervisord), 127.0.0.1",
                        "load": f"wrk 2 threads, {args.connections} connections, {args.seconds}s per case after a 2s warm-up",
                        "database": "PostgreSQL 15 (throwaway, fsync off, same machine)",
                        "cpus": os.cpu_count(), "python": platform.python_version()},
              "results": results}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "geoip.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = ["# EasyGeoIP API load check", "",
             f"{report['when']} · {report['setup']['server']} · {report['setup']['load']} · "
             f"{report['setup']['database']} · {report['setup']['cpus']} CPUs · Python {report['setup']['python']}", "",
             "| case | path | database | req/s | p50 ms | p90 ms | p99 ms | non-2xx |", "|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['case']} | `{r['path']}` | {'yes' if r['database'] else 'no'} | {r['requests_per_second']:.0f} | "
                     f"{r['latency']['p50_ms']} | {r['latency']['p90_ms']} | {r['latency']['p99_ms']} | {r['non_2xx']} |")
    lines += ["", "Produced by `bench/geoip.py`; loopback only, so these figures compare cases on one machine, "
              "they do not predict production throughput."]
    (RESULTS / "geoip.md").write_text("\n".join(lines) + "\n")
    return 0 if all(r["non_2xx"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
