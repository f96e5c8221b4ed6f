"""The human-readable report of a plan (`shipyard inspect`)."""

from __future__ import annotations

from .detect.frameworks import FRAMEWORKS
from .plan import Plan

FRAMEWORK_NAMES = {f.name: f.title for f in FRAMEWORKS} | {"wsgi": "plain WSGI callable", "asgi": "plain ASGI callable"}


def plan_report(plan: Plan) -> str:
    e = plan.entry
    lines = [f"app          {plan.name}",
             f"framework    {FRAMEWORK_NAMES.get(plan.framework, plan.framework)} "
             f"({e.interface.upper() if e.interface in ('wsgi', 'asgi') else 'neither WSGI nor ASGI'})",
             f"entry        {e.target}" + (f"  (paste ini {e.paste_ini})" if e.paste_ini else "")]
    if e.settings_module:
        lines.append(f"settings     DJANGO_SETTINGS_MODULE={e.settings_module}")
    if plan.proof is not None:
        p = plan.proof
        lines.append(f"proven       by importing it in {p.environment}" if p.proven
                     else f"not proven   {p.reason} (static answer)")
        lines.extend(f"             {note}" for note in p.notes)
    lines.append(f"run from     {plan.workdir}")
    lines.append(f"python       {plan.python.version}  (from {plan.python.source})")
    server = plan.settings["server"]
    if e.interface == "asgi" and server == "gunicorn":
        server += " with uvicorn workers"
    elif e.interface in ("aiohttp", "sanic") and server == "gunicorn":
        server += f" with {'aiohttp' if e.interface == 'aiohttp' else 'Sanic'}'s worker"
    lines.append(f"server       {server}, topology {plan.settings['topology']}, port {plan.settings['port']}")
    sources = ", ".join(plan.dependency_files) or "none declared"
    lines.append(f"dependencies {len(plan.dependencies)} (declared in: {sources}"
                 + ("; inferred from imports" if plan.dependencies_inferred else "") + ")")
    for d in plan.dependencies:
        lines.append(f"  {d.requirement:<36} {d.source}")
    if plan.services:
        lines.append("services")
        lines.extend(f"  {s.name:<12} {s.reason}" for s in plan.services)
    if plan.env_vars:
        lines.append(f"env vars     {', '.join(plan.env_vars)}")
    if plan.static:
        lines.append("static       " + ", ".join(
            f"{s.url} -> {s.path}" + (" (the settings name no STATIC_ROOT: the image collects there)"
                                      if s.shipyard_root else "") for s in plan.static))
    sp = plan.system_packages
    if sp.build or sp.runtime:
        lines.append(f"system libs  build: {' '.join(sp.build) or '-'}; runtime: {' '.join(sp.runtime) or '-'}")
    for note in plan.notes:
        lines.append(f"note         {note}")
    return "\n".join(lines) + "\n"
