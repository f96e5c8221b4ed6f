"""A file the app opens at import, which the project lacks and the README tells its reader to write: a setup step
said in one line (the README's own words), not "fix it in the app's code"."""

from __future__ import annotations

import sys

import pytest

from shipyard.detect import entry
from shipyard.detect.readme_files import readme_line_naming
from shipyard.errors import AppConfigError
from shipyard.project import Project

from conftest import make_tree

PY = sys.executable
TIMEOUT = 60.0

APP = """
    import json
    from flask import Flask

    server = Flask(__name__)
    with open('./config.json') as f:
        config = json.load(f)
        API_KEY = config['API_KEY']
    """


def test_a_config_file_the_readme_asks_for_is_a_setup_step(tmp_path):
    # not committed, not in a .gitignore: the README's heading and the line under it say what it holds
    make_tree(tmp_path, {
        "main.py": APP,
        "README.md": "# Chat app\n\n## /config.json (to be customized and placed in working dir)\nA dict of API_KEY "
                     "& SYSTEM_PROMPT\n\n## main.py\nthe app\n",
        ".gitignore": "__pycache__/\n",
    })
    found = entry.find(Project(tmp_path), None)
    with pytest.raises(AppConfigError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    assert ("needs config.json, which is not in the project; its README asks for it: \"/config.json (to be "
            "customized and placed in working dir): A dict of API_KEY & SYSTEM_PROMPT\"") in failed.value.message
    assert failed.value.hint == "write config.json as the README says, and run again"


def test_a_missing_file_the_readme_never_names_stays_the_apps_own_error(tmp_path):
    make_tree(tmp_path, {"main.py": APP, "README.md": "# Chat app\n\nRun python main.py (needs myconfig.json)\n"})
    found = entry.find(Project(tmp_path), None)
    with pytest.raises(Exception) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    assert not isinstance(failed.value, AppConfigError)
    assert "FileNotFoundError" in failed.value.message


def test_the_readme_line_is_found_in_the_workdir_or_the_root(tmp_path):
    make_tree(tmp_path, {"web/README.md": "Write settings.ini with the [db] section before running it\n",
                         "README.md": "see web/\n"})
    project = Project(tmp_path)
    assert readme_line_naming(project, ("web", "."), "settings.ini") == \
        "Write settings.ini with the [db] section before running it"
    assert readme_line_naming(project, (".",), "settings.ini") is None
    assert readme_line_naming(project, ("web",), "old_settings.ini") is None
