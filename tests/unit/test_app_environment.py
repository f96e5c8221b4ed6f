"""How the app's own environment is found: in the app folder, active for it, or named by Poetry, Pipenv or uv."""

from __future__ import annotations

import base64
import hashlib
import os
import sys
from pathlib import Path

import pytest

from conftest import make_tree
from shipyard import environments


def fake_venv(path: Path) -> Path:
    """A virtualenv's shape: pyvenv.cfg and bin/python (a link to this interpreter)."""
    (path / "bin").mkdir(parents=True)
    (path / "pyvenv.cfg").write_text(f"home = {Path(sys.executable).parent}\n")
    (path / "bin" / "python").symlink_to(sys.executable)
    return path


def b64(text: str, size: int = 32) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()[:size]).decode()


def test_the_apps_venv_folder(tmp_path):
    app = make_tree(tmp_path / "app", {"app.py": "app = None\n"})
    fake_venv(app / "venv")
    found = environments.app_environment(app, {})
    assert found is not None and found.origin == "the app's venv" and found.kind == "app"


def test_an_active_virtualenv_of_another_project_is_not_the_apps(tmp_path, monkeypatch):
    app = make_tree(tmp_path / "app", {"app.py": "app = None\n"})
    other = fake_venv(tmp_path / "elsewhere" / ".venv")
    monkeypatch.chdir(tmp_path)
    assert environments.app_environment(app, {"VIRTUAL_ENV": str(other)}) is None
    # working in the app's folder with it activated: it is the app's
    monkeypatch.chdir(app)
    found = environments.app_environment(app, {"VIRTUAL_ENV": str(other)})
    assert found is not None and found.origin.startswith("active virtualenv")


def test_pipenvs_environment_in_workon_home(tmp_path):
    app = make_tree(tmp_path / "my app", {"app.py": "app = None\n", "Pipfile": "[packages]\nflask = '*'\n"})
    home = tmp_path / "workon"
    venv = fake_venv(home / f"my_app-{b64(str(app.resolve() / 'Pipfile'), 6)[:8]}")
    found = environments.app_environment(app, {"WORKON_HOME": str(home)})
    assert found is not None and found.python == str(venv / "bin" / "python")
    assert found.origin.startswith("the Pipenv environment")


def test_poetrys_environment_in_its_cache_without_poetry_installed(tmp_path):
    app = make_tree(tmp_path / "shop", {"app.py": "app = None\n", "poetry.lock": "",
                                        "pyproject.toml": '[tool.poetry]\nname = "my_shop"\n'})
    cache = tmp_path / "cache"
    name = f"my-shop-{b64(str(app.resolve()))[:8]}-py3.11"
    venv = fake_venv(cache / "pypoetry" / "virtualenvs" / name)
    found = environments.app_environment(app, {"XDG_CACHE_HOME": str(cache), "PATH": str(tmp_path / "nobin")})
    assert found is not None and found.python == str(venv / "bin" / "python")


def test_uv_project_environment(tmp_path):
    app = make_tree(tmp_path / "uvapp", {"app.py": "app = None\n", "pyproject.toml": '[project]\nname = "x"\n'})
    fake_venv(app / "build-env")
    found = environments.app_environment(app, {"UV_PROJECT_ENVIRONMENT": "build-env"})
    assert found is not None and "UV_PROJECT_ENVIRONMENT" in found.origin


def test_a_broken_venv_is_named_not_used(tmp_path):
    app = make_tree(tmp_path / "app", {"app.py": "app = None\n"})
    (app / ".venv").mkdir()
    (app / ".venv" / "pyvenv.cfg").write_text("home = /nonexistent\n")
    assert environments.app_environment(app, {}) is None
    assert "the app's .venv has no working python" in environments.broken_venvs(app)[0]


@pytest.mark.skipif(os.name == "nt", reason="a Windows virtualenv is the app's own there")
def test_a_windows_virtualenv_committed_with_the_app_is_named_not_used(tmp_path):
    # a course project's whole env/ folder: pyvenv.cfg naming C:\\Program Files, Scripts/python.exe, Lib/site-packages
    app = make_tree(tmp_path / "app", {"app/__init__.py": "", "env/pyvenv.cfg": "home = C:\\Program Files\\Python311\n",
                                       "env/Scripts/python.exe": "MZ", "env/Lib/site-packages/flask/__init__.py": ""})
    (app / "env" / "Scripts" / "python.exe").chmod(0o755)
    assert environments.venv_python(app / "env") is None
    assert environments.app_environment(app, {}) is None
    assert environments.broken_venvs(app) == ["the app's env is a Windows virtualenv (env\\Scripts\\python.exe), "
                                             "which cannot run here (run with --install: Shipyard makes the app a "
                                             ".venv of its own beside it)"]
    # a virtualenv made here, beside it, is the app's
    fake_venv(app / ".venv")
    assert environments.app_environment(app, {}).origin == "the app's .venv"


@pytest.mark.skipif(os.name == "nt", reason="a venv's bin/python is no symlink there")
def test_a_virtualenv_committed_with_its_symlinks_as_text_files_is_named_not_used(tmp_path):
    """A Linux env/ committed from a checkout that stored symlinks as files: bin/python is the 15-byte text
    `/usr/bin/python`, bin/python3 the text `python`. Before, it was the app's environment, so inspect said
    "cannot run env/bin/python: Permission denied" and serve --install handed it to uv, which failed."""
    app = make_tree(tmp_path / "app", {
        "app/__init__.py": "", "app/main.py": "app = None\n",
        "env/pyvenv.cfg": "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.12.3\n",
        "env/bin/python": "/usr/bin/python", "env/bin/python3": "python", "env/bin/python3.12": "python",
        "env/bin/activate": "# This file must be used with source\n",
        "env/lib/python3.12/site-packages/fastapi/__init__.py": ""})
    assert environments.venv_python(app / "env") is None
    assert environments.app_environment(app, {}) is None
    assert environments.broken_venvs(app) == [
        "the app's env was committed without its symlinks (its bin/python is a text file naming /usr/bin/python), "
        "so it cannot run here (run with --install: Shipyard makes the app a .venv of its own beside it)"]
    assert environments.new_venv_folder(app) == app / ".venv"
    # a real interpreter file, a script wrapper, or a link beside it are still pythons
    fake_venv(app / ".venv")
    assert environments.app_environment(app, {}).origin == "the app's .venv"
    (app / "env" / "bin" / "python").write_text("#!/bin/sh\nexec /usr/bin/python3 \"$@\"\n")
    assert environments.venv_python(app / "env") == app / "env" / "bin" / "python"


def test_a_virtualenv_made_with_another_python_is_named_not_used(tmp_path):
    """A Python 3.5 venv/ committed with the app (lib/python3.5/site-packages, bin/python3 -> /usr/bin/python3):
    here that link runs another Python, which never reads its packages; before, it was the app's environment and
    the import failed on Flask, installed in it but not for that Python."""
    app = make_tree(tmp_path / "app", {"microblog.py": "from flask import Flask\napp = Flask(__name__)\n",
                                       "venv/lib/python3.5/site-packages/flask/__init__.py": ""})
    fake_venv(app / "venv")
    (app / "venv" / "pyvenv.cfg").write_text(f"home = {Path(sys.executable).parent}\n"
                                             "include-system-site-packages = false\nversion = 3.5.3\n")
    assert environments.app_environment(app, {}) is None
    running = "%d.%d.%d" % sys.version_info[:3]
    assert environments.broken_venvs(app) == [
        f"the app's venv was made with Python 3.5.3 (its pyvenv.cfg) and its python runs {running} here (a "
        "virtualenv committed from another machine?), so the packages in it do not load (run with --install: "
        "Shipyard makes the app a .venv of its own beside it)"]
    # the version it runs (uv writes version_info): the app's
    (app / "venv" / "pyvenv.cfg").write_text(f"home = {Path(sys.executable).parent}\nversion_info = {running}\n")
    assert environments.app_environment(app, {}).origin == "the app's venv"
    assert environments.broken_venvs(app) == []


@pytest.mark.skipif(os.name == "nt", reason="a Windows virtualenv is the app's own there")
def test_the_apps_new_virtualenv_goes_beside_a_committed_dot_venv_that_cannot_run(tmp_path):
    app = make_tree(tmp_path / "app", {"app.py": "app = None\n", ".venv/pyvenv.cfg": "home = C:\\Python311\n",
                                       ".venv/Scripts/python.exe": "MZ"})
    assert environments.new_venv_folder(app) == app / "venv"
    assert environments.broken_venvs(app) == ["the app's .venv is a Windows virtualenv (.venv\\Scripts\\python.exe), "
                                             "which cannot run here (run with --install: Shipyard makes the app a "
                                             "venv of its own beside it)"]
    fake_venv(app / "venv")
    assert environments.app_environment(app, {}).origin == "the app's venv"
    # every name taken: said, never written over
    (app / "env").mkdir()
    (app / "venv").rename(app / "venv-moved")
    (app / "venv").write_text("not a folder\n")
    with pytest.raises(environments.ShipyardError) as err:
        environments.new_venv_folder(app)
    assert "rm -r .venv" in err.value.hint


def test_an_app_that_is_a_package(tmp_path):
    assert environments.is_package(make_tree(tmp_path / "a", {"setup.py": "from setuptools import setup\n"}))
    assert environments.is_package(make_tree(tmp_path / "b", {
        "pyproject.toml": '[project]\nname = "b"\n\n[build-system]\nrequires = ["setuptools"]\n'}))
    assert not environments.is_package(make_tree(tmp_path / "c", {"pyproject.toml": '[project]\nname = "c"\n'}))


def test_a_setup_cfg_package_built_by_setuptools_is_a_package(tmp_path):
    """The packaging tutorial's shape: pyproject.toml holds only [build-system], setup.cfg the name and the src/
    packages; the app (example_app.py at the root) imports that package, which only installing the folder makes
    importable. Not a setup.cfg of tool sections, one that names no packages, or another build backend."""
    build = '[build-system]\nrequires = ["setuptools>=42", "wheel"]\nbuild-backend = "setuptools.build_meta"\n'
    cfg = "[metadata]\nname = defect-db\n\n[options]\npackage_dir =\n    = src\npackages = find:\n\n" \
          "[options.packages.find]\nwhere = src\n"
    assert environments.is_package(make_tree(tmp_path / "a", {"pyproject.toml": build, "setup.cfg": cfg}))
    assert environments.is_package(make_tree(tmp_path / "b", {
        "pyproject.toml": '[build-system]\nrequires = ["setuptools"]\n', "setup.cfg": cfg}))
    assert not environments.is_package(make_tree(tmp_path / "c", {"pyproject.toml": build,
                                                                   "setup.cfg": "[flake8]\nmax-line-length = 99\n"}))
    assert not environments.is_package(make_tree(tmp_path / "d", {"pyproject.toml": build,
                                                                   "setup.cfg": "[metadata]\nname = d\n"}))
    assert not environments.is_package(make_tree(tmp_path / "e", {
        "pyproject.toml": build.replace("setuptools.build_meta", "hatchling.build"), "setup.cfg": cfg}))
    assert not environments.is_package(make_tree(tmp_path / "f", {"setup.cfg": cfg}))


def test_a_setup_py_that_packages_nothing_is_not_a_package(tmp_path):
    """React-Redux-Flask's setup.py only holds `basedir`, which its config.py imports: installing the folder
    fails ("Exactly one .egg-info should have been produced"), so the app runs from its folder."""
    basedir = "import os\nbasedir = os.path.abspath(os.path.dirname(__file__))\n"
    assert not environments.is_package(make_tree(tmp_path / "a", {"setup.py": basedir, "config.py": "from setup import basedir\n"}))
    assert environments.is_package(make_tree(tmp_path / "b", {"setup.py": "import setuptools\nsetuptools.setup(name='b')\n"}))
    assert environments.is_package(make_tree(tmp_path / "c", {"setup.py": "from distutils.core import setup\nsetup(name='c')\n"}))


def test_a_poetry_project_is_a_package_when_it_declares_entry_points(tmp_path):
    """Poetry's own table, no [project]: its [tool.poetry.plugins."paste.app_factory"] (Pyramid's `use =
    egg:NAME`) resolve only once it is installed; a Poetry application without entry points keeps running from
    its folder (many name a package they do not have)."""
    poetry = '[tool.poetry]\nname = "easy-diagrams"\nversion = "0.1.0"\n\n{plugins}' \
             '[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n'
    plugins = '[tool.poetry.plugins."paste.app_factory"]\n"main" = "easy_diagrams:main"\n\n'
    assert environments.is_package(make_tree(tmp_path / "a", {"pyproject.toml": poetry.format(plugins=plugins)}))
    assert not environments.is_package(make_tree(tmp_path / "b", {"pyproject.toml": poetry.format(plugins="")}))
    assert not environments.is_package(make_tree(tmp_path / "c", {
        "pyproject.toml": poetry.format(plugins=plugins).replace("[tool.poetry]\n", "[tool.poetry]\npackage-mode = false\n")}))


@pytest.mark.parametrize("pyproject", [
    # PDM 1 wrote an application's pyproject with an empty name, which no backend builds
    '[project]\nname = ""\nversion = ""\ndependencies = ["sanic"]\n\n'
    '[build-system]\nrequires = ["pdm-pep517"]\nbuild-backend = "pdm.pep517.api"\n',
    '[project]\nname = "app"\n\n[build-system]\nrequires = ["pdm-backend"]\n\n[tool.pdm]\ndistribution = false\n',
    '[project]\nname = "app"\n\n[build-system]\nrequires = ["hatchling"]\n\n[tool.uv]\npackage = false\n',
    '[project]\nname = "app"\n\n[build-system]\nrequires = ["poetry-core"]\n\n[tool.poetry]\npackage-mode = false\n',
])
def test_a_project_that_says_it_is_no_package_gets_only_its_dependencies(tmp_path, pyproject):
    assert not environments.is_package(make_tree(tmp_path, {"pyproject.toml": pyproject}))


def test_index_lines_of_requirement_files_go_to_uv(tmp_path):
    app = make_tree(tmp_path / "a", {"requirements.txt": "-i https://example.org/simple\n--extra-index-url=https://x/\nflask\n"})
    assert environments.index_options(app, ["requirements.txt"]) == (
        "--index-url", "https://example.org/simple", "--extra-index-url", "https://x/")


@pytest.mark.parametrize("line", ["--index-url https://pypi.python.org/simple", "-i https://pypi.org/simple/",
                                  "--extra-index-url=https://pypi.python.org/simple/"])
def test_an_index_line_naming_pypi_itself_leaves_the_configured_index(tmp_path, line):
    # PDM's export ends with `--index-url https://pypi.python.org/simple` (PyPI's old name): it asks for the
    # default index, so uv keeps the one this machine is configured with (a mirror) instead of that host
    app = make_tree(tmp_path / "a", {"requirements.txt": f"flask==3.1.0\n{line}\n-f ./wheels\n"})
    assert environments.index_options(app, ["requirements.txt"]) == ("--find-links", "./wheels")


def test_a_lock_files_pins_of_what_the_app_does_not_name_are_constraints(tmp_path):
    app = make_tree(tmp_path, {"uv.lock": """
        version = 1
        [[package]]
        name = "app"
        version = "0.1.0"
        source = { editable = "." }
        [[package]]
        name = "litestar"
        version = "2.17.0"
        source = { registry = "https://pypi.org/simple" }
        [[package]]
        name = "anyio"
        version = "4.11.0"
        source = { registry = "https://pypi.org/simple" }
        [[package]]
        name = "numpy"
        version = "2.2.6"
        source = { registry = "https://pypi.org/simple" }
        resolution-markers = ["python_full_version < '3.11'"]
        [[package]]
        name = "numpy"
        version = "2.3.4"
        source = { registry = "https://pypi.org/simple" }
        [[package]]
        name = "Private_Lib"
        version = "1.0"
        source = { git = "https://example.org/lib.git#abc" }
        [[package]]
        name = "setuptools"
        version = "80.0.0"
        source = { registry = "https://pypi.org/simple" }
        """, "poetry.lock": """
        [[package]]
        name = "Sniffio"
        version = "1.3.1"
        [[package]]
        name = "local"
        version = "0.1"
        [package.source]
        type = "directory"
        url = "../local"
        """})
    # the app names litestar (its own pin decides), numpy has two versions, git and folders are not an index's
    assert environments.lock_constraints(app, ("pyproject.toml", "uv.lock", "poetry.lock"),
                                         ("litestar[standard]>=2.17",)) == ("anyio==4.11.0", "sniffio==1.3.1")
    assert environments.lock_constraints(app, ("pyproject.toml",), ("litestar",)) == ()
    # a bare name (inferred from an import, no version of its own) takes the lock's version
    assert environments.lock_constraints(app, ("pyproject.toml", "uv.lock", "poetry.lock"),
                                         ("litestar[standard]>=2.17", "anyio")) == ("anyio==4.11.0", "sniffio==1.3.1")
    # PDM's lock: the same [[package]] tables; a git or path package has no version an index serves
    (app / "pdm.lock").write_text('[[package]]\nname = "greenlet"\nversion = "3.0.3"\n\n[[package]]\n'
                                  'name = "mylib"\nversion = "0.1"\ngit = "https://example.org/mylib.git"\n')
    assert environments.lock_constraints(app, ("pyproject.toml", "pdm.lock"), ("litestar",)) == ("greenlet==3.0.3",)


def test_a_lock_made_for_other_pins_than_the_requirements_gives_no_constraints(tmp_path):
    # requirements.txt pins fastapi==0.95.0 (its Dockerfile installs it) beside a poetry.lock of pyproject's
    # fastapi ^0.115.8: the lock's starlette 0.45.3 would contradict fastapi 0.95's starlette<0.27; the lock is
    # another set of versions, and the requirements being installed decide
    app = make_tree(tmp_path / "app", {"poetry.lock": """
        [[package]]
        name = "fastapi"
        version = "0.115.8"
        [[package]]
        name = "starlette"
        version = "0.45.3"
        """})
    files = ("requirements.txt", "pyproject.toml", "poetry.lock")
    assert environments.lock_constraints(app, files, ("fastapi==0.95.0", "uvicorn==0.23.0")) == ()
    assert environments.lock_constraints(app, files, ("fastapi>=0.100,<0.116",)) == ("starlette==0.45.3",)
    assert environments.lock_constraints(app, files, ("fastapi", "uvicorn==0.23.0")) == ("fastapi==0.115.8",
                                                                                     "starlette==0.45.3")


def test_an_app_reading_python_version_gets_it_as_the_python_image_sets_it():
    # written for the official python image (ENV PYTHON_VERSION=3.13.x), a Docker-first starter's home page
    # reads os.environ["PYTHON_VERSION"]: serve gives it the version of the Python that runs the app
    import dataclasses
    import platform

    from plans import flask_wsgi
    from shipyard.run.appenv import image_env

    plan = flask_wsgi()
    assert image_env(plan, sys.executable) == {}
    reading = dataclasses.replace(plan, env_vars=("SECRET_KEY", "PYTHON_VERSION"))
    assert image_env(reading, sys.executable) == {"PYTHON_VERSION": platform.python_version()}


def test_the_proof_environment_leaves_out_servers_the_code_does_not_import(tmp_path):
    # a pip freeze pinning uWSGI (built from C source) and uvicorn, whose code imports uvicorn only: the import
    # proof needs neither the server Shipyard adds nor uWSGI
    from shipyard.proving import proof_requirements
    from shipyard.plan import Dependency
    from shipyard.project import Project

    app = make_tree(tmp_path, {"app.py": "import flask\nimport uvicorn\n\napp = flask.Flask(__name__)\n"})
    declared = (Dependency("Flask", "==3.0.3", "requirements.txt"), Dependency("uWSGI", "==2.0.18", "requirements.txt"),
                Dependency("uvicorn", "==0.30.0", "requirements.txt"),
                Dependency("granian", ">=2.6", "production server (granian, WSGI)", True))
    assert proof_requirements(Project(app), declared) == ("Flask==3.0.3", "uvicorn==0.30.0")


def test_the_proof_environment_keeps_a_server_the_django_settings_install(tmp_path):
    # Channels' tutorial puts "daphne" first in INSTALLED_APPS (its runserver): django.setup() imports it, so the
    # import proof needs it although no module imports it
    from shipyard.proving import proof_requirements
    from shipyard.plan import Dependency
    from shipyard.project import Project

    app = make_tree(tmp_path, {
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
        "mysite/__init__.py": "",
        "mysite/settings.py": "INSTALLED_APPS = ['daphne', 'django.contrib.contenttypes', 'channels']\n",
        "mysite/asgi.py": "from django.core.asgi import get_asgi_application\napplication = get_asgi_application()\n"})
    declared = (Dependency("Django", "==5.0", "requirements.txt"), Dependency("channels", "==4.0", "requirements.txt"),
                Dependency("daphne", "==4.1", "requirements.txt"), Dependency("uWSGI", "==2.0.18", "requirements.txt"))
    assert proof_requirements(Project(app), declared) == ("Django==5.0", "channels==4.0", "daphne==4.1")


_PIPFILE_LOCK = """{
    "_meta": {"requires": {"python_version": "3.8"}, "sources": [{"name": "pypi", "url": "https://pypi.org/simple"}]},
    "default": {
        "flask": {"hashes": [], "index": "pypi", "version": "==1.1.1"},
        "flask-sqlalchemy": {"hashes": [], "index": "pypi", "version": "==2.4.1"},
        "flask-wtf": {"hashes": [], "index": "pypi", "version": "==0.14.2"},
        "sqlalchemy": {"hashes": [], "version": "==1.3.13"},
        "wtforms": {"hashes": [], "version": "==2.2.1"},
        "werkzeug": {"hashes": [], "version": "==0.16.1"},
        "importlib-metadata": {"hashes": [], "markers": "python_version < '3.8'", "version": "==1.5.0"},
        "mylib": {"git": "https://example.org/mylib.git", "ref": "abc123"},
        "app": {"editable": true, "path": "."}
    },
    "develop": {"pytest": {"hashes": [], "version": "==5.3.5"}}
}
"""


def test_the_proof_installs_the_packages_a_pipfile_lock_pins_for_what_the_pipfile_names(tmp_path, monkeypatch):
    # a 2020 Pipfile.lock pins every package `pipenv install` put in: Flask-SQLAlchemy 2.4.1 and Flask-WTF 0.14.2 (the
    # Pipfile's), SQLAlchemy 1.3.13 and WTForms 2.2.1 they pulled in then. The proof, serve and the image install the
    # lock's versions of those too (constraints), not SQLAlchemy 1.4 (no sqlalchemy.__all__ for Flask-SQLAlchemy
    # 2.4.1) nor WTForms 3; a pin with markers, a git or editable entry and the develop section are not constraints
    from shipyard.detect import deps
    from shipyard.project import Project
    from shipyard.proving import proof_requirements

    app = make_tree(tmp_path / "app", {
        "Pipfile": '[packages]\nflask = "*"\nflask-sqlalchemy = "*"\nflask-wtf = "*"\n\n[dev-packages]\npytest = "*"\n',
        "Pipfile.lock": _PIPFILE_LOCK,
        "app.py": "import flask\nimport flask_sqlalchemy\nimport flask_wtf\n\napp = flask.Flask(__name__)\n"})
    declared = deps.declared(Project(app))
    requirements = proof_requirements(Project(app), declared.dependencies)
    assert sorted(requirements) == ["flask-sqlalchemy==2.4.1", "flask-wtf==0.14.2", "flask==1.1.1"]
    assert environments.lock_constraints(app, declared.files, requirements) == (
        "sqlalchemy==1.3.13", "werkzeug==0.16.1", "wtforms==2.2.1")

    specs: list[environments.InstallSpec] = []

    def proof_environment(spec, python, **_):
        specs.append(spec)
        return environments.Environment(sys.executable, "proof environment", "proof")

    monkeypatch.setattr(environments, "proof_environment", proof_environment)
    environ = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    version = "%d.%d" % sys.version_info[:2]
    environments.environment_for_proof(app, requirements, declared.files, version, timeout=60, say=None,
                                       environ=environ)
    assert {"sqlalchemy==1.3.13", "wtforms==2.2.1"} <= set(specs[0].constraints)
    assert not any(c.startswith(("importlib-metadata", "mylib", "app", "pytest")) for c in specs[0].constraints)


def test_a_pipfile_lock_made_for_other_pins_than_the_requirements_gives_no_constraints(tmp_path):
    # requirements.txt (the file the app installs) pins Flask 2.3.2 beside an old Pipfile.lock of Flask 1.1.1: the
    # lock is another set of versions, the requirements decide
    app = make_tree(tmp_path / "app", {"Pipfile.lock": _PIPFILE_LOCK})
    assert environments.lock_constraints(app, ("requirements.txt", "Pipfile.lock"), ("flask==2.3.2",)) == ()
    # an unreadable lock constrains nothing
    (app / "Pipfile.lock").write_text("{not json")
    assert environments.lock_constraints(app, ("Pipfile", "Pipfile.lock"), ("flask",)) == ()
