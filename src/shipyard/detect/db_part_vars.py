"""Variables a Django project reads as a part of its database connection, whatever their names.

`"USER": env("NEON_USER"), "HOST": env("NEON_HOST")` (a Neon-hosted course project), `"NAME":
os.getenv("PROJECT_DB")`: the key of the DATABASES entry says which part the variable holds, where its name
does not (run/database.variable_part knows POSTGRES_USER, DB_HOST...). serve points them at its own database.
"""

from __future__ import annotations

import ast

from ..project import Project
from .services import env_reads
from .source import parsed

# Django's DATABASES keys -> the part of the connection (run/database.py's names)
KEYS = {"HOST": "host", "PORT": "port", "USER": "user", "PASSWORD": "password", "NAME": "database"}


def database_part_variables(project: Project) -> tuple[tuple[str, str], ...]:
    """(variable, part) for each environment read that is the value of a HOST/PORT/USER/PASSWORD/NAME key of a
    dict display that also has an ENGINE key (a DATABASES entry), sorted."""
    places: dict[tuple[str, int, int], str] = {}
    for rel, tree in parsed(project).items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict) and any(isinstance(k, ast.Constant) and k.value == "ENGINE"
                                                  for k in node.keys):
                for k, v in zip(node.keys, node.values):
                    if isinstance(k, ast.Constant) and k.value in KEYS:
                        places[(rel, v.lineno, v.col_offset)] = KEYS[k.value]
    return tuple(sorted({(r.name, places[(r.path, r.line, r.col)]) for r in env_reads(project)
                         if (r.path, r.line, r.col) in places}))
