"""What a deployment target does with each part of the plan: a report computed next to the render.

Every target (compose is the reference; Swarm, Kubernetes) answers, for each part of the plan and of the
compose stack it replaces, one verdict:

    honoured     the target does the same thing, the same way
    translated   the same meaning through another mechanism (say which)
    dropped      not carried over, and nothing the app relies on is lost (say why that is safe)
    lost         carrying it over would change what the app gets: the render refuses (TranslationLost),
                 and the hint says which flag or setting makes the choice explicit

A target builds its rows while it renders (render/swarm.py `translate`), so the report cannot drift
from the files. The CLI prints it (`shipyard swarm render`, `--json`); docs/scale-out.md explains it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterable

from ..errors import TranslationLost

VERDICTS = ("honoured", "translated", "dropped", "lost")


@dataclass(frozen=True)
class Row:
    part: str          # the plan part or compose key: "replicas", "ports: 127.0.0.1:PORT", "secrets"
    verdict: str       # one of VERDICTS
    how: str           # what the target does with it (or why it cannot)
    hint: str = ""     # for "lost": the explicit choice that would make it acceptable

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r} (one of {', '.join(VERDICTS)})")


@dataclass(frozen=True)
class TranslationReport:
    target: str                    # "swarm", "kubernetes"
    rows: tuple[Row, ...]

    @classmethod
    def of(cls, target: str, rows: Iterable[Row]) -> "TranslationReport":
        return cls(target, tuple(rows))

    def by_verdict(self, verdict: str) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.verdict == verdict)

    @property
    def lost(self) -> tuple[Row, ...]:
        return self.by_verdict("lost")

    def check(self) -> "TranslationReport":
        """The report itself, or TranslationLost naming the first part whose meaning would be lost."""
        if self.lost:
            first = self.lost[0]
            more = f" (and {len(self.lost) - 1} more: {', '.join(r.part for r in self.lost[1:])})" \
                if len(self.lost) > 1 else ""
            raise TranslationLost(f"{self.target} cannot keep {first.part}: {first.how}{more}", first.hint)
        return self

    def summary(self) -> str:
        counts = [f"{len(self.by_verdict(v))} {v}" for v in VERDICTS if self.by_verdict(v)]
        return f"{self.target}: " + ", ".join(counts)

    def lines(self) -> list[str]:
        """A plain-text table, one row per part (the CLI prints it)."""
        width = max((len(r.part) for r in self.rows), default=4)
        return [f"{r.part:<{width}}  {r.verdict:<10}  {r.how}" for r in self.rows]

    def to_dict(self) -> dict:
        return {"target": self.target, "rows": [asdict(r) for r in self.rows],
                "counts": {v: len(self.by_verdict(v)) for v in VERDICTS}}
