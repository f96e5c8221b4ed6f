"""A configuration file the app opens by a relative name that the project ships only as its example.

`config.read('settings.ini')` beside settings.ini.example (a hackathon's aiohttp backend), `open('config.json')`
beside config.json.sample: the README says to copy the example and fill in its values. configparser reads a
missing file as empty, so the import fails later and elsewhere (KeyError: 'SkyscannerAPIKey'), far from the
cause. When importing the app fails and its code names such a file, the failure is that setup step: the import
check says which file to copy, instead of the exception's last line.

Only names written as string literals in the app's Python files, with an extension of a configuration format,
missing from the folder the app runs in while an example of that name sits there (settings.ini.example,
settings.example.ini, example.settings.ini, settings.ini.sample/.dist/.template/.default).

Python settings modules have their own names for an example (module_example): local_settings_example.py,
settings.py.example, ..., and a config package whose only module is its example (app/config/example.py, which the
README copies to the app/config/main.py that app/base.py imports). The import check names the example the missing
module's name points at; serve and dev copy the examples of the modules the app's code imports (modules_to_copy).
"""

from __future__ import annotations

import ast
import re
from pathlib import PurePosixPath
from typing import Iterable

from ..project import Project
from .source import is_app_file, parsed

_SUFFIXES = ("ini", "cfg", "conf", "toml", "yaml", "yml", "json")
# 'settings.ini', "conf/app.yaml", 'config.json': a relative name of a configuration file, as a whole literal
_NAMED = re.compile(r"""['"]((?:[\w.-]+/)*[\w-][\w.-]*\.(?:%s))['"]""" % "|".join(_SUFFIXES))
_EXAMPLE_WORDS = ("example", "sample", "dist", "template", "default")


def _examples_of(name: str) -> list[str]:
    """The names an example of `name` goes by (settings.ini -> settings.ini.example, settings.example.ini, ...)."""
    path = PurePosixPath(name)
    out = []
    for word in _EXAMPLE_WORDS:
        out += [f"{name}.{word}", str(path.with_name(f"{path.stem}.{word}{path.suffix}")),
                str(path.with_name(f"{path.stem}_{word}{path.suffix}")), str(path.with_name(f"{word}.{path.name}"))]
    return out


def example_to_copy(project: Project, workdir: str) -> tuple[str, str] | None:
    """(example, missing file), paths relative to the project root, for the first configuration file the app's
    code names that is missing from `workdir` while its example is there; None when there is none."""
    return next(iter(examples_to_copy(project, workdir)), None)


def examples_to_copy(project: Project, workdir: str) -> list[tuple[str, str]]:
    """Each (example, missing file) pair example_to_copy finds, in the order the code names them."""
    files = set(project.files)
    out: list[tuple[str, str]] = []
    base = PurePosixPath(workdir) if workdir not in ("", ".") else PurePosixPath()
    for path in project.python_files:
        if not is_app_file(path) or not (text := project.scan_text(path)):
            continue
        for name in dict.fromkeys(_NAMED.findall(text)):
            if name.startswith("/") or ".." in PurePosixPath(name).parts:
                continue
            missing = str(base / name)
            if missing in files:
                continue
            example = next((str(base / e) for e in _examples_of(name) if str(base / e) in files), None)
            if example is not None and all(m != missing for _, m in out):
                out.append((example, missing))
    return out


# what a project calls the example of a settings module it imports: local_settings_example.py,
# settings.example.py, example_settings.py, settings_sample.py, settings.py.example, settings.py.dist
_MODULE_EXAMPLES = ("{stem}_example.py", "{stem}.example.py", "example_{stem}.py", "{stem}_sample.py",
                    "{stem}.sample.py", "{stem}.py.example", "{stem}.py.sample", "{stem}.py.dist", "{stem}.py.template")
# the lone module of a config package, the example of the module the code imports from it (app/config/example.py)
_PACKAGE_EXAMPLES = ("example.py", "sample.py", "template.py")


def module_example(project: Project, folders: Iterable[str], dotted: str) -> tuple[str, str] | None:
    """(example, module file), paths relative to the project root, when the module `dotted` (imported from one of
    `folders`) is not in the project while its example is where it belongs; None otherwise."""
    files = set(project.files)
    parts = dotted.split(".")
    for base in dict.fromkeys(folders):
        folder = PurePosixPath(base, *parts[:-1])
        module = str(folder / f"{parts[-1]}.py")
        if module in files or str(folder / parts[-1] / "__init__.py") in files:
            continue
        for pattern in _MODULE_EXAMPLES:
            if (example := str(folder / pattern.format(stem=parts[-1]))) in files:
                return example, module
        # a folder whose one module is its example stands for the modules the code imports from it; one with
        # other modules beside it (app/example.py next to app/views.py) does not
        if len(parts) < 2:
            continue                       # a package of the project's, not the folder imports start from
        modules = {f for f in files if f.endswith(".py") and str(PurePosixPath(f).parent) == str(folder)
                   and PurePosixPath(f).name != "__init__.py"}
        if len(modules) == 1 and (only := next(iter(modules))) in {str(folder / n) for n in _PACKAGE_EXAMPLES}:
            return only, module
    return None


def _imported_modules(path: str, tree: ast.Module) -> Iterable[tuple[str, str]]:
    """(folder it is imported from, dotted name) of each module an app file's imports may name ("" for an absolute
    import: from the workdir or the project root); `from a.b import c` may name the module a.b.c. Not an import
    under try (`try: from .local_settings import *`): the app runs without that module, as its author meant."""
    guarded = {id(inner) for node in ast.walk(tree) if isinstance(node, ast.Try)
               for stmt in node.body for inner in ast.walk(stmt)}
    for node in ast.walk(tree):
        if id(node) in guarded:
            continue
        if isinstance(node, ast.Import):
            yield from (("", alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ""
            if node.level:
                base = str(PurePosixPath(path).parents[node.level - 1]) if node.level <= len(
                    PurePosixPath(path).parents) else None
                if base is None:
                    continue
            if node.module:
                yield base, node.module
            for alias in node.names:
                if alias.name != "*":
                    yield base, f"{node.module}.{alias.name}" if node.module else alias.name


def modules_to_copy(project: Project, workdir: str) -> list[tuple[str, str]]:
    """Each (example, missing module) for the modules the app's code imports that the project ships only as their
    example, in the order the code names them."""
    out: list[tuple[str, str]] = []
    for path, tree in parsed(project).items():
        for base, dotted in _imported_modules(path, tree):
            if not all(p.isidentifier() for p in dotted.split(".")):
                continue
            found = module_example(project, [base] if base else [workdir or ".", "."], dotted)
            if found is not None and found not in out:
                out.append(found)
    return out
