"""Variables a committed sample of a Python module leaves for the user to fill.

settings.py reads `OPEN_WEATHER_API_KEY = os.environ["OPEN_WEATHER_API_KEY"]` and the project commits settings-dist.py
beside it, the sample the README has the user copy, writing `OPEN_WEATHER_API_KEY = "PLACE YOUR API KEY HERE"`: the
author's list of values only the user has, as an example env file's empty lines are (appconfig.py gives serve and
dev a marked placeholder for the ones the code requires at import). Only a sample's placeholder text counts (empty,
"your ... here", "<key>", "changeme", "xxx"): a value the sample gives for real (a database name) is the user's to
keep, not a slot, and stays unread.
"""

from __future__ import annotations

import ast
import re

from ..project import Project
from .missing_settings import module_samples
from .services import env_reads

# text that asks to be replaced: "PLACE YOUR OPEN WEATHER API KEY HERE", "your-api-key", "<key>", "changeme", "xxx"
_PLACEHOLDER = re.compile(r"^\s*$|\byour\b|\bhere\b|<[^<>]+>|change[\s_-]?me|place[\s_-]?holder|^x{3,}$|^\.\.\.$"
                          r"|\b(?:insert|enter|replace)\b", re.IGNORECASE)


def left_to_fill(project: Project) -> dict[str, tuple[str, str]]:
    """{variable: (the module that reads it, its sample file)} for each variable a module of the project reads with no default whose committed
    sample assigns the same name placeholder text at its top level."""
    reads: dict[str, set[str]] = {}
    for read in env_reads(project):
        if read.required and not read.default:
            reads.setdefault(read.path, set()).add(read.name)
    out: dict[str, tuple[str, str]] = {}
    for path in sorted(reads):
        for sample, tree in module_samples(project, path):
            for name, value in _assigned_text(tree):
                if name in reads[path] and _PLACEHOLDER.search(value):
                    out.setdefault(name, (path, sample))
    return out


def _assigned_text(tree: ast.Module):
    """(name, text) of each top-level `NAME = "text"`."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    yield target.id, node.value.value
