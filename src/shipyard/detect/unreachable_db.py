"""The database host a Django project's settings write that is neither this machine nor a compose service:
the author's own server (`'HOST': '10.1.69.162'`, a MySQL on their office network, in a 2015 DRF backend).

serve's own database cannot stand in for it (the settings name it, no variable moves it), so the migration fails on
the connection ("Lost connection to server at 'handshake: reading initial communication packet'"), and the bare
error said nothing of why. The failure's message names the host and the line that writes it instead.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from ..project import Project
from .code_hosts import service_host
from .source import parsed
from .written_db import LOCAL_HOSTS, _literal_dict, _module_constants, _value_of

# a driver's words for a server it could not reach (MySQLdb's 2003/2013, libpq's, a resolver's)
CONNECTION_FAILED = re.compile(r"Lost connection to (?:MySQL )?server|Can't connect to (?:MySQL )?server|"
                               r"could not connect to server|connection to server at .* failed|Connection refused|"
                               r"could not translate host name|Name or service not known|timed? ?out", re.I)
_ENGINES = {"mysql": "MySQL", "postgresql": "PostgreSQL", "postgis": "PostgreSQL"}


@dataclass(frozen=True)
class RemoteHost:
    rel: str
    line: int
    host: str
    database: str    # "MySQL", "PostgreSQL"

    def hint(self) -> str:
        return (f"{self.rel}:{self.line} connects to {self.database} at {self.host} (DATABASES HOST), a server of the "
                f"app's author that this machine cannot reach: set HOST to a server you run (or '' for serve's own "
                f"{self.database}) and run again")


def remote_host(project: Project) -> RemoteHost | None:
    """The first settings module whose DATABASES["default"] writes a HOST that is not this machine's (nor a compose
    service's name, which serve maps to its own server), with an engine serve runs; None otherwise."""
    for rel, tree in sorted(parsed(project).items()):
        constants = _module_constants(tree)
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "DATABASES" for t in node.targets) \
                    and isinstance(node.value, ast.Dict):
                default = _literal_dict(_value_of(node.value, "default"), constants) or {}
                host, engine = default.get("HOST"), default.get("ENGINE")
                name = next((v for k, v in _ENGINES.items() if isinstance(engine, str) and k in engine), None)
                if name and isinstance(host, str) and host.strip() and host not in LOCAL_HOSTS \
                        and not service_host(host):
                    return RemoteHost(rel, node.lineno, host, name)
    return None


def failed_on_connection(errors: str) -> bool:
    return CONNECTION_FAILED.search(errors) is not None
