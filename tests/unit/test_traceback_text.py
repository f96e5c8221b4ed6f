"""The file, line and exception of a failed command, read from the traceback it printed (a real Python run)."""

from __future__ import annotations

import sys

from conftest import make_tree
from shipyard import spawn
from shipyard.run.traceback_text import Origin, origin


def test_the_deepest_frame_in_the_apps_own_files_and_the_exception_are_named(tmp_path):
    root = make_tree(tmp_path / "app", {
        "migrations/versions/0001_.py": "def upgrade():\n    return sqlalchemy_utils.types\n",
        "lib/site-packages/runner.py": "def run(step):\n    step()\n",      # a package's frame: not the app's
        "main.py": "import runpy, sys\nsys.path.insert(0, 'lib/site-packages')\nimport runner\n"
                   "step = runpy.run_path('migrations/versions/0001_.py')['upgrade']\nrunner.run(step)\n",
    })
    code, errors = spawn.call_keeping_errors([sys.executable, "main.py"], cwd=str(root), timeout=60)
    assert code == 1 and "Traceback" in errors
    assert str(origin(errors, root, root)) == ("migrations/versions/0001_.py, line 2: NameError: name 'sqlalchemy_utils' "
                                    "is not defined")


def test_the_last_of_chained_tracebacks_is_read_and_long_errors_are_cut(tmp_path):
    make_tree(tmp_path, {"a.py": "", "b.py": ""})
    text = (f'Traceback (most recent call last):\n  File "{tmp_path}/a.py", line 1, in <module>\nKeyError: 1\n\n'
            "The above exception was the direct cause of the following exception:\n\n"
            f'Traceback (most recent call last):\n  File "{tmp_path}/b.py", line 7, in up\n    op.x()\n'
            f'ProgrammingError: {"x" * 300}\n[SQL: CREATE TABLE song]\n')
    found = str(origin(text, tmp_path))
    assert found.startswith("b.py, line 7: ProgrammingError: xxx") and found.endswith("...") and len(found) < 230
    assert origin("no traceback here\n", tmp_path) is None
    # a frame of code that is no file of the app (python -c) is not named
    assert origin('Traceback (most recent call last):\n  File "<string>", line 3, in <module>\nKeyError: 2\n',
                  tmp_path) == Origin(None, "KeyError: 2")


def test_the_driver_classes_sqlalchemy_wraps_a_database_error_in_are_left_out(tmp_path):
    make_tree(tmp_path, {"versions/0001_init.py": ""})
    text = ('Traceback (most recent call last):\n  File "versions/0001_init.py", line 22, in upgrade\n'
            "sqlalchemy.exc.ProgrammingError: (sqlalchemy.dialects.postgresql.asyncpg.ProgrammingError) "
            "<class 'asyncpg.exceptions.DuplicateTableError'>: relation \"song\" already exists\n[SQL: CREATE]\n")
    assert str(origin(text, tmp_path)) == ('versions/0001_init.py, line 22: sqlalchemy.exc.ProgrammingError: '
                                           'relation "song" already exists')
