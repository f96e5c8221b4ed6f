"""psycopg2 held below 2.9 for an app whose Django is below 3.1 (detect/psycopg2_hold.py): psycopg2 2.9 makes
Django 2.2/3.0 fail every query with "database connection isn't set to UTC". (Served: the corpus's 2022 Spotify
client, Django==3.0.6 from its Pipfile.lock beside an unpinned psycopg2.)"""

from __future__ import annotations

import os
import time

import pytest

from conftest import make_tree
from shipyard import environments
from shipyard.detect import deps, holds
from shipyard.project import Project


def requirements(tmp_path, files):
    declared = deps.declared(Project(make_tree(tmp_path, files)))
    return [d.requirement for d in declared.dependencies], declared.notes


@pytest.mark.parametrize("written, held", [
    ("Django==3.0.6\npsycopg2\n", ["psycopg2<2.9"]),
    ("django==2.2.28\npsycopg2-binary>=2.7\n", ["psycopg2-binary>=2.7,<2.9"]),
    ("Django<3\npsycopg2\npsycopg2-binary\n", ["psycopg2<2.9", "psycopg2-binary<2.9"]),
    ("Django~=2.2.0\npsycopg2-binary\n", ["psycopg2-binary<2.9"]),
])
def test_an_open_psycopg2_beside_a_django_before_3_1_is_held_below_2_9(tmp_path, written, held):
    lines, notes = requirements(tmp_path, {"requirements.txt": written})
    for line in held:
        assert line in lines
    assert any("held below 2.9" in n and "isn't set to UTC" in n for n in notes), notes


def test_a_django_pinned_by_a_pipfile_lock_counts(tmp_path):
    """The shape met: requirements.txt names Django and psycopg2 unpinned; a Pipfile.lock beside it pins Django."""
    lock = ('{"_meta": {"requires": {"python_version": "3.7"}, "sources": []}, "default": '
            '{"django": {"version": "==3.0.6"}}, "develop": {}}')
    lines, notes = requirements(tmp_path, {"requirements.txt": "Django\npsycopg2\n",
                                           "Pipfile": "[packages]\ndjango = \"*\"\n", "Pipfile.lock": lock})
    assert "Django==3.0.6" in lines and "psycopg2<2.9" in lines, lines


@pytest.mark.parametrize("written", [
    "Django==3.0.6\npsycopg2==2.9.3\n",          # its author's exact choice
    "Django==2.2\npsycopg2>=2.9\n",
    "Django==3.1.14\npsycopg2\n",                 # fixed from 3.1 on
    "Django\npsycopg2\n",                         # an open Django resolves to one that reads 2.9
    "Django>=2.2\npsycopg2\n",
    "Django==3.0.6\npsycopg[binary]\n",           # psycopg 3: not the driver Django 3.0 loads, nothing to hold
    "Flask\npsycopg2\n",
])
def test_what_the_app_decides_or_what_works_is_left(tmp_path, written):
    lines, notes = requirements(tmp_path, {"requirements.txt": written})
    assert not any(line.endswith("<2.9") for line in lines), lines
    assert not any("held below 2.9" in n for n in notes)


def test_the_hold_is_not_taken_for_a_bound_the_app_sets_when_dating_its_packages(tmp_path):
    root = make_tree(tmp_path, {"requirements.txt": "Django==2.2.28\npsycopg2\n", "app.py": "import django\n"})
    year = 365 * 86400
    os.utime(root / "requirements.txt", (time.time() - 3 * year,) * 2)
    lines, _ = requirements(tmp_path, {})
    assert "psycopg2<2.9" in lines
    held, _ = environments.resolution_date(root, ("requirements.txt",), lines)
    plain, _ = environments.resolution_date(root, ("requirements.txt",), ["Django==2.2.28", "psycopg2"])
    assert held == plain and held is not None
    assert environments.bounds_nothing(["psycopg2<2.9", "flask"])


def test_the_hold_is_a_constraint_of_an_image_that_installs_the_apps_own_file(tmp_path):
    """The image installs requirements.txt as written (psycopg2 open): the hold reaches it as a uv -c line."""
    declared = deps.declared(Project(make_tree(tmp_path, {"requirements.txt": "Django==3.0.6\npsycopg2>=2.7\n"})))
    assert holds.constraints(declared.dependencies) == ("psycopg2<2.9",)
