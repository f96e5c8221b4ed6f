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


SETTINGS = '''
    LOGGING = {
        "version": 1,
        "handlers": {
            "file": {"class": "logging.FileHandler", "filename": "/home/ubuntu/dev/site/log/debug.log"},
            "here": {"class": "logging.FileHandler", "filename": "{here}/kept.log"},
            "stream": {"class": "logging.StreamHandler"},
        },
        "root": {"handlers": ["file", "stream"], "level": "INFO"},
    }
    '''


def test_a_log_file_on_the_authors_server_is_opened_in_shipyards_folder_for_the_app(tmp_path):
    # a 2020 Django project's LOGGING writes its EC2 machine's /home/ubuntu/dev/ffl/log/debug.log: dictConfig
    # stopped at start-up ("Unable to configure handler 'file'") wherever that folder does not exist; serve and dev
    # open that name in Shipyard's folder for the app (an absolute path whose folder exists here is left alone)
    import subprocess
    import sys

    from shipyard.detect.log_files import foreign_log_files, served_log_paths
    from shipyard.run.host_aliases import log_paths_env

    settings = SETTINGS.replace("{here}", str(tmp_path))
    root = make_tree(tmp_path / "app", {"site/settings.py": settings, "site/log.py": "open('run.log', 'a')\n"})
    written = "/home/ubuntu/dev/site/log/debug.log"
    assert foreign_log_files(Project(root)) == (written,)
    served = served_log_paths((written,), tmp_path / "data" / "logs")
    assert served == {written: str(tmp_path / "data" / "logs" / "debug.log")}
    env = log_paths_env(served, tmp_path / "run", {"PATH": "/usr/bin:/bin"})
    code = (f"import logging, logging.config\n{settings.strip()}\n".replace("\n    ", "\n")
            + "logging.config.dictConfig(LOGGING)\nlogging.getLogger('site').warning('started')\n")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "started" in (tmp_path / "data" / "logs" / "debug.log").read_text()
    assert log_paths_env({}, tmp_path / "run", {}) == {}
    assert served_log_paths(foreign_log_files(Project(make_tree(tmp_path / "other", APP))), tmp_path / "none") == {}
    assert not (tmp_path / "none").exists()


def test_the_image_makes_the_authors_log_folder_owned_by_the_apps_user(tmp_path, monkeypatch):
    # the same LOGGING built into an image: the folder of the author's server is made there, as serve opens the file
    # in its own folder; a folder that exists here gets no step
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = make_tree(tmp_path / "app", {"app.py": "from flask import Flask\napp = Flask(__name__)\n",
                                        "settings.py": SETTINGS.replace("{here}", str(tmp_path))})
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.foreign_log_folders == ("/home/ubuntu/dev/site/log",) and Plan.from_json(plan.to_json()) == plan
    dockerfile = render(plan, Target.image())["Dockerfile"]
    made = "RUN install -d -o app -g app -m 0750 /home/ubuntu/dev/site/log\n"
    assert made in dockerfile and dockerfile.index(made) < dockerfile.index("\nUSER "), dockerfile
    assert str(tmp_path) not in dockerfile


def test_the_plan_holds_the_authors_log_files_so_serve_reads_them_without_parsing_again(tmp_path, monkeypatch):
    # inspect finds the files once, with their folders; serve and dev take them from the plan at each start, and a
    # plan written before the field reads as none
    import json

    from shipyard import planner
    from shipyard.commands import appcmd

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = make_tree(tmp_path / "app", {"app.py": "from flask import Flask\napp = Flask(__name__)\n",
                                        "settings.py": SETTINGS.replace("{here}", str(tmp_path))})
    scans = []
    scan = planner.foreign_log_files
    monkeypatch.setattr(planner, "foreign_log_files", lambda project: scans.append(project) or scan(project))
    plan = make_plan(root, confirm=False, installed=False)
    assert len(scans) == 1
    assert plan.foreign_log_files == ("/home/ubuntu/dev/site/log/debug.log",)
    assert plan.foreign_log_folders == ("/home/ubuntu/dev/site/log",)
    old = {k: v for k, v in json.loads(plan.to_json()).items() if k != "foreign_log_files"}
    assert Plan.from_dict(old).foreign_log_files == () and Plan.from_json(plan.to_json()) == plan
    assert appcmd.served_log_paths(plan.foreign_log_files, tmp_path / "logs") == \
        {"/home/ubuntu/dev/site/log/debug.log": str(tmp_path / "logs" / "debug.log")}


def test_a_log_path_of_the_authors_server_in_a_config_variable_is_opened_in_shipyards_folder(tmp_path):
    # a 2025 Flask app's config class sets APP_LOG_FILE = "/var/log/<site>/app.log" (its deploy script makes that
    # folder) and create_app hands app.config['APP_LOG_FILE'] to a RotatingFileHandler: FileNotFoundError at import
    # wherever that folder does not exist; a variable merely ending in "log" (CATALOG) names no log file
    import subprocess
    import sys

    from shipyard.detect.log_files import foreign_log_files, served_log_paths
    from shipyard.run.host_aliases import log_paths_env

    written = "/var/log/shipyard-test-absent-site/app.log"
    config = (f"class LoggerConfig:\n    APP_LOG_FILE = {written!r}\n    DB_LOG_FILE: str = '/var/log/app.log'\n"
              f"CATALOG = '/srv/shipyard-test-absent/catalog.txt'\n")
    boot = ("import logging\nfrom logging.handlers import RotatingFileHandler\nfrom config import LoggerConfig\n"
            "logger = logging.getLogger('site')\nlogger.addHandler(RotatingFileHandler(LoggerConfig.APP_LOG_FILE))\n"
            "logger.warning('started')\n")
    root = make_tree(tmp_path / "app", {"config.py": config, "boot.py": boot})
    assert foreign_log_files(Project(root)) == (written,)
    served = served_log_paths((written,), tmp_path / "data" / "logs")
    env = log_paths_env(served, tmp_path / "run", {"PATH": "/usr/bin:/bin"})
    env["PYTHONPATH"] += f"{':' if env.get('PYTHONPATH') else ''}{root}"
    done = subprocess.run([sys.executable, "-c", "import boot"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "started" in (tmp_path / "data" / "logs" / "app.log").read_text()
