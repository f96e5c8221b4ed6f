"""gunicorn's Python config file (gunicorn.conf.py): the settings assigned at module level."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Value:
    line: int
    constant: object = None         # the literal value, when it is one
    source: str = ""                # the expression as written
    reads_env: bool = False         # the expression reads os.environ / os.getenv
    host_cpus: bool = False         # the expression counts the host's CPUs (cpu_count())


@dataclass
class GunicornConf:
    path: str
    settings: dict[str, Value] = field(default_factory=dict)
    error: str = ""


def read(path: str, text: str) -> GunicornConf:
    conf = GunicornConf(path)
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        conf.error = f"line {exc.lineno}: {exc.msg}"
        return conf
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
            value = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
            targets, value = [node.target.id], node.value
        else:
            continue
        source = ast.get_source_segment(text, value) or ""
        constant = ast.literal_eval(value) if _is_literal(value) else None
        for name in targets:
            conf.settings[name] = Value(node.lineno, constant, source,
                                        "environ" in source or "getenv" in source or "_env" in source,
                                        "cpu_count" in source)
    return conf


def _is_literal(node: ast.AST) -> bool:
    try:
        ast.literal_eval(node)
        return True
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
