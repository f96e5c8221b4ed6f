"""Seed 000's run.py layout with Bottle: routes on the default app."""

from bottle import default_app, route


@route("/")
def index():
    return "Hello from Bottle!"


app = default_app()
