"""[tool.shipyard.lint] in pyproject.toml: rules switched off (each with its reason), the default
--fail-on, hadolint on or off, paths not to read.

    [tool.shipyard.lint]
    disable = {SY304 = "gunicorn sits behind our load balancer, which buffers", DL3008 = "we pin by digest"}
    fail-on = "warning"
    hadolint = true
    exclude = ["legacy/**"]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..errors import SettingError
from .model import SEVERITIES
from .rules import BY_ID

WHERE = "[tool.shipyard.lint] in pyproject.toml"
FAIL_ON = SEVERITIES + ("never",)
KEYS = ("disable", "fail-on", "hadolint", "exclude")
_HADOLINT_ID = re.compile(r"^(DL\d{4}|SC\d{4})$")


@dataclass(frozen=True)
class LintConfig:
    disable: Mapping[str, str] = field(default_factory=dict)   # rule id -> reason
    fail_on: str = "error"
    hadolint: bool = True
    exclude: tuple[str, ...] = ()


def from_project(project) -> LintConfig:
    """The [tool.shipyard.lint] table of a Project's pyproject.toml (defaults when there is none)."""
    table = project.tool_shipyard.get("lint", {})
    if not isinstance(table, Mapping):
        raise SettingError(f"{WHERE} is not a table", "write [tool.shipyard.lint] with keys under it")
    return load(table)


def load(table: Mapping[str, Any]) -> LintConfig:
    unknown = [k for k in table if k.replace("_", "-") not in KEYS]
    if unknown:
        raise SettingError(f"unknown key {unknown[0]!r} in {WHERE}", f"known keys: {', '.join(KEYS)}")
    get = {k.replace("_", "-"): v for k, v in table.items()}
    disable = get.get("disable", {})
    if not isinstance(disable, Mapping):
        raise SettingError(f"{WHERE}: disable must be a table of rule id = \"reason\"",
                           'write disable = {SY204 = "why this rule does not apply here"}')
    for rule, reason in disable.items():
        if rule not in BY_ID and not _HADOLINT_ID.match(rule):
            raise SettingError(f"{WHERE}: disable names unknown rule {rule!r}",
                               "use a shipyard rule id (SY101..., see docs/lint.md) or a hadolint id (DL3008, SC2086)")
        if not isinstance(reason, str) or not reason.strip():
            raise SettingError(f"{WHERE}: disable.{rule} has no reason",
                               f'say why it does not apply: {rule} = "..."')
    fail_on = get.get("fail-on", "error")
    if fail_on not in FAIL_ON:
        raise SettingError(f"{WHERE}: fail-on = {fail_on!r} is not allowed", f"choose one of: {', '.join(FAIL_ON)}")
    hadolint = get.get("hadolint", True)
    if not isinstance(hadolint, bool):
        raise SettingError(f"{WHERE}: hadolint = {hadolint!r} is not true or false", "write hadolint = false")
    exclude = get.get("exclude", [])
    if isinstance(exclude, str) or not isinstance(exclude, list) or not all(isinstance(e, str) for e in exclude):
        raise SettingError(f"{WHERE}: exclude must be a list of path patterns", 'write exclude = ["legacy/**"]')
    return LintConfig(dict(disable), fail_on, hadolint, tuple(exclude))
