"""The lines `shipyard init` would write: fixes are taken from the renderer, never retyped here."""

from __future__ import annotations

import dataclasses
from functools import lru_cache

from ..errors import ShipyardError
from ..plan import Plan


def secrets_file() -> str:
    """The file init keeps compose secrets in (render imports jinja2: loaded only when needed)."""
    from ..render.render import SECRETS_FILE
    return SECRETS_FILE


@lru_cache(maxsize=64)
def _rendered(plan: Plan, name: str) -> str:
    from ..render import render          # jinja2 is only loaded when a finding needs a fix
    try:
        return next(iter(render(plan, only=(name,)).values()))
    except ShipyardError:
        return ""


def line(plan: Plan | None, name: str, starts: str, *, server: str | None = None,
         topology: str | None = None, after: str = "") -> str:
    """The first line of init's `name` (for this plan, server and topology) that starts with `starts`,
    continuation lines joined; "" without a plan."""
    if plan is None:
        return ""
    settings = dict(plan.settings)
    if server in ("gunicorn", "uwsgi", "granian"):
        settings["server"] = server
    if topology in ("bundle", "app", "compose"):
        settings["topology"] = topology
    try:
        hashable = dataclasses.replace(plan, settings=_Frozen(settings))
        text = _rendered(hashable, name)
    except TypeError:
        return ""
    lines = text.splitlines()
    seen_after = not after
    for i, raw in enumerate(lines):
        if not seen_after:
            seen_after = raw.strip().startswith(after)
            continue
        if raw.startswith(starts):
            out = [raw.strip()]
            while out[-1].endswith("\\") and i + 1 < len(lines):
                i += 1
                out.append(lines[i].strip())
            return " ".join(out)
    return ""


class _Frozen(dict):
    """A settings mapping that can key the render cache."""

    def __hash__(self) -> int:                # type: ignore[override]
        return hash(tuple(sorted((k, v if not isinstance(v, list) else tuple(v)) for k, v in self.items())))
