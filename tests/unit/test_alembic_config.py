"""Alembic's config file where apps keep it: beside the code, in a subfolder named by ALEMBIC_CONFIG or by the
app's own `alembic -c` command, or the project's only one; run from the folder its script_location is
relative to."""

from __future__ import annotations

import pytest

from shipyard.detect import alembic_config
from shipyard.plan import Release
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.render import render
from shipyard.render.target import Target

from conftest import FIXTURES, make_tree

APP = {
    "requirements.txt": "starlette\nSQLAlchemy\npsycopg2-binary\nalembic\n",
    "app.py": "import sqlalchemy\nfrom starlette.applications import Starlette\napp = Starlette()\n",
}
INI = "[alembic]\nscript_location = {location}\nprepend_sys_path = .\n"
ENV_PY = "from alembic import context\n"
FIRST = "revision = 'a1'\ndown_revision = None\n"      # a revision file: upgrade head has one to apply


def with_revisions(files: dict[str, str]) -> dict[str, str]:
    """`files` with a first revision beside each env.py, in its versions/."""
    return {**files, **{f"{rel[:-len('env.py')]}versions/a1_first.py": FIRST for rel in files
                        if rel.endswith("/env.py")}}


def found(root):
    return alembic_config.find(Project(root), ".")


def test_alembic_config_in_the_example_env_file_is_run_with_c_from_the_project_root():
    plan = make_plan(FIXTURES / "apps" / "alembic_config_subfolder", confirm=False, installed=False)
    assert plan.release.argv == ("python", "-m", "alembic", "-c", "migrations/alembic.ini", "upgrade", "head")
    assert plan.release.workdir == "."
    assert any("migrations/alembic.ini (ALEMBIC_CONFIG in .env.example)" in n for n in plan.notes), plan.notes
    # the driver its ini's URL names is the one serve's database URL keeps (migrations/ is the app's)
    assert [s.scheme for s in plan.services] == ["postgresql+asyncpg"]
    compose = render(plan, Target.image(), only=("compose.yaml",))["compose.yaml"]
    assert '"-m", "alembic", "-c", "migrations/alembic.ini", "upgrade", "head"]' in compose


@pytest.mark.parametrize("files, expected", [
    ({"Makefile": "migrate:\n\tpoetry run alembic -c db/alembic.ini upgrade head\n",
      "db/alembic.ini": INI.format(location="%(here)s/versions_env"), "db/versions_env/env.py": ENV_PY},
     ("db/alembic.ini", ".", "`alembic -c db/alembic.ini` in Makefile")),
    ({"docker-compose.yml": "services:\n  api:\n    build: .\n    ports: ['8000:8000']\n"
                           "    environment:\n      ALEMBIC_CONFIG: conf/alembic.ini\n",
      "conf/alembic.ini": INI.format(location="migrations"), "migrations/env.py": ENV_PY},
     ("conf/alembic.ini", ".", "ALEMBIC_CONFIG in docker-compose.yml")),
    # no one names it: the project's only one, run from its own folder where script_location is relative to it
    ({"backend/alembic.ini": INI.format(location="alembic"), "backend/alembic/env.py": ENV_PY,
      "tests/alembic.ini": INI.format(location="alembic")},
     ("alembic.ini", "backend", "the project's only alembic.ini")),
    ({"db/alembic.ini": INI.format(location="myapp:migrations"), "myapp/migrations/env.py": ENV_PY},
     ("db/alembic.ini", ".", "the project's only alembic.ini")),
])
def test_a_config_file_in_a_subfolder_is_found_with_the_folder_to_run_from(tmp_path, files, expected):
    root = make_tree(tmp_path / "app", with_revisions({**APP, **files}))
    config = found(root)
    assert (config.ini, config.cwd, config.named_by) == expected
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.release.workdir == expected[1]
    assert plan.release.argv == ("python", "-m", "alembic", *config.args, "upgrade", "head")


@pytest.mark.parametrize("files, why", [
    # Flask-Migrate's ini has no script_location (flask db gives it): not a config alembic can run
    ({"migrations/alembic.ini": "[alembic]\n# template used to generate migration files\n",
      "migrations/env.py": ENV_PY}, "no script_location"),
    ({"migrations/alembic.ini": INI.format(location="elsewhere"), "migrations/env.py": ENV_PY},
     "script_location leads to no env.py from any folder"),
    ({"a/alembic.ini": INI.format(location="%(here)s/m"), "a/m/env.py": ENV_PY,
      "b/alembic.ini": INI.format(location="%(here)s/m"), "b/m/env.py": ENV_PY}, "two, and nothing names one"),
    ({"docs/alembic.ini": INI.format(location="%(here)s/m"), "docs/m/env.py": ENV_PY}, "a doc's copy"),
    ({".env.example": "ALEMBIC_CONFIG=/srv/app/a/alembic.ini\n",
      "a/alembic.ini": INI.format(location="%(here)s/m"), "a/m/env.py": ENV_PY,
      "b/alembic.ini": INI.format(location="%(here)s/m"), "b/m/env.py": ENV_PY}, "a container's absolute path"),
])
def test_no_alembic_release_from_a_config_it_cannot_run(tmp_path, files, why):
    root = make_tree(tmp_path / "app", {**APP, **files})
    assert found(root) is None, why
    assert make_plan(root, confirm=False, installed=False).release is None, why


def test_alembic_ini_beside_the_code_stays_a_bare_upgrade(tmp_path):
    root = make_tree(tmp_path / "app", {**APP, "alembic.ini": INI.format(location="migrations"),
                                        "migrations/env.py": ENV_PY, "migrations/versions/a1.py": FIRST,
                                        ".env.example": "ALEMBIC_CONFIG=other/alembic.ini\n"})
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.release == Release(("python", "-m", "alembic", "upgrade", "head"), ".", "Alembic (alembic upgrade head)")
