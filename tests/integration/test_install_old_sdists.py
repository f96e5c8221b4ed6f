"""Old sdists that today's tools do not build as they are, with real uv installs of the real releases.

A pin whose setup.py needs what today's setuptools removed (MarkupSafe 1.0, which Flask 0.12 apps pin,
imports setuptools.Feature, gone in setuptools 46): the source build is tried again with the last build tools
that had it in its isolated build environment, with a note, in the app's .venv (`serve --install`) and in the
proof environment alike. Real uv installs of the real release; MarkupSafe 1.0 runs on Python 3.9 at the most
(it imports collections.Mapping), so the app asks for 3.9. django-allauth 0.42's setup.py imports
setuptools.convert_path (gone in setuptools 70): sdists of the test's own stand for both ages, and one needing
the older tools found only after the newer one built is held back once more.

PyPDF2 1.26.0's sdist is a tar.gz that uv's archive reader rejects ("Invalid tar file") and pip's reads: pip
builds its wheel (in a throwaway virtualenv) and uv installs that, with a note."""

from __future__ import annotations

import os
import subprocess

import pytest

from conftest import image_of, make_tree, require_engine, require_python, write_sdist
from shipyard import build_holds, environments, python2_sources
from shipyard.plan import BuildHold
from shipyard.planner import make_plan
from shipyard.run.appenv import install_app_env

pytestmark = pytest.mark.slow

APP = ("import markupsafe\n\n"
       "def application(environ, start_response):\n"
       "    start_response('200 OK', [])\n"
       "    return [markupsafe.__version__.encode()]\n")
NOTE = "markupsafe==1.0 does not build with today's setuptools (its setup.py uses setuptools.Feature"


def _old_app(tmp_path):
    return make_tree(tmp_path / "oldbuild", {"app.py": APP, "requirements.txt": "MarkupSafe==1.0\n",
                                             ".python-version": "3.9\n"})


def test_serve_install_builds_a_pin_needing_old_setuptools_with_the_build_tools_of_its_time(tmp_path):
    py39 = require_python("3.9")
    root = _old_app(tmp_path)
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append)
    assert any(NOTE in line and "setuptools<46" in line for line in said), said
    done = subprocess.run([env.python, "-c", "import sys, markupsafe; print('%d.%d' % sys.version_info[:2], "
                                             "markupsafe.__version__)"], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == [py39.minor, "1.0"], done.stderr
    # only the build environment was held back: the app's own environment keeps its usual setuptools
    tools = subprocess.run([env.python, "-c", "import setuptools; print(setuptools.__version__)"],
                           capture_output=True, text=True, timeout=60)
    assert int(tools.stdout.split(".")[0]) >= 46, tools.stdout


def test_the_proof_environment_builds_it_the_same_way(tmp_path):
    require_python("3.9")
    root = _old_app(tmp_path)
    environ = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "VIRTUAL_ENV": ""}
    said: list[str] = []
    result = environments.environment_for_proof(root, ("MarkupSafe==1.0",), ("requirements.txt",), "3.9",
                                                timeout=300, say=said.append, environ=environ)
    assert result.environment is not None, result.reason
    assert any(NOTE in line for line in said), said
    done = subprocess.run([result.environment.python, "-c", "import markupsafe; print(markupsafe.__version__)"],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "1.0", done.stderr


def test_an_sdist_uv_cannot_unpack_is_built_by_pip_and_installed_by_uv(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = make_tree(tmp_path / "pdfapp", {"app.py": APP.replace("markupsafe", "PyPDF2"),
                                           "requirements.txt": "PyPDF2==1.26.0\n"})
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append)
    assert any("uv cannot unpack the source archive of pypdf2==1.26.0: built with pip" in line for line in said), said
    done = subprocess.run([env.python, "-c", "import PyPDF2; print(PyPDF2.__version__)"], capture_output=True,
                          text=True, timeout=60)
    assert done.stdout.strip() == "1.26.0", done.stderr
    assert not (root / ".venv" / "bin" / "pip").exists(), "pip ran in a throwaway virtualenv, not the app's"



def _old_sdist(folder, name: str, setup_import: str, requires: tuple[str, ...] = ()):
    """The sdist (a .tar.gz in `folder`) of a package of the test's own whose setup.py imports what today's
    setuptools removed."""
    return write_sdist(folder, name, "1.0", {
        "setup.py": f"from setuptools import setup, {setup_import}\n\n"
                    f"setup(name={name!r}, version='1.0', py_modules=[{name!r}], install_requires={list(requires)!r})\n",
        f"{name}.py": "VALUE = 'built'\n"})


def _new_sdist(folder, name: str):
    """The sdist of a package of the test's own whose build requires today's setuptools (psycopg2 2.9.10 and later
    require setuptools>=70.1)."""
    return write_sdist(folder, name, "1.0", {
        "pyproject.toml": f'[build-system]\nrequires = ["setuptools>=70.1"]\nbuild-backend = "setuptools.build_meta"\n'
                          f'[project]\nname = "{name}"\nversion = "1.0"\n[tool.setuptools]\npy-modules = ["{name}"]\n',
        f"{name}.py": "VALUE = 'new'\n"})


def _app_needing(tmp_path, name: str, python: str | None = None, *others: str):
    files = {"app.py": f"import {name}\n" + APP.split("\n\n", 1)[1],
             "requirements.txt": f"--find-links {tmp_path / 'dist'}\n{name}==1.0\n" + "".join(f"{o}==1.0\n" for o in others)}
    if python:
        files[".python-version"] = python + "\n"
    return make_tree(tmp_path / "app", files)


def test_setup_pys_of_two_ages_get_the_build_tools_both_build_with(tmp_path, monkeypatch):
    # convert_path left setuptools in 70 (django-allauth 0.42's setup.py imports it), Feature in 46; the package
    # needing the older tools is only found once the newer one has built (it is its requirement): the second
    # retry holds the build tools back further. A cache of its own: holds an earlier run learned apply from the start
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    py39 = require_python("3.9")
    _old_sdist(tmp_path / "dist", "shipyard_test_featured", "Feature")
    _old_sdist(tmp_path / "dist", "shipyard_test_converting", "convert_path", ("shipyard_test_featured==1.0",))
    root = _app_needing(tmp_path, "shipyard_test_converting", "3.9")
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append)
    notes = [line for line in said if "does not build with today's setuptools" in line]
    assert len(notes) == 2 and "setuptools<70" in notes[0] and "setuptools<46" in notes[1], said
    done = subprocess.run([env.python, "-c", "import sys, shipyard_test_converting as c, shipyard_test_featured as f; "
                                             "print('%d.%d' % sys.version_info[:2], c.VALUE, f.VALUE)"],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == [py39.minor, "built", "built"], done.stderr


def _installed_needing(tmp_path, name: str, uses: str, constraint: str) -> None:
    """serve --install of an app needing the test's sdist `name`: the note names what its setup.py uses and the
    build constraint, and the package imports."""
    root = _app_needing(tmp_path, name)
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append)
    assert any(f"its setup.py uses {uses}" in line and constraint in line for line in said), said
    done = subprocess.run([env.python, "-c", f"import {name} as c; print(c.VALUE)"],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "built", done.stderr


def test_a_setup_py_importing_setuptools_convert_path_builds_with_setuptools_before_70(tmp_path):
    _old_sdist(tmp_path / "dist", "shipyard_test_converting", "convert_path")
    _installed_needing(tmp_path, "shipyard_test_converting", "setuptools.convert_path", "setuptools<70")


def test_a_setup_py_asking_for_2to3_builds_with_setuptools_before_58(tmp_path):
    # anyjson 0.3.3's setup.py passes use_2to3=True, which setuptools 58 made an error ("use_2to3 is invalid");
    # setuptools 57 needs a Python before 3.12 (pkgutil.ImpImporter), which the install moves to
    write_sdist(tmp_path / "dist", "shipyard_test_twotothree", "1.0", {
        "setup.py": "from setuptools import setup\n\nsetup(name='shipyard_test_twotothree', version='1.0', "
                    "py_modules=['shipyard_test_twotothree'], use_2to3=True)\n",
        "shipyard_test_twotothree.py": "VALUE = 'built'\n"})
    _installed_needing(tmp_path, "shipyard_test_twotothree", "use_2to3", "setuptools<58")


def test_a_dated_range_whose_releases_publish_only_tar_bz2_gets_the_nearest_release_uv_reads(tmp_path, monkeypatch):
    """Twisted up to 20.3 published its sources only as .tar.bz2 (and Windows wheels), which uv does not read: an
    app of early 2018 (Channels 2 -> daphne -> twisted>=17.5) finds no usable twisted as of its date. The nearest
    release uv reads within the range is installed, with a note; the other packages keep the app's date."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    py36 = require_python("3.6")
    python = environments.create_venv(py36.path, tmp_path / "venv", log=tmp_path / "venv.log", timeout=120)
    spec = environments.InstallSpec(("twisted>=17.5.0", "six"), exclude_newer="2018-02-09T00:00:00Z")
    said: list[str] = []
    environments.install(str(python), spec, log=tmp_path / "install.log", timeout=600, say=said.append,
                         what="installing")
    assert any("the releases of twisted before 2018-02-09 publish their sources only in an archive uv does not "
               "read (.tar.bz2): using twisted==19.7.0" in line for line in said), said
    done = subprocess.run([str(python), "-c", "import twisted, six; print(twisted.__version__, six.__version__)"],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["19.7.0", "1.11.0"], done.stderr       # six as of the date: 1.11.0 (2017)


def test_an_unpinned_requirement_whose_every_release_of_its_date_is_tar_bz2_gets_the_nearest_uv_reads(tmp_path,
                                                                                                    monkeypatch):
    """A 2019 tornado hello world lists twisted unpinned: as of June 2019 every Twisted release had only a .tar.bz2,
    and uv says so as "all versions of twisted have a non-PEP 625-compliant source distribution filename" (no
    range named). The nearest release uv reads is installed, as for a range."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    py36 = require_python("3.6")
    python = environments.create_venv(py36.path, tmp_path / "venv", log=tmp_path / "venv.log", timeout=120)
    spec = environments.InstallSpec(("twisted", "six"), exclude_newer="2019-06-25T00:00:00Z")
    said: list[str] = []
    environments.install(str(python), spec, log=tmp_path / "install.log", timeout=600, say=said.append,
                         what="installing")
    assert any("the releases of twisted before 2019-06-25 publish their sources only in an archive uv does not "
               "read (.tar.bz2): using twisted==19.7.0" in line for line in said), said
    done = subprocess.run([str(python), "-c", "import twisted, six; print(twisted.__version__, six.__version__)"],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["19.7.0", "1.12.0"], done.stderr       # six as of the date: 1.12.0 (2018)


CONVERT_PATH = "setuptools.convert_path (removed in setuptools 70)"


def test_what_an_install_learned_holds_the_plans_build_tools_back(tmp_path, monkeypatch):
    """serve --install met the old sdist: the next plan of an app pinning that release carries the hold-back
    (for the image's builder), whichever environment proves it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _old_sdist(tmp_path / "dist", "shipyard_test_converting", "convert_path")
    root = _app_needing(tmp_path, "shipyard_test_converting")
    assert make_plan(root, confirm=False, installed=False).build_holds == ()
    install_app_env(root, make_plan(root, confirm=False, installed=False), lambda line: None)
    held = (BuildHold("shipyard-test-converting==1.0", CONVERT_PATH, ("setuptools<70",)),)
    assert build_holds.known(environments.cache_root()) == held
    assert make_plan(root, confirm=False, installed=False).build_holds == held


def test_a_plan_made_without_installing_learns_the_hold_from_uvs_resolver(tmp_path, monkeypatch):
    """`init --no-import` on a machine that never built the release: uv's resolution (nothing installed) builds
    its metadata, meets the removed setuptools helper, and is retried as an install is: the plan holds back."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _old_sdist(tmp_path / "dist", "shipyard_test_converting", "convert_path")
    root = _app_needing(tmp_path, "shipyard_test_converting")
    said: list[str] = []
    plan = make_plan(root, confirm=False, installed=False, progress=said.append, check_pins=True)
    assert plan.build_holds == (BuildHold("shipyard-test-converting==1.0", CONVERT_PATH, ("setuptools<70",)),), \
        (plan.notes, said)
    assert any("its setup.py uses setuptools.convert_path" in line for line in said), said
    assert not (root / ".venv").exists()


def test_the_image_builds_a_pin_whose_setup_py_imports_setuptools_convert_path(tmp_path, monkeypatch, base_image):
    """django-allauth 0.42.0 (an sdist whose setup.py imports setuptools.convert_path) built in the image: the plan
    made without installing learns the hold-back and the builder stage applies it (uv --build-constraint)."""
    require_engine()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = make_tree(tmp_path / "allauth", {"app.py": APP.split("\n\n", 1)[1].replace("markupsafe.__version__",
                                                                                       "'ok'"),
                                            "requirements.txt": "django-allauth==0.42.0\n"})
    plan = make_plan(root, {"server": "gunicorn", "topology": "app"}, confirm=False, installed=False,
                     check_pins=True)
    assert plan.build_constraints == ("setuptools<70",), plan.notes
    with image_of(plan, root, base_image) as tag:
        done = subprocess.run(["docker", "run", "--rm", "--entrypoint", "/opt/venv/bin/python", tag, "-c",
                               "import importlib.metadata as m; print(m.version('django-allauth'))"],
                              capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "0.42.0", done.stderr


def test_only_the_old_sdist_gets_the_old_build_tools_a_newer_one_builds_with_todays(tmp_path, monkeypatch):
    """The hold-back is for the release that needs it: installed first, alone, with setuptools<70, while an sdist
    whose build requires setuptools>=70.1 beside it builds with today's (one constraint for every build refused it)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _old_sdist(tmp_path / "dist", "shipyard_test_converting", "convert_path")
    _new_sdist(tmp_path / "dist", "shipyard_test_modern")
    root = _app_needing(tmp_path, "shipyard_test_converting", None, "shipyard_test_modern")
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append)
    assert any("setuptools.convert_path" in line and "setuptools<70" in line for line in said), said
    done = subprocess.run([env.python, "-c", "import shipyard_test_converting as c, shipyard_test_modern as m; "
                                             "print(c.VALUE, m.VALUE)"], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["built", "new"], done.stderr
    # on another machine (no cache: uv's own would hold the builds), uv's resolver, for a plan made without
    # installing, learns the hold all the same, and says nothing of the newer sdist its one-constraint
    # resolution refuses
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-cache"))
    plan = make_plan(root, confirm=False, installed=False, check_pins=True)
    assert [h.release for h in plan.build_holds] == ["shipyard-test-converting==1.0"], plan.notes
    assert not any("checked with uv's resolver" in n for n in plan.notes), plan.notes


_PY2_SETUP = '''from setuptools import setup
try:
    from distutils.command.build_py import build_py_2to3 as build_py
except ImportError:
    from distutils.command.build_py import build_py

setup(name={name!r}, version="1.0", py_modules=[{name!r}], cmdclass={{"build_py": build_py}})
'''


def test_a_release_whose_build_installs_python_2_code_is_built_again_with_2to3(tmp_path, monkeypatch):
    """pycryptodome 3.3.1's shape: Python 2 source that its setup.py converts with distutils' build_py_2to3 when
    there is one. Today's setuptools has none, so the build passes and installs Python 2 code (a SyntaxError at
    import): the install builds it again with setuptools<58, with a note, and keeps the hold in the cache."""
    py39 = require_python("3.9")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    name = "shipyard_test_py2_source"
    write_sdist(tmp_path / "dist", name, "1.0", {
        "setup.py": _PY2_SETUP.format(name=name),
        f"{name}.py": "VALUE = 'built'\n\ndef show():\n    print 'Python 2'\n"})
    root = _app_needing(tmp_path, name, "3.9")
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append)
    assert any(f"{name}==1.0 installed Python 2 code ({name}.py:4" in line and "setuptools<58" in line
               for line in said), said
    done = subprocess.run([env.python, "-c", f"import sys, {name} as c; print('%d.%d' % sys.version_info[:2], "
                                             "c.VALUE)"], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == [py39.minor, "built"], done.stderr
    assert BuildHold(f"{name.replace('_', '-')}==1.0", python2_sources.USES, python2_sources.TOOLS) in \
        build_holds.known(tmp_path / "cache" / "shipyard")


def test_a_setup_py_reading_its_own_source_builds_with_setuptools_before_63_2(tmp_path):
    # playsound 1.3.0's setup.py: `here = abspath(dirname(getsource(lambda: 0)))`; setuptools 63.2 and later run a
    # setup.py from its text without its file name, so inspect finds no source. Python 3.11: setuptools 63 predates
    # 3.12 (pkgutil.ImpImporter)
    require_python("3.11")
    write_sdist(tmp_path / "dist", "shipyard_test_getsource", "1.0", {
        "setup.py": "from inspect import getsource\nfrom os.path import abspath, dirname\n"
                    "from setuptools import setup\n\nhere = abspath(dirname(getsource(lambda: 0)))\n\n"
                    "setup(name='shipyard_test_getsource', version='1.0', py_modules=['shipyard_test_getsource'])\n",
        "shipyard_test_getsource.py": "VALUE = 'built'\n"})
    root = _app_needing(tmp_path, "shipyard_test_getsource", "3.11")
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append)
    assert any("its setup.py uses inspect.getsource on its own code" in line and "setuptools<63.2" in line
               for line in said), said
    done = subprocess.run([env.python, "-c", "import shipyard_test_getsource as c; print(c.VALUE)"],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "built", done.stderr


def test_the_shells_relative_pythonpath_does_not_reach_source_builds(tmp_path, monkeypatch):
    # `export PYTHONPATH=src` (a src layout's habit) while installing: a source build runs in its sdist's folder,
    # where future 0.18.2's src/reprlib (its Python 2 backport, which raises on Python 3) shadowed the standard
    # library's and the build's Python did not start. Real uv build of an sdist of that shape
    py = require_python("3.11")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("PYTHONPATH", "src")
    write_sdist(tmp_path / "dist", "shipyard_test_backports", "1.0", {
        "setup.py": "from setuptools import setup\n\nsetup(name='shipyard_test_backports', version='1.0', "
                    "py_modules=['shipyard_test_backports'])\n",
        "src/reprlib/__init__.py": "raise ImportError('This package should not be accessible on Python 3.')\n",
        "shipyard_test_backports.py": "VALUE = 'built'\n"})
    python = environments.create_venv(py.path, tmp_path / "venv", log=tmp_path / "venv.log", timeout=120)
    spec = environments.InstallSpec(("shipyard_test_backports==1.0",),
                                    index_options=("--find-links", str(tmp_path / "dist")))
    environments.install(str(python), spec, log=tmp_path / "install.log", timeout=300, say=None, what="installing")
    done = subprocess.run([str(python), "-c", "import shipyard_test_backports as b; print(b.VALUE)"],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": ""})
    assert done.stdout.strip() == "built", done.stderr


def test_a_setup_py_importing_its_own_module_that_imports_a_requirement_builds_with_it(tmp_path, monkeypatch):
    # peewee-db-evolve 3.7.0's shape: setup.py reads `__import__('its module').__version__`, and the module imports
    # the package's dependency (peewee), which an isolated build environment lacks: the install learns it and uv
    # builds it with the app's requirement of that package beside the build tools (extra-build-dependencies)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    write_sdist(tmp_path / "dist", "shipyard_test_helper", "1.0", {
        "setup.py": "from setuptools import setup\nsetup(name='shipyard_test_helper', version='1.0', "
                    "py_modules=['shipyard_test_helper'])\n",
        "shipyard_test_helper.py": "VALUE = 'helped'\n"})
    write_sdist(tmp_path / "dist", "shipyard_test_evolving", "1.0", {
        "setup.py": "from setuptools import setup\nsetup(name='shipyard_test_evolving', "
                    "version=__import__('shipyard_test_evolving').__version__, py_modules=['shipyard_test_evolving'], "
                    "install_requires=['shipyard_test_helper'])\n",
        "shipyard_test_evolving.py": "try:\n    import shipyard_test_helper as helper\nexcept ImportError:\n"
                                     "    print('helper not installed')\nVALUE = helper.VALUE\n__version__ = '1.0'\n"})
    root = _app_needing(tmp_path, "shipyard_test_evolving", None, "shipyard_test_helper")
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append)
    assert any("shipyard-test-evolving==1.0's setup.py imports the package itself" in line
               and "building it with shipyard_test_helper==1.0" in line for line in said), said
    done = subprocess.run([env.python, "-c", "import shipyard_test_evolving as e; print(e.VALUE)"],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "helped", done.stderr
    # kept: the plan gives the image's builder the same setting
    assert make_plan(root, confirm=False, installed=False).build_needs == (
        ("shipyard-test-evolving==1.0", ("shipyard_test_helper==1.0",)),)
