"""A Django app whose repository carries its SQLite database (db.sqlite3 committed by a course project) made before
its models or newest migrations: serve leaves an existing database as it is, and now says what it lacks (an app
with models and no migrations and no tables, migrations it never applied) and that `shipyard migrate` applies
them, instead of leaving the user to find the 500 "no such table" on the pages that read them."""

from __future__ import annotations

import sqlite3
import sys
from contextlib import closing

from conftest import make_tree
from shipyard.planner import make_plan
from shipyard.run.appenv import AppEnv
from shipyard.run.sqlite_release import create_missing_sqlite, django_schema_behind

MIGRATION = """
    from django.db import migrations
    class Migration(migrations.Migration):
        dependencies = []
        operations = []
    """


def _database(path, tables: tuple[str, ...], applied: tuple[tuple[str, str], ...]) -> bytes:
    with closing(sqlite3.connect(path)) as db:
        db.execute("create table django_migrations (id integer primary key, app text, name text, applied text)")
        for table in tables:
            db.execute(f"create table {table} (id integer primary key)")
        db.executemany("insert into django_migrations (app, name, applied) values (?, ?, '2024-01-01')", applied)
        db.commit()
    return path.read_bytes()


def test_unmigrated_models_with_no_tables_and_unapplied_migrations_are_named(tmp_path):
    root = make_tree(tmp_path / "site", {
        "blog/migrations/__init__.py": "", "blog/migrations/0001_initial.py": MIGRATION,
        "blog/migrations/0002_post_title.py": MIGRATION,
        # an app the database never migrated at all: its label may be another than the folder's, so not counted
        "shop/migrations/__init__.py": "", "shop/migrations/0001_initial.py": MIGRATION,
        # a virtualenv's migrations are no app's
        ".venv/lib/site-packages/blog/migrations/0003_x.py": MIGRATION})
    database = tmp_path / "site" / "db.sqlite3"
    _database(database, ("blog_post",), (("blog", "0001_initial"),))
    assert django_schema_behind(database, root, ("jobs",)) == [
        "jobs: no tables (its models have no migrations in the repository)", "blog: 1 migration not applied"]
    # an unmigrated app the database did migrate (its author's own migrations, uncommitted), its tables named by
    # Meta.db_table; and models.py at the project's root, no app label: nothing said of either
    with closing(sqlite3.connect(database)) as db:
        db.execute("insert into django_migrations (app, name, applied) values ('jobs', '0001_initial', 'x')")
        db.commit()
    assert django_schema_behind(database, root, ("jobs", ".")) == ["blog: 1 migration not applied"]
    # all applied, and the unmigrated app's tables made by hand: nothing to say
    with closing(sqlite3.connect(database)) as db:
        db.execute("create table jobs_job (id integer primary key)")
        db.execute("insert into django_migrations (app, name, applied) values ('blog', '0002_post_title', 'x')")
        db.commit()
    assert django_schema_behind(database, root, ("jobs",)) == []
    (tmp_path / "notes.txt").write_text("not a database")
    assert django_schema_behind(tmp_path / "notes.txt", root, ("jobs",)) == []


PROJECT = {
    "manage.py": """
        import os, sys
        if __name__ == "__main__":
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "board.settings")
            from django.core.management import execute_from_command_line
            execute_from_command_line(sys.argv)
        """,
    "board/__init__.py": "",
    "board/settings.py": """
        from pathlib import Path
        BASE_DIR = Path(__file__).resolve().parent.parent
        SECRET_KEY = "test-only"
        ALLOWED_HOSTS = ["*"]
        ROOT_URLCONF = "board.urls"
        INSTALLED_APPS = ["django.contrib.contenttypes", "job"]
        DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
        DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
        """,
    "board/urls.py": """
        from django.http import HttpResponse
        from django.urls import path
        from job.models import Job
        urlpatterns = [path("jobs/", lambda request: HttpResponse(str(Job.objects.count())))]
        """,
    "board/wsgi.py": """
        import os
        from django.core.wsgi import get_wsgi_application
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "board.settings")
        application = get_wsgi_application()
        """,
    "job/__init__.py": "",
    "job/models.py": """
        from django.db import models
        class Job(models.Model):
            title = models.CharField(max_length=100)
        """,
    "requirements.txt": "Django\n",
}


def test_serve_says_what_a_committed_database_lacks_and_leaves_it_as_it_is(tmp_path):
    root = make_tree(tmp_path / "board", PROJECT)
    before = _database(root / "db.sqlite3", ("django_content_type",), (("contenttypes", "0001_initial"),))
    plan = make_plan(root, python_exe=sys.executable, timeout=60)
    assert plan.unmigrated_models == ("job",), plan.unmigrated_models
    said: list[str] = []
    assert create_missing_sqlite(plan, root, AppEnv(sys.executable, "the test's Python"), said.append) is False
    assert said == ["warning: the app's SQLite database db.sqlite3 is there already and left as it is, but it lacks "
                    "what the models need (job: no tables (its models have no migrations in the repository)): pages "
                    "that read them answer 500. `shipyard migrate` (or `serve --migrate`) applies them to it (copy the "
                    "file first to keep it as it is)"], said
    assert (root / "db.sqlite3").read_bytes() == before
