"""Run `shipyard serve`/`dev` as a real subprocess and look at what it leaves behind (shared by the serve and
dev tests)."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

from conftest import free_port, suite_app_env
from shipyard.run.procs import descendants

SHIPYARD = [sys.executable, "-m", "shipyard"]


class Running:
    """A shipyard command in its own session, with its output collected by a thread."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen([*SHIPYARD, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True,
                                     env={**os.environ, **suite_app_env(), **(env or {})})
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for raw in iter(self.proc.stdout.readline, b""):
            self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, pattern: str, timeout: float) -> re.Match | None:
        """The first output line matching `pattern`, or None when the process exits or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if (m := re.search(pattern, line)):
                    return m
            if self.proc.poll() is not None:
                time.sleep(0.3)
                return next((m for l in self.lines if (m := re.search(pattern, l))), None)
            time.sleep(0.1)
        return None

    def run_dir(self) -> str:
        m = self.wait_for(r"run folder (\S+);", 1)
        assert m, self.output
        return m.group(1)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        finally:
            self._reader.join(5)

    def kill(self) -> None:
        """Test cleanup: whatever happened, nothing of this run survives the test."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(10)

    def discard(self) -> None:
        """kill(), and the run folder serve said it made: what still runs from it (nginx, the server under
        supervisord), then the folder itself."""
        folder = next((l.split("run folder ", 1)[1].split(";")[0] for l in self.lines if "run folder " in l), None)
        self.kill()
        if folder:
            kill_mentioning(folder)
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def serving_with_data(root: Path, data: Path, env: dict[str, str] | None = None) -> Iterator[tuple[Running, int]]:
    """`serve` of `root` on a free port with its services' data under `data` (XDG_DATA_HOME), answering: (the run,
    its port). Stopped with Ctrl-C, which must end it cleanly; nothing of it, nor any server of `data`, survives."""
    from conftest import free_port
    port = free_port()
    run = Running("serve", str(root), "--port", str(port), env={"XDG_DATA_HOME": str(data), **(env or {})})
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 120), run.output
        yield run, port
        assert run.stop(signal.SIGINT) == 0, run.output
    finally:
        run.kill()
        kill_mentioning(str(data))


@contextmanager
def serving_fresh_install(root: Path, cache: Path,
                          timeout: float) -> Iterator[tuple[Running, tuple[int, dict[str, str], str]]]:
    """`serve --install` of `root` as a fresh clone meets it (no active virtualenv, Shipyard's cache at `cache`, so
    no lesson of another test applies) on a free port: (the run, what GET / answered). Discarded afterwards."""
    port = free_port()
    run = Running("serve", "--install", str(root), "--port", str(port),
                  env={"VIRTUAL_ENV": "", "XDG_CACHE_HOME": str(cache)})
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, timeout), run.output
        yield run, get(f"http://127.0.0.1:{port}/")
    finally:
        run.discard()


@contextmanager
def held_loopback_port(backlog: int = 1) -> Iterator[int]:
    """A free port that another program holds on 127.0.0.1 only, as another session's MariaDB binds it: serve's
    database must then listen on that port at another loopback address."""
    port = free_port()
    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    holder.bind(("127.0.0.1", port))
    holder.listen(backlog)
    try:
        yield port
    finally:
        holder.close()


@contextmanager
def serves_database_environ(data: Path) -> Iterator[dict[str, str]]:
    """The environment serve's own database starts in (its data folder under `data`), and every server started
    there killed after."""
    try:
        yield {"XDG_DATA_HOME": str(data), "PATH": "/usr/sbin:/usr/bin:/bin"}
    finally:
        kill_mentioning(str(data))


def processes_mentioning(text: str) -> list[tuple[int, str]]:
    """Living processes whose command line contains `text`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if text in cmdline and state != "Z":
            found.append((int(entry.name), cmdline))
    return found


def kill_mentioning(text: str) -> None:
    """SIGKILL the processes whose command line contains `text`, and their descendants: an nginx master's workers
    ("nginx: worker process") name no folder and outlive a killed master, holding its port."""
    pids = [pid for pid, _ in processes_mentioning(text)]
    for pid in pids + [d for pid in pids for d in descendants(pid)]:     # found before any is killed and re-parented
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def get(url: str, timeout: float = 10) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode("utf-8", "replace")
    except http.client.HTTPException as exc:      # a response cut short (a server restarting): a failed try, like a refused one
        raise ConnectionError(f"{url}: {exc!r}") from exc


def wait_status(url: str, timeout: float, want: int = 200) -> tuple[int, dict[str, str], str] | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = get(url, timeout=3)
            if result[0] == want:
                return result
        except OSError:
            pass
        time.sleep(0.2)
    return None
