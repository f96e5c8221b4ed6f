"""django-crispy-forms below 2 for a Django app whose settings list crispy_forms and no template pack.

django-crispy-forms 2.0 (February 2023) no longer ships the Bootstrap (and uni_form) templates: each lives in a
template-pack app of its own (crispy_bootstrap3/4/5, crispy_tailwind, crispy_bulma...), which INSTALLED_APPS must
list. An app written for 1.x lists `crispy_forms` alone (its CRISPY_TEMPLATE_PACK = "bootstrap4" came with it);
resolved as of a later day, or of today (a fresh clone, an upload, an unpinned or undeclared django-crispy-forms),
it gets 2.x, and every page using `|crispy` or `{% crispy %}` answers 500 ("TemplateDoesNotExist:
bootstrap4/uni_form.html"). So its django-crispy-forms is held below 2, with a note, wherever it is installed
(proof, serve, image), as the app ran when written.

Left alone: an app whose settings list a template-pack app or whose dependencies name one (crispy-bootstrap5
requires crispy-forms 2), a django-crispy-forms pinned exactly or bounded by its author in a way that excludes
either series (`==1.14.0`, `<2`, `>=2`), and an app whose settings do not list crispy_forms. The hold is Shipyard's,
not the app's: resolution dating does not take it for a bound (app_line).
"""

from __future__ import annotations

from typing import Iterable

from ..plan import Dependency
from ..project import Project
from .findings import DeclaredDependencies
from .sqlalchemy_hold import declared_with, held_inferred_by, open_to, hold_key, with_hold, without_holds

HOLD = "<2"
NAME = "django-crispy-forms"
APP = "crispy_forms"
OLDER = ("1.14.0", "1.9.0", "1.7.0")     # 1.x releases: a spec admitting none of them is the author's move to 2
SOURCE = "held below 2: the app's settings list crispy_forms and no template pack, which crispy-forms 2 needs"


def _without_pack(project: Project, dependencies: Iterable[Dependency], own_project: str = "") -> str | None:
    """The settings file listing crispy_forms when no settings file lists a template-pack app (crispy_* other than
    crispy_forms) and no dependency names one (crispy-*); None otherwise."""
    if any(hold_key(d.name).startswith("crispy-") for d in dependencies):
        return None
    from .imports import settings_imports           # imports reads deps, which holds through this module
    tops = [(i.name.split(".")[0], i.file) for i in settings_imports(project)
            if not own_project or i.file.startswith(own_project + "/")]
    if any(top.startswith("crispy_") and top != APP for top, _ in tops):
        return None
    return next((rel for top, rel in tops if top == APP), None)


def _note(settings: str) -> str:
    return (f"{NAME} held below 2 ({NAME}{HOLD}): {settings} lists crispy_forms and no template-pack app "
            "(crispy_bootstrap4, crispy_bootstrap5, crispy_tailwind...), which crispy-forms 2 needs for its "
            "templates: every form rendered with |crispy would answer 500 (add the pack app and its package to "
            "move to crispy-forms 2)")


def _held(dependencies: tuple[Dependency, ...], project: Project, own_project: str = "") -> tuple[
        tuple[Dependency, ...], str | None]:
    """`dependencies` with an open django-crispy-forms capped below 2 when the app needs it (_without_pack), and
    the note saying so (None when nothing was held)."""
    found = open_to(dependencies, NAME, HOLD, OLDER)
    if found is None:
        return dependencies, None
    current, spec = found
    settings = _without_pack(project, dependencies, own_project)
    if settings is None:
        return dependencies, None
    return with_hold(dependencies, current, spec, SOURCE), _note(settings)


def held(declared: DeclaredDependencies, project: Project) -> DeclaredDependencies:
    """`declared` with its open django-crispy-forms held below 2 when the settings list no template pack."""
    return declared_with(declared, _held(declared.dependencies, project, declared.own_project))


def held_inferred(inferred: list[Dependency], declared: DeclaredDependencies,
                  project: Project) -> tuple[list[Dependency], str | None]:
    """`inferred` (from imports and settings) with an undeclared, unpinned django-crispy-forms held below 2 the same
    way; the declared ones count for the template pack. A version the dev requirements pin is the author's."""
    return held_inferred_by(NAME, lambda dependencies: _held(dependencies, project, declared.own_project),
                            inferred, declared)


def app_line(requirement: str) -> str:
    """A requirement line as the app wrote it: without the hold this module adds."""
    return without_holds(requirement, frozenset({NAME}), (HOLD,))
