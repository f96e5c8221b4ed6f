"""What a configuration file's name says it is for (Pyramid's development.ini, testing.ini, production.ini):
a development or test file pulls in the debug toolbar and test add-ons, which production does not install."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

_WORDS = re.compile(r"[^a-z0-9]+")
DEVELOPMENT_OR_TEST = {"dev", "devel", "develop", "development", "local", "debug", "test", "tests", "testing", "ci"}
# "pro": Django by Example's split settings (settings/base.py, local.py, pro.py), which its readers' blogs keep
PRODUCTION = {"prod", "pro", "production", "live", "deploy", "deployment"}


def name_words(path: str) -> set[str]:
    """The words of a file's name without its extension: "etc/app-dev.ini" -> {"app", "dev"}."""
    return {w for w in _WORDS.split(PurePosixPath(path).stem.lower()) if w}


def for_development_or_tests(path: str) -> bool:
    return bool(name_words(path) & DEVELOPMENT_OR_TEST)


def for_production(path: str) -> bool:
    return bool(name_words(path) & PRODUCTION) and not for_development_or_tests(path)
