"""Seed 003: the app lives in app/app.py and imports its siblings, so it runs from app/."""

from flask import Flask

from greeting import message

app = Flask(__name__)


@app.route("/")
def index():
    return f"<h1>{message()}</h1>"


if __name__ == "__main__":
    app.run(host="0.0.0.0")
