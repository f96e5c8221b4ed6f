"""A module the app imports that the project ships only as a distribution of its own, in a folder with its
setup.cfg (the Django tutorial's reusable-app step: polls/ moved into a django-polls/ folder, still named in
INSTALLED_APPS). The entry stands (not proven, as inspect shows it) and the one line names the folder to install."""

from __future__ import annotations

import sys

import pytest

from shipyard.detect import entry
from shipyard.errors import AppConfigError
from shipyard.project import Project

from conftest import make_tree

PY = sys.executable
TIMEOUT = 30.0

APP = {
    "app.py": """
        from flask import Flask
        from polls import bp

        app = Flask(__name__)
        app.register_blueprint(bp)
        """,
    ".packaged/django-polls/polls/__init__.py": """
        from flask import Blueprint

        bp = Blueprint("polls", __name__)
        """,
    ".packaged/django-polls/pyproject.toml": "[build-system]\nrequires = ['setuptools']\n",
}
SETUP_CFG = "[metadata]\nname = django-polls\nversion = 0.1\n\n[options]\npackages = find:\n"


@pytest.mark.parametrize("setup_cfg", [True, False])
def test_a_package_only_in_a_local_distribution_keeps_the_entry_and_names_the_folder_to_install(tmp_path, setup_cfg):
    make_tree(tmp_path, {**APP, **({".packaged/django-polls/setup.cfg": SETUP_CFG} if setup_cfg else {})})
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == (".", "app:app"), found
    with pytest.raises(AppConfigError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    named = "(setup.cfg names it django-polls)" if setup_cfg else "(with its pyproject.toml)"
    assert ("app.py:2: importing app:app needs 'polls', which the project has only in its own distribution "
            f".packaged/django-polls/ {named}, not installed and not importable from ./") in failed.value.message
    assert failed.value.hint == ("install it (pip install ./.packaged/django-polls), or put .packaged/django-polls/ "
                                 "on PYTHONPATH, and run again")


def test_the_distributions_the_app_imports_from_folders_of_their_own_are_the_ones_to_install(tmp_path):
    """greeter-lib/ (setup.py, greeter/ inside), inner-lib/ (which greeter imports) and tools/ (pyproject.toml,
    tools/tools/: a folder of the same name as its package, only a namespace from the root) are installed;
    vendor/requests/ is a copy of a package the app declares (the index's); helpers.py and lib/ are importable from
    the root; a guarded import is not needed."""
    from shipyard.detect.entry.local_distribution import needed_local_distributions
    make_tree(tmp_path, {
        "app.py": "import requests\nfrom greeter import greeting\nfrom tools.text import slug\nimport helpers\n"
                  "from lib import util\ntry:\n    import extras\nexcept ImportError:\n    extras = None\n",
        "helpers.py": "", "lib/util.py": "",
        "greeter-lib/setup.py": "from setuptools import setup\nsetup(name='greeter-lib', packages=['greeter'])\n",
        "greeter-lib/greeter/__init__.py": "import inner\n",
        "inner-lib/setup.py": "from setuptools import setup\nsetup(name='inner', packages=['inner'])\n",
        "inner-lib/inner/__init__.py": "",
        "tools/pyproject.toml": "[project]\nname = 'tools'\n", "tools/tools/__init__.py": "", "tools/tools/text.py": "",
        "vendor/requests/setup.py": "from setuptools import setup\nsetup(name='requests', packages=['requests'])\n",
        "vendor/requests/requests/__init__.py": "",
        "extras-lib/setup.py": "from setuptools import setup\nsetup(name='extras', packages=['extras'])\n",
        "extras-lib/extras/__init__.py": "",
    })
    found = needed_local_distributions(Project(tmp_path), ".", ["Flask", "requests"])
    assert [(d.folder, d.name) for d in found] == [("greeter-lib", "greeter-lib"), ("inner-lib", "inner"),
                                                   ("tools", "tools")]
    # the app declares the local one by its own name (its README's `pip install -e`): still the folder's
    assert [d.folder for d in needed_local_distributions(Project(tmp_path), ".", ["greeter-lib", "requests"])] \
        == ["greeter-lib", "inner-lib", "tools"]
