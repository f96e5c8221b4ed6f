"""Python version: each source in its order, ranges resolved to a supported minor."""

from __future__ import annotations

import pytest

from shipyard.detect import pyversion
from conftest import make_tree
from shipyard.project import Project




def detect(tmp_path, files, override=None):
    return pyversion.detect(Project(make_tree(tmp_path, files)), override)


@pytest.mark.parametrize("files, version, source", [
    ({}, "3.12", "default (none declared)"),
    ({".python-version": "3.11.4\n"}, "3.11", ".python-version"),
    ({"runtime.txt": "python-3.10.13\n"}, "3.10", "runtime.txt"),
    ({"pyproject.toml": '[project]\nrequires-python = ">=3.9"\n'}, "3.12", "requires-python in pyproject.toml (>=3.9)"),
    ({"pyproject.toml": '[project]\nrequires-python = "~=3.11.0"\n'}, "3.11",
     "requires-python in pyproject.toml (~=3.11.0)"),
    ({"pyproject.toml": '[project]\nrequires-python = ">=3.13"\n'}, "3.13", "requires-python in pyproject.toml (>=3.13)"),
    ({"pyproject.toml": '[tool.poetry.dependencies]\npython = "~3.10"\n'}, "3.10",
     "python in [tool.poetry.dependencies] (>=3.10,<3.11)"),
    ({"Pipfile": '[requires]\npython_version = "3.11"\n'}, "3.11", "[requires] python_version in Pipfile"),
    ({"uv.lock": 'version = 1\nrequires-python = ">=3.10, <3.12"\n'}, "3.11", "requires-python in uv.lock (>=3.10, <3.12)"),
    ({"Dockerfile": "FROM python:3.10-slim AS build\n"}, "3.10", "FROM line in Dockerfile"),
    # an image made on Python, its tag naming which (the uwsgi-nginx-flask and meinheld images' tags)
    ({"Dockerfile": "FROM tiangolo/uwsgi-nginx-flask:python3.6\nCOPY ./app /app\n"}, "3.6", "FROM line in Dockerfile"),
    ({"Dockerfile": "FROM tiangolo/meinheld-gunicorn-flask:python3.7-alpine3.8\n"}, "3.7", "FROM line in Dockerfile"),
    ({"Dockerfile": "FROM nikolaik/python-nodejs:python3.10-nodejs18 AS base\n"}, "3.10", "FROM line in Dockerfile"),
    # a tag that names no Python, or another program's version: no declaration
    ({"Dockerfile": "FROM node:18-alpine3.18\n"}, "3.12", "default (none declared)"),
    ({"Dockerfile": "FROM ubuntu:22.04\n"}, "3.12", "default (none declared)"),
])
def test_sources(tmp_path, files, version, source):
    assert detect(tmp_path, files) == pyversion.PythonVersion(version, source)


def test_order_python_version_file_beats_pyproject_and_override_beats_all(tmp_path):
    files = {".python-version": "3.11\n", "pyproject.toml": '[project]\nrequires-python = ">=3.13"\n',
             "Dockerfile": "FROM python:3.9\n"}
    assert detect(tmp_path, files).version == "3.11"
    assert detect(tmp_path, files, override="3.13").version == "3.13"


@pytest.mark.parametrize("spec, version", [
    (">=3.9", "3.12"), ("~=3.11", "3.12"), ("<3.12", "3.11"), (">=3.11.4,<3.12", "3.11"), ("==3.8.*", None),
])
def test_ranges(spec, version):
    assert pyversion.from_specifier(spec) == version


COMPOSE_BUILDS_DOCKER_FOLDER = """
services:
  myproject:
    build:
      context: .
      dockerfile: docker/Dockerfile
    ports: ["8000:8000"]
  db:
    image: postgres:16
"""



def test_the_dockerfile_in_the_apps_own_folder_names_its_python_when_the_root_declares_none(tmp_path):
    """A project one folder down (server/ beside a React client/, compose building `context: ./server` with no
    `dockerfile:`): server/Dockerfile's FROM python:3.10 is the app's Python, not the default; anything the root
    declares still comes first."""
    files = {"server/Dockerfile": "FROM python:3.10-slim-buster\n", "client/Dockerfile": "FROM node:18\n",
             "server/manage.py": "", "server/requirements.txt": "Django==4.1.3\n"}
    found = pyversion.detect(Project(make_tree(tmp_path / "a", files)), workdir="server")
    assert (found.version, found.source) == ("3.10", "FROM line in server/Dockerfile")
    assert pyversion.detect(Project(make_tree(tmp_path / "b", files))).source == "default (none declared)"
    declared = pyversion.detect(Project(make_tree(tmp_path / "c", {**files, ".python-version": "3.11\n"})),
                                workdir="server")
    assert (declared.version, declared.source) == ("3.11", ".python-version")

def test_the_nearest_dockerfile_above_the_apps_folder_names_its_python(tmp_path):
    """services/backend/Dockerfile (FROM python:3.10-slim, `COPY ./app /backend/app`) for an app run from
    services/backend/app (a str Enum in an f-string path prefix that Python 3.11 formats otherwise): the
    Python of the nearest Dockerfile between the app's folder and the root; one in the app's folder wins."""
    files = {"services/backend/Dockerfile": "FROM python:3.10-slim\n", "services/Dockerfile": "FROM python:3.9\n",
             "services/backend/app/src/main.py": "", "services/backend/app/requirements/base.txt": "fastapi\n"}
    found = pyversion.detect(Project(make_tree(tmp_path / "a", files)), workdir="services/backend/app")
    assert (found.version, found.source) == ("3.10", "FROM line in services/backend/Dockerfile")
    own = pyversion.detect(Project(make_tree(tmp_path / "b", {**files, "services/backend/app/Dockerfile":
                                                              "FROM python:3.11\n"})), workdir="services/backend/app")
    assert (own.version, own.source) == ("3.11", "FROM line in services/backend/app/Dockerfile")


def test_the_dockerfile_the_apps_compose_service_builds_names_its_python(tmp_path):
    """No Dockerfile at the root: `docker compose up` builds docker/Dockerfile (FROM python:3.11.5-slim), whose
    Python the app's settings need (they import distutils, gone in 3.12); a root Dockerfile still comes first."""
    files = {"docker-compose.yml": COMPOSE_BUILDS_DOCKER_FOLDER, "docker/Dockerfile": "FROM python:3.11.5-slim\n",
             "docker/other.Dockerfile": "FROM python:3.8\n"}
    found = pyversion.detect(Project(make_tree(tmp_path / "a", files)))
    assert (found.version, found.source) == ("3.11", "FROM line in docker/Dockerfile")
    root = pyversion.detect(Project(make_tree(tmp_path / "b", {**files, "Dockerfile": "FROM python:3.10\n"})))
    assert (root.version, root.source) == ("3.10", "FROM line in Dockerfile")
    # a compose file that builds nothing of the app's names no Dockerfile
    images = pyversion.detect(Project(make_tree(tmp_path / "c", {"docker-compose.yml": "services:\n  db:\n"
                                                                  "    image: postgres\n",
                                                                  "docker/Dockerfile": "FROM python:3.9\n"})))
    assert images.source == "default (none declared)"
