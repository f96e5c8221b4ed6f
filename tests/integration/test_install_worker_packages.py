"""A gunicorn worker's package the app pins for its own way to run (a Procfile's `gunicorn -k gevent`) and its code
never imports is left out of the proof and of `serve --install` up front, not built: a 2016 ping service pins
gevent==1.1b5, a 2015 beta with no wheel for the Python it runs on, whose source build (failed, then again with the
setuptools of its time) outlasted serve's time limit; Shipyard's server runs its own worker. Real uv installs."""

from __future__ import annotations

import subprocess

import pytest

from conftest import make_tree
from shipyard.detect import entry
from shipyard import planner
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.proving import proof_requirements
from shipyard.render import Target, render
from shipyard.run.appenv import install_app_env

pytestmark = pytest.mark.slow

WSGI = """
    import bottle

    application = bottle.default_app()


    @bottle.route("/ping")
    def ping():
        return "pong"
    """


def _slow_gevent(folder, marker):
    # stands for gevent 1.1b5's sdist: its build runs (and would take minutes) and fails; the marker says it ran
    return make_tree(folder, {"setup.py": f"import sys\nopen({str(marker)!r}, 'w').write('built')\n"
                                          "sys.exit('gevent/libev: compiling from source failed')\n"})


def test_a_worker_package_only_the_procfile_names_is_left_out_of_the_proof_and_the_install(tmp_path, monkeypatch):
    marker = tmp_path / "gevent-built"
    slow = _slow_gevent(tmp_path / "gevent-src", marker)
    root = make_tree(tmp_path / "ping", {
        "wsgi.py": WSGI,
        "Procfile": "web: gunicorn -k gevent --preload -c gunicorn_config.py wsgi:application\n",
        "gunicorn_config.py": "worker_class = 'gevent'\nbind = '0.0.0.0:5000'\n",
        "requirements.txt": f"bottle==0.12.25\ngevent @ {slow.as_uri()}\n",
    })
    plan = make_plan(root, confirm=False, installed=False)
    # the plan (and so the image) goes without it, saying why
    assert "gevent" not in [d.name for d in plan.dependencies]
    assert [release for release, _ in plan.left_out] == [f"gevent @ {slow.as_uri()}"]
    assert "gunicorn worker class" in plan.left_out[0][1] and "never imports it" in plan.left_out[0][1]
    dockerfile = render(plan, Target.image())["Dockerfile"]
    assert "'gevent ; sys_platform == \"never\"' >/tmp/relaxed-pins.txt" in dockerfile
    project = Project(root)
    assert proof_requirements(project, plan.dependencies, entry.find(project, None)) == ("bottle==0.12.25",)
    # a plan that still lists it (made by an earlier Shipyard): serve's install leaves it out up front all the same
    monkeypatch.setattr(planner, "_leave_out_unused_workers", lambda project, found, dependencies, server:
                        (dependencies, ()))
    plan = make_plan(root, confirm=False, installed=False)
    assert "gevent" in [d.name for d in plan.dependencies]
    said: list[str] = []
    env = install_app_env(root, plan, said.append)
    assert any(line.startswith("installing without gevent @ ") and "never imports it" in line
               and "worker_class 'gevent'" in line for line in said), said
    assert not marker.exists(), "the worker's package was built"
    served = subprocess.run([env.python, "-c", "import wsgi; print(wsgi.application is not None)"], cwd=root,
                            capture_output=True, text=True, timeout=60)
    assert served.returncode == 0 and "True" in served.stdout, served.stderr


def test_a_worker_package_the_code_imports_is_installed(tmp_path):
    # the app patches itself with gevent: its code needs it, and the install builds it (and says it does not build)
    marker = tmp_path / "gevent-built"
    slow = _slow_gevent(tmp_path / "gevent-src", marker)
    root = make_tree(tmp_path / "patched", {
        "wsgi.py": "from gevent import monkey\nmonkey.patch_all()\n" + "\n".join(
            line[4:] for line in WSGI.splitlines()),
        "Procfile": "web: gunicorn -k gevent wsgi:application\n",
        "requirements.txt": f"bottle==0.12.25\ngevent @ {slow.as_uri()}\n",
    })
    plan = make_plan(root, confirm=False, installed=False)
    project = Project(root)
    assert any(r.startswith("gevent") for r in proof_requirements(project, plan.dependencies,
                                                                  entry.find(project, None)))
    with pytest.raises(Exception, match="gevent"):
        install_app_env(root, plan, [].append)
    assert marker.exists()


def test_a_worker_package_another_process_of_the_app_runs_with_is_kept(tmp_path):
    # the Procfile's celery worker runs with gevent's pool, and a task module imports gevent: both are the app's
    # own processes, which need it whatever serves the web entry
    files = {"wsgi.py": WSGI, "requirements.txt": "bottle==0.12.25\ngevent==24.2.1\ncelery==5.3.6\n",
             "tasks.py": "from celery import Celery\n\napp = Celery('tasks')\n"}
    procfile = "web: gunicorn -k gevent wsgi:application\nworker: celery -A tasks worker -P gevent\n"
    root = make_tree(tmp_path / "pool", {**files, "Procfile": procfile})
    assert "gevent" in [d.name for d in make_plan(root, confirm=False, installed=False).dependencies]
    imported = make_tree(tmp_path / "imported", {**files, "Procfile": "web: gunicorn -k gevent wsgi:application\n",
                                                 "tasks.py": files["tasks.py"] + "import gevent\n"})
    assert "gevent" in [d.name for d in make_plan(imported, confirm=False, installed=False).dependencies]
    alone = make_tree(tmp_path / "alone", {**files, "Procfile": "web: gunicorn -k gevent wsgi:application\n"})
    assert "gevent" not in [d.name for d in make_plan(alone, confirm=False, installed=False).dependencies]
