"""The configparser file an import reads its settings from, when the import fails for a section or option it lacks.

`parser = RawConfigParser(); parser.read(BASE_DIR.parent / 'site_settings.ini'); SECRET_KEY = parser.get('secrets',
'SECRET_KEY')`: configparser skips a file that is not there without a word, so the import fails later with
NoSectionError ("No section: 'secrets'"), which says nothing of the file. A personal Django site kept its ini beside
the repository, on the host, and shipped none. The hint names the file and the expression that places it, so the
user knows what to write (or where to put it).
"""

from __future__ import annotations

import ast
import re
from pathlib import PurePosixPath

from ...project import Project

ERRORS = ("NoSectionError", "NoOptionError")


def _parsers(tree: ast.Module) -> set[str]:
    """Names bound to a ConfigParser (RawConfigParser, SafeConfigParser...) anywhere in the module."""
    return {target.id for node in ast.walk(tree) if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
            and (getattr(node.value.func, "id", None) or getattr(node.value.func, "attr", "")).endswith("ConfigParser")
            for target in node.targets if isinstance(target, ast.Name)}


def _placed(tree: ast.Module, source: str, arg: ast.expr) -> str:
    """The read's argument as written, and what a module-level name it passes was set to."""
    said = ast.get_source_segment(source, arg) or ast.unparse(arg)
    if isinstance(arg, ast.Name):
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == arg.id for t in node.targets):
                said = f"{said} = {ast.get_source_segment(source, node.value) or ast.unparse(node.value)}"
    return said


def _file_names(said: str) -> list[str]:
    """The file names (string constants with a suffix) in the expression that places the file."""
    return [m.group(2) for m in re.finditer(r"""(['"])([^'"/\\]+\.[A-Za-z0-9]+)\1""", said)]


def unread_config_file(project: Project, failing: str, result: dict) -> str | None:
    """The hint for an import that raised configparser's NoSectionError or NoOptionError in `failing` (the app's
    file, relative to the project root) after reading a file with a ConfigParser; None for any other failure."""
    if result.get("type") not in ERRORS or not failing or not (source := project.scan_text(failing)):
        return None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    parsers = _parsers(tree)
    reads = [node.args[0] for node in ast.walk(tree) if isinstance(node, ast.Call) and node.args
             and isinstance(node.func, ast.Attribute) and node.func.attr == "read"
             and isinstance(node.func.value, ast.Name) and node.func.value.id in parsers]
    if not reads:
        return None
    said = _placed(tree, source, reads[0])
    names = _file_names(said)
    shipped = [rel for rel in project.files if names and PurePosixPath(rel).name == names[-1]]
    lacks = re.sub(r"^[\w.]*(NoSectionError|NoOptionError):\s*", "", result.get("message", "")).strip()
    where = f"the app ships {names[-1]} at {shipped[0]}, and the one read there lacks it" if shipped else \
        "a file the app does not ship (configparser skips a missing file without a word)"
    return (f"{failing} reads its settings with configparser from {said}: {where} ({lacks}); write that file where "
            f"the expression places it, with the sections and options the settings read, and run again")
