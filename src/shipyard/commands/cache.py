"""`shipyard cache dir|info|prune|clean`: what Shipyard keeps in $XDG_CACHE_HOME/shipyard, and removing it."""

from __future__ import annotations

import argparse
import json
import sys
import time

from .. import cache_store
from ..cache_store import KINDS, human
from ..environments import cache_root
from ..errors import UsageError

SUMMARY = "Show or free what Shipyard caches: proof environments, server overlays, wheels, logs, memos."
EXAMPLES = f"""\
  shipyard cache dir                     # where the cache is
  shipyard cache info                    # size and count per kind
  shipyard cache info --json
  shipyard cache prune                   # unused for {cache_store.PRUNE_DAYS} days, and what killed builds left
  shipyard cache prune --older-than 7d   # or 12h, 2w; --dry-run shows what it would remove
  shipyard cache clean                   # everything (all of it is rebuilt when needed)

Every run that uses a cached environment marks it used and holds a lock on it while it runs: prune and clean
skip what another Shipyard process is using now, and say so. Once a day, when a build adds an environment,
Shipyard also removes the environments nobody used for {cache_store.AUTO_DAYS} days (for at most 10 seconds).
Most of an environment's files are hard links to uv's own cache: "only here" is what removing them frees;
`uv cache prune` or `uv cache clean` frees the rest.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for action, summary in (("dir", "print the cache's folder"),
                            ("info", "where the cache is, size and count per kind"),
                            ("prune", "remove what was not used recently and what killed builds left"),
                            ("clean", "remove everything Shipyard cached (rebuilt when needed)")):
        p = sub.add_parser(action, help=summary, description=summary,
                           epilog="examples:\n" + "\n".join(line for line in EXAMPLES.splitlines()
                                                            if line.startswith(f"  shipyard cache {action}")),
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        if action == "prune":
            p.add_argument("--older-than", default=f"{cache_store.PRUNE_DAYS}d", metavar="AGE",
                           help=f"remove what was not used for AGE: days (30, 30d), hours (12h) or weeks (2w); "
                                f"default: {cache_store.PRUNE_DAYS}d")
        if action in ("prune", "clean"):
            p.add_argument("--dry-run", action="store_true", help="say what would be removed; remove nothing")
        if action != "dir":
            p.add_argument("--json", action="store_true", help="print the result as JSON")
        p.set_defaults(_run=run)


def run(args: argparse.Namespace) -> int:
    root = cache_root()
    if args.action == "dir":
        print(root)
        return 0
    if root.exists() and not root.is_dir():
        raise UsageError(f"the cache {root} is not a folder", "remove it or set XDG_CACHE_HOME to another folder")
    if args.action == "info":
        return _info(root, args.json)
    if args.action == "prune":
        try:
            older_than = cache_store.parse_age(args.older_than)
        except ValueError:
            raise UsageError(f"--older-than {args.older_than!r} is not an age",
                             "give days (30 or 30d), hours (12h) or weeks (2w)") from None
    else:
        older_than = None
    return _remove(root, older_than, args.dry_run, args.json, args.older_than if older_than is not None else "")


def _info(root, as_json: bool) -> int:
    found = cache_store.entries(root)
    if len(found) > 200:
        print(f"shipyard: measuring {len(found)} entries of {root} (a minute or two when it holds hundreds of "
              "environments)", file=sys.stderr, flush=True)
    usage = cache_store.measure(found)
    rows = []
    for kind in KINDS:
        mine = [e for e in found if e.kind == kind]
        rows.append({"kind": kind, "count": sum(1 for e in mine if e.state == "ready"),
                     "leftovers": sum(1 for e in mine if e.state != "ready"),
                     "on_disk_bytes": usage.on_disk(kind), "only_here_bytes": usage.only_here(kind),
                     "oldest_use": min((e.used for e in mine if e.state == "ready"), default=None)})
    if as_json:
        print(json.dumps({"cache": str(root), "exists": root.is_dir(), "kinds": rows,
                          "on_disk_bytes": usage.on_disk(), "only_here_bytes": usage.only_here()}, indent=2))
        return 0
    print(f"cache: {root}" + ("" if root.is_dir() else " (empty: nothing cached yet)"))
    now = time.time()
    print(f"{'kind':<10} {'count':>6} {'on disk':>10} {'only here':>10}  unused longest")
    for row in rows:
        oldest = _ago(now - row["oldest_use"]) if row["oldest_use"] else "-"
        extra = f"  ({row['leftovers']} left by killed builds or removals)" if row["leftovers"] else ""
        print(f"{row['kind']:<10} {row['count']:>6} {human(row['on_disk_bytes']):>10} "
              f"{human(row['only_here_bytes']):>10}  {oldest}{extra}")
    print(f"{'total':<10} {sum(r['count'] for r in rows):>6} {human(usage.on_disk()):>10} "
          f"{human(usage.only_here()):>10}")
    if usage.on_disk() > 2 * usage.only_here():
        print("most of it is hard links shared with uv's cache: removing it here frees the \"only here\" part, "
              "`uv cache prune` or `uv cache clean` the rest")
    return 0


LABELS = {"envs": ("proof environment", "proof environments"), "overlays": ("overlay", "overlays"),
          "wheels": ("wheel folder", "wheel folders"), "runtime": ("runtime folder", "runtime folders"),
          "logs": ("log", "logs"), "memos": ("memo", "memos")}


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _progress(total: int):
    """A line on stderr every 10 seconds: removing hundreds of environments takes minutes on a busy disk."""
    state = {"done": 0, "said": time.monotonic()}

    def removed(entry) -> None:
        state["done"] += 1
        if time.monotonic() - state["said"] > 10:
            state["said"] = time.monotonic()
            print(f"shipyard: ... {state['done']} of {total} removed", file=sys.stderr, flush=True)
    return removed


def _ago(seconds: float) -> str:
    return f"{seconds / cache_store.DAY:.0f} days" if seconds >= 2 * cache_store.DAY else f"{seconds / 3600:.0f} h"


def _remove(root, older_than: float | None, dry_run: bool, as_json: bool, age: str) -> int:
    now = time.time()
    chosen = cache_store.choose(cache_store.entries(root), older_than, now)
    outcome = cache_store.remove_all(chosen, now=now, dry_run=dry_run, progress=_progress(len(chosen)))
    if as_json:
        print(json.dumps({"cache": str(root), **outcome.as_json(dry_run)}, indent=2))
        return 0
    verb = "would remove" if dry_run else "removed"
    what = f"not used for {age}" if older_than is not None else "everything"
    ready = [e for e in outcome.removed if e.state == "ready"]
    counts = [(sum(1 for e in ready if e.kind == k), k) for k in KINDS]
    listed = [_count(n, *LABELS[k]) for n, k in counts if n]
    leftovers = len(outcome.removed) - len(ready)
    if leftovers:
        listed.append(_count(leftovers, "folder", "folders") + " left by killed builds or removals")
    if not listed:
        print(f"nothing to remove ({what}) in {root}")
    else:
        print(f"{verb} {', '.join(listed)} ({what}) from {root}: {human(outcome.freed.only_here())} "
              f"{'would be ' if dry_run else ''}freed ({human(outcome.freed.on_disk())} on disk, the rest shared "
              "with uv's cache)")
    for entry in outcome.in_use:
        print(f"  skipped {entry.path}: in use by another Shipyard process now", file=sys.stderr)
    for entry in outcome.building:
        print(f"  skipped {entry.path}: a build in progress (or too recent to tell)", file=sys.stderr)
    return 0
