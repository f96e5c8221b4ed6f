"""The import proof of a 2016 Tornado chat held tornado below 6.0 (tornado-redis imports tornado.stack_context, gone
in 6.0) and moved the app to Python 3.7, where it imported. Moving the Python merged the app's dependencies anew for
that Python's server and dropped the hold: serve's .venv installed tornado 6.2 and the app stopped at import with
the very error the proof had got past. What the proof needed (held bounds, seeded and moved releases) is applied
again whenever the dependencies are merged anew."""

from __future__ import annotations

from conftest import make_tree
from shipyard import environments, planner
from shipyard.plan import Proof
from tornado_chat import CHAT


def proved(held=(), seeded=(), moved_python=""):
    def prove(*args, **kwargs):
        return Proof(proven=True, environment="proof environment (4 packages, Python 3.7.16)", kind="proof",
                     held=held, seeded=seeded, moved_python=moved_python,
                     moved_because="AttributeError raised inside the installed tornado 5.1.1 on Python 3.11")
    return prove


def requirements(plan) -> list[str]:
    return [d.requirement for d in plan.dependencies]


def test_the_holds_stay_when_the_proof_moves_the_python(tmp_path, monkeypatch):
    monkeypatch.setattr(environments, "cache_root", lambda *a: tmp_path / "cache")
    root = make_tree(tmp_path / "chat", {"app.py": CHAT})
    monkeypatch.setattr(planner, "prove", proved(held=("tornado<6.0",), seeded=("setuptools<81",),
                                                 moved_python="3.7"))
    plan = planner.make_plan(root, confirm=True)
    assert plan.python.version == "3.7", plan.python
    assert "tornado<6.0" in requirements(plan) and "setuptools<81" in requirements(plan), requirements(plan)
    # `import tornadoredis` is the tornado-redis distribution (import_overrides.json), not PyPI's py2-only namesake
    assert "tornado-redis" in requirements(plan), requirements(plan)


def test_without_a_move_the_holds_are_there_too(tmp_path, monkeypatch):
    monkeypatch.setattr(environments, "cache_root", lambda *a: tmp_path / "cache")
    root = make_tree(tmp_path / "chat", {"app.py": CHAT, ".python-version": "3.7\n"})
    monkeypatch.setattr(planner, "prove", proved(held=("tornado<6.0",)))
    assert "tornado<6.0" in requirements(planner.make_plan(root, confirm=True))
