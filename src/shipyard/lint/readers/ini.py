"""INI files as uWSGI and supervisord read them: sections of (key, value, line), keys may repeat."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Section:
    name: str
    line: int
    items: list[tuple[str, str, int]] = field(default_factory=list)

    def get(self, key: str) -> tuple[str, int] | None:
        """The last value of `key` (uWSGI and supervisord both let the last one win), with its line."""
        key = key.replace("_", "-")
        found = [(v, n) for k, v, n in self.items if k.replace("_", "-") == key]
        return found[-1] if found else None

    def value(self, key: str, default: str = "") -> str:
        found = self.get(key)
        return found[0] if found else default


@dataclass
class Ini:
    path: str
    sections: list[Section] = field(default_factory=list)

    def section(self, name: str) -> Section | None:
        return next((s for s in self.sections if s.name == name), None)

    def programs(self) -> list[Section]:
        """supervisord's [program:x] sections."""
        return [s for s in self.sections if s.name.startswith("program:")]


def read(path: str, text: str) -> Ini:
    ini = Ini(path)
    current: Section | None = None
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line[0] in ";#":
            continue
        header = re.fullmatch(r"\[([^\]]+)\]", line)
        if header:
            current = Section(header.group(1).strip(), n)
            ini.sections.append(current)
            continue
        if current is None or "=" not in line:
            continue
        key, _, value = line.partition("=")
        value = re.sub(r"\s+;.*$", "", value).strip()       # inline comment after whitespace
        current.items.append((key.strip().lower(), value, n))
    return ini
