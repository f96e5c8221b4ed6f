"""Dependencies inferred from imports and strings, against a known environment (no guessing from ours)."""

from __future__ import annotations

import sys
from pathlib import Path

from shipyard.detect import imports
from shipyard.detect.findings import DeclaredDependencies
from shipyard.plan import Dependency
from conftest import make_tree
from shipyard.project import Project

NONE = DeclaredDependencies((), (), False)



def infer(tmp_path, files, declared=NONE):
    # A Python that does not exist: the environment is empty, so only the table and the names decide.
    return imports.infer(Project(make_tree(tmp_path, files)), None, declared, python_exe=str(tmp_path / "no-python"))


def names(found):
    return {d.name for d in found}


def test_imports_mapped_stdlib_local_relative_optional_decoys_dropped(tmp_path):
    found = infer(tmp_path, {
        "app.py": """
            import os, json, sys
            import yaml
            from bs4 import BeautifulSoup
            import cv2
            from PIL import Image
            import mysql.connector
            from google.protobuf import message
            from dateutil import parser
            import psycopg2
            from . import sibling
            from helpers import thing
            from mypkg.sub import x
            try:
                import ujson as fastjson
            except ImportError:
                fastjson = None
            from typing import TYPE_CHECKING
            if TYPE_CHECKING:
                import boto3
            def later():
                import requests
            """,
        "helpers.py": "",
        "src/mypkg/__init__.py": "",
        "src/mypkg/sub.py": "",
        "tests/test_app.py": "import pytest\nimport hypothesis\n",
        "broken.py": "def (:\n",
        "setup.py": "import setuptools\n",
    })
    assert names(found) == {"PyYAML", "beautifulsoup4", "opencv-python-headless", "Pillow", "mysql-connector-python",
                            "protobuf", "python-dateutil", "psycopg2", "requests"}
    assert all(d.inferred and d.spec == "" for d in found)
    assert next(d for d in found if d.name == "PyYAML").source == "import yaml in app.py"


def test_test_modules_that_pyramids_config_scan_imports_with_the_app_are_read_for_its_imports(tmp_path):
    # venusian imports every module of the scanned package, conftest.py and tests.py too
    found = infer(tmp_path, {
        "todo/__init__.py": """
            from pyramid.config import Configurator
            def main(global_config, **settings):
                config = Configurator(settings=settings)
                config.scan()
                return config.make_wsgi_app()
            """,
        "todo/conftest.py": "from faker import Faker\nimport pytest\n",
        "todo/views/__init__.py": "",
        "todo/views/tests.py": "import webtest\n",
        "todo/loose/tests.py": "import hypothesis\n",          # no __init__.py: not a package venusian walks
        "tests/test_app.py": "import freezegun\n",              # outside the scanned package
        "other/__init__.py": "from pyramid.config import Configurator\n"
                             "def main(g, **s):\n    c = Configurator()\n    c.scan('.views', ignore='.tests')\n",
        "other/views/__init__.py": "",
        "other/views/tests.py": "import responses\n",           # scanned with ignore=: left out
    })
    assert names(found) == {"pyramid", "Faker", "pytest", "WebTest"}
    assert next(d for d in found if d.name == "Faker").source == "import faker in todo/conftest.py"


def test_strings_database_urls_engines_and_worker_classes(tmp_path):
    found = infer(tmp_path, {
        "config.py": 'SQLALCHEMY_DATABASE_URI = "mysql+pymysql://u:p@db/app"\nCACHE = "redis://cache:6379/0"\n',
        "gunicorn.conf.py": 'worker_class = "gevent"\n',
    })
    assert names(found) == {"PyMySQL", "redis", "gevent"}
    assert next(d for d in found if d.name == "PyMySQL").source == "mysql+pymysql:// URL in config.py"


def test_database_urls_in_ci_and_test_runner_configuration_are_not_the_apps(tmp_path):
    # Kotti's test matrix: .github/workflows/{mysql,postgres}.yml; mysqlclient then failed the install
    ci = "services:\n  db:\n    image: mysql\nenv:\n  DATABASE_URL: mysql://root:pw@127.0.0.1/test\n"
    found = infer(tmp_path / "ci", {
        "app.py": "import os\nURL = os.environ.get('DATABASE_URL', 'sqlite:///app.db')\n",
        ".github/workflows/mysql.yml": ci,
        ".gitlab-ci.yml": "variables:\n  DATABASE_URL: postgresql://u:p@postgres/test\n",
        ".travis.yml": "env: REDIS_URL=redis://localhost:6379/0\n",
        "tox.ini": "[testenv]\nsetenv = DATABASE_URL=postgres://localhost/test\n",
    })
    assert names(found) == set(), found
    from shipyard.detect import services
    assert services.services(Project(tmp_path / "ci"), ()) == ()     # nor a MySQL/PostgreSQL/Redis to run
    # the same URL in the app's own configuration still names its driver
    own = infer(tmp_path / "own", {"app.py": "import os\n", ".env": "DATABASE_URL=mysql://u:p@localhost/app\n",
                                   ".github/workflows/ci.yml": ci})
    assert names(own) == {"mysqlclient"}
    assert next(d for d in own if d.name == "mysqlclient").source == "mysql:// URL in .env"


def test_django_engine_and_installed_apps(tmp_path):
    found = infer(tmp_path, {
        "manage.py": "import django\n",
        "mysite/settings.py": """
            INSTALLED_APPS = ["django.contrib.admin", "rest_framework", "corsheaders", "pages", "UTC"]
            MIDDLEWARE = ["whitenoise.middleware.WhiteNoiseMiddleware"]
            DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "x"}}
            TIME_ZONE = "UTC"
            """,
        "pages/__init__.py": "",
    })
    assert names(found) == {"Django", "djangorestframework", "django-cors-headers", "whitenoise", "psycopg2"}


def test_apps_a_settings_module_adds_to_its_base_list_are_imports_too(tmp_path):
    """settings/development.py extends the base's INSTALLED_APPS (`.append`, `+=`, `.insert`, `.extend`)
    without assigning it: the apps it adds are what that settings module imports (the run that names it fails
    on `No module named 'django_extensions'` without them); plain words elsewhere in it stay values."""
    found = infer(tmp_path, {
        "manage.py": "import django\n",
        "proj/settings/base.py": 'INSTALLED_APPS = ["django.contrib.admin"]\n',
        "proj/settings/development.py": """
            from proj.settings.base import *
            INSTALLED_APPS.append("django_extensions")
            INSTALLED_APPS.insert(0, "whitenoise.runserver_nostatic")
            if DEBUG:
                INSTALLED_APPS += ["debug_toolbar"]
            INSTALLED_APPS.extend(["corsheaders"])
            CACHE_ALIAS = "redis"
            """,
        "proj/settings/production.py": "from proj.settings.base import *\nSTORAGE = 'storages'\n",
    })
    assert names(found) == {"Django", "django-extensions", "whitenoise", "django-debug-toolbar",
                            "django-cors-headers"}, names(found)
    assert next(d for d in found if d.name == "django-extensions").source == \
        "Django setting django_extensions in proj/settings/development.py"


def test_file_names_in_django_settings_are_not_modules(tmp_path):
    """django-npm's NPM_FILE_PATTERNS (shynet) names files such as "tailwind.css": its dots are a file's, and
    django-tailwind is not what the app imports; a dotted path is still one."""
    found = infer(tmp_path, {
        "manage.py": "import django\n",
        "proj/settings.py": """
            import os
            INSTALLED_APPS = ["django.contrib.admin", "whitenoise.runserver_nostatic"]
            NPM_FILE_PATTERNS = {"a17t": [os.path.join("dist", "tailwind.css"), "dist/a17t.js"],
                                 "stimulus": ["stimulus.umd.js"]}
            FAVICON = "logo.png"
            """,
    })
    assert names(found) == {"Django", "whitenoise"}, names(found)


def test_django_configurations_classes_are_settings_whose_backends_are_imports(tmp_path):
    """django-configurations: INSTALLED_APPS is a class attribute, and an environment's module (dev.py's
    `class Dev(Base)`) may only name a backend (STORAGES' whitenoise storage, which renders every {% static %}):
    both are settings modules, and what they name is imported."""
    found = infer(tmp_path, {
        "manage.py": "import django\n",
        "proj/settings/base.py": """
            from configurations import Configuration, values
            class Base(Configuration):
                INSTALLED_APPS = ["django.contrib.admin", "corsheaders"]
                NAME = values.Value("site")
            """,
        "proj/settings/dev.py": """
            from configurations import values
            from proj.settings.base import Base
            class Dev(Base):
                STORAGES = {"staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
            """,
    })
    assert names(found) == {"Django", "django-configurations", "django-cors-headers", "whitenoise"}, names(found)


def test_a_module_the_app_declares_under_a_prefixed_name_is_not_the_tables_other_distribution(tmp_path):
    """`import haystack` is haystack-ai in the table (the LLM framework), but a Django app declaring
    django-haystack imports that one's module: haystack-ai (Python >= 3.8) was added and broke the install of a
    2017 app on its Python 3.6. Undeclared, the table's choice stands."""
    declared = DeclaredDependencies((Dependency("Django", "==1.10.6", "requirements.txt"),
                                     Dependency("django-haystack", "==2.6.1", "requirements.txt"),
                                     Dependency("python-decouple", "", "requirements.txt")), ("requirements.txt",), True)
    code = {"blog/search_indexes.py": "from haystack import indexes\nimport django\nfrom decouple import config\n"}
    assert names(infer(tmp_path / "declared", code, declared)) == set()
    assert names(infer(tmp_path / "bare", code)) == {"haystack-ai", "Django", "python-decouple"}
    assert imports.declared_namesake("haystack", {"django-haystack"}) == "django-haystack"
    assert imports.declared_namesake("redis", {"flask-redis"}) == "flask-redis"
    assert imports.declared_namesake("haystack", {"haystack-ai"}) is None
    # the module's own name declared (a 2021 blog's whois==0.9.8): not the table's python-whois beside it
    assert imports.declared_namesake("whois", {"whois", "django"}) == "whois"
    whois = DeclaredDependencies((Dependency("Django", "==3.2", "requirements.txt"),
                                  Dependency("whois", "==0.9.8", "requirements.txt")), ("requirements.txt",), True)
    assert names(infer(tmp_path / "whois", {"domain/views.py": "import whois\nimport django\n"}, whois)) == set()
    # DRF's add-ons publish as djangorestframework-X and install rest_framework_X: the declared one provides it,
    # not the table's fork (drf-jwt), which a 2018 app's resolution date does not reach
    assert imports.declared_namesake("rest_framework_jwt", {"djangorestframework-jwt"}) == "djangorestframework-jwt"
    assert imports.declared_namesake("rest_framework", {"djangorestframework-jwt"}) is None
    jwt = DeclaredDependencies((Dependency("Django", "==2.0.7", "requirements.txt"),
                                Dependency("djangorestframework", "==3.8.2", "requirements.txt"),
                                Dependency("djangorestframework-jwt", "==1.11.0", "requirements.txt")),
                               ("requirements.txt",), True)
    code = {"auth/urls.py": "from rest_framework_jwt.views import obtain_jwt_token\nimport rest_framework\n"}
    assert names(infer(tmp_path / "jwt", code, jwt)) == set()
    assert "drf-jwt" in names(infer(tmp_path / "jwt-bare", code))


HEALTHCHECKS_LIKE = """
    import os
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "hc.sqlite"}}
    if os.getenv("DB") == "postgres":
        DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "hc"}}
    if os.getenv("DB") in ["mysql", "mariadb"]:
        DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "NAME": "hc"}}
    INSTALLED_APPS = ["django.contrib.admin"]
    """


def test_another_sql_databases_engine_beside_a_declared_driver_is_an_alternative_not_a_need(tmp_path):
    """healthchecks: SQLite by default, DB=postgres (psycopg in requirements.txt) or DB=mysql (mysqlclient only in
    requirements-dev.txt). The mysql ENGINE string added mysqlclient, which did not build (no client headers) and
    failed the install; the app installs psycopg, so MySQL is an option left to the user. Nothing declared, both
    engines' drivers are still inferred."""
    declared = DeclaredDependencies((Dependency("Django", "==6.1", "requirements.txt"),
                                     Dependency("psycopg", "==3.3.4", "requirements.txt")), ("requirements.txt",), True)
    files = {"manage.py": "import django\n", "hc/settings.py": HEALTHCHECKS_LIKE}
    assert names(infer(tmp_path / "declared", files, declared)) == set()
    assert {"psycopg2", "mysqlclient"} <= names(infer(tmp_path / "bare", files))


def test_djangos_mysql_engine_needs_mysqldb_not_the_connector_a_script_imports(tmp_path):
    """A Django CRM with no requirements file: settings name ENGINE django.db.backends.mysql, and a script that
    creates the database imports mysql.connector. That driver counted as the MySQL one, so mysqlclient was left
    out and the entry failed ("Did you install mysqlclient?"): Django's backend imports MySQLdb, which only
    mysqlclient provides, or PyMySQL where the app calls install_as_MySQLdb()."""
    settings = 'DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "NAME": "crm"}}\n'
    files = {"manage.py": "import django\n", "crm/settings.py": settings,
             "mydb.py": "import mysql.connector\nmysql.connector.connect(host='localhost')\n"}
    assert {"mysql-connector-python", "mysqlclient"} <= names(infer(tmp_path / "connector", files))
    pymysql = {**files, "crm/__init__.py": "import pymysql\npymysql.install_as_MySQLdb()\n"}
    assert "mysqlclient" not in names(infer(tmp_path / "as-mysqldb", pymysql))


PORTFOLIO_SETTINGS = """
    INSTALLED_APPS = ["django.contrib.contenttypes", "psycopg2"]
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.mysql",
            "NAME": "author$portfolio",
            "HOST": "author.mysql.example-host.com",
            "PORT": 3306,
        }
    }
    """


def test_a_default_database_written_with_another_engine_needs_its_driver_beside_a_declared_one(tmp_path):
    """A Django portfolio whose settings write the default database as MySQL at its host's server, while
    requirements.txt (and INSTALLED_APPS) keep psycopg2: Django connects with the ENGINE written there, so its driver
    is planned (not left to fail with "Did you install mysqlclient?"); an ENGINE among choices stays an option."""
    declared = DeclaredDependencies((Dependency("Django", "==3.2", "requirements.txt"),
                                     Dependency("psycopg2", "==2.9.3", "requirements.txt")), ("requirements.txt",), True)
    found = infer(tmp_path / "portfolio", {"manage.py": "import django\n", "personal/settings.py": PORTFOLIO_SETTINGS},
                  declared)
    assert names(found) == {"mysqlclient"}
    assert "DATABASES ENGINE 'django.db.backends.mysql'" in next(d for d in found if d.name == "mysqlclient").source


def test_driver_string_ignored_when_a_driver_is_declared(tmp_path):
    declared = DeclaredDependencies((Dependency("psycopg2-binary", "", "requirements.txt"),
                                     Dependency("Flask", "", "requirements.txt")), ("requirements.txt",), True)
    found = infer(tmp_path, {"app.py": 'import flask, psycopg2, yaml\nURL = "postgresql://db/app"\n'}, declared)
    # psycopg2 is provided by the declared -binary build of the same release; only yaml is missing
    assert names(found) == {"PyYAML"}


def test_a_url_naming_its_driver_for_sqlalchemy_needs_that_driver_not_another_declared_one(tmp_path):
    # setup.py still declares aiopg, the code moved to SQLAlchemy's asyncio engine on postgresql+asyncpg://
    declared = DeclaredDependencies((Dependency("aiopg", "", "setup.py"), Dependency("SQLAlchemy", "", "setup.py")),
                                    ("setup.py",), True)
    found = infer(tmp_path, {"db.py": 'import sqlalchemy\nDSN = "postgresql+asyncpg://{user}@{host}/{database}"\n'},
                  declared)
    assert names(found) == {"asyncpg"}
    assert next(d for d in found if d.name == "asyncpg").source.startswith("postgresql+asyncpg:// URL in db.py")
    # a build of the named driver serves it
    binary = DeclaredDependencies((Dependency("psycopg2-binary", "", "requirements.txt"),
                                   Dependency("SQLAlchemy", "", "requirements.txt")), ("requirements.txt",), True)
    assert names(infer(tmp_path / "binary", {"db.py": 'import sqlalchemy\nURL = "postgresql+psycopg2://db/app"\n'},
                       binary)) == set()


def test_installed_environment_pins_and_hides_what_declared_packages_pull_in(tmp_path):
    # Our own interpreter has Flask and Werkzeug installed (the dev environment).
    from importlib.metadata import version
    project = Project(make_tree(tmp_path, {"app.py": "import flask\nimport werkzeug\nimport flask_restful\n"}))
    found = imports.infer(project, None, NONE, python_exe=sys.executable)
    assert {d.requirement for d in found} == {f"Flask=={version('flask')}", f"Werkzeug=={version('werkzeug')}",
                                              f"Flask-RESTful=={version('flask-restful')}"}
    declared = DeclaredDependencies((Dependency("Flask", ">=3", "requirements.txt"),), ("requirements.txt",), True)
    assert names(imports.infer(project, None, declared, python_exe=sys.executable)) == {"Flask-RESTful"}


def test_environment_of_another_interpreter_is_read_in_a_subprocess(tmp_path):
    imports.environment.cache_clear()
    env = imports.environment(str(Path(sys.executable).parent / "python3"))
    assert "flask" in env.versions and "Flask" in env.packages["flask"]


# ---------------------------------------------------------------------------------------------- issue 14

def test_migrations_and_alembic_folders_carry_runtime_dependencies(tmp_path):
    # Decoys for finding the entry point, but they run at release time.
    found = infer(tmp_path, {
        "app.py": "from flask import Flask\napp = Flask(__name__)\n",
        "migrations/env.py": "from alembic import context\n",
        "shop/migrations/0002_tags.py": "import taggit.managers\n",
        "tests/test_app.py": "import pytest\n",
    })
    assert names(found) == {"Flask", "alembic", "django-taggit"}
    assert next(d for d in found if d.name == "alembic").source == "import alembic in migrations/env.py"


def test_namespace_packages_map_by_their_longest_known_prefix(tmp_path):
    found = infer(tmp_path, {"app.py": """
        import zope.sqlalchemy
        from google.cloud import storage
        from backports import zoneinfo
        import google.protobuf.message
        import azure.storage.blob
        """})
    assert names(found) == {"zope.sqlalchemy", "google-cloud-storage", "backports.zoneinfo", "protobuf",
                            "azure-storage-blob"}


def test_generated_table_knows_names_that_differ_from_their_distribution(tmp_path):
    found = infer(tmp_path, {"app.py": "import sass\nfrom sassutils import wsgi\nimport jwt\nimport magic\n"})
    assert names(found) == {"libsass", "PyJWT", "python-magic"}


def test_only_modules_importable_from_the_import_root_shadow_a_distribution(tmp_path):
    found = infer(tmp_path, {
        "app/__init__.py": "from app.models.user import User\nfrom config import Settings\n",
        "app/models/__init__.py": "",
        "app/models/user.py": "import pydantic\nfrom app.models import pydantic as local_schemas\n",
        "app/models/pydantic.py": "from pydantic import BaseModel\n",
        "config.py": "import yaml\n",
        "tools/run.py": "import helper\n",          # a script: its own folder is on sys.path
        "tools/helper.py": "",
    })
    assert names(found) == {"pydantic", "PyYAML"}


def test_app_that_imports_itself_from_a_subfolder_is_local(tmp_path):
    found = infer(tmp_path, {
        "backend/app/__init__.py": "",
        "backend/app/main.py": "from fastapi import FastAPI\nfrom app.core.config import settings\nfrom app import crud\n",
        "backend/app/core/__init__.py": "",
        "backend/app/core/config.py": "import pydantic_settings\n",
        "backend/app/crud.py": "",
    })
    assert names(found) == {"fastapi", "pydantic-settings"}


def test_implied_dependencies_carry_their_reason(tmp_path):
    found = infer(tmp_path, {
        "main.py": """
            from fastapi import FastAPI, Form
            from fastapi.templating import Jinja2Templates
            from pydantic import EmailStr
            """,
        "forms.py": "from wtforms.validators import DataRequired, Email\n",
        "settings.py": 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}\n',
        "db.py": 'URL = "postgresql://db/app"\n',
    })
    assert names(found) == {"fastapi", "Jinja2", "python-multipart", "pydantic", "email-validator", "WTForms",
                            "psycopg2"}
    sources = {d.name: d.source for d in found}
    assert sources["Jinja2"] == \
        "implied by fastapi.templating in main.py: FastAPI's Jinja2Templates imports jinja2"
    assert sources["python-multipart"].startswith("implied by fastapi.Form in main.py")
    assert sources["email-validator"] == \
        "implied by wtforms.validators.Email in forms.py: WTForms' Email validator needs email-validator"
    assert "DATABASES ENGINE" in sources["psycopg2"] or "postgresql:// URL" in sources["psycopg2"]


def test_bottles_template_adapters_imply_their_engine(tmp_path):
    # bottle imports jinja2 (or mako) only when jinja2_template first renders: the app never names it
    found = infer(tmp_path, {
        "routes.py": "from bottle import Bottle, jinja2_template as template, static_file\n",
        "admin.py": "from bottle import mako_view\n",
    })
    assert names(found) == {"bottle", "Jinja2", "Mako"}
    assert {d.name: d.source for d in found}["Jinja2"] == \
        "implied by bottle.jinja2_template in routes.py: Bottle's jinja2_template renders with jinja2"
    assert names(infer(tmp_path / "plain", {"app.py": "from bottle import Bottle, template\n"})) == {"bottle"}


def test_hueys_redis_storages_imply_redis(tmp_path):
    # RedisHuey('queue') imports redis when it is made (at the app's import): the app never names redis
    found = infer(tmp_path, {"jobs.py": "from huey import RedisHuey\nhuey = RedisHuey('queue', immediate=True)\n"})
    assert names(found) == {"huey", "redis"}
    assert {d.name: d.source for d in found}["redis"] == \
        "implied by huey.RedisHuey in jobs.py: huey's RedisHuey stores its queue with the redis package"
    assert names(infer(tmp_path / "sqlite", {"jobs.py": "from huey import SqliteHuey\n"})) == {"huey"}


def test_an_async_engine_on_a_database_url_read_with_no_default_gets_aiosqlite(tmp_path):
    # serve gives DB_URL a sqlite+aiosqlite:// file (appconfig): the install needs aiosqlite
    files = {"config.py": "import os\nDB_URL = os.getenv('DB_URL')\n",
             "db.py": "from sqlalchemy.ext.asyncio import create_async_engine\n\n\n"
                      "def engine(url):\n    return create_async_engine(url)\n"}
    found = infer(tmp_path, files)
    assert names(found) == {"SQLAlchemy", "aiosqlite"}
    assert "create_async_engine opens DB_URL, read with no default" in {d.name: d.source for d in found}["aiosqlite"]
    # a sync engine opens SQLite with the standard library; an async driver the app declares is its choice
    sync = {**files, "db.py": files["db.py"].replace("create_async_engine", "create_engine").replace(".ext.asyncio", "")}
    assert names(infer(tmp_path / "sync", sync)) == {"SQLAlchemy"}
    declared = DeclaredDependencies((Dependency("SQLAlchemy", "", "requirements.txt"),
                                     Dependency("asyncpg", "", "requirements.txt")), ("requirements.txt",), True)
    assert "aiosqlite" not in names(infer(tmp_path / "pg", files, declared))


def test_python2_standard_library_names_are_not_distributions(tmp_path):
    found = infer(tmp_path, {"app.py": """
        import urlparse, ConfigParser, StringIO, cPickle, urllib2, httplib, Queue
        from HTMLParser import HTMLParser
        import imp, asyncore
        import requests
        """})
    assert names(found) == {"requests"}


def test_unmapped_import_next_to_declared_dependencies_is_unresolved_not_added(tmp_path):
    declared = DeclaredDependencies((Dependency("Flask", "", "requirements.txt"),), ("requirements.txt",), True)
    result = infer(tmp_path, {"app.py": "import flask\nimport yaml\nimport notarealpackagename\n"}, declared)
    assert names(result) == {"PyYAML"}
    assert result.unresolved == ("notarealpackagename (app.py)",)
    assert "notarealpackagename (app.py)" in result.notes[0] and "not added" in result.notes[0]
    # With nothing declared the name is the best guess there is, and the source says so.
    guessed = infer(tmp_path, {"app.py": "import notarealpackagename\n"})
    assert names(guessed) == {"notarealpackagename"}
    assert "no table maps it" in next(iter(guessed)).source


def test_unmapped_import_is_checked_against_the_installed_declared_distributions(tmp_path):
    # A real environment holding one installed distribution whose import name differs from its own and
    # is in no table: the declared `shipyard-probe-dist` provides `shipyardprobe`, read from its RECORD.
    import subprocess
    import sysconfig
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    purelib = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    (purelib / "shipyardprobe").mkdir(parents=True)
    (purelib / "shipyardprobe/__init__.py").write_text("")
    info = purelib / "shipyard_probe_dist-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: shipyard-probe-dist\nVersion: 1.0\n")
    (info / "RECORD").write_text("shipyardprobe/__init__.py,,0\nshipyard_probe_dist-1.0.dist-info/METADATA,,\n")
    declared = DeclaredDependencies((Dependency("shipyard-probe-dist", "", "requirements.txt"),),
                                    ("requirements.txt",), True)
    project = Project(make_tree(tmp_path / "app", {"app.py": "import shipyardprobe\nimport shipyardmissing\n"}))
    result = imports.infer(project, None, declared, python_exe=str(venv / "bin/python"))
    assert names(result) == set()
    assert result.unresolved == ("shipyardmissing (app.py)",)


def test_files_this_python_cannot_parse_still_give_their_imports(tmp_path):
    found = infer(tmp_path, {
        "app.py": "import flask\n",
        "old.py": """
            import urlparse
            from werkzeug import secure_filename
            try:
                import simplejson as json
            except ImportError:
                import json
            print "python 2"
            """,
        "new.py": "import yaml\ntry:\n    pass\nexcept ValueError, TypeError:\n    pass\n",
    })
    assert names(found) == {"Flask", "Werkzeug", "PyYAML"}


def test_framework_loaded_packages_pyramid_includes_webassets_filters_and_flask_ext(tmp_path):
    found = infer(tmp_path, {
        "shop/__init__.py": """
            from pyramid.config import Configurator
            from flask.ext.login import LoginManager
            def main(global_config, **settings):
                config = Configurator(settings=settings)
                config.include("pyramid_jinja2")
                config.include(".routes")
                return config.make_wsgi_app()
            """,
        "shop/routes.py": "",
        "production.ini": "[app:main]\nuse = egg:shop\npyramid.includes =\n    pyramid_tm\n",
        "development.ini": "[app:main]\nuse = egg:shop\npyramid.includes =\n    pyramid_debugtoolbar\n",
    })
    assert names(found) == {"pyramid", "pyramid-jinja2", "pyramid-tm", "Flask-Login"}
    assets = infer(tmp_path / "assets", {"assets.py": """
        from flask_assets import Bundle
        css = Bundle("a.less", filters="less,cssmin", output="gen/a.css")
        js = Bundle("a.js", filters=["rjsmin"], output="gen/a.js")
        """})
    assert names(assets) == {"Flask-Assets", "cssmin", "rjsmin"}


def test_a_django_imagefield_needs_pillow(tmp_path):
    # Django's system check stops migrate and the server without it (fields.E210)
    found = infer(tmp_path, {"shop/models.py": """
        from django.db import models
        class Item(models.Model):
            photo = models.ImageField(upload_to="photos")
        """})
    assert names(found) == {"Django", "Pillow"}
    # the name alone, outside Django, implies nothing
    other = infer(tmp_path / "other", {"app.py": "from flask import Flask\nImageField = dict\nf = ImageField()\n"})
    assert "Pillow" not in names(other)


def test_flask_marshmallows_sqlalchemy_schemas_need_marshmallow_sqlalchemy(tmp_path):
    # Marshmallow(app) has ModelSchema only where marshmallow-sqlalchemy is installed, which no import names
    # (Real Python's Connexion tutorial: ma made in config.py, ma.ModelSchema read in models.py)
    found = infer(tmp_path, {
        "config.py": "from flask_marshmallow import Marshmallow\nfrom flask_sqlalchemy import SQLAlchemy\nma = Marshmallow()\n",
        "models.py": "from config import ma\nclass PersonSchema(ma.ModelSchema):\n    pass\n"})
    assert names(found) == {"flask-marshmallow", "Flask-SQLAlchemy", "marshmallow-sqlalchemy"}
    sqla = infer(tmp_path / "sqla", {"schemas.py": "from flask_marshmallow.sqla import SQLAlchemyAutoSchema\n"})
    assert "marshmallow-sqlalchemy" in names(sqla)
    # plain schemas need nothing more, and the name alone, without flask-marshmallow, implies nothing
    plain = infer(tmp_path / "plain", {"app.py": "from flask_marshmallow import Marshmallow\nma = Marshmallow()\n"
                                                  "class S(ma.Schema):\n    pass\n"})
    other = infer(tmp_path / "other", {"app.py": "import types\nx = types.SimpleNamespace(ModelSchema=1).ModelSchema\n"})
    assert "marshmallow-sqlalchemy" not in names(plain) | names(other)


def test_flask_admins_peewee_views_need_wtf_peewee(tmp_path):
    # flask_admin.contrib.peewee raises "Please install peewee and wtf-peewee" at import without wtfpeewee
    # (a 2018 starter with Flask-Admin over Peewee and no requirements file)
    found = infer(tmp_path, {"app.py": "from flask import Flask\nfrom flask_admin import Admin\n"
                                       "from flask_admin.contrib.peewee import ModelView\nimport models\n",
                             "models.py": "from peewee import *\nDATABASE = SqliteDatabase('app.db')\n"})
    assert names(found) == {"Flask", "Flask-Admin", "peewee", "wtf-peewee"}
    sqla = infer(tmp_path / "sqla", {"app.py": "from flask_admin.contrib.sqla import ModelView\n"})
    assert "wtf-peewee" not in names(sqla)


def test_a_library_that_needs_one_of_its_extras_gets_the_first_unless_the_app_has_one(tmp_path):
    # quart-schema >= 0.20 installs neither pydantic nor msgspec, imports without them and fails on first use
    app = {"api.py": "from quart import Quart\nfrom quart_schema import QuartSchema, validate_request\n"}

    def declared(*deps):
        return DeclaredDependencies(tuple(Dependency(n, s, "pyproject.toml") for n, s in deps), ("pyproject.toml",),
                                    True)

    bare = imports.infer(Project(make_tree(tmp_path / "bare", app)), None,
                         declared(("quart", ""), ("quart-schema", "")), python_exe=str(tmp_path / "no-python"))
    assert names(bare) == {"pydantic"}
    assert "one of pydantic, msgspec" in bare.dependencies[0].source
    for name, deps in {"msgspec": [("quart-schema", ""), ("msgspec", ">=0.18")],
                         "extra": [("quart-schema", "[msgspec]")],
                         "pydantic": [("quart-schema", ""), ("pydantic", "")]}.items():
        found = imports.infer(Project(make_tree(tmp_path / name, app)), None, declared(("quart", ""), *deps),
                              python_exe=str(tmp_path / "no-python"))
        assert "pydantic" not in names(found), name
    # an import guarded by `except ImportError` is the app's own choice to do without it
    guarded = infer(tmp_path / "guarded", {"api.py": "try:\n    import quart_schema\nexcept ImportError:\n    pass\n"})
    assert "pydantic" not in names(guarded)


def test_database_urls_name_the_driver_their_library_loads(tmp_path):
    found = infer(tmp_path, {
        "db.py": """
            import databases, sqlalchemy
            URL = "postgresql://db/app"
            database = databases.Database(URL)
            engine = sqlalchemy.create_engine(URL)
            """,
        "alembic/env.py": "from alembic import context\n",
    })
    # databases opens it with asyncpg, SQLAlchemy (and alembic) with psycopg2
    assert names(found) == {"databases", "SQLAlchemy", "alembic", "asyncpg", "psycopg2"}
    explicit = infer(tmp_path / "explicit", {
        "config.py": 'import sqlmodel\nURL = f"postgresql+psycopg://{user}@db/app"\n',
        ".env.example": "DATABASE_URL=postgresql://u@db/app\n",
    })
    assert names(explicit) == {"sqlmodel", "psycopg"}


def test_a_url_library_whose_database_url_is_required_gets_the_driver_of_the_sqlite_file_serve_gives(tmp_path):
    # `databases` opens every URL with a driver of its own; the app names no database, only
    # config("DATABASE_URL") with no default, for which serve gives a SQLite file: databases opens it with aiosqlite
    app = {
        "config.py": """
            import databases
            from starlette.config import Config

            config = Config(".env")
            DATABASE_URL = config("DATABASE_URL")
            database = databases.Database(DATABASE_URL)
            """,
        "main.py": "from starlette.applications import Starlette\nfrom config import database\napp = Starlette()\n",
    }
    found = infer(tmp_path, app)
    assert names(found) == {"databases", "starlette", "aiosqlite"}
    assert "SQLite file" in next(d.source for d in found.dependencies if d.name == "aiosqlite")
    # a default names the database (a PostgreSQL one: asyncpg), and a declared driver chooses one: no SQLite driver
    with_default = dict(app, **{"config.py": app["config.py"].replace(
        'config("DATABASE_URL")', 'config("DATABASE_URL", default="postgresql://localhost/app")')})
    assert names(infer(tmp_path / "default", with_default)) == {"databases", "starlette", "asyncpg"}
    declared = DeclaredDependencies(tuple(Dependency(n, "", "requirements.txt") for n in ("databases", "asyncpg",
                                                                                          "starlette")),
                                    ("requirements.txt",), True)
    assert "aiosqlite" not in names(infer(tmp_path / "chosen", app, declared))


def test_decoy_named_folder_that_is_the_app_counts_and_settings_words_are_not_apps(tmp_path):
    found = infer(tmp_path, {
        "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "example.settings")\nimport django\n',
        "example/__init__.py": "",
        "example/settings.py": """
            INSTALLED_APPS = ["django.contrib.auth", "allauth", "allauth.account"]
            MFA_SUPPORTED_TYPES = ["totp", "webauthn"]
            DATABASES = {"default": {"NAME": "postgres"}}
            """,
        "examples/demo.py": "import requests\n",   # not referenced: still a decoy
    })
    assert names(found) == {"Django", "django-allauth"}


def test_a_django_project_whose_folder_and_package_are_both_decoy_named_counts(tmp_path):
    # the DRF tutorial: tutorial/manage.py, tutorial/tutorial/settings.py, tutorial/snippets/: nothing at the root
    found = infer(tmp_path, {
        "tutorial/manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutorial.settings")\n'
                              "import django\n",
        "tutorial/tutorial/__init__.py": "",
        "tutorial/tutorial/settings.py": 'import environ\nINSTALLED_APPS = ["rest_framework", "snippets"]\n',
        "tutorial/snippets/__init__.py": "",
        "tutorial/snippets/models.py": "import pygments\nfrom rest_framework import serializers\n",
        "tutorial/tests/test_api.py": "import pytest\n",        # its tests stay tests
    })
    assert names(found) == {"Django", "djangorestframework", "Pygments", "django-environ"}


def test_no_pins_from_shipyards_own_python(tmp_path, monkeypatch):
    # An app with no environment of its own: Shipyard's Python names the packages but its versions are
    # not the app's, so nothing is pinned.
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    project = Project(make_tree(tmp_path, {"app.py": "import flask\n"}))
    found = imports.infer(project, None, NONE)
    assert [d.requirement for d in found] == ["Flask"]


def test_libraries_copied_into_a_folder_the_app_puts_on_sys_path_are_provided_and_their_imports_not_the_apps(tmp_path):
    found = infer(tmp_path, {
        "app.py": """
            import os, sys, pathlib
            BASE_DIR = pathlib.Path(__file__).parent.absolute()
            sys.path.insert(0, str(BASE_DIR / "lib"))
            from bottle import route
            import itsdangerous
            import helpers
            """,
        # a library's copy: named after its distribution, with a release's mark
        "lib/bottle.py": """
            __version__ = '0.13-dev'
            def run_fapws():
                import fapws._evwsgi
            def run_bjoern():
                from bjoern import run
            URL = 'postgresql://localhost/x'
            """,
        "lib/itsdangerous/__init__.py": "from .signer import Signer\n",
        "lib/itsdangerous/signer.py": "import hashlib\nimport markupsafe\n",
        "lib/itsdangerous-2.1.2.dist-info/METADATA": "Name: itsdangerous\n",
        # the app's own module in the same folder: what it imports is the app's
        "lib/helpers.py": "import requests\n",
    })
    assert names(found) == {"requests"}


def test_sys_path_folders_read_from_os_path_and_pathlib_expressions(tmp_path):
    root = make_tree(tmp_path, {
        "web/main.py": """
            import os, sys, site
            from pathlib import Path
            HERE = os.path.dirname(os.path.abspath(__file__))
            sys.path.insert(0, os.path.join(HERE, '..', 'vendor'))
            sys.path.append(str(Path(__file__).resolve().parent.parent.joinpath('third_party')))
            site.addsitedir(os.path.join(os.path.dirname(__file__), 'libs'))
            sys.path.extend(['plugins', '/usr/lib/elsewhere'])
            sys.path.insert(0, os.path.join(HERE, '..', '..', 'outside'))
            """,
        "vendor/a.py": "", "third_party/b.py": "", "web/libs/c.py": "", "web/plugins/d.py": "",
    })
    from shipyard.detect.source import sys_path_folders
    assert sys_path_folders(Project(root)) == {"vendor", "third_party", "web/libs", "web/plugins"}


def test_a_library_named_module_in_a_folder_not_on_sys_path_is_still_the_apps_code(tmp_path):
    found = infer(tmp_path, {
        "app.py": "from lib import bottle\n",
        "lib/__init__.py": "",
        "lib/bottle.py": "__version__ = '0.12'\nimport requests\n",
    })
    assert "requests" in names(found)


def test_a_sqlite_url_needs_the_async_driver_of_the_library_that_opens_it_and_nothing_for_the_standard_one(tmp_path):
    # Quart-DB opens sqlite:// with aiosqlite, which only its `sqlite` extra installs
    quart_db = infer(tmp_path / "quart", {"app.py": 'from quart import Quart\nfrom quart_db import QuartDB\n'
                                                    'app = Quart(__name__)\nQuartDB(app, url="sqlite:///db.db")\n'})
    assert names(quart_db) == {"Quart", "quart_db", "aiosqlite"}
    assert next(d for d in quart_db if d.name == "aiosqlite").source == \
        "sqlite:// URL in app.py, opened by quart_db: aiosqlite"
    # its PostgreSQL URL is opened with asyncpg
    assert "asyncpg" in names(infer(tmp_path / "quartpg", {
        "app.py": 'import quart_db\nURL = "postgresql://u@db/app"\n'}))
    # SQLAlchemy's asyncio engine loads the driver the URL names
    assert names(infer(tmp_path / "sa", {
        "db.py": 'import sqlalchemy\nURL = "sqlite+aiosqlite:///./app.db"\n'})) == {"SQLAlchemy", "aiosqlite"}
    # the standard library's sqlite3 serves a plain URL: nothing added, no service
    plain = tmp_path / "plain"
    assert names(infer(plain, {"app.py": 'import flask_sqlalchemy\nURI = "sqlite:///app.db"\n'})) == \
        {"Flask-SQLAlchemy"}
    from shipyard.detect import services
    assert services.services(Project(plain), ()) == ()


def test_a_postgres_url_tortoise_opens_needs_asyncpg_not_the_psycopg2_sqlalchemy_would_load(tmp_path):
    # Tortoise ORM opens postgres:// with asyncpg (`pip install tortoise-orm` alone: "No module named 'asyncpg'")
    found = infer(tmp_path / "tortoise", {
        "main.py": 'import os\nfrom tortoise.contrib.fastapi import register_tortoise\n'
                   'DB = os.getenv("DATABASE_URL", "postgres://postgres:postgres@db:5432/postgres")\n'})
    assert names(found) == {"tortoise-orm", "asyncpg"}
    assert next(d for d in found if d.name == "asyncpg").source == \
        "postgres:// URL in main.py, opened by tortoise: asyncpg"
    # declared with its asyncpg extra: nothing added
    declared = DeclaredDependencies((Dependency("tortoise-orm", "[asyncpg]", "requirements.txt"),), ("requirements.txt",),
                                    True)
    assert names(infer(tmp_path / "extra", {"main.py": 'import tortoise\nDB = "postgres://u@db/app"\n'},
                       declared)) == set()


def test_a_database_named_only_by_the_committed_env_file_in_the_scheme_the_code_builds_a_url_with(tmp_path):
    # .env gives the URL's parts, its server as DB_CONNECTION=postgres; the code joins them itself, so no
    # postgres:// is written anywhere (a FastAPI + Tortoise app: "No module named 'asyncpg'", no PostgreSQL)
    from shipyard.detect.services import services
    env = "DB_CONNECTION=postgres\nDB_HOST=127.0.0.1\nDB_PORT=5432\nDB_DATABASE=shop\nDB_USERNAME=shop\n"
    code = {"config.py": "import os\n\n\ndef database_url(connection=os.environ['DB_CONNECTION'], "
                         "user=os.environ['DB_USERNAME'], host=os.environ['DB_HOST'], port=os.environ['DB_PORT'], "
                         "name=os.environ['DB_DATABASE']):\n"
                         "    return connection + '://' + user + '@' + host + ':' + port + '/' + name\n",
            "main.py": "from tortoise.contrib.fastapi import register_tortoise\nfrom config import database_url\n"
                       "DB_URL = database_url()\n"}
    found = infer(tmp_path / "shop", {**code, ".env": env})
    assert names(found) == {"tortoise-orm", "asyncpg"}
    assert next(d for d in found if d.name == "asyncpg").source == \
        "postgres:// URL the code builds with the scheme DB_CONNECTION gives (DB_CONNECTION=postgres in .env), " \
        "opened by tortoise: asyncpg"
    assert [s.name for s in services(Project(tmp_path / "shop"), found)] == ["postgres"]
    # MySQL by its Laravel name; an f-string's scheme
    fstring = {"main.py": "import os\nimport sqlalchemy\nS = os.getenv('DB_DRIVER')\n"
                          "URL = f\"{S}://u@h/db\"\n", ".env.example": "DB_DRIVER=mysql\n"}
    assert [s.name for s in services(Project(make_tree(tmp_path / "m", fstring)), ())] == ["mysql"]
    # not read by the code, not a server's name, or a scheme the code writes itself: nothing
    for other in ({**code, ".env": env.replace("DB_CONNECTION", "DB_KIND")},
                  {**code, ".env": env.replace("=postgres", "=sqlite")},
                  {**code, "config.py": code["config.py"].replace("connection + '://'", "'sqlite' + '://'"),
                   ".env": env}):
        root = make_tree(tmp_path / f"o{len(list(tmp_path.iterdir()))}", other)
        assert "asyncpg" not in names(infer(root, {})) and services(Project(root), ()) == (), other


def test_an_import_a_declared_distribution_is_named_after_is_covered_by_it_whatever_the_tables_say(tmp_path):
    # flask_bootstrap: the hand table says Flask-Bootstrap, the app declares Bootstrap-Flask (the same module:
    # installing both puts two packages in one folder); haystack: the generated table says haystack-ai (Python
    # 3.8+ only), the app declares django-haystack
    declared = DeclaredDependencies((Dependency("Bootstrap-Flask", "==1.2.0", "requirements.txt"),
                                     Dependency("django-haystack", "", "requirements.txt"),
                                     Dependency("python-jose", "", "requirements.txt")), ("requirements.txt",), True)
    found = infer(tmp_path, {"app.py": "import flask_bootstrap\nimport haystack\nimport jose\nimport yaml\n"},
                  declared)
    assert names(found.dependencies) == {"PyYAML"}
    # undeclared, the tables decide
    assert {"Flask-Bootstrap", "haystack-ai"} <= names(infer(tmp_path / "b", {"app.py": "import flask_bootstrap\n"
                                                                               "import haystack\n"}).dependencies)


def test_the_bootstrap5_class_of_flask_bootstrap_is_bootstrap_flask_not_the_flask_bootstrap_the_table_names(tmp_path):
    # a 2024 Flask app declares nothing and imports `from flask_bootstrap import Bootstrap5`: the hand table's
    # Flask-Bootstrap never had that class (the proof held it to ever older releases); Bootstrap-Flask, which
    # installs the same module, has Bootstrap4 and Bootstrap5. A plain `import flask_bootstrap` keeps the table's.
    for cls in ("Bootstrap5", "Bootstrap4"):
        found = infer(tmp_path / cls, {"app.py": f"from flask_bootstrap import {cls}\n"}).dependencies
        assert names(found) == {"Bootstrap-Flask"}
    assert names(infer(tmp_path / "old", {"app.py": "from flask_bootstrap import Bootstrap\n"}).dependencies) == \
        {"Flask-Bootstrap"}


def test_python_jose_cryptodome_provides_jose_so_the_import_adds_nothing(tmp_path):
    # python-jose-cryptodome is python-jose's fork on pycryptodome, the same `jose` module: an app declaring it
    # needs no python-jose too (both would install into one folder)
    declared = DeclaredDependencies((Dependency("python-jose-cryptodome", "==1.3.2", "requirements.txt"),),
                                    ("requirements.txt",), True)
    found = infer(tmp_path, {"app.py": "from jose import jwt\n"}, declared)
    assert names(found.dependencies) == set()
    assert found.unresolved == ()
    # undeclared, the table's python-jose
    assert names(infer(tmp_path / "b", {"app.py": "from jose import jwt\n"}).dependencies) == {"python-jose"}


SYNC_ALEMBIC_ENV = """
    import os
    from alembic import context
    from sqlalchemy import engine_from_config, pool
    config = context.config
    config.set_main_option("sqlalchemy.url", os.environ["PG_DSN"])
    connectable = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.",
                                     poolclass=pool.NullPool)
    """


def test_alembics_sync_env_beside_an_app_that_declares_only_asyncpg_gets_the_plain_url_driver(tmp_path):
    """Alembic's generic env.py opens a sync engine on the app's postgresql:// URL (the app converts that URL to
    asyncpg for itself): SQLAlchemy loads psycopg2 for it, which only the app's dev group names. Its async
    template, or a sync driver the app declares, needs nothing more."""
    app = {"app/db.py": "from sqlalchemy.ext.asyncio import create_async_engine\nimport asyncpg\n"}
    declared = DeclaredDependencies((Dependency("SQLAlchemy", "==2.0.13", "pyproject.toml"),
                                     Dependency("asyncpg", "==0.27.0", "pyproject.toml"),
                                     Dependency("alembic", "==1.10.4", "pyproject.toml")), ("pyproject.toml",), True)
    found = infer(tmp_path / "sync", {**app, "alembic/env.py": SYNC_ALEMBIC_ENV}, declared)
    assert names(found) == {"psycopg2"}, names(found)
    assert "alembic/env.py opens a sync engine" in found.dependencies[0].source
    async_env = SYNC_ALEMBIC_ENV.replace("engine_from_config", "async_engine_from_config").replace(
        "from sqlalchemy import", "from sqlalchemy.ext.asyncio import async_engine_from_config\n    from sqlalchemy import")
    assert names(infer(tmp_path / "async", {**app, "alembic/env.py": async_env}, declared)) == set()
    with_driver = DeclaredDependencies(declared.dependencies + (Dependency("psycopg2-binary", "", "pyproject.toml"),),
                                       ("pyproject.toml",), True)
    assert names(infer(tmp_path / "declared", {**app, "alembic/env.py": SYNC_ALEMBIC_ENV}, with_driver)) == set()
    # SQLAlchemy 2.1 loads psycopg (3) for a plain URL
    newer = DeclaredDependencies((Dependency("SQLAlchemy", ">=2.0", "pyproject.toml"),) + declared.dependencies[1:],
                                 ("pyproject.toml",), True)
    assert names(infer(tmp_path / "newer", {**app, "alembic/env.py": SYNC_ALEMBIC_ENV}, newer)) == {"psycopg"}


def test_the_model_modules_tortoise_imports_by_name_are_needed(tmp_path):
    # aerich's own table is listed as a models module: `Module "aerich.models" not found` at start-up without it
    found = infer(tmp_path / "t", {
        "main.py": 'from tortoise.contrib.fastapi import register_tortoise\n'
                   'TORTOISE_ORM = {"connections": {"default": "sqlite://db.sqlite3"},\n'
                   '                "apps": {"models": {"models": ["models", "aerich.models"]}}}\n',
        "models.py": "from tortoise.models import Model\n"})
    assert names(found) == {"tortoise-orm", "aerich"}
    assert next(d for d in found if d.name == "aerich").source == "Tortoise ORM models module aerich in main.py"
    # a config module that only assigns TORTOISE_ORM (aerich reads it by name) counts too; other "models" keys do not
    assert names(infer(tmp_path / "c", {"config.py": 'TORTOISE_ORM = {"apps": {"m": {"models": ["aerich.models"]}}}\n'})) \
        == {"aerich"}
    assert names(infer(tmp_path / "o", {"app.py": 'CONF = {"models": ["aerich.models"]}\n'})) == set()


def test_an_import_a_declared_distribution_is_named_after_is_not_reported_unresolved(tmp_path):
    from shipyard.detect import deps as deps_mod
    make_tree(tmp_path, {"app.py": "import flask_restplus\nimport disposable_email_checker\nimport mystery_mod\n",
                         "requirements.txt": "flask-restplus\ndjango-disposable-email-checker\n"})
    project = Project(tmp_path)
    found = imports.infer(project, None, deps_mod.declared(project), installed=False)
    note = next(n for n in found.notes if n.startswith("imports that no table maps"))
    assert "mystery_mod" in note and "flask_restplus" not in note and "disposable_email_checker" not in note


def test_an_unmapped_add_on_of_a_declared_framework_is_added_by_its_import_name(tmp_path):
    # falcon_cors beside a declared falcon: an add-on, named after its import (falcon-cors); an unmapped name that
    # is no declared framework's add-on (mystery_mod, gunicorn_x with gunicorn undeclared) stays unresolved
    from shipyard.detect import deps as deps_mod
    make_tree(tmp_path, {"app.py": "import falcon\nfrom falcon_cors import CORS\nimport mystery_mod\nimport gunicorn_x\n",
                         "requirements.txt": "falcon\nhuey\n"})
    project = Project(tmp_path)
    found = imports.infer(project, None, deps_mod.declared(project), installed=False)
    added = {d.name: d for d in found.dependencies}
    assert set(added) == {"falcon-cors"} and added["falcon-cors"].requirement == "falcon-cors"
    assert "an add-on of the declared falcon" in added["falcon-cors"].source
    note = next(n for n in found.notes if n.startswith("imports that no table maps"))
    assert "mystery_mod" in note and "gunicorn_x" in note and "falcon_cors" not in note


def test_a_django_add_on_named_only_in_settings_is_added_by_its_name(tmp_path):
    # INSTALLED_APPS' "django_dump_die" and its MIDDLEWARE path, with only Django in a freeze: django.setup()
    # imports it, and no table maps it; a django_* app is published as django-dump-die. The project's own apps
    # (django_local, a folder here) and unmapped names that are no Django add-on (mystery_app) are not added.
    from shipyard.detect import deps as deps_mod
    settings = ('INSTALLED_APPS = ["django.contrib.admin", "django_local", "mystery_app", "django_dump_die"]\n'
                'MIDDLEWARE = ["django_dump_die.middleware.DumpAndDieMiddleware"]\n')
    make_tree(tmp_path, {"site/settings.py": settings, "site/__init__.py": "", "django_local/__init__.py": "",
                         "manage.py": "import django\n", "requirements.txt": "Django==4.2.2\nsqlparse==0.4.4\n"})
    project = Project(tmp_path)
    found = imports.infer(project, None, deps_mod.declared(project), installed=False)
    added = {d.name: d for d in found.dependencies}
    assert set(added) == {"django-dump-die"}
    assert "a Django add-on the settings load" in added["django-dump-die"].source


def test_an_unmapped_django_app_with_nothing_declared_is_guessed_as_django_dash_name(tmp_path):
    # a Django by Example site with no dependency file: INSTALLED_APPS' "embed_video" is django-embed-video's
    # module, which no table maps; django.setup() imports it, so leaving it out fails migrate. The project's own
    # apps, a dotted backend path no table maps, and a development tool are not guessed. An app the code imports
    # too (courses/forms.py's `from nosuchforms.multiform import ...`, as a dental clinic's betterforms) is guessed
    # once, as django-nosuchforms, not also by the import's own name, which the index may lack: the plan inspect
    # shows, serve's install and the image list the same one
    from shipyard.detect import deps as deps_mod
    settings = ('INSTALLED_APPS = ["django.contrib.admin", "courses", "embed_video", "nosuchforms"]\n'
                'SESSION_ENGINE = "nosuch_sessions.backends.db"\n')
    make_tree(tmp_path, {"site/settings.py": settings, "site/__init__.py": "", "courses/__init__.py": "",
                         "courses/forms.py": "from nosuchforms.multiform import MultiForm\n",
                         "manage.py": "import django\n"})
    project = Project(tmp_path)
    found = imports.infer(project, None, deps_mod.declared(project), installed=False)
    added = {d.name: d for d in found.dependencies}
    assert set(added) == {"Django", "django-embed-video", "django-nosuchforms"}
    assert "a Django app the settings load" in added["django-embed-video"].source


def test_django_comments_in_installed_apps_is_django_contrib_comments_not_its_namesake(tmp_path):
    # Mezzanine's and django CMS blogs' settings list "django_comments", the comments app Django split out in 1.8 and
    # publishes as django-contrib-comments; PyPI's django-comments is an unrelated 2012 project (1.0.0b0) whose
    # sdist builds on no current Python: the add-on rule's name (django_x -> django-x) picked it, and serve then
    # walked every Python down to 3.7 for a Mezzanine 6.1 site
    from shipyard.detect import deps as deps_mod
    settings = 'INSTALLED_APPS = ["django.contrib.admin", "django_comments", "mezzanine.core"]\n'
    make_tree(tmp_path, {"site/settings.py": settings, "site/__init__.py": "", "manage.py": "import django\n",
                         "requirements.txt": "Mezzanine==6.1.1\nDjango==4.2.20\n"})
    project = Project(tmp_path)
    found = imports.infer(project, None, deps_mod.declared(project), installed=False)
    assert "django-contrib-comments" in {d.name for d in found.dependencies}
    assert "django-comments" not in {d.name for d in found.dependencies}


def test_django_oscar_and_django_cms_modules_are_their_frameworks_not_pypi_namesakes(tmp_path):
    # a 2017 Oscar shop with no dependency file (README: pip install django-oscar ...): `from oscar import
    # get_core_apps` was resolved to PyPI's unrelated "oscar", as django CMS's `cms` and `menus` would be to "cms"
    # and "menus"; no table mapped them, so the import's own name was taken
    from shipyard.detect import deps as deps_mod
    make_tree(tmp_path, {"manage.py": "import django\n", "shop/__init__.py": "",
                         "shop/settings.py": "from oscar import get_core_apps\nfrom oscar.defaults import *\n"
                                             "INSTALLED_APPS = ['django.contrib.admin'] + get_core_apps()\n",
                         "shop/urls.py": "from oscar.app import application\nfrom cms.sitemaps import CMSSitemap\n"
                                         "from menus.base import Menu\n"})
    project = Project(tmp_path)
    found = imports.infer(project, None, deps_mod.declared(project), installed=False)
    names = {d.name for d in found.dependencies}
    assert {"django-oscar", "django-cms"} <= names
    assert not names & {"oscar", "cms", "menus"}


def test_ninja_is_django_ninja_not_the_ninja_build_tool(tmp_path):
    # a 2025 course URL shortener with no dependency file (README: pip install django pillow django-ninja): its
    # `from ninja import NinjaAPI` was resolved to PyPI's ninja (the build tool's wheel, which also ships a
    # top-level `ninja` module), so urls.py could not import and serve's first page hung; django-ninja is the
    # Django API framework every `ninja` import in a web app means
    from shipyard.detect import deps as deps_mod
    make_tree(tmp_path, {"manage.py": "import django\n", "core/__init__.py": "",
                         "core/settings.py": "INSTALLED_APPS = ['django.contrib.admin']\n",
                         "core/urls.py": "from django.urls import path\nfrom ninja import NinjaAPI\n"
                                         "api = NinjaAPI()\nurlpatterns = [path('api/', api.urls)]\n",
                         "shortener/__init__.py": "",
                         "shortener/api.py": "from ninja import Router, Schema\nrouter = Router()\n"})
    project = Project(tmp_path)
    found = imports.infer(project, None, deps_mod.declared(project), installed=False)
    names = {d.name for d in found.dependencies}
    assert "django-ninja" in names
    assert "ninja" not in names


def _dist_info(site: str, name: str, version: str, files: list[str]) -> dict[str, str]:
    folder = f"{site}/{name.replace('-', '_')}-{version}.dist-info"
    return {f"{folder}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
            f"{folder}/RECORD": "".join(f"{f},,\n" for f in files + [f"{folder.rsplit('/', 1)[1]}/METADATA"]),
            **{f"{site}/{f}": "" for f in files}}


def test_a_committed_windows_venv_pins_the_inferred_imports_to_what_it_holds(tmp_path):
    # a 2025 course project with no dependency file and its Windows .venv committed (Lib/site-packages, Scripts/
    # python.exe, which runs nowhere here): the imports were resolved from the tables alone and nothing was pinned,
    # though the venv's metadata says the app was written against Django 5.1.4 and django-ninja 1.3.0
    from shipyard.detect import deps as deps_mod
    site = ".venv/Lib/site-packages"
    files = {"manage.py": "import django\n", "core/__init__.py": "",
             "core/urls.py": "from ninja import NinjaAPI\nimport qrcode\napi = NinjaAPI()\n",
             ".venv/pyvenv.cfg": "home = C:\\Python312\nversion = 3.12.1\n", ".venv/Scripts/python.exe": "MZ",
             **_dist_info(site, "Django", "5.1.4", ["django/__init__.py", "django/urls/__init__.py"]),
             **_dist_info(site, "django-ninja", "1.3.0", ["ninja/__init__.py", "ninja/main.py"]),
             **_dist_info(site, "qrcode", "8.0", ["qrcode/__init__.py"])}
    make_tree(tmp_path / "app", files)
    project = Project(tmp_path / "app")
    found = imports.infer(project, None, deps_mod.declared(project))
    assert {d.name: d.spec for d in found.dependencies} == {"Django": "==5.1.4", "django-ninja": "==1.3.0",
                                                             "qrcode": "==8.0"}
    # named otherwise (python -m venv myvenv), pyvenv.cfg says it is one
    renamed = {k.replace(".venv/", "myvenv/", 1): v for k, v in files.items()}
    make_tree(tmp_path / "renamed", renamed)
    assert imports._committed_windows_site_packages(Project(tmp_path / "renamed")).endswith("myvenv/Lib/site-packages")
    # a Linux virtualenv's folder layout (bin/) is not a Windows one: nothing read from it here
    other = dict(files)
    other[".venv/bin/python"] = other.pop(".venv/Scripts/python.exe")
    make_tree(tmp_path / "linux", other)
    project = Project(tmp_path / "linux")
    assert imports._committed_windows_site_packages(project) is None


def test_a_development_tool_named_like_an_add_on_is_not_added(tmp_path):
    # aiohttp_debugtoolbar beside a declared aiohttp: a debug toolbar that production replaces with a stand-in
    # (detect/probe.py DEV_TOOLS), never installed there; only the real add-on is added
    from shipyard.detect import deps as deps_mod
    make_tree(tmp_path, {"app.py": "import aiohttp_debugtoolbar\nimport aiohttp_jinja2x\nfrom aiohttp import web\n",
                         "requirements.txt": "aiohttp>=3.9\n"})
    project = Project(tmp_path)
    found = imports.infer(project, None, deps_mod.declared(project), installed=False)
    assert {d.name for d in found.dependencies} == {"aiohttp-jinja2x"}


def test_a_mysql_url_peewee_opens_needs_pymysql_not_the_mysqlclient_sqlalchemy_would_load(tmp_path):
    # peewee (playhouse.db_url.connect) opens mysql:// with PyMySQL, MySQLdb only without it; the app's uWSGI
    # file points DATABASE at MySQL. mysqlclient, SQLAlchemy's driver for it, needs MySQL's headers to build.
    files = {"server/models.py": 'import os\nimport peewee\nfrom playhouse.db_url import connect\n'
                                 'db = connect(os.environ.get("DATABASE", "sqlite:///reports.db"))\n',
             "support/uwsgi/app.ini": "[uwsgi]\nfile = wsgi.py\nenv = DATABASE=mysql://USER:PASSWORD@HOST/app\n"}
    declared = DeclaredDependencies((Dependency("bottle", "", "requirements.txt"),
                                     Dependency("peewee", "", "requirements.txt")), ("requirements.txt",), True)
    found = infer(tmp_path / "peewee", files, declared).dependencies
    assert names(found) == {"PyMySQL"}
    assert found[0].source == "mysql:// URL in support/uwsgi/app.ini, opened by peewee: PyMySQL"
    # either driver it loads serves it: a declared mysqlclient adds nothing
    both = DeclaredDependencies(declared.dependencies + (Dependency("mysqlclient", "", "requirements.txt"),),
                                ("requirements.txt",), True)
    assert names(infer(tmp_path / "declared", files, both).dependencies) == set()
    # SQLAlchemy opening the same URL still needs mysqlclient
    assert "mysqlclient" in names(infer(tmp_path / "sa", {"db.py": 'import sqlalchemy\nURL = "mysql://u@db/app"\n'}))


def test_a_package_the_requirements_list_commented_out_is_not_added_back(tmp_path):
    # DataDiVR: `#torch==1.13.1+cu116` and `#whisper` in requirements.txt, and an extension (loaded under
    # `except ImportError`) that imports torch: its author left torch out on purpose (gigabytes, CUDA wheels), so
    # the import does not bring it back, with a note; pip-compile's indented `#   numpy` annotation and prose are
    # not such lines, and an import the requirements do not comment out is still added
    from shipyard.detect import deps as deps_mod
    make_tree(tmp_path, {"app.py": "import flask\nimport numpy\nimport requests\n",
                         "extensions/speech/app.py": "import torch\n",
                         "requirements.txt": "flask\n#torch==1.13.1+cu116\n# whisper\n# requests and friends\n"
                                             "pandas==2.2.0\n    #   numpy\n"})
    project = Project(tmp_path)
    found = imports.infer(project, None, deps_mod.declared(project), installed=False)
    assert {d.name for d in found.dependencies} >= {"numpy", "requests"}
    assert "torch" not in {d.name for d in found.dependencies}
    assert any(n.startswith("not added: torch (import torch in extensions/speech/app.py; commented out in "
                            "requirements.txt)") for n in found.notes), found.notes


def test_python_files_in_a_static_folder_are_a_front_end_librarys_not_the_apps(tmp_path):
    """A portfolio CMS carries a JavaScript map library under static/ with the library's own converter script
    (static/dashboard/vendors/jqvmap/create/jqvmap.py importing osgeo and shapely): files served as they are,
    never imported by the app. Its imports are not the app's requirements (GDAL builds on no Python here)."""
    found = infer(tmp_path, {
        "manage.py": "import os\nimport django\n",
        "blog/views.py": "from PIL import Image\n",
        "static/dashboard/vendors/jqvmap/create/jqvmap.py": "from osgeo import ogr\nimport shapely.geometry\n",
        "blog/static/blog/js/build.py": "import yaml\n",
        "staticfiles/admin/tool.py": "import requests\n",
        "bower_components/leaflet/build.py": "import boto3\n",
    })
    assert names(found) == {"Django", "Pillow"}


def test_a_pony_provider_names_the_driver_pony_imports_when_it_connects(tmp_path):
    # Pony ORM names its database by a provider string, not a URL, and imports MySQLdb or PyMySQL only when it
    # connects ("No module named MySQLdb or pymysql found" at import): a 2018 Flask-Pony app whose settings.py
    # holds PONY = {'provider': 'mysql', 'dbname': 'test'} and no requirements file
    flask_pony = {"manage.py": "from flask import Flask\nfrom db.mypony import pony\napp = Flask(__name__)\n"
                               "app.config.from_object('settings.Config')\npony.init_app(app)\npony.connect()\n",
                  "db/__init__.py": "", "db/mypony.py": "from flask_pony import Pony\npony = Pony()\n",
                  "settings.py": "class Config(object):\n    PONY = {'provider': 'mysql', 'dbname': 'test'}\n"}
    found = infer(tmp_path / "flask_pony", flask_pony)
    assert names(found) == {"Flask", "flask_pony", "PyMySQL"}
    assert [d.source for d in found.dependencies if d.name == "PyMySQL"] == ["Pony ORM provider 'mysql' in settings.py"]
    # plain Pony: db.bind(provider='postgres', ...) and Database('mysql') in a module that imports pony
    bind = infer(tmp_path / "bind", {"models.py": "from pony.orm import Database\ndb = Database()\n"
                                                  "db.bind(provider='postgres', user='u', database='d')\n"})
    assert names(bind) == {"pony", "psycopg2"}
    positional = infer(tmp_path / "positional", {"models.py": "from pony import orm\ndb = orm.Database('mysql', "
                                                              "host='localhost', user='u', passwd='p', db='d')\n"})
    assert names(positional) == {"pony", "PyMySQL"}
    # SQLite is the standard library's, and a 'provider' key in a module that has nothing to do with Pony
    # (an OAuth settings dict) names no database
    sqlite = infer(tmp_path / "sqlite", {"app.py": "from pony.orm import Database\ndb = Database()\n"
                                                   "db.bind(provider='sqlite', filename='db.sqlite', create_db=True)\n"})
    assert names(sqlite) == {"pony"}
    oauth = infer(tmp_path / "oauth", {"auth.py": "import requests\nSETTINGS = {'provider': 'mysql'}\n"})
    assert names(oauth) == {"requests"}


def test_a_url_library_on_an_engine_url_read_with_an_empty_default_gets_the_sqlite_driver(tmp_path):
    # FastAPI's "async SQL databases" page as a test app wrote it: FAPI_DATABASE_URL read with default="", handed to
    # databases.Database and create_engine; no database named anywhere, no dependency file: serve gives the URL a
    # SQLite file (engine_urls), which databases opens with aiosqlite
    app = {
        "core/config.py": """
            from starlette.config import Config

            config = Config(".env")
            DATABASE_URL = config("FAPI_DATABASE_URL", cast=str, default="")
            """,
        "db/base.py": """
            from databases import Database
            from sqlalchemy import create_engine, MetaData
            from core.config import DATABASE_URL

            database = Database(DATABASE_URL)
            metadata = MetaData()
            engine = create_engine(DATABASE_URL)
            metadata.create_all(engine)
            """,
        "main.py": "from fastapi import FastAPI\nfrom db.base import database\napp = FastAPI()\n",
    }
    found = infer(tmp_path, app)
    assert {"databases", "SQLAlchemy", "aiosqlite"} <= names(found)
    assert "SQLite file" in next(d.source for d in found.dependencies if d.name == "aiosqlite")
    # a URL of its own as the default (a PostgreSQL one): that database's driver, no SQLite one
    with_default = dict(app, **{"core/config.py": app["core/config.py"].replace(
        'default=""', 'default="postgresql://localhost/app"')})
    found = names(infer(tmp_path / "default", with_default))
    assert "asyncpg" in found and "aiosqlite" not in found


def test_a_django_apps_celery_tasks_py_is_app_code_but_invokes_tasks_py_is_not(tmp_path):
    # a 2025 Channels chat with no dependency file: chat/tasks.py (Celery tasks its views import) imports akismet at
    # the top; every tasks.py was read as invoke's build script, so akismet was never installed and every URL
    # answered 500 (ROOT_URLCONF imports the views, the views the tasks). invoke's tasks.py stays a build script.
    found = infer(tmp_path, {
        "manage.py": "import django\n",
        "chatproject/__init__.py": "", "chatproject/settings.py": "ROOT_URLCONF = 'chatproject.urls'\n",
        "chatproject/urls.py": "from chat import views\n",
        "chat/__init__.py": "",
        "chat/views.py": "from django.http import HttpResponse\nfrom chat import tasks\n",
        "chat/tasks.py": "from celery import shared_task\nfrom akismet import Akismet\n",
        "tasks.py": "from invoke import task\nimport boto3\n",
        "docs/tasks.py": "import sphinx_autobuild\n",
    })
    assert {"akismet", "celery"} <= names(found.dependencies)
    assert not {"invoke", "boto3", "sphinx-autobuild", "sphinx_autobuild"} & names(found.dependencies)


def test_an_unmapped_import_a_declared_client_distribution_is_named_after_is_not_reported_missing(tmp_path):
    # a 2022 FusionAuth example declares fusionauth-client and imports fusionauth, which no table maps
    declared = DeclaredDependencies((Dependency("fusionauth-client", ">=1.36.0", "requirements.txt"),
                                     Dependency("starlette", "", "requirements.txt")), ("requirements.txt",), True)
    project = Project(make_tree(tmp_path / "app", {
        "main.py": "from fusionauth.fusionauth_client import FusionAuthClient\nimport starlette\nimport shipyardzz\n"}))
    result = imports.infer(project, None, declared)
    assert names(result) == set()
    assert result.unresolved == ("shipyardzz (main.py)",)


def test_an_unmapped_add_on_of_the_apps_framework_is_added_where_only_a_declared_package_brings_it(tmp_path):
    # a 2023 Quart prototype: pyproject declares quart-uploads (which requires Quart), not Quart nor quart-db;
    # app.py imports quart and quart_db. quart_db is an add-on of the app's framework: quart-db
    from shipyard.detect import deps as deps_mod
    from shipyard.detect.findings import EntryFinding
    from shipyard.plan import Entry
    make_tree(tmp_path, {"app.py": "from quart import Quart\nfrom quart_db import QuartDB\nimport mystery_mod\n"
                                   "app = Quart(__name__)\n",
                         "pyproject.toml": '[tool.poetry]\nname = "x"\nversion = "0.1.0"\n\n'
                                           '[tool.poetry.dependencies]\npython = "^3.11"\nquart-uploads = "^0.0.1"\n'})
    project = Project(tmp_path)
    finding = EntryFinding("quart", Entry(module="app", attr="app", kind="attribute", interface="asgi"), ".")
    found = imports.infer(project, finding, deps_mod.declared(project), installed=False)
    added = {d.name: d for d in found.dependencies}
    assert "quart-db" in added, added
    assert "an add-on of quart, the app's framework" in added["quart-db"].source
    note = next(n for n in found.notes if n.startswith("imports that no table maps"))
    assert "mystery_mod" in note and "quart_db" not in note
    # with no entry found, no framework is the app's: quart_db stays unresolved, as before
    found = imports.infer(project, None, deps_mod.declared(project), installed=False)
    assert "quart-db" not in {d.name for d in found.dependencies}


def test_modules_of_the_folder_the_entry_puts_on_sys_path_are_the_apps_not_a_distribution(tmp_path):
    # a Dash app whose package sim/ imports its siblings as top-level names: the entry runs with sim/ on sys.path,
    # so `from utility import ...` is sim/utility.py, not the PyPI distribution that ships a module `utility`
    from shipyard.detect.findings import EntryFinding
    from shipyard.plan import Entry
    root = make_tree(tmp_path, {
        "app.py": "from main import app\nserver = app.server\n",
        "main.py": "import dash\napp = dash.Dash(__name__)\nfrom sim.planner import plan\n",
        "sim/__init__.py": "",
        "sim/planner.py": "from utility import coverage\nimport shapely\n",
        "sim/utility.py": "def coverage(): pass\n",
    })
    finding = EntryFinding("dash", Entry("app", "server", "attribute", "wsgi", import_folder="sim"), ".")
    found = imports.infer(Project(root), finding, NONE, python_exe=str(tmp_path / "no-python"))
    assert names(found) == {"dash", "shapely"}


def test_a_pydantic1_settings_class_reading_an_env_file_needs_python_dotenv(tmp_path):
    # pydantic v1 reads Config.env_file with python-dotenv, which it does not install: the settings fail when made
    found = infer(tmp_path, {"configs/dbinfo.py": """
        from pydantic import BaseSettings
        class Setting(BaseSettings):
            db_host: str
            class Config:
                env_file = ".env"
        """})
    assert names(found) == {"pydantic", "python-dotenv"}
    # no env file, or pydantic-settings' class (which installs python-dotenv itself): nothing more
    plain = infer(tmp_path / "plain", {"settings.py": """
        import pydantic
        from pydantic_settings import BaseSettings
        class A(pydantic.BaseSettings):
            x: str = ""
        class B(BaseSettings):
            class Config:
                env_file = ".env"
        """})
    assert "python-dotenv" not in names(plain)


def test_a_sanic_app_configuring_openapi_docs_needs_sanic_ext(tmp_path):
    # Sanic loads sanic-ext by itself when installed: the app sets OAS_* and never imports it (its /docs 404 without)
    found = infer(tmp_path, {"main.py": """
        from sanic import Sanic
        app = Sanic(__name__)
        app.config.update(dict(OAS_URL_PREFIX="/docs", OAS_UI_DEFAULT="swagger"))
        """})
    assert names(found) == {"sanic", "sanic-ext"}
    plain = infer(tmp_path / "plain", {"main.py": "from sanic import Sanic\napp = Sanic(__name__)\nOAS = 1\n"})
    assert names(plain) == {"sanic"}
