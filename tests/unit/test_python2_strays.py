"""A Python 2 script left beside a Python 3 app (a 2019 Flask-AppBuilder skeleton's ruun.py: `print pd.DataFrame(...)`
importing pandas, imported by nothing): Python 3 cannot run it, so no install of the app does, yet its import lines
were read and pandas, resolved as of the app's date, built from source until serve's time ran out. Its imports are
left out and said; a Python 2 file the app imports, and the imports when no entry is known, are kept."""

from __future__ import annotations

from shipyard.detect import entry, imports
from shipyard.detect.findings import DeclaredDependencies
from shipyard.project import Project

from conftest import make_tree

NOTHING = DeclaredDependencies((), (), False)
SKELETON = {
    "app/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n\nfrom app import views  # noqa\n",
    "app/views.py": "import tabulate\nfrom app import app\n\n\n@app.route('/')\ndef index():\n    return 'hi'\n",
    "run.py": "from app import app\n\napp.run(host='0.0.0.0', port=8080, debug=True)\n",
    "ruun.py": "import json\nimport pandas as pd\nimport requests\n\nr = requests.get('http://localhost:8080/')\n"
               "print pd.DataFrame(json.loads(r.text))\n",
}


def _inferred(root, finding, tmp_path):
    return imports.infer(Project(root), finding, NOTHING, python_exe=str(tmp_path / "no-python"))


def test_a_python2_script_nothing_imports_gives_no_requirement(tmp_path):
    root = make_tree(tmp_path / "contact", SKELETON)
    found = entry.find(Project(root), None)
    assert found.entry.target in ("app:app", "run:app")
    inferred = _inferred(root, found, tmp_path)
    names = {d.name.lower() for d in inferred.dependencies}
    assert {"flask", "tabulate"} <= names and not {"pandas", "requests"} & names, names
    assert any("not added: pandas (ruun.py: Python 2 code, a print statement), requests (ruun.py" in n
               for n in inferred.notes), inferred.notes


def test_a_python2_module_the_app_imports_or_no_entry_keeps_its_imports(tmp_path):
    # the app imports it (its import then fails on Python 3, which the import proof says): still its requirement
    root = make_tree(tmp_path / "imported", {**SKELETON,
                                             "app/views.py": SKELETON["app/views.py"] + "import ruun  # noqa\n"})
    inferred = _inferred(root, entry.find(Project(root), None), tmp_path)
    assert "pandas" in {d.name.lower() for d in inferred.dependencies}
    # no entry known: every file's imports count, as before
    root = make_tree(tmp_path / "unknown", SKELETON)
    assert "pandas" in {d.name.lower() for d in _inferred(root, None, tmp_path).dependencies}
