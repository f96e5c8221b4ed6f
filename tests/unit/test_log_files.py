"""Log files the code opens by a relative name where it runs: the image makes them, owned by the app's user (a
2018 CherryPy project's access.log: root-owned in the image, the worker stopped at its import)."""

from __future__ import annotations

from conftest import make_tree
from shipyard.detect.log_files import log_files
from shipyard.plan import Plan
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.render import Target, render

APP = {
    "app.py": '''
        import logging
        from logging.handlers import RotatingFileHandler

        from flask import Flask

        logging.basicConfig(filename="run.log", level=logging.INFO)
        handler = RotatingFileHandler("errors.log", maxBytes=10000)
        other = logging.FileHandler("/var/log/app.log")
        nested = logging.FileHandler("logs/app.log")
        settings = {"log.access_file": "access.log", "title": "not.log", "log_dir": "somewhere"}
        app = Flask(__name__)
        ''',
    "requirements.txt": "flask\n",
}


def test_the_log_files_the_code_names_are_found_relative_to_where_it_runs(tmp_path):
    root = make_tree(tmp_path / "app", APP)
    assert log_files(Project(root), ".") == ("access.log", "errors.log", "run.log")
    assert log_files(Project(root), "src") == ("src/access.log", "src/errors.log", "src/run.log")


def test_the_image_makes_them_owned_by_the_apps_user_after_the_code(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    plan = make_plan(make_tree(tmp_path / "app", APP), confirm=False, installed=False)
    assert plan.log_files == ("access.log", "errors.log", "run.log") and Plan.from_json(plan.to_json()) == plan
    dockerfile = render(plan, Target.image())["Dockerfile"]
    made = ("RUN install -o app -g app -m 0640 /dev/null /app/access.log && install -o app -g app -m 0640 /dev/null "
            "/app/errors.log && install -o app -g app -m 0640 /dev/null /app/run.log\n")
    assert made in dockerfile, dockerfile
    assert dockerfile.index("COPY . .") < dockerfile.index(made) < dockerfile.index("\nUSER ")


def test_an_app_naming_no_log_file_gets_no_step(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    plan = make_plan(make_tree(tmp_path / "app", {"app.py": "from flask import Flask\napp = Flask(__name__)\n"}),
                     confirm=False, installed=False)
    assert plan.log_files == () and "-m 0640 /dev/null" not in render(plan, Target.image())["Dockerfile"]


def test_the_image_gives_a_log_file_variable_a_file_in_its_run_folder(tmp_path, monkeypatch):
    # a 2022 Django to-do API's LOGGING takes 'filename': os.environ.get('LOGGING_PATH') and an env template
    # leaves it empty: serve gives it a file of its own, and the image gave none (Django stopped at start-up on
    # "Unable to configure handler 'file'"); a variable read elsewhere too is left alone, and one the production
    # configuration sets keeps its value
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = make_tree(tmp_path / "app", {
        "app.py": '''
            import logging
            import os

            from flask import Flask

            logging.basicConfig(filename=os.environ.get("APP_LOG"), level=logging.INFO)
            errors = logging.FileHandler(os.environ["ERROR_LOG"])
            kept = logging.FileHandler(os.environ.get("DATA_DIR"))
            print(os.environ.get("DATA_DIR"))
            app = Flask(__name__)
            ''',
        "requirements.txt": "flask\n",
    })
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.log_file_variables == ("APP_LOG", "ERROR_LOG") and Plan.from_json(plan.to_json()) == plan
    dockerfile = render(plan, Target.image())["Dockerfile"]
    assert 'APP_LOG="/tmp/shipyard/app_log.log"' in dockerfile
    assert 'ERROR_LOG="/tmp/shipyard/error_log.log"' in dockerfile
    assert "DATA_DIR=" not in dockerfile
