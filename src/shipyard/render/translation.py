"""What a deployment target does with each part of the plan: a report computed next to the render.

Every target (compose is the reference; Swarm, Kubernetes) answers, for each part of the plan and of the
compose stack it replaces, one status:

    honoured     the target does the same thing, the same way
    translated   the same meaning through another mechanism (say which)
    left to you  the target needs a value only the user has (say where to set it)
    dropped      not carried over, and nothing the app relies on is lost (say why that is safe)
    lost         carrying it over would change what the app gets: the render refuses (TranslationLost),
                 and the hint says which flag or setting makes the choice explicit

A target builds its rows next to its render (render/swarm.py `translate`, render/kubernetes.py
`translation`), so the report cannot drift from the files. The CLI prints it (`shipyard swarm render`,
`shipyard init --kubernetes`, both with `--json`); docs/scale-out.md explains it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterable

from ..errors import TranslationLost

STATUSES = ("honoured", "translated", "left to you", "dropped", "lost")


@dataclass(frozen=True)
class Row:
    part: str          # the plan part or compose key: "replicas", "ports: 127.0.0.1:PORT", "secrets"
    status: str        # one of STATUSES
    how: str           # what the target does with it (or why it cannot)
    hint: str = ""     # for "lost": the explicit choice that would make it acceptable

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r} (one of {', '.join(STATUSES)})")


@dataclass(frozen=True)
class TranslationReport:
    target: str                    # "swarm", "kubernetes"
    rows: tuple[Row, ...]

    @classmethod
    def of(cls, target: str, rows: Iterable[Row]) -> "TranslationReport":
        return cls(target, tuple(rows))

    def by_status(self, status: str) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.status == status)

    @property
    def lost(self) -> tuple[Row, ...]:
        return self.by_status("lost")

    def check(self) -> "TranslationReport":
        """The report itself, or TranslationLost naming the first part whose meaning would be lost."""
        if self.lost:
            first = self.lost[0]
            more = f" (and {len(self.lost) - 1} more: {', '.join(r.part for r in self.lost[1:])})" \
                if len(self.lost) > 1 else ""
            raise TranslationLost(f"{self.target} cannot keep {first.part}: {first.how}{more}", first.hint)
        return self

    def summary(self) -> str:
        counts = [f"{len(self.by_status(v))} {v}" for v in STATUSES if self.by_status(v)]
        return f"{self.target}: " + ", ".join(counts)

    def lines(self) -> list[str]:
        """A plain-text table, one row per part (the CLI prints it)."""
        width = max((len(r.part) for r in self.rows), default=4)
        return [f"{r.part:<{width}}  {r.status:<11}  {r.how}" for r in self.rows]

    def to_dict(self) -> dict:
        return {"target": self.target, "rows": [asdict(r) for r in self.rows],
                "counts": {v: len(self.by_status(v)) for v in STATUSES}}
