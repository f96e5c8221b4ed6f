"""nginx configuration: a tree of directives with their lines (no include resolution)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator


@dataclass
class Directive:
    name: str
    args: list[str]
    line: int
    children: list["Directive"] = field(default_factory=list)
    block: bool = False

    def walk(self) -> Iterator["Directive"]:
        for child in self.children:
            yield child
            yield from child.walk()

    def find(self, name: str) -> list["Directive"]:
        return [d for d in self.walk() if d.name == name]


@dataclass
class NginxConf:
    path: str
    root: Directive
    error: str = ""

    def walk(self) -> Iterator[Directive]:
        return self.root.walk()

    def find(self, name: str) -> list[Directive]:
        return self.root.find(name)


def _tokens(text: str) -> Iterator[tuple[str, int, bool]]:
    """(token, line, quoted)."""
    i, line, n = 0, 1, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif c == "#":
            while i < n and text[i] != "\n":
                i += 1
        elif c in "{};":
            yield c, line, False
            i += 1
        elif c in "\"'":
            start_line, j, buf = line, i + 1, []
            while j < n and text[j] != c:
                if text[j] == "\\" and j + 1 < n:
                    buf.append(text[j + 1])
                    j += 2
                    continue
                line += text[j] == "\n"
                buf.append(text[j])
                j += 1
            yield "".join(buf), start_line, True
            i = j + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in "{};":
                if text[j] == "$" and j + 1 < n and text[j + 1] == "{":   # ${var} is one word
                    j = text.find("}", j) + 1 or n
                    continue
                j += 1
            yield text[i:j], line, False
            i = j


def read(path: str, text: str) -> NginxConf:
    root = Directive("", [], 0, block=True)
    stack = [root]
    words: list[str] = []
    line = 0
    error = ""
    for token, tline, quoted in _tokens(text):
        if not quoted and token == ";":
            if words:
                stack[-1].children.append(Directive(words[0], words[1:], line))
            words = []
        elif not quoted and token == "{":
            block = Directive(words[0] if words else "", words[1:], line or tline, block=True)
            stack[-1].children.append(block)
            stack.append(block)
            words = []
        elif not quoted and token == "}":
            if len(stack) > 1:
                stack.pop()
            else:
                error = f"unexpected }} on line {tline}"
            words = []
        else:
            if not words:
                line = tline
            words.append(token)
    if len(stack) > 1:
        error = error or "unclosed block"
    return NginxConf(path, root, error)


def looks_like_nginx(text: str) -> bool:
    """A .conf file that configures nginx (server/upstream/location blocks or proxy/uwsgi passes)."""
    import re
    return bool(re.search(r"^\s*(server|upstream|location|http|events)\b[^\n;]*\{|^\s*(proxy|uwsgi)_pass\s",
                          text, re.M))
