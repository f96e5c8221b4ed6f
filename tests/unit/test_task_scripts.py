"""The steps a project's task runner (PDM scripts, poethepoet tasks) takes before its server: found by reading
pyproject.toml, run by `serve`/`dev` once on a new database as the app's own first run."""

from __future__ import annotations

import subprocess
import sys

from shipyard.detect.first_run import TASK_STEPS
from shipyard.detect.task_scripts import SetupSteps, setup_steps
from shipyard.planner import make_plan
from shipyard.project import Project

from conftest import make_tree

QUART_MAIN = """\
from quart import Quart

app = Quart(__name__)


@app.cli.command("init_db")
def init_db():
    print("creating the database")


@app.route("/health")
async def health():
    return {"healthy": True}
"""

PDM_SCRIPTS = """\
[project]
name = "todo"
version = "0.1.0"
dependencies = ["quart==0.19.6"]
requires-python = ">=3.11"

[tool.pdm.scripts]
init_db = "quart --app=main:app init_db"
migrate_all = "quart --app=main:app migrate -a"
prepare_db = {composite = ["init_db", "migrate_all"]}
load_test_data = "quart --app=main:app load_data"
dev_server = "quart --app=main:app run"
prod_server = "hypercorn --config hypercorn.toml main:app"
start_dev_app = {composite = ["prepare_db", "load_test_data", "dev_server"]}
start_app = {composite = ["prepare_db", "prod_server"]}
lint = {composite = ["flake8 src", "black --check src"]}
"""


def test_the_production_start_scripts_steps_before_its_server(tmp_path):
    project = Project(make_tree(tmp_path, {"main.py": QUART_MAIN, "pyproject.toml": PDM_SCRIPTS}))
    # start_app over start_dev_app (quart run, and test data); lint serves nothing
    assert setup_steps(project, "main") == SetupSteps(
        "pdm run start_app", ("quart --app=main:app init_db", "quart --app=main:app migrate -a"))
    # another module than the one the server is given: not that app's start script
    assert setup_steps(project, "other") is None


def test_the_plan_runs_them_once_as_the_apps_first_run_over_its_init_db_command(tmp_path):
    app = make_tree(tmp_path, {"main.py": QUART_MAIN, "pyproject.toml": PDM_SCRIPTS})
    plan = make_plan(app, confirm=False, installed=False)
    assert plan.release is None
    assert plan.first_run.argv == ("python", "-c", TASK_STEPS, "quart --app=main:app init_db",
                                   "quart --app=main:app migrate -a")
    assert plan.first_run.workdir == "."
    assert "pdm run start_app" in plan.first_run.what
    assert any("pdm run start_app" in n and "not safe to repeat" in n for n in plan.notes)


def test_poe_sequences_refs_and_a_start_with_nothing_before_its_server(tmp_path):
    project = Project(make_tree(tmp_path, {"app.py": "", "pyproject.toml": """\
[tool.poe.tasks]
migrate = "alembic upgrade head"
seed = {shell = "python seed.py && echo seeded"}
serve = {cmd = "uvicorn app:app --host 0.0.0.0"}
start = {sequence = [{ref = "migrate"}, "seed", "serve"]}
"""}))
    assert setup_steps(project, "app") == SetupSteps(
        "poe start", ("alembic upgrade head", "python seed.py && echo seeded"))
    alone = Project(make_tree(tmp_path / "alone", {"app.py": "", "pyproject.toml": """\
[tool.pdm.scripts]
start = "uvicorn app:app"
check = {call = "tools:check"}
both = {composite = ["check", "start"]}
"""}))
    # nothing before the server, or a step this reader cannot follow (a Python call)
    assert setup_steps(alone, "app") is None


def test_the_runner_runs_each_step_with_the_interpreters_programs_and_stops_at_a_failure(tmp_path):
    steps = ["python -c \"import sys; open('first', 'w').write(sys.executable)\"",
             "python -c \"import sys; sys.exit(3)\"",
             "python -c \"open('never', 'w')\""]
    done = subprocess.run([sys.executable, "-c", TASK_STEPS, *steps], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 3
    # `python` on the steps' PATH is the interpreter the runner was started with (the app's)
    assert (tmp_path / "first").read_text() == sys.executable
    assert not (tmp_path / "never").exists()
    assert "+ python -c" in done.stderr
