"""The README line that tells a person to write a file the app reads and the project does not have.

`with open('./config.json') as f: config = json.load(f)` at import, config.json neither committed nor in a
.gitignore, and the README saying "config.json (to be customized and placed in working dir): a dict of
OPENAI_API_KEY & SYSTEM_PROMPT": a setup step the author left to the reader, not a fault in the app's code. The
line is quoted back so the message says what to write."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ..project import Project

_READMES = ("README.md", "README.rst", "README.txt", "README", "readme.md", "Readme.md", "readme.txt")
_MAX_LINE = 160


def readme_line_naming(project: Project, folders: tuple[str, ...], file: str) -> str | None:
    """The first line of a README in `folders` (project-relative, "." the root) that names `file` (its name, as
    a word: config.json, not myconfig.json), with the line after it when it only names the file (a heading)."""
    name = PurePosixPath(file).name
    word = re.compile(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", re.I)
    for folder in dict.fromkeys(folders):
        for readme in _READMES:
            rel = readme if folder in ("", ".") else f"{folder.rstrip('/')}/{readme}"
            text = project.scan_text(rel) if project.is_file(rel) else None
            raw = (text or "").splitlines()
            lines = [ln.strip(" \t#>*-`\\") for ln in raw]
            for i, line in enumerate(lines):
                if not word.search(line):
                    continue
                said = line
                if raw[i].lstrip().startswith("#") or line.endswith(":") or len(line) < len(name) + 40:
                    # a heading ("## /config.json (to be customized ...)"): what follows says what it holds
                    after = next((ln for ln in lines[i + 1:i + 4] if ln), "")
                    said = f"{line}: {after}" if after else line
                return said if len(said) <= _MAX_LINE else said[:_MAX_LINE - 3] + "..."
    return None
