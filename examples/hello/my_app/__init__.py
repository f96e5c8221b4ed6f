"""The hello example: the seed tutorial's `my_app` package, served through run.py."""

import time

from flask import Flask, render_template, request

app = Flask(__name__)


@app.route("/")
def index():
    return render_template("index.html")


@app.route("/slow")
def slow():
    # A request that takes a while, so a graceful stop can be seen to let it finish.
    seconds = min(float(request.args.get("seconds", "2")), 10.0)
    time.sleep(seconds)
    return f"slept {seconds:g}s\n"
