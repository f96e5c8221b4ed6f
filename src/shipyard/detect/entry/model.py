"""The entry detector's model: modules as read from the folder, the apps they make, and the
candidate names a server could load."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from ..appscan import Imp, ModuleScan, ServerStart


@dataclass(frozen=True)
class Module:
    path: str                       # file, relative to the project root
    root: str                       # folder it is imported from (the first ancestor without __init__.py)
    name: str                       # dotted name relative to `root`
    scan: ModuleScan
    decoy: bool


@dataclass(frozen=True)
class AppDef:
    """One app: where it is made. Every name that exposes it is a candidate of the same AppDef."""

    path: str
    line: int
    framework: str
    interface: str
    factory: bool = False
    needs_args: tuple[str, ...] = ()
    func_imports: tuple[tuple[str, Imp], ...] = ()   # factory: (file, import) run when it is called
    awaitable: bool = False                           # factory: `async def`

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


BOTTLE_DEFAULT = AppDef("<bottle default app>", 0, "bottle", "wsgi")


@dataclass
class Candidate:
    module: Module
    attr: str                       # "app", "create_app()", "main" (paste)
    app: AppDef
    kind: str                       # "attribute" | "factory" | "django" | "paste"
    dash_server: bool = False       # `server = app.server` of a Dash app
    paste_ini: str | None = None    # relative to the module's root
    closure: frozenset[str] = frozenset()
    covered: int = 0
    server_starts: tuple[tuple[str, ServerStart], ...] = ()

    @property
    def target(self) -> str:
        return f"{self.module.name}:{self.attr}"


def join(base: str, *parts: str) -> str:
    return str(PurePosixPath(base, *parts)) if base not in ("", ".") else str(PurePosixPath(*parts))
