"""An app that loads its settings from the file a variable names (Flask's and Quart's app.config.from_envvar): with
the variable unset, the message says it names a config file to write, not a key to export (a 2020 Quart front end
whose direnv .envrc points XMPPOBSERVE_WEB_CONFIG at an uncommitted .local/web_config.py)."""

from __future__ import annotations

import os
import sys

import pytest

from shipyard.detect import entry
from shipyard.errors import AppConfigError
from shipyard.project import Project

from conftest import make_tree

APP = ("from flask import Flask\n\napp = Flask(__name__)\napp.config.from_envvar('SITE_WEB_CONFIG')\n\n\n"
       "@app.route('/')\ndef index():\n    return 'ok'\n")


def test_an_unset_config_file_variable_asks_for_a_config_file(tmp_path):
    app = make_tree(tmp_path / "app", {"webapp.py": APP})
    found = entry.find(Project(app), None)
    environ = {k: v for k, v in os.environ.items() if k != "SITE_WEB_CONFIG"}
    with pytest.raises(AppConfigError) as failed:
        entry.confirm(Project(app), found, sys.executable, 30.0, environ=environ)
    assert "loads its settings from the file the variable SITE_WEB_CONFIG names" in failed.value.message
    assert failed.value.variables == ("SITE_WEB_CONFIG",)
    assert "config file" in failed.value.hint and "export SITE_WEB_CONFIG=" in failed.value.hint
    config = tmp_path / "config.py"
    config.write_text("")   # an empty config file loads: what the hint says
    entry.confirm(Project(app), found, sys.executable, 30.0, environ={**environ, "SITE_WEB_CONFIG": str(config)})
