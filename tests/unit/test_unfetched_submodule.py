"""An empty folder the app imports as its own package: a git submodule its clone did not fetch (real git repos)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from shipyard.detect import unfetched_submodule

ERROR = "ModuleNotFoundError: No module named 'appointments.urls'"
# any commit id does for a gitlink: git records it without having the commit
COMMIT = "cd41dab96ebe6a0d5dcb2c50fa4de8d652fcfae6"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args], check=True,
                   capture_output=True)


def project(tmp_path: Path, gitmodules: bool) -> Path:
    """A Django-shaped project whose `appointments` app is a gitlink, cloned: the folder is there, empty."""
    origin = tmp_path / "origin"
    (origin / "hospital").mkdir(parents=True)
    (origin / "hospital" / "settings.py").write_text("INSTALLED_APPS = ['appointments']\n")
    (origin / "manage.py").write_text("")
    git(origin, "init", "-q")
    git(origin, "add", ".")
    git(origin, "update-index", "--add", "--cacheinfo", f"160000,{COMMIT},appointments")
    if gitmodules:
        (origin / ".gitmodules").write_text('[submodule "appointments"]\n\tpath = appointments\n'
                                            '\turl = https://example.invalid/appointments.git\n')
        git(origin, "add", ".gitmodules")
    git(origin, "commit", "-q", "-m", "app")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True, capture_output=True)
    assert (clone / "appointments").is_dir() and not any((clone / "appointments").iterdir())
    return clone


def test_a_gitlink_no_gitmodules_names_is_said_as_only_its_author_has_it(tmp_path):
    clone = project(tmp_path, gitmodules=False)
    what, hint = unfetched_submodule.explain((clone,), ERROR)
    assert "appointments/ is empty" in what and ".gitmodules does not name it" in what
    assert "only the app's author has appointments" in hint
    assert "pip install" not in what + hint


def test_a_submodule_gitmodules_names_is_said_with_the_command_that_fetches_it(tmp_path):
    clone = project(tmp_path, gitmodules=True)
    what, hint = unfetched_submodule.explain((clone / "nowhere", clone), ERROR)
    assert what == "appointments/ is empty: it is a git submodule this clone did not fetch"
    assert "git submodule update --init" in hint


def test_a_from_import_of_the_empty_package_is_this_case_too(tmp_path):
    # `from appointments import views`: Python says the namespace package has no location
    clone = project(tmp_path, gitmodules=False)
    error = "ImportError: cannot import name 'views' from 'appointments' (unknown location)"
    assert "appointments/ is empty" in unfetched_submodule.explain((clone,), error)[0]
    assert unfetched_submodule.explain((clone,), "ImportError: cannot import name 'views' from 'appointments' "
                                                 "(/x/appointments/__init__.py)") is None


def test_an_empty_folder_outside_git_is_said_as_an_empty_package(tmp_path):
    (tmp_path / "appointments").mkdir()
    what, hint = unfetched_submodule.explain((tmp_path,), ERROR)
    assert "appointments/ is an empty folder of the app" in what
    assert "put the appointments package's code in appointments/" in hint


def test_a_module_with_code_or_no_folder_is_not_this_case(tmp_path):
    (tmp_path / "appointments").mkdir()
    (tmp_path / "appointments" / "models.py").write_text("")
    assert unfetched_submodule.explain((tmp_path,), ERROR) is None
    assert unfetched_submodule.explain((tmp_path,), "ModuleNotFoundError: No module named 'stripe'") is None
    assert unfetched_submodule.explain((tmp_path,), "KeyError: 'SECRET_KEY'") is None
