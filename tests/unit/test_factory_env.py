"""A module-level app made by its factory from an environment variable (flasky's `app = create_app(
os.getenv('FLASK_CONFIG') or 'default')`): the variable gets the production configuration the project offers,
in the import proof, serve and the image (detect/entry/factory_env.py, appconfig.py, the Dockerfile's ENV)."""

from __future__ import annotations

import dataclasses
import sys

import pytest

from shipyard import appconfig
from shipyard.detect import entry
from shipyard.plan import Plan
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.render import render

import plans
from conftest import make_tree

PY = sys.executable
CONFIG = ("class Config:\n    NAME = 'base'\n\n\n"
          "class DevelopmentConfig(Config):\n    NAME = 'development'\n\n\n"
          "class ProductionConfig(Config):\n    NAME = 'production'\n\n\n"
          "config = {{{keys}}}\n")
FLASKY_KEYS = "'development': DevelopmentConfig, 'production': ProductionConfig, 'default': DevelopmentConfig"
FACTORY = ("from flask import Flask\n\nfrom config import config\n\n\n"
           "def create_app(config_name):\n"
           "    app = Flask(__name__)\n"
           "    app.config.from_object(config[config_name])\n\n"
           "    @app.route('/')\n"
           "    def index():\n"
           "        return app.config['NAME']\n\n"
           "    return app\n")


def flasky(root, wsgi: str, keys: str = FLASKY_KEYS):
    return make_tree(root, {"config.py": CONFIG.format(keys=keys), "app/__init__.py": FACTORY,
                            "wsgi.py": "import os\n\nfrom app import create_app\n\n" + wsgi})


@pytest.mark.parametrize("wsgi, variable", [
    ("app = create_app(os.getenv('FLASK_CONFIG') or 'default')\n", "FLASK_CONFIG"),
    ("app = create_app(os.environ['FLASK_CONFIG'])\n", "FLASK_CONFIG"),
    ("config_name = os.environ.get('APP_CONFIG', 'default')\napp = create_app(config_name)\n", "APP_CONFIG"),
])
def test_the_variable_a_module_level_app_passes_its_factory_gets_the_production_configuration(tmp_path, wsgi,
                                                                                              variable):
    found = entry.find(Project(flasky(tmp_path, wsgi)), None)
    assert found.entry.target == "wsgi:app"
    assert found.entry.production_env == ((variable, "production"),)
    assert any(f"{variable}=production, the production one the project offers" in n for n in found.notes)


def test_a_project_that_offers_no_production_configuration_gets_no_value(tmp_path):
    keys = "'development': DevelopmentConfig, 'testing': Config"
    found = entry.find(Project(flasky(tmp_path, "app = create_app(os.getenv('FLASK_CONFIG') or 'development')\n",
                                      keys)), None)
    assert found.entry.target == "wsgi:app" and found.entry.production_env == ()


def test_a_literal_argument_is_the_apps_own_choice(tmp_path):
    found = entry.find(Project(flasky(tmp_path, "app = create_app('development')\n")), None)
    assert found.entry.production_env == ()


def test_the_import_proof_runs_with_it_where_the_app_has_no_default(tmp_path, monkeypatch):
    """Before: `os.environ['FLASK_CONFIG']` failed the proof, a variable to set with no value said anywhere."""
    monkeypatch.delenv("FLASK_CONFIG", raising=False)
    plan = make_plan(flasky(tmp_path, "app = create_app(os.environ['FLASK_CONFIG'])\n"), python_exe=PY, timeout=30)
    assert plan.proof.proven, plan.proof.reason
    assert any("FLASK_CONFIG=production (the production configuration the app's factory takes from it)" in n
               for n in plan.proof.notes)
    assert Plan.from_json(plan.to_json()).entry.production_env == (("FLASK_CONFIG", "production"),)


@pytest.mark.parametrize("mode, environ, example, want", [
    ("serve", {}, "", "production"),
    ("proof", {}, "", "production"),
    ("serve", {}, "FLASK_CONFIG=development\n", "production"),    # the example's development value gives way
    ("serve", {"FLASK_CONFIG": "testing"}, "", None),              # yours wins
    ("dev", {}, "", None),                                         # dev keeps the app's own (development) default
])
def test_serve_and_the_proof_give_it_over_an_example_file_and_never_over_yours(tmp_path, mode, environ, example,
                                                                                  want):
    root = flasky(tmp_path, "app = create_app(os.getenv('FLASK_CONFIG') or 'default')\n")
    if example:
        (root / ".env.example").write_text(example)
    config = appconfig.run_config(root, ".", environ, mode=mode, entry_module="wsgi",
                                  production_env=(("FLASK_CONFIG", "production"),))
    assert config.environ.get("FLASK_CONFIG") == want
    if want and example:
        assert any("not development as .env.example gives" in n for n in config.notes)


def test_the_image_sets_it():
    plan = plans.flask_wsgi()
    plan = dataclasses.replace(plan, entry=dataclasses.replace(plan.entry, production_env=(("FLASK_CONFIG", "prod"),)))
    final = render(plan)["Dockerfile"].split("\nFROM ${BASE}\n")[1]
    assert '    FLASK_CONFIG="prod" \\\n' in final
    assert "FLASK_CONFIG" not in render(plans.flask_wsgi())["Dockerfile"]


BROKEN_PRODUCTION = CONFIG.replace(
    "class ProductionConfig(Config):\n    NAME = 'production'\n",
    "class ProductionConfig(Config):\n    NAME = 'production'\n\n"
    "    @classmethod\n    def init_app(cls, app):\n        return cls.MAIL_PORT\n")


def broken_flasky(root, wsgi: str):
    # the factory calls the class's init_app, which reads an attribute the production class lacks (a typo'd name)
    factory = FACTORY.replace("    app.config.from_object(config[config_name])\n",
                              "    app.config.from_object(config[config_name])\n"
                              "    getattr(config[config_name], 'init_app', lambda app: None)(app)\n")
    return make_tree(root, {"config.py": BROKEN_PRODUCTION.format(keys=FLASKY_KEYS), "app/__init__.py": factory,
                            "wsgi.py": "import os\n\nfrom app import create_app\n\n" + wsgi})


def test_a_production_configuration_that_fails_at_import_gives_way_to_the_apps_default(tmp_path, monkeypatch):
    """Before: FLASK_CONFIG=production failed the import in the app's own ProductionConfig.init_app, and serve
    stopped, though the app imports with its default ('default', as its Procfile runs it)."""
    monkeypatch.delenv("FLASK_CONFIG", raising=False)
    root = broken_flasky(tmp_path, "app = create_app(os.getenv('FLASK_CONFIG') or 'default')\n")
    plan = make_plan(root, python_exe=PY, timeout=30)
    assert plan.proof.proven, plan.proof.reason
    assert plan.entry.production_env == ()
    [note] = [n for n in plan.notes if "fails at import" in n]
    assert note.startswith("FLASK_CONFIG=production (the production configuration the app's factory offers) "
                           "fails at import (") and "MAIL_PORT" in note
    assert not any("the production one the project offers" in n for n in plan.notes)
    assert not any("FLASK_CONFIG=production" in n for n in plan.proof.notes)
    assert "FLASK_CONFIG" not in render(plan)["Dockerfile"]


def test_a_failing_production_configuration_stands_where_the_default_fails_too(tmp_path, monkeypatch):
    # no default to fall back on (os.environ[...]): the first failure is the one said
    monkeypatch.delenv("FLASK_CONFIG", raising=False)
    plan = make_plan(broken_flasky(tmp_path, "app = create_app(os.environ['FLASK_CONFIG'])\n"), python_exe=PY,
                     timeout=30)
    assert not plan.proof.proven and "MAIL_PORT" in plan.proof.reason
    assert plan.entry.production_env == (("FLASK_CONFIG", "production"),)


def test_your_own_failing_value_is_never_dropped(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_CONFIG", "production")
    plan = make_plan(broken_flasky(tmp_path, "app = create_app(os.getenv('FLASK_CONFIG') or 'default')\n"),
                     python_exe=PY, timeout=30)
    assert not plan.proof.proven and "MAIL_PORT" in plan.proof.reason
