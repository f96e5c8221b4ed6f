"""Dependencies inferred from imports and strings, against a known environment (no guessing from ours)."""

from __future__ import annotations

import sys
from pathlib import Path

from shipyard.detect import imports
from shipyard.detect.findings import DeclaredDependencies
from shipyard.plan import Dependency
from conftest import make_tree
from shipyard.project import Project

NONE = DeclaredDependencies((), (), False)



def infer(tmp_path, files, declared=NONE):
    # A Python that does not exist: the environment is empty, so only the table and the names decide.
    return imports.infer(Project(make_tree(tmp_path, files)), None, declared, python_exe=str(tmp_path / "no-python"))


def names(found):
    return {d.name for d in found}


def test_imports_mapped_stdlib_local_relative_optional_decoys_dropped(tmp_path):
    found = infer(tmp_path, {
        "app.py": """
            import os, json, sys
            import yaml
            from bs4 import BeautifulSoup
            import cv2
            from PIL import Image
            import mysql.connector
            from google.protobuf import message
            from dateutil import parser
            import psycopg2
            from . import sibling
            from helpers import thing
            from mypkg.sub import x
            try:
                import ujson as fastjson
            except ImportError:
                fastjson = None
            from typing import TYPE_CHECKING
            if TYPE_CHECKING:
                import boto3
            def later():
                import requests
            """,
        "helpers.py": "",
        "src/mypkg/__init__.py": "",
        "src/mypkg/sub.py": "",
        "tests/test_app.py": "import pytest\nimport hypothesis\n",
        "broken.py": "def (:\n",
        "setup.py": "import setuptools\n",
    })
    assert names(found) == {"PyYAML", "beautifulsoup4", "opencv-python-headless", "Pillow", "mysql-connector-python",
                            "protobuf", "python-dateutil", "psycopg2", "requests"}
    assert all(d.inferred and d.spec == "" for d in found)
    assert next(d for d in found if d.name == "PyYAML").source == "import yaml in app.py"


def test_strings_database_urls_engines_and_worker_classes(tmp_path):
    found = infer(tmp_path, {
        "config.py": 'SQLALCHEMY_DATABASE_URI = "mysql+pymysql://u:p@db/app"\nCACHE = "redis://cache:6379/0"\n',
        "gunicorn.conf.py": 'worker_class = "gevent"\n',
    })
    assert names(found) == {"PyMySQL", "redis", "gevent"}
    assert next(d for d in found if d.name == "PyMySQL").source == "mysql+pymysql:// URL in config.py"


def test_django_engine_and_installed_apps(tmp_path):
    found = infer(tmp_path, {
        "manage.py": "import django\n",
        "mysite/settings.py": """
            INSTALLED_APPS = ["django.contrib.admin", "rest_framework", "corsheaders", "pages", "UTC"]
            MIDDLEWARE = ["whitenoise.middleware.WhiteNoiseMiddleware"]
            DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "x"}}
            TIME_ZONE = "UTC"
            """,
        "pages/__init__.py": "",
    })
    assert names(found) == {"Django", "djangorestframework", "django-cors-headers", "whitenoise", "psycopg2"}


def test_driver_string_ignored_when_a_driver_is_declared(tmp_path):
    declared = DeclaredDependencies((Dependency("psycopg2-binary", "", "requirements.txt"),
                                     Dependency("Flask", "", "requirements.txt")), ("requirements.txt",), True)
    found = infer(tmp_path, {"app.py": 'import flask, psycopg2, yaml\nURL = "postgresql://db/app"\n'}, declared)
    # psycopg2 is provided by the declared -binary build of the same release; only yaml is missing
    assert names(found) == {"PyYAML"}


def test_installed_environment_pins_and_hides_what_declared_packages_pull_in(tmp_path):
    # Our own interpreter has Flask and Werkzeug installed (the dev environment).
    from importlib.metadata import version
    project = Project(make_tree(tmp_path, {"app.py": "import flask\nimport werkzeug\nimport flask_restful\n"}))
    found = imports.infer(project, None, NONE, python_exe=sys.executable)
    assert {d.requirement for d in found} == {f"Flask=={version('flask')}", f"Werkzeug=={version('werkzeug')}",
                                              f"Flask-RESTful=={version('flask-restful')}"}
    declared = DeclaredDependencies((Dependency("Flask", ">=3", "requirements.txt"),), ("requirements.txt",), True)
    assert names(imports.infer(project, None, declared, python_exe=sys.executable)) == {"Flask-RESTful"}


def test_environment_of_another_interpreter_is_read_in_a_subprocess(tmp_path):
    imports.environment.cache_clear()
    env = imports.environment(str(Path(sys.executable).parent / "python3"))
    assert "flask" in env.versions and "Flask" in env.packages["flask"]
