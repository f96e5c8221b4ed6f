"""A Django model moved from one app to another keeping its table (db_table): the old app's migration deletes it,
the new app's creates it again, with no dependency between them. On a new database migrate may run the creation
first ('relation "teacher_registration" already exists'); serve migrates the deleting app up to its deletion first,
then everything, as the author's database took them."""

from __future__ import annotations

import pytest

from shipyard import spawn
from shipyard.detect.moved_tables import Moved, moved_tables
from shipyard.environments import Environment
from shipyard.errors import ShipyardError
from shipyard.project import Project
from shipyard.planner import make_plan
from shipyard.run.migrate import run_migrations

from conftest import make_tree

CREATE = '''
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [{deps}]
    operations = [
        migrations.CreateModel(
            name="{model}",
            fields=[("id", models.AutoField(primary_key=True, serialize=False))],
            options={options},
        ),
    ]
'''
DELETE = '''
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("teacher", "0001_initial")]
    operations = [migrations.DeleteModel(name="{model}")]
'''


def project(tmp_path, table: str | None = "teacher_registration"):
    options = f'{{"db_table": "{table}"}}' if table else "{}"
    return make_tree(tmp_path, {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'school.settings')\n",
        "school/__init__.py": "",
        "school/settings.py": "SECRET_KEY = 'x'\nINSTALLED_APPS = ['teacher', 'student']\nROOT_URLCONF = 'school.urls'\n",
        "school/urls.py": "urlpatterns = []\n",
        "school/wsgi.py": "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        "requirements.txt": "django\n",
        "teacher/__init__.py": "", "teacher/migrations/__init__.py": "",
        "teacher/migrations/0001_initial.py": CREATE.format(deps="", model="registration_model", options=options),
        "teacher/migrations/0002_delete_registration_model.py": DELETE.format(model="registration_model"),
        "student/__init__.py": "", "student/migrations/__init__.py": "",
        "student/migrations/0001_initial.py": CREATE.format(deps="", model="registration_model", options=options),
    })


def test_a_table_one_app_deletes_and_another_creates_is_found(tmp_path):
    root = project(tmp_path)
    assert moved_tables(Project(root)) == [Moved(
        "teacher_registration", "teacher", "0002_delete_registration_model", "student/migrations/0001_initial.py")]


def test_default_table_names_differ_by_app_so_nothing_moved(tmp_path):
    root = project(tmp_path, table=None)     # teacher_registration_model and student_registration_model
    assert moved_tables(Project(root)) == []


class _Env(Environment):
    def require(self, module: str, why: str) -> None:
        pass


@pytest.mark.parametrize("fresh, moved", [(True, True), (False, False)])
def test_serve_migrates_the_deleting_app_first_on_a_new_database(tmp_path, monkeypatch, fresh, moved):
    root = project(tmp_path)
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.release is not None and plan.release.argv[-2:] == ("migrate", "--noinput")
    calls = []
    monkeypatch.setattr(spawn, "call_keeping_errors", lambda argv, **kw: calls.append(list(argv)) or (0, ""))
    monkeypatch.setattr("shipyard.run.migrate._without_django_main", lambda argv, cwd, environ: argv)
    env = _Env("/app/.venv/bin/python", "the app's .venv", "app")
    notes = run_migrations(plan, root, env, fresh=fresh)
    if not moved:       # a database that is not new (the user's data): migrate as it is
        assert calls == [["/app/.venv/bin/python", "-m", "django", "migrate", "--noinput"]]
        assert not any("first" in n for n in notes)
        return
    assert calls == [["/app/.venv/bin/python", "-m", "django", "migrate", "teacher", "0002_delete_registration_model",
                      "--noinput"], ["/app/.venv/bin/python", "-m", "django", "migrate", "--noinput"]]
    assert notes[1:] == ["warning: student/migrations/0001_initial.py creates table 'teacher_registration', which "
                         "teacher's migration 0002_delete_registration_model deletes, and does not depend on it: "
                         "migrated teacher to 0002_delete_registration_model first on the new database (the order the "
                         "author's database took); make that migration depend on it to make `migrate` apply as is"]


def test_a_step_that_fails_leaves_migrate_to_say_what_it_says(tmp_path, monkeypatch):
    root = project(tmp_path)
    plan = make_plan(root, confirm=False, installed=False)
    answers = iter([(1, "CommandError: ..."), (1, 'relation "teacher_registration" already exists')])
    monkeypatch.setattr(spawn, "call_keeping_errors", lambda argv, **kw: next(answers))
    monkeypatch.setattr("shipyard.run.migrate._without_django_main", lambda argv, cwd, environ: argv)
    with pytest.raises(ShipyardError, match="Django migrate failed"):
        run_migrations(plan, root, _Env("/app/.venv/bin/python", "the app's .venv", "app"), fresh=True)


POINTS_AT = '''
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("student", "0001_initial")]
    operations = [
        migrations.CreateModel(
            name="Fine",
            fields=[("id", models.AutoField(primary_key=True, serialize=False)),
                    ("student", models.ForeignKey(on_delete=models.CASCADE, to="{to}")),
                    ("user", models.ForeignKey(on_delete=models.CASCADE, to="auth.user"))],
        ),
    ]
'''


@pytest.mark.parametrize("to, renamed, dangling", [
    ("student.student", False, True),       # the model renamed by hand inside student's applied 0001
    ("student.registration_model", False, False),
    ("student.student", True, False),       # a RenameModel makes it: the history adds up
])
def test_a_migration_pointing_at_a_model_its_apps_migrations_never_create_is_said_when_migrate_stops(
        tmp_path, monkeypatch, to, renamed, dangling):
    # library_management_system: library's 0002 points at student.student, student's 0001 creates another name;
    # migrate stops with "Related model 'student.student' cannot be resolved" for anyone: make the migrations again
    root = project(tmp_path, table=None)
    (root / "teacher/migrations/0001_initial.py").write_text(POINTS_AT.format(to=to))
    if renamed:
        (root / "student/migrations/0002_rename.py").write_text(
            "from django.db import migrations\n\nclass Migration(migrations.Migration):\n"
            "    operations = [migrations.RenameModel('registration_model', 'Student')]\n")
    plan = make_plan(root, confirm=False, installed=False)
    said = ("teacher/migrations/0001_initial.py points at student.student, which no migration of student creates "
            "(only registration_model)")
    assert (said in plan.release.hint) is dangling and any(n.startswith(said) for n in plan.notes) is dangling
    if not dangling:
        return
    monkeypatch.setattr(spawn, "call_keeping_errors", lambda argv, **kw: (1, "ValueError: Related model "
                                                                            "'student.student' cannot be resolved"))
    monkeypatch.setattr("shipyard.run.migrate._without_django_main", lambda argv, cwd, environ: argv)
    with pytest.raises(ShipyardError) as failed:
        run_migrations(plan, root, _Env("/app/.venv/bin/python", "the app's .venv", "app"), fresh=False)
    assert failed.value.hint.startswith(said + ": the app's migrations are out of step with its models; make them "
                                        "again (delete the migration files")
