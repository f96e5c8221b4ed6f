"""Variables Django settings read as their DATABASES ENGINE (detect/engine_vars.py); serve naming its PostgreSQL
in them: tests/integration/test_serve_database.py."""

from __future__ import annotations

import pytest

from conftest import make_tree
from shipyard.detect.engine_vars import engine_variables
from shipyard.project import Project


@pytest.mark.parametrize("settings, names", [
    # testdriven.io's django-on-docker
    ('DATABASES = {"default": {"ENGINE": os.environ.get("SQL_ENGINE", "django.db.backends.sqlite3"),\n'
     '                         "NAME": os.environ.get("SQL_DATABASE")}}\n', ("SQL_ENGINE",)),
    # through the app's own helper
    ("def get_env_value(name):\n    return os.environ[name]\n\n"
     "DATABASES = {'default': {'ENGINE': get_env_value('POSTGRES_ENGINE'), 'NAME': get_env_value('DB')}}\n",
     ("POSTGRES_ENGINE",)),
    # set on the entry after the fact
    ('DATABASES = {"default": {}}\nDATABASES["default"]["ENGINE"] = os.getenv("DB_ENGINE")\n', ("DB_ENGINE",)),
    # a backend written in the code, or a variable that is not the engine: none
    ('DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": os.environ["DB_NAME"]}}\n', ()),
    ('ENGINE_NAME = os.environ.get("ENGINE")\nX = {"engine": os.environ.get("SEARCH_ENGINE")}\n', ()),
])
def test_engine_variables(tmp_path, settings, names):
    app = make_tree(tmp_path, {"site/settings.py": "import os\n\n" + settings})
    assert engine_variables(Project(app)) == names
