"""Apache's mod_wsgi is an application server: a 2017 inventory app's pip freeze pins mod_wsgi==4.5.15 for the
app.wsgi its Apache vhost loads, beside Flask. Shipyard serves the app with its own server, so the import proof
installs the app without it (it builds only against Apache's apxs, which is not here) unless the code imports it,
and serve's install may go without it when it does not build, as with a launcher's bjoern."""

from __future__ import annotations

from shipyard.detect.entry import find
from shipyard.detect.unneeded_servers import unneeded_servers
from shipyard.plan import Dependency
from shipyard.project import Project
from shipyard.proving import proof_requirements

from conftest import make_tree

FREEZE = (Dependency("Flask", "==0.12.2", "requirements.txt"), Dependency("mod_wsgi", "==4.5.15", "requirements.txt"),
          Dependency("Flask-Login", "==0.4.0", "requirements.txt"))
APP = {
    "app.py": "from flask import Flask\nfrom flask_login import LoginManager\n\napp = Flask(__name__)\n"
              "LoginManager(app)\n\n\n@app.route('/')\ndef index():\n    return 'ok'\n",
    # Apache's entry: mod_wsgi execs it, nothing imports it
    "app.wsgi": "import sys\nsys.path.insert(0, '/home/user/phones/')\nfrom app import app as application\n",
}


def test_the_proof_leaves_out_a_mod_wsgi_pin_the_code_never_imports(tmp_path):
    root = make_tree(tmp_path / "phones", APP)
    assert proof_requirements(Project(root), FREEZE, find(Project(root), None)) == ("Flask==0.12.2", "Flask-Login==0.4.0")


def test_serve_may_install_without_mod_wsgi(tmp_path):
    root = make_tree(tmp_path / "phones", APP)
    assert set(unneeded_servers(Project(root), find(Project(root), None), FREEZE)) == {"mod-wsgi"}


def test_mod_wsgi_stays_when_the_code_imports_it(tmp_path):
    # a script that starts mod_wsgi-express itself needs the package
    root = make_tree(tmp_path / "phones", {**APP, "app.py": "import mod_wsgi.server\n" + APP["app.py"]})
    assert "mod_wsgi==4.5.15" in proof_requirements(Project(root), FREEZE, find(Project(root), None))
