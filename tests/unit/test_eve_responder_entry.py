"""Eve and Responder apps: `app = Eve(settings=SETTINGS)` (a Flask subclass whose endpoints come from the settings'
DOMAIN, no route call) and `api = responder.API()` with `@api.route` handlers (ASGI). Neither was a framework
Shipyard knew: a 2016 Eve API (src/wsgi.py: `from run import app`) and a 2019 Responder study (hello.py) both got
"no web app found". Served with real installs in tests/integration/test_frameworks_serve.py."""

from __future__ import annotations

import textwrap

import pytest

from shipyard.detect import entry
from shipyard.errors import AppNotFound
from shipyard.planner import make_plan
from shipyard.project import Project

from conftest import FIXTURES, make_tree

APPS = FIXTURES / "apps"


def found_in(root):
    return entry.find(Project(root), None)


def test_an_eve_app_made_from_its_settings_domain_is_the_entry():
    f = found_in(APPS / "eve_domain_settings")
    # wsgi.py re-exports run.py's app: the module named for WSGI servers is the one they load
    assert (f.framework, f.entry.target, f.entry.kind, f.entry.interface) == ("eve", "wsgi:app", "attribute", "wsgi")


def test_an_eve_app_with_no_route_call_at_all_is_real(tmp_path):
    # the quickstart: run.py holds only `app = Eve()`; settings.py beside it (read by Eve itself) has the DOMAIN
    root = make_tree(tmp_path / "api", {
        "run.py": "from eve import Eve\napp = Eve()\n\nif __name__ == '__main__':\n    app.run()\n",
        "settings.py": "DOMAIN = {'people': {}}\n",
        "requirements.txt": "Eve==0.6.4\n"})
    f = found_in(root)
    assert (f.framework, f.entry.target, f.entry.interface) == ("eve", "run:app", "wsgi")
    assert make_plan(root, confirm=False).settings["server"] in ("granian", "gunicorn")


def test_a_responder_api_is_the_asgi_entry():
    f = found_in(APPS / "responder_api")
    assert (f.framework, f.entry.target, f.entry.kind, f.entry.interface) == ("responder", "hello:api", "attribute", "asgi")


def test_a_responder_api_imported_from_the_module_path(tmp_path):
    root = make_tree(tmp_path / "svc", {
        "service.py": textwrap.dedent("""
            from responder import API

            api = API(static_dir="assets")
            api.add_route("/", lambda req, resp: setattr(resp, "text", "ok"))
        """),
        "requirements.txt": "responder\n"})
    f = found_in(root)
    assert (f.framework, f.entry.target, f.entry.interface) == ("responder", "service:api", "asgi")


def test_a_module_named_like_the_frameworks_is_not_their_app(tmp_path):
    # a class of the app's own called API, in a module that imports nothing from responder, makes no app
    root = make_tree(tmp_path / "lib", {"client.py": "class API:\n    pass\n\n\napi = API()\n",
                                        "requirements.txt": "requests\n"})
    with pytest.raises(AppNotFound):
        found_in(root)
