"""`python -m django migrate` with a Django older than 1.9, which has no django/__main__.py: the release runs the
same command line through django.core.management (a 2014 app moved to Django 1.8 by the import proof)."""

from __future__ import annotations

import os
import sys

from conftest import make_tree
from shipyard.run import migrate


def _fake_django(root, with_main):
    files = {"django/__init__.py": "",
             "django/core/__init__.py": "",
             "django/core/management/__init__.py":
                 "import os\n\ndef execute_from_command_line(argv):\n"
                 "    open(os.environ['RAN'], 'w').write(' '.join(argv))\n"}
    if with_main:
        files["django/__main__.py"] = ("import os, sys\n"
                                       "open(os.environ['RAN'], 'w').write('main ' + ' '.join(sys.argv[1:]))\n")
    return make_tree(root, files)


def test_migrate_runs_through_management_when_django_has_no_main(tmp_path):
    for with_main, ran in ((False, "django-admin migrate --noinput"), (True, "main migrate --noinput")):
        site = _fake_django(tmp_path / f"site-{with_main}", with_main)
        record = tmp_path / f"ran-{with_main}"
        environ = {**os.environ, "PYTHONPATH": str(site), "RAN": str(record)}
        argv = [sys.executable, "-m", "django", "migrate", "--noinput"]
        code, _ = migrate._call(argv, tmp_path, environ, 60, "Django migrate")
        assert code == 0 and record.read_text() == ran
    # anything else is run as it is
    assert migrate._without_django_main([sys.executable, "manage.py", "migrate"], tmp_path, os.environ) == \
        [sys.executable, "manage.py", "migrate"]


def test_the_images_runtime_runs_python_m_django_through_management_too(tmp_path):
    """The image's release (`shipyard_runtime.py exec python -m django migrate --noinput`) on a Django before 1.9."""
    import subprocess
    from shipyard.planner import make_plan
    from shipyard.render import Target, render
    from conftest import EXAMPLES
    app = EXAMPLES / "django-site"     # the shim is rendered for Django projects only
    runtime = tmp_path / "shipyard_runtime.py"
    runtime.write_text(render(make_plan(app, confirm=False, installed=False), Target.image())["shipyard_runtime.py"])
    for with_main, ran in ((False, "django-admin migrate --noinput"), (True, "main migrate --noinput")):
        site = _fake_django(tmp_path / f"site-{with_main}", with_main)
        record = tmp_path / f"image-ran-{with_main}"
        environ = {**os.environ, "PYTHONPATH": str(site), "RAN": str(record)}
        done = subprocess.run([sys.executable, str(runtime), "exec", sys.executable, "-m", "django", "migrate",
                               "--noinput"], env=environ, cwd=tmp_path, timeout=60)
        assert done.returncode == 0 and record.read_text() == ran


def test_only_a_django_projects_runtime_carries_the_shim(tmp_path):
    from conftest import EXAMPLES
    from shipyard.planner import make_plan
    from shipyard.render import Target, render
    flask = render(make_plan(EXAMPLES / "hello", confirm=False, installed=False), Target.image())["shipyard_runtime.py"]
    assert "DJANGO_ADMIN" not in flask and "def _without_django_main(argv):\n    return argv\n" in flask
