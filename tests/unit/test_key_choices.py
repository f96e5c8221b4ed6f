"""A variable whose value picks a database from a dict the code writes (`DB_CONNECTIONS[DEFAULT_DATABASE]`,
`{'dev': ..., 'prod': ...}[os.environ['APP_ENV']]`) gets one of the dict's keys: the one whose database serve
runs for the app, else SQLite's. Before, it got Shipyard's credential placeholder (a 2023 Django API whose .env
example leaves DEFAULT_DATABASE empty: KeyError: 'shipyard-placeholder'), or nothing (KeyError: 'APP_ENV').
The settings are imported for real with the configuration serve gives."""

from __future__ import annotations

import subprocess
import sys

from conftest import make_tree
from shipyard import appconfig
from shipyard.detect.key_choices import key_choices
from shipyard.project import Project

DJANGO_SETTINGS = """
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ["SECRET_KEY"]

DB_CONNECTIONS = {
    'sqlite': {
        'ENGINE': 'django.db.backends.sqlite3',
        'NAME': BASE_DIR / 'db.sqlite3',
    },
    'mysql': {
        'ENGINE': 'django.db.backends.mysql',
        'NAME': os.environ['MYSQL_DB_NAME'],
        'HOST': os.environ['MYSQL_DB_HOST'],
    },
}

DEFAULT_DATABASE = os.environ['DEFAULT_DATABASE']

DATABASES = {'default': DB_CONNECTIONS[DEFAULT_DATABASE]}
"""

FLASK_CONFIG = """
import os

SQLALCHEMY_DATABASE_URI = {
    'dev': 'sqlite:///dev.db',
    'prod': 'postgresql://app:app@db/app',
}[os.environ['APP_ENV']]
"""


def _settings(root, module, environ):
    """The settings module imported as the app imports it, under `environ`: the engine or URL it chose."""
    probe = (f"import {module} as s; d = getattr(s, 'DATABASES', None); "
             "print(d['default']['ENGINE'] if d else s.SQLALCHEMY_DATABASE_URI)")
    return subprocess.run([sys.executable, "-c", probe], cwd=root, env={"PATH": "/usr/bin:/bin", **environ},
                          capture_output=True, text=True, timeout=60)


def test_a_django_database_chosen_by_key_gets_the_key_of_the_database_serve_runs(tmp_path):
    root = make_tree(tmp_path / "api", {
        "requirements.txt": "django\nmysqlclient\n",
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
        "config/__init__.py": "",
        "config/settings.py": DJANGO_SETTINGS,
        ".env.example": "SECRET_KEY=\nDEFAULT_DATABASE=''\nMYSQL_DB_NAME=\nMYSQL_DB_HOST=\n",
    })
    project = Project(root)
    [choice] = key_choices(project)
    assert (choice.name, choice.rel, choice.keys, choice.engines) == (
        "DEFAULT_DATABASE", "config/settings.py", ("sqlite", "mysql"), ("sqlite", "mysql"))
    # serve runs MariaDB for it (the plan's mysql service, whose parts it gives): the mysql entry
    config = appconfig.run_config(project, ".", {}, mode="serve", secret_file=tmp_path / "key",
                                  data_folder=tmp_path / "data", databases=("mysql",))
    assert config.environ["DEFAULT_DATABASE"] == "mysql", config.notes
    assert any("DEFAULT_DATABASE=mysql (a key of the dict config/settings.py:" in n for n in config.notes)
    served = _settings(root, "config.settings", {**config.environ, "MYSQL_DB_NAME": "api", "MYSQL_DB_HOST": "h"})
    assert served.stdout.strip() == "django.db.backends.mysql", served.stderr
    # no server for it (the proof): SQLite's, which imports with nothing else
    proof = appconfig.run_config(project, ".", {}, mode="proof")
    assert proof.environ["DEFAULT_DATABASE"] == "sqlite"
    done = _settings(root, "config.settings", {**proof.environ, "MYSQL_DB_NAME": "api", "MYSQL_DB_HOST": "h"})
    assert done.stdout.strip() == "django.db.backends.sqlite3", done.stderr
    # a value the user sets is theirs
    assert "DEFAULT_DATABASE" not in appconfig.run_config(project, ".", {"DEFAULT_DATABASE": "sqlite"},
                                                          mode="serve", databases=("mysql",)).environ


def test_an_inline_dict_of_urls_indexed_by_a_required_variable(tmp_path):
    root = make_tree(tmp_path / "site", {
        "requirements.txt": "flask\nflask-sqlalchemy\npsycopg2-binary\n",
        "settings.py": FLASK_CONFIG,
        "app.py": "from flask import Flask\nimport settings\napp = Flask(__name__)\n",
    })
    project = Project(root)
    [choice] = key_choices(project)
    assert (choice.name, choice.keys, choice.engines) == ("APP_ENV", ("dev", "prod"), ("sqlite", "postgres"))
    for databases, key, url in (((), "dev", "sqlite:///dev.db"), (("postgres",), "prod", "postgresql://")):
        config = appconfig.run_config(project, ".", {}, mode="serve", secret_file=tmp_path / "key",
                                      data_folder=tmp_path / "data", databases=databases)
        assert config.environ["APP_ENV"] == key, config.notes
        done = _settings(root, "settings", config.environ)
        assert done.stdout.startswith(url), done.stderr
    # unset, the import stops on the key: what the app met before
    assert "KeyError: 'APP_ENV'" in _settings(root, "settings", {}).stderr


def test_a_dict_of_anything_but_databases_and_a_variable_with_a_default_are_not_choices(tmp_path):
    root = make_tree(tmp_path / "other", {
        "app.py": "import os\n"
                  "COLORS = {'red': '#f00', 'blue': '#00f'}\n"
                  "COLOR = COLORS[os.environ['THEME']]\n"
                  "URLS = {'a': 'sqlite:///a.db', 'b': 'sqlite:///b.db'}\n"
                  "URL = URLS[os.environ.get('WHICH', 'a')]\n",
    })
    assert key_choices(Project(root)) == ()


def test_the_image_gets_the_key_of_the_database_its_stack_runs(tmp_path):
    """The plan carries the choice (config_env), so the image's ENV gives it as serve does: the stack's MariaDB."""
    from shipyard.planner import make_plan
    from shipyard.render import render
    root = make_tree(tmp_path / "api", {
        "requirements.txt": "django\nmysqlclient\n",
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
        "config/__init__.py": "",
        "config/settings.py": DJANGO_SETTINGS,
        "config/wsgi.py": "import os\nfrom django.core.wsgi import get_wsgi_application\n"
                          "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n"
                          "application = get_wsgi_application()\n",
    })
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.needs_mysql and ("DEFAULT_DATABASE", "mysql") in plan.config_env, plan.config_env
    assert "DEFAULT_DATABASE=mysql" in render(plan)["Dockerfile"].replace('"', "")
