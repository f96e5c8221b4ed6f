"""Packages the app's own Dockerfile installs by name (`RUN pip install flasgger jarudaDB==0.0.3`) are declared.

The shape: a study API whose Dockerfile installs flasgger, flask_cors and a database helper by name before
`pip install -r requirements.txt`, the freeze listing Flask only; the code imports flasgger (which no table maps)
and the helper's module. Before, flasgger was "not added, declare it yourself" and the import failed.
"""

from __future__ import annotations

from shipyard.detect import deps, dockerfile_pip, entry, imports
from shipyard.project import Project
from conftest import make_tree

APP = {
    "requirements.txt": "Flask==2.0.1\nWerkzeug==2.0.1\n",
    "Dockerfile": """
        FROM python:3.8.5
        COPY requirements.txt .
        RUN apt-get update && apt-get install -y libpq-dev
        RUN pip3 install --upgrade pip setuptools wheel
        RUN pip install --no-cache-dir flasgger "flask_cors>=3" pyjwt \\
            jarudaDB==0.0.3 && pip install gunicorn
        # RUN pip install PyMySQL
        RUN python3 -m pip install -i https://example.invalid/simple requests[socks] ./vendor/local.whl $EXTRA
        RUN ["pip", "install", "pytz==2021.1"]
        RUN pip install -r requirements.txt -e .
        WORKDIR /app
        COPY . /app
        CMD ["gunicorn", "app:app"]
        """,
    "app.py": """
        from flask import Flask
        from flasgger import Swagger
        import flask_cors

        app = Flask(__name__)
        Swagger(app)
        flask_cors.CORS(app)

        @app.route("/")
        def index():
            return "ok"
        """,
}


def test_named_installs_are_declared_after_the_requirements(tmp_path):
    found = deps.declared(Project(make_tree(tmp_path, APP)))
    reqs = [d.requirement for d in found.dependencies]
    assert reqs == ["Flask==2.0.1", "Werkzeug==2.0.1", "flasgger", "flask_cors>=3", "pyjwt", "jarudaDB==0.0.3",
                    "requests[socks]", "pytz==2021.1"]
    assert {d.source for d in found.dependencies if d.name == "flasgger"} == {"Dockerfile"}
    assert any("installed by name in Dockerfile" in n for n in found.notes)
    assert found.files == ("requirements.txt", "Dockerfile")   # its date counts in the resolution date too


def test_an_import_no_table_maps_is_no_longer_left_to_the_user(tmp_path):
    project = Project(make_tree(tmp_path, APP))
    finding = entry.find(project, override=None)
    inferred = imports.infer(project, finding, deps.declared(project, finding.workdir), installed=False)
    assert not any("flasgger" in u for u in inferred.unresolved)
    assert "flask-cors" not in {deps.normalize(d.name) for d in inferred.dependencies}


def test_a_requirements_pin_wins_over_the_dockerfile(tmp_path):
    found = deps.declared(Project(make_tree(tmp_path, {
        "requirements.txt": "flasgger==0.9.5\n",
        "Dockerfile": "FROM python:3.11\nRUN pip install flasgger\n"})))
    assert [d.requirement for d in found.dependencies] == ["flasgger==0.9.5"]


def test_no_dockerfile_or_a_generated_one_adds_nothing(tmp_path):
    from shipyard.detect.generated import PREFIX
    assert dockerfile_pip.installed_by_name(Project(make_tree(tmp_path / "a", {"app.py": "x = 1\n"})), "") == ()
    generated = make_tree(tmp_path / "b", {"app.py": "x = 1\n"})
    (generated / "Dockerfile").write_text(PREFIX + "\nFROM x\nRUN pip install flasgger\n")
    assert dockerfile_pip.installed_by_name(Project(generated), "") == ()


def test_words_that_are_not_pip_install():
    assert dockerfile_pip.pip_install_requirements(["pip", "download", "flask"]) == []
    assert dockerfile_pip.pip_install_requirements(["echo", "pip", "install"]) == []
    assert [str(r) for r in dockerfile_pip.pip_install_requirements(
        ["/usr/local/bin/pip3.11", "install", "--target", "/deps", "-c", "c.txt", "Flask<3"])] == ["Flask<3"]


def test_the_image_installs_them_beside_the_requirements_file_as_serve_does(tmp_path, own_shipyard_cache):
    """The image's install copied requirements.txt alone: flasgger, which the app's Dockerfile installs by name and
    serve installs, was missing from the image."""
    from shipyard.planner import make_plan
    from shipyard.render import Target, render
    plan = make_plan(make_tree(tmp_path, APP), confirm=False)
    dockerfile = render(plan, Target.image())["Dockerfile"]
    install = next(line for line in dockerfile.splitlines() if "-r requirements.txt" in line)
    for name in ("flasgger", "'flask_cors>=3'", "jarudaDB==0.0.3", "pytz==2021.1"):
        assert f" {name}" in install, install
    assert "The app's own Dockerfile installs flasgger, flask_cors>=3" in dockerfile
