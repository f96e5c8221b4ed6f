"""The static folder a Starlette app mounts and the fresh clone lacks (git keeps no empty folder): found by reading
(detect/services.py absent_static_folders), made by serve and dev (run/static_folders.py) and by the image."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import make_tree
from shipyard.detect import services
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.render import render
from shipyard.run.static_folders import make_absent_static_folders

# a 2022 FusionAuth login example's shape: the routes list mounts static/, which no commit holds
MAIN = """
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles


async def homepage(request):
    return PlainTextResponse("login form")


routes = [
    Route("/", endpoint=homepage),
    Mount("/static", StaticFiles(directory="static"), name="static"),
]

app = Starlette(debug=True, routes=routes)
"""

PROBE = textwrap.dedent("""
    import sys
    sys.path.insert(0, ".")
    from starlette.testclient import TestClient
    from main import app
    client = TestClient(app)
    print(client.get("/").status_code, client.get("/static/site.css").status_code)
    """)


def _import_and_get(root):
    return subprocess.run([sys.executable, "-c", PROBE], cwd=root, capture_output=True, text=True, timeout=120)


def test_serve_makes_the_mounted_static_folder_the_clone_lacks_and_the_app_answers(tmp_path):
    root = make_tree(tmp_path / "fusionauth-example", {"main.py": MAIN, "requirements.txt": "starlette\n"})
    before = _import_and_get(root)
    assert before.returncode != 0 and "Directory 'static' does not exist" in before.stderr
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.absent_static_folders == ("static",)
    said: list[str] = []
    assert make_absent_static_folders(plan, root, said.append) == ["static"]
    assert (root / "static").is_dir() and not any((root / "static").iterdir())
    assert "made static (empty): the app mounts Starlette's StaticFiles there" in said[0]
    after = _import_and_get(root)
    assert after.returncode == 0, after.stderr
    assert after.stdout.split() == ["200", "404"]
    # once there, it is the app's: nothing made again, nothing said
    assert make_absent_static_folders(plan, root, said.append) == [] and len(said) == 1


def test_the_image_makes_them_empty(tmp_path):
    root = make_tree(tmp_path / "notes", {
        "app/__init__.py": "",
        "app/main.py": """
            from fastapi import FastAPI
            from fastapi.staticfiles import StaticFiles

            app = FastAPI()
            app.mount("/assets", StaticFiles(directory="app/assets"), name="assets")
            """,
        "requirements.txt": "fastapi\n"})
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.absent_static_folders == ("app/assets",)
    dockerfile = render(plan)["Dockerfile"]
    made = dockerfile.index("RUN install -d -m 0755 /app/app/assets\n")
    assert dockerfile.index("COPY . .") < made < dockerfile.index("USER ")


def test_only_missing_checked_folders_inside_the_project(tmp_path):
    root = make_tree(tmp_path, {
        "site.py": """
            from pathlib import Path
            from starlette.routing import Mount
            from starlette.staticfiles import StaticFiles

            HERE = Path(__file__).parent
            routes = [
                Mount("/static", app=StaticFiles(directory=HERE / "public")),
                Mount("/media", StaticFiles(directory="media", check_dir=False)),
                Mount("/there", StaticFiles(directory="present")),
                Mount("/outside", StaticFiles(directory="/srv/static")),
                Mount("/above", StaticFiles(directory="../shared")),
            ]
            """,
        "present/x.css": "body {}\n"})
    assert services.absent_static_folders(Project(root), ".") == ("public",)
