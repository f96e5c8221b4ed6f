"""Small JSON files of facts Shipyard keeps in its cache (what an install learned about releases), read leniently
and written atomically: a concurrent run losing an update learns it again."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import MISSING, Field, asdict, fields
from pathlib import Path
from typing import Any, Iterable, TypeVar

T = TypeVar("T")


def read(path: Path) -> Any:
    """The file's JSON, or None when it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=1)
    os.replace(tmp, path)


def read_records(path: Path, key: str, record: type[T]) -> tuple[T, ...]:
    """The dataclass `record`s listed under `key`, each field read by name (a list as a tuple of strings, anything
    else as a string, a missing field at its default); () when the file is missing or not of that shape."""
    data = read(path)
    try:
        return tuple(record(**{f.name: _field(item, f) for f in fields(record)})  # type: ignore[arg-type]
                     for item in data.get(key, []))
    except (TypeError, KeyError, AttributeError):
        return ()


def write_records(path: Path, key: str, records: Iterable[Any]) -> None:
    """`records` (dataclasses) under `key`, as read_records reads them back."""
    write(path, {key: [asdict(r) for r in records]})


def _field(item: dict, spec: Field) -> Any:
    if spec.name not in item and spec.default is not MISSING:
        return spec.default
    value = item[spec.name]
    return tuple(str(v) for v in value) if isinstance(value, list) else str(value)
