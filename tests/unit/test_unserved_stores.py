"""An app that connects at import to a server `serve` does not run (MongoDB through pymongo 2's eager MongoClient,
Flask-MongoAlchemy's): the error names that server and where to start it, instead of "a server that does not
answer here"."""

from __future__ import annotations

import os
import socket
import sys

import pytest

from conftest import make_tree
from shipyard.detect import entry
from shipyard.errors import AppConfigError
from shipyard.project import Project


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_refused_connection_inside_pymongo_names_mongodb(tmp_path):
    port = _closed_port()
    site = make_tree(tmp_path / "lib" / "site-packages", {
        "pymongo/__init__.py": "import socket\n\n\nclass ConnectionFailure(Exception):\n    pass\n\n\n"
                               "class MongoClient:\n    def __init__(self, host='127.0.0.1', port=%d):\n"
                               "        try:\n            socket.create_connection((host, port), timeout=5)\n"
                               "        except OSError as exc:\n            raise ConnectionFailure(str(exc))\n" % port,
        "pymongo-2.8.1.dist-info/METADATA": "Name: pymongo\nVersion: 2.8.1\n",
        "pymongo-2.8.1.dist-info/top_level.txt": "pymongo\n"})
    app = make_tree(tmp_path / "app", {
        "app.py": "from flask import Flask\nfrom pymongo import MongoClient\napp = Flask(__name__)\n"
                  "client = MongoClient()\n",
        "requirements.txt": "flask\npymongo==2.8.1\n"})
    project = Project(app)
    environ = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(site), os.environ.get("PYTHONPATH"))))}
    with pytest.raises(AppConfigError) as raised:
        entry.confirm(project, entry.find(project, None), sys.executable, 30.0, environ=environ)
    assert "app.py:4: importing app:app connects to MongoDB (pymongo), which serve does not run: " \
           "ConnectionFailure" in raised.value.message
    assert raised.value.hint.startswith("start MongoDB where the app connects (localhost:27017")
