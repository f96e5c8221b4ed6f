"""A Dockerfile's `FROM python:3.9-slim` left behind by the code: a FastAPI dashboard whose app/schemas/mixins.py
imports datetime.UTC (Python 3.11) and whose Dockerfile, never run again, names python:3.9 (and a src/ folder the
repository lacks). The plan took 3.9 from the FROM line, and serve stopped on "cannot import name 'UTC' from
'datetime'". The weakest declaration gives way to the Python the code needs; one the app declares itself stands,
and so do uses the code guards (try/except ImportError, `if sys.version_info`) or never imports."""

from __future__ import annotations

import os
import time

from shipyard.detect import code_python, entry, reach
from shipyard.planner import make_plan
from shipyard.project import Project

from conftest import make_tree

MAIN = ("from fastapi import FastAPI\nfrom app.schemas.mixins import TimestampMixin\n\napp = FastAPI()\n\n\n"
        "@app.get('/health')\nasync def health():\n    return {'status': 'healthy'}\n")
MIXINS = ("from datetime import UTC, datetime\n\nfrom pydantic import BaseModel\n\n\nclass TimestampMixin(BaseModel):\n"
          "    created_at: datetime = datetime.now(UTC)\n")
DOCKERFILE = "FROM python:3.9-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n" \
             "CMD [\"uvicorn\", \"src.main:app\", \"--host\", \"0.0.0.0\"]\n"


def _app(tmp_path, mixins=MIXINS, **more):
    root = make_tree(tmp_path / "dashboard", {"app/__init__.py": "", "app/main.py": MAIN, "app/schemas/__init__.py": "",
                                              "app/schemas/mixins.py": mixins, "Dockerfile": DOCKERFILE,
                                              "requirements.txt": "fastapi\npydantic\n", **more})
    # last changed in January 2025, before Python 3.9's end of life: its unbounded packages support 3.9 then
    then = time.mktime((2025, 1, 22, 12, 0, 0, 0, 0, 0))
    for path in root.rglob("*"):
        os.utime(path, (then, then))
    return root


def test_a_dockerfiles_python_gives_way_to_the_one_the_code_needs(tmp_path):
    root = _app(tmp_path)
    project = Project(root)
    found = entry.find(project, None)
    assert code_python.floor(project, found, reach.unreached_files(project, found)) == \
        ((3, 11), "datetime.UTC", "app/schemas/mixins.py:1")
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.python.version == "3.11"
    assert plan.python.source == ("FROM line in Dockerfile names 3.9, but the app's code uses datetime.UTC "
                                  "(app/schemas/mixins.py:1), which needs Python 3.11: that Python")


def test_a_python_the_app_declares_itself_stands(tmp_path):
    root = _app(tmp_path, **{".python-version": "3.9\n"})
    assert make_plan(root, confirm=False, installed=False).python.version == "3.9"


def test_guarded_uses_and_files_the_entry_never_imports_do_not_count(tmp_path):
    guarded = ("import sys\ntry:\n    from datetime import UTC\nexcept ImportError:\n    from datetime import timezone\n"
               "    UTC = timezone.utc\nif sys.version_info >= (3, 11):\n    from enum import StrEnum\n"
               "from pydantic import BaseModel\n\n\nclass TimestampMixin(BaseModel):\n    pass\n")
    root = _app(tmp_path, mixins=guarded, **{"scripts/report.py": "import tomllib\nmatch 1:\n    case _:\n        pass\n"})
    project = Project(root)
    found = entry.find(project, None)
    assert code_python.floor(project, found, reach.unreached_files(project, found)) is None
    assert make_plan(root, confirm=False, installed=False).python.version == "3.9"


def test_what_each_use_needs(tmp_path):
    root = make_tree(tmp_path / "uses", {
        "a.py": "import datetime\nstamp = datetime.UTC\n",
        "b.py": "from typing import Self\n",
        "c.py": "def f(x):\n    match x:\n        case 1:\n            return 1\n",
        "d.py": "import asyncio\n\nasync def g():\n    async with asyncio.TaskGroup() as tg:\n        pass\n",
        "e.py": "from typing import Annotated, Optional\nimport zoneinfo\n"})
    project = Project(root)
    found = {rel: code_python.floor(project, None, frozenset({"a.py", "b.py", "c.py", "d.py", "e.py"}) - {rel})
             for rel in ("a.py", "b.py", "c.py", "d.py", "e.py")}
    assert found == {"a.py": ((3, 11), "datetime.UTC", "a.py:2"), "b.py": ((3, 11), "typing.Self", "b.py:1"),
                     "c.py": ((3, 10), "a match statement", "c.py:2"),
                     "d.py": ((3, 11), "asyncio.TaskGroup", "d.py:4"),
                     "e.py": ((3, 9), "typing.Annotated", "e.py:1")}
