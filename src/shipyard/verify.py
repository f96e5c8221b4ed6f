"""`verify`: start an image on 127.0.0.1 and check that it behaves like a production image.

Checks: the health check passes; the smoke paths answer; a file of each static folder the image's nginx
serves answers through it; every process runs as a non-root user; a request
in flight when SIGTERM arrives completes and the container exits 0 within the graceful timeout; the image
carries no .git, .env or compiler toolchain; and no secrets: secret-looking environment variables and build
arguments in the image config and history, credential files (.npmrc, .pypirc, cloud and Docker credentials,
SSH keys) or private keys anywhere (leaks.py). The report also carries the image size and layer count.
"""

from __future__ import annotations

import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import asdict, dataclass, field
from typing import Callable, Sequence

from . import leaks
from .engine.base import Engine
from .errors import EngineError, UsageError

DEFAULT_GRACEFUL_TIMEOUT = 30
STATIC_LABEL = "dev.shipyard.static"       # "URL=FOLDER ...": the folders the image's nginx serves
ROOT_USERS = ("", "root", "0")

# Paths that must not be in a production image (matched against every path of the exported file system).
FORBIDDEN = (
    ("a .git folder", re.compile(r"(^|/)\.git(/|$)")),
    ("a .env file", re.compile(r"(^|/)\.env$")),
    ("a C compiler", re.compile(r"^(usr/(local/)?)?bin/(gcc|cc|c\+\+|g\+\+|clang|clang\+\+|"
                                r"[\w-]+-linux-gnu-gcc(-\d+)?|gcc-\d+)$")),
    ("the compiler proper (cc1)", re.compile(r"^usr/(lib|libexec)/gcc/.+/cc1(plus)?$")),
    ("a linker (binutils)", re.compile(r"^(usr/)?bin/(ld|ld\.bfd|ld\.gold|as)$")),
)


@dataclass(frozen=True)
class SmokeCheck:
    path: str
    status: int | None = None          # exact status expected; None: anything below 400
    contains: str | None = None        # text the body must contain


@dataclass
class Check:
    name: str
    ok: bool | None                    # None: skipped (with the reason in detail)
    detail: str

    @property
    def mark(self) -> str:
        return {True: "ok  ", False: "FAIL", None: "skip"}[self.ok]


@dataclass
class VerifyReport:
    image: str
    size: int = 0
    layers: int = 0
    port: int = 0
    seconds: float = 0.0
    checks: list[Check] = field(default_factory=list)
    logs_tail: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok is not False for c in self.checks)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["ok"] = self.ok
        data["size_mb"] = round(self.size / 1e6, 1)
        return data


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect to the address verify asked (a login page), not elsewhere: `/coc` answering 302 to the
    project's code of conduct on another site has answered; following it asked a host this machine may not
    resolve ("no answer")."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        asked = urllib.parse.urlsplit(req.full_url)
        new = urllib.parse.urlsplit(urllib.parse.urljoin(req.full_url, newurl))
        if (new.scheme, new.netloc) != (asked.scheme, asked.netloc):
            return None            # urllib then raises HTTPError with the 3xx: the app's answer
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _http_get(url: str, timeout: float, host: str | None = None) -> tuple[int, str]:
    # No proxies: verify only ever talks to the loopback address (and follows no redirect away from it).
    # `host`: the Host header to send instead of the URL's (the same loopback address, under another name)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _SameHostRedirects())
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with opener.open(request, timeout=timeout) as resp:
            return resp.status, resp.read(1_000_000).decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(100_000).decode(errors="replace")


def _graceful_timeout(env: dict[str, str], given: int | None) -> int:
    if given is not None:
        return given
    value = env.get("SHIPYARD_GRACEFUL_TIMEOUT", "")
    return int(value) if value.isdigit() else DEFAULT_GRACEFUL_TIMEOUT


def _pick_port(exposed: Sequence[int], env: dict[str, str], given: int | None) -> int:
    if given is not None:
        return given
    # SHIPYARD_PORT: the server's, where the app reads PORT as its database's port (render/listen_port.py)
    for name in ("SHIPYARD_PORT", "PORT"):
        if env.get(name, "").isdigit():
            return int(env[name])
    if exposed:
        return exposed[0]
    raise UsageError("the image exposes no port and sets no PORT", "pass --port N")


def verify_image(engine: Engine, image: str, *, smoke: Sequence[SmokeCheck] = (SmokeCheck("/"),),
                 slow_path: str | None = None, port: int | None = None, health_timeout: float = 120,
                 graceful_timeout: int | None = None, env: dict[str, str] | None = None,
                 network: str | None = None,
                 on_check: Callable[[Check], None] | None = None) -> VerifyReport:
    """Run every check against `image`; the container is always removed. Never raises for a failed check."""
    started = time.monotonic()
    info = engine.image(image)
    image_env = {**info.env, **(env or {})}
    report = VerifyReport(image=image, size=info.size, layers=info.layers)

    def record(name: str, ok: bool | None, detail: str) -> Check:
        check = Check(name, ok, detail)
        report.checks.append(check)
        if on_check is not None:
            on_check(check)
        return check

    report.port = target = _pick_port(info.exposed_ports, image_env, port)
    grace = _graceful_timeout(image_env, graceful_timeout)
    # The image's own health check, run every second instead of its interval (30 s is common).
    container = engine.run(image, ports=[target], env=env, name=f"shipyard-verify-{uuid.uuid4().hex[:10]}",
                           labels={"dev.shipyard.verify": image}, health_interval=1, network=network)
    try:
        host_port = engine.published_port(container, target)
        base_url = f"http://127.0.0.1:{host_port}"
        healthy = _check_health(engine, container, info.healthcheck, base_url, smoke[0].path if smoke else "/",
                                health_timeout, record)
        if healthy:
            for item in smoke:
                _check_smoke(base_url, item, record)
            _check_static(engine, container, base_url, info.labels.get(STATIC_LABEL, ""), record)
            _check_users(engine, container, info.user, record)
            _check_stop(engine, container, base_url, slow_path, grace, record)
        _check_files(engine, container, image, dict(info.env), record)
        if not report.ok:
            report.logs_tail = engine.logs(container, 30)
    finally:
        engine.remove(container)
    report.seconds = time.monotonic() - started
    return report


def _check_health(engine: Engine, container: str, healthcheck: tuple[str, ...], base_url: str,
                  first_path: str, timeout: float, record) -> bool:
    """Wait (bounded) for the engine's health status; an image without HEALTHCHECK fails this check."""
    deadline = time.monotonic() + timeout
    waited_for = "healthy" if healthcheck else "an answer"
    while True:
        state = engine.state(container)
        if not state.running:
            record("health", False, f"the container stopped (status {state.status}, exit code {state.exit_code}"
                                    + (", out of memory" if state.oom_killed else "") + ") before it was healthy")
            return False
        if healthcheck:
            if state.health == "healthy":
                record("health", True, f"healthy after {timeout - (deadline - time.monotonic()):.1f} s")
                return True
            if state.health == "unhealthy":
                record("health", False, "the engine reports the container unhealthy")
                return False
        else:
            try:
                _http_get(base_url + first_path, timeout=5)
                record("health", False, "the image defines no HEALTHCHECK (the app itself answers)")
                return True
            except (OSError, urllib.error.URLError):
                pass
        if time.monotonic() > deadline:
            record("health", False, f"not {waited_for} within {timeout:.0f} s (status {state.health})")
            return False
        time.sleep(0.5)


# Django's page for a bad request (its default 400 view, DEBUG off), above all a Host ALLOWED_HOSTS does not accept
DJANGO_BAD_REQUEST = "<h1>Bad Request (400)</h1>"


def refused_host(body: str) -> bool:
    """Whether a 400 is Django refusing the request's Host: its bad-request page (DEBUG off), or its DisallowedHost
    page (DEBUG on)."""
    return DJANGO_BAD_REQUEST in body or "DisallowedHost" in body or "Invalid HTTP_HOST header" in body


def accepted_url(url: str, timeout: float = 15) -> tuple[str, str | None]:
    """(the URL to open the stack at, a note or None). The stack's nginx passes the browser's Host on (the app
    checks it against the domain it is served under, and builds its links with it): an app that accepts only
    localhost (ALLOWED_HOSTS = ['localhost']) refuses http://127.0.0.1:PORT/ with a 400, and answers the same
    address asked as http://localhost:PORT/, which is then the URL to print, as verify's check asks it."""
    parts = urllib.parse.urlsplit(url)
    try:
        status, body = _http_get(url, timeout=timeout)
        if not (status == 400 and refused_host(body)):
            return url, None
        local = "localhost" + (f":{parts.port}" if parts.port else "")
        again, again_body = _http_get(url, timeout=timeout, host=local)
    except (OSError, urllib.error.URLError):
        return url, None
    if again == 400 and refused_host(again_body):
        return url, (f"the app answers {url} with 400, refusing the Host 127.0.0.1 (Django's ALLOWED_HOSTS): list "
                     "the hosts it is served under there")
    return urllib.parse.urlunsplit(parts._replace(netloc=local)), (
        f"the app refuses the Host 127.0.0.1 and accepts localhost (its ALLOWED_HOSTS): open it as "
        f"http://{local}/ (the stack's nginx passes each request's Host on, as a production proxy must; served under "
        "a domain, list that one)")


def status_hint(status: int, body: str, path: str) -> str:
    """What a failing status most likely means, for the check's line."""
    if status == 404:
        # an API with no page at / answers 404 there: the path to check is the user's to name
        return f" (an app with no page at {path}: name one with --path)"
    if status == 400 and refused_host(body):
        return (" (Django's page for a bad request, most often a host ALLOWED_HOSTS does not accept: the check asks "
                "for 127.0.0.1; list the hosts the image is served under in ALLOWED_HOSTS, or give the variable the "
                "settings read with --env)")
    return ""


def _check_smoke(base_url: str, item: SmokeCheck, record) -> None:
    name = f"GET {item.path}"
    try:
        t0 = time.monotonic()
        status, body = _http_get(base_url + item.path, timeout=15)
        ms = (time.monotonic() - t0) * 1000
    except (OSError, urllib.error.URLError) as exc:
        record(name, False, f"no answer: {exc}")
        return
    under = ""
    if status == 400 and refused_host(body):
        # Django refused the Host 127.0.0.1 (ALLOWED_HOSTS = ['localhost', '.pythonanywhere.com']): asked again under
        # localhost, as `serve` prints the app's URL under a local name it accepts (run/django_hosts.py)
        local = "localhost" + (f":{urllib.parse.urlsplit(base_url).port}" if urllib.parse.urlsplit(base_url).port else "")
        try:
            again, again_body = _http_get(base_url + item.path, timeout=15, host=local)
        except (OSError, urllib.error.URLError):
            again = 0
        if again and not (again == 400 and refused_host(again_body)):
            status, body = again, again_body
            under = (" under Host localhost (the app's ALLOWED_HOSTS accepts localhost, not 127.0.0.1: open it as "
                     "http://localhost:PORT, or list the hosts it is served under)")
    if item.status is not None and status != item.status:
        record(name, False, f"status {status}{under}, expected {item.status}")
    elif item.status is None and status >= 400:
        record(name, False, f"status {status}{under}{status_hint(status, body, item.path)}")
    elif item.contains is not None and item.contains not in body:
        record(name, False, f"status {status}{under}, but the body lacks {item.contains!r}")
    else:
        record(name, True, f"status {status} in {ms:.0f} ms" + (f", contains {item.contains!r}" if item.contains else "")
               + under)


def _check_static(engine: Engine, container: str, base_url: str, label: str, record) -> None:
    """One file of each folder the image's own nginx serves (the label Shipyard's Dockerfile sets) answers
    through it: a folder the build did not make, or an alias nginx cannot read, answers 404 or 403. A folder
    with nothing in it (a committed .gitkeep) has nothing to fetch: said, not failed."""
    pairs = [item.split("=", 1) for item in label.split() if "=" in item]
    if not pairs:
        return
    seen, failed, empty = [], [], []
    for url, folder in pairs:
        code, out = engine.exec(container, ["find", "-L", folder, "-type", "f", "-size", "+0", "-print", "-quit"])
        found = out.strip().splitlines()[0] if code == 0 and out.strip() else ""
        if code != 0:
            failed.append(f"{folder} (served at {url}) is not in the image")
            continue
        if not found.startswith(folder.rstrip("/") + "/"):
            empty.append(f"{folder} (served at {url}) holds no file to fetch")
            continue
        path = url.rstrip("/") + "/" + urllib.parse.quote(found[len(folder.rstrip("/")) + 1:])
        try:
            status, _ = _http_get(base_url + path, timeout=15)
        except (OSError, urllib.error.URLError) as exc:
            status = f"no answer ({exc})"
        (seen if status == 200 else failed).append(f"GET {path}: {status}")
    if failed:
        record("static files", False, "; ".join(failed + seen + empty))
    elif seen:
        record("static files", True, "; ".join(seen) + " through the image's nginx" + "".join("; " + e for e in empty))
    else:
        record("static files", None, "; ".join(empty))


def _check_users(engine: Engine, container: str, image_user: str, record) -> None:
    processes = engine.processes(container)
    root = [p for p in processes if p.uid in ("0", "root")]
    user_name = image_user.split(":")[0]
    if user_name in ROOT_USERS:
        record("non-root", False, f"the image's USER is {image_user or 'unset (root)'}")
    elif root:
        record("non-root", False, f"{len(root)} of {len(processes)} processes run as root: "
                                  + "; ".join(p.command[:60] for p in root[:3]))
    elif not processes:
        record("non-root", False, "no processes found in the container")
    else:
        uids = sorted({p.uid for p in processes})
        record("non-root", True, f"USER {image_user}; {len(processes)} processes, uid {', '.join(uids)}")


def _check_stop(engine: Engine, container: str, base_url: str, slow_path: str | None, grace: int,
                record) -> None:
    """SIGTERM with a request in flight: the request completes, the container exits 0 within `grace` s."""
    result: dict[str, object] = {}

    def slow_request() -> None:
        try:
            result["status"], _ = _http_get(base_url + slow_path, timeout=grace + 15)
        except Exception as exc:  # noqa: BLE001 - any failure is the check's answer
            result["error"] = str(exc) or type(exc).__name__

    worker = None
    if slow_path:
        worker = threading.Thread(target=slow_request, daemon=True)
        worker.start()
        time.sleep(0.7)     # let the request reach the app before the signal
        if not worker.is_alive():
            record("in-flight request", False, f"GET {slow_path} finished before SIGTERM; it is not slow "
                                               f"({result.get('status') or result.get('error')})")
            worker = None
    t0 = time.monotonic()
    engine.signal(container, "SIGTERM")
    code = engine.wait(container, timeout=grace + 1)
    took = time.monotonic() - t0
    if worker is not None:
        worker.join(timeout=grace + 15)
        if "status" in result and int(result["status"]) < 400:
            record("in-flight request", True, f"GET {slow_path} completed with {result['status']} during shutdown")
        else:
            record("in-flight request", False, f"GET {slow_path} during shutdown: "
                                               f"{result.get('error') or 'status %s' % result.get('status')}")
    elif not slow_path:
        record("in-flight request", None, "skipped: no slow path given (--slow-path /slow?seconds=2)")
    if code is None:
        record("SIGTERM exit", False, f"still running {grace} s after SIGTERM (the graceful timeout)")
    elif code != 0:
        record("SIGTERM exit", False, f"exit code {code} after SIGTERM ({took:.1f} s)")
    else:
        record("SIGTERM exit", True, f"exit code 0, {took:.1f} s after SIGTERM (limit {grace} s)")


def _relative(path: str) -> str:
    path = path[2:] if path.startswith("./") else path
    return path.strip("/")


def _check_files(engine: Engine, container: str, image: str, env: dict[str, str], record) -> None:
    try:
        paths, contents = engine.export_files(container, leaks.wants_content)
    except EngineError as exc:
        record("no .git/.env/compiler", False, exc.message)
        record("no secrets", False, exc.message)
        return
    clean = [_relative(p) for p in paths]
    found = []
    for label, pattern in FORBIDDEN:
        hits = [p for p in clean if pattern.search(p)]
        if hits:
            found.append(f"{label} (/{hits[0]})")
    if found:
        record("no .git/.env/compiler", False, "found " + "; ".join(found))
    else:
        record("no .git/.env/compiler", True, f"none among {len(paths)} paths")
    _check_secrets(engine, image, env, clean, contents, record)


def _check_secrets(engine: Engine, image: str, env: dict[str, str], paths: list[str],
                   contents: dict[str, bytes], record) -> None:
    """What a reviewer looks for, and the detail says what was looked at (values are never shown)."""
    try:
        history = engine.history(image)
    except EngineError as exc:
        record("no secrets", False, exc.message)
        return
    found = (leaks.env_findings(env) + leaks.history_findings(history) + leaks.path_findings(paths)
             + leaks.content_findings(contents))
    looked = (f"{len(env)} ENV variables and {len(history)} history steps (secret-looking names with values, "
              f"build arguments, token formats), {len(paths)} paths (.env*, .npmrc, .pypirc, .netrc, "
              f".git-credentials, .aws/credentials, gcloud, .docker/config.json, .kube/config, ssh id_*), "
              f"{len(contents)} small text files read for PRIVATE KEY blocks (*.pem, *.key included)")
    if found:
        shown = "; ".join(found[:8]) + (f"; and {len(found) - 8} more" if len(found) > 8 else "")
        record("no secrets", False, f"found {shown} (checked {looked})")
    else:
        record("no secrets", True, f"none in {looked}")
