"""A pinned release that imports a module the installed release of a package the app leaves open no longer has
(whitenoise 4.1.2's `django.utils.six` under `django>=2.2.10`, which resolves to Django 3.0): the import check
names both releases, the proof holds the package below its installed series, and the plan's requirement carries
the bound that serve's .venv installs."""

from __future__ import annotations

import os
import sys

import pytest
from packaging.specifiers import SpecifierSet

from conftest import make_tree
from shipyard import environments, proving
from shipyard.detect import entry
from shipyard.errors import GoneSubmodule, MissingDependency
from shipyard.plan import Dependency, Proof
from shipyard.planner import held_back
from shipyard.project import Project


def _on_path(folder):
    """This process's environment with `folder` first on PYTHONPATH: the import check sees what is installed there."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(folder), os.environ.get("PYTHONPATH"))))}


def _provider_site(folder, version, files):
    """A site-packages folder under `folder` with `provider` at `version`, made of `files` (relative to it)."""
    return make_tree(folder / "lib" / "site-packages", {
        **files,
        f"provider-{version}.dist-info/METADATA": f"Name: provider\nVersion: {version}\n",
        f"provider-{version}.dist-info/top_level.txt": "provider\n"})


def _site(root, version, with_six):
    """A site-packages folder with `provider` at `version` (provider.six only when `with_six`) and `importer` 4.1.2,
    whose module imports provider.six, as whitenoise 4.1.2's middleware imports django.utils.six."""
    files = {
        "provider/__init__.py": "",
        "importer/__init__.py": "from provider.six import moves\n",
        "importer-4.1.2.dist-info/METADATA": "Name: importer\nVersion: 4.1.2\n",
        "importer-4.1.2.dist-info/top_level.txt": "importer\n",
    }
    if with_six:
        files["provider/six.py"] = "moves = None\n"
    return _provider_site(root, version, files)


def _app(tmp_path):
    return make_tree(tmp_path / "app", {
        "app.py": "import importer\nfrom flask import Flask\napp = Flask(__name__)\n",
        "requirements.txt": "provider>=2.2.10\nimporter==4.1.2\nflask\n"})


def test_the_import_check_names_the_release_that_imports_it_and_the_one_that_lost_it(tmp_path):
    app = _app(tmp_path)
    project = Project(app)
    found = entry.find(project, None)
    site = _site(tmp_path / "new", "3.0.6", with_six=False)
    environ = _on_path(site)
    with pytest.raises(GoneSubmodule) as raised:
        entry.confirm(project, found, sys.executable, 30.0, environ=environ)
    assert raised.value.provider == ("provider", "3.0.6")
    assert raised.value.importer == "importer 4.1.2" and raised.value.module == "provider.six"
    assert "which the installed importer 4.1.2 imports and the installed provider 3.0.6 no longer has" \
        in raised.value.message
    # the release that has it imports
    old = _site(tmp_path / "old", "2.2.28", with_six=True)
    entry.confirm(project, found, sys.executable, 30.0, environ=_on_path(old))


def test_a_missing_top_level_package_stays_a_missing_dependency(tmp_path):
    app = make_tree(tmp_path / "app", {"app.py": "import not_installed_here\nfrom flask import Flask\napp = Flask(__name__)\n"})
    project = Project(app)
    with pytest.raises(MissingDependency) as raised:
        entry.confirm(project, entry.find(project, None), sys.executable, 30.0)
    assert not isinstance(raised.value, GoneSubmodule)


def _older_provider_proof(tmp_path, requirements, first, dependency, python="3.8", say=lambda line: None):
    """The proof's hold-back rounds (proving._with_older_provider) for an empty app, from the import failure
    `first`, in a proof environment of this interpreter."""
    env = environments.Environment(sys.executable, "proof environment", "proof")
    return proving._with_older_provider(Project(make_tree(tmp_path / "app", {"app.py": ""})), None, requirements, (),
                                        env, (), first, python, 60, 30, say, {}, (dependency,))


class _Rounds:
    """Stands in for the proof environment builds and imports: the import fails while the requirements hold
    provider at or above `works_below` (a release series), and passes once they hold it below."""

    def __init__(self, works_below: str | None):
        self.works_below = works_below
        self.built: list[tuple[str, ...]] = []

    def environment(self, project, requirements, *args):
        self.built.append(requirements)
        return environments.ProofResult(environments.Environment(sys.executable, "proof environment", "proof"), ())

    def imported(self, project, found, env, notes, version, timeout, environ, hold=False):
        held = [r for r in (self.built[-1] if self.built else ()) if r.startswith("provider<")]
        installed = {(): "3.1.2", ("provider<3.1",): "3.0.6", ("provider<3.0",): "2.2.28", ("provider<2.0",): "1.11.29",
                     ("provider<1.0",): "0.16.1"}[tuple(held[-1:])]
        if self.works_below is None or installed >= self.works_below:
            raise GoneSubmodule("needs provider.six", "", ("provider", installed), "importer 4.1.2", "provider.six")
        return Proof(True, env.origin, env.python, notes=notes, kind="proof")


@pytest.mark.parametrize("spec, works_below, held", [
    (">=2.2.10", "3.0", ("provider<3.0",)),      # two series back: 3.1 (the newest) lacks it, so does 3.0
    ("", "3.1", ("provider<3.1",)),              # unpinned: one series back
    ("", "1.0", ("provider<1.0",)),              # then a major release a round: 3.1, 3.0, 2.x, 1.x lack it
    ("==3.1.2", "3.0", None),                    # the app's own exact pin is never moved
    (">=2.2.10", None, None),                    # none within the app's lower bound has it: the first failure stands
    ("", None, None),                            # nor within the rounds
])
def test_the_proof_holds_the_package_back_one_series_a_round(tmp_path, monkeypatch, spec, works_below, held):
    rounds = _Rounds(works_below)
    monkeypatch.setattr(proving, "_environment", rounds.environment)
    monkeypatch.setattr(proving, "_imported", rounds.imported)
    deps = (Dependency("provider", spec, "requirements.txt"), Dependency("importer", "==4.1.2", "requirements.txt"))
    env = environments.Environment(sys.executable, "proof environment", "proof")
    first = GoneSubmodule("needs provider.six", "", ("provider", "3.1.2"), "importer 4.1.2", "provider.six")
    project = Project(make_tree(tmp_path / "app", {"app.py": ""}))
    said: list[str] = []
    if held is None:
        # the first failure stands: the entry not proven, with its error (serve stops on it)
        proof = proving._with_older_provider(project, None, ("provider" + spec, "importer==4.1.2"), (), env, (),
                                             first, "3.8", 60, 30, said.append, {}, deps)
        assert not proof.proven and proof.code_error and proof.reason == first.message
        assert len(rounds.built) <= proving.HOLD_ROUNDS
        return
    proof = proving._with_older_provider(project, None, ("provider" + spec, "importer==4.1.2"), (), env, (), first,
                                         "3.8", 60, 30, said.append, {}, deps)
    assert proof.proven and proof.held == held
    assert said[0].startswith("the installed importer 4.1.2 imports provider.six, which provider 3.1.2 no longer has")
    # the plan's requirement gets the bound; a package the app does not name is added with it
    (provider, importer) = held_back(deps, proof.held)
    assert provider.requirement == "provider" + ",".join(filter(None, (spec, held[0].removeprefix("provider"))))
    assert importer.requirement == "importer==4.1.2"
    (added,) = held_back((), ("Django<3.0",))
    assert (added.name, added.spec, added.inferred) == ("Django", "<3.0", True)


class _FloorRounds:
    """Another pin needs provider 2.x (Flask 2.0.2 asks Werkzeug>=2.0): no environment resolves with provider<2.0.
    The import fails on provider 2.2.3 and 2.1.2, which removed provider.wrappers.BaseResponse, and passes on 2.0.3."""

    def __init__(self):
        self.built: list[tuple[str, ...]] = []

    def environment(self, project, requirements, *args):
        self.built.append(requirements)
        if "provider<2.0" in requirements:
            return environments.ProofResult(None, (), "no solution: other>=2.0.2 needs provider>=2.0")
        return environments.ProofResult(environments.Environment(sys.executable, "proof environment", "proof"), ())

    def imported(self, project, found, env, notes, version, timeout, environ, hold=False):
        held = [r for r in self.built[-1] if r.startswith("provider<")]
        installed = {("provider<2.2",): "2.1.2", ("provider<2.1",): "2.0.3"}[tuple(held[-1:])]
        if installed >= "2.1":
            raise GoneSubmodule("needs BaseResponse", "", ("provider", installed), "importer 0.17.1",
                                "provider.wrappers.BaseResponse")
        return Proof(True, env.origin, env.python, notes=notes, kind="proof")


def test_a_major_step_no_environment_resolves_falls_back_to_the_next_series(tmp_path, monkeypatch):
    """flask-rest-api 0.17.1 imports werkzeug.wrappers.BaseResponse (gone in Werkzeug 2.1) beside Flask==2.0.2:
    held below 2.2, Werkzeug 2.1.2 still lacks it; the next round's major step, Werkzeug<2.0, resolves to nothing
    (Flask 2.0.2 needs 2.x), and before, the rounds stopped there and serve installed the newest again. Now the
    series below the installed one is tried instead: Werkzeug<2.1, so 2.0.3, which imports."""
    rounds = _FloorRounds()
    monkeypatch.setattr(proving, "_environment", rounds.environment)
    monkeypatch.setattr(proving, "_imported", rounds.imported)
    deps = (Dependency("importer", "==0.17.1", "requirements.txt"), Dependency("other", "==2.0.2", "requirements.txt"))
    env = environments.Environment(sys.executable, "proof environment", "proof")
    first = GoneSubmodule("needs BaseResponse", "", ("provider", "2.2.3"), "importer 0.17.1",
                          "provider.wrappers.BaseResponse")
    project = Project(make_tree(tmp_path / "app", {"app.py": ""}))
    said: list[str] = []
    proof = proving._with_older_provider(project, None, ("importer==0.17.1", "other==2.0.2"), (), env, (), first,
                                         "3.8", 60, 30, said.append, {}, deps)
    assert proof.proven and proof.held == ("provider<2.1",)
    assert [b[-1] for b in rounds.built] == ["provider<2.2", "provider<2.0", "provider<2.1"]
    assert said[-1] == ("no proof environment with provider<2.0 (no solution: other>=2.0.2 needs provider>=2.0): "
                        "provider held below 2.1 instead")
    assert len(rounds.built) <= proving.HOLD_ROUNDS + 1


def test_the_apps_own_import_of_a_name_a_newer_release_removed(tmp_path):
    """`from provider import secure_filename` in the app's code, a name provider 1.0 removed (Werkzeug's): the check
    says which release lacks it, as a GoneSubmodule of the app's own, which the proof holds back the same way."""
    app = make_tree(tmp_path / "app", {
        "app.py": "from provider import secure_filename\nfrom flask import Flask\napp = Flask(__name__)\n",
        "requirements.txt": "provider\nflask\n"})
    project = Project(app)
    found = entry.find(project, None)

    def site(folder, version, has_name):
        return _provider_site(folder, version, {
            "provider/__init__.py": "def secure_filename(name):\n    return name\n" if has_name else ""})

    with pytest.raises(GoneSubmodule) as raised:
        entry.confirm(project, found, sys.executable, 30.0, environ=_on_path(site(tmp_path / "new", "3.1.3", False)))
    assert raised.value.own and raised.value.provider == ("provider", "3.1.3")
    assert raised.value.importer == "the app's code (app.py:1)" and raised.value.module == "provider.secure_filename"
    assert "cannot import name 'secure_filename' from 'provider'" in raised.value.message
    assert "(not in the installed provider 3.1.3: a name an older release had" in raised.value.message
    entry.confirm(project, found, sys.executable, 30.0, environ=_on_path(site(tmp_path / "old", "0.16.1", True)))
    # a circular import inside the installed package is no release to hold back
    from shipyard.detect.entry.proof import _gone_name
    result = {"type": "ImportError", "raised_in": None, "provider": {"distribution": "provider", "version": "3.1.3"},
              "message": "ImportError: cannot import name 'x' from partially initialized module 'provider' (most "
                         "likely due to a circular import)"}
    assert _gone_name(result) is None
    assert _gone_name({**result, "message": "ImportError: cannot import name 'x' from 'provider'"}) == \
        (("provider", "3.1.3"), "provider.x")
    # a name the standard library lacks is the Python's (PythonTooNew), not a package to hold back
    (app / "app.py").write_text("from json import nothere\nfrom flask import Flask\napp = Flask(__name__)\n")
    with pytest.raises(Exception) as other:
        entry.confirm(project, found, sys.executable, 30.0)
    assert not isinstance(other.value, GoneSubmodule)


def test_the_proof_line_for_the_apps_own_import(tmp_path, monkeypatch):
    rounds = _Rounds("1.0")
    monkeypatch.setattr(proving, "_environment", rounds.environment)

    def imported(*args, **kwargs):
        try:
            return rounds.imported(*args, **kwargs)
        except GoneSubmodule as exc:
            raise GoneSubmodule(exc.message, "", exc.provider, "the app's code (app.py:1)",
                                "provider.secure_filename", own=True) from None
    monkeypatch.setattr(proving, "_imported", imported)
    first = GoneSubmodule("x", "", ("provider", "3.1.2"), "the app's code (app.py:1)", "provider.secure_filename",
                          own=True)
    said: list[str] = []
    proof = _older_provider_proof(tmp_path, ("provider",), first,
                                  Dependency("provider", "", "requirements.txt"), say=said.append)
    assert proof.proven and proof.held == ("provider<1.0",)
    assert said[0] == ("the app's code (app.py:1) imports provider.secure_filename, which provider 3.1.2 no longer "
                       "has: provider held below 3.1")
    assert [line.rsplit(" ", 1)[-1] for line in said] == ["3.1", "3.0", "2.0", "1.0"]


def test_a_call_the_installed_release_says_it_removed(tmp_path):
    """The app's models call provider.mapper(), which provider 2.0 keeps only to raise "removed as of provider 2.0"
    (SQLAlchemy 2.0's classical mapper()): a GoneSubmodule of the app's own, which the proof holds back below the
    installed series; the same call into the release that still has it imports."""
    app = make_tree(tmp_path / "app", {
        "app.py": "from provider import mapper\nmapper(object)\nfrom flask import Flask\napp = Flask(__name__)\n",
        "requirements.txt": "provider\nflask\n"})
    project = Project(app)
    found = entry.find(project, None)

    def site(folder, version, removed):
        body = ("class InvalidRequestError(Exception):\n    pass\n\n\ndef mapper(cls):\n    raise InvalidRequestError("
                "\"The 'provider.mapper()' function is removed as of provider 2.0. Use registry.map_imperatively()\")\n"
                if removed else "def mapper(cls):\n    return cls\n")
        return _provider_site(folder, version, {"provider/__init__.py": body})

    with pytest.raises(GoneSubmodule) as raised:
        entry.confirm(project, found, sys.executable, 30.0, environ=_on_path(site(tmp_path / "new", "2.0.36", True)))
    assert raised.value.own and raised.value.provider == ("provider", "2.0.36")
    assert raised.value.importer == "the app's code (app.py:2)" and raised.value.module == "provider.mapper()"
    assert "(the installed provider 2.0.36 removed it)" in raised.value.message
    entry.confirm(project, found, sys.executable, 30.0, environ=_on_path(site(tmp_path / "old", "1.4.54", False)))


def test_a_removal_the_message_gives_to_another_package_or_a_later_release_is_not_held_back():
    from shipyard.detect.entry.proof import _removed_by_release
    raised = {"raised_in": {"package": "provider", "distribution": "provider", "version": "2.0.36"}}
    said = "X: The 'provider.mapper()' function is removed as of provider 2.0."
    assert _removed_by_release({**raised, "message": said}) == (("provider", "2.0.36"), "provider.mapper()")
    assert _removed_by_release({**raised, "message": "X: 'f()' was removed in version 2.0"}) is not None
    # the Python's removal (PythonTooNew's), another package's, one the installed release has not reached
    assert _removed_by_release({**raised, "message": "X: asyncio.coroutine was removed in Python 3.11"}) is None
    assert _removed_by_release({**raised, "message": "X: 'f()' is removed as of other 2.0"}) is None
    assert _removed_by_release({**raised, "message": "X: 'f()' will be removed in provider 3.0"}) is None
    assert _removed_by_release({"raised_in": None, "message": said}) is None


def test_the_proof_line_for_a_call_the_release_removed(tmp_path, monkeypatch):
    rounds = _Rounds("2.0")
    monkeypatch.setattr(proving, "_environment", rounds.environment)
    monkeypatch.setattr(proving, "_imported", rounds.imported)
    first = GoneSubmodule("x", "", ("provider", "2.0.36"), "the app's code (models.py:26)", "provider.mapper()",
                          own=True)
    said: list[str] = []
    proof = _older_provider_proof(tmp_path, ("provider",), first,
                                  Dependency("provider", "", "requirements.txt"), say=said.append)
    assert proof.proven and proof.held == ("provider<2.0",)
    assert said[0] == ("the app's code (models.py:26) calls provider.mapper(), which provider 2.0.36 no longer has: "
                       "provider held below 2.0")


def test_the_apps_own_import_of_a_module_the_installed_release_no_longer_has(tmp_path):
    """`from provider.wsgiserver import Server` in the app's code with provider 18 installed, which moved that
    module out (CherryPy 9's wsgiserver, now cheroot): not "install the package provider", which is installed, but
    a GoneSubmodule of the app's own that the proof holds back; the release that still has it imports."""
    app = make_tree(tmp_path / "app", {
        "app.py": "from provider.wsgiserver import Server\nfrom flask import Flask\napp = Flask(__name__)\n",
        "requirements.txt": "provider\nflask\n"})
    project = Project(app)
    found = entry.find(project, None)

    def site(folder, version, has_module):
        return _provider_site(folder, version, {"provider/__init__.py": "", **(
            {"provider/wsgiserver.py": "class Server:\n    pass\n"} if has_module else {})})

    with pytest.raises(GoneSubmodule) as raised:
        entry.confirm(project, found, sys.executable, 30.0, environ=_on_path(site(tmp_path / "new", "18.10.0", False)))
    assert raised.value.own and raised.value.provider == ("provider", "18.10.0")
    assert raised.value.importer == "the app's code (app.py:1)" and raised.value.module == "provider.wsgiserver"
    assert "which the installed provider 18.10.0 does not have" in raised.value.message
    entry.confirm(project, found, sys.executable, 30.0, environ=_on_path(site(tmp_path / "old", "8.9.1", True)))
    # a package that is not installed at all stays a missing dependency
    (app / "app.py").write_text("from notinstalled.sub import x\nfrom flask import Flask\napp = Flask(__name__)\n")
    with pytest.raises(MissingDependency) as missing:
        entry.confirm(Project(app), entry.find(Project(app), None), sys.executable, 30.0)
    assert not isinstance(missing.value, GoneSubmodule)


def test_releases_no_hold_reconciles_leave_the_entry_standing_not_proven(tmp_path):
    """Flask-Login 0.6.2 (a lock's) under the Werkzeug 3.0.1 the app pins: no hold applies, and inspect still names
    the entry, not proven, with the error (serve stops on it), as for an error of the app's own code."""
    from shipyard import proving
    from shipyard.environments import Environment
    failure = GoneSubmodule("app.py:1: importing app:app failed: ImportError", "require a later Flask-Login",
                            ("Werkzeug", "3.0.1"), "Flask-Login 0.6.2", "werkzeug.urls.url_decode")
    proof = proving._failed(Project(tmp_path), failure, Environment(sys.executable, "a proof environment", "proof"),
                            (), "3.12")
    assert not proof.proven and proof.code_error and proof.reason == failure.message


class _LaterReleases:
    """An importer whose releases from `works_from` on import under the provider the app pins exactly."""

    def __init__(self, works_from):
        self.works_from = works_from
        self.built: list[tuple[str, ...]] = []
        self.asked: list[str] = []

    releases = ["0.6.2", "0.6.3", "0.7.0", "0.8.0"]

    def lowest(self, python, requirement, index, log=None, options=()):
        later = self._within(requirement)
        return f"importer=={later[0]}" if later else None

    def highest(self, python, requirement, index, log=None):
        within = self._within(requirement)
        return f"importer=={within[-1]}" if within else None

    def _within(self, requirement):
        """The releases `requirement` ("importer>0.6.2", "importer>=0.7", "importer>0.7.0,<0.8") admits."""
        self.asked.append(requirement)
        spec = SpecifierSet(requirement[len("importer"):])
        return [r for r in self.releases if r in spec]

    unbuilt: tuple[str, ...] = ()     # importer releases no proof environment resolves with
    then: str = ""                    # what the import stops on once past the removed name

    def environment(self, project, requirements, *args):
        self.built.append(requirements)
        if any(f"importer=={r}" in requirements for r in self.unbuilt):
            return environments.ProofResult(None, (), "no solution")
        return environments.ProofResult(environments.Environment(sys.executable, "proof environment", "proof"), ())

    def imported(self, project, found, env, notes, version, timeout, environ, hold=False):
        installed = next(r.partition("==")[2] for r in self.built[-1] if r.startswith("importer=="))
        if self.works_from is None or tuple(map(int, installed.split("."))) < tuple(map(int, self.works_from.split("."))):
            raise GoneSubmodule("needs provider.urls.url_decode", "", ("provider", "3.0.1"), f"importer {installed}",
                                "provider.urls.url_decode")
        if self.then:
            return Proof(False, env.origin, env.python, reason=self.then, notes=notes, kind="proof")
        return Proof(True, env.origin, env.python, notes=notes, kind="proof")


@pytest.mark.parametrize("importer, works_from, moved", [
    # a lock's pin (Flask-Login 0.6.2 in poetry.lock under the app's `werkzeug = "3.0.1"`): its first later release
    (Dependency("importer", "==0.6.2", "pyproject.toml (pinned by poetry.lock)"), "0.6.3", "importer==0.6.3"),
    # the resolver's choice of an open requirement, two releases on
    (Dependency("importer", "", "requirements.txt"), "0.7.0", "importer==0.7.0"),
    # the app's own exact pin of both (a freeze whose provider a bot bumped): nothing runs with both, the importer
    # moves, said so
    (Dependency("importer", "==0.6.2", "requirements.txt"), "0.6.3", "importer==0.6.3"),
    # no later release within the rounds imports: the first failure stands
    (Dependency("importer", "==0.6.2", "pyproject.toml (pinned by poetry.lock)"), None, None),
])
def test_a_release_that_imports_what_the_apps_exact_pin_removed_moves_to_the_first_later_one(
        tmp_path, monkeypatch, importer, works_from, moved):
    from shipyard import install_retries
    from shipyard.planner import moved_forward
    rounds = _LaterReleases(works_from)
    monkeypatch.setattr(proving, "_environment", rounds.environment)
    monkeypatch.setattr(proving, "_imported", rounds.imported)
    monkeypatch.setattr(install_retries, "_lowest_readable", rounds.lowest)
    monkeypatch.setattr(install_retries, "_highest_readable", rounds.highest)
    monkeypatch.setattr(environments, "cache_root", lambda *a: tmp_path / "cache")
    deps = (Dependency("provider", "==3.0.1", "pyproject.toml"), importer)
    env = environments.Environment(sys.executable, "proof environment", "proof")
    first = GoneSubmodule("needs provider.urls.url_decode", "", ("provider", "3.0.1"), "importer 0.6.2",
                          "provider.urls.url_decode")
    project = Project(make_tree(tmp_path / "app", {"app.py": ""}))
    said: list[str] = []
    proof = proving._with_older_provider(project, None, ("provider==3.0.1", importer.requirement), (), env, (), first,
                                         "3.12", 60, 30, said.append, {}, deps)
    if moved is None:
        assert not proof.proven and proof.reason == first.message and not proof.moved
        assert len(rounds.built) <= proving.MOVE_ROUNDS
        assert not any(r.startswith("provider<") for built in rounds.built for r in built)   # never held back
        return
    assert proof.proven and proof.moved == (moved,)
    if importer.requirement == "importer==0.6.2" and importer.source == "requirements.txt":
        assert said[0] == ("the installed importer 0.6.2 (the app's own pin in requirements.txt) imports "
                           "provider.urls.url_decode, which provider 3.0.1 (the app's exact pin) no longer has: trying "
                           "importer==0.6.3, the first later release of importer; nothing runs with both pins, and "
                           "moving the importer is the smaller change")
    else:
        assert said[0] == ("the installed importer 0.6.2 imports provider.urls.url_decode, which provider 3.0.1 (the "
                           "app's exact pin) no longer has: trying importer==0.6.3, the first later release of importer")
    assert all("provider==3.0.1" in built for built in rounds.built)      # the app's pin stays as it is
    # the plan's requirement becomes that release
    (provider, moved_dep) = moved_forward(deps, proof.moved)
    assert provider.requirement == "provider==3.0.1" and moved_dep.requirement == moved
    assert "the import proof needed a later release" in moved_dep.source
    # the image overrides the pin in the app's own requirement file the same way (render's overridden_pins)
    from shipyard.detect.deps import moved_pins
    assert [(d.requirement, was) for d, was, _ in moved_pins((moved_dep,))] == [(moved, importer.requirement)]


def test_the_apps_own_exact_pin_newer_than_its_own_code_is_held_back_and_said(tmp_path, monkeypatch):
    """A bot's bump of the pin (werkzeug = "3.0.1") merged past code importing werkzeug.urls.url_parse, which 3.0
    removed: nothing runs with the pin, so the code decides; the line says the pin was overridden."""
    rounds = _Rounds("3.1")
    monkeypatch.setattr(proving, "_environment", rounds.environment)

    def imported(*args, **kwargs):
        try:
            return rounds.imported(*args, **kwargs)
        except GoneSubmodule as exc:
            raise GoneSubmodule(exc.message, "", exc.provider, "the app's code (app.py:1)", "provider.url_parse",
                                own=True) from None
    monkeypatch.setattr(proving, "_imported", imported)
    first = GoneSubmodule("x", "", ("provider", "3.1.2"), "the app's code (app.py:1)", "provider.url_parse", own=True)
    said: list[str] = []
    deps = (Dependency("provider", "==3.1.2", "pyproject.toml"),)
    proof = _older_provider_proof(tmp_path, ("provider==3.1.2",), first, deps[0], python="3.12", say=said.append)
    assert proof.proven and proof.held == ("provider<3.1",)
    assert rounds.built == [("provider<3.1",)]            # the exact pin left out of the proof's install
    assert said[0] == ("the app's code (app.py:1) imports provider.url_parse, which provider 3.1.2, the app's own exact "
                       "pin (pyproject.toml), no longer has: the pin is newer than the code, and nothing runs with "
                       "it; provider held below 3.1 (change the pin, or the import)")
    (held,) = held_back(deps, proof.held)
    assert held.requirement == "provider<3.1" and "the pin being newer than the app's code" in held.source
    from shipyard.detect.deps import moved_pins
    assert [(d.requirement, was) for d, was, _ in moved_pins((held,))] == [("provider<3.1", "provider==3.1.2")]
    # an exact pin the bound admits keeps its pin, with the bound beside it
    (older_pin,) = held_back((Dependency("provider", "==2.2.0", "requirements.txt"),), ("provider<3.1",))
    assert older_pin.requirement == "provider==2.2.0,<3.1"


def _protos_site(root, version, refuses):
    """A site-packages folder where google/ is a namespace package shared by google-auth (google/auth/) and
    protobuf at `version` (google/protobuf/), each dist-info listing its files in RECORD, and `oldproto`, whose
    _pb2 module creates a descriptor directly as protoc before 3.19 generated it; `refuses`: protobuf 4.21's
    TypeError for such code."""
    body = ("class FieldDescriptor:\n    def __new__(cls, *args, **kwargs):\n        raise TypeError(\n"
            "            'Descriptors cannot not be created directly.\\nIf this call came from a _pb2.py file, your '\n"
            "            'generated code is out of date and must be regenerated with protoc >= 3.19.0.\\n'\n"
            "            ' 1. Downgrade the protobuf package to 3.20.x or lower.\\n\\nMore information: '\n"
            "            'https://developers.google.com/protocol-buffers/docs/news/2022-05-06#python-updates')\n"
            if refuses else "class FieldDescriptor:\n    def __init__(self, *args, **kwargs):\n        pass\n")
    return make_tree(root / "lib" / "site-packages", {
        "google/auth/__init__.py": "",
        "google_auth-2.11.0.dist-info/METADATA": "Name: google-auth\nVersion: 2.11.0\n",
        "google_auth-2.11.0.dist-info/top_level.txt": "google\n",
        "google_auth-2.11.0.dist-info/RECORD": "google/auth/__init__.py,,\n",
        "google/protobuf/__init__.py": "",
        "google/protobuf/descriptor.py": body,
        f"protobuf-{version}.dist-info/METADATA": f"Name: protobuf\nVersion: {version}\n",
        f"protobuf-{version}.dist-info/top_level.txt": "google\n",
        f"protobuf-{version}.dist-info/RECORD": "google/protobuf/__init__.py,,\ngoogle/protobuf/descriptor.py,,\n",
        "oldproto/__init__.py": "from oldproto import shape_pb2\n",
        "oldproto/shape_pb2.py": "from google.protobuf import descriptor as _descriptor\n"
                                 "FIELD = _descriptor.FieldDescriptor(name='dim', index=0)\n",
        "oldproto-2.3.0.dist-info/METADATA": "Name: oldproto\nVersion: 2.3.0\n",
        "oldproto-2.3.0.dist-info/top_level.txt": "oldproto\n"})


def test_protobuf_refusing_old_generated_code_is_held_back_not_read_as_a_python_too_new(tmp_path):
    """tensorflow 2.3's _pb2 modules under protobuf 4.21 (an app of 2022 leaving protobuf open): protobuf says its
    generated code is too old. The failure names protobuf, the release it was raised in (not google-auth, which
    shares the google/ namespace package), for the proof to hold it back; protobuf 3.20 imports it."""
    app = make_tree(tmp_path / "app", {
        "app.py": "import oldproto\nfrom flask import Flask\napp = Flask(__name__)\n",
        "requirements.txt": "oldproto==2.3.0\nflask\n"})
    project = Project(app)
    found = entry.find(project, None)

    with pytest.raises(GoneSubmodule) as raised:
        entry.confirm(project, found, sys.executable, 30.0, environ=_on_path(_protos_site(tmp_path / "new", "4.21.5", True)))
    assert raised.value.provider == ("protobuf", "4.21.5") and not raised.value.own
    assert "the installed protobuf 4.21.5 refuses code generated by protoc before 3.19" in raised.value.message
    entry.confirm(project, found, sys.executable, 30.0, environ=_on_path(_protos_site(tmp_path / "old", "3.20.1", False)))


def test_the_proof_holds_protobuf_below_the_series_that_refuses_old_generated_code(tmp_path, monkeypatch):
    built: list[tuple[str, ...]] = []

    def environment(project, requirements, *args):
        built.append(requirements)
        return environments.ProofResult(environments.Environment(sys.executable, "proof environment", "proof"), ())

    def imported(project, found, env, notes, version, timeout, environ, hold=False):
        assert built[-1][-1] == "protobuf<4.21"
        return Proof(True, env.origin, env.python, notes=notes, kind="proof")
    monkeypatch.setattr(proving, "_environment", environment)
    monkeypatch.setattr(proving, "_imported", imported)
    first = GoneSubmodule("x", "", ("protobuf", "4.21.5"), "_pb2 module generated by protoc before 3.19",
                          "FieldDescriptor()")
    said: list[str] = []
    proof = _older_provider_proof(tmp_path, ("spleeter==2.2.2",), first,
                                  Dependency("spleeter", "==2.2.2", "requirements.txt"), say=said.append)
    assert proof.proven and proof.held == ("protobuf<4.21",)
    assert said == ["the installed _pb2 module generated by protoc before 3.19 calls FieldDescriptor(), which "
                    "protobuf 4.21.5 no longer has: protobuf held below 4.21"]


def test_the_holds_stay_when_the_held_back_import_then_stops_on_something_else(tmp_path, monkeypatch):
    """Flask 1.1.2 under Jinja2 3.1 (held below 3.1), then an import that does not finish in time on a loaded
    machine (tensorflow's): the proof is not proven, but the plan keeps Jinja2<3.1 for serve's .venv, which would
    otherwise stop on the first failure the rounds got past."""
    built: list[tuple[str, ...]] = []

    def environment(project, requirements, *args):
        built.append(requirements)
        return environments.ProofResult(environments.Environment(sys.executable, "proof environment", "proof"), ())

    def imported(project, found, env, notes, version, timeout, environ, hold=False):
        return Proof(False, env.origin, env.python, reason="importing app:app did not finish within 40s",
                     notes=notes, kind="proof", timed_out=True)
    monkeypatch.setattr(proving, "_environment", environment)
    monkeypatch.setattr(proving, "_imported", imported)
    first = GoneSubmodule("x", "", ("Jinja2", "3.1.2"), "Flask 1.1.2", "jinja2.escape")
    proof = _older_provider_proof(tmp_path, ("Flask==1.1.2",), first,
                                  Dependency("Flask", "==1.1.2", "requirements.txt"))
    assert not proof.proven and proof.timed_out and proof.held == ("Jinja2<3.1",)
    assert built == [("Flask==1.1.2", "Jinja2<3.1")]


def test_an_older_python_tried_after_the_holds_is_tried_with_them(tmp_path, monkeypatch):
    from shipyard.errors import AppLoadError, PythonTooNew

    def environment(project, requirements, *args):
        return environments.ProofResult(environments.Environment(sys.executable, "proof environment", "proof"), ())

    def imported(project, found, env, notes, version, timeout, environ, hold=False):
        raise PythonTooNew(AppLoadError("x", ""), "TypeError raised inside the installed old 1.0", "old==1.0")
    tried: list[tuple[str, ...]] = []

    def on_older_python(project, found, requirements, *args):
        tried.append(requirements)
        return Proof(True, "proof environment", sys.executable, kind="proof", moved_python="3.7")
    monkeypatch.setattr(proving, "_environment", environment)
    monkeypatch.setattr(proving, "_imported", imported)
    monkeypatch.setattr(proving, "_on_older_python", on_older_python)
    first = GoneSubmodule("x", "", ("Jinja2", "3.1.2"), "Flask 1.1.2", "jinja2.escape")
    proof = _older_provider_proof(tmp_path, ("Flask==1.1.2",), first,
                                  Dependency("Flask", "==1.1.2", "requirements.txt"))
    assert tried == [("Flask==1.1.2", "Jinja2<3.1")]
    assert proof.proven and proof.moved_python == "3.7" and proof.held == ("Jinja2<3.1",)


def test_python_3_6s_bare_cannot_import_name_is_read_from_the_failing_statement(tmp_path):
    # Flask-WTF 0.14.2's `from werkzeug import url_encode` under Werkzeug 2.0.3 on Python 3.6, which says only
    # "cannot import name 'url_encode'" (no module, no exception name): the statement names the module
    from conftest import require_python
    python = require_python("3.6").path
    site = make_tree(tmp_path / "lib" / "site-packages", {
        "provider/__init__.py": "",
        "provider-2.0.3.dist-info/METADATA": "Name: provider\nVersion: 2.0.3\n",
        "provider-2.0.3.dist-info/top_level.txt": "provider\n",
        "importer/__init__.py": "from provider import (\n    url_encode,\n)\n",
        "importer-0.14.2.dist-info/METADATA": "Name: importer\nVersion: 0.14.2\n",
        "importer-0.14.2.dist-info/top_level.txt": "importer\n"})
    app = make_tree(tmp_path / "app", {
        "app.py": "import importer\n\n\ndef app(environ, start_response):\n"
                  "    start_response('200 OK', [])\n    return [b'ok']\n",
        "requirements.txt": "provider\nimporter==0.14.2\n"})
    project = Project(app)
    found = entry.find(project, None)
    with pytest.raises(GoneSubmodule) as raised:
        entry.confirm(project, found, python, 30.0, environ={**os.environ, "PYTHONPATH": str(site)})
    assert raised.value.provider == ("provider", "2.0.3")
    assert raised.value.importer == "importer 0.14.2" and raised.value.module == "provider.url_encode"


@pytest.mark.parametrize("releases, works_from, tried", [
    # a 2018 dashboard pins pandas-datareader 0.6.0 beside pandas 0.23.0, moved to 0.25.0 (0.23 to 0.24's metadata is
    # invalid today): 0.7.0 to 0.7.2 still import pandas.compat.StringIO, 0.7.4 (the series' last) does not; the
    # walk release by release spent its three rounds on 0.7.0, 0.7.1, 0.7.2
    (["0.6.0", "0.7.0", "0.7.1", "0.7.2", "0.7.3", "0.7.4", "0.8.0"], "0.7.4",
     ["importer==0.7.0", "importer==0.7.4"]),
    # the fix came with the next series only: its first release, third
    (["0.6.0", "0.7.0", "0.7.1", "0.7.2", "0.8.0", "0.8.1"], "0.8.0",
     ["importer==0.7.0", "importer==0.7.2", "importer==0.8.0"]),
    # a series of one release: the next series second
    (["0.6.0", "0.7.0", "0.8.0"], "0.8.0", ["importer==0.7.0", "importer==0.8.0"]),
    # the series' last resolves with none of the app's other pins: the next series is still tried
    (["0.6.0", "0.7.0", "0.7.9", "0.8.0"], "0.7.9", ["importer==0.7.0", "importer==0.7.9", "importer==0.8.0"]),
])
def test_the_later_releases_tried_are_the_first_the_last_of_its_series_and_the_next_series(
        tmp_path, monkeypatch, releases, works_from, tried):
    from shipyard import install_retries
    rounds = _LaterReleases(works_from)
    rounds.releases = releases
    rounds.unbuilt = ("0.7.9",)
    monkeypatch.setattr(proving, "_environment", rounds.environment)
    monkeypatch.setattr(proving, "_imported", rounds.imported)
    monkeypatch.setattr(install_retries, "_lowest_readable", rounds.lowest)
    monkeypatch.setattr(install_retries, "_highest_readable", rounds.highest)
    monkeypatch.setattr(environments, "cache_root", lambda *a: tmp_path / "cache")
    importer = Dependency("importer", "==0.6.0", "requirements.txt")
    deps = (Dependency("provider", "==0.25.0", "requirements.txt"), importer)
    env = environments.Environment(sys.executable, "proof environment", "proof")
    first = GoneSubmodule("needs provider.compat.StringIO", "", ("provider", "0.25.0"), "importer 0.6.0",
                          "provider.compat.StringIO")
    said: list[str] = []
    proof = proving._with_older_provider(Project(make_tree(tmp_path / "app", {"app.py": ""})), None,
                                         ("provider==0.25.0", importer.requirement), (), env, (), first, "3.6", 60, 30,
                                         said.append, {}, deps)
    assert proof.proven and proof.moved == (tried[-1],), said
    assert [next(r for r in built if r.startswith("importer==")) for built in rounds.built] == tried
    assert len(tried) == 1 or "the last release of its 0.7 series" in said[1] or "its 0.8 series" in said[1], said


def test_the_move_is_kept_when_the_import_then_stops_on_something_else(tmp_path, monkeypatch):
    # the 2018 dashboard again: pandas-datareader 0.7.4 gets past pandas.compat.StringIO, and the import then stops
    # on a data file the checkout lacks; serve's .venv installed 0.6.0 again and said the StringIO failure
    from shipyard import install_retries
    rounds = _LaterReleases("0.6.3")
    rounds.then = "ValueError: Expected object or value"
    monkeypatch.setattr(proving, "_environment", rounds.environment)
    monkeypatch.setattr(proving, "_imported", rounds.imported)
    monkeypatch.setattr(install_retries, "_lowest_readable", rounds.lowest)
    monkeypatch.setattr(install_retries, "_highest_readable", rounds.highest)
    monkeypatch.setattr(environments, "cache_root", lambda *a: tmp_path / "cache")
    deps = (Dependency("provider", "==3.0.1", "requirements.txt"), Dependency("importer", "==0.6.2", "requirements.txt"))
    env = environments.Environment(sys.executable, "proof environment", "proof")
    first = GoneSubmodule("needs provider.urls.url_decode", "", ("provider", "3.0.1"), "importer 0.6.2",
                          "provider.urls.url_decode")
    proof = proving._with_older_provider(Project(make_tree(tmp_path / "app", {"app.py": ""})), None,
                                         ("provider==3.0.1", "importer==0.6.2"), (), env, (), first, "3.12", 60, 30,
                                         lambda line: None, {}, deps)
    assert not proof.proven and proof.reason == rounds.then and proof.moved == ("importer==0.6.3",)


def _strict_site(root, version, caller_too=True):
    """A site-packages folder with `strict` at `version`, whose validator() refuses each_item=True from 2.0 on (as
    pydantic 2 refuses a v1 `@validator(..., each_item=True)`), and `caller` 0.5.0, which calls it so at import
    (as fastapi-jwt-auth 0.5's config does)."""
    refuses = int(version.split(".")[0]) >= 2
    files = {"strict/__init__.py": "from strict.checks import validator\n",
             "strict/checks.py": "def validator(*fields, each_item=False):\n"
                                 + ("    if each_item:\n        raise TypeError('`@validator(..., each_item=True)` "
                                    "cannot be applied to fields with a schema of json-or-python')\n" if refuses else "")
                                 + "    return lambda f: f\n",
             f"strict-{version}.dist-info/METADATA": f"Name: strict\nVersion: {version}\n",
             f"strict-{version}.dist-info/top_level.txt": "strict\n"}
    if caller_too:
        files.update({"caller/__init__.py": "from caller.config import Settings\n",
                      "caller/config.py": "from strict import validator\n\n\nclass Settings:\n"
                                          "    @validator('hosts', each_item=True)\n    def check(cls, v):\n"
                                          "        return v\n",
                      "caller-0.5.0.dist-info/METADATA": "Name: caller\nVersion: 0.5.0\n",
                      "caller-0.5.0.dist-info/top_level.txt": "caller\n"})
    return make_tree(root / "lib" / "site-packages", files)


def test_a_call_of_one_installed_release_raising_inside_another_names_both(tmp_path):
    """fastapi-jwt-auth 0.5.0's v1 validator raising inside pydantic 2.10.3: still read as a Python too new (the
    older Pythons stay the answer when no hold helps), now with the release that made the call and the one that
    raised, for the proof to hold that one back first. The app's own call names no caller."""
    from shipyard.errors import PythonTooNew
    app = make_tree(tmp_path / "app", {"app.py": "import caller\nfrom flask import Flask\napp = Flask(__name__)\n",
                                       "requirements.txt": "caller==0.5.0\nflask\n"})
    project = Project(app)
    found = entry.find(project, None)
    with pytest.raises(PythonTooNew) as raised:
        entry.confirm(project, found, sys.executable, 30.0, environ=_on_path(_strict_site(tmp_path / "new", "2.10.3")))
    assert raised.value.caller == "caller 0.5.0"
    assert raised.value.raiser == ("strict", "2.10.3", "TypeError: `@validator(..., each_item=True)` cannot be "
                                   "applied to fields with a schema of json-or-python")
    assert raised.value.why == "TypeError raised inside the installed strict 2.10.3"     # said as before
    entry.confirm(project, found, sys.executable, 30.0, environ=_on_path(_strict_site(tmp_path / "old", "1.10.19")))

    own = make_tree(tmp_path / "own", {"app.py": "from strict import validator\nvalidator('x', each_item=True)\n"
                                                 "from flask import Flask\napp = Flask(__name__)\n"})
    project = Project(own)
    with pytest.raises(PythonTooNew) as raised:
        entry.confirm(project, entry.find(project, None), sys.executable, 30.0,
                      environ=_on_path(_strict_site(tmp_path / "alone", "2.10.3", caller_too=False)))
    assert raised.value.caller is None and raised.value.raiser is None


@pytest.mark.parametrize("spec, hold_imports, held, older", [
    ("", True, ("strict<2.0",), None),            # held below its major release, on this Python
    ("", False, (), ("caller==0.5.0", "strict")),  # no import with the hold: the older Pythons, without it
    ("==2.10.3", True, (), ("caller==0.5.0", "strict==2.10.3")),   # the app's own pin: never held, the Python
])
def test_the_proof_holds_back_the_release_that_raised_at_another_ones_call_before_an_older_python(
        tmp_path, monkeypatch, spec, hold_imports, held, older):
    from shipyard.errors import AppLoadError, PythonTooNew
    built: list[tuple[str, ...]] = []
    tried: list[tuple[tuple[str, ...], PythonTooNew]] = []
    first = PythonTooNew(AppLoadError("app.py:1: importing app:app failed: TypeError: ...", ""),
                         "TypeError raised inside the installed strict 2.10.3", "strict==2.10.3",
                         caller="caller 0.5.0", raiser=("strict", "2.10.3", "TypeError: ..."))

    def environment(project, requirements, *args):
        built.append(requirements)
        return environments.ProofResult(environments.Environment(sys.executable, "proof environment", "proof"), ())

    def imported(project, found, env, notes, version, timeout, environ, hold=False):
        if "strict<2.0" in built[-1] and hold_imports:
            return Proof(True, env.origin, env.python, notes=notes, kind="proof")
        raise first

    def on_older_python(project, found, requirements, files, env, notes, failure, *args):
        tried.append((requirements, failure))
        return Proof(True, "proof environment", sys.executable, kind="proof", moved_python="3.7")
    monkeypatch.setattr(proving, "_environment", environment)
    monkeypatch.setattr(proving, "_imported", imported)
    monkeypatch.setattr(proving, "_on_older_python", on_older_python)
    app = make_tree(tmp_path / "app", {"app.py": "import caller\nfrom flask import Flask\napp = Flask(__name__)\n"})
    project = Project(app)
    deps = (Dependency("caller", "==0.5.0", "requirements.txt"), Dependency("strict", spec, "requirements.txt"))
    said: list[str] = []
    proof = proving._prove(project, entry.find(project, None), deps, (), "3.12", None, 60, 30, said.append)
    assert proof.proven and proof.held == held
    if older is None:
        assert not tried and not proof.moved_python
        assert built == [("caller==0.5.0", "strict"), ("caller==0.5.0", "strict", "strict<2.0")]
        assert "the installed caller 0.5.0 calls strict 2.10.3, which raised TypeError: ...: strict held below 2.0 " \
               "(a release of the caller's days) before trying an older Python" in said
    else:
        # the first failure, with the app's own requirements, as before this hold existed
        assert [(r, f is first) for r, f in tried] == [(older, True)] and proof.moved_python == "3.7"
    if spec:
        assert built == [("caller==0.5.0", "strict==2.10.3")]     # no environment built for a hold
