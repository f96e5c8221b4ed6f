"""Is a TCP port free? Checked before anything starts, so a clash fails fast and by name."""

from __future__ import annotations

import errno
import os
import socket
import sys
import time
from pathlib import Path

from ..errors import PortInUse


def _bind_fails(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        # as every server we start binds (nginx, PostgreSQL, gunicorn): a port whose last connection lingers in
        # TIME_WAIT, as 5432 does just after another PostgreSQL stopped, is free to them, not in use
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            return exc.errno in (errno.EADDRINUSE, errno.EACCES)
    return False


def _accepts(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def ensure_free(port: int, host: str = "0.0.0.0") -> None:
    """Raise PortInUse when something listens on `port` or it cannot be bound on `host`."""
    if _accepts("127.0.0.1", port) or _bind_fails(host, port):
        raise PortInUse(f"port {port} is already in use",
                        f"stop what listens there (`ss -ltnp 'sport = :{port}'` shows it) "
                        f"or pick another port with --port")


def port_free(host: str, port: int) -> bool:
    """Nothing listens on `port` and it can be bound on `host`: a server of ours may take it."""
    return not _accepts(host, port) and not _bind_fails(host, port)


def free_port() -> int:
    """A TCP port nothing listens on now, on the loopback (the kernel's pick)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_tcp(host: str, port: int, timeout: float) -> bool:
    """True once `host:port` accepts a connection, False after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _accepts(host, port):
            return True
        time.sleep(0.1)
    return False


_LISTEN = "0A"          # TCP_LISTEN in /proc/net/tcp's st column


def port_holder(port: int, proc: Path = Path("/proc"), host: str | None = None) -> str:
    """Who listens on TCP `port` here (at `host`, or an address that covers it: 0.0.0.0, ::), for a message:
    "postgres (pid 1234)", "a process of another user" when Linux's /proc shows the socket but not its process,
    "" when it shows nothing (another system, a container). `host` matters where serve's own server already
    listens on the same port at another loopback address (127.0.0.2)."""
    addresses = None if host is None else _proc_addresses(host)
    inodes = set()
    for table in ("net/tcp", "net/tcp6"):
        try:
            lines = (proc / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[3] == _LISTEN and int(fields[1].rsplit(":", 1)[1], 16) == port \
                    and (addresses is None or fields[1].rsplit(":", 1)[0].upper() in addresses):
                inodes.add(fields[9])
    if not inodes:
        return ""
    wanted = {f"socket:[{inode}]" for inode in inodes}
    for pid in sorted((p for p in os.listdir(proc) if p.isdigit()), key=int):
        try:
            fds = os.listdir(proc / pid / "fd")
            if any(os.readlink(proc / pid / "fd" / fd) in wanted for fd in fds):
                name = (proc / pid / "comm").read_text().strip()
                return f"{name} (pid {pid})"
        except OSError:
            continue          # gone, or another user's
    return "a process of another user"


def _proc_addresses(host: str) -> frozenset[str]:
    """/proc/net/tcp{,6}'s spellings of the addresses whose listener takes connections to IPv4 `host`: `host`
    itself, 0.0.0.0, and IPv6's :: and the v4-mapped `host` (each 32-bit word printed in native byte order)."""
    def word(raw: bytes) -> str:
        return f"{int.from_bytes(raw, sys.byteorder):08X}"
    own = word(socket.inet_aton(host))
    return frozenset({own, "00000000", "0" * 32, "0" * 16 + word(b"\x00\x00\xff\xff") + own})
