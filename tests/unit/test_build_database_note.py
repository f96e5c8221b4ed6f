"""`shipyard build` on the Dockerfile `shipyard init` wrote knows the app's database server as the build that renders
its own files does: its check runs the image alone, and the note saying how to give it a database (or check the
whole stack with `shipyard up`) is printed on both paths."""

from __future__ import annotations

import pytest

from conftest import make_tree
from shipyard.commands.build import prepare_context
from shipyard.planner import make_plan
from shipyard.render import render

APP = "from flask import Flask\n\napp = Flask(__name__)\n\n@app.route('/')\ndef index():\n    return 'hi'\n"


@pytest.mark.parametrize("requirements, postgres, mysql", [
    ("flask\npsycopg2-binary\n", True, False),
    ("flask\nPyMySQL\n", False, True),
    ("flask\n", False, False),
])
def test_an_init_written_dockerfile_keeps_the_apps_database_server(tmp_path, monkeypatch, requirements, postgres,
                                                                    mysql):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = make_tree(tmp_path / "app", {"app.py": APP, "requirements.txt": requirements})
    rendered, chosen, _ = prepare_context(root, {}, fresh=True, confirm=False)     # build's own files
    with rendered:
        assert (chosen["_needs_postgres"], chosen["_needs_mysql"]) == (postgres, mysql)
    # `shipyard init` writes the files into the app's folder; build then uses its Dockerfile as it is
    for rel, text in render(make_plan(root, confirm=False, installed=False)).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    ctx, chosen, _ = prepare_context(root, {}, fresh=False, confirm=False)
    assert not ctx.is_overlay and ctx.dockerfile == root / "Dockerfile"
    assert (chosen["_needs_postgres"], chosen["_needs_mysql"]) == (postgres, mysql)
    # the user's own choice wins, as in the plan
    (root / "pyproject.toml").write_text('[tool.shipyard]\ndb = "none"\n')
    _, chosen, _ = prepare_context(root, {}, fresh=False, confirm=False)
    assert not chosen["_needs_postgres"] and not chosen["_needs_mysql"]
