"""Image build cost and size: Shipyard's Dockerfile against the seeds' Dockerfile style, in one run, on the
same local base image, with the same engine.

  apps     hello (Flask, pure-Python dependencies) and hello-psycopg2 (the same app plus psycopg2 built from
           source: a compiled dependency that needs gcc and libpq-dev at build time, libpq5 at run time)
  styles   shipyard  `shipyard init --topology app` (the app server alone, like the seeds' image): multi-stage,
                     dependencies installed before the code is copied, compilers only in the builder stage,
                     non-root user
           seeds     the tutorials' recipe: one stage FROM a full Python image (compilers and -dev headers
                     included, as python:3.x is), `COPY . .` before `pip install`, runs as root. The full
                     image is emulated by a "seed base" (the base image + build-essential, python3-dev,
                     libpq-dev), built once before timing starts, as `docker pull python:3.x` would be.
  measures cold     build with --no-cache
           rebuild  build again after a one-line change in the app's code; reports whether the dependency
                    (pip install) layer came from the cache
           size     the engine's image size; and `shipyard verify`'s verdict on each image

  .venv/bin/python bench/image.py                       # writes bench/results/image.json and image.md
  .venv/bin/python bench/image.py --base IMAGE
"""

from __future__ import annotations

import sys
# bench/ holds scripts named like stdlib modules (bench/inspect.py): never import from it
sys.path[:] = [p for p in sys.path if p not in ("", __file__.rsplit("/", 1)[0])]

import argparse
import json
import os
import platform
import re
import shutil
import tempfile
import uuid
from pathlib import Path

from shipyard.engine import find_engine
from shipyard.planner import make_plan
from shipyard.render import render
from shipyard.verify import SmokeCheck, verify_image

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SEED_BASE_TAG = "shipyard-bench/seed-base:latest"

SEED_BASE = """\
# What `FROM python:3.x` (the full image) brings: compilers and -dev headers.
ARG BASE
FROM ${BASE}
RUN apt-get update && apt-get install -y --no-install-recommends build-essential python3-dev libpq-dev
"""

SEED_DOCKERFILE = """\
# The seeds' recipe: one stage, the whole folder copied before installing, build tools left in, root.
FROM %s
WORKDIR /usr/src/app
COPY . .
RUN python3 -m venv /venv && /venv/bin/pip install -r requirements.txt gunicorn
EXPOSE 8000
HEALTHCHECK CMD python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/')"
ENTRYPOINT /venv/bin/gunicorn -w 4 run:app -b 0.0.0.0:8000
""" % SEED_BASE_TAG

CODE_FILE = "my_app/__init__.py"


def make_apps(workdir: Path) -> dict[str, Path]:
    apps = {}
    hello = workdir / "hello"
    shutil.copytree(ROOT / "examples" / "hello", hello, ignore=shutil.ignore_patterns("__pycache__"))
    apps["hello"] = hello
    pg = workdir / "hello-psycopg2"
    shutil.copytree(hello, pg)
    # --no-binary is not needed: psycopg2 (unlike psycopg2-binary) is only published as source.
    (pg / "requirements.txt").write_text((hello / "requirements.txt").read_text() + "psycopg2==2.9.10\n")
    apps["hello-psycopg2"] = pg
    return apps


def contexts(app: Path, workdir: Path, base: str) -> dict[str, Path]:
    """The two build contexts of one app: Shipyard's generated files, and the seeds' Dockerfile."""
    out = {}
    ship = workdir / f"{app.name}.shipyard"
    shutil.copytree(app, ship)
    plan = make_plan(ship, {"topology": "app", "base_image": base})
    for name, text in render(plan).items():
        (ship / name).write_text(text)
    out["shipyard"] = ship
    seed = workdir / f"{app.name}.seeds"
    shutil.copytree(app, seed)
    (seed / "Dockerfile").write_text(SEED_DOCKERFILE)
    out["seeds"] = seed
    return out


def dependency_layer_cached(lines: list[str]) -> bool | None:
    """Whether the build step that runs `pip install` came from the cache (BuildKit or legacy output)."""
    step = None
    for i, line in enumerate(lines):
        m = re.match(r"^#(\d+) \[[^\]]*\] RUN .*pip install", line)
        if m:
            step = m.group(1)
            return any(l.strip() == f"#{step} CACHED" for l in lines)
        if re.match(r"^Step \d+/\d+ : RUN .*pip install", line):
            return i + 1 < len(lines) and lines[i + 1].strip() == "---> Using cache"
    return None


def build(engine, ctx: Path, tag: str, base: str, *, no_cache: bool) -> dict:
    lines: list[str] = []
    result = engine.build(ctx, ctx / "Dockerfile", tag, {"BASE": base}, progress=lines.append, no_cache=no_cache)
    return {"seconds": round(result.seconds, 2), "size_mb": round(result.size / 1e6, 1), "layers": result.layers,
            "dependency_layer_cached": dependency_layer_cached(lines)}


def one_line_change(ctx: Path, n: int) -> None:
    """Edit one line of the app's code. Each edit is new (a random token): the engine's cache is keyed by
    content, so an edit made in an earlier run would otherwise be found in the cache."""
    path = ctx / CODE_FILE
    text = path.read_text()
    token = f"{n}-{uuid.uuid4().hex[:8]}"
    changed = re.sub(r'return f"(\(change [\w-]+\) )?slept', f'return f"(change {token}) slept', text, count=1)
    assert changed != text, f"no line to change in {path}"
    path.write_text(changed)


def verdict(engine, tag: str) -> dict:
    report = verify_image(engine, tag, smoke=(SmokeCheck("/", 200, "Hello from Shipyard"),),
                          slow_path="/slow?seconds=2", health_timeout=90)
    return {"ok": report.ok, "failed": [c.name for c in report.checks if c.ok is False]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=os.environ.get("BASE_IMAGE", "localhost/bookworm-py:latest"))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    engine = find_engine()
    print(f"engine: {engine.info.describe()}; base {args.base}", flush=True)
    results: dict = {"engine": engine.info.describe(), "base_image": args.base, "machine": platform.machine(),
                     "cpus": os.cpu_count(), "load_average_at_start": round(os.getloadavg()[0], 2), "apps": {}}
    with tempfile.TemporaryDirectory(prefix="shipyard-bench-") as tmp:
        workdir = Path(tmp)
        seed_base = workdir / "seed-base"
        seed_base.mkdir()
        (seed_base / "Dockerfile").write_text(SEED_BASE)
        engine.build(seed_base, seed_base / "Dockerfile", SEED_BASE_TAG, {"BASE": args.base})   # not timed
        tags = []
        try:
            for app_name, app in make_apps(workdir).items():
                row: dict = {}
                for style, ctx in contexts(app, workdir, args.base).items():
                    tag = f"shipyard-bench/{app_name}:{style}"
                    tags.append(tag)
                    cold = build(engine, ctx, tag, args.base, no_cache=True)
                    rebuilds = []
                    for n in (1, 2):
                        one_line_change(ctx, n)
                        rebuilds.append(build(engine, ctx, tag, args.base, no_cache=False))
                    rebuild = min(rebuilds, key=lambda r: r["seconds"])
                    row[style] = {"cold_s": cold["seconds"], "rebuild_s": rebuild["seconds"],
                                  "rebuild_reused_dependency_layer": rebuild["dependency_layer_cached"],
                                  "size_mb": cold["size_mb"], "layers": cold["layers"], "verify": verdict(engine, tag)}
                    print(f"{app_name:<15} {style:<9} cold {cold['seconds']:6.1f} s  rebuild {rebuild['seconds']:5.1f} s "
                          f"(deps cached: {rebuild['dependency_layer_cached']})  {cold['size_mb']:6.1f} MB  "
                          f"verify: {'ok' if row[style]['verify']['ok'] else 'FAIL ' + ', '.join(row[style]['verify']['failed'])}",
                          flush=True)
                s, d = row["seeds"], row["shipyard"]
                row["ratio_seeds_over_shipyard"] = {
                    "cold": round(s["cold_s"] / d["cold_s"], 2), "rebuild": round(s["rebuild_s"] / d["rebuild_s"], 2),
                    "size": round(s["size_mb"] / d["size_mb"], 2)}
                results["apps"][app_name] = row
        finally:
            for tag in tags + [SEED_BASE_TAG]:
                engine.remove_image(tag)
    results["load_average_at_end"] = round(os.getloadavg()[0], 2)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "image.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.out / "image.md").write_text(markdown(results))
    print(f"wrote {args.out / 'image.json'} and {args.out / 'image.md'}")
    return 0


def markdown(results: dict) -> str:
    lines = ["# Image build: Shipyard's Dockerfile vs the seeds' Dockerfile style", "",
             f"One run of `bench/image.py`, engine {results['engine']}, base image `{results['base_image']}`, "
             f"{results['cpus']} CPUs (1-minute load average {results['load_average_at_start']} at the start, "
             f"{results['load_average_at_end']} at the end: other work on the machine makes single timings noisy). Shipyard: `--topology app` (app server alone, like the seeds' image). Seeds: "
             "one stage from a full Python image (compilers included), `COPY . .` before `pip install`, root. "
             "Cold = `--no-cache`; rebuild = after a one-line change in `my_app/__init__.py` (best of 2). "
             "Ratios are seeds / Shipyard (above 1: Shipyard is faster or smaller).", "",
             "| app | style | cold build | rebuild after a code change | dependency layer reused | image size | layers | verify |",
             "|---|---|---|---|---|---|---|---|"]
    for app, row in results["apps"].items():
        for style in ("shipyard", "seeds"):
            r = row[style]
            v = "passes" if r["verify"]["ok"] else "fails: " + ", ".join(r["verify"]["failed"])
            lines.append(f"| {app} | {style} | {r['cold_s']:.1f} s | {r['rebuild_s']:.1f} s | "
                         f"{'yes' if r['rebuild_reused_dependency_layer'] else 'no'} | {r['size_mb']:.0f} MB | "
                         f"{r['layers']} | {v} |")
        q = row["ratio_seeds_over_shipyard"]
        lines.append(f"| {app} | **ratio** | **{q['cold']:.2f}x** | **{q['rebuild']:.2f}x** | | **{q['size']:.2f}x** | | |")
    lines += ["", "Notes: the seeds' base is emulated by the base image plus build-essential, python3-dev and "
              "libpq-dev, built before timing (as pulling `python:3.x` would be); its size counts in the seeds' "
              "image, as it does in theirs. Shipyard's cold time includes installing gcc and libpq-dev in its "
              "builder stage for psycopg2, and libpq5 in the final stage.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
