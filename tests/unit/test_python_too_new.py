"""The import proof tells an app whose code is older than the Python importing it (errors.PythonTooNew) from one
whose own code or configuration fails: probe.py names the installed release an error was raised in (raised_in),
and detect/entry/proof.py classifies. Packages of the test's own, in a folder named site-packages on PYTHONPATH,
stand in for old pinned releases."""

from __future__ import annotations

import os
import sys

import pytest

from conftest import make_tree
from shipyard.detect import entry, shared_library
from shipyard.detect.entry.proof import _raise_for, removed_in
from shipyard.errors import AppCodeError, AppConfigError, AppLoadError, MissingDependency, PythonTooNew, UnreadSyntax
from shipyard.project import Project

TIMEOUT = 60
WSGI = "\n\ndef application(environ, start_response):\n    start_response('200 OK', [])\n    return [b'ok']\n"


def _installed(site, name: str, version: str, code: str) -> None:
    """A release `name==version` installed in `site` as a wheel installs it (dist-info with METADATA and RECORD)."""
    info = f"{name}-{version}.dist-info"
    make_tree(site, {f"{name}/__init__.py": code,
                     f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\n",
                     f"{info}/RECORD": f"{name}/__init__.py,,\n"})


def _confirm(tmp_path, app: str):
    root = make_tree(tmp_path / "app", {"app.py": app + WSGI})
    found = entry.find(Project(root), None)
    environ = {**os.environ, "PYTHONPATH": str(tmp_path / "lib" / "site-packages")}
    return entry.confirm(Project(root), found, sys.executable, TIMEOUT, environ=environ)


def test_an_error_raised_inside_an_installed_release_says_the_python_may_be_too_new(tmp_path):
    # Werkzeug 0.15.3 on Python 3.8: its routing builds code objects the newer Python changed (TypeError)
    _installed(tmp_path / "lib" / "site-packages", "oldroutes", "0.15.3",
               "def route():\n    raise TypeError('required field \"type_ignores\" missing from Module')\n")
    with pytest.raises(PythonTooNew) as caught:
        _confirm(tmp_path, "import oldroutes\n\noldroutes.route()\n")
    error = caught.value
    assert error.pin == "oldroutes==0.15.3" and error.below is None
    assert "TypeError raised inside the installed oldroutes 0.15.3" in error.why
    # what is reported when no older Python helps: the failure in the app's code that called it
    assert isinstance(error.original, AppCodeError) and error.original.message.startswith("app.py:3: ")


def test_a_syntax_error_inside_an_installed_release_is_the_python_too(tmp_path):
    # `async` became a keyword in 3.7: a release of 2017 that names a function async does not parse
    _installed(tmp_path / "lib" / "site-packages", "oldsyntax", "1.0", "def async(x):\n    return x\n")
    with pytest.raises(PythonTooNew) as caught:
        _confirm(tmp_path, "import oldsyntax\n")
    assert caught.value.pin == "oldsyntax==1.0"
    # said as the release's, not as the app's code written for a newer Python (proving.py's UnreadSyntax reading)
    original = caught.value.original
    assert isinstance(original, AppCodeError) and not isinstance(original, UnreadSyntax)
    assert original.message.startswith("app.py:1: importing app:application failed: SyntaxError: ")
    assert original.message.endswith("(in the installed oldsyntax 1.0)")
    assert original.hint.startswith("the installed oldsyntax 1.0 does not parse on this Python")
    # a syntax error in the app's own code still is UnreadSyntax
    with pytest.raises(UnreadSyntax):
        _raise_for(Project(tmp_path / "app"), entry.find(Project(tmp_path / "app"), None),
                   {"error": "exception", "type": "SyntaxError", "message": "invalid syntax"}, sys.executable,
                   "app:application", {})


def _too_new(tmp_path, name: str, version: str, code: str, app: str) -> PythonTooNew:
    """The PythonTooNew the proof raises for an app whose import runs `code` in the installed `name==version`."""
    _installed(tmp_path / "lib" / "site-packages", name, version, code)
    with pytest.raises(PythonTooNew) as caught:
        _confirm(tmp_path, app)
    assert caught.value.pin == f"{name}=={version}"
    return caught.value


def test_a_system_error_raised_as_an_installed_release_starts_says_the_python_may_be_too_new(tmp_path):
    # psycopg2 2.9.1 built from source on 3.12: its C extension's initialization fails against the newer C API
    error = _too_new(tmp_path, "oldext", "2.9.1",
                     "raise SystemError('initialization of _oldext raised unreported exception')\n", "import oldext\n")
    assert "SystemError raised inside the installed oldext 2.9.1" in error.why


def test_a_removed_standard_name_an_old_release_uses_says_which_python_removed_it(tmp_path):
    _too_new(tmp_path, "oldmapping", "2.7", "import collections\n\ndef base():\n    return collections.MutableMappingGone\n",
             "import oldmapping\n\noldmapping.base()\n")
    assert removed_in("module 'collections' has no attribute 'MutableMapping'") == "3.10"
    assert removed_in("cannot import name 'getargspec' from 'inspect' (/usr/lib/python3.11/inspect.py)") == "3.11"
    assert removed_in("module 'collections' has no attribute 'UserList2'") is None


def test_a_removed_standard_name_the_apps_own_code_uses_is_older_code(tmp_path):
    # the liaoxuefeng aiohttp tutorial's @asyncio.coroutine middlewares: gone in 3.11, in the app's own code
    assert sys.version_info >= (3, 11)
    with pytest.raises(PythonTooNew) as caught:
        _confirm(tmp_path, "import asyncio\n\n\n@asyncio.coroutine\ndef logger(app, handler):\n    return handler\n")
    error = caught.value
    assert (error.pin, error.below) == (None, "3.11")
    assert "standard-library name Python 3.11 removed" in error.why and "coroutine" in error.why
    assert isinstance(error.original, AppCodeError) and error.original.message.startswith("app.py:")
    # a name of the standard library that never existed is the app's own mistake, not the Python
    with pytest.raises(AppCodeError) as own:
        _confirm(tmp_path / "typo", "import asyncio\n\nasyncio.corutine\n")
    assert not isinstance(own.value, PythonTooNew)


def test_a_metaclass_that_drops_classcell_inside_an_installed_release_is_the_python_too(tmp_path):
    # Django 1.10's ModelBase.__new__ hands type.__new__ the class body without __classcell__: Python 3.6 and 3.7
    # warned (DeprecationWarning), 3.8 raises RuntimeError when a model class uses super(): an error of the code's
    # age, raised inside the release, so the proof tries Pythons older than 3.8
    _installed(tmp_path / "lib" / "site-packages", "oldmodels", "1.10.1",
               "class ModelBase(type):\n"
               "    def __new__(cls, name, bases, attrs):\n"
               "        body = {key: value for key, value in attrs.items() if key != '__classcell__'}\n"
               "        return super().__new__(cls, name, bases, body)\n\n\n"
               "class Model(metaclass=ModelBase):\n"
               "    def save(self):\n"
               "        return super().__init__()\n")
    with pytest.raises(PythonTooNew) as caught:
        _confirm(tmp_path, "import oldmodels\n")
    error = caught.value
    assert (error.pin, error.below) == ("oldmodels==1.10.1", "3.8")
    assert error.why == ("RuntimeError raised inside the installed oldmodels 1.10.1 (a metaclass that does not pass "
                         "__classcell__ on to type.__new__, an error from Python 3.8 on)")
    assert "__class__ not set defining 'Model'" in error.original.message
    # the same RuntimeError raised by the app's own metaclass is the app's code to fix, not the Python
    with pytest.raises(AppLoadError) as own:
        _confirm(tmp_path / "own", "class Meta(type):\n    def __new__(cls, name, bases, attrs):\n"
                 "        return super().__new__(cls, name, bases, {k: v for k, v in attrs.items() if k != "
                 "'__classcell__'})\n\n\nclass Base(metaclass=Meta):\n    def m(self):\n        return super().m\n")
    assert not isinstance(own.value, PythonTooNew)


def test_the_apps_own_error_or_a_packages_configuration_error_is_not_the_python(tmp_path):
    # the app's own code raised: its error, not the Python's
    with pytest.raises(AppCodeError) as own:
        _confirm(tmp_path / "own", "raise TypeError('the app is wrong')\n")
    assert not isinstance(own.value, PythonTooNew)
    # a package's own exception for what the app configured (ImproperlyConfigured, RuntimeError): not the Python
    _installed(tmp_path / "conf" / "lib" / "site-packages", "strictconf", "3.0",
               "def load():\n    raise RuntimeError('SECRET must be set')\n")
    with pytest.raises(AppLoadError) as config:
        _confirm(tmp_path / "conf", "import strictconf\n\nstrictconf.load()\n")
    assert not isinstance(config.value, PythonTooNew)


@pytest.mark.parametrize("name, code, library, hint", [
    # pyzbar: ctypes.util.find_library("zbar") is None on a machine without libzbar0
    ("pyzbar", "def load():\n    raise ImportError('Unable to find zbar shared library')\n\nload()\n", "zbar",
     "install it (apt-get install libzbar0) and run again; the image `shipyard build` makes installs it"),
    # a real ctypes load of a library no machine has: OSError "cannot open shared object file", a package the
    # table does not know
    ("nativeext", "import ctypes\n\nctypes.CDLL('libshipyardabsent.so.7')\n", "libshipyardabsent.so.7",
     "install the system package that provides libshipyardabsent.so.7 and run again"),
])
def test_a_system_library_an_installed_release_loads_is_not_the_python(tmp_path, name, code, library, hint):
    # no Python loads a library the machine lacks: said once, with the package to install, no older Python tried
    _installed(tmp_path / "lib" / "site-packages", name, "0.1.9", code)
    with pytest.raises(AppConfigError) as caught:
        _confirm(tmp_path, f"import {name}\n")
    assert not isinstance(caught.value, PythonTooNew)
    assert caught.value.message.startswith(f"app.py:1: importing app:application needs the {library} C library, "
                                           f"which the installed {name} 0.1.9 loads and this machine does not have: ")
    assert caught.value.hint == hint


@pytest.mark.parametrize("message, distribution, library, packages", [
    ("libGL.so.1: cannot open shared object file: No such file or directory", "opencv-python", "libGL.so.1",
     ("libgl1",)),
    ("cannot load library 'libcairo.so.2': libcairo.so.2: cannot open shared object file", "cairocffi",
     "libcairo.so.2", ("libcairo2",)),
    ('no library called "cairo-2" was found', "weasyprint-like", "cairo-2", ("libcairo2",)),
    ("libzbar.so.0: cannot open shared object file", None, "libzbar.so.0", ("libzbar0",)),
    ("cannot import name 'Jasmine' from 'jasmine'", "flask-jasmine", None, ()),
    ("/lib/libfoo.so: undefined symbol: bar", "foo", None, ()),
])
def test_which_errors_are_a_missing_shared_library_and_its_debian_package(message, distribution, library, packages):
    assert shared_library.missing_library(message) == library
    if library:
        assert shared_library.debian_packages(library, distribution) == packages


def test_an_installed_release_that_cannot_import_its_own_module_is_the_python(tmp_path):
    # Django 1.11 on 3.12: django.utils.six.moves comes from six's meta path importer, which 3.12 no longer calls,
    # so `from django.utils.six.moves.urllib.parse import quote` says "No module named 'django.utils.six.moves'"
    _installed(tmp_path / "lib" / "site-packages", "oldsix", "1.11.3",
               "from oldsix.moves_made_at_run_time import quote\n")
    with pytest.raises(PythonTooNew) as caught:
        _confirm(tmp_path, "import oldsix\n")
    error = caught.value
    assert error.pin == "oldsix==1.11.3" and error.below is None
    assert "oldsix 1.11.3 cannot import its own 'oldsix.moves_made_at_run_time'" in error.why
    assert "not installed" not in error.original.message
    # a release too old for every Python here: the entry found stands, not proven (proving._failed), as for a
    # package the app's code calls raising, instead of `inspect` failing without it
    assert isinstance(error.original, AppCodeError)
    # a package that imports another, absent one: a missing dependency still (install it)
    _installed(tmp_path / "other" / "lib" / "site-packages", "needsother", "2.0", "import absentdep\n")
    with pytest.raises(MissingDependency) as missing:
        _confirm(tmp_path / "other", "import needsother\n")
    assert "'absentdep'" in missing.value.message


def _finding(tmp_path):
    root = make_tree(tmp_path / "app", {"app.py": "import asyncore\n" + WSGI})
    return Project(root), entry.find(Project(root), None)


def test_a_module_python_312_removed_moves_below_312(tmp_path):
    project, found = _finding(tmp_path)
    result = {"ok": False, "error": "missing_module", "name": "asyncore", "where": "app.py:1", "raised_in": None}
    with pytest.raises(PythonTooNew) as caught:
        _raise_for(project, found, result, "/usr/bin/python3.12", "app:application", {})
    assert caught.value.below == "3.12" and caught.value.pin is None
    assert "'asyncore', which Python 3.12 removed" in caught.value.original.message


def test_a_python_2_fallback_after_a_removed_import_is_older_code(tmp_path):
    # jinja2 2.7: `from collections import MutableMapping` (gone since 3.10), then Python 2's UserDict
    project, found = _finding(tmp_path)
    result = {"ok": False, "error": "missing_module", "name": "UserDict", "where": "app.py:1", "importer": "jinja2",
              "first": "ImportError: cannot import name 'MutableMapping' from 'collections'",
              "raised_in": {"package": "jinja2", "distribution": "Jinja2", "version": "2.7"}}
    with pytest.raises(PythonTooNew) as caught:
        _raise_for(project, found, result, "/usr/bin/python3.12", "app:application", {})
    assert (caught.value.pin, caught.value.below) == ("Jinja2==2.7", "3.10")
    assert isinstance(caught.value.original, AppCodeError)
    # a Python 2 module imported outright, with no import that failed first: Python 2 code, no Python helps
    plain = {**result, "first": None}
    with pytest.raises(AppCodeError) as python2:
        _raise_for(project, found, plain, "/usr/bin/python3.12", "app:application", {})
    assert not isinstance(python2.value, PythonTooNew)


def test_a_connection_failure_inside_a_driver_stays_configuration(tmp_path):
    project, found = _finding(tmp_path)
    result = {"ok": False, "error": "connection", "message": "OperationalError: could not connect", "where": "app.py:1",
              "raised_in": {"package": "psycopg2", "distribution": "psycopg2", "version": "2.7"}}
    with pytest.raises(AppConfigError):
        _raise_for(project, found, result, "/usr/bin/python3.12", "app:application", {})


def test_in_the_users_own_environment_the_proof_says_which_python_to_remake_it_with(tmp_path, monkeypatch):
    """proving.py never replaces the user's environment: the failure stands, not proven, naming the release, the
    Python, and an older one installed here to make the environment again with."""
    from shipyard.proving import prove
    from shipyard.detect import deps
    _installed(tmp_path / "lib" / "site-packages", "oldroutes", "0.15.3",
               "def route():\n    raise TypeError('required field \"type_ignores\" missing from Module')\n")
    root = make_tree(tmp_path / "app", {"app.py": "import oldroutes\n\noldroutes.route()\n" + WSGI})
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "lib" / "site-packages"))
    project = Project(root)
    found = entry.find(project, None)
    proof = prove(project, found, deps.declared(project).dependencies, (), "3.12", sys.executable, 60, TIMEOUT, None)
    running = "%d.%d" % sys.version_info[:2]
    assert not proof.proven and proof.code_error and not proof.moved_python
    assert f"(TypeError raised inside the installed oldroutes 0.15.3 on Python {running}: " in proof.reason
    assert "is installed here: recreate the given interpreter with it" in proof.reason or \
        "an older Python may import it" in proof.reason, proof.reason
    if "is installed here" in proof.reason:
        # removing .venv alone, serve --install would make it on the same Python again: the app must ask for that one
        older = proof.reason.split("is installed here")[0].rsplit("Python ", 1)[1].strip()
        assert f"(for the app's .venv: remove it, write {older} in .python-version, then run serve --install)" \
            in proof.reason, proof.reason
        # said for serve --install too, which makes a .venv of its own again with it
        assert proof.older_python == older and "oldroutes 0.15.3" in proof.older_because


def test_an_error_sqlalchemy_ends_with_its_background_link_is_said_by_its_first_line(tmp_path):
    # udacity/cd0037's bookshelf on serve: only "(Background on this error at: http://sqlalche.me/e/e3q8)" was said
    _installed(tmp_path / "lib" / "site-packages", "fakedb", "1.3.4",
               "class OperationalError(Exception):\n    pass\n\n"
               "def connect():\n    raise OperationalError('(psycopg2.OperationalError) FATAL:  password authentication "
               "failed for user \"student\"\\n\\n(Background on this error at: http://sqlalche.me/e/e3q8)')\n")
    with pytest.raises(AppCodeError) as caught:
        _confirm(tmp_path, "import fakedb\n\nfakedb.connect()\n")
    assert caught.value.message.endswith('password authentication failed for user "student"'), caught.value.message


def test_a_package_importing_pkg_resources_gets_setuptools_below_81_in_the_proof_and_the_plan(tmp_path, monkeypatch):
    """A uv environment of Python 3.12+ has no setuptools, and drf-yasg 1.21.7 imports pkg_resources: the proof
    environment is made again with setuptools<81, and the plan carries it for serve's .venv and the image."""
    from shipyard import planner
    from proof_pythons import proof_environments, site_pythons
    importer = {"oldyasg/__init__.py": "from pkg_resources import get_distribution\n"}
    site_pythons(tmp_path, {
        "bare": {"pkg_resources/__init__.py": "raise ModuleNotFoundError(\"No module named 'pkg_resources'\", "
                                              "name='pkg_resources')\n", **importer},
        "seeded": {"pkg_resources/__init__.py": "def get_distribution(name):\n    return name\n", **importer}})
    asked = proof_environments(tmp_path, monkeypatch, lambda requirements: "seeded" if "setuptools<81" in requirements
                               else "bare")
    root = make_tree(tmp_path / "app", {"requirements.txt": "oldyasg==1.21.7\n", "app.py": "import oldyasg\n" + WSGI})
    plan = planner.make_plan(root, {}, confirm=True)
    assert plan.proof.proven and plan.proof.seeded == ("setuptools<81",)
    assert len(asked) == 2 and "setuptools<81" not in asked[0]
    assert any(d.name == "setuptools" and d.spec == "<81" for d in plan.dependencies)


def test_older_pythons_are_tried_from_the_one_that_was_out_when_the_failing_release_came_out(monkeypatch):
    """Django 1.11.3 (July 2017) fails on 3.12 (six.moves) and on every Python after 3.6 (its admin does not parse on
    3.7): the proof goes to 3.6 at once, not down one Python at a time until its tries run out."""
    from shipyard import environments, proving
    from shipyard.environments import Interpreter
    released = {"django==1.11.3": "2017-07-10", "werkzeug==0.15.3": "2019-05-14"}
    monkeypatch.setattr(environments, "released_before",
                        lambda pin, day, python: pin.lower() in released and released[pin.lower()] < day[:10])
    older = [Interpreter(f"python3.{m}", f"3.{m}.1") for m in (11, 10, 9, 8, 7, 6)]

    def tried(pin, below=None):
        failure = PythonTooNew(AppLoadError("failed", ""), "why", pin, below)
        return [p.minor for p in proving._of_its_time(older, failure, sys.executable)]
    assert tried("Django==1.11.3") == ["3.6"]
    # a release of 3.7's time still goes to 3.7 first, as the one-step-down proof did
    assert tried("Werkzeug==0.15.3") == ["3.7", "3.6"]
    # no release named (the app's own code), or one the index does not date: every older Python, newest first
    assert tried(None) == tried("unknown==1.0") == ["3.11", "3.10", "3.9", "3.8", "3.7", "3.6"]


def test_a_release_older_than_every_python_here_is_tried_on_the_oldest_first(monkeypatch):
    """Django 1.9 (December 2015, a 2017 Heroku blog's pin) fails on 3.12 (six.moves) and 3.11 and 3.10 alike: it
    predates every Python here, so the tries start from the oldest (3.6, where it imports), not from 3.11 and 3.10,
    which used up the tries and left init with no Python for the app."""
    from shipyard import environments, proving
    from shipyard.environments import Interpreter
    released = {"django==1.9": "2015-12-01", "django==1.11.3": "2017-07-10"}
    monkeypatch.setattr(environments, "released_before",
                        lambda pin, day, python: pin.lower() in released and released[pin.lower()] < day[:10])
    older = [Interpreter(f"python3.{m}", f"3.{m}.1") for m in (11, 10, 9, 8, 7, 6)]

    def tried(pin):
        failure = PythonTooNew(AppLoadError("failed", ""), "why", pin, None)
        return [p.minor for p in proving._of_its_time(older, failure, sys.executable)]
    assert tried("Django==1.9")[:proving.OLDER_TRIES] == ["3.6", "3.7"]
    # of 3.6's time: 3.6 alone, as before; undated: newest first, as before
    assert tried("Django==1.11.3") == ["3.6"]
    assert tried("unknown==1.0") == ["3.11", "3.10", "3.9", "3.8", "3.7", "3.6"]


def test_serve_install_makes_its_own_venv_again_on_the_older_python_the_proof_names(tmp_path, monkeypatch):
    """The .venv `serve --install` made installs on 3.10, and the app's python-jose-cryptodome 1.3.2 imports
    collections.Mapping there: the proof in it names 3.9, and serve makes its .venv again with 3.9 (the move kept
    for later plans), not the advice to do so by hand. A .venv the user made is never made again."""
    from types import SimpleNamespace

    from shipyard import python_moves
    from shipyard.commands import appcmd
    from shipyard.plan import Proof
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = make_tree(tmp_path / "app", {"requirements.txt": "python-jose-cryptodome==1.3.2\n", "app.py": WSGI})
    venvs: list[str] = []         # the Python of each .venv made, as install_app_env made it
    current: dict[str, str] = {}  # the Python of the .venv there now
    moves: list[str] = []

    def plan_for(python: str) -> SimpleNamespace:
        on = current.get("on") if (root / ".venv").is_dir() else None
        if on == "3.9":
            proof = Proof(True, "the app's .venv", "/venv/bin/python", kind="app")
        elif on is not None:
            proof = Proof(False, "the app's .venv", "/venv/bin/python", "ImportError ...", kind="app",
                          code_error=True, older_python="3.9",
                          older_because="ImportError raised inside the installed python-jose-cryptodome 1.3.2")
        else:
            proof = None
        return SimpleNamespace(proof=proof, python=SimpleNamespace(version=python), dependency_files=("requirements.txt",))

    def make_plan(root_, flags, confirm=True, progress=None, environ=None):
        moved = python_moves.moved(tmp_path / "cache" / "shipyard", root, ("requirements.txt",), "3.10")
        return plan_for(moved[0] if moved else "3.10")

    def install(root_, plan, say, environ=None, replan=None):
        (root / ".venv").mkdir()
        venvs.append(plan.python.version)
        current["on"] = plan.python.version
    monkeypatch.setattr(appcmd, "make_plan", make_plan)
    monkeypatch.setattr(appcmd, "install_app_env", install)
    monkeypatch.setattr(appcmd, "say", moves.append)
    args = SimpleNamespace(path=str(root), install=True)
    monkeypatch.setattr(appcmd, "setting_flags", lambda a: {})
    _, env, plan = appcmd.ready_app(args)
    assert venvs == ["3.10", "3.9"] and plan.proof.proven and env.python == "/venv/bin/python"
    assert any("made by this run) does not import the app (ImportError raised inside the installed "
               "python-jose-cryptodome 1.3.2): making it again with Python 3.9" in line for line in moves), moves
    # the user's own .venv, which serve installs into: not replaced, the import's failure is said
    venvs.clear()
    current["on"] = "3.10"
    with pytest.raises(AppLoadError):
        appcmd.ready_app(SimpleNamespace(path=str(root), install=False))
    assert venvs == [] and (root / ".venv").is_dir()


def test_serve_install_does_not_make_its_venv_again_on_a_python_it_tried(tmp_path, monkeypatch):
    # the .venv made again on 3.9 still does not import (its install moved back up, or the old release fails there
    # too) and the proof names 3.9 again: once is enough, and the failure is said
    from types import SimpleNamespace

    from shipyard.commands import appcmd
    from shipyard.plan import Proof
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = make_tree(tmp_path / "app", {"requirements.txt": "oldcrypto==3.3.1\n", "app.py": WSGI})
    venvs: list[str] = []
    failing = Proof(False, "the app's .venv", "/venv/bin/python", "SyntaxError ...", kind="app", code_error=True,
                    older_python="3.9", older_because="SyntaxError raised inside the installed oldcrypto 3.3.1")

    def install(root_, plan, say, environ=None, replan=None):
        (root / ".venv").mkdir()
        venvs.append(plan.python.version)
    monkeypatch.setattr(appcmd, "make_plan", lambda *a, **k: SimpleNamespace(
        proof=failing if (root / ".venv").is_dir() else None, python=SimpleNamespace(version="3.10"),
        dependency_files=("requirements.txt",)))
    monkeypatch.setattr(appcmd, "install_app_env", install)
    monkeypatch.setattr(appcmd, "say", lambda line: None)
    monkeypatch.setattr(appcmd, "setting_flags", lambda a: {})
    with pytest.raises(AppLoadError):
        appcmd.ready_app(SimpleNamespace(path=str(root), install=True))
    assert len(venvs) == 2


@pytest.mark.parametrize("spec, source, works, moved", [
    # no requirement file: Django resolved as of 2014 (1.7), which no Python here imports; 1.8 LTS does
    ("", "import django in manage.py", True, "django==1.8.19"),
    # a range the app wrote, or a lock's pin: the same
    (">=1.7", "requirements.txt", True, "django==1.8.19"),
    ("==1.7", "Pipfile (pinned by Pipfile.lock)", True, "django==1.8.19"),
    # the app's own exact pin: its to change; the error says it stands
    ("==1.7", "requirements.txt", True, None),
    # the next series fails too: the first failure stands, saying so
    ("", "import django in manage.py", False, None),
])
def test_a_release_no_python_here_imports_moves_to_the_newest_of_its_next_series(tmp_path, monkeypatch, spec, source,
                                                                                works, moved):
    """Django 1.7 imports html.parser.HTMLParseError, which Python 3.5 removed; 3.6 is the oldest Python here."""
    from shipyard import environments, install_retries, proving
    from shipyard.plan import Dependency, Proof
    from shipyard.planner import moved_forward
    built: list[tuple[str, ...]] = []
    asked: list[str] = []
    monkeypatch.setattr(environments, "older_pythons", lambda running: [])
    monkeypatch.setattr(environments, "cache_root", lambda *a: tmp_path / "cache")
    monkeypatch.setattr(install_retries, "_compiled",
                        lambda python, requirement, index, log, deps, options=(): asked.append(requirement)
                        or "django==1.8.19")

    def environment(project, requirements, *args):
        built.append(requirements)
        return environments.ProofResult(environments.Environment(sys.executable, "proof environment", "proof"), ())

    def imported(project, found, env, notes, version, timeout, environ, hold=False):
        if works and "django==1.8.19" in built[-1]:
            return Proof(True, env.origin, env.python, notes=notes, kind="proof")
        raise AppCodeError("tutorial/wsgi.py:13: importing failed: AttributeError: HTMLParseError", "")
    monkeypatch.setattr(proving, "_environment", environment)
    monkeypatch.setattr(proving, "_imported", imported)
    deps = (Dependency("Django", spec, source, inferred=not spec),)
    first = PythonTooNew(AppCodeError("tutorial/wsgi.py:13: importing failed: AttributeError: HTMLParseError", ""),
                         "AttributeError raised inside the installed Django 1.7", "Django==1.7")
    env = environments.Environment(sys.executable, "proof environment", "proof")
    said: list[str] = []
    project = Project(make_tree(tmp_path / "app", {"manage.py": "import django\n"}))
    proof = proving._on_older_python(project, None, ("Django" + spec,), (), env, (), first, "3.6", 60, 30,
                                     said.append, {}, deps)
    if moved is None:
        assert not proof.proven and not proof.moved
        if works is False:
            assert asked == ["Django>=1.8,<1.9", "Django>=1.9,<1.10"]      # two series on, never further
            assert "django==1.8.19 did not import it either" in proof.reason
        else:
            assert asked == [] and built == []         # the app's own pin: nothing tried
        return
    assert proof.proven and proof.moved == (moved,) and not proof.moved_python
    assert asked == ["Django>=1.8,<1.9"]                # the first series that imports
    assert built[-1] == ("django==1.8.19",)
    assert said[0].startswith("Django==1.7 needs a Python older than any here (AttributeError raised inside the "
                              "installed Django 1.7): trying django==1.8.19, the newest of the series after it, on Python ")
    (dep,) = moved_forward(deps, proof.moved)
    assert dep.requirement == "Django==1.8.19" and "the import proof needed a later release" in dep.source


def test_an_error_the_standard_library_raises_inside_an_installed_release_names_that_module(tmp_path):
    # fastapi-pagination 0.8.1 (June 2021) on Python 3.9.18: typing rejects ClassVar as a type argument since the
    # patch releases 3.9.8 and 3.10.1, so the error is raised by typing.py on the release's behalf
    _installed(tmp_path / "lib" / "site-packages", "oldpager", "0.8.1",
               "import typing\n\nParams = typing.Optional[typing.ClassVar[int]]\n")
    with pytest.raises(PythonTooNew) as caught:
        _confirm(tmp_path, "import oldpager\n")
    error = caught.value
    assert (error.pin, error.stdlib) == ("oldpager==0.8.1", "typing")
    assert "TypeError raised inside the installed oldpager 0.8.1 (by the standard library's typing)" in error.why
    # the release's own code raising it names no standard-library module
    _installed(tmp_path / "lib" / "site-packages", "ownerror", "1.0", "raise TypeError('bad argument')\n")
    with pytest.raises(PythonTooNew) as caught:
        _confirm(tmp_path, "import ownerror\n")
    assert caught.value.stdlib is None


def test_a_release_newer_than_the_python_is_tried_older_when_the_standard_library_raised_the_error(monkeypatch):
    """The release dates the table holds are of each Python's first release (3.9.0, October 2020); a patch release
    installed here (3.9.18) changed typing after fastapi-pagination 0.8.1 came out, and 3.8 imports it."""
    from shipyard import environments, proving
    from shipyard.environments import Interpreter
    monkeypatch.setattr(environments, "released_before", lambda pin, day, python: "2021-06-20" < day[:10])
    on = Interpreter("python3.9", "3.9.18")
    by_release = PythonTooNew(AppLoadError("failed", ""), "why", "fastapi-pagination==0.8.1")
    by_typing = PythonTooNew(AppLoadError("failed", ""), "why", "fastapi-pagination==0.8.1", stdlib="typing")
    assert not proving._predates(by_release, on, sys.executable)
    assert proving._predates(by_typing, on, sys.executable)


def test_an_installed_release_calling_a_removed_name_only_when_serving_is_the_python_too(tmp_path):
    # Quart 0.6.6's task-local storage: asyncio.Task.current_task() on each request, removed in Python 3.9; the
    # import succeeds there and every request fails, so the proof names it before serving
    _installed(tmp_path / "lib" / "site-packages", "oldtasks", "0.6.6",
               "import asyncio\n\n\ndef identity():\n    return id(asyncio.Task.current_task())\n")
    with pytest.raises(PythonTooNew) as caught:
        _confirm(tmp_path, "import oldtasks\n")
    error = caught.value
    assert (error.pin, error.below) == ("oldtasks==0.6.6", "3.9")
    assert "AttributeError raised inside the installed oldtasks 0.6.6" in error.why
    assert "oldtasks/__init__.py:5 calls asyncio.Task.current_task(), which Python 3.9 removed" in \
        error.original.message


def test_a_release_that_also_names_the_replacement_is_not_held_for_the_removed_call(tmp_path):
    # aiohttp 3.x: `asyncio.current_task if PY_37 else asyncio.Task.current_task`, chosen by version
    _installed(tmp_path / "lib" / "site-packages", "guarded", "3.5",
               "import asyncio\n\n\ndef identity():\n    current = getattr(asyncio, 'current_task', None)\n"
               "    return current() if current else asyncio.current_task and asyncio.Task.current_task()\n")
    _confirm(tmp_path, "import guarded\n")


def test_a_removed_name_mentioned_only_in_a_comment_is_not_a_call(tmp_path):
    # aiohttp 3.14's web_protocol.py: "# Drop the processed task from asyncio.Task.all_tasks() early", in a module
    # that calls asyncio.current_task (the other replacement) and never all_tasks: every aiohttp app was held back
    _installed(tmp_path / "lib" / "site-packages", "commented", "3.14",
               "import asyncio\n\n\ndef handle():\n    task = asyncio.current_task()\n"
               "    # Drop the processed task from asyncio.Task.all_tasks() early\n    del task\n")
    _installed(tmp_path / "lib" / "site-packages", "commentedonly", "1.0",
               "import asyncio\n\n\ndef handle():\n    pass  # was asyncio.Task.all_tasks() before 3.9\n")
    _confirm(tmp_path, "import commented\nimport commentedonly\n")


def test_the_removed_call_check_needs_the_python_that_removed_it():
    from shipyard.detect.probe import removed_call_in_installed

    class Module:
        __file__ = os.path.join(os.sep, "v", "lib", "site-packages", "q", "local.py")

    assert removed_call_in_installed({}, (3, 12)) is None
    assert removed_call_in_installed({"q": Module}, (3, 8)) is None
    assert removed_in("AttributeError: type object 'asyncio.Task' has no attribute 'current_task' (...)") == "3.9"
    assert removed_in("AttributeError: type object 'Task' has no attribute 'current_task'") is None
