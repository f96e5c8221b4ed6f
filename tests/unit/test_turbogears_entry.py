"""TurboGears 2 apps: a configurator from `tg` gives the app by `config.make_wsgi_app()`, as Pyramid's does; read
as TurboGears (its distribution TurboGears2, which provides the `tg` import), not as Pyramid. Served with a real
install: bench/corpus.json's turbogears-minimal-module-level-wsgiref-port-env-azure-webconfig."""

from __future__ import annotations

import textwrap

from shipyard.detect import entry
from shipyard.detect.imports import distribution_for
from shipyard.project import Project

from conftest import make_tree

TG_MINIMAL = textwrap.dedent("""
    from tg import expose, TGController, MinimalApplicationConfigurator
    from wsgiref.simple_server import make_server
    import os


    class RootController(TGController):
        @expose()
        def index(self):
            return 'Hello World'


    config = MinimalApplicationConfigurator()
    config.update_blueprint({'root_controller': RootController()})

    application = config.make_wsgi_app()

    httpd = make_server('0.0.0.0', int(os.environ.get('PORT')), application)
    httpd.serve_forever()
""")


def test_a_turbogears_minimal_app_is_read_as_turbogears(tmp_path):
    found = entry.find(Project(make_tree(tmp_path / "app", {"tgapp.py": TG_MINIMAL})), None)
    assert (found.framework, found.entry.target, found.entry.interface) == ("turbogears", "tgapp:application", "wsgi")
    assert distribution_for("tg") == "TurboGears2"


def test_pyramids_make_wsgi_app_stays_pyramid(tmp_path):
    app = textwrap.dedent("""
        from pyramid.config import Configurator
        from pyramid.response import Response


        def hello(request):
            return Response('hi')


        with Configurator() as config:
            config.add_route('hello', '/')
            config.add_view(hello, route_name='hello')
            app = config.make_wsgi_app()
    """)
    found = entry.find(Project(make_tree(tmp_path / "app", {"app.py": app})), None)
    assert (found.framework, found.entry.target) == ("pyramid", "app:app")
