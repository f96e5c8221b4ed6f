"""EasyGeoIP: where is an IP address or a domain name? (GeoLite2 City + a PostgreSQL time zone fill-in)

Run it:
    flask --app easygeoip run                          # development
    gunicorn 'easygeoip:create_app()'                  # production
    flask --app easygeoip load-timezones               # once per deploy, before the app serves
Configuration is by environment variables only (see config.py): DATABASE_URL and a few timeouts.
"""

from __future__ import annotations

import click
from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from . import config
from .geodb import GeoDatabase
from .query import system_resolver
from .timezones import TimezoneStore


def flag_emoji(country_code: str | None) -> str:
    """GB -> the two regional-indicator letters that fonts draw as the flag of the United Kingdom."""
    if not country_code or len(country_code) != 2 or not country_code.isalpha():
        return ""
    return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in country_code.upper())


def create_app(overrides: dict | None = None) -> Flask:
    """The app; `overrides` replaces settings from the environment (tests pass a database URL, a resolver)."""
    app = Flask(__name__)
    app.config.update(config.from_environment())
    app.config.update(overrides or {})
    app.json.sort_keys = False
    # Nothing is opened here: the reader and the connection pool open on first use, in the worker.
    app.extensions["easygeoip"] = {
        "geo": GeoDatabase(app.config["GEOIP_DATABASE"]),
        "timezones": TimezoneStore(app.config["DATABASE_URL"], timeout=app.config["DATABASE_TIMEOUT"],
                                   retry_after=app.config["DATABASE_RETRY_AFTER"]),
        "resolve": app.config.get("RESOLVER") or system_resolver(app.config["DNS_TIMEOUT"]),
    }
    from .views import bp
    app.register_blueprint(bp)
    app.add_template_filter(flag_emoji, "flag")

    @app.errorhandler(HTTPException)
    def http_error_as_json(exc: HTTPException):
        # /api/... and /health callers are programs: answer them in JSON, like the API's own errors.
        from flask import request
        if request.path.startswith(("/api", "/health")):
            return jsonify({"error": {"code": exc.name.lower().replace(" ", "_"), "message": exc.description}}), exc.code
        return exc

    @app.cli.command("load-timezones")
    def load_timezones_command():
        """Load the IANA time zones into DATABASE_URL (idempotent)."""
        from .load_timezones import LoadError, run
        try:
            click.echo(run(app.config["DATABASE_URL"]))
        except LoadError as exc:
            raise click.ClickException(str(exc)) from None

    return app
