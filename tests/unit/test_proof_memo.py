"""A proof environment's search for pins that install (another Python, a pin moved or left out) is made once: a
second run goes straight to the environment it ended on, while that environment is complete in the cache."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from shipyard import environments, moved_pins
from shipyard.environments import Environment, EnvironmentUnavailable, InstallSpec, Interpreter

from conftest import make_tree


def _search(tmp_path: Path, monkeypatch) -> tuple[Path, dict, list]:
    """An app whose freeze pins distribute (it builds nowhere here: left out after one failed install), and a fake
    proof_environment that fails as uv would for it and otherwise makes the cached folder a built one has."""
    root = make_tree(tmp_path / "app", {"requirements.txt": "six==1.16.0\ndistribute==0.6.35\n", "app.py": ""})
    environ = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    attempts: list[tuple[str, ...]] = []

    def proof_environment(spec: InstallSpec, python: Interpreter, **_) -> Environment:
        attempts.append(spec.requirements)
        if any(r.startswith("distribute") for r in spec.requirements):
            failure = EnvironmentUnavailable("installing the app's dependencies failed: distribute==0.6.35 does "
                                             "not build (no wheel for this Python, and building it from source failed)")
            failure.unbuilt = "distribute==0.6.35"
            raise failure
        return _built(spec, python, environ)

    monkeypatch.setattr(environments, "proof_environment", proof_environment)
    return root, environ, attempts


def _built(spec: InstallSpec, python: Interpreter, environ: dict) -> Environment:
    """The cached folder a proof environment that built has (what _recalled_search looks for)."""
    final = environments.cache_root(environ) / "envs" / f"py{python.version}-{spec.key(python)}"
    (final / "bin").mkdir(parents=True, exist_ok=True)
    if not (final / "bin/python").exists():
        (final / "bin/python").symlink_to(python.path)
    (final / ".complete").write_text("{}\n")
    return Environment(str(final / "bin/python"), f"proof environment {final}", "proof")


def _prove(root: Path, environ: dict, said: list[str]) -> environments.ProofResult:
    version = "%d.%d" % sys.version_info[:2]
    return environments.environment_for_proof(root, ("six==1.16.0", "distribute==0.6.35"), ("requirements.txt",),
                                              version, timeout=60, say=said.append, environ=environ)


def test_a_second_run_goes_straight_to_the_environment_the_first_ones_search_ended_on(tmp_path, monkeypatch):
    root, environ, attempts = _search(tmp_path, monkeypatch)
    first_said: list[str] = []
    first = _prove(root, environ, first_said)
    assert first.environment is not None and len(attempts) == 2          # the failure, then without distribute
    left_out = next(n for n in first.notes if "distribute==0.6.35 does not build here" in n)

    said: list[str] = []
    second = _prove(root, environ, said)
    assert len(attempts) == 3 and not any(r.startswith("distribute") for r in attempts[-1])   # no failure again
    assert second.environment.python == first.environment.python
    assert second.notes == first.notes and left_out in said
    assert said[0].startswith("an earlier run found the pins install on Python")

    # the environment pruned from the cache: the search is made again, from the app's requirements
    shutil.rmtree(Path(first.environment.python).parent.parent)
    third = _prove(root, environ, [])
    assert third.environment is not None and len(attempts) == 5 and attempts[3] == attempts[0]


def test_a_build_that_ran_out_of_time_is_not_waited_for_again_on_the_next_run(tmp_path, monkeypatch):
    # Pillow==9.1.1 on 3.12: the build runs out of time (120 s) and the pins' wheels name 3.10 (wheels_python); serve,
    # right after inspect, built on 3.12 again for another 120 s before it moved: it starts on the older Python now
    environ = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    newest = environments.choose_python("%d.%d" % sys.version_info[:2], environ)[0]
    older = next((found for m in range(sys.version_info[1] - 1, 5, -1) if (found := environments.python_of(m, environ))
                  ), None)
    if older is None:
        pytest.skip("one Python here: nothing older to move to")
    root = make_tree(tmp_path / "app", {"requirements.txt": "Pillow==9.1.1\n", "app.py": "import PIL\n"})
    why = f"Pillow==9.1.1 has no wheel for Python {newest.minor} and one for {older.minor} (the proof environment's " \
          "build ran out of time before its install could say so)"
    tried: list[str] = []

    def proof_environment(spec: InstallSpec, python: Interpreter, **_) -> Environment:
        tried.append(python.minor)
        if python.minor == newest.minor:
            raise EnvironmentUnavailable("the proof environment did not build within 120s")
        return _built(spec, python, environ)

    monkeypatch.setattr(environments, "proof_environment", proof_environment)
    monkeypatch.setattr(environments, "wheels_python", lambda *_: (older.minor, why))

    def prove(said: list[str]) -> environments.ProofResult:
        return environments.environment_for_proof(root, ("Pillow==9.1.1",), ("requirements.txt",), newest.minor,
                                                  timeout=120, say=said.append, environ=environ)

    first = prove([])
    assert first.environment is None and first.moved_to == (older.minor, why) and tried == [newest.minor]
    said: list[str] = []
    second = prove(said)
    assert tried[1:] == [older.minor], tried             # no second build on the newest Python
    assert second.environment is not None and second.moved_to == (older.minor, why)
    assert any(f"ran out of time, and Pillow==9.1.1 has no wheel for Python {newest.minor}" in s
               for s in said), said
    third = prove([])                                       # the environment built: recalled, nothing built at all
    assert tried[2:] == [older.minor] and third.environment.python == second.environment.python


def test_a_search_that_changed_nothing_is_not_kept(tmp_path, monkeypatch):
    root, environ, attempts = _search(tmp_path, monkeypatch)
    version = "%d.%d" % sys.version_info[:2]
    environments.environment_for_proof(root, ("six==1.16.0",), ("requirements.txt",), version, timeout=60,
                                       say=None, environ=environ)
    assert len(attempts) == 1
    assert not (environments.cache_root(environ) / "proof-searches").exists()


def test_a_pin_moved_on_again_is_planned_at_the_release_that_installed():
    # psycopg2 2.7.1's wheel bundles a libpq that does not load here, so did 2.7.2's and 2.7.3's: 2.7.3.1 installed
    known = [moved_pins.Replaced(f"psycopg2=={a}", f"psycopg2=={b}", "3.6", "its wheel bundles a library that does "
                                 "not load on this system") for a, b in (("2.7.1", "2.7.2"), ("2.7.2", "2.7.3"),
                                                                         ("2.7.3", "2.7.3.1"))]
    found = moved_pins.for_requirements(["psycopg2==2.7.1", "Django==1.11.2"], known, "3.6")
    assert list(found) == ["psycopg2==2.7.1"]
    assert (found["psycopg2==2.7.1"].release, found["psycopg2==2.7.1"].instead) == ("psycopg2==2.7.1", "psycopg2==2.7.3.1")
    assert moved_pins.for_requirements(["psycopg2==2.7.1"], known, "3.7") == {}


def test_a_search_on_a_python_starts_from_the_moves_installs_there_made_before(tmp_path, monkeypatch):
    # another app's install moved psycopg2 2.7.1 on to 2.7.3.1 on Python 3.6 (each wheel before bundles a libpq that
    # does not load here): this one's first install there takes 2.7.3.1 at once, not after three failed installs
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    cache = tmp_path / "cache" / "shipyard"
    why = "its wheel bundles a library that does not load on this system"
    for a, b in (("2.7.1", "2.7.2"), ("2.7.2", "2.7.3"), ("2.7.3", "2.7.3.1")):
        moved_pins.remember(cache, moved_pins.Replaced(f"psycopg2=={a}", f"psycopg2=={b}", "3.6", why))
    tried: list[tuple[str, tuple[str, ...]]] = []

    def attempt(python: Interpreter, spec: InstallSpec) -> str:
        tried.append((python.minor, spec.requirements))
        return "made"

    said: list[str] = []
    spec = InstallSpec(("Django==1.11.2", "psycopg2==2.7.1"))
    assert environments.on_older_pythons(Interpreter("python3.6", "3.6.15"), spec, attempt, said.append) == "made"
    assert tried == [("3.6", ("Django==1.11.2", "psycopg2==2.7.3.1"))]
    assert said == [f"psycopg2==2.7.1 on Python 3.6: installing psycopg2==2.7.3.1, which installs here took before "
                    f"({why})"]
    # on another Python the moves of 3.6 say nothing
    tried.clear()
    environments.on_older_pythons(Interpreter("python3.9", "3.9.18"), spec, attempt, None)
    assert tried == [("3.9", spec.requirements)]


def test_a_search_made_by_other_deciding_code_is_not_recalled(monkeypatch):
    # an outcome is the decision of the code that searched: once the modules that decide change (a fix that keeps
    # a pin the old code left out as unused), the same start is searched again, not recalled
    from shipyard import proof_memo
    before = proof_memo.key("start", None)
    assert proof_memo.key("start", None) == before
    monkeypatch.setattr(proof_memo, "deciders_fingerprint", lambda: "other-code")
    assert proof_memo.key("start", None) != before
