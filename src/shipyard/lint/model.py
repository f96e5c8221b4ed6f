"""What lint reports: rules (id, severity, doc, example) and the findings they produce."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Callable, Iterable

if TYPE_CHECKING:  # pragma: no cover
    from .setup import Setup

SEVERITIES = ("error", "warning", "info")          # most severe first
SEVERITY_RANK = {name: i for i, name in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Finding:
    rule: str                       # "SY101", or hadolint's "DL3008" / "SC2086"
    severity: str                   # one of SEVERITIES
    path: str                       # relative to the linted folder, POSIX
    line: int                       # 1-based; 0 when the finding is about the whole file
    message: str                    # what is wrong, here
    why: str = ""                   # why it matters in production
    fix: str = ""                   # what to write instead (the line `init` writes, where there is one)
    tool: str = "shipyard"          # "shipyard" or "hadolint"
    also: tuple[str, ...] = ()      # the same problem as reported by another tool ("hadolint DL3025")
    suppressed: str = ""            # the reason given in [tool.shipyard.lint] disable, when switched off

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line, SEVERITY_RANK[self.severity], self.rule)

    def to_dict(self) -> dict:
        data = {"rule": self.rule, "severity": self.severity, "path": self.path, "line": self.line,
                "message": self.message, "why": self.why, "fix": self.fix, "tool": self.tool}
        if self.also:
            data["also"] = list(self.also)
        if self.suppressed:
            data["suppressed"] = self.suppressed
        return data


@dataclass(frozen=True)
class Example:
    """A small project in a rule's doc and test: `bad` triggers the rule, `good` (the fix) does not."""

    bad: dict[str, str]             # {relative path: text}
    good: dict[str, str]
    at: tuple[str, int] = ("", 0)   # (file of `bad`, line) the finding points at


@dataclass(frozen=True)
class Rule:
    id: str                         # stable: "SY101"; never reused for another check
    name: str                       # short slug: "shell-form-command"
    severity: str
    title: str                      # one line: what is wrong
    why: str                        # why it matters in production
    check: Callable[["Setup"], Iterable[tuple[str, int, str, str]]]   # -> (path, line, message, fix)
    example: Example
    seeds: tuple[str, ...] = ()     # seed tutorials that show the mistake ("001")
    overlaps: tuple[str, ...] = ()  # hadolint rules reporting part of the same problem on the same line
    files: str = ""                 # the file kinds it reads, for the docs ("Dockerfile, compose")

    def why_for(self, path: str = "") -> str:
        """`why` said of the file `path` (a finding's): its `{file}` is that file's name (the example's file in the
        rule's docs), so a finding in app.py does not say `python manager.py`."""
        return self.why.replace("{file}", PurePosixPath(path or self.example.at[0] or "app.py").name)

    def run(self, setup: "Setup") -> list[Finding]:
        seen: set[tuple[str, int, str]] = set()
        out = []
        for path, line, message, fix in self.check(setup):
            if (path, line, message) not in seen:      # one process can be seen from two containers
                seen.add((path, line, message))
                out.append(Finding(self.id, self.severity, path, line, message, self.why_for(path), fix))
        return out


@dataclass
class Result:
    """One lint run: findings (suppressed ones included), what was read, and notes about the run."""

    root: str
    findings: list[Finding] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)     # path -> kind
    notes: list[str] = field(default_factory=list)
    hadolint: str = ""                                      # hadolint's version, or why it did not run
    setup: "Setup | None" = None                            # what the rules read (for tests and tools)

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if not f.suppressed]

    def worst(self) -> str | None:
        ranks = [SEVERITY_RANK[f.severity] for f in self.active]
        return SEVERITIES[min(ranks)] if ranks else None
