"""lint's output: a readable table, JSON, or SARIF 2.1.0 for code-scanning tools."""

from __future__ import annotations

import json
from pathlib import Path

from .. import __version__
from .model import SEVERITIES, Result
from .rules import RULES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def table(result: Result) -> str:
    active = result.active
    lines = []
    for f in active:
        where = f"{f.path}:{f.line}" if f.line else f.path
        tool = "" if f.tool == "shipyard" else f" [{f.tool}]"
        lines.append(f"{where}: {f.severity} {f.rule}{tool} {f.message}")
        if f.why:
            lines.append(f"    why: {f.why}")
        if f.fix:
            lines.append(f"    fix: {f.fix}")
        if f.also:
            lines.append(f"    also reported as: {', '.join(f.also)}")
    counts = {s: sum(1 for f in active if f.severity == s) for s in SEVERITIES}
    summary = ", ".join(f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in counts.items() if n)
    read = sum(1 for kind in result.files.values() if not kind.endswith("-dev"))
    lines.append(f"{summary or 'no findings'} in {read} file{'s' if read != 1 else ''} read"
                 f" (hadolint: {result.hadolint})")
    suppressed = [f for f in result.findings if f.suppressed]
    if suppressed:
        lines.append(f"{len(suppressed)} finding(s) switched off in [tool.shipyard.lint]: " +
                     "; ".join(sorted({f'{f.rule} ({f.suppressed})' for f in suppressed})))
    lines.extend(f"note: {n}" for n in result.notes)
    return "\n".join(lines) + "\n"


def as_json(result: Result) -> str:
    return json.dumps({"root": result.root, "files": result.files, "hadolint": result.hadolint,
                       "notes": result.notes, "findings": [f.to_dict() for f in result.findings]}, indent=2) + "\n"


def sarif(result: Result) -> str:
    used = sorted({f.rule for f in result.findings})
    ours = {r.id: r for r in RULES}
    rules = []
    for rule_id in used:
        rule = ours.get(rule_id)
        if rule:
            rules.append({"id": rule.id, "name": rule.name, "shortDescription": {"text": rule.title},
                          "fullDescription": {"text": rule.why_for()},
                          "help": {"text": f"{rule.why_for()} Reference: docs/lint.md#{rule.id.lower()}-{rule.name}",
                                   "markdown": f"{rule.why_for()}\n\nSee [docs/lint.md](docs/lint.md#{rule.id.lower()}-{rule.name})."},
                          "properties": {"tags": ["shipyard"] + [f"seed-{seed}" for seed in rule.seeds]},
                          "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]}})
        else:
            rules.append({"id": rule_id, "name": rule_id, "shortDescription": {"text": f"hadolint {rule_id}"},
                          "helpUri": f"https://github.com/hadolint/hadolint/wiki/{rule_id}"})
    index = {rule_id: i for i, rule_id in enumerate(used)}
    results = []
    for f in result.findings:
        text = f.message + (f" Why: {f.why}" if f.why else "") + (f" Fix: {f.fix}" if f.fix else "")
        item = {"ruleId": f.rule, "ruleIndex": index[f.rule], "level": _SARIF_LEVEL[f.severity],
                "message": {"text": text},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": f.path, "uriBaseId": "SRCROOT"},
                                                    **({"region": {"startLine": f.line}} if f.line else {})}}]}
        if f.tool != "shipyard":
            item["properties"] = {"tool": f.tool}
        if f.suppressed:
            item["suppressions"] = [{"kind": "external", "justification": f.suppressed}]
        results.append(item)
    run = {"tool": {"driver": {"name": "shipyard lint", "version": __version__, "rules": rules}},
           "originalUriBaseIds": {"SRCROOT": {"uri": Path(result.root).as_uri() + "/"}},
           "results": results}
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2) + "\n"
