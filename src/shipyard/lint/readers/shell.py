"""Shell scripts (entrypoints): the simple commands they run, with their lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .command import Segment, split_shell

_KEYWORDS = {"if", "then", "else", "elif", "fi", "do", "done", "while", "until", "for", "case", "esac",
             "!", "{", "}", "function", "in"}


@dataclass(frozen=True)
class Step:
    line: int
    segment: Segment


def read(text: str) -> list[Step]:
    steps: list[Step] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        start = i + 1
        line = lines[i].rstrip()
        i += 1
        while line.endswith("\\") and i < len(lines):
            line = line[:-1] + " " + lines[i].strip()
            i += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or re.match(r"[\w-]+\)\s*$|;;$|\w+\s*\(\)\s*\{?$", stripped):
            continue
        stripped = re.sub(r"^[\w|*-]+\)\s*", "", stripped)    # `d)` case labels
        for seg in split_shell(stripped):
            argv = list(seg.argv)
            while argv and argv[0] in _KEYWORDS:
                argv = argv[1:]
            if argv and argv[0] in ("[", "[[", "test", "echo", "printf", "touch", "mkdir", "cd", "export",
                                    "set", "shift", "exit", "return", "getopts", "local", "true", "false", ":"):
                if argv[0] != "exec":
                    continue
            if argv:
                steps.append(Step(start, Segment(argv, seg.exec_, seg.background)))
    return steps


def passes_arguments(steps: list[Step]) -> Step | None:
    """The step that runs the container's CMD (`exec "$@"`), if any."""
    return next((s for s in steps if s.segment.argv[:1] == ["$@"]), None)
