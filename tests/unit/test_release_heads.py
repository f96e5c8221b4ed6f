"""The release command's Alembic target (`head`, or `heads` when the script directory has several) and the
Flask-Migrate release's FLASK_APP, read from small projects written here."""

from __future__ import annotations

import pytest

from conftest import make_tree
from shipyard.detect import migration_heads
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.render import render

APP = "from fastapi import FastAPI\napp = FastAPI()\n"
INI = "[alembic]\nscript_location = migrations\nsqlalchemy.url = sqlite:///app.db\n"


def revision(rev: str, down: str | None, annotated: bool = False) -> str:
    if annotated:      # Alembic 1.13's template
        return (f"from typing import Sequence, Union\nrevision: str = {rev!r}\n"
                f"down_revision: Union[str, None] = {down!r}\n")
    return f"revision = {rev!r}\ndown_revision = {down!r}\n"


def alembic_app(tmp_path, versions: dict[str, str], ini: str = INI):
    return make_tree(tmp_path / "app", {"main.py": APP, "requirements.txt": "fastapi\nalembic\n",
                                        "alembic.ini": ini, "migrations/env.py": "",
                                        **{f"migrations/versions/{k}.py": v for k, v in versions.items()}})


def test_one_history_upgrades_to_head(tmp_path):
    root = alembic_app(tmp_path, {"a": revision("a1", None), "b": revision("b2", "a1", annotated=True)})
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.release.argv == ("python", "-m", "alembic", "upgrade", "head")
    assert not any("heads" in n for n in plan.notes)


def test_two_branches_from_one_parent_upgrade_heads_with_a_note(tmp_path):
    root = alembic_app(tmp_path, {"a": revision("a1", None), "b": revision("b2", "a1"), "c": revision("c3", "a1")})
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.release.argv == ("python", "-m", "alembic", "upgrade", "heads")
    assert plan.release.what == "Alembic (alembic upgrade heads)"
    [note] = [n for n in plan.notes if "heads" in n]
    assert "2 heads (b2, c3)" in note and "never merged" in note and "`alembic merge heads`" in note
    assert "order them with `alembic merge heads`" in plan.release.hint
    compose = render(plan.with_settings(topology="compose", db="postgres"))["compose.yaml"]
    assert '"-m", "alembic", "upgrade", "heads"]' in compose


def test_a_merge_revision_makes_one_head_again(tmp_path):
    root = alembic_app(tmp_path, {"a": revision("a1", None), "b": revision("b2", "a1"), "c": revision("c3", "a1"),
                                  "d": "revision = 'd4'\ndown_revision = ('b2', 'c3')\n"})
    assert make_plan(root, confirm=False, installed=False).release.argv[-1] == "head"


def test_separate_histories_are_named_in_the_note(tmp_path):
    root = alembic_app(tmp_path, {"a": revision("a1", None), "b": revision("b2", "a1"),
                                  "x": revision("x1", None), "y": revision("y2", "x1")})
    heads = migration_heads.from_ini(Project(root), "alembic.ini", ".")
    assert heads.heads == ("b2", "y2") and heads.bases == ("a1", "x1")
    assert "2 separate histories (bases a1, x1)" in heads.note("alembic upgrade heads", "alembic merge heads")
    release = make_plan(root, confirm=False, installed=False).release
    assert "holds 2 separate histories (bases a1, x1)" in release.hint and "delete its files" in release.hint


@pytest.mark.parametrize("unreadable", [
    "revision = make_id()\ndown_revision = None\n",       # not a literal
    "revision = 'z9'\ndown_revision = 'missing'\n",       # a parent that is not there: Alembic's own error
    "def broken(:\n",
])
def test_a_history_that_cannot_be_read_keeps_head(tmp_path, unreadable):
    root = alembic_app(tmp_path, {"a": revision("a1", None), "b": revision("b2", "a1"), "c": revision("c3", "a1"),
                                  "z": unreadable})
    assert migration_heads.from_ini(Project(root), "alembic.ini", ".") is None
    assert make_plan(root, confirm=False, installed=False).release.argv[-1] == "head"


def test_version_locations_and_here_are_read_as_alembic_does(tmp_path):
    ini = ("[alembic]\nscript_location = %(here)s/migrations\nversion_path_separator = os\n"
           "version_locations = %(here)s/migrations/versions:%(here)s/extra\n")
    root = alembic_app(tmp_path, {"a": revision("a1", None)}, ini)
    make_tree(root, {"extra/b.py": revision("b2", "a1"), "extra/c.py": revision("c3", "a1"),
                     "migrations/versions/__init__.py": ""})
    heads = migration_heads.from_ini(Project(root), "alembic.ini", ".")
    assert heads is not None and heads.heads == ("b2", "c3")


def test_flask_migrate_names_the_app_with_flask_app_and_upgrades_heads_when_there_are_several(tmp_path):
    root = make_tree(tmp_path / "app", {
        "app.py": "from flask import Flask\nfrom flask_migrate import Migrate\napp = Flask(__name__)\n",
        "requirements.txt": "flask\nflask-migrate\n",
        "migrations/env.py": "", "migrations/alembic.ini": "[alembic]\n",
        "migrations/versions/a.py": revision("a1", None), "migrations/versions/b.py": revision("b2", "a1")})
    plan = make_plan(root, {"entry": "app:app"}, confirm=False, installed=False)
    assert plan.release.argv == ("python", "-m", "flask", "db", "upgrade")
    assert plan.release.env == (("FLASK_APP", "app:app"),)
    (root / "migrations/versions/c.py").write_text(revision("c3", "a1"))
    plan = make_plan(root, {"entry": "app:app"}, confirm=False, installed=False)
    assert plan.release.argv[-3:] == ("db", "upgrade", "heads")
    assert any("`flask db upgrade heads`" in n and "`flask db merge heads`" in n for n in plan.notes)


def test_flask_migrate_is_found_under_the_name_an_old_pip_freeze_writes(tmp_path):
    # Fyyur's requirements.txt: Flask_Migrate==2.5.3 (PEP 503 makes it flask-migrate)
    root = make_tree(tmp_path / "app", {
        "app.py": "from flask import Flask\nfrom flask_migrate import Migrate\napp = Flask(__name__)\n",
        "requirements.txt": "Flask==1.1.2\nFlask_Migrate==2.5.3\n",
        "migrations/env.py": "", "migrations/alembic.ini": "[alembic]\n", "migrations/versions/a.py": revision("a1", None)})
    plan = make_plan(root, {"entry": "app:app"}, confirm=False, installed=False)
    assert plan.release.argv == ("python", "-m", "flask", "db", "upgrade")


@pytest.mark.parametrize("declared", ["flask --app site:make() db upgrade", "flask --app=site:make() db upgrade",
                                      "flask -A site:make() db upgrade"])
def test_a_declared_flask_release_passes_the_app_as_flask_app(tmp_path, declared):
    root = make_tree(tmp_path / "app", {
        "site.py": "from flask import Flask\ndef make():\n    return Flask(__name__)\n",
        "requirements.txt": "flask\n", "pyproject.toml": f"[tool.shipyard]\nrelease = \"{declared}\"\n"})
    plan = make_plan(root, {"entry": "site:make()"}, confirm=False, installed=False)
    assert plan.release.argv == ("python", "-m", "flask", "db", "upgrade")
    assert plan.release.env == (("FLASK_APP", "site:make()"),)


def test_here_is_the_ini_s_own_folder_and_other_paths_are_read_from_where_alembic_runs(tmp_path):
    root = make_tree(tmp_path / "repo", {
        "backend/alembic.ini": "[alembic]\nscript_location = %(here)s/db\n",
        "backend/db/versions/a.py": revision("a1", None), "backend/db/versions/b.py": revision("b2", "a1"),
        "backend/db/versions/c.py": revision("c3", "a1"),
        "backend/relative.ini": "[alembic]\nscript_location = db\n"})
    assert migration_heads.from_ini(Project(root), "backend/alembic.ini", "backend").heads == ("b2", "c3")
    assert migration_heads.from_ini(Project(root), "backend/relative.ini", "backend").folder == "backend/db/versions"


# a Flask-Script era layout: index.py makes the app, main.py gives it to the Procfile's server, and only
# manage.py wires Flask-Migrate (`migrate = Migrate(app, db)`, run as `python manage.py db upgrade`)
SCRIPT_ERA = {
    "index.py": "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n"
                "app = Flask(__name__)\ndb = SQLAlchemy(app)\n\n@app.route('/')\ndef home():\n    return 'ok'\n",
    "main.py": "from index import app\n\napp = app\n",
    "manage.py": "from flask_migrate import Migrate\nfrom index import app, db\n\nmigrate = Migrate(app, db)\n",
    "Procfile": "web: gunicorn main:app\n",
    "requirements.txt": "Flask\nFlask-SQLAlchemy\nFlask-Migrate\n",
    "migrations/env.py": "", "migrations/alembic.ini": "[alembic]\n",
    "migrations/versions/a1_first.py": revision("a1", None),
}


def test_flask_migrate_loads_the_app_from_the_script_that_wires_it(tmp_path):
    plan = make_plan(make_tree(tmp_path / "app", SCRIPT_ERA), confirm=False, installed=False)
    assert plan.entry.target == "main:app"
    assert plan.release.env == (("FLASK_APP", "manage:app"),)


def test_flask_migrate_wired_where_the_entry_imports_it_keeps_the_entry(tmp_path):
    # main.py imports manage.py itself: the served app has met Migrate
    files = {**SCRIPT_ERA, "main.py": "from manage import app\n"}
    plan = make_plan(make_tree(tmp_path / "app", files), confirm=False, installed=False)
    assert plan.release.env == (("FLASK_APP", "main:app"),)


@pytest.mark.parametrize("versions", [{"__init__": ""}, None])
def test_alembic_with_no_revision_runs_no_release(tmp_path, versions):
    """`alembic init` run, no revision made (an empty versions/, or none at all): `upgrade head` would apply
    nothing, so no release runs, and a note says how to make the first."""
    root = alembic_app(tmp_path, versions or {})
    assert (root / "migrations" / "versions").exists() == bool(versions)
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.release is None
    [note] = [n for n in plan.notes if "no revision file" in n]
    assert note.startswith("migrations/versions holds no revision file") and "alembic revision --autogenerate" in note


def test_flask_migrate_with_no_revision_creates_the_tables_instead(tmp_path):
    """Flask-Migrate's `flask db init` left migrations/ with no versions: no `flask db upgrade`, and the models'
    tables come from Shipyard's db.create_all() step, as for an app with no migrations."""
    root = make_tree(tmp_path / "app", {
        "app.py": "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\nfrom flask_migrate import Migrate\n"
                  "app = Flask(__name__)\ndb = SQLAlchemy(app)\nmigrate = Migrate(app, db)\n",
        "requirements.txt": "flask\nflask-sqlalchemy\nflask-migrate\n",
        "migrations/env.py": "", "migrations/alembic.ini": "[alembic]\n", "migrations/script.py.mako": ""})
    plan = make_plan(root, confirm=False, installed=False)
    assert any("flask db migrate" in n for n in plan.notes)
    assert plan.release is None and "db.create_all()" in plan.first_run.what


def test_flask_migrate_runs_from_the_folder_that_holds_migrations_with_the_src_app_on_the_path(tmp_path):
    # 4Geeks' react-flask-hello: the app in src/ (Procfile `gunicorn wsgi --chdir ./src/`), migrations/ at the
    # root, where `FLASK_APP=src/app.py flask db upgrade` runs; from src/, Flask-Migrate finds no migrations/
    root = make_tree(tmp_path / "app", {
        "Pipfile": '[packages]\nflask = "*"\nflask-sqlalchemy = "*"\nflask-migrate = "*"\n',
        "src/app.py": "from flask import Flask\nfrom flask_migrate import Migrate\nfrom flask_sqlalchemy import "
                      "SQLAlchemy\napp = Flask(__name__)\ndb = SQLAlchemy(app)\nMigrate(app, db)\n\n"
                      "@app.route('/')\ndef home():\n    return 'ok'\n",
        "src/wsgi.py": "from app import app as application\n",
        "Procfile": "web: gunicorn wsgi --chdir ./src/\n",
        "migrations/env.py": "", "migrations/alembic.ini": "[alembic]\n",
        "migrations/versions/a1.py": revision("a1", None)})
    plan = make_plan(root, confirm=False, installed=False)
    assert (plan.workdir, plan.entry.target) == ("src", "wsgi:application")
    assert plan.release.argv == ("python", "-m", "flask", "db", "upgrade") and plan.release.workdir == "."
    assert dict(plan.release.env) == {"FLASK_APP": "wsgi:application", "PYTHONPATH": "src"}
    # migrations/ beside the app: run from the app's folder, as before
    flat = make_tree(tmp_path / "flat", {"requirements.txt": "flask-migrate\nflask-sqlalchemy\n",
                                         "app.py": (root / "src/app.py").read_text(), "migrations/env.py": "",
                                         "migrations/versions/a1.py": revision("a1", None)})
    plan = make_plan(flat, confirm=False, installed=False)
    assert plan.release.workdir == "." and dict(plan.release.env) == {"FLASK_APP": "app:app"}


@pytest.mark.parametrize("ini", ["", "[loggers]\nkeys = root\n"])
def test_an_alembic_ini_with_no_alembic_section_runs_no_release(tmp_path, ini):
    """An empty alembic.ini committed beside an app that makes its tables with create_all() and has no script
    directory: `alembic upgrade` would stop on "No 'script_location' key found", so no release runs (and no
    Alembic install is asked for), with a note saying why."""
    root = make_tree(tmp_path / "app", {"main.py": APP, "requirements.txt": "fastapi\nsqlalchemy\n",
                                        "alembic.ini": ini})
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.release is None
    assert any(n.startswith("alembic.ini configures no Alembic script directory") for n in plan.notes)


def test_an_alembic_ini_configured_from_pyproject_still_upgrades(tmp_path):
    # Alembic 1.16: script_location under [tool.alembic], alembic.ini keeping only logging and the URL
    root = alembic_app(tmp_path, {"a": revision("a1", None)}, ini="[loggers]\nkeys = root\n")
    (root / "pyproject.toml").write_text('[tool.alembic]\nscript_location = "migrations"\n')
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.release.argv == ("python", "-m", "alembic", "upgrade", "head")


def test_alembic_configured_only_in_pyproject_upgrades_from_there(tmp_path):
    # Alembic 1.16 runs from [tool.alembic] alone: no alembic.ini at all, the history in db/
    root = make_tree(tmp_path / "app", {"main.py": APP, "requirements.txt": "fastapi\nalembic>=1.16\n",
                                        "pyproject.toml": '[tool.alembic]\nscript_location = "%(here)s/db"\n',
                                        "db/env.py": "", "db/versions/a.py": revision("a1", None),
                                        "db/versions/b.py": revision("b2", "a1")})
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.release.argv == ("python", "-m", "alembic", "upgrade", "head")
    assert plan.release.what.startswith("Alembic")
    heads = migration_heads.for_alembic(Project(root), "alembic.ini", ".")
    assert (heads.folder, heads.heads) == ("db/versions", ("b2",))


def test_the_history_alembic_runs_is_found_without_an_ini_naming_it(tmp_path):
    project = Project(make_tree(tmp_path / "app", {
        "main.py": APP, "alembic/env.py": "", "alembic/versions/a.py": revision("a1", None),
        "tests/data/env.py": ""}))
    # an ini kept out of git: the project's one folder with env.py beside versions/
    assert migration_heads.for_alembic(project, "alembic.ini", ".").folder == "alembic/versions"
    # an ini whose script_location comes from the environment: the same
    (tmp_path / "app/alembic.ini").write_text("[alembic]\nscript_location = %(MIGRATIONS)s\n")
    assert migration_heads.for_alembic(Project(tmp_path / "app"), "alembic.ini", ".").folder == "alembic/versions"
    # two such folders, none where alembic runs: not told
    two = Project(make_tree(tmp_path / "two", {"a/env.py": "", "a/versions/x.py": revision("a1", None),
                                               "b/env.py": "", "b/versions/y.py": revision("b1", None)}))
    assert migration_heads.for_alembic(two, "alembic.ini", ".") is None


def test_flask_migrate_revisions_without_env_py_create_the_tables_instead(tmp_path):
    """Revision files committed without migrations/env.py (kept out of git): Alembic cannot load them, so no
    `flask db upgrade`; the tables come from Shipyard's db.create_all() step, and a note says what is missing."""
    app = ("from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\nfrom flask_migrate import Migrate\n"
           "app = Flask(__name__)\ndb = SQLAlchemy(app)\nmigrate = Migrate(app, db)\n")
    files = {"app.py": app, "requirements.txt": "flask\nflask-sqlalchemy\nflask-migrate\n",
             "migrations/alembic.ini": "[alembic]\n", "migrations/script.py.mako": "",
             "migrations/versions/a1_first.py": revision("a1", None)}
    plan = make_plan(make_tree(tmp_path / "app", files), confirm=False, installed=False)
    assert plan.release is None and "db.create_all()" in plan.first_run.what
    [note] = [n for n in plan.notes if "env.py is missing" in n]
    assert note.startswith("migrations/versions holds revision files but migrations/env.py is missing")
    # with env.py, the same revisions are the release, and no create_all
    whole = make_plan(make_tree(tmp_path / "whole", {**files, "migrations/env.py": ""}), confirm=False, installed=False)
    assert whole.release.argv == ("python", "-m", "flask", "db", "upgrade") and whole.first_run is None


def test_flask_migrate_in_the_apps_package_runs_from_there_with_the_app_on_the_path(tmp_path):
    # a 2025 Flask-AppBuilder API: constructora/app.py's create_app(), Migrate(directory=<the package>/migrations),
    # the README's `cd constructora` then `flask run`: nothing ran its migrations, and every table was missing
    root = make_tree(tmp_path / "app", {
        "requirements.txt": "flask\nflask-sqlalchemy\nflask-migrate\n",
        "config.py": "SQLALCHEMY_DATABASE_URI = 'sqlite:///app.db'\n",
        "shop/__init__.py": "",
        "shop/app.py": "import os\nfrom flask import Flask\nfrom flask_migrate import Migrate\nfrom flask_sqlalchemy "
                       "import SQLAlchemy\ndb = SQLAlchemy()\n\n\ndef create_app():\n    app = Flask(__name__)\n"
                       "    app.config.from_object('config')\n    db.init_app(app)\n"
                       "    Migrate(app, db, directory=os.path.join(os.path.dirname(__file__), 'migrations'))\n"
                       "    app.add_url_rule('/', 'home', lambda: 'ok')\n    return app\n",
        "shop/migrations/env.py": "", "shop/migrations/alembic.ini": "[alembic]\n",
        "shop/migrations/versions/a1.py": revision("a1", None)})
    plan = make_plan(root, confirm=False, installed=False)
    assert (plan.workdir, plan.entry.target) == (".", "shop.app:create_app()")
    assert plan.release.argv == ("python", "-m", "flask", "db", "upgrade") and plan.release.workdir == "shop"
    assert dict(plan.release.env) == {"FLASK_APP": "app.py:create_app()", "PYTHONPATH": ".."}
