"""Connexion's App changed protocol with its 3.0 release (a Flask app behind a WSGI call before, an ASGI app
since): reading the code cannot tell, so the import proof, with the release the app installs (real uv install),
decides what the plan serves."""

from __future__ import annotations

import pytest

from conftest import make_tree
from shipyard.planner import make_plan

pytestmark = pytest.mark.slow

APP = """
import connexion


def hello():
    return {"hello": "world"}


app = connexion.App(__name__)
app.add_api("openapi.yaml")
"""
SPEC = """
openapi: 3.0.0
info: {title: hello, version: "1"}
paths:
  /hello:
    get:
      operationId: app.hello
      responses:
        "200": {description: ok}
"""


def test_connexion_3s_app_read_as_wsgi_is_proven_asgi_and_served_as_asgi(tmp_path):
    root = make_tree(tmp_path / "petshop", {"app.py": APP, "openapi.yaml": SPEC,
                                            "requirements.txt": "connexion[flask]==3.1.0\n"})
    plan = make_plan(root, timeout=120)
    assert plan.proof.proven, plan.proof
    assert (plan.framework, plan.entry.target, plan.entry.interface, plan.proof.interface) == \
        ("connexion", "app:app", "asgi", "asgi")
    server = [d for d in plan.dependencies if d.source.startswith("production server")]
    assert server and all("ASGI" in d.source for d in server), server
