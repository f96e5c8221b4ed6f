"""Running an engine's command-line program: bounded in time, output captured, failures as EngineError."""

from __future__ import annotations

import collections
import os
import subprocess
import threading
import time
from typing import Callable, Mapping, Sequence

from .. import spawn
from ..errors import EngineError

TAIL_LINES = 15


def tail(text: str, lines: int = TAIL_LINES) -> list[str]:
    return [line for line in text.strip().splitlines() if line.strip()][-lines:]


def run(argv: Sequence[str], *, timeout: float = 60, env: Mapping[str, str] | None = None,
        check: bool = True, what: str | None = None, cwd: str | None = None) -> subprocess.CompletedProcess:
    """Run a command and capture its output; `what` names the step in the error when it fails."""
    full_env = {**os.environ, **env} if env else None
    try:
        done = spawn.run(argv, timeout=timeout, env=full_env, cwd=cwd)
    except FileNotFoundError:
        raise EngineError(f"{argv[0]} is not installed", "install Docker or Podman") from None
    except subprocess.TimeoutExpired:
        raise EngineError(f"{what or ' '.join(argv[:3])} did not finish within {timeout:.0f} s",
                          "is the engine overloaded or hung? check its status") from None
    if check and done.returncode != 0:
        last = " | ".join(tail(done.stderr or done.stdout, 4)) or f"exit code {done.returncode}"
        raise EngineError(f"{what or ' '.join(argv[:3])} failed: {last}", "")
    return done


def stream(argv: Sequence[str], *, timeout: float, on_line: Callable[[str], None] | None = None,
           env: Mapping[str, str] | None = None, cwd: str | None = None,
           keep: int = 200) -> tuple[int, list[str], bool]:
    """Run a long command, passing each output line (stdout and stderr merged) to `on_line`.

    Returns (exit code, the last `keep` lines, timed_out). The process is killed at the deadline.
    """
    full_env = {**os.environ, **env} if env else None
    try:
        proc = spawn.start(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           errors="replace", env=full_env, cwd=cwd)
    except FileNotFoundError:
        raise EngineError(f"{argv[0]} is not installed", "install Docker or Podman") from None
    lines: collections.deque[str] = collections.deque(maxlen=keep)
    timed_out = threading.Event()

    def kill_at_deadline() -> None:
        deadline = time.monotonic() + timeout
        while proc.poll() is None:
            if time.monotonic() > deadline:
                timed_out.set()
                spawn.kill_group(proc)
                return
            time.sleep(0.2)

    guard = threading.Thread(target=kill_at_deadline, daemon=True)
    guard.start()
    try:
        assert proc.stdout is not None
        for raw in proc.stdout:
            line = raw.rstrip("\n")
            lines.append(line)
            if on_line is not None:
                on_line(line)
        code = proc.wait()
    finally:
        # done, Ctrl-C or a failing callback: stop the engine's client and whatever it started, so nothing
        # keeps building behind us
        spawn.kill_group(proc)
    guard.join(timeout=1)
    return code, list(lines), timed_out.is_set()


def all_on_path(program: str, path: str | None = None) -> list[str]:
    """Every executable named `program` on PATH, in order, each file once (a v1 and a v2 `docker-compose`,
    a distribution's `docker` and a newer static one, can sit side by side)."""
    found, seen = [], set()
    for folder in (path if path is not None else os.environ.get("PATH", "")).split(os.pathsep):
        candidate = os.path.join(folder, program)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            real = os.path.realpath(candidate)
            if real not in seen:
                seen.add(real)
                found.append(candidate)
    return found
