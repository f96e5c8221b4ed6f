"""An app folder that declares no dependencies of its own, inside a repository whose root declares them (a tutorial
repository: one requirements.txt at the root, the app in fastapi_app/ beside flask_app/): the root's files are the
app's, read from above without the folder's root changing; a sibling's files never are, nor any folder above the
repository (the nearest folder holding .git)."""

from __future__ import annotations

from conftest import make_tree
from shipyard import planner
from shipyard.detect import deps
from shipyard.project import Project
from shipyard.render import render

FASTAPI_APP = ("from fastapi import FastAPI\nimport joblib\n\napp = FastAPI()\n\n\n@app.get('/hello')\n"
               "def hello():\n    return {'hello': 'world'}\n")
FLASK_APP = "from flask import Flask\n\napp = Flask(__name__)\n"


def _repository(root, files):
    make_tree(root, files)
    (root / ".git").mkdir()
    return root


# a project's own "set the project up" script named setup.py (a 2025 Django ERP's: a venv, pip install -r, migrate,
# through subprocess), no packaging script: it declares nothing, so the folder still declares no dependencies
SETUP_SCRIPT = ("import subprocess\n\n\ndef setup_database():\n    subprocess.run(['python', 'manage.py', 'migrate'])\n"
                "\n\nif __name__ == '__main__':\n    setup_database()\n")


def test_a_folder_named_below_a_repository_root_reads_the_roots_requirements(tmp_path):
    repo = _repository(tmp_path / "tutorial", {"requirements.txt": "fastapi==0.63.0\njoblib==0.14.1\nflask==1.1.2\n",
                                               "fastapi_app/main.py": FASTAPI_APP, "fastapi_app/setup.py": SETUP_SCRIPT,
                                               "flask_app/main.py": FLASK_APP})
    found = deps.declared(Project(repo / "fastapi_app"), ".")
    assert found.files == ("../requirements.txt",) and found.complete
    assert [(d.name, d.spec, d.source) for d in found.dependencies] == [
        ("fastapi", "==0.63.0", "../requirements.txt"), ("joblib", "==0.14.1", "../requirements.txt"),
        ("flask", "==1.1.2", "../requirements.txt")]
    assert any("fastapi_app/ declares no dependencies of its own" in n for n in found.notes), found.notes


def test_the_plan_keeps_the_named_folder_as_the_apps_root(tmp_path):
    repo = _repository(tmp_path / "tutorial", {"requirements.txt": "fastapi==0.63.0\njoblib==0.14.1\n",
                                               "fastapi_app/main.py": FASTAPI_APP})
    plan = planner.make_plan(repo / "fastapi_app", {}, confirm=False)
    assert (plan.entry.module, plan.entry.attr, plan.workdir) == ("main", "app", ".")
    assert plan.dependency_files == ("../requirements.txt",) and not plan.dependencies_inferred
    assert {"fastapi", "joblib"} <= {d.name for d in plan.dependencies}


def test_a_folder_between_the_app_and_the_root_is_read_first(tmp_path):
    repo = _repository(tmp_path / "course", {"requirements.txt": "django\n", "week3/requirements.txt": "flask==2.0.1\n",
                                             "week3/todo/app.py": FLASK_APP})
    found = deps.declared(Project(repo / "week3" / "todo"), ".")
    assert found.files == ("../requirements.txt",)
    assert [d.name for d in found.dependencies] == ["flask"]


def test_a_siblings_requirements_are_not_the_apps(tmp_path):
    # only the other app declares: its files are not this one's (imports are inferred instead)
    repo = _repository(tmp_path / "showcase", {"django_demo/requirements.txt": "Django==4.2\n",
                                               "django_demo/manage.py": "import django\n",
                                               "flask_demo/app.py": FLASK_APP})
    found = deps.declared(Project(repo / "flask_demo"), ".")
    assert found.files == () and not found.complete


def test_the_apps_own_files_win(tmp_path):
    repo = _repository(tmp_path / "tutorial", {"requirements.txt": "django\n", "api/requirements.txt": "flask\n",
                                               "api/app.py": FLASK_APP})
    found = deps.declared(Project(repo / "api"), ".")
    assert found.files == ("requirements.txt",) and [d.name for d in found.dependencies] == ["flask"]


def test_nothing_is_read_above_a_folder_in_no_repository(tmp_path):
    # a folder of the user's with a requirements.txt above an unpacked app: no .git, no repository to read
    make_tree(tmp_path / "downloads", {"requirements.txt": "django\n", "app/app.py": FLASK_APP})
    found = deps.declared(Project(tmp_path / "downloads" / "app"), ".")
    assert found.files == () and not found.complete


def test_nothing_is_read_above_the_repositorys_root(tmp_path):
    # the repository is the app's folder itself: the folder above it (holding a requirements.txt) is not read
    make_tree(tmp_path, {"requirements.txt": "django\n"})
    repo = _repository(tmp_path / "app", {"app.py": FLASK_APP})
    found = deps.declared(Project(repo), ".")
    assert found.files == () and not found.complete


def test_the_image_installs_a_requirements_file_written_in_the_apps_folder(tmp_path):
    # ../requirements.txt is outside the image's build context (the app's folder): init writes one from the plan
    repo = _repository(tmp_path / "tutorial", {"requirements.txt": "fastapi==0.63.0\njoblib==0.14.1\n",
                                               "fastapi_app/main.py": FASTAPI_APP})
    files = render(planner.make_plan(repo / "fastapi_app", {}, confirm=False))
    assert "fastapi==0.63.0" in files["requirements.txt"] and "joblib==0.14.1" in files["requirements.txt"]
    assert "../requirements.txt declares" in files["requirements.txt"]
    assert "COPY requirements.txt requirements.txt" in files["Dockerfile"] and "../" not in files["Dockerfile"]


def test_a_tools_repository_around_an_example_app_is_not_the_apps(tmp_path):
    # examples/hello/ in a tool's repository: the root's pyproject.toml declares the tool's packages, none of which
    # the example imports
    repo = _repository(tmp_path / "tool", {"pyproject.toml": "[project]\nname = 'tool'\ndependencies = ['jinja2', "
                                           "'packaging']\n", "examples/hello/app.py": FLASK_APP})
    found = deps.declared(Project(repo / "examples" / "hello"), ".")
    assert found.files == () and not found.complete
