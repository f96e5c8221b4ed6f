"""What the app declares for development only, by name: the packages its dev/test requirement files, Poetry's
[tool.poetry.dev-dependencies] and dev groups, and PEP 735's [dependency-groups] list.

These are not installed as the app's dependencies. They matter when the settings the app runs with by default load
one of them under a module name no import table knows: wemake-django-template's settings/environments/development.py
(DJANGO_ENV's default) puts 'querycount.middleware.QueryCountMiddleware' in MIDDLEWARE, which only the
dev-dependencies' django-querycount provides; guessing the distribution from the module's name (querycount) installs
nothing, and the app does not import.
"""
from __future__ import annotations

from ..plan import Dependency
from ..project import Project
from . import deps


def dev_declared(project: Project, app_folder: str | None = None) -> dict[str, Dependency]:
    """Normalized name -> the dependency as declared for development (its spec and the file that lists it), from
    the folder that holds the app's dependency files; the production declarations are not in it."""
    base = deps._dependency_folder(project, app_folder)
    found: dict[str, Dependency] = {}
    notes: list[str] = []   # what the readers say of lines they skip: not the app's production story

    def add(items: list[Dependency]) -> None:
        for dep in items:
            found.setdefault(deps.normalize(dep.name), dep)

    for rel in deps._requirement_files(project, base)[1]:
        add(deps._read_requirements(project, rel, notes)[0])
    rel = deps._join(base, "pyproject.toml")
    if project.is_file(rel):
        data = project.read_toml(rel)
        poetry = data.get("tool", {}).get("poetry", {})
        if isinstance(poetry.get("dev-dependencies"), dict):
            add(deps._poetry_dependencies(poetry["dev-dependencies"], f"{rel} (dev-dependencies)", notes))
        for group in deps.poetry_groups(poetry)[1]:
            table = poetry["group"][group]["dependencies"]
            add(deps._poetry_dependencies(table, f"{rel} (group {group})", notes))
        groups = data.get("dependency-groups")
        for name, items in (groups.items() if isinstance(groups, dict) else ()):
            if isinstance(items, list):
                add(deps._parse_list(items, f"{rel} (dependency group {name})", notes))
    return dict(zip(found, deps.over_https(found.values(), notes)))


def dev_namesake(project: Project, app_folder: str | None, top: str) -> Dependency | None:
    """The development dependency named after module `top` (django-querycount for querycount, its name itself,
    or a framework prefix and its words: deps' namesake rule), or None."""
    declared = dev_declared(project, app_folder)
    from .imports import declared_namesake
    key = declared_namesake(top, set(declared))
    return declared[key] if key is not None else None
