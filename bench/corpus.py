#!/usr/bin/env python3
"""Public apps, freshly cloned: does Shipyard find the entry and serve them with nothing installed?

    python bench/corpus.py --checkout /tmp/corpus   # materialize bench/corpus.json's apps at their commits
    python bench/corpus.py /tmp/corpus              # inspect + serve --install each; bench/results/corpus.md

--checkout reads the mirrors of the public repositories (bare git folders, default /work/.mirror/OWNER+NAME)
and writes each app's subfolder at its pinned commit to DIR/<id>; nothing is fetched from the network.

For each app, on a fresh copy and with no virtualenv active: `shipyard inspect --json` (the entry is
right when its workdir and target, or paste ini, match the manifest), then `shipyard serve --install`
on a free port, bounded in time; the app is served right when every smoke path answers its status. The
report gives seconds per app and, for each failure, the last line Shipyard said (why it failed).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import functools
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "bench/corpus.json"
RESULTS = ROOT / "bench/results"
MIRRORS = Path(os.environ.get("SHIPYARD_MIRRORS", "/work/.mirror"))
PYTHON = sys.executable


# ---------------------------------------------------------------------------------------------- checkout

def git_dir(repo: str, mirrors: Path) -> Path:
    base = mirrors / repo.replace("/", "+") / "repo"
    return base / ".git" if (base / ".git").is_dir() else base


def _as_git_writes(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo:
    """A clone writes a symlink as committed, even to an absolute path (a committed venv's bin/python):
    keep those, and the data filter's checks for everything else."""
    return member if member.issym() else tarfile.data_filter(member, path)


def checkout(apps: list[dict], dest: Path, mirrors: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for app in apps:
        target = dest / app["id"]
        if target.exists():
            shutil.rmtree(target)
        sub = app.get("subfolder") or ""
        paths = [f"{sub}/{f}" if sub else f for f in app.get("only", [])] or ([sub] if sub else [])
        with tempfile.TemporaryDirectory() as tmp:
            archive = Path(tmp) / "app.tar"
            done = subprocess.run(["git", "--git-dir", str(git_dir(app["repo"], mirrors)), "archive", "-o",
                                   str(archive), app["commit"], *paths], capture_output=True, text=True)
            if done.returncode == 0:
                with tarfile.open(archive) as tar:
                    tar.extractall(tmp, filter=_as_git_writes)
            archive.unlink(missing_ok=True)   # git archive leaves a partial file when it fails
            if done.returncode != 0:   # a snapshot mirror lacks its largest files: write the tree without them
                write_tree(git_dir(app["repo"], mirrors), app["commit"], paths, Path(tmp), app["id"])
            shutil.copytree(Path(tmp) / sub if sub else Path(tmp), target, symlinks=True)
        date_files(target, git_dir(app["repo"], mirrors), app["commit"], sub)
        # a repository with history, as a clone is: its root holds .git (enclosing_deps looks for it), and an app in
        # a subfolder of a clone is in git too (its files are dated by git, its HEAD answers)
        commit_as_dated(target)
        print(f"{app['id']}: {app['repo']}@{app['commit'][:10]} {sub or '.'} -> {target}", file=sys.stderr)


def write_tree(git: Path, commit: str, paths: list[str], dest: Path, app_id: str) -> None:
    """Write the commit's files under paths to dest one by one, leaving out blobs the mirror does not hold
    (said once, with how many), which `git archive` refuses."""
    listing = subprocess.run(["git", "--git-dir", str(git), "ls-tree", "-r", "-z", commit, "--", *paths],
                             capture_output=True, text=True, check=True).stdout
    missing = []
    for row in filter(None, listing.split("\0")):
        meta, name = row.split("\t", 1)
        mode, kind, sha = meta.split()
        if kind != "blob":   # submodules
            continue
        blob = subprocess.run(["git", "--git-dir", str(git), "cat-file", "blob", sha], capture_output=True)
        if blob.returncode != 0:
            missing.append(name)
            continue
        out = dest / name
        out.parent.mkdir(parents=True, exist_ok=True)
        if mode == "120000":
            out.symlink_to(blob.stdout.decode())
        else:
            out.write_bytes(blob.stdout)
            out.chmod(0o755 if mode == "100755" else 0o644)
    if missing:
        print(f"{app_id}: {len(missing)} files the mirror lacks left out (first: {missing[0]})", file=sys.stderr)


def date_files(target: Path, git: Path, commit: str, sub: str) -> None:
    """Give each file the time of its last change in git, as a clone's history tells Shipyard (which resolves
    an old app's unpinned packages as of its dependency files' last change); an archive dates every file
    at the pinned commit, however long ago the file changed."""
    done = subprocess.run(["git", "--git-dir", str(git), "log", "--format=%x00%ct", "--name-only", commit, "--",
                           sub or "."], capture_output=True, text=True)
    if done.returncode != 0:   # a mirror with part of its history (a shallow or partial fetch)
        print(f"{target.name}: files keep the pinned commit's date, the mirror's history is incomplete: "
              f"{done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}", file=sys.stderr)
        # files written blob by blob (a mirror lacking some) carry today's time: give them the commit's
        stamp = subprocess.run(["git", "--git-dir", str(git), "show", "-s", "--format=%ct", commit],
                               capture_output=True, text=True).stdout.strip()
        if stamp.isdigit():
            for path in target.rglob("*"):
                if path.is_file() and not path.is_symlink():
                    os.utime(path, (int(stamp), int(stamp)))
        return
    out = done.stdout
    seen: set[str] = set()
    for chunk in out.split("\0")[1:]:
        stamp, *names = chunk.strip().splitlines()
        for name in names:
            rel = name[len(sub) + 1:] if sub else name
            if name and rel not in seen:
                seen.add(rel)
                if (target / rel).is_file() and not (target / rel).is_symlink():
                    os.utime(target / rel, (int(stamp), int(stamp)))


def commit_as_dated(target: Path) -> None:
    """Make `target` a git repository whose history gives each file the date date_files gave it, as a clone's
    does: one commit per distinct modification time, oldest first, each dated then and adding the files of that
    time. Shipyard dates an app by `git log -1 -- FILE` where there is a history (environments.last_changed), and
    an app may read its own HEAD at import (`git describe --always`, `git rev-parse HEAD`, setuptools-scm),
    which a repository with no commit refuses where a clone answers. Committed files the app's .gitignore names
    are added all the same (a clone has them); symlinks go with the newest files."""
    git = ["git", "-C", str(target), "-c", "core.autocrlf=false", "-c", "core.hooksPath=/dev/null",
           "-c", "commit.gpgsign=false", "-c", "user.name=bench corpus", "-c", "user.email=corpus@localhost"]
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    by_time: dict[int, list[str]] = {}
    links: list[str] = []
    for path in sorted(target.rglob("*")):
        rel = path.relative_to(target).as_posix()
        if rel == ".git" or rel.startswith(".git/") or "/.git/" in f"/{rel}" or path.name == ".git":
            continue
        if path.is_symlink():
            links.append(rel)
        elif path.is_file():
            by_time.setdefault(int(path.stat().st_mtime), []).append(rel)
    if not by_time and not links:
        return
    stamps = sorted(by_time) or [int(time.time())]
    for stamp in stamps:
        names = by_time.get(stamp, []) + (links if stamp == stamps[-1] else [])
        for start in range(0, len(names), 500):
            subprocess.run([*git, "add", "-f", "--", *names[start:start + 500]], check=True, capture_output=True)
        when = f"@{stamp} +0000"
        subprocess.run([*git, "commit", "-q", "--no-verify", "-m", f"files last changed at {stamp}"], check=True,
                       capture_output=True, env={**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})


# ---------------------------------------------------------------------------------------------- run

PORTS: list[int] = []        # --ports A-B: serve only on these (helpers sharing a machine each keep a range)


def free_port() -> int:
    while PORTS:                  # popped, so two apps run at once never get the same port
        port = PORTS.pop(0)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shipyard_env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("VIRTUAL_ENV", None)
    return env


def last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith(("error", "shipyard")) or "error:" in ln]
    return (errors or lines or [""])[-1][:300]


def answered_why(answers: list[dict], log: str) -> str:
    """Why an app that answers failed: its wrong answers, and the last warning serve gave while it ran (a first
    run that failed, a database it could not make), else its last line; never the notice of the stop this run
    sends at the end (`SIGTERM received: letting requests in flight finish`), which says nothing about the app."""
    why = "answered " + ", ".join(f"{a['path']} {a['got']} (want {a['want']})" for a in answers)
    warnings = [ln.strip() for ln in log.splitlines() if ln.startswith("shipyard: warning:")]
    tail = warnings[-1][:300] if warnings else last_line(log)
    return why + (f"; log: {tail}" if tail else "")


def inspect(app_dir: Path, timeout: float) -> tuple[dict | None, float, str]:
    start = time.monotonic()
    try:
        done = subprocess.run([PYTHON, "-m", "shipyard", "inspect", str(app_dir), "--json"], capture_output=True,
                              text=True, env=shipyard_env(), timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, timeout, f"inspect timed out after {timeout:.0f}s"
    seconds = time.monotonic() - start
    if done.returncode != 0:
        return None, seconds, last_line(done.stderr)
    return json.loads(done.stdout), seconds, ""


def entry_matches(plan: dict, app: dict) -> bool:
    entry = plan.get("entry") or {}
    workdir = plan.get("workdir", ".")
    for want in [app["entry"], *app.get("entry_also", [])]:
        if want.get("workdir", ".") != workdir:
            continue
        # a run from the folder above with the import root on sys.path (`python src/app.py`, for code that opens
        # 'src/db/x.csv') is a different run from `cd src`: a want that names its import folder needs that one
        if "import_folder" in want and entry.get("import_folder") != want["import_folder"]:
            continue
        if "paste_ini" in want and entry.get("paste_ini") == want["paste_ini"]:
            return True
        if "target" in want and f"{entry.get('module')}:{entry.get('attr')}" == want["target"]:
            return True
        # a mod_wsgi script file (api.wsgi), loaded by its path as the module `api`: named by its file
        if "target" in want and entry.get("wsgi_file") and f"{entry['wsgi_file']}:{entry.get('attr')}" == want["target"]:
            return True
        # the app is a script: Shipyard runs it (kind "script": it starts its own server), or imports it as
        # `python path/to/it.py` would and serves the app its run() would (kind "default_app": bottle's default app;
        # an app its `__main__` block sets up before running it, main_setup: run as __main__ by shipyard_entry.py)
        # (a module named from the workdir, nuggets.app, may already start with its import folder, nuggets/)
        script = f"{str(entry.get('module')).replace('.', '/')}.py"
        if entry.get("import_folder") and not script.startswith(f"{entry['import_folder']}/"):
            script = f"{entry['import_folder']}/{script}"
        # a module that starts its server at import (app.run() at module level) is served as the app object that
        # server would have run, imported from the folder `python path/to/it.py` puts first on sys.path
        # an app object imported from the folder `python path/to/it.py` puts first on sys.path, in the folder that
        # command runs from (import_folder), is the app that script serves (`uvicorn.run(app)` under __main__)
        runs_script = entry.get("kind") in ("script", "default_app") or entry.get("main_setup") or \
            entry.get("starts_server_on_import") or entry.get("import_folder")
        if "script" in want and runs_script and script == want["script"]:
            return True
    return False


def serve(app_dir: Path, app: dict, timeout: float) -> tuple[bool, float, str, list[dict]]:
    """Run `serve --install`, poll the smoke paths until they answer or time runs out; stop it."""
    port = free_port()
    log = app_dir.parent / f"{app['id']}.serve.log"   # kept beside the copy while the run lasts
    start = time.monotonic()
    with log.open("w") as out:
        proc = subprocess.Popen([PYTHON, "-m", "shipyard", "serve", "--install", str(app_dir), "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, env=shipyard_env(), start_new_session=True)
    answers: list[dict] = []
    ok = False
    try:
        deadline = start + timeout
        while time.monotonic() < deadline and proc.poll() is None:
            host = served_host(log.read_text(errors="replace"))
            answers = [{"path": s["path"], "want": s["status"], "got": http_status(port, s["path"], host)}
                       for s in app["smoke"]]
            if all(a["got"] == a["want"] for a in answers):
                ok = True
                break
            # nginx answers 502 while the app still boots (an install, a database, migrations): not settled
            if time.monotonic() - start > 30 and all(a["got"] not in (None, 502, 503, 504) for a in answers):
                break    # it answers, with other statuses: a settled wrong answer
            time.sleep(2)
    finally:
        running = log.read_text(errors="replace")    # what it said while it ran, before this run stops it
        stop(proc)
    seconds = time.monotonic() - start
    why = ""
    if not ok:
        text = log.read_text(errors="replace")
        if any(a["got"] is not None for a in answers):
            why = answered_why(answers, running)
        elif proc.returncode not in (None, 0, -signal.SIGTERM):
            why = last_line(text) or f"exited {proc.returncode}"
        else:
            why = f"no answer within {timeout:.0f}s; log: {last_line(running)}"
    return ok, seconds, why, answers


def served_host(log: str) -> str:
    """The host of the URL serve printed ("serving NAME at http://localhost:PORT/": a Django app that accepts
    localhost and not 127.0.0.1), which a person would open; 127.0.0.1 until it says."""
    found = re.search(r"serving .* at http://([^:/\s]+):\d+/", log)
    return found.group(1) if found else "127.0.0.1"


def http_status(port: int, path: str, host: str = "127.0.0.1") -> int | None:
    """The status of a GET of `path`, sent to 127.0.0.1 under the Host `host`:PORT (redirects not followed)."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method="GET",
                                     headers={"Host": f"{host}:{port}"})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError):
        return None


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def run_app(app: dict, args: argparse.Namespace, tmp: Path) -> dict:
    copy = tmp / app["id"]
    shutil.copytree(args.dir / app["id"], copy, symlinks=True)
    # "argument": the folder a person names on the command line, inside the checkout (one app of several at a
    # repository's root: `shipyard serve --install flask_demo`); the entry's workdir is relative to it
    target = copy / app.get("argument", ".")
    plan, inspect_s, inspect_why = inspect(target, args.inspect_timeout)
    row = {"id": app["id"], "framework": app["framework"], "shape": app["shape"], "entry_found": None,
           "entry_right": False, "inspect_seconds": round(inspect_s, 1), "inspect_error": inspect_why,
           "proven": None}
    if plan is not None:
        entry = plan.get("entry") or {}
        row["entry_found"] = (f"{plan.get('workdir', '.')}|" +
                              (entry.get("paste_ini") or f"{entry.get('wsgi_file') or entry.get('module')}:"
                                                         f"{entry.get('attr')}"))
        row["entry_right"] = entry_matches(plan, app)
        row["proven"] = plan.get("proof", plan.get("proven"))
    if not args.no_serve:
        ok, serve_s, why, answers = serve(target, app, args.serve_timeout)
        row.update({"served_right": ok, "serve_seconds": round(serve_s, 1), "serve_error": why, "answers": answers})
    print(f"{app['id']:28} entry {'ok ' if row['entry_right'] else 'BAD'} {row['entry_found']} "
          f"served {row.get('served_right')} {row.get('serve_error', '')[:120]}", file=sys.stderr)
    shutil.rmtree(copy, ignore_errors=True)
    forget_data(copy)
    return row


def forget_data(copy: Path) -> None:
    """Remove what `serve` kept for the copy under the user's data folder (its PostgreSQL or MariaDB data, Redis
    snapshot, secrets, its settings module: one folder per checkout path, run/database.app_folder): the copy is
    gone, and a data folder per app and run would fill the disk over a few corpus runs."""
    digest = hashlib.sha256(str(copy.resolve()).encode()).hexdigest()[:8]
    for kind in ("postgres", "mysql", "redis", "apps", "settings"):
        for folder in (shipyard_data_home() / kind).glob(f"*-{digest}"):
            shutil.rmtree(folder, ignore_errors=True)


@functools.cache
def shipyard_data_home() -> Path:
    """Where Shipyard keeps apps' data, as Shipyard itself says (its rule: XDG_DATA_HOME, root, HOME)."""
    done = subprocess.run([PYTHON, "-c", "import os; from shipyard.run.database import data_home; "
                           "print(data_home(os.environ))"], capture_output=True, text=True, env=shipyard_env(),
                          check=True)
    return Path(done.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", type=Path, help="folder of checkouts, one per app id")
    parser.add_argument("--checkout", action="store_true", help="write the checkouts into DIR and stop")
    parser.add_argument("--mirrors", type=Path, default=MIRRORS, help="folder of the repositories' git mirrors")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--only", nargs="*", help="app ids to run (default: all)")
    parser.add_argument("--inspect-timeout", type=float, default=300)
    parser.add_argument("--serve-timeout", type=float, default=420, help="seconds for install + first answers")
    parser.add_argument("--no-serve", action="store_true", help="inspect only")
    parser.add_argument("--jobs", type=int, default=1, help="apps run at the same time (each on its own port)")
    parser.add_argument("--out", type=Path, default=RESULTS / "corpus")
    parser.add_argument("--ports", help="serve on ports of this range only, e.g. 14000-14999 (default: any free port)")
    args = parser.parse_args(argv)
    if args.ports:
        low, _, high = args.ports.partition("-")
        PORTS[:] = range(int(low), int(high or low) + 1)

    apps = [a for a in json.loads(args.corpus.read_text())["apps"] if not args.only or a["id"] in args.only]
    if args.checkout:
        checkout(apps, args.dir, args.mirrors)
        return 0
    with tempfile.TemporaryDirectory(prefix="shipyard-bench-corpus-") as tmp, \
            concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        todo = [app for app in apps if (args.dir / app["id"]).is_dir()]
        for app in apps:
            if app not in todo:
                print(f"{app['id']}: not checked out under {args.dir}, skipped", file=sys.stderr)
        rows = list(pool.map(lambda app: run_app(app, args, Path(tmp)), todo))

    n = len(rows)
    report = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "apps": n,
              "entry_right": sum(r["entry_right"] for r in rows),
              "served_right": sum(bool(r.get("served_right")) for r in rows), "rows": rows}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(report, indent=1) + "\n")
    args.out.with_suffix(".md").write_text(markdown(report, served=not args.no_serve))
    print(f"entry right {report['entry_right']}/{n}, served right {report['served_right']}/{n}", file=sys.stderr)
    return 0


def markdown(report: dict, served: bool) -> str:
    n = report["apps"] or 1
    lines = ["# Public apps with nothing installed: entry found, served",
             "",
             f"{report['date']}: {report['apps']} public apps of bench/corpus.json, each on a fresh copy with no "
             "virtualenv active. Written by `python bench/corpus.py DIR`.",
             "",
             f"- entry right (`inspect --json`): **{report['entry_right']}/{report['apps']}** "
             f"({report['entry_right'] / n:.0%})"]
    if served:
        lines.append(f"- served right (`serve --install`, every smoke path answers its status): "
                     f"**{report['served_right']}/{report['apps']}** ({report['served_right'] / n:.0%})")
    lines += ["", "| app | framework | entry found | entry | inspect s | served | serve s | why it failed |",
              "|---|---|---|---|---|---|---|---|"]
    for r in report["rows"]:
        why = r["inspect_error"] or r.get("serve_error", "")
        lines.append(f"| {r['id']} | {r['framework']} | `{r['entry_found']}` | {'yes' if r['entry_right'] else 'NO'} | "
                     f"{r['inspect_seconds']} | {'yes' if r.get('served_right') else 'no' if served else '-'} | "
                     f"{r.get('serve_seconds', '-')} | {why.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
