"""Bench: `shipyard inspect` time per shipped example, and inferred dependencies vs pipreqs.

For each examples/*/test.json with an "inspect"."dependencies" list:
  - time of a full inspect (make_plan with the import check; static-only when the import check fails);
  - precision and recall of the dependency names inferred from imports, with the declared files hidden
    (requirements*.txt and pyproject dependencies removed from a copy), for Shipyard and for pipreqs
    (`pipreqs --use-local --print`, the same installed environment, no PyPI queries).
The server packages (gunicorn, uvicorn-worker) are Shipyard's own addition that pipreqs cannot know, so the
comparison is on the app's dependencies (expected minus server packages); Shipyard's full list is scored too.

Run: .venv/bin/python bench/inspect.py   -> bench/results/inspect.json and inspect.md
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named like the standard library's `inspect`: keep its folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import json
import shutil
import subprocess
import tempfile
import time
import tomllib

from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from shipyard.errors import ShipyardError  # noqa: E402
from shipyard.planner import make_plan  # noqa: E402

SERVER = {"gunicorn", "uvicorn-worker", "uwsgi", "granian"}
PIPREQS = Path(sys.executable).parent / "pipreqs"
RUNS = 3


def names(items) -> set[str]:
    return {canonicalize_name(n) for n in items}


def score(found: set[str], expected: set[str]) -> dict[str, float]:
    hit = len(found & expected)
    return {"precision": round(hit / len(found), 3) if found else (1.0 if not expected else 0.0),
            "recall": round(hit / len(expected), 3) if expected else 1.0}


def hidden_copy(example: Path, into: Path) -> Path:
    copy = into / example.name
    shutil.copytree(example, copy, ignore=shutil.ignore_patterns("requirements*.txt", "__pycache__", "test.json"))
    pyproject = copy / "pyproject.toml"
    if pyproject.exists() and "dependencies" in tomllib.loads(pyproject.read_text()).get("project", {}):
        pyproject.unlink()
    return copy


def time_inspect(example: Path) -> tuple[float, str]:
    best = None
    mode = "full (import check)"
    for _ in range(RUNS):
        start = time.perf_counter()
        try:
            make_plan(example, confirm=mode.startswith("full"))
        except ShipyardError:
            mode = "static (import check failed)"
            start = time.perf_counter()
            make_plan(example, confirm=False)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return round(best, 4), mode


def pipreqs_names(copy: Path) -> tuple[set[str], float]:
    start = time.perf_counter()
    done = subprocess.run([str(PIPREQS), "--use-local", "--print", str(copy)], capture_output=True, text=True,
                          timeout=120)
    elapsed = time.perf_counter() - start
    found = set()
    for line in done.stdout.splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "INFO", "WARNING")):
            found.add(line.split("==")[0].split(">=")[0].strip())
    return names(found), round(elapsed, 4)


def main() -> int:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for test in sorted((ROOT / "examples").glob("*/test.json")):
            block = json.loads(test.read_text()).get("inspect", {})
            expected_all = block.get("inferred_dependencies", block.get("dependencies"))
            if expected_all is None:
                continue
            example = test.parent
            expected = names(expected_all)
            expected_app = expected - SERVER
            seconds, mode = time_inspect(example)
            copy = hidden_copy(example, Path(tmp))
            start = time.perf_counter()
            plan = make_plan(copy, confirm=False)
            ours_seconds = round(time.perf_counter() - start, 4)
            ours_all = names(d.name for d in plan.dependencies)
            ours_app = ours_all - SERVER
            theirs, theirs_seconds = pipreqs_names(copy)
            rows.append({
                "example": example.name, "inspect_seconds": seconds, "inspect_mode": mode,
                "expected": sorted(expected),
                "shipyard_inferred": sorted(ours_all), "shipyard_seconds": ours_seconds,
                "shipyard_app": score(ours_app, expected_app), "shipyard_with_server": score(ours_all, expected),
                "pipreqs_inferred": sorted(theirs), "pipreqs_seconds": theirs_seconds,
                "pipreqs_app": score(theirs, expected_app),
            })

    def mean(key, field):
        return round(sum(r[key][field] for r in rows) / len(rows), 3) if rows else 0.0

    summary = {f"{tool}_{field}": mean(key, field) for tool, key in
               (("shipyard", "shipyard_app"), ("pipreqs", "pipreqs_app"), ("shipyard_with_server", "shipyard_with_server"))
               for field in ("precision", "recall")}
    result = {"python": sys.version.split()[0], "runs_per_timing": RUNS, "summary": summary, "examples": rows}
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "inspect.json").write_text(json.dumps(result, indent=2) + "\n")
    md = ["# inspect: time per example, inferred dependencies vs pipreqs", "",
          "Generated by `bench/inspect.py`. Declared files hidden for both tools; scores on the app's own "
          "dependencies (server packages excluded); best of "
          f"{RUNS} runs for the inspect time.", "",
          "| example | inspect s | mode | expected (app) | Shipyard | P / R | pipreqs | P / R |",
          "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        md.append(f"| {r['example']} | {r['inspect_seconds']} | {r['inspect_mode']} | "
                  f"{', '.join(sorted(set(r['expected']) - SERVER))} | "
                  f"{', '.join(sorted(set(r['shipyard_inferred']) - SERVER))} | "
                  f"{r['shipyard_app']['precision']} / {r['shipyard_app']['recall']} | "
                  f"{', '.join(r['pipreqs_inferred'])} | {r['pipreqs_app']['precision']} / {r['pipreqs_app']['recall']} |")
    md += ["", f"Mean precision / recall: Shipyard {summary['shipyard_precision']} / {summary['shipyard_recall']}; "
               f"pipreqs {summary['pipreqs_precision']} / {summary['pipreqs_recall']}; Shipyard's full list "
               f"(with the server) against the full expected list "
               f"{summary['shipyard_with_server_precision']} / {summary['shipyard_with_server_recall']}.", "",
           "Why pipreqs misses Flask, Django and FastAPI here: its offline mode (`--use-local`) maps imports to "
           "installed distributions through `top_level.txt`, which wheels built by flit or pdm (Flask 3, FastAPI) "
           "do not carry, and for Django its table name (`Django`) does not match the lower-case folder name of "
           "the installed wheel (`django-5.x.dist-info`) it compares against; its online mode asks pypi.python.org's JSON API, which "
           "this machine cannot reach. Shipyard reads each distribution's RECORD (its file list) instead, plus "
           "a curated table for names that differ (yaml -> PyYAML).", ""]
    (out / "inspect.md").write_text("\n".join(md))
    print("\n".join(md))
    return 0


if __name__ == "__main__":
    sys.exit(main())
