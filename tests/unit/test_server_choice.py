"""The server an app gets when the user chose none: granian, unless the app's protocol or its Python
rules it out."""

from __future__ import annotations

import os
import sys

import pytest

from conftest import make_tree
from shipyard.planner import make_plan

APP = {"app.py": "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/')\ndef index():\n    return 'hi'\n",
       "requirements.txt": "flask\n"}


def test_an_app_on_an_older_python_than_granian_supports_gets_gunicorn(tmp_path):
    root = make_tree(tmp_path / "old", {**APP, ".python-version": "3.8\n"})
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.settings["server"] == "gunicorn"
    assert any("older than granian supports (3.10+)" in n for n in plan.notes)
    assert not any(d.name == "granian" for d in plan.dependencies)


def test_an_app_on_python_3_9_gets_gunicorn_as_granian_releases_with_the_launchers_flags_need_3_10(tmp_path):
    # granian 2.6 (--uds-permissions) has no 3.9 wheel: on 3.9 uv installs a 2.5 that refuses the flag at start
    root = make_tree(tmp_path / "py39", {**APP, ".python-version": "3.9\n"})
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.python.version.startswith("3.9"), plan.python
    assert plan.settings["server"] == "gunicorn"
    assert any("Python 3.9 is older than granian supports (3.10+)" in n for n in plan.notes), plan.notes
    new = make_tree(tmp_path / "py310", {**APP, ".python-version": "3.10\n"})
    plan = make_plan(new, confirm=False, installed=False)
    assert plan.settings["server"] == "granian"
    assert [d.spec for d in plan.dependencies if d.name == "granian"] == [">=2.6"]


def test_the_users_choice_and_newer_pythons_keep_granian(tmp_path):
    old = make_tree(tmp_path / "old", {**APP, ".python-version": "3.8\n"})
    chosen = make_plan(old, {"server": "granian"}, confirm=False, installed=False)
    assert chosen.settings["server"] == "granian" and not any("older than" in n for n in chosen.notes)
    new = make_tree(tmp_path / "new", {**APP, ".python-version": "3.12\n"})
    assert make_plan(new, confirm=False, installed=False).settings["server"] == "granian"


def test_a_paste_ini_entry_gets_gunicorn_which_reads_it():
    # granian cannot load a paste .ini (render.check_supported refuses it): gunicorn --paste is the default
    from conftest import FIXTURES
    plan = make_plan(FIXTURES / "apps" / "pyramid_paste", confirm=False, installed=False)
    assert plan.entry.kind == "paste" and plan.settings["server"] == "gunicorn"
    assert any(d.name == "gunicorn" for d in plan.dependencies)
    assert not any("older than" in n for n in plan.notes)
    chosen = make_plan(FIXTURES / "apps" / "pyramid_paste", {"server": "uwsgi"}, confirm=False, installed=False)
    assert chosen.settings["server"] == "uwsgi"


def test_a_paste_egg_app_pinning_an_old_gunicorn_gets_uwsgi(tmp_path):
    # the image API (2018): production.ini's `use = egg:image_api` makes PasteDeploy check the installed project's
    # requirements (setup.py reads requirements.txt), gunicorn==19.8 among them; serve's gunicorn (>=20.1) fails
    # that check, so uWSGI serves it. A `call:` ini, or an unpinned gunicorn, keeps gunicorn.
    files = {"image_api/__init__.py": "from pyramid.config import Configurator\n\n\n"
                                      "def main(global_config, **settings):\n"
                                      "    with Configurator(settings=settings) as config:\n"
                                      "        config.add_route('home', '/')\n"
                                      "    return config.make_wsgi_app()\n",
             "setup.py": "from setuptools import setup, find_packages\n\n"
                         "requires = open('requirements.txt').read().split()\n"
                         "setup(name='image_api', packages=find_packages(), install_requires=requires,\n"
                         "      entry_points={'paste.app_factory': ['main = image_api:main']})\n",
             "requirements.txt": "pyramid==1.9.2\ngunicorn==19.8\nwaitress==1.1.0\n",
             "production.ini": "[app:main]\nuse = egg:image_api\n\n[server:main]\nuse = egg:gunicorn#main\n"}
    root = make_tree(tmp_path / "egg", files)
    plan = make_plan(root, confirm=False, installed=False)
    assert (plan.entry.kind, plan.settings["server"]) == ("paste", "uwsgi")
    assert any("loads the installed project (egg:image_api)" in n and "gunicorn==19.8" in n for n in plan.notes)
    call = make_tree(tmp_path / "call", {**files, "production.ini": "[app:main]\nuse = call:image_api:main\n"})
    assert make_plan(call, confirm=False, installed=False).settings["server"] == "gunicorn"
    unpinned = make_tree(tmp_path / "unpinned", {**files, "requirements.txt": "pyramid\ngunicorn\n"})
    assert make_plan(unpinned, confirm=False, installed=False).settings["server"] == "gunicorn"
    # requirements.txt beside a literal install_requires: the project itself does not require that gunicorn
    literal = make_tree(tmp_path / "literal", {**files, "setup.py": files["setup.py"].replace(
        "open('requirements.txt').read().split()", "['pyramid']")})
    assert make_plan(literal, confirm=False, installed=False).settings["server"] == "gunicorn"
    chosen = make_plan(root, {"server": "gunicorn"}, confirm=False, installed=False)
    assert chosen.settings["server"] == "gunicorn"


# An app that monkey-patches itself with gevent when imported (CTFd's wsgi.py, apps written for
# `gunicorn -k gevent`) runs only in gunicorn's worker of that library: granian's threads switch its greenlets
# across threads ("Cannot switch to a different thread", gevent's LoopExit).
GEVENT_WSGI = ("import os\n\nif not os.getenv('FLASK_RUN_FROM_CLI'):\n    from gevent import monkey\n\n"
               "    monkey.patch_all()\n\nfrom app import app\n")
FLASK_PACKAGE = {"app/__init__.py": APP["app.py"], "requirements.txt": "flask\ngevent\n"}


def _gunicorn_conf(plan) -> str:
    from shipyard.render import render
    return render(plan)["gunicorn.conf.py"]


def test_an_entry_that_gevent_patches_at_import_gets_gunicorn_with_gevents_worker(tmp_path):
    root = make_tree(tmp_path / "ctfd_like", {**FLASK_PACKAGE, "wsgi.py": GEVENT_WSGI})
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.entry.target == "wsgi:app" and plan.entry.cooperative == "gevent"
    assert plan.settings["server"] == "gunicorn"
    assert any("wsgi.py monkey-patches with gevent at import" in n for n in plan.notes), plan.notes
    conf = _gunicorn_conf(plan)
    assert 'worker_class = "gevent"' in conf and "\nthreads =" not in conf
    # the app's gevent is unpinned (resolved as of its date, maybe before 24.10.1, which gunicorn >= 24's
    # gevent worker refuses): gunicorn 23, whose worker takes any gevent >= 1.4
    assert [d.requirement for d in plan.server_dependencies] == ["gunicorn>=23.0,<24"]
    # a gevent pinned at 24.10.1 or later gets today's gunicorn, and the packaging its gevent worker imports
    # (gunicorn >= 24 brings it only with its `gevent` extra)
    new = make_tree(tmp_path / "new_gevent", {**FLASK_PACKAGE, "requirements.txt": "flask\ngevent==25.5.1\n",
                                              "wsgi.py": GEVENT_WSGI})
    assert [d.requirement for d in make_plan(new, confirm=False, installed=False).server_dependencies] == \
        ["gunicorn>=23.0", "packaging"]
    old = make_tree(tmp_path / "old_gevent", {**FLASK_PACKAGE, "requirements.txt": "flask\ngevent==23.9.1\n",
                                              "wsgi.py": GEVENT_WSGI})
    assert [d.requirement for d in make_plan(old, confirm=False, installed=False).server_dependencies] == \
        ["gunicorn>=23.0,<24"]
    # its own older gunicorn pin is replaced by that gunicorn too, not today's (falcon-boilerplate: 22.0.0)
    from shipyard.detect import deps
    pinned = make_tree(tmp_path / "pinned", {**FLASK_PACKAGE, "wsgi.py": GEVENT_WSGI,
                                             "requirements.txt": "flask\ngevent==23.9.1\ngunicorn==22.0.0\n"})
    plan = make_plan(pinned, confirm=False, installed=False)
    assert [needed for _, needed in deps.outdated_server_pins(plan.dependencies, "gunicorn", "wsgi",
                                                              plan.entry.cooperative)] == ["gunicorn>=23.0,<24"]
    # the plan carries it through JSON (inspect --json, then init/serve from it)
    from shipyard.plan import Plan
    assert Plan.from_json(plan.to_json()).entry.cooperative == "gevent"


def test_other_spellings_and_a_patch_in_a_module_the_entry_imports(tmp_path):
    dotted = make_tree(tmp_path / "dotted", {**FLASK_PACKAGE, "wsgi.py": "import gevent.monkey\n"
                                             "gevent.monkey.patch_all()\nfrom app import app\n"})
    assert make_plan(dotted, confirm=False, installed=False).entry.cooperative == "gevent"
    imported = make_tree(tmp_path / "imported", {**FLASK_PACKAGE, "patching.py": "from gevent.monkey import "
                                                 "patch_all\npatch_all()\n",
                                                 "wsgi.py": "import patching\nfrom app import app\n"})
    assert make_plan(imported, confirm=False, installed=False).entry.cooperative == "gevent"


def test_a_patch_that_does_not_run_on_import_keeps_granian_and_the_users_server_choice_wins(tmp_path):
    guarded = make_tree(tmp_path / "guarded", {**FLASK_PACKAGE, "wsgi.py": "from app import app\n\n"
                        "if __name__ == '__main__':\n    from gevent import monkey\n    monkey.patch_all()\n"
                        "    app.run()\n"})
    plan = make_plan(guarded, confirm=False, installed=False)
    assert plan.entry.cooperative is None and plan.settings["server"] == "granian"
    in_a_function = make_tree(tmp_path / "function", {**FLASK_PACKAGE, "wsgi.py": "from app import app\n\n"
                              "def serve():\n    from gevent import monkey\n    monkey.patch_all()\n"})
    assert make_plan(in_a_function, confirm=False, installed=False).entry.cooperative is None
    patched = make_tree(tmp_path / "patched", {**FLASK_PACKAGE, "wsgi.py": GEVENT_WSGI})
    assert make_plan(patched, {"server": "granian"}, confirm=False, installed=False).settings["server"] == "granian"
    # a threaded gunicorn the user asks for still gets gevent's worker: its threads cannot run the app either
    chosen = make_plan(patched, {"server": "gunicorn"}, confirm=False, installed=False)
    assert 'worker_class = "gevent"' in _gunicorn_conf(chosen)


DJANGO_IN_SRC = {
    "src/manage.py": "import os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_conf.settings')\n"
                     "from django.core.management import execute_from_command_line\n"
                     "execute_from_command_line(sys.argv)\n",
    "src/site_conf/__init__.py": "",
    "src/site_conf/settings.py": "SECRET_KEY = 'x'\nROOT_URLCONF = 'site_conf.urls'\nALLOWED_HOSTS = ['*']\n",
    "src/site_conf/urls.py": "from django.urls import path\nfrom notes import views\n\n"
                             "urlpatterns = [path('', views.index)]\n",
    "src/notes/__init__.py": "",
    "src/notes/views.py": "from django.http import HttpResponse\n\n\ndef index(request):\n    return HttpResponse('hi')\n",
    "src/site_conf/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_conf.settings')\n"
                             "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
    "requirements.txt": "Django>=4.2\n",
    ".python-version": "3.12\n"}


def test_an_app_that_runs_from_a_folder_holding_an_init_py_gets_gunicorn(tmp_path):
    # a 2024 Django project keeps manage.py in src/, beside a stray src/__init__.py that imports src/celery.py, which
    # is not committed: granian, like Flask's prepare_import, walks up every folder with an __init__.py and imports
    # `src.site_conf.wsgi` (running that __init__.py first, and failing for a folder named with dashes); gunicorn
    # imports `site_conf.wsgi` as named
    granian_internal = pytest.importorskip("granian._internal")
    plain = make_tree(tmp_path / "plain", DJANGO_IN_SRC)
    plan = make_plan(plain, confirm=False, installed=False)
    assert (plan.workdir, plan.entry.target, plan.settings["server"]) == ("src", "site_conf.wsgi:application",
                                                                          "granian")
    stray = make_tree(tmp_path / "stray", {**DJANGO_IN_SRC, "src/__init__.py": "from .celery import app\n"})
    plan = make_plan(stray, confirm=False, installed=False)
    assert (plan.workdir, plan.entry.target, plan.settings["server"]) == ("src", "site_conf.wsgi:application",
                                                                          "gunicorn")
    assert any(d.name == "gunicorn" for d in plan.dependencies) and not any(d.name == "granian"
                                                                           for d in plan.dependencies)
    # the mechanism, with granian's own import preparation: run from src/, the target's name gains `src.`
    here, path = os.getcwd(), list(sys.path)
    try:
        os.chdir(stray / "src")
        assert granian_internal.prepare_import("site_conf.wsgi") == "src.site_conf.wsgi"
        os.chdir(plain / "src")
        assert granian_internal.prepare_import("site_conf.wsgi") == "site_conf.wsgi"
    finally:
        os.chdir(here)
        sys.path[:] = path
