"""A config class chosen by an environment variable (`app.config.from_object(os.environ['APP_SETTINGS'])`):
which variables go to a loader, which of the app's classes is production's (development's for `dev`), the
dotted path as the loader imports it from the workdir, and what the proof, serve and dev set and say."""

from __future__ import annotations

import pytest

from conftest import make_tree
from shipyard import appconfig
from shipyard.detect.configclass import config_class, loader_variables
from shipyard.project import Project

CONFIG = """
    class BaseConfig(object):
        DEBUG = False

    class TestConfig(BaseConfig):
        TESTING = True

    class DevelopmentConfig(BaseConfig):
        DEBUG = True

    class ProductionConfig(BaseConfig):
        DEBUG = False
    """


@pytest.mark.parametrize("read", [
    "os.environ['APP_SETTINGS']",
    "os.getenv('APP_SETTINGS')",
    "os.environ.get('APP_SETTINGS', 'config.DevelopmentConfig')",
    "os.getenv('APP_SETTINGS') or 'config.DevelopmentConfig'",
])
def test_the_variable_passed_to_from_object_gets_the_production_class(tmp_path, read):
    app = make_tree(tmp_path, {"config.py": CONFIG, "app.py": f"""
        import os
        from flask import Flask
        app = Flask(__name__)
        app.config.from_object({read})
        """})
    assert loader_variables(Project(app)) == ("APP_SETTINGS",)
    for mode in ("proof", "serve"):
        config = appconfig.run_config(app, ".", {}, mode=mode, secret_file=tmp_path / "k")
        assert config.environ["APP_SETTINGS"] == "config.ProductionConfig"
        assert "APP_SETTINGS=config.ProductionConfig" in "\n".join(config.notes)
    # inspect, init and build say how the image gets it
    (note,) = appconfig.config_class_notes(app, ".")
    assert "docker run -e APP_SETTINGS=config.ProductionConfig" in note
    # yours wins, and is not said
    yours = appconfig.run_config(app, ".", {"APP_SETTINGS": "config.TestConfig"}, mode="serve", secret_file=tmp_path / "k")
    assert "APP_SETTINGS" not in yours.environ and "APP_SETTINGS" not in "\n".join(yours.notes)


def test_through_a_local_name_and_in_a_package_under_the_workdir(tmp_path):
    app = make_tree(tmp_path, {
        "src/project/__init__.py": """
            import os
            from quart import Quart
            def create_app():
                app = Quart(__name__)
                settings = os.environ["PROJECT_CONFIG"]
                app.config.from_object(settings)
                return app
            """,
        "src/project/config/__init__.py": "",
        "src/project/config/classes.py": """
            class Config:
                pass
            class ProdConfig(Config):
                pass
            class Dev(Config):
                pass
            """,
        "src/manage.py": "from project import create_app\napp = create_app()\n"})
    assert loader_variables(Project(app)) == ("PROJECT_CONFIG",)
    # imported from the workdir, as the loader does: the path from there
    assert config_class(Project(app), "src") == "project.config.classes.ProdConfig"
    assert config_class(Project(app), "src", "development") == "project.config.classes.Dev"
    assert appconfig.run_config(app, "src", {}, mode="dev", secret_file=tmp_path / "k").environ["PROJECT_CONFIG"] \
        == "project.config.classes.Dev"
    # a class outside the workdir is not importable from it
    assert config_class(Project(app), "elsewhere") is None


def test_dev_picks_the_development_class(tmp_path):
    app = make_tree(tmp_path, {"config.py": CONFIG, "run.py": """
        import os
        from flask import Flask
        app = Flask(__name__)
        app.config.from_object(os.environ['APP_SETTINGS'])
        """})
    env = appconfig.run_config(app, ".", {}, mode="dev", secret_file=tmp_path / "k").environ
    assert env["APP_SETTINGS"] == "config.DevelopmentConfig"


@pytest.mark.parametrize("name, production", [
    ("ProductionConfig", True), ("Production", True), ("ProdConfig", True), ("production_settings", True),
    ("ProductionConfiguration", True), ("Config", False), ("TestProductionConfig", False),
    ("ProductionDatabase", False), ("Productions", False), ("DevelopmentConfig", False),
])
def test_which_class_names_say_production(tmp_path, name, production):
    make_tree(tmp_path, {"settings.py": f"class {name}:\n    pass\n"})
    assert (config_class(Project(tmp_path), ".") == f"settings.{name}") is production


def test_no_production_class_sets_nothing(tmp_path):
    app = make_tree(tmp_path, {"config.py": "class DevelopmentConfig:\n    DEBUG = True\n", "app.py": """
        import os
        from flask import Flask
        app = Flask(__name__)
        app.config.from_object(os.environ['APP_SETTINGS'])
        """})
    assert "APP_SETTINGS" not in appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k").environ
    # the image still needs one: the note says so without naming a class the app does not have
    (note,) = appconfig.config_class_notes(app, ".")
    assert "docker run -e APP_SETTINGS=module.ConfigClass" in note


def test_a_variable_not_given_to_a_loader_is_left_alone(tmp_path):
    app = make_tree(tmp_path, {"config.py": CONFIG, "app.py": """
        import os
        from flask import Flask
        app = Flask(__name__)
        app.config.from_object("config.ProductionConfig")
        MODE = os.environ["APP_SETTINGS"]
        app.config.from_mapping(NAME=os.environ["NAME"])
        """})
    assert loader_variables(Project(app)) == () and appconfig.config_class_notes(app, ".") == ()
    assert "APP_SETTINGS" not in appconfig.run_config(app, ".", {}, mode="serve", secret_file=tmp_path / "k").environ


@pytest.mark.parametrize("mode, want", [("serve", "config.ProductionConfig"), ("proof", "config.ProductionConfig"),
                                        ("dev", "config.DevelopmentConfig")])
def test_an_example_files_development_class_gives_way_to_the_production_one_outside_dev(tmp_path, mode, want):
    """scale-av-cutter's .env.example: APP_SETTINGS=config.DevelopmentConfig, what a developer copies to .env;
    serve ran the development class (DEBUG on) in the production tree."""
    app = make_tree(tmp_path, {"config.py": CONFIG, ".env.example": "APP_SETTINGS=config.DevelopmentConfig\n",
                               "app.py": """
        import os
        from flask import Flask
        app = Flask(__name__)
        app.config.from_object(os.environ['APP_SETTINGS'])
        """})
    config = appconfig.run_config(app, ".", {}, mode=mode, secret_file=tmp_path / "k")
    assert config.environ["APP_SETTINGS"] == want
    if mode != "dev":
        assert any("not config.DevelopmentConfig as .env.example gives" in n for n in config.notes)
    # an example's production or other class, and yours, stay
    (app / ".env.example").write_text("APP_SETTINGS=config.TestConfig\n")
    assert appconfig.run_config(app, ".", {}, mode=mode, secret_file=tmp_path / "k").environ["APP_SETTINGS"] \
        == "config.TestConfig"
    assert appconfig.run_config(app, ".", {"APP_SETTINGS": "config.DevelopmentConfig"}, mode=mode,
                                secret_file=tmp_path / "k").environ.get("APP_SETTINGS") is None
