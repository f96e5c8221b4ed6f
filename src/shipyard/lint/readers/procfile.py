"""Procfile: `name: command` lines."""

from __future__ import annotations

import re


def read(text: str) -> list[tuple[int, str, str]]:
    out = []
    for n, raw in enumerate(text.splitlines(), 1):
        m = re.match(r"\s*([\w-]+)\s*:\s*(.+)$", raw)
        if m and not raw.lstrip().startswith("#"):
            out.append((n, m.group(1), m.group(2).strip()))
    return out
