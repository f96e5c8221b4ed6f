"""A failed name lookup at import whose message names no host (urllib's "<urlopen error [Errno -2] Name or service
not known>" under pandas.read_html(url), a 2021 Flask app scraping hockey-reference.com at import): the URL the
failing line opens says it is an internet address, not a database or cache to start."""
from __future__ import annotations

import sys

import pytest

from shipyard.detect import entry
from shipyard.detect.entry.proof import _raise_for
from shipyard.errors import AppConfigError
from shipyard.project import Project

from conftest import make_tree

URLERROR = "URLError: <urlopen error [Errno -2] Name or service not known>"


def _fail(tmp_path, source, where, message=URLERROR):
    root = make_tree(tmp_path, {"app.py": source, "requirements.txt": "flask\npandas\n"})
    project = Project(root)
    with pytest.raises(AppConfigError) as caught:
        _raise_for(project, entry.find(project, None), {"error": "connection", "message": message, "where": where},
                   sys.executable, "app:app", {})
    return caught.value


APP = ("from flask import Flask\nimport pandas as pd\n\napp = Flask(__name__)\n"
       "url = 'https://www.shipyard-fixture-stats.com/leagues/skaters.html'\n"
       "df = pd.read_html(url, header=1)[0]\n")


def test_the_url_a_name_on_the_failing_line_was_assigned_is_said(tmp_path):
    error = _fail(tmp_path, APP, "app.py:6")
    assert "downloads from www.shipyard-fixture-stats.com, an internet address this machine cannot resolve" \
        in error.message
    assert "start the database" not in error.hint


def test_a_url_written_on_the_failing_line_or_an_f_string_counts_too(tmp_path):
    source = ("from flask import Flask\nimport urllib.request\n\napp = Flask(__name__)\nyear = 2021\n"
              "page = urllib.request.urlopen(\n    f'https://api.shipyard-fixture-stats.com/{year}').read()\n")
    error = _fail(tmp_path, source, "app.py:7")
    assert "downloads from api.shipyard-fixture-stats.com" in error.message


def test_a_local_host_or_a_name_reassigned_to_something_else_is_not_the_internet(tmp_path):
    local = APP.replace("https://www.shipyard-fixture-stats.com", "http://scraper")
    assert "start the database or cache it connects to" in _fail(tmp_path / "a", local, "app.py:6").hint
    moved = APP.replace("df = ", "url = open('where.txt').read()\ndf = ")
    assert "start the database or cache it connects to" in _fail(tmp_path / "b", moved, "app.py:7").hint


def test_a_refused_connection_is_not_a_lookup(tmp_path):
    error = _fail(tmp_path, APP, "app.py:6", "URLError: <urlopen error [Errno 111] Connection refused>")
    assert "internet address" not in error.message
