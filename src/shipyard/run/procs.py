"""Linux process bookkeeping, so a stopped tree leaves nothing behind.

Shipyard marks itself a child subreaper: a program that double-forks or outlives supervisord is re-parented
to Shipyard instead of init, where `descendants` still finds it and `kill_all` ends it.
"""

from __future__ import annotations

import ctypes
import os
import signal
import time
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _fields():
    """(pid, fields after the command name) of every process, from /proc/<pid>/stat."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name (field 2) may hold spaces and parentheses: parse after the last ')'
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 3:
            yield int(entry.name), fields


def _stats():
    """(pid, state, parent pid) of every process."""
    for pid, fields in _fields():
        yield pid, fields[0], int(fields[1])


def session_members(sid: int) -> list[int]:
    """Living processes of session `sid`. Shipyard starts supervisord as a session leader and nothing in
    the tree starts a session of its own, so the session is the whole tree, orphans included, even after
    supervisord died. Safe against pid reuse: the kernel never hands out a pid still used as a session id."""
    return sorted(pid for pid, fields in _fields() if int(fields[3]) == sid and fields[0] != "Z")


def session_demand(sid: int) -> float:
    """The seconds the living processes of session `sid` (see session_members) have run or waited to run so far
    (/proc/<pid>/schedstat: time on a CPU, time on a run queue): what they wanted of the machine however busy it
    is, where CPU time alone shrinks with every other process. A process asleep (on a socket, a timer) adds none."""
    nanoseconds = 0
    for pid in session_members(sid):
        try:
            on_cpu, queued = (Path("/proc") / str(pid) / "schedstat").read_text().split()[:2]
        except (OSError, ValueError):
            continue
        nanoseconds += int(on_cpu) + int(queued)
    return nanoseconds / 1e9


def kill_session(sid: int) -> list[int]:
    """SIGKILL every living process of session `sid` (see session_members); return those that lived."""
    members = session_members(sid)
    for pid in members:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    end = time.monotonic() + 3
    while time.monotonic() < end and any(alive(p) for p in members):
        reap()
        time.sleep(0.05)
    return members


def _parents() -> dict[int, int]:
    return {pid: ppid for pid, state, ppid in _stats() if state != "Z"}


def descendants(pid: int) -> list[int]:
    """Living (non-zombie) descendants of `pid`, parents before children."""
    parents = _parents()
    found: list[int] = []
    frontier = [pid]
    while frontier:
        current = frontier.pop()
        children = sorted(p for p, ppid in parents.items() if ppid == current)
        found.extend(children)
        frontier.extend(children)
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except (OSError, IndexError):
        return False


def reap(keep: int | None = None) -> None:
    """Collect exited children (we may have inherited orphans as a subreaper); `keep` is a child whose exit
    status its owner (subprocess.Popen) still wants to read."""
    if keep is not None:
        for pid, state, ppid in _stats():
            if pid != keep and state == "Z" and ppid == os.getpid():
                try:
                    os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    pass
        return
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def kill_all(pids: list[int], grace: float = 0.0) -> list[int]:
    """TERM (after `grace` seconds of waiting) then KILL the given processes; return those that had lived."""
    deadline = time.monotonic() + grace
    while grace and time.monotonic() < deadline and any(alive(p) for p in pids):
        reap()
        time.sleep(0.05)
    left = [p for p in pids if alive(p)]
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in left:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        end = time.monotonic() + 2
        while time.monotonic() < end and any(alive(p) for p in left):
            reap()
            time.sleep(0.05)
    reap()
    return left


def terminate(pid: int, timeout: float, immediate: bool = False) -> None:
    """SIGTERM (a server's clean shutdown), SIGKILL past `timeout` or when `immediate`; returns once it is gone."""
    try:
        os.kill(pid, signal.SIGKILL if immediate else signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if alive(pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
