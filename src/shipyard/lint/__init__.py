"""`shipyard lint`: the production files people already wrote, checked against the seeds' mistakes.

readers/ parse each kind of file; setup.py assembles what they say (processes, containers, listeners)
with the app's plan; rules/ are small functions over that; report.py prints table, JSON or SARIF.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..errors import AppLoadError, AppNotFound, SettingError, ShipyardError
from ..plan import Plan
from ..planner import make_plan
from ..project import Project
from . import hadolint
from .config import LintConfig, from_project
from .discover import discover
from .model import Finding, Result
from .rules import BY_ID, RULES
from .setup import Setup

__all__ = ["lint", "LintConfig", "Result", "Finding", "RULES"]


def lint(root: str | Path, *, config: LintConfig | None = None, use_hadolint: bool | None = None,
         plan: Plan | None = None) -> Result:
    """Lint the folder `root`. `use_hadolint` None: as the config says (and only when installed). `plan`:
    the app's plan when the caller has it already (else detected statically here)."""
    project = Project(root)
    if config is None:
        config = from_project(project)
    result = Result(str(project.root))
    files = discover(project, config.exclude)
    result.files = dict(files)
    try:
        # static detection only: no import, no installed packages (a fresh clone, well under a second)
        plan = plan or make_plan(project.root, confirm=False, installed=False)
    except (AppNotFound, AppLoadError) as exc:
        result.notes.append(f"no app plan ({exc.message}): rules that need the app's code were skipped")
    except SettingError:
        raise
    except ShipyardError as exc:
        result.notes.append(f"no app plan ({exc.message})")
    setup = result.setup = Setup(project, files, plan)
    findings = [f for rule in RULES for f in rule.run(setup)]
    for rel, compose in setup.composes.items():
        if compose.error:
            result.notes.append(f"{rel} is not valid YAML ({compose.error}); skipped")
    for rel, conf in setup.gunicorn.items():
        if conf.error:
            result.notes.append(f"{rel} is not valid Python ({conf.error}); its settings were not read")
    for rel, conf in setup.nginx.items():
        if conf.error:
            result.notes.append(f"{rel}: {conf.error} (read as far as possible)")
    if not files:
        result.notes.append("no production files found (Dockerfile, compose, nginx, uWSGI, gunicorn, "
                            "supervisord, Procfile, entrypoint scripts)")

    run_hadolint = config.hadolint if use_hadolint is None else use_hadolint
    exe = hadolint.find() if run_hadolint else None
    if exe:
        result.hadolint = hadolint.version(exe)
        dockerfiles = [r for r, k in files.items() if k == "dockerfile"]
        theirs = hadolint.run(exe, project.root, dockerfiles, [r for r in config.disable if r[:2] in ("DL", "SC")])
        findings = _merge(findings, theirs)
    else:
        result.hadolint = "not run (switched off)" if not run_hadolint else "not installed"

    out = [replace(f, suppressed=config.disable[f.rule]) if f.rule in config.disable else f for f in findings]
    result.findings = sorted(out, key=lambda f: f.sort_key)
    return result


def _merge(ours: list[Finding], theirs: list[Finding]) -> list[Finding]:
    """hadolint's findings, except those one of our rules already reports on the same line (ours then
    names hadolint's rule in `also`)."""
    merged = list(ours)
    for f in theirs:
        twin = next((i for i, o in enumerate(merged) if o.tool == "shipyard" and o.path == f.path
                     and o.line == f.line and f.rule in BY_ID[o.rule].overlaps), None)
        if twin is None:
            merged.append(f)
        else:
            merged[twin] = replace(merged[twin], also=merged[twin].also + (f"hadolint {f.rule}",))
    return merged
