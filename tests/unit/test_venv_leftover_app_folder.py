"""A folder holding a pyvenv.cfg is skipped by the scan as a virtualenv. A project whose author ran `python -m venv .`
inside the app's own folder (backend/) and committed only pyvenv.cfg (bin/, lib/ gitignored) keeps its app there: the
folder is read, and the entry found in it. A real virtualenv (pyvenv.cfg beside bin/, Scripts/ or lib/) stays
unread."""

from __future__ import annotations

from shipyard.detect import entry
from shipyard.project import Project, is_virtualenv_dir

from conftest import make_tree

BACKEND = {
    "package.json": "{}\n",
    "src/main.tsx": "export {}\n",
    "backend/pyvenv.cfg": "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.12.3\n",
    "backend/requirements.txt": "Flask==3.1.0\n",
    "backend/run.py": """
        from shop import app

        if __name__ == '__main__':
            app.run(debug=True)
        """,
    "backend/shop/__init__.py": """
        from flask import Flask

        app = Flask(__name__)


        @app.route("/api/items")
        def items():
            return {"items": []}
        """,
}


def test_a_folder_with_only_a_leftover_pyvenv_cfg_is_the_apps_folder(tmp_path):
    make_tree(tmp_path, BACKEND)
    project = Project(tmp_path)
    assert "backend/run.py" in project.files and "backend/shop/__init__.py" in project.files
    found = entry.find(project, None)
    assert found.workdir == "backend" and found.entry.target in ("run:app", "shop:app"), found


def test_a_real_virtualenv_is_still_skipped(tmp_path):
    for layout in ("bin/python", "Scripts/python.exe", "lib/python3.12/site-packages/flask/__init__.py",
                   "Lib/site-packages/flask/__init__.py"):
        root = tmp_path / layout.split("/")[0]
        make_tree(root, {**BACKEND, f"backend/{layout}": ""})
        assert not any(f.startswith("backend/") for f in Project(root).files), layout
        assert is_virtualenv_dir(str(root / "backend"))
    assert not is_virtualenv_dir(str(tmp_path / "nothing-here"))
