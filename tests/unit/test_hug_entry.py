"""hug apps: `@hug.get()` on a module's functions makes that module's API, and hug itself sets the module's WSGI
callable as `__hug_wsgi__` (what `gunicorn app:__hug_wsgi__` serves); no line of the app names it. Served with a
real install: bench/corpus.json's hug-api-module-hug-wsgi-waitress-runner-azure-webconfig."""

from __future__ import annotations

import textwrap

import pytest

from shipyard.detect import entry
from shipyard.errors import AppNotFound
from shipyard.project import Project

from conftest import make_tree

HUG_API = textwrap.dedent("""
    import hug


    @hug.get(examples='name=Gandalf&age=2019')
    @hug.local()
    def happy_birthday(name: hug.types.text, age: hug.types.number, hug_timer=3):
        return {'message': 'Happy {0} Birthday {1}!'.format(age, name)}


    @hug.post('/echo')
    def echo(body):
        return body
""")


def found(tmp_path, files):
    return entry.find(Project(make_tree(tmp_path / "app", files)), None)


def test_a_hug_module_is_served_by_the_wsgi_app_hug_sets_on_it(tmp_path):
    f = found(tmp_path, {"app.py": HUG_API, "requirements.txt": "hug\nwaitress\n"})
    assert (f.framework, f.entry.target, f.entry.kind, f.entry.interface) == \
        ("hug", "app:__hug_wsgi__", "attribute", "wsgi")


def test_a_runner_that_hands_the_hug_app_to_waitress_is_not_the_entry(tmp_path):
    # Azure's web.config runs run_server.py: `serve(app.__hug_wsgi__, port=os.environ["PORT"])` at import
    f = found(tmp_path, {"app.py": HUG_API, "run_server.py": "import os\nfrom waitress import serve\nimport app\n\n"
                         "hug_app = app.__hug_wsgi__\nserve(hug_app, host='0.0.0.0', port=os.environ['PORT'])\n"})
    assert (f.framework, f.entry.target) == ("hug", "app:__hug_wsgi__")


def test_only_hug_route_decorators_make_a_hug_app(tmp_path):
    # hug's types and local() alone (a library module of helpers) route nothing
    with pytest.raises(AppNotFound):
        found(tmp_path, {"helpers.py": "import hug\n\n\n@hug.local()\ndef add(a: hug.types.number):\n    return a\n"})


def test_a_module_that_routes_on_its_own_hug_api_object_is_served_by_its_hug_wsgi(tmp_path):
    # a 2018 hug REST API: `router = hug.route.API(__name__)`, then `router.get('/users')(user.get_all_users)`
    # on functions of a package beside it; no hug decorator in the module (inspect said "no web app found")
    user = "def get_all_users():\n    return []\n\n\ndef get_user_by_id(_id):\n    return {'id': _id}\n"
    app = textwrap.dedent("""
        import hug

        import api.resources.user as user

        router = hug.route.API(__name__)
        router.get('/users', output=hug.output_format.json)(user.get_all_users)
        router.get('/user/{_id}', output=hug.output_format.json)(user.get_user_by_id)
    """)
    f = found(tmp_path, {"app.py": app, "api/__init__.py": "", "api/resources/__init__.py": "",
                         "api/resources/user.py": user, "requirements.txt": "hug==2.4.0\npymongo==3.7.1\n"})
    assert (f.framework, f.entry.target, f.entry.kind, f.entry.interface) == \
        ("hug", "app:__hug_wsgi__", "attribute", "wsgi")
    # hug.API(__name__) chained at module level is the same module API
    f = found(tmp_path / "chained", {"service.py": "import hug\n\nhug.API(__name__).http.add_middleware(object())\n"})
    assert f.entry.target == "service:__hug_wsgi__"


def test_the_api_of_another_module_is_not_this_modules_app(tmp_path):
    with pytest.raises(AppNotFound):
        found(tmp_path, {"tools.py": "import hug\n\nother = hug.API('some.where')\n"})
