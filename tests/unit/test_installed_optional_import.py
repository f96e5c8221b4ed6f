"""A package the app's requirements leave out that an installed release imports (aiofiles, which Starlette before
0.15 imports in starlette.staticfiles and does not require): the import proof tries again with it, and the plan
carries it for serve's .venv and the image. Packages of the test's own, in folders named site-packages on
PYTHONPATH, stand in for the installed releases."""

from __future__ import annotations

import pytest

from conftest import make_tree
from proof_pythons import proof_environments, site_pythons
from shipyard import planner
from shipyard.errors import MissingDependency

ASGI = ("from oldstatic import StaticFiles\n\nstatic = StaticFiles()\n\n\nasync def app(scope, receive, send):\n"
        "    await send({'type': 'http.response.start', 'status': 200, 'headers': []})\n"
        "    await send({'type': 'http.response.body', 'body': b'ok'})\n")


def _sites(tmp_path, importer_code: str) -> None:
    """python-bare: oldstatic alone; python-with: oldstatic and aiofiles (the optional package). -S: without the
    site-packages of the Python running the tests, which may hold a real aiofiles."""
    site_pythons(tmp_path, {"bare": {"oldstatic/__init__.py": importer_code},
                            "with": {"oldstatic/__init__.py": importer_code,
                                     "aiofiles/__init__.py": "def stat(path):\n    return path\n"}},
                 folder="site-packages", isolated=True)


def _environments(tmp_path, monkeypatch) -> list[tuple[str, ...]]:
    return proof_environments(tmp_path, monkeypatch, lambda requirements: "with" if "aiofiles" in requirements
                              else "bare")


def test_an_installed_packages_optional_import_is_installed_beside_the_apps_packages(tmp_path, monkeypatch):
    _sites(tmp_path, "from aiofiles import stat\n\n\nclass StaticFiles:\n    pass\n")
    asked = _environments(tmp_path, monkeypatch)
    root = make_tree(tmp_path / "app", {"requirements.txt": "oldstatic==0.13.6\n", "main.py": ASGI})
    plan = planner.make_plan(root, {}, confirm=True)
    assert plan.proof.proven, plan.proof.reason
    assert plan.proof.seeded == ("aiofiles",)
    assert len(asked) == 2 and "aiofiles" not in asked[0] and "aiofiles" in asked[1]
    added = next(d for d in plan.dependencies if d.name == "aiofiles")
    assert added.inferred and added.spec == "" and "an installed package imports it" in added.source
    assert any("installed beside the app's packages: aiofiles (the installed oldstatic imports it); add it to your "
               "requirements" in n for n in plan.proof.notes), plan.proof.notes


def test_the_apps_own_import_of_a_missing_package_is_not_installed_for_it(tmp_path, monkeypatch):
    # the app's own code imports it: the app's requirements must say so, the proof does not guess
    _sites(tmp_path, "class StaticFiles:\n    pass\n")
    asked = _environments(tmp_path, monkeypatch)
    root = make_tree(tmp_path / "app", {"requirements.txt": "oldstatic==0.13.6\n",
                                        "main.py": "import aiofiles_not_there\n" + ASGI})
    with pytest.raises(MissingDependency) as caught:
        planner.make_plan(root, {}, confirm=True)
    assert "aiofiles_not_there" in caught.value.message and len(asked) == 1


def test_a_module_the_new_environment_still_lacks_ends_the_tries(tmp_path, monkeypatch):
    # the installed release imports a submodule the distribution does not have: one try, then the error stands
    _sites(tmp_path, "from aiofiles.gone import stat\n\n\nclass StaticFiles:\n    pass\n")
    asked = _environments(tmp_path, monkeypatch)
    root = make_tree(tmp_path / "app", {"requirements.txt": "oldstatic==0.13.6\n", "main.py": ASGI})
    with pytest.raises(MissingDependency) as caught:
        planner.make_plan(root, {}, confirm=True)
    assert "which the installed oldstatic imports" in caught.value.message, caught.value.message
    assert len(asked) <= 2


def test_a_module_no_distribution_is_known_for_is_not_installed_by_guess(tmp_path, monkeypatch):
    # a package index may hold anything under a guessed name: the error names it, the proof installs nothing
    _sites(tmp_path, "from vendored_helper_xyz import stat\n\n\nclass StaticFiles:\n    pass\n")
    asked = _environments(tmp_path, monkeypatch)
    root = make_tree(tmp_path / "app", {"requirements.txt": "oldstatic==0.13.6\n", "main.py": ASGI})
    with pytest.raises(MissingDependency) as caught:
        planner.make_plan(root, {}, confirm=True)
    assert "vendored_helper_xyz" in caught.value.message and len(asked) == 1


@pytest.mark.parametrize("raise_line", ["raise ImportError(MESSAGE)", "raise ImportError(MESSAGE) from err"])
def test_an_installed_packages_own_import_error_for_its_optional_package_installs_that_package(
        tmp_path, monkeypatch, raise_line):
    # pandas' read_excel imports openpyxl on first use and, when it is missing, raises an ImportError of its own
    # ("`Import openpyxl` failed. ... install the openpyxl package"), not the ModuleNotFoundError: the package
    # missing is still the one it tried to import
    frames = ("MESSAGE = '`Import openpyxl` failed.  Use pip to install the openpyxl package.'\n\n\n"
              "def read_sheet(path):\n    try:\n        import openpyxl\n    except ImportError as err:\n"
              f"        {raise_line}\n    return openpyxl.load(path)\n")
    site_pythons(tmp_path, {"bare": {"oldframes/__init__.py": frames},
                            "with": {"oldframes/__init__.py": frames,
                                     "openpyxl/__init__.py": "def load(path):\n    return path\n"}},
                 folder="site-packages", isolated=True)
    asked = proof_environments(tmp_path, monkeypatch, lambda requirements: "with" if "openpyxl" in requirements
                               else "bare")
    root = make_tree(tmp_path / "app", {"requirements.txt": "oldframes==0.20.1\n",
                                        "main.py": "from oldframes import read_sheet\n\nsheet = read_sheet('data.xlsx')\n"
                                                   + ASGI.replace("from oldstatic import StaticFiles\n\n"
                                                                  "static = StaticFiles()\n", "")})
    plan = planner.make_plan(root, {}, confirm=True)
    assert plan.proof.proven, plan.proof.reason
    assert plan.proof.seeded == ("openpyxl",)
    assert len(asked) == 2 and "openpyxl" in asked[1]
    assert any("openpyxl (the installed oldframes imports it)" in n for n in plan.proof.notes), plan.proof.notes
