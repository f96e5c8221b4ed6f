"""Paste .ini files that interpolate names they do not define (`sqlalchemy.url = %(DATABASE_URL)s`): their
deployment passes them as variables (`pserve production.ini DATABASE_URL=...`, gunicorn's --paste-global).
The proof and the generated gunicorn.conf.py give them from the environment; an unset one is said by name."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from shipyard.detect import entry
from shipyard.detect.entry.paste import paste_variables
from shipyard.errors import AppConfigError
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.render import Target, render

PY = sys.executable
# a URL with `=` in it: gunicorn splits NAME=value at the first unescaped one
URL = "postgresql+psycopg://greeter:secret@127.0.0.1:5432/greeter?application_name=web"

PRODUCTION_INI = """\
[DEFAULT]
shared = yes

[app:main]
use = call:greeter:main
greeting.database = %(DATABASE_URL)s
greeting.folder = %(here)s
greeting.shared = %(shared)s
greeting.literal = 100%%(sure)s

[server:main]
use = egg:gunicorn#main
bind = %(BIND)s
workers = %(WORKERS)s
"""


def greeter(root: Path) -> Path:
    """A Pyramid app whose production.ini takes its database URL (and, for pserve's gunicorn, bind and workers)
    as variables, as a Heroku container app's supervisord runs `pserve production.ini DATABASE_URL=...`."""
    (root / "greeter").mkdir(parents=True)
    (root / "greeter" / "__init__.py").write_text(textwrap.dedent("""\
        from pyramid.config import Configurator
        from pyramid.response import Response


        def main(global_config, **settings):
            def hello(request):
                return Response(settings["greeting.database"])

            with Configurator(settings=settings) as config:
                config.add_route("hello", "/")
                config.add_view(hello, route_name="hello")
            return config.make_wsgi_app()
        """))
    (root / "production.ini").write_text(PRODUCTION_INI)
    (root / "requirements.txt").write_text("pyramid\nplaster_pastedeploy\n")
    return root


def test_the_names_an_app_section_interpolates_without_defining_them():
    # [DEFAULT]'s and paste's own (here, __file__, plaster's ENV_*) are defined; the server's are not loaded
    assert paste_variables(PRODUCTION_INI) == ("DATABASE_URL",)
    pipeline = "[pipeline:main]\npipeline = prefix app\n[filter:prefix]\nuse = egg:PasteDeploy#prefix\n" \
               "prefix = %(PREFIX)s\n[app:app]\nuse = call:greeter:main\nurl = %(ENV_DATABASE_URL)s\n"
    assert paste_variables(pipeline) == ("PREFIX",)
    assert paste_variables("[app:main]\nuse = call:greeter:main\nsqlalchemy.url = sqlite:///%(here)s/a.db\n") == ()


def test_the_proof_gives_the_variables_from_the_environment_and_names_an_unset_one(tmp_path):
    root = greeter(tmp_path / "greeter")
    project = Project(root)
    found = entry.find(project, None)
    assert (found.entry.paste_ini, found.entry.paste_vars) == ("production.ini", ("DATABASE_URL",))
    assert "interpolates %(DATABASE_URL)s" in " ".join(found.notes)
    entry.confirm(project, found, PY, 60, {"DATABASE_URL": URL, "PATH": "/usr/bin:/bin"})
    with pytest.raises(AppConfigError) as raised:
        entry.confirm(project, found, PY, 60, {"PATH": "/usr/bin:/bin"})
    assert "DATABASE_URL" in str(raised.value) and raised.value.variables == ("DATABASE_URL",)


def test_the_generated_gunicorn_config_passes_them_to_the_paste_loader(tmp_path):
    """gunicorn loads the app as the generated gunicorn.conf.py says (its own paste loader, not started): the
    app gets the environment's DATABASE_URL, `=` and all."""
    root = greeter(tmp_path / "greeter")
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.settings["server"] == "gunicorn" and plan.entry.paste_vars == ("DATABASE_URL",)
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    target = Target.local(root, run_dir, Path(PY).parent.parent)     # as serve renders it for this machine
    (run_dir / "gunicorn.conf.py").write_text(render(plan, target)["gunicorn.conf.py"])
    check = textwrap.dedent("""\
        import io, json, sys
        from gunicorn.app.wsgiapp import WSGIApplication
        sys.argv = ["gunicorn", "-c", sys.argv[1]]
        app = WSGIApplication().load()
        out = {}
        def start_response(status, headers, exc_info=None):
            out["status"] = status
        body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": "/", "SERVER_NAME": "x", "SERVER_PORT": "80",
                             "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr},
                            start_response))
        print(json.dumps({"status": out["status"], "body": body.decode()}))
        """)
    done = subprocess.run([PY, "-c", check, str(run_dir / "gunicorn.conf.py")], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={"DATABASE_URL": URL, "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"status": "200 OK", "body": URL}
