"""`serve` has nginx serve a Django app's uploaded files: MEDIA_URL from MEDIA_ROOT, as the app's own settings compute
them (runserver's `static(MEDIA_URL, ...)` does nothing once DEBUG is off: an uploaded picture answered 404)."""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from shipyard.environments import own_environment
from shipyard.plan import StaticDir
from shipyard.planner import make_plan
from shipyard.render import Target, render
from shipyard.run.django_media import media_location

from conftest import FIXTURES

APP = FIXTURES / "apps" / "django_static_root"


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return shutil.copytree(APP, tmp_path / "app")


def with_settings(root, extra: str):
    settings = root / "shop" / "settings.py"
    settings.write_text(settings.read_text() + extra)
    return make_plan(root, confirm=False, installed=False)


def test_media_root_the_settings_compute_is_created_and_served_at_media_url(app):
    plan = with_settings(app, 'MEDIA_URL = "media/"\nMEDIA_ROOT = BASE_DIR / "uploads"\n')
    said: list[str] = []
    assert not (app / "uploads").exists()          # gitignored: a fresh clone has none
    assert media_location(plan, app, own_environment(), said.append) == StaticDir("/media/", str(app / "uploads"))
    assert (app / "uploads").is_dir() and said == []


def test_media_root_read_from_the_environment_serve_gives_the_app(app, tmp_path):
    plan = with_settings(app, 'import os\nMEDIA_URL = "/files/"\n'
                              'MEDIA_ROOT = os.environ.get("UPLOADS_DIR", "/nonexistent/uploads")\n')
    folder = tmp_path / "volume" / "uploads"
    found = media_location(plan, app, own_environment(), print, environ={"UPLOADS_DIR": str(folder)})
    assert found == StaticDir("/files/", str(folder)) and folder.is_dir()


@pytest.mark.parametrize("extra", [
    "",                                                                     # Django's defaults: no media at all
    'MEDIA_URL = "https://cdn.example.com/media/"\nMEDIA_ROOT = BASE_DIR / "uploads"\n',   # another host's
    # kept elsewhere (S3, Cloudinary): the default storage is not the file system
    'MEDIA_URL = "/media/"\nMEDIA_ROOT = BASE_DIR / "uploads"\n'
    'STORAGES = {"default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},\n'
    '            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}\n',
])
def test_nothing_is_served_when_the_files_are_not_on_this_disk_under_a_path(app, extra):
    plan = with_settings(app, extra)
    assert media_location(plan, app, own_environment(), print) is None
    assert not (app / "uploads").exists()


def test_a_media_root_that_cannot_be_created_is_said_and_not_served(app):
    (app / "blocked").write_text("a file, not a folder\n")
    plan = with_settings(app, 'MEDIA_URL = "/media/"\nMEDIA_ROOT = BASE_DIR / "blocked" / "media"\n')
    said: list[str] = []
    assert media_location(plan, app, own_environment(), said.append) is None
    assert len(said) == 1 and said[0].startswith(f"warning: MEDIA_ROOT {app / 'blocked' / 'media'} cannot be "
                                                 "created here"), said


def test_settings_that_do_not_import_leave_media_unserved_without_a_word(app):
    # the app's own failure is said where the app starts, not here
    plan = with_settings(app, 'raise RuntimeError("broken settings")\n')
    said: list[str] = []
    assert media_location(plan, app, own_environment(), said.append) is None and said == []


def test_serves_nginx_aliases_media_url_to_the_folder(app, tmp_path):
    plan = with_settings(app, 'MEDIA_URL = "/media/"\nMEDIA_ROOT = BASE_DIR / "uploads"\n')
    media = media_location(plan, app, own_environment(), print)
    plan = dataclasses.replace(plan, static=(*plan.static, media)).with_settings(topology="bundle")
    conf = render(plan, Target.local(app, tmp_path / "run", tmp_path / "venv"))["nginx.conf"]
    assert f"location /media/ {{\n            alias {app / 'uploads'}/;" in conf, conf
