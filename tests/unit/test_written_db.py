"""The PostgreSQL credentials Django settings write out (detect/written_db.py): literal USER and NAME on this
machine's server count; values read from the environment, other hosts and other engines do not. (serve's
PostgreSQL giving them: tests/integration/test_serve_database.py.)"""

from __future__ import annotations

import pytest

from conftest import make_tree
from shipyard.detect.written_db import WrittenDatabase, written_database
from shipyard.project import Project

BOOK = """
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': 'blog',
        'USER': 'blog',
        'PASSWORD': 'xxxxxx',
    }
}
"""


def found(tmp_path, files, settings=None):
    return written_database(Project(make_tree(tmp_path, files)), settings)


def test_a_books_settings_write_role_password_and_database(tmp_path):
    assert found(tmp_path, {"mysite/settings.py": BOOK}) == WrittenDatabase("blog", "xxxxxx", "blog",
                                                                           "mysite/settings.py", 1)


@pytest.mark.parametrize("change", [
    ("'USER': 'blog'", "'USER': os.environ['DB_USER']"),          # read from the environment: serve's variables
    ("'NAME': 'blog'", "'NAME': env('DB_NAME')"),
    ("'PASSWORD': 'xxxxxx',", "'PASSWORD': 'x', 'HOST': 'db',"),  # another host: not this machine's server
    ("postgresql", "mysql"),
    ("'USER': 'blog'", "'USER': ''"),                              # libpq's defaults: serve's own role
])
def test_what_serve_gives_through_variables_or_cannot_reach_is_not_taken(tmp_path, change):
    assert found(tmp_path, {"mysite/settings.py": "import os\n" + BOOK.replace(*change)}) is None


def test_a_local_host_and_no_password_count(tmp_path):
    text = BOOK.replace("'PASSWORD': 'xxxxxx',", "'HOST': 'localhost', 'PORT': '5432',")
    assert found(tmp_path, {"s.py": text}) == WrittenDatabase("blog", "", "blog", "s.py", 1, 5432)


CONSTANTS = """
DB_NAME = "notes_dev"
DB_USER = "notes"
DB_PASSWORD = "pw"
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql_psycopg2',
        'NAME': DB_NAME,
        'USER': DB_USER,
        'PASSWORD': DB_PASSWORD,
        'HOST': 'localhost',
        'PORT': '5432',
    }
}
"""


def test_module_constants_named_in_the_dict_are_its_values(tmp_path):
    assert found(tmp_path, {"site/settings.py": CONSTANTS}) == WrittenDatabase("notes", "pw", "notes_dev",
                                                                               "site/settings.py", 4, 5432)


@pytest.mark.parametrize("rebinding", [
    'DB_USER = "other"\n',                                   # assigned twice: which one the dict sees is not read
    'import os\nif os.environ.get("CI"):\n    DB_USER = "ci"\n',
    'from local import DB_USER\n',
    'DB_USER += "_x"\n',
])
def test_a_name_bound_any_other_way_is_not_a_constant(tmp_path, rebinding):
    text = CONSTANTS.replace("DATABASES = {", rebinding + "DATABASES = {")
    assert found(tmp_path, {"settings.py": text}) is None
    # a name the module never binds (imported with *, computed elsewhere) is not one either
    assert found(tmp_path / "star", {"settings.py": CONSTANTS.replace('DB_USER = "notes"\n', "")}) is None


def test_the_entrys_settings_decide_between_settings_that_differ(tmp_path):
    files = {"proj/settings/dev.py": BOOK, "proj/settings/prod.py": BOOK.replace("'blog'", "'shop'")}
    assert found(tmp_path, files) is None
    assert found(tmp_path, files, "proj/settings/prod.py").database == "shop"
    # a branch (a CI workflow's database under `if os.environ.get(...)`) is not the module's own
    guarded = "import os\nDATABASES = {}\nif os.environ.get('CI'):\n" + "\n".join("    " + l for l in BOOK.splitlines())
    assert found(tmp_path / "ci", {"settings.py": guarded}) is None


class _Cluster:
    """What _usable reads of serve's server: its superuser's name (run/postgres.py records it per data folder)."""

    def __init__(self, superuser):
        self.superuser = superuser


@pytest.mark.parametrize("superuser, user, database, usable", [
    ("shipyard", "postgres", "blog", True),         # a new cluster: postgres is an ordinary role for the app
    ("shipyard", "blog", "postgres", True),         # ...and the postgres database its role's own
    ("shipyard", "shipyard", "blog", False),
    ("postgres", "postgres", "blog", False),        # a cluster made by an older Shipyard: its superuser
    ("shipyard", "pg_monitor", "x", False),
    ("shipyard", "blog", "template1", False),
])
def test_names_serves_server_keeps_are_not_given_and_serve_says_so(tmp_path, superuser, user, database, usable):
    """The server's superuser is reached only through its private socket: never given a password an app's file
    shows. Serve keeps its own role and says why the app will not get in (and, for an old cluster whose
    superuser is postgres, how to have one that lets the app log in as postgres)."""
    from shipyard.run import database as run_db
    said = []
    written = WrittenDatabase(user, "postgres", database, "s.py", 3)
    assert run_db._usable(written, _Cluster(superuser), tmp_path, said.append) is usable
    if usable:
        assert said == []
    else:
        assert said and said[0].startswith(f"warning: s.py:3 writes the app's database as user {user}"), said
        assert (f"move {tmp_path} away" in said[0]) is (superuser == user == "postgres"), said
