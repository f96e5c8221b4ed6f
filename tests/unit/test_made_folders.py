"""Folders the code makes where it runs (detect/made_folders.py), which the image makes owned by the app's user."""

from __future__ import annotations

from conftest import make_tree
from shipyard.detect.made_folders import made_folders
from shipyard.project import Project
from shipyard.render import render

LOGGER = """\
import os.path
import pathlib


class AppLogger:
    def __init__(self):
        log_dir = os.path.join(pathlib.Path(__file__).parent.resolve(), 'log')
        log_inner_dir = os.path.join(log_dir, '1d')
        if not os.path.exists(log_dir):
            os.mkdir(log_dir)
        if not os.path.exists(log_inner_dir):
            os.mkdir(log_inner_dir)
"""


def test_folders_made_beside_the_module_and_inside_them_are_found(tmp_path):
    # aiohttp-forum's logger: log/ and log/1d beside backend/logger.py, made at import, a file opened in them
    root = make_tree(tmp_path / "forum", {"backend/logger.py": LOGGER, "backend/app.py": "import logger\n"})
    assert made_folders(Project(root), "backend") == ("backend/log", "backend/log/1d")


def test_the_usual_spellings_of_a_folder_made_where_the_app_runs(tmp_path):
    root = make_tree(tmp_path / "shop", {
        "shop/__init__.py": (
            "import os\nfrom pathlib import Path\nfrom flask import Flask\n\n"
            "BASE_DIR = Path(__file__).resolve().parent.parent\n"
            "basedir = os.path.abspath(os.path.dirname(__file__))\n"
            "app = Flask(__name__)\n"
            "os.makedirs(os.path.join(basedir, 'static', 'uploads'), exist_ok=True)\n"
            "(BASE_DIR / 'media').mkdir(exist_ok=True)\n"
            "Path('exports').mkdir(parents=True, exist_ok=True)\n"
            "os.makedirs(os.path.join(app.root_path, 'thumbs'), exist_ok=True)\n"
            "os.makedirs(os.path.join(os.getcwd(), 'cache'), exist_ok=True)\n"),
    })
    assert made_folders(Project(root), "src") == (
        "media", "shop/thumbs", "src/cache", "src/exports", "shop/static/uploads")


def test_paths_outside_the_project_or_not_followed_are_left_alone(tmp_path):
    root = make_tree(tmp_path / "app", {
        "app.py": ("import os, tempfile\nfrom pathlib import Path\n\n"
                   "os.makedirs('/var/lib/app', exist_ok=True)\n"
                   "os.makedirs(os.path.join(os.path.dirname(__file__), '..', 'up'), exist_ok=True)\n"
                   "os.makedirs(os.environ['DATA_DIR'], exist_ok=True)\n"
                   "os.makedirs(tempfile.mkdtemp(), exist_ok=True)\n"
                   "Path.home().joinpath('x').mkdir()\n"
                   "def user_dir(name):\n    os.makedirs(os.path.join('users', name))\n"),
        "tests/test_app.py": "import os\nos.makedirs('test-output')\n",
    })
    assert made_folders(Project(root), ".") == ()


def test_the_image_makes_them_owned_by_the_apps_user(tmp_path):
    from shipyard.planner import make_plan
    root = make_tree(tmp_path / "forum", {
        "logger.py": LOGGER,
        "app.py": "import logger\nfrom flask import Flask\n\napp = Flask(__name__)\n",
        "requirements.txt": "flask\n"})
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.made_folders == ("log", "log/1d")
    dockerfile = render(plan)["Dockerfile"]
    # what the build context holds there too (aiohttp-forum's log file, left by a run in the checkout, is opened
    # for writing at import: root-owned, the worker stopped on PermissionError again)
    made = dockerfile.index("RUN install -d -o app -g app -m 0750 /app/log /app/log/1d \\\n && chown -R app:app /app/log /app/log/1d\n")
    assert "The code makes log, log/1d where it runs" in dockerfile
    assert dockerfile.index("COPY . .") < made < dockerfile.index("USER ")
