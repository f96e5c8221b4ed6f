"""Imports of modules the served entry never imports are said, not added, when the app declares its dependencies."""

from __future__ import annotations

from shipyard.detect import imports
from shipyard.detect.findings import DeclaredDependencies, EntryFinding
from shipyard.detect.reach import unreached_files
from shipyard.plan import Dependency, Entry
from shipyard.project import Project
from conftest import make_tree

FLASK = DeclaredDependencies((Dependency("Flask", "==2.0.2", "requirements.txt"),), ("requirements.txt",), True)
NONE = DeclaredDependencies((), (), False)

# flask-video-streaming's shape: the default camera is imported; the others only when CAMERA names one
CAMERAS = {
    "requirements.txt": "Flask==2.0.2\n",
    "requirements-opencv.txt": "Flask\nopencv-python\n",
    "app.py": """
        from importlib import import_module
        import os
        from flask import Flask
        if os.environ.get('CAMERA'):
            Camera = import_module('camera_' + os.environ['CAMERA']).Camera
        else:
            from camera import Camera
        app = Flask(__name__)
        """,
    "base_camera.py": "import threading\n",
    "camera.py": "from base_camera import BaseCamera\n",
    "camera_opencv.py": "import cv2\nfrom base_camera import BaseCamera\n",
    "camera_v4l2.py": "from PIL import Image\nimport v4l2capture\nfrom base_camera import BaseCamera\n",
}


def finding(module="app", attr="app", workdir=".", framework="flask", kind="attribute"):
    return EntryFinding(framework, Entry(module, attr, kind, "wsgi"), workdir)


def infer(tmp_path, files, declared=FLASK, found=None):
    project = Project(make_tree(tmp_path, files))
    return imports.infer(project, found or finding(), declared, python_exe=str(tmp_path / "no-python"))


def names(result):
    return {d.name for d in result}


def test_alternatives_a_setting_chooses_are_said_not_added(tmp_path):
    result = infer(tmp_path, CAMERAS)
    assert names(result) == set()
    said = next(n for n in result.notes if n.startswith("not added"))
    assert "opencv-python-headless (cv2 in camera_opencv.py)" in said and "Pillow (PIL in camera_v4l2.py)" in said
    assert result.unresolved == ("v4l2capture (camera_v4l2.py)",)
    assert unreached_files(Project(tmp_path), finding()) == {"camera_opencv.py", "camera_v4l2.py"}


def test_with_nothing_declared_every_import_is_still_added(tmp_path):
    result = infer(tmp_path, {k: v for k, v in CAMERAS.items() if not k.startswith("requirements")}, NONE)
    assert {"opencv-python-headless", "Pillow", "Flask"} <= names(result)


def test_what_the_entry_reaches_in_other_ways_is_still_added(tmp_path):
    result = infer(tmp_path, {
        "requirements.txt": "Flask\n",
        "app.py": """
            from importlib import import_module
            from flask import Flask
            app = Flask(__name__)
            app.config.from_object('settings.Production')
            for name in ('a', 'b'):
                import_module(f'plugins.{name}')
            def view():
                from helpers import slow
            """,
        "settings.py": "import yaml\n",                      # by a string
        "plugins/__init__.py": "",
        "plugins/a.py": "import redis\n",                   # by a name built in a loop: every plugin
        "helpers.py": "import requests\n",                   # inside a function
        "seed.py": "import faker\nif __name__ == '__main__':\n    pass\n",   # a script of its own
        "jobs.py": "import rq\n",                            # named by the Procfile
        "Procfile": "web: gunicorn app:app\nworker: rq worker -c jobs\n",
        "db/env.py": "from alembic import context\n",        # Alembic's folder under another name
        "db/versions/1_first.py": "import sqlalchemy_utils\n",
        "unused.py": "import boto3\n",                        # never imported: said
    })
    assert {"PyYAML", "redis", "requests", "Faker", "rq", "alembic", "SQLAlchemy-Utils"} <= names(result)
    assert "boto3" not in {n.lower() for n in names(result)}
    assert any("boto3 (boto3 in unused.py)" in n for n in result.notes)


def test_reach_is_unknown_where_the_code_loads_modules_by_names_from_nowhere(tmp_path):
    project = Project(make_tree(tmp_path, {
        "app.py": "import importlib, json\nfrom flask import Flask\napp = Flask(__name__)\n"
                  "for name in json.load(open('plugins.json')):\n    importlib.import_module(name)\n",
        "extra.py": "import boto3\n",
    }))
    assert unreached_files(project, finding()) is None
    assert "boto3" in names(imports.infer(project, finding(), FLASK, python_exe=str(tmp_path / "none")))
    # Django loads its apps and middleware by settings strings: its reach is not read
    assert unreached_files(project, finding("mysite.wsgi", "application", framework="django", kind="django")) is None


def test_reach_is_unknown_where_the_code_runs_files_by_paths_it_builds(tmp_path):
    project = Project(make_tree(tmp_path, {
        "app.py": "import glob, importlib.util\nfrom flask import Flask\napp = Flask(__name__)\n"
                  "for path in glob.glob('plugins/*.py'):\n"
                  "    spec = importlib.util.spec_from_file_location('plugin', path)\n",
        "plugins/extra.py": "import boto3\n",
    }))
    assert unreached_files(project, finding()) is None


def test_an_entry_named_from_the_root_with_its_folder_also_on_sys_path_is_reached_from_the_root(tmp_path):
    # a 2023 FastAPI app: src.core.app imports `src.student...`, src/main.py imports `core.app` (src/ on sys.path too,
    # import_folder): the entry was looked for as src/src/core/app.py, reach was unknown, and a models module nothing
    # imports had its beanie installed
    files = {
        "requirements.txt": "fastapi\nmotor\n",
        "src/__init__.py": "", "src/core/__init__.py": "", "src/student/__init__.py": "", "src/product/__init__.py": "",
        "src/core/app.py": "from fastapi import FastAPI\nfrom src.student.routes import router\napp = FastAPI()\n",
        "src/student/routes.py": "from src.database import client\nrouter = None\n",
        "src/database.py": "import motor.motor_asyncio\nclient = motor.motor_asyncio.AsyncIOMotorClient()\n",
        "src/main.py": "import uvicorn\nfrom core.app import app\nif __name__ == '__main__':\n    uvicorn.run('main:app')\n",
        "src/product/models.py": "from beanie import Document\n",
    }
    declared = DeclaredDependencies((Dependency("fastapi", "", "requirements.txt"),
                                     Dependency("motor", "", "requirements.txt")), ("requirements.txt",), True)
    found = EntryFinding("fastapi", Entry("src.core.app", "app", "attribute", "asgi", import_folder="src"), ".")
    result = infer(tmp_path, files, declared, found)
    assert unreached_files(Project(tmp_path), found) == {"src/product/__init__.py", "src/product/models.py"}
    assert "beanie" not in names(result)
    assert any("beanie (beanie in src/product/models.py)" in n for n in result.notes)
