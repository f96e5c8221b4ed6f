"""The services an app uses that serve and dev do not run, said in one line each at the start.

serve brings the app's PostgreSQL (or MariaDB) and Redis from this machine's servers; a MongoDB or RabbitMQ
client (or a SQL Server one: a 2023 Falcon sample's pymssql engine, its /dogs answering 500 with nothing said) it
cannot serve. A 2024 aiohttp Todo-Backend opens motor on MONGO_URI (default mongodb://localhost:27017):
its pages answered 500 after motor's 30 s server selection, with nothing said before. The line names the
service, the package that uses it, the variable the app reads for its address (and that variable's default),
and what to do; nothing is said when that variable is set (the user's own service).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ..detect.deps import normalize
from ..detect.services import env_reads
from ..plan import Dependency, Plan
from ..project import Project


@dataclass(frozen=True)
class _Unrun:
    label: str
    clients: frozenset[str]        # distributions (normalized) that connect to it
    variable: re.Pattern[str]      # the names the app reads its address under
    server: str                    # the server program; "" when this machine's Debian ships none
    why: str                       # why serve runs none
    url: re.Pattern[str]           # an address of it written in the code ("mongodb://localhost:27017/db")


_SERVICES = (
    _Unrun("MongoDB", frozenset({"pymongo", "motor", "mongoengine", "beanie", "odmantic", "flask-pymongo",
                                 "flask-mongoengine", "umongo"}),
           re.compile(r"MONGO", re.I), "", "Debian ships no MongoDB server",
           re.compile(r"""mongodb(?:\+srv)?://[^\s"'<>{}]+""")),
    _Unrun("RabbitMQ", frozenset({"pika", "aio-pika", "aiormq"}),
           re.compile(r"RABBIT|AMQP", re.I), "rabbitmq-server", "serve runs no message broker",
           re.compile(r"""amqps?://[^\s"'<>{}]+""")),
    # pyodbc is left out: it opens any ODBC database, SQL Server or not
    _Unrun("SQL Server", frozenset({"pymssql", "mssql-django", "django-mssql-backend", "django-pyodbc-azure",
                                    "mssql-python"}),
           re.compile(r"MSSQL|SQL_?SERVER", re.I), "", "Debian ships no SQL Server",
           re.compile(r"""mssql(?:\+\w+)?://[^\s"'<>{}]+""")),
)


def unrun_services(plan: Plan, root: Path, environ: Mapping[str, str]) -> list[str]:
    """One line per service the app's dependencies use that serve does not run, unless its variable is set."""
    names = {normalize(d.name): d for d in plan.dependencies}
    reads = env_reads(Project(root))
    out = []
    for service in _SERVICES:
        client = _client(service, names)
        if client is None:
            continue
        read = [r for r in reads if service.variable.search(r.name)]
        if any(r.name in environ for r in read):
            continue
        named = next((r for r in read if r.default_text), read[0] if read else None)
        where = f"; it reads {named.name}" + (f", default {named.default_text}" if named and named.default_text
                                              else "") if named else ""
        installed = service.server and shutil.which(service.server)
        why = f"{service.server} is installed, start it yourself" if installed else service.why
        to_do = f"set {named.name} to one you run" if named else "run one where the app looks for it"
        if not named and (written := _written_url(root, service.url)):
            # MongoClient("mongodb://localhost:27017/") in config.py: no variable to set, the address is the code's
            where = f"; it connects to {written[0]}, written in {written[1]}"
            to_do = "run one there"
        out.append(f"warning: the app uses {service.label} ({client.name}, {client.source}{where}), which serve "
                   f"does not run ({why}): requests that reach it fail until one answers there; {to_do}")
    return out


def _client(service: _Unrun, names: Mapping[str, Dependency]) -> Dependency | None:
    """The client of `service` to name: one the app declares before one found only from an import. A 2023 FastAPI
    app declares motor, which its database module connects with; a models module nothing imports also imports
    beanie, and the line named beanie (first by name) as what uses MongoDB."""
    found = [names[c] for c in sorted(service.clients) if c in names]
    return min(found, key=lambda d: d.inferred, default=None)


def _written_url(root: Path, pattern: re.Pattern[str]) -> tuple[str, str] | None:
    """(the first address of the service the app's Python files write, the file), or None."""
    project = Project(root)
    for rel in project.python_files:
        if not project.is_decoy(rel) and (found := pattern.search(project.scan_text(rel) or "")):
            return found.group(0), rel
    return None


# the exception a client raises when its server does not answer, as the app server's output ends with it
_UNANSWERED = (
    ("MongoDB", re.compile(r"^(?:pymongo\.errors\.)?(?:ServerSelectionTimeoutError|AutoReconnect|ConnectionFailure)"
                           r"\b|^pymongo\.errors\.\w+")),
    ("RabbitMQ", re.compile(r"^(?:pika\.exceptions\.|aiormq\.exceptions\.|aio_pika\.exceptions\.)?"
                            r"(?:AMQPConnectionError|ConnectionClosed|IncompatibleProtocolError)\b")),
)


def unanswered_service(cause: str) -> tuple[str, str] | None:
    """(the service, why serve runs none) when the app server's last exception (`cause`, tree._cause's line) is a
    client of a service serve does not run failing to reach it: motor's `ServerSelectionTimeoutError:
    localhost:27017` in a FastAPI lifespan, after 30 s, was said only as "the server did not answer"."""
    for label, pattern in _UNANSWERED:
        if pattern.search(cause.strip()):
            service = next(s for s in _SERVICES if s.label == label)
            installed = service.server and shutil.which(service.server)
            return label, (f"{service.server} is installed, start it yourself" if installed else service.why)
    return None


def unanswered_under(lines: list[str]) -> tuple[str, str, str] | None:
    """(the exception line, the service, why serve runs none) for the last line of the app server's output that is
    a client of a service serve does not run failing to reach it, when a later error hides it: a Litestar app's
    async exception handler, called with motor's ServerSelectionTimeoutError after 30 s, failed in turn
    ("'coroutine' object has no attribute 'to_asgi_response'"), and serve said only that one."""
    for line in reversed(lines):
        text = line.strip()
        if (found := unanswered_service(text)) is not None:
            return (text, *found)
    return None


def unrun_clients(plan: Plan, root: Path, environ: Mapping[str, str]) -> list[tuple[str, str]]:
    """(service, the client distribution) for each service unrun_services warns of: the app's dependencies use it,
    serve does not run it, and the variable the app reads for its address is not set."""
    names = {normalize(d.name): d for d in plan.dependencies}
    reads = env_reads(Project(root))
    out = []
    for service in _SERVICES:
        client = _client(service, names)
        if client is None or any(r.name in environ for r in reads if service.variable.search(r.name)):
            continue
        out.append((service.label, client.name))
    return out


def unanswered_boot(message: str, clients: list[tuple[str, str]]) -> str:
    """What to add to a boot that timed out ("the server did not answer within 60s: ...") when the app uses a
    service serve does not run (unrun_clients): its first page waits on that client's connection (motor's 30 s
    server selection) and then fails however the app handles it, which the server's last error hides (a Litestar
    app's async exception handler: "'coroutine' object has no attribute 'to_asgi_response'"). "" otherwise."""
    if not clients or "did not answer within" not in message:
        return ""
    named = " and ".join(f"{label} ({client})" for label, client in clients)
    return (f"; the app uses {named}, which serve does not run: a page that reaches "
            f"{'it' if len(clients) == 1 else 'them'} waits on the connection and then fails")
