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

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from shipyard.lint import hadolint as hadolint_mod  # noqa: E402
from shipyard.lint import lint  # noqa: E402
from shipyard.planner import make_plan  # noqa: E402
from shipyard.render import render  # noqa: E402

RUNS = 5
FIXTURES = ROOT / "tests" / "fixtures" / "lint"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def with_init_files(example: Path, topology: str, into: Path) -> Path:
    copy = into / f"{example.name}-{topology}"
    shutil.copytree(example, copy, ignore=shutil.ignore_patterns(".venv", "__pycache__"))
    plan = make_plan(example, {"topology": topology}, confirm=False, installed=False)
    for rel, text in render(plan).items():
        (copy / rel).parent.mkdir(parents=True, exist_ok=True)
        (copy / rel).write_text(text, encoding="utf-8")
    return copy


def time_cli(folder: Path) -> tuple[float, int, str]:
    times, code, out = [], 0, ""
    for _ in range(RUNS):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "shipyard", "lint", str(folder)], capture_output=True,
                              text=True, env=ENV, timeout=60)
        times.append(time.perf_counter() - start)
        code, out = done.returncode, done.stdout
    return statistics.median(times), code, out.strip().splitlines()[-1] if out.strip() else ""


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
    rows = []
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        ours = [{"rule": f.rule, "path": f.path, "line": f.line, "message": f.message}
                for f in lint(folder, use_hadolint=False).findings]
        theirs = hadolint_alone(exe, folder) if exe else []
        our_lines = {(f["path"], f["line"]) for f in ours}
        their_lines = {(f["path"], f["line"]) for f in theirs}
        rows.append({"fixture": folder.name, "shipyard": ours, "hadolint": theirs,
                     "both": sorted(f"{p}:{n}" for p, n in our_lines & their_lines),
                     "only_shipyard": [f for f in ours if (f["path"], f["line"]) not in their_lines],
                     "only_hadolint": [f for f in theirs if (f["path"], f["line"]) not in our_lines]})
    return rows


def main() -> int:
    exe = hadolint_mod.find()
    timings = []
    with tempfile.TemporaryDirectory() as tmp:
        for example in sorted(p for p in (ROOT / "examples").iterdir() if (p / "test.json").exists()):
            for topology in ("bundle", "compose"):
                copy = with_init_files(example, topology, Path(tmp))
                seconds, code, summary = time_cli(copy)
                timings.append({"example": example.name, "topology": topology, "seconds": round(seconds, 3),
                                "exit": code, "summary": summary})
                print(f"{example.name:<14} {topology:<8} {seconds:.3f} s  {summary}", flush=True)
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
    lines = ["# shipyard lint: time and comparison with hadolint", "",
             f"Generated by `bench/lint.py`. Python {m['python']}, {m['cpus']} CPUs, 1-minute load "
             f"{m['load_1min']} when it ran (a shared machine), hadolint {m['hadolint']}.", "",
             "## Time per example", "",
             f"Each example with the files `shipyard init` writes, `python -m shipyard lint FOLDER` as a fresh "
             f"process (interpreter start, static detection, every rule, hadolint), median of {data['runs']} "
             f"runs. Target: under 1 s. Slowest: **{worst:.2f} s**.", "",
             "| example | topology | seconds | result |", "|---|---|---|---|"]
    lines += [f"| {t['example']} | {t['topology']} | {t['seconds']:.2f} | {t['summary']} |" for t in data["timings"]]
    lines += ["", "## Seed fixtures: hadolint vs shipyard lint", "",
              "`tests/fixtures/lint/*` hold the seeds' production files, written in their style. Findings are "
              "matched by file and line. hadolint reads only the Dockerfile; shipyard lint reads every production "
              "file and checks them against each other and the app (it does not repeat hadolint's rules, and "
              "merges hadolint's findings when both run).", "",
              "| fixture | hadolint | shipyard lint | same line | only hadolint | only shipyard lint |",
              "|---|---|---|---|---|---|"]
    for r in data["comparison"]:
        def rules(items):
            return ", ".join(sorted({i["rule"] for i in items})) or "-"
        lines.append(f"| {r['fixture']} | {len(r['hadolint'])} ({rules(r['hadolint'])}) | {len(r['shipyard'])} "
                     f"({rules(r['shipyard'])}) | {', '.join(r['both']) or '-'} | {rules(r['only_hadolint'])} | "
                     f"{rules(r['only_shipyard'])} |")
    total_h = sum(len(r["hadolint"]) for r in data["comparison"])
    total_s = sum(len(r["shipyard"]) for r in data["comparison"])
    lines += ["", f"Totals: hadolint {total_h} findings, shipyard lint {total_s}.", "",
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
