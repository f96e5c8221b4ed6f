"""Django settings that define no DATABASES of their own and take the rest from a module the project lacks.

Code from before environment variables were the habit (2012-2018 tutorials, blog posts) ends settings.py with
`try: from .local_settings import * except ImportError: pass` and has the reader write local_settings.py, with the
database in it, by hand: the file is .gitignore'd, so a clone has none and Django's migrate stops on "settings.DATABASES
is improperly configured. Please supply the ENGINE value", which does not say where the database was meant to come
from. The hint names that file.
"""

from __future__ import annotations

import ast
import re
from typing import Iterator

from ..project import Project
from .ast_nodes import ast_nodes
from .source import parsed


def missing_databases_module(project: Project, workdir: str,
                             settings_module: str | None) -> tuple[str, str, str] | None:
    """(settings file, module it star-imports, that module's file) when the entry's settings assign no DATABASES at their top level
    and star-import a module of the project's own package that the project does not have; else None."""
    if not settings_module:
        return None
    folder = "" if workdir in ("", ".") else workdir.strip("/") + "/"
    base = folder + settings_module.replace(".", "/")
    trees = parsed(project)
    rel = next((r for r in (f"{base}.py", f"{base}/__init__.py") if r in trees), None)
    if rel is None or _assigns_databases(trees[rel]):
        return None
    package = settings_module.rpartition(".")[0] if rel.endswith(f"{settings_module.rpartition('.')[2]}.py") \
        else settings_module
    for node in ast_nodes(trees[rel]):
        if not (isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names)):
            continue
        module = _absolute(node, package)
        if module is None or module.split(".")[0] != settings_module.split(".")[0]:
            continue                       # another distribution's settings (a package's defaults), not the app's
        path = folder + module.replace(".", "/")
        if not any(project.exists(p) for p in (f"{path}.py", f"{path}/__init__.py")):
            return rel, module, f"{path}.py"
    return None


# the committed copy of the module to write, after its name: local_settings-sample.py, local_settings.py.example,
# local_settings_template.py, local_settings.example
_SAMPLE = re.compile(r"(?:\.py)?[-_.](?:sample|example|template|tmpl|dist|default)(?:\.py)?", re.IGNORECASE)


def module_samples(project: Project, wanted: str) -> Iterator[tuple[str, ast.Module]]:
    """(sample file, its parsed tree) for each committed sample of the module `wanted` (blog/local_settings.py:
    blog/local_settings-sample.py, settings.py: settings-dist.py) beside it, in the project's file order."""
    folder, _, name = wanted.rpartition("/")
    prefix, stem = f"{folder}/" if folder else "", name.removesuffix(".py")
    for rel in project.files:
        base = rel[len(prefix):]
        if not rel.startswith(prefix) or "/" in base or not base.startswith(stem) \
                or not _SAMPLE.fullmatch(base[len(stem):]):
            continue
        try:
            yield rel, ast.parse(project.scan_text(rel) or "")
        except (SyntaxError, ValueError):
            continue


def sample_engine(project: Project, wanted: str) -> tuple[str, str] | None:
    """(sample file, the ENGINE its DATABASES['default'] names) for a committed sample of the module the settings
    import but the project lacks (`wanted`: blog/local_settings.py, sampled by blog/local_settings-sample.py, which
    a Dockerfile copies into place); None when there is none, or it names no engine."""
    for rel, tree in module_samples(project, wanted):
        engine = _default_engine(tree)
        if engine:
            return rel, engine
    return None


def _default_engine(tree: ast.Module) -> str | None:
    """DATABASES["default"]["ENGINE"] as a module-level DATABASES dict writes it."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "DATABASES" for t in node.targets) \
                and isinstance(node.value, ast.Dict):
            for key, value in zip(node.value.keys, node.value.values):
                if isinstance(key, ast.Constant) and key.value == "default" and isinstance(value, ast.Dict):
                    for k, v in zip(value.keys, value.values):
                        if isinstance(k, ast.Constant) and k.value == "ENGINE" and isinstance(v, ast.Constant) \
                                and isinstance(v.value, str):
                            return v.value
    return None


def _assigns_databases(tree: ast.Module) -> bool:
    return any(isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "DATABASES" for t in node.targets)
               for node in tree.body)


def _absolute(node: ast.ImportFrom, package: str) -> str | None:
    """The module `from X import *` names, relative imports resolved against the settings' package."""
    if not node.level:
        return node.module
    parts = package.split(".") if package else []
    if node.level - 1 > len(parts):
        return None
    base = parts[:len(parts) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else [])) or None


def hint(found: tuple[str, str, str]) -> str:
    rel, module, wanted = found
    return (f"its own error is above; {rel} defines no DATABASES and imports the rest of its settings from "
            f"{module}, which is not in the project ({wanted}: a file the app's README has you write, kept out "
            f"of git): write it with the database the app uses")


def note(found: tuple[str, str, str]) -> str:
    rel, module, wanted = found
    return (f"{rel} defines no DATABASES and imports the rest of its settings from {module}, which is not in the "
            f"project ({wanted}): its migrations and pages need that file written first")
