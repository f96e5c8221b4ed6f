"""`serve` collects a Django app's static files into STATIC_ROOT (nginx's /static/ serves that folder, which a
fresh clone does not have), with the app's own settings, and again only when its files changed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from shipyard.environments import own_environment
from shipyard.planner import make_plan
from shipyard.plan import StaticDir
from shipyard.render import render
from shipyard.run.django_static import collect_static, collected_unserved, moved_from, own_static_folder

from conftest import FIXTURES

APP = FIXTURES / "apps" / "django_static_root"


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))     # where the last collection is remembered
    root = shutil.copytree(APP, tmp_path / "app")
    return root, make_plan(root, confirm=False, installed=False)


def test_static_files_are_collected_then_again_only_when_a_source_changed(app):
    root, plan = app
    env = own_environment()
    said: list[str] = []
    assert collect_static(plan, root, env, said.append), said
    collected = root / "collected" / "catalog" / "site.css"
    assert collected.read_text() == "body { color: teal; }\n"
    assert said == [f"collected the app's static files into {root / 'collected'} (collectstatic)"]

    said.clear()
    assert not collect_static(plan, root, env, said.append)
    assert said == [f"static files: unchanged since the last collectstatic into {root / 'collected'}"]

    source = root / "catalog" / "static" / "catalog" / "site.css"
    source.write_text("body { color: navy; }\n")
    os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns + 10**9))
    assert collect_static(plan, root, env, said.append)
    assert collected.read_text() == "body { color: navy; }\n"

    shutil.rmtree(root / "collected")          # removed by hand: collected again though nothing else changed
    assert collect_static(plan, root, env, said.append) and collected.exists()


def test_an_app_without_static_root_is_collected_into_serves_own_folder_and_served_from_there(app):
    # startproject's default: runserver serves the apps' static files itself in DEBUG, a real server does not
    root, _ = app
    settings = root / "shop" / "settings.py"
    settings.write_text(settings.read_text().replace('STATIC_ROOT = BASE_DIR / "collected"\n', ""))
    plan = make_plan(root, confirm=False, installed=False)
    # reading the settings finds no folder to serve: the image's own folder is planned, serve uses one of its own
    assert [(d.url, d.path, d.shipyard_root) for d in plan.static] == [("/static/", "staticfiles", True)]
    said: list[str] = []
    assert collect_static(plan, root, own_environment(), said.append), said
    own = own_static_folder(plan, root)
    assert not own.is_relative_to(root) and not (root / "collected").exists()     # the app's folder is not added to
    assert (own / "catalog" / "site.css").read_text() == "body { color: teal; }\n"
    assert said == [f"collected the app's static files into {own} (collectstatic)"]
    assert collected_unserved(plan, root) == StaticDir("/static/", str(own))



def test_a_static_root_at_a_containers_path_is_collected_into_serves_own_folder(app, tmp_path):
    # a Docker tutorial's STATIC_ROOT = "/vol/web/static": its Dockerfile makes the folder, this machine has none
    # (collectstatic: "Permission denied: '/vol'" but for root, who wrote into the machine's /)
    root, _ = app
    container = tmp_path / "vol" / "web" / "static"
    settings = root / "shop" / "settings.py"
    settings.write_text(settings.read_text().replace('STATIC_URL = "/static/"', 'STATIC_URL = "/static/static/"')
                        .replace('STATIC_ROOT = BASE_DIR / "collected"', f'STATIC_ROOT = "{container}"'))
    plan = make_plan(root, confirm=False, installed=False)
    assert StaticDir("/static/static/", str(container)) in plan.static     # the image collects it there
    said: list[str] = []
    assert collect_static(plan, root, own_environment(), said.append), said
    own = own_static_folder(plan, root)
    assert not (tmp_path / "vol").exists()
    assert (own / "catalog" / "site.css").read_text() == "body { color: teal; }\n"
    assert said == [f"collected the app's static files into {own} (collectstatic)"]
    assert collected_unserved(plan, root) == StaticDir("/static/static/", str(own))     # in place of the plan's
    assert moved_from(plan, root) == str(container)


def test_a_static_root_outside_the_project_in_a_folder_that_exists_is_collected_there(app, tmp_path):
    # a server's layout (/srv/site/static beside the checkout): the folder is there and this user can write it
    root, _ = app
    (tmp_path / "srv").mkdir()
    outside = tmp_path / "srv" / "static"
    settings = root / "shop" / "settings.py"
    settings.write_text(settings.read_text().replace('STATIC_ROOT = BASE_DIR / "collected"',
                                                     f'STATIC_ROOT = "{outside}"'))
    plan = make_plan(root, confirm=False, installed=False)
    said: list[str] = []
    assert collect_static(plan, root, own_environment(), said.append), said
    assert (outside / "catalog" / "site.css").is_file()
    assert collected_unserved(plan, root) is None and moved_from(plan, root) is None     # the plan serves it

def test_a_failing_collection_is_a_warning_that_says_why(app):
    root, plan = app
    # the manifest storage refuses a stylesheet that points at a file the app does not have
    settings = root / "shop" / "settings.py"
    settings.write_text(settings.read_text() + 'STORAGES = {"staticfiles": {"BACKEND": '
                        '"django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}\n')
    (root / "catalog" / "static" / "catalog" / "site.css").write_text('body { background: url("gone.png"); }\n')
    said: list[str] = []
    assert not collect_static(plan, root, own_environment(), said.append)
    assert len(said) == 1 and said[0].startswith("warning: collectstatic failed (ValueError: "), said
    assert "gone.png" in said[0] and "answer 404" in said[0], said


def test_a_staticfiles_dirs_folder_the_clone_lacks_is_left_out_of_the_collection(app):
    """`STATICFILES_DIRS = [BASE_DIR / "static"]` with that folder empty in the author's tree: git keeps no empty
    folder, and Django before 4 listed every location (FileNotFoundError: collectstatic failed, every static file
    answered 404). The finder below lists its locations as Django 2's did; the folder that exists is collected."""
    root, plan = app
    (root / "shop" / "assets").mkdir()
    (root / "shop" / "assets" / "logo.txt").write_text("logo\n")
    (root / "shop" / "old_finder.py").write_text(
        "import os\nfrom django.contrib.staticfiles.finders import FileSystemFinder\n\n\n"
        "class ListingFinder(FileSystemFinder):\n    def list(self, ignore_patterns):\n"
        "        for prefix, root in self.locations:\n            os.listdir(root)      # Django 2: no isdir check\n"
        "        return super().list(ignore_patterns)\n")
    settings = root / "shop" / "settings.py"
    settings.write_text(settings.read_text() + 'STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "shop" / "assets"]\n'
                        'STATICFILES_FINDERS = ["shop.old_finder.ListingFinder", '
                        '"django.contrib.staticfiles.finders.AppDirectoriesFinder"]\n')
    said: list[str] = []
    assert collect_static(plan, root, own_environment(), said.append), said
    assert (root / "collected" / "logo.txt").exists() and (root / "collected" / "catalog" / "site.css").exists()
    assert said[0].startswith("static files: STATICFILES_DIRS names static, which this checkout does not have"), said
    assert not (root / "static").exists()         # the app's tree is left as it is


def _listing_finder(root):
    """STATICFILES_FINDERS as Django 2 and 3 list them: every STATICFILES_DIRS folder, whether it exists or not."""
    (root / "shop" / "old_finder.py").write_text(
        "import os\nfrom django.contrib.staticfiles.finders import FileSystemFinder\n\n\n"
        "class ListingFinder(FileSystemFinder):\n    def list(self, ignore_patterns):\n"
        "        for prefix, root in self.locations:\n            os.listdir(root)      # Django 2: no isdir check\n"
        "        return super().list(ignore_patterns)\n")
    return ('STATICFILES_FINDERS = ["shop.old_finder.ListingFinder", '
            '"django.contrib.staticfiles.finders.AppDirectoriesFinder"]\n')


def test_the_images_collection_leaves_out_a_staticfiles_dirs_folder_the_build_context_lacks(app):
    """The image's side of the test above: its Dockerfile collected with `python -m django collectstatic`, which
    stopped on the empty static/ git does not keep (Django 2 and 3: FileNotFoundError, the build failed). The
    runtime's collectstatic, which every Django image now runs, leaves it out and says so; a (prefix, folder)
    entry that exists is collected under its prefix."""
    root, _ = app
    (root / "shop" / "assets").mkdir()
    (root / "shop" / "assets" / "logo.txt").write_text("logo\n")
    settings = root / "shop" / "settings.py"
    settings.write_text(settings.read_text() + 'STATICFILES_DIRS = [BASE_DIR / "static", ("brand", BASE_DIR / "shop" / '
                        '"assets"), ("old", str(BASE_DIR / "gone"))]\n' + _listing_finder(root))
    plan = make_plan(root, confirm=False, installed=False)
    dockerfile = render(plan)["Dockerfile"]
    assert "/opt/venv/bin/python /app/shipyard_runtime.py collectstatic\n" in dockerfile
    assert "-m django collectstatic" not in dockerfile
    runtime = root / "shipyard_runtime.py"
    runtime.write_text(render(plan)["shipyard_runtime.py"])
    done = subprocess.run([sys.executable, str(runtime), "collectstatic"], cwd=root,
                          env={**os.environ, "DJANGO_SETTINGS_MODULE": "shop.settings"},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (root / "collected" / "brand" / "logo.txt").exists() and (root / "collected" / "catalog" / "site.css").exists()
    assert f"STATICFILES_DIRS names {root / 'static'}, {root / 'gone'}, which the build context does not have" \
        in done.stderr, done.stderr
    assert not (root / "static").exists() and not (root / "gone").exists()
    # without the runtime (Django's own command, as the image ran it), the same settings stop the collection
    plain = subprocess.run([sys.executable, "-m", "django", "collectstatic", "--noinput"], cwd=root,
                           env={**os.environ, "DJANGO_SETTINGS_MODULE": "shop.settings", "PYTHONPATH": str(root)},
                           capture_output=True, text=True, timeout=120)
    assert plain.returncode != 0 and "FileNotFoundError" in plain.stderr, plain.stderr[-500:]


def test_a_collection_that_fails_in_a_remote_storage_names_that_storage(app):
    """Settings that send static files to a bucket (django-storages' S3Boto3Storage subclassed, as a
    DigitalOcean Spaces tutorial does) with no bucket set here: the warning names the storage and what it lacks."""
    root, plan = app
    (root / "shop" / "bucket.py").write_text(
        "import os\nfrom django.core.files.storage import Storage\n\n\nclass BucketStorage(Storage):\n"
        "    def exists(self, name):\n        return False\n\n"
        "    def _save(self, name, content):\n"
        "        return 'https://' + os.environ.get('BUCKET_NAME') + '/' + name     # TypeError with no bucket\n")
    settings = root / "shop" / "settings.py"
    settings.write_text(settings.read_text() + 'STORAGES = {"staticfiles": {"BACKEND": "shop.bucket.BucketStorage"}}\n')
    said: list[str] = []
    assert not collect_static(plan, root, own_environment(), said.append)
    assert len(said) == 1 and said[0].startswith("warning: collectstatic failed (TypeError: "), said
    assert "keeps its static files in shop.bucket.BucketStorage, not on this machine's disk" in said[0], said


def test_other_frameworks_are_left_alone(tmp_path):
    root = shutil.copytree(FIXTURES / "apps" / "plain_wsgi", tmp_path / "app")
    plan = make_plan(root, confirm=False, installed=False)
    said: list[str] = []
    assert not collect_static(plan, root, own_environment(), said.append) and said == []


def test_settings_that_read_the_command_from_argv_are_collected_as_under_manage_py(app):
    # DigitalOcean's sample: DATABASE_URL is required unless sys.argv[1] == 'collectstatic'
    root, plan = app
    settings = root / "shop" / "settings.py"
    settings.write_text("import sys\n" + settings.read_text() + 'if sys.argv[1] != "collectstatic":\n'
                        '    raise Exception("DATABASE_URL environment variable not defined")\n')
    said: list[str] = []
    assert collect_static(plan, root, own_environment(), said.append), said
    assert (root / "collected" / "catalog" / "site.css").exists()


def _image_collect(plan, root, folder):
    """The image's build step for settings with no STATIC_ROOT: the rendered runtime's collectstatic, run here."""
    runtime = root / "shipyard_runtime.py"
    runtime.write_text(render(plan)["shipyard_runtime.py"])
    return subprocess.run([sys.executable, str(runtime), "collectstatic", str(folder)], cwd=root,
                          env={**os.environ, "DJANGO_SETTINGS_MODULE": "shop.settings"},
                          capture_output=True, text=True, timeout=120)


def test_the_image_collects_settings_with_no_static_root_into_its_own_folder_which_nginx_serves(app):
    root, _ = app
    settings = root / "shop" / "settings.py"
    settings.write_text(settings.read_text().replace('STATIC_ROOT = BASE_DIR / "collected"\n', ""))
    plan = make_plan(root, confirm=False, installed=False)
    files = render(plan)
    assert "/opt/venv/bin/python /app/shipyard_runtime.py collectstatic /app/staticfiles" in files["Dockerfile"]
    assert 'dev.shipyard.static="/static/=/app/staticfiles"' in files["Dockerfile"]
    assert "alias /app/staticfiles/;" in files["nginx.conf"]
    done = _image_collect(plan, root, root / "staticfiles")
    assert done.returncode == 0, done.stderr
    assert (root / "staticfiles" / "catalog" / "site.css").read_text() == "body { color: teal; }\n"


def test_settings_computing_a_static_root_reading_cannot_follow_collect_there_and_the_images_folder_links_it(app):
    root, _ = app
    settings = root / "shop" / "settings.py"
    settings.write_text(settings.read_text().replace('STATIC_ROOT = BASE_DIR / "collected"\n',
                                                     'def _root():\n    return BASE_DIR / "collected"\n\n\nSTATIC_ROOT = _root()\n'))
    plan = make_plan(root, confirm=False, installed=False)
    assert [d.shipyard_root for d in plan.static] == [True]
    done = _image_collect(plan, root, root / "staticfiles")
    assert done.returncode == 0, done.stderr
    assert (root / "staticfiles").is_symlink() and (root / "collected" / "catalog" / "site.css").is_file()
    assert (root / "staticfiles" / "catalog" / "site.css").is_file()


def test_settings_without_the_staticfiles_app_plan_no_static_folder(app):
    root, _ = app
    settings = root / "shop" / "settings.py"
    settings.write_text(settings.read_text().replace('STATIC_ROOT = BASE_DIR / "collected"\n', "")
                        .replace('"django.contrib.staticfiles", ', ""))
    assert make_plan(root, confirm=False, installed=False).static == ()


def test_a_static_root_the_project_ships_with_its_manifest_is_not_collected_over(app):
    # Baby Buddy commits static/ collected, with staticfiles.json naming files its gulp build made: collecting
    # from a clone's sources rewrote that manifest without them (500: Missing staticfiles manifest entry)
    root, plan = app
    shipped = root / "collected" / "staticfiles.json"
    shipped.parent.mkdir()
    shipped.write_text('{"paths": {"catalog/built.css": "catalog/built.0123abcd.css"}, "version": "1.1"}\n')
    said: list[str] = []
    assert not collect_static(plan, root, own_environment(), said.append)
    assert said == [f"static files: {root / 'collected'} already holds them with their manifest (staticfiles.json), "
                    "as the project ships them: not collected again (collectstatic would rewrite the manifest from "
                    "the sources here)"]
    assert "built.0123abcd.css" in shipped.read_text() and not (root / "collected" / "catalog").exists()


def test_a_template_naming_a_static_file_the_manifest_storage_lacks_is_a_warning_naming_its_line(app):
    # a rental site's base template linked css/tailwind.css, which its repository never held: runserver under DEBUG
    # served the page, a production server answered 500 (Missing staticfiles manifest entry) on every page using it
    root, _ = app
    settings = root / "shop" / "settings.py"
    settings.write_text(settings.read_text() + 'STORAGES = {"staticfiles": {"BACKEND": '
                        '"django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}\n'
                        'TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", '
                        '"DIRS": [BASE_DIR / "templates"]}]\n')
    (root / "templates").mkdir()
    (root / "templates" / "base.html").write_text("{% load static %}\n<link href=\"{% static 'catalog/site.css' %}\">\n"
                                                  "<link href=\"{% static 'css/tailwind.css' %}\">\n")
    plan = make_plan(root, confirm=False, installed=False)
    said: list[str] = []
    assert collect_static(plan, root, own_environment(), said.append), said
    warning = ("warning: templates/base.html:3 names the static file css/tailwind.css, which no static folder holds: "
               "with DEBUG off, ManifestStaticFilesStorage answers 500 (Missing staticfiles manifest entry) on each "
               "page that renders it; add the file (built by a front-end step?) or correct the name")
    assert said[1:] == [warning], said

    said.clear()                                   # said again while nothing changed
    assert not collect_static(plan, root, own_environment(), said.append)
    assert said[1:] == [warning], said
