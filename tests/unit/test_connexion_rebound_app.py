"""`app = connexion.App(...)`, `app.add_api(...)`, then `app = app.app`: the name holds the Flask app, still an app.

The shape: a 2020 microservice package flaskr whose __init__ makes the Connexion app, adds its Swagger spec, and
rebinds the name to the Flask app underneath (`app = app.app`) before `from flaskr import routes` adds @app.route
views; main.py does `from flaskr import app` and the README says FLASK_APP=main.py. Before, the rebinding read as
"some other value" and no web app was found at all.
"""

from __future__ import annotations

from shipyard.detect import entry
from shipyard.project import Project
from conftest import make_tree

FILES = {
    "flaskr/__init__.py": """
        import connexion

        app = connexion.App(__name__, specification_dir='../openapi/', debug=True)
        app.add_api('swagger.yaml')
        app = app.app

        from flaskr import routes
        """,
    "flaskr/routes.py": """
        from flaskr import app

        @app.route('/')
        def hello():
            return 'Hello, World!'
        """,
    "main.py": """
        from flaskr import app

        if __name__ == '__main__':
            app.run(debug=True, host='0.0.0.0')
        """,
    "openapi/swagger.yaml": "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
    "requirements.txt": "connexion==2.5.1\nFlask==1.1.1\n",
}


def test_the_rebound_name_is_the_app(tmp_path):
    found = entry.find(Project(make_tree(tmp_path, FILES)), override=None)
    assert found.framework == "connexion"
    assert (found.entry.module, found.entry.attr, found.entry.interface) in {("main", "app", "wsgi"),
                                                                            ("flaskr", "app", "wsgi")}


def test_another_value_rebound_is_not_an_app(tmp_path):
    files = dict(FILES, **{"flaskr/__init__.py": "import connexion\napp = connexion.App(__name__)\n"
                                                 "app = app.config\n"})
    files.pop("main.py")
    files["app.py"] = "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/')\ndef i():\n    return 'x'\n"
    found = entry.find(Project(make_tree(tmp_path, files)), override=None)
    assert (found.entry.module, found.entry.attr) == ("app", "app")
