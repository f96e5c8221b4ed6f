"""The image of a Django project whose STATICFILES_DIRS names a folder the build context lacks (the author's empty
static/, which git does not keep), with the finder listing every location as Django 2 and 3 did: the Dockerfile's
`python -m django collectstatic` stopped there (FileNotFoundError) and the build failed. The runtime's collectstatic
leaves that folder out, as Django 4 does, and the folders that exist are collected and served by nginx."""

from __future__ import annotations

import pytest

from conftest import make_tree
from test_build import python_in, verified_image  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.engine, pytest.mark.slow]

APP = {
    "requirements.txt": "Django==5.1.4\n",
    "manage.py": """
        import os, sys
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_conf.settings")
        from django.core.management import execute_from_command_line
        execute_from_command_line(sys.argv)
        """,
    "site_conf/__init__.py": "",
    "site_conf/settings.py": """
        from pathlib import Path
        BASE_DIR = Path(__file__).resolve().parent.parent
        SECRET_KEY = "fixture-not-secret"
        DEBUG = False
        ALLOWED_HOSTS = ["*"]
        INSTALLED_APPS = ["django.contrib.staticfiles"]
        ROOT_URLCONF = "site_conf.urls"
        DATABASES = {}
        STATIC_URL = "/static/"
        STATIC_ROOT = BASE_DIR / "staticfiles"
        STATICFILES_DIRS = [BASE_DIR / "static", ("brand", BASE_DIR / "brand")]
        STATICFILES_FINDERS = ["site_conf.old_finder.ListingFinder"]
        """,
    # Django 2 and 3's FileSystemFinder.list: every location listed, whether it exists or not
    "site_conf/old_finder.py": """
        import os
        from django.contrib.staticfiles.finders import FileSystemFinder
        class ListingFinder(FileSystemFinder):
            def list(self, ignore_patterns):
                for prefix, root in self.locations:
                    os.listdir(root)
                return super().list(ignore_patterns)
        """,
    "site_conf/urls.py": """
        from django.http import HttpResponse
        from django.urls import path
        urlpatterns = [path("", lambda request: HttpResponse("home"))]
        """,
    "site_conf/wsgi.py": """
        import os
        from django.core.wsgi import get_wsgi_application
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_conf.settings")
        application = get_wsgi_application()
        """,
    "brand/logo.css": "h1 { color: teal; }\n",
}


def test_a_staticfiles_dirs_folder_git_did_not_keep_is_left_out_of_the_images_collection(tmp_path, base_image):
    app = make_tree(tmp_path / "app", APP)
    assert not (app / "static").exists()
    # verify GETs a file of the collected folder through the image's nginx, and / through the app
    with verified_image(app, base_image, "django-static-dirs") as tag:
        done = python_in(tag, "print(open('/app/staticfiles/brand/logo.css').read(), end='')")
        assert done.returncode == 0 and done.stdout == "h1 { color: teal; }\n", done.stderr
