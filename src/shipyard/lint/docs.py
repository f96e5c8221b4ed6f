"""docs/lint.md, generated from the rule table (`shipyard lint --docs > docs/lint.md`)."""

from __future__ import annotations

from .config import FAIL_ON, KEYS
from .model import Rule
from .rules import RULES

SEEDS = {
    "000": "000 (Portuguese, 2015: gunicorn -w 4 under supervisord, Dockerfile)",
    "001": "001 (Chinese, 2018: shell-form ENTRYPOINT gunicorn, manager.py)",
    "002": "002 (English, 2017: EasyGeoIP, nginx + uWSGI, docker-compose dev setup)",
    "003": "003 (Chinese, 2019: entrypoint script, nginx + uWSGI, packages installed at start)",
    "004": "004 (Korean, 2021: uWSGI ini, compose with nginx, gunicorn)",
}


def _files(files: dict[str, str]) -> list[str]:
    out = []
    for rel, text in files.items():
        lang = "dockerfile" if rel.endswith("Dockerfile") else "yaml" if rel.endswith((".yaml", ".yml")) else \
            "nginx" if rel.endswith(".conf") and "server {" in text else "ini" if rel.endswith((".ini", ".conf")) \
            else "python" if rel.endswith(".py") else "sh" if rel.endswith(".sh") else ""
        out += [f"`{rel}`", "", f"```{lang}", text.rstrip("\n"), "```", ""]
    return out


def _rule(rule: Rule) -> list[str]:
    lines = [f"## {rule.id} {rule.name}", "", f"**{rule.severity}**: {rule.title}.", "", f"Why: {rule.why_for()}", ""]
    facts = [f"Reads: {rule.files}."] if rule.files else []
    if rule.seeds:
        facts.append("From seed " + "; ".join(SEEDS[s] for s in rule.seeds) + ".")
    if rule.overlaps:
        facts.append("hadolint reports part of this as " + ", ".join(rule.overlaps) + "; when both fire on the same "
                     "line, the finding is shipyard's and names hadolint's rule.")
    lines += [" ".join(facts), ""] if facts else []
    path, line = rule.example.at
    lines += [f"Found (`{path}` line {line}):", ""] + _files(rule.example.bad)
    changed = {rel: text for rel, text in rule.example.good.items() if rule.example.bad.get(rel) != text}
    same = [rel for rel in rule.example.bad if rel not in changed and rel in rule.example.good]
    lines += ["Fixed" + (f" ({', '.join(f'`{r}`' for r in same)} unchanged)" if same else "") + ":", ""]
    lines += _files(changed)
    return lines


def markdown() -> str:
    lines = ["# shipyard lint rules", "",
             "Generated from `src/shipyard/lint/rules/` by `shipyard lint --docs`; do not edit by hand.", "",
             "`shipyard lint [PATH]` reads the production files a project already has (Dockerfile/Containerfile, "
             "compose files, nginx configs, uWSGI ini, gunicorn.conf.py and command lines, supervisord configs, "
             "Procfile, entrypoint scripts), works out which processes they start, in which container, as PID 1 "
             "or not, and where each listens, reads the app's plan statically (no import, nothing installed), and "
             "reports each finding with its rule, file and line, why it matters in production and the fix "
             "(the line `shipyard init` writes, where there is one). Compose files whose name says development "
             "(`compose.dev.yaml`, `docker-compose.override.yml`, ...), Dockerfiles named so (`Dockerfile.dev`, "
             "`test.Dockerfile`) and folders such as tests/ and docs/ are not checked (`--json` lists them under "
             "`files` with a `-dev` kind).", "",
             "Where hadolint is installed it runs on the Dockerfiles too; its findings are merged, marked "
             "`[hadolint]`. Rules hadolint has (pinning, ADD vs COPY, apt lists, MAINTAINER...) are not "
             "rewritten here.", "",
             "Output: a table (default), `--json`, or SARIF 2.1.0 with `--format sarif`. Exit status 1 when a "
             f"finding reaches `--fail-on` ({', '.join(f'`{v}`' for v in FAIL_ON)}; default `error`), 2 for a "
             "bad option or setting.", "",
             "## Configuration", "",
             "```toml", "[tool.shipyard.lint]",
             'disable = {SY304 = "our load balancer buffers whole requests", DL3008 = "we pin the base image by digest"}',
             'fail-on = "warning"      # the default for --fail-on',
             "hadolint = true          # false: never run hadolint",
             'exclude = ["legacy/**"]  # paths not to read', "```", "",
             f"Keys: {', '.join(f'`{k}`' for k in KEYS)}. Every switched-off rule needs its reason; switched-off "
             "findings stay in `--json` (with `suppressed`) and SARIF (as suppressions), and out of the table "
             "and the exit status.", "",
             "| rule | severity | what it finds | seeds |", "|---|---|---|---|"]
    for rule in RULES:
        lines.append(f"| [{rule.id}](#{rule.id.lower()}-{rule.name}) | {rule.severity} | {rule.title} | "
                     f"{', '.join(rule.seeds)} |")
    lines.append("")
    for rule in RULES:
        lines += _rule(rule)
    return "\n".join(lines).rstrip("\n") + "\n"
