"""The Procfile's web target wins when static reading cannot see that it holds an app.

The shape: a portfolio whose Dash app is made in a class's __init__ (`self.app = Dash(...)`), exposed at module
level as `server = pp.app.server`, with `web: gunicorn pagina_principal:server`; beside it an old tryout script
with a plain `app = dash.Dash(__name__)`. Before, the tryout (the only app static reading found) was served.
"""

from __future__ import annotations

from shipyard.detect import entry
from shipyard.project import Project
from conftest import make_tree

TRYOUT = """
    import dash
    from paginas.gone import Gone

    app = dash.Dash(__name__)
    if __name__ == "__main__":
        app.run_server(debug=True)
    """

SITE = """
    from dash import Dash, html


    class Site:
        def __init__(self):
            self.app = Dash(__name__)
            self.app.layout = html.Div("portfolio")

        def run(self):
            self.app.run_server(debug=True, port=8044)


    pp = Site()
    server = pp.app.server

    if __name__ == "__main__":
        pp.run()
    """


def find(tmp_path, files):
    return entry.find(Project(make_tree(tmp_path, files)), override=None)


def test_the_procfile_target_made_in_a_class_is_served(tmp_path):
    found = find(tmp_path, {"Procfile": "web: gunicorn pagina_principal:server\n\n",
                            "pagina_principal.py": SITE, "testes.py": TRYOUT, "requirements.txt": "dash\n"})
    assert (found.entry.module, found.entry.attr, found.workdir) == ("pagina_principal", "server", ".")
    assert found.framework == "dash"
    assert any("Procfile's web command serves pagina_principal:server" in n for n in found.notes)


def test_a_flask_app_kept_on_an_object(tmp_path):
    found = find(tmp_path, {
        "Procfile": "web: gunicorn main:application --workers 2\n",
        "main.py": """
            from flask import Flask


            class Portal:
                def __init__(self):
                    self.app = Flask(__name__)

                    @self.app.route("/")
                    def index():
                        return "ok"


            portal = Portal()
            application = portal.app
            """,
        "tryout.py": "from flask import Flask\napp = Flask(__name__)\n"})
    assert (found.entry.module, found.entry.attr) == ("main", "application")
    assert found.framework == "flask"


def test_a_target_static_reading_resolves_is_chosen_as_before(tmp_path):
    found = find(tmp_path, {"Procfile": "web: gunicorn app:server\n",
                            "app.py": "import dash\napp = dash.Dash(__name__)\nserver = app.server\n"})
    assert (found.entry.module, found.entry.attr) == ("app", "server")
    assert not any("static reading does not follow" in n for n in found.notes)


def test_a_procfile_naming_a_missing_name_changes_nothing(tmp_path):
    found = find(tmp_path, {"Procfile": "web: gunicorn main:nothing\n",
                            "main.py": "x = 1\n", "app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    assert (found.entry.module, found.entry.attr) == ("app", "app")
