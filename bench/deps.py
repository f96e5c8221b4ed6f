#!/usr/bin/env python3
"""Requirements from code alone: `shipyard reqs` against pipreqs on the public-app corpus.

For each app of bench/corpus.json checked out under DIR (bench/corpus.py --checkout DIR), a copy with
every declared dependency file removed (requirements*, requirements/ files, pyproject.toml, Pipfile,
setup.py, setup.cfg, poetry/uv/Pipfile locks) is given to both tools; their answers are scored against
the manifest: recall = needed distributions found / needed, precision = answers that the app needs or
declares / answers. Server packages that `reqs` adds for the plan's server are left out of its answer
(the manifest leaves servers out too). pipreqs runs in its default mode (names checked against PyPI)
when PyPI answers, else with --use-local.

    python bench/deps.py /tmp/corpus            # writes bench/results/deps.md and deps.json
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "bench/corpus.json"
RESULTS = ROOT / "bench/results"
PYTHON = sys.executable
TIMEOUT = 300
_DECLARED = re.compile(r"^(requirements[^/]*\.(txt|in)|pyproject\.toml|Pipfile(\.lock)?|setup\.py|setup\.cfg|"
                       r"poetry\.lock|uv\.lock|pdm\.lock|environment\.ya?ml|constraints[^/]*\.txt)$", re.I)
# Distributions that are one package under two names (a binary build of the same release).
_SAME = [{"psycopg2", "psycopg2-binary"}, {"psycopg", "psycopg-binary", "psycopg-c"},
         {"opencv-python", "opencv-python-headless", "opencv-contrib-python", "opencv-contrib-python-headless"}]


def norm(name: str) -> str:
    key = re.sub(r"[-_.]+", "-", name).lower()
    for group in _SAME:
        if key in group:
            return sorted(group)[0]
    return key


def hide_declared(src: Path, dst: Path) -> list[str]:
    """Copy the app without its dependency files; return the hidden paths."""
    hidden: list[str] = []

    def ignore(folder: str, names: list[str]) -> set[str]:
        rel = Path(folder).relative_to(src)
        out = {n for n in names if n in (".venv", "venv", ".git", "__pycache__", "node_modules")}
        for n in names:
            if _DECLARED.match(n) or (rel.name == "requirements" and (Path(folder) / n).is_file()):
                out.add(n)
                hidden.append(str(rel / n))
        return out

    shutil.copytree(src, dst, ignore=ignore, symlinks=True)
    return sorted(hidden)


def run_shipyard(app: Path) -> tuple[list[str], float, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("VIRTUAL_ENV", None)
    start = time.monotonic()
    done = subprocess.run([PYTHON, "-m", "shipyard", "reqs", str(app), "--json"], capture_output=True, text=True,
                          env=env, timeout=TIMEOUT)
    seconds = time.monotonic() - start
    if done.returncode != 0:
        return [], seconds, (done.stderr.strip().splitlines() or ["exit %d" % done.returncode])[-1]
    data = json.loads(done.stdout)
    names = [d["requirement"] for d in data["dependencies"] if not d["source"].startswith("production server")]
    return [_name(r) for r in names], seconds, ""


def run_pipreqs(app: Path, online: bool) -> tuple[list[str], float, str]:
    exe = Path(PYTHON).with_name("pipreqs")
    # pipreqs' default index host (pypi.python.org) only redirects; ask pypi.org directly.
    cmd = [str(exe), "--print", "--mode", "no-pin", str(app)] + \
        (["--pypi-server", "https://pypi.org/pypi/"] if online else ["--use-local"])
    start = time.monotonic()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return [], TIMEOUT, "timed out"
    seconds = time.monotonic() - start
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.strip().splitlines() if ln.strip()]
        return [], seconds, (lines or ["exit %d" % done.returncode])[-1][:200]
    return [_name(ln) for ln in done.stdout.splitlines() if ln.strip() and not ln.startswith("#")], seconds, ""


def _name(requirement: str) -> str:
    return re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement).group(1)


def score(found: list[str], needs: list[str], optional: list[str]) -> dict:
    got = {norm(n) for n in found}
    need = {norm(n) for n in needs}
    ok = need | {norm(n) for n in optional}
    return {"found": sorted(found, key=str.lower), "hits": len(got & need), "needed": len(need),
            "answers": len(got), "right_answers": len(got & ok),
            "missed": sorted(need - got), "wrong": sorted(got - ok)}


def pypi_reachable() -> bool:
    try:
        with urllib.request.urlopen("https://pypi.org/pypi/pip/json", timeout=10) as response:
            return response.status == 200
    except OSError:
        return False


def ratio(a: int, b: int) -> float:
    return round(a / b, 3) if b else 1.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", type=Path, help="folder of checkouts, one per app id (bench/corpus.py --checkout)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--only", nargs="*", help="app ids to run (default: all)")
    parser.add_argument("--out", type=Path, default=RESULTS / "deps")
    args = parser.parse_args(argv)

    apps = [a for a in json.loads(args.corpus.read_text())["apps"] if not args.only or a["id"] in args.only]
    online = pypi_reachable()
    rows = []
    with tempfile.TemporaryDirectory(prefix="shipyard-bench-deps-") as tmp, \
            concurrent.futures.ThreadPoolExecutor(8) as pool:
        # pipreqs waits on the index for each import: its runs go in parallel, shipyard's one at a time.
        copies, pipreqs_runs = {}, {}
        for app in apps:
            src = args.dir / app["id"]
            if not src.is_dir():
                print(f"{app['id']}: not checked out under {args.dir}, skipped", file=sys.stderr)
                continue
            copies[app["id"]] = (Path(tmp) / app["id"], hide_declared(src, Path(tmp) / app["id"]))
            pipreqs_runs[app["id"]] = pool.submit(run_pipreqs, copies[app["id"]][0], online)
        for app in apps:
            if app["id"] not in copies:
                continue
            copy, hidden = copies[app["id"]]
            row = {"id": app["id"], "framework": app["framework"], "hidden": hidden}
            for tool in ("shipyard", "pipreqs"):
                found, seconds, error = run_shipyard(copy) if tool == "shipyard" else pipreqs_runs[app["id"]].result()
                row[tool] = {**score(found, app["needs"], app.get("optional", [])), "seconds": round(seconds, 2),
                             "error": error}
            rows.append(row)
            s, p = row["shipyard"], row["pipreqs"]
            print(f"{app['id']:28} shipyard {s['hits']}/{s['needed']} ({s['right_answers']}/{s['answers']}) "
                  f"pipreqs {p['hits']}/{p['needed']} ({p['right_answers']}/{p['answers']})", file=sys.stderr)

    totals = {}
    for tool in ("shipyard", "pipreqs"):
        hits = sum(r[tool]["hits"] for r in rows)
        needed = sum(r[tool]["needed"] for r in rows)
        right = sum(r[tool]["right_answers"] for r in rows)
        answers = sum(r[tool]["answers"] for r in rows)
        totals[tool] = {"recall": ratio(hits, needed), "precision": ratio(right, answers), "hits": hits,
                        "needed": needed, "right_answers": right, "answers": answers,
                        "seconds_per_app": round(sum(r[tool]["seconds"] for r in rows) / max(len(rows), 1), 2),
                        "errors": sum(1 for r in rows if r[tool]["error"])}
    report = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "apps": len(rows),
              "pipreqs_mode": "default (PyPI)" if online else "--use-local (PyPI unreachable)",
              "totals": totals, "rows": rows}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(report, indent=1) + "\n")
    args.out.with_suffix(".md").write_text(markdown(report))
    print(markdown(report).split("\n## ")[0], file=sys.stderr)
    return 0


def markdown(report: dict) -> str:
    t = report["totals"]
    lines = [
        "# Requirements from code alone: `shipyard reqs` vs pipreqs",
        "",
        f"{report['date']}, {report['apps']} public apps of bench/corpus.json, declared dependency files hidden. "
        f"pipreqs 0.5 mode: {report['pipreqs_mode']}. Written by `python bench/deps.py DIR`.",
        "Recall: needed distributions found / needed. Precision: answers the app needs or declares / answers "
        "(server packages left out on both sides). Totals add the counts of all apps. pipreqs runs 8 apps at a time (it waits on the index), so its seconds are wall time under that load.",
        "",
        "| tool | recall | precision | found/needed | right/answers | s per app | apps with an error |",
        "|---|---|---|---|---|---|---|",
    ]
    for tool in ("shipyard", "pipreqs"):
        x = t[tool]
        lines.append(f"| {tool} | {x['recall']:.3f} | {x['precision']:.3f} | {x['hits']}/{x['needed']} | "
                     f"{x['right_answers']}/{x['answers']} | {x['seconds_per_app']} | {x['errors']} |")
    lines += ["", "## Per app", "",
              "| app | framework | shipyard recall | shipyard precision | pipreqs recall | pipreqs precision | "
              "shipyard missed | shipyard wrong | pipreqs missed | pipreqs wrong |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for r in report["rows"]:
        s, p = r["shipyard"], r["pipreqs"]
        cell = lambda xs: ", ".join(xs) or "-"  # noqa: E731
        lines.append(f"| {r['id']} | {r['framework']} | {ratio(s['hits'], s['needed']):.2f} | "
                     f"{ratio(s['right_answers'], s['answers']):.2f} | {ratio(p['hits'], p['needed']):.2f} | "
                     f"{ratio(p['right_answers'], p['answers']):.2f} | {cell(s['missed'])} | {cell(s['wrong'])} | "
                     f"{cell(p['missed'])} | {cell(p['wrong'])}{' (error: ' + p['error'] + ')' if p['error'] else ''} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
