"""The `.env` an app's README shows, for an app that ships no example env file.

Some READMEs write the file out instead of shipping `.env.example`: "## .env file example" over a fenced block of
NAME=value lines (DATABASE_URL, DB_ECHO=True), which a person copies into `.env`. Such a block is the app's
example env file, read the same way (detect/envfile.py; its values' hosts and placeholders are judged by
appconfig as any example's are).

A block counts when its fence names the format (```env, ```dotenv) or the text just above it names `.env`, and
its lines are NAME=value assignments (blank lines and comments aside): a shell block that also runs commands
(`cp .env.example .env`, `pip install`) is instructions, not the file. In a block fenced as a file's format
(```ini, ```env) a value may hold spaces (`APP_NAME=Hello World`), as dotenv reads the file. A fence left unclosed (the README's
prose follows the assignments after a blank line) ends at that prose.

With no such block, a README may still list the file's variables by name only, as readme.so's template writes its
"Environment Variables" section: "To run this project, you will need to add the following environment variables
to your .env file", then one `NAME` in inline code per line (a description may follow it). Those names are the
file's lines with empty values (NAME=), the person's to fill: a credential among them that the code requires is
one only the app's author has (appconfig's placeholder rule).
"""

from __future__ import annotations

import re

from ..project import Project

READMES = ("README.md", "readme.md", "Readme.md", "README.markdown")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*([^\s`]*)")
ENV_LANGUAGES = frozenset({"env", "dotenv", ".env", "envfile"})
# NAME=value, the value quoted or one word (a comment may follow): `PORT=8000 python app.py` runs a command
_ASSIGNMENT = re.compile(r"""\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=\s*(?:"[^"]*"|'[^']*'|[^\s'"]*)\s*(?:#.*)?$""")
# a line of a .env file as dotenv reads it, the value running to the end of the line (`ADMINS=Your name, your email`):
# taken in a block fenced as a file's format, not in a shell's or a bare one, where `PORT=8000 python app.py` runs a
# command
_LOOSE_ASSIGNMENT = re.compile(r"\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=\s*[^\s`$;|&<>(){}]+(?:[ \t]+[^\s`$;|&<>(){}]+)*\s*$")
FILE_LANGUAGES = ENV_LANGUAGES | {"ini", "properties", "conf", "cfg", "text", "txt", "plaintext"}
_NAMES_DOTENV = re.compile(r"(?<![\w.])\.env\b(?![.\w])")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*)$")
_ENV_HEADING = re.compile(r"environment\s+variables?|env(?:ironment)?\s+vars?|\.env\b", re.IGNORECASE)
# a line that names one variable: `SECRET_KEY` alone or before its description, a list item or not
_LISTED_NAME = re.compile(r"^\s*(?:[-*+]\s+)?`([A-Z][A-Z0-9_]*)`(?:\s|:|$)")


def find(project: Project, folders: tuple[str, ...]) -> tuple[str, str] | None:
    """(README path, the block's text) of the first README in `folders` that shows a `.env`, else None."""
    for folder in dict.fromkeys(folders):
        for name in READMES:
            rel = name if folder in ("", ".") else f"{folder.strip('/')}/{name}"
            if project.is_file(rel):
                block = env_block(project.read_text(rel))
                if block is None:
                    block = listed_names(project.read_text(rel))
                if block is not None:
                    return rel, block
    return None


def listed_names(text: str) -> str | None:
    """`NAME=` lines for the variables a README's environment-variables section lists by name (rule in the module
    docstring), else None: the section's heading names environment variables (or `.env`) and its prose names the
    `.env` file, and every listed name stands at the start of its own line."""
    names: list[str] = []
    in_section = names_file = False
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            if names and names_file:
                break                    # the section ended: its list is complete
            names, names_file = [], False
            in_section = bool(_ENV_HEADING.search(heading.group(1)))
            continue
        if not in_section:
            continue
        listed = _LISTED_NAME.match(line)
        if listed:
            names.append(listed.group(1))
        elif _NAMES_DOTENV.search(line) and not names:
            names_file = True
    if not (names and names_file):
        return None
    return "\n".join(f"{name}=" for name in dict.fromkeys(names))


def env_block(text: str) -> str | None:
    """The first fenced block of `text` that is a `.env` file's content (rule in the module docstring)."""
    lines = text.splitlines()
    above = ""                           # the last line of prose before the current line
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            if lines[i].strip():
                above = lines[i]
            i += 1
            continue
        fence, language = match.group(1), match.group(2).lower()
        body, i = _body(lines, i + 1, fence)
        if language in ENV_LANGUAGES or _NAMES_DOTENV.search(above):
            found = _assignments(body, loose=language in FILE_LANGUAGES)
            if found is not None:
                return found
        above = ""
    return None


def _body(lines: list[str], start: int, fence: str) -> tuple[list[str], int]:
    """The block's lines from `start` to its closing fence (or the end), and the index after it."""
    for j in range(start, len(lines)):
        if lines[j].strip().startswith(fence[0] * len(fence)):
            return lines[start:j], j + 1
    return lines[start:], len(lines)


def _assignments(body: list[str], loose: bool = False) -> str | None:
    """The block's NAME=value lines when that is all it holds (up to prose after a blank line), else None. `loose`
    (a block not written for a shell): a value may hold spaces (`APP_NAME=Hello World`), as dotenv reads it."""
    kept: list[str] = []
    blank = False
    for line in body:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            blank = blank or not stripped
            continue
        if _ASSIGNMENT.match(line) or (loose and _LOOSE_ASSIGNMENT.match(line)):
            kept.append(line)
            blank = False
            continue
        if kept and blank:
            break                        # an unclosed fence: the README's prose goes on after the file
        return None                      # a command among them: instructions, not the file
    return "\n".join(kept) if kept else None
