"""A requirements.txt that is the pip freeze of its author's whole Python, not of the app's environment
(detect/foreign_freeze.py): deps.declared keeps the pins the app uses and leaves the rest out, saying so; an app's
own freeze (its packages and what they need) is read as it is."""

from __future__ import annotations

from conftest import make_tree
from shipyard.detect import deps
from shipyard.project import Project

# a desktop / data-science Python's packages, none of which the Flask app below imports
OTHER_ENVIRONMENT = [f"unrelatedpkg{n}==1.{n}.0" for n in range(90)] + [
    "jupyter-core==4.6.0", "PyQt5==5.13.2", "pywin32==224", "pandas==0.25.1", "Django==3.0.6", "napalm==3.0.1"]
APP = """\
    from flask import Flask
    from flask_sqlalchemy import SQLAlchemy
    import bcrypt

    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "mysql+pymysql://user:pw@127.0.0.1:3306/blog"
    db = SQLAlchemy(app)


    @app.route("/")
    def index():
        return str(bcrypt.gensalt())
    """


def _app(tmp_path, pins: list[str]):
    return make_tree(tmp_path / "app", {"app.py": APP, "requirements.txt": "\n".join(pins) + "\n"})


def test_a_freeze_of_another_environment_keeps_only_the_pins_the_app_uses(tmp_path):
    used = ["Flask==1.1.1", "Flask-SQLAlchemy==2.3.2", "bcrypt==3.1.7", "PyMySQL==0.9.3"]
    root = _app(tmp_path, sorted(OTHER_ENVIRONMENT + used + ["Werkzeug==0.16.0", "SQLAlchemy==1.3.12"],
                                 key=str.lower))
    declared = deps.declared(Project(root))
    # the imports, and the driver the database URL names, keep their exact pins; what they need is left to the
    # resolution (Flask-SQLAlchemy 2.3's SQLAlchemy below 1.4: sqlalchemy_hold's bound, not the freeze's pin)
    assert sorted(d.requirement for d in declared.dependencies if d.spec.startswith("==")) == sorted(used)
    assert {d.requirement for d in declared.dependencies if not d.spec.startswith("==")} == {"SQLAlchemy<1.4"}
    note = next(n for n in declared.notes if "pip freeze of another environment" in n)
    assert note.startswith("requirements.txt pins 102 packages, of which the app's code uses 4: ")
    assert "its 98 unused pins are left out (" in note and "and 90 more" in note


def test_the_apps_own_freeze_is_read_whole(tmp_path):
    # a small freeze: the app's packages and what they need, unused by name but installed for them
    own = ["click==7.0", "Flask==1.1.1", "Flask-SQLAlchemy==2.3.2", "itsdangerous==1.1.0", "Jinja2==2.10.3",
           "MarkupSafe==1.1.1", "PyMySQL==0.9.3", "SQLAlchemy==1.3.12", "Werkzeug==0.16.0", "bcrypt==3.1.7",
           "cffi==1.12.2", "pycparser==2.19", "six==1.13.0"]
    declared = deps.declared(Project(_app(tmp_path / "small", own)))
    assert len(declared.dependencies) == len(own)
    assert not any("another environment" in n for n in declared.notes)
    # a big app's freeze of which the code uses more than a twentieth: its own too
    many = own + [f"dep{n}==1.0" for n in range(55)]
    app = APP + "".join(f"import dep{n}\n" for n in range(7))
    root = make_tree(tmp_path / "big", {"app.py": app, "requirements.txt": "\n".join(many) + "\n"})
    declared = deps.declared(Project(root))
    assert len(declared.dependencies) == len(many)
