"""Two web apps side by side at a repository's root (a portfolio's flask_demo/ beside its django_demo/, each with
its own requirements.txt, under a root requirements.txt frozen from one of them): the root is a question with
both folders named; the app picked (its folder as the path, or --entry at the root) gets its own folder's
dependencies and none of the other's imports."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import make_tree
from shipyard.detect import entry
from shipyard.errors import AmbiguousApp
from shipyard.planner import make_plan
from shipyard.project import Project

FLASK_APP = """\
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///todo.db"
db = SQLAlchemy(app)


@app.route("/")
def index():
    return "tasks"
"""

SHOWCASE = {
    # the root's freeze: one of the two apps' venv
    "requirements.txt": "Flask==3.1.1\nFlask-SQLAlchemy==3.1.1\nSQLAlchemy==2.0.43\n",
    "flask_demo/app.py": FLASK_APP,
    "flask_demo/requirements.txt": "Flask==3.0.0\n",
    "django_demo/requirements.txt": "Django==5.2.5\nasgiref==3.9.1\n",
    "django_demo/manage.py": "import os\nimport sys\n\n\ndef main():\n"
                             "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
                             "    from django.core.management import execute_from_command_line\n"
                             "    execute_from_command_line(sys.argv)\n\n\nif __name__ == '__main__':\n    main()\n",
    "django_demo/mysite/__init__.py": "",
    "django_demo/mysite/settings.py": "SECRET_KEY = 'x'\nDEBUG = True\nROOT_URLCONF = 'mysite.urls'\n"
                                      "INSTALLED_APPS = ['django.contrib.contenttypes', 'blog']\n",
    "django_demo/mysite/urls.py": "from django.urls import path\nfrom blog import views\n\n"
                                  "urlpatterns = [path('', views.post_list)]\n",
    "django_demo/mysite/wsgi.py": "import os\nfrom django.core.wsgi import get_wsgi_application\n\n"
                                  "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
                                  "application = get_wsgi_application()\n",
    "django_demo/blog/__init__.py": "",
    "django_demo/blog/views.py": "from django.http import HttpResponse\n\n\ndef post_list(request):\n"
                                 "    return HttpResponse('posts')\n",
    "django_demo/blog/migrations/__init__.py": "",
    "django_demo/blog/migrations/0001_initial.py": "from django.db import migrations\n\n\n"
                                                   "class Migration(migrations.Migration):\n    operations = []\n",
}


def names(plan) -> set[str]:
    return {d.name.lower() for d in plan.dependencies}


def test_the_root_of_two_apps_side_by_side_names_both_folders(tmp_path):
    make_tree(tmp_path, SHOWCASE)
    with pytest.raises(AmbiguousApp) as raised:
        entry.find(Project(tmp_path), None)
    message = f"{raised.value} {raised.value.hint}"
    assert "flask_demo/" in message and "django_demo/" in message
    assert "shipyard serve" in message and "--entry" in message


def test_the_command_says_it_in_one_line_and_fails(tmp_path):
    make_tree(tmp_path, SHOWCASE)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    done = subprocess.run([sys.executable, "-m", "shipyard", "inspect", str(tmp_path)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode != 0
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "flask_demo/" in lines[0] and "django_demo/" in lines[0], done.stderr


def test_the_app_picked_with_entry_at_the_root_gets_its_own_folders_needs(tmp_path):
    make_tree(tmp_path, SHOWCASE)
    flask = make_plan(tmp_path, {"entry": "app:app"}, confirm=False, installed=False)
    assert flask.workdir == "flask_demo" and flask.dependency_files == ("flask_demo/requirements.txt",)
    assert "flask-sqlalchemy" in names(flask) and "django" not in names(flask)   # not from django_demo's migration
    django = make_plan(tmp_path, {"entry": "mysite.wsgi:application"}, confirm=False, installed=False)
    assert django.workdir == "django_demo" and django.dependency_files == ("django_demo/requirements.txt",)
    assert "django" in names(django) and not names(django) & {"flask", "flask-sqlalchemy"}


def test_the_app_picked_by_its_folder_gets_only_its_needs(tmp_path):
    make_tree(tmp_path, SHOWCASE)
    flask = make_plan(tmp_path / "flask_demo", confirm=False, installed=False)
    assert flask.entry.target == "app:app" and "django" not in names(flask)


def test_a_root_with_code_of_its_own_keeps_its_dependency_files(tmp_path):
    # run.py at the root is the app: its requirements.txt is the app's, whatever folders beside it declare
    tree = {**SHOWCASE, "run.py": "from flask import Flask\napp = Flask(__name__)\n\n\n"
                                  "@app.route('/')\ndef home():\n    return 'home'\n"}
    make_tree(tmp_path, tree)
    plan = make_plan(tmp_path, {"entry": "run:app"}, confirm=False, installed=False)
    assert plan.dependency_files == ("requirements.txt",)


def test_a_django_site_beside_the_app_adds_nothing_through_its_migrations(tmp_path):
    # one requirements.txt, at the root, for the Flask app: the Django blog beside it (its own manage.py) is not
    # the app, and its migrations, which run that blog's release, do not make Django the app's need
    tree = {rel: text for rel, text in SHOWCASE.items() if not rel.endswith("/requirements.txt")}
    make_tree(tmp_path, tree)
    plan = make_plan(tmp_path, {"entry": "app:app"}, confirm=False, installed=False)
    assert plan.workdir == "flask_demo" and plan.dependency_files == ("requirements.txt",)
    assert "django" not in names(plan)


TWIN_README = """\
# Usage
1. Clone this repository
2. Run this command
```
$ pip3 install -r requirements.txt
```

# Run Flask App
```
$ cd flask_app
$ python3 main.py
```

# Run FastAPI App
```
$ cd fastapi_app
$ uvicorn main:app --reload
```
"""

TWINS = {
    # one requirements.txt at the root for both, as a 2021 tutorial has it
    "requirements.txt": "fastapi==0.63.0\nuvicorn==0.13.0\nflask==1.1.2\n",
    "README.md": TWIN_README,
    "flask_app/main.py": "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\ndef index():\n"
                         "    return {'hello': 'world'}\n\n\napp.run(debug=True)\n",
    "fastapi_app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/{sentence}')\n"
                           "def index(sentence: str):\n    return {'hello': sentence}\n",
}


def test_a_readme_section_cd_starts_from_the_root(tmp_path):
    # `cd fastapi_app` in the section after `cd flask_app`: flask_app/fastapi_app does not exist, the root's does
    from shipyard.detect.entry import procfile
    make_tree(tmp_path, TWINS)
    project = Project(tmp_path)
    assert procfile.readme_targets(project) == (("fastapi_app", "main:app"),)
    assert procfile.readme_script_runs(project) == (("flask_app", "main:*"),)


def test_a_readme_that_runs_two_apps_leaves_the_choice_to_the_user(tmp_path):
    # it serves the FastAPI app with uvicorn and runs the Flask app as a script: both are what it runs
    make_tree(tmp_path, TWINS)
    with pytest.raises(AmbiguousApp) as raised:
        entry.find(Project(tmp_path), None)
    assert "flask_app/" in str(raised.value) and "fastapi_app/" in str(raised.value)
    # a README that serves one app only still picks it
    make_tree(tmp_path, {"README.md": TWIN_README.split("# Run Flask App")[0] + TWIN_README.split("```\n\n")[-1]})
    assert entry.find(Project(tmp_path), None).workdir == "fastapi_app"


def test_an_entry_naming_a_module_both_apps_have_is_a_question(tmp_path):
    # --entry main:app at the root: flask_app/main.py and fastapi_app/main.py both hold it
    make_tree(tmp_path, TWINS)
    with pytest.raises(AmbiguousApp) as raised:
        entry.find(Project(tmp_path), "main:app")
    assert "flask_app/" in str(raised.value) and "fastapi_app/" in str(raised.value)
    assert "shipyard serve fastapi_app" in raised.value.hint
    # named from the app's folder, the same entry is the one there
    assert entry.find(Project(tmp_path / "flask_app"), "main:app").entry.target == "main:app"
