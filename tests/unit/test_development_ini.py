"""A Pyramid app whose only paste ini is development.ini, including the debug toolbar that its requirements leave
out (a tutorial step folder): the entry is that ini (not proven), and the import check says to write a production
ini without the development add-on, instead of asking to install it (its debugger must not be served)."""

from __future__ import annotations

import sys

import pytest

from shipyard.detect import entry
from shipyard.errors import AppConfigError
from shipyard.project import Project

from conftest import make_tree

TUTORIAL = {
    "tutorial/__init__.py": """
        from pyramid.config import Configurator
        from pyramid.response import Response


        def home(request):
            return Response("home")


        def main(global_config, **settings):
            config = Configurator(settings=settings)
            config.add_route("home", "/")
            config.add_view(home, route_name="home")
            return config.make_wsgi_app()
        """,
    "development.ini": """
        [app:main]
        use = call:tutorial:main
        pyramid.includes =
            pyramid_debugtoolbar

        [server:main]
        use = egg:waitress#main
        listen = localhost:6543
        """,
}


def test_a_development_add_on_of_the_only_ini_is_a_setup_step_not_a_package_to_install(tmp_path):
    root = make_tree(tmp_path / "step", TUTORIAL)
    found = entry.find(Project(root), None)
    assert (found.entry.kind, found.entry.paste_ini) == ("paste", "development.ini")
    with pytest.raises(AppConfigError) as err:
        entry.confirm(Project(root), found, sys.executable, 30.0)
    assert "'pyramid_debugtoolbar', which development.ini includes (pyramid.includes)" in err.value.message
    assert err.value.hint.startswith("write a production.ini without it")


def test_a_missing_add_on_a_production_ini_includes_is_still_a_package_to_install(tmp_path):
    from shipyard.errors import MissingDependency
    files = {"tutorial/__init__.py": TUTORIAL["tutorial/__init__.py"], "production.ini": TUTORIAL["development.ini"]}
    root = make_tree(tmp_path / "step", files)
    found = entry.find(Project(root), None)
    assert found.entry.paste_ini == "production.ini"
    with pytest.raises(MissingDependency):
        entry.confirm(Project(root), found, sys.executable, 30.0)
