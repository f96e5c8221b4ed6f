"""A Pyramid app whose only paste ini is development.ini, including the debug toolbar (a tutorial step folder): the
entry is that ini, loaded without the development add-on (its debugger must not be served; the requirements often
leave it out) through a derived ini that uses the app's (paste_drop.py)."""

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


def test_a_development_add_on_of_the_only_ini_is_left_out_in_production(tmp_path):
    root = make_tree(tmp_path / "step", TUTORIAL)
    found = entry.find(Project(root), None)
    assert (found.entry.kind, found.entry.paste_ini) == ("paste", "development.ini")
    assert found.entry.paste_drops == ("pyramid_debugtoolbar",)
    assert any("development.ini is a development ini" in n and "pyramid_debugtoolbar" in n for n in found.notes)
    # not installed (the requirements leave it out): the app imports without it
    entry.confirm(Project(root), found, sys.executable, 30.0)
    # installed (the cookiecutter's setup.py declares it): still left out, the app's ini unchanged
    (root / "pyramid_debugtoolbar.py").write_text("def includeme(config):\n    raise RuntimeError('included')\n")
    entry.confirm(Project(root), found, sys.executable, 30.0)
    assert "pyramid_debugtoolbar" in (root / "development.ini").read_text()


def test_the_derived_ini_keeps_the_apps_other_includes_and_settings(tmp_path, monkeypatch):
    from paste.deploy.loadwsgi import appconfig
    from shipyard import paste_drop
    root = make_tree(tmp_path / "step", {**TUTORIAL, "development.ini": """
        [app:main]
        use = call:tutorial:main
        pyramid.includes =
            pyramid_debugtoolbar
            pyramid_tm
        sqlalchemy.url = sqlite:///%(here)s/app.sqlite
        """})
    monkeypatch.syspath_prepend(str(root))
    derived = paste_drop.derived_ini(str(root / "development.ini"), ("pyramid_debugtoolbar",), str(tmp_path))
    settings = appconfig(f"config:{derived}", relative_to=str(tmp_path))
    assert settings["pyramid.includes"].split() == ["pyramid_tm"]
    assert settings["sqlalchemy.url"] == f"sqlite:///{root}/app.sqlite"      # %(here)s is still the app's folder


def test_a_production_ini_keeps_what_it_includes(tmp_path):
    root = make_tree(tmp_path / "step", {"tutorial/__init__.py": TUTORIAL["tutorial/__init__.py"],
                                         "production.ini": TUTORIAL["development.ini"]})
    assert entry.find(Project(root), None).entry.paste_drops == ()


def test_a_missing_add_on_a_production_ini_includes_is_still_a_package_to_install(tmp_path):
    from shipyard.errors import MissingDependency
    files = {"tutorial/__init__.py": TUTORIAL["tutorial/__init__.py"], "production.ini": TUTORIAL["development.ini"]}
    root = make_tree(tmp_path / "step", files)
    found = entry.find(Project(root), None)
    assert found.entry.paste_ini == "production.ini"
    with pytest.raises(MissingDependency):
        entry.confirm(Project(root), found, sys.executable, 30.0)


def test_the_generated_gunicorn_config_loads_the_derived_ini(tmp_path, monkeypatch):
    from shipyard.planner import make_plan
    from shipyard.render import render
    root = make_tree(tmp_path / "step", {**TUTORIAL, "requirements.txt": "pyramid\n"})
    plan = make_plan(root, confirm=False, installed=False)
    assert plan.entry.paste_drops == ("pyramid_debugtoolbar",) and plan.settings["server"] == "gunicorn"
    text = render(plan)["gunicorn.conf.py"]
    monkeypatch.setenv("SHIPYARD_CHDIR", str(root))
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)
    settings: dict = {}
    exec(compile(text, "gunicorn.conf.py", "exec"), settings)
    assert settings["wsgi_app"] == settings["paste"] != str(root / "development.ini")
    derived = open(settings["paste"]).read()
    assert f"use = config:{root / 'development.ini'}#main" in derived and "pyramid_debugtoolbar" not in derived
