"""Servers the app declares that the served entry never imports (detect/unneeded_servers.py): a launcher's
bjoern is not needed to import or serve the entry; a server a module of the entry's closure imports, or Django
settings name, is."""

from __future__ import annotations

from conftest import make_tree
from shipyard.detect import deps, entry
from shipyard.detect.unneeded_servers import unneeded_servers
from shipyard.proving import proof_requirements
from shipyard.plan import Dependency
from shipyard.project import Project

FALCON_APP = {
    "app.py": "import falcon\nfrom routes import add\n\napp = falcon.App()\nadd(app)\n",
    "routes.py": "def add(app):\n    pass\n",
    # the author's own launcher: serves the app with bjoern, on ports of its own
    "prod.py": "import bjoern\nfrom app import app\n\nbjoern.run(app, '127.0.0.1', 8000)\n",
    "requirements.txt": "falcon\nbjoern\nuWSGI==2.0.18\nwaitress\ngunicorn\n",
}


def _unneeded(root, serving=("gunicorn",)):
    project = Project(root)
    return unneeded_servers(project, entry.find(project, None), deps.declared(project).dependencies, serving)


def test_a_server_only_a_launcher_imports_and_one_nothing_imports_are_not_needed_by_the_entry(tmp_path):
    root = make_tree(tmp_path / "app", FALCON_APP)
    # waitress: nothing imports it either; gunicorn is the server Shipyard runs, never among them
    assert _unneeded(root) == {"bjoern": ("prod.py",), "uwsgi": (), "waitress": ()}


def test_a_server_a_module_of_the_entrys_closure_imports_is_needed(tmp_path):
    root = make_tree(tmp_path / "app", {**FALCON_APP,
                                        "routes.py": "import waitress\n\ndef add(app):\n    pass\n"})
    assert "waitress" not in _unneeded(root) and "bjoern" in _unneeded(root)
    # the entry's own module importing it (under its __main__ guard too) keeps it
    root = make_tree(tmp_path / "own", {**FALCON_APP, "app.py": FALCON_APP["app.py"] +
                                        "\nif __name__ == '__main__':\n    import bjoern\n    bjoern.run(app, '', 80)\n"})
    assert "bjoern" not in _unneeded(root)


def test_a_server_django_settings_install_is_needed(tmp_path):
    root = make_tree(tmp_path / "site", {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
        "mysite/__init__.py": "",
        "mysite/settings.py": "INSTALLED_APPS = ['daphne', 'django.contrib.contenttypes']\n",
        "mysite/asgi.py": "from django.core.asgi import get_asgi_application\napplication = get_asgi_application()\n",
        "requirements.txt": "Django==5.0\ndaphne==4.1\nuWSGI==2.0.18\n"})
    assert _unneeded(root, ("granian",)) == {"uwsgi": ()}


def test_the_proof_environment_leaves_out_a_server_only_a_launcher_imports(tmp_path):
    root = make_tree(tmp_path / "app", FALCON_APP)
    project = Project(root)
    declared = (Dependency("falcon", "", "requirements.txt"), Dependency("bjoern", "", "requirements.txt"))
    assert proof_requirements(project, declared, entry.find(project, None)) == ("falcon",)
    # without the entry, as before: a server some file imports is kept
    assert proof_requirements(project, declared) == ("falcon", "bjoern")
