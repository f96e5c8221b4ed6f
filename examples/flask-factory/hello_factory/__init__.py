"""A Flask application factory: the server must call create_app()."""

import os

from flask import Flask


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(GREETING=os.environ.get("GREETING", "Hello from a factory!"))
    if test_config:
        app.config.update(test_config)

    from . import views
    app.register_blueprint(views.bp)
    return app
