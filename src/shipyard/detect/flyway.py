"""Flyway's SQL migrations: `V<version>__<description>.sql` files that the app's compose file runs with the
flyway image (`image: flyway/flyway`, `command: ... migrate`, the files mounted at /flyway/sql), or that its
flyway.conf / flyway.toml locates. Without them every table is missing and the app's pages answer 500.

Flyway itself is a Java program Shipyard does not have; what `migrate` does with plain SQL files is small:
apply the versioned files not applied yet, in version order, each in a transaction, and record each in
`flyway_schema_history`. The release does that with the app's interpreter and the PostgreSQL driver the app
already has (psycopg, psycopg2 or asyncpg), on DATABASE_URL, in Flyway's own history table with Flyway's
checksum, so a real `flyway migrate` later sees them as applied. Repeatable (`R__`) and Java migrations and
placeholders are Flyway's to run: the release stops with a line saying so.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import PurePosixPath

import yaml

from ..project import Project
from .compose_env import NAMES as COMPOSE_NAMES

VERSIONED = re.compile(r"V(\d+(?:[._]\d+)*)__(.+)\.sql")
IN_CONTAINER = "/flyway/sql"                     # where the flyway image reads its SQL files
_CONF_LOCATION = re.compile(r"^\s*flyway\.locations\s*=\s*filesystem:(\S+)", re.M)
_TOML_LOCATION = re.compile(r"^\s*locations\s*=\s*\[\s*[\"']filesystem:([^\"']+)[\"']", re.M)


def folder(project: Project) -> tuple[str, str] | None:
    """(the folder of the app's Flyway SQL migrations relative to the root, where it is named) when one holds
    versioned files: the compose service running the flyway image mounts it at /flyway/sql, or flyway.conf or
    flyway.toml locates it; else None."""
    for rel, why in (*_compose_mounts(project), *_configured(project)):
        if any(VERSIONED.fullmatch(PurePosixPath(f).name) for f in project.files
               if posixpath.dirname(f) == rel):
            return rel, why
    return None


def _compose_mounts(project: Project) -> list[tuple[str, str]]:
    found = []
    for name in COMPOSE_NAMES:
        if not project.is_file(name):
            continue
        try:
            services = (yaml.safe_load(project.read_text(name)) or {}).get("services")
        except (yaml.YAMLError, AttributeError):
            continue
        for service, body in (services.items() if isinstance(services, dict) else ()):
            if not isinstance(body, dict) or not str(body.get("image", "")).split(":")[0].endswith("flyway/flyway"):
                continue
            for volume in body.get("volumes") or ():
                host, _, inside = str(volume).partition(":")
                if inside.split(":")[0].rstrip("/") == IN_CONTAINER and host.startswith("."):
                    found.append((posixpath.normpath(host), f"{name}'s service {service!r} (the flyway image)"))
    return found


def _configured(project: Project) -> list[tuple[str, str]]:
    found = []
    for name, pattern in (("flyway.conf", _CONF_LOCATION), ("flyway.toml", _TOML_LOCATION)):
        if project.is_file(name):
            for location in pattern.findall(project.read_text(name)):
                found.append((posixpath.normpath(location.split(",")[0]), name))
    found.append(("flyway/sql", "Flyway's folder layout"))
    return found


# The release: `python -c MIGRATE FOLDER`, run with the app's interpreter where the release runs (serve, the
# image's migration step). Flyway's checksum is the CRC32 of the file's lines without their line ends.
MIGRATE = r'''
import os, re, sys, time, zlib
folder = sys.argv[1]
url = re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql://", os.environ["DATABASE_URL"])
versioned = re.compile(r"V(\d+(?:[._]\d+)*)__(.+)\.sql$")
files = sorted((tuple(int(p) for p in re.split(r"[._]", m.group(1))), m.group(1).replace("_", "."),
                m.group(2).replace("_", " "), name)
               for name in os.listdir(folder) for m in [versioned.match(name)] if m)
others = [n for n in os.listdir(folder) if n.endswith(".sql") and not versioned.match(n)]
if others:
    sys.exit("Flyway runs these itself (repeatable or other migrations): " + ", ".join(sorted(others)))

def checksum(text):
    crc = 0
    for i, line in enumerate(text.splitlines()):
        crc = zlib.crc32((line.lstrip("\ufeff") if i == 0 else line).encode(), crc)
    return crc - (1 << 32) if crc >= 1 << 31 else crc

HISTORY = ("CREATE TABLE IF NOT EXISTS flyway_schema_history (installed_rank INT PRIMARY KEY, version VARCHAR(50),"
           " description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL,"
           " checksum INT, installed_by VARCHAR(100) NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT now(),"
           " execution_time INT NOT NULL, success BOOLEAN NOT NULL)")
RECORD = ("INSERT INTO flyway_schema_history VALUES ((SELECT coalesce(max(installed_rank), 0) + 1 FROM"
          " flyway_schema_history), {}, {}, 'SQL', {}, {}, current_user, now(), {}, true)")

def pending():
    """(version, description, file name, its SQL) of each file not applied yet, in version order"""
    for _, version, description, name in files:
        if version not in done:
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                yield version, description, name, f.read()

def applied(name, start):
    print(f"flyway: applied {name} ({int((time.monotonic() - start) * 1000)} ms)", flush=True)

try:
    import psycopg
except ImportError:
    psycopg = None
if psycopg is not None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(HISTORY)
        done = {r[0] for r in conn.execute("SELECT version FROM flyway_schema_history WHERE success").fetchall()}
        for version, description, name, sql in pending():
            start = time.monotonic()
            with conn.transaction():
                conn.execute(sql)          # no parameters: several statements in one go
                conn.execute(RECORD.format(*["%s"] * 5), (version, description, name, checksum(sql),
                                                          int((time.monotonic() - start) * 1000)))
            applied(name, start)
    sys.exit(0)
try:
    import psycopg2
except ImportError:
    psycopg2 = None
if psycopg2 is not None:
    conn = psycopg2.connect(url)
    with conn.cursor() as cur:
        cur.execute(HISTORY)
        conn.commit()
        cur.execute("SELECT version FROM flyway_schema_history WHERE success")
        done = {r[0] for r in cur.fetchall()}
        for version, description, name, sql in pending():
            start = time.monotonic()
            cur.execute(sql)               # psycopg2 opens the transaction; commit below
            cur.execute(RECORD.format(*["%s"] * 5), (version, description, name, checksum(sql),
                                                     int((time.monotonic() - start) * 1000)))
            conn.commit()
            applied(name, start)
    conn.close()
    sys.exit(0)
import asyncio, asyncpg

async def main():
    global done
    conn = await asyncpg.connect(url)
    await conn.execute(HISTORY)
    done = {r[0] for r in await conn.fetch("SELECT version FROM flyway_schema_history WHERE success")}
    for version, description, name, sql in pending():
        start = time.monotonic()
        async with conn.transaction():
            await conn.execute(sql)
            await conn.execute(RECORD.format(*[f"${i}" for i in range(1, 6)]), version, description, name,
                               checksum(sql), int((time.monotonic() - start) * 1000))
        applied(name, start)
    await conn.close()

asyncio.run(main())
'''
