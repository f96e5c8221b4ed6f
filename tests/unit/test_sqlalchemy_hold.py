"""SQLAlchemy held below 2.1 for an app whose PostgreSQL driver is psycopg2 (detect/sqlalchemy_hold.py): 2.1
opens a plain postgresql:// URL with psycopg (3). (Served: tests/integration/test_serve_database.py.)"""

from __future__ import annotations

import os
import time

import pytest

from conftest import make_tree
from shipyard import environments
from shipyard.detect import deps
from shipyard.project import Project


def requirements(tmp_path, files):
    declared = deps.declared(Project(make_tree(tmp_path, files)))
    return [d.requirement for d in declared.dependencies], declared.notes


@pytest.mark.parametrize("written, held", [
    ("Flask\nSQLAlchemy\npsycopg2-binary\n", "SQLAlchemy<2.1"),
    ("SQLAlchemy[asyncio]>=1.4\npsycopg2\n", "SQLAlchemy[asyncio]>=1.4,<2.1"),
    ("Flask-SQLAlchemy\npsycopg2-binary\n", "SQLAlchemy<2.1"),           # through the extension that requires it
])
def test_an_open_sqlalchemy_beside_psycopg2_alone_is_held_below_2_1(tmp_path, written, held):
    lines, notes = requirements(tmp_path, {"requirements.txt": written})
    assert held in lines
    assert any(n.startswith("SQLAlchemy held below 2.1") for n in notes), notes


@pytest.mark.parametrize("files", [
    {"requirements.txt": "SQLAlchemy\npsycopg2-binary\npsycopg[binary]\n"},   # it has psycopg too
    {"requirements.txt": "SQLAlchemy==2.1.3\npsycopg2-binary\n"},            # its author's choice
    {"requirements.txt": "SQLAlchemy>=2.1\npsycopg2-binary\n"},
    {"requirements.txt": "SQLAlchemy\nasyncpg\n"},                           # no psycopg2
    {"requirements.txt": "Flask\npsycopg2\n"},                               # no SQLAlchemy
    {"pyproject.toml": "[project]\nname = 'a'\nversion = '1'\ndependencies = ['flask-sqlalchemy', 'psycopg2']\n",
     "uv.lock": "version = 1\n\n[[package]]\nname = \"sqlalchemy\"\nversion = \"2.1.3\"\n"},   # the lock pins it
])
def test_what_the_app_or_its_lock_decides_is_left(tmp_path, files):
    lines, notes = requirements(tmp_path, files)
    assert not any(line.endswith("<2.1") for line in lines), lines
    assert not any("held below" in n for n in notes)


def test_the_hold_is_not_taken_for_a_bound_the_app_sets_when_dating_its_packages(tmp_path):
    """An app that bounds nothing resolves as of its code's last change as well as its dependency files'; the
    hold Shipyard adds leaves that as it was."""
    root = make_tree(tmp_path, {"requirements.txt": "SQLAlchemy\npsycopg2\n", "app.py": "import sqlalchemy\n"})
    year = 365 * 86400
    os.utime(root / "requirements.txt", (time.time() - 3 * year,) * 2)
    os.utime(root / "app.py", (time.time() - year,) * 2)
    lines, _ = requirements(tmp_path, {})
    assert "SQLAlchemy<2.1" in lines
    assert environments.bounds_nothing(lines)
    held, _ = environments.resolution_date(root, ("requirements.txt",), lines)
    plain, _ = environments.resolution_date(root, ("requirements.txt",), ["SQLAlchemy", "psycopg2"])
    assert held == plain and held is not None


@pytest.mark.parametrize("written, held", [
    # the 2018 Q&A API's shape: Flask-SQLAlchemy pinned, SQLAlchemy left to it (psycopg2's hold below 2.1 is
    # then already met)
    ("flask==1.0.2\nflask-sqlalchemy==2.3.1\npsycopg2-binary==2.7.5\n", "SQLAlchemy<1.4"),
    ("Flask-SQLAlchemy==2.4.4\n", "SQLAlchemy<1.4"),
    ("Flask-SQLAlchemy~=2.4.1\nSQLAlchemy>=1.2\n", "SQLAlchemy>=1.2,<1.4"),
    ("flask_sqlalchemy<2.5\n", "SQLAlchemy<1.4"),
])
def test_an_open_sqlalchemy_under_a_flask_sqlalchemy_before_2_5_is_held_below_1_4(tmp_path, written, held):
    lines, notes = requirements(tmp_path, {"requirements.txt": written})
    assert held in lines, lines
    assert any(n.startswith("SQLAlchemy held below 1.4") for n in notes), notes
    # a hold of Shipyard's, not a bound the app sets
    from shipyard.detect.sqlalchemy_hold import app_line
    assert app_line(held) == held.replace("<1.4", "").rstrip(",")


@pytest.mark.parametrize("written", [
    "Flask-SQLAlchemy==2.5.1\n",                      # made for 1.4
    "Flask-SQLAlchemy\n",                             # open: its release of the day goes with SQLAlchemy's
    "Flask-SQLAlchemy~=2.4\n",                        # admits 2.5
    "Flask-SQLAlchemy==2.4.4\nSQLAlchemy==1.4.3\n",   # the author pinned both
    "Flask-SQLAlchemy==2.4.4\nSQLAlchemy>=1.4\n",     # the author asks for 1.4
])
def test_the_1_4_hold_leaves_what_the_app_decides(tmp_path, written):
    lines, notes = requirements(tmp_path, {"requirements.txt": written})
    assert not any(line.endswith("<1.4") for line in lines), lines
    assert not any("held below 1.4" in n for n in notes)


@pytest.mark.parametrize("changed, held", [
    ("2021-03-15", True),     # resolves as of 2021-03-16: SQLAlchemy 1.4.0 out, Flask-SQLAlchemy 2.5 not yet
    ("2021-03-17", True),
    ("2021-03-18", False),    # as of 2021-03-19: Flask-SQLAlchemy 2.5 too
    ("2021-03-10", False),    # as of a day before SQLAlchemy 1.4: nothing to hold
])
def test_an_open_flask_sqlalchemy_dated_between_sqlalchemy_1_4_and_flask_sqlalchemy_2_5_is_held(tmp_path, changed,
                                                                                                 held):
    # the 2021 Yumroad shop's shape: an unpinned requirements.txt last changed on 2021-03-15
    root = make_tree(tmp_path, {"requirements.txt": "flask\nflask-sqlalchemy\nFlask-Migrate\n"})
    when = time.mktime(time.strptime(changed + " 12:00", "%Y-%m-%d %H:%M")) - time.timezone
    os.utime(root / "requirements.txt", (when, when))
    lines, notes = requirements(tmp_path, {})
    assert ("SQLAlchemy<1.4" in lines) is held, lines
    if held:
        assert any("resolves as of 2021-03-" in n and "before Flask-SQLAlchemy 2.5" in n for n in notes), notes
