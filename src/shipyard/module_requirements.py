"""Requirements that name a module, not the distribution that installs it, as installs here found them.

A Pipfile's `cv2 = "*"` beside opencv-python: cv2 is what the code imports, no index has a distribution of that name,
and uv stops on it. An install leaves the line out and installs the distribution providing the module
(install_retries.ImportNameDeclared). That is a fact about the index, not about the app: it is kept in Shipyard's
cache, as dropped pins are (dropped_pins.py), and a plan whose app declares the same name leaves it out of the image
too (the image installed the line as written, and failed on it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from packaging.utils import canonicalize_name as normalized  # PEP 503, as detect.deps.normalize

from . import cachefile

FILE = "module-requirements.json"


@dataclass(frozen=True)
class ModuleName:
    name: str           # "cv2", normalized
    provider: str       # "opencv-python-headless": the distribution installed in its place when none is declared
    provided_by: tuple[str, ...] = ()     # every distribution known to install the module (opencv-python, ...)

    def note(self, line: str) -> str:
        return (f"the app declares {line}, which is not on the package index: it is the module {self.provider} installs (`import "
                f"{self.name}`; declare the distribution, not the module): left out")


def known(cache: Path) -> tuple[ModuleName, ...]:
    return cachefile.read_records(cache / FILE, "modules", ModuleName)


def remember(cache: Path, module: ModuleName) -> None:
    merged = [m for m in known(cache) if m.name != module.name] + [module]
    cachefile.write_records(cache / FILE, "modules", merged)


def for_requirements(names: Iterable[str], modules: Iterable[ModuleName]) -> dict[str, ModuleName]:
    """{requirement name as the app wrote it: what is known} for each of `names` that is a known module name."""
    by_name = {m.name: m for m in modules}
    return {n: by_name[normalized(n)] for n in names if normalized(n) in by_name}
