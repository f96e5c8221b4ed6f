"""The entry-point detector: one fixture app per lookup rule (tests/fixtures/apps/<case>/), the shipped
examples, and the import check run in a separate process with a short time limit."""

from __future__ import annotations

import dataclasses
import os
import json
import socket
import sys
import time

import pytest

from shipyard.detect import entry
from shipyard.detect.imports import distribution_for
from shipyard.errors import AmbiguousApp, AppCodeError, AppConfigError, AppLoadError, AppNotFound, MissingDependency, \
    GoneSubmodule, PythonTooNew, UnreadSyntax
from shipyard.project import Project

from conftest import EXAMPLES, FIXTURES, make_tree

APPS = FIXTURES / "apps"
PY = sys.executable
# Generous: importing Django or Dash on a loaded CI machine can take seconds; only the blocking test uses a short limit.
TIMEOUT = 30.0


def project(case: str) -> Project:
    return Project(APPS / case)


def find(case: str, override: str | None = None):
    return entry.find(project(case), override)


# --- static detection: exact entry, framework, workdir ---------------------------------------------

@pytest.mark.parametrize("case, target, framework, workdir, kind, interface", [
    # trap 1: app made in one module, routed in another
    ("split_routes", "run:app", "flask", ".", "attribute", "wsgi"),
    ("split_routes_no_entry", "pkg.views:app", "flask", ".", "attribute", "wsgi"),
    ("circular_views", "blog:app", "flask", ".", "attribute", "wsgi"),
    # trap 2: factories
    ("factory", "app:create_app()", "flask", ".", "factory", "wsgi"),
    ("factory_with_wsgi", "wsgi:app", "flask", ".", "attribute", "wsgi"),
    ("factory_delegates", "gallery.app:get_app()", "falcon", ".", "factory", "wsgi"),   # create_app(folder) needs one
    ("aiohttp_tuple_factory", "shortener.main:get_app()", "aiohttp", ".", "factory", "aiohttp"),  # init() -> (app, ..)
    # run.py's __main__ builds the app with its own init_app() (configure(), then the imported create_app())
    ("factory_wrapped_by_script", "run:init_app()", "flask", ".", "factory", "wsgi"),
    # server.py only imports make_app and calls it under __main__: the factory is named where it is defined
    ("factory_imported_by_script", "app.app:make_app()", "tornado", ".", "factory", "tornado"),
    # trap 3: servers at import (still the app object)
    ("run_at_import", "app:app", "flask", ".", "attribute", "wsgi"),
    ("serve_forever_at_import", "server:application", "wsgi", ".", "attribute", "wsgi"),
    ("guarded_run", "app:app", "flask", ".", "attribute", "wsgi"),
    # trap 4: decoys and virtualenvs skipped
    ("decoys", "main:app", "flask", ".", "attribute", "wsgi"),
    ("factory_test_module", "shop:create_app()", "flask", ".", "factory", "wsgi"),   # not test_app.py's
    ("hyphen_script", "hello-server:app", "flask", ".", "attribute", "wsgi"),
    # layouts
    ("src_layout", "myapp.app:app", "flask", "src", "attribute", "wsgi"),
    ("backend_subfolder", "app:app", "fastapi", "backend", "attribute", "asgi"),
    ("django_in_backend", "proj.wsgi:application", "django", "backend", "django", "wsgi"),
    # decoy-named folders the project itself names as its package (pyproject name, egg:, manage.py's settings)
    ("pyramid_tutorial_package", "tutorial:main", "pyramid", ".", "paste", "wsgi"),
    ("django_example_project", "example.wsgi:application", "django", ".", "django", "wsgi"),
    ("django_settings_beside_wsgi", "wsgi:application", "django", ".", "django", "wsgi"),
    # frameworks
    ("bottle_module_routes", "app:default_app()", "bottle", ".", "factory", "wsgi"),
    ("falcon_asgi", "asgi_app:app", "falcon", ".", "attribute", "asgi"),
    ("pyramid_configurator", "app:app", "pyramid", ".", "attribute", "wsgi"),
    ("pyramid_paste", "hello_pyramid:main", "pyramid", ".", "paste", "wsgi"),
    ("dash_app", "dashboard:server", "dash", ".", "attribute", "wsgi"),
    ("dash_with_flask_server", "app:server", "dash", ".", "attribute", "wsgi"),
    ("starlette_app", "main:app", "starlette", ".", "attribute", "asgi"),
    ("fastapi_mounted", "main:app", "fastapi", ".", "attribute", "asgi"),
    ("plain_wsgi", "hello:application", "wsgi", ".", "attribute", "wsgi"),
    ("plain_asgi", "asgi:app", "asgi", ".", "attribute", "asgi"),
])
def test_find(case, target, framework, workdir, kind, interface):
    found = find(case)
    assert (found.entry.target, found.framework, found.workdir, found.entry.kind, found.entry.interface) == \
        (target, framework, workdir, kind, interface)


@pytest.mark.parametrize("script, target", [
    # a launcher that only imports the factory (its dunders set nothing) names it where it is defined
    ("__version__ = '1.0'\nfrom shop.app import make_app\n\nif __name__ == '__main__':\n    make_app().run()\n",
     "shop.app:make_app()"),
    # one that sets something up first (configuration its import runs) is what a server must import
    ("import os\nos.environ.setdefault('SHOP_MODE', 'prod')\nfrom shop.app import make_app\n\n"
     "if __name__ == '__main__':\n    make_app().run()\n", "server:make_app()"),
])
def test_a_factory_a_script_only_imports_is_named_where_it_is_defined(tmp_path, script, target):
    make_tree(tmp_path, {"server.py": script, "shop/__init__.py": "",
                         "shop/app.py": "from flask import Flask\n\n\ndef make_app():\n    app = Flask(__name__)\n"
                                        "    app.add_url_rule('/', 'i', lambda: 'hi')\n    return app\n"})
    assert entry.find(Project(tmp_path), None).entry.target == target


def test_a_package_that_re_exports_a_factory_keeps_its_public_name(tmp_path):
    # task_manager/main/__init__.py: `from .web import create_app`, the name its README serves; no script
    make_tree(tmp_path, {"svc/__init__.py": "", "svc/main/__init__.py": "__all__ = ['create_app']\n\n"
                                                                        "from .web import create_app\n",
                         "svc/main/web.py": "from flask import Flask\n\n\ndef create_app():\n"
                                            "    app = Flask(__name__)\n"
                                            "    app.add_url_rule('/', 'i', lambda: 'hi')\n    return app\n"})
    assert entry.find(Project(tmp_path), None).entry.target == "svc.main:create_app()"


def test_django_settings_come_from_manage_py_when_wsgi_py_does_not_set_them():
    # and asgi.py, which every new Django project has, does not make the project ambiguous
    assert find("django_in_backend").entry.settings_module == "proj.settings"


def test_a_folder_the_project_names_is_its_package_not_a_decoy():
    found = find("pyramid_tutorial_package")
    assert found.entry.paste_ini == "production.ini"           # egg:tutorial, pyproject name "tutorial"
    assert find("django_example_project").entry.settings_module == "example.settings"   # manage.py names it


def test_django_settings_that_wsgi_py_names_but_the_project_lacks_come_from_manage_py():
    found = find("django_settings_beside_wsgi")
    assert found.entry.settings_module == "project.settings"
    assert "wsgi.py sets DJANGO_SETTINGS_MODULE=settings, which is not in the project" in found.notes[0]


def test_a_module_that_does_not_parse_but_does_not_hold_the_app_is_skipped_with_a_note():
    if sys.version_info >= (3, 14):
        pytest.skip("the fixture's syntax (unparenthesized except) parses on Python 3.14+")
    found = find("newer_python_syntax")
    assert found.entry.target == "app.main:app"
    assert "app/api/deps.py:5 (multiple exception types must be parenthesized)" in found.notes[0]
    assert "the app asks for Python >=3.99" in found.notes[0]


def test_django_settings_skip_an_empty_settings_package_for_the_module_manage_py_runs():
    # wsgi.py defaults to proj.settings (an empty __init__.py); manage.py to proj.settings.development
    found = find("django_settings_package_empty")
    assert (found.entry.target, found.entry.settings_module) == \
        ("proj.wsgi:application", "proj.settings.development")
    entry.confirm(project("django_settings_package_empty"), found, PY, TIMEOUT)


def test_paste_prefers_production_ini_and_needs_no_install_for_call():
    found = find("pyramid_paste")
    assert found.entry.paste_ini == "production.ini"
    assert found.notes == ()   # `use = call:...` works without installing the project


SANIC_SUBCLASS = """
    from sanic import Sanic
    from sanic.response import text


    async def home(request):
        return text("ok")


    class App(Sanic):
        def __init__(self):
            super().__init__("subclassed")
            self.add_route(home, "/")
    """


@pytest.mark.parametrize("run, target", [
    # only the script's __main__ block makes it: the class itself is the factory, named where it is defined
    # (run.py only imports it, as a server.py imports a create_app it calls)
    ("from app import App\n\nif __name__ == '__main__':\n    App().run(port=8080)\n", "app:App()"),
    # a factory that returns it (and may add to it), or a module-level instance, is the same app, and what the
    # project serves: not the bare class
    ("from app import App\n\n\ndef make_app():\n    return App()\n", "run:make_app()"),
    ("from app import App\n\n\ndef make_app():\n    app = App()\n    app.config.EXTRA = 1\n    return app\n",
     "run:make_app()"),
    ("from app import App\n\napplication = App()\n", "run:application"),
])
def test_a_framework_app_subclass_that_needs_no_argument_is_a_factory(tmp_path, run, target):
    make_tree(tmp_path, {"app.py": SANIC_SUBCLASS, "run.py": run})
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == (".", target), found
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)


@pytest.mark.parametrize("packaging", [
    {"setup.py": """
        from setuptools import setup, find_packages

        setup(name="todo", packages=find_packages(),
              entry_points={"paste.app_factory": ["main = src:main"]})
        """},
    {"setup.py": """
        from setuptools import setup

        setup(name="todo", packages=["src"], entry_points='''
            [paste.app_factory]
            main = src:main
            ''')
        """},
    {"setup.cfg": """
        [metadata]
        name = todo

        [options.entry_points]
        paste.app_factory =
            main = src:main
        """},
    {"pyproject.toml": """
        [project]
        name = "todo"

        [project.entry-points."paste.app_factory"]
        main = "src:main"
        """},
])
def test_a_paste_egg_loads_the_module_its_distributions_entry_point_names(tmp_path, packaging):
    # `use = egg:todo`, and the project's distribution todo declares `main = src:main`: the package is src, not a
    # package named todo
    make_tree(tmp_path, {
        **packaging,
        "src/__init__.py": """
            from pyramid.config import Configurator


            def main(global_config, **settings):
                with Configurator(settings=settings) as config:
                    config.add_route("home", "/")
                return config.make_wsgi_app()
            """,
        "development.ini": """
            [app:main]
            use = egg:todo

            [server:main]
            use = egg:waitress#main
            listen = localhost:6543
            """,
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.kind, found.entry.paste_ini) == (".", "paste", "development.ini"), found


def test_a_pyramid_main_that_unpacks_the_app_from_a_helper_returning_it_with_the_config(tmp_path):
    # `_main` returns `config.make_wsgi_app(), config` (the tests take both); `main` unpacks `wsgi, _ = _main(...)`
    make_tree(tmp_path, {
        "image_api/__init__.py": """
            from pyramid.config import Configurator


            def _main(global_config, **settings):
                config = Configurator(settings=settings)
                config.add_route("home", "/")
                config.add_view(lambda request: "hi", route_name="home", renderer="string")
                return config.make_wsgi_app(), config


            def main(global_config, **settings):
                wsgi, _ = _main(global_config, **settings)
                return wsgi
            """,
        "production.ini": "[app:main]\nuse = call:image_api:main\n\n[server:main]\nuse = egg:waitress#main\n"
                          "listen = *:8000\n",
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.entry.target, found.entry.kind, found.entry.paste_ini) == ("image_api:main", "paste",
                                                                             "production.ini"), found
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)


def test_a_package_main_that_calls_the_imported_factory_is_not_a_wrapper(tmp_path):
    # conduit/__main__.py imports create_app and runs it: the factory is container's; only a function the script
    # defines itself (run.py's init_app) outranks the factory it calls
    make_tree(tmp_path, {
        "conduit/__init__.py": "",
        "conduit/container.py": """
            from flask import Flask


            def create_app():
                app = Flask(__name__)

                @app.route("/")
                def home():
                    return "ok"

                return app
            """,
        "conduit/__main__.py": """
            from conduit.container import create_app

            if __name__ == "__main__":
                create_app().run()
            """,
    })
    found = entry.find(Project(tmp_path), None)
    assert found.entry.target == "conduit.container:create_app()", found.entry


@pytest.mark.parametrize("made", ["asyncio.run(create_app())",
                                  "asyncio.get_event_loop().run_until_complete(create_app())"])
def test_an_app_made_by_running_an_async_factory_at_import_is_the_modules_app(tmp_path, made):
    # my_app/asgi.py, which the README serves (hypercorn my_app.asgi:app), runs the async factory once at import:
    # its `app` is the app, not the factory it imports (which a server would call, and not await, again)
    make_tree(tmp_path, {
        "my_app/__init__.py": "",
        "my_app/application.py": """
            from quart import Quart


            async def create_app(**overrides):
                app = Quart(__name__)
                app.add_url_rule("/", "home", lambda: "ok")
                return app
            """,
        "my_app/asgi.py": f"""
            import asyncio

            from my_app.application import create_app

            app = {made}
            """,
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.entry.target, found.entry.kind) == ("my_app.asgi:app", "attribute")


def test_an_alembic_env_that_builds_the_app_is_not_the_entry(tmp_path):
    # alembic.ini's script_location is db/, not migrations/: its env.py makes `app = create_app()` to read the
    # database URL, a module-level app that would outrank the factory, yet it imports only under alembic
    make_tree(tmp_path, {
        "alembic.ini": "[alembic]\nscript_location = db/\n",
        "hello/__init__.py": "",
        "db/__init__.py": "",
        "hello/app.py": """
            from flask import Flask


            def create_worker(app=None):
                app = app or create_app()
                return {"app": app}


            def create_app(settings_override=None):
                app = Flask(__name__)
                app.add_url_rule("/", "home", lambda: "ok")
                return app


            worker = create_worker()
            """,
        "db/env.py": """
            from alembic import context

            from hello.app import create_app

            app = create_app()
            config = context.config
            """,
    })
    assert entry.find(Project(tmp_path), None).entry.target == "hello.app:create_app()"


@pytest.mark.parametrize("imported", ["from app.api.v1.views import bp", "from app.api.v1 import views; bp = views.bp"])
def test_a_namespace_package_whose_middle_folder_holds_only_folders_is_the_projects(tmp_path, imported):
    # app/ and app/api/ have no __init__.py and app/api/ holds only v1/: `from app.api.v1.views import bp` is
    # the project's own import, so the app runs from the root as app.main:app
    make_tree(tmp_path, {
        "app/main.py": f"""
            from flask import Flask

            {imported}

            app = Flask(__name__)
            app.register_blueprint(bp)
            """,
        "app/api/v1/views.py": """
            from flask import Blueprint

            bp = Blueprint("v1", __name__)


            @bp.route("/")
            def home():
                return "ok"
            """,
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == (".", "app.main:app"), found
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)


def test_a_package_init_importing_its_own_module_relatively_keeps_the_project_in_its_folder(tmp_path):
    # src/proj/__init__.py: `from .tasks import app as tasks_app` (Celery's Django layout) is relative to proj
    # itself, not to src/: the project runs from src/ (manage.py's folder), where `shop` imports as a top-level app
    make_tree(tmp_path, {
        "Pipfile": "[packages]\ndjango = '*'\n",
        "src/manage.py": """
            import os
            import sys

            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")
            from django.core.management import execute_from_command_line

            execute_from_command_line(sys.argv)
            """,
        "src/proj/__init__.py": "from .tasks import app as tasks_app\n\n__all__ = ('tasks_app',)\n",
        "src/proj/tasks.py": "app = object()\n",
        "src/proj/settings.py": """
            SECRET_KEY = "fixture-only"
            ROOT_URLCONF = "proj.urls"
            INSTALLED_APPS = ["django.contrib.contenttypes", "shop"]
            """,
        "src/proj/urls.py": """
            from django.urls import path

            from shop.views import home

            urlpatterns = [path("", home)]
            """,
        "src/proj/wsgi.py": """
            import os

            from django.core.wsgi import get_wsgi_application

            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")
            application = get_wsgi_application()
            """,
        "src/shop/__init__.py": "",
        "src/shop/views.py": """
            from django.http import HttpResponse


            def home(request):
                return HttpResponse("ok")
            """,
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == ("src", "proj.wsgi:application"), found
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)


def test_a_django_project_with_no_init_py_anywhere_runs_from_the_folder_its_settings_name_is_found_from(tmp_path):
    # a .gitignore that leaves out __init__.py: conf/ and the apps are namespace packages; manage.py and conf/wsgi.py
    # set `conf.settings`, which only the root finds (so do the apps INSTALLED_APPS names): conf.wsgi, run from the
    # root, not wsgi run from inside conf/ (where neither conf.settings nor shop imports)
    make_tree(tmp_path, {
        "requirements.txt": "Django\n",
        "manage.py": """
            import os
            import sys

            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")
            from django.core.management import execute_from_command_line

            execute_from_command_line(sys.argv)
            """,
        "conf/settings.py": """
            SECRET_KEY = "fixture-only"
            ROOT_URLCONF = "conf.urls"
            INSTALLED_APPS = ["django.contrib.contenttypes", "shop.apps.ShopConfig"]
            """,
        "conf/urls.py": """
            from django.urls import include, path

            urlpatterns = [path("", include("shop.urls"))]
            """,
        "conf/wsgi.py": """
            import os

            from django.core.wsgi import get_wsgi_application

            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")
            application = get_wsgi_application()
            """,
        "shop/apps.py": "from django.apps import AppConfig\n\n\nclass ShopConfig(AppConfig):\n    name = 'shop'\n",
        "shop/urls.py": "from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path('', views.home)]\n",
        "shop/views.py": "from django.http import HttpResponse\n\n\ndef home(request):\n    return HttpResponse('ok')\n",
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == (".", "conf.wsgi:application"), found
    assert found.entry.settings_module == "conf.settings"
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)


def test_the_import_check_gives_the_app_a_command_line_as_a_server_does(tmp_path):
    # settings that read sys.argv[1] (DigitalOcean's sample: a database is required unless it is 'collectstatic')
    # import under gunicorn or granian, whose command line names the app: so they do in the check
    make_tree(tmp_path, {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
        "mysite/__init__.py": "",
        "mysite/settings.py": """
            import sys

            SECRET_KEY = "fixture-only"
            ROOT_URLCONF = "mysite.urls"
            INSTALLED_APPS = ["django.contrib.contenttypes"]
            if sys.argv[1] != "collectstatic":
                DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}
            """,
        "mysite/urls.py": "urlpatterns = []\n",
        "mysite/wsgi.py": """
            import os

            from django.core.wsgi import get_wsgi_application

            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
            application = get_wsgi_application()
            """,
    })
    found = entry.find(Project(tmp_path), None)
    assert found.entry.target == "mysite.wsgi:application"
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)


def test_a_folder_importing_only_packages_above_it_runs_from_there(tmp_path):
    # app/ has no __init__.py; app/main.py imports api.routes (api/ a package at the root, none in app/), as
    # the root's main.py runs it: uvicorn.run("app.main:app"). From app/, `api` is not importable
    make_tree(tmp_path, {
        "main.py": """
            import uvicorn

            if __name__ == "__main__":
                uvicorn.run("app.main:app", reload=True)
            """,
        "app/main.py": """
            from fastapi import FastAPI

            from api.routes import router

            app = FastAPI()
            app.include_router(router)
            """,
        "api/__init__.py": "",
        "api/routes.py": """
            from fastapi import APIRouter

            router = APIRouter()


            @router.get("/")
            def home():
                return {"ok": True}
            """,
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == (".", "app.main:app")


def test_a_folder_importing_its_own_modules_by_top_level_name_stays_its_own_root(tmp_path):
    # app/main.py imports `database` (app/database.py) as a top-level name as well as `api` from the root: run
    # from the root it could not import database, so app/ stays where it runs from
    make_tree(tmp_path, {
        "app/main.py": """
            from fastapi import FastAPI

            import database
            from api.routes import router

            app = FastAPI()
            app.include_router(router)
            """,
        "app/database.py": "URL = 'sqlite://'\n",
        "api/__init__.py": "",
        "api/routes.py": """
            from fastapi import APIRouter

            router = APIRouter()
            """,
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == ("app", "main:app")


def test_a_factory_importing_its_folder_by_its_path_from_the_root_runs_from_the_root(tmp_path):
    # no __init__.py in src/ nor src/app/: the factory's own import (made when it is called) names the
    # module src.app.server.core, so src/app/asgi.py runs from the root as src.app.asgi, not from src/app/
    make_tree(tmp_path, {
        "src/app/asgi.py": """
            def create_app():
                from starlette.applications import Starlette
                from src.app.server.core import routes

                return Starlette(routes=routes)
            """,
        "src/app/server/core.py": """
            from starlette.responses import PlainTextResponse
            from starlette.routing import Route

            from src.app.config.base import GREETING


            async def home(request):
                return PlainTextResponse(GREETING)

            routes = [Route("/", home)]
            """,
        "src/app/config/base.py": "GREETING = 'ok'\n",
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == (".", "src.app.asgi:create_app()"), found
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)


def test_a_package_whose_modules_import_it_by_name_and_their_siblings_as_top_level_gets_both_on_sys_path(tmp_path):
    # app/main.py imports `from app.routes import`, app/routes.py `from views import` (app/views.py): it ran from
    # an IDE that puts the root and app/ on sys.path; neither folder alone imports it
    make_tree(tmp_path, {
        "app/__init__.py": "",
        "app/main.py": """
            from starlette.applications import Starlette

            from app.routes import routes

            app = Starlette(routes=routes)
            """,
        "app/routes.py": """
            from starlette.routing import Route

            from views import home

            routes = [Route("/", home)]
            """,
        "app/views.py": """
            from starlette.responses import PlainTextResponse


            async def home(request):
                return PlainTextResponse("ok")
            """,
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target, found.entry.import_folder) == (".", "app.main:app", "app"), found
    assert any("app/'s modules import the package by name" in n for n in found.notes)
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    # a standard library name is the standard library's, even with a file of that name in app/
    (tmp_path / "app" / "routes.py").write_text("import email\n\nroutes = []\n")
    (tmp_path / "app" / "email.py").write_text("")
    assert entry.find(Project(tmp_path), None).entry.import_folder is None


def test_a_package_init_importing_its_own_modules_as_top_level_names_gets_its_folder_on_sys_path_too(tmp_path):
    # Python 2's implicit relative import in a package's __init__.py: a 2014 Flask skeleton's create_app() does
    # `from bp_main import bp_main` for app/bp_main/ (its blueprints import relatively), run by manage.py; a 2019
    # template's src/__init__.py does `from mod_tmpl.views import tmpl` at import, run by run.py's `from src import
    # app`. Python 3 imports both with the package's folder on sys.path beside the root; the import proof passes
    make_tree(tmp_path, {
        "manage.py": """
            import os

            from app import create_app

            app = create_app(os.getenv("FLASK_CONFIG") or "default")
            """,
        "config.py": "config = {'default': object}\n",
        "app/__init__.py": """
            from flask import Flask

            from config import config


            def create_app(name):
                app = Flask(__name__)
                app.config.from_object(config[name])
                from bp_main import bp_main
                app.register_blueprint(bp_main)
                return app
            """,
        "app/models.py": "from . import create_app\n",
        "app/bp_main/__init__.py": """
            from flask import Blueprint

            bp_main = Blueprint("bp_main", __name__)

            from . import views
            """,
        "app/bp_main/views.py": """
            from . import bp_main


            @bp_main.route("/")
            def index():
                return "ok"
            """,
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target, found.entry.import_folder) == (".", "manage:app", "app"), found
    assert any("app/__init__.py imports its own modules as top-level names" in n for n in found.notes), found.notes
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)

    other = tmp_path / "template"
    make_tree(other, {
        "run.py": "from src import app\n\napp.run(debug=True)\n",
        "src/__init__.py": """
            from flask import Flask

            app = Flask(__name__)

            from mod_tmpl.views import tmpl

            app.register_blueprint(tmpl)
            """,
        "src/mod_tmpl/__init__.py": "",
        "src/mod_tmpl/views.py": """
            from flask import Blueprint

            tmpl = Blueprint("tmpl", __name__, url_prefix="/tmpl")


            @tmpl.route("/")
            def index():
                return "ok"
            """,
    })
    found = entry.find(Project(other), None)
    assert (found.workdir, found.entry.target, found.entry.import_folder) == (".", "src:app", "src"), found
    entry.confirm(Project(other), found, PY, TIMEOUT)
    # a package that puts its folder on sys.path itself needs nothing more
    (other / "src" / "__init__.py").write_text("import os, sys\nsys.path.insert(0, os.path.dirname(__file__))\n"
                                               + (other / "src" / "__init__.py").read_text())
    assert entry.find(Project(other), None).entry.import_folder is None


def test_a_wrapper_package_named_after_an_installed_one_is_not_a_reason_to_put_its_folder_on_sys_path(tmp_path):
    # utils/werkzeug/, the app's own wrappers of the installed werkzeug (imported as utils.werkzeug.…), import
    # `werkzeug.routing` (a name utils/werkzeug/ also has) and `werkzeug.exceptions` (which it does not): with
    # utils/ on sys.path its package would hide the installed one and that import would fail, so the app runs
    # from the root alone (an LLM app's utils/langchain/ beside `from langchain.chat_models import` was run with
    # utils/ on sys.path and failed: "cannot import 'langchain.chat_models'")
    make_tree(tmp_path, {
        "app.py": """
            from flask import Flask

            from utils.werkzeug.errors import not_found

            app = Flask(__name__)
            app.register_error_handler(404, not_found)
            """,
        "utils/__init__.py": "",
        "utils/werkzeug/__init__.py": "",
        "utils/werkzeug/errors.py": """
            from werkzeug.exceptions import NotFound
            from werkzeug.routing import Rule

            from utils.werkzeug.routing.rules import home_rule


            def not_found(error: NotFound):
                return "nothing here", 404
            """,
        "utils/werkzeug/routing/__init__.py": "",
        "utils/werkzeug/routing/rules.py": "home_rule = '/'\n",
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target, found.entry.import_folder) == (".", "app:app", None), found
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)


def test_a_route_module_nothing_imports_that_repeats_a_view_of_the_app_is_a_dead_copy_not_part_of_the_app(tmp_path):
    # app/__init__.py makes the app and imports app/routes.py; app/old_routes.py (imported by nothing) adds views
    # to the same app, one named as routes.py's `about`: importing it with the rest stops on Flask's "View
    # function mapping is overwriting an existing endpoint function", so the app never ran with it; run.py, which
    # the README runs, is the entry, not the copy that "registers every route" (a 2024 storefront)
    make_tree(tmp_path, {
        "run.py": """
            from app import app

            if __name__ == "__main__":
                app.run(port=8000, debug=True)
            """,
        "app/__init__.py": """
            from flask import Flask

            app = Flask(__name__)

            from app import routes
            """,
        "app/routes.py": """
            from app import app


            @app.route("/")
            def home():
                return "home"


            @app.route("/about")
            def about():
                return "about"
            """,
        "app/old_routes.py": """
            from app import app


            @app.route("/about_us")
            def about():
                return "about us"
            """,
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) in ((".", "run:app"), (".", "app:app")), found
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    # its own view names (no repeat): a module the app's routes are split into, which a right entry must import
    (tmp_path / "app" / "old_routes.py").write_text('from app import app\n\n\n@app.route("/about_us")\n'
                                                     'def about_us():\n    return "about us"\n')
    assert entry.find(Project(tmp_path), None).entry.target == "app.old_routes:app"


def test_routes_added_to_an_app_a_star_import_chain_brings_make_their_module_the_entry(tmp_path):
    # main.py makes the app; models.py does `from main import *`, forms.py `from models import *`, and app.py
    # `from forms import *`, then adds every route to that `app` and runs it under __main__ (`python app.py`, as
    # the README says: a 2024 weather app). main:app, where the app is made, serves no route at all
    make_tree(tmp_path, {
        "main.py": """
            from flask import Flask

            app = Flask(__name__)
            app.secret_key = "dev"
            """,
        "models.py": """
            from main import *


            class User:
                pass
            """,
        "forms.py": """
            from models import *


            class LoginForm:
                pass
            """,
        "app.py": """
            from forms import *


            @app.route("/")
            def index():
                return "home"


            @app.before_request
            def require_login():
                return None


            if __name__ == "__main__":
                app.run(host="0.0.0.0")
            """,
        "requirements.txt": "flask\n",
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == (".", "app:app"), found
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    # a module whose `__all__` leaves `app` out does not pass it on: app.py's `app` is then nothing it imports
    (tmp_path / "forms.py").write_text('from models import *\n\n__all__ = ["LoginForm"]\n\n\nclass LoginForm:\n'
                                       '    pass\n')
    found = entry.find(Project(tmp_path), None)
    assert found.entry.target == "main:app", found


def test_a_package_folder_whose_module_imports_a_sibling_subpackage_as_top_level_runs_from_that_folder(tmp_path):
    # app/app.py imports `from components import` (app/components/, a package whose __init__ imports its own
    # modules relatively): run as `cd app && gunicorn app:server`; the relative import stays inside components/
    # and does not need app/ to be a package
    make_tree(tmp_path, {
        "app/__init__.py": "",
        "app/app.py": """
            from flask import Flask

            from components import greeting

            app = Flask(__name__)
            server = app


            @app.route("/")
            def home():
                return greeting
            """,
        "app/components/__init__.py": "from .logo import greeting\n",
        "app/components/logo.py": "greeting = 'ok'\n",
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == ("app", "app:app"), found
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    # app/wsgi.py's `from app import app` (`cd app && gunicorn wsgi:app`) takes the app from its sibling app/app.py,
    # which the package app/ (its __init__.py empty) does not have: no reason to run from the root as app.app
    make_tree(tmp_path, {"app/wsgi.py": "from app import app\n"})
    assert entry.find(Project(tmp_path), None).workdir == "app"
    make_tree(tmp_path, {"app/__init__.py": "app = None\n"})
    assert entry.find(Project(tmp_path), None).workdir == "."
    (tmp_path / "app" / "wsgi.py").unlink()
    (tmp_path / "app" / "__init__.py").write_text("")
    # a relative import that reaches app/ itself (`from .components import` in app/app.py) needs the package
    (tmp_path / "app" / "app.py").write_text("from flask import Flask\nfrom .components import greeting\n"
                                             "from components import greeting\napp = Flask(__name__)\n")
    assert entry.find(Project(tmp_path), None).workdir == "."


def test_a_package_folder_whose_module_imports_a_sibling_namespace_package_runs_from_that_folder(tmp_path):
    # src/__init__.py, and src/main.py's `from routes import user` names src/routes/, a folder of modules with no
    # __init__.py (a namespace package), as do its own imports (`from models.User import User`): the README says
    # run it under src (`cd src && uvicorn main:app`). Before, src/ read as a package run from the root
    # (src.main:app), whose import of `routes` fails there
    make_tree(tmp_path, {
        "src/__init__.py": "",
        "src/main.py": """
            from fastapi import FastAPI
            from routes import user

            app = FastAPI()
            app.include_router(user.router)
            """,
        "src/routes/user.py": """
            from fastapi import APIRouter
            from models.User import User

            router = APIRouter(prefix="/users")


            @router.get("")
            def who() -> dict:
                return {"name": User.name}
            """,
        "src/models/User.py": "class User:\n    name = 'vishal'\n",
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == ("src", "main:app"), found
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    # a folder named like the import that holds no module (templates only) is no package to import from there
    (tmp_path / "src" / "main.py").write_text("from fastapi import FastAPI\nfrom page import views\napp = FastAPI()\n")
    make_tree(tmp_path, {"src/page/index.html": "<p>hi</p>\n"})
    assert entry.find(Project(tmp_path), None).workdir == "."


def test_a_subpackages_own_relative_imports_leave_its_folder_the_import_root_of_flat_modules(tmp_path):
    # root/ has an __init__.py, its modules import each other as top-level names (`cd root && python manage.py`),
    # and only root/models/__init__.py imports relatively, its own submodules: that kept root/ a package run
    # from the repository, whose app_init (made the app, no routes) won over app.py, which adds every resource
    make_tree(tmp_path, {
        "__init__.py": "",
        "root/__init__.py": "",
        "root/app_init.py": """
            from flask import Flask

            app = Flask(__name__)
            """,
        "root/app.py": """
            from flask_restful import Api

            from app_init import app
            from models import User

            api = Api(app)
            api.add_resource(User, "/users")
            """,
        "root/models/__init__.py": "from .user import User\n",
        "root/models/user.py": "class User:\n    pass\n",
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == ("root", "app:app"), found
    # a module of root/ importing the package relatively (`from .config import`) keeps it a package
    (tmp_path / "root" / "app_init.py").write_text("from flask import Flask\nfrom .config import X\n\n"
                                                   "app = Flask(__name__)\n")
    (tmp_path / "root" / "config.py").write_text("X = 1\n")
    assert entry.find(Project(tmp_path), None).workdir == "."


def test_a_python2_package_run_with_its_folder_and_the_root_on_sys_path_says_it_is_python2(tmp_path):
    # `gunicorn --pythonpath api app:api`: api/app.py imports `middlewares` (api/middlewares/) top-level, and a
    # deeper module imports `api.models` from the root, so both folders go on sys.path; middlewares/__init__.py's
    # `import auth` is Python 2's implicit relative import, which no folder makes work on Python 3
    make_tree(tmp_path, {
        "api/__init__.py": "",
        "api/app.py": "from flask import Flask\n\nimport middlewares\n\napp = Flask(__name__)\n",
        "api/middlewares/__init__.py": "import auth\n",
        "api/middlewares/auth.py": "",
        "api/hooks/__init__.py": "",
        "api/hooks/check.py": "from api.models import token\n",
        "api/models/__init__.py": "",
        "api/models/token.py": "",
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target, found.entry.import_folder) == (".", "api.app:app", "api"), found
    with pytest.raises(AppCodeError, match=r"`import auth` is Python 2's implicit relative import "
                                           r"\(api/middlewares/auth.py is beside it"):
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    # the same import in a module that is not a package's __init__ is a question of the folder it runs from
    from shipyard.detect.entry.proof import _implicit_relative
    (tmp_path / "api" / "middlewares" / "other.py").write_text("import auth\n")
    assert _implicit_relative(Project(tmp_path), ".", "auth", "api/middlewares/__init__.py:1") == \
        "api/middlewares/auth.py"
    assert _implicit_relative(Project(tmp_path), "api", "auth", "middlewares/__init__.py:1") == \
        "api/middlewares/auth.py"
    assert _implicit_relative(Project(tmp_path), ".", "auth", "api/middlewares/other.py:1") is None


def test_the_proof_imports_what_every_server_imports_before_the_app(tmp_path):
    # `import logging` then logging.config.dictConfig(...) at import: logging.config is a submodule that only an
    # import of it loads, and gunicorn, uvicorn and hypercorn all import it before the app; the proof does too
    make_tree(tmp_path, {
        "app/__init__.py": "",
        "app/main.py": """
            import logging

            from flask import Flask

            logging.config.dictConfig({"version": 1, "disable_existing_loggers": False})
            app = Flask(__name__)
            """,
    })
    found = entry.find(Project(tmp_path), None)
    assert found.entry.target == "app.main:app"
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)


def test_an_app_left_in_the_package_the_main_app_takes_its_routers_from_is_a_leftover(tmp_path):
    # a course project: main.py includes the routers of routers/, where one lesson's module still makes a FastAPI
    # app of its own that nothing imports; the app built from that package is the project's
    router = "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.get('/')\ndef index():\n    return []\n"
    make_tree(tmp_path, {
        "main.py": "from fastapi import FastAPI\n\nfrom routers import products, users\n\napp = FastAPI()\n"
                   "app.include_router(products.router)\napp.include_router(users.router)\n",
        "routers/products.py": router,
        "routers/users.py": router,
        "routers/basic_auth.py": "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/me')\n"
                                 "def me():\n    return {}\n",
    })
    assert entry.find(Project(tmp_path), None).entry.target == "main:app"
    # two apps, neither built from the other's folder: still a question
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "service.py").write_text("from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
                                                  "@app.get('/')\ndef home():\n    return {}\n")
    with pytest.raises(AmbiguousApp):
        entry.find(Project(tmp_path), None)


def test_an_app_whose_relative_paths_are_written_from_above_its_import_root_runs_from_there(tmp_path):
    # src/app.py imports its sibling flat (src/ is its import root) but opens 'src/data/palette.json' and loads
    # templates from 'src/pages': its author runs `python src/app.py` from the root
    make_tree(tmp_path, {
        "src/app.py": """
            from aiohttp import web

            import palette


            async def index(request):
                return web.Response(text=str(len(palette.COLOURS)))


            def init():
                app = web.Application()
                app.router.add_get("/", index)
                app["templates"] = "src/pages"
                return app
            """,
        "src/palette.py": """
            import json

            with open("src/data/palette.json") as f:
                COLOURS = json.load(f)
            """,
        "src/data/palette.json": "[1, 2, 3]\n",
        "src/pages/index.html": "<p>hi</p>\n",
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target, found.entry.import_folder) == (".", "app:init()", "src"), found
    assert any("src/app.py names 'src/data/palette.json', 'src/pages' relative to ./" in n for n in found.notes)
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)     # palette.py opens its file from the root
    # written from src/ itself ('data/palette.json'): it runs from src/, as before
    (tmp_path / "src" / "palette.py").write_text('import json\n\nwith open("data/palette.json") as f:\n'
                                                 '    COLOURS = json.load(f)\n')
    (tmp_path / "src" / "app.py").write_text((tmp_path / "src" / "app.py").read_text().replace("src/pages", "pages"))
    again = entry.find(Project(tmp_path), None)
    assert (again.workdir, again.entry.import_folder) == ("src", None), again


def test_of_two_flask_apps_app_py_is_the_one_flask_run_serves(tmp_path):
    # a tutorial's app.py beside the hello.py it started from, no FLASK_APP anywhere: `flask run` imports app.py
    hello = "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\ndef hello():\n    return 'hi'\n"
    make_tree(tmp_path, {
        "hello.py": hello,
        "app.py": hello.replace("def hello", "def index"),
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == (".", "app:app"), found
    assert any("`flask run` serves where no FLASK_APP names one" in n and "hello:app" in n for n in found.notes)
    # wsgi.py comes first, as in Flask's CLI
    (tmp_path / "wsgi.py").write_text(hello.replace("def hello", "def home"))
    assert entry.find(Project(tmp_path), None).entry.target == "wsgi:app"
    # neither module is one `flask run` looks for: still a question
    (tmp_path / "wsgi.py").unlink()
    (tmp_path / "app.py").rename(tmp_path / "main.py")
    with pytest.raises(AmbiguousApp):
        entry.find(Project(tmp_path), None)
    # nor when an app is not Flask's (the flask CLI does not serve it)
    (tmp_path / "main.py").rename(tmp_path / "app.py")
    (tmp_path / "hello.py").write_text("from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
                                       "@app.get('/')\ndef hello():\n    return {}\n")
    with pytest.raises(AmbiguousApp):
        entry.find(Project(tmp_path), None)


def test_of_two_flask_apps_in_a_package_folder_its_app_py_is_the_one_flask_run_serves(tmp_path):
    # a Flask-Admin tryout: board/ has an __init__.py making one app, app.py making its own and app2.py re-using the
    # package's; `flask run` in board/ imports app.py as board.app (Flask's CLI walks up to the package): "found 2 apps"
    app = "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\ndef index():\n    return 'hi'\n"
    make_tree(tmp_path, {
        "board/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n\n\ndef create_app():\n    return app\n",
        "board/app.py": app,
        "board/app2.py": "from board import create_app\n\napp = create_app()\n\n\n@app.route('/')\ndef home():\n"
                        "    return 'hi'\n",
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == (".", "board.app:app"), found
    assert any("`flask run` serves where no FLASK_APP names one" in n and "board.app2:app" in n for n in found.notes)
    # a module of another folder among them: Flask's CLI, run in board/, would not see it; still a question
    make_tree(tmp_path, {"other/__init__.py": "", "other/web.py": app})
    with pytest.raises(AmbiguousApp):
        entry.find(Project(tmp_path), None)


@pytest.mark.parametrize("wrapped", [
    "from dj_static import Cling\napplication = Cling(get_wsgi_application())",           # a 2019 Heroku blog
    "from whitenoise.django import DjangoWhiteNoise\napplication = DjangoWhiteNoise(get_wsgi_application())",
])
def test_a_django_app_wrapped_where_it_is_made_is_the_entry(tmp_path, wrapped):
    # no name holds get_wsgi_application()'s app but the wrapper's result: "no web app found" before
    make_tree(tmp_path, {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'blog.settings')\n",
        "blog/__init__.py": "",
        "blog/settings.py": "SECRET_KEY = 'x'\n",
        "blog/wsgi.py": "import os\n\nfrom django.core.wsgi import get_wsgi_application\n"
                        f"{wrapped}\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'blog.settings')\n",
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.entry.target, found.entry.settings_module) == ("blog.wsgi:application", "blog.settings"), found


@pytest.mark.parametrize("settings_file, named", [
    ("site/settings.py", "site.wsgi.application"),                     # startproject's wsgi.py
    ("site/settings.py", "site.deploy.application"),                   # the platform's file, named by the settings
    ("site/settings/base.py", "site.wsgi.application"),                # a settings package's base, star-imported
])
def test_of_two_django_wsgi_modules_the_one_the_settings_name_is_the_entry(tmp_path, settings_file, named):
    # a PythonAnywhere portfolio: its WSGI file (deploy.py: sets the settings, wraps the app in whitenoise) beside
    # startproject's wsgi.py; "found 2 apps" before. WSGI_APPLICATION says which one Django serves
    package = settings_file.endswith("base.py")
    make_tree(tmp_path, {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n",
        "site/__init__.py": "",
        **({"site/settings/__init__.py": "from .base import *\n"} if package else {}),
        settings_file: f"SECRET_KEY = 'x'\nWSGI_APPLICATION = '{named}'\n",
        "site/wsgi.py": "import os\nfrom django.core.wsgi import get_wsgi_application\n"
                        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n"
                        "application = get_wsgi_application()\n",
        "site/deploy.py": "import os\nfrom django.core.wsgi import get_wsgi_application\n"
                          "from whitenoise.django import DjangoWhiteNoise\n"
                          "os.environ['DJANGO_SETTINGS_MODULE'] = 'site.settings'\n"
                          "application = DjangoWhiteNoise(get_wsgi_application())\n",
    })
    found = entry.find(Project(tmp_path), None)
    assert found.entry.target == named.replace(".application", ":application"), found


def test_two_django_wsgi_modules_the_settings_do_not_tell_apart_stay_a_question(tmp_path):
    make_tree(tmp_path, {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n",
        "site/__init__.py": "",
        "site/settings.py": "SECRET_KEY = 'x'\n",
        **{f"site/{name}.py": "import os\nfrom django.core.wsgi import get_wsgi_application\n"
                              "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n"
                              "application = get_wsgi_application()\n" for name in ("wsgi", "deploy")},
    })
    with pytest.raises(AmbiguousApp):
        entry.find(Project(tmp_path), None)


def test_a_factorys_app_given_to_an_extension_under_another_name_stays_the_factorys(tmp_path):
    # `socketio = SocketIO(create_app())`: a SocketIO object, not a WSGI app; the factory is the entry
    make_tree(tmp_path, {
        "chat/__init__.py": "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n"
                            "    app.add_url_rule('/', 'i', lambda: 'hi')\n    return app\n",
        "run.py": "from flask_socketio import SocketIO\n\nfrom chat import create_app\n\n"
                  "socketio = SocketIO(create_app())\n",
    })
    assert entry.find(Project(tmp_path), None).entry.target != "run:socketio"


def test_of_two_apps_the_one_whose_framework_the_requirements_declare_is_the_entry(tmp_path):
    # a Django course API with a FastAPI websocket chat left in one of its apps; requirements list Django, not FastAPI
    make_tree(tmp_path, {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
        "config/__init__.py": "",
        "config/settings.py": "SECRET_KEY = 'x'\nROOT_URLCONF = 'config.urls'\n",
        "config/urls.py": "urlpatterns = []\n",
        "config/wsgi.py": "import os\n\nfrom django.core.wsgi import get_wsgi_application\n\n"
                          "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n"
                          "application = get_wsgi_application()\n",
        "apps/__init__.py": "",
        "apps/chat/__init__.py": "",
        "apps/chat/chat.py": "from fastapi import FastAPI\n\nchat = FastAPI()\n\n\n@chat.websocket('/ws/{n}')\n"
                             "async def ws(websocket, n: int):\n    await websocket.accept()\n",
        "requirements/prod.txt": "Django==4.2.2\ndjangorestframework==3.14.0\n",
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == (".", "config.wsgi:application"), found
    # both declared: still a question
    (tmp_path / "requirements" / "prod.txt").write_text("Django==4.2.2\nfastapi\n")
    with pytest.raises(AmbiguousApp):
        entry.find(Project(tmp_path), None)
    # a plugin of a framework is a use of it (Flask-SocketIO), as it is for the framework's own name
    (tmp_path / "requirements" / "prod.txt").write_text("django-environ\nuvicorn\n")
    assert entry.find(Project(tmp_path), None).entry.target == "config.wsgi:application"


def test_a_dot_slash_path_written_from_above_the_import_root_runs_from_there(tmp_path):
    # app/main.py (no __init__.py: app/ is its import root) loads Jinja2Templates(directory="./app/templates"), as
    # its Dockerfile runs `uvicorn app.main:app` from the root: './' is still relative to the root, not to app/
    make_tree(tmp_path, {
        "app/main.py": """
            from fastapi import FastAPI
            from fastapi.templating import Jinja2Templates

            app = FastAPI()
            templates = Jinja2Templates(directory="./app/templates")


            @app.get("/")
            def hello():
                return {}
            """,
        "app/templates/hello.html": "<p>hi</p>\n",
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target, found.entry.import_folder) == (".", "main:app", "app"), found
    # written from app/ itself ('./templates'): it runs from app/, as before
    (tmp_path / "app" / "main.py").write_text((tmp_path / "app" / "main.py").read_text().replace("./app/", "./"))
    again = entry.find(Project(tmp_path), None)
    assert (again.workdir, again.entry.import_folder) == ("app", None), again


@pytest.mark.parametrize("load,example,missing", [
    ("app.config.from_object('app.local_settings')", "app/local_settings_example.py", "app/local_settings.py"),
    ("from app import local_settings", "app/local_settings_example.py", "app/local_settings.py"),
    # app/config/ holds only example.py, the README's `cp app/config/example.py app/config/main.py`
    ("from app.config.main import SECRET_KEY", "app/config/example.py", "app/config/main.py")])
def test_a_settings_module_shipped_only_as_its_example_is_a_setup_step(tmp_path, load, example, missing):
    # the README says `cp app/local_settings_example.py app/local_settings.py`: the import fails for a file the user
    # makes, and the one line says which copy to make, as configuration (inspect keeps the entry, not proven)
    make_tree(tmp_path, {
        "app/__init__.py": f"""
            from flask import Flask

            app = Flask(__name__)
            {load}


            @app.route("/")
            def home():
                return "ok"
            """,
        example: "SECRET_KEY = 'change me'\n",
        "wsgi.py": "from app import app\n",
    })
    found = entry.find(Project(tmp_path), None)
    with pytest.raises(AppConfigError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    assert f"needs {missing}, which the project ships only as its example {example}" in failed.value.message
    assert f"cp {example} {missing}" in failed.value.hint


@pytest.mark.parametrize("ignore", ["secret.py\n", "venv/\n/pkg/secret.py\n", ""])
def test_a_module_of_the_package_kept_out_of_git_is_a_setup_step(tmp_path, ignore):
    # `from pkg.secret import SECRET_KEY` in pkg/__init__.py, secret.py in .gitignore and no example of it: the
    # package imports fine from here, so the one line names the file to write and what it must hold (inspect
    # keeps the entry, not proven), not "not importable from there"
    make_tree(tmp_path, {
        "pkg/__init__.py": """
            from flask import Flask
            from pkg.secret import SECRET_KEY

            app = Flask(__name__)
            app.config["SECRET_KEY"] = SECRET_KEY
            """,
        "app.py": "from pkg import app\n",
        ".gitignore": ignore,
    })
    found = entry.find(Project(tmp_path), None)
    assert found.entry.target == "app:app"
    with pytest.raises(AppConfigError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    assert "needs pkg/secret.py, which is not in the project" in failed.value.message
    assert ("(.gitignore keeps it out of git)" in failed.value.message) == bool(ignore)
    assert failed.value.hint.startswith("write pkg/secret.py with SECRET_KEY")


@pytest.mark.parametrize("ignore", ["config/README.md\n", "/config/\n", ""])
def test_a_package_of_the_authors_that_git_never_had_is_a_setup_step(tmp_path, ignore):
    # `from config.keys import Keys` with no config/ in the project, and a .gitignore naming config/ or a file in
    # it: the author's own folder (their keys), not a package to install; inspect keeps the entry, not proven.
    # With no .gitignore saying so, it stays a missing package
    make_tree(tmp_path, {
        "app.py": """
            from flask import Flask
            from config.keys import Keys

            app = Flask(__name__)
            app.config["SECRET_KEY"] = Keys.secret
            """,
        ".gitignore": ".DS_Store\n" + ignore,
    })
    found = entry.find(Project(tmp_path), None)
    assert found.entry.target == "app:app"
    if not ignore:
        with pytest.raises(MissingDependency) as missing:
            entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
        assert not isinstance(missing.value, AppConfigError)
        return
    with pytest.raises(AppConfigError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    assert ("needs config/keys.py, which is not in the project (the .gitignore names config/, a folder of the "
            "author's that git does not have)") in failed.value.message
    assert failed.value.hint == "write config/keys.py with Keys, and run again"


@pytest.mark.parametrize("load", ["app.config.from_pyfile('config.cfg')",
                                  "app.config.update(json.load(open('pkg/config.cfg')))"])
def test_a_config_file_kept_out_of_git_is_a_setup_step(tmp_path, load):
    # Flask's from_pyfile/from_json, or the app's own open(), on a config file .gitignore lists: the one line
    # names the file to write (inspect keeps the entry, not proven), not a FileNotFoundError to debug
    make_tree(tmp_path, {
        "pkg/__init__.py": f"""
            import json
            from flask import Flask

            app = Flask(__name__)
            {load}
            """,
        "run.py": "from pkg import app\n",
        ".gitignore": "*.db\npkg/config.cfg\n",
    })
    found = entry.find(Project(tmp_path), None)
    with pytest.raises(AppConfigError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    assert "needs pkg/config.cfg, which is not in the project (.gitignore keeps it out of git)" \
        in failed.value.message
    assert failed.value.hint.startswith("write pkg/config.cfg with")


def test_a_settings_folder_kept_out_of_git_that_a_library_says_does_not_exist_is_a_setup_step(tmp_path):
    # envdir.open('.envdir') raising its own error ("envdir '/…/.envdir' does not exist"), not FileNotFoundError,
    # on a folder the .gitignore names as `.envdir/` (a 2019 Django app whose README lists the files to write)
    make_tree(tmp_path, {
        "app.py": """
            import os

            from flask import Flask


            class Missing(Exception):
                pass


            folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".envdir")
            if not os.path.isdir(folder):
                raise Missing(f"envdir '{folder}' does not exist", 111)
            app = Flask(__name__)
            """,
        ".gitignore": "*.log\n.envdir/\n",
    })
    found = entry.find(Project(tmp_path), None)
    with pytest.raises(AppConfigError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    assert "needs .envdir, which is not in the project (.gitignore keeps it out of git)" in failed.value.message
    assert failed.value.hint.startswith("write .envdir with")


def test_a_variable_a_client_library_reads_at_import_is_named_as_one_to_set(tmp_path):
    # openai's client made at import (`client = OpenAI()`): the package reads OPENAI_API_KEY, the app's code never
    # names it; its error asks for the variable, which is a setting the user gives (a 2025 CrewAI app), not a fault
    # in the code to fix
    lib, app = tmp_path / "site", tmp_path / "app"     # the package installed, outside the project
    make_tree(lib, {
        "client_lib.py": """
            import os


            class ClientError(Exception):
                pass


            def Client():
                if not os.environ.get("EXAMPLE_API_KEY"):
                    raise ClientError("The api_key client option must be set either by passing api_key to the "
                                      "client or by setting the EXAMPLE_API_KEY environment variable")
                return object()
            """})
    make_tree(app, {
        "app.py": """
            from flask import Flask

            from client_lib import Client

            client = Client()
            app = Flask(__name__)
            """,
    })
    found = entry.find(Project(app), None)
    environ = {k: v for k, v in os.environ.items() if k != "EXAMPLE_API_KEY"} | {"PYTHONPATH": str(lib)}
    with pytest.raises(AppConfigError) as failed:
        entry.confirm(Project(app), found, PY, TIMEOUT, environ=environ)
    assert "needs the variable EXAMPLE_API_KEY, which a package it uses reads and which is not set" \
        in failed.value.message
    assert failed.value.variables == ("EXAMPLE_API_KEY",)
    assert failed.value.hint.startswith("set EXAMPLE_API_KEY (export EXAMPLE_API_KEY=")
    entry.confirm(Project(app), found, PY, TIMEOUT, environ={**environ, "EXAMPLE_API_KEY": "k"})


def test_a_variable_a_client_library_offers_instead_of_its_key_is_an_alternative_not_a_second_one_to_set(tmp_path):
    # voyageai's Client() at import: "...or set the environment variable VOYAGE_API_KEY=<API-KEY>). If your API key is
    # stored in a file, ... or set the environment variable VOYAGE_API_KEY_PATH=<PATH>" (a 2024 RAG app): the key
    # is needed, the path is another way to give it; setting both (to a file that does not exist) is wrong advice
    lib, app = tmp_path / "site", tmp_path / "app"     # the package installed, outside the project
    make_tree(lib, {
        "client_lib.py": """
            import os


            class AuthenticationError(Exception):
                pass


            def Client():
                if not os.environ.get("EXAMPLE_API_KEY") and not os.environ.get("EXAMPLE_API_KEY_PATH"):
                    raise AuthenticationError(
                        "No API key provided. You can set your API key in code using 'client_lib.api_key = <KEY>', "
                        "or set the environment variable EXAMPLE_API_KEY=<KEY>). If your API key is stored in a "
                        "file, you can point the module at it with 'client_lib.api_key_path = <PATH>', or set the "
                        "environment variable EXAMPLE_API_KEY_PATH=<PATH>.")
                return object()
            """,
        "both_lib.py": """
            import os


            def Client():
                if not os.environ.get("EXAMPLE_ID") or not os.environ.get("EXAMPLE_SECRET"):
                    raise RuntimeError("set the EXAMPLE_ID and EXAMPLE_SECRET environment variables, or pass them")
                return object()
            """})
    make_tree(app, {
        "app.py": """
            from flask import Flask

            from client_lib import Client

            client = Client()
            app = Flask(__name__)
            """,
    })
    found = entry.find(Project(app), None)
    environ = {k: v for k, v in os.environ.items() if not k.startswith("EXAMPLE_")} | {"PYTHONPATH": str(lib)}
    with pytest.raises(AppConfigError) as failed:
        entry.confirm(Project(app), found, PY, TIMEOUT, environ=environ)
    assert "needs the variable EXAMPLE_API_KEY (or EXAMPLE_API_KEY_PATH), which a package it uses reads" \
        in failed.value.message
    assert failed.value.variables == ("EXAMPLE_API_KEY",)
    assert failed.value.hint.startswith("set EXAMPLE_API_KEY (export EXAMPLE_API_KEY=")
    entry.confirm(Project(app), found, PY, TIMEOUT, environ={**environ, "EXAMPLE_API_KEY": "k"})
    # two names joined by "and" are both needed
    (app / "app.py").write_text("from flask import Flask\n\nfrom both_lib import Client\n\nclient = Client()\n"
                                "app = Flask(__name__)\n")
    with pytest.raises(AppConfigError) as failed:
        entry.confirm(Project(app), entry.find(Project(app), None), PY, TIMEOUT, environ=environ)
    assert failed.value.variables == ("EXAMPLE_ID", "EXAMPLE_SECRET")
    assert "needs the variable EXAMPLE_ID and EXAMPLE_SECRET, which" in failed.value.message


def test_a_missing_file_git_does_not_ignore_stays_the_app_s_error(tmp_path):
    make_tree(tmp_path, {
        "app.py": """
            from flask import Flask

            app = Flask(__name__)
            app.config.from_pyfile('config.cfg')
            """,
    })
    found = entry.find(Project(tmp_path), None)
    with pytest.raises(AppLoadError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    assert not isinstance(failed.value, AppConfigError) and "FileNotFoundError" in failed.value.message


def test_a_module_elsewhere_in_the_project_is_still_a_folder_question(tmp_path):
    # the module exists, one folder down: running from the wrong folder, as before
    make_tree(tmp_path, {
        "src/pkg/__init__.py": "",
        "src/pkg/views.py": "X = 1\n",
        "pkg/__init__.py": "",
        "app.py": """
            from flask import Flask
            from pkg.views import X

            app = Flask(__name__)
            """,
    })
    found = entry.find(Project(tmp_path), None)
    with pytest.raises(AppLoadError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    assert "not importable from there" in failed.value.message


def test_a_config_module_of_a_package_shipped_only_as_its_example_is_a_setup_step(tmp_path):
    # `from app import config` in app/main.py, the README saying `cp app/config.py.example app/config.py`: Python
    # says "cannot import name 'config' from 'app' (.../app/__init__.py)", with no "module" before the name
    make_tree(tmp_path, {
        "app/__init__.py": "",
        "app/main.py": """
            from flask import Flask

            from app import config

            app = Flask(__name__)
            app.config["SECRET_KEY"] = config.JWT_KEY
            """,
        "app/config.py.example": "JWT_KEY = 'JWT_KEY_PLACEHOLDER'\n",
    })
    found = entry.find(Project(tmp_path), None)
    assert found.entry.target == "app.main:app"
    with pytest.raises(AppConfigError) as failed:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    assert "needs app/config.py, which the project ships only as its example app/config.py.example" \
        in failed.value.message
    assert "cp app/config.py.example app/config.py" in failed.value.hint
    # the plan keeps that hint, for serve's one line (it said "start what it connects to" instead)
    from shipyard.environments import Environment
    from shipyard.proving import _failed
    proof = _failed(Project(tmp_path), failed.value, Environment(PY, "test", "app"), (), "3.12")
    assert not proof.proven and "cp app/config.py.example app/config.py" in proof.hint


def test_paste_takes_the_deployable_ini_over_development_and_test_ones(tmp_path):
    """No production.ini: app.ini (a name with no purpose, a [server:main]) over development.ini (which pulls
    pyramid_debugtoolbar), local-dev.ini and testing.ini; a fragment without a server section after it; a
    production name first. The import proof loads the chosen one."""
    app_ini = "[app:main]\nuse = call:portal:main\n\n[server:main]\nuse = egg:waitress#main\nport = 5000\n"
    dev_ini = app_ini.replace("use = call:portal:main\n", "use = call:portal:main\npyramid.includes = pyramid_debugtoolbar\n")
    make_tree(tmp_path, {
        "portal/__init__.py": "from pyramid.config import Configurator\n\n\ndef main(global_config, **settings):\n"
                            "    with Configurator(settings=settings) as config:\n"
                            "        config.add_route('home', '/')\n"
                            "        config.add_view(lambda request: 'hi', route_name='home', renderer='string')\n"
                            "    return config.make_wsgi_app()\n",
        "development.ini": dev_ini, "local-dev.ini": dev_ini, "testing.ini": dev_ini, "app.ini": app_ini,
        "shared.ini": "[app:main]\nuse = call:portal:main\n",
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.entry.target, found.entry.paste_ini) == ("portal:main", "app.ini")
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    (tmp_path / "app.ini").unlink()
    assert entry.find(Project(tmp_path), None).entry.paste_ini == "shared.ini"
    (tmp_path / "shared.ini").unlink()
    assert entry.find(Project(tmp_path), None).entry.paste_ini == "development.ini"
    (tmp_path / "deploy.ini").write_text(app_ini)
    assert entry.find(Project(tmp_path), None).entry.paste_ini == "deploy.ini"


def test_paste_ini_in_a_config_folder_serving_a_pipeline_of_the_installed_package():
    # etc/production.ini: [pipeline:main] ends with [app:wiki] `use = egg:wiki` (the package lives in src/)
    found = find("pyramid_etc_pipeline")
    assert (found.entry.target, found.entry.kind, found.workdir, found.entry.paste_ini) == \
        ("wiki:main", "paste", "src", "../etc/production.ini")
    assert "must be installed" in found.notes[0]
    # development.ini's app is `config:production.ini#wiki`: followed into that file
    chosen = find("pyramid_etc_pipeline", "etc/development.ini")
    assert (chosen.entry.module, chosen.workdir, chosen.entry.paste_ini) == ("wiki", "etc", "development.ini")


def test_server_started_at_import_is_flagged_with_a_note():
    found = find("run_at_import")
    assert found.entry.starts_server_on_import
    assert "app.py:11 calls app.run() at import" in found.notes[0]
    assert "if __name__ == '__main__'" in found.notes[0]
    served = find("serve_forever_at_import")
    assert served.entry.starts_server_on_import and "serve_forever()" in served.notes[0]


def test_listen_on_something_that_is_not_an_app_is_not_a_server_start(tmp_path):
    # SQLAlchemy's event.listen at import, in a Flask app: no server starts
    (tmp_path / "models.py").write_text("from sqlalchemy import event\nimport db\n\n"
                                        "db.event.listen(object, 'before_commit', print)\n")
    (tmp_path / "db.py").write_text("event = None\n")
    (tmp_path / "app.py").write_text("from flask import Flask\nimport models\n\napp = Flask(__name__)\n"
                                     "app.add_url_rule('/', 'i', lambda: 'hi')\n")
    found = entry.find(Project(tmp_path), None)
    assert found.entry.target == "app:app" and not found.entry.starts_server_on_import and found.notes == ()


def test_guarded_run_is_not_flagged():
    found = find("guarded_run")
    assert not found.entry.starts_server_on_import and found.notes == ()


def test_a_factory_that_calls_another_is_the_same_app_not_a_second_one(tmp_path):
    # both need no arguments: one app, served through the factory that makes it
    (tmp_path / "app.py").write_text(
        "from flask import Flask\n\ndef create_app(config=None):\n    app = Flask(__name__)\n"
        "    app.add_url_rule('/', 'i', lambda: 'hi')\n    return app\n\n"
        "def get_app():\n    return create_app({'X': 1})\n")
    assert entry.find(Project(tmp_path), None).entry.target == "app:create_app()"
    # unless the module's own `__main__` block builds the app with the wrapper: running the script serves that
    (tmp_path / "app.py").write_text((tmp_path / "app.py").read_text() +
                                     "\nif __name__ == '__main__':\n    get_app().run()\n")
    assert entry.find(Project(tmp_path), None).entry.target == "app:get_app()"


def test_the_app_a_setup_function_returns_is_served_as_its_caller_binds_it(tmp_path):
    """A 2019 CRUD tutorial: app/__init__.py makes `app = Flask(__name__)` at module level, and create_app(config)
    configures that same object (from_object, register_blueprint, db.init_app) and returns it; main.py's
    `app = create_app(config['development'])` is the app set up. Before: app:app, the bare object with no
    blueprint (every API path 404)."""
    make_tree(tmp_path, {
        "app/__init__.py": "from flask import Flask\nfrom .views import api\n\napp = Flask(__name__)\n\n"
                           "def create_app(environment):\n    app.config.from_object(environment)\n"
                           "    app.register_blueprint(api)\n    return app\n",
        "app/views.py": "from flask import Blueprint\napi = Blueprint('api', __name__)\n\n"
                        "@api.route('/tasks')\ndef tasks():\n    return []\n",
        "config.py": "class Dev:\n    DEBUG = True\n\nconfig = {'development': Dev}\n",
        "main.py": "from app import create_app\nfrom config import config\n\n"
                   "app = create_app(config['development'])\n\nif __name__ == '__main__':\n    app.run()\n"})
    assert entry.find(Project(tmp_path), None).entry.target == "main:app"
    # a function that binds the name itself makes an app of its own: a factory, not this
    (tmp_path / "app" / "__init__.py").write_text(
        "from flask import Flask\n\napp = Flask(__name__)\n\n@app.route('/')\ndef index():\n    return 'hi'\n\n"
        "def reset():\n    app = 1\n    return app\n")
    (tmp_path / "main.py").write_text("from app import reset\nthing = reset()\n")
    assert entry.find(Project(tmp_path), None).entry.target == "app:app"


def test_a_setup_function_in_another_module_that_sets_up_the_app_it_imports_is_served_as_its_caller_binds_it(
        tmp_path):
    """Flask-User's starter shape (a 2017 Flask 0.12 app): app/__init__.py makes the bare `app`, and
    app/startup/create_app.py imports it, configures it (with a logging.Filter class whose method returns True),
    imports the views that add its routes and returns it; manage.py's `app = create_app(...)` is what its Procfile runs. A
    hello.py beside it makes a second app. Before: app:app, the bare object `flask run` would serve."""
    make_tree(tmp_path, {
        "app/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n\n"
                           "from app.startup.create_app import create_app\n",
        "app/startup/__init__.py": "",
        "app/startup/create_app.py":
            "import logging\nfrom app import app\n\n\ndef create_app(config_name):\n"
            "    class AddUser(logging.Filter):\n        def filter(self, record):\n            return True\n\n"
            "    app.config.from_object(config_name)\n    from app import views\n    return app\n",
        "app/views.py": "from app import app\n\n\n@app.route('/')\ndef home():\n    return 'home'\n",
        "manage.py": "import os\nfrom app import create_app\n\napp = create_app(os.getenv('FLASK_CONFIG') or 'default')\n",
        "hello.py": "from flask import Flask\n\napp = Flask(__name__)\n\n@app.route('/')\ndef hello():\n    return 'hi'\n",
        "Procfile": "web: python manage.py runserver\n"})
    found = entry.find(Project(tmp_path), None)
    assert found.entry.target == "manage:app", found
    assert any("taken as manage:app (the call that sets it up)" in n for n in found.notes), found.notes
    # an imported name the function only returns, never sets up, is no app of its own: the package's app stays
    (tmp_path / "app" / "startup" / "create_app.py").write_text(
        "from app import app\n\n\ndef create_app(config_name):\n    return app\n")
    (tmp_path / "app" / "__init__.py").write_text(
        "from flask import Flask\n\napp = Flask(__name__)\n\nfrom app import views\n"
        "from app.startup.create_app import create_app\n")
    assert entry.find(Project(tmp_path), None).entry.target == "app:app"


def test_dash_without_server_name_says_so(tmp_path):
    # Dash before 3.x is not callable: its Flask server app.server is served (tests/unit/test_dash_app_server.py)
    (tmp_path / "board.py").write_text("import dash\napp = dash.Dash(__name__)\napp.layout = dash.html.Div()\n")
    found = entry.find(Project(tmp_path), None)
    assert found.entry.target == "board:app.server" and "application = app.server" in found.notes[0]



def test_a_framework_star_import_binds_its_app_class(tmp_path):
    # a 2022 Dash dashboard in app/ (Dockerfile: `gunicorn app:server` from /app): `from dash import *` binds the
    # submodule dash.dash, which dash's __init__ imports, so `dash.Dash(...)` is dash.dash.Dash ("no web app found")
    board = ("from dash import *\nfrom dash import dcc\nfrom dash import html\n\n"
             "app = dash.Dash(__name__, meta_tags=[{'name': 'viewport'}])\nserver = app.server\n"
             "app.layout = html.Div(children=[html.H1('NHL')])\n\nif __name__ == '__main__':\n    app.run_server()\n")
    make_tree(tmp_path / "dashboard", {"app/app.py": board, "app/requirements.txt": "dash==2.6.1\n",
                                       "Dockerfile": "FROM python:3.9\nCOPY ./app /app\nWORKDIR /app\n"
                                                     'CMD ["gunicorn", "-b", "0.0.0.0:8050", "app:server"]\n'})
    found = entry.find(Project(tmp_path / "dashboard"), None)
    assert (found.framework, found.workdir, found.entry.target) == ("dash", "app", "app:server")
    # the same for a class star-imported by its own name, and for a module star-imported from a package's module
    make_tree(tmp_path / "site", {"site.py": "from flask import *\n\nsite = Flask(__name__)\n\n\n"
                                             "@site.route('/')\ndef index():\n    return 'hi'\n"})
    found = entry.find(Project(tmp_path / "site"), None)
    assert (found.framework, found.entry.target) == ("flask", "site:site")
    make_tree(tmp_path / "tw", {"server.py": "from tornado.web import *\n\n\nclass Main(RequestHandler):\n"
                                           "    def get(self):\n        self.write('hi')\n\n\n"
                                           "application = Application([(r'/', Main)])\n"})
    found = entry.find(Project(tmp_path / "tw"), None)
    assert (found.framework, found.entry.target) == ("tornado", "server:application")


def test_a_star_import_of_an_app_package_binds_no_framework_names(tmp_path):
    # `from helpers import *` of the app's own module, and a star import of a module that is no framework's, bind
    # nothing: `Flask` there is whatever the module defines
    make_tree(tmp_path / "p", {"helpers.py": "def Flask(name):\n    return name\n",
                               "main.py": "from helpers import *\nfrom json import *\n\nsite = Flask(__name__)\n"})
    with pytest.raises(AppNotFound):
        entry.find(Project(tmp_path / "p"), None)


# --- static detection: what is not an app ---------------------------------------------------------

def test_nothing_found_says_what_was_searched_and_how_to_point_at_it():
    with pytest.raises(AppNotFound) as err:
        find("empty")
    assert "searched 1 Python modules" in err.value.message and "--entry module:attr" in err.value.hint


def test_apps_only_in_decoy_folders_are_not_taken():
    with pytest.raises(AppNotFound) as err:
        find("only_decoys")
    assert "examples/demo/app.py" in err.value.message and "step_1/app.py" in err.value.message


def test_a_frameworks_own_repository_is_not_an_app():
    with pytest.raises(AppNotFound) as err:
        find("framework_repo")
    assert "source of the flask framework" in err.value.message
    assert "src/flask/app.py" in err.value.message


def test_factory_that_needs_arguments_is_explained():
    with pytest.raises(AppNotFound) as err:
        find("factory_needs_args")
    assert "app:create_app(config_name) needs arguments" in err.value.message


FACTORY_PACKAGE = {"app/__init__.py": ("from flask import Flask\n\n\n"
                                       "def create_app(config_name):\n"
                                       "    app = Flask(__name__)\n"
                                       "    app.config['NAME'] = config_name\n"
                                       "    return app\n"),
                   "app/config.py": ("import enum\n\n\n"
                                     "class ConfigEnum(enum.Enum):\n"
                                     "    PROD = 'prod'\n"
                                     "    DEV = 'dev'\n")}
OPTION_LAUNCHER = ("from argparse import ArgumentParser\n\n"
                   "from app import create_app\n"
                   "from app.config import ConfigEnum\n\n"
                   "if __name__ == '__main__':\n"
                   "    parser = ArgumentParser()\n"
                   "    parser.add_argument('--port', type=int, default=8000)\n"
                   "    parser.add_argument('--config', type=str, default={default},\n"
                   "                        choices=[c.value for c in ConfigEnum])\n"
                   "    args = parser.parse_args()\n"
                   "    create_app({argument}).run(port=args.port)\n")


@pytest.mark.parametrize("default, argument, target", [
    ("ConfigEnum.PROD.value", "args.config", "run:create_app('prod')"),     # a class constant of the project
    ("'production'", "args.config", "run:create_app('production')"),
    ("'production'", "config_name=args.config", "run:create_app('production')"),
])
def test_a_factorys_argument_is_the_default_of_the_option_its_launcher_parses(tmp_path, default, argument, target):
    """run.py calls create_app(args.config), the --config option defaulting to the production configuration's
    name: the server calls the factory with that name, and the import proof runs it."""
    launcher = OPTION_LAUNCHER.format(default=default, argument=argument)
    root = make_tree(tmp_path / "app", {**FACTORY_PACKAGE, "run.py": launcher})
    found = entry.find(Project(root), None)
    assert (found.entry.target, found.entry.kind) == (target, "factory")
    entry.confirm(Project(root), found, PY, TIMEOUT)


def test_a_factorys_argument_is_the_default_of_the_environment_read_its_launcher_passes(tmp_path):
    launcher = ("import os\n\nfrom app import create_app\n\n"
                "if __name__ == '__main__':\n"
                "    create_app(os.environ.get('APP_SETTINGS', 'production')).run()\n")
    found = entry.find(Project(make_tree(tmp_path / "app", {**FACTORY_PACKAGE, "manage.py": launcher})), None)
    assert found.entry.target == "manage:create_app('production')"


def test_an_option_default_that_is_not_production_stays_the_users_choice(tmp_path):
    root = make_tree(tmp_path / "app", {**FACTORY_PACKAGE,
                                        "run.py": OPTION_LAUNCHER.format(default="'dev'", argument="args.config")})
    with pytest.raises(AppNotFound) as err:
        entry.find(Project(root), None)
    assert "app:create_app(config_name) needs arguments" in err.value.message


DATABASE_FACTORY = {"budget.py": ("from flask import Flask\n\n\n"
                                  "def create_app(db):\n"
                                  "    app = Flask(__name__)\n"
                                  "    app.config['SQLALCHEMY_DATABASE_URI'] = db\n"
                                  "    return app\n\n\n"
                                  "if __name__ == '__main__':\n"
                                  "    create_app(db='sqlite:///db/budget.sqlite3').run()\n"),
                    "tests/test_budget.py": "import budget\n\napp = budget.create_app(db='sqlite:///:memory:')\n"}


def test_a_factorys_database_url_argument_is_the_one_its_main_block_passes(tmp_path):
    """`def create_app(db)` run as `python budget.py`, whose __main__ block passes a database URL: that URL is where
    the app keeps its data (not a mode to choose), so the server calls the factory with it; the tests' in-memory
    database is theirs."""
    found = entry.find(Project(make_tree(tmp_path / "app", DATABASE_FACTORY)), None)
    assert (found.entry.target, found.entry.kind) == ("budget:create_app('sqlite:///db/budget.sqlite3')", "factory")


def test_a_factorys_in_memory_database_in_its_tests_only_stays_the_users_choice(tmp_path):
    files = {**DATABASE_FACTORY, "budget.py": DATABASE_FACTORY["budget.py"].split("\n\n\nif __name__")[0] + "\n"}
    with pytest.raises(AppNotFound) as err:
        entry.find(Project(make_tree(tmp_path / "app", files)), None)
    assert "budget:create_app(db) needs arguments" in err.value.message


def test_bottle_routes_without_a_name_for_the_app():
    with pytest.raises(AppNotFound) as err:
        find("bottle_no_name")
    assert "app = bottle.default_app()" in err.value.hint


def test_two_real_apps_are_ambiguous():
    with pytest.raises(AmbiguousApp) as err:
        find("two_apps")
    assert "admin:admin" in err.value.message and "api:app" in err.value.message
    assert err.value.hint == ('choose one with --entry module:attr or entry = "module:attr" '
                              "under [tool.shipyard] in pyproject.toml")


def test_a_decorated_asgi_function_is_a_route_handler_not_a_second_app(tmp_path):
    # Litestar mounts a raw ASGI callable with @asgi("/admin/", is_mount=True); the app is Litestar(...)
    root = make_tree(tmp_path / "app", {"main.py": (
        "from litestar import Litestar, asgi\n\n"
        "@asgi('/admin/', is_mount=True)\n"
        "async def admin(scope, receive, send):\n    pass\n\n"
        "app = Litestar(route_handlers=[admin])\n")})
    assert entry.find(Project(root), None).entry.target == "main:app"


def test_an_undecorated_asgi_function_beside_a_framework_app_stays_ambiguous(tmp_path):
    root = make_tree(tmp_path / "app", {"main.py": (
        "from litestar import Litestar\n\n"
        "async def admin(scope, receive, send):\n    pass\n\n"
        "app = Litestar(route_handlers=[])\n")})
    with pytest.raises(AmbiguousApp):
        entry.find(Project(root), None)


# two complete Flask apps: the one at the root and a newer copy of it under _updated/ (its own package)
TWO_COPIES = {
    "app.py": "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/')\ndef home():\n    return 'old'\n",
    "_updated/app/__init__.py": "from flask import Flask\napp = Flask(__name__)\nfrom app import views\n",
    "_updated/app/views.py": "from app import app\n\n@app.route('/')\ndef home():\n    return 'new'\n",
    "_updated/run.py": "from app import app\n",
}


@pytest.mark.parametrize("procfile, target, workdir", [
    ("web: gunicorn app:app --log-file=-\n", "app:app", "."),
    ("release: flask db upgrade\nweb: cd _updated && gunicorn run:app\n", "run:app", "_updated"),
    ("web: gunicorn --chdir _updated 'app:app' -w 2\n", "app:app", "_updated"),
])
def test_the_app_the_procfile_serves_wins_among_several(tmp_path, procfile, target, workdir):
    root = make_tree(tmp_path / "app", {**TWO_COPIES, "Procfile": procfile})
    found = entry.find(Project(root), None)
    assert (found.entry.target, found.workdir) == (target, workdir)
    entry.confirm(Project(root), found, PY, TIMEOUT)


def test_a_procfile_that_names_neither_leaves_them_ambiguous(tmp_path):
    root = make_tree(tmp_path / "app", {**TWO_COPIES, "Procfile": "web: gunicorn other:app\nworker: rq worker\n"})
    with pytest.raises(AmbiguousApp):
        entry.find(Project(root), None)


# a course project: the first lesson's main.py beside the package the README runs
LESSONS = {
    "main.py": "import fastapi\napp = fastapi.FastAPI()\n\n@app.get('/')\ndef index():\n    return {}\n",
    "blog/__init__.py": "",
    "blog/main.py": "from fastapi import FastAPI\nfrom .routers import posts\napp = FastAPI()\n"
                    "app.include_router(posts.router)\n",
    "blog/routers/__init__.py": "",
    "blog/routers/posts.py": "from fastapi import APIRouter\nrouter = APIRouter(prefix='/blog')\n\n"
                             "@router.get('/')\ndef posts():\n    return []\n",
}


def test_the_app_the_readme_runs_wins_among_several(tmp_path):
    readme = "# trial\n* Steps:\n\t- Install: pip3 install -r requirements.txt\n" \
             "\t- Start the uvicorn server: uvicorn blog.main:app --reload\n\t- Open http://127.0.0.1:8000/docs\n"
    root = make_tree(tmp_path / "app", {**LESSONS, "README.md": readme})
    assert entry.find(Project(root), None).entry.target == "blog.main:app"
    # a README that runs no server, or one the Procfile overrules
    with pytest.raises(AmbiguousApp):
        entry.find(Project(make_tree(tmp_path / "bare", {**LESSONS, "README.md": "pip install fastapi\n"})), None)
    ruled = make_tree(tmp_path / "ruled", {**LESSONS, "README.md": readme, "Procfile": "web: uvicorn main:app\n"})
    assert entry.find(Project(ruled), None).entry.target == "main:app"


# an API in backend/ beside a frontend/: its README's steps cd into backend/, then run the flask CLI there;
# server_og.py is the author's older copy of server.py, another Flask app in the same folder
BACKEND_TWO_COPIES = {
    "backend/server.py": "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/projects')\n"
                         "def projects():\n    return {}\n",
    "backend/server_og.py": "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/projects')\n"
                            "def projects():\n    return []\n",
    "backend/requirements.txt": "flask\n",
    "frontend/package.json": "{}\n",
}


def test_the_flask_app_a_readme_runs_after_cd_into_its_folder_wins(tmp_path):
    readme = "# Hookmark\n\n## How to Run\n\n1. **Set up:**\n\n    ```bash\n    git clone x hookmark\n" \
             "    cd hookmark\n    cd backend\n    python3 -m venv .venv\n    ```\n\n2. **Run Server:**\n" \
             "    ```bash\n    flask --app server run\n    ```\n\n### Frontend:\n\n    cd frontend\n    npm start\n"
    root = make_tree(tmp_path / "app", {**BACKEND_TWO_COPIES, "README.md": readme})
    found = entry.find(Project(root), None)
    assert (found.entry.target, found.workdir) == ("server:app", "backend")
    # FLASK_APP set in a step, the folder back up and into another (`cd ..`), a path to the module
    readme = "$ cd frontend && npm install\n$ cd ..\n$ cd backend\n$ export FLASK_APP=server_og.py\n$ flask run\n"
    root = make_tree(tmp_path / "other", {**BACKEND_TWO_COPIES, "README.md": readme})
    found = entry.find(Project(root), None)
    assert (found.entry.target, found.workdir) == ("server_og:app", "backend")
    # a `cd frontend` the README never undoes, then a server command for the root's module: run from the root
    two_roots = {**BACKEND_TWO_COPIES, "main.py": BACKEND_TWO_COPIES["backend/server.py"]}
    readme = "cd frontend\nnpm install\nnpm start\n\nIn another terminal: gunicorn main:app\n"
    found = entry.find(Project(make_tree(tmp_path / "undone", {**two_roots, "README.md": readme})), None)
    assert (found.entry.target, found.workdir) == ("main:app", ".")
    # run from the root, `flask --app server` names no module there: still a question
    readme = "pip install -r backend/requirements.txt\nflask --app server run\n"
    with pytest.raises(AmbiguousApp):
        entry.find(Project(make_tree(tmp_path / "root", {**BACKEND_TWO_COPIES, "README.md": readme})), None)


def test_a_procfile_names_a_django_project_by_its_wsgi_module(tmp_path):
    project_files = {
        "{p}/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', '{p}.settings')\n",
        "{p}/{p}/__init__.py": "",
        "{p}/{p}/settings.py": "SECRET_KEY = 'x'\nROOT_URLCONF = '{p}.urls'\n",
        "{p}/{p}/urls.py": "urlpatterns = []\n",
        "{p}/{p}/wsgi.py": "import os\nfrom django.core.wsgi import get_wsgi_application\n"
                           "os.environ.setdefault('DJANGO_SETTINGS_MODULE', '{p}.settings')\n"
                           "application = get_wsgi_application()\n",
    }
    files = {k.format(p=p): v.format(p=p) for p in ("shop", "blog") for k, v in project_files.items()}
    root = make_tree(tmp_path / "app", {**files, "Procfile": "web: gunicorn --chdir blog blog.wsgi --log-file -\n"})
    found = entry.find(Project(root), None)
    assert (found.entry.target, found.workdir) == ("blog.wsgi:application", "blog")


def test_the_django_project_whose_manage_py_the_readme_runs_wins_over_an_older_copy_nested_in_it(tmp_path):
    # backend/ (the README: `cd backend/`, `python manage.py runserver`) and an earlier project left inside it,
    # backend/okinawa/ebdjango with its own manage.py: found 2 apps in different folders, before
    project_files = {
        "{d}/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', '{p}.settings')\n",
        "{d}/{p}/__init__.py": "",
        "{d}/{p}/settings.py": "SECRET_KEY = 'x'\nROOT_URLCONF = '{p}.urls'\n",
        "{d}/{p}/urls.py": "urlpatterns = []\n",
        "{d}/{p}/wsgi.py": "import os\nfrom django.core.wsgi import get_wsgi_application\n"
                           "os.environ.setdefault('DJANGO_SETTINGS_MODULE', '{p}.settings')\n"
                           "application = get_wsgi_application()\n",
    }
    files = {k.format(d=d, p=p): v.format(p=p) for d, p in (("backend", "backend"),
                                                            ("backend/okinawa/ebdjango", "ebdjango"))
             for k, v in project_files.items()}
    readme = "## Backend\n\n### Run\n```\ncd backend/\npip install -r requirements.txt\npython manage.py runserver\n```\n"
    with pytest.raises(AmbiguousApp):
        entry.find(Project(make_tree(tmp_path / "none", files)), None)
    found = entry.find(Project(make_tree(tmp_path / "app", {**files, "README.md": readme})), None)
    assert (found.entry.target, found.workdir) == ("backend.wsgi:application", "backend")
    # the path written from the root instead of a cd: the same
    readme = "python3 backend/okinawa/ebdjango/manage.py runserver 0.0.0.0:8000\n"
    found = entry.find(Project(make_tree(tmp_path / "path", {**files, "README.md": readme})), None)
    assert (found.entry.target, found.workdir) == ("ebdjango.wsgi:application", "backend/okinawa/ebdjango")


# one app, given by several modules: index.py makes it, app.py adds the routes, main.py re-exports it for the
# Procfile, manage.py wraps it in a command-line Manager (React-Redux-Flask's layout)
ONE_APP_MANY_MODULES = {
    "index.py": "from flask import Flask\napp = Flask(__name__)\n",
    "application/__init__.py": "",
    "application/app.py": "from index import app\n\n@app.route('/')\ndef home():\n    return 'ok'\n",
    "main.py": "from application.app import app\n\napp = app\n",
    "manage.py": "from application.app import app\n\nclass Manager:\n    def __init__(self, app):\n"
                 "        self.app = app\n\n    def run(self):\n        pass\n\nmanager = Manager(app)\n\n"
                 "if __name__ == '__main__':\n    manager.run()\n",
}


@pytest.mark.parametrize("procfile, target", [("web: gunicorn main:app\n", "main:app"),
                                              ("web: gunicorn application.app:app\n", "application.app:app")])
def test_of_the_modules_giving_one_app_the_procfile_names_the_entry(tmp_path, procfile, target):
    root = make_tree(tmp_path / "app", {**ONE_APP_MANY_MODULES, "Procfile": procfile})
    assert entry.find(Project(root), None).entry.target == target
    # without a Procfile, file names decide (manage.py, as before)
    assert entry.find(Project(make_tree(tmp_path / "bare", ONE_APP_MANY_MODULES)), None).entry.target == "manage:app"


@pytest.mark.parametrize("files, target", [
    # the Dockerfile's CMD, exec form: over make_celery.py, which builds the app for the Celery worker
    ({"Dockerfile": 'FROM python:3.12-slim\nCOPY . .\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "main:app"]\n'},
     "main:app"),
    ({"Dockerfile": "FROM python:3.12\nCMD exec gunicorn --bind 0.0.0.0:$PORT \\\n    application.app:app\n"},
     "application.app:app"),
    ({"Dockerfile": 'FROM python:3.12\nENTRYPOINT ["sh", "-c", "gunicorn -w 2 main:app"]\n'}, "main:app"),
    # the server in ENTRYPOINT, the app in CMD, which Docker passes it as arguments
    ({"Dockerfile": 'FROM python:3.10\nENTRYPOINT ["/usr/local/bin/uvicorn"]\nCMD ["main:app", "--port=8000"]\n'},
     "main:app"),
    # a root shell script that starts the server after migrating (entrypoint.sh, boot.sh)
    ({"entrypoint.sh": "#!/bin/sh\nflask db upgrade\nexec gunicorn -b 0.0.0.0:5000 main:app\n",
      "Dockerfile": 'FROM python:3.12\nENTRYPOINT ["./entrypoint.sh"]\n'}, "main:app"),
    # a command that names a module:attr but runs no server says nothing
    ({"worker.sh": "celery -A main:app worker\n"}, "manage:app"),
    # the Procfile's web: line still comes first
    ({"Procfile": "web: gunicorn application.app:app\n", "Dockerfile": 'CMD ["gunicorn", "main:app"]\n'},
     "application.app:app"),
])
def test_of_the_modules_giving_one_app_the_server_command_the_project_writes_names_the_entry(tmp_path, files, target):
    root = make_tree(tmp_path / "app", {**ONE_APP_MANY_MODULES, **files})
    assert entry.find(Project(root), None).entry.target == target


@pytest.mark.parametrize("files, target", [
    # FLASK_APP naming a file, for `flask run`: of the modules giving one app, that one (else manage.py, above)
    ({".flaskenv": "FLASK_APP=main.py\nFLASK_DEBUG=1\n"}, "main:app"),
    # a file in a package: the dotted name Flask imports it by
    ({".env": "FLASK_APP=application/app.py\n"}, "application.app:app"),
    ({".flaskenv": "FLASK_APP=application.app:app\n"}, "application.app:app"),
    # .env wins over .flaskenv, as in the flask CLI
    ({".env": "FLASK_APP=main\n", ".flaskenv": "FLASK_APP=application.app\n"}, "main:app"),
    # but not a module that leaves out the app's routes (index.py makes the app; application/app.py routes it)
    ({".flaskenv": "FLASK_APP=index.py\n"}, "manage:app"),
    # a server command the project writes comes first
    ({".flaskenv": "FLASK_APP=main.py\n", "Procfile": "web: gunicorn application.app:app\n"}, "application.app:app"),
])
def test_of_the_modules_giving_one_app_the_one_flask_app_names_is_the_entry(tmp_path, files, target):
    root = make_tree(tmp_path / "app", {**ONE_APP_MANY_MODULES, **files})
    assert entry.find(Project(root), None).entry.target == target


def test_flask_app_naming_a_package_that_re_exports_the_factory_names_the_package(tmp_path):
    # anakonda/__init__.py `from .anakonda import create_app`; .flaskenv FLASK_APP=anakonda (flask finds create_app)
    files = {"tasks/__init__.py": "from .tasks import create_app\n",
             "tasks/tasks.py": "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n"
                               "    app.add_url_rule('/', 'i', lambda: 'hi')\n    return app\n"}
    assert entry.find(Project(make_tree(tmp_path / "bare", files)), None).entry.target == "tasks.tasks:create_app()"
    named = make_tree(tmp_path / "named", {**files, ".flaskenv": "FLASK_APP=tasks\nFLASK_ENV=development\n"})
    assert entry.find(Project(named), None).entry.target == "tasks:create_app()"


def test_the_factory_a_script_calls_wins_over_a_copy_nothing_calls(tmp_path):
    # app/api.py: a copy of the package's create_app left beside it; run.py builds the app (python run.py)
    factory = ("from flask import Flask, Blueprint\nfrom app.views import bp\n\n\ndef create_app():\n"
               "    app = Flask(__name__)\n    app.register_blueprint(bp)\n    return app\n")
    root = make_tree(tmp_path, {
        "app/__init__.py": factory, "app/api.py": factory,
        "app/views.py": "from flask import Blueprint\nbp = Blueprint('v', __name__)\n\n\n@bp.route('/')\n"
                        "def index():\n    return 'hi'\n",
        "run.py": "from app import create_app\n\napp = create_app()\n\n\n@app.before_request\ndef once():\n"
                  "    pass\n\n\nif __name__ == '__main__':\n    app.run()\n"})
    assert entry.find(Project(root), None).entry.target == "run:app"


LITESTAR_APP = "from litestar import Litestar, get\n\n\n@get('/')\nasync def home() -> str:\n    return 'ok'\n\n\n" \
               "app = Litestar([home])\n"


@pytest.mark.parametrize("dockerfile", [
    # the app's folder copied where the final stage's WORKDIR is (a build stage copies it, compose mounts it)
    "FROM python:3.12 AS builder\nCOPY src/ /app/src\nFROM python:3.12-slim\nWORKDIR /app/src\n"
    'CMD ["uvicorn", "app:app", "--host", "0.0.0.0"]\n',
    # its contents copied to the WORKDIR, relative to it
    'FROM python:3.12\nWORKDIR /srv\nCOPY ./src .\nCMD ["uvicorn", "app:app"]\n',
])
def test_the_dockerfiles_workdir_is_the_folder_of_the_project_copied_there(tmp_path, dockerfile):
    # a PDM project whose app is src/app.py, run from src/ (its modules import config, core... as top-level
    # packages); demo/ holds scratch apps of its own
    root = make_tree(tmp_path / "app", {"src/app.py": LITESTAR_APP, "demo/test.py": LITESTAR_APP,
                                        "demo/test2.py": LITESTAR_APP, "Dockerfile": dockerfile})
    found = entry.find(Project(root), None)
    assert (found.workdir, found.entry.target) == ("src", "app:app")
    # a WORKDIR no COPY maps to a folder of the project says nothing of it: the apps stay a question
    (root / "Dockerfile").write_text('FROM python:3.12\nWORKDIR /code\nCOPY requirements.txt .\nCMD ["uvicorn", "app:app"]\n')
    with pytest.raises(AmbiguousApp):
        entry.find(Project(root), None)


@pytest.mark.parametrize("path, dockerfile", [
    # a workshop chat: app/ holds the Dockerfile (built from app/ by app/compose.yml) and the dependency files,
    # app/web/ the code it copies to its WORKDIR
    ("app/Dockerfile", 'FROM python:3.11-slim\nWORKDIR /web\nCOPY requirements.txt .\nCOPY ./web/ .\n'
                       'CMD ["uvicorn", "main:app", "--host", "0.0.0.0"]\n'),
    # the Dockerfile beside the code, copying its own folder: it runs there
    ("app/web/Dockerfile", 'FROM python:3.11-slim\nWORKDIR /code\nCOPY . .\nCMD uvicorn main:app --port 80\n'),
])
def test_a_dockerfile_in_a_subfolder_names_the_app_of_the_folder_it_copies_as_its_workdir(tmp_path, path,
                                                                                           dockerfile):
    # main.py, and a variant of it beside
    files = {"app/web/main.py": LITESTAR_APP, "app/web/main_v2.py": LITESTAR_APP}
    root = make_tree(tmp_path / "app", {**files, path: dockerfile})
    found = entry.find(Project(root), None)
    assert (found.workdir, found.entry.target) == ("app/web", "main:app")
    # without it, the two apps stay a question
    with pytest.raises(AmbiguousApp):
        entry.find(Project(make_tree(tmp_path / "bare", files)), None)


@pytest.mark.parametrize("files, workdir, target", [
    # the web service's command, from the folder its working_dir mounts
    ({"docker-compose.yml": "services:\n  web:\n    build: .\n    working_dir: /code\n    volumes: ['./src:/code']\n"
                            "    command: uvicorn app:app --host 0.0.0.0 --reload\n  db:\n    image: postgres\n"},
     "src", "app:app"),
    # a list, run where its Dockerfile's WORKDIR holds the folder it copies (the Dockerfile has no CMD)
    ({"compose.yaml": "services:\n  api:\n    build: {context: ., dockerfile: docker/Dockerfile}\n"
                      "    command: ['gunicorn', '-k', 'uvicorn.workers.UvicornWorker', 'app:app']\n",
      "docker/Dockerfile": "FROM python:3.12\nWORKDIR /srv\nCOPY ./src .\n"}, "src", "app:app"),
    # a bind mount over the folder the Dockerfile copied (`COPY ./demo /app`, then `./src:/app`): the mount runs
    ({"docker-compose.yml": "services:\n  web:\n    build: {context: ., dockerfile: ./docker/Dockerfile}\n"
                            "    volumes: ['./src:/app']\n    command: ['uvicorn', 'app:app']\n",
      "docker/Dockerfile": "FROM python:3.12\nWORKDIR /app\nCOPY ./demo /app\n"}, "src", "app:app"),
    # the shell's command of `sh -c`, changing folder first
    ({"docker-compose.yaml": "services:\n  app:\n    build: .\n    command: ['sh', '-c', 'cd demo && uvicorn test2:app']\n"},
     "demo", "test2:app"),
    # a script the service runs by its path
    ({"docker-compose.yml": "services:\n  web:\n    build: .\n    command: python -u src/app.py\n"}, "src", "app:app"),
])
def test_a_compose_services_command_names_the_app_of_several(tmp_path, files, workdir, target):
    # src/app.py, and scratch apps beside it in demo/: `docker compose up` runs the one its service's command names
    apps = {"src/app.py": LITESTAR_APP, "demo/test.py": LITESTAR_APP, "demo/test2.py": LITESTAR_APP}
    root = make_tree(tmp_path / "app", {**apps, **files})
    found = entry.find(Project(root), None)
    assert (found.workdir, found.entry.target) == (workdir, target)
    # a service whose command runs no server (a worker) names none: the apps stay a question
    (root / next(iter(files))).write_text("services:\n  worker:\n    build: .\n    command: celery -A app:app worker\n")
    with pytest.raises(AmbiguousApp):
        entry.find(Project(root), None)


def test_the_compose_services_commands_are_read_once_for_the_targets_and_the_scripts_they_run(tmp_path, monkeypatch):
    # two scripts that each serve an app of their own, and the service runs one: the choice asks for the compose
    # commands twice (the targets they name, then the scripts they run), and reads the compose files once
    from shipyard.detect.entry import procfile
    script = "import uvicorn\nfrom fastapi import FastAPI\n\n{0} = FastAPI()\n\n\n@{0}.get('/')\ndef home():\n" \
             "    return 'ok'\n\n\nif __name__ == '__main__':\n    uvicorn.run({0})\n"
    root = make_tree(tmp_path / "app", {"one.py": script.format("api_one"), "two.py": script.format("api_two"),
                                        "docker-compose.yml": "services:\n  web:\n    build: .\n"
                                                              "    command: python two.py\n"})
    reads = []
    read = procfile._read_compose_commands
    monkeypatch.setattr(procfile, "_read_compose_commands", lambda project: reads.append(project) or read(project))
    assert entry.find(Project(root), None).entry.target == "two:api_two"
    assert len(reads) == 1


@pytest.mark.parametrize("command, value", [("flask run --host=0.0.0.0", "shop/app.py"),
                                            ("flask run", "shop.app"), ("flask --app shop.app run --debug", "")])
def test_a_compose_services_flask_run_serves_the_flask_app_its_environment_names(tmp_path, command, value):
    flask_app = "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get('/')\ndef home():\n    return 'ok'\n"
    compose = f"services:\n  web:\n    build: .\n    command: {command}\n    environment:\n      FLASK_APP: '{value}'\n"
    root = make_tree(tmp_path / "app", {"shop/__init__.py": "", "shop/app.py": flask_app, "blog/app.py": flask_app,
                                        "docker-compose.yml": compose})
    found = entry.find(Project(root), None)
    assert (found.workdir, found.entry.target) == (".", "shop.app:app")


FALCON_FACTORIES = {
    "routes.py": "import falcon\n\n\nclass Index:\n    def on_get(self, req, resp):\n        resp.media = {}\n\n\n"
                 "def routes():\n    api = falcon.App()\n    api.add_route('/', Index())\n    return api\n",
    "app.py": "import falcon\nfrom routes import routes\n\n\ndef http() -> falcon.App():\n    return routes()\n"}


@pytest.mark.parametrize("files", [
    # run.sh, the image's ENTRYPOINT, changes to the image's folder the Dockerfile copies the project to
    {"run.sh": "#!/bin/bash\ngunicorn --chdir /opt -w 2 -b 0.0.0.0:8000 'app:http()'\n",
     "Dockerfile": "FROM python:3.11-slim\nWORKDIR /opt\nCOPY . .\nENTRYPOINT [\"./run.sh\"]\n"},
    # no Dockerfile to say where: an absolute folder is the deployed copy of the project's root
    {"run.sh": "cd /srv/thumbs && gunicorn 'app:http()'\n"},
    {"Dockerfile": 'FROM python:3.11-slim\nWORKDIR /opt\nCOPY . .\nCMD ["gunicorn", "--chdir=/opt", "app:http()"]\n'},
])
def test_a_server_command_changing_to_an_absolute_folder_names_the_projects_factory(tmp_path, files):
    # of app:routes() (app.py imports the factory it delegates to) and app:http(), the one the script serves
    root = make_tree(tmp_path / "app", {**FALCON_FACTORIES, **files})
    found = entry.find(Project(root), None)
    assert (found.workdir, found.entry.target) == (".", "app:http()")


def test_syntax_error_names_file_and_line():
    with pytest.raises(AppLoadError) as err:
        find("syntax_error")
    assert err.value.message == "app.py:4: syntax error: invalid syntax"


# --- the user's choice -----------------------------------------------------------------------------

@pytest.mark.parametrize("case, override, framework, interface, kind", [
    ("two_apps", "api:app", "flask", "wsgi", "attribute"),
    ("two_apps", "admin:admin", "fastapi", "asgi", "attribute"),
    ("factory_needs_args", "app:create_app('production')", "flask", "wsgi", "factory"),
    ("src_layout", "myapp.app:app", "flask", "wsgi", "attribute"),
])
def test_override_is_validated_and_framework_inferred(case, override, framework, interface, kind):
    found = find(case, override)
    assert (found.entry.target, found.framework, found.entry.interface, found.entry.kind) == \
        (override, framework, interface, kind)


def test_override_paste_ini():
    found = find("pyramid_paste", "development.ini")
    assert (found.framework, found.entry.kind, found.entry.paste_ini, found.entry.module) == \
        ("pyramid", "paste", "development.ini", "hello_pyramid")


@pytest.mark.parametrize("override, words", [
    ("nope:app", "no module nope"),
    ("api:nope", "api.py has no top-level name 'nope'"),
    ("missing.ini", "no such file"),
])
def test_override_that_names_nothing(override, words):
    with pytest.raises(AppNotFound) as err:
        find("two_apps", override)
    assert words in err.value.message


# --- the import check --------------------------------------------------------------------------------

@pytest.mark.parametrize("case", [
    "split_routes", "split_routes_no_entry", "factory", "factory_with_wsgi", "src_layout", "backend_subfolder",
    "django_in_backend", "bottle_module_routes", "falcon_asgi", "pyramid_configurator", "pyramid_paste",
    "dash_with_flask_server", "starlette_app", "plain_wsgi", "plain_asgi", "hyphen_script",
    "factory_delegates", "aiohttp_tuple_factory", "django_example_project", "django_settings_beside_wsgi",
    "factory_wrapped_by_script",
])
def test_confirm_accepts_real_apps(case):
    found = find(case)
    entry.confirm(project(case), found, PY, TIMEOUT)


WSGI_TAIL = "\n\ndef app(environ, start_response):\n    start_response('200 OK', [])\n    return [b'x']\n"


def _confirm_error(tmp_path, kind=AppConfigError):
    """What confirming the app in tmp_path raises, with no variable of this machine's environment but PATH."""
    p = Project(tmp_path)
    with pytest.raises(kind) as err:
        entry.confirm(p, entry.find(p, None), PY, TIMEOUT, environ={"PATH": "/usr/bin:/bin"})
    return err.value


@pytest.mark.parametrize("source, message, variables", [
    # a variable read as None and used at import (create_engine(os.getenv("DATABASE_URL")) in a public app)
    ("import os\nURL = os.getenv('SHIPYARD_FIXTURE_URL')\nDEBUG = os.environ.get('SHIPYARD_FIXTURE_DEBUG', '0')\n"
     "SCHEME = URL.split(':')[0]\n", "app.py:4: importing app:app failed (AttributeError: 'NoneType' object has no "
     "attribute 'split'): it reads SHIPYARD_FIXTURE_URL, which is not set", ("SHIPYARD_FIXTURE_URL",)),
    # on the failing line itself: that one, not the others of the file
    ("import os\nA = os.environ.get('SHIPYARD_FIXTURE_A')\nHOSTS = os.environ.get('SHIPYARD_FIXTURE_HOSTS').split(',')\n",
     "it reads SHIPYARD_FIXTURE_HOSTS, which is not set", ("SHIPYARD_FIXTURE_HOSTS",)),
    # used on the failing line through the name it was assigned to (a 2024 course template's config class body:
    # `print("MAIL_USERNAME: " + MAIL_USERNAME)`): that one, not every unset read of the file
    ("import os\nclass Config:\n    KEY = os.environ.get('SHIPYARD_FIXTURE_API_KEY')\n"
     "    USER = os.environ.get('SHIPYARD_FIXTURE_MAIL_USER')\n    PASSWORD = os.environ.get('SHIPYARD_FIXTURE_MAIL_PW')\n"
     "    print('user: ' + USER)\n",
     "it reads SHIPYARD_FIXTURE_MAIL_USER, which is not set", ("SHIPYARD_FIXTURE_MAIL_USER",)),
    # a server that does not answer at import (a database, a cache): its address variable named
    ("import os, socket\nADDR = os.environ.get('SHIPYARD_FIXTURE_REDIS_HOST', '127.0.0.1')\n"
     "socket.create_connection((ADDR, {port}), timeout=5)\n",
     "connects to a server that does not answer here: ConnectionRefusedError", ("SHIPYARD_FIXTURE_REDIS_HOST",)),
    # exit(1) in the handler of a refused connection (Flask-AppBuilder's create_db when its database does not
    # answer): the connection failed, not an exit of the app's own at import
    ("import os, socket\nADDR = os.environ.get('SHIPYARD_FIXTURE_PG_HOST', '127.0.0.1')\n"
     "try:\n    socket.create_connection((ADDR, {port}), timeout=5)\nexcept Exception as e:\n    exit(1)\n",
     "connects to a server that does not answer here: ConnectionRefusedError", ("SHIPYARD_FIXTURE_PG_HOST",)),
    # a settings library that says so itself (django-environ, python-decouple)
    ("import os\nclass ImproperlyConfigured(Exception):\n    pass\n"
     "if not os.environ.get('SHIPYARD_FIXTURE_TOKEN'):\n"
     "    raise ImproperlyConfigured('Set the SHIPYARD_FIXTURE_TOKEN environment variable')\n",
     "failed: app.ImproperlyConfigured: Set the SHIPYARD_FIXTURE_TOKEN environment variable", ("SHIPYARD_FIXTURE_TOKEN",)),
    # settings that stop with their own words, naming what they read (the Django Ninja RealWorld app's)
    ("import os\nURL = os.getenv('SHIPYARD_FIXTURE_DB_URL')\nDEBUG = os.getenv('SHIPYARD_FIXTURE_DEBUG', 'false')\n"
     "if not URL and DEBUG != 'true':\n    raise SystemExit('You should set-up at least one of:\\n"
     "- SHIPYARD_FIXTURE_DB_URL to use PostgreSQL\\n- SHIPYARD_FIXTURE_DEBUG to use SQLite')\n",
     "app.py:5: importing app:app stops until SHIPYARD_FIXTURE_DB_URL or SHIPYARD_FIXTURE_DEBUG are set: it calls "
     "sys.exit('You should set-up at least one of", ("SHIPYARD_FIXTURE_DB_URL", "SHIPYARD_FIXTURE_DEBUG")),
    ("import os\nKEY = os.environ.get('SHIPYARD_FIXTURE_KEY')\nif not KEY:\n"
     "    raise RuntimeError('SHIPYARD_FIXTURE_KEY is required in production')\n",
     "stops until SHIPYARD_FIXTURE_KEY is set: RuntimeError: SHIPYARD_FIXTURE_KEY is required", ("SHIPYARD_FIXTURE_KEY",)),
    # pydantic 1 cannot type a field whose value is None: the error names the field, assigned from an unset read
    ("import os\nfrom pydantic.v1 import BaseSettings\n\n\nclass Settings(BaseSettings):\n"
     "    app_name = os.getenv('SHIPYARD_FIXTURE_APP_NAME')\n    db_url = os.getenv('SHIPYARD_FIXTURE_DB_URI')\n\n\n"
     "settings = Settings()\n",
     'app.py:5: importing app:app failed (pydantic.v1.errors.ConfigError: unable to infer type for attribute '
     '"app_name"): it reads SHIPYARD_FIXTURE_APP_NAME and SHIPYARD_FIXTURE_DB_URI with no default, which are not set',
     ("SHIPYARD_FIXTURE_APP_NAME", "SHIPYARD_FIXTURE_DB_URI")),
])
def test_confirm_tells_the_apps_configuration_from_its_code(tmp_path, source, message, variables):
    with socket.socket() as closed:          # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    (tmp_path / "app.py").write_text(source.replace("{port}", str(port)) + WSGI_TAIL)
    error = _confirm_error(tmp_path)
    assert message in error.message and error.variables == variables


def test_confirm_says_which_internet_host_a_failed_lookup_at_import_was_for(tmp_path):
    # pyrebase's storage() at import fetching an oauth2client token (a 2023 Flask OTA uploader): socket's gaierror,
    # under httplib2's own error, names no host; the lookup's frame does, so the internet address is said, not
    # "start the database or cache it connects to"
    source = ("import socket\nclass ServerNotFoundError(Exception):\n    pass\n\n\n"
              "def getaddrinfo(host, port):\n    raise socket.gaierror(-2, 'Name or service not known')\n\n\n"
              "try:\n    getaddrinfo('oauth2.shipyard-fixture.com', 443)\n"
              "except socket.gaierror:\n    raise ServerNotFoundError('Unable to find the server')\n")
    (tmp_path / "app.py").write_text(source + WSGI_TAIL)
    error = _confirm_error(tmp_path)
    assert "oauth2.shipyard-fixture.com, an internet address this machine cannot resolve" in error.message


def test_confirm_names_the_unset_variables_another_file_reads_when_the_error_names_them(tmp_path):
    # cloudinary_storage checking Django's settings when a models module imports it (a 2024 Django shop): the
    # error names the variables; settings.py reads them, not the file the error is raised in
    (tmp_path / "settings.py").write_text("import os\nCLOUD_NAME = os.environ.get('SHIPYARD_FIXTURE_CLOUD_NAME')\n"
                                          "CLOUD_KEY = os.environ.get('SHIPYARD_FIXTURE_CLOUD_KEY')\n")
    (tmp_path / "app.py").write_text(
        "import settings\nclass ImproperlyConfigured(Exception):\n    pass\n\n\n"
        "if not settings.CLOUD_NAME:\n    raise ImproperlyConfigured('provide a CLOUD dictionary in the settings or set "
        "SHIPYARD_FIXTURE_CLOUD_URL variable (or SHIPYARD_FIXTURE_CLOUD_NAME, SHIPYARD_FIXTURE_CLOUD_KEY "
        "variables).')\n" + WSGI_TAIL)
    error = _confirm_error(tmp_path)
    assert "variables); the app reads SHIPYARD_FIXTURE_CLOUD_NAME and SHIPYARD_FIXTURE_CLOUD_KEY from the " \
        "environment (settings.py)" in error.message
    assert error.variables == ("SHIPYARD_FIXTURE_CLOUD_NAME", "SHIPYARD_FIXTURE_CLOUD_KEY")


def test_confirm_says_a_download_from_the_internet_at_import_is_not_the_apps_settings(tmp_path):
    # sentry's integrations fetching tiktoken's encodings at import (HealthLink): the name lookup of an internet
    # host fails where there is no internet access; that is said, and not the file's unset reads (EMAIL_HOST...)
    source = ("import os\nEMAIL_HOST = os.getenv('SHIPYARD_FIXTURE_EMAIL_HOST')\n"
              "raise ConnectionError(\"HTTPSConnectionPool(host='openaipublic.blob.core.windows.net', port=443): Max "
              "retries exceeded with url: /encodings/cl100k_base.tiktoken (Caused by NameResolutionError(\\\"Failed "
              "to resolve 'openaipublic.blob.core.windows.net' ([Errno -2] Name or service not known)\\\"))\")\n")
    (tmp_path / "app.py").write_text(source + WSGI_TAIL)
    error = _confirm_error(tmp_path)
    assert "downloads from openaipublic.blob.core.windows.net, an internet address this machine cannot resolve" \
        in error.message and error.variables == ()


@pytest.mark.parametrize("message, host", [
    ("HTTPSConnectionPool(host='huggingface.co', port=443): Failed to resolve 'huggingface.co'", "huggingface.co"),
    ("gaierror: [Errno -3] Temporary failure in name resolution (https://raw.githubusercontent.com/x)",
     "raw.githubusercontent.com"),
    # a compose service's name, a local one, a reserved one: not the internet
    ("OperationalError: could not translate host name \"db\" to address: Name or service not known", None),
    ("HTTPConnectionPool(host='redis', port=6379): Failed to resolve 'redis'", None),
    ("HTTPConnectionPool(host='api.internal', port=80): Failed to resolve 'api.internal'", None),
    # refused, not unresolved
    ("HTTPConnectionPool(host='example.org', port=80): Connection refused", None),
])
def test_internet_host_of_a_failed_name_lookup(message, host):
    from shipyard.detect.entry.proof import _internet_host
    assert _internet_host(message) == host


def test_an_unset_read_the_example_env_file_leaves_empty_says_so(tmp_path):
    # a 2023 course API: `int(os.getenv("ACCESS_TOKEN_LIFETIME"))`, its .env.template listing it with no value
    (tmp_path / "app.py").write_text("import os\nLIFETIME = int(os.getenv('SHIPYARD_FIXTURE_LIFETIME'))\n"
                                     + WSGI_TAIL)
    (tmp_path / ".env.template").write_text("SHIPYARD_FIXTURE_LIFETIME=\nALGORITHM=HS256\n")
    error = _confirm_error(tmp_path)
    assert error.message.endswith("it reads SHIPYARD_FIXTURE_LIFETIME, which is not set; the app's example env "
                                      "file .env.template leaves it empty, for you to fill"), error.message


def test_an_error_naming_a_field_that_no_unset_read_gave_stays_an_error_of_the_code(tmp_path):
    (tmp_path / "app.py").write_text("import os\nfrom pydantic.v1 import BaseSettings\n\n\n"
                                     "class Settings(BaseSettings):\n"
                                     "    home: str = os.getenv('SHIPYARD_FIXTURE_HOME')\n    app_name = None\n\n\n"
                                     "settings = Settings()\n"
                                     + WSGI_TAIL)
    error = _confirm_error(tmp_path, AppLoadError)
    # the unset read is home's, typed (a None passes); the field without a type is given no variable
    assert not isinstance(error, AppConfigError) and 'attribute "app_name"' in error.message


def test_a_none_that_no_variable_explains_stays_an_error_of_the_code(tmp_path):
    (tmp_path / "app.py").write_text("VALUE = None\nVALUE.split()\n" + WSGI_TAIL)
    p = Project(tmp_path)
    with pytest.raises(AppLoadError) as err:
        entry.confirm(p, entry.find(p, None), PY, TIMEOUT)
    assert not isinstance(err.value, AppConfigError)


@pytest.mark.parametrize("case", ["run_at_import", "serve_forever_at_import"])
def test_confirm_neutralizes_a_server_started_at_import(case):
    started = time.monotonic()
    entry.confirm(project(case), find(case), PY, TIMEOUT)
    assert time.monotonic() - started < TIMEOUT


def test_confirm_reports_a_server_start_it_could_not_see_statically(tmp_path):
    (tmp_path / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n"
                                     "@app.route('/')\ndef i():\n    return 'x'\nstart = app.run\nstart()\n")
    p = Project(tmp_path)
    found = entry.find(p, None)
    assert not found.entry.starts_server_on_import
    with pytest.raises(AppLoadError) as err:
        entry.confirm(p, found, PY, TIMEOUT)
    assert "starts a server (app.run() at app.py:7)" in err.value.message


def test_confirm_times_out_on_an_import_that_blocks(monkeypatch):
    from shipyard.detect.entry import proof
    monkeypatch.setattr(proof.os, "getloadavg", lambda: (0.0, 0.0, 0.0))      # an idle machine: the limit as given
    started = time.monotonic()
    with pytest.raises(AppLoadError) as err:
        entry.confirm(project("blocks_at_import"), find("blocks_at_import"), PY, 2.0)
    assert time.monotonic() - started < 8
    assert err.value.message.startswith("importing app:app did not finish within 2s: it blocks at import")
    assert "if __name__ == '__main__'" in err.value.hint


def test_confirm_waits_for_an_import_still_working_at_the_limit_and_not_for_one_that_waits(tmp_path, monkeypatch):
    from shipyard.detect.entry import proof
    monkeypatch.setattr(proof.os, "getloadavg", lambda: (0.0, 0.0, 0.0))      # an idle machine: the limit as given
    # torch, tensorflow or crewai imported on a loaded machine: past the limit, but using the CPU all along (slow,
    # not blocked); a 2024 Flask+torch API and a CrewAI app stopped at 40 s as "it blocks at import"
    make_tree(tmp_path, {"app.py": """
        import time

        from flask import Flask

        end = time.monotonic() + 4
        while time.monotonic() < end:   # a heavy import: computing, not waiting
            sum(range(10000))

        app = Flask(__name__)
        """})
    found = entry.find(Project(tmp_path), None)
    started = time.monotonic()
    entry.confirm(Project(tmp_path), found, PY, 1.5)
    assert time.monotonic() - started >= 4
    # still working when the grace (3 times the limit) runs out: said as such, not as a blocked import
    (tmp_path / "app.py").write_text((tmp_path / "app.py").read_text().replace("+ 4", "+ 60"))
    started = time.monotonic()
    with pytest.raises(AppLoadError) as err:
        entry.confirm(Project(tmp_path), found, PY, 1.5)
    assert 5.5 <= time.monotonic() - started < 20
    assert "was still running, and working (using the CPU), after" in err.value.message
    # one that sleeps (a connection that never answers) stops at the limit, within one look at its CPU time
    (tmp_path / "app.py").write_text("import time\nfrom flask import Flask\ntime.sleep(60)\napp = Flask(__name__)\n")
    started = time.monotonic()
    with pytest.raises(AppLoadError) as err:
        entry.confirm(Project(tmp_path), found, PY, 1.5)
    assert time.monotonic() - started < 8
    assert err.value.message.startswith("importing app:app did not finish within 1.5s: it blocks at import")


def test_a_plan_whose_import_times_out_keeps_the_static_entry_not_proven(tmp_path, monkeypatch):
    """A slow import on a busy machine looks like one that blocks: inspect goes on with the static answer,
    marked not proven (timed_out), instead of losing the entry; serve stops on it (test_inspect_cli)."""
    from shipyard import planner
    from shipyard.detect.entry import proof
    monkeypatch.setattr(proof.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    plan = planner.make_plan(APPS / "blocks_at_import", python_exe=PY, timeout=2.0)
    assert plan.entry.target == "app:app"
    assert not plan.proof.proven and plan.proof.timed_out
    assert plan.proof.reason.startswith("importing app:app did not finish within 2s")


def test_a_plan_whose_import_raises_in_the_apps_code_keeps_the_static_entry_and_serve_stops(tmp_path):
    """A name the app imports that its own files lack (a public app broken at its commit): inspect names the
    entry, not proven, with the error; serve, which must run it, stops on it with what to fix."""
    import argparse
    from shipyard import planner
    from shipyard.commands import appcmd
    make_tree(tmp_path / "app", {
        "perms.py": "class IsAdmin:\n    pass\n",
        "views.py": "from perms import IsAdmin, IsOwner\n",
        "app.py": "import views\n" + WSGI_TAIL})
    plan = planner.make_plan(tmp_path / "app", python_exe=PY, timeout=TIMEOUT)
    assert plan.entry.target == "app:app"
    assert not plan.proof.proven and plan.proof.code_error and not plan.proof.variables
    assert plan.proof.reason.startswith("views.py:1: importing app:app failed: ImportError: cannot import name "
                                        "'IsOwner'")
    with pytest.raises(AppLoadError) as err:
        appcmd.ready_app(argparse.Namespace(path=str(tmp_path / "app"), python_exe=PY))
    assert not isinstance(err.value, AppConfigError) and "fix it in the app's code" in err.value.hint


def test_confirm_names_the_missing_distribution():
    with pytest.raises(MissingDependency) as err:
        entry.confirm(project("missing_dependency"), find("missing_dependency"), PY, TIMEOUT)
    assert "'sklearn'" in err.value.message and "app.py:1" in err.value.message
    assert err.value.hint.startswith(f"{PY} -m pip install scikit-learn")


def test_an_import_of_a_python2_module_says_the_app_is_python2_code_not_a_package_to_install(tmp_path):
    (tmp_path / "app.py").write_text("import os\nimport urlparse\n" + WSGI_TAIL)
    p = Project(tmp_path)
    with pytest.raises(AppCodeError) as err:
        entry.confirm(p, entry.find(p, None), PY, TIMEOUT)
    assert not isinstance(err.value, MissingDependency)
    assert err.value.message == ("app.py:2: importing app:app needs 'urlparse', a Python 2 standard module "
                                 "(Python 3's urllib.parse): the app is Python 2 code")
    assert err.value.hint.startswith("port it to Python 3 (import urllib.parse;") and "pip install" not in err.value.hint


def test_a_python2_module_imported_by_an_installed_package_names_that_package(tmp_path):
    """An old pin installed unconverted on Python 3 (SQLAlchemy 0.8's `import urlparse`): the release is the
    Python 2 code, not the app."""
    make_tree(tmp_path, {"site-packages/oldorm/__init__.py": "import ConfigParser\n",
                         "app/app.py": "import oldorm\n" + WSGI_TAIL})
    p = Project(tmp_path / "app")
    with pytest.raises(AppCodeError) as err:
        entry.confirm(p, entry.find(p, None), PY, TIMEOUT,
                      environ={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path / "site-packages")})
    assert err.value.message == ("app.py:1: importing app:app fails in the installed package 'oldorm', which "
                                 "imports 'ConfigParser': a Python 2 standard module (Python 3's configparser), so "
                                 "that release of oldorm is Python 2 code")
    assert err.value.hint.startswith("pin a release of oldorm made for Python 3")


def test_a_python2_fallback_of_an_import_this_python_removed_says_the_code_is_older_than_this_python(tmp_path):
    """jinja2 2.7.1 on Python 3.11: `from collections import MutableMapping` fails (gone since 3.10), then its
    fallback `from UserDict import DictMixin`: the release is older than this Python, not Python 2 code."""
    make_tree(tmp_path, {"site-packages/oldtpl/__init__.py": "try:\n    from collections import NoSuchMapping\n"
                                                               "except ImportError:\n    import UserDict\n",
                         "app/app.py": "import oldtpl\n" + WSGI_TAIL})
    p = Project(tmp_path / "app")
    # the proof may try an older Python for it (proving.py); when none helps, the app's code error is reported
    with pytest.raises(PythonTooNew) as err:
        entry.confirm(p, entry.find(p, None), PY, TIMEOUT,
                      environ={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path / "site-packages")})
    assert isinstance(err.value.original, AppCodeError) and err.value.original.message == err.value.message
    assert err.value.message.startswith("app.py:1: importing app:app fails in the installed package 'oldtpl': "
                                        "ImportError: cannot import name 'NoSuchMapping' from 'collections'")
    assert err.value.message.endswith("and its fallback imports 'UserDict', a Python 2 standard module (Python 3's "
                                      "collections): that code is older than this Python")
    assert err.value.hint.startswith("run it on an older Python (--python 3.9") and "pin a later release of oldtpl" \
        in err.value.hint


def test_an_app_that_changes_folder_at_import_has_its_failure_placed_from_its_workdir(tmp_path):
    """An app that chdirs into its package at import (to list its blueprints' folders): the failing file is
    still named from the workdir, and read there to explain the failure."""
    make_tree(tmp_path, {"pkg/__init__.py": "import os\nos.chdir(os.path.dirname(os.path.abspath(__file__)))\n"
                                            "from . import sub\n",
                         "pkg/sub.py": "VALUE = None\nVALUE.split()\n",
                         "app.py": "import pkg\n" + WSGI_TAIL})
    p = Project(tmp_path)
    with pytest.raises(AppCodeError) as err:
        entry.confirm(p, entry.find(p, None), PY, TIMEOUT)
    assert err.value.message.startswith("pkg/sub.py:2: importing app:app failed: AttributeError:")


def test_confirm_says_a_missing_environment_variable_plainly(monkeypatch):
    monkeypatch.delenv("SHIPYARD_FIXTURE_SECRET", raising=False)
    with pytest.raises(AppLoadError) as err:
        entry.confirm(project("missing_env"), find("missing_env"), PY, TIMEOUT)
    assert "environment variable SHIPYARD_FIXTURE_SECRET, which is not set" in err.value.message
    assert "app.py:6" in err.value.message


def test_a_missing_variable_is_said_with_the_file_s_other_reads_that_would_stop_the_next_run(tmp_path):
    # a Heroku settings module reading its author's config vars with os.environ[...] one after another, no README nor
    # example env file (a 2022 booking API): one run per variable is a dozen runs; the proof names them at once. A
    # read with a default, one tested first, or one the environment sets is not among them
    make_tree(tmp_path, {"app.py": "import os\n\nSEARCH_URL = os.environ['SEARCH_URL']\n"
                                   "MAIL_FROM = os.environ['MAIL_FROM']\nMAIL_PASSWORD = os.environ['MAIL_PASSWORD']\n"
                                   "REGION = os.environ.get('REGION', 'eu')\n"
                                   "TOKEN = os.environ['TOKEN'] if 'TOKEN' in os.environ else None\n"
                                   "HOME_DIR = os.environ['HOME']\n" + WSGI_TAIL})
    p = Project(tmp_path)
    environ = {k: v for k, v in os.environ.items() if k not in ("SEARCH_URL", "MAIL_FROM", "MAIL_PASSWORD")}
    with pytest.raises(AppConfigError) as err:
        entry.confirm(p, entry.find(p, None), PY, TIMEOUT, environ=environ)
    assert err.value.message.startswith("app.py:3: importing app:app reads the environment variable SEARCH_URL, "
                                        "which is not set; app.py also reads MAIL_FROM and MAIL_PASSWORD with no "
                                        "default, which are not set"), err.value.message
    assert err.value.variables == ("SEARCH_URL", "MAIL_FROM", "MAIL_PASSWORD")
    assert err.value.hint.startswith("set SEARCH_URL and MAIL_FROM and MAIL_PASSWORD (export SEARCH_URL=...")
    # one the environment has empty (serve's EMAIL_HOST_PASSWORD='', Django's default) does not raise: not among them
    with pytest.raises(AppConfigError) as err:
        entry.confirm(p, entry.find(p, None), PY, TIMEOUT, environ={**environ, "MAIL_PASSWORD": ""})
    assert err.value.variables == ("SEARCH_URL", "MAIL_FROM"), err.value.message
    assert "MAIL_PASSWORD" not in err.value.message + err.value.hint
    entry.confirm(p, entry.find(p, None), PY, TIMEOUT,
                  environ={**environ, "SEARCH_URL": "u", "MAIL_FROM": "f", "MAIL_PASSWORD": "p"})


def test_confirm_gives_the_import_errors_last_line():
    with pytest.raises(AppLoadError) as err:
        entry.confirm(project("import_error"), find("import_error"), PY, TIMEOUT)
    assert "ImportError: cannot import name 'no_such_name' from 'flask'" in err.value.message
    # a name the installed Flask lacks is the app's code, or of a release older than the installed one (the proof
    # then holds Flask back), never a package to install
    assert not isinstance(err.value, MissingDependency) or getattr(err.value, "own", False)
    assert "is not installed" not in err.value.message


def test_confirm_rejects_an_object_that_is_not_callable():
    found = find("not_callable", "app:settings")
    with pytest.raises(AppLoadError) as err:
        entry.confirm(project("not_callable"), found, PY, TIMEOUT)
    assert err.value.message == "app:settings is a dict, not a WSGI callable"


def test_a_development_tool_a_factory_imports_gets_a_stand_in_where_it_is_not_installed():
    # aiohttp-devtools' get_app() sets up aiohttp_debugtoolbar, which the app does not declare (nor this venv has)
    found = find("aiohttp_devtools_get_app")
    assert found.entry.target == "webapp.main:get_app()" and found.entry.dev_tools == ("aiohttp_debugtoolbar",)
    assert any("imports aiohttp_debugtoolbar, a development tool" in note for note in found.notes)
    entry.confirm(project("aiohttp_devtools_get_app"), found, PY, TIMEOUT)
    # without the stand-in, that import is what fails
    bare = dataclasses.replace(found, entry=dataclasses.replace(found.entry, dev_tools=()))
    with pytest.raises(MissingDependency, match="'aiohttp_debugtoolbar'"):
        entry.confirm(project("aiohttp_devtools_get_app"), bare, PY, TIMEOUT)


def test_an_installed_development_tool_is_the_real_one_not_the_stand_in(tmp_path):
    (tmp_path / "flask_debugtoolbar.py").write_text(
        "def DebugToolbarExtension(app):\n    raise RuntimeError('the real toolbar ran')\n")
    (tmp_path / "app.py").write_text(
        "from flask import Flask\n\n\ndef create_app():\n    from flask_debugtoolbar import DebugToolbarExtension\n"
        "    app = Flask(__name__)\n    DebugToolbarExtension(app)\n    return app\n")
    found = entry.find(Project(tmp_path), None)
    assert found.entry.target == "app:create_app()" and found.entry.dev_tools == ("flask_debugtoolbar",)
    with pytest.raises(AppLoadError, match="the real toolbar ran"):
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    (tmp_path / "flask_debugtoolbar.py").unlink()
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)    # not installed: the stand-in


def test_a_development_tool_imported_outside_a_factory_is_not_stood_in(tmp_path):
    # imported at module level, it runs whenever the app is imported: a dependency like any other
    (tmp_path / "app.py").write_text("import aiohttp_debugtoolbar\nfrom aiohttp import web\n\napp = web.Application()\n"
                                     "aiohttp_debugtoolbar.setup(app)\n")
    found = entry.find(Project(tmp_path), None)
    assert found.entry.target == "app:app" and found.entry.dev_tools == ()
    with pytest.raises(MissingDependency, match="'aiohttp_debugtoolbar'"):
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)


def test_confirm_calls_a_factory_with_literal_arguments():
    found = find("factory_needs_args", "app:create_app('production')")
    entry.confirm(project("factory_needs_args"), found, PY, TIMEOUT)


def test_confirm_with_a_python_that_does_not_exist():
    with pytest.raises(AppLoadError) as err:
        entry.confirm(project("plain_wsgi"), find("plain_wsgi"), "/nonexistent/python3", TIMEOUT)
    assert "cannot run /nonexistent/python3" in err.value.message


def test_distribution_names_for_imports():
    assert distribution_for("yaml") == "PyYAML"
    assert distribution_for("geolite2") == "maxminddb-geolite2"
    assert distribution_for("flask_cors.core") == "flask-cors"
    assert distribution_for("mysql.connector") == "mysql-connector-python"
    assert distribution_for("some_unknown_pkg.sub") == "some_unknown_pkg"   # pip normalizes the spelling


# --- the shipped examples ----------------------------------------------------------------------------

EXAMPLE_CASES = sorted(p.parent.name for p in EXAMPLES.glob("*/test.json"))


@pytest.mark.parametrize("name", EXAMPLE_CASES)
def test_examples(name):
    expected = json.loads((EXAMPLES / name / "test.json").read_text())["inspect"]
    found = entry.find(Project(EXAMPLES / name), None)
    assert (found.entry.target, found.framework, found.workdir) == \
        (expected["entry"], expected["framework"], expected["workdir"])
    if "interface" in expected:
        assert found.entry.interface == expected["interface"]
    if "settings_module" in expected:
        assert found.entry.settings_module == expected["settings_module"]


@pytest.mark.parametrize("name", EXAMPLE_CASES)
def test_examples_import(name):
    p = Project(EXAMPLES / name)
    entry.confirm(p, entry.find(p, None), PY, 10)


def test_examples_are_present():
    assert {"hello", "django-site", "fastapi-app", "flask-factory"} <= set(EXAMPLE_CASES)


def test_an_import_of_a_module_python_3_12_removed_says_to_run_it_on_3_11(tmp_path):
    from shipyard import environments
    newest, _ = environments.choose_python("3.12")
    assert newest.minor == "3.12", "this test needs Python 3.12 on the machine"
    (tmp_path / "app.py").write_text("import distutils.version\n\n"
                                     "def application(environ, start_response):\n"
                                     "    start_response('200 OK', [])\n    return [b'ok']\n")
    p = Project(tmp_path)
    with pytest.raises(AppLoadError) as err:
        entry.confirm(p, entry.find(p, None), newest.path, TIMEOUT)
    assert "Python 3.12 removed from the standard library" in err.value.message
    assert "--python 3.11" in err.value.hint


@pytest.mark.parametrize("older, code, needs, uses", [
    ("3.9", "def find(name: str | None = None):\n    return name\n", "3.10", "`X | Y` type unions"),
    ("3.8", "NAMES: list[str] = []\n", "3.9", "built-in generics such as list[str]"),
    ("3.9", "from typing import Self\n", "3.11", "typing.Self"),
    ("3.10", "import tomllib\n", "3.11", "the standard library's tomllib"),
])
def test_code_of_a_newer_python_names_the_python_to_run_it_on(tmp_path, monkeypatch, older, code, needs, uses):
    """The app's code needs a newer Python than the one importing it: one line names that Python, and the hint
    says to install it when the machine has none."""
    from conftest import require_python
    from shipyard import environments
    python = require_python(older).path
    (tmp_path / "app.py").write_text(code + WSGI_TAIL)
    p = Project(tmp_path)
    with pytest.raises(AppCodeError) as err:
        entry.confirm(p, entry.find(p, None), python, TIMEOUT)
    assert f"the app's code uses {uses}, which needs Python {needs} or newer, and it ran on {older}" \
        in err.value.message
    assert err.value.hint.startswith(f"run it on Python {needs} (--python {needs}")
    monkeypatch.setattr(environments, "python_of", lambda minor, environ=None: None)
    with pytest.raises(AppCodeError) as err:
        entry.confirm(p, entry.find(p, None), python, TIMEOUT)
    assert err.value.hint.startswith(f"install Python {needs} (pyenv install {needs}")


def test_an_annotation_naming_a_type_checking_import_says_python_3_14_evaluates_it_lazily(tmp_path):
    """A 2026 template for Python 3.14 annotates a handler with a class it imports only for type checking: older
    Pythons evaluate the annotation at `def` and stop on NameError. The one line names 3.14 (not installed here:
    install it); the same code with `from __future__ import annotations`, or a NameError of the app's own, is not
    a Python's."""
    from conftest import require_python
    python = require_python("3.13").path
    handler = ("import typing\n\nif typing.TYPE_CHECKING:\n    from decimal import Decimal\n\n\n"
               "def handle(value: Decimal) -> None:\n    pass\n\n")
    (tmp_path / "app.py").write_text(handler + WSGI_TAIL)
    p = Project(tmp_path)
    with pytest.raises(UnreadSyntax) as err:
        entry.confirm(p, entry.find(p, None), python, TIMEOUT)
    assert "annotations naming Decimal, which it imports only under `if TYPE_CHECKING:` (evaluated lazily from " \
           "Python 3.14), which needs Python 3.14 or newer, and it ran on 3.13" in err.value.message
    assert "Python 3.14" in err.value.hint
    # the plan keeps the static answer, unproven, naming 3.14 for serve to say, whatever Python the app asks for
    from shipyard.environments import Environment
    from shipyard.proving import _failed
    for asked in ("3.14", "3.11"):
        proof = _failed(p, err.value, Environment(python, "test", "proof"), (), asked)
        assert not proof.proven and proof.needs_python == "3.14"
    (tmp_path / "app.py").write_text("from __future__ import annotations\n" + handler + WSGI_TAIL)
    entry.confirm(p, entry.find(p, None), python, TIMEOUT)
    (tmp_path / "app.py").write_text("undefined_name\n" + handler + WSGI_TAIL)
    with pytest.raises(AppCodeError) as err:
        entry.confirm(p, entry.find(p, None), python, TIMEOUT)
    assert "needs Python" not in err.value.message


def test_the_same_error_on_a_python_new_enough_is_the_apps_own(tmp_path):
    # `int | "x"` fails on every Python: not one of an older Python's
    (tmp_path / "app.py").write_text("X = int | 'x'\n" + WSGI_TAIL)
    p = Project(tmp_path)
    with pytest.raises(AppCodeError) as err:
        entry.confirm(p, entry.find(p, None), sys.executable, TIMEOUT)
    assert "needs Python" not in err.value.message


# quart_cors's documented idiom rebinds the app to what an imported function returns given it: still the app
@pytest.mark.parametrize("files, target", [
    ({"app.py": """
        from quart import Quart
        from quart_cors import cors

        app = Quart(__name__)
        app = cors(app, allow_origin="*")

        @app.route("/")
        async def index():
            return "hi"
        """}, "app:app"),
    ({"app.py": """
        from quart import Quart
        from quart_cors import cors
        from api import bp


        def create_app(config_name="dev"):
            app = Quart(__name__)
            app = cors(app, allow_origin="*")
            app.register_blueprint(bp)
            return app
        """,
      "api.py": "from quart import Blueprint\n\nbp = Blueprint('api', __name__)\n",
      "runserver.py": "from app import create_app\n\napp = create_app()\n"}, "runserver:app"),
    ({"app.py": """
        from quart import Quart
        from quart_cors import cors


        def create_app():
            app = Quart(__name__)
            app.add_url_rule("/", "i", lambda: "hi")
            return cors(app)
        """}, "app:create_app()"),
])
def test_an_app_rebound_to_what_an_imported_function_returns_given_it_is_the_app(tmp_path, files, target):
    found = entry.find(Project(make_tree(tmp_path, files)), None)
    assert (found.entry.target, found.framework, found.entry.interface) == (target, "quart", "asgi")


def test_another_name_given_the_app_by_an_imported_function_is_not_a_second_app(tmp_path):
    # flask_restful.Api(app), SocketIO(app), a project's make_api(app): registrars and extensions, not apps
    make_tree(tmp_path, {"app.py": """
        from flask import Flask
        from flask_restful import Api
        from flask_socketio import SocketIO

        app = Flask(__name__)
        api = Api(app)
        socketio = SocketIO(app)

        @app.route("/")
        def index():
            return "hi"
        """})
    assert entry.find(Project(tmp_path), None).entry.target == "app:app"


def test_a_view_returning_what_a_helper_builds_with_the_module_app_is_not_a_factory(tmp_path):
    # httpbin: `digest_auth()` (all its parameters defaulted) returns a response its helper builds with the
    # module-level app, assigned first or returned at once: views, not a second app
    make_tree(tmp_path, {"helpers.py": "def challenge(app, qop):\n    return app.make_response('')\n",
                         "core.py": """
        from flask import Flask
        from helpers import challenge

        app = Flask(__name__)


        @app.route("/digest-auth/<qop>")
        def digest_auth(qop=None, user="user"):
            response = challenge(app, qop)
            response.status_code = 401
            return response


        @app.route("/hidden")
        def hidden(qop=None):
            return challenge(app, qop)
        """})
    assert entry.find(Project(tmp_path), None).entry.target == "core:app"


def test_a_factory_passing_what_an_imported_class_makes_to_another_factory_is_that_factorys_app(tmp_path):
    # falcon's "look" tutorial: get_app() makes the store with an imported class and returns create_app(store)
    make_tree(tmp_path, {"look/__init__.py": "", "look/images.py": "class ImageStore:\n    pass\n",
                         "look/app.py": """
        import falcon

        from .images import ImageStore


        def create_app(image_store):
            app = falcon.App()
            app.add_route('/images', object())
            return app


        def get_app():
            image_store = ImageStore('.')
            return create_app(image_store)
        """})
    assert entry.find(Project(tmp_path), None).entry.target == "look.app:get_app()"


def test_a_wrapper_under_another_name_leaves_the_app_its_own_name(tmp_path):
    # `app` stays the Flask app (the flask CLI of release commands loads it); only a rebinding passes through
    make_tree(tmp_path, {"app.py": """
        from flask import Flask
        from sentry_sdk.integrations.wsgi import SentryWsgiMiddleware

        app = Flask(__name__)

        @app.route("/")
        def index():
            return "hi"

        application = SentryWsgiMiddleware(app)
        """})
    assert entry.find(Project(tmp_path), None).entry.target == "app:app"


# an MVC layout: the package makes the app, then star-imports its controllers package, which lists its own
# modules in __all__ (Python's star import then imports each of them, and they register the routes)
STAR_CONTROLLERS = {
    "project/__init__.py": "from bottle import Bottle\napp = Bottle()\nfrom project.controllers import *\n",
    "project/controllers/pages.py": "from project import app\n\n@app.route('/')\ndef index():\n    return 'hi'\n",
    "project/controllers/files.py": "from project import app\n\n@app.route('/f/<name>')\ndef f(name):\n    return name\n",
    "runserver.py": "from project import app\nfrom bottle import run\n\nif __name__ == '__main__':\n    run(app)\n",
}


@pytest.mark.parametrize("exports", [
    "import os, glob\n__all__ = [os.path.basename(f)[:-3] for f in glob.glob(os.path.dirname(__file__) + '/*.py')]\n",
    "import pkgutil\n__all__ = [name for _, name, _ in pkgutil.iter_modules(__path__)]\n",
    "__all__ = ['pages', 'files']\n",
])
def test_a_star_import_of_a_package_imports_the_modules_its_all_lists(tmp_path, exports):
    root = make_tree(tmp_path / "app", {**STAR_CONTROLLERS, "project/controllers/__init__.py": exports})
    found = entry.find(Project(root), None)
    assert found.entry.target == "project:app"


def test_a_star_import_of_a_package_without_all_imports_no_submodule(tmp_path):
    # no __all__: `from project.controllers import *` runs only its __init__, so no module holds every route and
    # the two controllers stay two incomplete candidates of the same app; the package's own name is not preferred
    root = make_tree(tmp_path / "app", {**STAR_CONTROLLERS, "project/controllers/__init__.py": "\n"})
    found = entry.find(Project(root), None)
    assert found.entry.target != "project:app"


# a factory whose argument is the config object it loads; manage.py wraps it for the flask CLI (its own
# create_app for FlaskGroup), defaulting to the development class; no production value is written anywhere
CONFIG_OBJECT_FACTORY = {
    "appname/__init__.py": ("from flask import Flask\n\n\n"
                            "def create_app(object_name):\n"
                            "    app = Flask(__name__)\n"
                            "    app.config.from_object(object_name)\n\n"
                            "    @app.route('/')\n"
                            "    def home():\n"
                            "        return app.config['NAME']\n\n"
                            "    return app\n"),
    "appname/settings.py": ("class Config(object):\n    SECRET_KEY = 'x'\n\n\n"
                            "class ProdConfig(Config):\n    NAME = 'prod'\n\n\n"
                            "class DevConfig(Config):\n    NAME = 'dev'\n    DEBUG = True\n"),
    "manage.py": ("import os\n\nfrom appname import create_app\n\n\n"
                  "def create_app_with_config(*args):\n"
                  "    env = os.environ.get('APPNAME_ENV', 'dev')\n"
                  "    return create_app('appname.settings.%sConfig' % env.capitalize())\n"),
}


@pytest.mark.parametrize("manage, target", [
    (None, "appname:create_app('appname.settings.ProdConfig')"),
    # with manage.py's wrapper (development by default): the production class still, under manage.py's name for
    # the factory as for any imported create_app
    (CONFIG_OBJECT_FACTORY["manage.py"], "manage:create_app('appname.settings.ProdConfig')"),
])
def test_a_factory_that_loads_its_argument_as_config_object_gets_the_production_class(tmp_path, manage, target):
    files = {k: v for k, v in CONFIG_OBJECT_FACTORY.items() if k != "manage.py" or manage}
    root = make_tree(tmp_path / "app", files)
    found = entry.find(Project(root), None)
    assert (found.entry.target, found.entry.kind) == (target, "factory")
    entry.confirm(Project(root), found, PY, TIMEOUT)


def test_a_factory_argument_not_loaded_as_config_object_stays_the_users_choice(tmp_path):
    files = {**CONFIG_OBJECT_FACTORY, "manage.py": "\n",
             "appname/__init__.py": CONFIG_OBJECT_FACTORY["appname/__init__.py"].replace(
                 "app.config.from_object(object_name)", "app.config['NAME'] = object_name")}
    with pytest.raises(AppNotFound) as err:
        entry.find(Project(make_tree(tmp_path / "app", files)), None)
    assert "appname:create_app(object_name) needs arguments" in err.value.message


@pytest.mark.parametrize("rel, text", [
    ("Dockerfile", "FROM python:3.12\nENV FLASK_APP=\"app:create_app('production')\"\nCMD flask run -h 0.0.0.0\n"),
    ("docker-compose.yml", "services:\n  web:\n    build: .\n    environment:\n"
                           "      FLASK_APP: app:create_app('production')\n"),
    ("deploy/myapp.service", "[Service]\nEnvironment=\"FLASK_APP=app:create_app('production')\"\n"
                             "ExecStart=/srv/venv/bin/flask run\n"),
    ("run.sh", "#!/bin/sh\nexport FLASK_APP=app:create_app('production') && flask run\n"),
])
def test_a_factory_call_flask_app_names_in_the_projects_environment_gives_its_argument(tmp_path, rel, text):
    root = make_tree(tmp_path / "app", {**FACTORY_PACKAGE, rel: text})
    found = entry.find(Project(root), None)
    assert (found.entry.target, found.entry.kind) == ("app:create_app('production')", "factory")
    entry.confirm(Project(root), found, PY, TIMEOUT)


def test_a_development_call_flask_app_names_stays_the_users_choice(tmp_path):
    # .flaskenv is what `flask run` reads: a development value there is not a production one; nor is a README's
    readme = "Run it:\n\n    FLASK_APP=\"app:create_app('production')\" flask run\n"
    root = make_tree(tmp_path / "app", {**FACTORY_PACKAGE, ".flaskenv": "FLASK_APP=\"app:create_app('development')\"\n",
                                        "README.md": readme})
    with pytest.raises(AppNotFound) as err:
        entry.find(Project(root), None)
    assert "app:create_app(config_name) needs arguments" in err.value.message


DRF_TUTORIAL = {
    "requirements.txt": "Django\ndjangorestframework\n",
    "tutorial/manage.py": "import os\nimport sys\n\nif __name__ == '__main__':\n"
                          "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'tutorial.settings')\n"
                          "    from django.core.management import execute_from_command_line\n"
                          "    execute_from_command_line(sys.argv)\n",
    "tutorial/tutorial/__init__.py": "",
    "tutorial/tutorial/settings.py": "SECRET_KEY = 'x'\nINSTALLED_APPS = ['rest_framework', 'snippets']\n"
                                     "ROOT_URLCONF = 'tutorial.urls'\n",
    "tutorial/tutorial/urls.py": "from django.urls import include, path\n\n"
                                 "urlpatterns = [path('', include('snippets.urls'))]\n",
    "tutorial/tutorial/wsgi.py": "import os\n\nfrom django.core.wsgi import get_wsgi_application\n\n"
                                 "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'tutorial.settings')\n"
                                 "application = get_wsgi_application()\n",
    "tutorial/snippets/__init__.py": "",
    "tutorial/snippets/urls.py": "from rest_framework.routers import DefaultRouter\n\nurlpatterns = []\n",
}


def test_a_django_project_in_a_decoy_named_folder_with_nothing_beside_it_is_the_app(tmp_path):
    # the DRF tutorial's repository: tutorial/manage.py and its tutorial/tutorial/ package, no code at the root
    make_tree(tmp_path, DRF_TUTORIAL)
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target, found.entry.settings_module) == \
        ("tutorial", "tutorial.wsgi:application", "tutorial.settings")


def test_a_django_project_in_a_decoy_named_folder_beside_the_repositorys_own_code_stays_a_decoy(tmp_path):
    # a library with its tutorial project beside it: the library is the repository's code, the tutorial is not
    make_tree(tmp_path, {**DRF_TUTORIAL, "mylib/__init__.py": "def helper():\n    return 1\n"})
    with pytest.raises(AppNotFound) as err:
        entry.find(Project(tmp_path), None)
    assert "tutorial/tutorial/wsgi.py" in err.value.message


def test_serve_stops_on_a_module_kept_out_of_git_with_the_file_to_write(tmp_path):
    """inspect keeps the entry, not proven; serve, which must import it, stops with the proof's own hint (the file
    to write and the names in it), not the generic "start what it connects to"."""
    import argparse
    from shipyard import planner
    from shipyard.commands import appcmd
    make_tree(tmp_path / "app", {
        "pkg/__init__.py": "from pkg.secret import SECRET_KEY\n" + WSGI_TAIL,
        "app.py": "from pkg import app\n",
        ".gitignore": "secret.py\n"})
    plan = planner.make_plan(tmp_path / "app", python_exe=PY, timeout=TIMEOUT)
    assert plan.entry.target == "app:app" and not plan.proof.proven
    assert plan.proof.hint.startswith("write pkg/secret.py with SECRET_KEY")
    with pytest.raises(AppConfigError) as err:
        appcmd.ready_app(argparse.Namespace(path=str(tmp_path / "app"), python_exe=PY))
    assert err.value.hint.startswith("write pkg/secret.py with SECRET_KEY")


def test_a_folder_named_like_the_installed_framework_is_not_the_import_root(tmp_path):
    # fastapi/app/main.py beside a Next.js frontend/, with no __init__.py anywhere: `from fastapi import FastAPI`
    # is the installed FastAPI (a regular package wins over the namespace folder fastapi/, which has no FastAPI
    # submodule), so the app runs from fastapi/app/ as main:app, not from the root as fastapi.app.main
    make_tree(tmp_path, {
        "fastapi/app/main.py": """
            from fastapi import FastAPI
            from fastapi.middleware.cors import CORSMiddleware

            app = FastAPI()
            app.add_middleware(CORSMiddleware, allow_origins=["*"])


            @app.get("/")
            def root():
                return {"ok": True}
            """,
        "frontend/package.json": "{}\n",
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == ("fastapi/app", "main:app"), found


def test_a_namespace_folder_whose_submodule_the_app_imports_is_still_its_import_root(tmp_path):
    # the same layout, where app/main.py imports a submodule of the namespace folder: that is the project's
    make_tree(tmp_path, {
        "web/app/main.py": """
            from fastapi import FastAPI
            from web import settings

            app = FastAPI(title=settings.TITLE)
            """,
        "web/settings.py": "TITLE = 'x'\n",
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == (".", "web.app.main:app"), found


FLASK_SQLITE_APP = """
    import sqlite3

    from flask import Flask

    app = Flask(__name__)


    @app.route("/")
    def home():
        return str(sqlite3.connect("database.db").execute("SELECT 1").fetchone())
    """


@pytest.mark.parametrize("readme, workdir, folder", [
    ("Run it:\n\n```\npip install -r requirements.txt\npython app/app.py\n```\n", ".", "app"),
    ("Run it: `python3 -u app/app.py`\n", ".", "app"),
    ("Run it:\n\n    cd app && python app.py\n", "app", None),
    ("Run it with flask run.\n", "app", None),
])
def test_a_subfolder_script_the_readme_runs_by_its_path_runs_from_the_root(tmp_path, readme, workdir, folder):
    # `python app/app.py` from the root: app/ is first on sys.path, the working directory (where database.db
    # is opened) is the root; a README that changes folder first, or says nothing, leaves it in app/
    make_tree(tmp_path, {"README.md": readme, "requirements.txt": "flask\n", "app/app.py": FLASK_SQLITE_APP})
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target, found.entry.import_folder) == (workdir, "app:app", folder), found


def test_a_tornado_script_the_readme_runs_by_its_path_runs_from_the_root(tmp_path):
    from shipyard.render.render import script_path
    make_tree(tmp_path, {
        "README.md": "step4 : python app/service.py\n",
        "app/service.py": """
            import tornado.web
            from tornado.ioloop import IOLoop


            class Home(tornado.web.RequestHandler):
                def get(self):
                    self.write("ok")


            def main():
                app = tornado.web.Application([(r"/", Home)])
                app.listen(9000)
                IOLoop.current().start()


            if __name__ == "__main__":
                main()
            """,
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.kind, found.entry.import_folder) == (".", "script", "app"), found
    assert script_path(found.entry) == "app/service.py"


@pytest.mark.parametrize("files, target", [
    # lite-bootstrap's LitestarBootstrapper builds the app: only the return annotation says what comes back
    ({"app/__init__.py": "", "app/application.py": """
        import typing
        from lite_bootstrap import LitestarBootstrapper

        if typing.TYPE_CHECKING:
            import litestar


        def build_app() -> litestar.Litestar:
            bootstrapper = LitestarBootstrapper(bootstrap_config=None)
            return bootstrapper.bootstrap()
        """}, "app.application:build_app()"),
    # a quoted annotation, and an app an unknown helper returns by a name the function binds itself
    ({"service.py": """
        from fastapi import FastAPI
        from platform_kit import make_service


        def create_app(debug: bool = False) -> "FastAPI":
            application = make_service(debug=debug)
            return application
        """}, "service:create_app()"),
])
def test_a_function_annotated_to_return_the_frameworks_app_is_a_factory(tmp_path, files, target):
    make_tree(tmp_path, files)
    assert entry.find(Project(tmp_path), None).entry.target == target


def test_a_getter_annotated_with_the_app_class_that_returns_the_module_app_is_no_second_app(tmp_path):
    make_tree(tmp_path, {"main.py": """
        from fastapi import FastAPI

        app = FastAPI()


        def get_app() -> FastAPI:
            return app


        def unrelated() -> FastAPI:
            return None
        """})
    assert entry.find(Project(tmp_path), None).entry.target == "main:app"


def test_a_python2_view_module_mixing_tabs_names_its_file_and_says_python2_code(tmp_path):
    """A 2017 Flask course app: app/__init__.py imports its views, which mix tabs and spaces (Python 2 read a tab
    as eight columns). The import fails with TabError at the importing line; the line says the views file, that it
    is Python 2 code, and what to do."""
    make_tree(tmp_path, {
        "app/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n\nfrom app import views\n",
        "app/views.py": "from app import app\n\n\n@app.route('/')\ndef index():\n"
                        "        x = 1\n\treturn 'hi'\n",
    })
    found = entry.find(Project(tmp_path), None)
    assert found.entry.target == "app:app"
    with pytest.raises(AppCodeError) as err:
        entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
    assert err.value.message == ("app/views.py:7: TabError: inconsistent use of tabs and spaces in indentation: "
                                 "app/views.py is Python 2 code (indentation mixing tabs and spaces, which Python 2 "
                                 "read), which no Python 3 runs (importing app:app)"), err.value.message
    assert err.value.hint.startswith("port the app to Python 3 (`2to3 -w app` does most of it")


def test_a_python2_print_statement_in_the_apps_own_module_says_python2_code(tmp_path):
    # the module holding the app does not parse: found statically, said before any import
    (tmp_path / "app.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n\n"
                                     "@app.route('/')\ndef index():\n    print 'hit'\n    return 'hi'\n")
    with pytest.raises(AppCodeError) as err:
        entry.find(Project(tmp_path), None)
    assert err.value.message.startswith("app.py:7: Missing parentheses in call to 'print'") \
        and err.value.message.endswith(": app.py is Python 2 code (a print statement), which no Python 3 runs"), \
        err.value.message
    assert "2to3 -w ." in err.value.hint


def test_every_needs_a_newer_python_error_is_one_class_and_the_proof_names_the_python_only_when_none_is_here(tmp_path):
    """`X | Y` unions imported on 3.9 and the lazy annotations of 3.14 raise the same NeedsNewerPython (the app's
    own code, with the Python it needs); the proof keeps the error and its --python hint when that Python is
    installed here, and names the Python for serve to say when it is not."""
    from conftest import require_python
    from shipyard.environments import Environment
    from shipyard.errors import NeedsNewerPython
    from shipyard.proving import _failed
    python = require_python("3.9").path
    (tmp_path / "app.py").write_text("def find(name: str | None = None):\n    return name\n" + WSGI_TAIL)
    p = Project(tmp_path)
    with pytest.raises(NeedsNewerPython) as err:
        entry.confirm(p, entry.find(p, None), python, TIMEOUT)
    assert err.value.needs == "3.10" and isinstance(err.value, AppCodeError)
    proof = _failed(p, err.value, Environment(python, "test", "proof"), (), "3.9")
    assert not proof.proven and proof.code_error and not proof.needs_python         # 3.10 is on this machine
    assert proof.hint.startswith("run it on Python 3.10 (--python 3.10")
    missing = NeedsNewerPython("app.py:1: ...", "install Python 3.99", "3.99")
    proof = _failed(p, missing, Environment(python, "test", "proof"), (), "3.9")
    assert not proof.proven and proof.needs_python == "3.99" and not proof.code_error


def test_a_file_no_python_parses_is_the_app_s_own_syntax_error_not_a_newer_python_s(tmp_path):
    """A course project's module holds a line pasted from a listing ("api/serializers.py:"), and the proof ran on
    an older Python than the one it asks for (moved down, say, for distutils): when a Python as new as that one is
    here and does not parse the file either, the app's own syntax error is said, with the file to fix, not "written
    for Python 3.12, which is not installed here". A file in that Python's syntax (PEP 695) keeps naming it."""
    from conftest import require_python
    from shipyard.environments import Environment
    from shipyard.proving import _failed
    python = require_python("3.9").path
    require_python("3.12")
    (tmp_path / "app.py").write_text("import models\n" + WSGI_TAIL)
    (tmp_path / "models.py").write_text("class Book:\n    title = 'x'\napi/serializers.py:\n\nimport os\n")
    p = Project(tmp_path)
    with pytest.raises(UnreadSyntax) as err:
        entry.confirm(p, entry.find(p, None), python, TIMEOUT)
    proof = _failed(p, err.value, Environment(python, "test", "proof"), (), "3.12")
    assert not proof.proven and proof.code_error and not proof.needs_python, proof
    assert proof.reason.startswith("models.py:3: ") and "a syntax error in the app's own code" in proof.reason, proof
    assert "not installed" not in proof.reason and proof.hint == "fix the syntax of models.py in the app's code"
    (tmp_path / "models.py").write_text("type Title = str\n\ndef first[T](items: list[T]) -> T:\n"
                                        "    return items[0]\n")
    with pytest.raises(UnreadSyntax) as err:
        entry.confirm(p, entry.find(p, None), python, TIMEOUT)
    proof = _failed(p, err.value, Environment(python, "test", "proof"), (), "3.12")
    assert not proof.proven and proof.needs_python == "3.12" and not proof.code_error, proof
    assert "the app is written for Python 3.12" in proof.reason


def test_an_import_of_another_uv_workspace_members_code_says_uv_sync_installs_it(tmp_path):
    # the app at the workspace's root imports `core`, the member packages/core (src layout), which only `uv sync`
    # installs: not a folder to run from, nor a package of the index
    make_tree(tmp_path, {
        "pyproject.toml": '[project]\nname = "site"\nversion = "1"\ndependencies = ["core"]\n\n'
                          '[tool.uv.sources]\ncore = { workspace = true }\n\n[tool.uv.workspace]\nmembers = ["packages/*"]\n',
        "app.py": "from core import greet\n" + WSGI_TAIL,
        "packages/core/pyproject.toml": '[project]\nname = "core"\nversion = "1"\n',
        "packages/core/src/core/__init__.py": "def greet():\n    return 'hi'\n",
    })
    p = Project(tmp_path)
    with pytest.raises(AppLoadError) as err:
        entry.confirm(p, entry.find(p, None), PY, TIMEOUT)
    assert err.value.message == ("app.py:1: cannot import 'core': it is the code of packages/core/, another member of "
                                 "the app's uv workspace, which `uv sync` installs and Shipyard's environments do not")
    assert err.value.hint.startswith("run `uv sync` in the workspace's root")


def test_a_credential_the_example_leaves_empty_stops_the_proof_and_says_serve_runs_with_a_placeholder(tmp_path):
    make_tree(tmp_path, {".env.example": "STRIPE_SECRET_KEY=\nBROKER_URL=\n",
                         "app.py": "import os\nKEY = os.environ['STRIPE_SECRET_KEY']\n" + WSGI_TAIL})
    p = Project(tmp_path)
    with pytest.raises(AppConfigError) as err:
        entry.confirm(p, entry.find(p, None), PY, TIMEOUT, environ={k: v for k, v in os.environ.items()
                                                                   if k != "STRIPE_SECRET_KEY"})
    assert err.value.variables == ("STRIPE_SECRET_KEY",)
    assert err.value.hint.endswith("; meanwhile `shipyard serve` and `dev` run the app with a marked placeholder "
                                   "for it"), err.value.hint
    (tmp_path / "app.py").write_text("import os\nURL = os.environ['BROKER_URL']\n" + WSGI_TAIL)   # an address: no
    with pytest.raises(AppConfigError) as err:
        entry.confirm(p, entry.find(p, None), PY, TIMEOUT, environ={k: v for k, v in os.environ.items()
                                                                   if k != "BROKER_URL"})
    assert "placeholder" not in err.value.hint


# the shape of a tornado server/ of 2015, with Flask: config.py binds settings, then takes the app from urls.py,
# which takes settings back from config.py before it makes the app; runserver.py imports config and runs it
CYCLE = {
    "server/config.py": "settings = {'SECRET_KEY': 'x'}\n\nfrom urls import app\n",
    "server/urls.py": "from flask import Flask\nfrom config import settings\n\napp = Flask(__name__)\n"
                      "app.config.update(settings)\n\n\n@app.route('/')\ndef index():\n    return 'Hello, world'\n",
    "server/runserver.py": "from config import app\n\nif __name__ == '__main__':\n    app.run(port=8080)\n",
}


def test_of_two_modules_importing_each_other_the_one_that_imports_first_is_the_entry(tmp_path):
    import subprocess
    root = make_tree(tmp_path / "app", CYCLE)
    found = entry.find(Project(root), None)
    assert (found.entry.target, found.workdir) == ("config:app", "server")
    # as a server loads them: config first imports, urls first does not
    for module, ok in (("config", True), ("urls", False)):
        done = subprocess.run([PY, "-c", f"import {module}"], cwd=root / "server", capture_output=True, text=True,
                              timeout=30)
        assert (done.returncode == 0) is ok, done.stderr
    # without the cycle (settings in a module of its own), the module that makes the app is the entry again
    acyclic = {**CYCLE, "server/settings.py": "settings = {'SECRET_KEY': 'x'}\n",
               "server/urls.py": CYCLE["server/urls.py"].replace("from config import", "from settings import")}
    assert entry.find(Project(make_tree(tmp_path / "acyclic", acyclic)), None).entry.target == "urls:app"


def test_a_package_whose_modules_import_its_siblings_through_it_is_no_cycle_that_fails(tmp_path):
    # flask-foundation's shape: appname/__init__.py imports its blueprint at the top, and the blueprint takes cache
    # from appname.extensions (running the half-made appname/__init__.py, but taking nothing from it), and a model
    # from appname.models, a submodule
    from shipyard.detect.entry import graph, import_cycles
    files = {
        "appname/__init__.py": "from flask import Flask\nfrom appname.controllers.main import main\n"
                               "from appname.extensions import cache\n\n\ndef create_app():\n"
                               "    app = Flask(__name__)\n    app.register_blueprint(main)\n    return app\n",
        "appname/extensions.py": "cache = object()\n",
        "appname/models.py": "class User:\n    pass\n",
        "appname/controllers/__init__.py": "",
        "appname/controllers/main.py": "from flask import Blueprint\nfrom appname.extensions import cache\n"
                                       "from appname import models\n\nmain = Blueprint('main', __name__)\n",
        "manage.py": "from appname import create_app\n\napp = create_app()\n",
    }
    analysis = graph.analyse(Project(make_tree(tmp_path / "app", files)))
    assert not any(import_cycles.fails_imported_first(analysis, m) for m in analysis.modules.values())


def test_a_dash_app_whose_layout_is_never_set_is_said_to_answer_500(tmp_path):
    # Heroku's Dash boilerplate: `server = app.server` and nothing else; Dash refuses every request
    app = "import dash\n\napp = dash.Dash()\nserver = app.server\n"
    root = make_tree(tmp_path / "app", {"app.py": app})
    found = entry.find(Project(root), None)
    assert found.entry.target == "app:server"
    assert any("layout is never set" in n and "500" in n for n in found.notes), found.notes
    # what the note says, from the real Dash
    import subprocess
    done = subprocess.run([PY, "-c", "import app\nprint(app.server.test_client().get('/').status_code)"],
                          cwd=root, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().endswith("500"), done.stdout + done.stderr
    # a layout set anywhere (in a function a module calls), or Dash pages: no note
    for other in ({"app.py": app, "layout.py": "def setup(app):\n    app.layout = 'hi'\n"},
                  {"app.py": app.replace("dash.Dash()", "dash.Dash(__name__, use_pages=True)")}):
        found = entry.find(Project(make_tree(tmp_path / f"other{len(other)}", other)), None)
        assert not any("layout is never set" in n for n in found.notes)


SHOP_FACTORY = ("from flask import Flask\n\nfrom shop.views import bp\n\n\ndef create_app(environment_name='dev'):\n"
                "    app = Flask(__name__)\n    app.config['ENV_NAME'] = environment_name\n"
                "    app.register_blueprint(bp)\n    return app\n")
SHOP_VIEWS = "from flask import Blueprint\n\nbp = Blueprint('main', __name__)\n\n\n@bp.route('/')\ndef index():\n" \
             "    return 'hi'\n"
SEED = ("from shop import create_app\n\napp = create_app('dev')\n\n\ndef setup():\n    with app.app_context():\n"
        "        pass\n\n\n@app.shell_context_processor\ndef make_shell_context():\n    return {'app': app}\n")


@pytest.mark.parametrize("launcher", [
    "import os\n\nfrom shop import create_app\n\napp = create_app(os.getenv('FLASK_CONFIG') or 'dev')\n",
    "import os\n\nfrom shop import create_app\n\nconfig_name = os.environ.get('APP_ENV', 'dev')\n"
    "app = create_app(config_name)\n",
])
def test_the_launcher_that_leaves_the_config_to_the_environment_wins_over_a_seed_script(tmp_path, launcher):
    # the 2021 Yumroad shop's shape: flasky.py leaves the configuration to FLASK_CONFIG; seed.py beside it makes
    # its own app with create_app('dev') to fill the database and adds a shell context to it, which is no route
    make_tree(tmp_path, {"shop/__init__.py": SHOP_FACTORY, "shop/views.py": SHOP_VIEWS, "seed.py": SEED,
                         "flasky.py": launcher})
    assert entry.find(Project(tmp_path), None).entry.target == "flasky:app"


def test_a_conventional_entry_name_still_wins_over_a_launcher_reading_the_environment(tmp_path):
    # wsgi.py hard-codes the production config; manage.py reads FLASK_CONFIG: the deployment file is wsgi.py
    make_tree(tmp_path, {"shop/__init__.py": SHOP_FACTORY, "shop/views.py": SHOP_VIEWS,
                         "wsgi.py": "from shop import create_app\n\napp = create_app('production')\n",
                         "manage.py": "import os\n\nfrom shop import create_app\n\n"
                                      "app = create_app(os.getenv('FLASK_CONFIG') or 'dev')\n"})
    assert entry.find(Project(tmp_path), None).entry.target == "wsgi:app"


def test_a_shell_context_on_the_one_module_level_app_still_counts(tmp_path):
    # the Mega-Tutorial's microblog.py: it imports the package's module-level app and adds a shell context to that
    # one object: FLASK_APP's module, as before
    make_tree(tmp_path, {"app/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n\n"
                                            "from app import routes\n",
                         "app/routes.py": "from app import app\n\n\n@app.route('/')\ndef index():\n    return 'hi'\n",
                         "microblog.py": "from app import app\n\n\n@app.shell_context_processor\n"
                                         "def make_shell_context():\n    return {'app': app}\n"})
    assert entry.find(Project(tmp_path), None).entry.target == "microblog:app"


def test_an_unparsable_module_of_the_app_is_named_where_it_fails_to_parse_not_where_it_is_imported(tmp_path):
    # the 2019 CMS's config.py, whose class docstring lost its indentation in a 2025 edit: the import line in
    # app.py is not where the fix goes
    make_tree(tmp_path, {"config.py": "import os\n\n\nclass Config:\n\"\"\"Settings.\"\"\"\n    DEBUG = False\n",
                         "app.py": "from config import Config\n" + WSGI_TAIL})
    p = Project(tmp_path)
    with pytest.raises(AppLoadError) as err:
        entry.confirm(p, entry.find(p, None), PY, TIMEOUT)
    assert err.value.message.startswith("config.py:5: importing app:app failed: IndentationError: "), err.value.message


def test_an_installed_release_importing_a_name_another_release_removed_names_both_not_the_python(tmp_path):
    """Flask-Login 0.6.2's `from werkzeug.urls import url_decode` under the Werkzeug 3.0.1 a 2023 blog pins (and
    its poetry.lock's Flask-Login 0.6.2): two releases of different days, not a Python too new for either."""
    site = tmp_path / "lib" / "site-packages"
    make_tree(site, {
        "corekit/__init__.py": "", "corekit/urls.py": "def url_encode(x):\n    return x\n",
        "corekit-3.0.1.dist-info/METADATA": "Metadata-Version: 2.1\nName: corekit\nVersion: 3.0.1\n",
        "corekit-3.0.1.dist-info/top_level.txt": "corekit\n",
        "corekit_login/__init__.py": "from corekit.urls import url_decode\n",
        "corekit_login-0.6.2.dist-info/METADATA": "Metadata-Version: 2.1\nName: corekit-login\nVersion: 0.6.2\n",
        "corekit_login-0.6.2.dist-info/top_level.txt": "corekit_login\n",
    })
    make_tree(tmp_path / "app", {"app.py": "import corekit_login\n" + WSGI_TAIL})
    p = Project(tmp_path / "app")
    with pytest.raises(GoneSubmodule) as err:
        entry.confirm(p, entry.find(p, None), PY, TIMEOUT, environ={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(site)})
    assert err.value.message.endswith("(the installed corekit-login 0.6.2 imports corekit.urls.url_decode, which the "
                                      "installed corekit 3.0.1 no longer has)"), err.value.message
    assert err.value.provider == ("corekit", "3.0.1") and not err.value.own
    assert err.value.hint.startswith("require a release of corekit-login made for corekit 3.0.1 (a later one)")


def _src_layout_with_demo_apps(tmp_path, tested: bool):
    """A Poetry src layout (no src/__init__.py): main.py's app takes the package's routers; beside it an early
    step (main_hello.py) imports the package as `src.myapp...`, and demos/ (a subfolder) holds apps of their own
    built on the package's shared modules."""
    router = "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.get('/')\ndef index():\n    return []\n"
    demo = ("from fastapi import FastAPI\n\nfrom myapp.db import connect\n\napp = FastAPI()\n\n\n@app.get('/login')\n"
            "def login():\n    return {'db': connect()}\n")
    files = {
        "pyproject.toml": '[tool.poetry]\nname = "myapp"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\n'
                          'python = "^3.10"\nfastapi = "*"\n',
        "src/myapp/__init__.py": "",
        "src/myapp/db.py": "def connect():\n    return 'db'\n",
        "src/myapp/auth.py": router,
        "src/myapp/clouds.py": router,
        "src/myapp/routers/__init__.py": "",
        "src/myapp/routers/wafers.py": router,
        "src/myapp/main.py": "from fastapi import FastAPI\n\nfrom myapp import auth, clouds\nfrom myapp.db import connect\n\n"
                             "app = FastAPI()\napp.include_router(auth.router, prefix='/v1')\n"
                             "app.include_router(clouds.router, prefix='/v1')\n",
        "src/myapp/main_hello.py": "from fastapi import FastAPI\n\nfrom src.myapp.routers import wafers\n\n"
                                   "app = FastAPI()\napp.include_router(wafers.router)\n",
        "src/myapp/demos/__init__.py": "",
        "src/myapp/demos/keycloak_password.py": demo,
        "src/myapp/demos/keycloak_token.py": demo,
    }
    if tested:
        files["tests/test_main.py"] = ("from fastapi.testclient import TestClient\nfrom myapp.main import app\n\n"
                                       "client = TestClient(app)\n\n\ndef test_token():\n"
                                       "    assert client.get('/v1/').status_code == 200\n")
    make_tree(tmp_path, files)


def test_a_src_layout_runs_from_src_when_most_of_its_modules_import_the_package_from_there(tmp_path):
    # one leftover module's `from src.myapp.routers import` does not move the dozen importing `from myapp...` up
    # to the root (as `src.myapp.main`, which cannot import `myapp`); and the demos of a subfolder, built on the
    # package's db module, do not make main.py's app a leftover of its own package
    _src_layout_with_demo_apps(tmp_path, tested=False)
    with pytest.raises(AmbiguousApp) as err:
        entry.find(Project(tmp_path), None)
    listed = err.value.message
    assert "myapp.main:app" in listed and "src.myapp" not in listed
    assert "myapp.demos.keycloak_password:app" in listed and "myapp.main_hello:app" in listed


def test_of_several_apps_the_one_the_projects_tests_import_is_the_entry(tmp_path):
    _src_layout_with_demo_apps(tmp_path, tested=True)
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == ("src", "myapp.main:app")


def test_a_folder_whose_modules_all_import_it_by_name_still_runs_from_above(tmp_path):
    # the lift stands where the folder's modules agree (src/main.py's `from src.db import`, no src/__init__.py)
    make_tree(tmp_path, {
        "src/db.py": "def connect():\n    return 'db'\n",
        "src/main.py": "from fastapi import FastAPI\n\nfrom src.db import connect\n\napp = FastAPI()\n\n\n"
                       "@app.get('/')\ndef index():\n    return {'db': connect()}\n",
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == (".", "src.main:app")


@pytest.mark.parametrize("register", ["DepartmentView.register(app, route_base='/departments/')",
                                      "views.DepartmentView.register(app)"])
def test_a_view_class_registering_itself_on_the_app_given_to_it_counts_as_a_route_of_that_app(tmp_path, register):
    # the 2022 Flask-Classful API's shape: src/__init__.py makes the app, src/routes.py calls the view class's
    # register(app) (a classmethod, the app its argument), and only main.py, the script the README runs, imports
    # routes.py: src:app, which its .flaskenv names, has no route at all. The view class here registers as
    # Flask-Classful's does.
    make_tree(tmp_path, {
        ".flaskenv": "export FLASK_ENV=development\nexport FLASK_APP=src\n",
        "src/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "src/views.py": "class DepartmentView:\n    @classmethod\n    def register(cls, app, route_base='/d/'):\n"
                        "        app.add_url_rule(route_base, 'departments', lambda: 'departments')\n",
        "src/routes.py": "from src import app, views\nfrom src.views import DepartmentView\n\n" + register + "\n",
        "main.py": "from src import app\nfrom src import routes\n\nif __name__ == '__main__':\n    app.run()\n"})
    p = Project(tmp_path)
    found = entry.find(p, None)
    assert found.entry.target == "main:app"
    entry.confirm(p, found, PY, TIMEOUT)   # the real Flask, importing main as a server would



def test_a_script_whose_name_a_package_beside_it_takes_says_so_and_what_to_rename(tmp_path):
    # app.py makes and routes its own app beside an app/ package of helpers: `import app` finds the package, so
    # app.py runs only as a script (`python app.py`), and no server can load it by its name
    make_tree(tmp_path, {
        "app/__init__.py": "",
        "app/helpers.py": "def greeting():\n    return 'hi'\n",
        "app.py": "from flask import Flask\n\nfrom app.helpers import greeting\n\napp = Flask(__name__)\n\n\n"
                  "@app.route('/')\ndef index():\n    return greeting()\n\n\nif __name__ == '__main__':\n"
                  "    app.run()\n"})
    p = Project(tmp_path)
    found = entry.find(p, None)
    assert found.entry.target == "app:app"
    with pytest.raises(AppCodeError) as err:
        entry.confirm(p, found, PY, TIMEOUT)       # the real import, as a server would do it
    assert "app.py cannot be imported as `app`, the package app/ beside it takes that name" in err.value.message
    assert err.value.hint.startswith("rename app.py")


def test_a_package_beside_a_script_of_its_name_is_what_importing_that_name_runs(tmp_path):
    # the 2024 take-home API's shape: app.py beside app/ (an empty __init__.py), the app made in app/db.py, its
    # routes in app/routes.py; app.py's `from app.db import app` is the package's, as Python's finder looks for
    # the folder first: app/routes.py's app, which has every route, is the one a server can load
    make_tree(tmp_path, {
        "app/__init__.py": "",
        "app/db.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "app/routes.py": "from app.db import app\n\n\n@app.route('/')\ndef ping():\n    return 'Pong'\n",
        "app.py": "from app.db import app\nfrom app.routes import *\n\nif __name__ == '__main__':\n    app.run()\n"})
    p = Project(tmp_path)
    found = entry.find(p, None)
    assert found.entry.target == "app.routes:app"
    entry.confirm(p, found, PY, TIMEOUT)


def test_a_script_calling_the_factory_of_the_package_that_shadows_it_is_served_as_that_call(tmp_path):
    # the 2022 class-table backend's shape: backend/app.py binds create_app('development') from the app/ package
    # beside it; python app.py runs it, a server loading `app` gets the package: the same call on the package
    make_tree(tmp_path, {
        "app/__init__.py": "from flask import Flask\n\n\ndef create_app(env):\n    app = Flask(__name__)\n"
                           "    from .views import bp\n    app.register_blueprint(bp, url_prefix='/api/v1')\n"
                           "    return app\n",
        "app/views.py": "from flask import Blueprint\n\nbp = Blueprint('api', __name__)\n\n\n@bp.route('/')\n"
                        "def index():\n    return 'hi'\n",
        "app.py": "from app import create_app\n\napp = create_app('development')\n\nif __name__ == '__main__':\n"
                  "    app.run(debug=True)\n"})
    p = Project(tmp_path)
    found = entry.find(p, None)
    assert found.entry.target == "app:create_app('development')"
    entry.confirm(p, found, PY, TIMEOUT)


def test_a_django_asgi_py_importing_channels_the_project_never_declares_is_not_the_entry(tmp_path):
    # a DRF API whose asgi.py goes on to import a Channels router (misspelt at that) after get_asgi_application():
    # channels is in neither its settings nor its requirements, so asgi.py cannot be imported; wsgi.py is the app
    asgi = ("import os\nfrom django.core.asgi import get_asgi_application\n\n"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'core.settings')\n"
            "application = get_asgi_application()\n\n"
            "from channels.auth import AuthMiddlewareStack\nfrom channels.routing import ProtocolTypeRouter, RLRouter\n")
    make_tree(tmp_path, {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'core.settings')\n",
        "core/__init__.py": "",
        "core/settings.py": "SECRET_KEY = 'x'\nROOT_URLCONF = 'core.urls'\n"
                            "INSTALLED_APPS = ['django.contrib.auth', 'rest_framework']\n",
        "core/urls.py": "urlpatterns = []\n",
        "core/wsgi.py": "import os\n\nfrom django.core.wsgi import get_wsgi_application\n\n"
                        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'core.settings')\n"
                        "application = get_wsgi_application()\n",
        "core/asgi.py": asgi,
        "requirements.txt": "Django==4.2.2\ndjangorestframework==3.14.0\ngunicorn==20.1.0\n",
    })
    assert entry.find(Project(tmp_path), None).entry.target == "core.wsgi:application"
    # declared (a channel layer brings channels), or nothing declared at all: a Channels project, served as ASGI
    for requirements in ("Django==4.2.2\nchannels-redis==4.1.0\n", "Django==4.2.2\nchannels\n"):
        (tmp_path / "requirements.txt").write_text(requirements)
        assert entry.find(Project(tmp_path), None).entry.target == "core.asgi:application", requirements
    (tmp_path / "requirements.txt").unlink()
    assert entry.find(Project(tmp_path), None).entry.target == "core.asgi:application"


def test_a_busy_machine_gives_the_import_longer_and_says_so(tmp_path, monkeypatch):
    """47 s of wall clock for 6.5 s of CPU (pandas, scikit-learn, nltk) with 16 runnable processes on 2 CPUs: the
    limit is stretched by the load per CPU, at most BUSY_STRETCH times, and an import that still blocks says so."""
    from shipyard.detect.entry import proof
    monkeypatch.setattr(proof.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(proof.os, "getloadavg", lambda: (3.0, 0.0, 0.0))
    assert proof.busy_factor() == (1.5, "load 3 on 2 CPUs")
    monkeypatch.setattr(proof.os, "getloadavg", lambda: (16.0, 0.0, 0.0))
    assert proof.busy_factor()[0] == proof.BUSY_STRETCH
    monkeypatch.setattr(proof.os, "getloadavg", lambda: (1.0, 0.0, 0.0))
    assert proof.busy_factor() == (1.0, "")
    # an import of 3 s under a limit of 2 s passes when the machine is busy (load 4 on 2 CPUs: 4 s)...
    root = make_tree(tmp_path / "slow", {"app.py": "import time\ntime.sleep(3)\n\n\n"
                                                    "def app(environ, start_response):\n"
                                                    "    start_response('200 OK', [])\n    return [b'ok']\n"})
    monkeypatch.setattr(proof.os, "getloadavg", lambda: (4.0, 0.0, 0.0))
    entry.confirm(Project(root), entry.find(Project(root), None), PY, 2.0)
    # ...and one that blocks is said with the stretch
    with pytest.raises(AppLoadError) as err:
        entry.confirm(project("blocks_at_import"), find("blocks_at_import"), PY, 1.0)
    assert err.value.message.startswith("importing app:app did not finish within 2s (1s, 2.0 times as the machine is "
                                        "busy: load 4 on 2 CPUs): it blocks at import")


def test_the_router_asgi_application_names_is_the_entry_when_asgi_py_never_loads_it(tmp_path):
    # a 2023 Channels 4 chat: asgi.py is startproject's plain Django handler, and the settings' ASGI_APPLICATION
    # names core.routing.application, the ProtocolTypeRouter with the WebSocket routes (daphne's runserver serves
    # that one). asgi.py would answer HTTP and refuse every WebSocket: the router is the entry
    plain_asgi = ("import os\nfrom django.core.asgi import get_asgi_application\n\n"
                  "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'core.settings')\n"
                  "application = get_asgi_application()\n")
    routing = ("from channels.routing import ProtocolTypeRouter, URLRouter\n"
               "from django.core.asgi import get_asgi_application\n"
               "import chat.routing\n\n"
               "application = ProtocolTypeRouter({'http': get_asgi_application(),\n"
               "                                  'websocket': URLRouter(chat.routing.websocket_urlpatterns)})\n")
    make_tree(tmp_path, {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'core.settings')\n",
        "core/__init__.py": "",
        "core/settings.py": "SECRET_KEY = 'x'\nROOT_URLCONF = 'core.urls'\n"
                            "INSTALLED_APPS = ['daphne', 'django.contrib.auth', 'chat']\n"
                            "ASGI_APPLICATION = 'core.routing.application'\n",
        "core/urls.py": "urlpatterns = []\n",
        "core/wsgi.py": "import os\n\nfrom django.core.wsgi import get_wsgi_application\n\n"
                        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'core.settings')\n"
                        "application = get_wsgi_application()\n",
        "core/asgi.py": plain_asgi,
        "core/routing.py": routing,
        "chat/__init__.py": "",
        "chat/routing.py": "websocket_urlpatterns = []\n",
        "requirements.txt": "Django==4.2.6\nchannels==4.0.0\ndaphne==4.0.0\n",
    })
    assert entry.find(Project(tmp_path), None).entry.target == "core.routing:application"
    # Channels 2's layout: asgi.py sets Django up and loads the router itself; asgi.py stays the entry
    (tmp_path / "core/asgi.py").write_text(plain_asgi.replace("application = get_asgi_application()\n",
                                                              "get_asgi_application()\n"
                                                              "from core.routing import application\n"))
    assert entry.find(Project(tmp_path), None).entry.target == "core.asgi:application"


def test_a_django_project_whose_manage_py_folder_holds_an_init_py_runs_from_that_folder(tmp_path):
    # mezzanine-project's layout (and many Django 1.x projects): site/__init__.py beside site/manage.py, the
    # project package in site/site/; its settings name `site.urls`, and manage.py computes the settings module
    # (real_project_name), so only the folder manage.py runs from makes `site.wsgi` importable with its settings
    manage = ("#!/usr/bin/env python\nimport os\nimport sys\n\nif __name__ == '__main__':\n"
              "    from mezzanine.utils.conf import real_project_name\n"
              "    settings_module = '%s.settings' % real_project_name('site')\n"
              "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', settings_module)\n"
              "    from django.core.management import execute_from_command_line\n"
              "    execute_from_command_line(sys.argv)\n")
    wsgi = ("import os\n\nfrom django.core.wsgi import get_wsgi_application\n"
            "from mezzanine.utils.conf import real_project_name\n\n"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', '%s.settings' % real_project_name('site'))\n"
            "application = get_wsgi_application()\n")
    make_tree(tmp_path, {
        "Dockerfile": "FROM debian\n",
        "site/__init__.py": "",
        "site/manage.py": manage,
        "site/fabfile.py": "import os\n",
        "site/requirements.txt": "Mezzanine==6.1.1\n",
        "site/site/__init__.py": "",
        "site/site/settings.py": "import os\nPROJECT_APP = os.path.basename(os.path.dirname(__file__))\n"
                                 "ROOT_URLCONF = '%s.urls' % PROJECT_APP\nSECRET_KEY = 'x'\n",
        "site/site/urls.py": "from django.urls import path\n\nurlpatterns = []\n",
        "site/site/wsgi.py": wsgi,
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target, found.entry.settings_module) == \
        ("site", "site.wsgi:application", "site.settings")
    # a project whose code imports the outer package by name (`from site.site.urls import ...`) runs from above
    (tmp_path / "site/site/views.py").write_text("from site.site.urls import urlpatterns\n")
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == (".", "site.site.wsgi:application")


def test_a_module_named_after_its_folder_importing_the_folder_s_submodules_runs_from_the_folder_above(tmp_path):
    # app/app.py (no app/__init__.py) imports `from app.utils.config import`: run from app/, `app` is app.py, a
    # module and not a package; the app's own imports say it runs from the root as app.app (uvicorn app.app:app)
    make_tree(tmp_path, {
        "app/app.py": """
            from fastapi import FastAPI

            from app.utils.config import GREETING
            from app.db.models import ROUTES

            app = FastAPI()


            @app.get("/")
            def home():
                return {"greeting": GREETING, "routes": ROUTES}
            """,
        "app/utils/config.py": "GREETING = 'ok'\n",
        "app/db/models.py": "from app.utils.config import GREETING\n\nROUTES = [GREETING]\n",
        "main.py": """
            import uvicorn

            if __name__ == '__main__':
                uvicorn.run("app.app:app")
            """,
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == (".", "app.app:app"), found
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)


def test_a_module_named_after_its_folder_importing_only_its_own_names_stays_in_its_folder(tmp_path):
    # tools/tools.py's `from tools import helper`: from tools/ that is tools.py itself (a name it defines), which
    # says nothing about running from above
    make_tree(tmp_path, {
        "tools/tools.py": """
            from flask import Flask

            helper = 'ok'
            app = Flask(__name__)


            @app.route("/")
            def home():
                from tools import helper
                return helper
            """,
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.workdir, found.entry.target) == ("tools", "tools:app"), found


# a Procfile written twice over: its first `web:` line runs the script, the second serves the app by name
TWO_WEB_LINES = {
    "app.py": "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get('/up')\ndef up():\n    return {}\n",
    "main.py": "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get('/')\ndef root():\n    return {}\n",
}


def test_a_later_procfile_web_line_names_the_app(tmp_path):
    root = make_tree(tmp_path / "app", {**TWO_WEB_LINES, "Procfile": (
        "web: python app.py\nweb: uvicorn app:app --host=0.0.0.0 --port=${PORT:-8000}\n")})
    assert entry.find(Project(root), None).entry.target == "app:app"


def test_procfile_web_lines_naming_two_apps_leave_them_ambiguous(tmp_path):
    root = make_tree(tmp_path / "app", {**TWO_WEB_LINES, "Procfile": (
        "web: uvicorn main:app\nweb: uvicorn app:app\n")})
    with pytest.raises(AmbiguousApp):
        entry.find(Project(root), None)


def test_confirm_names_the_compose_service_serve_does_not_run_that_a_failed_lookup_at_import_was_for(tmp_path):
    # a 2022 FastAPI news backend: meilisearch.Client('http://meilisearch:7700') updating an index at import; the
    # name is a service of the app's own compose file (getmeili/meilisearch), which serve does not start: that is
    # said with what to do, not "start the database or cache it connects to"
    (tmp_path / "app.py").write_text(
        "raise ConnectionError(\"HTTPConnectionPool(host='shipyardsearch', port=7700): Max retries exceeded with "
        "url: /indexes/news (Caused by NewConnectionError('[Errno -2] Name or service not known'))\")\n"
        + WSGI_TAIL)
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n  shipyardsearch:\n    image: getmeili/meilisearch:latest\n  db:\n    image: postgres\n"
        "  backend:\n    build: .\n")
    error = _confirm_error(tmp_path)
    assert "connects to shipyardsearch, the service shipyardsearch of docker-compose.yml (image " \
        "getmeili/meilisearch:latest), a name only that compose network resolves, which serve does not run" \
        in error.message, error.message
    assert error.hint.startswith("run the app in its compose stack (docker compose -f docker-compose.yml up)")


@pytest.mark.parametrize("image", ["postgres:16", "bitnami/redis"])
def test_a_compose_service_serve_runs_is_not_said_as_unserved(image, tmp_path):
    from shipyard.detect.entry.proof import _compose_service_host
    (tmp_path / "app.py").write_text("app = 1\n")
    (tmp_path / "docker-compose.yml").write_text(f"services:\n  db:\n    image: {image}\n  search:\n    image: x/s\n")
    p = Project(tmp_path)

    class F:
        workdir = "."
    msg = "HTTPConnectionPool(host='{}', port=1): Failed to resolve '{}' (Name or service not known)"
    assert _compose_service_host(p, F(), msg.format("db", "db")) is None
    assert _compose_service_host(p, F(), msg.format("search", "search")) == ("search", "docker-compose.yml", "x/s")


def test_the_script_a_procfiles_web_line_runs_settles_scripts_that_each_run_an_app(tmp_path):
    """eve-demo: run.py beside run-auth.py, run-hooks.py... each making and running an app of its own, and the
    Procfile's `web: python run.py`: the author's production script, where inspect said "found 3 apps"."""
    script = "from flask import Flask\napp = Flask(__name__)\n\n\n@app.route('/')\ndef index():\n    return '{}'\n\n\n" \
             "if __name__ == '__main__':\n    app.run()\n"
    files = {name: script.format(name) for name in ("run.py", "run-auth.py", "run-hooks.py")}
    make_tree(tmp_path, {**files, "requirements.txt": "flask\n"})
    with pytest.raises(AmbiguousApp, match="found 3 apps"):
        entry.find(Project(tmp_path), None)
    (tmp_path / "Procfile").write_text("web: python run.py\n")
    assert entry.find(Project(tmp_path), None).entry.target == "run:app"


@pytest.mark.parametrize("script", [
    ("run.ps1", '.\\env\\Scripts\\activate\n$env:FLASK_APP = "blog"\n$env:FLASK_ENV = "development"\nflask run\n'),
    ("run.bat", "set FLASK_APP=blog\r\nflask run\r\n"),
    ("start.sh", "#!/bin/sh\nexport FLASK_APP=blog\nflask init-db\nflask run\n"),
    ("dev.sh", "flask --app blog run --debug\n"),
])
def test_the_flask_app_a_root_run_script_sets_settles_two_apps(tmp_path, script):
    # the Flask tutorial as a learner keeps it: the flaskr package's factory beside the first lesson's hello.py,
    # and a run.ps1 that sets FLASK_APP before `flask run`
    files = {"hello.py": "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\ndef hello():\n"
                         "    return 'Hello'\n",
             "blog/__init__.py": "from flask import Flask\n\n\ndef create_app(test_config=None):\n"
                                 "    app = Flask(__name__)\n    app.add_url_rule('/', 'i', lambda: 'hi')\n"
                                 "    return app\n"}
    with pytest.raises(AmbiguousApp):
        entry.find(Project(make_tree(tmp_path / "bare", files)), None)
    named = make_tree(tmp_path / "named", {**files, script[0]: script[1]})
    assert entry.find(Project(named), None).entry.target == "blog:create_app()"


def test_a_package_module_that_imports_relatively_is_no_top_level_sibling_of_an_installed_namesake(tmp_path):
    # app/app/celery.py (`from .application import create_celery`) beside extensions.py's `from celery import
    # Celery`: as a top-level module celery.py could not import (no package for its `.`), so `celery` is the
    # installed one and app/app/ stays off sys.path (there, it hid Celery and the import failed). click stands in
    # for celery: installed wherever Flask is.
    make_tree(tmp_path, {
        "app/__init__.py": "from .application import create_app\n",
        "app/application.py": """
            from flask import Flask

            from app.extensions import greeting


            def create_app():
                app = Flask(__name__)
                app.add_url_rule("/", "i", greeting)
                return app
            """,
        "app/extensions.py": """
            import click


            def greeting():
                return click.style("hi")
            """,
        "app/click.py": "from .application import create_app\n\napp = create_app()\n",
    })
    found = entry.find(Project(tmp_path), None)
    assert found.entry.import_folder is None, found
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)


def test_of_modules_alike_the_script_that_runs_the_app_under_main_is_the_entry(tmp_path):
    # start.py makes the app, route.py adds its routes, real_start.py imports both and runs app.run() under
    # `__main__` (`python real_start.py`): real_start, not route.py, a module of the app's views with a shorter name
    make_tree(tmp_path, {
        "start.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "route.py": "from start import app\n\n\n@app.route('/')\ndef home():\n    return 'hi'\n",
        "real_start.py": "from start import app\nimport route\n\nif __name__ == '__main__':\n"
                         "    app.run(debug=True, port=8000)\n",
    })
    assert entry.find(Project(tmp_path), None).entry.target == "real_start:app"


def test_a_factory_making_a_framework_subclass_defined_below_it_is_the_factory(tmp_path):
    # constructora/app.py: `def create_app(): app = ConstructoraApp(__name__); ...; return app` above
    # `class ConstructoraApp(Flask): pass` (Python finds the class when the factory runs); the package's
    # __init__.py re-exports create_app, and the README runs `flask run` in the package
    make_tree(tmp_path, {
        "config.py": "SECRET_KEY = 'x'\n",
        "shop/__init__.py": "from shop.app import create_app  # noqa: F401\n",
        "shop/app.py": """
            from flask import Flask


            def create_app():
                app = ShopApp(__name__)
                app.config.from_object("config")
                app.add_url_rule("/", "home", lambda: "hi")
                return app


            class ShopApp(Flask):
                pass
            """,
    })
    found = entry.find(Project(tmp_path), None)
    assert (found.framework, found.workdir, found.entry.target) == ("flask", ".", "shop.app:create_app()")
    entry.confirm(Project(tmp_path), found, PY, TIMEOUT)
