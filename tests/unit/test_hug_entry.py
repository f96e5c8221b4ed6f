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
