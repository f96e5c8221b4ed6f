"""The image's collectstatic (the runtime's, run by the Dockerfile at build time) imports the settings, which may read
a storage's or an API's keys with no default: os.environ["CLOUDINARY_URL"], django-environ's env("API_KEY"),
python-decouple's config("CLOUD_NAME"). Nothing connects at that step, so each such variable gets a placeholder, as
SECRET_KEY already does, and the build's output names it; before, the build stopped there (KeyError,
UndefinedValueError). An error of another kind still stops it.

Real Django (the dev environment's) runs the rendered runtime on a project written in that shape; the settings raise
what django-environ and decouple raise for an unset variable (neither is installed here)."""

from __future__ import annotations

import os
import subprocess
import sys

import plans
from conftest import make_tree
from shipyard.render import render

SETTINGS = """
    import os
    from pathlib import Path
    from django.core.exceptions import ImproperlyConfigured

    BASE_DIR = Path(__file__).resolve().parent.parent
    SECRET_KEY = os.environ["SECRET_KEY"]
    CLOUDINARY_URL = os.environ["CLOUDINARY_URL"]
    if "API_KEY" not in os.environ:        # django-environ's env("API_KEY")
        raise ImproperlyConfigured("Set the API_KEY environment variable")


    class UndefinedValueError(Exception):   # python-decouple's config("CLOUD_NAME")
        pass


    if "CLOUD_NAME" not in os.environ:
        raise UndefinedValueError("CLOUD_NAME not found. Declare it as envvar or define a default value.")
    {tail}
    DEBUG = False
    ALLOWED_HOSTS = ["*"]
    INSTALLED_APPS = ["django.contrib.staticfiles"]
    ROOT_URLCONF = "mysite.urls"
    DATABASES = {{}}
    STATIC_URL = "/static/"
    STATIC_ROOT = BASE_DIR / "staticfiles"
    STATICFILES_DIRS = [BASE_DIR / "assets"]
    """


def _project(tmp_path, tail=""):
    return make_tree(tmp_path / "site", {
        "mysite/__init__.py": "",
        "mysite/settings.py": SETTINGS.replace("{tail}", tail).replace("{{}}", "{}"),
        "mysite/urls.py": "urlpatterns = []\n",
        "assets/site.css": "body { color: teal; }\n",
    })


def _collect(root):
    runtime = render(plans.django_postgres(), only=("shipyard_runtime.py",))["shipyard_runtime.py"]
    (root / "shipyard_runtime.py").write_text(runtime)
    env = {k: v for k, v in os.environ.items() if k not in ("CLOUDINARY_URL", "API_KEY", "CLOUD_NAME")}
    env.update(SECRET_KEY="collectstatic-only", DJANGO_SETTINGS_MODULE="mysite.settings")
    return subprocess.run([sys.executable, "shipyard_runtime.py", "collectstatic"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)


def test_settings_read_with_no_default_get_placeholders_for_collectstatic_and_are_named(tmp_path):
    root = _project(tmp_path)
    done = _collect(root)
    assert done.returncode == 0, done.stderr
    assert (root / "staticfiles" / "site.css").read_text() == "body { color: teal; }\n"
    for name in ("CLOUDINARY_URL", "API_KEY", "CLOUD_NAME"):
        assert f"the settings read {name} with no default: collectstatic runs with a placeholder" in done.stderr


def test_another_error_in_the_settings_still_stops_collectstatic(tmp_path):
    root = _project(tmp_path / "broken", tail='PAGE_SIZE = int(os.environ["CLOUD_NAME"])')
    done = _collect(root)
    assert done.returncode != 0 and "ValueError: invalid literal for int()" in done.stderr, done.stderr
    assert not (root / "staticfiles").exists()
