"""An import read as one distribution whose module a declared distribution installs too: jarudaDB's module is named
`databases`, and the import tables read `import databases` as PyPI's databases. The install here removes the later
one (module_clashes.repair) and remembers it; a plan then leaves the import's distribution out, so the image (whose
uv install wrote both in no set order, with no repair) and serve's .venv install only the declared one."""

from __future__ import annotations

from conftest import make_tree
from shipyard import module_clashes
from shipyard.planner import make_plan
from shipyard.render import Target, render

APP = "import databases\nfrom flask import Flask\n\napp = Flask(__name__)\nhandler = databases.DBHandler()\n"


def _names(plan):
    return {d.name.lower(): d for d in plan.dependencies}


def test_an_import_a_declared_distribution_was_found_to_provide_is_not_added(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = make_tree(tmp_path / "api", {"app.py": APP, "requirements.txt": "Flask==3.0.3\njarudaDB==0.0.3\n"})
    before = make_plan(root, {"server": "gunicorn"}, confirm=False, installed=False)
    assert _names(before)["databases"].inferred            # the tables' reading, until an install says otherwise
    assert " databases" in render(before, Target.image())["Dockerfile"].split("\nFROM ${BASE}\n")[0].replace("# ", "")
    module_clashes.remember(tmp_path / "cache" / "shipyard",
                            module_clashes.Clash("jarudadb", "databases", "databases/__init__.py"))
    plan = make_plan(root, {"server": "gunicorn"}, confirm=False, installed=False)
    assert "databases" not in _names(plan) and "jarudadb" in _names(plan)
    assert any(n.startswith("databases (import databases in app.py) is not added: the declared jarudadb installs "
                            "the same module (databases/__init__.py)") for n in plan.notes), plan.notes
    dockerfile = render(plan, Target.image())["Dockerfile"]
    assert " databases" not in dockerfile.split("\nFROM ${BASE}\n")[0].replace("# ", "")


def test_a_clash_leaves_out_only_what_an_import_added_beside_the_declared_winner(tmp_path):
    from shipyard.plan import Dependency
    cache = tmp_path / "cache"
    module_clashes.remember(cache, module_clashes.Clash("jarudadb", "databases", "databases/__init__.py"))
    module_clashes.remember(cache, module_clashes.Clash("jarudadb", "databases", "databases/core.py"))
    assert len(module_clashes.known(cache)) == 1                    # one record per pair, the latest
    declared = Dependency("jarudaDB", "==0.0.3", "requirements.txt")
    inferred = Dependency("databases", "", "import databases in app.py", True)
    assert module_clashes.leave_out_losers((declared, inferred), cache)[0] == (declared,)
    # the app declares both (it meant both), or not the winner: the plan stays as it is
    both = (declared, Dependency("databases", "==0.9.0", "requirements.txt"))
    assert module_clashes.leave_out_losers(both, cache) == (both, ())
    assert module_clashes.leave_out_losers((inferred,), cache) == ((inferred,), ())
