"""A required variable the code only compares with words, the app's run mode (detect/mode_reads.py): serve gives
the production word (or "production"), dev the development one; a value used any other way is left alone."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from conftest import make_tree
from shipyard import appconfig
from shipyard.detect.mode_reads import mode_value
from shipyard.project import Project

# the shape met (a 2024 DRF password manager): read with no default into a name, then only compared
SETTINGS = textwrap.dedent("""
    import os
    from pathlib import Path

    BASE_DIR = Path(__file__).resolve().parent.parent
    SECRET_KEY = os.environ['SECRET_KEY']
    ENVIRONMENT = os.environ['ENVIRONMENT']

    if ENVIRONMENT == 'development':
        DEBUG = True
    else:
        DEBUG = False

    ALLOWED_HOSTS = ['*']
    INSTALLED_APPS = ['django.contrib.contenttypes', 'django.contrib.auth']
    DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': BASE_DIR / 'db.sqlite3'}}
    """)


def django_app(tmp_path):
    return make_tree(tmp_path, {"manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                                             "'mysite.settings')\n",
                                "mysite/__init__.py": "", "mysite/settings.py": SETTINGS,
                                "requirements.txt": "Django\n"})


def debug_under(app, environ):
    """DEBUG as the real settings module reads it, imported by Django with `environ`."""
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    done = subprocess.run([sys.executable, "-c", code], cwd=app, capture_output=True, text=True, timeout=60,
                          env={**{k: v for k, v in os.environ.items() if k != "ENVIRONMENT"}, **environ,
                               "DJANGO_SETTINGS_MODULE": "mysite.settings", "PYTHONPATH": str(app)})
    assert done.returncode == 0, done.stderr[-800:]
    return done.stdout.strip()


def test_serve_gives_a_compared_only_mode_variable_the_production_word_and_the_settings_import(tmp_path):
    app = django_app(tmp_path)
    config = appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k")
    assert config.environ["ENVIRONMENT"] == "production"
    assert any("ENVIRONMENT=production (the code only compares it with 'development'" in n for n in config.notes), \
        config.notes
    assert debug_under(app, config.environ) == "False"
    dev = appconfig.run_config(app, ".", {}, mode="dev", secret_file=tmp_path / "k")
    assert dev.environ["ENVIRONMENT"] == "development"
    assert debug_under(app, dev.environ) == "True"
    # the user's own value wins
    assert "ENVIRONMENT" not in appconfig.run_config(app, ".", {"ENVIRONMENT": "staging"}, mode="serve",
                                                     secret_file=tmp_path / "k").environ


@pytest.mark.parametrize("code, serve, dev", [
    ("import os\nif os.environ['APP_ENV'] in ('prod', 'staging'):\n    X = 1\n", "prod", "development"),
    ("import os\nfrom decouple import config\nMODE = config('APP_ENV')\nDEBUG = MODE != 'live'\n", "live",
     "development"),
    ("import os\nAPP_ENV = os.getenv('APP_ENV') or os.environ['APP_ENV']\n", None, None),   # one read has a fallback
])
def test_the_word_is_the_one_the_code_compares_with(tmp_path, code, serve, dev):
    project = Project(make_tree(tmp_path, {"settings.py": code}))
    for mode, wanted in (("serve", serve), ("dev", dev)):
        found = mode_value(project, "APP_ENV", mode)
        assert (found.value if found else None) == wanted


@pytest.mark.parametrize("code", [
    "import os\nAPP_ENV = os.environ['APP_ENV']\nCONFIG = f'{APP_ENV}.json'\nif APP_ENV == 'dev':\n    pass\n",
    "import os\nAPP_ENV = os.environ['APP_ENV']\nopen(APP_ENV)\n",
    "import os\nload(os.environ['APP_ENV'])\n",
    "import os\nAPP_ENV = os.environ.get('APP_ENV', 'development')\nDEBUG = APP_ENV == 'development'\n",  # a default
    "import os\nAPP_ENV = os.environ['APP_ENV']\nAPP_ENV = APP_ENV.lower()\n",
])
def test_a_value_used_any_other_way_is_not_guessed(tmp_path, code):
    assert mode_value(Project(make_tree(tmp_path, {"settings.py": code})), "APP_ENV", "serve") is None
