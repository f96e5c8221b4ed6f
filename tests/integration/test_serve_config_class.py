"""An app whose config class is chosen by a variable (`app.config.from_object(os.environ['APP_SETTINGS'])`,
the tutorials' shape) is served through `shipyard serve` with real nginx under its own production class."""

from __future__ import annotations

import os
import signal
import textwrap
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
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "APP_SETTINGS"}
    run = Running("serve", str(app), "--port", str(port), "--workers", "1", env=env)
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 180), run.output
        assert "APP_SETTINGS=config.ProductionConfig" in run.output, run.output
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.status == 200
            assert response.read().decode() == "production", run.output
        assert run.stop(signal.SIGTERM) == 0, run.output
    finally:
        run.discard()
