"""Dockerfile / Containerfile: instructions with their lines, build stages, exec or shell form."""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Instruction:
    cmd: str                        # upper case: "RUN", "CMD", ...
    args: str                       # the text after the instruction, continuations joined
    line: int                       # where it starts (1-based)
    stage: int                      # index of the build stage (FROM) it belongs to

    @property
    def exec_form(self) -> list[str] | None:
        """The JSON array of CMD/ENTRYPOINT/RUN exec form, or None for the shell form."""
        text = self.args.strip()
        if not text.startswith("["):
            return None
        try:
            value = json.loads(text)
        except ValueError:
            return None
        return value if isinstance(value, list) and all(isinstance(v, str) for v in value) else None

    @property
    def flags(self) -> dict[str, str]:
        """Leading --name=value options (COPY --from=builder, --chown=...)."""
        return dict(re.findall(r"--([\w-]+)=(\S+)", self.args.split(" [", 1)[0]))

    def words(self) -> list[str]:
        """Shell words of the arguments, options removed (COPY/ADD sources and destination)."""
        try:
            items = shlex.split(self.args, comments=False)
        except ValueError:
            items = self.args.split()
        return [w for w in items if not w.startswith("--")]


@dataclass
class Dockerfile:
    path: str
    instructions: list[Instruction] = field(default_factory=list)
    stage_names: list[str] = field(default_factory=list)      # "" for unnamed stages

    @property
    def final_stage(self) -> int:
        return len(self.stage_names) - 1

    def stage(self, index: int) -> list[Instruction]:
        return [i for i in self.instructions if i.stage == index]

    def final(self, cmd: str | None = None) -> list[Instruction]:
        return [i for i in self.stage(self.final_stage) if cmd is None or i.cmd == cmd]

    def last(self, cmd: str) -> Instruction | None:
        """The instruction that counts in the final image (the last CMD, ENTRYPOINT, USER...)."""
        found = self.final(cmd)
        return found[-1] if found else None

    def env(self) -> dict[str, tuple[str, int]]:
        """ENV of the final stage: name -> (value, line)."""
        out: dict[str, tuple[str, int]] = {}
        for ins in self.final("ENV"):
            for name, value in env_pairs(ins.args):
                out[name] = (value, ins.line)
        return out


def env_pairs(text: str) -> list[tuple[str, str]]:
    """`ENV A=1 B="two"` or the legacy `ENV A 1`."""
    try:
        words = shlex.split(text)
    except ValueError:
        words = text.split()
    if words and "=" not in words[0]:
        return [(words[0], " ".join(words[1:]))]
    return [tuple(w.split("=", 1)) for w in words if "=" in w]  # type: ignore[misc]


def read(path: str, text: str) -> Dockerfile:
    doc = Dockerfile(path)
    lines = text.splitlines()
    i = 0
    stage = -1
    while i < len(lines):
        raw = lines[i]
        start = i + 1
        i += 1
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        parts = [stripped]
        while parts[-1].endswith("\\") and i < len(lines):
            parts[-1] = parts[-1][:-1].rstrip()
            nxt = lines[i].strip()
            i += 1
            if nxt.startswith("#"):
                parts.append("\\")     # comment lines inside a continuation are dropped
                continue
            parts.append(nxt)
        joined = " ".join(p for p in parts if p and p != "\\").strip()
        m = re.match(r"(\w+)\s*(.*)", joined, re.S)
        if not m:
            continue
        cmd, args = m.group(1).upper(), m.group(2).strip()
        if "<<" in args and cmd in ("RUN", "COPY"):       # heredoc: skip its body
            marker = re.search(r"<<-?\s*['\"]?(\w+)", args)
            while marker and i < len(lines) and lines[i].strip() != marker.group(1):
                i += 1
            i += 1 if marker else 0
        if cmd == "FROM":
            stage += 1
            name = re.search(r"\s+AS\s+(\S+)", args, re.I)
            doc.stage_names.append(name.group(1) if name else "")
        doc.instructions.append(Instruction(cmd, args, start, max(stage, 0)))
    if not doc.stage_names:
        doc.stage_names.append("")
    return doc
