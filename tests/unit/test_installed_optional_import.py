"""A package the app's requirements leave out that an installed release imports (aiofiles, which Starlette before
0.21 imports in starlette.staticfiles and does not require): the import proof tries again with it, and the plan
carries it for serve's .venv and the image. Packages of the test's own, in folders named site-packages on
PYTHONPATH, stand in for the installed releases."""

from __future__ import annotations

import sys

import pytest

from conftest import make_tree
from shipyard import environments, planner, proving
from shipyard.errors import MissingDependency

ASGI = ("from oldstatic import StaticFiles\n\nstatic = StaticFiles()\n\n\nasync def app(scope, receive, send):\n"
        "    await send({'type': 'http.response.start', 'status': 200, 'headers': []})\n"
        "    await send({'type': 'http.response.body', 'body': b'ok'})\n")


def _sites(tmp_path, importer_code: str) -> None:
    """python-bare: oldstatic alone; python-with: oldstatic and optfiles (the optional package)."""
    for site, extra in (("bare", {}), ("with", {"optfiles/__init__.py": "def stat(path):\n    return path\n"})):
        make_tree(tmp_path / site / "site-packages", {"oldstatic/__init__.py": importer_code, **extra})
        script = tmp_path / f"python-{site}"
        script.write_text(f"#!/bin/sh\nPYTHONPATH={tmp_path / site / 'site-packages'} exec {sys.executable} \"$@\"\n")
        script.chmod(0o755)


def _environments(tmp_path, monkeypatch) -> list[tuple[str, ...]]:
    asked: list[tuple[str, ...]] = []

    def environment(project, requirements, *args):
        asked.append(requirements)
        site = "with" if "optfiles" in requirements else "bare"
        return environments.ProofResult(environments.Environment(str(tmp_path / f"python-{site}"), site, "proof"), ())
    monkeypatch.setattr(proving, "_environment", environment)
    return asked


def test_an_installed_packages_optional_import_is_installed_beside_the_apps_packages(tmp_path, monkeypatch):
    _sites(tmp_path, "from optfiles import stat\n\n\nclass StaticFiles:\n    pass\n")
    asked = _environments(tmp_path, monkeypatch)
    root = make_tree(tmp_path / "app", {"requirements.txt": "oldstatic==0.13.6\n", "main.py": ASGI})
    plan = planner.make_plan(root, {}, confirm=True)
    assert plan.proof.proven, plan.proof.reason
    assert plan.proof.seeded == ("optfiles",)
    assert len(asked) == 2 and "optfiles" not in asked[0] and "optfiles" in asked[1]
    added = next(d for d in plan.dependencies if d.name == "optfiles")
    assert added.inferred and added.spec == "" and "an installed package imports it" in added.source
    assert any("installed beside the app's packages: optfiles (the installed oldstatic imports it); add it to your "
               "requirements" in n for n in plan.proof.notes), plan.proof.notes


def test_the_apps_own_import_of_a_missing_package_is_not_installed_for_it(tmp_path, monkeypatch):
    # the app's own code imports it: the app's requirements must say so, the proof does not guess
    _sites(tmp_path, "class StaticFiles:\n    pass\n")
    asked = _environments(tmp_path, monkeypatch)
    root = make_tree(tmp_path / "app", {"requirements.txt": "oldstatic==0.13.6\n",
                                        "main.py": "import optfiles_not_there\n" + ASGI})
    with pytest.raises(MissingDependency) as caught:
        planner.make_plan(root, {}, confirm=True)
    assert "optfiles_not_there" in caught.value.message and len(asked) == 1


def test_a_package_the_new_environment_still_lacks_ends_the_tries(tmp_path, monkeypatch):
    # the installed release imports a module no distribution of that name provides: one try, then the error stands
    _sites(tmp_path, "from optfiles.gone import stat\n\n\nclass StaticFiles:\n    pass\n")
    asked = _environments(tmp_path, monkeypatch)
    root = make_tree(tmp_path / "app", {"requirements.txt": "oldstatic==0.13.6\n", "main.py": ASGI})
    with pytest.raises(MissingDependency) as caught:
        planner.make_plan(root, {}, confirm=True)
    assert "which the installed oldstatic imports" in caught.value.message, caught.value.message
    assert len(asked) <= 2
