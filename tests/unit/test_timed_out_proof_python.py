"""serve --install with no environment of the app's: a proof environment whose build ran out of time still names
the Python its pins' wheels move it to (matplotlib==2.0.2: built from source on 3.7, a wheel on 3.6). The plan the
.venv is made from is proven on that Python first, so what the import check holds back (a Werkzeug too new for the
pinned Flask-WTF) reaches the .venv's install."""

from __future__ import annotations

from types import SimpleNamespace

from conftest import make_tree
from shipyard.commands import appcmd
from shipyard.plan import Proof

TIMED_OUT = Proof(False, reason="the proof environment's build ran out of time (120s)", moved_python="3.6",
                  moved_because="matplotlib==2.0.2 has no wheel for Python 3.12 and one for 3.6 (the proof "
                                "environment's build ran out of time before its install could say so)")


def _plans(monkeypatch, first: Proof, on_moved: Proof) -> list[dict]:
    asked: list[dict] = []

    def make_plan(root, flags, confirm=True, progress=None, environ=None):
        asked.append(dict(flags))
        proof = on_moved if flags.get("python") == "3.6" else first
        return SimpleNamespace(proof=proof, notes=(), python=SimpleNamespace(version="3.6"))
    monkeypatch.setattr(appcmd, "make_plan", make_plan)
    monkeypatch.setattr(appcmd, "say", lambda line: None)
    return asked


def test_a_proof_that_ran_out_of_time_is_made_again_on_the_python_its_wheels_name(tmp_path, monkeypatch):
    root = make_tree(tmp_path / "app", {"requirements.txt": "matplotlib==2.0.2\n", "app.py": "app = None\n"})
    proven = Proof(True, "proof environment (8 packages, Python 3.6.15)", "/proof/bin/python", kind="proof",
                   held=("Werkzeug<1.0",))
    asked = _plans(monkeypatch, TIMED_OUT, proven)
    plan = appcmd._plan_to_install(root, {}, None)
    assert plan.proof is proven and plan.proof.held == ("Werkzeug<1.0",)
    assert [f.get("python") for f in asked] == [None, "3.6"]


def test_the_first_plan_stands_when_the_moved_python_gives_no_environment_either(tmp_path, monkeypatch):
    root = make_tree(tmp_path / "app", {"requirements.txt": "matplotlib==2.0.2\n", "app.py": "app = None\n"})
    asked = _plans(monkeypatch, TIMED_OUT, TIMED_OUT)
    assert appcmd._plan_to_install(root, {}, None).proof is TIMED_OUT
    assert len(asked) == 2


def test_a_proof_that_had_an_environment_or_a_python_asked_for_is_not_made_again(tmp_path, monkeypatch):
    root = make_tree(tmp_path / "app", {"requirements.txt": "matplotlib==2.0.2\n", "app.py": "app = None\n"})
    failed_in_env = Proof(False, "proof environment", "/proof/bin/python", "ImportError ...", kind="proof",
                          moved_python="3.6", moved_because="...")
    asked = _plans(monkeypatch, failed_in_env, TIMED_OUT)
    assert appcmd._plan_to_install(root, {}, None).proof is failed_in_env and len(asked) == 1
    asked = _plans(monkeypatch, TIMED_OUT, TIMED_OUT)
    appcmd._plan_to_install(root, {"python": "3.12"}, None)
    assert len(asked) == 1
