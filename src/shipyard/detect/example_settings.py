"""Settings the app requires that only its example env file (or the `.env` its README shows) gives a value for.

`DB_ECHO: bool = os.getenv('DB_ECHO')` in a settings class, with `DB_ECHO=True` in the README's .env block: unset, the
app does not start (the class refuses None). serve takes the example's value for a run here (appconfig.py); the
image's check and the compose stack's secrets file (shipyard.env, made once, the deployer's to edit) now start from
it too, and say so. Left out: secrets (the deployer's to choose; signing keys get a random one elsewhere), hosts,
ports, URLs and debug switches (the stack and the check set their own), and values naming a host; but a SQLite
file's URL is taken (nothing else gives the app its database)."""

from __future__ import annotations

import re

from ..project import Project
from . import envfile
from .services import env_reads

_NOT_TAKEN = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|CREDENTIAL|DEBUG|^FLASK_ENV$|^PORT$|^SERVER_NAME$|"
                        r"(?:^|_)(?:KEY|PASS|PWD|HOST|HOSTS|PORT|URL|URI|DSN|DOMAIN|ORIGINS?)$")
_SQLITE_URL = re.compile(r"sqlite(?:\+\w+)?:///")
_SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|CREDENTIAL")
_HOST_VALUE = re.compile(r"://|^(?:localhost|127\.0\.0\.1|0\.0\.0\.0|db|redis|postgres|mysql)(?::\d+)?$")


def example_settings(project: Project, workdir: str, entry_module: str | None) -> tuple[tuple[str, str, str], ...]:
    """(name, value, where it comes from) for each variable the code reads only with no default and never tests
    that the app's example env file, or its README's .env, gives a value, in the file's order."""
    found = envfile.for_app(project, workdir, entry_module)
    if found is None:
        return ()
    reads: dict[str, list] = {}
    for read in env_reads(project):
        reads.setdefault(read.name, []).append(read)
    out = []
    for name, value in found.values:
        # a settings class's field whose default is the read itself (`DB_ECHO: bool = os.getenv('DB_ECHO')`) is
        # two reads on one line: the field's, with that default, and os.getenv's, with none
        bare = {(r.path, r.line) for r in reads.get(name, ()) if not r.default}
        if not value or name not in reads or any((r.default and (r.path, r.line) not in bare) or r.tested
                                                 for r in reads[name]):
            continue
        if _SQLITE_URL.match(value.strip()) and not _SECRET_NAME.search(name):
            # a SQLite file's URL (`DATABASE_URI=sqlite:///db.sqlite3`, read with os.environ.get and no default
            # into SQLALCHEMY_DATABASE_URI): no host, no secret, and nothing the stack or the check sets instead
            out.append((name, value, found.described))
            continue
        if _NOT_TAKEN.search(name) or _HOST_VALUE.search(value.strip()):
            continue
        out.append((name, value, found.described))
    return tuple(out)
