"""A module protoc generates (X_pb2, X_pb2_grpc), imported by the app but never committed: a course project's
gRPC controller whose Dockerfile runs `python -m grpc_tools.protoc ... inventory_service.proto` at build time.
No package provides it, so the import check says where it comes from and the command that makes it, instead of
asking to pip-install a distribution named inventory_service_pb2."""

from __future__ import annotations

import sys

import pytest

from conftest import make_tree
from shipyard.detect import entry
from shipyard.errors import AppLoadError, MissingDependency
from shipyard.project import Project

APP = ("from flask import Flask\nfrom inventory_service_pb2 import ItemRequest\n"
       "from inventory_service_pb2_grpc import InventoryStub\napp = Flask(__name__)\n")


def _confirm(root):
    project = Project(root)
    entry.confirm(project, entry.find(project, None), sys.executable, 30.0)


def test_a_protoc_module_names_its_proto_and_the_command(tmp_path):
    root = make_tree(tmp_path / "shop", {"controller/app.py": APP, "controller/requirements.txt": "flask\ngrpcio-tools\n",
                                         "protobufs/inventory_service.proto": 'syntax = "proto3";\n'})
    with pytest.raises(AppLoadError) as raised:
        _confirm(root)
    assert not isinstance(raised.value, MissingDependency)
    message, hint = raised.value.message, raised.value.hint
    assert "needs 'inventory_service_pb2', the Python that protoc generates from protobufs/inventory_service.proto" \
        in message, message
    assert f"-I {root / 'protobufs'} --python_out=. --grpc_python_out=. {root / 'protobufs/inventory_service.proto'}" \
        in hint and "(controller/)" in hint, hint


def test_without_the_proto_it_still_says_protoc_makes_it(tmp_path):
    root = make_tree(tmp_path / "shop", {"app.py": APP})
    with pytest.raises(AppLoadError) as raised:
        _confirm(root)
    assert "inventory_service.proto (not in the project)" in raised.value.message
    assert not isinstance(raised.value, MissingDependency)


def test_another_missing_module_stays_a_missing_dependency(tmp_path):
    root = make_tree(tmp_path / "shop", {"app.py": APP.replace("inventory_service_pb2 ", "inventory_service ", 1)})
    with pytest.raises(MissingDependency):
        _confirm(root)
