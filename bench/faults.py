"""kill -9 under load (issue 12): each part of `shipyard serve`'s tree is killed while wrk drives it, and
what happens is measured, not assumed.

    .venv/bin/python bench/faults.py                   # writes bench/results/faults.json and faults.md
    .venv/bin/python bench/faults.py --seconds 8 --only app-master
    .venv/bin/python bench/faults.py --markdown-only    # faults.md again from the recorded faults.json

Each case starts a fresh `shipyard serve` of a throwaway copy of examples/hello (run with this Python's
environment, which has Flask and the servers), waits until it answers, starts a bounded wrk run
(-t2 -c16, --timeout 2s), kills one process with SIGKILL a third of the way in, and meanwhile probes
GET / every 50 ms from another thread. The image-* cases do the same to a container of the image
`shipyard build` makes of that copy (bundle topology; its processes are killed by their host pids, so the
benchmark runs as root or as the engine's user). Recorded per case:

  restarted_s    kill -> a new process in the killed one's place (supervisord restarted it, or the server
                 replaced its worker); for supervisord and Shipyard itself: kill -> no process of the tree
                 left (its session is empty)
  longest_gap_s  the longest time after the kill without a successful probe (how long nothing answered)
  failed         wrk's failed requests: non-2xx answers + socket errors (connect errors are attempts: wrk
                 reconnects at once, so while nothing listens it counts many per second)
  serving_after  the tree answers after the case, and `shipyard serve` still runs (recover cases)
  exit, message  for supervisord/Shipyard: serve's exit code and its one-line error
"""

from __future__ import annotations

import sys
# bench/ holds scripts named like stdlib modules (bench/inspect.py): never import from it
sys.path[:] = [p for p in sys.path if p not in ("", __file__.rsplit("/", 1)[0])]

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HELLO = ROOT / "examples" / "hello"
BOUND = 5.0   # the limit for serving again / for the tree to be gone

# case -> (server, what to kill, does the tree recover)
CASES = {
    "worker": ("granian", "a granian worker", True),
    "app-master": ("granian", "the granian master", True),
    "nginx-master": ("granian", "the nginx master", True),
    "gunicorn-master": ("gunicorn", "the gunicorn master", True),
    "uwsgi-master": ("uwsgi", "the uWSGI master", True),
    "supervisord": ("granian", "supervisord", False),
    "shipyard": ("granian", "`shipyard serve` itself", False),
    # the image `shipyard build` makes (bundle: supervisord, granian, nginx in one container)
    "image-app-master": ("granian", "the granian master, in the container", True),
    "image-nginx-master": ("granian", "the nginx master, in the container", True),
}
IMAGE = "faults-bench-hello:latest"


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rfind(")") + 2:].split()
    return None if fields[0] == "Z" else fields


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def processes() -> list[tuple[int, list[str]]]:
    return [(int(e.name), f) for e in Path("/proc").iterdir() if e.name.isdigit() and (f := stat(int(e.name)))]


def session(sid: int) -> list[int]:
    return [pid for pid, f in processes() if int(f[3]) == sid]


def children(ppid: int, text: str) -> list[int]:
    return [pid for pid, f in processes() if int(f[1]) == ppid and text in cmdline(pid)]


def ok(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        conn.request("GET", "/")
        return conn.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


class Prober(threading.Thread):
    """GET / every 50 ms; keeps the times of successful answers."""

    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.port, self.successes, self.stop = port, [], threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            if ok(self.port):
                self.successes.append(time.monotonic())
            time.sleep(0.05)

    def longest_gap(self, since: float, until: float) -> float:
        marks = [since, *[t for t in self.successes if since <= t <= until], until]
        return round(max(b - a for a, b in zip(marks, marks[1:])), 2)


def wrk_counts(text: str) -> dict:
    requests = int(m.group(1)) if (m := re.search(r"(\d+) requests in", text)) else 0
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", text)) else 0
    sock = dict(zip(("connect", "read", "write", "timeout"), map(int, m.groups()))) if (
        m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)) else {}
    return {"requests": requests, "non2xx": non2xx, "socket_errors": sock,
            "failed": non2xx + sum(sock.values())}


def run_case(name: str, seconds: int, app: Path) -> dict:
    server, target, recovers = CASES[name]
    port = free_port()
    log = tempfile.NamedTemporaryFile("w+", prefix="faults-serve-", suffix=".log", delete=False)
    serve = subprocess.Popen([sys.executable, "-m", "shipyard", "serve", str(app), "--port", str(port),
                              "--workers", "2", "--server", server],
                             env=shipyard_env(), stdout=log, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, start_new_session=True)
    result: dict = {"case": name, "server": server, "killed": target, "seconds": seconds}
    try:
        deadline = time.monotonic() + 90
        while not ok(port) and time.monotonic() < deadline and serve.poll() is None:
            time.sleep(0.2)
        supervisord = next(pid for pid in [p for p, _ in processes()] if "supervisor.supervisord" in cmdline(pid)
                           and int(stat(pid)[1]) == serve.pid)
        result.update(load_and_kill(name, server, seconds, port, supervisord, serve.pid))
        if recovers:
            settle = time.monotonic() + BOUND   # the load just stopped: give a busy machine a moment
            while not ok(port) and time.monotonic() < settle:
                time.sleep(0.1)
            result["serving_after"] = ok(port) and serve.poll() is None
            result["within_bound"] = result["restarted_s"] is not None and result["restarted_s"] <= BOUND \
                and result["longest_gap_s"] <= BOUND and result["serving_after"]
            serve.send_signal(signal.SIGTERM)
            result["exit"] = serve.wait(60)
        else:
            result["exit"] = serve.wait(30) if name != "shipyard" else None
            result["left"] = len(session(supervisord))
            result["within_bound"] = result["restarted_s"] is not None and result["restarted_s"] <= BOUND \
                and result["left"] == 0
        log.seek(0)
        errors = [l.strip() for l in log.read().splitlines() if l.startswith("shipyard serve: error:")]
        result["message"] = errors[-1] if errors else ""
        return result
    finally:
        try:
            os.killpg(serve.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        serve.wait(10)
        log.close()
        os.environ.get("FAULTS_KEEP_LOG") or os.unlink(log.name)


def build_image(app: Path) -> None:
    subprocess.run([sys.executable, "-m", "shipyard", "build", str(app), "--tag", IMAGE, "--no-verify",
                    "--base", os.environ.get("BASE_IMAGE", "localhost/bookworm-py:latest")],
                   env=shipyard_env(), check=True, capture_output=True, timeout=1800)


def run_image_case(name: str, seconds: int) -> dict:
    """The same kill in a container of the built image (its processes are visible here by host pid)."""
    server, target, _ = CASES[name]
    container = f"faults-bench-{name}-{os.getpid()}"
    subprocess.run(["docker", "run", "-d", "--name", container, "-p", "127.0.0.1::8000", IMAGE], check=True,
                   stdout=subprocess.DEVNULL, timeout=120)
    result: dict = {"case": name, "server": server, "killed": target, "seconds": seconds}
    try:
        port = int(subprocess.run(["docker", "port", container, "8000"], capture_output=True, text=True,
                                  timeout=30).stdout.split()[0].rsplit(":", 1)[1])
        supervisord = int(subprocess.run(["docker", "inspect", "-f", "{{.State.Pid}}", container],
                                         capture_output=True, text=True, timeout=30).stdout)
        deadline = time.monotonic() + 90
        while not ok(port) and time.monotonic() < deadline:
            time.sleep(0.2)
        result.update(load_and_kill(name, server, seconds, port, supervisord, None))
        settle = time.monotonic() + BOUND
        while not ok(port) and time.monotonic() < settle:
            time.sleep(0.1)
        state = subprocess.run(["docker", "inspect", "-f", "{{.State.Running}}", container], capture_output=True,
                               text=True, timeout=30).stdout.strip()
        result["serving_after"] = ok(port) and state == "true"
        result["within_bound"] = result["restarted_s"] is not None and result["restarted_s"] <= BOUND \
            and result["longest_gap_s"] <= BOUND and result["serving_after"]
        subprocess.run(["docker", "stop", "-t", "30", container], capture_output=True, timeout=60)
        result["exit"] = int(subprocess.run(["docker", "inspect", "-f", "{{.State.ExitCode}}", container],
                                            capture_output=True, text=True, timeout=30).stdout)
        result["message"] = ""
        return result
    finally:
        subprocess.run(["docker", "rm", "-f", container], capture_output=True, timeout=60)


def load_and_kill(name: str, server: str, seconds: int, port: int, supervisord: int, shipyard: int | None) -> dict:
    """wrk for `seconds`, the kill a third of the way in, the probe throughout."""
    for _ in range(20):   # the program's children are up before the load starts
        if len(children(supervisord, "nginx")) == 1 and children(supervisord, server):
            break
        time.sleep(0.2)
    wrk = subprocess.Popen(["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "2s", f"http://127.0.0.1:{port}/"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    prober = Prober(port)
    prober.start()
    time.sleep(seconds / 3)
    victim = pick(name.removeprefix("image-"), server, supervisord, shipyard)
    killed_at = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    result = {"restarted_s": watch(name.removeprefix("image-"), server, supervisord, victim, killed_at)}
    out, _ = wrk.communicate(timeout=seconds + 30)
    prober.stop.set()
    prober.join(5)
    result.update(wrk_counts(out))
    result["longest_gap_s"] = prober.longest_gap(killed_at, time.monotonic())
    return result


def shipyard_env() -> dict[str, str]:
    return {**os.environ, "VIRTUAL_ENV": sys.prefix,   # this checkout's Shipyard, the app in this environment
            "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT / "src"), os.environ.get("PYTHONPATH"))))}


def pick(name: str, server: str, supervisord: int, shipyard: int | None) -> int:
    if name == "worker":
        master = children(supervisord, server)[0]
        return children(master, server)[0]
    if name == "nginx-master":
        return children(supervisord, "nginx")[0]
    if name.endswith("master"):
        return children(supervisord, server)[0]
    return supervisord if name == "supervisord" else shipyard


def watch(name: str, server: str, supervisord: int, victim: int, since: float) -> float | None:
    """Seconds until the killed process is replaced (or, for the tree's roots, until the tree is gone)."""
    deadline = since + 20
    while time.monotonic() < deadline:
        if name in ("supervisord", "shipyard"):
            done = not session(supervisord)
        elif name == "worker":
            masters = children(supervisord, server)
            done = bool(masters) and len([p for p in children(masters[0], server) if p != victim]) >= 2
        else:
            text = "nginx" if name == "nginx-master" else server
            done = any(p != victim for p in children(supervisord, text))
        if done:
            return round(time.monotonic() - since, 2)
        time.sleep(0.02)
    return None


def version(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except OSError:
        return "?"
    return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr).strip() else "?"


def write(results: list[dict], seconds: int) -> None:
    machine = {"cpus": os.cpu_count(), "kernel": platform.release(), "python": platform.python_version(),
               "nginx": version(["nginx", "-v"]), "wrk": version(["wrk", "--version"])}
    data = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "machine": machine, "seconds": seconds, "bound_s": BOUND, "cases": results}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "faults.json").write_text(json.dumps(data, indent=2) + "\n")
    write_markdown(data)


def write_markdown(data: dict) -> None:
    machine, seconds, results = data["machine"], data["seconds"], data["cases"]
    lines = ["# faults benchmark: kill -9 under load (bench/faults.py)", "",
             f"{data['date']}; {machine['cpus']} CPUs, Linux {machine['kernel']}; Python {machine['python']}; "
             f"{machine['nginx']}; {machine['wrk']}.", "",
             f"`shipyard serve` of a copy of examples/hello (--workers 2, nginx in front), wrk -t2 -c16 "
             f"-d{seconds}s --timeout 2s; SIGKILL a third of the way in; GET / probed every 50 ms. "
             f"`restarted` = kill -> replacement process (for supervisord and Shipyard: kill -> no process of the "
             f"tree left). `longest gap` = longest time after the kill with no successful probe (for the cases "
             f"that end the tree: nothing answers after it, by design). `failed` = non-2xx + socket errors, and "
             f"their share of all requests (socket errors are attempts: wrk retries at once, so while nothing "
             f"listens it counts many per second). Bound: {data['bound_s']:g} s.", "",
             "| case | killed | restarted / gone s | longest gap s | requests | failed | after | exit | within bound |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        recovers = "serving_after" in r
        after = ("serving" if r["serving_after"] else "NOT serving") if recovers else \
            f"{r.get('left', '?')} processes left"
        gap = r["longest_gap_s"] if recovers else "n/a (tree gone)"
        share = f"{r['failed']} ({100 * r['failed'] / max(1, r['requests'] + sum(r['socket_errors'].values())):.1f}%)"
        exit_code = "killed" if r["exit"] is None else r["exit"]
        lines.append(f"| {r['case']} ({r['server']}) | {r['killed']} | {r['restarted_s']} | {gap} | "
                     f"{r['requests']} | {share} | {after} | {exit_code} | {'yes' if r['within_bound'] else 'NO'} |")
    messages = [f"- {r['case']}: `{r['message']}`" for r in results if r.get("message")]
    if messages:
        lines += ["", "Messages:", "", *messages]
    (RESULTS / "faults.md").write_text("\n".join(lines) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run (default 10)")
    parser.add_argument("--only", action="append", choices=sorted(CASES), help="run only this case (repeatable)")
    parser.add_argument("--markdown-only", action="store_true",
                        help="rewrite faults.md from the recorded faults.json without running anything")
    args = parser.parse_args()
    if args.markdown_only:
        write_markdown(json.loads((RESULTS / "faults.json").read_text()))
        return 0
    if not shutil.which("wrk") or not shutil.which("nginx"):
        print("bench/faults.py needs wrk and nginx (scripts/setup-dev.sh installs them)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="faults-bench-") as tmp:
        app = Path(tmp, "hello")
        shutil.copytree(HELLO, app, ignore=shutil.ignore_patterns(".venv", "__pycache__"))
        results = []
        names = args.only or list(CASES)
        if any(n.startswith("image-") for n in names):
            build_image(app)
        for name in names:
            result = run_image_case(name, args.seconds) if name.startswith("image-") else \
                run_case(name, args.seconds, app)
            print(json.dumps(result), flush=True)
            results.append(result)
        if any(n.startswith("image-") for n in names):
            subprocess.run(["docker", "rmi", IMAGE], capture_output=True, timeout=120)
    write(results, args.seconds)
    return 0 if all(r["within_bound"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
