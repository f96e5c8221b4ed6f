"""Routes a script's `if __name__ == '__main__':` block adds to an imported app through a class it hands the app to.

A 2018 crawler API's run.py: `from app.routers.routers import BaseView` and `from app.create_app.create import app`,
then under the guard `BaseView.register(app)` (Flask-Classy's FlaskView routing itself onto the app) and app.run().
Imported as run:app the app has no routes at all (every path 404); `python run.py`, what its README and Dockerfile
run, serves them. The entry is the script: shipyard_entry.py runs run.py as __main__ with app.run() a no-op."""

from __future__ import annotations

import socket
import textwrap
from pathlib import Path

import pytest

from shipyard.errors import AmbiguousApp
from shipyard.planner import make_plan
from shipyard.render import render
from test_servers_at_import import served_through_the_shim


def _crawler(root: Path, dev_port: int, main_block: str) -> Path:
    (root / "app" / "create_app").mkdir(parents=True)
    (root / "app" / "routers").mkdir()
    for package in ("app", "app/create_app", "app/routers"):
        (root / package / "__init__.py").write_text("")
    (root / "app" / "create_app" / "create.py").write_text(textwrap.dedent("""\
        from flask import Flask


        def create():
            return Flask(__name__)


        app = create()
        """))
    # a FlaskView's shape, without Flask-Classy: a class whose classmethod adds its routes to the app it is given
    (root / "app" / "routers" / "routers.py").write_text(textwrap.dedent("""\
        class BaseView:
            route_base = "/api/getemail/"

            @classmethod
            def register(cls, app):
                app.add_url_rule(cls.route_base + "<token>/", "get", lambda token: "no result for " + token)
        """))
    (root / "run.py").write_text("from app.routers.routers import BaseView\nfrom app.create_app.create import app\n\n\n"
                                 "if __name__ == '__main__':\n"
                                 + textwrap.indent(main_block.format(port=dev_port), "    ") + "\n")
    (root / "requirements.txt").write_text("Flask\n")
    return root


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_view_class_registered_on_the_app_under_main_is_served_by_running_the_script(tmp_path):
    dev_port = _free_port()
    root = _crawler(tmp_path / "crawler", dev_port,
                    "BaseView.register(app)\napp.run(host='0.0.0.0', port={port})")
    plan = make_plan(root, confirm=False, installed=False)
    assert (plan.entry.target, plan.entry.main_setup) == ("run:app", True)
    assert any("run.py" in note and "__main__" in note for note in plan.notes)
    (root / "shipyard_entry.py").write_text(render(plan)["shipyard_entry.py"])
    assert served_through_the_shim(root, dev_port, "/api/getemail/abc/") == {
        "status": "200 OK", "body": "no result for abc", "listening": False}


@pytest.mark.parametrize("main_block", ["app.run(host='0.0.0.0', port={port})",
                                        "print(BaseView.route_base)\napp.run(port={port})"])
def test_a_guard_that_hands_the_app_to_nothing_keeps_the_plain_import(tmp_path, main_block):
    # no call hands the app over (a print of the class is no setup): run:app imported as it is, no shim
    root = _crawler(tmp_path / "crawler", 8000, main_block)
    plan = make_plan(root, confirm=False, installed=False)
    assert not plan.entry.main_setup and "shipyard_entry.py" not in render(plan)


@pytest.mark.parametrize("decorator", ["@app.route('/hello')", "@app.get('/hello')"])
def test_routes_decorated_under_the_main_guard_are_served_by_running_the_script(tmp_path, decorator):
    # the app made at module level, its routes defined (decorated) only inside the guard beside app.run(): imported
    # as app:app it has none (every path 404); the script is run as __main__ with app.run() a no-op
    dev_port = _free_port()
    root = tmp_path / "guarded"
    root.mkdir()
    (root / "app.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n\n"
                                 "if __name__ == '__main__':\n"
                                 f"    {decorator}\n"
                                 "    def hello():\n"
                                 "        return 'hello from the guard'\n\n"
                                 f"    app.run(port={dev_port})\n")
    (root / "requirements.txt").write_text("Flask\n")
    plan = make_plan(root, confirm=False, installed=False)
    assert (plan.entry.target, plan.entry.main_setup) == ("app:app", True)
    (root / "shipyard_entry.py").write_text(render(plan)["shipyard_entry.py"])
    assert served_through_the_shim(root, dev_port, "/hello") == {
        "status": "200 OK", "body": "hello from the guard", "listening": False}


def _imported_under_the_guard(root: Path, dev_port: int, main_block: str) -> Path:
    # the crawler with run.py importing the app and the view class only inside its guard, and a hello-world module
    # beside them whose own app has a route (the decoy a reading of module level alone picks)
    _crawler(root, dev_port, "")
    (root / "app" / "hello.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n\n\n"
                                           "@app.route('/')\ndef hello():\n    return 'hello'\n")
    (root / "run.py").write_text("if __name__ == '__main__':\n"
                                 "    from app.routers.routers import BaseView\n"
                                 "    from app.create_app.create import app\n"
                                 + textwrap.indent(main_block.format(port=dev_port), "    ") + "\n")
    return root


def test_an_app_imported_set_up_and_run_under_the_guard_is_the_scripts(tmp_path):
    dev_port = _free_port()
    root = _imported_under_the_guard(tmp_path / "crawler", dev_port,
                                     "app.secret_key = 'x'\nBaseView.register(app)\napp.run(port={port})")
    plan = make_plan(root, confirm=False, installed=False)
    assert (plan.entry.target, plan.entry.main_setup) == ("run:app", True)
    assert not any("outside `if __name__" in note for note in plan.notes)
    (root / "shipyard_entry.py").write_text(render(plan)["shipyard_entry.py"])
    assert served_through_the_shim(root, dev_port, "/api/getemail/abc/") == {
        "status": "200 OK", "body": "no result for abc", "listening": False}


def test_a_guard_that_only_imports_and_runs_the_app_leaves_the_entry_where_it_was(tmp_path):
    # nothing set up under the guard: the two module-level apps, as before, and run.py is none of them
    root = _imported_under_the_guard(tmp_path / "crawler", 8000, "app.run(port={port})")
    with pytest.raises(AmbiguousApp, match="found 2 apps") as raised:
        make_plan(root, confirm=False, installed=False)
    assert "run:app" not in str(raised.value)
