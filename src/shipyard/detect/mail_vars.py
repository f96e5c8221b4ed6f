"""Variables an app reads, under names of its own, only into the framework's mail settings.

A 2019 DRF starter's production settings: `EMAIL_HOST_USER = os.environ['DEFAULT_EMAIL']`, `DEFAULT_FROM_EMAIL =
os.environ['DEFAULT_EMAIL']`, `EMAIL_HOST_PASSWORD = os.environ['DEFAULT_EMAIL_PASSWORD']`, the example env file
leaving them commented out "(Only staging and prod)". The import stops without them, though each goes only into a
setting the framework has a default for (framework_defaults.py), which matters only when the app sends mail: the
variable gets that setting's default, as EMAIL_HOST_USER itself would. A variable that goes into several of them
gets the first non-empty default among them (a sender address is also a valid user name for an SMTP login); one
also read anywhere else (a third party's credential) is left alone.

Read statically: nothing is imported.
"""

from __future__ import annotations

import ast

from ..framework_defaults import DEFAULTS
from ..project import Project
from .ast_nodes import ast_nodes
from .services import env_reads
from .source import parsed

# the mail settings of framework_defaults (Django's EMAIL_*, DEFAULT_FROM_EMAIL; Flask-Mail's MAIL_*)
MAIL_SETTINGS = frozenset(name for name in DEFAULTS
                          if name.startswith(("EMAIL_", "MAIL_")) or name == "DEFAULT_FROM_EMAIL")


def mail_setting_variables(project: Project) -> dict[str, tuple[str, str]]:
    """{variable: (the value to give it, the mail setting whose default it is)} for each variable read with no
    default whose every read lies inside a value assigned to a mail setting, and that is not a mail setting's
    own name (framework_defaults gives those already)."""
    reads = [r for r in env_reads(project) if r.name not in DEFAULTS]
    settings_of: dict[str, list[str]] = {}
    outside: set[str] = set()
    for rel, tree in parsed(project).items():
        in_file = [r for r in reads if r.path == rel]
        if not in_file:
            continue
        spans = list(_mail_values(tree))
        for read in in_file:
            setting = next((name for name, first, last in spans if first <= read.line and read.end_line <= last), None)
            if setting is None or read.default:
                outside.add(read.name)
            else:
                settings_of.setdefault(read.name, []).append(setting)
    out: dict[str, tuple[str, str]] = {}
    for name, settings in settings_of.items():
        if name in outside:
            continue
        setting = next((s for s in settings if DEFAULTS[s][0]), settings[0])
        out[name] = (DEFAULTS[setting][0], setting)
    return out


def _mail_values(tree: ast.AST):
    """(setting, first line, last line) of each value assigned to a mail setting: a module constant, a class
    attribute, a config item (`app.config["MAIL_PASSWORD"] = ...`)."""
    for node in ast_nodes(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (name := _setting_name(target)) in MAIL_SETTINGS:
                    yield name, node.value.lineno, node.value.end_lineno or node.value.lineno


def _setting_name(target: ast.AST) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) \
            and isinstance(target.slice.value, str):
        return target.slice.value
    return None
