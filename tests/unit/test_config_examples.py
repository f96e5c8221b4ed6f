"""A configuration file the app reads by a relative name, shipped only as its example (settings.ini.example):
the import check names the file to copy instead of the KeyError configparser's empty read ends in."""

from __future__ import annotations

import sys

import pytest

from shipyard.detect import entry
from shipyard.detect.config_examples import example_to_copy
from shipyard.errors import AppCodeError, AppConfigError
from shipyard.project import Project

from conftest import make_tree

APP = {"backend/main.py": """
    import configparser
    from flask import Flask

    config = configparser.ConfigParser()
    config.read('settings.ini')
    API_KEY = config['DEFAULT']['ApiKey']

    app = Flask(__name__)
    """,
    "backend/settings.ini.example": "[DEFAULT]\nApiKey = 12345\n",
    "frontend/index.html": "<p>hi</p>\n"}


def test_the_import_check_says_to_copy_the_example_of_the_config_file_the_app_reads(tmp_path):
    root = make_tree(tmp_path / "repo", APP)
    found = entry.find(Project(root), None)
    assert (found.workdir, found.entry.target) == ("backend", "main:app")
    with pytest.raises(AppConfigError) as err:
        entry.confirm(Project(root), found, sys.executable, 30.0)
    assert "KeyError: 'ApiKey'" in err.value.message
    assert "backend/settings.ini, which the project ships only as its example backend/settings.ini.example" \
        in err.value.message
    assert err.value.hint.startswith("copy it (cp backend/settings.ini.example backend/settings.ini)")
    # copied, the same import works
    (root / "backend/settings.ini").write_text("[DEFAULT]\nApiKey = 12345\n")
    entry.confirm(Project(root), found, sys.executable, 30.0)


def test_without_an_example_the_error_is_the_apps_own(tmp_path):
    root = make_tree(tmp_path / "repo", {k: v for k, v in APP.items() if not k.endswith(".example")})
    found = entry.find(Project(root), None)
    with pytest.raises(AppCodeError) as err:
        entry.confirm(Project(root), found, sys.executable, 30.0)
    assert "KeyError" in err.value.message and "example" not in err.value.message


@pytest.mark.parametrize("example", ["conf/app.example.yaml", "conf/example.app.yaml", "conf/app.yaml.sample",
                                     "conf/app_default.yaml"])
def test_the_example_goes_by_the_names_projects_give_it(tmp_path, example):
    root = make_tree(tmp_path / "app", {"main.py": "import yaml\nCONF = yaml.safe_load(open('conf/app.yaml'))\n",
                                        example: "debug: false\n"})
    assert example_to_copy(Project(root), ".") == (example, "conf/app.yaml")


def test_a_file_that_is_there_or_named_outside_the_folder_is_not_one_to_copy(tmp_path):
    root = make_tree(tmp_path / "app", {"main.py": "A = open('data.json')\nB = open('/etc/app.ini')\n",
                                        "data.json": "{}", "data.json.example": "{}", "app.ini.example": ""})
    assert example_to_copy(Project(root), ".") is None
