"""The app's example config file, for a variable that names the app's config file and whose example value is a
placeholder (`BASE_CONFIG="<YOUR_PATH_TO_CONFIG>"` in .env.example, beside config/example.config.toml).

Apps that keep their settings in a TOML, YAML or JSON file read the file's path from a variable with no
default, and ship an example of the file. A person sets the variable to that example (or a copy of it); read
in place, the placeholder is a file that does not exist and the app stops at import. Shipyard gives the
variable the example file's path when the project ships exactly one example config file (its name says example,
sample, template or default), so there is no choice to guess. Only for a variable whose name says it holds a
config file's path (CONFIG, BASE_CONFIG, CONFIG_PATH, APP_CONFIG_FILE, SETTINGS_FILE...).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ..project import Project
from .source import is_app_file

# a value to replace, not to use: <YOUR_PATH_TO_CONFIG>, <path/to/config.toml>
PLACEHOLDER = re.compile(r"<[^<>]+>")
# CONFIG, BASE_CONFIG, CONFIG_PATH, APP_CONFIG_FILE, SETTINGS_FILE, CONFIG_FILE_PATH
PATH_NAME = re.compile(r"(?:[A-Z0-9]+_)*(?:CONFIG|CONF|SETTINGS)(?:_FILE)?(?:_PATH)?")
CONFIG_SUFFIXES = (".toml", ".yaml", ".yml", ".json")
EXAMPLE_WORDS = frozenset({"example", "sample", "template", "default", "dist"})


def is_placeholder(value: str) -> bool:
    return PLACEHOLDER.fullmatch(value.strip()) is not None


def names_config_file(name: str) -> bool:
    return PATH_NAME.fullmatch(name) is not None


def example_config(project: Project) -> str | None:
    """The project's one example config file (relative to the root), or None when it has none or several."""
    found = [rel for rel in project.files if _is_example_config(rel) and is_app_file(rel)]
    return found[0] if len(found) == 1 else None


def _is_example_config(rel: str) -> bool:
    path = PurePosixPath(rel)
    if path.suffix.lower() not in CONFIG_SUFFIXES and not (path.suffix.lower() in (".example", ".sample", ".dist")
                                                          and PurePosixPath(path.stem).suffix in CONFIG_SUFFIXES):
        return False
    words = set(re.split(r"[^a-z0-9]+", rel.lower()))          # config/example.toml: the folder says config
    return bool(words & EXAMPLE_WORDS) and bool(words & {"config", "settings", "conf", "app"})
