from flask import Blueprint, current_app, render_template

bp = Blueprint("views", __name__)


@bp.route("/")
def index():
    return render_template("index.html", greeting=current_app.config["GREETING"])
