"""`shipyard init`: write the app's production files (Dockerfile, server and proxy configs, compose)."""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

from ..errors import UsageError
from ..planner import make_plan
from ..render import SECRETS_FILE, kubernetes, render, secrets_env
from ..render.stack_aliases import (alias_note, cluster_aliases, stack_aliases, stack_redis_password,
                                     written_redis_password)
from ..render.write import CREATED, KEPT, REPLACED, UNCHANGED, UPDATED, Change, apply, plan_changes, write_atomic
from .appcmd import say, say_image_notes, warn_unproven
from .options import add_path, add_setting_flags, setting_flags
from .stack_db import login_line, stack_password, written_login

SUMMARY = "Write the app's production files into its folder (Dockerfile, server config, nginx, supervisord, compose)."
EXAMPLES = """\
  shipyard init                          # the app in the current folder, default topology (bundle)
  shipyard init examples/hello --dry-run # list what would be written, write nothing
  shipyard init . --diff                 # show what would change, write nothing
  shipyard init . --topology compose --db postgres
  shipyard init . --server uwsgi --force # replace files you edited (a .shipyard-bak copy is kept)
  shipyard init . --out deploy/ --json
  shipyard init . --kubernetes --replicas 3 --ingress-host app.example.com   # also deploy/kubernetes/
"""

LABELS = {CREATED: "created", UPDATED: "updated", UNCHANGED: "unchanged",
          KEPT: "kept", REPLACED: "replaced"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_path(parser)
    parser.add_argument("--out", metavar="DIR", help="write into DIR instead of the app's folder")
    parser.add_argument("--dry-run", action="store_true", help="list what would be written; write nothing")
    parser.add_argument("--diff", action="store_true", help="show unified diffs of what would change; write nothing")
    parser.add_argument("--force", action="store_true",
                        help="also replace files you edited or did not generate (keeping FILE.shipyard-bak)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--no-import", action="store_true", help="skip the import check (static detection only)")
    parser.add_argument("--kubernetes", action="store_true",
                        help="also write Kubernetes manifests (a kustomize base, an example overlay, deploy.sh) "
                             "into deploy/kubernetes/")
    add_setting_flags(parser, "entry", "python", "server", "topology", "db", "port", "workers", "threads",
                      "base_image", "replicas", "cpu_limit", "ingress_host")


def run(args: argparse.Namespace) -> int:
    plan = make_plan(args.path, setting_flags(args), confirm=not args.no_import, progress=say, check_pins=True)
    warn_unproven(plan)
    say_image_notes(plan, args.path)
    out_dir = Path(args.out or args.path).expanduser()
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out {out_dir} is a file", "pass a folder")
    written = _written_login(plan, args, out_dir)
    aliases = stack_aliases(plan, Path(args.path), written)
    if (line := alias_note(aliases)) is not None:
        say(line)
    files = render(plan, written=written, aliases=aliases, redis_password=stack_redis_password(plan, Path(args.path)))
    # the password the app's code sends its Redis: the Kubernetes Redis component asks for it too (from the Secret)
    cluster_redis = written_redis_password(plan, Path(args.path)) if args.kubernetes else ""
    if args.kubernetes:
        # the hosts the code writes for its database and Redis: a Service of each name in the cluster too
        in_cluster = cluster_aliases(plan, Path(args.path), kubernetes.own_services(plan), written)
        files.update(kubernetes.files(plan, cluster_redis, in_cluster))
    changes = plan_changes(out_dir, files, force=args.force)
    preview = args.dry_run or args.diff
    server = plan.needs_database_server
    # the stack's secrets file: its database's login, and a secret key the code requires
    extras = _extra_files(out_dir, plan, Path(args.path), written) \
        if plan.settings["topology"] == "compose" and (server or plan.secret_key_variables or plan.example_settings) \
        else []
    if args.kubernetes and (server or plan.secret_key_variables or kubernetes.example_names(plan) or cluster_redis):
        extras.append(_created_once(out_dir, kubernetes.secrets_path(),
                                    lambda: kubernetes.secrets_env(plan, stack_password(plan, Path(args.path), say),
                                                                   written, cluster_redis), 0o600))
        if extras[-1][2] == UNCHANGED and (lines := kubernetes.missing_redis_lines(
                plan, (out_dir / kubernetes.secrets_path()).read_text(encoding="utf-8"), cluster_redis)):
            # an older secrets.env without the Redis password the manifests now read from the Secret
            old = (out_dir / kubernetes.secrets_path()).read_text(encoding="utf-8")
            extras[-1] = (kubernetes.secrets_path(), old + ("" if old.endswith("\n") else "\n") + lines, UPDATED, 0o600)
    translation = kubernetes.translation(plan, in_cluster) if args.kubernetes else []
    if not preview:
        out_dir.mkdir(parents=True, exist_ok=True)
        apply(out_dir, changes)
        for rel, text, status, mode in extras:
            if status != UNCHANGED:
                write_atomic(out_dir / rel, text, mode=mode)

    rows = [{"path": c.path, "status": c.status, "reason": c.reason, "backup": c.backup} for c in changes]
    rows += [{"path": rel, "status": status, "reason": "", "backup": None} for rel, _, status, _ in extras]
    if args.json:
        result = {"out": str(out_dir), "written": not preview, "topology": plan.settings["topology"],
                  "server": plan.settings["server"], "files": rows}
        if args.kubernetes:
            result["kubernetes"] = [dataclasses.asdict(t) for t in translation]
        print(json.dumps(result, indent=2))
        return 0
    if args.diff:
        for change in changes:
            if change.status in (CREATED, UPDATED, REPLACED):
                print(change.diff(), end="")
    print(_report(out_dir, changes, extras, preview), end="")
    if translation:
        print("Kubernetes: what the manifests make of the plan")
        for t in translation:
            print(f"  {t.part:<40} {t.status:<12} {t.how}")
    return 0


def _report(out_dir: Path, changes: list[Change], extras: list, preview: bool) -> str:
    head = f"would write into {out_dir} (nothing written):" if preview else f"wrote into {out_dir}:"
    lines = [head]
    for c in changes:
        label = LABELS[c.status]
        if c.status == KEPT:
            label += f" ({c.reason}; --force to replace)"
        elif c.status == REPLACED:
            label += f" ({c.reason}; previous copy in {c.backup})"
        lines.append(f"  {c.path:<22} {label}")
    for rel, _, status, _ in extras:
        lines.append(f"  {rel:<22} {LABELS[status]}")
    kept = [c for c in changes if c.status == KEPT]
    if kept:
        lines.append(f"{len(kept)} file(s) kept as you changed them; compare with --diff, replace with --force.")
    return "\n".join(lines) + "\n"


def _written_login(plan, args: argparse.Namespace, out_dir: Path):
    """The database login the app writes, for the secrets files of its stack (render/db_login.py, for MySQL
    render/mysql_service.py); a secrets file made before, with another login, is said (init never rewrites it)."""
    paths = ([SECRETS_FILE] if plan.settings["topology"] == "compose" else []) \
        + ([kubernetes.secrets_path()] if args.kubernetes else [])
    if not plan.needs_database_server or not paths:
        return None
    written = written_login(plan, Path(args.path), say)
    label = "MySQL" if plan.needs_mysql else "PostgreSQL"
    for rel in paths:
        path = out_dir / rel
        if written and path.is_file() and login_line(plan, written) not in path.read_text():
            say(f"note: {rel} was made before with another {label} login than the one {written.rel}:"
                f"{written.line} writes, and init keeps it: delete it to have it made again")
    return written


def _created_once(out_dir: Path, rel: str, make_text, mode: int) -> tuple[str, str, str, int]:
    """A secrets file: created with fresh random values the first time, never rewritten."""
    if (out_dir / rel).exists():
        return (rel, "", UNCHANGED, mode)
    return (rel, make_text(), CREATED, mode)


def _extra_files(out_dir: Path, plan, root: Path, written=None) -> list[tuple[str, str, str, int]]:
    """Files created once and never regenerated: the compose secrets (random password), and the
    .gitignore line that keeps them out of git. (path, text, status, mode)"""
    extras = []
    secret_path = out_dir / SECRETS_FILE
    if secret_path.exists():
        extras.append((SECRETS_FILE, "", UNCHANGED, 0o600))
    else:
        extras.append((SECRETS_FILE, secrets_env(plan, stack_password(plan, root, say), written), CREATED,
                       0o600))
    gitignore = out_dir / ".gitignore"
    old = gitignore.read_text(encoding="utf-8") if gitignore.exists() else ""
    if SECRETS_FILE in (line.strip().lstrip("/") for line in old.splitlines()):
        extras.append((".gitignore", old, UNCHANGED, 0o644))
    else:
        text = old + ("" if not old or old.endswith("\n") else "\n") + f"{SECRETS_FILE}\n"
        extras.append((".gitignore", text, UPDATED if old else CREATED, 0o644))
    return extras
