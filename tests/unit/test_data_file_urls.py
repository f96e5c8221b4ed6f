"""A database URL written in a data file the app loads (a 2018 crawler API's config/config.yaml, pointing at
172.17.0.1, Docker's host address seen from its compose containers) is not one serve's DATABASE_URL replaces: when
importing the app finds no server there, the error names that file and the URL, not only "start the database"."""

from __future__ import annotations

import socket
import sys
import textwrap

import pytest

from shipyard.detect import entry
from shipyard.detect.data_file_urls import the_url_it_connects_to, written_database_urls
from shipyard.errors import AppConfigError
from shipyard.project import Project

PY = sys.executable
TIMEOUT = 60.0


def test_a_url_in_the_yaml_config_the_app_loads_is_named_when_its_server_does_not_answer(tmp_path):
    with socket.socket() as closed:          # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.yaml").write_text(
        f'database:\n  SQLALCHEMY_DATABASE_URI: "postgres://marco:foobarbaz@127.0.0.1:{port}/testdb"\n')
    (tmp_path / "app.py").write_text(textwrap.dedent("""\
        import pathlib

        import psycopg2
        import yaml
        from flask import Flask

        app = Flask(__name__)
        config = yaml.safe_load((pathlib.Path(__file__).parent / "config" / "config.yaml").read_text())
        app.config.update(**config["database"])
        connection = psycopg2.connect(app.config["SQLALCHEMY_DATABASE_URI"])
        """))
    (tmp_path / "requirements.txt").write_text("Flask\npsycopg2-binary\nPyYAML\n")
    p = Project(tmp_path)
    with pytest.raises(AppConfigError) as err:
        entry.confirm(p, entry.find(p, None), PY, TIMEOUT, environ={"PATH": "/usr/bin:/bin"})
    assert "connects to a server that does not answer here" in err.value.message
    assert (f"the address is written in config/config.yaml (postgres://marco:***@127.0.0.1:{port}/testdb), which "
            "the app reads instead of the environment") in err.value.message
    assert err.value.hint.startswith("point that URL in config/config.yaml at a database that answers here")


def test_urls_read_from_variables_or_several_unnamed_are_not_guessed(tmp_path):
    (tmp_path / "a.yaml").write_text('url: "postgresql://u:p@db1:5432/x"\nother: "${DATABASE_URL}"\n')
    (tmp_path / "b.json").write_text('{"url": "mysql://u@db2/y"}\n')
    p = Project(tmp_path)
    assert [(w.rel, w.host) for w in written_database_urls(p)] == [("a.yaml", "db1"), ("b.json", "db2")]
    assert the_url_it_connects_to(p, "could not connect to server: Connection refused") is None
    assert the_url_it_connects_to(p, 'Is the server running on host "db2" and accepting').rel == "b.json"
