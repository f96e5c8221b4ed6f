"""Rendering the production files of a plan (no side effects), and writing them safely."""

from .render import (SECRETS_FILE, TEMPLATES, check_supported, context, files_for, files_for_topology, render,
                     secrets_env)
from .stamp import EDITED, FOREIGN, GENERATED, origin, stamp
from .target import Target

__all__ = ["EDITED", "FOREIGN", "GENERATED", "SECRETS_FILE", "TEMPLATES", "Target", "check_supported", "context",
           "files_for", "files_for_topology", "origin", "render", "secrets_env", "stamp"]
