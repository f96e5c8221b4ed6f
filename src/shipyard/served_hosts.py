"""The values of the variables an app's code puts into Django's ALLOWED_HOSTS (plan.hosts_variables), one rule
for `serve`/`dev` (appconfig.py), `build`'s check of the image, and the stacks (render/): the host names
where each one answers. Here (serve, dev, build's check, the compose stack published on 127.0.0.1):
localhost, 127.0.0.1 and [::1] where the code splits a list, 127.0.0.1 (the address they print) where it
takes one host; on Kubernetes the Ingress's host. A value the user sets always wins."""

from __future__ import annotations

from typing import Iterable

from .plan import Plan

LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")
ONE_HOST = "127.0.0.1"        # where a variable holds one host name only: the address serve and dev print


def hosts_value(separator: str, hosts: tuple[str, ...] = LOCAL_HOSTS, one: str = ONE_HOST) -> str:
    """`hosts` joined as the code splits them ("a,b", "a b"); `one` where the code takes a single host."""
    return separator.join(hosts) if separator else one


def local_hosts_env(plan: Plan) -> dict[str, str]:
    """Each hosts variable of the app with the host names of this machine."""
    return hosts_env(plan.hosts_variables)


def hosts_env(variables: Iterable[tuple[str, str]]) -> dict[str, str]:
    """{name: this machine's host names, joined by the variable's separator} for (name, separator) pairs."""
    return {name: hosts_value(separator) for name, separator in variables}
