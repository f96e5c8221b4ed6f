"""A Django project whose models have no migrations in the repository (its entrypoint ran makemigrations), whose
settings split a hosts variable with no default and import python-dotenv that requirements.txt leaves out: the
unit and integration tests of the image's Django release share it."""

from __future__ import annotations

from conftest import make_tree

# The settings lines Django's admin needs (its apps, middleware, templates), indented as the settings texts are
# (make_tree dedents them); admin_settings() puts the project's own apps in.
_ADMIN_SETTINGS = """
    INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
                      "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
                      PROJECT_APPS]
    MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware",
                  "django.contrib.auth.middleware.AuthenticationMiddleware",
                  "django.contrib.messages.middleware.MessageMiddleware"]
    TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True,
                  "OPTIONS": {"context_processors": ["django.contrib.auth.context_processors.auth",
                                                     "django.contrib.messages.context_processors.messages",
                                                     "django.template.context_processors.request"]}}]
"""


def admin_settings(*apps: str) -> str:
    return _ADMIN_SETTINGS.replace("PROJECT_APPS", ", ".join(f'"{app}"' for app in apps))


SETTINGS = """
    import os
    from pathlib import Path
    from dotenv import load_dotenv
    load_dotenv()
    BASE_DIR = Path(__file__).resolve().parent.parent
    SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-default-of-the-tutorial")
    DEBUG = False
    ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS").split(" ")
""" + admin_settings("accounts") + """    ROOT_URLCONF = "site_conf.urls"
    AUTH_USER_MODEL = "accounts.User"
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
    DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
    STATIC_URL = "/static/"
    STATIC_ROOT = BASE_DIR / "staticfiles"
    """
APP = {
    "requirements.txt": "Django==5.1.4\n",
    "manage.py": """
        import os, sys
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_conf.settings")
        from django.core.management import execute_from_command_line
        execute_from_command_line(sys.argv)
        """,
    "site_conf/__init__.py": "",
    "site_conf/settings.py": SETTINGS,
    "site_conf/urls.py": """
        from django.contrib import admin
        from django.http import HttpResponse
        from django.urls import path
        from accounts.models import User
        def home(request):
            return HttpResponse("users: %d" % User.objects.count())
        urlpatterns = [path("", home), path("admin/", admin.site.urls)]
        """,
    "site_conf/wsgi.py": """
        import os
        from django.core.wsgi import get_wsgi_application
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_conf.settings")
        application = get_wsgi_application()
        """,
    # the custom user model's app: an empty migrations package (the repository's entrypoint made them)
    "accounts/__init__.py": "",
    "accounts/migrations/__init__.py": "",
    "accounts/models.py": """
        from django.contrib.auth.models import AbstractUser
        class User(AbstractUser):
            pass
        """,
}


def django_app(root):
    return make_tree(root, APP)
