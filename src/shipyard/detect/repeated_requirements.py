"""A distribution declared twice, the second time with extras: `pydantic` then `pydantic[dotenv]` in one
requirements.txt (a 2022 FastAPI + ormar example), `fastapi` in requirements.txt and `fastapi[all]` in pyproject.

pip installs every line, so the extras of each line are installed: `pydantic[dotenv]` brings python-dotenv, which
pydantic v1's BaseSettings(_env_file=...) needs at import. Shipyard keeps one Dependency per name, the first one
declared; without this the second line's extras were lost and the app's import failed in serve ("python-dotenv is
not installed") although its file declares it.
"""

from __future__ import annotations

import re

from ..plan import Dependency

_EXTRAS = re.compile(r"^\s*\[([^\]]*)\]")


def extras_of(spec: str) -> frozenset[str]:
    """The extras a Dependency's spec starts with (`[dotenv,email]>=1.8` -> {"dotenv", "email"})."""
    found = _EXTRAS.match(spec)
    return frozenset(e.strip().lower() for e in found.group(1).split(",") if e.strip()) if found else frozenset()


def _rest(spec: str) -> str:
    """The spec after its extras: the version, URL and marker."""
    found = _EXTRAS.match(spec)
    return spec[found.end():] if found else spec


def joined(kept: Dependency, again: Dependency) -> tuple[Dependency, str]:
    """`kept` with the extras `again` adds (and, from the same file, the version it gives where `kept` gives
    none), and a note saying so; (kept, "") when `again` adds nothing.

    A later line with a marker (`pkg[x]; python_version < "3.8"`) asks for its extras only where the marker
    holds: left alone. Versions are taken only within one file, never across two manifests, since
    requirements.txt's pin and pyproject's range of the same package were written for different installs."""
    more = extras_of(again.spec) - extras_of(kept.spec)
    rest, again_rest = _rest(kept.spec), _rest(again.spec)
    if ";" in again_rest or "@" in again_rest:
        return kept, ""
    take_version = not rest.strip() and again_rest.strip() and again.source == kept.source
    if not more and not take_version:
        return kept, ""
    extras = sorted(extras_of(kept.spec) | extras_of(again.spec))
    spec = (f"[{','.join(extras)}]" if extras else "") + (again_rest.strip() if take_version else rest)
    where = f"{kept.source} declares" if kept.source == again.source else f"{kept.source} and {again.source} declare"
    note = (f"{where} {kept.name} twice ({kept.requirement.strip()!r}, {again.requirement.strip()!r}): "
            f"installed as {kept.name}{spec}, as pip installs both lines")
    return Dependency(kept.name, spec, kept.source, kept.inferred), note
