"""Django Channels below 4 for an app whose ProtocolTypeRouter names no "http" route.

Channels 2 and 3 filled a ProtocolTypeRouter's missing "http" route in themselves (Django's views through their
AsgiHandler; 3.x with a deprecation warning), so a Channels 2 project wrote `ProtocolTypeRouter({"websocket":
...})` and served its pages and its sockets from that one ASGI_APPLICATION. Channels 4 (October 2022) dropped that:
every HTTP request to such a router raises "No application configured for scope type 'http'", and every page
answers 500. An app that leaves channels open (unpinned, or inferred from its imports with no dependency file)
gets 4.x; its channels is held below 4, with a note, wherever it is installed (proof, serve, image), as it ran
when written.

Left alone: a router that names "http" (made for any Channels), a channels pinned exactly or bounded by its author
in a way that admits no 3.x (`>=4`), and an app with no ProtocolTypeRouter written as a dict literal. The hold is
Shipyard's, not the app's: resolution dating does not take it for a bound (app_line).
"""

from __future__ import annotations

import ast

from ..plan import Dependency
from ..project import Project
from .ast_nodes import ast_nodes
from .findings import DeclaredDependencies
from .sqlalchemy_hold import declared_with, held_inferred_by, open_to, with_hold, without_holds

HOLD = "<4"
NAME = "channels"
OLDER = ("3.0.5", "2.4.0")
SOURCE = "held below 4: the app's ProtocolTypeRouter names no \"http\" route, which Channels 4 no longer fills in"


def _router_without_http(project: Project) -> str | None:
    """The file whose ProtocolTypeRouter({...}) is a dict literal with no "http" key; None when there is none."""
    from .source import parsed
    for rel, tree in sorted(parsed(project).items()):
        for node in ast_nodes(tree):
            if not isinstance(node, ast.Call) or not node.args or not isinstance(node.args[0], ast.Dict):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            keys = node.args[0].keys
            if name == "ProtocolTypeRouter" and all(isinstance(k, ast.Constant) for k in keys) \
                    and "http" not in {k.value for k in keys}:
                return rel
    return None


def _held(dependencies: tuple[Dependency, ...], project: Project) -> tuple[tuple[Dependency, ...], str | None]:
    found = open_to(dependencies, NAME, HOLD, OLDER)
    if found is None:
        return dependencies, None
    current, spec = found
    router = _router_without_http(project)
    if router is None:
        return dependencies, None
    note = (f"channels held below 4 (channels{HOLD}): {router}'s ProtocolTypeRouter names no \"http\" route, which "
            "Channels 2 and 3 filled in with Django's views and Channels 4 does not (every page would answer 500; "
            "add \"http\": get_asgi_application() to move to Channels 4)")
    return with_hold(dependencies, current, spec, SOURCE), note


def held(declared: DeclaredDependencies, project: Project) -> DeclaredDependencies:
    """`declared` with its open channels held below 4 when its router names no "http" route."""
    return declared_with(declared, _held(declared.dependencies, project))


def held_inferred(inferred: list[Dependency], declared: DeclaredDependencies,
                  project: Project) -> tuple[list[Dependency], str | None]:
    """`inferred` with an undeclared, unpinned channels held below 4 the same way."""
    return held_inferred_by(NAME, lambda dependencies: _held(dependencies, project), inferred, declared)


def app_line(requirement: str) -> str:
    """A requirement line as the app wrote it: without the hold this module adds."""
    return without_holds(requirement, frozenset({NAME}), (HOLD,))
