"""The setup step of copying an example configuration file to the name the app's code opens, done by serve and dev.

A 2019 Quart app reads `config.ini` with configparser and ships config.example.ini; its README says `cp
config.example.ini config.ini`. configparser reads a missing file as empty, so the import succeeds and the app
fails later (KeyError: 'rana:database' in the task that opens its database, a 500 on the page that reads its
settings). serve and dev run the app in its own folder, as the README does: a file the code names that is
missing while its example is there (detect/config_examples.py) is copied from the example, once; the copy is the
user's afterwards (never overwritten). The example's values are the README's defaults: a login on this machine's
PostgreSQL it writes is the one serve's own database answers (detect/written_urls.py reads the example too).

A settings module the code imports is the same step: a Flask ERP's app/base.py imports app/config/main.py, which
its .gitignore keeps out, beside app/config/example.py; a FastAPI shop's README has you copy
fastapi_ecom/config/config.py.example to config.py. Not a module imported under try (the app runs without it).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

from ..detect.config_examples import examples_to_copy, modules_to_copy
from ..project import Project


def copy_config_examples(root: Path, workdir: str, say: Callable[[str], None]) -> list[str]:
    """Copy each missing configuration file the app's code opens, and each settings module it imports, from its
    example; the copies' paths (relative to `root`), each said in one line."""
    copied = []
    project = Project(root)
    for (example, missing), how in [*((pair, "opens") for pair in examples_to_copy(project, workdir)),
                                    *((pair, "imports") for pair in modules_to_copy(project, workdir))]:
        target = root / missing
        if target.exists() or not (root / example).is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / example, target)
        copied.append(missing)
        say(f"{missing}: the app's code {how} it and the project ships only its example {example}: copied the "
            f"example there, the setup step its README has you do (edit {missing} for your own values; it is "
            "yours now, never overwritten)")
    return copied
