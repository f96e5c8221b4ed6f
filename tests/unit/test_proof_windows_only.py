"""The import proof installs what the plan does: a pip freeze made on Windows (a take-home task's back-end/
requirements.txt listing pywin32 and pywinpty beside Flask) has its Windows-only pins left out of the proof's
install, as planner._leave_out_windows_only leaves them out of serve's and the image's, unless the code imports them."""

from __future__ import annotations

from shipyard.plan import Dependency
from shipyard.project import Project
from shipyard.proving import proof_requirements

from conftest import make_tree

FREEZE = (Dependency("Flask", "==3.0.2", "requirements.txt"), Dependency("pywin32", "==306", "requirements.txt"),
          Dependency("pywinpty", "==2.0.12", "requirements.txt"), Dependency("numpy", "==1.26.4", "requirements.txt"))


def test_the_proof_leaves_out_windows_only_pins_the_code_never_imports(tmp_path):
    app = make_tree(tmp_path / "back-end", {"app.py": "from flask import Flask\n\napp = Flask(__name__)\n"})
    assert proof_requirements(Project(app), FREEZE) == ("Flask==3.0.2", "numpy==1.26.4")


def test_the_proof_keeps_a_windows_only_package_the_code_imports(tmp_path):
    # win32com is pywin32's: the install then says it has no wheel here, which is the truth about this app
    app = make_tree(tmp_path / "tool", {"app.py": "import win32com.client\nfrom flask import Flask\n\napp = Flask(__name__)\n"})
    assert proof_requirements(Project(app), FREEZE) == ("Flask==3.0.2", "pywin32==306", "numpy==1.26.4")
