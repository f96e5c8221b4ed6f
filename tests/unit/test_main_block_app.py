"""An app made only in a script's `__main__` block (Pyramid's quick tutorial: Configurator, routes and
make_wsgi_app() under the guard, then wsgiref's make_server(...).serve_forever()): found when nothing else is,
proven and served by running the script as __main__ with its server made a no-op."""

from __future__ import annotations

import sys

from shipyard.detect import entry
from shipyard.planner import make_plan
from shipyard.project import Project
from shipyard.render import render

from conftest import make_tree

PYRAMID_QUICK_TUTORIAL = {"app.py": """
    from wsgiref.simple_server import make_server
    from pyramid.config import Configurator
    from pyramid.response import Response


    def hello_world(request):
        return Response("hello from a pyramid __main__ block")


    if __name__ == "__main__":
        with Configurator() as config:
            config.add_route("hello", "/")
            config.add_view(hello_world, route_name="hello")
            app = config.make_wsgi_app()
        server = make_server("0.0.0.0", 6543, app)
        server.serve_forever()
    """}


def test_an_app_made_under_the_main_guard_is_served_by_running_the_script_as_main(tmp_path):
    root = make_tree(tmp_path / "app", PYRAMID_QUICK_TUTORIAL)
    found = entry.find(Project(root), None)
    assert (found.framework, found.entry.target, found.entry.kind, found.entry.main_setup) == \
        ("pyramid", "app:app", "attribute", True)
    assert any("`if __name__ == '__main__':` block" in n for n in found.notes)
    # the proof runs it as __main__ (make_server's serve_forever made a no-op) and finds a WSGI app in its globals
    entry.confirm(Project(root), found, sys.executable, 30.0)
    shim = render(make_plan(root, confirm=False), only=("shipyard_entry.py",))["shipyard_entry.py"]
    assert 'runpy.run_module("app", run_name="__main__"' in shim and 'app = main_app(_module, "app")' in shim


def test_a_module_level_app_elsewhere_wins_over_one_made_under_a_guard(tmp_path):
    root = make_tree(tmp_path / "app", {**PYRAMID_QUICK_TUTORIAL, "wsgi.py": """
        import falcon

        application = falcon.App()
        """})
    assert entry.find(Project(root), None).entry.target == "wsgi:application"


def test_a_guard_that_only_runs_an_imported_app_makes_nothing(tmp_path):
    # no app is made in the block, and nothing at module level: still "no web app found"
    root = make_tree(tmp_path / "app", {"run.py": """
        from wsgiref.simple_server import make_server
        from somewhere import build

        if __name__ == "__main__":
            make_server("", 8000, build()).serve_forever()
        """})
    import pytest

    from shipyard.errors import AppNotFound
    with pytest.raises(AppNotFound):
        entry.find(Project(root), None)


def test_a_folder_named_like_the_framework_it_imports_is_run_from_inside(tmp_path):
    # pyramid/app.py (no __init__.py) beside the repository's html pages: `from pyramid.config import` is the
    # installed package, not a module of that folder, so the script runs from pyramid/ as `python app.py` does
    # (as `pyramid.app` it would be looked up inside the installed pyramid package, and not be found)
    root = make_tree(tmp_path / "repo", {"pyramid/app.py": PYRAMID_QUICK_TUTORIAL["app.py"],
                                         "index.html": "<a href='about/aboutme.html'>about</a>\n",
                                         "about/aboutme.html": "<p>me</p>\n"})
    found = entry.find(Project(root), None)
    assert (found.workdir, found.entry.target, found.entry.main_setup) == ("pyramid", "app:app", True)
    entry.confirm(Project(root), found, sys.executable, 30.0)


def test_a_folder_importing_a_module_of_the_folder_above_still_runs_from_there(tmp_path):
    # the same layout, but its import is the project's own (lib/config.py at the root): run from the root
    root = make_tree(tmp_path / "repo", {
        "lib/__init__.py": "",
        "lib/config.py": "ROUTE = '/'\n",
        "site/app.py": PYRAMID_QUICK_TUTORIAL["app.py"].replace(
            "from pyramid.response import Response", "from pyramid.response import Response\n    from lib.config import ROUTE")})
    found = entry.find(Project(root), None)
    assert (found.workdir, found.entry.target) == (".", "site.app:app")
