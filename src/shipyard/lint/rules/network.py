"""Rules across files: nginx and the servers it passes to, what faces clients, health checks."""

from __future__ import annotations

import re

from .. import reference
from ..model import Example, Rule
from ..readers.python import path_matches
from ..setup import Listener, PassTarget, Process, Setup, host_kind

_HTTP_SERVERS = ("gunicorn", "uwsgi", "granian", "uvicorn", "hypercorn", "daphne", "waitress", "flask-run",
                 "runserver")


def _servers(s: Setup, container: str) -> list[tuple[Process, list[Listener]]]:
    return [(p, s.listeners(p)) for p in s.processes if p.container == container and p.cmd.program in _HTTP_SERVERS]


def _reaches(target: PassTarget, listener: Listener, same_container: bool, service: str = "") -> bool:
    if target.address.startswith("unix:"):
        return listener.unix == target.address[5:]
    if listener.unix is not None:
        return False
    host, _, port = target.address.rpartition(":")
    if listener.port not in (port, "?"):
        return False
    if same_container:
        return host_kind(host) in ("loopback", "name") or host_kind(listener.host) == "any"
    return host_kind(listener.host) == "any"


def _resolve(s: Setup, target: PassTarget, context: str):
    """(container the target lands in, same container as nginx?) or None when it leaves what lint knows."""
    if target.address.startswith("unix:"):
        return context, True
    host = target.address.rpartition(":")[0].strip("[]")
    if host_kind(host) == "loopback":
        return context, True
    services = {name for c in s.composes.values() for name in c.services}
    if host in services:
        return f"service:{host}", f"service:{host}" == context
    return None


def _pairs(s: Setup):
    """(nginx target, its context, landing container, same?, servers there)."""
    for rel in s.nginx:
        for target in s.pass_targets(rel):
            for context in s.nginx_contexts[rel]:
                landing = _resolve(s, target, context)
                if landing is None:
                    continue
                container, same = landing
                yield target, context, container, same, _servers(s, container)


def pass_to_nothing(s: Setup):
    services = {name for c in s.composes.values() for name in c.services}
    for rel in s.nginx:
        for target in s.pass_targets(rel):
            host = target.address.rpartition(":")[0]
            if target.address.startswith("unix:") or host_kind(host) != "name" or not services:
                continue
            if any(ctx.startswith("service:") for ctx in s.nginx_contexts[rel]) and host not in services:
                yield (rel, target.line, f"`{target.directive}` goes to {target.address}, but no compose service "
                       f"is called {host}", f"use one of the services: {', '.join(sorted(services))}")
    for target, context, container, same, servers in _pairs(s):
        if container.startswith("service:") and not same and not servers:
            service = container.split(":", 1)[1]
            exposed = _service_ports(s, service)
            port = target.address.rpartition(":")[2]
            if exposed and port not in exposed:
                yield (target.path, target.line, f"`{target.directive}` goes to port {port} of {service}, which "
                       f"only declares {', '.join(sorted(exposed))}", f"pass to {service}:{sorted(exposed)[0]}")


def _service_ports(s: Setup, service: str) -> set[str]:
    for c in s.composes.values():
        if service in c.services:
            svc = c.services[service]
            ports = {str(t) for _, t, _ in svc.ports()}
            ports |= {str(e).split("/")[0] for e in svc.data.get("expose") or []}
            return ports
    return set()


PASS_TO_NOTHING = Rule(
    "SY301", "pass-to-nothing", "error",
    "nginx passes requests to a host or port nothing listens on",
    "every request through nginx answers 502 Bad Gateway; the app itself looks healthy, so the failure "
    "shows only from outside.",
    pass_to_nothing,
    Example({"compose.yaml": "services:\n  web:\n    image: myapp\n    expose: [\"8000\"]\n  nginx:\n    image: nginx:1.27\n"
             "    volumes:\n      - ./nginx.conf:/etc/nginx/conf.d/default.conf:ro\n",
             "nginx.conf": "server {\n    listen 80;\n    location / {\n        proxy_pass http://web:5000;\n    }\n}\n"},
            {"compose.yaml": "services:\n  web:\n    image: myapp\n    expose: [\"8000\"]\n  nginx:\n    image: nginx:1.27\n"
             "    volumes:\n      - ./nginx.conf:/etc/nginx/conf.d/default.conf:ro\n",
             "nginx.conf": "server {\n    listen 80;\n    location / {\n        proxy_pass http://web:8000;\n    }\n}\n"},
            at=("nginx.conf", 4)),
    files="nginx, compose")


def bind_unreachable(s: Setup):
    for target, context, container, same, servers in _pairs(s):
        listeners = [(p, l) for p, ls in servers for l in ls]
        if not listeners or any(_reaches(target, l, same) for _, l in listeners):
            continue
        for p, l in listeners:
            if "?" in l.address:
                break
            where = "inside its own container" if not same and host_kind(l.host) == "loopback" else ""
            fix = reference.line(s.plan, "gunicorn.conf.py", "bind =", server="gunicorn",
                                 topology="compose" if not same else "bundle") if p.cmd.program == "gunicorn" else ""
            want = target.address if target.address.startswith("unix:") else \
                f"0.0.0.0:{target.address.rpartition(':')[2]}"
            yield (l.path, l.line, f"{p.cmd.program} listens on {l.address}{' (its default)' if l.implicit else ''}"
                   f"{' ' + where if where else ''}, but {target.path}:{target.line} passes to {target.address}",
                   f"listen on {want}" + (f" (shipyard init writes: {fix})" if fix else ""))
            break


BIND_UNREACHABLE = Rule(
    "SY302", "bind-unreachable", "error",
    "the app server listens where nginx does not connect",
    "nginx answers 502 to every request: gunicorn's default is 127.0.0.1:8000, which another container "
    "(nginx in compose) cannot reach, and a socket path or port that differs from nginx's is never found.",
    bind_unreachable,
    Example({"compose.yaml": "services:\n  web:\n    build: .\n  nginx:\n    image: nginx:1.27\n"
             "    volumes:\n      - ./nginx.conf:/etc/nginx/conf.d/default.conf:ro\n",
             "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nUSER 1000\nCMD [\"gunicorn\", \"wsgi:application\"]\n",
             "nginx.conf": "server {\n    listen 80;\n    location / {\n        proxy_pass http://web:8000;\n    }\n}\n"},
            {"compose.yaml": "services:\n  web:\n    build: .\n  nginx:\n    image: nginx:1.27\n"
             "    volumes:\n      - ./nginx.conf:/etc/nginx/conf.d/default.conf:ro\n",
             "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nUSER 1000\n"
             "CMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"wsgi:application\"]\n",
             "nginx.conf": "server {\n    listen 80;\n    location / {\n        proxy_pass http://web:8000;\n    }\n}\n"},
            at=("Dockerfile", 4)),
    seeds=("004",), files="nginx, compose, Dockerfile, gunicorn, uWSGI")


def protocol_mismatch(s: Setup):
    for target, context, container, same, servers in _pairs(s):
        for p, listeners in servers:
            for l in listeners:
                if _reaches(target, l, same) and l.protocol != target.protocol:
                    speaks = "uWSGI's binary protocol" if l.protocol == "uwsgi" else "HTTP"
                    yield (target.path, target.line, f"`{target.directive}` speaks {target.protocol}, but "
                           f"{p.cmd.program} ({l.path}:{l.line}) speaks {speaks} there",
                           "uwsgi_pass to a uWSGI `socket`, proxy_pass to an `http-socket` or any HTTP server")


PROTOCOL_MISMATCH = Rule(
    "SY303", "protocol-mismatch", "error",
    "nginx and the app server speak different protocols on the same socket",
    "nginx gets answers it cannot parse and returns 502 for every request.",
    protocol_mismatch,
    Example({"nginx.conf": "server {\n    listen 80;\n    location / {\n        uwsgi_pass 127.0.0.1:8000;\n"
             "        include uwsgi_params;\n    }\n}\n",
             "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nCOPY nginx.conf /etc/nginx/conf.d/\nUSER 1000\n"
             "CMD [\"supervisord\", \"-c\", \"/app/supervisord.conf\"]\n",
             "supervisord.conf": "[supervisord]\nnodaemon = true\n\n[program:app]\ncommand = gunicorn -b 127.0.0.1:8000 app:app\n"},
            {"nginx.conf": "server {\n    listen 80;\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n"
             "    }\n}\n",
             "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nCOPY nginx.conf /etc/nginx/conf.d/\nUSER 1000\n"
             "CMD [\"supervisord\", \"-c\", \"/app/supervisord.conf\"]\n",
             "supervisord.conf": "[supervisord]\nnodaemon = true\n\n[program:app]\ncommand = gunicorn -b 127.0.0.1:8000 app:app\n"},
            at=("nginx.conf", 4)),
    files="nginx, uWSGI, gunicorn, supervisord")


def _sync_gunicorn(s: Setup, p: Process) -> bool:
    if p.cmd.program != "gunicorn":
        return False
    rel, conf = s.server_config(p)
    klass = p.cmd.opt("worker_class") or (conf.settings["worker_class"].constant
                                          if conf and "worker_class" in conf.settings else None)
    threads = p.cmd.opt("threads") or (conf.settings["threads"].source if conf and "threads" in conf.settings else "")
    return klass in (None, "sync") and not (str(threads).isdigit() and int(threads) > 1)


def _proxied(s: Setup, p: Process) -> PassTarget | None:
    for target, context, container, same, servers in _pairs(s):
        if any(q is p and any(_reaches(target, l, same) for l in ls) for q, ls in servers):
            return target
    return None


def bare_sync(s: Setup):
    for p in s.processes:
        if not _sync_gunicorn(s, p) or not p.published:
            continue
        listeners = s.listeners(p)
        if not any(host_kind(l.host) == "any" for l in listeners):
            continue
        if all(l.port_from_env for l in listeners) and not p.container.startswith("service:"):
            continue                    # listens on $PORT: a platform's router (Heroku, Cloud Run) is in front
        if _proxied(s, p) is not None and not p.container.startswith("service:"):
            continue
        if _proxied(s, p) is not None and p.container.startswith("service:"):
            ports = {str(t) for c in s.composes.values() for name, svc in c.services.items()
                     if f"service:{name}" == p.container for _, t, _ in svc.ports()}
            if not any(l.port in ports for l in listeners):
                continue
        yield (p.path, p.line, "gunicorn's sync workers face clients directly (no buffering proxy in front)",
               "put nginx in front (proxy_buffering on) and publish only nginx; shipyard init --topology bundle "
               "or compose writes that setup")


BARE_SYNC = Rule(
    "SY304", "bare-sync-server", "error",
    "gunicorn's sync workers face the clients with no buffering proxy in front",
    "a sync worker is busy for as long as its client takes to send the request and read the answer: a few "
    "hundred slow clients (mobile networks, or an attacker) hold every worker, and the app stops answering "
    "(measured: 0 requests/s under 200 slow clients). A server on $PORT outside compose is taken to sit "
    "behind a platform's router (Heroku, Cloud Run, Render assign PORT) and is not reported.",
    bare_sync,
    Example({"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nUSER 1000\nEXPOSE 8000\n"
             "CMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"-w\", \"4\", \"run:app\"]\n"},
            {"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nUSER 1000\nEXPOSE 8000\n"
             "CMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"-k\", \"gthread\", \"--threads\", \"8\", \"run:app\"]\n"},
            at=("Dockerfile", 5)),
    seeds=("000", "001"), files="Dockerfile, compose, gunicorn, nginx")


def buffering_off(s: Setup):
    for target, context, container, same, servers in _pairs(s):
        if target.buffering_off and any(p.cmd.program in ("gunicorn", "uwsgi") for p, _ in servers):
            path, line = target.buffering_off
            fix = reference.line(s.plan, "nginx.conf", "            proxy_buffering" if target.protocol == "http"
                                 else "            uwsgi_buffering", server="uwsgi" if target.protocol == "uwsgi"
                                 else "gunicorn", topology="bundle")
            yield (path, line, "buffering is off in front of a server with a worker per request",
                   fix.strip() or "proxy_buffering on;")


BUFFERING_OFF = Rule(
    "SY305", "proxy-buffering-off", "warning",
    "nginx passes answers through unbuffered to a server with a worker per request",
    "without buffering each worker stays busy until the slowest client has read the whole answer, which "
    "is what nginx in front was meant to prevent.",
    buffering_off,
    Example({"nginx.conf": "server {\n    listen 80;\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n"
             "        proxy_buffering off;\n    }\n}\n",
             "supervisord.conf": "[supervisord]\nnodaemon = true\n\n[program:app]\ncommand = gunicorn -b 127.0.0.1:8000 app:app\n"},
            {"nginx.conf": "server {\n    listen 80;\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n"
             "    }\n}\n",
             "supervisord.conf": "[supervisord]\nnodaemon = true\n\n[program:app]\ncommand = gunicorn -b 127.0.0.1:8000 app:app\n"},
            at=("nginx.conf", 5)),
    seeds=("004",), files="nginx, gunicorn, uWSGI")


_URL = re.compile(r"https?://[^/\s\"']+(/[^\s\"'|;)]*)?")


def _health_checks(s: Setup):
    for d in s.dockerfiles.values():
        ins = d.last("HEALTHCHECK")
        if ins is not None:
            yield d.path, ins.line, ins.args
    for c in s.composes.values():
        for svc in c.services.values():
            test = (svc.data.get("healthcheck") or {}).get("test") if isinstance(svc.data.get("healthcheck"), dict) else None
            if test and not _OTHER_IMAGE.match(svc.image or ""):
                yield c.path, svc.at("healthcheck", "test"), " ".join(map(str, test)) if isinstance(test, list) else str(test)


_OTHER_IMAGE = re.compile(r"^(nginx|postgres|mysql|mariadb|redis|mongo)")


def _health_url(s: Setup, text: str) -> str | None:
    m = _URL.search(text)
    if m:
        return m.group(1) or "/"
    return None


def _fails_on_404(text: str) -> bool:
    """curl only fails on an HTTP error with -f/--fail; wget and Python's urllib always do."""
    if re.search(r"\bcurl\b", text):
        return bool(re.search(r"(^|\s)(--fail|-[a-zA-Z]*f[a-zA-Z]*)(\s|$)", text))
    return True


def health_path(s: Setup):
    if s.plan is None or s.plan.framework in ("wsgi", "asgi", "dash", "pyramid"):
        return
    modules = s.python_modules.values()
    routes = [r for m in modules for r in m.routes]
    regexes = [r for m in modules for r in m.regexes]
    prefixes = [""] + [p for m in modules for p in m.prefixes]
    served = [st.url for st in s.plan.static]
    for conf in s.nginx.values():
        served += [d.args[-1] for d in conf.find("location") if d.args and d.args[0] == "="]
    if not routes and not regexes:
        return
    for path, line, text in _health_checks(s):
        url = _health_url(s, text)
        if url is None or not _fails_on_404(text):
            continue
        bare = url.split("?")[0]
        if any(bare.startswith(x.rstrip("/") + "/") or bare == x for x in served if x):
            continue
        if any(path_matches(bare, pre.rstrip("/") + r) for r in routes for pre in prefixes):
            continue
        if any(re.fullmatch(rx.lstrip("^").rstrip("$"), bare.lstrip("/")) for rx in regexes if _safe(rx)):
            continue
        yield (path, line, f"the health check requests {bare}, which the app does not route",
               "point the check at a path the app answers (health_path under [tool.shipyard]), or add that route")


def _safe(rx: str) -> bool:
    try:
        re.compile(rx)
        return True
    except re.error:
        return False


HEALTH_PATH = Rule(
    "SY306", "health-path-not-routed", "warning",
    "the health check asks for a path the app does not route",
    "the check gets 404 (or a redirect) for ever: the container is marked unhealthy and restarted or never "
    "receives traffic, although the app works.",
    health_path,
    Example({"app.py": "from flask import Flask\napp = Flask(__name__)\n\n@app.route(\"/\")\ndef index():\n"
             "    return \"hi\"\n",
             "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nUSER 1000\n"
             "HEALTHCHECK CMD curl -f http://localhost:8000/healthz || exit 1\n"
             "CMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]\n"},
            {"app.py": "from flask import Flask\napp = Flask(__name__)\n\n@app.route(\"/\")\ndef index():\n"
             "    return \"hi\"\n",
             "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nUSER 1000\n"
             "HEALTHCHECK CMD curl -f http://localhost:8000/ || exit 1\n"
             "CMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]\n"},
            at=("Dockerfile", 4)),
    files="Dockerfile HEALTHCHECK, compose healthcheck, the app's routes")

RULES = (PASS_TO_NOTHING, BIND_UNREACHABLE, PROTOCOL_MISMATCH, BARE_SYNC, BUFFERING_OFF, HEALTH_PATH)


def _published_ports(s: Setup, p: Process) -> set[str]:
    """Container ports clients can reach: the compose service's `ports`, or the image's EXPOSE when it runs
    alone (docker run -p)."""
    if p.container.startswith("service:"):
        name = p.container.split(":", 1)[1]
        return {str(t) for c in s.composes.values() if name in c.services for _, t, _ in c.services[name].ports()}
    if p.container.startswith("image:") and p.published:
        d = s.dockerfiles.get(p.container.split(":", 1)[1])
        return {w.split("/")[0] for ins in (d.final("EXPOSE") if d else []) for w in ins.args.split()}
    return set()


def internals_published(s: Setup):
    for p in s.processes:
        if p.cmd.program != "uwsgi":
            continue
        ports = _published_ports(s, p)
        if not ports:
            continue
        for l in s.listeners(p):
            if l.protocol == "uwsgi" and host_kind(l.host) == "any" and l.port in ports:
                yield (l.path, l.line, f"uWSGI's binary socket ({l.address}) is published: anyone who reaches port "
                       f"{l.port} speaks the uwsgi protocol to it", "keep the socket inside the container network "
                       "(no `ports` for it; nginx reaches it by service name) or on a unix socket")
        rel, conf = s.server_config(p)
        section = conf.section("uwsgi") if conf else None
        stats = [(v, rel, n) for k, v, n in (section.items if section else []) if k == "stats"]
        stats += [(v, p.path, p.line) for v in p.cmd.options.get("stats", [])]
        for value, path, line in stats:
            host, _, port = value.rpartition(":")
            if port in ports and host_kind(host) == "any":
                yield (path, line, f"uWSGI's stats server ({value}) is published on port {port}",
                       "stats on a unix socket (stats = /tmp/uwsgi-stats.sock), read with uwsgitop inside the "
                       "container")


INTERNALS_PUBLISHED = Rule(
    "SY307", "internals-published", "error",
    "uWSGI's binary socket or its stats server is published to clients",
    "the uwsgi protocol lets whoever sends it set variables such as UWSGI_FILE, which load and run code; the "
    "stats server gives away the workers, requests and memory of the app. Only nginx should reach the socket.",
    internals_published,
    Example({"compose.yaml": "services:\n  web:\n    build: .\n    ports:\n      - \"5000:5000\"\n",
             "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nUSER 1000\nCMD [\"uwsgi\", \"app.ini\"]\n",
             "app.ini": "[uwsgi]\nmodule = wsgi\nsocket = :5000\ndie-on-term = true\n"},
            {"compose.yaml": "services:\n  web:\n    build: .\n    expose:\n      - \"5000\"\n",
             "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nUSER 1000\nCMD [\"uwsgi\", \"app.ini\"]\n",
             "app.ini": "[uwsgi]\nmodule = wsgi\nsocket = :5000\ndie-on-term = true\n"},
            at=("app.ini", 3)),
    seeds=("004",), files="uWSGI, compose, Dockerfile EXPOSE")

RULES = RULES + (INTERNALS_PUBLISHED,)


def error_log_off(s: Setup):
    for rel, conf in s.nginx.items():
        for d in conf.find("error_log"):
            if d.args[:1] == ["off"]:
                fix = reference.line(s.plan, "nginx.conf", "error_log", topology="bundle")
                yield (rel, d.line, "`error_log off` does not turn the error log off: nginx writes it to a file "
                       "named \"off\"", fix or "error_log stderr warn;")


ERROR_LOG_OFF = Rule(
    "SY308", "nginx-error-log-off", "warning",
    "nginx's error log goes to a file named \"off\"",
    "error_log has no `off`: nginx writes its errors (upstream failures, 502 causes) into a file called off "
    "in its prefix folder, which nobody reads and which grows inside the container.",
    error_log_off,
    Example({"nginx.conf": "events {}\nhttp {\n    server {\n        listen 80;\n        error_log off;\n    }\n}\n"},
            {"nginx.conf": "events {}\nhttp {\n    server {\n        listen 80;\n        error_log stderr warn;\n    }\n}\n"},
            at=("nginx.conf", 5)),
    seeds=("003",), files="nginx")

RULES = RULES + (ERROR_LOG_OFF,)
