"""Locales the app sets by name that this machine lacks, compiled for it.

An app that calls `locale.setlocale(locale.LC_ALL, "en_US.UTF-8")` at import stops with "unsupported locale
setting" where that locale was never generated (a container, a minimal server: only C.utf8). glibc reads
locales from the folders LOCPATH names before its own: `localedef` compiles each missing one into Shipyard's
cache, and the app runs with LOCPATH pointing there. Nothing of the system changes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .detect.locale_names import NAME


def _key(name: str) -> str:
    """en_US.UTF-8 and en_US.utf8 are one locale (glibc normalizes the charset)."""
    base, _, charset = name.partition(".")
    return f"{base}.{charset.lower().replace('-', '')}" if charset else base


def definition(name: str) -> tuple[str, str] | None:
    """(the locale source and charset localedef makes `name` of: "en_US", "UTF-8" for en_US.utf8; "sr_RS@latin"),
    or None for a name that is no language_TERRITORY locale."""
    m = NAME.match(name)
    if not m:
        return None
    charset = m.group("charset") or "UTF-8"
    charset = "UTF-8" if charset.lower().replace("-", "") == "utf8" else charset
    return f"{m.group('base')}{m.group('modifier') or ''}", charset


def installed() -> frozenset[str]:
    """The locales this machine has (`locale -a`), by key; empty when it cannot say."""
    try:
        done = subprocess.run(["locale", "-a"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(_key(line.strip()) for line in done.stdout.splitlines() if line.strip())


def locale_path(names: tuple[str, ...], cache: Path, have: frozenset[str] | None = None) -> tuple[str | None, list[str]]:
    """(the LOCPATH folder holding every one of `names` this machine lacks, compiled there by localedef; or None
    when none is missing or none could be made, one line per locale made or not)."""
    have = installed() if have is None else have
    missing = [n for n in names if _key(n) not in have]
    if not missing:
        return None, []
    folder = cache / "locales"
    made, failed = [], []
    localedef = shutil.which("localedef")
    for name in missing:
        target = folder / name
        if (target / "LC_CTYPE").is_file():
            made.append(name)
            continue
        made_of = definition(name)
        if localedef is None or made_of is None:
            failed.append(name)
            continue
        source, charset = made_of
        folder.mkdir(parents=True, exist_ok=True)
        try:
            done = subprocess.run([localedef, "-i", source, "-f", charset, str(target)], capture_output=True,
                                  text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired):
            done = None
        # localedef exits 1 for warnings with the locale written; the compiled LC_CTYPE is what counts
        (made if (target / "LC_CTYPE").is_file() else failed).append(name)
        if done is not None and not (target / "LC_CTYPE").is_file():
            shutil.rmtree(target, ignore_errors=True)
    notes = []
    if made:
        notes.append(f"the app sets the locale {', '.join(made)}, which this machine has not generated: compiled "
                     f"into {folder} (LOCPATH), the system untouched")
    if failed:
        notes.append(f"the app sets the locale {', '.join(failed)}, which this machine lacks and localedef could not "
                     f"make here: generate it (locale-gen {failed[0]}), or the import stops with 'unsupported "
                     "locale setting'")
    return (str(folder) if made else None), notes
