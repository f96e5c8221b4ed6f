"""The files `shipyard init` writes are lint's reference: for every example, topology and server they give
zero findings (shipyard's and hadolint's)."""

from __future__ import annotations

import shutil

import pytest

from conftest import EXAMPLES, require_tool
from shipyard.errors import UsageError
from shipyard.lint import lint
from shipyard.lint.rules.network import _pairs, _reaches
from shipyard.planner import make_plan
from shipyard.render import render
from shipyard.settings import BY_NAME

CASES = [(example.name, topology, server) for example in sorted(EXAMPLES.iterdir()) if (example / "test.json").exists()
         for topology in BY_NAME["topology"].choices for server in BY_NAME["server"].choices]


@pytest.mark.parametrize("example, topology, server", CASES, ids=["-".join(c) for c in CASES])
def test_generated_files_give_no_findings(example, topology, server, tmp_path):
    hadolint = require_tool("hadolint")
    plan = make_plan(EXAMPLES / example, {"topology": topology, "server": server}, confirm=False, installed=False)
    try:
        files = render(plan)
    except UsageError:
        pytest.skip(f"{server} cannot serve this app (init refuses it too)")
    root = tmp_path / example
    shutil.copytree(EXAMPLES / example, root, ignore=shutil.ignore_patterns(".venv", "__pycache__"))
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    result = lint(root, use_hadolint=bool(hadolint), plan=plan)
    assert result.hadolint not in ("", "not installed")
    assert {"dockerfile"} <= set(result.files.values())
    assert [f"{f.path}:{f.line} {f.rule} {f.message}" for f in result.findings] == []
    # zero findings because lint understood the files, not because it saw nothing: the server is found, and
    # every nginx pass reaches a listener of the right protocol
    setup = result.setup
    servers = [p for p in setup.processes if p.cmd.program == server]
    if server in ("gunicorn", "uwsgi", "granian"):
        assert servers and all(setup.listeners(p) for p in servers)
    pairs = list(_pairs(setup))
    assert bool(pairs) == (topology != "app")
    for target, _, _, same, found in pairs:
        assert any(_reaches(target, l, same) and l.protocol == target.protocol for _, ls in found for l in ls), target


@pytest.mark.parametrize("topology", ["bundle", "app"])
# tornado_script_own_port runs through shipyard_entry.py, which binds its app.listen(8888) to PORT
@pytest.mark.parametrize("case", ["tornado_script", "tornado_script_own_port"])
def test_a_script_that_starts_its_own_tornado_server_is_not_a_dev_server(topology, case, tmp_path):
    from conftest import FIXTURES
    app = FIXTURES / "apps" / case
    plan = make_plan(app, {"topology": topology}, confirm=False, installed=False)
    root = tmp_path / "app"
    shutil.copytree(app, root)
    for rel, text in render(plan).items():
        (root / rel).write_text(text, encoding="utf-8")
    result = lint(root, use_hadolint=False, plan=plan)
    assert [f"{f.path}:{f.line} {f.rule} {f.message}" for f in result.findings] == []
