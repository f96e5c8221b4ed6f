"""An app whose config class is chosen by a variable (`app.config.from_object(os.environ['APP_SETTINGS'])`,
the tutorials' shape) is served through `shipyard serve` with real nginx under its own production class."""

from __future__ import annotations

import os
import signal
import urllib.request

import pytest

from conftest import free_port, make_tree, require_tool
from serveutil import Running

pytestmark = pytest.mark.slow


def test_serve_sets_the_config_variable_to_the_apps_production_class(tmp_path):
    require_tool("nginx")
    app = make_tree(tmp_path / "settings_app", {
        "requirements.txt": "Flask\n",
        "config.py": """
            class BaseConfig:
                GREETING = "base"

            class DevelopmentConfig(BaseConfig):
                GREETING = "development"

            class ProductionConfig(BaseConfig):
                GREETING = "production"
            """,
        "app.py": """
            import os
            from flask import Flask

            app = Flask(__name__)
            app.config.from_object(os.environ['APP_SETTINGS'])


            @app.route("/")
            def index():
                return app.config["GREETING"]
            """})
    assert "APP_SETTINGS=config.ProductionConfig" in _served_greeting(app, "APP_SETTINGS", "production")


def _served_greeting(app, unset: str, greeting: str) -> str:
    """Serve `app` with `unset` not in the environment, check GET / answers `greeting`; Shipyard's output."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != unset}
    run = Running("serve", str(app), "--port", str(port), "--workers", "1", env=env)
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 180), run.output
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.status == 200
            assert response.read().decode() == greeting, run.output
        assert run.stop(signal.SIGTERM) == 0, run.output
        return run.output
    finally:
        run.discard()


def test_serve_gives_a_factorys_configuration_variable_the_production_name_the_project_offers(tmp_path):
    """flasky's shape: wsgi.py's `app = create_app(os.getenv('FLASK_CONFIG') or 'default')`, the names in
    config.py's dict; unset (or development in the example file), the app would run its development
    configuration in production."""
    require_tool("nginx")
    app = make_tree(tmp_path / "factory_app", {
        "requirements.txt": "Flask\n",
        ".env.example": "FLASK_CONFIG=development\n",
        "config.py": """
            class Config:
                GREETING = "base"

            class DevelopmentConfig(Config):
                GREETING = "development"

            class ProductionConfig(Config):
                GREETING = "production"

            config = {"development": DevelopmentConfig, "production": ProductionConfig,
                      "default": DevelopmentConfig}
            """,
        "app/__init__.py": """
            from flask import Flask
            from config import config


            def create_app(config_name):
                app = Flask(__name__)
                app.config.from_object(config[config_name])

                @app.route("/")
                def index():
                    return app.config["GREETING"]

                return app
            """,
        "wsgi.py": """
            import os
            from app import create_app

            app = create_app(os.getenv("FLASK_CONFIG") or "default")
            """})
    output = _served_greeting(app, "FLASK_CONFIG", "production")
    assert "FLASK_CONFIG=production (the production configuration the app's factory takes from it, not " \
           "development as .env.example gives)" in output, output


def test_serve_runs_flask_in_production_though_the_env_file_the_app_loads_says_development(tmp_path):
    """A developer's .env with FLASK_ENV=development, loaded by the app itself (load_dotenv() never overrides a
    variable that is set): Flask 2.0 would run in debug mode, the app would choose its development settings."""
    require_tool("nginx")
    app = make_tree(tmp_path / "flask_env_app", {
        "requirements.txt": "Flask==2.0.3\nWerkzeug==2.0.3\npython-dotenv\n",
        ".env": "FLASK_ENV=development\n",
        "app.py": """
            import os
            from dotenv import load_dotenv
            from flask import Flask

            load_dotenv()
            app = Flask(__name__)


            @app.route("/")
            def index():
                return f"{os.environ['FLASK_ENV']} debug={app.debug}"
            """})
    output = _served_greeting(app, "FLASK_ENV", "production debug=False")
    assert "FLASK_ENV=production: serve runs the production tree, not .env's FLASK_ENV=development" in output, output


def test_serve_gives_a_config_helpers_variable_the_key_of_the_production_class(tmp_path):
    """`app.config.from_object(get_config())`, the helper picking the class from its dict by FLASK_CONFIG read
    with a development default: unset, the app would run its development configuration in production."""
    require_tool("nginx")
    app = make_tree(tmp_path / "helper_app", {
        "requirements.txt": "Flask\n",
        "settings.py": """
            import os


            class Config:
                GREETING = "base"


            class DevConfig(Config):
                GREETING = "development"


            class ProdConfig(Config):
                GREETING = "production"


            def get_config():
                by_name = {"dev": DevConfig, "prod": ProdConfig}
                return by_name.get(os.getenv("FLASK_CONFIG", "dev"), DevConfig)
            """,
        "app.py": """
            from flask import Flask
            from settings import get_config

            app = Flask(__name__)
            app.config.from_object(get_config())


            @app.route("/")
            def index():
                return app.config["GREETING"]
            """})
    output = _served_greeting(app, "FLASK_CONFIG", "production")
    assert "FLASK_CONFIG=prod (the value that picks the app's production config class at settings.py:" in output, output


def test_serve_runs_the_apps_default_configuration_where_the_production_one_fails_at_import(tmp_path):
    """flasky's shape with a production class whose init_app reads an attribute the class lacks: the app's own
    default (what its Procfile's `gunicorn wsgi:app` runs) is served, with a warning naming the failure; before,
    serve stopped on the AttributeError."""
    require_tool("nginx")
    app = make_tree(tmp_path / "broken_production", {
        "requirements.txt": "Flask\n",
        "config.py": """
            class Config:
                GREETING = "base"

                @staticmethod
                def init_app(app):
                    pass

            class DevelopmentConfig(Config):
                GREETING = "development"

            class ProductionConfig(Config):
                GREETING = "production"

                @classmethod
                def init_app(cls, app):
                    app.config["MAIL_PORT"] = cls.MAIL_PORT

            config = {"development": DevelopmentConfig, "production": ProductionConfig,
                      "default": DevelopmentConfig}
            """,
        "app/__init__.py": """
            from flask import Flask
            from config import config


            def create_app(config_name):
                app = Flask(__name__)
                app.config.from_object(config[config_name])
                config[config_name].init_app(app)

                @app.route("/")
                def index():
                    return app.config["GREETING"]

                return app
            """,
        "wsgi.py": """
            import os
            from app import create_app

            app = create_app(os.getenv("FLASK_CONFIG") or "default")
            """})
    output = _served_greeting(app, "FLASK_CONFIG", "development")
    assert "warning: FLASK_CONFIG=production (the production configuration the app's factory offers) fails at " \
           "import (" in output and "MAIL_PORT" in output, output
