"""A NameError for the author's own module, kept out of git, that the app reads but no longer imports: main.py
reads constants.SECRET_KEY, `#import constants` is commented out, .gitignore lists constants.py. The entry stands
(not proven) and the one line says which file to write, with what, and to import it."""

from __future__ import annotations

import sys

import pytest

from shipyard.detect import entry
from shipyard.errors import AppCodeError, AppConfigError
from shipyard.project import Project

from conftest import make_tree

PY = sys.executable
TIMEOUT = 30.0

MAIN = """
    from flask import Flask
    #import constants

    app = Flask(__name__)
    app.config['SECRET_KEY'] = constants.SECRET_KEY


    @app.route('/')
    def index():
        return constants.API_KEY[:0] + 'ok'
    """


def test_a_module_kept_out_of_git_and_not_imported_is_a_setup_step(tmp_path):
    make_tree(tmp_path, {"main.py": MAIN, ".gitignore": "venv/\nconstants.py\nweather.db\n"})
    found = entry.find(Project(tmp_path), None)
    assert found.entry.target == "main:app"
    with pytest.raises(AppConfigError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    assert "NameError: name 'constants' is not defined: main.py reads SECRET_KEY, API_KEY from constants.py, which " \
           "is not in the project (.gitignore keeps it out of git), and its `import constants` is commented out" \
           in failed.value.message
    assert failed.value.hint == "write constants.py with SECRET_KEY and API_KEY, import it in main.py, and run again"


def test_a_name_not_defined_that_no_gitignore_lists_stays_the_apps_code_error(tmp_path):
    make_tree(tmp_path, {"main.py": MAIN})
    found = entry.find(Project(tmp_path), None)
    with pytest.raises(AppCodeError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    assert not isinstance(failed.value, AppConfigError) and "NameError" in failed.value.message


def test_a_standard_module_used_and_never_imported_is_the_apps_own_mistake(tmp_path):
    # a course project's settings call os.getenv after their `import os` was lost (commented `# import os` too)
    make_tree(tmp_path, {"main.py": """
        from pathlib import Path
        # import os
        from flask import Flask

        app = Flask(__name__)
        app.config['SECRET_KEY'] = os.getenv('SECRET_KEY', 'key')
        """})
    found = entry.find(Project(tmp_path), None)
    with pytest.raises(AppCodeError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    assert "NameError: name 'os' is not defined: main.py uses os.getenv but never imports os (the standard " \
           "library's): a mistake in the app's code" in failed.value.message
    assert failed.value.hint == "add `import os` at the top of main.py, and run again"
