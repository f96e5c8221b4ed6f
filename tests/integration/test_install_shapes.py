"""`serve --install` on app shapes that public apps have, with real uv installs:

- an old app (its requirements file last changed in 2017): unpinned packages resolve as of that day, but the
  build backends an sdist's build needs do not (uv asks setuptools>=40.8.0 for a setup.py project, which did
  not exist in 2017), and setuptools at run time stays as of the day (old apps import pkg_resources);
- a [project] whose build backend cannot package it (hatchling finds no package folder): its dependencies are
  installed and it runs from its folder, with a note; so does an app whose setup.py is Python 2 code."""

from __future__ import annotations

import os
import subprocess
import time

import pytest

from conftest import make_tree, require_python
from shipyard.planner import make_plan
from shipyard.run.appenv import install_app_env

pytestmark = pytest.mark.slow

WSGI = "def application(environ, start_response):\n    start_response('200 OK', [])\n    return [b'ok']\n"


def _versions(python: str, *names: str) -> list[str]:
    # an old app's environment may be Python 3.6 (the one current in 2017), which has no importlib.metadata
    code = ("import sys\ntry:\n    from importlib.metadata import version\nexcept ImportError:\n"
            "    import pkg_resources\n    version = lambda name: pkg_resources.get_distribution(name).version\n"
            "print(' '.join(version(n) for n in sys.argv[1:]))")
    done = subprocess.run([python, "-c", code, *names], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_an_old_apps_sdist_builds_with_todays_build_backends_and_its_packages_keep_their_date(tmp_path):
    # itsdangerous 0.24 is an sdist with a setup.py (2014); six is unpinned (1.10.0 in May 2017, 1.11.0 later)
    root = make_tree(tmp_path / "oldapp", {"app.py": WSGI,
                                           "requirements.txt": "itsdangerous==0.24\nsix\nsetuptools\n"})
    may_2017 = time.mktime((2017, 5, 31, 12, 0, 0, 0, 0, 0))
    os.utime(root / "requirements.txt", (may_2017, may_2017))
    plan = make_plan(root, confirm=False, installed=False)
    said: list[str] = []
    env = install_app_env(root, plan, said.append)
    assert any("resolved as of 2017-06-01" in line for line in said), said
    itsdangerous, six, setuptools = _versions(env.python, "itsdangerous", "six", "setuptools")
    assert (itsdangerous, six) == ("0.24", "1.10.0")
    # the build used a setuptools from years later; the app's own is as of its date
    assert int(setuptools.split(".")[0]) < 40, setuptools


def test_an_unpinned_package_whose_release_of_the_apps_day_does_not_build_here_moves_to_a_later_one(tmp_path):
    # the app asks for Python 3.12 and leaves greenlet open; as of June 2018 that is 0.4.13, whose C source 3.12
    # does not compile: the install moves greenlet on (3.0.0, its first wheel for 3.12), not the app to Python 3.7
    require_python("3.12")
    root = make_tree(tmp_path / "datedapp", {"app.py": "import greenlet\n" + WSGI,
                                             "requirements.txt": "six==1.11.0\ngreenlet\n", ".python-version": "3.12\n"})
    june_2018 = time.mktime((2018, 6, 1, 12, 0, 0, 0, 0, 0))
    os.utime(root / "requirements.txt", (june_2018, june_2018))
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append)
    assert any(line.startswith("greenlet==0.4.13, the release of greenlet as of 2018-06-02") and
               "using greenlet==3.0.0" in line for line in said), said
    assert _versions(env.python, "six", "greenlet") == ["1.11.0", "3.0.0"]
    done = subprocess.run([env.python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "3.12", said


def test_a_project_its_backend_cannot_package_runs_from_its_folder(tmp_path):
    root = make_tree(tmp_path / "flatapp", {
        "app.py": "import six\n" + WSGI,
        "pyproject.toml": '[project]\nname = "flat-app"\nversion = "0.1.0"\ndependencies = ["six"]\n\n'
                          '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'})
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.package
    said: list[str] = []
    env = install_app_env(root, plan, said.append)
    assert any("the app itself does not build as a package" in line and "runs from its source folder" in line
               for line in said), said
    assert _versions(env.python, "six")
    listed = subprocess.run([env.python, "-c", "import importlib.metadata as m; m.version('flat-app')"],
                            capture_output=True, text=True, timeout=60)
    assert listed.returncode != 0          # not installed: it is imported from its folder
    imported = subprocess.run([env.python, "-c", "import app; print(app.application)"], cwd=root,
                              capture_output=True, text=True, timeout=60)
    assert imported.returncode == 0, imported.stderr


def test_an_app_whose_own_setup_py_is_python_2_code_installs_its_requirements_and_runs_from_its_folder(tmp_path):
    # a 2014 app's setup.py with a print statement: no Python 3 builds the app as a package, and its requirements
    # file still installs what it needs
    root = make_tree(tmp_path / "py2app", {
        "app.py": "import six\n" + WSGI, "requirements.txt": "six\n",
        "setup.py": "from setuptools import setup\n\nprint 'installing'\n"
                    "setup(name='py2app', version='0.1', py_modules=['app'])\n"})
    plan = make_plan(root, confirm=False, installed=False)
    assert not plan.package              # nor does the image install it
    said: list[str] = []
    env = install_app_env(root, plan, said.append)
    assert any("the app's setup.py does not run on Python 3 (setup.py:3: Missing parentheses" in line
               and "it runs from its folder" in line for line in said), said
    assert _versions(env.python, "six")
    imported = subprocess.run([env.python, "-c", "import app; print(app.application)"], cwd=root,
                              capture_output=True, text=True, timeout=60)
    assert imported.returncode == 0, imported.stderr


def test_a_server_the_app_pins_older_than_the_generated_configuration_needs_is_upgraded(tmp_path):
    # gunicorn 20.0 has no `wsgi_app` setting, which the generated gunicorn.conf.py uses to name the app
    root = make_tree(tmp_path / "pinned", {"app.py": WSGI, "requirements.txt": "gunicorn==20.0.4\n"})
    plan = make_plan(root, {"server": "gunicorn"}, confirm=False, installed=False)
    said: list[str] = []
    env = install_app_env(root, plan, said.append)
    assert any("the app pins gunicorn==20.0.4" in line and "gets gunicorn>=23.0" in line for line in said), said
    assert int(_versions(env.python, "gunicorn")[0].split(".")[0]) >= 23


def test_an_environment_older_than_python_3_12_gets_setuptools_as_venv_gave_it(tmp_path):
    # before 3.12 every virtualenv had setuptools, and old apps' packages (not the app: nothing to infer from)
    # import its pkg_resources
    from conftest import require_python
    require_python("3.11")
    root = make_tree(tmp_path / "pkgres", {"app.py": WSGI, "requirements.txt": "six\n", ".python-version": "3.11\n"})
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), lambda line: None)
    imported = subprocess.run([env.python, "-c", "import pkg_resources, six"], cwd=root, capture_output=True,
                              text=True, timeout=60)
    assert imported.returncode == 0, imported.stderr


def test_a_poetry_apps_production_groups_are_installed_and_its_dev_groups_are_not(tmp_path):
    # `poetry install` installs every group not marked optional: a `migrations` group holds what alembic's
    # env.py imports (six stands for its database driver here); the dev group is how its authors test
    root = make_tree(tmp_path / "poetryapp", {
        "app.py": WSGI,
        "pyproject.toml": '[tool.poetry]\nname = "poetry-app"\nversion = "0.1.0"\n\n'
                          '[tool.poetry.dependencies]\npython = ">=3.8"\n\n'
                          '[tool.poetry.group.migrations.dependencies]\nsix = "^1.16"\n\n'
                          '[tool.poetry.group.dev.dependencies]\niniconfig = "*"\n\n'
                          '[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n'})
    plan = make_plan(root, confirm=False, installed=False)
    env = install_app_env(root, plan, lambda line: None)
    assert int(_versions(env.python, "six")[0].split(".")[1]) >= 16
    missing = subprocess.run([env.python, "-c", "import iniconfig"], capture_output=True, text=True, timeout=60)
    assert missing.returncode != 0


def test_an_app_with_no_dependency_file_gets_the_packages_of_its_codes_time(tmp_path):
    """No requirements file, only imports: the inferred packages resolve as of the day after its code last
    changed (as `cp -a` keeps the files' times), on the Python current then; new code gets today's."""
    code = "import markupsafe\n\n" + WSGI
    old = make_tree(tmp_path / "old", {"app.py": code})
    june_2022 = time.mktime((2022, 6, 1, 12, 0, 0, 0, 0, 0))
    os.utime(old / "app.py", (june_2022, june_2022))
    plan = make_plan(old, confirm=False, installed=False)
    assert plan.python.version == "3.10" and "no dependency file" in plan.python.source, plan.python
    said: list[str] = []
    env = install_app_env(old, plan, said.append)
    assert any(line.startswith("no dependency file: the packages its code imports resolved as of 2022-06-02")
               for line in said), said
    assert _versions(env.python, "markupsafe") == ["2.1.1"]          # 2.1.2 came in 2023

    new = make_tree(tmp_path / "new", {"app.py": code})
    said = []
    env = install_app_env(new, make_plan(new, confirm=False, installed=False), said.append)
    assert not any("resolved as of" in line for line in said), said
    assert int(_versions(env.python, "markupsafe")[0].split(".")[0]) >= 3


def test_a_windows_dot_venv_committed_with_the_app_stays_and_the_apps_own_is_made_beside_it(tmp_path):
    """A 2023 API with its Windows .venv (Scripts/python.exe, Lib/site-packages) committed: --install made its
    virtualenv at .venv too, and `uv venv` over that folder never finished (serve stopped after 120 s). The
    committed folder is the app's file: the new virtualenv is venv/, the next name the app's environment is
    looked up under, and the Windows one is left as it was."""
    root = make_tree(tmp_path / "winvenv", {"app.py": WSGI, "requirements.txt": "six\n",
                                            ".venv/pyvenv.cfg": "home = C:\\Python311\nversion = 3.11.0\n",
                                            ".venv/Scripts/python.exe": "MZ",
                                            ".venv/Lib/site-packages/six.py": "# committed\n"})
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append)
    assert env.python == str(root / "venv" / "bin" / "python") and env.origin == "the app's venv"
    assert _versions(env.python, "six")
    assert (root / ".venv" / "Scripts" / "python.exe").read_text() == "MZ"
    assert (root / ".venv" / "Lib" / "site-packages" / "six.py").read_text() == "# committed\n"
    assert any(f"creating the app's virtualenv {root / 'venv'}" in line for line in said), said


def test_a_setup_py_naming_no_packages_beside_other_folders_runs_from_its_folder(tmp_path):
    # a 2022 Pyramid app's setup.py gives install_requires and a paste entry point, no packages=: setuptools 61+
    # refuses to guess between mysite/ and app_screenshots/ (a folder of images) in the editable build and in a
    # copy alike; its requirements install, and it runs from its folder
    root = make_tree(tmp_path / "eggapp", {
        "setup.py": "from setuptools import setup\n\nsetup(name='mysite', install_requires=['six'],\n"
                    "      entry_points='[paste.app_factory]\\nmain = mysite:main\\n')\n",
        "mysite/__init__.py": "import six\n\nGREETING = six.text_type('ok')\n",
        "app.py": "import mysite\n" + WSGI,
        "app_screenshots/readme.txt": "pictures\n",
        "app_screenshots/notes/readme.txt": "more\n"})
    plan = make_plan(root, confirm=False, installed=False)
    said: list[str] = []
    env = install_app_env(root, plan, said.append)
    assert any("names no packages" in line and "mysite, app_screenshots" in line and "runs from its source folder"
               in line for line in said), said
    assert not any("PEP 660" in line for line in said), said
    assert _versions(env.python, "six")
    imported = subprocess.run([env.python, "-c", "import mysite; print(mysite.GREETING)"], cwd=root,
                              capture_output=True, text=True, timeout=60)
    assert imported.returncode == 0, imported.stderr


def test_a_requirement_the_app_never_imports_that_builds_nowhere_here_is_left_out_last(tmp_path):
    # a 2019 tornado hello world lists pycurl beside tornado and imports only tornado: pycurl's sdist needs
    # libcurl's headers, and no Python here has a wheel of it. Here a source package that fails to build on every
    # Python stands for it; the app's own imports (six) stay
    broken = make_tree(tmp_path / "curlish", {
        "setup.py": "import sys\nsys.exit('curl-config: not found (install libcurl development files)')\n"})
    root = make_tree(tmp_path / "helloapp", {"app.py": "import six\n" + WSGI,
                                             "requirements.txt": f"six\ncurlish @ {broken.as_uri()}\n"})
    said: list[str] = []
    env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append)
    assert any(line.startswith("curlish @ ") and "does not build here" in line and "never imports it" in line
               for line in said), said
    assert _versions(env.python, "six")
    # a requirement the app imports that builds nowhere still fails the install, naming it
    used = make_tree(tmp_path / "usedapp", {"app.py": "import six\nimport curlish\n" + WSGI,
                                            "requirements.txt": f"six\ncurlish @ {broken.as_uri()}\n"})
    with pytest.raises(Exception, match="curlish"):
        install_app_env(used, make_plan(used, confirm=False, installed=False), said.append)


def test_a_second_install_remakes_the_venv_the_first_made_leaving_out_what_it_left_out(tmp_path):
    # a 2012 tornado app declares gunicorn==0.14.2, which builds on no Python 3 here and which the entry never
    # imports: the first --install leaves it out (up front, since it has no wheel: appenv._without_unbuilt_servers);
    # the second found that .venv and installed into it as the user's own, with the pin, and stopped
    # ("gunicorn==0.14.2 does not build"). A .venv the user made stays theirs.
    from shipyard.run.appenv import MADE_MARK, made_by_install
    root = make_tree(tmp_path / "twice", {"app.py": WSGI, "requirements.txt": "six\ngunicorn==0.14.2\n"})
    for run in ("first", "second"):
        said: list[str] = []
        env = install_app_env(root, make_plan(root, confirm=False, installed=False), said.append)
        assert any(line.startswith("gunicorn==0.14.2 left out of the app's .venv up front") for line in said), \
            (run, said)
        assert _versions(env.python, "six")
    assert made_by_install(env) is not None and (root / ".venv" / MADE_MARK).is_file()
    # the user's own virtualenv (no mark) is installed into as it is: the pin stops it, as before
    (root / ".venv" / MADE_MARK).unlink()
    with pytest.raises(Exception, match="gunicorn==0.14.2 does not build"):
        install_app_env(root, make_plan(root, confirm=False, installed=False), [].append)
