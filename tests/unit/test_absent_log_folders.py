"""A log file the code opens at import in a folder the checkout lacks (`logging.FileHandler('runtime/log/app.log')`,
with runtime/ in .gitignore and only runtime/.gitkeep committed): the open failed with FileNotFoundError before any
page answered. serve and dev make the folder, empty, and say so; the image makes it too, owned by the app's user
(made_folders)."""

from __future__ import annotations

from shipyard.detect.log_files import absent_log_folders
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.render import render
from shipyard.run.static_folders import make_absent_log_folders

from conftest import make_tree

LOGGERS = ("import logging\n\n\ndef init_logging():\n    handler = logging.FileHandler('runtime/log/app.log')\n"
           "    logging.getLogger().addHandler(handler)\n")
APP = ("import falcon\nfrom common.loggers import init_logging\n\ninit_logging()\napp = falcon.App()\n")


def test_the_missing_folder_of_a_log_file_is_found_made_once_and_in_the_images_folders(tmp_path):
    root = make_tree(tmp_path / "api", {"app.py": APP, "common/__init__.py": "", "common/loggers.py": LOGGERS,
                                        "runtime/.gitkeep": "", "requirements.txt": "falcon\n"})
    found_and_made_once(root, "runtime/log", absent_log_folders, "absent_log_folders", make_absent_log_folders,
                        "# The code opens its log file in runtime/log, which the project lacks",
                        "the app opens its log file there")


def found_and_made_once(root, folder: str, detect, field: str, make, comment: str, says: str) -> None:
    """`detect` finds `folder` (relative to `root`, where the app runs) missing, the plan carries it in `field` and
    made_folders, the image makes it, its Dockerfile saying `comment` and not the code's os.mkdir; serve's and dev's
    `make` makes it once, saying `says`, and `detect` finds it no more."""
    assert detect(Project(root), ".") == (folder,)
    plan = make_plan(root, confirm=False, installed=False)
    assert getattr(plan, field) == (folder,) and folder in plan.made_folders
    dockerfile = render(plan)["Dockerfile"]
    assert comment in dockerfile
    assert f"RUN install -d -o app -g app -m 0750 /app/{folder}" in dockerfile and "os.mkdir" not in dockerfile
    said: list[str] = []
    assert make(plan, root, said.append) == [folder]
    assert (root / folder).is_dir() and says in said[0]
    assert make(plan, root, said.append) == [] and len(said) == 1      # once
    assert detect(Project(root), ".") == ()                                  # now present


def test_a_plain_log_file_name_an_absolute_path_and_a_folder_above_are_not_made(tmp_path):
    root = make_tree(tmp_path / "p", {"app.py": (
        "import logging\nlogging.FileHandler('app.log')\nlogging.FileHandler('/var/log/app/app.log')\n"
        "logging.basicConfig(filename='../logs/app.log')\n")})
    assert absent_log_folders(Project(root), ".") == ()


def test_the_folder_is_relative_to_where_the_app_runs(tmp_path):
    root = make_tree(tmp_path / "q", {"server/app.py": "import logging\nlogging.FileHandler('logs/app.log')\n"})
    assert absent_log_folders(Project(root), "server") == ("server/logs",)


DJANGO_LOGGING = ("LOGGING = {\n    'version': 1,\n    'handlers': {\n"
                  "        'error': {'level': 'ERROR', 'class': 'logging.FileHandler', 'filename': 'logs/error.log'},\n"
                  "        'warn': {'class': 'logging.handlers.RotatingFileHandler', 'filename': 'logs/warn.log'},\n"
                  "        'console': {'class': 'logging.StreamHandler'},\n"
                  "    },\n    'loggers': {'django': {'handlers': ['error', 'warn', 'console']}},\n}\n")


def test_a_django_logging_dict_handlers_file_in_a_gitignored_folder_is_found(tmp_path):
    # atomspace-style: settings.py's LOGGING names logs/error.log, logs/ is .gitignore'd and only the Dockerfile's
    # `mkdir -p logs` made it; dictConfig opened the file at django.setup() and failed with FileNotFoundError
    root = make_tree(tmp_path / "site", {"server/config/settings.py": DJANGO_LOGGING,
                                         "server/.gitignore": "logs/*\n"})
    assert absent_log_folders(Project(root), "server") == ("server/logs",)


def test_a_dict_that_is_no_file_handler_names_no_log_folder(tmp_path):
    root = make_tree(tmp_path / "other", {"settings.py": (
        "UPLOADS = {'class': 'storage.Local', 'filename': 'media/a.txt'}\n"
        "LOGGING = {'handlers': {'x': {'class': 'logging.StreamHandler', 'stream': 'ext://sys.stdout'}}}\n")})
    assert absent_log_folders(Project(root), ".") == ()


def test_the_import_proof_says_a_missing_log_folder_is_one_not_settings_to_write(tmp_path):
    # inspect does not make folders in the checkout: its proof met the FileNotFoundError and said "write
    # server/logs/error.log with the settings the app reads from it", a log file taken for a config file
    import os
    import sys

    import pytest

    from shipyard.detect import entry
    from shipyard.errors import AppConfigError
    settings = ("SECRET_KEY = 'x'\nDEBUG = False\nALLOWED_HOSTS = ['127.0.0.1']\nROOT_URLCONF = 'config.urls'\n"
                "INSTALLED_APPS = []\nDATABASES = {}\n" + DJANGO_LOGGING)
    root = make_tree(tmp_path / "site", {
        "server/manage.py": ("import os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n"
                             "from django.core.management import execute_from_command_line\n"
                             "execute_from_command_line(sys.argv)\n"),
        "server/config/__init__.py": "", "server/config/settings.py": settings,
        "server/config/urls.py": "urlpatterns = []\n",
        "server/config/wsgi.py": ("import os\nfrom django.core.wsgi import get_wsgi_application\n"
                                  "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n"
                                  "application = get_wsgi_application()\n"),
        "server/requirements.txt": "Django\n", "server/.gitignore": "logs/*\n"})
    project = Project(root)
    found = entry.find(project, None)
    assert (found.workdir, found.entry.module) == ("server", "config.wsgi")
    with pytest.raises(AppConfigError) as raised:
        entry.confirm(project, found, sys.executable, 60.0, environ=dict(os.environ))
    assert "in server/logs/, a folder the project lacks" in raised.value.message and "Unable to configure" \
        in raised.value.message
    assert raised.value.hint.startswith("make the folder (mkdir -p server/logs)")


def test_a_log_path_built_from_the_folder_the_settings_define_is_found(tmp_path):
    # Django's LOGGING names os.path.join(BASE_DIR, 'logs', 'error.log') or BASE_DIR / 'logs' / 'debug.log', a
    # script opens logging.FileHandler(os.path.join(ROOT, 'logs', 'app.log')): the path is built at run time, and
    # logs/ is .gitignore'd, so the handler's open failed with FileNotFoundError before any page answered
    root = make_tree(tmp_path / "site", {
        "web/config/settings.py": (
            "import os\nfrom pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
            "OLD_BASE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\n"
            "LOGGING = {'version': 1, 'handlers': {\n"
            "    'file': {'class': 'logging.FileHandler', 'filename': BASE_DIR / 'logs' / 'debug.log'},\n"
            "    'error': {'class': 'logging.FileHandler', 'filename': os.path.join(OLD_BASE, 'var', 'error.log')},\n"
            "    'x': {'class': 'logging.handlers.RotatingFileHandler', 'filename': f'{BASE_DIR}/run/log/x.log'},\n"
            "}}\n"),
        "worker.py": ("import logging, os\nROOT = os.path.dirname(os.path.abspath(__file__))\n"
                      "logging.getLogger().addHandler(logging.FileHandler(os.path.join(ROOT, 'logs', 'app.log')))\n"
                      "h = logging.FileHandler(Path(__file__).resolve().parent / 'out' / 'w.log')\n"),
        "web/.gitignore": "logs/\nvar/\n", "web/run/.gitkeep": ""})
    assert absent_log_folders(Project(root), "web") == ("logs", "out", "web/logs", "web/var", "web/run/log")


def test_a_computed_path_outside_the_project_a_present_folder_or_a_folder_of_logs_is_not_made(tmp_path):
    root = make_tree(tmp_path / "p", {"app.py": (
        "import logging, os\nBASE = os.path.dirname(__file__)\nLOG_DIR = os.path.join(BASE, 'logs')\n"
        "logging.FileHandler(os.path.join(BASE, '..', '..', 'logs', 'a.log'))\n"
        "logging.FileHandler(os.path.join(BASE, 'static', 'a.log'))\n"
        "logging.FileHandler(os.path.join(BASE, 'a.log'))\n"
        "logging.FileHandler(os.path.join(os.environ['HOME'], 'logs', 'a.log'))\n"
        "setup(log_dir=os.path.join(BASE, 'logs', 'archive'))\n"), "static/.gitkeep": ""})
    assert absent_log_folders(Project(root), ".") == ()


def test_a_base_dir_from_split_settings_is_the_folder_the_base_settings_define(tmp_path):
    # settings/production.py does `from .base import *` and names BASE_DIR / 'logs' / 'error.log'; BASE_DIR is
    # Path(__file__).resolve().parent.parent.parent in settings/base.py, the project folder
    root = make_tree(tmp_path / "s", {
        "config/__init__.py": "", "config/settings/__init__.py": "",
        "config/settings/base.py": "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent.parent\n",
        "config/settings/production.py": (
            "from .base import *  # noqa\nLOGGING = {'handlers': {'f': {'class': 'logging.FileHandler',\n"
            "    'filename': BASE_DIR / 'logs' / 'error.log'}}}\n"),
        "tools/job.py": ("import logging\nfrom config.settings.base import BASE_DIR\n"
                         "logging.basicConfig(filename=str(BASE_DIR / 'var' / 'job.log'))\n")})
    assert absent_log_folders(Project(root), ".") == ("logs", "var")


def test_a_base_dir_or_log_dir_from_an_environment_reads_default_or_a_function_is_followed(tmp_path):
    # BASE_DIR = os.environ.get('BASE_DIR', <the settings' project folder>), LOG_DIR = config('LOG_DIR',
    # default=os.path.join(BASE_DIR, 'logs')), a BASE_DIR a function returns: unset (as serve and the image leave
    # them), the default is the folder the handler opens in; a read with no default says nothing
    root = make_tree(tmp_path / "env", {
        "proj/settings.py": (
            "import os\nfrom pathlib import Path\nfrom decouple import config\n"
            "BASE_DIR = os.environ.get('BASE_DIR', os.path.dirname(os.path.dirname(os.path.abspath(__file__))))\n"
            "LOG_DIR = config('LOG_DIR', default=os.path.join(BASE_DIR, 'logs'))\n"
            "AUDIT = Path(os.getenv('AUDIT_DIR', Path(BASE_DIR) / 'audit'))\n"
            "NOWHERE = os.environ.get('NOWHERE')\n"
            "LOGGING = {'handlers': {\n"
            "    'f': {'class': 'logging.FileHandler', 'filename': os.path.join(LOG_DIR, 'app.log')},\n"
            "    'a': {'class': 'logging.FileHandler', 'filename': AUDIT / 'audit.log'},\n"
            "    'n': {'class': 'logging.FileHandler', 'filename': os.path.join(NOWHERE, 'logs', 'n.log')}}}\n"),
        "tools/base.py": ("from pathlib import Path\n\n\ndef get_base_dir():\n"
                          "    here = Path(__file__).resolve()\n    return here.parent.parent\n\n\n"
                          "BASE_DIR = get_base_dir()\n"),
        "tools/job.py": ("import logging\nfrom tools.base import *\n"
                         "logging.basicConfig(filename=BASE_DIR / 'var' / 'job.log')\n")})
    assert absent_log_folders(Project(root), ".") == ("audit", "logs", "var")


def test_a_computed_log_folder_is_in_the_plan_serve_makes_and_the_image(tmp_path):
    root = make_tree(tmp_path / "api", {"app.py": APP, "common/__init__.py": "", "requirements.txt": "falcon\n",
                                        "common/loggers.py": LOGGERS.replace(
                                            "'runtime/log/app.log'", "os.path.join(BASE_DIR, 'logs', 'app.log')")
                                        .replace("import logging\n", "import logging\nimport os\n"
                                                 "BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\n")})
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.absent_log_folders == ("logs",) and "logs" in plan.made_folders
    assert "RUN install -d -o app -g app -m 0750 /app/logs" in render(plan)["Dockerfile"]
    said: list[str] = []
    assert make_absent_log_folders(plan, root, said.append) == ["logs"] and (root / "logs").is_dir()
