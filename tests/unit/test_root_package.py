"""A repository whose root is itself a package (an __init__.py at the root; main.py imports `from .routes import
router`), which its author runs from the folder above as `uvicorn todoapp.main:app`: imported as `main` it failed
("attempted relative import with no known parent package"). The root is now imported as the package its project
names (pyproject's name; the folder's name, as a checkout's, may be no identifier), in the import proof and in the
served entry (shipyard_entry.py), and gunicorn serves it (granian imports its target as `<folder>.shipyard_entry`).

Real FastAPI (the dev environment's) imports the app, and the rendered entry answers a real ASGI request."""

from __future__ import annotations

import json
import sys

from conftest import asgi_get, make_tree
from shipyard.planner import make_plan
from shipyard.render import render

APP = {
    "pyproject.toml": '[tool.poetry]\nname = "todoapp"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\n'
                      'python = "^3.11"\nfastapi = "*"\n',
    "__init__.py": "",
    "routes.py": """
        from fastapi import APIRouter
        from .store import ITEMS

        router = APIRouter()

        @router.get("/todos/")
        def todos():
            return ITEMS
        """,
    "store.py": "ITEMS = [{'id': 1, 'title': 'write the test'}]\n",
    "main.py": """
        from fastapi import FastAPI
        from .routes import router

        app = FastAPI()
        app.include_router(router)
        """,
}



def test_a_root_that_is_a_package_is_imported_and_served_as_the_package_its_project_names(tmp_path):
    root = make_tree(tmp_path / "my-todo-app", APP)      # a checkout's folder name: no identifier
    plan = make_plan(root, python_exe=sys.executable, timeout=60)
    assert plan.entry.target == "main:app" and plan.entry.root_package == "todoapp", plan.entry
    assert plan.proof.proven, plan.proof
    assert plan.settings["server"] == "gunicorn"
    assert any("imported as the package todoapp (todoapp.main:app)" in n for n in plan.notes), plan.notes
    shim = tmp_path / "run"
    shim.mkdir()
    (shim / "shipyard_entry.py").write_text(render(plan, only=("shipyard_entry.py",))["shipyard_entry.py"])
    done = asgi_get(root, path="/todos/", first=shim)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [200, '[{"id":1,"title":"write the test"}]']
    # dev reloads the same entry (uvicorn --reload shipyard_entry:app), not `main:app`
    from shipyard.run.appenv import AppEnv
    from shipyard.run.dev import dev_command
    (tmp_path / "dev").mkdir()
    dev = dev_command(plan, root, AppEnv(sys.executable, "the test's Python"), 8000, tmp_path / "dev")
    assert dev.argv[-1] == "shipyard_entry:app", dev.argv
    assert "root_as_package(\"todoapp\")" in (tmp_path / "dev" / "shipyard_entry.py").read_text()


def test_a_package_root_whose_entry_imports_absolutely_stays_a_top_level_module(tmp_path):
    files = {**APP, "main.py": "from fastapi import FastAPI\nfrom routes import router\n\napp = FastAPI()\n"
                               "app.include_router(router)\n",
             "routes.py": "from fastapi import APIRouter\n\nrouter = APIRouter()\n"}
    plan = make_plan(make_tree(tmp_path / "flat", files), python_exe=sys.executable, timeout=60)
    assert plan.entry.root_package is None and plan.proof.proven, plan.proof
