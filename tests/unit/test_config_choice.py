"""Config classes picked from a dict by an environment variable (`config[os.getenv('FLASK_CONFIG', 'default')]`,
through a helper `get_config()` or inside a factory): which variable, the dict's production and development keys,
and what the proof, serve and dev set and say."""

from __future__ import annotations

import textwrap

import pytest

from conftest import make_tree
from shipyard import appconfig
from shipyard.detect.config_choice import choices
from shipyard.project import Project

CLASSES = """
    import os

    class Config:
        GREETING = "base"

    class DevelopmentConfig(Config):
        GREETING = "development"

    class ProductionConfig(Config):
        GREETING = "production"
    """

SHAPES = {
    # a helper returning the class by name, its dict inside it
    "helper": {"config.py": textwrap.dedent(CLASSES) + textwrap.dedent("""
        def get_config():
            config_map = {'development': DevelopmentConfig, 'production': ProductionConfig, 'default': Config}
            env = os.environ.get('FLASK_ENV', 'default')
            return config_map.get(env, Config)
        """), "app.py": "from flask import Flask\nfrom config import get_config\n"
                       "app = Flask(__name__)\napp.config.from_object(get_config())\n"},
    # the helper takes an optional name, read when not given; the dict at module level
    "optional_name": {"config.py": textwrap.dedent(CLASSES) + textwrap.dedent("""
        config_by_name = {"development": DevelopmentConfig, "production": ProductionConfig}

        def get_config(config_name=None):
            if config_name is None:
                config_name = os.getenv("FLASK_ENV", "development")
            return config_by_name[config_name]
        """), "app.py": "from flask import Flask\nfrom config import get_config\n"
                       "app = Flask(__name__)\napp.config.from_object(get_config())\n"},
    # a factory that reads its configuration's name itself
    "factory": {"config.py": textwrap.dedent(CLASSES) + "config = {'dev': DevelopmentConfig, 'prod': ProductionConfig, "
                                       "'default': DevelopmentConfig}\n",
                "app/__init__.py": """
        import os
        from flask import Flask
        from config import config

        def create_app():
            cfg = os.getenv('FLASK_CONFIG', 'default')
            app = Flask(__name__)
            app.config.from_object(config[cfg])
            return app
        """},
    # a module-level read another module imports, dict(...) of classes (new-bunjang-eat's layout)
    "imported_read": {"app/config.py": textwrap.dedent(CLASSES) + "config_env = dict(dev=DevelopmentConfig, prod=ProductionConfig)\n",
                      "app/env/__init__.py": "import os\nenv = os.getenv('BUNCUL_ENV', 'dev')\n",
                      "app/__init__.py": "from flask import Flask\nfrom app.config import config_env\n"
                                         "from app.env import env\napp = Flask(__name__)\n"
                                         "app.config.from_object(config_env[env])\n"},
    # compared, not indexed: the value in the branch that names the production class
    "compared": {"src/config/classes.py": textwrap.dedent(CLASSES).replace("Development", "Dev")
                 .replace("Production", "Prod"),
                 "src/config/__init__.py": """
        import os
        from src.config.classes import DevConfig, ProdConfig, Config

        env = os.getenv("FLASK_ENV", "development")
        if env == "production":
            config = ProdConfig
        elif env == "testing":
            config = Config
        else:
            config = DevConfig
        """, "app.py": "from flask import Flask\nfrom src.config import config\napp = Flask(__name__)\n"
                       "app.config.from_object(config)\n"},
    # a Django settings package importing its production or development module by a decouple read with no
    # default (hotel-system's layout: the variable is set only as a CI secret)
    "django_settings_package": {
        "manage.py": "import os\nfrom decouple import config\nenvironment = config('ENVIRONMENT')\n"
                     "os.environ.setdefault('DJANGO_SETTINGS_MODULE', f'hotel.settings.{environment}')\n",
        "hotel/__init__.py": "",
        "hotel/settings/__init__.py": """
        from decouple import config

        if config('ENVIRONMENT') == 'production':
           from .production import *
        else:
           from .development import *
        """,
        "hotel/settings/base.py": "DEBUG = False\n",
        "hotel/settings/development.py": "from .base import *\nDEBUG = True\n",
        "hotel/settings/production.py": "from .base import *\n"},
    # the compared value is development's and the else branch imports production's module (a 2023 boilerplate
    # after the testdriven.io guide): the module's name picks it, as any value but "dev" would
    "django_dev_compared_else_prod": {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'core.settings')\n",
        "core/__init__.py": "",
        "core/settings/__init__.py": """
        import os

        environment = os.environ.get("ENVIRONMENT")

        if environment == "dev":
            from .dev import *
        else:
            from .prod import *
        """,
        "core/settings/base.py": "import os\nDEBUG = False\nHEADER = os.environ.get('ENVIRONMENT').upper()\n",
        "core/settings/dev.py": "from .base import *\nDEBUG = True\n",
        "core/settings/prod.py": "from .base import *\n"},
}
EXPECTED = {"helper": ("FLASK_ENV", "production", "development"),
            "optional_name": ("FLASK_ENV", "production", "development"),
            "factory": ("FLASK_CONFIG", "prod", "dev"),
            "imported_read": ("BUNCUL_ENV", "prod", "dev"),
            "compared": ("FLASK_ENV", "production", None),
            "django_settings_package": ("ENVIRONMENT", "production", None),
            "django_dev_compared_else_prod": ("ENVIRONMENT", "prod", "dev")}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_the_variable_picking_a_config_class_from_a_dict_gets_its_production_key(tmp_path, shape):
    app = make_tree(tmp_path, SHAPES[shape])
    variable, production, development = EXPECTED[shape]
    (found,) = choices(Project(app))
    assert (found.variable, found.production, found.development) == EXPECTED[shape]
    for mode in ("proof", "serve"):
        config = appconfig.run_config(app, ".", {}, mode=mode, secret_file=tmp_path / "k")
        assert config.environ[variable] == production, (mode, config.environ)
        assert f"{variable}={production} (the value that picks the app's production config class at " \
               f"{found.rel}:{found.line}" in "\n".join(config.notes)
    assert appconfig.run_config(app, ".", {}, mode="dev", secret_file=tmp_path / "k").environ.get(variable) == development
    # yours wins, and is not said
    yours = appconfig.run_config(app, ".", {variable: "staging"}, mode="serve", secret_file=tmp_path / "k")
    assert variable not in yours.environ and variable not in "\n".join(yours.notes)
    # inspect, init and build say how the image gets it
    assert any(n.startswith(f"{variable} picks the app's config class") and f"-e {variable}={production}" in n
               for n in appconfig.config_class_notes(app, "."))


def test_an_example_files_development_key_gives_way_in_serve_and_another_is_kept(tmp_path):
    app = make_tree(tmp_path, {**SHAPES["factory"], ".env.example": "FLASK_CONFIG=dev\n"})
    config = appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k")
    assert config.environ["FLASK_CONFIG"] == "prod"
    assert "not dev as .env.example gives" in "\n".join(config.notes)
    assert appconfig.run_config(app, ".", {}, mode="dev", secret_file=tmp_path / "k").environ["FLASK_CONFIG"] == "dev"
    staging = make_tree(tmp_path / "staging", {**SHAPES["factory"], ".env.example": "FLASK_CONFIG=default\n"})
    assert appconfig.run_config(staging, ".", {}, mode="serve",
                                secret_file=tmp_path / "k").environ["FLASK_CONFIG"] == "default"


def test_a_dict_of_other_things_indexed_by_a_variable_is_no_config_choice(tmp_path):
    app = make_tree(tmp_path, {"app.py": """
        import os
        COLORS = {'dev': 'red', 'prod': 'green'}
        HANDLERS = {'a': handle_a, 'b': handle_b}
        color = COLORS[os.getenv('STAGE', 'dev')]
        handler = HANDLERS.get(os.environ['MODE'])
        if os.getenv('STAGE') == 'prod':
            DEBUG = False
        """})
    assert choices(Project(app)) == ()


def test_a_production_settings_module_left_empty_is_not_the_value_serve_picks(tmp_path):
    """configs/settings.py imports django/prod.py when DJANGO_ENV is "prod", django/local.py (the default, with the
    DATABASES and everything else) otherwise; prod.py is an empty file the author never wrote: picking it would run
    Django with no DATABASES at all. The default stays: no value is set, none is said."""
    app = make_tree(tmp_path, {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'configs.settings')\n",
        "configs/__init__.py": "",
        "configs/settings.py": "from os import environ\nDJANGO_ENV = environ.get('DJANGO_ENV', 'local')\n"
                               "if DJANGO_ENV == 'prod':\n    from .django.prod import *\n"
                               "elif DJANGO_ENV == 'local':\n    from .django.local import *\n"
                               "else:\n    from .django.base import *\n",
        "configs/django/__init__.py": "",
        "configs/django/base.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db'}}\n",
        "configs/django/local.py": "from .base import *\n",
        "configs/django/prod.py": ""})
    assert choices(Project(app)) == ()
    config = appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k")
    assert "DJANGO_ENV" not in config.environ
    # once written, prod.py is the production configuration again
    (app / "configs/django/prod.py").write_text("from .base import *\nDEBUG = False\n")
    (found,) = choices(Project(app))
    assert (found.variable, found.production) == ("DJANGO_ENV", "prod")


def test_a_production_settings_module_no_python_3_imports_is_not_the_value_serve_picks(tmp_path):
    """A 2025 DRF test assignment: backend/config/settings/__init__.py imports .prod when DJANGO_ENV is
    'production', .dev (base.py's SQLite) otherwise; prod.py starts `from base import *`, Python 2's implicit
    relative import, which Python 3 reads as a top-level module base and cannot import from anywhere. serve set
    DJANGO_ENV=production and inspect's proof stopped on "cannot import 'base'"; the app's compose file runs it
    without the variable, on dev. The default stays; once prod.py imports .base, production is picked again."""
    app = make_tree(tmp_path, {
        "backend/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n",
        "backend/config/__init__.py": "",
        "backend/config/settings/__init__.py": "import os\nenvironment = os.environ.get('DJANGO_ENV', 'development')\n"
                                               "if environment == 'production':\n    from .prod import *\n"
                                               "else:\n    from .dev import *\n",
        "backend/config/settings/base.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', "
                                           "'NAME': 'db.sqlite3'}}\n",
        "backend/config/settings/dev.py": "from .base import *\nDEBUG = True\n",
        "backend/config/settings/prod.py": "import os\nfrom base import *\nDEBUG = False\n"})
    assert choices(Project(app)) == ()
    config = appconfig.run_config(app, "backend", {}, mode="serve", secret_file=tmp_path / "k")
    assert "DJANGO_ENV" not in config.environ
    # the example env file says DJANGO_ENV='production' (its compose file never passes it): not taken, and said
    (app / ".env.example").write_text("POSTGRES_DB='postgres'\nDJANGO_ENV='production' # OR 'development'\n")
    for mode in ("proof", "serve"):
        config = appconfig.run_config(app, "backend", {}, mode=mode, secret_file=tmp_path / "k")
        assert "DJANGO_ENV" not in config.environ and config.environ["POSTGRES_DB"] == "postgres"
        assert any("not taken from .env.example: DJANGO_ENV=production (it picks backend/config/settings/prod.py, "
                   "which does `from base import *`" in note for note in config.notes), config.notes
    (app / "backend/config/settings/prod.py").write_text("import os\nfrom .base import *\nDEBUG = False\n")
    (found,) = choices(Project(app))
    assert (found.variable, found.production) == ("DJANGO_ENV", "production")


def test_a_bare_star_import_of_a_top_level_module_keeps_production(tmp_path):
    """`from settings_base import *` where settings_base.py sits at the root the app runs from (not beside the
    production module) imports fine: production stays the value serve picks."""
    app = make_tree(tmp_path, {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_conf.settings')\n",
        "settings_base.py": "DATABASES = {}\n",
        "site_conf/__init__.py": "",
        "site_conf/settings/__init__.py": "import os\nif os.environ.get('APP_ENV', 'dev') == 'production':\n"
                                          "    from .prod import *\nelse:\n    from .dev import *\n",
        "site_conf/settings/dev.py": "from settings_base import *\n",
        "site_conf/settings/prod.py": "from settings_base import *\nDEBUG = False\n"})
    (found,) = choices(Project(app))
    assert (found.variable, found.production) == ("APP_ENV", "production")


def test_the_image_sets_the_variable_that_picks_a_settings_packages_production_module(tmp_path):
    """A 2023 Azure blog: felixblog/settings/__init__.py does `from .base import *`, then
    `if os.environ['myproject'] == 'production': from .production import *` (no default). serve sets
    myproject=production; the image did not, so its build-time collectstatic stopped on KeyError: 'myproject'.
    The plan carries the choice (config_env), kept through its JSON, and the Dockerfile's ENV sets it before the
    collectstatic step, as the entry's own production_env is."""
    from shipyard.plan import Plan
    from shipyard.planner import make_plan
    from shipyard.render import render
    root = make_tree(tmp_path / "blog", {
        "manage.py": "import os\nimport sys\n\nif __name__ == '__main__':\n"
                     "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'felixblog.settings')\n"
                     "    from django.core.management import execute_from_command_line\n"
                     "    execute_from_command_line(sys.argv)\n",
        "requirements.txt": "Django>=4.1,<4.2\n",
        "felixblog/__init__.py": "",
        "felixblog/wsgi.py": "import os\nfrom django.core.wsgi import get_wsgi_application\n"
                             "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'felixblog.settings')\n"
                             "application = get_wsgi_application()\n",
        "felixblog/urls.py": "urlpatterns = []\n",
        "felixblog/settings/__init__.py": "from .base import *\nif os.environ['myproject'] == 'production':\n"
                                          "   from .production import *\nelse:\n   from .development import *\n",
        "felixblog/settings/base.py": "import os\nSECRET_KEY = 'x'\nROOT_URLCONF = 'felixblog.urls'\n"
                                      "STATIC_URL = '/static/'\nSTATIC_ROOT = 'staticfiles'\n"
                                      "INSTALLED_APPS = ['django.contrib.staticfiles']\n",
        "felixblog/settings/production.py": "DEBUG = False\nALLOWED_HOSTS = ['*']\n",
        "felixblog/settings/development.py": "DEBUG = True\n",
    })
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.config_env == (("myproject", "production"),)
    assert Plan.from_dict(plan.to_dict()).config_env == plan.config_env
    dockerfile = render(plan)["Dockerfile"]
    env_at, collect_at = dockerfile.index('myproject="production"'), dockerfile.index("collectstatic\n")
    assert env_at < collect_at, dockerfile


def test_an_else_branch_of_no_kind_or_of_both_kinds_gives_no_production_key(tmp_path):
    # `else: from .local import *` names neither kind: which value picks production is not known
    files = dict(SHAPES["django_dev_compared_else_prod"])
    files["core/settings/__init__.py"] = files["core/settings/__init__.py"].replace(".prod import", ".local import")
    files["core/settings/local.py"] = files.pop("core/settings/prod.py")
    (found,) = choices(Project(make_tree(tmp_path, files)))
    assert (found.production, found.development) == (None, "dev")


STARTER = {
    # a REST starter's shape: server.py imports the app package, whose __init__ picks the config class by
    # FLASK_ENV with development as its default; each class is a `Config` in its own module, imported under
    # the kind's name; only the development one names the database (read from the environment)
    "server.py": "from app import application\n",
    "app/__init__.py": "import os\nfrom app.factory import create_app\n"
                       "config_name = os.getenv('FLASK_ENV') or 'development'\n"
                       "application = create_app(config_name)\n",
    "app/factory.py": "from flask import Flask\nfrom app.config import config\n\n"
                      "def create_app(config_name):\n    app = Flask(__name__)\n"
                      "    app.config.from_object(config[config_name])\n    return app\n",
    "app/config/__init__.py": "from .development import Config as DevelopmentConfig\n"
                              "from .production import Config as ProductionConfig\n\n"
                              "config = {'development': DevelopmentConfig, 'production': ProductionConfig}\n",
    "app/config/base.py": "class Config:\n    DEBUG = False\n    SQLALCHEMY_POOL_SIZE = 5\n",
    "app/config/development.py": "import os\nfrom .base import Config as BaseConfig\n\n\nclass Config(BaseConfig):\n"
                                 "    SQLALCHEMY_DATABASE_URI = os.getenv('SQLALCHEMY_DATABASE_URI') or "
                                 "'postgresql://localhost/app'\n",
    "app/config/production.py": "from .base import Config as BaseConfig\n\n\nclass Config(BaseConfig):\n"
                                "    DEBUG = False\n",
    "docker-compose.yml": "services:\n  app:\n    build: .\n    environment:\n      FLASK_ENV: development\n",
    "requirements.txt": "Flask==2.0.2\nFlask-SQLAlchemy==2.5.1\n",
}


def test_a_production_class_naming_no_database_is_not_the_one_serve_picks_by_flask_env(tmp_path):
    """The compose file's FLASK_ENV=development used to become FLASK_ENV=production (Flask before 2.3 turns debug
    on with development): the app then loaded its production class, a stub with no SQLALCHEMY_DATABASE_URI, and
    Flask-SQLAlchemy 2.5 fell back to an in-memory SQLite, on which `flask db upgrade` failed (pool_size sent to
    SQLite's StaticPool). Now FLASK_ENV stays unset (the app's default, development, the class with the
    database), FLASK_DEBUG=0 keeps debug off, and the note says why."""
    app = make_tree(tmp_path / "starter", STARTER)
    config = appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k")
    assert "FLASK_ENV" not in config.environ and config.environ["FLASK_DEBUG"] == "0"
    assert ("FLASK_ENV left unset: not docker-compose.yml's FLASK_ENV=development (Flask before 2.3 turns debug mode "
            "on with it; FLASK_DEBUG=0 keeps it off), nor production, as the app picks its config class by it and "
            "app/config/production.py's Config names no database (SQLALCHEMY_DATABASE_URI is set only by "
            "app/config/development.py's Config); the app takes its default") in config.notes
    # the production class that names its database (here through its base) is the one serve runs, as before
    make_tree(app, {"app/config/base.py": "import os\n\n\nclass Config:\n    DEBUG = False\n"
                                          "    SQLALCHEMY_DATABASE_URI = os.getenv('SQLALCHEMY_DATABASE_URI')\n"})
    config = appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k2")
    assert config.environ["FLASK_ENV"] == "production" and "FLASK_DEBUG" not in config.environ


def test_a_factory_picking_a_stub_production_class_by_flask_env_is_left_its_default(tmp_path):
    """A learning-log app's create_app() indexes `config` by os.getenv('FLASK_ENV', 'development'); its
    DevelopmentConfig (the default) reads DATABASE_URL, its ProductionConfig's URI is commented out. FLASK_ENV=production,
    the value that picks the production class, ran it with no database ("Either 'SQLALCHEMY_DATABASE_URI' or
    'SQLALCHEMY_BINDS' must be set"): left unset, the app takes its default; FLASK_DEBUG=0 keeps debug off."""
    app = make_tree(tmp_path / "logs", {
        "config.py": "import os\n\n\nclass Config:\n    SECRET_KEY = 'x'\n\n\n"
                     "class DevelopmentConfig(Config):\n    DEBUG = True\n"
                     "    SQLALCHEMY_DATABASE_URI = os.getenv('DATABASE_URL')\n\n\n"
                     "class ProductionConfig(Config):\n    PRODUCTION = True\n    # SQLALCHEMY_DATABASE_URI = xxx\n\n\n"
                     "config = {'development': DevelopmentConfig, 'production': ProductionConfig, "
                     "'default': DevelopmentConfig}\n",
        "app/__init__.py": "import os\nfrom flask import Flask\nfrom config import config\n\n\n"
                           "def create_app(config_name=None):\n    if config_name is None:\n"
                           "        config_name = os.getenv('FLASK_ENV', 'development')\n"
                           "    app = Flask(__name__)\n    app.config.from_object(config[config_name])\n    return app\n",
        "requirements.txt": "Flask\nFlask-SQLAlchemy\n",
    })
    for mode in ("serve", "proof"):
        config = appconfig.run_config(app, ".", {}, mode=mode, secret_file=tmp_path / mode)
        assert "FLASK_ENV" not in config.environ and config.environ["FLASK_DEBUG"] == "0"
    assert any(n.startswith("FLASK_ENV left unset, not production: the app picks its config class by it at "
                            "app/__init__.py:") and "config.py's ProductionConfig names no database" in n
               for n in config.notes)
    # a production class that names its database is picked, as before
    make_tree(app, {"config.py": (app / "config.py").read_text().replace(
        "    # SQLALCHEMY_DATABASE_URI = xxx", "    SQLALCHEMY_DATABASE_URI = os.getenv('DATABASE_URL')")})
    assert appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k").environ["FLASK_ENV"] \
        == "production"
