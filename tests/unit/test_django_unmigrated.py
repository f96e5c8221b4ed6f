"""Django apps whose models have no migrations in the repository: found statically, and given migrations made
into Shipyard's folder (never the app's) before migrate, by the release script serve runs."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from conftest import make_tree
from shipyard.detect.django_unmigrated import unmigrated_model_folders
from shipyard.project import Project
from shipyard.run.migrate import MAKE_AND_MIGRATE


def initial_migration(model: str) -> str:
    """A committed 0001_initial.py that makes `model` with its id only."""
    return f"""
        from django.db import migrations, models
        class Migration(migrations.Migration):
            initial = True
            dependencies = []
            operations = [migrations.CreateModel("{model}", [("id", models.BigAutoField(primary_key=True))])]
        """


SETTINGS = """
    SECRET_KEY = "x"
    INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
                      "django.contrib.sessions", "django.contrib.messages", "accounts", "shop", "blog"]
    AUTH_USER_MODEL = "accounts.User"
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}
    DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
    """
APP = {
    "site_conf/__init__.py": "",
    "site_conf/settings.py": SETTINGS,
    # the custom user model's app has an empty migrations package (entrypoint.sh runs makemigrations)
    "accounts/__init__.py": "",
    "accounts/migrations/__init__.py": "",
    "accounts/models.py": """
        from django.contrib.auth.models import AbstractUser
        class User(AbstractUser):
            pass
        """,
    "shop/__init__.py": "",
    "shop/models.py": """
        from django.conf import settings
        from django.db import models
        class Product(models.Model):
            owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        """,
    # committed migrations, and an abstract base only: nothing to make
    "blog/__init__.py": "",
    "blog/migrations/__init__.py": "",
    "blog/migrations/0001_initial.py": initial_migration("Post"),
    "blog/models.py": """
        from django.db import models
        class Post(models.Model):
            pass
        """,
    "common/models.py": """
        from django.db import models
        class Stamped(models.Model):
            class Meta:
                abstract = True
        """,
}


def test_folders_with_models_and_no_migrations_are_found(tmp_path):
    app = make_tree(tmp_path / "app", APP)
    assert unmigrated_model_folders(Project(app)) == ("accounts", "shop")


def test_the_release_script_makes_their_migrations_outside_the_app_and_migrates(tmp_path):
    pytest.importorskip("django")
    app = make_tree(tmp_path / "app", APP)
    made = tmp_path / "data" / "migrations"
    before = sorted(p.relative_to(app) for p in app.rglob("*"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "site_conf.settings", "PYTHONPATH": str(app),
           "SHIPYARD_MADE_MIGRATIONS": str(made)}
    for _ in range(2):              # again: nothing new to make, nothing to apply
        done = subprocess.run([sys.executable, "-c", MAKE_AND_MIGRATE], cwd=app, env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert f"shipyard: accounts, shop: models with no migrations in the repository: made with makemigrations " \
               f"into {made} (not the app's folders)" in done.stderr
    tables = {r[0] for r in sqlite3.connect(app / "db.sqlite3").execute("select name from sqlite_master")}
    assert {"accounts_user", "shop_product", "blog_post", "django_admin_log"} <= tables
    # the app's folders are as they were, but for its database
    assert sorted(p.relative_to(app) for p in app.rglob("*") if "__pycache__" not in p.parts
                  and p.name != "db.sqlite3") == [p for p in before if "__pycache__" not in p.parts]
    assert (made / "shipyard_made_migrations" / "shop" / "0001_initial.py").is_file()
    assert not (made / "shipyard_made_migrations" / "blog").exists()


def test_a_migrations_folder_committed_without_its_init_counts_as_unmigrated(tmp_path):
    """blog/migrations/0001_initial.py committed without blog/migrations/__init__.py: Django before 3.1 reads no
    namespace package, and migrate made no blog_post ("no such table" on the home page of a Django 2.2 blog). The
    folder is found, so the release runs the script whose loader says whether this Django reads it."""
    files = {k: v for k, v in APP.items() if k != "blog/migrations/__init__.py"}
    app = make_tree(tmp_path / "app", files)
    assert unmigrated_model_folders(Project(app)) == ("accounts", "blog", "shop")


def test_a_start_that_runs_makemigrations_is_found_but_not_in_a_comment_then_the_readme_beside_manage_py(tmp_path):
    from shipyard.detect.django_unmigrated import start_makes_migrations
    app = make_tree(tmp_path / "app", {
        "docs/README.md": "python manage.py makemigrations\n",          # not the steps of the app's own folder
        "Dockerfile": "FROM python:3.12\n# RUN python manage.py makemigrations\n",
        "project/manage.py": "",
    })
    assert start_makes_migrations(Project(app)) is None
    # the README beside manage.py runs it as a setup step (a Wagtail site's "After model change, migration needs
    # to be executed: python manage.py makemigrations && python manage.py migrate")
    (app / "project/README.md").write_text("## Build\n\n```shell\npython manage.py makemigrations && \\\n"
                                           "python manage.py migrate\n```\n")
    assert start_makes_migrations(Project(app)) == "project/README.md's setup steps"
    # a start that runs it is the stronger word
    (app / "entrypoint.sh").write_text("#!/bin/sh\nset -e\npython manage.py collectstatic --noinput\n"
                                       "python manage.py makemigrations\npython manage.py migrate\nexec \"$@\"\n")
    assert start_makes_migrations(Project(app)) == "entrypoint.sh"


# a blog whose entrypoint.sh runs makemigrations before migrate: its model gained fields (one a foreign key to the
# user model) after the migrations committed, so migrate alone leaves the columns out and the home page's
# query stops on "column blog_post.editor_id does not exist"
STALE = {
    "site_conf/__init__.py": "",
    "site_conf/settings.py": SETTINGS.replace('"accounts", "shop", "blog"', '"blog"').replace(
        'AUTH_USER_MODEL = "accounts.User"', ""),
    "entrypoint.sh": "#!/bin/sh\npython manage.py makemigrations\npython manage.py migrate\nexec \"$@\"\n",
    "blog/__init__.py": "",
    "blog/migrations/__init__.py": "",
    "blog/migrations/0001_initial.py": """
        from django.db import migrations, models
        class Migration(migrations.Migration):
            initial = True
            dependencies = []
            operations = [migrations.CreateModel("Post", [("id", models.BigAutoField(primary_key=True)),
                                                          ("title", models.CharField(max_length=100))])]
        """,
    "blog/models.py": """
        from django.conf import settings
        from django.db import models
        class Post(models.Model):
            title = models.CharField(max_length=100)
            is_pinned = models.BooleanField(default=False)
            editor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
        """,
}


def test_models_ahead_of_their_migrations_get_the_rest_made_outside_the_app_when_its_start_makes_them(tmp_path):
    pytest.importorskip("django")
    app = make_tree(tmp_path / "app", STALE)
    made = tmp_path / "data" / "migrations"
    before = sorted(p.relative_to(app) for p in app.rglob("*"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "site_conf.settings", "PYTHONPATH": str(app),
           "SHIPYARD_MADE_MIGRATIONS": str(made), "SHIPYARD_STALE_MIGRATIONS": "entrypoint.sh"}
    for run in range(2):            # again: the copy keeps what was made, so nothing new to make or apply
        done = subprocess.run([sys.executable, "-c", MAKE_AND_MIGRATE], cwd=app, env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "shipyard: blog: models with changes the repository's migrations do not hold (its start runs " \
               f"makemigrations, entrypoint.sh): the rest made with makemigrations into {made}" in done.stderr
        assert ("Migrations for 'blog'" in done.stdout) == (run == 0), done.stdout
    columns = {r[1] for r in sqlite3.connect(app / "db.sqlite3").execute("pragma table_info(blog_post)")}
    assert {"title", "is_pinned", "editor_id"} <= columns
    copy = made / "shipyard_made_migrations" / "blog"
    assert (copy / "0001_initial.py").is_file() and len(list(copy.glob("0002_*.py"))) == 1
    assert sorted(p.relative_to(app) for p in app.rglob("*") if "__pycache__" not in p.parts
                  and p.name != "db.sqlite3") == [p for p in before if "__pycache__" not in p.parts]
    # without the start's makemigrations, the app's own migrations are what migrate applies, as before
    fresh = make_tree(tmp_path / "other", STALE)
    done = subprocess.run([sys.executable, "-c", MAKE_AND_MIGRATE], cwd=fresh, capture_output=True, text=True,
                          timeout=120, env={**env, "PYTHONPATH": str(fresh), "SHIPYARD_STALE_MIGRATIONS": "",
                                            "SHIPYARD_MADE_MIGRATIONS": str(tmp_path / "other-made")})
    assert done.returncode == 0, done.stderr
    columns = {r[1] for r in sqlite3.connect(fresh / "db.sqlite3").execute("pragma table_info(blog_post)")}
    assert "editor_id" not in columns


AHEAD_ELSEWHERE = {
    "site_conf/__init__.py": "",
    "site_conf/settings.py": """
        SECRET_KEY = "x"
        INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "profiles", "trips"]
        DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}
        DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
        """,
    # committed migrations behind the models: a non-nullable field with no default, and an auto_now_add one
    "profiles/__init__.py": "",
    "profiles/migrations/__init__.py": "",
    "profiles/migrations/0001_initial.py": initial_migration("Social"),
    "profiles/models.py": """
        from django.db import models
        class Social(models.Model):
            uid = models.CharField(max_length=50)
            joined = models.DateTimeField(auto_now_add=True)
        """,
    # models and no migrations at all
    "trips/__init__.py": "",
    "trips/models.py": """
        from django.db import models
        class Trip(models.Model):
            title = models.CharField(max_length=50)
        """,
}


def test_another_apps_field_that_needs_a_default_does_not_stop_making_the_unmigrated_apps(tmp_path):
    # a 2019 DRF API (Django 2.1) whose user app's models added non-null fields its migrations lack, beside two apps
    # with no migrations: makemigrations for those two still asked the questioner about the user app's fields, and
    # the non-interactive one exited 3 without a word, so serve said "Django migrate failed (exit status 3) (its own
    # error is above)" with nothing above
    pytest.importorskip("django")
    app = make_tree(tmp_path / "app", AHEAD_ELSEWHERE)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "site_conf.settings", "PYTHONPATH": str(app),
           "SHIPYARD_MADE_MIGRATIONS": str(tmp_path / "made"), "SHIPYARD_STALE_MIGRATIONS": ""}
    done = subprocess.run([sys.executable, "-c", MAKE_AND_MIGRATE], cwd=app, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    tables = {r[0] for r in sqlite3.connect(app / "db.sqlite3").execute("select name from sqlite_master")}
    assert {"trips_trip", "profiles_social"} <= tables
    # the committed migrations are what migrate applied for the app that has them
    columns = {r[1] for r in sqlite3.connect(app / "db.sqlite3").execute("pragma table_info(profiles_social)")}
    assert "uid" not in columns
    assert not (tmp_path / "made" / "shipyard_made_migrations" / "profiles").exists()


def test_a_field_of_an_app_being_made_that_needs_a_default_is_said_before_makemigrations_stops(tmp_path):
    # the app's start runs makemigrations, so the app whose models are ahead is made too: its non-null field needs a
    # one-off default only a person can give; the one line says so, where Django before 4 said nothing
    pytest.importorskip("django")
    app = make_tree(tmp_path / "app", AHEAD_ELSEWHERE)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "site_conf.settings", "PYTHONPATH": str(app),
           "SHIPYARD_MADE_MIGRATIONS": str(tmp_path / "made"), "SHIPYARD_STALE_MIGRATIONS": "start.sh"}
    done = subprocess.run([sys.executable, "-c", MAKE_AND_MIGRATE], cwd=app, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 3, done.stderr
    said = [line for line in done.stderr.splitlines() if "one-off default" in line]
    assert said and said[0].startswith("shipyard: makemigrations for profiles, trips needs a one-off default for "
                                       "social.")
    assert said[0].endswith("which only a person can give: make the migration (python manage.py makemigrations) "
                            "and commit it")
    assert any(line in said[0] for line in ("social.uid (a non-nullable field with no default)",
                                            "social.joined (an auto_now_add field added to existing rows)"))
