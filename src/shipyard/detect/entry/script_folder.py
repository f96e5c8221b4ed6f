"""Apps that find their files beside sys.argv[0], the script Python runs.

`python run.py` puts run.py in sys.argv[0], so `os.path.dirname(sys.argv[0])` is the app's folder, and Eve (before
0.9 only there; later releases look there first) reads `Eve()`'s settings.py, or a relative `settings=` name, from
that folder. Under a server, sys.argv[0] is the server's own script or module, so the same import fails
(Eve 0.6: "DOMAIN dictionary missing or wrong") while `python -c "import run"` and the import proof pass. Such an
entry is served through shipyard_entry.py, which sets sys.argv[0] to the entry module's file first.
"""

from __future__ import annotations

import ast

from .. import frameworks as fw


def script_folder_reader(project, paths) -> str:
    """Where ("run.py:7") one of `paths` (the modules importing the app runs) reads sys.argv[0], or makes an app
    whose settings file its framework looks for beside it; "" when none does."""
    for path in sorted(paths):
        text = project.scan_text(path) or ""
        if "argv" not in text and not any(cls in text for cls in fw.SETTINGS_BESIDE_SCRIPT):
            continue
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if _argv0(node) or _settings_beside_script(node):
                return f"{path}:{node.lineno}"
    return ""


def _argv0(node: ast.AST) -> bool:
    """`sys.argv[0]` (the script's path)."""
    return isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and \
        node.value.attr == "argv" and isinstance(node.value.value, ast.Name) and node.value.value.id == "sys" and \
        isinstance(node.slice, ast.Constant) and node.slice.value == 0


def _settings_beside_script(node: ast.AST) -> bool:
    """`Eve()` or `Eve(settings="settings.py")`: a settings file found beside the script (an absolute path, a dict
    or a variable are not)."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    keyword = fw.SETTINGS_BESIDE_SCRIPT.get(name)
    if not keyword:
        return False
    given = next((k.value for k in node.keywords if k.arg == keyword), None)
    if given is None:
        if len(node.args) > 1 or any(k.arg is None for k in node.keywords):   # passed by position or **kwargs
            return False
        return True
    return isinstance(given, ast.Constant) and isinstance(given.value, str) and not given.value.startswith("/")
