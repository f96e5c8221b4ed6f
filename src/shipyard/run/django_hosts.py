"""The host names a Django app answers under `serve`, as its own settings compute ALLOWED_HOSTS.

serve gives the variables the code reads into ALLOWED_HOSTS this machine's names (appconfig.py), but the value
can come from elsewhere: an example env file's `ALLOWED_HOSTS=localhost` (taken, as it accepts a local name), an
app's own `.env` read by django-environ or python-decouple, or a list written in the settings. An app that
accepts localhost and not 127.0.0.1 answered 400 (Bad Request) at the address serve printed. So serve reads the
list with the app's interpreter and environment, and asks Django's own `validate_host` which of this machine's
names it accepts: when 127.0.0.1 is not one, serve prints the URL of one that is (localhost), and nginx passes
the app a Host it accepts for requests under any other name (Target.app_host).
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

from ..plan import Plan
from .appenv import AppEnv
from .django_overlay import LOCAL_HOSTS, app_settings, overlaid
from .django_script import last_json, run_with_settings
from .django_static import is_django

SERVED = "127.0.0.1"          # the address serve prints, unless the app does not accept it
LOCAL_NAMES = (SERVED, "localhost", "[::1]")
# a host name nginx can write as it is (ALLOWED_HOSTS may hold anything)
_HOST_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")

# Django's own names for an empty ALLOWED_HOSTS under DEBUG (HttpRequest.get_host)
DEBUG_LOCAL_HOSTS = [".localhost", "127.0.0.1", "[::1]"]

# prints {"allowed": ALLOWED_HOSTS, "local": the local names it accepts, "other": the first other host it accepts}
_PROBE = """\
from django.conf import settings
from django.http.request import validate_host
allowed = [str(h) for h in settings.ALLOWED_HOSTS]
if settings.DEBUG and not allowed:      # as HttpRequest.get_host does
    allowed = """ + repr(DEBUG_LOCAL_HOSTS) + """
names = sys.argv[1:]
other = next((h.lstrip(".") for h in allowed if h.lstrip(".") and "*" not in h and validate_host(h.lstrip("."), allowed)),
             None)
print(json.dumps({"allowed": allowed, "local": [n for n in names if validate_host(n, allowed)], "other": other}))
"""


@dataclass(frozen=True)
class AcceptedHosts:
    allowed: tuple[str, ...]       # ALLOWED_HOSTS as the settings compute it
    local: tuple[str, ...]         # which of LOCAL_NAMES it accepts
    other: str | None = None       # the first host it names that it accepts (example.com for ".example.com")

    @property
    def url_host(self) -> str:
        """The host of the URL serve prints: 127.0.0.1, or localhost when the app accepts only that one."""
        return SERVED if SERVED in self.local or "localhost" not in self.local else "localhost"

    @property
    def pass_host(self) -> str | None:
        """The Host nginx gives a request under a name the app refuses; None when it accepts 127.0.0.1."""
        if SERVED in self.local:
            return None
        if "localhost" in self.local:
            return "localhost"
        return self.other if self.other and _HOST_NAME.fullmatch(self.other) else None


def accepted_hosts(plan: Plan, root: Path, env: AppEnv, *, environ: Mapping[str, str] | None,
                   timeout: float = 120) -> AcceptedHosts | None:
    """What the app's settings accept, read with its interpreter; None for another framework, or when the
    settings cannot be read (the server reports that better)."""
    if not is_django(plan):
        return None
    try:
        done = run_with_settings(plan, root, env, _PROBE, *LOCAL_NAMES, environ=environ, timeout=timeout)
        found = last_json(done)
    except (subprocess.TimeoutExpired, ValueError):
        return None
    if not isinstance(found, dict) or not isinstance(found.get("allowed"), list):
        return None
    other = found.get("other")
    return AcceptedHosts(tuple(map(str, found["allowed"])), tuple(map(str, found.get("local") or ())),
                         other if isinstance(other, str) else None)


def say_hosts(hosts: AcceptedHosts | None, port: int, nginx: bool, say: Callable[[str], None]) -> None:
    """One line when the app refuses 127.0.0.1: where serve answers, and what nginx passes it."""
    if hosts is None or SERVED in hosts.local:
        return
    listed = f"ALLOWED_HOSTS = {list(hosts.allowed)!r}"
    if hosts.pass_host is None:
        say(f"warning: the app's settings accept none of this machine's names ({listed}): it answers 400 (Bad "
            f"Request) to every request here; set ALLOWED_HOSTS to include localhost and 127.0.0.1")
    elif hosts.pass_host == "localhost":
        say(f"the app accepts localhost and not 127.0.0.1 ({listed}): serve answers at http://localhost:{port}/"
            + (f"; nginx passes Host localhost:{port} to the app for requests under another name" if nginx else
               "; without nginx, a request to 127.0.0.1 answers 400 (Bad Request)"))
    elif nginx:
        say(f"the app accepts none of this machine's names ({listed}): nginx passes it Host "
            f"{hosts.pass_host}:{port}, so it answers here; its links may name {hosts.pass_host}")
    else:
        say(f"warning: the app accepts none of this machine's names ({listed}): without nginx, which would pass "
            f"it Host {hosts.pass_host}, it answers 400 (Bad Request) here; add localhost to ALLOWED_HOSTS")


def with_local_hosts(plan: Plan, root: Path, env: AppEnv, environ: Mapping[str, str], hosts: AcceptedHosts | None,
                     say: Callable[[str], None]) -> tuple[Mapping[str, str], AcceptedHosts | None]:
    """Settings whose ALLOWED_HOSTS is empty with DEBUG off (startproject's `[]` left as it was, while DEBUG is read
    from the environment) accept no host: every page answers 400 under serve, which runs with DEBUG off. serve
    gives them the local names Django accepts under DEBUG, through settings of its own that import the app's
    (in Shipyard's folder for the app, never the app's); the image and stacks keep the app's list. The
    environment and hosts to serve with: unchanged when the list is not empty or the overlay does not take."""
    settings = app_settings(plan, environ)
    if hosts is None or hosts.allowed or hosts.local or not settings or plan.entry.django_configuration:
        return environ, hosts
    given, path = overlaid(plan, root, environ, {LOCAL_HOSTS: json.dumps(DEBUG_LOCAL_HOSTS)})
    local = accepted_hosts(plan, root, env, environ=given)
    if local is None or SERVED not in local.local:
        return environ, hosts
    say(f"the app's settings ({settings}) give ALLOWED_HOSTS = [] with DEBUG off, which accepts no host: serve "
        f"gives it the local names Django accepts under DEBUG ({', '.join(DEBUG_LOCAL_HOSTS)}) through settings "
        f"of its own that import the app's ({path}); set ALLOWED_HOSTS to your domain for "
        f"production: the image keeps the app's list")
    return given, local
