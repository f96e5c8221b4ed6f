"""Bench: `shipyard lint` time per shipped example, and what it finds next to hadolint on the seed fixtures.

1. Time: each examples/* copied with the files `shipyard init` writes (topologies bundle and compose), then
   `python -m shipyard lint COPY` run as a fresh process (interpreter start, static detection, every rule and
   hadolint included), median of RUNS runs. The target is under 1 s per example.
2. Comparison: on tests/fixtures/lint/* (the seeds' mistakes, written in their style) hadolint alone on every
   Dockerfile, and `shipyard lint --no-hadolint`; findings matched by file and line: found by both, only by
   hadolint, only by shipyard lint. hadolint reads Dockerfiles only.

Run: .venv/bin/python bench/lint.py   -> bench/results/lint.json and lint.md
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/inspect.py is named like the standard library's `inspect`: keep this folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import tempfile
import time

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from shipyard.lint import hadolint as hadolint_mod  # noqa: E402
from shipyard.lint import lint  # noqa: E402
from shipyard.lint.rules import BY_ID  # noqa: E402
from shipyard.planner import make_plan  # noqa: E402
from shipyard.render import render  # noqa: E402

RUNS = 5
FIXTURES = ROOT / "tests" / "fixtures" / "lint"
# As an installed shipyard runs: bytecode cached (kept out of the tree), so modules are not compiled each run.
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "PYTHONPATH": str(ROOT / "src"),
       "PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / "shipyard-bench-pycache")}


def with_init_files(example: Path, topology: str, into: Path) -> Path:
    copy = into / f"{example.name}-{topology}"
    shutil.copytree(example, copy, ignore=shutil.ignore_patterns(".venv", "__pycache__"))
    plan = make_plan(example, {"topology": topology}, confirm=False, installed=False)
    for rel, text in render(plan).items():
        (copy / rel).parent.mkdir(parents=True, exist_ok=True)
        (copy / rel).write_text(text, encoding="utf-8")
    return copy


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_cli(folder: Path) -> tuple[float, float, float, int, str]:
    """(median wall seconds, fastest wall seconds, median CPU seconds of the process and hadolint, exit
    status, summary line)."""
    argv = [sys.executable, "-m", "shipyard", "lint", str(folder)]
    subprocess.run(argv, capture_output=True, env=ENV, timeout=60)      # warm-up: writes the bytecode cache
    walls, cpus, code, out = [], [], 0, ""
    for _ in range(RUNS):
        cpu, start = _children_cpu(), time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, env=ENV, timeout=60)
        walls.append(time.perf_counter() - start)
        cpus.append(_children_cpu() - cpu)
        code, out = done.returncode, done.stdout
    return (statistics.median(walls), min(walls), statistics.median(cpus), code,
            out.strip().splitlines()[-1] if out.strip() else "")


def hadolint_alone(exe: str, folder: Path) -> list[dict]:
    dockerfiles = [p for p in folder.rglob("*") if p.is_file() and p.name in ("Dockerfile", "Containerfile")]
    found = []
    for path in dockerfiles:
        done = subprocess.run([exe, "--format", "json", "--no-fail", path.name], cwd=path.parent,
                              capture_output=True, text=True, timeout=60)
        for item in json.loads(done.stdout or "[]"):
            found.append({"rule": item["code"], "path": path.relative_to(folder).as_posix(), "line": item["line"],
                          "message": item["message"]})
    return found


def compare(exe: str | None) -> list[dict]:
    """Per fixture: both tools' findings; a pair is the same problem when our rule declares hadolint's as an
    overlap (rules/*.py `overlaps`) and both point at the same line."""
    rows = []
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        ours = [{"rule": f.rule, "path": f.path, "line": f.line, "message": f.message}
                for f in lint(folder, use_hadolint=False).findings]
        theirs = hadolint_alone(exe, folder) if exe else []
        pairs = [(o, t) for o in ours for t in theirs if (o["path"], o["line"]) == (t["path"], t["line"])
                 and t["rule"] in BY_ID[o["rule"]].overlaps]
        paired_ours = [id(o) for o, _ in pairs]
        paired_theirs = [id(t) for _, t in pairs]
        rows.append({"fixture": folder.name, "shipyard": ours, "hadolint": theirs,
                     "both": [f"{o['rule']} = {t['rule']} ({o['path']}:{o['line']})" for o, t in pairs],
                     "only_shipyard": [f for f in ours if id(f) not in paired_ours],
                     "only_hadolint": [f for f in theirs if id(f) not in paired_theirs]})
    return rows


def main() -> int:
    exe = hadolint_mod.find()
    timings = []
    with tempfile.TemporaryDirectory() as tmp:
        for example in sorted(p for p in (ROOT / "examples").iterdir() if (p / "test.json").exists()):
            for topology in ("bundle", "compose"):
                copy = with_init_files(example, topology, Path(tmp))
                seconds, best, cpu, code, summary = time_cli(copy)
                timings.append({"example": example.name, "topology": topology, "seconds": round(seconds, 3),
                                "best_seconds": round(best, 3), "cpu_seconds": round(cpu, 3), "exit": code,
                                "summary": summary})
                print(f"{example.name:<14} {topology:<8} {seconds:.3f} s wall (best {best:.3f}) {cpu:.3f} s cpu  "
                      f"{summary}", flush=True)
    rows = compare(exe)
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = -1.0
    data = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load_1min": round(load, 1),
                        "hadolint": hadolint_mod.version(exe) if exe else "not installed"},
            "runs": RUNS, "timings": timings, "comparison": rows}
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "lint.json").write_text(json.dumps(data, indent=2) + "\n")
    (out / "lint.md").write_text(report(data))
    print(f"wrote {out / 'lint.md'}")
    return 0


def report(data: dict) -> str:
    m = data["machine"]
    worst = max(t["seconds"] for t in data["timings"])
    worst_cpu = max(t["cpu_seconds"] for t in data["timings"])
    worst_best = max(t["best_seconds"] for t in data["timings"])
    lines = ["# shipyard lint: time and comparison with hadolint", "",
             f"Generated by `bench/lint.py`. Python {m['python']}, {m['cpus']} CPUs, 1-minute load "
             f"{m['load_1min']} when it ran (a shared machine), hadolint {m['hadolint']}.", "",
             "## Time per example", "",
             f"Each example with the files `shipyard init` writes, `python -m shipyard lint FOLDER` as a fresh "
             f"process (interpreter start with cached bytecode, as installed; static detection, every rule, "
             f"hadolint), {data['runs']} runs after a warm-up. Target: under 1 s. Slowest example: median "
             f"**{worst:.2f} s** wall, fastest run **{worst_best:.2f} s** wall, median **{worst_cpu:.2f} s** CPU (the process and hadolint; on a shared machine the "
             "wall time also counts waiting for a CPU).", "",
             f"Verdict: CPU time {'under' if worst_cpu < 1 else 'OVER'} 1 s on every example; fastest wall time "
             f"{'under' if worst_best < 1 else 'OVER'} 1 s on every example; median wall time "
             f"{'under' if worst < 1 else 'over'} 1 s{'' if worst < 1 else ' (machine at load ' + str(m['load_1min']) + ' on ' + str(m['cpus']) + ' CPUs: the median includes waiting for a CPU)'}.", "",
             "| example | topology | wall s (median) | wall s (fastest) | CPU s | result |", "|---|---|---|---|---|---|"]
    lines += [f"| {t['example']} | {t['topology']} | {t['seconds']:.2f} | {t['best_seconds']:.2f} | "
              f"{t['cpu_seconds']:.2f} | {t['summary']} |" for t in data["timings"]]
    lines += ["", "## Seed fixtures: hadolint vs shipyard lint", "",
              "`tests/fixtures/lint/*` hold the seeds' production files, written in their style. Each tool ran "
              "alone (`hadolint` on every Dockerfile; `shipyard lint --no-hadolint`). A finding of each is the "
              "same problem when shipyard's rule names hadolint's as an overlap and both point at the same line; "
              "everything else was found by one tool only. hadolint reads only the Dockerfile and checks it "
              "instruction by instruction (pinning, ADD vs COPY, apt habits, shell); shipyard lint reads every "
              "production file, checks them against each other and the app, and does not repeat hadolint's "
              "rules (it merges hadolint's findings when both run).", "",
              "| fixture | hadolint | shipyard lint | same problem | only hadolint | only shipyard lint |",
              "|---|---|---|---|---|---|"]
    for r in data["comparison"]:
        def rules(items):
            return ", ".join(sorted({i["rule"] for i in items})) or "-"
        lines.append(f"| {r['fixture']} | {len(r['hadolint'])} ({rules(r['hadolint'])}) | {len(r['shipyard'])} "
                     f"({rules(r['shipyard'])}) | {', '.join(r['both']) or '-'} | {rules(r['only_hadolint'])} | "
                     f"{rules(r['only_shipyard'])} |")
    total_h = sum(len(r["hadolint"]) for r in data["comparison"])
    total_s = sum(len(r["shipyard"]) for r in data["comparison"])
    total_b = sum(len(r["both"]) for r in data["comparison"])
    lines += ["", f"Totals: hadolint {total_h} findings, shipyard lint {total_s}, the same problem {total_b} "
              f"time(s). Of the seeds' production mistakes (the SY findings above), hadolint also reports: "
              f"{', '.join(sorted({b for r in data['comparison'] for b in r['both']})) or 'none'}; the others live "
              "in other files (supervisord, compose, nginx, uWSGI, entrypoint scripts, the app's code) or between "
              "files, where hadolint does not look. shipyard lint leaves hadolint's Dockerfile habits (pinning, "
              "ADD, MAINTAINER, apt) to hadolint.", "",
              "### Details", ""]
    for r in data["comparison"]:
        lines += [f"**{r['fixture']}**", ""]
        for f in r["shipyard"]:
            lines.append(f"- shipyard `{f['rule']}` {f['path']}:{f['line']}: {f['message']}")
        for f in r["hadolint"]:
            lines.append(f"- hadolint `{f['rule']}` {f['path']}:{f['line']}: {f['message']}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


if __name__ == "__main__":
    sys.exit(main())
