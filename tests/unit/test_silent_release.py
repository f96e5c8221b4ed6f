"""A release command that exits non-zero and prints nothing (Django 2.1's questioner exits 3 in silence; a seed
script's bare `sys.exit(1)`): serve's and `shipyard migrate`'s one line said "its own error is above" with nothing
above. Now it says the command printed nothing, names it, where it ran and its exit status; a command that printed
anything (stdout too, which is still copied to ours as it comes) keeps "its own error is above"."""

from __future__ import annotations

import sys

import pytest

from conftest import make_tree
from shipyard.environments import Environment
from shipyard.errors import ShipyardError
from shipyard.planner import make_plan
from shipyard.run.migrate import run_migrations

APP = """def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"catalogue"]
"""
PYPROJECT = """[project]
name = "catalogue"
version = "0.1"

[tool.shipyard]
release = "python load_catalogue.py"
"""


def _release(tmp_path, script: str):
    root = make_tree(tmp_path / "catalogue", {"wsgi.py": APP, "pyproject.toml": PYPROJECT,
                                              "load_catalogue.py": script})
    plan = make_plan(root, {"entry": "wsgi:app"}, confirm=False, installed=False)
    assert plan.release.argv == ("python", "load_catalogue.py"), plan.release
    return plan, root


def test_a_release_that_exits_in_silence_is_said_to_have_printed_nothing(tmp_path):
    plan, root = _release(tmp_path, "import sys\n\nif __name__ == '__main__':\n    sys.exit(4)\n")
    with pytest.raises(ShipyardError) as failed:
        run_migrations(plan, root, Environment(sys.executable, "the test's Python"))
    assert failed.value.message == (f"the release command from [tool.shipyard] failed with exit status 4 and printed "
                                    f"nothing: `python load_catalogue.py` in {root}"), failed.value.message
    assert "error is above" not in failed.value.hint and "run that command there yourself" in failed.value.hint


@pytest.mark.parametrize("stream", ["stdout", "stderr"])
def test_a_release_that_printed_anything_keeps_its_error_above(tmp_path, capfd, stream):
    plan, root = _release(tmp_path, f"import sys\nprint('catalogue: 3 rows of 7 loaded', file=sys.{stream})\n"
                                    "sys.exit(2)\n")
    with pytest.raises(ShipyardError) as failed:
        run_migrations(plan, root, Environment(sys.executable, "the test's Python"))
    assert failed.value.message.startswith("the release command from [tool.shipyard] failed (exit status 2)")
    assert "printed nothing" not in failed.value.message
    assert "catalogue: 3 rows of 7 loaded" in getattr(capfd.readouterr(), "out" if stream == "stdout" else "err")
