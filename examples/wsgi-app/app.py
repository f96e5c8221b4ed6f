"""Seed 004: a Flask app, exposed to the server as `application` by wsgi.py."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello_world():
    return "Hello World!"


if __name__ == "__main__":
    app.run()
