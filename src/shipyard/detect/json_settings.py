"""Values an env file gives a pydantic settings field that pydantic parses as JSON, which are not JSON.

pydantic-settings (and pydantic 1's BaseSettings) read a field typed a list, dict, set or tuple
(`target_col: list[str] = ["precipitation"]`) from the environment as JSON. An example env file written by hand
often gives such a value in Python's spelling (`experiment_target_col=['precipitation']`), or as a comma list;
pydantic then raises SettingsError ("error parsing value for field ...") at the settings class's construction,
usually at import, where the field's default would have served. So a value that is not JSON, for a field with a
default, is not taken from the file (said in a note); a field with no default keeps it, to fail as it would.
"""

from __future__ import annotations

import json

from ..project import Project
from .settings_classes import JsonField, json_fields
from .source import imported_modules, imported_names, parsed


def json_settings(project: Project) -> list[JsonField]:
    """Every JSON-typed field of the app's settings classes."""
    return [field for tree in parsed(project).values()
            for field in json_fields(tree, imported_names(tree), imported_modules(tree))]


def unparsable(fields: list[JsonField], name: str, value: str) -> JsonField | None:
    """The field with a default that reads `name` when `value` is no JSON pydantic would parse, else None."""
    for field in fields:
        if field.default and (field.name == name if field.case_sensitive else field.name == name.upper()):
            try:
                json.loads(value)
            except ValueError:
                return field
            return None
    return None
