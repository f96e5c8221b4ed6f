"""A Django settings' database on the author's own server (`'HOST': '10.1.69.162'`): the failed migration says
so, and what to do, instead of the driver's bare "Lost connection to server at 'handshake: ...'"."""

from __future__ import annotations

import pytest

from conftest import make_tree
from shipyard.detect.unreachable_db import failed_on_connection, remote_host
from shipyard.project import Project

SETTINGS = """\
DATABASES = {{
    'default': {{
        'ENGINE': 'django.db.backends.{engine}',
        'NAME': 'dashboard',
        'USER': 'dashboard',
        'PASSWORD': 'dash123',
        'HOST': '{host}',
        'PORT': '3306',
    }}
}}
"""


def test_a_settings_database_on_another_machine_is_named_with_what_to_do(tmp_path):
    project = Project(make_tree(tmp_path, {"site/settings.py": SETTINGS.format(engine="mysql", host="10.1.69.162")}))
    found = remote_host(project)
    assert (found.rel, found.line, found.host, found.database) == ("site/settings.py", 1, "10.1.69.162", "MySQL")
    assert found.hint() == ("site/settings.py:1 connects to MySQL at 10.1.69.162 (DATABASES HOST), a server of the "
                            "app's author that this machine cannot reach: set HOST to a server you run (or '' for "
                            "serve's own MySQL) and run again")
    assert failed_on_connection('django.db.utils.OperationalError: (2013, "Lost connection to server at '
                                "'handshake: reading initial communication packet', system error: 104\")")
    assert not failed_on_connection("django.db.utils.ProgrammingError: relation \"x\" does not exist")


@pytest.mark.parametrize("host", ["", "localhost", "127.0.0.1", "db"])   # serve's own server, or a compose name
def test_this_machines_database_is_not_remote(tmp_path, host):
    project = Project(make_tree(tmp_path, {"site/settings.py": SETTINGS.format(engine="postgresql", host=host)}))
    assert remote_host(project) is None
