"""A requirements.txt written by `conda list --export` (name=version=build lines): its versions pin the imports,
its other packages constrain the resolution, its python= line picks the Python."""

from __future__ import annotations

from conftest import make_tree
from shipyard import environments
from shipyard.detect import conda_list, deps, pyversion
from shipyard.plan import Dependency
from shipyard.project import Project

CONDA_LIST = """\
# This file may be used to create an environment using:
# $ conda create --name <env> --file <this file>
# platform: win-64
flask=1.1.1=py_0
flask-marshmallow=0.11.0=py_0
jpeg=9c=hfa6e2cd_1001
openssl=1.1.1g=he774522_0
python=3.7.6=h60c2a47_2
sqlalchemy=1.3.15=py37he774522_1
"""


def test_a_conda_list_pins_the_imports_and_says_what_it_is(tmp_path):
    project = Project(make_tree(tmp_path, {"app.py": "import flask\n", "requirements.txt": CONDA_LIST}))
    declared = deps.declared(project)
    # no line is a pip requirement (before: each was skipped as unreadable, and the imports took today's releases)
    assert declared.dependencies == ()
    assert ("requirements.txt is a conda package list (name=version=build lines, for conda create --file): not "
            "installable by pip; its versions pin the packages the code imports") in declared.notes
    assert not any("skipped (not a requirement" in note for note in declared.notes)
    inferred = [Dependency("Flask", "", "import flask in app.py", True),
                Dependency("flask-marshmallow", "", "import flask_marshmallow in app.py", True),
                Dependency("requests", "", "import requests in app.py", True)]
    merged = {d.name: d.spec for d in deps.merge(declared, inferred, None)}
    assert merged == {"Flask": "==1.1.1", "flask-marshmallow": "==0.11.0", "requests": ""}


def test_a_conda_lists_python_line_is_the_apps_python(tmp_path):
    project = Project(make_tree(tmp_path, {"app.py": "", "requirements.txt": CONDA_LIST}))
    assert pyversion.detect(project).version == "3.7"
    assert pyversion.detect(project).source == "python= in requirements.txt (a conda package list)"
    # a pip file with one `name=version` typo is not a conda list
    assert not conda_list.is_conda_list("Flask==2.0.1\nDjango=4.1.1\nrequests==2.28.1\n")


def test_a_conda_lists_versions_constrain_what_the_resolution_pulls_in(tmp_path):
    # Flask-SQLAlchemy 2.4.1 (pinned from the list) under today's SQLAlchemy 2.0 fails at import; the list's
    # sqlalchemy=1.3.15 keeps the one it ran with. What the requirements pin themselves decides, and python is the
    # interpreter; conda's own packages (openssl) are in no resolution from an index, so they constrain nothing
    app = make_tree(tmp_path, {"requirements.txt": CONDA_LIST})
    found = environments.lock_constraints(app, ("requirements.txt",), ("Flask==1.1.1", "flask-marshmallow==0.11.0"))
    assert "sqlalchemy==1.3.15" in found
    assert not {c.split("==")[0] for c in found} & {"flask", "flask-marshmallow", "python"}
    (app / "requirements.txt").write_text("Flask==1.1.1\nSQLAlchemy==1.3.15\n")   # a pip file: no constraints
    assert environments.lock_constraints(app, ("requirements.txt",), ("Flask==1.1.1",)) == ()


def test_the_image_of_a_conda_list_app_installs_the_plans_pins_not_the_list(tmp_path, monkeypatch):
    # `uv pip install -r requirements.txt` refuses `flask=1.1.1=py_0` lines, so `shipyard build` failed: the image
    # installs what serve does (the imports at the list's versions), and the user's requirements.txt stays as it is
    from shipyard.planner import make_plan
    from shipyard.render import Target, render
    from shipyard.plan import Plan
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = make_tree(tmp_path / "moby", {"app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
                                         "requirements.txt": CONDA_LIST})
    plan = make_plan(root, {"server": "gunicorn"}, confirm=False, installed=False)
    assert plan.conda_lists == ("requirements.txt",)
    assert Plan.from_json(plan.to_json()) == plan
    files = render(plan, Target.image())
    assert "requirements.txt" not in files                  # never written over the user's list
    dockerfile = files["Dockerfile"]
    assert "-r requirements.txt" not in dockerfile and "COPY requirements.txt" not in dockerfile
    builder = dockerfile.split("\nFROM ${BASE}\n")[0]
    assert " Flask==1.1.1 -c /opt/uv/constraints.txt" in builder, builder
    assert "sqlalchemy==1.3.15" in builder          # the list's other versions stay constraints, as serve's
    assert "requirements.txt is a conda package list" in dockerfile
