"""Python 2 code on the entry's import path is said from the files, before any environment is built: a 2014 app's
freeze pins releases that build from source, and building them (twice: the import then moves to an older Python)
ran past inspect's time limit before the import said "Python 2 code"."""

from __future__ import annotations

import pytest

from shipyard import environments
from shipyard.detect import entry
from shipyard.detect.python2_reach import python2_on_import_path
from shipyard.planner import make_plan
from shipyard.project import Project

from conftest import make_tree

# a package app whose helper, imported inside the view's function, is Python 2 code; the freeze pins releases of
# 2014 that would each build from source here
OLD_APP = {
    "requirements.txt": "Flask==0.10.1\npython-ldap==2.4.15\nwsgiref==0.1.2\n",
    "wsgi.py": "from web import app\n",
    "web/__init__.py": """
        from flask import Flask

        app = Flask(__name__)


        @app.route("/")
        def index():
            from web.helpers import greeting
            return greeting()
        """,
    "web/helpers.py": """
        def greeting():
            try:
                return "hello"
            except ValueError, e:
                print "failed", e
        """,
}


def test_python2_syntax_on_the_import_path_is_found_from_the_files(tmp_path):
    root = make_tree(tmp_path / "app", OLD_APP)
    project = Project(root)
    said = python2_on_import_path(project, entry.find(project, None))
    assert said is not None
    message, hint = said
    assert message.startswith("web/helpers.py:4: ") and "is Python 2 code (`except Error, name:`)" in message
    assert "2to3 -w web" in hint


def test_python2_code_the_entry_never_imports_says_nothing(tmp_path):
    # a Python 2 fabfile beside a Python 3 app; and a file of the app's that does not parse for another reason
    root = make_tree(tmp_path / "app", {
        **OLD_APP,
        "web/helpers.py": "def greeting():\n    return 'hello'\n",
        "fabfile.py": "def deploy():\n    print 'deploying'\n",
        "web/broken.py": "def f(:\n    pass\n",
        "web/__init__.py": "from flask import Flask\n\nfrom web import broken\n\napp = Flask(__name__)\n",
    })
    project = Project(root)
    assert python2_on_import_path(project, entry.find(project, None)) is None


def test_the_plan_and_serve_say_python2_code_without_building_an_environment(tmp_path, monkeypatch, capsys):
    from shipyard.__main__ import main

    def no_build(*args, **kwargs):
        raise AssertionError("an environment was built for Python 2 code")

    monkeypatch.setattr(environments, "environment_for_proof", no_build)
    monkeypatch.setattr(environments, "install", no_build)
    root = make_tree(tmp_path / "app", OLD_APP)
    plan = make_plan(root, installed=False)
    assert plan.entry.target == "wsgi:app"
    assert plan.proof is not None and not plan.proof.proven and plan.proof.code_error
    assert "web/helpers.py is Python 2 code" in plan.proof.reason and "before building an environment" in plan.proof.reason
    capsys.readouterr()
    assert main(["serve", str(root), "--install", "--port", "26010"]) != 0
    err = capsys.readouterr().err
    assert "web/helpers.py is Python 2 code" in err and "2to3" in err, err
    assert not (root / ".venv").exists()


def test_python2_code_is_found_when_the_entrys_sibling_package_is_also_on_sys_path(tmp_path):
    # budget.py at the root, presenters/ whose modules import each other as top-level names (Python 2's way) and the
    # package by name: the entry runs from the root with presenters/ on sys.path too (import_folder); it was looked
    # for as presenters/budget.py, nothing was reached, and an environment of 2013's releases was built to say less
    root = make_tree(tmp_path / "app", {
        "budget.py": "from flask import Flask\nfrom presenters.pages import pages\n\napp = Flask(__name__)\n",
        "presenters/__init__.py": "",
        "presenters/pages.py": "import helpers\nfrom presenters.auth import login\n\npages = None\n",
        "presenters/auth.py": "def login():\n    pass\n",
        "presenters/helpers.py": "def log(x):\n    print 'x', x\n",
    })
    project = Project(root)
    found = entry.find(project, None)
    assert (found.entry.target, found.entry.import_folder) == ("budget:app", "presenters")
    said = python2_on_import_path(project, found)
    assert said is not None and said[0].startswith("presenters/helpers.py:2: ") and "Python 2 code" in said[0]


@pytest.mark.parametrize("line", ["print('failed', e)", "raise"])
def test_python3_code_on_the_import_path_is_not_python2(tmp_path, line):
    root = make_tree(tmp_path / "app", {**OLD_APP, "web/helpers.py": f"""
        def greeting():
            try:
                return "hello"
            except ValueError as e:
                {line}
        """})
    project = Project(root)
    assert python2_on_import_path(project, entry.find(project, None)) is None


def test_a_newer_pythons_syntax_with_backquotes_is_left_to_the_import(tmp_path):
    # a 3.12 f-string reusing its quotes, holding a backquote: Shipyard's own Python may not parse it, and a
    # backquoted repr is Python 2's only on a line Python 3 cannot read for that reason; the import decides
    root = make_tree(tmp_path / "app", {**OLD_APP, "web/helpers.py": """
        def greeting(names={"a": "hello"}):
            return f"`{names["a"]}`" if names else ""
        """})
    project = Project(root)
    assert python2_on_import_path(project, entry.find(project, None)) is None
